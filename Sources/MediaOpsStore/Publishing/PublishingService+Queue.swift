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
    public func queue(_ view: QueueView, zone: TimeZone, now: Date? = nil, limit: Int = 200, offset: Int = 0) async throws -> (entries: [QueueEntry], total: Int) {
        let now = now ?? database.now()
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
        return try await PublishTargetRepository(database.sql).queue(filter: filter, order: order, limit: limit, offset: offset)
    }

    /// How many targets each shelf holds (the page's tab badges).
    public func queueCounts(zone: TimeZone, now: Date? = nil) async throws -> [QueueView: Int] {
        let now = now ?? database.now()
        var counts: [QueueView: Int] = [:]
        for view in QueueView.allCases { counts[view] = try await queue(view, zone: zone, now: now, limit: 0).total }
        return counts
    }

    /// Targets due before `now` that are still waiting (for the freeze banner).
    public func waitingCount(now: Date? = nil) async throws -> Int {
        let now = now ?? database.now()
        return try await PublishTargetRepository(database.sql).waitingCount(dueBy: now)
    }

    public func freeze() async throws -> PublishingFreeze? {
        try await PublishTargetRepository(database.sql).freeze()
    }

    /// Pauses all publishing. Due targets wait; reconciliation and notifications go on.
    public func freeze(reason: String, by principal: Principal, now: Date? = nil) async throws -> PublishingFreeze {
        let now = now ?? database.now()
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ValidationError(field: "reason", code: "required") }
        guard reason.count <= 200 else { throw ValidationError(field: "reason", code: "too_long", params: ["max": "200"]) }
        return try await database.transaction { db in
            let targets = PublishTargetRepository(db)
            if try await targets.freeze() != nil { throw ConflictError(code: "already_frozen") }
            try await targets.insertFreeze(reason: reason, by: principal, at: now)
            try await Audit.record(db, principal, .update, .publishing, "freeze", label: reason,
                                   changes: ["frozen": ["false", "true"], "freeze_reason": ["", reason]], at: now)
            return PublishingFreeze(reason: reason, byName: principal.name, since: now)
        }
    }

    /// Lifts the freeze. Returns how many waiting targets were published in order or moved.
    @discardableResult
    public func resume(_ mode: ResumeMode, by principal: Principal, now: Date? = nil) async throws -> Int {
        let now = now ?? database.now()
        if case .reschedule(let at) = mode, at < now.addingTimeInterval(-60) { throw ValidationError(field: "at", code: "in_the_past") }
        return try await database.transaction { db in
            let targets = PublishTargetRepository(db)
            guard try await targets.freeze() != nil else { throw ConflictError(code: "not_frozen") }
            let waiting = try await targets.waiting(dueBy: now)
            if case .reschedule(let at) = mode {
                let queue = JobQueue(database: database)
                for (index, target) in waiting.enumerated() {
                    let when = at.addingTimeInterval(Double(index) * 60)
                    if let jobID = target.jobID { try await queue.reschedule(id: jobID, runAt: when, on: db) }
                    try await targets.setDue(id: target.id, when, at: now)
                }
            }
            try await targets.deleteFreeze()
            var changes = ["frozen": ["true", "false"], "waiting_targets": ["", String(waiting.count)]]
            if case .reschedule(let at) = mode { changes["moved_to"] = ["", Audit.instant(at)] }
            try await Audit.record(db, principal, .update, .publishing, "freeze", label: "", changes: changes, at: now)
            return waiting.count
        }
    }
}
