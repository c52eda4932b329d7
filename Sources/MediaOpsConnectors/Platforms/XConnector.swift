import Foundation
import MediaOpsDomain

/// X (API v2): `POST /2/tweets` with the account's OAuth 2.0 user token as
/// Bearer (PLATFORMS.md §6). Synchronous: the answer carries the post id.
/// X has no idempotency key, so a lost answer stays unknown.
///
/// A cover goes first through the v2 chunked media upload (same Bearer token):
/// `POST /2/media/upload/initialize` → `POST /2/media/upload/{id}/append`
/// (multipart `media` + `segment_index`, one segment up to 5 MB, 4 MB segments
/// above) → `POST /2/media/upload/{id}/finalize`, then
/// `GET /2/media/upload?command=STATUS&media_id=` while processing is pending;
/// the tweet carries `media.media_ids`. Nothing is public until the tweet, so
/// every upload failure is retryable unless the platform refused the file.
public struct XConnector: Connector {
    public let platform = Platform.x
    /// How many STATUS polls to wait for processing before giving up (transient).
    var mediaPolls = 10
    /// Files up to this size go in one segment; larger ones in `segmentSize` pieces.
    static let singleSegmentLimit = 5 * 1_024 * 1_024
    static let segmentSize = 4 * 1_024 * 1_024
    /// The longest wait between STATUS polls, whatever `check_after_secs` says.
    static let maxPollWait: TimeInterval = 1
    public init() {}

    public func publish(_ payload: PublishPayload, context: ConnectorContext) async -> PublishOutcome {
        guard let token = payload.account.secrets["access_token"], !token.isEmpty else { return .reconnectNeeded(reason: "missing_credential: access_token") }
        await context.log.redact([token])
        let auth = ("Authorization", "Bearer \(token)")
        var body: [String: Any] = ["text": payload.text]
        if let cover = payload.cover {
            switch await upload(cover, auth: auth, context: context) {
            case .success(let mediaID): body["media"] = ["media_ids": [mediaID]]
            case .failure(let failure): return failure.outcome
            }
        }
        let request = OutboundRequest.json("POST", context.endpoints.base(.x) + "/2/tweets", body, headers: [auth])
        do {
            let response = try await context.http.send(request, log: context.log)
            return classify(response, now: context.now())
        } catch {
            return Classification.outcome(error)
        }
    }

    func classify(_ response: OutboundResponse, now: Date) -> PublishOutcome {
        if (200..<300).contains(response.status) {
            guard let id = ((response.json?["data"] as? [String: Any])?["id"]).flatMap(JSONLenient.string) else { return .unknown(reason: "unreadable_answer") }
            return .published(externalID: id, url: "https://x.com/i/web/status/\(id)")
        }
        return failure(response, now: now) ?? .unknown(reason: "unexpected_status \(response.status)")
    }

    /// The outcome of a non-2xx answer (nil for 2xx): 429 waits for the reset, 401 reconnects,
    /// 403 duplicate content is permanent, the rest by the shared status rules.
    func failure(_ response: OutboundResponse, now: Date) -> PublishOutcome? {
        guard !(200..<300).contains(response.status) else { return nil }
        let detail = Self.detail(response.json) ?? String(response.text.prefix(200))
        switch response.status {
        case 429: return .transient(reason: "rate_limited: \(detail)", retryAfter: Self.retryAfter(response, now: now))
        case 401: return .reconnectNeeded(reason: "unauthorized: \(detail)")
        case 403 where detail.localizedCaseInsensitiveContains("duplicate"): return .permanent(reason: "duplicate_content: \(detail)")
        default:
            return Classification.outcome(status: response.status, detail: detail, retryAfter: Classification.retryAfter(response))
                ?? .unknown(reason: "unexpected_status \(response.status)")
        }
    }

    // MARK: Media upload

    /// Why an upload stopped, as the publish outcome to return (never `unknown`: nothing is public yet).
    struct UploadFailure: Error {
        var outcome: PublishOutcome
    }

    /// The media category X expects for the file's type.
    static func category(_ contentType: String) -> String {
        let type = contentType.lowercased()
        if type == "image/gif" { return "tweet_gif" }
        if type.hasPrefix("video/") { return "tweet_video" }
        return "tweet_image"
    }

    /// Byte ranges of the append segments: one up to `singleSegmentLimit`, else `segmentSize` pieces.
    static func segments(_ count: Int) -> [Range<Int>] {
        if count <= singleSegmentLimit { return [0..<count] }
        return stride(from: 0, to: count, by: segmentSize).map { $0..<min($0 + segmentSize, count) }
    }

    /// Uploads `file` and answers its media id once X has finished processing it.
    func upload(_ file: MediaFile, auth: (String, String), context: ConnectorContext) async -> Result<String, UploadFailure> {
        let base = context.endpoints.base(.x) + "/2/media/upload"
        do {
            let initialize = try await send(.json("POST", base + "/initialize", [
                "media_type": file.contentType, "total_bytes": file.bytes.count, "media_category": Self.category(file.contentType),
            ] as [String: Any], headers: [auth]), context: context)
            guard let mediaID = Self.data(initialize)?["id"].flatMap(JSONLenient.string), !mediaID.isEmpty else {
                throw UploadFailure(outcome: .permanent(reason: "media_upload_without_id"))
            }
            let escapedID = FormEncoding.escape(mediaID)
            for (index, range) in Self.segments(file.bytes.count).enumerated() {
                var part = MultipartBody()
                part.file("media", MediaFile(filename: file.filename, contentType: file.contentType, bytes: Data(file.bytes.dropFirst(range.lowerBound).prefix(range.count))))
                part.field("segment_index", String(index))
                _ = try await send(part.request(base + "/\(escapedID)/append", headers: [auth]), context: context)
            }
            let finalize = try await send(OutboundRequest(method: "POST", url: base + "/\(escapedID)/finalize", headers: [auth]), context: context)
            var processing = Self.data(finalize)?["processing_info"] as? [String: Any]
            var polls = 0
            while true {
                switch processing?["state"] as? String {
                case nil, "succeeded"?:
                    return .success(mediaID)
                case "failed"?:
                    let error = processing?["error"] as? [String: Any]
                    let reason = (error?["message"] as? String) ?? (error?["name"] as? String) ?? "processing failed"
                    throw UploadFailure(outcome: .permanent(reason: "media_processing_failed: \(reason)"))
                default:
                    // pending / in_progress: wait as told (capped), then ask again.
                    guard polls < mediaPolls else { throw UploadFailure(outcome: .transient(reason: "media_still_processing", retryAfter: 30)) }
                    polls += 1
                    let wait = min(Self.maxPollWait, max(0, Self.number(processing?["check_after_secs"]) ?? Self.maxPollWait))
                    try? await Task.sleep(for: .milliseconds(Int(wait * 1_000)))
                    let status = try await send(OutboundRequest(method: "GET", url: base + "?command=STATUS&media_id=\(escapedID)", headers: [auth]),
                                                context: context)
                    processing = Self.data(status)?["processing_info"] as? [String: Any]
                }
            }
        } catch let failure as UploadFailure {
            return .failure(failure)
        } catch {
            return .failure(UploadFailure(outcome: .permanent(reason: "media_upload: \(error)")))
        }
    }

    /// Sends one upload step: a transport failure or a non-2xx answer ends the upload as preparatory.
    private func send(_ request: OutboundRequest, context: ConnectorContext) async throws -> OutboundResponse {
        let response: OutboundResponse
        do {
            response = try await context.http.send(request, log: context.log)
        } catch {
            throw UploadFailure(outcome: Classification.preparatory(error))
        }
        if let refusal = failure(response, now: context.now()) { throw UploadFailure(outcome: refusal.asUploadFailure) }
        return response
    }

    static func data(_ response: OutboundResponse) -> [String: Any]? { response.json?["data"] as? [String: Any] }

    static func number(_ value: Any?) -> TimeInterval? {
        if let number = value as? NSNumber { return number.doubleValue }
        return (value as? String).flatMap { TimeInterval($0) }
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
