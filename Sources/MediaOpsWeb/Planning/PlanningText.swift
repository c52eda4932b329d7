import Foundation
import MediaOpsDomain
import MediaOpsStore

/// How the 规划 room writes its values: reasons as sentences, numbers as the
/// analytics pages do (5万 / 50K with the exact value on hover), months in the
/// reader's language, and the position profiles' catalog defaults.
enum PlanningText {
    static func reason(_ reason: PlanningReason, _ t: Localizer, prefix: String) -> String {
        var params = reason.params
        for (key, value) in params {
            // Numbers as everywhere else: 5万 / 50K, 2,917, 19.4.
            if let figure = Double(value), figure.isFinite { params[key] = number(figure, t) }
            if ["deadline", "start", "forecast_day"].contains(key), let day = LocalDate(value) { params[key] = t.day(day) }
        }
        return t.t("\(prefix).\(reason.code)", params)
    }

    static func goalReason(_ progress: GoalProgress, _ t: Localizer) -> String { reason(progress.reason, t, prefix: "goals.reason") }

    static func roleReason(_ reason: PlanningReason, role: PlannedRole, _ t: Localizer) -> String {
        var params = reason.params
        params["role"] = roleName(role.builtinRole, t)
        return self.reason(PlanningReason(reason.code, params), t, prefix: "planner.reason")
    }

    /// The position's title as a job advert writes it (新媒体运营专员), which can differ from the permission role's short name (用户运营).
    static func roleName(_ role: BuiltinRole, _ t: Localizer) -> String { t.optional("position_title.\(role.rawValue)") ?? t.t("role.\(role.rawValue).name") }

    static func status(_ status: GoalStatus, _ t: Localizer) -> String { t.t("goals.status_\(status.rawValue)") }

    /// The status chip's class: the words say it, the colour only repeats it.
    static func statusClass(_ status: GoalStatus) -> String {
        switch status {
        case .achieved, .onTrack: "status-ok"
        case .atRisk, .upcoming, .noData: "status-warn"
        case .behind: "status-error"
        }
    }

    static func metric(_ metric: GoalMetric, _ t: Localizer) -> String { t.t("goals.metric_\(metric.rawValue)") }

    /// What the goal counts, as its pages say it: the metric, or the funnel stage by name.
    static func unit(_ goal: Goal, _ t: Localizer) -> String {
        guard goal.metric == .funnelStage else { return metric(goal.metric, t) }
        return goal.funnelStage?.stageName ?? t.t("goals.funnel_stage_gone")
    }

    /// A funnel stage with its funnel: 私信咨询（获客漏斗）.
    static func funnelStage(_ stage: GoalFunnelStage, _ t: Localizer) -> String {
        guard let name = stage.stageName else { return t.t("goals.funnel_stage_gone") }
        return t.t("goals.funnel_stage_label", ["stage": name, "funnel": stage.funnelName ?? ""])
    }

    static func month(_ month: YearMonth, _ t: Localizer) -> String {
        t.t("planner.month", ["year": String(month.year), "month": String(month.month)])
    }

    /// 5万 / 50K from ten thousand, whole and grouped from a hundred (2,917), one decimal below (19.4).
    static func number(_ value: Double, _ t: Localizer) -> String {
        guard value.isFinite else { return "—" }
        if abs(value) >= 10_000 { return t.count(Int(value.rounded())) }
        if abs(value) >= 100 || value.rounded() == value { return t.grouped(Int(value.rounded())) }
        var text = FixedDecimal.text(value, digits: 1)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    static func exact(_ value: Double, _ t: Localizer) -> String {
        value.rounded() == value && abs(value) < 1e15 ? t.grouped(Int(value)) : FixedDecimal.text(value, digits: 2)
    }

    static func percent(_ fraction: Double) -> String { FixedDecimal.text(fraction * 100, digits: 0) + "%" }

    static func parameterValue(_ parameter: PlannerParameter, _ value: Double) -> String {
        parameter.unit == .share ? PlanningNumber.text(value * 100) : PlanningNumber.text(value)
    }

    /// A profile with the catalog's default where the workspace has not edited it.
    static func profile(_ role: BuiltinRole, edited: PositionProfile?, _ t: Localizer) -> PositionProfile {
        if let edited { return edited }
        return PositionProfile(role: role, duties: t.t("profile.\(role.rawValue).duties"), requirements: t.t("profile.\(role.rawValue).requirements"),
                               kpis: t.t("profile.\(role.rawValue).kpis"), worksWith: t.t("profile.\(role.rawValue).works_with"), isEdited: false)
    }

    /// Paragraphs of a profile's text, one per line typed.
    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
