import Foundation
import MediaOpsDomain
import SQLKit

/// Alert rules and the alerts they raise: rules are validated (every broken
/// field at once, the scope's account or group checked to exist) and audited;
/// evaluation reads the metric store through the analytics room's reads,
/// judges each enabled rule with the domain's rules, lets the cool-down decide,
/// and raises alerts with their evidence and an in-app notification for the
/// workspace's owners and analysts.
public struct AlertService: Sendable {
    public let database: Database

    public init(database: Database) { self.database = database }

    /// The in-app notification kind of a raised alert (catalog key `notifications.kind_alert_fired`).
    public static let notificationKind = "alert_fired"
    /// Who is told about a new alert.
    public static let recipientRoles: Set<String> = [BuiltinRole.owner.rawValue, BuiltinRole.analyst.rawValue]

    /// Where an alert's notification leads: the account's numbers (the chart
    /// the alert is about), the alert named so each notification's link is its own.
    /// The reason an alert's outbound event carries: the alert, which the
    /// worker turns into a sentence in the workspace's language.
    public static func reason(alertID: String) -> String { "alert:" + alertID }
    public static func alertID(fromReason reason: String) -> String? { reason.hasPrefix("alert:") ? String(reason.dropFirst(6)) : nil }

    /// A funnel step's alert leads to the funnel.
    public static func funnelLink(alertID: String, funnelID: String) -> String { "/analytics/funnels/\(funnelID)?alert=\(alertID)" }

    /// Where an alert leads: its funnel for a funnel step's alert, else its account's numbers.
    public static func link(for alert: Alert) -> String {
        let parts = alert.subjectKey.split(separator: ":")
        if parts.count == 3, parts[0] == "funnel" { return funnelLink(alertID: alert.id, funnelID: String(parts[1])) }
        return link(alertID: alert.id, accountID: alert.accountID)
    }

    public static func link(alertID: String, accountID: String?) -> String {
        guard let accountID else { return "/analytics?alert=\(alertID)" }
        return "/analytics/accounts/\(accountID)?alert=\(alertID)"
    }

    // MARK: Rules

    public func rules() async throws -> [AlertRule] { try await AlertRuleRepository(database.sql).all() }

    public func rule(id: String) async throws -> AlertRule? { try await AlertRuleRepository(database.sql).find(id: id) }

    /// A new rule from `draft` (its id is replaced with a new one).
    public func createRule(_ draft: AlertRule, by principal: Principal, now: Date? = nil) async throws -> AlertRule {
        let now = now ?? database.now()
        var rule = draft
        rule.id = Identifier.makeOrdered("alr")
        rule.name = rule.name.trimmingCharacters(in: .whitespacesAndNewlines)
        let checked = rule
        return try await database.transaction { db in
            try await Self.check(checked, db: db)
            try await AlertRuleRepository(db).create(checked, createdBy: principal.memberID, now: now)
            try await Audit.record(db, principal, .create, .alertRule, checked.id, label: Self.label(checked), changes: Self.fields(checked).mapValues { ["", $0] }, at: now)
            return checked
        }
    }

    /// Replaces a rule's settings; its id and preset stay what they were.
    public func updateRule(_ edited: AlertRule, by principal: Principal, now: Date? = nil) async throws -> AlertRule {
        let now = now ?? database.now()
        return try await database.transaction { db in
            let rules = AlertRuleRepository(db)
            guard let before = try await rules.find(id: edited.id, lock: true) else { throw NotFoundError(entity: "alert_rule") }
            var rule = edited
            rule.preset = before.preset
            rule.name = rule.name.trimmingCharacters(in: .whitespacesAndNewlines)
            try await Self.check(rule, db: db)
            let changes = ChangeSet(from: Self.fields(before), to: Self.fields(rule))
            guard !changes.isEmpty else { return before }
            try await rules.update(rule, now: now)
            try await Audit.record(db, principal, .update, .alertRule, rule.id, label: Self.label(rule), changes: changes.changes, at: now)
            return rule
        }
    }

    public func enable(id: String, by principal: Principal, now: Date? = nil) async throws -> AlertRule {
        try await setEnabled(id: id, true, by: principal, now: now)
    }

    public func disable(id: String, by principal: Principal, now: Date? = nil) async throws -> AlertRule {
        try await setEnabled(id: id, false, by: principal, now: now)
    }

    /// Turning a rule on or off is not held back by another field being out of
    /// range (a rule stored before a limit changed can still be switched off).
    func setEnabled(id: String, _ enabled: Bool, by principal: Principal, now: Date?) async throws -> AlertRule {
        let now = now ?? database.now()
        return try await database.transaction { db in
            let rules = AlertRuleRepository(db)
            guard var rule = try await rules.find(id: id, lock: true) else { throw NotFoundError(entity: "alert_rule") }
            guard rule.enabled != enabled else { return rule }
            rule.enabled = enabled
            try await rules.update(rule, now: now)
            try await Audit.record(db, principal, .update, .alertRule, id, label: Self.label(rule), changes: ["enabled": [String(!enabled), String(enabled)]], at: now)
            return rule
        }
    }

    /// Deletes a rule with the alerts it raised.
    public func deleteRule(id: String, by principal: Principal, now: Date? = nil) async throws {
        let now = now ?? database.now()
        try await database.transaction { db in
            let rules = AlertRuleRepository(db)
            guard let rule = try await rules.find(id: id, lock: true) else { throw NotFoundError(entity: "alert_rule") }
            try await rules.delete(id: id)
            try await Audit.record(db, principal, .delete, .alertRule, id, label: Self.label(rule), at: now)
        }
    }

    /// The workspace's preset rules, added once (see `AlertRuleRepository.installPresets`). Run in the setting-up
    /// transaction. Like the built-in roles they come with the workspace, so they are not entries of the
    /// audit log (whose first lines a new workspace's home page shows); a change to one later is.
    @discardableResult
    public static func installPresets(on db: any SQLDatabase, by principal: Principal, now: Date) async throws -> [AlertRule] {
        try await AlertRuleRepository(db).installPresets(createdBy: principal.memberID, now: now)
    }

    /// The domain's checks and the scope's account or group existing; every broken field at once.
    static func check(_ rule: AlertRule, db: any SQLDatabase) async throws {
        var errors = rule.validationErrors()
        if !errors.contains(where: { $0.field == "scope" }) {
            var missing: ValidationError?
            switch rule.scope {
            case .account(let id):
                if try await AccountRepository(db).find(id: id) == nil { missing = ValidationError(field: "scope", code: "unknown_account") }
            case .group(let id):
                if try await AccountGroupRepository(db).find(id: id) == nil { missing = ValidationError(field: "scope", code: "unknown_group") }
            case .allAccounts:
                break
            }
            // In field order: after the name's error, before the metric's.
            if let missing { errors.insert(missing, at: errors.firstIndex { $0.field != "name" } ?? errors.endIndex) }
        }
        guard errors.isEmpty else { throw ValidationErrors(errors) }
    }

    static func label(_ rule: AlertRule) -> String {
        rule.name.isEmpty ? (rule.preset?.rawValue ?? rule.kind.rawValue) : rule.name
    }

    /// A rule's settings as audit values.
    static func fields(_ rule: AlertRule) -> [String: String] {
        var fields: [String: String] = [
            "name": rule.name, "kind": rule.kind.rawValue, "metric": rule.metric?.key ?? "", "scope": [rule.scope.kind.rawValue, rule.scope.id].compactMap { $0 }.joined(separator: ":"),
            "comparison": rule.comparison.rawValue, "bound": rule.bound.map(Self.number) ?? "", "cooldown_hours": String(rule.cooldownHours),
            "enabled": String(rule.enabled),
        ]
        if rule.kind.usesHistory {
            fields["window"] = String(rule.window)
            fields["minimum_history"] = String(rule.minimumHistory)
        }
        if rule.kind.usesSeasonality { fields["seasonality"] = rule.seasonality.rawValue }
        switch rule.kind {
        case .anomaly:
            fields["k"] = Self.number(rule.k)
            fields["minimum_deviation"] = Self.number(rule.minimumDeviation)
            fields["minimum_relative_deviation"] = Self.number(rule.minimumRelativeDeviation)
        case .postUnderperforming: fields["percentile"] = Self.number(rule.percentile)
        case .funnelDropOff: fields["minimum_volume"] = Self.number(rule.minimumVolume)
        case .threshold, .dayOverDayChange, .relativeToBaseline: break
        }
        return fields
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    // MARK: Alerts

    public func find(id: String) async throws -> Alert? { try await AlertRepository(database.sql).find(id: id) }

    /// Alerts newest first; nil for every state.
    public func list(state: AlertState?, page: PageRequest) async throws -> Page<Alert> {
        try await AlertRepository(database.sql).list(state: state, page: page)
    }

    public func list(_ filter: AlertFilter, page: PageRequest) async throws -> Page<Alert> {
        try await AlertRepository(database.sql).list(filter, page: page)
    }

    /// Open or acknowledged alerts per rule id.
    public func activeCounts() async throws -> [String: Int] { try await AlertRepository(database.sql).activeCounts() }

    /// An alert's history, oldest first: raised, then each member's action.
    public func history(alertID: String) async throws -> [AlertEvent] { try await AlertRepository(database.sql).events(alertID: alertID) }

    public func acknowledge(id: String, by principal: Principal, now: Date? = nil) async throws -> Alert {
        try await apply(.acknowledge, id: id, by: principal, now: now)
    }

    /// Resolving also marks the alert's unread notifications read: it is dealt with.
    public func resolve(id: String, by principal: Principal, now: Date? = nil) async throws -> Alert {
        try await apply(.resolve, id: id, by: principal, now: now)
    }

    /// An action the state machine allows (else a `ConflictError` `invalid_transition`), its history row and an audit entry.
    public func apply(_ action: AlertAction, id: String, by principal: Principal, now: Date? = nil) async throws -> Alert {
        let now = now ?? database.now()
        guard let memberID = principal.memberID else { throw ConflictError(code: "member_required") }
        return try await database.transaction { db in
            let alerts = AlertRepository(db)
            guard let alert = try await alerts.find(id: id, lock: true) else { throw NotFoundError(entity: "alert") }
            let next = try AlertTransition.apply(action, to: alert.state)
            try await alerts.transition(alert, to: next, memberID: memberID, at: now)
            if next == .resolved { try await NotificationRepository(db).markRead(kind: Self.notificationKind, link: Self.link(for: alert), now: now) }
            try await Audit.record(db, principal, .update, .alert, id, label: alert.subjectKey, changes: ["state": [alert.state.rawValue, next.rawValue]], at: now)
            return try await alerts.find(id: id) ?? alert
        }
    }
}
