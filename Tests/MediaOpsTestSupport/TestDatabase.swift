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
    public func with<R: Sendable>(_ body: @Sendable (Database) async throws -> R) async throws -> R {
        switch self {
        case .sqlite:
            let database = try await Database.open(.sqliteMemory, logger: Self.logger)
            try await Migrations.run(on: database, logger: Self.logger)
            do {
                let result = try await body(database)
                await database.close()
                return result
            } catch {
                await database.close()
                throw error
            }
        case .postgresql:
            guard let adminURL = Self.postgresURL else { throw MissingPostgres() }
            let name = "mediaops_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
            let admin = try await Database.open(.postgres(url: adminURL), logger: Self.logger)
            try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: String(name))").run()
            await admin.close()
            guard var components = URLComponents(string: adminURL) else { throw MissingPostgres() }
            components.path = "/" + name
            let database = try await Database.open(.postgres(url: components.string!), logger: Self.logger)
            func drop() async {
                await database.close()
                if let admin = try? await Database.open(.postgres(url: adminURL), logger: Self.logger) {
                    try? await admin.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run()
                    await admin.close()
                }
            }
            do {
                try await Migrations.run(on: database, logger: Self.logger)
                let result = try await body(database)
                await drop()
                return result
            } catch {
                await drop()
                throw error
            }
        }
    }

    public struct MissingPostgres: Error, CustomStringConvertible {
        public var description: String { "MEDIAOPS_TEST_POSTGRES_URL is not set or not a URL" }
    }
}
