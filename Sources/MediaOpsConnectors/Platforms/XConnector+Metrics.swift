import Foundation
import MediaOpsDomain

/// X API v2 public metrics: `GET /2/users/me?user.fields=public_metrics` for
/// followers, `GET /2/tweets?ids=…&tweet.fields=public_metrics` (≤ 100 ids)
/// for posts. Quotes and bookmarks beyond the canonical keys stay in the
/// kept payload.
extension XConnector: MetricsConnector {
    static let idsPerCall = 100
    static let userFields = MetricFieldMapper([.init("followers_count", .followersTotal)])
    static let tweetFields = MetricFieldMapper([
        .init("impression_count", .impressions), .init("like_count", .likes), .init("reply_count", .comments),
        .init("retweet_count", .shares), .init("bookmark_count", .favorites),
    ])

    public func pullAccount(_ account: ConnectorAccount, from: LocalDate, to: LocalDate, context: ConnectorContext) async -> MetricPullResult {
        guard let token = account.secrets["access_token"], !token.isEmpty else { return MetricPullResult(failure: PullFailure(.auth, "missing_credential: access_token")) }
        await context.log.redact([token])
        var result = MetricPullResult()
        switch await get(context.endpoints.base(.x) + "/2/users/me?user.fields=public_metrics", token: token, context: context) {
        case .failure(let failure): result.failure = failure
        case .success(let (json, body)):
            let index = result.keep("users/me", body)
            let metrics = (json["data"] as? [String: Any])?["public_metrics"] as? [String: Any] ?? [:]
            result.daily.append(DailyValues(day: to, values: Self.userFields.read(metrics, endpoint: "users/me", into: &result), payload: index))
        }
        return result
    }

    public func pullPosts(_ account: ConnectorAccount, posts: [MetricPostRef], context: ConnectorContext) async -> MetricPullResult {
        guard let token = account.secrets["access_token"], !token.isEmpty else { return MetricPullResult(failure: PullFailure(.auth, "missing_credential: access_token")) }
        await context.log.redact([token])
        var result = MetricPullResult()
        for ids in MetricCall.ids(posts, chunk: Self.idsPerCall) {
            let url = context.endpoints.base(.x) + "/2/tweets?ids=" + MetricCall.idList(ids) + "&tweet.fields=public_metrics"
            switch await get(url, token: token, context: context) {
            case .failure(let failure):
                result.failure = failure
                return result
            case .success(let (json, body)):
                let index = result.keep("tweets", body)
                for tweet in json["data"] as? [[String: Any]] ?? [] {
                    guard let id = JSONLenient.string(tweet["id"]) else { continue }
                    let metrics = tweet["public_metrics"] as? [String: Any] ?? [:]
                    result.posts.append(PostSnapshotValues(platformPostID: id, values: Self.tweetFields.read(metrics, endpoint: "tweets", into: &result), payload: index))
                }
            }
        }
        return result
    }

    func get(_ url: String, token: String, context: ConnectorContext) async -> Result<([String: Any], String), PullFailure> {
        switch await MetricCall.send(OutboundRequest(method: "GET", url: url, headers: [("Authorization", "Bearer \(token)")]), context: context) {
        case .failure(let failure): return .failure(failure)
        case .success(let response):
            if response.status == 429 {
                return .failure(PullFailure(.rateLimited, "x_429: \(Self.detail(response.json) ?? "")", retryAfter: Self.retryAfter(response, now: context.now()) ?? 900))
            }
            if let failure = MetricCall.status(response) { return .failure(failure) }
            guard let json = response.json else { return .failure(PullFailure(.transient, "unreadable answer")) }
            return .success((json, response.text))
        }
    }
}
