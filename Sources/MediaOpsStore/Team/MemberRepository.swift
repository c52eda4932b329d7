import Foundation
import MediaOpsDomain
import SQLKit

public struct MemberFilter: Sendable, Equatable {
    public var query: String?
    public var roleKey: String?
    public var active: Bool?

    public init(query: String? = nil, roleKey: String? = nil, active: Bool? = nil) {
        self.query = query
        self.roleKey = roleKey
        self.active = active
    }
}

public enum MemberSort: String, Sendable, CaseIterable {
    case name, email, created
}

/// Members (the `users` table) and the roles each holds.
public struct MemberRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    public func count() async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM users").first()?.int("n") ?? 0
    }

    public func find(id: String) async throws -> Member? {
        guard let row = try await db.raw("SELECT * FROM users WHERE id = \(bind: id)").first() else { return nil }
        return try await member(from: row)
    }

    public func find(email: String) async throws -> Member? {
        guard let row = try await db.raw("SELECT * FROM users WHERE email = \(bind: email.lowercased())").first() else { return nil }
        return try await member(from: row)
    }

    public func passwordHash(email: String) async throws -> (member: Member, hash: String)? {
        guard let row = try await db.raw("SELECT * FROM users WHERE email = \(bind: email.lowercased())").first() else { return nil }
        return (try await member(from: row), try row.string("password_hash"))
    }

    public func list(filter: MemberFilter, sort: MemberSort = .name, descending: Bool = false, page: PageRequest) async throws -> Page<Member> {
        var conditions: [SQLQueryString] = []
        if let query = filter.query, !query.isEmpty {
            let pattern = likePattern(query)
            conditions.append("(LOWER(name) LIKE \(bind: pattern) ESCAPE '\\' OR email LIKE \(bind: pattern) ESCAPE '\\' OR sort_key LIKE \(bind: pattern) ESCAPE '\\')")
        }
        if let role = filter.roleKey, !role.isEmpty {
            conditions.append("id IN (SELECT user_id FROM user_roles WHERE role_key = \(bind: role))")
        }
        if let active = filter.active {
            conditions.append("active = \(bind: active)")
        }
        let whereClause = whereSQL(conditions)
        let direction = descending ? "DESC" : "ASC"
        let orderColumn = switch sort {
        case .name: "sort_key"
        case .email: "email"
        case .created: "created_at"
        }
        let total = try await db.raw("SELECT COUNT(*) AS n FROM users " + whereClause).first()?.int("n") ?? 0
        let rows = try await db.raw("SELECT * FROM users " + whereClause + " ORDER BY \(unsafeRaw: orderColumn) \(unsafeRaw: direction), id ASC LIMIT \(bind: page.perPage) OFFSET \(bind: page.offset)").all()
        var members: [Member] = []
        for row in rows { members.append(try await member(from: row)) }
        return Page(items: members, total: total, page: page.page, perPage: page.perPage)
    }

    public func all() async throws -> [Member] {
        let rows = try await db.raw("SELECT * FROM users ORDER BY sort_key, id").all()
        var members: [Member] = []
        for row in rows { members.append(try await member(from: row)) }
        return members
    }

    public func create(_ member: Member, passwordHash: String) async throws {
        try await db.raw("""
            INSERT INTO users (id, email, name, sort_key, password_hash, locale, active, created_at, updated_at)
            VALUES (\(bind: member.id), \(bind: member.email.lowercased()), \(bind: member.name), \(bind: SortKey.make(member.name)),
            \(bind: passwordHash), \(bind: member.locale?.rawValue), \(bind: member.isActive),
            \(bind: member.createdAt.epochMilliseconds), \(bind: member.updatedAt.epochMilliseconds))
            """).run()
        try await setRoles(member.roleKeys, for: member.id)
    }

    public func update(_ member: Member) async throws {
        try await db.raw("""
            UPDATE users SET name = \(bind: member.name), sort_key = \(bind: SortKey.make(member.name)),
            locale = \(bind: member.locale?.rawValue), active = \(bind: member.isActive),
            updated_at = \(bind: Date().epochMilliseconds) WHERE id = \(bind: member.id)
            """).run()
        try await setRoles(member.roleKeys, for: member.id)
    }

    public func setPassword(hash: String, for id: String) async throws {
        try await db.raw("UPDATE users SET password_hash = \(bind: hash), updated_at = \(bind: Date().epochMilliseconds) WHERE id = \(bind: id)").run()
    }

    public func countActive(withRole role: String) async throws -> Int {
        try await db.raw("""
            SELECT COUNT(*) AS n FROM users u JOIN user_roles r ON r.user_id = u.id
            WHERE r.role_key = \(bind: role) AND u.active = \(bind: true)
            """).first()?.int("n") ?? 0
    }

    public func countHolders(ofRole role: String) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM user_roles WHERE role_key = \(bind: role)").first()?.int("n") ?? 0
    }

    private func setRoles(_ roles: [String], for id: String) async throws {
        try await db.raw("DELETE FROM user_roles WHERE user_id = \(bind: id)").run()
        for role in Set(roles) {
            try await db.raw("INSERT INTO user_roles (user_id, role_key) VALUES (\(bind: id), \(bind: role))").run()
        }
    }

    private func member(from row: any SQLRow) async throws -> Member {
        let id = try row.string("id")
        let roles = try await db.raw("SELECT role_key FROM user_roles WHERE user_id = \(bind: id) ORDER BY role_key").all().map { try $0.string("role_key") }
        return Member(
            id: id,
            email: try row.string("email"),
            name: try row.string("name"),
            roleKeys: Self.ordered(roles),
            locale: try row.optionalString("locale").flatMap(AppLocale.init(rawValue:)),
            isActive: try row.bool("active"),
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at")
        )
    }

    /// Built-in roles in their canonical order, then custom roles by key.
    static func ordered(_ keys: [String]) -> [String] {
        let builtin = BuiltinRole.allCases.map(\.rawValue).filter(keys.contains)
        return builtin + keys.filter { BuiltinRole(rawValue: $0) == nil }.sorted()
    }
}
