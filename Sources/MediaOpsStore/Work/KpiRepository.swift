import Foundation
import MediaOpsDomain
import SQLKit

/// The `kpi_definitions` and `kpi_targets` tables. Rows are read strictly: an
/// unknown source, direction, period kind or scope is an unreadable row.
public struct KpiRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    /// Every definition: built-in ones first, then by creation.
    public func all() async throws -> [KpiDefinition] {
        try await db.raw("SELECT * FROM kpi_definitions ORDER BY builtin DESC, created_at, id").all().map(Self.definition(from:))
    }

    public func count() async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM kpi_definitions").first().map { try $0.int("n") } ?? 0
    }

    public func find(id: String, lock: Bool = false) async throws -> KpiDefinition? {
        let clause: SQLQueryString = lock ? "\(RowLock.update)" : ""
        return try await db.raw("SELECT * FROM kpi_definitions WHERE id = \(bind: id)" + clause).first().map(Self.definition(from:))
    }

    public func create(_ definition: KpiDefinition) async throws {
        try await db.raw("""
            INSERT INTO kpi_definitions (id, name, source, parameters, direction, role_key, weight, active, builtin, created_at, updated_at)
            VALUES (\(bind: definition.id), \(bind: definition.name), \(bind: definition.source.rawValue), \(bind: JSONText.encode(definition.parameters)),
                \(bind: definition.direction.rawValue), \(bind: definition.roleKey), \(bind: definition.weight), \(bind: definition.isActive),
                \(bind: definition.isBuiltin), \(bind: definition.createdAt.epochMilliseconds), \(bind: definition.updatedAt.epochMilliseconds))
            """).run()
    }

    public func update(_ definition: KpiDefinition) async throws {
        try await db.raw("""
            UPDATE kpi_definitions SET name = \(bind: definition.name), source = \(bind: definition.source.rawValue),
                parameters = \(bind: JSONText.encode(definition.parameters)), direction = \(bind: definition.direction.rawValue),
                role_key = \(bind: definition.roleKey), weight = \(bind: definition.weight), active = \(bind: definition.isActive),
                updated_at = \(bind: definition.updatedAt.epochMilliseconds)
            WHERE id = \(bind: definition.id)
            """).run()
    }

    /// Deletes the definition with its targets.
    public func delete(id: String) async throws {
        try await db.raw("DELETE FROM kpi_targets WHERE kpi_id = \(bind: id)").run()
        try await db.raw("DELETE FROM kpi_definitions WHERE id = \(bind: id)").run()
    }

    // MARK: Targets

    public func targets(kpiID: String? = nil) async throws -> [KpiTarget] {
        let filter: SQLQueryString = kpiID.map { " WHERE kpi_id = \(bind: $0)" } ?? ""
        return try await db.raw("SELECT * FROM kpi_targets" + filter + " ORDER BY kpi_id, period_kind, scope_kind DESC, scope_id").all().map(Self.target(from:))
    }

    public func target(id: String) async throws -> KpiTarget? {
        try await db.raw("SELECT * FROM kpi_targets WHERE id = \(bind: id)").first().map(Self.target(from:))
    }

    public func target(kpiID: String, periodKind: KpiPeriodKind, scope: KpiTargetScope) async throws -> KpiTarget? {
        try await db.raw("""
            SELECT * FROM kpi_targets WHERE kpi_id = \(bind: kpiID) AND period_kind = \(bind: periodKind.rawValue)
            AND scope_kind = \(bind: scope.kind) AND scope_id = \(bind: scope.key)
            """).first().map(Self.target(from:))
    }

    /// Writes a target, replacing the one for the same KPI, period kind and scope.
    public func put(_ target: KpiTarget) async throws {
        try await db.raw("""
            DELETE FROM kpi_targets WHERE kpi_id = \(bind: target.kpiID) AND period_kind = \(bind: target.periodKind.rawValue)
            AND scope_kind = \(bind: target.scope.kind) AND scope_id = \(bind: target.scope.key)
            """).run()
        try await db.raw("""
            INSERT INTO kpi_targets (id, kpi_id, period_kind, scope_kind, scope_id, value, updated_at)
            VALUES (\(bind: target.id), \(bind: target.kpiID), \(bind: target.periodKind.rawValue), \(bind: target.scope.kind), \(bind: target.scope.key),
                \(bind: target.value), \(bind: target.updatedAt.epochMilliseconds))
            """).run()
    }

    public func deleteTarget(id: String) async throws {
        try await db.raw("DELETE FROM kpi_targets WHERE id = \(bind: id)").run()
    }

    static func definition(from row: any SQLRow) throws -> KpiDefinition {
        let text = try row.string("parameters")
        guard let parameters = JSONText.decode(KpiParameters.self, from: text) else { throw UnreadableStoredValue(column: "parameters", value: text) }
        return KpiDefinition(id: try row.string("id"), name: try row.optionalString("name"), source: try row.value("source", as: KpiSource.self),
                             parameters: parameters, direction: try row.value("direction", as: KpiDirection.self), roleKey: try row.optionalString("role_key"),
                             weight: try row.int("weight"), isActive: try row.bool("active"), isBuiltin: try row.bool("builtin"),
                             createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }

    static func target(from row: any SQLRow) throws -> KpiTarget {
        let kind = try row.string("scope_kind"), key = try row.string("scope_id")
        let scope: KpiTargetScope
        switch kind {
        case "role": scope = .role(key)
        case "member": scope = .member(key)
        default: throw UnreadableStoredValue(column: "scope_kind", value: kind)
        }
        return KpiTarget(id: try row.string("id"), kpiID: try row.string("kpi_id"), periodKind: try row.value("period_kind", as: KpiPeriodKind.self),
                         scope: scope, value: try row.double("value"), updatedAt: try row.date("updated_at"))
    }
}
