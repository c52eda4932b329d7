import Foundation
import Hummingbird
import MediaOpsDomain

/// 抖音 data imitation: `GET /data/external/user/<kind>/?open_id=&date_type=`
/// (7, 15 or 30, else 2100005) answers one row per day of the window ending
/// yesterday — yesterday only from 10:00 Beijing — and `GET
/// /data/external/item/base/?open_id=&item_id=` answers a video's totals;
/// a video the sandbox published more than 30 days ago (sandbox clock) gets
/// 2100005. `like` numbers come as strings, as one SDK types them.
/// Scenario calls: "data/user/<kind>", "data/item/base".
struct SandboxDouyinMetrics: SandboxPlatform {
    static let kinds = ["fans", "item", "like", "comment", "share", "profile"]

    func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        for kind in Self.kinds {
            router.get(RouterPath("/data/external/user/\(kind)/")) { request, _ -> Response in
                let scenario = await state.take(platform: SandboxDouyin.platform, call: "data/user/\(kind)")
                if let early = try await SandboxDouyin.gate(request, scenario: scenario, state: state) { return early }
                let openID = request.uri.queryParameters.get("open_id").map { String($0) } ?? ""
                guard let dateType = request.uri.queryParameters.get("date_type").flatMap({ Int($0) }), [7, 15, 30].contains(dateType) else {
                    return try await SandboxDouyin.envelope(2_100_005, "参数不合法: date_type", state: state)
                }
                let now = await state.now
                let yesterday = SandboxMetrics.today(now).adding(days: -1)
                let latest = PullSchedule.latestAvailableDay(platform: .douyin, workspaceZone: PullSchedule.beijing, now: now)
                var rows: [[String: Any]] = []
                for offset in stride(from: dateType - 1, through: 0, by: -1) {
                    let day = yesterday.adding(days: -offset)
                    guard day <= latest else { continue }
                    rows.append(SandboxMetrics.apply(scenario, to: SandboxMetrics.douyinRow(kind, openID: openID, day: day)))
                }
                return try await SandboxDouyin.envelope(0, "", data: ["result_list": rows], state: state)
            }
        }
        router.get("/data/external/item/base/") { request, _ -> Response in
            let scenario = await state.take(platform: SandboxDouyin.platform, call: "data/item/base")
            if let early = try await SandboxDouyin.gate(request, scenario: scenario, state: state) { return early }
            let itemID = request.uri.queryParameters.get("item_id").map { String($0) } ?? ""
            guard !itemID.isEmpty else { return try await SandboxDouyin.envelope(2_100_005, "参数不合法: item_id", state: state) }
            let now = await state.now
            var days = SandboxMetrics.liveDays(on: SandboxMetrics.today(now))
            if let stored = await state.get("douyin-item", itemID), let created = stored.split(separator: "|").dropFirst().first.flatMap({ TimeInterval(String($0)) }) {
                let age = now.timeIntervalSince1970 - created
                guard age <= 30 * 86_400 else { return try await SandboxDouyin.envelope(2_100_005, "参数不合法: 仅支持查询30天内创建的视频", state: state) }
                days = Int(age / 86_400) + 1
            }
            let totals = SandboxMetrics.apply(scenario, to: SandboxMetrics.douyinItem(itemID, days: days))
            return try await SandboxDouyin.envelope(0, "", data: ["result": totals], state: state)
        }
    }
}

extension SandboxMetrics {
    /// One day's row of a Douyin account data kind.
    public static func douyinRow(_ kind: String, openID: String, day: LocalDate) -> [String: Any] {
        let date = day.description
        switch kind {
        case "fans": return ["date": date, "total_fans": followersTotal(openID, day), "new_fans": followersNew(openID, day) - followersLost(openID, day)]
        case "item": return ["date": date, "new_issue": daily(openID, day, "new_issue", 0...2), "new_play": daily(openID, day, "new_play", 1_000...20_000),
                             "total_issue": 100]
        case "like": return ["date": date, "new_like": String(daily(openID, day, "new_like", 50...900))]
        case "comment": return ["date": date, "new_comment": daily(openID, day, "new_comment", 5...120)]
        case "share": return ["date": date, "new_share": daily(openID, day, "new_share", 2...80)]
        default: return ["date": date, "profile_uv": daily(openID, day, "profile_uv", 30...600)]
        }
    }

    /// A Douyin video's totals after `days` days live.
    public static func douyinItem(_ itemID: String, days: Int) -> [String: Any] {
        ["total_play": post(itemID, "play", days: days, per: 500...9_000), "total_like": post(itemID, "like", days: days, per: 20...600),
         "total_comment": post(itemID, "comment", days: days, per: 1...50), "total_share": post(itemID, "share", days: days, per: 1...60),
         "avg_play_duration": number([itemID, "duration"], 5...60)]
    }
}
