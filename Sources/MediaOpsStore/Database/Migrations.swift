import Foundation
import Logging
import SQLKit

/// The ordered ledger of schema changes. Never edit a shipped migration: add the
/// next number. Statements use only types both databases read the same way:
/// TEXT, BIGINT (instants as UTC epoch milliseconds), INTEGER, BOOLEAN.
public enum Migrations {
    public struct Migration: Sendable {
        public let version: Int
        public let name: String
        public let statements: [String]
        /// Dialect-specific statements, run after the shared ones.
        public var sqliteOnly: [String] = []
        public var postgresOnly: [String] = []
        /// PostgreSQL statements that may fail without harm (an extension the
        /// database user may not create); each runs behind a savepoint.
        public var postgresOptional: [String] = []
        /// A data step in Swift, run last in the migration's transaction (rows
        /// the statements cannot compute, e.g. counts from encoded columns).
        public var data: (@Sendable (any SQLDatabase) async throws -> Void)? = nil
    }

    /// The ledger, in order: one file per migration in `Migrations/NNN_name.swift`.
    public static let all: [Migration] = [
        m001_workspace_and_members,
        m002_accounts_and_audit,
        m003_content,
        m004_asset_library,
        m005_job_queue,
        m006_publish_targets,
        m007_publishing_engine,
        m008_trust,
        m009_list_performance,
        m010_notification_detail,
        m011_metric_store,
        m012_metric_imports,
        m013_metric_pulls,
        m014_metric_running_totals,
        m015_post_snapshot_rows,
        m016_posts_target_partial,
        m017_alerts,
        m018_reports,
        m020_funnels,
        m021_competitors,
        m022_planning,
        m023_tasks,
        m024_knowledge,
        m025_kpis_and_reviews,
        m026_goal_funnel_stage,
        m027_account_metric_keys,
        m028_import_progress,
    ]

    /// Applies every migration not yet in `schema_migrations`, each in its own
    /// transaction. On PostgreSQL an advisory lock keeps two starting processes
    /// from migrating at once.
    @discardableResult
    public static func run(on database: Database, logger: Logger) async throws -> [Int] {
        try await database.sql.raw("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at BIGINT NOT NULL
            )
            """).run()
        if database.kind == .postgresql {
            return try await database.withConnection { connection in
                try await connection.raw("SELECT pg_advisory_lock(72616601)").run()
                do {
                    let applied = try await applyPending(connection: connection, logger: logger)
                    try await connection.raw("SELECT pg_advisory_unlock(72616601)").run()
                    return applied
                } catch {
                    try? await connection.raw("SELECT pg_advisory_unlock(72616601)").run()
                    throw error
                }
            }
        }
        return try await database.withConnection { connection in
            try await applyPending(connection: connection, logger: logger)
        }
    }

    private static func applyPending(connection: any SQLDatabase, logger: Logger) async throws -> [Int] {
        let done = Set(try await connection.raw("SELECT version FROM schema_migrations").all().map { try $0.decode(column: "version", as: Int.self) })
        var applied: [Int] = []
        for migration in all where !done.contains(migration.version) {
            try await connection.raw(SQLQueryString(connection.dialect.name == "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN")).run()
            do {
                let isSQLite = connection.dialect.name == "sqlite"
                for statement in migration.statements + (isSQLite ? migration.sqliteOnly : migration.postgresOnly) {
                    try await connection.raw(SQLQueryString(statement)).run()
                }
                if !isSQLite {
                    for (index, statement) in migration.postgresOptional.enumerated() {
                        let savepoint = "optional_" + String(index)
                        try await connection.raw(SQLQueryString("SAVEPOINT " + savepoint)).run()
                        do {
                            try await connection.raw(SQLQueryString(statement)).run()
                            try await connection.raw(SQLQueryString("RELEASE SAVEPOINT " + savepoint)).run()
                        } catch {
                            try await connection.raw(SQLQueryString("ROLLBACK TO SAVEPOINT " + savepoint)).run()
                            logger.warning("optional migration step skipped", metadata: ["statement": "\(statement)", "error": "\(String(reflecting: error))"])
                        }
                    }
                }
                if let data = migration.data { try await data(connection) }
                try await connection.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Date().epochMilliseconds))").run()
                try await connection.raw("COMMIT").run()
            } catch {
                try? await connection.raw("ROLLBACK").run()
                throw error
            }
            logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            applied.append(migration.version)
        }
        return applied
    }
}
