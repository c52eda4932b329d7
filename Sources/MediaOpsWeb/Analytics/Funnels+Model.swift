import Foundation
import MediaOpsDomain
import MediaOpsStore

struct FunnelsPage {
    struct Row { var name: String; var href: String; var stages: String; var scope: String }
    var rows: [Row]
    var canManage: Bool
    var newHref: String
}

/// One funnel over a period: each stage's count beside the period before,
/// the conversion to the next stage and its drop-off, drawn as bars (SVG,
/// widths relative to the first stage), and the same counts by account.
struct FunnelPage {
    struct Stage {
        var position: Int
        var name: String
        var source: String
        var count: String
        var previous: String
        var change: AnalyticsController.Figure
        var amount: String?
        /// The bar's length, 0–100, against the largest stage.
        var width: String
        /// To the next stage (nil on the last).
        var step: Step?
    }
    struct Step {
        var conversion: String
        var previousConversion: String
        var dropOff: String
        var trend: String
    }
    struct AccountRow { var name: String; var href: String; var cells: [String]; var overall: String }
    struct EventStage { var position: String; var label: String; var count: String; var selected: Bool }
    struct RowError { var row: String; var column: String; var value: String; var message: String }

    var name: String
    var description: String
    var scope: String
    var periodLabel: String
    var picker: PeriodPicker
    var stages: [Stage]
    var overall: String
    var previousOverall: String
    var hasData: Bool
    var stageNames: [String]
    var accountRows: [AccountRow]
    var canManage: Bool
    var canImport: Bool
    var editHref: String
    var deleteAction: String
    var eventsAction: String
    var sampleHref: String
    var eventStages: [EventStage]
    var focusedAlert: AlertsPage.Row?
    var importMessage: String?
    var rowErrors: [RowError]
    var rowErrorsSummary: String?
    var importErrors: [String: String]
    var importSummary: String?

    init(funnel: Funnel, scope: String, period: ReportingPeriod, current: FunnelService.PeriodFigures, previous: FunnelService.PeriodFigures,
         accounts: [String: Account], picker: PeriodPicker, canManage: Bool, canImport: Bool, eventCounts: [Int: Int], focusedAlert: AlertsPage.Row?,
         importMessage: String?, rowErrors: FunnelService.RowErrors?, importErrors: FormErrors, t: Localizer) {
        name = funnel.name
        description = funnel.description
        self.scope = scope
        periodLabel = t.t("analytics.funnels.period", ["from": t.day(period.from), "to": t.day(period.to)])
        self.picker = picker
        let counts = current.counts, before = previous.counts
        let conversions = Funnel.conversions(counts), earlier = Funnel.conversions(before)
        let largest = counts.compactMap { $0 }.max() ?? 0
        func percent(_ value: Double?) -> String { value.map { FixedDecimal.text($0 * 100, digits: 1) + "%" } ?? "—" }
        stages = funnel.stages.enumerated().map { index, stage in
            let count = counts[index], prior = before[index]
            var step: Step?
            if index < conversions.count {
                let now = conversions[index], then = earlier[index]
                let trend = now.flatMap { a in then.map { b in a > b ? "up" : (a < b ? "down" : "flat") } } ?? "none"
                step = Step(conversion: percent(now), previousConversion: percent(then), dropOff: percent(now.map { 1 - $0 }), trend: trend)
            }
            let source: String = switch stage.source {
            case .metric(let key): t.t("metric.\(key.rawValue)")
            case .events: t.t("analytics.funnels.source_events")
            }
            return Stage(position: index + 1, name: stage.name, source: source,
                         count: count.map { t.grouped(Int($0.rounded())) } ?? "—", previous: prior.map { t.grouped(Int($0.rounded())) } ?? "—",
                         change: AnalyticsController.countFigure(count, previous: prior, t: t),
                         amount: current.total[index].amount.map { "¥" + t.grouped(Int(($0 / 100).rounded())) },
                         width: largest > 0 ? FixedDecimal.text(max(0.5, (count ?? 0) / largest * 100), digits: 1) : "0.5",
                         step: step)
        }
        overall = percent(Funnel.overall(counts))
        previousOverall = percent(Funnel.overall(before))
        hasData = counts.contains { ($0 ?? 0) > 0 }
        stageNames = funnel.stages.map(\.name)
        accountRows = current.byAccount.keys.sorted { (accounts[$0]?.name ?? $0) < (accounts[$1]?.name ?? $1) }.compactMap { id in
            guard let figures = current.byAccount[id], figures.contains(where: { ($0.count ?? 0) > 0 }) else { return nil }
            return AccountRow(name: accounts[id]?.name ?? "—", href: AnalyticsPath.account(.value(id)).path,
                              cells: figures.map { $0.count.map { t.grouped(Int($0.rounded())) } ?? "—" }, overall: percent(Funnel.overall(figures.map(\.count))))
        }
        self.canManage = canManage
        self.canImport = canImport
        editHref = AnalyticsPath.funnelEdit(.value(funnel.id)).path
        deleteAction = AnalyticsPath.funnelDelete(.value(funnel.id)).path
        eventsAction = AnalyticsPath.funnelEvents(.value(funnel.id)).path
        sampleHref = AnalyticsPath.funnelSample.path
        eventStages = funnel.stages.enumerated().compactMap { index, stage in
            guard stage.source == .events else { return nil }
            return EventStage(position: String(index + 1), label: t.t("analytics.funnels.step_label", ["step": String(index + 1), "name": stage.name]),
                              count: t.grouped(eventCounts[index + 1] ?? 0), selected: false)
        }
        if let first = eventStages.indices.first { eventStages[first].selected = true }
        self.focusedAlert = focusedAlert
        self.importMessage = importMessage
        self.rowErrors = (rowErrors?.errors ?? []).map { error in
            RowError(row: String(error.row), column: error.column.map { t.t("analytics.funnels.column_\($0.rawValue)") } ?? "—", value: error.value,
                     message: t.error(error.code, params: ["value": error.value, "field": t.t("analytics.funnels.row_cell", ["row": String(error.row),
                                                                                                                         "column": error.column.map { t.t("analytics.funnels.column_\($0.rawValue)") } ?? ""])]))
        }
        rowErrorsSummary = rowErrors.map { t.t("analytics.funnels.row_errors", ["count": t.grouped($0.total)]) }
        self.importErrors = importErrors.messages
        importSummary = importErrors.summary
    }
}

/// The funnel form: name, description, scope and up to eight stage rows.
struct FunnelFormPage {
    struct Option { var value: String; var label: String; var selected: Bool }
    struct OptionGroup { var label: String; var options: [Option] }
    struct StageRow {
        var number: Int
        var nameField: String
        var sourceField: String
        var name: String
        var sources: [OptionGroup]
        var nameError: String?
        var sourceError: String?
        var required: Bool
    }

    var isNew: Bool
    var action: String
    var values: [String: String]
    var scopeGroups: [OptionGroup]
    var stages: [StageRow]
    var errors: [String: String]
    var summary: String?
    var cancelHref: String

    init(funnel: Funnel?, values: [String: String], accounts: [Account], groups: [AccountGroup], errors: [String: String], summary: String?, t: Localizer) {
        isNew = funnel == nil
        action = funnel.map { AnalyticsPath.funnelEdit(.value($0.id)).path } ?? AnalyticsPath.funnels.path
        self.values = values
        let scope = values["scope"] ?? AlertScope.Kind.allAccounts.rawValue
        scopeGroups = [
            OptionGroup(label: t.t("analytics.alert_rules.scope_whole"),
                        options: [Option(value: AlertScope.Kind.allAccounts.rawValue, label: t.t("analytics.alert_rules.scope_all"), selected: scope == "all_accounts")]),
            OptionGroup(label: t.t("analytics.alert_rules.scope_groups"), options: groups.map { Option(value: "group:\($0.id)", label: $0.name, selected: scope == "group:\($0.id)") }),
            OptionGroup(label: t.t("analytics.alert_rules.scope_accounts"),
                        options: accounts.map { Option(value: "account:\($0.id)", label: "\($0.name) · \(t.platformShortName($0.platform))", selected: scope == "account:\($0.id)") }),
        ].filter { !$0.options.isEmpty }
        stages = (1...FunnelInput.formRows).map { row in
            let chosen = values["stage_\(row)_source"] ?? ""
            let sources = [
                OptionGroup(label: t.t("analytics.funnels.source_group_events"),
                            options: [Option(value: FunnelStageSource.events.key, label: t.t("analytics.funnels.source_events"), selected: chosen == "events")]),
                OptionGroup(label: t.t("analytics.funnels.source_group_metrics"),
                            options: FunnelStageSource.metrics.map { key in
                                Option(value: FunnelStageSource.metric(key).key, label: t.t("metric.\(key.rawValue)"), selected: chosen == FunnelStageSource.metric(key).key)
                            }),
            ]
            return StageRow(number: row, nameField: "stage_\(row)_name", sourceField: "stage_\(row)_source", name: values["stage_\(row)_name"] ?? "",
                            sources: sources, nameError: errors["stages_\(row)_name"], sourceError: errors["stages_\(row)_source"], required: row <= 2)
        }
        self.errors = errors
        self.summary = summary
        cancelHref = funnel.map { AnalyticsPath.funnel(.value($0.id)).path } ?? AnalyticsPath.funnels.path
    }

    static func values(of funnel: Funnel) -> [String: String] {
        var values = ["name": funnel.name, "description": funnel.description,
                      "scope": [funnel.scope.kind.rawValue, funnel.scope.id].compactMap { $0 }.joined(separator: ":")]
        for (index, stage) in funnel.stages.enumerated() {
            values["stage_\(index + 1)_name"] = stage.name
            values["stage_\(index + 1)_source"] = stage.source.key
        }
        return values
    }

    /// What was typed, blank stage rows closed up (so each row's error sits beside it).
    static func values(_ form: FormData) -> [String: String] {
        var values = ["name": form["name"] ?? "", "description": form["description"] ?? "", "scope": form["scope"] ?? ""]
        var row = 0
        for index in 1...FunnelInput.formRows {
            let name = form["stage_\(index)_name"] ?? "", source = form["stage_\(index)_source"] ?? ""
            guard !name.trimmed.isEmpty || !source.trimmed.isEmpty else { continue }
            row += 1
            values["stage_\(row)_name"] = name
            values["stage_\(row)_source"] = source
        }
        return values
    }

    /// A new funnel starts from the source material's shape: reads, then leads, then orders.
    static func starter(t: Localizer) -> [String: String] {
        ["scope": AlertScope.Kind.allAccounts.rawValue,
         "stage_1_name": t.t("analytics.funnels.starter_reads"), "stage_1_source": FunnelStageSource.metric(.reads).key,
         "stage_2_name": t.t("analytics.funnels.starter_clicks"), "stage_2_source": FunnelStageSource.metric(.linkClicks).key,
         "stage_3_name": t.t("analytics.funnels.starter_leads"), "stage_3_source": FunnelStageSource.events.key,
         "stage_4_name": t.t("analytics.funnels.starter_orders"), "stage_4_source": FunnelStageSource.events.key]
    }
}

// MARK: API

struct FunnelStageDTO: Encodable {
    var position: Int
    var name: String
    /// "metric:<key>" or "events".
    var source: String
}

struct FunnelStageFiguresDTO: Encodable {
    var position: Int
    var name: String
    @Nullable var count: Double?
    @Nullable var previous_count: Double?
    /// Imported events' money in fen (event stages).
    @Nullable var amount_fen: Double?
    /// To the next stage; null on the last stage or when this stage's count is absent or zero.
    @Nullable var conversion: Double?
    @Nullable var previous_conversion: Double?
    @Nullable var drop_off: Double?
}

struct FunnelAccountFiguresDTO: Encodable {
    var account_id: String
    var counts: [Double?]
}

struct FunnelReportDTO: Encodable {
    var from: String
    var to: String
    var previous_from: String
    var previous_to: String
    var stages: [FunnelStageFiguresDTO]
    @Nullable var overall_conversion: Double?
    @Nullable var previous_overall_conversion: Double?
    var accounts: [FunnelAccountFiguresDTO]

    init(_ funnel: Funnel, period: ReportingPeriod, current: FunnelService.PeriodFigures, previous: FunnelService.PeriodFigures) {
        from = period.from.description
        to = period.to.description
        previous_from = period.previous.from.description
        previous_to = period.previous.to.description
        let conversions = Funnel.conversions(current.counts), earlier = Funnel.conversions(previous.counts)
        stages = funnel.stages.enumerated().map { index, stage in
            let conversion = index < conversions.count ? conversions[index] : nil
            return FunnelStageFiguresDTO(position: index + 1, name: stage.name, count: current.counts[index], previous_count: previous.counts[index],
                                         amount_fen: current.total[index].amount, conversion: conversion,
                                         previous_conversion: index < earlier.count ? earlier[index] : nil, drop_off: conversion.map { 1 - $0 })
        }
        overall_conversion = Funnel.overall(current.counts)
        previous_overall_conversion = Funnel.overall(previous.counts)
        accounts = current.byAccount.keys.sorted().map { FunnelAccountFiguresDTO(account_id: $0, counts: current.byAccount[$0]?.map(\.count) ?? []) }
    }
}

struct FunnelDTO: Encodable {
    var id: String
    var name: String
    var description: String
    var scope: String
    @Nullable var scope_id: String?
    var stages: [FunnelStageDTO]
    /// Present on a single funnel's answer: the period asked for (`period`, `month`, `from`, `to`) beside the one before.
    @Nullable var report: FunnelReportDTO?

    init(_ funnel: Funnel, t: Localizer) {
        id = funnel.id
        name = funnel.name
        description = funnel.description
        scope = funnel.scope.kind.rawValue
        scope_id = funnel.scope.id
        stages = funnel.stages.enumerated().map { FunnelStageDTO(position: $0.offset + 1, name: $0.element.name, source: $0.element.source.key) }
        report = nil
    }
}

struct FunnelImportDTO: Encodable {
    var rows: Int
    var added: Int
    var known: Int
    @Nullable var latest_day: String?

    init(_ outcome: FunnelService.ImportOutcome) {
        rows = outcome.rows
        added = outcome.added
        known = outcome.known
        latest_day = outcome.latestDay?.description
    }
}
