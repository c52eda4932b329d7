import Foundation
import MediaOpsDomain
import SQLKit

public struct AuditFilter: Sendable, Equatable {
    public var actorID: String?
    public var entityType: String?
    public var entityID: String?
    public var action: AuditAction?
    public var from: Date?
    public var to: Date?

    public init(actorID: String? = nil, entityType: String? = nil, entityID: String? = nil, action: AuditAction? = nil, from: Date? = nil, to: Date? = nil) {
        self.actorID = actorID
        self.entityType = entityType
        self.entityID = entityID
        self.action = action
        self.from = from
        self.to = to
    }
}

/// The append-only record of every change.
public struct AuditRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    public func record(_ entry: AuditEntry) async throws {
        try await db.raw("""
            INSERT INTO audit_log (id, at, actor_id, actor_name, action, entity_type, entity_id, summary, changes)
            VALUES (\(bind: entry.id), \(bind: entry.at.epochMilliseconds), \(bind: entry.actorID), \(bind: entry.actorName),
            \(bind: entry.action.rawValue), \(bind: entry.entityType), \(bind: entry.entityID), \(bind: entry.summary),
            \(bind: JSONText.encode(entry.changes)))
            """).run()
    }

    public func list(filter: AuditFilter, page: PageRequest) async throws -> Page<AuditEntry> {
        var conditions: [SQLQueryString] = []
        if let actor = filter.actorID, !actor.isEmpty { conditions.append("actor_id = \(bind: actor)") }
        if let type = filter.entityType, !type.isEmpty { conditions.append("entity_type = \(bind: type)") }
        if let entity = filter.entityID, !entity.isEmpty { conditions.append("entity_id = \(bind: entity)") }
        if let action = filter.action { conditions.append("action = \(bind: action.rawValue)") }
        if let from = filter.from { conditions.append("at >= \(bind: from.epochMilliseconds)") }
        if let to = filter.to { conditions.append("at < \(bind: to.epochMilliseconds)") }
        let whereClause = whereSQL(conditions)
        let total = try await db.raw("SELECT COUNT(*) AS n FROM audit_log " + whereClause).first()?.int("n") ?? 0
        let rows = try await db.raw("SELECT * FROM audit_log " + whereClause + " ORDER BY at DESC, id DESC LIMIT \(bind: page.perPage) OFFSET \(bind: page.offset)").all()
        let entries = try rows.map { row in
            AuditEntry(
                id: try row.string("id"), at: try row.date("at"), actorID: try row.optionalString("actor_id"),
                actorName: try row.string("actor_name"), action: try row.value("action", as: AuditAction.self),
                entityType: try row.string("entity_type"), entityID: try row.string("entity_id"), summary: try row.string("summary"),
                changes: JSONText.decode([String: [String]].self, from: try row.string("changes")) ?? [:]
            )
        }
        return Page(items: entries, total: total, page: page.page, perPage: page.perPage)
    }
}

/// The one way a use case records what it changed, inside its own transaction.
/// Entries name the thing changed (its label) rather than describe the change in
/// prose: pages phrase the sentence in the reader's language, and the
/// before/after values (codes, ISO instants) are labelled when shown.
public enum Audit {
    public static func record(_ db: any SQLDatabase, _ principal: Principal, _ action: AuditAction, _ entity: AuditEntity, _ id: String,
                              label: String, changes: [String: [String]] = [:], at: Date = Date()) async throws {
        try await AuditRepository(db).record(AuditEntry(
            id: Identifier.makeOrdered("aud"), at: at, actorID: principal.memberID, actorName: principal.name,
            action: action, entityType: entity.rawValue, entityID: id, summary: label, changes: changes))
    }

    /// An instant as audit values store it: ISO 8601 in UTC, shown in the workspace zone.
    public static func instant(_ date: Date?) -> String {
        date.map { ISO8601DateFormatter().string(from: $0) } ?? ""
    }
}
