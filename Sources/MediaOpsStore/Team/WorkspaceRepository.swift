import Foundation
import MediaOpsDomain
import SQLKit

/// The single workspace row of this installation.
public struct WorkspaceRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    public func get() async throws -> Workspace? {
        guard let row = try await db.raw("SELECT * FROM workspace WHERE id = 'default'").first() else { return nil }
        return Workspace(
            name: try row.string("name"),
            timeZone: try row.string("time_zone"),
            defaultLocale: try row.value("default_locale", as: AppLocale.self),
            createdAt: try row.date("created_at")
        )
    }

    public func create(_ workspace: Workspace) async throws {
        let now = Date().epochMilliseconds
        try await db.raw("""
            INSERT INTO workspace (id, name, time_zone, default_locale, created_at, updated_at)
            VALUES ('default', \(bind: workspace.name), \(bind: workspace.timeZone), \(bind: workspace.defaultLocale.rawValue), \(bind: now), \(bind: now))
            """).run()
    }

    public func update(_ workspace: Workspace) async throws {
        try await db.raw("""
            UPDATE workspace SET name = \(bind: workspace.name), time_zone = \(bind: workspace.timeZone),
            default_locale = \(bind: workspace.defaultLocale.rawValue), updated_at = \(bind: Date().epochMilliseconds)
            WHERE id = 'default'
            """).run()
    }
}
