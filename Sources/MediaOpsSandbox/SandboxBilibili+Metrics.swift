import Foundation
import Hummingbird
import MediaOpsDomain

/// B站 data service imitation: signed `GET /arcopen/fn/data/user/stat` and
/// `GET /arcopen/fn/data/arc/stat?resource_id=`, checked like every
/// open-platform call (signature -3, token -101/-401, rate limit -509).
/// Numbers are seeded by the access token (the account) and the video id;
/// an id containing "deleted" answers -404. Scenario calls: "data/user/stat", "data/arc/stat".
struct SandboxBilibiliMetrics: SandboxPlatform {
    func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        router.get("/arcopen/fn/data/user/stat") { request, _ -> Response in
            let scenario = await state.take(platform: SandboxBilibili.platform, call: "data/user/stat")
            if let refusal = try await Self.gate(request, scenario: scenario, state: state) { return refusal }
            let token = request.headers[.init("access-token")!] ?? ""
            let stat: [String: Any] = ["following": 88, "follower": SandboxMetrics.followersTotal(token, SandboxMetrics.today(await state.now)),
                                       "arc_passed_total": 42]
            return try SandboxBilibili.answer(0, "0", data: SandboxMetrics.apply(scenario, to: stat))
        }
        router.get("/arcopen/fn/data/arc/stat") { request, _ -> Response in
            let scenario = await state.take(platform: SandboxBilibili.platform, call: "data/arc/stat")
            if let refusal = try await Self.gate(request, scenario: scenario, state: state) { return refusal }
            let id = request.uri.queryParameters.get("resource_id").map { String($0) } ?? ""
            guard !id.isEmpty, !id.contains("deleted") else { return try SandboxBilibili.answer(-404, "啥都木有") }
            let days = SandboxMetrics.liveDays(on: SandboxMetrics.today(await state.now))
            return try SandboxBilibili.answer(0, "0", data: SandboxMetrics.apply(scenario, to: SandboxMetrics.bilibiliArc(id, days: days)))
        }
    }

    static func gate(_ request: Request, scenario: Scenario?, state: SandboxState) async throws -> Response? {
        let token = request.headers[.init("access-token")!] ?? ""
        switch scenario?.kind {
        case .unavailable?: return Response(status: .serviceUnavailable)
        case .rateLimit?: return try SandboxBilibili.answer(-509, "请求过于频繁，请稍后再试")
        case .error?: return try SandboxBilibili.answer(scenario?.code ?? -500, "沙盒错误")
        default: break
        }
        if let refusal = await SandboxBilibili.verify(request, body: Data(), state: state) { return try SandboxBilibili.answer(-3, "签名错误: \(refusal)") }
        let marked = await state.get("bilibili-token", token) == "expired"
        if token.isEmpty || token == "expired" || marked { return try SandboxBilibili.answer(-101, "账号未登录") }
        if token == "revoked" { return try SandboxBilibili.answer(-401, "非法访问") }
        return nil
    }
}

extension SandboxMetrics {
    /// A B站 video's counters after `days` days.
    public static func bilibiliArc(_ id: String, days: Int) -> [String: Any] {
        ["title": "沙盒视频 \(id)", "view": post(id, "view", days: days, per: 300...5_000), "danmaku": post(id, "danmaku", days: days, per: 1...40),
         "reply": post(id, "reply", days: days, per: 1...30), "favorite": post(id, "favorite", days: days, per: 2...60),
         "coin": post(id, "coin", days: days, per: 1...50), "share": post(id, "share", days: days, per: 1...20), "like": post(id, "like", days: days, per: 10...300)]
    }
}
