import Foundation
import Hummingbird
import MediaOpsDomain

/// X public metrics: `GET /2/users/me?user.fields=public_metrics` (followers
/// seeded by the token) and `GET /2/tweets?ids=…&tweet.fields=public_metrics`
/// (1–100 ids, else 400; ids containing "deleted" come back in `errors`, as
/// X reports missing posts). Scenario calls: "users/me", "tweets/lookup".
struct SandboxXMetrics: SandboxPlatform {
    func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        router.get("/2/users/me") { request, _ -> Response in
            let (token, scenario, refusal) = await SandboxX.gate(request, call: "users/me", state: state)
            if let refusal { return refusal }
            let user = await SandboxX.user(for: token, state: state)
            let metrics: [String: Any] = ["followers_count": SandboxMetrics.followersTotal(token, SandboxMetrics.today(await state.now)),
                                          "following_count": 300, "tweet_count": 1_200, "listed_count": 12]
            return try SandboxServer.json(SandboxMetrics.apply(scenario, to: ["data": ["id": user, "username": "sandbox_\(user)", "public_metrics": metrics]]))
        }
        router.get("/2/tweets") { request, _ -> Response in
            let (_, scenario, refusal) = await SandboxX.gate(request, call: "tweets/lookup", state: state)
            if let refusal { return refusal }
            let ids = (request.uri.queryParameters.get("ids").map { String($0) } ?? "").split(separator: ",").map(String.init).filter { !$0.isEmpty }
            guard (1...100).contains(ids.count) else {
                return try SandboxX.problem(400, title: "Invalid Request", detail: "The `ids` query parameter value must contain between 1 and 100 ids")
            }
            let days = SandboxMetrics.liveDays(on: SandboxMetrics.today(await state.now))
            let found = ids.filter { !$0.contains("deleted") }
            var answer: [String: Any] = ["data": found.map { ["id": $0, "text": "sandbox post", "edit_history_tweet_ids": [$0], "public_metrics": SandboxMetrics.xMetrics($0, days: days)] }]
            let missing = ids.filter { $0.contains("deleted") }
            if !missing.isEmpty {
                answer["errors"] = missing.map { ["value": $0, "detail": "Could not find tweet with ids: [\($0)].", "title": "Not Found Error", "resource_type": "tweet",
                                                  "parameter": "ids", "resource_id": $0, "type": "https://api.twitter.com/2/problems/resource-not-found"] }
            }
            return try SandboxServer.json(SandboxMetrics.apply(scenario, to: answer))
        }
    }
}

extension SandboxMetrics {
    public static func xMetrics(_ id: String, days: Int) -> [String: Any] {
        ["retweet_count": post(id, "retweet", days: days, per: 0...20), "reply_count": post(id, "reply", days: days, per: 0...15),
         "like_count": post(id, "like", days: days, per: 5...150), "quote_count": post(id, "quote", days: days, per: 0...5),
         "bookmark_count": post(id, "bookmark", days: days, per: 0...10), "impression_count": post(id, "impression", days: days, per: 200...6_000)]
    }

    /// The sandbox Mastodon account behind a token (numbers are seeded by it).
    public static func mastodonOwner(token: String) -> String { SandboxMastodon.owner(of: token) }

    public static func mastodonCounts(_ id: String, days: Int) -> [String: Int] {
        ["replies_count": post(id, "replies", days: days, per: 0...10), "reblogs_count": post(id, "reblogs", days: days, per: 0...25),
         "favourites_count": post(id, "favourites", days: days, per: 1...60)]
    }
}
