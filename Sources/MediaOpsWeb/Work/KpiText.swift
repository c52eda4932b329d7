import Foundation
import MediaOpsDomain

/// How KPIs, their values and reviews read in the reader's language: names,
/// formulas, units and states come from the catalogs (`kpis.*`, `scorecards.*`, `reviews.*`).
struct KpiText {
    let t: Localizer

    func name(_ definition: KpiDefinition) -> String { definition.name ?? t.t("kpis.source.\(definition.source.rawValue).name") }
    func name(_ line: ScorecardLine) -> String { line.name ?? t.t("kpis.source.\(line.source.rawValue).name") }

    /// The formula in a sentence, parameters filled in.
    func formula(_ definition: KpiDefinition) -> String {
        let parameters = definition.parameters.normalized(for: definition.source)
        var text = t.t("kpis.source.\(definition.source.rawValue).formula", [
            "lead": String(parameters.leadHours ?? KpiParameters.defaultLeadHours),
            "grace": String(parameters.graceHours ?? KpiParameters.defaultGraceHours),
        ])
        if let platform = parameters.platform { text += " " + t.t("kpis.only_platform", ["platform": t.platformName(platform)]) }
        return text
    }

    func source(_ source: KpiSource) -> String { t.t("kpis.source.\(source.rawValue).name") }
    func unit(_ unit: KpiUnit) -> String { t.t("kpis.unit.\(unit.rawValue)") }
    func direction(_ direction: KpiDirection) -> String { t.t("kpis.direction.\(direction.rawValue)") }
    func periodKind(_ kind: KpiPeriodKind) -> String { t.t("kpis.period_kind.\(kind.rawValue)") }

    func role(_ key: String?, roles: [Role]) -> String {
        guard let key else { return t.t("kpis.everyone") }
        return roles.first { $0.key == key }.map(t.roleName) ?? key
    }

    /// A value in its unit: counts as 万/K, percentages and hours with one decimal.
    func value(_ value: Double?, unit: KpiUnit) -> String {
        guard let value, value.isFinite else { return "—" }
        switch unit {
        case .count: return t.count(Int(value.rounded()))
        case .percent: return FixedDecimal.text(value, digits: 1) + "%"
        case .hours: return t.t("kpis.hours_value", ["value": FixedDecimal.text(value, digits: 1)])
        }
    }

    /// The exact value (for the hover title of a 万/K count).
    func exact(_ value: Double?, unit: KpiUnit) -> String {
        guard let value, value.isFinite else { return "" }
        return unit == .count ? t.grouped(Int(value.rounded())) : self.value(value, unit: unit)
    }

    func achievement(_ value: Double?) -> String {
        guard let value else { return "—" }
        return FixedDecimal.text(value * 100, digits: 1) + "%"
    }

    func score(_ value: Double?) -> String {
        guard let value else { return "—" }
        return FixedDecimal.text(value, digits: 1)
    }

    func period(_ period: KpiPeriod) -> String {
        switch period.kind {
        case .month: t.t("kpis.period_month", ["year": String(period.year),
                                                "month": t.locale == .zhHans ? String(period.index) : Self.monthNames[period.index - 1]])
        case .quarter: t.t("kpis.period_quarter", ["year": String(period.year), "quarter": String(period.index)])
        }
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    func unavailable(_ reason: KpiUnavailable?) -> String? { reason.map { t.t("scorecards.unavailable.\($0.rawValue)") } }

    func state(_ state: PerformanceReviewState?) -> String { t.t("reviews.state.\(state?.rawValue ?? "not_started")") }

    func rating(_ rating: PerformanceRating?) -> String {
        guard let rating else { return "—" }
        return t.t("reviews.rating.\(rating.rawValue).name")
    }
}
