import Foundation
import MediaOpsDomain
import MediaOpsStore

/// The demo's reports: last week's 周报 of the whole workspace, issued by the
/// analyst 吴佳 with her summary and recommendations, and the schedule that
/// issues the next one every Monday at 09:00.
enum DemoReports {
    static let analystEmail = "wujia@mediaops.local"

    /// The analyst's words, written from the report's own numbers so they agree with the page.
    static func summary(_ snapshot: ReportSnapshot) -> String {
        let current = snapshot.current, previous = snapshot.previous
        func wan(_ value: Double) -> String {
            abs(value) >= 10_000 ? String(format: "%.1f 万", value / 10_000) : String(Int(value.rounded()))
        }
        var lines: [String] = []
        if let net = current.followersNet, let followers = current.followers {
            lines.append("上周矩阵粉丝净增 \(wan(net))，总粉丝约 \(wan(followers))\(previous.followersNet.map { net >= $0 ? "，增速比前一周快" : "，增速比前一周慢" } ?? "")。")
        }
        if let consumption = current.consumption, let before = previous.consumption, before > 0 {
            let change = (consumption - before) / before * 100
            var parts: [String] = []
            for (name, now, then) in [("图文阅读", current.reads, previous.reads), ("视频播放", current.plays, previous.plays)] {
                guard let now, let then, then > 0 else { continue }
                let delta = (now - then) / then * 100
                parts.append("\(name)\(delta >= 0 ? "涨" : "跌")了 \(String(format: "%.1f", abs(delta)))%")
            }
            lines.append("阅读和播放合计 \(wan(consumption))，比前一周\(change >= 0 ? "多" : "少")了 \(String(format: "%.1f", abs(change)))%"
                         + (parts.isEmpty ? "。" : "，其中" + parts.joined(separator: "，") + "。"))
        }
        if let rate = current.engagementRate {
            lines.append("整体互动率 \(String(format: "%.1f", rate * 100))%\(previous.engagementRate.map { rate >= $0 ? "，略有提升" : "，稍有回落" } ?? "")。")
        }
        if let top = snapshot.topPosts.first {
            lines.append("表现最好的是\(top.accountName)的「\(top.title)」，说明这类选题值得继续做。")
        }
        if snapshot.alertTotal > 0 { lines.append("本周触发了 \(snapshot.alertTotal) 条预警，已逐条核对。") }
        return lines.joined(separator: "\n")
    }

    static let recommendations = """
        1. 抖音和视频号周末至少各保留一条更新，避免播放量断档。
        2. 小红书继续做“冷泡指南”这类收藏型笔记，每周两篇。
        3. 公众号推送保持 20:00，下周试一次 21:00，用显著性检验看两组阅读有没有差别。
        """

    static func load(database: Database, now: Date = Date()) async throws {
        guard let analyst = try await MemberRepository(database.sql).find(email: analystEmail) else { return }
        let principal = Principal(memberID: analyst.id, name: analyst.name, roleKeys: analyst.roleKeys,
                                  permissions: BuiltinRole.analyst.permissions)
        let reports = ReportService(database: database)
        let today = try await reports.today().day
        let report = try await reports.issue(kind: .weekly, scope: .workspace, period: ReportKind.weekly.latestPeriod(today: today), by: principal, now: now)
        _ = try await reports.updateText(id: report.id, summary: summary(report.snapshot), recommendations: recommendations, by: principal, now: now)
        _ = try await reports.createSchedule(ReportSchedule(id: "", kind: .weekly, scope: .workspace, weekday: 1, hour: 9, minute: 0), by: principal, now: now)
    }
}
