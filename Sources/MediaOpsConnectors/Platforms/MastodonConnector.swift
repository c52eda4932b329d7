import Foundation
import MediaOpsDomain

/// Mastodon: `POST /api/v1/statuses` with an `Idempotency-Key` (the target id),
/// which the server remembers for about an hour, so a post whose answer was
/// lost can be sent again inside that window without a duplicate.
public struct MastodonConnector: Connector {
    public let platform = Platform.mastodon
    public let idempotencyWindow: TimeInterval? = 50 * 60
    /// How long to wait for an uploaded picture to finish processing (206 → 200).
    var mediaPolls = 10
    public init() {}

    public func publish(_ payload: PublishPayload, context: ConnectorContext) async -> PublishOutcome {
        guard let token = payload.account.secrets["access_token"], !token.isEmpty else { return .reconnectNeeded(reason: "missing_credential: access_token") }
        await context.log.redact([token])
        let base = context.endpoints.base(.mastodon, accountBase: payload.account.fields["instance_url"])
        let auth = ("Authorization", "Bearer \(token)")
        do {
            var fields: [(String, String)] = [("status", payload.text), ("visibility", "public")]
            if let cover = payload.cover {
                var upload = MultipartBody()
                upload.file("file", cover)
                let response = try await context.http.send(upload.request(base + "/api/v2/media", headers: [auth]), log: context.log)
                if let failure = classify(response) { return failure.asUploadFailure }
                guard let mediaID = response.json?["id"] as? String else { return .permanent(reason: "media_upload_without_id") }
                if response.status == 202 {
                    var ready = false
                    for _ in 0..<mediaPolls {
                        let poll = try await context.http.send(OutboundRequest(method: "GET", url: base + "/api/v1/media/\(mediaID)", headers: [auth]), log: context.log)
                        if poll.status == 200 { ready = true; break }
                        if poll.status != 206, let failure = classify(poll) { return failure.asUploadFailure }
                        try? await Task.sleep(for: .milliseconds(300))
                    }
                    if !ready { return .transient(reason: "media_still_processing", retryAfter: 30) }
                }
                fields.append(("media_ids[]", mediaID))
            }
            let request = OutboundRequest.form(base + "/api/v1/statuses", fields, headers: [auth, ("Idempotency-Key", payload.targetID)])
            let response = try await context.http.send(request, log: context.log)
            if let failure = classify(response) { return failure }
            guard let json = response.json, let id = json["id"] as? String else { return .unknown(reason: "unreadable_answer") }
            return .published(externalID: id, url: (json["url"] as? String) ?? "\(base)/statuses/\(id)")
        } catch {
            return Classification.outcome(error)
        }
    }

    /// The platform dedups by our key: sending again inside the window is the question and the answer.
    public func reconcile(_ payload: PublishPayload, remoteID: String?, context: ConnectorContext) async -> ReconcileOutcome {
        .safeToResend
    }

    func classify(_ response: OutboundResponse) -> PublishOutcome? {
        let detail = (response.json?["error"] as? String) ?? String(response.text.prefix(200))
        var retryAfter: TimeInterval?
        if response.status == 429, let reset = response.header("X-RateLimit-Reset") {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let date = formatter.date(from: reset) ?? ISO8601DateFormatter().date(from: reset)
            retryAfter = date.map { max(1, $0.timeIntervalSinceNow) }
        }
        return Classification.outcome(status: response.status, detail: detail, retryAfter: retryAfter ?? Classification.retryAfter(response))
    }
}

extension PublishOutcome {
    /// A lost answer to an upload is not a lost post: nothing was published yet.
    var asUploadFailure: PublishOutcome {
        if case .unknown(let reason) = self { return .transient(reason: reason, retryAfter: nil) }
        return self
    }
}

extension Classification {
    /// Transport failures during a preparatory step (upload, draft): nothing public happened, so always retryable.
    static func preparatory(_ failure: TransportFailure) -> PublishOutcome {
        Classification.outcome(failure).asUploadFailure
    }
}
