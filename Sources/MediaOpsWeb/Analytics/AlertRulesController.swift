import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Alert rules: the list, the form that sets one up and previews it against
/// the past ("would have fired 3 times: …") before it is saved, switching a
/// rule on and off, and deleting it; as pages and as
/// `/api/v1/analytics/alert-rules`. Reading and previewing need
/// `analytics.view`; changing a rule needs `analytics.manage`.
struct AlertRulesController {
    let dependencies: AnalyticsDependencies
    let pages: PageSupport

    var alerts: AlertService { dependencies.alerts }

    /// Firings a preview lists on the page; the rest are counted.
    static let previewRowsShown = 50

    func register(_ routes: Routes) {
        routes.get("/api/v1/analytics/alert-rules", .permission(.analyticsView)) { _, context, _ in
            let counts = try await alerts.activeCounts()
            let t = pages.localizer(context)
            return try JSONOutput.response(ItemsDTO(items: try await alerts.rules().map { AlertRuleDTO($0, t: t, activeAlerts: counts[$0.id] ?? 0) }))
        }
        routes.post("/api/v1/analytics/alert-rules", .permission(.analyticsManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let rule = try await alerts.createRule(try AlertRuleInput.read(AlertRuleInput.JSONSource(input: input), base: nil), by: identity.principal)
            return try JSONOutput.response(AlertRuleDTO(rule, t: pages.localizer(context), activeAlerts: 0), status: .created)
        }
        routes.post("/api/v1/analytics/alert-rules/preview", .permission(.analyticsView)) { request, context, _ in
            let input = try await JSONInput.read(request, context: context)
            let rule = try AlertRuleInput.read(AlertRuleInput.JSONSource(input: input), base: nil, provisionalName: "—")
            let days = try input.integer("days") ?? AlertRule.previewDays
            guard AlertRule.previewDaysRange.contains(days) else { throw Self.daysOutOfRange }
            let yesterday = try await dependencies.analytics.today().day.adding(days: -1)
            var through = yesterday
            if let text = try input.string("through") {
                guard let day = LocalDate(text.trimmed) else { throw ValidationError(field: "through", code: "invalid_date") }
                guard day <= yesterday else { throw ValidationError(field: "through", code: "date_in_future") }
                through = day
            }
            let result = try await alerts.preview(rule: rule, through: through, days: days)
            let directory = try await AlertDirectory.load(dependencies)
            return try JSONOutput.response(AlertPreviewDTO(rule: rule, result: result, through: through, days: days, directory: directory, t: pages.localizer(context)))
        }
        routes.get("/api/v1/analytics/alert-rules/{id}", .permission(.analyticsView)) { _, context, _ in
            let rule = try await rule(context)
            return try JSONOutput.response(AlertRuleDTO(rule, t: pages.localizer(context), activeAlerts: try await alerts.activeCounts()[rule.id] ?? 0))
        }
        routes.patch("/api/v1/analytics/alert-rules/{id}", .permission(.analyticsManage)) { request, context, identity in
            let rule = try await rule(context)
            let input = try await JSONInput.read(request, context: context)
            let edited = try AlertRuleInput.read(AlertRuleInput.JSONSource(input: input), base: rule)
            let saved = try await alerts.updateRule(edited, by: identity.principal)
            return try JSONOutput.response(AlertRuleDTO(saved, t: pages.localizer(context), activeAlerts: try await alerts.activeCounts()[rule.id] ?? 0))
        }
        routes.delete("/api/v1/analytics/alert-rules/{id}", .permission(.analyticsManage)) { _, context, identity in
            try await alerts.deleteRule(id: try await rule(context).id, by: identity.principal)
            return JSONOutput.noContent()
        }

        routes.get(AnalyticsPath.alertRules, .permission(.analyticsView)) { request, context, identity in
            try await listPage(request, context, identity)
        }
        routes.get(AnalyticsPath.alertRuleNew, .permission(.analyticsManage)) { request, context, identity in
            let kind = request.query("kind").flatMap(AlertKind.init(rawValue:)).flatMap { Self.offeredKinds(current: nil).contains($0) ? $0 : nil } ?? .threshold
            // Starts from the source material's example: net followers below −500 in a day.
            let metric = kind.input == .funnelStage ? nil : kind.allowedMetrics.first { $0 == .stored(.followersNet) } ?? kind.allowedMetrics.first
            let draft = AlertRule(id: "new", kind: kind, metric: metric, bound: kind == .threshold && metric == .stored(.followersNet) ? -500 : nil)
            return try await formPage(rule: nil, values: AlertRuleFormPage.values(of: draft, previewDays: AlertRule.previewDays), request, context, identity)
        }
        routes.post(AnalyticsPath.alertRules, .permission(.analyticsManage)) { request, context, identity in
            try await submit(rule: nil, request, context, identity)
        }
        routes.get(AnalyticsPath.alertRule(.key), .permission(.analyticsView)) { request, context, identity in
            let rule = try await rule(context)
            return try await formPage(rule: rule, values: AlertRuleFormPage.values(of: rule, previewDays: AlertRule.previewDays), request, context, identity)
        }
        routes.post(AnalyticsPath.alertRule(.key), .permission(.analyticsManage)) { request, context, identity in
            try await submit(rule: try await rule(context), request, context, identity)
        }
        routes.post(AnalyticsPath.alertRuleEnabled(.key), .permission(.analyticsManage)) { request, context, identity in
            let rule = try await rule(context)
            let form = try await pages.readForm(request, context: context)
            let enable = form["enabled"] == "true"
            _ = enable ? try await alerts.enable(id: rule.id, by: identity.principal) : try await alerts.disable(id: rule.id, by: identity.principal)
            return pages.redirect(AnalyticsPath.alertRules, flash: enable ? "flash.alert_rule_enabled" : "flash.alert_rule_disabled")
        }
        routes.post(AnalyticsPath.alertRuleDelete(.key), .permission(.analyticsManage)) { request, context, identity in
            let rule = try await rule(context)
            _ = try await pages.readForm(request, context: context)
            try await alerts.deleteRule(id: rule.id, by: identity.principal)
            return pages.redirect(AnalyticsPath.alertRules, flash: "flash.alert_rule_deleted")
        }
    }

    static var daysOutOfRange: ValidationError {
        ValidationError(field: "days", code: "out_of_range", params: ["min": String(AlertRule.previewDaysRange.lowerBound), "max": String(AlertRule.previewDaysRange.upperBound)])
    }

    func rule(_ context: AppRequestContext) async throws -> AlertRule {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let rule = try await alerts.rule(id: id) else {
            throw NotFoundError(entity: "alert_rule")
        }
        return rule
    }

    /// The kinds the form offers: every kind but the funnel's, whose funnels
    /// are set up with the funnel; a funnel rule being edited keeps its kind.
    static func offeredKinds(current: AlertKind?) -> [AlertKind] {
        AlertKind.allCases.filter { $0 != .funnelDropOff || current == .funnelDropOff }
    }

    // MARK: Pages

    func listPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let t = pages.localizer(context)
        let counts = try await alerts.activeCounts()
        let directory = try await AlertDirectory.load(dependencies)
        let groups = Dictionary(try await dependencies.team.groups().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let canManage = identity.permissions.contains(.analyticsManage)
        let rows = try await alerts.rules().map { rule in
            AlertRulesPage.Row(
                name: AlertSentence.ruleName(rule, t: t), href: AnalyticsPath.alertRule(.value(rule.id)).path,
                kind: t.t("analytics.alert.kind_\(rule.kind.rawValue)"), metric: AlertSentence.metricName(rule.metric, t: t),
                scope: Self.scopeName(rule.scope, accounts: directory.accounts, groups: groups, t: t),
                condition: AlertRuleFormPage.metricCondition(rule, t: t),
                activeAlerts: t.grouped(counts[rule.id] ?? 0), hasActiveAlerts: (counts[rule.id] ?? 0) > 0,
                alertsHref: AnalyticsPath.alerts.query(["rule_id": rule.id]),
                enabled: rule.enabled, enabledLabel: t.t(rule.enabled ? "analytics.alert_rules.on" : "analytics.alert_rules.off"),
                toggleAction: AnalyticsPath.alertRuleEnabled(.value(rule.id)).path, toggleValue: rule.enabled ? "false" : "true",
                toggleLabel: t.t(rule.enabled ? "analytics.alert_rules.turn_off" : "analytics.alert_rules.turn_on"),
                isPreset: rule.preset != nil)
        }
        let model = AlertRulesPage(rows: rows, canManage: canManage, newHref: AnalyticsPath.alertRuleNew.path, alertsHref: AnalyticsPath.alerts.path)
        return pages.render(.analyticsAlertRules, title: t.t("analytics.alert_rules.title"), page: model, request: request, context: context)
    }

    static func scopeName(_ scope: AlertScope, accounts: [String: Account], groups: [String: String], t: Localizer) -> String {
        switch scope {
        case .allAccounts: t.t("analytics.alert_rules.scope_all")
        case .group(let id): t.t("analytics.alert_rules.scope_group", ["name": groups[id] ?? "—"])
        case .account(let id): accounts[id]?.name ?? "—"
        }
    }

    /// Saves, or previews without saving when the preview button was pressed.
    func submit(rule existing: AlertRule?, _ request: Request, _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let form = try await pages.readForm(request, context: context)
        let t = pages.localizer(context)
        var values = AlertRuleFormPage.values(form)
        let kind = form["kind"].flatMap(AlertKind.init(rawValue:)) ?? existing?.kind ?? .threshold
        let metric = form["metric"].flatMap(AlertMetric.init(key:))
        do {
            let previewing = form["intent"] == "preview"
            var rule = try AlertRuleInput.read(AlertRuleInput.FormSource(form: form), base: existing, provisionalName: previewing ? "—" : nil)
            if previewing {
                let days = try Self.previewDays(form)
                values["days"] = String(days)
                let through = try await dependencies.analytics.today().day.adding(days: -1)
                if existing == nil { rule.id = "new" }
                let result = try await alerts.preview(rule: rule, through: through, days: days)
                let directory = try await AlertDirectory.load(dependencies)
                let preview = AlertRuleFormPage.Preview(rule: rule, result: result, through: through, days: days, directory: directory, t: t)
                return try await formPage(rule: existing, values: values, preview: preview, request, context, identity)
            }
            if let existing {
                rule.id = existing.id
                _ = try await alerts.updateRule(rule, by: identity.principal)
                return pages.redirect(AnalyticsPath.alertRules, flash: "flash.alert_rule_updated")
            }
            _ = try await alerts.createRule(rule, by: identity.principal)
            return pages.redirect(AnalyticsPath.alertRules, flash: "flash.alert_rule_created")
        } catch {
            return try await refusedPage(error, existing: existing, values: values, kind: kind, metric: metric, request, context, identity)
        }
    }

    func refusedPage(_ error: any Error, existing: AlertRule?, values: [String: String], kind: AlertKind, metric: AlertMetric?,
                     _ request: Request, _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let t = pages.localizer(context)
        var refusal = try pages.refusal(Self.displayed(error, kind: kind, metric: metric), context)
        if refusal.errors.summary == nil, !refusal.errors.messages.isEmpty {
            refusal.errors.summary = t.t("common.form_errors", ["count": String(refusal.errors.messages.count)])
        }
        return try await formPage(rule: existing, values: values, errors: refusal.errors, request, context, identity, status: refusal.status)
    }

    /// Limits said in the form's units (percentages, yuan).
    static func displayed(_ error: any Error, kind: AlertKind, metric: AlertMetric?) -> any Error {
        switch error {
        case let errors as ValidationErrors: ValidationErrors(AlertRuleForm.displayed(errors.errors, kind: kind, metric: metric))
        case let single as ValidationError: AlertRuleForm.displayed([single], kind: kind, metric: metric)[0]
        default: error
        }
    }

    static func previewDays(_ form: FormData) throws -> Int {
        guard let raw = form["days"], !raw.trimmed.isEmpty else { return AlertRule.previewDays }
        guard let days = Int(AlertRuleInput.FormSource.normalised(raw)), AlertRule.previewDaysRange.contains(days) else { throw daysOutOfRange }
        return days
    }

    func formPage(rule: AlertRule?, values: [String: String], errors: FormErrors = FormErrors(), preview: AlertRuleFormPage.Preview? = nil,
                  _ request: Request, _ context: AppRequestContext, _ identity: Identity, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let accounts = try await dependencies.team.allAccounts(filter: AccountFilter())
        let groups = try await dependencies.team.groups()
        let canManage = identity.permissions.contains(.analyticsManage)
        let kind = values["kind"].flatMap(AlertKind.init(rawValue:)) ?? rule?.kind ?? .threshold
        var active = 0
        if let rule { active = try await alerts.activeCounts()[rule.id] ?? 0 }
        let model = AlertRuleFormPage(
            rule: rule, values: values, kinds: Self.offeredKinds(current: rule?.kind), currentKind: kind, accounts: accounts, groups: groups,
            errors: errors.messages, summary: errors.summary, preview: preview, editable: canManage,
            activeAlerts: active, t: t)
        let title = rule.map { AlertSentence.ruleName($0, t: t) } ?? t.t("analytics.alert_rules.new_title")
        return pages.render(.analyticsAlertRule, title: title, page: model, request: request, context: context, status: status)
    }
}
