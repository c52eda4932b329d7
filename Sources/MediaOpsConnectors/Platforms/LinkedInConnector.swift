import Foundation
import MediaOpsDomain

/// LinkedIn: `POST /rest/posts` (PLATFORMS.md §8), as an organization when the
/// account has `organization_urn`, otherwise as the member whose id is the
/// handle. The versioned API needs `LinkedIn-Version` and
/// `X-Restli-Protocol-Version`; success is 201 with the post URN in
/// `x-restli-id` and no body.
public struct LinkedInConnector: Connector {
    public let platform = Platform.linkedin
    /// The API version we were written against (LinkedIn keeps a version active for about a year).
    static let version = "202601"
    public init() {}

    public func publish(_ payload: PublishPayload, context: ConnectorContext) async -> PublishOutcome {
        guard let token = payload.account.secrets["access_token"], !token.isEmpty else { return .reconnectNeeded(reason: "missing_credential: access_token") }
        await context.log.redact([token])
        guard let author = Self.author(payload.account) else { return .permanent(reason: "missing_field: organization_urn or handle") }
        let body: [String: Any] = [
            "author": author,
            "commentary": Self.littleText(payload.text),
            "visibility": "PUBLIC",
            "distribution": ["feedDistribution": "MAIN_FEED", "targetEntities": [Any](), "thirdPartyDistributionChannels": [Any]()],
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": false,
        ]
        let request = OutboundRequest.json("POST", context.endpoints.base(.linkedin) + "/rest/posts", body, headers: [
            ("Authorization", "Bearer \(token)"), ("LinkedIn-Version", Self.version), ("X-Restli-Protocol-Version", "2.0.0"),
        ])
        do {
            let response = try await context.http.send(request, log: context.log)
            return classify(response, now: context.now())
        } catch {
            return Classification.outcome(error)
        }
    }

    static func author(_ account: ConnectorAccount) -> String? {
        if let urn = account.fields["organization_urn"], !urn.isEmpty { return urn }
        let handle = account.handle.trimmingCharacters(in: .whitespaces)
        guard !handle.isEmpty else { return nil }
        return handle.hasPrefix("urn:li:") ? handle : "urn:li:person:\(handle)"
    }

    /// `commentary` is "little text": these characters are markup unless escaped
    /// with a backslash, and unescaped ones cut or garble the post.
    static let reserved: Set<Character> = ["\\", "|", "{", "}", "@", "[", "]", "(", ")", "<", ">", "#", "*", "_", "~"]

    static func littleText(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            if reserved.contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    func classify(_ response: OutboundResponse, now: Date) -> PublishOutcome {
        let json = response.json
        if (200..<300).contains(response.status) {
            guard let urn = response.header("x-restli-id") ?? response.header("x-linkedin-id"), !urn.isEmpty else { return .unknown(reason: "answer_without_x-restli-id") }
            return .published(externalID: urn, url: "https://www.linkedin.com/feed/update/\(urn)/")
        }
        let detail = [json?["code"] as? String, json?["message"] as? String].compactMap { $0 }.joined(separator: ": ")
        let reason = detail.isEmpty ? String(response.text.prefix(200)) : detail
        switch response.status {
        case 401: return .reconnectNeeded(reason: "unauthorized: \(reason)")
        case 429: return .transient(reason: "rate_limited: \(reason)", retryAfter: Classification.retryAfter(response) ?? Self.secondsToUTCMidnight(now))
        default:
            return Classification.outcome(status: response.status, detail: reason, retryAfter: Classification.retryAfter(response))
                ?? .unknown(reason: "unexpected_status \(response.status)")
        }
    }

    /// LinkedIn's throttles are daily and reset at midnight UTC; it sends no Retry-After.
    static func secondsToUTCMidnight(_ now: Date) -> TimeInterval {
        let into = now.timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400)
        return max(60, (86_400 - into).rounded(.up))
    }
}
