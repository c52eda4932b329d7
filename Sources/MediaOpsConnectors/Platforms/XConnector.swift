import Foundation
import MediaOpsDomain

/// X (API v2): `POST /2/tweets` with the account's OAuth 2.0 user token as
/// Bearer (PLATFORMS.md §6). Synchronous: the answer carries the post id.
/// X has no idempotency key, so a lost answer stays unknown.
public struct XConnector: Connector {
    public let platform = Platform.x
    public init() {}

    public func publish(_ payload: PublishPayload, context: ConnectorContext) async -> PublishOutcome {
        guard let token = payload.account.secrets["access_token"], !token.isEmpty else { return .reconnectNeeded(reason: "missing_credential: access_token") }
        await context.log.redact([token])
        let request = OutboundRequest.json("POST", context.endpoints.base(.x) + "/2/tweets", ["text": payload.text],
                                           headers: [("Authorization", "Bearer \(token)")])
        do {
            let response = try await context.http.send(request, log: context.log)
            return classify(response, now: context.now())
        } catch {
            return Classification.outcome(error)
        }
    }

    func classify(_ response: OutboundResponse, now: Date) -> PublishOutcome {
        let json = response.json
        if (200..<300).contains(response.status) {
            guard let id = ((json?["data"] as? [String: Any])?["id"]).flatMap(WeChatOAConnector.string) else { return .unknown(reason: "unreadable_answer") }
            return .published(externalID: id, url: "https://x.com/i/web/status/\(id)")
        }
        let detail = Self.detail(json) ?? String(response.text.prefix(200))
        switch response.status {
        case 429: return .transient(reason: "rate_limited: \(detail)", retryAfter: Self.retryAfter(response, now: now))
        case 401: return .reconnectNeeded(reason: "unauthorized: \(detail)")
        case 403 where detail.localizedCaseInsensitiveContains("duplicate"): return .permanent(reason: "duplicate_content: \(detail)")
        default:
            return Classification.outcome(status: response.status, detail: detail, retryAfter: Classification.retryAfter(response))
                ?? .unknown(reason: "unexpected_status \(response.status)")
        }
    }

    /// Problem bodies carry `detail` (and `title`); invalid requests add the
    /// specific `errors[].message` list, which says more than their generic detail.
    static func detail(_ json: [String: Any]?) -> String? {
        if let errors = json?["errors"] as? [[String: Any]] {
            let messages = errors.compactMap { $0["message"] as? String }
            if !messages.isEmpty { return messages.joined(separator: "; ") }
        }
        return (json?["detail"] as? String) ?? (json?["title"] as? String)
    }

    /// The window to wait for: whichever exhausted limit (15-minute or 24-hour) resets last.
    /// Resets are epoch seconds.
    static func retryAfter(_ response: OutboundResponse, now: Date) -> TimeInterval? {
        let windows = ["x-rate-limit", "x-user-limit-24hour", "x-app-limit-24hour"]
        var resets: [TimeInterval] = []
        for prefix in windows {
            guard let reset = response.header("\(prefix)-reset").flatMap({ TimeInterval($0.trimmingCharacters(in: .whitespaces)) }) else { continue }
            let remaining = response.header("\(prefix)-remaining").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            if remaining == nil || remaining == 0 { resets.append(reset) }
        }
        guard let latest = resets.max() else { return Classification.retryAfter(response) }
        return max(1, (latest - now.timeIntervalSince1970).rounded(.up))
    }
}
