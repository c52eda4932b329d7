import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

public enum DatabaseKind: String, Sendable {
    case sqlite
    case postgresql
}

/// Where the data lives, parsed from `--database` / MEDIAOPS_DATABASE_URL.
public enum DatabaseLocation: Sendable, Equatable {
    case sqliteFile(path: String)
    case sqliteMemory
    case postgres(url: String)

    /// Accepts `postgres://…`/`postgresql://…`, `sqlite:PATH`, `:memory:` or a plain file path.
    public init(parsing value: String) {
        if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            self = .postgres(url: value)
        } else if value == ":memory:" || value == "sqlite::memory:" {
            self = .sqliteMemory
        } else if value.hasPrefix("sqlite://") {
            self = .sqliteFile(path: String(value.dropFirst("sqlite://".count)))
        } else if value.hasPrefix("sqlite:") {
            self = .sqliteFile(path: String(value.dropFirst("sqlite:".count)))
        } else {
            self = .sqliteFile(path: value)
        }
    }

    public var kind: DatabaseKind {
        if case .postgres = self { return .postgresql }
        return .sqlite
    }

    /// Safe to log: the password of a PostgreSQL URL is masked.
    public var redacted: String {
        switch self {
        case .sqliteFile(let path): return path
        case .sqliteMemory: return ":memory:"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://…" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres://…"
        }
    }
}

/// The one database handle the app passes around. `sql` runs each statement on a
/// pooled connection; `transaction` pins one connection so a change is all-or-nothing.
public final class Database: Sendable {
    public let sql: any SQLDatabase
    private let driver: any DatabaseDriver
    /// Which database this is (see `SQLDatabase.databaseKind`).
    public var kind: DatabaseKind { sql.databaseKind }
    /// The logger the database was opened with: work a service does after its
    /// commit (best effort) reports its failures here instead of dropping them.
    public var logger: Logger { driver.logger }
    /// The store's clock: every instant a service stamps (created, updated,
    /// decided, due) is read here, so a test or a replay can set the time the
    /// way the connectors' `ConnectorContext.now` does.
    public let now: @Sendable () -> Date

    private init(driver: any DatabaseDriver, now: @escaping @Sendable () -> Date = { Date() }) {
        self.driver = driver
        self.sql = driver.pooled
        self.now = now
    }

    /// The same database read through another clock (tests; the original keeps
    /// its own). Closing either closes both.
    public func withClock(_ now: @escaping @Sendable () -> Date) -> Database { Database(driver: driver, now: now) }

    public static func open(_ location: DatabaseLocation, logger: Logger) async throws -> Database {
        switch location {
        case .postgres(let url):
            let driver = try PostgresDriver(url: url, logger: logger)
            let database = Database(driver: driver)
            // Fail fast with a readable error when the server is unreachable.
            _ = try await database.sql.raw("SELECT 1").all()
            return database
        case .sqliteFile(let path):
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            // The database holds password hashes and sealed credentials: readable by its
            // owner only, like the key file. SQLite gives its -wal and -shm files the
            // database file's mode, so creating it 0600 covers them too.
            if !FileManager.default.fileExists(atPath: path) {
                FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            } else if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
                try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            }
            let database = Database(driver: SQLiteDriver(storage: .file(path: path), logger: logger))
            // WAL lets the CLI read while the server writes; busy_timeout makes a
            // second process wait for the lock instead of failing at once.
            _ = try await database.sql.raw("PRAGMA journal_mode=WAL").all()
            try await database.sql.raw("PRAGMA busy_timeout=5000").run()
            try await database.sql.raw("PRAGMA synchronous=NORMAL").run()
            // A larger page cache (64 MiB, the default is 2) keeps a big library's
            // indexes in memory between requests instead of re-reading them.
            try await database.sql.raw("PRAGMA cache_size=-65536").run()
            return database
        case .sqliteMemory:
            return Database(driver: SQLiteDriver(storage: .memory, logger: logger))
        }
    }

    /// Runs `body` inside BEGIN … COMMIT on one connection; any thrown error rolls back.
    public func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await driver.withConnection { connection in
            try await connection.raw(self.kind == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN").run()
            do {
                let result = try await body(connection)
                try await connection.raw("COMMIT").run()
                return result
            } catch {
                try? await connection.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Runs `body` on one pinned connection without a transaction (advisory locks, VACUUM INTO).
    public func withConnection<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await driver.withConnection(body)
    }

    /// Whether the database answers (for `/health`).
    public func isReachable() async -> Bool {
        (try? await sql.raw("SELECT 1 AS ok").first()) != nil
    }

    public func close() async {
        try? await driver.shutdown()
    }
}

protocol DatabaseDriver: Sendable {
    var pooled: any SQLDatabase { get }
    var logger: Logger { get }
    func withConnection<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    func shutdown() async throws
}

/// SQLite allows one writer at a time, so the app keeps exactly one writing
/// connection on one event loop: writes queue in the pool instead of failing
/// with SQLITE_BUSY. A file database in WAL mode also lets readers work beside
/// that writer, each on the last committed state: a few read-only connections
/// answer the statements that only read, so a page is not held up behind a
/// long import's transaction, and a dashboard can read on both cores at once.
/// (An in-memory database is private to its one connection: no readers there.)
// The pools guard their own state with a lock; AsyncKit predates Sendable annotations.
struct SQLiteDriver: DatabaseDriver, @unchecked Sendable {
    let pool: EventLoopGroupConnectionPool<SQLiteConnectionSource>
    let group: MultiThreadedEventLoopGroup
    let readers: EventLoopGroupConnectionPool<SQLiteReaderSource>?
    /// The threads a file database's calls run on: one per connection, its
    /// own. On the process-wide pool (one thread a core) long reads could hold
    /// every thread while a write waited for one. An in-memory database (one
    /// connection, the tests) keeps the process-wide pool.
    let threads: NIOThreadPool?
    let logger: Logger

    /// Read-only connections beside the writer: one per core this machine has, at most four.
    static let readerCount = min(4, max(2, System.coreCount))

    init(storage: SQLiteConfiguration.Storage, logger: Logger) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        self.logger = logger
        var hasReaders = false
        if case .file = storage { hasReaders = true }
        let threads = hasReaders ? NIOThreadPool(numberOfThreads: Self.readerCount + 1) : nil
        threads?.start()
        self.threads = threads
        let configuration = SQLiteConfiguration(storage: storage, enableForeignKeys: true)
        self.pool = EventLoopGroupConnectionPool(
            source: SQLiteConnectionSource(configuration: configuration, threadPool: threads ?? .singleton),
            maxConnectionsPerEventLoop: 1,
            requestTimeout: .seconds(30),
            pruneInterval: nil,
            logger: logger,
            on: group
        )
        if hasReaders {
            // On the writer's event loop: the statements run on `threads`, the loop only hands out connections.
            readers = EventLoopGroupConnectionPool(
                source: SQLiteReaderSource(base: SQLiteConnectionSource(configuration: .init(storage: storage, enableForeignKeys: false), threadPool: threads ?? .singleton)),
                maxConnectionsPerEventLoop: Self.readerCount,
                requestTimeout: .seconds(30),
                pruneInterval: nil,
                logger: logger,
                on: group
            )
        } else {
            readers = nil
        }
    }

    var pooled: any SQLDatabase {
        let writer = PooledSQLDatabase(pool: pool, logger: logger, dialect: SQLiteDialect()) { $0.sql(queryLogLevel: .trace) }
        guard let readers else { return writer }
        return SQLiteReadRouting(writer: writer, readers: PooledSQLDatabase(pool: readers, logger: logger, dialect: SQLiteDialect(), rowsWhereRead: true) {
            $0.sql(queryLogLevel: .trace)
        })
    }

    func withConnection<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let connection = try await pool.requestConnection(logger: logger).get()
        defer { pool.releaseConnection(connection, logger: logger) }
        return try await body(connection.sql(queryLogLevel: .trace))
    }

    func shutdown() async throws {
        if let readers { try await readers.shutdownAsync() }
        try await pool.shutdownAsync()
        try await group.shutdownGracefully()
        // Last: every connection has closed on these threads.
        try await threads?.shutdownGracefully()
    }
}

/// Opens SQLite connections that can only read: `query_only` makes a write on
/// one fail instead of racing the writer, and each keeps the writer's waiting
/// and cache settings.
struct SQLiteReaderSource: ConnectionPoolSource, Sendable {
    let base: SQLiteConnectionSource

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        base.makeConnection(logger: logger, on: eventLoop).flatMap { connection in
            connection.query("PRAGMA query_only=1")
                .flatMap { _ in connection.query("PRAGMA busy_timeout=5000") }
                .flatMap { _ in connection.query("PRAGMA cache_size=-65536") }
                .map { _ in connection }
                .flatMapError { error in connection.close().flatMapThrowing { throw error } }
        }
    }
}

/// The pooled handle of a SQLite file: a statement that only reads (it begins
/// with SELECT) goes to a reader, everything else to the one writer. A
/// transaction pins the writer's connection and never comes through here, so
/// it still reads its own uncommitted rows; outside one, a read sees what has
/// been committed, as on PostgreSQL.
struct SQLiteReadRouting: SQLDatabase, ConcurrentReads {
    let writer: any SQLDatabase
    let readers: any SQLDatabase

    var logger: Logger { writer.logger }
    var eventLoop: any EventLoop { writer.eventLoop }
    var dialect: any SQLDialect { writer.dialect }
    var queryLogLevel: Logger.Level? { .trace }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        (Self.onlyReads(query, in: self) ? readers : writer).execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await (Self.onlyReads(query, in: self) ? readers : writer).execute(sql: query, onRow)
    }

    /// Whether the statement's text begins with SELECT. (A WITH can lead into a
    /// write in SQLite, so it stays with the writer.)
    static func onlyReads(_ query: any SQLExpression, in database: any SQLDatabase) -> Bool {
        var serializer = SQLSerializer(database: database)
        query.serialize(to: &serializer)
        var bytes = serializer.sql.utf8.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }.prefix(7).makeIterator()
        for letter in "SELECT".utf8 {
            guard let byte = bytes.next(), byte & 0xDF == letter else { return false }
        }
        guard let after = bytes.next() else { return false }
        return !(after >= 0x41 && after <= 0x5A || after >= 0x61 && after <= 0x7A || after == 0x5F)
    }
}

/// A database handle whose statements outside a transaction may run at the
/// same time on different connections (PostgreSQL's pool; SQLite's readers).
protocol ConcurrentReads {}

extension SQLDatabase {
    /// Whether independent reads through this handle can run side by side, so
    /// splitting a large read into pieces gains anything.
    public var readsConcurrently: Bool { databaseKind == .postgresql || self is any ConcurrentReads }
}

struct PostgresDriver: DatabaseDriver, @unchecked Sendable {
    let pool: EventLoopGroupConnectionPool<PostgresConnectionSource>
    let logger: Logger

    init(url: String, logger: Logger) throws {
        let configuration = try SQLPostgresConfiguration(url: url)
        self.logger = logger
        self.pool = EventLoopGroupConnectionPool(
            source: PostgresConnectionSource(sqlConfiguration: configuration),
            maxConnectionsPerEventLoop: 4,
            requestTimeout: .seconds(30),
            pruneInterval: .seconds(60),
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton
        )
    }

    var pooled: any SQLDatabase {
        PooledSQLDatabase(pool: pool, logger: logger, dialect: PostgresDialect()) { $0.sql(queryLogLevel: .trace) }
    }

    func withConnection<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let connection = try await pool.requestConnection(logger: logger).get()
        defer { pool.releaseConnection(connection, logger: logger) }
        return try await body(connection.sql(queryLogLevel: .trace))
    }

    func shutdown() async throws {
        try await pool.shutdownAsync()
    }
}

/// An `SQLDatabase` that borrows a pooled connection for each statement.
struct PooledSQLDatabase<Source: ConnectionPoolSource>: SQLDatabase, @unchecked Sendable {
    let pool: EventLoopGroupConnectionPool<Source>
    let logger: Logger
    let dialect: any SQLDialect
    let makeSQL: @Sendable (Source.Connection) -> any SQLDatabase
    /// Whether rows are read where the statement runs (see `execute` below).
    let rowsWhereRead: Bool

    init(pool: EventLoopGroupConnectionPool<Source>, logger: Logger, dialect: any SQLDialect, rowsWhereRead: Bool = false,
         makeSQL: @escaping @Sendable (Source.Connection) -> any SQLDatabase) {
        self.pool = pool
        self.logger = logger
        self.dialect = dialect
        self.rowsWhereRead = rowsWhereRead
        self.makeSQL = makeSQL
    }

    var eventLoop: any EventLoop { pool.eventLoopGroup.any() }
    var queryLogLevel: Logger.Level? { .trace }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        pool.withConnection(logger: logger) { connection in
            makeSQL(connection).execute(sql: query, onRow)
        }
    }

    /// With `rowsWhereRead`, the driver's own async path: SQLiteNIO's
    /// future-based one hands every row to the event loop as a task of its own
    /// (a thread wake-up a row), its async one reads the rows where the
    /// statement runs. But it gives the connection back only once the calling
    /// task runs again, and on a busy machine that wait is longer than a short
    /// statement: the writer, which serves short statements one at a time, keeps
    /// the future path, which gives it back on its event loop the moment the
    /// statement ends. The readers serve the long reads, where rows are many.
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        guard rowsWhereRead else { return try await execute(sql: query, onRow).get() }
        let connection = try await pool.requestConnection(logger: logger).get()
        defer { pool.releaseConnection(connection, logger: logger) }
        try await makeSQL(connection).execute(sql: query, onRow)
    }
}
