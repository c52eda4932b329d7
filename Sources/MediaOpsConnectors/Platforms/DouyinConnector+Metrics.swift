import Foundation
import MediaOpsDomain

/// 抖音 open-platform data (PLATFORMS.md §3 c/d): `GET /data/external/user/<kind>/
/// ?open_id=&date_type=7|15|30` gives a window of days ending yesterday (data
/// refreshed around 10:00 Beijing), one call per kind; `GET
/// /data/external/item/base/?open_id=&item_id=` gives a video's totals (videos
/// ≤ 30 days old). Numbers may be strings or numbers.
extension DouyinConnector: MetricsConnector {
    /// Each account kind and what it feeds. `new_fans` is the day's net change (新增粉丝 nets unfollows).
    static let userKinds: [(kind: String, mapper: MetricFieldMapper)] = [
        ("fans", MetricFieldMapper([.init("total_fans", .followersTotal), .init("new_fans", .followersNet)])),
        ("item", MetricFieldMapper([.init("new_play", .plays)])),
        ("like", MetricFieldMapper([.init("new_like", .likes)])),
        ("comment", MetricFieldMapper([.init("new_comment", .comments)])),
        ("share", MetricFieldMapper([.init("new_share", .shares)])),
        ("profile", MetricFieldMapper([.init("profile_uv", .profileVisits)])),
    ]
    static let itemFields = MetricFieldMapper([
        .init("total_play", .plays), .init("total_like", .likes), .init("total_comment", .comments), .init("total_share", .shares),
        .init("avg_play_duration", .avgWatchSeconds),
    ])

    /// The smallest `date_type` window reaching back to `from` from yesterday.
    static func dateType(from: LocalDate, yesterday: LocalDate) -> Int {
        let days = from.days(until: yesterday) + 1
        return [7, 15, 30].first { $0 >= days } ?? 30
    }

    public func pullAccount(_ account: ConnectorAccount, from: LocalDate, to: LocalDate, context: ConnectorContext) async -> MetricPullResult {
        guard let openID = account.fields["open_id"], !openID.isEmpty else { return MetricPullResult(failure: PullFailure(.permanent, "missing_field: open_id")) }
        let yesterday = LocalDate(context.now(), timeZone: PullSchedule.beijing).adding(days: -1)
        let dateType = Self.dateType(from: from, yesterday: yesterday)
        var result = MetricPullResult()
        for (kind, mapper) in Self.userKinds {
            let endpoint = "data/external/user/\(kind)"
            let path = "/data/external/user/\(kind)/?" + FormEncoding.encode([("open_id", openID), ("date_type", String(dateType))])
            switch await get(path, account: account, context: context) {
            case .failure(let failure) where failure.kind == .permanent:
                result.fail(mapper.fields.map(\.key), .endpointFailed, endpoint: endpoint, detail: failure.detail)
            case .failure(let failure):
                result.failure = failure
                return result
            case .success(let (data, body)):
                let index = result.keep(endpoint, body)
                for row in data["result_list"] as? [[String: Any]] ?? [] {
                    guard let day = MetricCall.day(row["date"]), day >= from, day <= to else { continue }
                    result.daily.append(DailyValues(day: day, values: mapper.read(row, endpoint: endpoint, into: &result), payload: index))
                }
            }
        }
        if result.failure == nil, !result.hasValues { result.failure = PullFailure(.notYetAvailable, "no rows for \(from)…\(to) yet") }
        return result
    }

    public func pullPosts(_ account: ConnectorAccount, posts: [MetricPostRef], context: ConnectorContext) async -> MetricPullResult {
        guard let openID = account.fields["open_id"], !openID.isEmpty else { return MetricPullResult(failure: PullFailure(.permanent, "missing_field: open_id")) }
        var result = MetricPullResult()
        for post in posts {
            let path = "/data/external/item/base/?" + FormEncoding.encode([("open_id", openID), ("item_id", post.platformPostID)])
            switch await get(path, account: account, context: context) {
            case .failure(let failure) where failure.kind == .permanent:
                // Older than 30 days or unknown: this post's numbers are absent, the others still count.
                result.fail(Self.itemFields.fields.map(\.key), .endpointFailed, endpoint: "data/external/item/base", detail: "\(post.platformPostID): \(failure.detail)")
            case .failure(let failure):
                result.failure = failure
                return result
            case .success(let (data, body)):
                let index = result.keep("data/external/item/base", body)
                let totals = data["result"] as? [String: Any] ?? [:]
                result.posts.append(PostSnapshotValues(platformPostID: post.platformPostID,
                                                       values: Self.itemFields.read(totals, endpoint: "data/external/item/base", into: &result), payload: index))
            }
        }
        return result
    }

    func get(_ pathAndQuery: String, account: ConnectorAccount, context: ConnectorContext) async -> Result<([String: Any], String), PullFailure> {
        guard let token = account.secrets["access_token"], !token.isEmpty else { return .failure(PullFailure(.auth, "missing_credential: access_token")) }
        await context.log.redact([token])
        let request = OutboundRequest(method: "GET", url: context.endpoints.base(.douyin) + pathAndQuery, headers: [("access-token", token)])
        switch await MetricCall.send(request, context: context) {
        case .failure(let failure): return .failure(failure)
        case .success(let response):
            switch Self.envelope(response) {
            case .success(let data): return .success((data, response.text))
            case .failure(let outcome):
                switch outcome {
                case .transient(let reason, let retry):
                    let throttled = Self.throttleErrors.contains { reason.hasPrefix("douyin_\($0)") } || reason.hasPrefix("rate_limited")
                    return .failure(PullFailure(throttled ? .rateLimited : .transient, reason, retryAfter: retry ?? (throttled ? Self.throttleWait : nil)))
                case .reconnectNeeded(let reason): return .failure(PullFailure(.auth, reason))
                case .permanent(let reason): return .failure(PullFailure(.permanent, reason))
                case .unknown(let reason): return .failure(PullFailure(.transient, reason))
                default: return .failure(PullFailure(.transient, "unexpected answer"))
                }
            }
        }
    }
}
