import Foundation
import MediaOpsDomain

/// A report told briefly in the workspace's language: its title ("青禾茶饮 周报
/// 2026年11月30日 – 2026年12月6日") and its headline figures in one line, for
/// robots, webhooks and the history list.
public enum ReportSentence {
    public static func kindName(_ kind: ReportKind, t: Localizer) -> String { t.t("reports.kind.\(kind.rawValue)") }

    public static func periodText(_ period: ReportPeriod, t: Localizer) -> String {
        period.from == period.to ? t.day(period.from) : t.t("reports.period_range", ["from": t.day(period.from), "to": t.day(period.to)])
    }

    public static func title(_ report: Report, t: Localizer) -> String {
        t.t("reports.title", ["scope": scopeName(report, t: t), "kind": kindName(report.kind, t: t), "period": periodText(report.period, t: t)])
    }

    static func scopeName(_ report: Report, t: Localizer) -> String {
        report.scope == .workspace && report.snapshot.scopeName.isEmpty ? t.t("reports.scope.workspace") : report.snapshot.scopeName
    }

    /// "粉丝 3.6万（净增 +420）· 阅读/播放 12.3万（▲ +8.1%）· 互动率 4.2%（▼ 0.3 个百分点）".
    public static func headline(_ snapshot: ReportSnapshot, t: Localizer) -> String {
        let current = snapshot.current, previous = snapshot.previous
        func count(_ value: Double?) -> String { value.map { t.count(Int($0.rounded())) } ?? "—" }
        func signed(_ value: Double?) -> String {
            guard let value else { return "—" }
            let rounded = Int(value.rounded())
            return (rounded > 0 ? "+" : "") + t.count(rounded)
        }
        func change(_ now: Double?, _ before: Double?) -> String {
            guard let now, let before, before != 0 else { return t.t("reports.robot.no_comparison") }
            let ratio = (now - before) / abs(before)
            if abs(ratio) < 0.0005 { return "→ " + t.t("analytics.flat") }
            return (ratio > 0 ? "▲ +" : "▼ ") + FixedDecimal.text(ratio * 100, digits: 1) + "%"
        }
        func points(_ now: Double?, _ before: Double?) -> String {
            guard let now, let before else { return t.t("reports.robot.no_comparison") }
            let points = (now - before) * 100
            if abs(points) < 0.05 { return "→ " + t.t("analytics.flat") }
            return (points > 0 ? "▲ +" : "▼ ") + t.t("analytics.points", ["value": FixedDecimal.text(points, digits: 1)])
        }
        return t.t("reports.robot.headline", [
            "followers": count(current.followers), "net": signed(current.followersNet),
            "posts": String(current.posts), "consumption": count(current.consumption), "consumption_change": change(current.consumption, previous.consumption),
            "rate": current.engagementRate.map { FixedDecimal.text($0 * 100, digits: 1) + "%" } ?? "—",
            "rate_change": points(current.engagementRate, previous.engagementRate),
            "alerts": String(snapshot.alertTotal),
        ])
    }
}
