import Foundation
import MediaOpsDomain
import SQLKit

/// The shelves of the publishing queue page.
public enum QueueView: String, CaseIterable, Sendable {
    case today, upcoming, failed, unconfirmed, manual, published
}

/// One line of the queue: the target and the names around it.
public struct QueueEntry: Sendable {
    public var target: PublishTarget
    public var contentTitle: String
    public var accountName: String
    public var mode: PublishingRoute
    public var attempts: Int
}

/// A workspace-wide pause on publishing.
public struct PublishingFreeze: Sendable, Equatable {
    public var reason: String
    public var byName: String
    public var since: Date
}

public enum ResumeMode: Sendable, Equatable {
    /// Publish the targets that fell due during the freeze, in due order.
    case publishInOrder
    /// Move the waiting targets to `at` (spaced a minute apart, in due order).
    case reschedule(at: Date)
}

extension PublishingService {
    public func queue(_ view: QueueView, zone: TimeZone, now: Date = Date(), limit: Int = 200, offset: Int = 0) async throws -> (entries: [QueueEntry], total: Int) {
        let nowMS = now.epochMilliseconds
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let dayStart = calendar.startOfDay(for: now)
        let dayEnd = calendar.date(byAdding: .day, value: 1, to: dayStart) ?? now
        let filter: SQLQueryString
        let order: SQLQueryString
        switch view {
        case .today:
            filter = "t.due_at >= \(bind: dayStart.epochMilliseconds) AND t.due_at < \(bind: dayEnd.epochMilliseconds) AND t.state <> 'cancelled'"
            order = " ORDER BY t.due_at, t.id"
        case .upcoming:
            filter = "t.state = 'scheduled' AND t.due_at >= \(bind: nowMS)"
            order = " ORDER BY t.due_at, t.id"
        case .failed:
            filter = "t.state = 'failed'"
            order = " ORDER BY t.updated_at DESC, t.id"
        case .unconfirmed:
            filter = "t.state = 'unconfirmed'"
            order = " ORDER BY t.updated_at DESC, t.id"
        case .manual:
            filter = "t.mode = 'assisted' AND t.state IN ('scheduled', 'publishing')"
            order = " ORDER BY t.due_at, t.id"
        case .published:
            filter = "t.state = 'published'"
            order = " ORDER BY t.published_at DESC, t.id"
        }
        let from: SQLQueryString = " FROM publish_targets t JOIN content_items c ON c.id = t.content_id JOIN accounts a ON a.id = t.account_id WHERE "
        // Counted on the targets alone: every target has its item and account, and the
        // joins made each shelf's count read both tables.
        let total = try await database.sql.raw("SELECT COUNT(*) AS n FROM publish_targets t WHERE " + filter).first()?.int("n") ?? 0
        guard limit > 0 else { return ([], total) }
        let rows = try await database.sql.raw("SELECT t.*, c.title AS content_title, a.name AS account_name" + from + filter + order
                                              + " LIMIT \(bind: limit) OFFSET \(bind: offset)").all()
        let entries = try rows.map { row in
            QueueEntry(target: try Self.target(from: row), contentTitle: try row.string("content_title"), accountName: try row.string("account_name"),
                       mode: try row.value("mode", as: PublishingRoute.self), attempts: try row.int("attempts"))
        }
        return (entries, total)
    }

    /// How many targets each shelf holds (the page's tab badges).
    public func queueCounts(zone: TimeZone, now: Date = Date()) async throws -> [QueueView: Int] {
        var counts: [QueueView: Int] = [:]
        for view in QueueView.allCases { counts[view] = try await queue(view, zone: zone, now: now, limit: 0).total }
        return counts
    }

    /// Targets due before `now` that are still waiting (for the freeze banner).
    public func waitingCount(now: Date = Date()) async throws -> Int {
        try await database.sql.raw("SELECT COUNT(*) AS n FROM publish_targets WHERE state = 'scheduled' AND due_at <= \(bind: now.epochMilliseconds)")
            .first()?.int("n") ?? 0
    }

    public func freeze() async throws -> PublishingFreeze? {
        guard let row = try await database.sql.raw("SELECT * FROM publishing_freeze WHERE id = 1").first() else { return nil }
        return PublishingFreeze(reason: try row.string("reason"), byName: try row.string("by_name"), since: try row.date("since"))
    }

    /// Pauses all publishing. Due targets wait; reconciliation and notifications go on.
    public func freeze(reason: String, by principal: Principal, now: Date = Date()) async throws -> PublishingFreeze {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ValidationError(field: "reason", code: "required") }
        guard reason.count <= 200 else { throw ValidationError(field: "reason", code: "too_long", params: ["max": "200"]) }
        return try await database.transaction { db in
            if try await db.raw("SELECT id FROM publishing_freeze WHERE id = 1").first() != nil { throw ConflictError(code: "already_frozen") }
            try await db.raw("""
                INSERT INTO publishing_freeze (id, reason, by_id, by_name, since) VALUES (1, \(bind: reason), \(bind: principal.memberID), \(bind: principal.name), \(bind: now.epochMilliseconds))
                """).run()
            try await Audit.record(db, principal, .update, .publishing, "freeze", label: reason,
                                   changes: ["frozen": ["false", "true"], "freeze_reason": ["", reason]], at: now)
            return PublishingFreeze(reason: reason, byName: principal.name, since: now)
        }
    }

    /// Lifts the freeze. Returns how many waiting targets were published in order or moved.
    @discardableResult
    public func resume(_ mode: ResumeMode, by principal: Principal, now: Date = Date()) async throws -> Int {
        if case .reschedule(let at) = mode, at < now.addingTimeInterval(-60) { throw ValidationError(field: "at", code: "in_the_past") }
        return try await database.transaction { db in
            guard try await db.raw("SELECT id FROM publishing_freeze WHERE id = 1").first() != nil else { throw ConflictError(code: "not_frozen") }
            let waiting = try await db.raw("""
                SELECT id, job_id FROM publish_targets WHERE state = 'scheduled' AND due_at <= \(bind: now.epochMilliseconds) ORDER BY due_at, id
                """).all()
            if case .reschedule(let at) = mode {
                let queue = JobQueue(database: database)
                for (index, row) in waiting.enumerated() {
                    let when = at.addingTimeInterval(Double(index) * 60)
                    if let jobID = try row.optionalString("job_id") { try await queue.reschedule(id: jobID, runAt: when, on: db) }
                    try await db.raw("UPDATE publish_targets SET due_at = \(bind: when.epochMilliseconds), updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: try row.string("id"))").run()
                }
            }
            try await db.raw("DELETE FROM publishing_freeze WHERE id = 1").run()
            var changes = ["frozen": ["true", "false"], "waiting_targets": ["", String(waiting.count)]]
            if case .reschedule(let at) = mode { changes["moved_to"] = ["", Audit.instant(at)] }
            try await Audit.record(db, principal, .update, .publishing, "freeze", label: "", changes: changes, at: now)
            return waiting.count
        }
    }
}
