import Foundation
import MediaOpsDomain

/// 微博 statistics (ANALYTICS-SOURCES.md §3.3): `GET /2/users/show.json?uid=`
/// for the live follower count (Weibo keeps no daily history, so the count is
/// filed under the day pulled for), and `GET /2/statuses/count.json?ids=` for
/// posts, at most 100 ids a call. Ids Weibo does not know (deleted posts) are
/// silently left out of its answer, so they are simply absent here too.
extension WeiboConnector: MetricsConnector {
    static let idsPerCall = 100
    static let userFields = MetricFieldMapper([.init("followers_count", .followersTotal)])
    static let countFields = MetricFieldMapper([.init("comments", .comments), .init("reposts", .shares), .init("attitudes", .likes)])

    public func pullAccount(_ account: ConnectorAccount, from: LocalDate, to: LocalDate, context: ConnectorContext) async -> MetricPullResult {
        guard let token = account.secrets["access_token"], !token.isEmpty else { return MetricPullResult(failure: PullFailure(.auth, "missing_credential: access_token")) }
        await context.log.redact([token, FormEncoding.escape(token)])
        var result = MetricPullResult()
        let uid = account.fields["uid"].flatMap { $0.isEmpty ? nil : $0 } ?? account.handle
        let url = context.endpoints.base(.weibo) + "/2/users/show.json?" + FormEncoding.encode([("access_token", token), ("uid", uid)])
        switch await get(url, context: context) {
        case .failure(let failure): result.failure = failure
        case .success(let (json, body)):
            let index = result.keep("users/show", body)
            let values = Self.userFields.read(json as? [String: Any] ?? [:], endpoint: "users/show", into: &result)
            result.daily.append(DailyValues(day: to, values: values, payload: index))
        }
        return result
    }

    public func pullPosts(_ account: ConnectorAccount, posts: [MetricPostRef], context: ConnectorContext) async -> MetricPullResult {
        guard let token = account.secrets["access_token"], !token.isEmpty else { return MetricPullResult(failure: PullFailure(.auth, "missing_credential: access_token")) }
        await context.log.redact([token, FormEncoding.escape(token)])
        var result = MetricPullResult()
        for ids in MetricCall.ids(posts, chunk: Self.idsPerCall) {
            let url = context.endpoints.base(.weibo) + "/2/statuses/count.json?" + FormEncoding.encode([("access_token", token)]) + "&ids=" + MetricCall.idList(ids)
            switch await get(url, context: context) {
            case .failure(let failure):
                result.failure = failure
                return result
            case .success(let (json, body)):
                let index = result.keep("statuses/count", body)
                for row in json as? [[String: Any]] ?? [] {
                    guard let id = JSONLenient.string(row["idstr"]) ?? JSONLenient.string(row["id"]) else { continue }
                    result.posts.append(PostSnapshotValues(platformPostID: id, values: Self.countFields.read(row, endpoint: "statuses/count", into: &result), payload: index))
                }
            }
        }
        return result
    }

    /// One GET with Weibo's `{"error_code","error"}` answers classified.
    func get(_ url: String, context: ConnectorContext) async -> Result<(Any, String), PullFailure> {
        let response: OutboundResponse
        switch await MetricCall.send(OutboundRequest(method: "GET", url: url), context: context) {
        case .failure(let failure): return .failure(failure)
        case .success(let answer): response = answer
        }
        let json = try? JSONSerialization.jsonObject(with: response.body)
        if let object = json as? [String: Any], let code = JSONLenient.int(object["error_code"]) {
            let detail = "weibo_\(code): \((object["error"] as? String) ?? "")"
            if Self.tokenErrors.contains(code) { return .failure(PullFailure(.auth, detail)) }
            if Self.rateErrors.contains(code) { return .failure(PullFailure(.rateLimited, detail, retryAfter: Self.secondsToNextHour(context.now()))) }
            if [10001, 10002, 10009].contains(code) { return .failure(PullFailure(.transient, detail)) }
            return .failure(PullFailure(.permanent, detail))
        }
        if let failure = MetricCall.status(response) { return .failure(failure) }
        guard let json else { return .failure(PullFailure(.transient, "unreadable answer")) }
        return .success((json, response.text))
    }
}
