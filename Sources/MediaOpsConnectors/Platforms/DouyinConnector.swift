import Foundation
import MediaOpsDomain

/// Douyin: publishing by API is open only to enterprise apps ("代用户发布",
/// PLATFORMS.md §3), and only for video. With the account's `open_id` and a
/// media file (the cover stands in for it) the file goes to `upload_video`,
/// then `create_video` makes the post. Douyin reviews every new video first
/// (visible only to its author meanwhile), so the answer is `.accepted` with
/// the item id and `reconcile` asks `video_data` until review has finished.
/// Without `open_id` or media the post is refused with
/// `douyin_needs_assisted_publishing`, and the engine hands it to a person.
public struct DouyinConnector: Connector {
    public let platform = Platform.douyin
    /// 10008 / 2190008 / 28001008 expired, 2190002 / 28001003 invalid, 10010 refresh token expired.
    static let tokenErrors: Set<Int> = [10008, 10010, 2_190_002, 2_190_008, 28_001_003, 28_001_008]
    /// 10020 called too often, 2100004 system busy: wait and try again.
    static let throttleErrors: Set<Int> = [10020, 2_100_004]
    static let throttleWait: TimeInterval = 60
    public init() {}

    public func publish(_ payload: PublishPayload, context: ConnectorContext) async -> PublishOutcome {
        guard let openID = payload.account.fields["open_id"], !openID.isEmpty, let media = payload.cover else {
            return .permanent(reason: "douyin_needs_assisted_publishing")
        }
        guard let token = payload.account.secrets["access_token"], !token.isEmpty else { return .reconnectNeeded(reason: "missing_credential: access_token") }
        await context.log.redact([token])
        let base = context.endpoints.base(.douyin) + "/api/douyin/v1/video"
        let query = "?" + FormEncoding.encode([("open_id", openID)])
        let auth = ("access-token", token)

        // 1. Upload: nothing is public yet, so any failure here is safe to retry.
        var form = MultipartBody()
        form.file("video", media)
        let videoID: String
        do {
            let response = try await context.http.send(form.request(base + "/upload_video/" + query, headers: [auth]), log: context.log)
            switch Self.envelope(response) {
            case .failure(let outcome): return outcome.asUploadFailure
            case .success(let data):
                guard let id = ((data["video"] as? [String: Any])?["video_id"]).flatMap(JSONLenient.string) else {
                    return .transient(reason: "upload_without_video_id", retryAfter: nil)
                }
                videoID = id
            }
        } catch {
            return Classification.preparatory(error)
        }

        // 2. Create: from here a lost answer may be a live post.
        let create = OutboundRequest.json("POST", base + "/create_video/" + query, ["video_id": videoID, "text": payload.text], headers: [auth])
        do {
            let response = try await context.http.send(create, log: context.log)
            switch Self.envelope(response) {
            case .failure(let outcome): return outcome
            case .success(let data):
                guard let itemID = JSONLenient.string(data["item_id"]), !itemID.isEmpty else { return .unknown(reason: "create_without_item_id") }
                return .accepted(remoteID: itemID)
            }
        } catch {
            return Classification.outcome(error)
        }
    }

    /// Asks `video_data` about an item we created. Review states: 4 under review,
    /// 1 published, 5 public, 2 not suitable for the public.
    public func reconcile(_ payload: PublishPayload, remoteID: String?, context: ConnectorContext) async -> ReconcileOutcome {
        guard let itemID = remoteID else { return .needsHuman(reason: "douyin_create_unanswered") }
        guard let openID = payload.account.fields["open_id"], !openID.isEmpty,
              let token = payload.account.secrets["access_token"], !token.isEmpty else { return .needsHuman(reason: "missing_credential: access_token") }
        await context.log.redact([token])
        let url = context.endpoints.base(.douyin) + "/api/douyin/v1/video/video_data/?" + FormEncoding.encode([("open_id", openID)])
        let request = OutboundRequest.json("POST", url, ["item_ids": [itemID]], headers: [("access-token", token)])
        let response: OutboundResponse
        do {
            response = try await context.http.send(request, log: context.log)
        } catch {
            return Classification.reconcile(error)
        }
        switch Self.envelope(response) {
        case .failure(let outcome):
            switch outcome {
            case .transient(let reason, let retry): return .retryLater(reason: reason, retryAfter: retry)
            case .unknown(let reason): return .retryLater(reason: reason, retryAfter: nil)
            case .permanent(let reason), .reconnectNeeded(let reason): return .needsHuman(reason: reason)
            default: return .retryLater(reason: "unexpected", retryAfter: nil)
            }
        case .success(let data):
            let items = data["list"] as? [[String: Any]] ?? []
            guard let item = items.first(where: { JSONLenient.string($0["item_id"]) == itemID }) ?? items.first else {
                return .retryLater(reason: "douyin_item_not_listed_yet", retryAfter: 60)
            }
            let status = JSONLenient.int(item["video_status"]) ?? 4
            switch status {
            case 1, 5: return .published(externalID: itemID, url: item["share_url"] as? String)
            case 2: return .failed(reason: "douyin_video_status_2: not suitable for the public")
            case 4: return .pending
            default: return item["is_reviewed"] as? Bool == true ? .failed(reason: "douyin_video_status_\(status)") : .pending
            }
        }
    }

    enum Envelope {
        case success([String: Any])
        case failure(PublishOutcome)
    }

    /// Reads `{data:{error_code,description,…}, extra:{error_code,description,sub_error_code,logid,now}}`.
    /// Either error_code may carry the failure; `data` holds the payload on success.
    static func envelope(_ response: OutboundResponse) -> Envelope {
        guard let json = response.json else {
            return .failure(Classification.outcome(status: response.status, detail: String(response.text.prefix(200)), retryAfter: Classification.retryAfter(response))
                ?? .unknown(reason: "unreadable_answer"))
        }
        let data = json["data"] as? [String: Any] ?? [:]
        let extra = json["extra"] as? [String: Any] ?? [:]
        let code = [JSONLenient.int(data["error_code"]), JSONLenient.int(extra["error_code"])].compactMap { $0 }.first { $0 != 0 } ?? 0
        if code == 0 {
            if let failure = Classification.outcome(status: response.status, detail: String(response.text.prefix(200))) { return .failure(failure) }
            return .success(data)
        }
        let description = (data["description"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? (extra["description"] as? String) ?? ""
        let sub = JSONLenient.int(extra["sub_error_code"]).flatMap { $0 == 0 ? nil : "/\($0)" } ?? ""
        let logID = (extra["logid"] as? String) ?? (extra["log_id"] as? String)
        let reason = "douyin_\(code)\(sub): \(description)" + (logID.map { " (logid \($0))" } ?? "")
        if tokenErrors.contains(code) { return .failure(.reconnectNeeded(reason: reason)) }
        if throttleErrors.contains(code) { return .failure(.transient(reason: reason, retryAfter: throttleWait)) }
        if code == 28_001_005 || response.status >= 500 { return .failure(.transient(reason: reason, retryAfter: nil)) }
        return .failure(.permanent(reason: reason))
    }
}
