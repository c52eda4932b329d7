import Foundation
import MediaOpsDomain

/// B站 open-platform data service (ANALYTICS-SOURCES.md §3.2): signed
/// `GET /arcopen/fn/data/user/stat` → `{following, follower, arc_passed_total}`
/// (a live count) and `GET /arcopen/fn/data/arc/stat?resource_id=` →
/// `{view, danmaku, reply, favorite, coin, share, like}` per video.
extension BilibiliConnector: MetricsConnector {
    static let userFields = MetricFieldMapper([.init("follower", .followersTotal)])
    static let arcFields = MetricFieldMapper([
        .init("view", .plays), .init("danmaku", .danmaku), .init("reply", .comments), .init("favorite", .favorites),
        .init("coin", .coins), .init("share", .shares), .init("like", .likes),
    ])

    public func pullAccount(_ account: ConnectorAccount, from: LocalDate, to: LocalDate, context: ConnectorContext) async -> MetricPullResult {
        var result = MetricPullResult()
        switch await get("/arcopen/fn/data/user/stat", account: account, context: context) {
        case .failure(let failure): result.failure = failure
        case .success(let (data, body)):
            let index = result.keep("data/user/stat", body)
            result.daily.append(DailyValues(day: to, values: Self.userFields.read(data, endpoint: "data/user/stat", into: &result), payload: index))
        }
        return result
    }

    public func pullPosts(_ account: ConnectorAccount, posts: [MetricPostRef], context: ConnectorContext) async -> MetricPullResult {
        var result = MetricPullResult()
        for post in posts {
            switch await get("/arcopen/fn/data/arc/stat?" + FormEncoding.encode([("resource_id", post.platformPostID)]), account: account, context: context) {
            case .failure(let failure) where failure.kind == .permanent:
                result.fail(Self.arcFields.fields.map(\.key), .endpointFailed, endpoint: "data/arc/stat", detail: "\(post.platformPostID): \(failure.detail)")
            case .failure(let failure):
                result.failure = failure
                return result
            case .success(let (data, body)):
                let index = result.keep("data/arc/stat", body)
                result.posts.append(PostSnapshotValues(platformPostID: post.platformPostID, title: (data["title"] as? String) ?? "",
                                                       values: Self.arcFields.read(data, endpoint: "data/arc/stat", into: &result), payload: index))
            }
        }
        return result
    }

    /// One signed GET (the body is empty, so its MD5 is the empty string's).
    func get(_ pathAndQuery: String, account: ConnectorAccount, context: ConnectorContext) async -> Result<([String: Any], String), PullFailure> {
        guard let token = account.secrets["access_token"], !token.isEmpty else { return .failure(PullFailure(.auth, "missing_credential: access_token")) }
        guard let secret = account.secrets["client_secret"], !secret.isEmpty else { return .failure(PullFailure(.auth, "missing_credential: client_secret")) }
        await context.log.redact([token, secret])
        let clientID = account.fields["client_id"].flatMap { $0.isEmpty ? nil : $0 } ?? account.handle
        let signed = BilibiliSignature.headers(clientID: clientID, secret: secret, body: Data(), timestamp: String(Int(context.now().timeIntervalSince1970)),
                                               nonce: UUID().uuidString)
        let request = OutboundRequest(method: "GET", url: context.endpoints.base(.bilibili) + pathAndQuery,
                                      headers: signed + [("access-token", token), ("Accept", "application/json")])
        switch await MetricCall.send(request, context: context) {
        case .failure(let failure): return .failure(failure)
        case .success(let response):
            guard let json = response.json, let code = JSONLenient.int(json["code"]) else {
                return .failure(MetricCall.status(response) ?? PullFailure(.transient, "unreadable answer"))
            }
            let detail = "bilibili_\(code): \((json["message"] as? String) ?? "")"
            switch code {
            case 0: return .success(((json["data"] as? [String: Any]) ?? [:], response.text))
            case _ where Self.authErrors.contains(code): return .failure(PullFailure(.auth, detail))
            case _ where Self.rateErrors.contains(code): return .failure(PullFailure(.rateLimited, detail, retryAfter: Self.rateWait))
            case -500, -503: return .failure(PullFailure(.transient, detail))
            default: return .failure(PullFailure(.permanent, detail))
            }
        }
    }
}
