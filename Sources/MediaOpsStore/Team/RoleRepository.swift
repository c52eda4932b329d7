import Foundation
import MediaOpsDomain
import SQLKit

/// Built-in roles come from code; custom roles are rows defined by the owner.
public struct RoleRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    public func all() async throws -> [Role] {
        Role.builtins + (try await custom())
    }

    public func custom() async throws -> [Role] {
        try await db.raw("SELECT * FROM custom_roles ORDER BY key").all().map(Self.role(from:))
    }

    public func find(key: String) async throws -> Role? {
        if let builtin = BuiltinRole(rawValue: key) { return Role(builtin: builtin) }
        return try await db.raw("SELECT * FROM custom_roles WHERE key = \(bind: key)").first().map(Self.role(from:))
    }

    public func create(_ role: Role) async throws {
        let now = Date().epochMilliseconds
        try await db.raw("""
            INSERT INTO custom_roles (key, name, description, permissions, created_at, updated_at)
            VALUES (\(bind: role.key), \(bind: role.name ?? role.key), \(bind: role.description ?? ""),
            \(bind: Self.encode(role.permissions)), \(bind: now), \(bind: now))
            """).run()
    }

    public func update(_ role: Role) async throws {
        try await db.raw("""
            UPDATE custom_roles SET name = \(bind: role.name ?? role.key), description = \(bind: role.description ?? ""),
            permissions = \(bind: Self.encode(role.permissions)), updated_at = \(bind: Date().epochMilliseconds)
            WHERE key = \(bind: role.key)
            """).run()
    }

    public func delete(key: String) async throws {
        try await db.raw("DELETE FROM custom_roles WHERE key = \(bind: key)").run()
    }

    /// The union of the permissions of the given roles (unknown keys grant nothing).
    public func permissions(for keys: [String]) async throws -> Set<Permission> {
        var result = Set<Permission>()
        let custom = try await self.custom()
        for key in keys {
            if let builtin = BuiltinRole(rawValue: key) {
                result.formUnion(builtin.permissions)
            } else if let role = custom.first(where: { $0.key == key }) {
                result.formUnion(role.permissions)
            }
        }
        return result
    }

    private static func encode(_ permissions: Set<Permission>) -> String {
        permissions.map(\.rawValue).sorted().joined(separator: ",")
    }

    private static func role(from row: any SQLRow) throws -> Role {
        let permissions = try row.string("permissions").split(separator: ",").compactMap { Permission(rawValue: String($0)) }
        return Role(key: try row.string("key"), name: try row.string("name"), description: try row.string("description"),
                    permissions: Set(permissions), isBuiltin: false)
    }
}
