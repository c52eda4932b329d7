import Foundation
import MediaOpsDomain
import SQLKit

/// Brands or product lines that accounts belong to.
public struct AccountGroupRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    public func all() async throws -> [AccountGroup] {
        let groups = try await db.raw("SELECT * FROM account_groups").all().map(Self.group(from:))
        return groups.sortedByName(\.name)
    }

    /// Account counts per group id, for the group list.
    public func accountCounts() async throws -> [String: Int] {
        let rows = try await db.raw("""
            SELECT l.group_id AS group_id, COUNT(*) AS n FROM account_group_links l
            JOIN accounts a ON a.id = l.account_id WHERE a.state <> 'retired' GROUP BY l.group_id
            """).all()
        var counts: [String: Int] = [:]
        for row in rows { counts[try row.string("group_id")] = try row.int("n") }
        return counts
    }

    public func find(id: String) async throws -> AccountGroup? {
        try await db.raw("SELECT * FROM account_groups WHERE id = \(bind: id)").first().map(Self.group(from:))
    }

    public func find(name: String) async throws -> AccountGroup? {
        try await db.raw("SELECT * FROM account_groups WHERE name = \(bind: name)").first().map(Self.group(from:))
    }

    public func create(_ group: AccountGroup) async throws {
        let now = group.createdAt.epochMilliseconds
        try await db.raw("""
            INSERT INTO account_groups (id, name, description, created_at, updated_at)
            VALUES (\(bind: group.id), \(bind: group.name), \(bind: group.description), \(bind: now), \(bind: now))
            """).run()
    }

    public func update(_ group: AccountGroup) async throws {
        try await db.raw("""
            UPDATE account_groups SET name = \(bind: group.name), description = \(bind: group.description),
            updated_at = \(bind: Date().epochMilliseconds) WHERE id = \(bind: group.id)
            """).run()
    }

    /// Removes the group and its links; the accounts themselves stay.
    public func delete(id: String) async throws {
        try await db.raw("DELETE FROM account_group_links WHERE group_id = \(bind: id)").run()
        try await db.raw("DELETE FROM account_groups WHERE id = \(bind: id)").run()
    }

    private static func group(from row: any SQLRow) throws -> AccountGroup {
        AccountGroup(id: try row.string("id"), name: try row.string("name"), description: try row.string("description"),
                     createdAt: try row.date("created_at"))
    }
}
