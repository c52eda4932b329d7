import Foundation
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

/// A SQLite file keeps one writer and read-only connections beside it. What a
/// user relies on: a page answers while a long write (an import) holds the
/// writer, it sees only what was committed, and writes still take turns.
@Suite("SQLite readers beside the writer")
struct DatabaseReadersTests {
    @Test("a read outside a transaction answers at once with the committed state; a write waits its turn")
    func readsBesideAnOpenTransaction() async throws {
        try await TestDatabase.sqlite.with(sqliteFile: true) { database in
            try await database.sql.raw("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)").run()
            try await database.sql.raw("INSERT INTO notes (body) VALUES ('committed')").run()
            let opened = Gate(), release = Gate()
            let writing = Task {
                try await database.transaction { db in
                    try await db.raw("INSERT INTO notes (body) VALUES ('uncommitted')").run()
                    // Inside the transaction its own row is visible.
                    let inside = try await db.raw("SELECT count(*) AS n FROM notes").first()?.decode(column: "n", as: Int.self)
                    #expect(inside == 2)
                    await opened.open()
                    await release.wait()
                }
            }
            await opened.wait()
            // The writer is held by the transaction until this read has answered: a read
            // sent to the writer would wait for it for ever (the pool gives up after 30 s).
            let outside = try await database.sql.raw("SELECT count(*) AS n FROM notes").first()?.decode(column: "n", as: Int.self)
            #expect(outside == 1, "a reader saw a row that was not committed")
            // A write outside the transaction queues behind it instead of failing.
            let secondWrite = Task { try await database.sql.raw("INSERT INTO notes (body) VALUES ('after')").run() }
            try await Task.sleep(for: .milliseconds(50))
            await release.open()
            try await writing.value
            try await secondWrite.value
            let after = try await database.sql.raw("SELECT body FROM notes ORDER BY id").all().map { try $0.decode(column: "body", as: String.self) }
            #expect(after == ["committed", "uncommitted", "after"])
        }
    }

    @Test("statements are sent by what they do: SELECT reads, anything else writes")
    func routing() async throws {
        try await TestDatabase.sqlite.with(sqliteFile: true) { database in
            // Lower case and leading whitespace still read; a WITH (which SQLite lets lead into a write) goes to the writer.
            try await database.sql.raw("CREATE TABLE t (v INTEGER)").run()
            try await database.sql.raw("  \n with x(v) AS (SELECT 7) INSERT INTO t SELECT v FROM x").run()
            let read = try await database.sql.raw("\n  select v from t").first()?.decode(column: "v", as: Int.self)
            #expect(read == 7)
            // An INSERT … RETURNING gives rows back but writes: the writer takes it.
            let returned = try await database.sql.raw("INSERT INTO t VALUES (8) RETURNING v").first()?.decode(column: "v", as: Int.self)
            #expect(returned == 8)
            #expect(database.sql.readsConcurrently)
        }
    }
}

/// Opened once; every waiter, before or after, passes.
private actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}
