import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// The alerts the rules raised: a list to work through (open and acknowledged
/// first), one alert with its numbers and history, and acknowledging and
/// resolving, as pages and as `/api/v1/analytics/alerts`. Reading needs
/// `analytics.view`; acting on an alert is a write (`analytics.manage`).
struct AlertsController {
    let dependencies: AnalyticsDependencies
    let pages: PageSupport

    var alerts: AlertService { dependencies.alerts }

    func register(_ routes: Routes) {
        routes.get("/api/v1/analytics/alerts", .permission(.analyticsView)) { request, context, _ in
            let filter = try Self.filter(request)
            let page = try await alerts.list(filter, page: try request.pageRequest())
            let directory = try await AlertDirectory.load(dependencies)
            let t = pages.localizer(context)
            return try JSONOutput.response(PageDTO(page) { AlertDTO($0, directory, t: t) })
        }
        routes.get("/api/v1/analytics/alerts/{id}", .permission(.analyticsView)) { _, context, _ in
            let alert = try await alert(context)
            let directory = try await AlertDirectory.load(dependencies)
            return try JSONOutput.response(AlertDTO(alert, directory, t: pages.localizer(context), history: try await alerts.history(alertID: alert.id)))
        }
        for action in AlertAction.allCases {
            routes.post("/api/v1/analytics/alerts/{id}/\(action.rawValue)", .permission(.analyticsManage)) { _, context, identity in
                let alert = try await alerts.apply(action, id: try await alert(context).id, by: identity.principal)
                let directory = try await AlertDirectory.load(dependencies)
                return try JSONOutput.response(AlertDTO(alert, directory, t: pages.localizer(context), history: try await alerts.history(alertID: alert.id)))
            }
        }

        routes.get(AnalyticsPath.alerts, .permission(.analyticsView)) { request, context, identity in
            try await listPage(request, context, identity)
        }
        routes.get(AnalyticsPath.alert(.key), .permission(.analyticsView)) { request, context, identity in
            try await detailPage(try await alert(context), request, context, identity)
        }
        routes.post(AnalyticsPath.alertAction(.key), .permission(.analyticsManage)) { request, context, identity in
            let alert = try await alert(context)
            let form = try await pages.readForm(request, context: context)
            guard let action = form["action"].flatMap(AlertAction.init(rawValue:)) else {
                throw ValidationError(field: "action", code: "invalid_choice", params: ["choices": AlertAction.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            do {
                _ = try await alerts.apply(action, id: alert.id, by: identity.principal)
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await detailPage(alert, request, context, identity, summary: refusal.errors.summary ?? refusal.errors.messages.values.first, status: refusal.status)
            }
            // Back where the button was pressed: the list keeps its filter.
            let back = form["back"].flatMap { $0.hasPrefix(AnalyticsPath.alerts.path) && !$0.hasPrefix("//") ? $0 : nil }
            return pages.redirect(back ?? AnalyticsPath.alert(.value(alert.id)).path, flash: "flash.alert_\(action.rawValue)d")
        }
    }

    func alert(_ context: AppRequestContext) async throws -> Alert {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let alert = try await alerts.find(id: id) else {
            throw NotFoundError(entity: "alert")
        }
        return alert
    }

    /// `state` is open, acknowledged, resolved, `active` (open or
    /// acknowledged, the default) or `all`; `account_id` and `rule_id` narrow it.
    static func filter(_ request: Request) throws -> AlertFilter {
        var filter = AlertFilter.active
        switch request.query("state") {
        case nil, "active": break
        case "all": filter.states = []
        case let value?:
            guard let state = AlertState(rawValue: value) else {
                throw ValidationError(field: "state", code: "invalid_choice", params: ["choices": (["active", "all"] + AlertState.allCases.map(\.rawValue)).joined(separator: ", ")])
            }
            filter.states = [state]
        }
        if let id = request.query("account_id") {
            guard Identifier.isPlausible(id) else { throw ValidationError(field: "account_id", code: "unknown_account") }
            filter.accountID = id
        }
        if let id = request.query("rule_id") {
            guard Identifier.isPlausible(id) else { throw ValidationError(field: "rule_id", code: "invalid_choice", params: ["choices": "…"]) }
            filter.ruleID = id
        }
        return filter
    }

    // MARK: Pages

    func listPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let t = pages.localizer(context)
        let filter = try Self.filter(request)
        let page = try await alerts.list(filter, page: try request.pageRequest())
        let directory = try await AlertDirectory.load(dependencies)
        let canManage = identity.permissions.contains(.analyticsManage)
        let here = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        let current = request.query("state") ?? "active"
        // Each tab keeps the account and rule the list is narrowed to, and starts at page 1.
        let kept = ["account_id", "rule_id"].compactMap { key in request.query(key).map { key + "=" + Pagination.escape($0) } }.joined(separator: "&")
        let tabs = ["active", "open", "acknowledged", "resolved", "all"].map { key in
            AlertsPage.Tab(label: t.t("analytics.alerts.tab_\(key)"), href: Pagination.url(PageAddress(path: AnalyticsPath.alerts.path, query: kept), ["state": key]),
                           active: key == current)
        }
        let rows = page.items.map { alert in
            AlertsPage.Row(alert, directory, t: t, actions: canManage ? AlertTransition.actions(from: alert.state).map { action in
                AlertsPage.Action(value: action.rawValue, label: t.t("analytics.alerts.action_\(action.rawValue)"),
                                  href: AnalyticsPath.alertAction(.value(alert.id)).path)
            } : [])
        }
        let model = AlertsPage(tabs: tabs, rows: rows, pagination: Pagination(request, page: page, localizer: t), back: here,
                               rulesHref: AnalyticsPath.alertRules.path, empty: t.t("analytics.alerts.empty_\(current == "all" ? "all" : (current == "active" ? "active" : "state"))"),
                               accountName: filter.accountID.flatMap { directory.accounts[$0]?.name })
        return pages.render(.analyticsAlerts, title: t.t("analytics.alerts.title"), page: model, request: request, context: context)
    }

    func detailPage(_ alert: Alert, _ request: Request, _ context: AppRequestContext, _ identity: Identity,
                    summary: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let directory = try await AlertDirectory.load(dependencies)
        let history = try await alerts.history(alertID: alert.id)
        let canManage = identity.permissions.contains(.analyticsManage)
        let row = AlertsPage.Row(alert, directory, t: t, actions: canManage ? AlertTransition.actions(from: alert.state).map { action in
            AlertsPage.Action(value: action.rawValue, label: t.t("analytics.alerts.action_\(action.rawValue)"), href: AnalyticsPath.alertAction(.value(alert.id)).path)
        } : [])
        let events = history.map { event in
            AlertDetailPage.Event(
                when: t.fullDateTime(event.at),
                text: t.t("analytics.alerts.event_\(event.to.rawValue)", ["member": event.memberID.flatMap { directory.members[$0]?.name } ?? t.t("analytics.alerts.someone")]),
                stateKey: event.to.rawValue)
        }
        let model = AlertDetailPage(alert: row, facts: AlertDetailPage.facts(alert, directory, t: t), events: events, summary: summary)
        return pages.render(.analyticsAlert, title: row.rule, page: model, request: request, context: context, status: status)
    }
}

/// What an alert's page, list row or API object names: its rule, account and the members who acted.
struct AlertDirectory {
    var rules: [String: AlertRule]
    var accounts: [String: Account]
    var members: [String: Member]
    var funnels: [String: Funnel] = [:]

    static func load(_ dependencies: AnalyticsDependencies) async throws -> AlertDirectory {
        AlertDirectory(
            rules: Dictionary(try await dependencies.alerts.rules().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
            accounts: Dictionary(try await dependencies.team.allAccounts().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
            members: Dictionary(try await dependencies.team.members().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
            funnels: Dictionary(try await dependencies.funnels.all().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    /// What an alert or a preview's firing is about: the account's name, or
    /// the funnel's with its step ("私信转化漏斗：阅读 → 私信咨询"). `key` is an
    /// alert subject key or, in a preview, an account id.
    func subjectName(_ key: String, accountID: String?, t: Localizer) -> String {
        let parts = key.split(separator: ":").map(String.init)
        if parts.count == 3, parts[0] == "funnel", let step = Int(parts[2]) {
            guard let funnel = funnels[parts[1]] else { return t.t("analytics.funnels.deleted") }
            let stages = funnel.stages
            guard stages.indices.contains(step), stages.indices.contains(step + 1) else { return funnel.name }
            return t.t("analytics.funnels.step_name", ["funnel": funnel.name, "from": stages[step].name, "to": stages[step + 1].name])
        }
        let id = accountID ?? (parts.count == 2 && parts[0] == "account" ? parts[1] : key)
        return accounts[id]?.name ?? "—"
    }

    func ruleName(_ alert: Alert, t: Localizer) -> String {
        rules[alert.ruleID].map { AlertSentence.ruleName($0, t: t) } ?? t.t("analytics.alerts.rule_deleted")
    }

    func sentence(_ alert: Alert, t: Localizer) -> String {
        rules[alert.ruleID].map { AlertSentence.sentence(alert, rule: $0, t: t) } ?? ""
    }
}

struct AlertsPage {
    struct Tab { var label: String; var href: String; var active: Bool }
    struct Action { var value: String; var label: String; var href: String }
    struct Row {
        var id: String
        var href: String
        var rule: String
        var ruleHref: String?
        var account: String
        var chartHref: String
        var sentence: String
        var firedAt: String
        var state: String
        var stateKey: String
        var actions: [Action]

        init(_ alert: Alert, _ directory: AlertDirectory, t: Localizer, actions: [Action]) {
            id = alert.id
            href = AnalyticsPath.alert(.value(alert.id)).path
            rule = directory.ruleName(alert, t: t)
            ruleHref = directory.rules[alert.ruleID].map { AnalyticsPath.alertRule(.value($0.id)).path }
            account = directory.subjectName(alert.subjectKey, accountID: alert.accountID, t: t)
            chartHref = AlertService.link(for: alert)
            sentence = directory.sentence(alert, t: t)
            firedAt = t.dateTime(alert.firedAt)
            state = t.t("analytics.alerts.state_\(alert.state.rawValue)")
            stateKey = alert.state.rawValue
            self.actions = actions
        }
    }

    var tabs: [Tab]
    var rows: [Row]
    var pagination: Pagination
    /// Where an action's form returns to: this list, with its filter and page.
    var back: String
    var rulesHref: String
    var empty: String
    /// The account the list is narrowed to, when it is.
    var accountName: String?
}

struct AlertDetailPage {
    struct Fact { var label: String; var value: String }
    struct Event { var when: String; var text: String; var stateKey: String }

    var alert: AlertsPage.Row
    var facts: [Fact]
    var events: [Event]
    var summary: String?

    /// The numbers behind the alert, each in the metric's unit.
    static func facts(_ alert: Alert, _ directory: AlertDirectory, t: Localizer) -> [Fact] {
        let metric = directory.rules[alert.ruleID]?.metric
        let kind = directory.rules[alert.ruleID]?.kind
        let evidence = alert.evidence
        func value(_ number: Double?) -> String? { number.map { AlertSentence.value($0, metric, t) } }
        var facts: [Fact] = []
        switch alert.occasion {
        case .day(let day): facts.append(Fact(label: t.t("analytics.alerts.fact_day"), value: t.day(day)))
        case .post(_, let at): facts.append(Fact(label: t.t("analytics.alerts.fact_post_due"), value: t.dateTime(at)))
        }
        if kind != nil { facts.append(Fact(label: t.t("analytics.alerts.fact_metric"), value: AlertSentence.metricName(metric, t: t))) }
        let numbers: [(String, String?)] = [
            ("observed", value(evidence.observed)), ("previous", value(evidence.previous)),
            ("change", evidence.change.map { kind == .dayOverDayChange ? (($0 > 0 ? "+" : "") + AlertSentence.value($0, metric, t)) : AlertSentence.change($0) }),
            ("bound", (kind == .relativeToBaseline || kind == .funnelDropOff) ? evidence.bound.map(AlertSentence.change) : value(evidence.bound)),
            ("baseline", value(evidence.baseline)), ("lower", value(evidence.lower)), ("upper", value(evidence.upper)),
            ("percentile_value", value(evidence.percentileValue)),
            ("history", evidence.historyCount.map(String.init)), ("entered", evidence.entered.map { t.grouped(Int($0.rounded())) }),
            ("advanced", evidence.advanced.map { t.grouped(Int($0.rounded())) }),
        ]
        for (key, text) in numbers { if let text { facts.append(Fact(label: t.t("analytics.alerts.fact_\(key)"), value: text)) } }
        return facts
    }
}

// MARK: API

struct AlertOccasionDTO: Encodable {
    /// `day` or `post`.
    var type: String
    @Nullable var day: String?
    @Nullable var post_id: String?
    /// For a post: when its judged (24-hour) snapshot was due.
    @Nullable var due_at: Date?

    init(_ occasion: AlertOccasion) {
        switch occasion {
        case .day(let day): type = "day"; self.day = day.description
        case .post(let id, let at): type = "post"; post_id = id; due_at = at
        }
    }
}

struct AlertEvidenceDTO: Encodable {
    @Nullable var observed: Double?
    @Nullable var previous: Double?
    @Nullable var change: Double?
    @Nullable var bound: Double?
    @Nullable var baseline: Double?
    @Nullable var baseline_count: Int?
    @Nullable var lower: Double?
    @Nullable var upper: Double?
    @Nullable var sigma: Double?
    @Nullable var score: Double?
    @Nullable var percentile: Double?
    @Nullable var percentile_value: Double?
    @Nullable var history_count: Int?
    @Nullable var entered: Double?
    @Nullable var advanced: Double?

    init(_ evidence: AlertEvidence) {
        observed = evidence.observed
        previous = evidence.previous
        change = evidence.change
        bound = evidence.bound
        baseline = evidence.baseline
        baseline_count = evidence.baselineCount
        lower = evidence.lower
        upper = evidence.upper
        sigma = evidence.sigma
        score = evidence.score
        percentile = evidence.percentile
        percentile_value = evidence.percentileValue
        history_count = evidence.historyCount
        entered = evidence.entered
        advanced = evidence.advanced
    }
}

struct AlertEventDTO: Encodable {
    @Nullable var from: String?
    var to: String
    @Nullable var member_id: String?
    @Nullable var member_name: String?
    var at: Date
}

struct AlertDTO: Encodable {
    var id: String
    var rule_id: String
    var rule_name: String
    @Nullable var account_id: String?
    @Nullable var account_name: String?
    /// "account:<id>", or "funnel:<id>:<step>" for a funnel step (step 0 is the first stage to the second).
    var subject: String
    /// The account's name, or the funnel's with the step ("私信转化漏斗：阅读 → 私信咨询").
    var subject_name: String
    var occasion: AlertOccasionDTO
    var state: String
    /// The alert told in the request's language, with its numbers.
    var sentence: String
    var evidence: AlertEvidenceDTO
    var fired_at: Date
    @Nullable var acknowledged_by: String?
    @Nullable var acknowledged_at: Date?
    @Nullable var resolved_by: String?
    @Nullable var resolved_at: Date?
    /// The chart the alert is about.
    var link: String
    /// Oldest first; only on the single alert's answers.
    @Nullable var history: [AlertEventDTO]?

    init(_ alert: Alert, _ directory: AlertDirectory, t: Localizer, history: [AlertEvent]? = nil) {
        id = alert.id
        rule_id = alert.ruleID
        rule_name = directory.ruleName(alert, t: t)
        account_id = alert.accountID
        account_name = alert.accountID.flatMap { directory.accounts[$0]?.name }
        subject = alert.subjectKey
        subject_name = directory.subjectName(alert.subjectKey, accountID: alert.accountID, t: t)
        occasion = AlertOccasionDTO(alert.occasion)
        state = alert.state.rawValue
        sentence = directory.sentence(alert, t: t)
        evidence = AlertEvidenceDTO(alert.evidence)
        fired_at = alert.firedAt
        acknowledged_by = alert.acknowledgedBy
        acknowledged_at = alert.acknowledgedAt
        resolved_by = alert.resolvedBy
        resolved_at = alert.resolvedAt
        link = AlertService.link(for: alert)
        self.history = history?.map { event in
            AlertEventDTO(from: event.from?.rawValue, to: event.to.rawValue, member_id: event.memberID,
                          member_name: event.memberID.flatMap { directory.members[$0]?.name }, at: event.at)
        }
    }
}
