import Foundation
import MediaOpsDomain

struct AlertRulesPage {
    struct Row {
        var name: String
        var href: String
        var kind: String
        var metric: String
        var scope: String
        var condition: String
        var activeAlerts: String
        var hasActiveAlerts: Bool
        var alertsHref: String
        var enabled: Bool
        var enabledLabel: String
        var toggleAction: String
        var toggleValue: String
        var toggleLabel: String
        var isPreset: Bool
    }

    var rows: [Row]
    var canManage: Bool
    var newHref: String
    var alertsHref: String
}

/// The rule form: every field with its label, unit and the kinds it applies
/// to (the page's script shows only the chosen kind's fields; without the
/// script every field shows, each saying which kinds use it), and the
/// preview's answer when one was asked for.
struct AlertRuleFormPage {
    struct Option { var value: String; var label: String; var selected: Bool; var kinds: String }
    struct OptionGroup { var label: String; var options: [Option] }
    struct NumberField {
        var name: String
        var label: String
        var value: String
        var help: String
        var error: String?
        /// The kinds using the field, space-separated, for `data-kinds`.
        var kinds: String
        var required: Bool
        var inputMode: String
    }

    var isNew: Bool
    var action: String
    var editable: Bool
    var presetNote: String?
    var values: [String: String]
    var kinds: [Option]
    var kindHelp: [Option]
    var metricGroups: [OptionGroup]
    var metricKinds: String
    var scopeGroups: [OptionGroup]
    var comparisons: [Option]
    var seasonalities: [Option]
    var seasonalityKinds: String
    var numberFields: [NumberField]
    var enabled: Bool
    var errors: [String: String]
    var summary: String?
    var preview: Preview?
    var deleteAction: String?
    var alertsHref: String?
    var activeAlerts: String?

    init(rule: AlertRule?, values: [String: String], kinds: [AlertKind], currentKind: AlertKind, accounts: [Account], groups: [AccountGroup],
         errors: [String: String], summary: String?, preview: Preview?, editable: Bool, activeAlerts: Int, t: Localizer) {
        isNew = rule == nil
        action = rule.map { AnalyticsPath.alertRule(.value($0.id)).path } ?? AnalyticsPath.alertRules.path
        self.editable = editable
        presetNote = rule?.preset == nil ? nil : t.t("analytics.alert_rules.preset_note")
        self.values = values
        self.kinds = kinds.map { Option(value: $0.rawValue, label: t.t("analytics.alert.kind_\($0.rawValue)"), selected: $0 == currentKind, kinds: $0.rawValue) }
        kindHelp = kinds.map { Option(value: $0.rawValue, label: t.t("analytics.alert_rules.kind_help_\($0.rawValue)"), selected: $0 == currentKind, kinds: $0.rawValue) }
        let metric = values["metric"] ?? ""
        func metricOption(_ candidate: AlertMetric) -> Option {
            Option(value: candidate.key, label: AlertSentence.metricName(candidate, t: t), selected: candidate.key == metric,
                   kinds: AlertKind.allCases.filter { $0.allowedMetrics.contains(candidate) }.map(\.rawValue).joined(separator: " "))
        }
        metricGroups = [
            OptionGroup(label: t.t("analytics.alert_rules.metrics_common"),
                        options: [AlertMetric.stored(.followersNet), .stored(.followersTotal), .consumption, .derived(.engagement), .derived(.engagementRate), .derived(.readRate)].map(metricOption)),
            OptionGroup(label: t.t("analytics.alert_rules.metrics_all"),
                        options: MetricKey.allCases.filter { $0 != .followersNet && $0 != .followersTotal }.map { metricOption(.stored($0)) }),
        ]
        metricKinds = AlertKind.allCases.filter { $0.input != .funnelStage }.map(\.rawValue).joined(separator: " ")
        let scope = values["scope"] ?? AlertScope.Kind.allAccounts.rawValue
        scopeGroups = [
            OptionGroup(label: t.t("analytics.alert_rules.scope_whole"),
                        options: [Option(value: AlertScope.Kind.allAccounts.rawValue, label: t.t("analytics.alert_rules.scope_all"), selected: scope == "all_accounts", kinds: "")]),
            OptionGroup(label: t.t("analytics.alert_rules.scope_groups"),
                        options: groups.map { Option(value: "group:\($0.id)", label: $0.name, selected: scope == "group:\($0.id)", kinds: "") }),
            OptionGroup(label: t.t("analytics.alert_rules.scope_accounts"),
                        options: accounts.map { Option(value: "account:\($0.id)", label: "\($0.name) · \(t.platformShortName($0.platform))", selected: scope == "account:\($0.id)", kinds: "") }),
        ].filter { !$0.options.isEmpty }
        let comparison = values["comparison"] ?? ""
        comparisons = AlertComparison.allCases.map { candidate in
            Option(value: candidate.rawValue, label: t.t("analytics.alert_rules.comparison_\(candidate.rawValue)"), selected: candidate.rawValue == comparison,
                   kinds: AlertKind.allCases.filter { $0.comparisons.contains(candidate) }.map(\.rawValue).joined(separator: " "))
        }
        let seasonality = values["seasonality"] ?? ""
        seasonalities = AlertSeasonality.allCases.map {
            Option(value: $0.rawValue, label: t.t("analytics.alert_rules.seasonality_\($0.rawValue)"), selected: $0.rawValue == seasonality, kinds: "")
        }
        seasonalityKinds = AlertKind.allCases.filter(\.usesSeasonality).map(\.rawValue).joined(separator: " ")
        let chosenMetric = AlertMetric(key: metric)
        func kindsUsing(_ test: (AlertKind) -> Bool) -> String { AlertKind.allCases.filter(test).map(\.rawValue).joined(separator: " ") }
        func unit(_ field: String) -> String {
            switch AlertRuleForm.unit(field, kind: currentKind, metric: chosenMetric) {
            case .percent: "%"
            case .yuan: t.t("analytics.alert_rules.unit_yuan")
            case .plain: ""
            }
        }
        let specs: [(String, String, Bool)] = [
            ("bound", kindsUsing(\.usesBound), true),
            ("window", kindsUsing(\.usesHistory), true),
            ("minimum_history", kindsUsing(\.usesHistory), true),
            ("k", AlertKind.anomaly.rawValue, true),
            ("minimum_deviation", AlertKind.anomaly.rawValue, true),
            ("minimum_relative_deviation", AlertKind.anomaly.rawValue, true),
            ("percentile", AlertKind.postUnderperforming.rawValue, true),
            ("minimum_volume", AlertKind.funnelDropOff.rawValue, true),
            ("cooldown_hours", kindsUsing { _ in true }, true),
        ]
        numberFields = specs.map { name, kinds, required in
            let fixedUnit: String = switch name {
            case "window": t.t(currentKind == .postUnderperforming ? "analytics.alert_rules.unit_posts" : "analytics.alert_rules.unit_days")
            case "cooldown_hours": t.t("analytics.alert_rules.unit_hours")
            case "minimum_history": t.t(currentKind == .postUnderperforming ? "analytics.alert_rules.unit_posts" : "analytics.alert_rules.unit_values")
            case "k", "percentile", "minimum_volume": ""
            default: unit(name)
            }
            let label = fixedUnit.isEmpty ? t.t("field.\(name)") : t.t("analytics.alert_rules.with_unit", ["label": t.t("field.\(name)"), "unit": fixedUnit])
            return NumberField(name: name, label: label, value: values[name] ?? "", help: t.t("analytics.alert_rules.help_\(name)"),
                               error: errors[name], kinds: kinds, required: required,
                               inputMode: ["window", "minimum_history", "cooldown_hours"].contains(name) ? "numeric" : "decimal")
        }
        enabled = values["enabled"] == "on"
        self.errors = errors
        self.summary = summary
        self.preview = preview
        deleteAction = rule.map { AnalyticsPath.alertRuleDelete(.value($0.id)).path }
        alertsHref = rule.map { AnalyticsPath.alerts.query(["rule_id": $0.id, "state": "all"]) }
        self.activeAlerts = rule == nil ? nil : t.t("analytics.alert_rules.its_alerts_count", ["count": t.grouped(activeAlerts)])
    }

    /// A rule's settings as the form shows them.
    static func values(of rule: AlertRule, previewDays: Int) -> [String: String] {
        func shown(_ value: Double?, _ field: String) -> String { AlertRuleForm.display(value, field, kind: rule.kind, metric: rule.metric) }
        return [
            "name": rule.name, "kind": rule.kind.rawValue, "metric": rule.metric?.key ?? "",
            "scope": [rule.scope.kind.rawValue, rule.scope.id].compactMap { $0 }.joined(separator: ":"),
            "comparison": rule.comparison.rawValue, "bound": shown(rule.bound, "bound"), "window": String(rule.window),
            "seasonality": rule.seasonality.rawValue, "minimum_history": String(rule.minimumHistory), "k": shown(rule.k, "k"),
            "percentile": shown(rule.percentile, "percentile"), "minimum_deviation": shown(rule.minimumDeviation, "minimum_deviation"),
            "minimum_relative_deviation": shown(rule.minimumRelativeDeviation, "minimum_relative_deviation"),
            "minimum_volume": shown(rule.minimumVolume, "minimum_volume"), "cooldown_hours": String(rule.cooldownHours),
            "enabled": rule.enabled ? "on" : "", "days": String(previewDays),
        ]
    }

    /// What was typed, to show again beside the errors.
    static func values(_ form: FormData) -> [String: String] {
        var values: [String: String] = [:]
        for field in AlertRuleInput.fields + ["days"] where field != "enabled" { values[field] = form[field] ?? "" }
        values["enabled"] = form.has("enabled") ? "on" : ""
        return values
    }

    /// The rule's condition in a phrase: "低于 -500", "比前 7 天的中位数高出 20% 以上".
    static func condition(_ rule: AlertRule, t: Localizer) -> String {
        let bound: String = switch rule.kind {
        case .relativeToBaseline, .funnelDropOff: rule.bound.map { FixedDecimal.text(abs($0) * 100, digits: 1).replacingOccurrences(of: ".0", with: "") + "%" } ?? "—"
        default: rule.bound.map { AlertSentence.value(rule.comparison == .either ? abs($0) : $0, rule.metric, t) } ?? "—"
        }
        let params = ["bound": bound, "window": String(rule.window), "k": AlertRuleForm.display(rule.k, "k", kind: rule.kind, metric: rule.metric),
                      "percentile": AlertRuleForm.display(rule.percentile, "percentile", kind: rule.kind, metric: rule.metric),
                      "weekly": rule.kind.usesSeasonality && rule.seasonality == .weekly ? t.t("analytics.alert_rules.weekly_suffix") : ""]
        return t.t("analytics.alert_rules.condition_\(rule.kind.rawValue)_\(rule.comparison.rawValue)", params)
    }

    /// The metric and its condition: "净增粉丝低于 -500", "Net follower growth below -500".
    static func metricCondition(_ rule: AlertRule, t: Localizer) -> String {
        let text = t.t("analytics.alert_rules.metric_condition", ["metric": AlertSentence.metricName(rule.metric, t: t), "condition": condition(rule, t: t)])
        guard let first = text.first, first.isLowercase else { return text }
        return first.uppercased() + text.dropFirst()
    }

    /// "Would have fired 3 times: …" for the form.
    struct Preview {
        struct Row { var account: String; var when: String; var sentence: String }

        var headline: String
        var fired: Bool
        var rows: [Row]
        var more: String?
        var notes: [String]

        init(rule: AlertRule, result: [String: AlertPreview], through: LocalDate, days: Int, directory: AlertDirectory, t: Localizer) {
            let firings = AlertPreviewListing.firings(result, rule: rule)
            let judged = result.values.reduce(0) { $0 + $1.judged }
            let params = ["days": String(days), "through": t.day(through), "count": t.grouped(firings.count), "judged": t.grouped(judged),
                          "accounts": t.grouped(result.count)]
            fired = !firings.isEmpty
            headline = result.isEmpty ? t.t("analytics.alert_rules.preview_no_accounts")
                : t.t(firings.isEmpty ? "analytics.alert_rules.preview_none"
                    : (firings.count == 1 ? "analytics.alert_rules.preview_fired_one" : "analytics.alert_rules.preview_fired"), params)
            rows = firings.prefix(AlertRulesController.previewRowsShown).map { accountID, firing in
                let alert = Alert(id: "", ruleID: rule.id, subjectKey: "", accountID: accountID, occasion: firing.occasion, evidence: firing.evaluation.evidence, firedAt: Date(timeIntervalSince1970: 0))
                let when: String = switch firing.occasion {
                case .day(let day): t.day(day)
                case .post(_, let at): t.dateTime(at)
                }
                return Row(account: directory.subjectName(accountID, accountID: nil, t: t), when: when, sentence: AlertSentence.sentence(alert, rule: rule, t: t))
            }
            more = firings.count > AlertRulesController.previewRowsShown
                ? t.t("analytics.alert_rules.preview_more", ["count": t.grouped(firings.count - AlertRulesController.previewRowsShown)]) : nil
            var notes: [String] = []
            let suppressed = result.values.reduce(0) { $0 + $1.suppressed.count }
            if suppressed > 0 { notes.append(t.t("analytics.alert_rules.preview_suppressed", ["count": t.grouped(suppressed)])) }
            var skipped: [AlertSkipReason: Int] = [:]
            for preview in result.values { skipped.merge(preview.skipped, uniquingKeysWith: +) }
            for reason in AlertSkipReason.allCases { if let count = skipped[reason], count > 0 {
                notes.append(t.t("analytics.alert_rules.skip_\(reason.rawValue)", ["count": t.grouped(count)]))
            } }
            self.notes = notes
        }
    }
}

/// A preview's firings across accounts, newest first.
enum AlertPreviewListing {
    static func firings(_ result: [String: AlertPreview], rule: AlertRule) -> [(accountID: String, firing: AlertPreviewFiring)] {
        func instant(_ occasion: AlertOccasion) -> Double {
            switch occasion {
            case .day(let day): Double(day.dayNumber) * 86_400
            case .post(_, let at): at.timeIntervalSince1970
            }
        }
        return result.flatMap { accountID, preview in preview.alerts.map { (accountID: accountID, firing: $0) } }
            .sorted { (instant($0.firing.occasion), $1.accountID) > (instant($1.firing.occasion), $0.accountID) }
    }
}

// MARK: API

struct AlertRuleDTO: Encodable {
    var id: String
    /// The name as given; empty for a ready-made rule that keeps its own name.
    var name: String
    /// The name shown: the given one, or the ready-made rule's in the request's language.
    var display_name: String
    @Nullable var preset: String?
    var kind: String
    @Nullable var metric: String?
    var scope: String
    @Nullable var scope_id: String?
    var comparison: String
    @Nullable var bound: Double?
    var window: Int
    var seasonality: String
    var k: Double
    var percentile: Double
    var minimum_history: Int
    var minimum_deviation: Double
    var minimum_relative_deviation: Double
    var minimum_volume: Double
    var cooldown_hours: Int
    var enabled: Bool
    /// The rule's condition in a phrase of the request's language.
    var condition: String
    var active_alerts: Int

    init(_ rule: AlertRule, t: Localizer, activeAlerts: Int) {
        id = rule.id
        name = rule.name
        display_name = AlertSentence.ruleName(rule, t: t)
        preset = rule.preset?.rawValue
        kind = rule.kind.rawValue
        metric = rule.metric?.key
        scope = rule.scope.kind.rawValue
        scope_id = rule.scope.id
        comparison = rule.comparison.rawValue
        bound = rule.bound
        window = rule.window
        seasonality = rule.seasonality.rawValue
        k = rule.k
        percentile = rule.percentile
        minimum_history = rule.minimumHistory
        minimum_deviation = rule.minimumDeviation
        minimum_relative_deviation = rule.minimumRelativeDeviation
        minimum_volume = rule.minimumVolume
        cooldown_hours = rule.cooldownHours
        enabled = rule.enabled
        condition = AlertRuleFormPage.condition(rule, t: t)
        active_alerts = activeAlerts
    }
}

struct AlertPreviewDTO: Encodable {
    struct Firing: Encodable {
        /// The account's id, or for a funnel rule the step's subject key ("funnel:<id>:<step>").
        var account_id: String
        @Nullable var account_name: String?
        var subject_name: String
        var occasion: AlertOccasionDTO
        var sentence: String
        var evidence: AlertEvidenceDTO
    }
    struct AccountResult: Encodable {
        var account_id: String
        @Nullable var account_name: String?
        var subject_name: String
        var alerts: Int
        var suppressed: Int
        var judged: Int
        var skipped: [String: Int]
    }

    var through: String
    var days: Int
    /// How many alerts the rule would have raised, over every account.
    var count: Int
    /// Newest first.
    var alerts: [Firing]
    var accounts: [AccountResult]

    init(rule: AlertRule, result: [String: AlertPreview], through: LocalDate, days: Int, directory: AlertDirectory, t: Localizer) {
        self.through = through.description
        self.days = days
        let firings = AlertPreviewListing.firings(result, rule: rule)
        count = firings.count
        alerts = firings.map { accountID, firing in
            let alert = Alert(id: "", ruleID: rule.id, subjectKey: "", accountID: accountID, occasion: firing.occasion, evidence: firing.evaluation.evidence, firedAt: Date(timeIntervalSince1970: 0))
            return Firing(account_id: accountID, account_name: directory.accounts[accountID]?.name,
                          subject_name: directory.subjectName(accountID, accountID: nil, t: t), occasion: AlertOccasionDTO(firing.occasion),
                          sentence: AlertSentence.sentence(alert, rule: rule, t: t), evidence: AlertEvidenceDTO(firing.evaluation.evidence))
        }
        accounts = result.keys.sorted().map { id in
            let preview = result[id]!
            return AccountResult(account_id: id, account_name: directory.accounts[id]?.name, subject_name: directory.subjectName(id, accountID: nil, t: t),
                                 alerts: preview.alerts.count, suppressed: preview.suppressed.count,
                                 judged: preview.judged, skipped: Dictionary(uniqueKeysWithValues: preview.skipped.map { ($0.key.rawValue, $0.value) }))
        }
    }
}
