import Foundation
import MediaOpsDomain
import SQLKit

/// Scheduling approved content onto accounts: one target per (item, account),
/// each with a durable job keyed by the target so it can never be queued twice.
/// The connectors that carry the jobs out belong to the publishing engine.
public struct PublishingService: Sendable {
    public let database: Database

    public init(database: Database) { self.database = database }

    /// Schedules `contentID` on each account at `dueAt` (the same instant for
    /// all). Only approved (or already scheduled) content may be scheduled; an
    /// account already holding a live target for the item is refused.
    public func schedule(contentID: String, accountIDs: [String], at dueAt: Date, by principal: Principal) async throws -> [PublishTarget] {
        try await schedule(contentID: contentID, accountIDs: accountIDs, when: .at(dueAt), by: principal)
    }

    /// When the targets of one scheduling go out.
    public enum Timing: Sendable {
        /// All at the same instant.
        case at(Date)
        /// Each account at its posting time (adopted, else its platform's) on
        /// this day in the workspace zone, or the next day's once it has passed.
        case bestTime(on: LocalDate)
    }

    public func schedule(contentID: String, accountIDs: [String], when timing: Timing, by principal: Principal) async throws -> [PublishTarget] {
        let accounts = Array(Set(accountIDs.filter { !$0.isEmpty })).sorted()
        guard !accounts.isEmpty else { throw ValidationError(field: "account_ids", code: "required") }
        let zone = try await WorkspaceRepository(database.sql).get().flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(identifier: "Asia/Shanghai")!
        if case .at(let dueAt) = timing {
            guard dueAt > database.now().addingTimeInterval(-300) else { throw ValidationError(field: "due_at", code: "in_the_past") }
        }
        if case .bestTime(let day) = timing {
            guard day >= LocalDate(database.now(), timeZone: zone) else { throw ValidationError(field: "due_at", code: "in_the_past") }
        }
        return try await database.transaction { db in
            let content = ContentRepository(db)
            guard var item = try await content.findForUpdate(id: contentID) else { throw NotFoundError(entity: "content") }
            guard item.state == .approved || item.state == .scheduled else {
                throw ConflictError(code: "not_approved", field: "content_id", params: ["state": item.state.rawValue])
            }
            let existing = try await targets(contentID: contentID, db: db)
            var created: [PublishTarget] = []
            let now = database.now()
            for accountID in accounts {
                guard let account = try await AccountRepository(db).find(id: accountID) else {
                    throw ValidationError(field: "account_ids", code: "unknown_account")
                }
                guard account.state == .active else { throw ConflictError(code: "account_unavailable", field: "account_ids", params: ["account": account.name]) }
                if existing.contains(where: { $0.accountID == accountID && $0.state != .cancelled }) {
                    throw ConflictError(code: "already_scheduled", field: "account_ids", params: ["account": account.name])
                }
                let dueAt: Date
                switch timing {
                case .at(let instant): dueAt = instant
                case .bestTime(let day):
                    dueAt = PostingTimes.instant(on: day, at: PostingTimes.time(for: account), zone: zone, notBefore: now.addingTimeInterval(60))
                }
                let id = Identifier.make("tgt")
                let job = try await JobQueue(database: database).enqueue(kind: .publish, payload: id, runAt: dueAt, idempotencyKey: "publish:\(id)", on: db)
                let target = PublishTarget(id: id, contentID: contentID, accountID: accountID, platform: account.platform, dueAt: dueAt, state: .scheduled,
                                           externalID: nil, externalURL: nil, failureReason: nil, jobID: job.id, createdAt: now, updatedAt: now)
                try await PublishTargetRepository(db).insert(target, mode: Self.mode(for: account))
                created.append(target)
                try await Self.audit(db, principal, .create, target, changes: ["state": ["", target.state.rawValue], "due_at": ["", Audit.instant(target.dueAt)]])
            }
            if item.state != .scheduled {
                item.state = .scheduled
                item.updatedAt = now
                try await content.update(item)
            }
            try await Self.syncPlannedTime(contentID: contentID, db: db)
            return created
        }
    }

    /// One notion of "when this goes out": an item with targets waiting is
    /// planned at its earliest one, so the calendar shows what will happen.
    static func syncPlannedTime(contentID: String, db: any SQLDatabase) async throws {
        guard let due = try await PublishTargetRepository(db).earliestWaitingDue(contentID: contentID) else { return }
        try await ContentRepository(db).setPlannedAt(id: contentID, due)
    }

    /// Moves an item's waiting targets so the earliest goes out at `dueAt`
    /// and the others keep their distance from it; refused (nothing moves)
    /// when one has already started. Returns how many moved.
    static func moveWaitingTargets(contentID: String, to dueAt: Date, database: Database, by principal: Principal, db: any SQLDatabase) async throws -> Int {
        let rows = try await PublishTargetRepository(db).targets(contentID: contentID)
        let waiting = rows.filter { $0.state.isOpen }
        guard let earliest = waiting.first?.dueAt else { return 0 }
        let shift = dueAt.timeIntervalSince(earliest)
        guard shift != 0 else { return 0 }
        let queue = JobQueue(database: database)
        for var target in waiting {
            let before = target.dueAt
            let due = target.dueAt.addingTimeInterval(shift)
            guard let jobID = target.jobID, try await queue.reschedule(id: jobID, runAt: due, on: db) else {
                throw ConflictError(code: "target_started", params: ["state": target.state.rawValue])
            }
            target.dueAt = due
            try await PublishTargetRepository(db).setDue(id: target.id, due, at: database.now())
            try await audit(db, principal, .update, target, changes: ["due_at": [Audit.instant(before), Audit.instant(due)]])
        }
        return waiting.count
    }

    /// Assisted when the platform has no publishing API or the account lacks what
    /// the API needs (`Account.publishingRoute`, the same answer the pages show);
    /// the worker also hands over when no connector exists.
    static func mode(for account: Account) -> PublishingRoute { account.publishingRoute }

    /// Moves a target that has not started; refused (409) once publishing began.
    public func reschedule(targetID: String, to dueAt: Date, by principal: Principal) async throws -> PublishTarget {
        try await database.transaction { db in
            guard var target = try await target(id: targetID, db: db) else { throw NotFoundError(entity: "target") }
            guard target.state.isOpen, let jobID = target.jobID, try await JobQueue(database: database).reschedule(id: jobID, runAt: dueAt, on: db) else {
                throw ConflictError(code: "target_started", params: ["state": target.state.rawValue])
            }
            let before = target.dueAt
            target.dueAt = dueAt
            target.updatedAt = database.now()
            try await PublishTargetRepository(db).setDue(id: targetID, dueAt, at: target.updatedAt)
            try await Self.syncPlannedTime(contentID: target.contentID, db: db)
            try await Self.audit(db, principal, .update, target, changes: ["due_at": [Audit.instant(before), Audit.instant(dueAt)]])
            return target
        }
    }

    /// Cancels a target that has not started. When no live target is left the
    /// item goes back to approved.
    public func cancel(targetID: String, by principal: Principal) async throws -> PublishTarget {
        try await database.transaction { db in
            guard var target = try await target(id: targetID, db: db) else { throw NotFoundError(entity: "target") }
            guard target.state.isOpen, let jobID = target.jobID, try await JobQueue(database: database).cancel(id: jobID, reason: "cancelled", on: db) else {
                throw ConflictError(code: "target_started", params: ["state": target.state.rawValue])
            }
            target.state = .cancelled
            target.updatedAt = database.now()
            try await PublishTargetRepository(db).cancel(id: targetID, at: target.updatedAt)
            let remaining = try await targets(contentID: target.contentID, db: db).filter { $0.state != .cancelled }
            let content = ContentRepository(db)
            if remaining.isEmpty, var item = try await content.findForUpdate(id: target.contentID), item.state == .scheduled {
                item.state = .approved
                item.updatedAt = database.now()
                try await content.update(item)
            }
            try await Self.audit(db, principal, .update, target, changes: ["state": [TargetState.scheduled.rawValue, TargetState.cancelled.rawValue]])
            return target
        }
    }

    public func targets(contentID: String, db: (any SQLDatabase)? = nil) async throws -> [PublishTarget] {
        try await PublishTargetRepository(db ?? database.sql).targets(contentID: contentID)
    }

    public func summary(contentID: String) async throws -> PublishingSummary {
        PublishingSummary.derive(try await targets(contentID: contentID).map(\.state))
    }

    func target(id: String, db: any SQLDatabase) async throws -> PublishTarget? {
        try await PublishTargetRepository(db).findForUpdate(id: id)
    }

    /// Targets are labelled "title → account" and carry what changed as values.
    static func audit(_ db: any SQLDatabase, _ principal: Principal, _ action: AuditAction, _ target: PublishTarget, changes: [String: [String]]) async throws {
        let label = try await PublishTargetRepository(db).label(id: target.id) ?? target.id
        try await Audit.record(db, principal, action, .publishTarget, target.id, label: label, changes: changes)
    }
}
