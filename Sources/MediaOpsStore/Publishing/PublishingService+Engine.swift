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
    public func begin(targetID: String, worker: String, now: Date? = nil) async throws -> BeginDecision {
        let now = now ?? database.now()
        return try await database.transaction { db in
            guard let detail = try await detail(id: targetID, db: db, lock: true) else { return .skip }
            let target = detail.target
            switch target.state {
            case .scheduled:
                // The engine sends only a copy that reviewers approved as it stands.
                guard try await ContentRepository(db).find(id: target.contentID)?.state.isPublishable ?? true else {
                    // Said on the queue and the target's page until the item is approved again.
                    if target.failureReason != Self.awaitingApprovalReason {
                        try await PublishTargetRepository(db).setFailureReason(id: targetID, Self.awaitingApprovalReason, at: now)
                    }
                    return .awaitingApproval
                }
                let attemptID = Identifier.makeOrdered("att")
                let targets = PublishTargetRepository(db)
                try await targets.insertAttempt(id: attemptID, targetID: targetID, kind: detail.mode == .assisted ? .handover : .publish, worker: worker, at: now)
                try await targets.startPublishing(id: targetID, at: now)
                var started = detail
                started.target.state = .publishing
                started.attempts += 1
                return .send(attemptID: attemptID, detail: started)
            case .publishing where detail.remoteID == nil && detail.mode == .api:
                // Still marked as publishing with our job claimed again: the last worker died mid-call.
                guard let open = try await PublishTargetRepository(db).openAttempt(targetID: targetID) else { return .skip }
                return .interrupted(attemptID: open.id, target: target, startedAt: open.startedAt)
            default:
                return .skip
            }
        }
    }

    /// Starts an attempt that is not a first publish (resend, reconcile, callback, manual).
    public func startAttempt(targetID: String, kind: AttemptKind, worker: String?, now: Date? = nil) async throws -> String {
        let now = now ?? database.now()
        let id = Identifier.makeOrdered("att")
        try await PublishTargetRepository(database.sql).insertAttempt(id: id, targetID: targetID, kind: kind, worker: worker, at: now)
        return id
    }

    /// Records how an attempt ended and moves the target accordingly, in one
    /// transaction. A published result always wins (it is the truth); other
    /// results only apply while the target is still in flight.
    @discardableResult
    public func finish(attemptID: String, targetID: String, result: AttemptResult, exchanges: String, now: Date? = nil,
                       events: NotificationRouter? = nil, link: String? = nil, completing job: (id: String, owner: String)? = nil) async throws -> PublishTarget? {
        let now = now ?? database.now()
        return try await database.transaction { db in
            // The job ends in the same commit as its outcome (one disk flush fewer per post).
            if let job, result.endsJob {
                _ = try await JobQueue(database: database).complete(id: job.id, owner: job.owner, now: now, on: db)
            }
            let targets = PublishTargetRepository(db)
            try await targets.finishAttempt(id: attemptID, outcome: result.code, detail: Self.detail(result), exchanges: exchanges, at: now)
            guard let detail = try await detail(id: targetID, db: db, lock: true) else { return nil }
            let state = detail.target.state
            let inFlight = state == .publishing || state == .unconfirmed || state == .scheduled
            var event: OutboundEventKind?
            switch result {
            case .published:
                guard state != .published, state != .cancelled else { return detail.target }
                event = .targetPublished
            case .accepted, .retrying:
                guard inFlight else { return detail.target }
            case .failed(_, let reconnect):
                guard inFlight else { return detail.target }
                if reconnect { try await AccountRepository(db).markReconnectNeeded(id: detail.target.accountID, at: now) }
                event = .targetFailed
            case .unconfirmed:
                guard inFlight else { return detail.target }
                if state != .unconfirmed { event = .targetUnconfirmed }
            case .handedToOwner:
                guard inFlight else { return detail.target }
                event = .manualDue
            }
            try await targets.apply(result, id: targetID, at: now)
            if case .published(let externalID, let url) = result, !externalID.isEmpty {
                // The post becomes an analytics post of its account in the same commit, so
                // its snapshots (1 h … 30 d) have a subject from the moment it is live.
                _ = try await MetricRepository(db).post(accountID: detail.target.accountID, platformPostID: String(externalID.prefix(200)), targetID: targetID,
                                                        title: String(detail.contentTitle.prefix(200)), url: url, publishedAt: now, now: now)
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
        case .alertFired: "alert_fired"
        case .reportIssued: "report_issued"
        case .tokenExpiring: "token_expiring"
        case .taskDue: "task_due_soon"
        case .taskOverdue: "task_overdue"
        case .taskMentioned: "task_mention"
        }
    }

    /// Keeps the content item's own state in step: published once every live target is.
    /// The item row is locked first so that targets of one item finishing at the
    /// same moment each count the others' committed states (under READ COMMITTED
    /// two transactions would otherwise each miss the other); the count is by
    /// state, not by reading every target.
    func syncItemState(contentID: String, db: any SQLDatabase, now: Date) async throws {
        let content = ContentRepository(db)
        guard var item = try await content.findForUpdate(id: contentID) else { return }
        var states: [TargetState] = []
        for (state, count) in try await PublishTargetRepository(db).stateCounts(contentID: contentID) {
            states.append(contentsOf: Array(repeating: state, count: min(count, 2)))
        }
        let wanted: ContentState? = switch PublishingSummary.derive(states) {
        case .published, .partiallyPublished: .published
        case .none: nil
        default: .scheduled
        }
        guard let wanted, item.state != wanted, item.state == .scheduled || item.state == .published else { return }
        item.state = wanted
        item.updatedAt = now
        try await content.update(item)
    }

    /// A person settles an unconfirmed or assisted target: published (with its
    /// URL) or not published (then it is scheduled again at `retryAt`).
    public func confirm(targetID: String, published: Bool, url: String?, retryAt: Date?, by principal: Principal, now: Date? = nil) async throws -> PublishTarget {
        let now = now ?? database.now()
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
            try await PublishTargetRepository(db).requeue(id: targetID, due: when, jobID: job.id, at: now)
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
            try await PublishTargetRepository(db).setExternalURL(id: detail.target.id, url, at: now)
            var target = current.target
            target.externalURL = url
            try await Self.audit(db, principal, .update, target, changes: ["external_url": [current.target.externalURL ?? "", url]])
            return target
        }
    }

    /// Reminds the owner that an assisted target is overdue.
    public func remindOwner(_ detail: TargetDetail, now: Date? = nil) async throws {
        let now = now ?? database.now()
        try await database.transaction { db in
            try await PublishTargetRepository(db).setReminded(id: detail.target.id, at: now)
            try await announce(.manualDue, detail, link: nil, events: nil, db: db)
        }
    }

    public func attempts(targetID: String) async throws -> [PublishAttempt] {
        try await PublishTargetRepository(database.sql).attempts(targetID: targetID)
    }

    public func detail(id: String) async throws -> TargetDetail? {
        try await detail(id: id, db: database.sql, lock: false)
    }

    /// The target waiting for WeChat (or another asynchronous platform) to finish `remoteID`.
    public func target(platform: Platform, remoteID: String) async throws -> TargetDetail? {
        guard let id = try await PublishTargetRepository(database.sql).id(platform: platform, remoteID: remoteID) else { return nil }
        return try await detail(id: id)
    }

    func detail(id: String, db: any SQLDatabase, lock: Bool) async throws -> TargetDetail? {
        try await PublishTargetRepository(db).detail(id: id, lock: lock)
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
