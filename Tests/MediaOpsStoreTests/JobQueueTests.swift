import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

@Suite("Durable job queue")
struct JobQueueTests {
    @Test("the same idempotency key never makes a second job", arguments: TestDatabase.available)
    func idempotent(db: TestDatabase) async throws {
        try await db.with { database in
            let queue = JobQueue(database: database)
            let first = try await queue.enqueue(kind: .publish, payload: "{}", idempotencyKey: "target-1")
            let again = try await queue.enqueue(kind: .publish, payload: "{\"other\":1}", idempotencyKey: "target-1")
            #expect(again.id == first.id)
            #expect(try await queue.count(state: .queued) == 1)
        }
    }

    @Test("jobs are claimed when due, once, and an expired lease is claimed again", arguments: TestDatabase.available)
    func leases(db: TestDatabase) async throws {
        try await db.with { database in
            let queue = JobQueue(database: database)
            let now = Date()
            let due = try await queue.enqueue(kind: .publish, payload: "a", runAt: now.addingTimeInterval(-1))
            _ = try await queue.enqueue(kind: .publish, payload: "later", runAt: now.addingTimeInterval(3_600))
            let claimed = try await queue.claim(owner: "w1", limit: 10, lease: 30, now: now)
            #expect(claimed.map(\.id) == [due.id])
            #expect(claimed.first?.attempts == 1)
            #expect(try await queue.claim(owner: "w2", limit: 10, lease: 30, now: now).isEmpty)
            #expect(try await queue.complete(id: due.id, owner: "w2") == false)  // not the lease holder
            // w1 dies; after its lease expires w2 takes the job over.
            let reclaimed = try await queue.claim(owner: "w2", limit: 10, lease: 30, now: now.addingTimeInterval(31))
            #expect(reclaimed.map(\.id) == [due.id])
            #expect(reclaimed.first?.attempts == 2)
            #expect(try await queue.complete(id: due.id, owner: "w1") == false)
            #expect(try await queue.complete(id: due.id, owner: "w2"))
            #expect(try await queue.find(id: due.id)?.state == .succeeded)
        }
    }

    @Test("a job whose worker dies on every attempt ends in the dead letters instead of being handed out again", arguments: TestDatabase.available)
    func crashLoop(db: TestDatabase) async throws {
        try await db.with { database in
            let queue = JobQueue(database: database)
            let now = Date()
            let job = try await queue.enqueue(kind: .notify, payload: "port 99999", runAt: now.addingTimeInterval(-1), maxAttempts: 2)
            #expect(try await queue.claim(owner: "w1", limit: 5, lease: 30, now: now).map(\.id) == [job.id])
            // Each worker "crashes": its lease lapses without a result.
            #expect(try await queue.claim(owner: "w2", limit: 5, lease: 30, now: now.addingTimeInterval(31)).map(\.id) == [job.id])
            #expect(try await queue.claim(owner: "w3", limit: 5, lease: 30, now: now.addingTimeInterval(62)).isEmpty)
            let dead = try #require(try await queue.find(id: job.id))
            #expect(dead.state == .dead)
            #expect(dead.lastError?.hasPrefix("worker_lost") == true)
        }
    }

    @Test("a postponed job waits without spending an attempt", arguments: TestDatabase.available)
    func postpone(db: TestDatabase) async throws {
        try await db.with { database in
            let queue = JobQueue(database: database)
            let now = Date()
            let job = try await queue.enqueue(kind: .publish, payload: "x", runAt: now.addingTimeInterval(-1), maxAttempts: 1)
            _ = try await queue.claim(owner: "w1", limit: 1, lease: 30, now: now)
            try await queue.postpone(id: job.id, owner: "w1", reason: "awaiting_approval", until: now.addingTimeInterval(60))
            let waiting = try #require(try await queue.find(id: job.id))
            #expect(waiting.state == .queued)
            #expect(waiting.attempts == 0)
            #expect(try await queue.claim(owner: "w1", limit: 1, lease: 30, now: now.addingTimeInterval(30)).isEmpty)
            #expect(try await queue.claim(owner: "w1", limit: 1, lease: 30, now: now.addingTimeInterval(61)).map(\.id) == [job.id])
        }
    }

    @Test("an unknown stored state is an error, never a state that can run", arguments: TestDatabase.available)
    func unknownState(db: TestDatabase) async throws {
        try await db.with { database in
            let queue = JobQueue(database: database)
            let job = try await queue.enqueue(kind: .publish, payload: "x")
            try await database.sql.raw("UPDATE jobs SET state = 'frobnicated' WHERE id = \(bind: job.id)").run()
            await #expect(throws: UnreadableStoredValue.self) { _ = try await queue.find(id: job.id) }
        }
    }

    @Test("retryable failures back off; the last one and permanent ones go to the dead letters", arguments: TestDatabase.available)
    func failures(db: TestDatabase) async throws {
        try await db.with { database in
            let queue = JobQueue(database: database, backoff: Backoff(base: 10, cap: 60))
            var now = Date()
            let job = try await queue.enqueue(kind: .publish, payload: "x", runAt: now, maxAttempts: 2)
            _ = try await queue.claim(owner: "w", limit: 1, lease: 30, now: now)
            #expect(try await queue.fail(id: job.id, owner: "w", error: "HTTP 503", retryable: true, now: now) == .queued)
            let waiting = try #require(try await queue.find(id: job.id))
            let delay = waiting.runAt.timeIntervalSince(now)
            #expect(delay >= 8 && delay <= 12.1)  // 10 s ± 20 %
            #expect(try await queue.claim(owner: "w", limit: 1, lease: 30, now: now).isEmpty)
            now = now.addingTimeInterval(13)
            _ = try await queue.claim(owner: "w", limit: 1, lease: 30, now: now)
            #expect(try await queue.fail(id: job.id, owner: "w", error: "HTTP 503", retryable: true, now: now) == .dead)
            let dead = try #require(try await queue.find(id: job.id))
            #expect(dead.lastError == "HTTP 503")
            let permanent = try await queue.enqueue(kind: .publish, payload: "y", runAt: now)
            _ = try await queue.claim(owner: "w", limit: 1, lease: 30, now: now)
            #expect(try await queue.fail(id: permanent.id, owner: "w", error: "invalid content", retryable: false, now: now) == .dead)
            #expect(try await queue.count(state: .dead) == 2)
        }
    }

    @Test("backoff grows exponentially to its cap")
    func backoff() {
        let backoff = Backoff(base: 10, cap: 300)
        #expect(backoff.delay(afterAttempt: 1, random: 0.5) == 10)
        #expect(backoff.delay(afterAttempt: 3, random: 0.5) == 40)
        #expect(backoff.delay(afterAttempt: 20, random: 0.5) == 300)
        #expect(abs(backoff.delay(afterAttempt: 1, random: 0) - 8) < 0.000_001)
        #expect(abs(backoff.delay(afterAttempt: 1, random: 1) - 12) < 0.000_001)
    }

    @Test("concurrent workers on PostgreSQL never claim the same job")
    func concurrentClaims() async throws {
        guard TestDatabase.available.contains(.postgresql) else { return }
        try await TestDatabase.postgresql.with { database in
            let queue = JobQueue(database: database)
            let past = Date().addingTimeInterval(-1)
            for index in 0..<300 { _ = try await queue.enqueue(kind: .publish, payload: String(index), runAt: past) }
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for worker in 0..<6 {
                    group.addTask {
                        var mine: [String] = []
                        while true {
                            let batch = try await queue.claim(owner: "worker-\(worker)", limit: 7, lease: 60)
                            if batch.isEmpty { break }
                            for job in batch { _ = try await queue.complete(id: job.id, owner: "worker-\(worker)") }
                            mine += batch.map(\.id)
                        }
                        return mine
                    }
                }
                var all: [String] = []
                for try await ids in group { all += ids }
                return all
            }
            #expect(claimed.count == 300)
            #expect(Set(claimed).count == 300)
            #expect(try await queue.count(state: .succeeded) == 300)
        }
    }

    @Test("one worker holds a named lease; a second is refused until it lapses", arguments: TestDatabase.available)
    func workerLease(db: TestDatabase) async throws {
        try await db.with { database in
            let lease = WorkerLease(database.sql)
            let now = Date()
            let first = try await lease.acquire(name: "queue", owner: "process-a", ttl: 30, now: now)
            let second = try await lease.acquire(name: "queue", owner: "process-b", ttl: 30, now: now.addingTimeInterval(5))
            let renewed = try await lease.acquire(name: "queue", owner: "process-a", ttl: 30, now: now.addingTimeInterval(10))  // renewal
            let takenOver = try await lease.acquire(name: "queue", owner: "process-b", ttl: 30, now: now.addingTimeInterval(41))
            let holder = try await lease.holder(name: "queue", now: now.addingTimeInterval(42))
            #expect(first)
            #expect(!second)
            #expect(renewed)
            #expect(takenOver)
            #expect(holder == "process-b")
        }
    }
}

@Suite("Database dialects")
struct DialectTests {
    /// The lock clauses are the one place the store writes dialect-specific SQL:
    /// PostgreSQL must lock (or two workers claim one job), SQLite must get
    /// nothing (it has no row locks and rejects the clause).
    @Test("row locks are spelled by the dialect and SQLite gets none", arguments: TestDatabase.available)
    func rowLocks(db: TestDatabase) async throws {
        try await db.with { database in
            func sql(_ lock: RowLock) -> String {
                var serializer = SQLSerializer(database: database.sql)
                lock.serialize(to: &serializer)
                return serializer.sql
            }
            switch database.sql.databaseKind {
            case .postgresql:
                #expect(database.kind == .postgresql)
                #expect(sql(.update) == " FOR UPDATE")
                #expect(sql(.claim) == " FOR UPDATE SKIP LOCKED")
                #expect(sql(.update(of: "t")) == #" FOR UPDATE OF "t""#)
            case .sqlite:
                #expect(database.kind == .sqlite)
                #expect(sql(.update).isEmpty && sql(.claim).isEmpty && sql(.update(of: "t")).isEmpty)
            }
            // A locked read runs on both inside a transaction.
            try await database.transaction { tx in
                _ = try await tx.raw("SELECT id FROM jobs WHERE id = \(bind: "none")\(RowLock.claim)").all()
            }
        }
    }
}
