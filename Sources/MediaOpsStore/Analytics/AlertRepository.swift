import Foundation
import MediaOpsDomain
import SQLKit

/// The `alerts` and `alert_events` tables. Rows are read strictly: an unknown
/// state or occasion, or evidence that does not decode, is an unreadable row.
public struct AlertRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    /// Inserts a raised alert and its first history row; false when the rule
    /// already raised one for this subject and occasion (a concurrent evaluation won).
    public func insert(_ alert: Alert) async throws -> Bool {
        let (occasion, occasionAt) = Self.occasionColumns(alert.occasion)
        let inserted = try await db.raw("""
            INSERT INTO alerts (id, rule_id, subject_key, account_id, occasion, occasion_at, state, evidence, fired_at)
            VALUES (\(bind: alert.id), \(bind: alert.ruleID), \(bind: alert.subjectKey), \(bind: alert.accountID), \(bind: occasion),
                    \(bind: occasionAt), \(bind: alert.state.rawValue), \(bind: JSONText.encode(alert.evidence)), \(bind: alert.firedAt.epochMilliseconds))
            ON CONFLICT (rule_id, subject_key, occasion) DO NOTHING RETURNING id
            """).all()
        guard !inserted.isEmpty else { return false }
        try await addEvent(AlertEvent(alertID: alert.id, from: nil, to: alert.state, memberID: nil, at: alert.firedAt))
        return true
    }

    public func find(id: String, lock: Bool = false) async throws -> Alert? {
        let clause: SQLQueryString = lock ? "\(RowLock.update)" : ""
        return try await db.raw("SELECT * FROM alerts WHERE id = \(bind: id)" + clause).first().map(Self.alert(from:))
    }

    /// The alert a rule raised last for a subject (what the cool-down looks at).
    public func last(ruleID: String, subjectKey: String) async throws -> Alert? {
        try await db.raw("""
            SELECT * FROM alerts WHERE rule_id = \(bind: ruleID) AND subject_key = \(bind: subjectKey) ORDER BY fired_at DESC, id DESC LIMIT 1
            """).first().map(Self.alert(from:))
    }

    /// Whether the rule already raised an alert for this subject and occasion (whatever came after it).
    public func exists(ruleID: String, subjectKey: String, occasion: AlertOccasion) async throws -> Bool {
        try await db.raw("""
            SELECT 1 AS found FROM alerts WHERE rule_id = \(bind: ruleID) AND subject_key = \(bind: subjectKey)
            AND occasion = \(bind: Self.occasionColumns(occasion).key)
            """).first() != nil
    }

    /// Alerts newest first, of the given states (every state when empty),
    /// of one account and of one rule when asked.
    public func list(_ filter: AlertFilter, page: PageRequest) async throws -> Page<Alert> {
        var clauses: [SQLQueryString] = []
        if !filter.states.isEmpty {
            let states = filter.states.sorted { $0.rawValue < $1.rawValue }.map { "\(bind: $0.rawValue)" as SQLQueryString }
            clauses.append("state IN (" + states.joined(separator: ", ") + ")")
        }
        if let accountID = filter.accountID { clauses.append("account_id = \(bind: accountID)") }
        if let ruleID = filter.ruleID { clauses.append("rule_id = \(bind: ruleID)") }
        let condition: SQLQueryString = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        let total = try await db.raw("SELECT COUNT(*) AS n FROM alerts" + condition).first()?.int("n") ?? 0
        let items = try await db.raw("SELECT * FROM alerts" + condition
                                     + " ORDER BY fired_at DESC, id DESC LIMIT \(bind: page.perPage) OFFSET \(bind: (page.page - 1) * page.perPage)")
            .all().map(Self.alert(from:))
        return Page(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    /// Alerts newest first, of one state or all.
    public func list(state: AlertState?, page: PageRequest) async throws -> Page<Alert> {
        try await list(AlertFilter(states: state.map { [$0] } ?? []), page: page)
    }

    /// How many open or acknowledged alerts each rule has.
    public func activeCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await db.raw("SELECT rule_id, COUNT(*) AS n FROM alerts WHERE state IN ('open', 'acknowledged') GROUP BY rule_id").all() {
            counts[try row.string("rule_id")] = try row.int("n")
        }
        return counts
    }

    /// Moves an alert to `to`, stamping who and when, with a history row.
    public func transition(_ alert: Alert, to state: AlertState, memberID: String, at now: Date) async throws {
        let stamp: SQLQueryString = switch state {
        case .acknowledged: ", acknowledged_by = \(bind: memberID), acknowledged_at = \(bind: now.epochMilliseconds)"
        case .resolved: ", resolved_by = \(bind: memberID), resolved_at = \(bind: now.epochMilliseconds)"
        case .open: ""
        }
        try await db.raw("UPDATE alerts SET state = \(bind: state.rawValue)" + stamp + " WHERE id = \(bind: alert.id)").run()
        try await addEvent(AlertEvent(alertID: alert.id, from: alert.state, to: state, memberID: memberID, at: now))
    }

    /// An alert's history, oldest first.
    public func events(alertID: String) async throws -> [AlertEvent] {
        try await db.raw("SELECT * FROM alert_events WHERE alert_id = \(bind: alertID) ORDER BY at, id").all().map { row in
            AlertEvent(alertID: try row.string("alert_id"), from: try row.optionalString("from_state").map { _ in try row.value("from_state", as: AlertState.self) },
                       to: try row.value("to_state", as: AlertState.self), memberID: try row.optionalString("member_id"), at: try row.date("at"))
        }
    }

    func addEvent(_ event: AlertEvent) async throws {
        try await db.raw("""
            INSERT INTO alert_events (id, alert_id, from_state, to_state, member_id, at)
            VALUES (\(bind: Identifier.makeOrdered("ale")), \(bind: event.alertID), \(bind: event.from?.rawValue), \(bind: event.to.rawValue),
                    \(bind: event.memberID), \(bind: event.at.epochMilliseconds))
            """).run()
    }

    // MARK: Rows

    static func occasionColumns(_ occasion: AlertOccasion) -> (key: String, at: Int64?) {
        switch occasion {
        case .day(let day): ("day:\(day)", nil)
        case .post(let id, let at): ("post:\(id)", at.epochMilliseconds)
        }
    }

    static func occasion(key: String, at: Date?) throws -> AlertOccasion {
        if key.hasPrefix("day:"), let day = LocalDate(String(key.dropFirst(4))) { return .day(day) }
        if key.hasPrefix("post:"), key.count > 5, let at { return .post(id: String(key.dropFirst(5)), at: at) }
        throw UnreadableStoredValue(column: "occasion", value: key)
    }

    static func alert(from row: any SQLRow) throws -> Alert {
        let evidenceText = try row.string("evidence")
        guard let evidence = JSONText.decode(AlertEvidence.self, from: evidenceText) else {
            throw UnreadableStoredValue(column: "evidence", value: String(evidenceText.prefix(80)))
        }
        return Alert(
            id: try row.string("id"), ruleID: try row.string("rule_id"), subjectKey: try row.string("subject_key"), accountID: try row.optionalString("account_id"),
            occasion: try occasion(key: try row.string("occasion"), at: try row.optionalDate("occasion_at")), state: try row.value("state", as: AlertState.self),
            evidence: evidence, firedAt: try row.date("fired_at"), acknowledgedBy: try row.optionalString("acknowledged_by"),
            acknowledgedAt: try row.optionalDate("acknowledged_at"), resolvedBy: try row.optionalString("resolved_by"), resolvedAt: try row.optionalDate("resolved_at"))
    }
}

/// Which alerts a list shows.
public struct AlertFilter: Sendable, Equatable {
    /// Every state when empty.
    public var states: Set<AlertState>
    public var accountID: String?
    public var ruleID: String?

    public init(states: Set<AlertState> = [], accountID: String? = nil, ruleID: String? = nil) {
        self.states = states
        self.accountID = accountID
        self.ruleID = ruleID
    }

    /// Open and acknowledged: what still needs someone.
    public static let active = AlertFilter(states: [.open, .acknowledged])
}
