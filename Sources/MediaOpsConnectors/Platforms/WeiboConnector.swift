import Foundation
import MediaOpsDomain

/// Weibo: `POST /2/statuses/share.json`, the only publishing call open to
/// third-party apps (PLATFORMS.md §2). The status must carry a link on the
/// app's bound safe domain; MediaOps does not add one, the platform refuses a
/// status without it and that refusal is what the team sees. The cover goes
/// along as `pic` (the request becomes multipart). Publishing is synchronous:
/// the answer is the status itself.
public struct WeiboConnector: Connector {
    public let platform = Platform.weibo
    /// Weibo counts characters; we do not apply its "two ASCII count as one" rule.
    static let statusLimit = 140
    /// Auth failed, token expired, invalid, used, revoked, rejected (21314…21319 are the OAuth token family).
    static let tokenErrors: Set<Int> = Set([21301, 21327, 21332, 21501]).union(21314...21319)
    /// 10023: user requests out of rate limit; 10024: user requests for a call out of rate limit.
    static let rateErrors: Set<Int> = [10023, 10024]
    public init() {}

    public func publish(_ payload: PublishPayload, context: ConnectorContext) async -> PublishOutcome {
        guard let token = payload.account.secrets["access_token"], !token.isEmpty else { return .reconnectNeeded(reason: "missing_credential: access_token") }
        // The token travels in the form body, percent-encoded: redact both spellings.
        await context.log.redact([token, FormEncoding.escape(token)])
        guard payload.text.count <= Self.statusLimit else { return .permanent(reason: "weibo_status_too_long: \(payload.text.count) > \(Self.statusLimit)") }
        let url = context.endpoints.base(.weibo) + "/2/statuses/share.json"
        let rip = payload.account.fields["rip"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        let request: OutboundRequest
        if let cover = payload.cover {
            var form = MultipartBody()
            form.field("access_token", token)
            form.field("status", payload.text)
            form.field("rip", rip)
            form.file("pic", cover)
            var upload = form.request(url)
            // The multipart summary keeps the first 80 characters of each field; a longer
            // token would be cut before redaction could match it, so the summary is ours.
            upload.bodySummary = "multipart: access_token=***, status=\(payload.text.prefix(80)), rip=\(rip), pic=<\(cover.contentType), \(cover.bytes.count) bytes>"
            request = upload
        } else {
            request = .form(url, [("access_token", token), ("status", payload.text), ("rip", rip)])
        }
        do {
            let response = try await context.http.send(request, log: context.log)
            return classify(response, payload: payload, now: context.now())
        } catch {
            return Classification.outcome(error)
        }
    }

    func classify(_ response: OutboundResponse, payload: PublishPayload, now: Date) -> PublishOutcome {
        let json = response.json
        if let code = JSONLenient.int(json?["error_code"]) {
            let message = (json?["error"] as? String) ?? ""
            let reason = "weibo_\(code): \(message)"
            if Self.tokenErrors.contains(code) { return .reconnectNeeded(reason: reason) }
            // The per-user counters are hourly windows: try again when the next one opens.
            if Self.rateErrors.contains(code) { return .transient(reason: reason, retryAfter: Self.secondsToNextHour(now)) }
            // 1xxxx other than the above are system-level (10001 system error, 10009 too many pending tasks).
            if [10001, 10002, 10009].contains(code) || response.status >= 500 { return .transient(reason: reason, retryAfter: nil) }
            return .permanent(reason: reason)
        }
        if let failure = Classification.outcome(status: response.status, detail: String(response.text.prefix(200)), retryAfter: Classification.retryAfter(response)) {
            return failure
        }
        guard let json, let id = JSONLenient.string(json["idstr"]) ?? JSONLenient.string(json["id"]) else {
            return .unknown(reason: "unreadable_answer")
        }
        let uid = payload.account.fields["uid"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((json["user"] as? [String: Any]).flatMap { JSONLenient.string($0["idstr"]) ?? JSONLenient.string($0["id"]) })
        return .published(externalID: id, url: uid.map { "https://weibo.com/\($0)/\(id)" })
    }

    static func secondsToNextHour(_ now: Date) -> TimeInterval {
        let into = now.timeIntervalSince1970.truncatingRemainder(dividingBy: 3_600)
        return max(60, (3_600 - into).rounded(.up))
    }
}
