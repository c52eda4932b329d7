import Foundation
import MediaOpsDomain

/// Facebook Pages: `POST /v20.0/{page-id}/feed` with the page access token as
/// the `access_token` query parameter (PLATFORMS.md §7). Graph errors arrive
/// as `{"error":{message,type,code,error_subcode,is_transient}}`, usually
/// with HTTP 400 whatever the cause, so the code decides.
public struct FacebookConnector: Connector {
    public let platform = Platform.facebook
    static let graphVersion = "v20.0"
    /// Application, user, page and custom-level throttles (4, 17, 32, 613) and the
    /// "posting too fast" block (368 with subcode 1390008).
    static let rateCodes: Set<Int> = [4, 17, 32, 613]
    public init() {}

    public func publish(_ payload: PublishPayload, context: ConnectorContext) async -> PublishOutcome {
        guard let token = payload.account.secrets["access_token"], !token.isEmpty else { return .reconnectNeeded(reason: "missing_credential: access_token") }
        await context.log.redact([token, FormEncoding.escape(token)])
        let pageID = payload.account.fields["page_id"].flatMap { $0.isEmpty ? nil : $0 } ?? payload.account.handle
        guard !pageID.isEmpty else { return .permanent(reason: "missing_field: page_id") }
        let url = context.endpoints.base(.facebook) + "/\(Self.graphVersion)/\(FormEncoding.escape(pageID))/feed?" + FormEncoding.encode([("access_token", token)])
        let request = OutboundRequest.json("POST", url, ["message": payload.text, "published": true])
        do {
            let response = try await context.http.send(request, log: context.log)
            return classify(response)
        } catch {
            return Classification.outcome(error)
        }
    }

    func classify(_ response: OutboundResponse) -> PublishOutcome {
        let json = response.json
        if let error = json?["error"] as? [String: Any] {
            return Self.outcome(error: error, response: response)
        }
        if let failure = Classification.outcome(status: response.status, detail: String(response.text.prefix(200)), retryAfter: Classification.retryAfter(response)) {
            return failure
        }
        guard let id = JSONLenient.string(json?["id"]), !id.isEmpty else { return .unknown(reason: "unreadable_answer") }
        return .published(externalID: id, url: "https://www.facebook.com/\(id)")
    }

    static func outcome(error: [String: Any], response: OutboundResponse) -> PublishOutcome {
        let code = JSONLenient.int(error["code"]) ?? 0
        let subcode = JSONLenient.int(error["error_subcode"])
        let message = (error["message"] as? String) ?? ""
        let reason = "facebook_\(code)\(subcode.map { "/\($0)" } ?? ""): \(message)"
        if code == 190 || message.contains("Error validating access token") || message.contains("REVOKED_ACCESS_TOKEN") {
            return .reconnectNeeded(reason: reason)
        }
        // 10 and 200–299: a permission the page token lacks; granting it means reconnecting.
        if code == 10 || (200..<300).contains(code) { return .reconnectNeeded(reason: reason) }
        if rateCodes.contains(code) || subcode == 1_390_008 || code == 1_390_008 {
            return .transient(reason: reason, retryAfter: regainAccess(response) ?? (subcode == 1_390_008 ? 600 : 300))
        }
        if error["is_transient"] as? Bool == true || code == 1 || code == 2 || response.status >= 500 {
            return .transient(reason: reason, retryAfter: nil)
        }
        return .permanent(reason: reason)
    }

    /// Graph has no Retry-After; `X-Business-Use-Case-Usage` (per business) and
    /// `X-Page-Usage` tell how many minutes until calls are allowed again.
    static func regainAccess(_ response: OutboundResponse) -> TimeInterval? {
        var minutes: [Int] = []
        for name in ["x-business-use-case-usage", "x-page-usage", "x-app-usage"] {
            guard let text = response.header(name), let data = text.data(using: .utf8),
                  let object = try? JSONSerialization.jsonObject(with: data) else { continue }
            collect(object, into: &minutes)
        }
        return minutes.max().flatMap { $0 > 0 ? TimeInterval($0 * 60) : nil }
    }

    private static func collect(_ object: Any, into minutes: inout [Int]) {
        if let dictionary = object as? [String: Any] {
            if let value = JSONLenient.int(dictionary["estimated_time_to_regain_access"]) { minutes.append(value) }
            for value in dictionary.values { collect(value, into: &minutes) }
        } else if let array = object as? [Any] {
            for value in array { collect(value, into: &minutes) }
        }
    }
}
