import Foundation
import SQLKit

/// The `reporting_lines` table: each member's one manager, if any.
public struct ReportingLineRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    public func manager(of memberID: String) async throws -> String? {
        try await db.raw("SELECT manager_id FROM reporting_lines WHERE member_id = \(bind: memberID)").first().map { try $0.string("manager_id") }
    }

    /// Member → manager, for every member who has one.
    public func all() async throws -> [String: String] {
        var lines: [String: String] = [:]
        for row in try await db.raw("SELECT member_id, manager_id FROM reporting_lines").all() {
            lines[try row.string("member_id")] = try row.string("manager_id")
        }
        return lines
    }

    public func reports(of managerID: String) async throws -> [String] {
        try await db.raw("SELECT member_id FROM reporting_lines WHERE manager_id = \(bind: managerID) ORDER BY member_id").all().map { try $0.string("member_id") }
    }

    /// Sets or (with nil) clears a member's manager.
    public func set(memberID: String, managerID: String?, now: Date) async throws {
        try await db.raw("DELETE FROM reporting_lines WHERE member_id = \(bind: memberID)").run()
        guard let managerID else { return }
        try await db.raw("""
            INSERT INTO reporting_lines (member_id, manager_id, updated_at) VALUES (\(bind: memberID), \(bind: managerID), \(bind: now.epochMilliseconds))
            """).run()
    }
}
