import Foundation
import MediaOpsDomain

/// An alert told in a sentence of the workspace's language, for robots and
/// webhooks ("11月30日 净增粉丝为 -612，低于预警线 -500。"), and a rule's name
/// (a preset's from the catalog, with the rule's own numbers).
public enum AlertSentence {
    public static func ruleName(_ rule: AlertRule, t: Localizer) -> String {
        if !rule.name.isEmpty { return rule.name }
        if let preset = rule.preset {
            // A name reads "20%", not "20.0%".
            let bound = rule.bound.map { value(abs($0), rule.metric, t).replacingOccurrences(of: ".0%", with: "%") } ?? "—"
            return t.t("analytics.alert.preset_\(preset.rawValue)", ["bound": bound])
        }
        return t.t("analytics.alert.kind_\(rule.kind.rawValue)")
    }

    static func metricName(_ metric: AlertMetric?, t: Localizer) -> String {
        switch metric {
        case .stored(let key): t.t("metric.\(key.rawValue)")
        case .derived(let derived): t.t("analytics.derived.\(derived.rawValue)")
        case .consumption: t.t("analytics.alert.consumption")
        case nil: t.t("analytics.alert.funnel_drop_off")
        }
    }

    /// A number in the metric's unit; a rate of change as a signed percentage.
    /// A funnel's drop-off (no metric) is a rate.
    static func value(_ number: Double, _ metric: AlertMetric?, _ t: Localizer) -> String {
        AnalyticsController.format(number, unit: metric?.unit ?? .fraction, t, exact: true)
    }

    static func change(_ fraction: Double) -> String {
        (fraction > 0 ? "+" : "") + FixedDecimal.text(fraction * 100, digits: 1) + "%"
    }

    public static func sentence(_ alert: Alert, rule: AlertRule, t: Localizer) -> String {
        let evidence = alert.evidence
        let metric = rule.metric
        var params: [String: String] = ["metric": metricName(metric, t: t)]
        switch alert.occasion {
        case .day(let day): params["when"] = t.day(day)
        case .post: params["when"] = t.t("analytics.alert.post_24h")
        }
        if let observed = evidence.observed { params["observed"] = value(observed, metric, t) }
        if let bound = evidence.bound ?? rule.bound { params["bound"] = value(bound, metric, t) }
        if let baseline = evidence.baseline { params["baseline"] = value(baseline, metric, t) }
        if let previous = evidence.previous { params["previous"] = value(previous, metric, t) }
        if let lower = evidence.lower { params["lower"] = value(lower, metric, t) }
        if let upper = evidence.upper { params["upper"] = value(upper, metric, t) }
        if let percentile = evidence.percentileValue { params["percentile_value"] = value(percentile, metric, t) }
        params["percentile"] = evidence.percentile.map { String(Int($0.rounded())) } ?? "25"
        params["count"] = String(evidence.baselineCount ?? evidence.historyCount ?? 0)
        switch rule.kind {
        case .relativeToBaseline, .funnelDropOff:
            params["change"] = evidence.change.map(change) ?? "—"
            params["bound"] = rule.bound.map(change) ?? "—"
        case .dayOverDayChange:
            params["change"] = evidence.change.map { ($0 > 0 ? "+" : "") + value($0, metric, t) } ?? "—"
        default:
            break
        }
        let comparison = rule.comparison == .above ? "above" : (rule.comparison == .below ? "below" : "either")
        let sentence = t.t("analytics.alert.sentence_\(rule.kind.rawValue)_\(comparison)", params)
        // English sentences may open with a metric's name ("reads or plays …").
        guard let first = sentence.first, first.isLowercase else { return sentence }
        return first.uppercased() + sentence.dropFirst()
    }
}
