import Foundation
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsStore

/// Runs statistics pulls: `metric_pull` (an account's yesterday),
/// `metric_backfill` (a span of past days) and `metric_snapshot` (one post at
/// one age). The connector's result goes into the metric store whole —
/// values, per-metric failures, raw answers — and its whole-pull failure
/// decides the job: not yet available → look again later without spending an
/// attempt; quota or passing failure → retry after the platform's wait;
/// authorisation, offline or refused → stop, with the reason in the status.
public struct MetricPullJobHandler: JobHandler {
    public let kind: JobKind
    let engine: PublishingEngine
    let connectors: MetricsConnectorRegistry
    let now: @Sendable () -> Date
    /// How long "not yet available" is waited for before a day or snapshot is given up.
    static let patience: TimeInterval = 3 * 86_400
    static let recheck: TimeInterval = 3_600

    public init(kind: JobKind, engine: PublishingEngine, connectors: MetricsConnectorRegistry = .standard, now: @escaping @Sendable () -> Date = { Date() }) {
        self.kind = kind
        self.engine = engine
        self.connectors = connectors
        self.now = now
    }

    /// One handler per pull kind.
    public static func all(engine: PublishingEngine, connectors: MetricsConnectorRegistry = .standard) -> [MetricPullJobHandler] {
        [JobKind.metricPull, .metricSnapshot, .metricBackfill].map { MetricPullJobHandler(kind: $0, engine: engine, connectors: connectors) }
    }

    public func handle(_ job: Job, worker: String) async throws -> JobResult {
        guard let payload = try? MetricPullJob.decode(job.payload) else { return .dead(reason: "unreadable_payload") }
        let pulls = MetricPullService(database: engine.database)
        // A paused, retired or disconnected account is not asked; its next day is queued afresh.
        guard let account = try await AccountRepository(engine.database.sql).find(id: payload.accountID), account.state == .active else { return .done }
        guard let connector = connectors.connector(for: account.platform) else { return .done }
        let secrets = try await engine.tokens.credentials(accountID: account.id)
        let target = ConnectorAccount(id: account.id, platform: account.platform, name: account.name, handle: account.handle, fields: account.fields, secrets: secrets)
        let context = engine.context(ExchangeLog())
        let now = now()

        let result: MetricPullResult
        let deadline: Date
        if kind == .metricSnapshot {
            guard let postID = payload.postID, let post = try await MetricRepository(engine.database.sql).post(id: postID) else { return .done }
            result = await connector.pullPosts(target, posts: [MetricPostRef(platformPostID: post.platformPostID, publishedAt: post.publishedAt, title: post.title)], context: context)
            deadline = (post.publishedAt ?? job.createdAt).addingTimeInterval(TimeInterval((payload.offsetHours ?? 0) * 3_600) + Self.patience)
        } else {
            guard let range = payload.range else { return .dead(reason: "unreadable_payload") }
            result = await connector.pullAccount(target, from: range.lowerBound, to: range.upperBound, context: context)
            let zone = try await pulls.workspaceZone()
            deadline = PullSchedule.availableAt(range.upperBound, platform: account.platform, workspaceZone: zone).addingTimeInterval(Self.patience)
        }

        if result.hasValues || !result.failures.isEmpty || !result.offlineEndpoints.isEmpty {
            try await pulls.record(accountID: account.id, result: result, now: now)
        } else if let failure = result.failure {
            try await pulls.recordFailure(accountID: account.id, failure: failure, now: now)
        }
        guard let failure = result.failure else { return .done }
        let reason = "\(failure.kind.rawValue): \(failure.detail)"
        switch failure.kind {
        case .notYetAvailable:
            // A backfill of old days that the platform has nothing for is finished, not waiting.
            if kind == .metricBackfill || now > deadline { return .done }
            return .postpone(reason: reason, after: Self.recheck)
        case .rateLimited, .transient:
            return .retry(reason: reason, after: failure.retryAfter)
        case .unsupported:
            return .done
        case .auth, .apiOffline, .spanExceeded, .permanent:
            return .dead(reason: reason)
        }
    }
}
