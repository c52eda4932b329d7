import Foundation
import MediaOpsDomain
import SQLKit

/// The `funnels`, `funnel_stages` and `funnel_events` tables. Rows are read
/// strictly: an unknown scope or stage source is an unreadable row.
public struct FunnelRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    /// Every funnel, oldest first.
    public func all() async throws -> [Funnel] {
        let rows = try await db.raw("SELECT * FROM funnels ORDER BY created_at, id").all()
        let stages = try await stagesByFunnel(nil)
        return try rows.map { try Self.funnel(from: $0, stages: stages) }
    }

    public func find(id: String, lock: Bool = false) async throws -> Funnel? {
        let clause: SQLQueryString = lock ? "\(RowLock.update)" : ""
        guard let row = try await db.raw("SELECT * FROM funnels WHERE id = \(bind: id)" + clause).first() else { return nil }
        return try Self.funnel(from: row, stages: try await stagesByFunnel(id))
    }

    public func create(_ funnel: Funnel, createdBy: String?, now: Date) async throws {
        try await db.raw("""
            INSERT INTO funnels (id, name, description, scope_kind, scope_id, created_by, created_at, updated_at)
            VALUES (\(bind: funnel.id), \(bind: funnel.name), \(bind: funnel.description), \(bind: funnel.scope.kind.rawValue), \(bind: funnel.scope.id),
                    \(bind: createdBy), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds))
            """).run()
        try await writeStages(funnel)
    }

    /// Writes the funnel's settings and stages. Events of stages that no
    /// longer exist, or that no longer count events, go with them.
    public func update(_ funnel: Funnel, now: Date) async throws {
        try await db.raw("""
            UPDATE funnels SET name = \(bind: funnel.name), description = \(bind: funnel.description), scope_kind = \(bind: funnel.scope.kind.rawValue),
                scope_id = \(bind: funnel.scope.id), updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: funnel.id)
            """).run()
        try await db.raw("DELETE FROM funnel_stages WHERE funnel_id = \(bind: funnel.id)").run()
        try await writeStages(funnel)
        let eventStages = funnel.stages.indices.filter { funnel.stages[$0].source == .events }.map { $0 + 1 }
        let keep: SQLQueryString = eventStages.isEmpty ? "" : " AND position NOT IN (" + eventStages.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ") + ")"
        try await db.raw("DELETE FROM funnel_events WHERE funnel_id = \(bind: funnel.id)" + keep).run()
    }

    public func delete(id: String) async throws {
        try await db.raw("DELETE FROM funnel_events WHERE funnel_id = \(bind: id)").run()
        try await db.raw("DELETE FROM funnel_stages WHERE funnel_id = \(bind: id)").run()
        try await db.raw("DELETE FROM funnels WHERE id = \(bind: id)").run()
    }

    func writeStages(_ funnel: Funnel) async throws {
        for (index, stage) in funnel.stages.enumerated() {
            try await db.raw("""
                INSERT INTO funnel_stages (funnel_id, position, name, source) VALUES (\(bind: funnel.id), \(bind: index + 1), \(bind: stage.name), \(bind: stage.source.key))
                """).run()
        }
    }

    func stagesByFunnel(_ id: String?) async throws -> [String: [FunnelStage]] {
        let filter: SQLQueryString = id.map { " WHERE funnel_id = \(bind: $0)" } ?? ""
        var stages: [String: [FunnelStage]] = [:]
        for row in try await db.raw("SELECT * FROM funnel_stages" + filter + " ORDER BY funnel_id, position").all() {
            let text = try row.string("source")
            guard let source = FunnelStageSource(key: text) else { throw UnreadableStoredValue(column: "source", value: text) }
            stages[try row.string("funnel_id"), default: []].append(FunnelStage(name: try row.string("name"), source: source))
        }
        return stages
    }

    static func funnel(from row: any SQLRow, stages: [String: [FunnelStage]]) throws -> Funnel {
        let id = try row.string("id")
        let kind = try row.value("scope_kind", as: AlertScope.Kind.self)
        guard let scope = AlertScope(kind: kind, id: try row.optionalString("scope_id")) else { throw UnreadableStoredValue(column: "scope_id", value: "") }
        return Funnel(id: id, name: try row.string("name"), description: try row.string("description"), scope: scope, stages: stages[id] ?? [])
    }

    // MARK: Events

    /// Adds the events not already there (by fingerprint); answers how many were new.
    public func insertEvents(_ events: [FunnelEvent], funnelID: String, position: Int, importedBy: String?, now: Date) async throws -> Int {
        let before = try await eventCount(funnelID: funnelID, position: position)
        try await BulkRows.insert(events, columns: [.init(name: "id", type: .text), .init(name: "day", type: .text), .init(name: "account_id", type: .text),
                                                    .init(name: "campaign", type: .text), .init(name: "amount_fen", type: .double), .init(name: "fingerprint", type: .text)],
                                  into: "funnel_events",
                                  constants: [("funnel_id", "\(bind: funnelID)"), ("position", "\(bind: position)"), ("imported_by", "\(bind: importedBy)"),
                                              ("imported_at", "\(bind: now.epochMilliseconds)")],
                                  tail: "ON CONFLICT (funnel_id, position, fingerprint) DO NOTHING", on: db) { bulk, event in
            bulk.text(Identifier.makeOrdered("fev"))
            bulk.text(event.day.description)
            bulk.text(event.accountID)
            bulk.text(event.campaign)
            bulk.double(event.amount)
            bulk.text(event.fingerprint)
        }
        return try await eventCount(funnelID: funnelID, position: position) - before
    }

    public func eventCount(funnelID: String, position: Int) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM funnel_events WHERE funnel_id = \(bind: funnelID) AND position = \(bind: position)").first()?.int("n") ?? 0
    }

    /// A stage's events over [from, to] by account (nil: events without one), with their count and amount.
    public func eventTotals(funnelID: String, position: Int, from: LocalDate, to: LocalDate) async throws -> [String?: (count: Double, amount: Double?)] {
        var totals: [String?: (count: Double, amount: Double?)] = [:]
        for row in try await db.raw("""
            SELECT account_id, COUNT(*) AS n, SUM(amount_fen) AS amount FROM funnel_events
            WHERE funnel_id = \(bind: funnelID) AND position = \(bind: position) AND day >= \(bind: from.description) AND day <= \(bind: to.description)
            GROUP BY account_id
            """).all() {
            totals[try row.optionalString("account_id")] = (Double(try row.int("n")), try row.decode(column: "amount", as: Double?.self))
        }
        return totals
    }

    /// A stage's event counts by day over [from, to], for the given accounts (nil: every event).
    public func dailyEventCounts(funnelID: String, position: Int, from: LocalDate, to: LocalDate, accountIDs: Set<String>?) async throws -> [LocalDate: Double] {
        var counts: [LocalDate: Double] = [:]
        for row in try await db.raw("""
            SELECT day, account_id, COUNT(*) AS n FROM funnel_events
            WHERE funnel_id = \(bind: funnelID) AND position = \(bind: position) AND day >= \(bind: from.description) AND day <= \(bind: to.description)
            GROUP BY day, account_id
            """).all() {
            if let accountIDs {
                guard let account = try row.optionalString("account_id"), accountIDs.contains(account) else { continue }
            }
            guard let day = LocalDate(try row.string("day")) else { continue }
            counts[day, default: 0] += Double(try row.int("n"))
        }
        return counts
    }
}
