import Foundation
import MediaOpsDomain
import SQLKit

public enum JobState: String, Sendable, Codable, CaseIterable {
    case queued, running, succeeded
    /// Out of attempts or refused for good: kept for people to look at (dead letter).
    case dead
}

public struct Job: Sendable, Equatable {
    public var id: String
    public var kind: JobKind
    public var payload: String
    public var idempotencyKey: String?
    public var state: JobState
    public var runAt: Date
    public var attempts: Int
    public var maxAttempts: Int
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date
}

/// How long to wait before attempt `n + 1`: exponential from `base`, capped,
/// with ±20 % jitter so a burst of failures does not retry in lockstep.
public struct Backoff: Sendable {
    public var base: TimeInterval
    public var cap: TimeInterval

    public init(base: TimeInterval = 10, cap: TimeInterval = 3_600) {
        self.base = base
        self.cap = cap
    }

    public func delay(afterAttempt attempt: Int, random: Double = Double.random(in: 0...1)) -> TimeInterval {
        let exponential = min(cap, base * pow(2, Double(max(0, attempt - 1))))
        return exponential * (0.8 + 0.4 * random)
    }
}

/// The durable job queue in the database. Jobs are claimed with a lease; a
/// worker that dies leaves a lease that expires, and the job is claimed again.
/// On PostgreSQL many workers claim concurrently with FOR UPDATE SKIP LOCKED;
/// on SQLite one worker holds the queue (see `WorkerLease`).
public struct JobQueue: Sendable {
    let database: Database
    public var backoff: Backoff

    public init(database: Database, backoff: Backoff = Backoff()) {
        self.database = database
        self.backoff = backoff
    }

    /// Adds a job. With an idempotency key, enqueuing the same key again returns
    /// the job already there instead of adding a second one.
    @discardableResult
    public func enqueue(kind: JobKind, payload: String, runAt: Date = Date(), idempotencyKey: String? = nil, maxAttempts: Int = 8,
                        on db: (any SQLDatabase)? = nil) async throws -> Job {
        let sql = db ?? database.sql
        if let key = idempotencyKey, let existing = try await find(idempotencyKey: key, on: sql) { return existing }
        let now = Date()
        let job = Job(id: Identifier.makeOrdered("job"), kind: kind, payload: payload, idempotencyKey: idempotencyKey, state: .queued, runAt: runAt,
                      attempts: 0, maxAttempts: max(1, maxAttempts), leaseOwner: nil, leaseExpiresAt: nil, lastError: nil, createdAt: now, updatedAt: now)
        try await sql.raw("""
            INSERT INTO jobs (id, kind, payload, idempotency_key, state, run_at, attempts, max_attempts, created_at, updated_at)
            VALUES (\(bind: job.id), \(bind: kind.rawValue), \(bind: payload), \(bind: idempotencyKey), \(bind: JobState.queued.rawValue),
            \(bind: runAt.epochMilliseconds), 0, \(bind: job.maxAttempts), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds))
            ON CONFLICT (idempotency_key) DO NOTHING
            """).run()
        // A concurrent enqueue of the same key may have won the insert.
        if let key = idempotencyKey { return try await find(idempotencyKey: key, on: sql) ?? job }
        return job
    }

    /// Claims up to `limit` due jobs (queued and due, or running with an expired
    /// lease) for `owner`, counting an attempt for each.
    public func claim(owner: String, limit: Int, lease: TimeInterval, kinds: [JobKind]? = nil, now: Date? = nil) async throws -> [Job] {
        let now = now ?? database.now()
        guard limit > 0 else { return [] }
        // A job whose every attempt ended with its worker gone (a crash while
        // handling it) is not handed out again: re-running it would crash the
        // next worker too. It goes to the dead letters for a person to read.
        try await database.sql.raw("""
            UPDATE jobs SET state = 'dead', lease_owner = NULL, lease_expires_at = NULL,
            last_error = 'worker_lost: the worker stopped during every attempt', updated_at = \(bind: now.epochMilliseconds)
            WHERE state = 'running' AND lease_expires_at < \(bind: now.epochMilliseconds) AND attempts >= max_attempts
            """).run()
        // Due jobs first, then jobs whose worker died (lease expired); each part reads its own index.
        var jobs = try await claim(owner: owner, limit: limit, lease: lease, kinds: kinds, now: now,
                                   condition: "state = 'queued' AND run_at <= \(bind: now.epochMilliseconds)", order: " ORDER BY run_at ASC, id ASC")
        if jobs.count < limit {
            jobs += try await claim(owner: owner, limit: limit - jobs.count, lease: lease, kinds: kinds, now: now,
                                    condition: "state = 'running' AND lease_expires_at < \(bind: now.epochMilliseconds)", order: " ORDER BY lease_expires_at ASC, id ASC")
        }
        return jobs.sorted { ($0.runAt, $0.id) < ($1.runAt, $1.id) }
    }

    private func claim(owner: String, limit: Int, lease: TimeInterval, kinds: [JobKind]?, now: Date, condition: SQLQueryString, order: SQLQueryString) async throws -> [Job] {
        let nowMS = now.epochMilliseconds
        let until = now.addingTimeInterval(lease).epochMilliseconds
        // Without a list, every kind this build knows: a row of a kind it does not
        // know (written by a newer version) is left for a worker that does.
        let kinds = kinds?.isEmpty == false ? kinds! : JobKind.allCases
        let kindFilter: SQLQueryString = " AND kind IN (\(binds: kinds.map(\.rawValue)))"
        let candidates: SQLQueryString = "SELECT id FROM jobs WHERE " + condition + kindFilter + order + " LIMIT \(bind: limit)\(RowLock.claim)"
        let rows = try await database.sql.raw("""
            UPDATE jobs SET state = 'running', lease_owner = \(bind: owner), lease_expires_at = \(bind: until), attempts = attempts + 1,
            updated_at = \(bind: nowMS) WHERE id IN (
            """ + candidates + ") RETURNING *").all()
        return try rows.map(Self.job(from:))
    }

    /// Marks a claimed job done. Only the lease holder may; returns false otherwise.
    @discardableResult
    public func complete(id: String, owner: String, now: Date? = nil, on db: (any SQLDatabase)? = nil) async throws -> Bool {
        let now = now ?? database.now()
        let rows = try await (db ?? database.sql).raw("""
            UPDATE jobs SET state = 'succeeded', lease_owner = NULL, lease_expires_at = NULL, updated_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: id) AND state = 'running' AND lease_owner = \(bind: owner) RETURNING id
            """).all()
        return !rows.isEmpty
    }

    /// Records a failure. A retryable one is queued again after the backoff
    /// unless attempts are used up; a permanent one goes to the dead letters.
    @discardableResult
    public func fail(id: String, owner: String, error: String, retryable: Bool, retryAfter: TimeInterval? = nil, now: Date? = nil) async throws -> JobState? {
        let now = now ?? database.now()
        guard let job = try await find(id: id), job.state == .running, job.leaseOwner == owner else { return nil }
        let retry = retryable && job.attempts < job.maxAttempts
        let next: JobState = retry ? .queued : .dead
        let runAt = retry ? now.addingTimeInterval(max(retryAfter ?? 0, backoff.delay(afterAttempt: job.attempts))) : job.runAt
        try await database.sql.raw("""
            UPDATE jobs SET state = \(bind: next.rawValue), run_at = \(bind: runAt.epochMilliseconds), lease_owner = NULL, lease_expires_at = NULL,
            last_error = \(bind: String(error.prefix(2_000))), updated_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: id) AND lease_owner = \(bind: owner)
            """).run()
        return next
    }

    /// Puts a claimed job back to wait until `until`, giving back the attempt
    /// the claim counted: waiting is not failing.
    public func postpone(id: String, owner: String, reason: String, until: Date, now: Date? = nil) async throws {
        let now = now ?? database.now()
        try await database.sql.raw("""
            UPDATE jobs SET state = 'queued', run_at = \(bind: until.epochMilliseconds), lease_owner = NULL, lease_expires_at = NULL,
            attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, last_error = \(bind: String(reason.prefix(2_000))),
            updated_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: id) AND state = 'running' AND lease_owner = \(bind: owner)
            """).run()
    }

    /// Moves a job that has not started yet; false once a worker holds it.
    @discardableResult
    public func reschedule(id: String, runAt: Date, on db: (any SQLDatabase)? = nil) async throws -> Bool {
        let rows = try await (db ?? database.sql).raw("""
            UPDATE jobs SET run_at = \(bind: runAt.epochMilliseconds), updated_at = \(bind: Date().epochMilliseconds)
            WHERE id = \(bind: id) AND state = 'queued' RETURNING id
            """).all()
        return !rows.isEmpty
    }

    /// Withdraws a job that has not started yet (it ends as dead with the reason).
    @discardableResult
    public func cancel(id: String, reason: String, on db: (any SQLDatabase)? = nil) async throws -> Bool {
        let rows = try await (db ?? database.sql).raw("""
            UPDATE jobs SET state = 'dead', last_error = \(bind: reason), updated_at = \(bind: Date().epochMilliseconds)
            WHERE id = \(bind: id) AND state = 'queued' RETURNING id
            """).all()
        return !rows.isEmpty
    }

    /// Extends the lease of a job still being worked on.
    public func heartbeat(id: String, owner: String, lease: TimeInterval, now: Date? = nil) async throws {
        let now = now ?? database.now()
        try await database.sql.raw("""
            UPDATE jobs SET lease_expires_at = \(bind: now.addingTimeInterval(lease).epochMilliseconds) WHERE id = \(bind: id) AND lease_owner = \(bind: owner)
            """).run()
    }

    public func find(id: String) async throws -> Job? {
        try await database.sql.raw("SELECT * FROM jobs WHERE id = \(bind: id)").first().map(Self.job(from:))
    }

    func find(idempotencyKey: String, on db: any SQLDatabase) async throws -> Job? {
        try await db.raw("SELECT * FROM jobs WHERE idempotency_key = \(bind: idempotencyKey)").first().map(Self.job(from:))
    }

    public func count(state: JobState) async throws -> Int {
        try await database.sql.raw("SELECT COUNT(*) AS n FROM jobs WHERE state = \(bind: state.rawValue)").first()?.int("n") ?? 0
    }

    static func job(from row: any SQLRow) throws -> Job {
        Job(id: try row.string("id"), kind: try row.value("kind", as: JobKind.self), payload: try row.string("payload"),
            idempotencyKey: try row.optionalString("idempotency_key"), state: try row.value("state", as: JobState.self),
            runAt: try row.date("run_at"), attempts: try row.int("attempts"), maxAttempts: try row.int("max_attempts"),
            leaseOwner: try row.optionalString("lease_owner"), leaseExpiresAt: try row.optionalDate("lease_expires_at"),
            lastError: try row.optionalString("last_error"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}

/// A named lease a process holds while it works a resource alone, such as the
/// SQLite job queue: a second worker sees the live lease and refuses to start.
public struct WorkerLease: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    /// Takes or renews the lease; false while another owner's lease is live.
    public func acquire(name: String, owner: String, ttl: TimeInterval, now: Date = Date()) async throws -> Bool {
        let nowMS = now.epochMilliseconds
        try await db.raw("""
            INSERT INTO worker_leases (name, owner, expires_at) VALUES (\(bind: name), \(bind: owner), \(bind: now.addingTimeInterval(ttl).epochMilliseconds))
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
            WHERE worker_leases.owner = excluded.owner OR worker_leases.expires_at < \(bind: nowMS)
            """).run()
        return try await db.raw("SELECT owner FROM worker_leases WHERE name = \(bind: name)").first()?.string("owner") == owner
    }

    public func release(name: String, owner: String) async throws {
        try await db.raw("DELETE FROM worker_leases WHERE name = \(bind: name) AND owner = \(bind: owner)").run()
    }

    public func holder(name: String, now: Date = Date()) async throws -> String? {
        try await db.raw("SELECT owner FROM worker_leases WHERE name = \(bind: name) AND expires_at >= \(bind: now.epochMilliseconds)").first()?.string("owner")
    }
}
