import Foundation
import MediaOpsDomain
import SQLKit

/// Publish targets, their attempt log and the workspace freeze: every
/// statement on those tables. `PublishingService` decides what happens; this
/// only reads and writes. The display names of a target's item and account are
/// read here in one join (a queue page of fifty lines would otherwise ask the
/// other rooms fifty times); every write and every lock on another room's rows
/// goes through that room's repository.
struct PublishTargetRepository: Sendable {
    let db: any SQLDatabase

    init(_ db: any SQLDatabase) { self.db = db }

    // MARK: Targets

    func insert(_ target: PublishTarget, mode: PublishingRoute) async throws {
        try await db.raw("""
            INSERT INTO publish_targets (id, content_id, account_id, platform, due_at, state, job_id, mode, created_at, updated_at)
            VALUES (\(bind: target.id), \(bind: target.contentID), \(bind: target.accountID), \(bind: target.platform.rawValue), \(bind: target.dueAt.epochMilliseconds),
            \(bind: target.state.rawValue), \(bind: target.jobID), \(bind: mode.rawValue), \(bind: target.createdAt.epochMilliseconds), \(bind: target.updatedAt.epochMilliseconds))
            """).run()
    }

    func targets(contentID: String) async throws -> [PublishTarget] {
        try await db.raw("SELECT * FROM publish_targets WHERE content_id = \(bind: contentID) ORDER BY due_at, id").all().map(Self.target(from:))
    }

    /// The content item behind each of these targets (unknown ids are skipped), for the 数据 room's insights.
    func contentIDs(targetIDs: [String]) async throws -> [String: String] {
        var result: [String: String] = [:]
        for start in stride(from: 0, to: targetIDs.count, by: 500) {
            let chunk = Array(targetIDs[start..<min(start + 500, targetIDs.count)])
            for row in try await db.raw("SELECT id, content_id FROM publish_targets WHERE id IN (\(binds: chunk))").all() {
                result[try row.string("id")] = try row.string("content_id")
            }
        }
        return result
    }

    /// The target, its row locked until the transaction ends.
    func findForUpdate(id: String) async throws -> PublishTarget? {
        try await db.raw("SELECT * FROM publish_targets WHERE id = \(bind: id)\(RowLock.update)").first().map(Self.target(from:))
    }

    /// The target with the names around it; `lock` locks the target's row only.
    func detail(id: String, lock: Bool) async throws -> TargetDetail? {
        let forUpdate: SQLQueryString = lock ? "\(RowLock.update(of: "t"))" : ""
        guard let row = try await db.raw("""
            SELECT t.*, c.title AS content_title, c.owner_id AS content_owner, a.name AS account_name, a.owner_id AS account_owner
            FROM publish_targets t JOIN content_items c ON c.id = t.content_id JOIN accounts a ON a.id = t.account_id WHERE t.id = \(bind: id)
            """ + forUpdate).first() else { return nil }
        return TargetDetail(target: try Self.target(from: row), contentTitle: try row.string("content_title"), accountName: try row.string("account_name"),
                            accountOwnerID: try row.optionalString("account_owner"), contentOwnerID: try row.optionalString("content_owner"),
                            mode: try row.value("mode", as: PublishingRoute.self), remoteID: try row.optionalString("remote_id"), attempts: try row.int("attempts"),
                            publishedAt: try row.optionalDate("published_at"), unconfirmedSince: try row.optionalDate("unconfirmed_since"),
                            remindedAt: try row.optionalDate("reminded_at"))
    }

    /// The target waiting for an asynchronous platform to finish `remoteID`.
    func id(platform: Platform, remoteID: String) async throws -> String? {
        try await db.raw("SELECT id FROM publish_targets WHERE platform = \(bind: platform.rawValue) AND remote_id = \(bind: remoteID)").first()?.string("id")
    }

    /// "title → account", the label audit entries carry.
    func label(id: String) async throws -> String? {
        try await db.raw("""
            SELECT c.title, a.name FROM publish_targets t JOIN content_items c ON c.id = t.content_id JOIN accounts a ON a.id = t.account_id
            WHERE t.id = \(bind: id)
            """).first().map { "\(try $0.string("title")) → \(try $0.string("name"))" }
    }

    /// How many of an item's targets are in each state.
    func stateCounts(contentID: String) async throws -> [TargetState: Int] {
        var counts: [TargetState: Int] = [:]
        for row in try await db.raw("SELECT state, COUNT(*) AS n FROM publish_targets WHERE content_id = \(bind: contentID) GROUP BY state").all() {
            counts[try row.value("state", as: TargetState.self)] = try row.int("n")
        }
        return counts
    }

    /// When an item's earliest waiting target is due; nil when none waits.
    func earliestWaitingDue(contentID: String) async throws -> Date? {
        try await db.raw("SELECT MIN(due_at) AS due FROM publish_targets WHERE content_id = \(bind: contentID) AND state = 'scheduled'").first()?.optionalDate("due")
    }

    /// Targets due by `now` and still waiting, oldest first (held by a freeze).
    func waiting(dueBy now: Date) async throws -> [(id: String, jobID: String?)] {
        try await db.raw("""
            SELECT id, job_id FROM publish_targets WHERE state = 'scheduled' AND due_at <= \(bind: now.epochMilliseconds) ORDER BY due_at, id
            """).all().map { (try $0.string("id"), try $0.optionalString("job_id")) }
    }

    func waitingCount(dueBy now: Date) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM publish_targets WHERE state = 'scheduled' AND due_at <= \(bind: now.epochMilliseconds)").first()?.int("n") ?? 0
    }

    /// One shelf of the queue: how many match, and a page of them with their names.
    func queue(filter: SQLQueryString, order: SQLQueryString, limit: Int, offset: Int) async throws -> (entries: [QueueEntry], total: Int) {
        // Counted on the targets alone: every target has its item and account, and the
        // joins made each shelf's count read both tables.
        let total = try await db.raw("SELECT COUNT(*) AS n FROM publish_targets t WHERE " + filter).first()?.int("n") ?? 0
        guard limit > 0 else { return ([], total) }
        return (try await entries(filter: filter, order: order, page: " LIMIT \(bind: limit) OFFSET \(bind: offset)"), total)
    }

    /// Every target still waiting to go out, with its names (the health page's posts at risk).
    func scheduledEntries() async throws -> [QueueEntry] {
        try await entries(filter: "t.state = 'scheduled'", order: " ORDER BY t.due_at, t.id", page: "")
    }

    private func entries(filter: SQLQueryString, order: SQLQueryString, page: SQLQueryString) async throws -> [QueueEntry] {
        let rows = try await db.raw("""
            SELECT t.*, c.title AS content_title, a.name AS account_name
            FROM publish_targets t JOIN content_items c ON c.id = t.content_id JOIN accounts a ON a.id = t.account_id WHERE
            """ + " " + filter + order + page).all()
        return try rows.map { row in
            QueueEntry(target: try Self.target(from: row), contentTitle: try row.string("content_title"), accountName: try row.string("account_name"),
                       mode: try row.value("mode", as: PublishingRoute.self), attempts: try row.int("attempts"))
        }
    }

    // MARK: Moving a target

    func setDue(id: String, _ due: Date, at now: Date) async throws {
        try await db.raw("UPDATE publish_targets SET due_at = \(bind: due.epochMilliseconds), updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)").run()
    }

    func cancel(id: String, at now: Date) async throws {
        try await db.raw("UPDATE publish_targets SET state = 'cancelled', updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)").run()
    }

    func setFailureReason(id: String, _ reason: String, at now: Date) async throws {
        try await db.raw("UPDATE publish_targets SET failure_reason = \(bind: reason), updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)").run()
    }

    /// Into `publishing` for a new attempt.
    func startPublishing(id: String, at now: Date) async throws {
        try await db.raw("""
            UPDATE publish_targets SET state = 'publishing', attempts = attempts + 1, failure_reason = NULL, updated_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: id)
            """).run()
    }

    /// What an attempt's result does to its target's row.
    func apply(_ result: AttemptResult, id: String, at now: Date) async throws {
        let ms = now.epochMilliseconds
        switch result {
        case .published(let externalID, let url):
            try await db.raw("""
                UPDATE publish_targets SET state = 'published', external_id = \(bind: externalID), external_url = \(bind: WebAddress.link(url)), failure_reason = NULL,
                published_at = \(bind: ms), unconfirmed_since = NULL, updated_at = \(bind: ms) WHERE id = \(bind: id)
                """).run()
        case .accepted(let remoteID):
            try await db.raw("UPDATE publish_targets SET state = 'publishing', remote_id = \(bind: remoteID), updated_at = \(bind: ms) WHERE id = \(bind: id)").run()
        case .retrying(let reason):
            try await db.raw("UPDATE publish_targets SET state = 'scheduled', failure_reason = \(bind: reason), updated_at = \(bind: ms) WHERE id = \(bind: id)").run()
        case .failed(let reason, _):
            try await db.raw("UPDATE publish_targets SET state = 'failed', failure_reason = \(bind: reason), updated_at = \(bind: ms) WHERE id = \(bind: id)").run()
        case .unconfirmed(let reason):
            try await db.raw("""
                UPDATE publish_targets SET state = 'unconfirmed', failure_reason = \(bind: reason),
                unconfirmed_since = COALESCE(unconfirmed_since, \(bind: ms)), updated_at = \(bind: ms) WHERE id = \(bind: id)
                """).run()
        case .handedToOwner:
            try await db.raw("""
                UPDATE publish_targets SET state = 'publishing', mode = \(bind: PublishingRoute.assisted.rawValue), reminded_at = \(bind: ms), updated_at = \(bind: ms)
                WHERE id = \(bind: id)
                """).run()
        }
    }

    /// Back to `scheduled` with a new job, forgetting the last send.
    func requeue(id: String, due: Date, jobID: String, at now: Date) async throws {
        try await db.raw("""
            UPDATE publish_targets SET state = 'scheduled', due_at = \(bind: due.epochMilliseconds), job_id = \(bind: jobID), remote_id = NULL,
            unconfirmed_since = NULL, failure_reason = NULL, updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)
            """).run()
    }

    func setExternalURL(id: String, _ url: String, at now: Date) async throws {
        try await db.raw("UPDATE publish_targets SET external_url = \(bind: url), updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)").run()
    }

    func setReminded(id: String, at now: Date) async throws {
        try await db.raw("UPDATE publish_targets SET reminded_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)").run()
    }

    // MARK: Attempts

    func insertAttempt(id: String, targetID: String, kind: AttemptKind, worker: String?, at: Date) async throws {
        try await db.raw("""
            INSERT INTO publish_attempts (id, target_id, kind, worker, started_at, exchanges)
            VALUES (\(bind: id), \(bind: targetID), \(bind: kind.rawValue), \(bind: worker), \(bind: at.epochMilliseconds), '[]')
            """).run()
    }

    func finishAttempt(id: String, outcome: String, detail: String?, exchanges: String, at now: Date) async throws {
        try await db.raw("""
            UPDATE publish_attempts SET finished_at = \(bind: now.epochMilliseconds), outcome = \(bind: outcome),
            detail = \(bind: detail), exchanges = \(bind: exchanges) WHERE id = \(bind: id)
            """).run()
    }

    /// The newest attempt of a target that never finished (its worker died).
    func openAttempt(targetID: String) async throws -> (id: String, startedAt: Date)? {
        guard let row = try await db.raw("""
            SELECT id, started_at FROM publish_attempts WHERE target_id = \(bind: targetID) AND finished_at IS NULL ORDER BY started_at DESC LIMIT 1
            """).first() else { return nil }
        return (try row.string("id"), try row.date("started_at"))
    }

    func attempts(targetID: String) async throws -> [PublishAttempt] {
        try await db.raw("SELECT * FROM publish_attempts WHERE target_id = \(bind: targetID) ORDER BY started_at, id").all().map { row in
            PublishAttempt(id: try row.string("id"), targetID: try row.string("target_id"), kind: try row.value("kind", as: AttemptKind.self),
                           worker: try row.optionalString("worker"), startedAt: try row.date("started_at"), finishedAt: try row.optionalDate("finished_at"),
                           outcome: try row.optionalString("outcome"), detail: try row.optionalString("detail"), exchanges: try row.string("exchanges"))
        }
    }

    // MARK: Freeze

    func freeze() async throws -> PublishingFreeze? {
        guard let row = try await db.raw("SELECT * FROM publishing_freeze WHERE id = 1").first() else { return nil }
        return PublishingFreeze(reason: try row.string("reason"), byName: try row.string("by_name"), since: try row.date("since"))
    }

    func insertFreeze(reason: String, by principal: Principal, at now: Date) async throws {
        try await db.raw("""
            INSERT INTO publishing_freeze (id, reason, by_id, by_name, since) VALUES (1, \(bind: reason), \(bind: principal.memberID), \(bind: principal.name), \(bind: now.epochMilliseconds))
            """).run()
    }

    func deleteFreeze() async throws {
        try await db.raw("DELETE FROM publishing_freeze WHERE id = 1").run()
    }

    // MARK: Rows

    static func target(from row: any SQLRow) throws -> PublishTarget {
        PublishTarget(id: try row.string("id"), contentID: try row.string("content_id"), accountID: try row.string("account_id"),
                      platform: try row.value("platform", as: Platform.self), dueAt: try row.date("due_at"),
                      state: try row.value("state", as: TargetState.self), externalID: try row.optionalString("external_id"),
                      externalURL: try row.optionalString("external_url"), failureReason: try row.optionalString("failure_reason"),
                      jobID: try row.optionalString("job_id"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}
