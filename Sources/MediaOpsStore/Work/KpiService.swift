import Foundation
import MediaOpsDomain
import SQLKit

/// KPI definitions and their targets: validated (every broken field at once),
/// transactional and audited. Reading them needs `kpis.view`; the routes
/// that call the changing methods need `kpis.manage`.
public struct KpiService: Sendable {
    public let database: Database

    public init(database: Database) { self.database = database }

    public func all() async throws -> [KpiDefinition] { try await KpiRepository(database.sql).all() }

    public func definition(id: String) async throws -> KpiDefinition? { try await KpiRepository(database.sql).find(id: id) }

    public func targets(kpiID: String? = nil) async throws -> [KpiTarget] { try await KpiRepository(database.sql).targets(kpiID: kpiID) }

    // MARK: Definitions

    public func create(_ draft: KpiDefinition, by principal: Principal, now: Date? = nil) async throws -> KpiDefinition {
        let now = now ?? database.now()
        var definition = Self.cleaned(draft)
        definition.id = Identifier.makeOrdered("kpi")
        definition.isBuiltin = false
        definition.createdAt = now
        definition.updatedAt = now
        let checked = definition
        return try await database.transaction { db in
            try await Self.check(checked, db: db)
            let repository = KpiRepository(db)
            guard try await repository.count() < KpiDefinition.maxCount else {
                throw ValidationError(field: "name", code: "too_many", params: ["max": String(KpiDefinition.maxCount)])
            }
            try await repository.create(checked)
            try await Audit.record(db, principal, .create, .kpi, checked.id, label: Self.label(checked),
                                   changes: Self.fields(checked).mapValues { ["", $0] }, at: now)
            return checked
        }
    }

    public func update(_ edited: KpiDefinition, by principal: Principal, now: Date? = nil) async throws -> KpiDefinition {
        let now = now ?? database.now()
        let cleaned = Self.cleaned(edited)
        return try await database.transaction { db in
            let repository = KpiRepository(db)
            guard let before = try await repository.find(id: cleaned.id, lock: true) else { throw NotFoundError(entity: "kpi") }
            var definition = cleaned
            definition.isBuiltin = before.isBuiltin
            definition.createdAt = before.createdAt
            definition.updatedAt = now
            try await Self.check(definition, db: db)
            let changes = ChangeSet(from: Self.fields(before), to: Self.fields(definition))
            guard !changes.isEmpty else { return before }
            try await repository.update(definition)
            try await Audit.record(db, principal, .update, .kpi, definition.id, label: Self.label(definition), changes: changes.changes, at: now)
            return definition
        }
    }

    /// Deletes a KPI with its targets. Finalized reviews keep it on their frozen scorecards.
    public func delete(id: String, by principal: Principal, now: Date? = nil) async throws {
        let now = now ?? database.now()
        try await database.transaction { db in
            let repository = KpiRepository(db)
            guard let definition = try await repository.find(id: id, lock: true) else { throw NotFoundError(entity: "kpi") }
            try await repository.delete(id: id)
            try await Audit.record(db, principal, .delete, .kpi, id, label: Self.label(definition), at: now)
        }
    }

    static func cleaned(_ definition: KpiDefinition) -> KpiDefinition {
        var definition = definition
        if let name = definition.name?.trimmingCharacters(in: .whitespacesAndNewlines) {
            definition.name = name.isEmpty && definition.isBuiltin ? nil : name
        }
        definition.parameters = definition.parameters.normalized(for: definition.source)
        if let role = definition.roleKey?.trimmingCharacters(in: .whitespaces) { definition.roleKey = role.isEmpty ? nil : role }
        return definition
    }

    /// The domain's checks and the role existing; every broken field at once.
    static func check(_ definition: KpiDefinition, db: any SQLDatabase) async throws {
        var errors = definition.validationErrors()
        if let role = definition.roleKey, try await RoleRepository(db).find(key: role) == nil {
            errors.append(ValidationError(field: "role", code: "unknown_role", params: ["role": role]))
        }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
    }

    static func label(_ definition: KpiDefinition) -> String { definition.name ?? definition.source.rawValue }

    static func fields(_ definition: KpiDefinition) -> [String: String] {
        ["name": definition.name ?? "", "data_source": definition.source.rawValue, "direction": definition.direction.rawValue,
         "role": definition.roleKey ?? "", "weight": String(definition.weight), "active": String(definition.isActive),
         "platform": definition.parameters.platform?.rawValue ?? "", "lead_hours": definition.parameters.leadHours.map(String.init) ?? "",
         "grace_hours": definition.parameters.graceHours.map(String.init) ?? ""]
    }

    // MARK: Targets

    /// Sets the target of a KPI for a period kind and a role or a member, replacing the one there was.
    public func setTarget(kpiID: String, periodKind: KpiPeriodKind, scope: KpiTargetScope, value: Double, by principal: Principal,
                          now: Date? = nil) async throws -> KpiTarget {
        let now = now ?? database.now()
        return try await database.transaction { db in
            let repository = KpiRepository(db)
            guard let definition = try await repository.find(id: kpiID, lock: true) else { throw NotFoundError(entity: "kpi") }
            var errors: [ValidationError] = []
            if let problem = KpiTarget.check(value, unit: definition.source.unit) { errors.append(problem) }
            let scopeLabel: String
            switch scope {
            case .role(let key):
                scopeLabel = key
                if try await RoleRepository(db).find(key: key) == nil {
                    errors.append(ValidationError(field: "scope", code: "unknown_role", params: ["role": key]))
                }
            case .member(let id):
                if let member = try await MemberRepository(db).find(id: id) { scopeLabel = member.label } else {
                    scopeLabel = id
                    errors.append(ValidationError(field: "scope", code: "kpi_target_member_unknown"))
                }
            }
            if errors.count == 1 { throw errors[0] }
            if !errors.isEmpty { throw ValidationErrors(errors) }
            let before = try await repository.target(kpiID: kpiID, periodKind: periodKind, scope: scope)
            let target = KpiTarget(id: before?.id ?? Identifier.makeOrdered("kpt"), kpiID: kpiID, periodKind: periodKind, scope: scope, value: value, updatedAt: now)
            try await repository.put(target)
            var changes = ChangeSet()
            changes.record("target", before.map { Self.text($0.value) }, Self.text(value))
            changes.record("period_kind", before?.periodKind.rawValue, periodKind.rawValue)
            changes.record("scope", before.map { "\($0.scope.kind):\($0.scope.key)" }, "\(scope.kind):\(scope.key)")
            try await Audit.record(db, principal, before == nil ? .create : .update, .kpiTarget, target.id,
                                   label: Self.label(definition) + " · " + scopeLabel, changes: changes.changes, at: now)
            return target
        }
    }

    public func deleteTarget(kpiID: String, targetID: String, by principal: Principal, now: Date? = nil) async throws {
        let now = now ?? database.now()
        try await database.transaction { db in
            let repository = KpiRepository(db)
            guard let definition = try await repository.find(id: kpiID, lock: true),
                  let target = try await repository.target(id: targetID), target.kpiID == kpiID else { throw NotFoundError(entity: "kpi_target") }
            try await repository.deleteTarget(id: targetID)
            try await Audit.record(db, principal, .delete, .kpiTarget, targetID, label: Self.label(definition) + " · " + target.scope.key,
                                   changes: ["target": [Self.text(target.value), ""]], at: now)
        }
    }

    static func text(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
