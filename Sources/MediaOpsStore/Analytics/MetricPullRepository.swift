import Foundation
import MediaOpsDomain
import SQLKit

/// The `metric_pull_status` table, and the analytics posts still young enough for snapshots.
public struct MetricPullRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    /// Records one attempt. `success` moves the last success; `error` replaces the
    /// last error (an attempt without one keeps the old error as history);
    /// `failures`/`offline` describe this attempt only (nil: leave as they were).
    public func record(accountID: String, at: Date, success: Bool, error: MetricPullStatus.LastError?, failures: [MetricFailure]?, offline: [String]?) async throws {
        let failuresJSON = try failures.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let offlineJSON = try offline.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let success: Int64? = success ? at.epochMilliseconds : nil
        try await db.raw("""
            INSERT INTO metric_pull_status (account_id, last_attempt_at, last_success_at, last_error_code, last_error_detail, last_error_at,
                                            metric_failures, offline_endpoints, updated_at)
            VALUES (\(bind: accountID), \(bind: at.epochMilliseconds), \(bind: success), \(bind: error?.code), \(bind: error.map { String($0.detail.prefix(500)) }),
                    \(bind: error?.at.epochMilliseconds), \(bind: failuresJSON ?? "[]"), \(bind: offlineJSON ?? "[]"), \(bind: at.epochMilliseconds))
            ON CONFLICT (account_id) DO UPDATE SET
                last_attempt_at = excluded.last_attempt_at,
                last_success_at = COALESCE(excluded.last_success_at, metric_pull_status.last_success_at),
                last_error_code = COALESCE(excluded.last_error_code, metric_pull_status.last_error_code),
                last_error_detail = COALESCE(excluded.last_error_detail, metric_pull_status.last_error_detail),
                last_error_at = COALESCE(excluded.last_error_at, metric_pull_status.last_error_at),
                metric_failures = \(unsafeRaw: failuresJSON == nil ? "metric_pull_status.metric_failures" : "excluded.metric_failures"),
                offline_endpoints = \(unsafeRaw: offlineJSON == nil ? "metric_pull_status.offline_endpoints" : "excluded.offline_endpoints"),
                updated_at = excluded.updated_at
            """).run()
    }

    public func status(accountID: String) async throws -> MetricPullStatus? {
        try await db.raw("SELECT * FROM metric_pull_status WHERE account_id = \(bind: accountID)").first().map(Self.status(from:))
    }

    public func statuses() async throws -> [MetricPullStatus] {
        try await db.raw("SELECT * FROM metric_pull_status ORDER BY account_id").all().map(Self.status(from:))
    }

    /// Posts of these accounts published since `since`, for snapshot scheduling.
    public func postsPublished(since: Date, accountIDs: [String]) async throws -> [AnalyticsPost] {
        guard !accountIDs.isEmpty else { return [] }
        return try await db.raw("""
            SELECT * FROM analytics_posts WHERE published_at >= \(bind: since.epochMilliseconds) AND account_id IN (\(binds: accountIDs))
            ORDER BY published_at, id
            """).all().map(MetricRepository.post(from:))
    }

    static func status(from row: any SQLRow) throws -> MetricPullStatus {
        let failures = try JSONDecoder().decode([MetricFailure].self, from: Data(try row.string("metric_failures").utf8))
        let offline = try JSONDecoder().decode([String].self, from: Data(try row.string("offline_endpoints").utf8))
        var error: MetricPullStatus.LastError?
        if let code = try row.optionalString("last_error_code") {
            guard PullFailureKind(rawValue: code) != nil else { throw UnreadableStoredValue(column: "last_error_code", value: code) }
            error = MetricPullStatus.LastError(code: code, detail: try row.optionalString("last_error_detail") ?? "", at: try row.optionalDate("last_error_at") ?? Date(timeIntervalSince1970: 0))
        }
        return MetricPullStatus(accountID: try row.string("account_id"), lastAttemptAt: try row.date("last_attempt_at"), lastSuccessAt: try row.optionalDate("last_success_at"),
                                lastError: error, metricFailures: failures, offlineEndpoints: offline)
    }
}
