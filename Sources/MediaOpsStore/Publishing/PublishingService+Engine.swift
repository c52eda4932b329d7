import Foundation
import MediaOpsDomain
import SQLKit

/// What one attempt found, in the store's words (the connectors' richer
/// outcome is mapped onto this by the worker).
public enum AttemptResult: Sendable, Equatable {
    case published(externalID: String, url: String?)
    /// The platform took the job and finishes later; `remoteID` is how to ask.
    case accepted(remoteID: String)
    /// Nothing went out; the job retries after its backoff.
    case retrying(reason: String)
    case failed(reason: String, reconnect: Bool)
    /// The request may have gone out: never retried blindly.
    case unconfirmed(reason: String)
    /// Assisted publishing: the owner has been asked to post it by hand.
    case handedToOwner

    /// Whether the job that produced this result is finished (retries and failures are the worker's to record).
    var endsJob: Bool {
        switch self {
        case .published, .accepted, .unconfirmed, .handedToOwner: true
        case .retrying, .failed: false
        }
    }

    var code: String {
        switch self {
        case .published: "published"
        case .accepted: "accepted"
        case .retrying: "retrying"
        case .failed: "failed"
        case .unconfirmed: "unconfirmed"
        case .handedToOwner: "handed_to_owner"
        }
    }
}

/// One row of a target's attempt log.
public struct PublishAttempt: Sendable, Equatable {
    public var id: String
    public var targetID: String
    public var kind: AttemptKind
    public var worker: String?
    public var startedAt: Date
    public var finishedAt: Date?
    public var outcome: String?
    public var detail: String?
    /// JSON array of request/response summaries, secrets redacted.
    public var exchanges: String
}

/// How a worker should proceed with a claimed publish job.
public enum BeginDecision: Sendable {
    /// Send it: the attempt row is written, so a crash from here on is visible.
    case send(attemptID: String, detail: TargetDetail)
    /// A previous worker died during its call: the outcome is unknown.
    case interrupted(attemptID: String, target: PublishTarget, startedAt: Date)
    /// Due, but its item was changed after approval and waits to be approved
    /// again: nothing is sent and no attempt is written; ask again later.
    case awaitingApproval
    /// Nothing to do (cancelled, already published, or not this worker's business).
    case skip
}

/// The item's copy changed after approval between the claim and the send.
public struct AwaitingApproval: Error, Sendable {
    public init() {}
}

/// Everything a person or the worker needs to know about one target.
public struct TargetDetail: Sendable {
    public var target: PublishTarget
    public var contentTitle: String
    public var accountName: String
    public var accountOwnerID: String?
    public var contentOwnerID: String?
    public var mode: PublishingRoute
    public var remoteID: String?
    public var attempts: Int
    public var publishedAt: Date?
    public var unconfirmedSince: Date?
    public var remindedAt: Date?
}

extension PublishingService {
    /// The reason a due target shows while its item waits to be approved again.
    public static let awaitingApprovalReason = "awaiting_approval"

    /// Takes a claimed publish job's target into `publishing` and writes the
    /// attempt row before anything is sent.
    public func begin(targetID: String, worker: String, now: Date = Date()) async throws -> BeginDecision {
        try await database.transaction { db in
            guard let detail = try await detail(id: targetID, db: db, lock: true) else { return .skip }
            let target = detail.target
            switch target.state {
            case .scheduled:
                // The engine sends only a copy that reviewers approved as it stands.
                guard try await ContentRepository(db).find(id: target.contentID)?.state.isPublishable ?? true else {
                    // Said on the queue and the target's page until the item is approved again.
                    if target.failureReason != Self.awaitingApprovalReason {
                        try await db.raw("""
                            UPDATE publish_targets SET failure_reason = \(bind: Self.awaitingApprovalReason), updated_at = \(bind: now.epochMilliseconds)
                            WHERE id = \(bind: targetID)
                            """).run()
                    }
                    return .awaitingApproval
                }
                let attemptID = Identifier.makeOrdered("att")
                try await insertAttempt(id: attemptID, targetID: targetID, kind: detail.mode == .assisted ? .handover : .publish, worker: worker, at: now, db: db)
                try await db.raw("""
                    UPDATE publish_targets SET state = 'publishing', attempts = attempts + 1, failure_reason = NULL, updated_at = \(bind: now.epochMilliseconds)
                    WHERE id = \(bind: targetID)
                    """).run()
                var started = detail
                started.target.state = .publishing
                started.attempts += 1
                return .send(attemptID: attemptID, detail: started)
            case .publishing where detail.remoteID == nil && detail.mode == .api:
                // Still marked as publishing with our job claimed again: the last worker died mid-call.
                guard let open = try await db.raw("""
                    SELECT id, started_at FROM publish_attempts WHERE target_id = \(bind: targetID) AND finished_at IS NULL ORDER BY started_at DESC LIMIT 1
                    """).first() else { return .skip }
                return .interrupted(attemptID: try open.string("id"), target: target, startedAt: try open.date("started_at"))
            default:
                return .skip
            }
        }
    }

    /// Starts an attempt that is not a first publish (resend, reconcile, callback, manual).
    public func startAttempt(targetID: String, kind: AttemptKind, worker: String?, now: Date = Date()) async throws -> String {
        let id = Identifier.makeOrdered("att")
        try await insertAttempt(id: id, targetID: targetID, kind: kind, worker: worker, at: now, db: database.sql)
        return id
    }

    /// Records how an attempt ended and moves the target accordingly, in one
    /// transaction. A published result always wins (it is the truth); other
    /// results only apply while the target is still in flight.
    @discardableResult
    public func finish(attemptID: String, targetID: String, result: AttemptResult, exchanges: String, now: Date = Date(),
                       events: NotificationRouter? = nil, link: String? = nil, completing job: (id: String, owner: String)? = nil) async throws -> PublishTarget? {
        try await database.transaction { db in
            // The job ends in the same commit as its outcome (one disk flush fewer per post).
            if let job, result.endsJob {
                try await db.raw("""
                    UPDATE jobs SET state = 'succeeded', lease_owner = NULL, lease_expires_at = NULL, updated_at = \(bind: now.epochMilliseconds)
                    WHERE id = \(bind: job.id) AND state = 'running' AND lease_owner = \(bind: job.owner)
                    """).run()
            }
            try await db.raw("""
                UPDATE publish_attempts SET finished_at = \(bind: now.epochMilliseconds), outcome = \(bind: result.code),
                detail = \(bind: Self.detail(result)), exchanges = \(bind: exchanges) WHERE id = \(bind: attemptID)
                """).run()
            guard let detail = try await detail(id: targetID, db: db, lock: true) else { return nil }
            let state = detail.target.state
            let inFlight = state == .publishing || state == .unconfirmed || state == .scheduled
            let ms = now.epochMilliseconds
            var event: OutboundEventKind?
            switch result {
            case .published(let externalID, let url):
                guard state != .published, state != .cancelled else { return detail.target }
                try await db.raw("""
                    UPDATE publish_targets SET state = 'published', external_id = \(bind: externalID), external_url = \(bind: WebAddress.link(url)), failure_reason = NULL,
                    published_at = \(bind: ms), unconfirmed_since = NULL, updated_at = \(bind: ms) WHERE id = \(bind: targetID)
                    """).run()
                event = .targetPublished
            case .accepted(let remoteID):
                guard inFlight else { return detail.target }
                try await db.raw("UPDATE publish_targets SET state = 'publishing', remote_id = \(bind: remoteID), updated_at = \(bind: ms) WHERE id = \(bind: targetID)").run()
            case .retrying(let reason):
                guard inFlight else { return detail.target }
                try await db.raw("UPDATE publish_targets SET state = 'scheduled', failure_reason = \(bind: reason), updated_at = \(bind: ms) WHERE id = \(bind: targetID)").run()
            case .failed(let reason, let reconnect):
                guard inFlight else { return detail.target }
                try await db.raw("UPDATE publish_targets SET state = 'failed', failure_reason = \(bind: reason), updated_at = \(bind: ms) WHERE id = \(bind: targetID)").run()
                if reconnect {
                    try await db.raw("UPDATE accounts SET state = 'reconnect_needed', updated_at = \(bind: ms) WHERE id = \(bind: detail.target.accountID) AND state = 'active'").run()
                }
                event = .targetFailed
            case .unconfirmed(let reason):
                guard inFlight else { return detail.target }
                try await db.raw("""
                    UPDATE publish_targets SET state = 'unconfirmed', failure_reason = \(bind: reason),
                    unconfirmed_since = COALESCE(unconfirmed_since, \(bind: ms)), updated_at = \(bind: ms) WHERE id = \(bind: targetID)
                    """).run()
                if state != .unconfirmed { event = .targetUnconfirmed }
            case .handedToOwner:
                guard inFlight else { return detail.target }
                try await db.raw("UPDATE publish_targets SET state = 'publishing', mode = \(bind: PublishingRoute.assisted.rawValue), reminded_at = \(bind: ms), updated_at = \(bind: ms) WHERE id = \(bind: targetID)").run()
                event = .manualDue
            }
            try await syncItemState(contentID: detail.target.contentID, db: db, now: now)
            let updated = try await self.detail(id: targetID, db: db, lock: false)
            if let event, let updated {
                try await announce(event, updated, link: link, events: events, db: db)
            }
            return updated?.target
        }
    }

    /// In-app notifications to the people concerned and the routed channels.
    func announce(_ kind: OutboundEventKind, _ detail: TargetDetail, link: String?, events: NotificationRouter?, db: any SQLDatabase) async throws {
        let target = detail.target
        let event = OutboundEvent(kind: kind, contentTitle: detail.contentTitle, accountName: detail.accountName, platform: target.platform.rawValue,
                                  targetID: target.id, reason: target.failureReason, url: target.externalURL, link: link ?? "/publishing/targets/\(target.id)")
        try await (events ?? NotificationRouter(database: database)).enqueue(event, on: db)
        guard kind != .targetPublished else { return }
        let recipients = Set([detail.contentOwnerID, detail.accountOwnerID].compactMap { $0 })
        for userID in recipients.sorted() {
            try await NotificationRepository(db).add(userID: userID, kind: Self.notificationKind(kind), title: detail.contentTitle,
                                                     body: detail.accountName, link: "/publishing/targets/\(target.id)", detail: target.failureReason)
        }
    }

    /// The in-app notification kind (a catalog key suffix: notifications.kind_…).
    public static func notificationKind(_ kind: OutboundEventKind) -> String {
        switch kind {
        case .targetPublished: "publish_published"
        case .targetFailed: "publish_failed"
        case .targetUnconfirmed: "publish_unconfirmed"
        case .manualDue: "publish_manual_due"
        case .tokenExpiring: "token_expiring"
        }
    }

    /// Keeps the content item's own state in step: published once every live target is.
    /// The item row is locked first so that targets of one item finishing at the
    /// same moment each count the others' committed states (under READ COMMITTED
    /// two transactions would otherwise each miss the other); the count is by
    /// state, not by reading every target.
    func syncItemState(contentID: String, db: any SQLDatabase, now: Date) async throws {
        try await db.raw("SELECT id FROM content_items WHERE id = \(bind: contentID)\(RowLock.update)").run()
        var states: [TargetState] = []
        for row in try await db.raw("SELECT state, COUNT(*) AS n FROM publish_targets WHERE content_id = \(bind: contentID) GROUP BY state").all() {
            let state = try row.value("state", as: TargetState.self)
            states.append(contentsOf: Array(repeating: state, count: min(try row.int("n"), 2)))
        }
        let wanted: ContentState? = switch PublishingSummary.derive(states) {
        case .published, .partiallyPublished: .published
        case .none: nil
        default: .scheduled
        }
        guard let wanted, let current = try await db.raw("SELECT state FROM content_items WHERE id = \(bind: contentID)").first()?.string("state"),
              current != wanted.rawValue, current == ContentState.scheduled.rawValue || current == ContentState.published.rawValue else { return }
        let content = ContentRepository(db)
        guard var item = try await content.findForUpdate(id: contentID), item.state != wanted else { return }
        item.state = wanted
        item.updatedAt = now
        try await content.update(item)
    }

    /// A person settles an unconfirmed or assisted target: published (with its
    /// URL) or not published (then it is scheduled again at `retryAt`).
    public func confirm(targetID: String, published: Bool, url: String?, retryAt: Date?, by principal: Principal, now: Date = Date()) async throws -> PublishTarget {
        if published {
            let trimmed = url?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !trimmed.isEmpty else { throw ValidationError(field: "url", code: "required") }
            guard let address = WebAddress(trimmed) else { throw ValidationError(field: "url", code: "invalid_url") }
            guard let detail = try await detail(id: targetID, db: database.sql, lock: false) else { throw NotFoundError(entity: "target") }
            // A douyin.com link cannot confirm a 小红书 post.
            guard detail.target.platform.ownsPostHost(address.host) else {
                throw ValidationError(field: "url", code: "url_not_on_platform", params: ["hosts": detail.target.platform.postHosts.joined(separator: ", ")])
            }
            if detail.target.state == .published {
                return try await correctURL(detail, to: address.text, by: principal, now: now)
            }
            guard [.publishing, .unconfirmed, .failed, .scheduled].contains(detail.target.state) else {
                throw ConflictError(code: "target_not_open", params: ["state": detail.target.state.rawValue])
            }
            let attempt = try await startAttempt(targetID: targetID, kind: .manual, worker: principal.name, now: now)
            let target = try await finish(attemptID: attempt, targetID: targetID, result: .published(externalID: trimmed, url: trimmed), exchanges: "[]", now: now)
            try await database.transaction { db in
                try await Self.audit(db, principal, .update, detail.target,
                                     changes: ["state": [detail.target.state.rawValue, TargetState.published.rawValue], "external_url": ["", trimmed]])
            }
            return target ?? detail.target
        }
        return try await database.transaction { db in
            guard let detail = try await detail(id: targetID, db: db, lock: true) else { throw NotFoundError(entity: "target") }
            guard [.unconfirmed, .failed].contains(detail.target.state) || (detail.target.state == .publishing && detail.mode == .assisted) else {
                throw ConflictError(code: "target_not_open", params: ["state": detail.target.state.rawValue])
            }
            let when = retryAt ?? now
            let job = try await JobQueue(database: database).enqueue(kind: .publish, payload: targetID, runAt: when,
                                                                    idempotencyKey: "publish:\(targetID):\(Identifier.makeOrdered("rq"))", on: db)
            try await db.raw("""
                UPDATE publish_targets SET state = 'scheduled', due_at = \(bind: when.epochMilliseconds), job_id = \(bind: job.id), remote_id = NULL,
                unconfirmed_since = NULL, failure_reason = NULL, updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: targetID)
                """).run()
            var target = detail.target
            target.state = .scheduled
            target.dueAt = when
            try await syncItemState(contentID: target.contentID, db: db, now: now)
            try await Self.audit(db, principal, .update, target, changes: ["state": [detail.target.state.rawValue, TargetState.scheduled.rawValue],
                                                                            "due_at": [Audit.instant(detail.target.dueAt), Audit.instant(when)]])
            return target
        }
    }

    /// A published target's URL was wrong: the person puts it right, and the
    /// audit log keeps both.
    func correctURL(_ detail: TargetDetail, to url: String, by principal: Principal, now: Date) async throws -> PublishTarget {
        try await database.transaction { db in
            guard let current = try await self.detail(id: detail.target.id, db: db, lock: true), current.target.state == .published else {
                throw ConflictError(code: "target_not_open", params: ["state": detail.target.state.rawValue])
            }
            guard current.target.externalURL != url else { return current.target }
            try await db.raw("""
                UPDATE publish_targets SET external_url = \(bind: url), updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: detail.target.id)
                """).run()
            var target = current.target
            target.externalURL = url
            try await Self.audit(db, principal, .update, target, changes: ["external_url": [current.target.externalURL ?? "", url]])
            return target
        }
    }

    /// Reminds the owner that an assisted target is overdue.
    public func remindOwner(_ detail: TargetDetail, now: Date = Date()) async throws {
        try await database.transaction { db in
            try await db.raw("UPDATE publish_targets SET reminded_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: detail.target.id)").run()
            try await announce(.manualDue, detail, link: nil, events: nil, db: db)
        }
    }

    public func attempts(targetID: String) async throws -> [PublishAttempt] {
        try await database.sql.raw("SELECT * FROM publish_attempts WHERE target_id = \(bind: targetID) ORDER BY started_at, id").all().map { row in
            PublishAttempt(id: try row.string("id"), targetID: try row.string("target_id"), kind: try row.value("kind", as: AttemptKind.self), worker: try row.optionalString("worker"),
                           startedAt: try row.date("started_at"), finishedAt: try row.optionalDate("finished_at"), outcome: try row.optionalString("outcome"),
                           detail: try row.optionalString("detail"), exchanges: try row.string("exchanges"))
        }
    }

    public func detail(id: String) async throws -> TargetDetail? {
        try await detail(id: id, db: database.sql, lock: false)
    }

    /// The target waiting for WeChat (or another asynchronous platform) to finish `remoteID`.
    public func target(platform: Platform, remoteID: String) async throws -> TargetDetail? {
        guard let row = try await database.sql.raw("""
            SELECT id FROM publish_targets WHERE platform = \(bind: platform.rawValue) AND remote_id = \(bind: remoteID)
            """).first() else { return nil }
        return try await detail(id: try row.string("id"))
    }

    func detail(id: String, db: any SQLDatabase, lock: Bool) async throws -> TargetDetail? {
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

    func insertAttempt(id: String, targetID: String, kind: AttemptKind, worker: String?, at: Date, db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO publish_attempts (id, target_id, kind, worker, started_at, exchanges)
            VALUES (\(bind: id), \(bind: targetID), \(bind: kind.rawValue), \(bind: worker), \(bind: at.epochMilliseconds), '[]')
            """).run()
    }

    static func detail(_ result: AttemptResult) -> String? {
        switch result {
        case .published(let id, let url): url ?? id
        case .accepted(let remoteID): remoteID
        case .retrying(let reason), .unconfirmed(let reason): reason
        case .failed(let reason, _): reason
        case .handedToOwner: nil
        }
    }
}

extension PublishingService {
    /// A platform's callback told us how an accepted post ended: recorded as a
    /// callback attempt on the target waiting for `remoteID` on that account.
    /// A callback for another account's target, or for none, changes nothing.
    @discardableResult
    public func applyCallback(platform: Platform, remoteID: String, accountID: String, result: AttemptResult) async throws -> Bool {
        guard let detail = try await target(platform: platform, remoteID: remoteID), detail.target.accountID == accountID else { return false }
        let attempt = try await startAttempt(targetID: detail.target.id, kind: .callback, worker: nil)
        try await finish(attemptID: attempt, targetID: detail.target.id, result: result, exchanges: "[]")
        return true
    }
}
