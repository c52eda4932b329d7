import Foundation
import Hummingbird
import MediaOpsDomain

/// 微博 statistics: `GET /2/users/show.json?uid=` (the live follower count of
/// `uid` on the sandbox's Beijing day) and `GET /2/statuses/count.json?ids=`
/// — more than 100 ids is 10017; ids containing "deleted" are silently left
/// out, as Weibo drops deleted posts. Counts grow each sandbox day.
/// Scenario calls: "users/show", "statuses/count".
struct SandboxWeiboMetrics: SandboxPlatform {
    static let maxIDs = 100

    func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        router.get("/2/users/show.json") { request, _ -> Response in
            let scenario = await state.take(platform: SandboxWeibo.platform, call: "users/show")
            if let refusal = try await Self.gate(request, scenario: scenario, path: "/2/users/show.json", state: state) { return refusal }
            let uid = request.uri.queryParameters.get("uid").map { String($0) } ?? ""
            guard !uid.isEmpty else { return try Self.error(10016, detail: "uid", path: "/2/users/show.json") }
            let today = SandboxMetrics.today(await state.now)
            let answer: [String: Any] = ["id": Int(uid) ?? 0, "idstr": uid, "screen_name": "sandbox_\(uid)",
                                         "followers_count": SandboxMetrics.followersTotal(uid, today), "friends_count": 120,
                                         "statuses_count": SandboxMetrics.liveDays(on: today)]
            return try SandboxServer.json(SandboxMetrics.apply(scenario, to: answer))
        }
        router.get("/2/statuses/count.json") { request, _ -> Response in
            let scenario = await state.take(platform: SandboxWeibo.platform, call: "statuses/count")
            if let refusal = try await Self.gate(request, scenario: scenario, path: "/2/statuses/count.json", state: state) { return refusal }
            let ids = (request.uri.queryParameters.get("ids").map { String($0) } ?? "").split(separator: ",").map(String.init).filter { !$0.isEmpty }
            guard !ids.isEmpty else { return try Self.error(10016, detail: "ids", path: "/2/statuses/count.json") }
            guard ids.count <= Self.maxIDs else { return try Self.error(10017, detail: "ids", path: "/2/statuses/count.json") }
            let days = SandboxMetrics.liveDays(on: SandboxMetrics.today(await state.now))
            let rows: [[String: Any]] = ids.filter { !$0.contains("deleted") }.map { id in
                SandboxMetrics.apply(scenario, to: ["id": Int64(id) ?? 0, "idstr": id, "comments": SandboxMetrics.weiboCount(id, "comments", days: days),
                                                    "reposts": SandboxMetrics.weiboCount(id, "reposts", days: days),
                                                    "attitudes": SandboxMetrics.weiboCount(id, "attitudes", days: days)])
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys])
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: .init(bytes: data)))
        }
    }

    static func gate(_ request: Request, scenario: Scenario?, path: String, state: SandboxState) async throws -> Response? {
        let token = request.uri.queryParameters.get("access_token").map { String($0) } ?? SandboxWeibo.headerToken(request) ?? ""
        switch scenario?.kind {
        case .unavailable?: return Response(status: .serviceUnavailable)
        case .rateLimit?: return try error(10023, status: .forbidden, path: path)
        case .error?: return try error(scenario?.code ?? 10001, path: path)
        default: break
        }
        guard !token.isEmpty else { return try error(21301, status: .unauthorized, path: path) }
        let marked = await state.get("weibo-token", token) == "expired"
        if token == "expired" || token == "revoked" || marked {
            return try error(token == "revoked" ? 21332 : 21327, status: .unauthorized, path: path)
        }
        return nil
    }

    static func error(_ code: Int, detail: String = "", status: HTTPResponse.Status = .badRequest, path: String) throws -> Response {
        let message = (SandboxWeibo.messages[code] ?? "Sandbox error").replacingOccurrences(of: "%s", with: detail)
        return try SandboxServer.json(["request": path, "error_code": code, "error": message], status: status)
    }
}

extension SandboxMetrics {
    /// A Weibo post's comments / reposts / attitudes after `days` days.
    public static func weiboCount(_ id: String, _ metric: String, days: Int) -> Int {
        post(id, metric, days: days, per: metric == "attitudes" ? 10...200 : 1...40)
    }
}
