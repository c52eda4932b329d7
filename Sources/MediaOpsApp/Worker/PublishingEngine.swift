import Foundation
import Logging
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsStore

/// What the publish, reconcile and reminder jobs share: the connectors, the
/// outbound transport, the token cache and the way a payload is assembled from
/// a content item's platform variant.
public struct PublishingEngine: Sendable {
    public let database: Database
    public let publishing: PublishingService
    public let connectors: ConnectorRegistry
    public let http: HTTPTransport
    public let endpoints: PlatformEndpoints
    public let tokens: PlatformTokenRepository
    public let assets: AssetService
    public let logger: Logger
    /// How long an assisted target waits between reminders to its owner.
    public var reminderInterval: TimeInterval = 30 * 60
    /// First look at an accepted (asynchronous) publication, then back off.
    public var pollInterval: TimeInterval = 3
    /// How often a due target whose item waits for re-approval looks again.
    public var approvalRecheck: TimeInterval = 30

    public init(database: Database, connectors: ConnectorRegistry, http: HTTPTransport, endpoints: PlatformEndpoints, secrets: SecretBox,
                assets: AssetService, logger: Logger) {
        self.database = database
        self.publishing = PublishingService(database: database)
        self.connectors = connectors
        self.http = http
        self.endpoints = endpoints
        self.tokens = PlatformTokenRepository(database: database, secrets: secrets)
        self.assets = assets
        self.logger = logger
    }

    public var handlers: [any JobHandler] {
        [PublishJobHandler(engine: self), ReconcileJobHandler(engine: self), AssistedReminderHandler(engine: self), TokenCheckHandler(engine: self)]
    }

    /// Work every worker queues when it starts: this hour's token check.
    public func startup() async throws {
        try await TokenCheckHandler.enqueue(database: database, at: Date())
        await scheduleMetricPulls()
    }

    /// Queues statistics pulls that are due (daily account pulls after each
    /// platform's availability time, post snapshots). Runs with the hourly token
    /// check; idempotency keys make every repeat free. A failure here must not
    /// stop the token check, so it is logged.
    func scheduleMetricPulls(now: Date = Date()) async {
        do {
            try await MetricPullService(database: database).scheduleDue(platforms: Set(MetricsConnectorRegistry.standard.platforms), now: now)
        } catch {
            logger.error("scheduling statistics pulls failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// Judges yesterday (in the workspace zone) of every account not retired against
    /// the alert rules. Runs with the hourly token check: each platform's
    /// yesterday lands at its own hour, and a file or a late pull can fill it
    /// later still; a day already judged raises nothing twice. A failure is
    /// logged and never stops the token check.
    public func sweepAlerts(now: Date = Date()) async {
        do {
            let zone = try await MetricPullService(database: database).workspaceZone()
            // Every account not retired: one paused or waiting to be reconnected still gets numbers from files.
            let ids = try await AccountRepository(database.sql).all(filter: AccountFilter()).map(\.id)
            let yesterday = LocalDate(now, timeZone: zone).adding(days: -1)
            try await AlertService(database: database).evaluate(accountIDs: ids, through: yesterday, now: now)
            try await AlertService(database: database).evaluateFunnels(through: yesterday, now: now)
        } catch {
            logger.error("judging yesterday against the alert rules failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    func context(_ log: ExchangeLog) -> ConnectorContext {
        ConnectorContext(http: http, tokens: DatabaseTokenCache(tokens: tokens), endpoints: endpoints, log: log)
    }

    /// The platform variant of the item, with the account's credentials and the pictures it needs.
    func payload(for detail: TargetDetail) async throws -> PublishPayload? {
        let target = detail.target
        let content = ContentRepository(database.sql)
        guard let item = try await content.find(id: target.contentID),
              let account = try await AccountRepository(database.sql).find(id: target.accountID) else { return nil }
        // The row read above carries state and copy together: an edit that
        // reopened review cannot slip its text past this check.
        guard item.state.isPublishable else { throw AwaitingApproval() }
        let variant = try await content.variants(contentID: item.id).first { $0.platform == target.platform }
        var text = HTMLSanitizer.plainText(variant?.body ?? item.body)
        if let link = variant?.link, !link.isEmpty, !text.contains(link) { text += "\n" + link }
        let coverID = item.coverAssetID ?? variant?.mediaAssetIDs.first
        let cover = try await coverID.asyncFlatMap { try await mediaFile(assetID: $0) }
        var inline: [String: MediaFile] = [:]
        for (src, assetID) in Self.inlineAssetSources(item.body) {
            if let file = try await mediaFile(assetID: assetID) { inline[src] = file }
        }
        let secrets = try await tokens.credentials(accountID: account.id)
        return PublishPayload(targetID: target.id, title: variant?.title.isEmpty == false ? variant!.title : item.title, text: text, html: item.body,
                              summary: item.summary, cover: cover, inlineImages: inline,
                              account: ConnectorAccount(id: account.id, platform: account.platform, name: account.name, handle: account.handle,
                                                        fields: account.fields, secrets: secrets))
    }

    func mediaFile(assetID: String) async throws -> MediaFile? {
        guard let asset = try await AssetRepository(database.sql).find(id: assetID),
              let object = try await assets.storage.get(key: asset.sha256) else { return nil }
        return MediaFile(filename: asset.downloadName, contentType: asset.mimeType, bytes: try await object.collect())
    }

    /// `src` values in the body that point at the asset library (`/assets/<id>/file`).
    static func inlineAssetSources(_ html: String) -> [(String, String)] {
        guard let regex = try? NSRegularExpression(pattern: #"src="([^"]*/assets/([A-Za-z0-9_\-]+)/file[^"]*)""#) else { return [] }
        let range = NSRange(html.startIndex..., in: html)
        return regex.matches(in: html, range: range).compactMap { match in
            guard let src = Range(match.range(at: 1), in: html), let id = Range(match.range(at: 2), in: html) else { return nil }
            return (String(html[src]), String(html[id]))
        }
    }

    static func exchanges(_ log: ExchangeLog) async -> String {
        let list = await log.exchanges
        guard let data = try? JSONEncoder().encode(list) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Queues the next look at an unconfirmed or accepted target.
    /// `cycle` is the attempt whose outcome is being reconciled: rounds of one
    /// cycle follow each other, and a later publish attempt starts a new cycle.
    /// The key is a function of (target, cycle, round) alone, so two workers
    /// scheduling the same round make one job.
    public func scheduleReconcile(targetID: String, cycle: String, round: Int, after: TimeInterval) async throws {
        try await JobQueue(database: database).enqueue(kind: JobKind.reconcile,
                                                       payload: RoundPayload.make(targetID: targetID, round: round, cycle: cycle),
                                                       runAt: Date().addingTimeInterval(after), idempotencyKey: Self.reconcileKey(targetID: targetID, cycle: cycle, round: round),
                                                       maxAttempts: 5)
    }

    static func reconcileKey(targetID: String, cycle: String, round: Int) -> String { "reconcile:\(targetID):\(cycle):\(round)" }

    func scheduleReminder(targetID: String, round: Int) async throws {
        try await JobQueue(database: database).enqueue(kind: JobKind.assistedReminder, payload: RoundPayload.make(targetID: targetID, round: round),
                                                       runAt: Date().addingTimeInterval(reminderInterval), idempotencyKey: "remind:\(targetID):\(round)", maxAttempts: 3)
    }

    /// Records a publish outcome and says what the job should do next.
    func record(_ outcome: PublishOutcome, attemptID: String, detail: TargetDetail, job: Job?, log: ExchangeLog) async throws -> JobResult {
        let exchanges = await Self.exchanges(log)
        let id = detail.target.id
        switch outcome {
        case .published(let externalID, let url):
            try await publishing.finish(attemptID: attemptID, targetID: id, result: .published(externalID: externalID, url: url), exchanges: exchanges,
                                        completing: job.flatMap { job in job.leaseOwner.map { (job.id, $0) } })
            return .done
        case .accepted(let remoteID):
            try await publishing.finish(attemptID: attemptID, targetID: id, result: .accepted(remoteID: remoteID), exchanges: exchanges)
            try await scheduleReconcile(targetID: id, cycle: attemptID, round: 1, after: pollInterval)
            return .done
        case .transient(let reason, let retryAfter):
            if let job, job.attempts < job.maxAttempts {
                try await publishing.finish(attemptID: attemptID, targetID: id, result: .retrying(reason: reason), exchanges: exchanges)
                return .retry(reason: reason, after: retryAfter)
            }
            try await publishing.finish(attemptID: attemptID, targetID: id, result: .failed(reason: "retries_exhausted: \(reason)", reconnect: false), exchanges: exchanges)
            return .dead(reason: reason)
        case .permanent(let reason):
            if reason == "douyin_needs_assisted_publishing" {
                return try await handOver(attemptID: attemptID, detail: detail, exchanges: exchanges)
            }
            try await publishing.finish(attemptID: attemptID, targetID: id, result: .failed(reason: reason, reconnect: false), exchanges: exchanges)
            return .dead(reason: reason)
        case .reconnectNeeded(let reason):
            try await publishing.finish(attemptID: attemptID, targetID: id, result: .failed(reason: reason, reconnect: true), exchanges: exchanges)
            return .dead(reason: reason)
        case .unknown(let reason):
            try await publishing.finish(attemptID: attemptID, targetID: id, result: .unconfirmed(reason: reason), exchanges: exchanges)
            try await scheduleReconcile(targetID: id, cycle: attemptID, round: 1, after: pollInterval)
            return .done
        }
    }

    func handOver(attemptID: String, detail: TargetDetail, exchanges: String) async throws -> JobResult {
        try await publishing.finish(attemptID: attemptID, targetID: detail.target.id, result: .handedToOwner, exchanges: exchanges)
        try await scheduleReminder(targetID: detail.target.id, round: 1)
        return .done
    }
}

/// Carries out a due publish job.
struct PublishJobHandler: JobHandler {
    let engine: PublishingEngine
    var kind: JobKind { JobKind.publish }

    func handle(_ job: Job, worker: String) async throws -> JobResult {
        let publishing = engine.publishing
        switch try await publishing.begin(targetID: job.payload, worker: worker) {
        case .skip:
            return .done
        case .awaitingApproval:
            return .postpone(reason: "awaiting_approval", after: engine.approvalRecheck)
        case .send(let attemptID, let detail):
            let log = ExchangeLog()
            guard detail.mode == .api, let connector = engine.connectors.connector(for: detail.target.platform) else {
                return try await engine.handOver(attemptID: attemptID, detail: detail, exchanges: "[]")
            }
            let built: PublishPayload?
            do {
                built = try await engine.payload(for: detail)
            } catch is AwaitingApproval {
                // Edited after approval since the claim: nothing was sent; wait for the new approval.
                try await publishing.finish(attemptID: attemptID, targetID: detail.target.id, result: .retrying(reason: "awaiting_approval"), exchanges: "[]")
                return .postpone(reason: "awaiting_approval", after: engine.approvalRecheck)
            }
            guard let payload = built else {
                return try await engine.record(.permanent(reason: "content_or_account_missing"), attemptID: attemptID, detail: detail, job: job, log: log)
            }
            let outcome = await connector.publish(payload, context: engine.context(log))
            return try await engine.record(outcome, attemptID: attemptID, detail: detail, job: job, log: log)
        case .interrupted(let attemptID, let target, let startedAt):
            // The last worker died during its call: what reached the platform is unknown.
            try await publishing.finish(attemptID: attemptID, targetID: target.id, result: .unconfirmed(reason: "worker_interrupted"), exchanges: "[]")
            engine.logger.warning("publish interrupted; reconciling", metadata: ["target": "\(target.id)", "since": "\(startedAt)"])
            try await engine.scheduleReconcile(targetID: target.id, cycle: attemptID, round: 1, after: 0)
            return .done
        }
    }
}

/// Follow-up jobs (reconcile, remind) carry "<target id>|<round>[|<cycle>]".
enum RoundPayload {
    static func make(targetID: String, round: Int, cycle: String? = nil) -> String {
        ["\(targetID)", "\(round)", cycle].compactMap { $0 }.joined(separator: "|")
    }

    static func parse(_ payload: String) -> (targetID: String, round: Int, cycle: String)? {
        let parts = payload.split(separator: "|")
        guard let first = parts.first, !first.isEmpty else { return nil }
        let round = parts.count > 1 ? min(max(Int(parts[1]) ?? 1, 1), 10_000) : 1
        return (String(first), round, parts.count > 2 ? String(parts[2]) : "0")
    }
}

/// Asks the platform what became of an unconfirmed or accepted publication.
struct ReconcileJobHandler: JobHandler {
    let engine: PublishingEngine
    var kind: JobKind { JobKind.reconcile }
    static let maxRounds = 120

    func handle(_ job: Job, worker: String) async throws -> JobResult {
        guard let parsed = RoundPayload.parse(job.payload) else { return .dead(reason: "bad payload") }
        let (targetID, round, cycle) = (parsed.targetID, parsed.round, parsed.cycle)
        let publishing = engine.publishing
        guard let detail = try await publishing.detail(id: targetID) else { return .done }
        let waiting = detail.target.state == .unconfirmed || (detail.target.state == .publishing && detail.remoteID != nil)
        guard waiting, let connector = engine.connectors.connector(for: detail.target.platform),
              let payload = try await engine.payload(for: detail) else { return .done }
        let log = ExchangeLog()
        let answer = await connector.reconcile(payload, remoteID: detail.remoteID, context: engine.context(log))
        let exchanges = await PublishingEngine.exchanges(log)
        /// One attempt row per answer worth reading; "still pending" polls write none after the first.
        func record(_ result: AttemptResult, exchanges: String = exchanges) async throws {
            let attemptID = try await publishing.startAttempt(targetID: targetID, kind: .reconcile, worker: worker)
            try await publishing.finish(attemptID: attemptID, targetID: targetID, result: result, exchanges: exchanges)
        }
        switch answer {
        case .published(let externalID, let url):
            try await record(.published(externalID: externalID, url: url))
        case .failed(let reason):
            try await record(.failed(reason: reason, reconnect: false))
        case .pending, .retryLater:
            if round >= Self.maxRounds {
                try await record(.unconfirmed(reason: "needs_human: platform_never_answered"))
                return .done
            }
            if round == 1 {
                try await record(detail.target.state == .unconfirmed
                                 ? .unconfirmed(reason: detail.target.failureReason ?? "pending") : .accepted(remoteID: detail.remoteID ?? ""))
            }
            var after = min(60, engine.pollInterval * Double(round))
            if case .retryLater(_, let retry?) = answer { after = max(after, retry) }
            try await engine.scheduleReconcile(targetID: targetID, cycle: cycle, round: round + 1, after: after)
        case .safeToResend:
            let since = detail.unconfirmedSince ?? Date()
            if let window = connector.idempotencyWindow, Date().timeIntervalSince(since) < window {
                await log.note("the platform de-duplicates by our idempotency key: sending again")
                try await record(.unconfirmed(reason: "resending"), exchanges: await PublishingEngine.exchanges(log))
                // The resend is its own attempt, written before anything is sent like every publish.
                let resend = try await publishing.startAttempt(targetID: targetID, kind: .resend, worker: worker)
                let resendLog = ExchangeLog()
                let outcome = await connector.publish(payload, context: engine.context(resendLog))
                return try await engine.record(outcome, attemptID: resend, detail: detail, job: nil, log: resendLog)
            }
            try await record(.unconfirmed(reason: "needs_human: idempotency_window_passed"))
        case .needsHuman(let reason):
            try await record(.unconfirmed(reason: "needs_human: \(reason)"))
        }
        return .done
    }
}

/// Reminds the owner of an assisted target that is still not marked published.
struct AssistedReminderHandler: JobHandler {
    let engine: PublishingEngine
    var kind: JobKind { JobKind.assistedReminder }
    static let maxRounds = 24

    func handle(_ job: Job, worker: String) async throws -> JobResult {
        guard let payload = RoundPayload.parse(job.payload) else { return .dead(reason: "bad payload") }
        let (targetID, round) = (payload.targetID, payload.round)
        guard let detail = try await engine.publishing.detail(id: targetID), detail.target.state == .publishing, detail.mode == .assisted else { return .done }
        try await engine.publishing.remindOwner(detail)
        if round < Self.maxRounds { try await engine.scheduleReminder(targetID: targetID, round: round + 1) }
        return .done
    }
}

/// The connectors' token cache, kept in the database so every worker shares it.
struct DatabaseTokenCache: TokenCache {
    let tokens: PlatformTokenRepository

    func token(accountID: String) async throws -> CachedToken? {
        try await tokens.token(accountID: accountID).map { CachedToken(value: $0.value, expiresAt: $0.expiresAt) }
    }

    func store(_ token: CachedToken, accountID: String) async throws {
        try await tokens.store(accountID: accountID, value: token.value, expiresAt: token.expiresAt)
    }

    func invalidate(accountID: String, value: String) async throws {
        try await tokens.invalidate(accountID: accountID, value: value)
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

/// The hourly token-health check; each run queues the next, and every worker
/// start queues the current hour's (the idempotency key keeps it to one).
struct TokenCheckHandler: JobHandler {
    let engine: PublishingEngine
    var kind: JobKind { JobKind.tokenCheck }
    static let interval: TimeInterval = 3_600

    static func enqueue(database: Database, at date: Date) async throws {
        let bucket = Int(date.timeIntervalSince1970 / interval)
        try await JobQueue(database: database).enqueue(kind: JobKind.tokenCheck, payload: String(bucket), runAt: date,
                                                       idempotencyKey: "token-check:\(bucket)", maxAttempts: 3)
    }

    func handle(_ job: Job, worker: String) async throws -> JobResult {
        try await TokenHealthService(database: engine.database).check()
        await engine.scheduleMetricPulls()
        await engine.sweepAlerts()
        try await Self.enqueue(database: engine.database, at: Date().addingTimeInterval(Self.interval))
        return .done
    }
}
