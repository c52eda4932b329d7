import Foundation
import MediaOpsDomain

/// Mastodon: `GET /api/v1/accounts/verify_credentials` for the live follower
/// count and `GET /api/v1/statuses/:id` for each post's replies, boosts and
/// favourites. Mastodon counts no views or impressions.
extension MastodonConnector: MetricsConnector {
    static let accountFields = MetricFieldMapper([.init("followers_count", .followersTotal)])
    static let statusFields = MetricFieldMapper([.init("replies_count", .comments), .init("reblogs_count", .shares), .init("favourites_count", .likes)])

    public func pullAccount(_ account: ConnectorAccount, from: LocalDate, to: LocalDate, context: ConnectorContext) async -> MetricPullResult {
        guard let token = account.secrets["access_token"], !token.isEmpty else { return MetricPullResult(failure: PullFailure(.auth, "missing_credential: access_token")) }
        await context.log.redact([token])
        var result = MetricPullResult()
        let base = context.endpoints.base(.mastodon, accountBase: account.fields["instance_url"])
        switch await get(base + "/api/v1/accounts/verify_credentials", token: token, context: context) {
        case .failure(let failure): result.failure = failure
        case .success(let (json, body)):
            let index = result.keep("accounts/verify_credentials", body)
            result.daily.append(DailyValues(day: to, values: Self.accountFields.read(json, endpoint: "accounts/verify_credentials", into: &result), payload: index))
        }
        return result
    }

    public func pullPosts(_ account: ConnectorAccount, posts: [MetricPostRef], context: ConnectorContext) async -> MetricPullResult {
        guard let token = account.secrets["access_token"], !token.isEmpty else { return MetricPullResult(failure: PullFailure(.auth, "missing_credential: access_token")) }
        await context.log.redact([token])
        var result = MetricPullResult()
        let base = context.endpoints.base(.mastodon, accountBase: account.fields["instance_url"])
        for post in posts {
            switch await get(base + "/api/v1/statuses/" + FormEncoding.escape(post.platformPostID), token: token, context: context) {
            case .failure(let failure) where failure.kind == .permanent:
                // A deleted status: its numbers are absent, the others still count.
                result.fail(Self.statusFields.fields.map(\.key), .endpointFailed, endpoint: "statuses", detail: "\(post.platformPostID): \(failure.detail)")
            case .failure(let failure):
                result.failure = failure
                return result
            case .success(let (json, body)):
                let index = result.keep("statuses", body)
                result.posts.append(PostSnapshotValues(platformPostID: post.platformPostID, url: json["url"] as? String,
                                                       values: Self.statusFields.read(json, endpoint: "statuses", into: &result), payload: index))
            }
        }
        return result
    }

    func get(_ url: String, token: String, context: ConnectorContext) async -> Result<([String: Any], String), PullFailure> {
        switch await MetricCall.send(OutboundRequest(method: "GET", url: url, headers: [("Authorization", "Bearer \(token)")]), context: context) {
        case .failure(let failure): return .failure(failure)
        case .success(let response):
            if let outcome = classify(response) {
                if case .transient(let reason, let retry) = outcome, response.status == 429 {
                    return .failure(PullFailure(.rateLimited, reason, retryAfter: retry ?? 300))
                }
                return .failure(MetricCall.status(response) ?? PullFailure(.transient, "HTTP \(response.status)"))
            }
            guard let json = response.json else { return .failure(PullFailure(.transient, "unreadable answer")) }
            return .success((json, response.text))
        }
    }
}
