import Foundation
import Logging
import MediaOpsStore
import SQLKit

/// The databases every repository and route test runs on: SQLite always, and
/// PostgreSQL when MEDIAOPS_TEST_POSTGRES_URL points at a server (CI sets it).
public enum TestDatabase: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgresql

    public var description: String { rawValue }

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["MEDIAOPS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The kinds to run on here: PostgreSQL only where a server is configured.
    public static var available: [TestDatabase] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgresql]
    }

    public static let logger: Logger = {
        var logger = Logger(label: "mediaops-tests")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` against a fresh, migrated database that is dropped afterwards.
    /// Each PostgreSQL test gets its own database, so tests run in parallel safely.
    /// SQLite is in memory (hundreds of tests at once on two cores); with
    /// `sqliteFile` it is a file, as MediaOps keeps it, whose reads go to the
    /// read-only connections beside the writer, which an in-memory database has not.
    public func with<R: Sendable>(sqliteFile: Bool = false, _ body: @Sendable (Database) async throws -> R) async throws -> R {
        switch self {
        case .sqlite:
            let path = sqliteFile ? Self.sqliteFile() : nil
            let database = try await Database.open(path.map { .sqliteFile(path: $0) } ?? .sqliteMemory, logger: Self.logger)
            func remove() async {
                await database.close()
                if let path { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
            }
            do {
                try await Migrations.run(on: database, logger: Self.logger)
                let result = try await body(database)
                await remove()
                return result
            } catch {
                await remove()
                throw error
            }
        case .postgresql:
            guard let adminURL = Self.postgresURL else { throw MissingPostgres() }
            let name = "mediaops_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
            let template = try await PostgresTemplate.shared.name(adminURL: adminURL)
            try await Self.asAdmin(adminURL) { admin in
                try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: String(name)) TEMPLATE \(unsafeRaw: template)").run()
            }
            let database = try await Database.open(.postgres(url: try Self.url(adminURL, database: String(name))), logger: Self.logger)
            func drop() async {
                await database.close()
                if let admin = try? await Database.open(.postgres(url: adminURL), logger: Self.logger) {
                    try? await admin.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run()
                    await admin.close()
                }
            }
            do {
                let result = try await body(database)
                await drop()
                return result
            } catch {
                await drop()
                throw error
            }
        }
    }

    /// A new SQLite file's path: in shared memory where the machine has it
    /// (the suite writes hundreds of databases), else the temporary folder.
    public static func sqliteFile() -> String {
        let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return (folder as NSString).appendingPathComponent("mediaops-test-\(UUID().uuidString.lowercased()).sqlite")
    }

    /// Migrating a new PostgreSQL database took most of a short test's time;
    /// each test's database is instead copied (`CREATE DATABASE … TEMPLATE`)
    /// from one database migrated once per test process. Its name carries the
    /// time it was made, so templates left by earlier runs (a process has no
    /// exit hook to drop its own) are dropped once they are old.
    actor PostgresTemplate {
        static let shared = PostgresTemplate()
        private var creation: Task<String, any Error>?

        func name(adminURL: String) async throws -> String {
            if let creation { return try await creation.value }
            let task = Task { try await Self.create(adminURL: adminURL) }
            creation = task
            return try await task.value
        }

        private static func create(adminURL: String) async throws -> String {
            let now = Int(Date().timeIntervalSince1970)
            let name = "mediaops_tpl_\(now)_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(8)
            try await TestDatabase.asAdmin(adminURL) { admin in
                let stale = try await admin.sql.raw("SELECT datname FROM pg_database WHERE datname LIKE 'mediaops_tpl_%'").all()
                    .compactMap { try? $0.decode(column: "datname", as: String.self) }
                    .filter { (Int($0.split(separator: "_")[2]) ?? now) < now - 6 * 3600 }
                for old in stale { try? await admin.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: old) WITH (FORCE)").run() }
                try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: name)").run()
            }
            let template = try await Database.open(.postgres(url: try TestDatabase.url(adminURL, database: name)), logger: TestDatabase.logger)
            do {
                try await Migrations.run(on: template, logger: TestDatabase.logger)
            } catch {
                await template.close()
                throw error
            }
            // A template cannot be copied while anyone is connected to it.
            await template.close()
            return name
        }
    }

    /// Runs `body` on a connection to the server's administrative database, closed however `body` ends.
    static func asAdmin(_ adminURL: String, _ body: (Database) async throws -> Void) async throws {
        let admin = try await Database.open(.postgres(url: adminURL), logger: logger)
        do {
            try await body(admin)
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
    }

    /// The server's URL with another database's name.
    static func url(_ adminURL: String, database name: String) throws -> String {
        guard var components = URLComponents(string: adminURL) else { throw MissingPostgres() }
        components.path = "/" + name
        return components.string!
    }

    public struct MissingPostgres: Error, CustomStringConvertible {
        public var description: String { "MEDIAOPS_TEST_POSTGRES_URL is not set or not a URL" }
    }
}
