import Foundation
import MediaOpsDomain
import SQLKit

/// What a pull job carries: the account, and either a day range (daily pull,
/// backfill piece) or a post and the age its snapshot is for.
public struct MetricPullJob: Codable, Sendable, Equatable {
    public var accountID: String
    public var from: String?
    public var to: String?
    public var postID: String?
    public var offsetHours: Int?

    public init(accountID: String, from: LocalDate? = nil, to: LocalDate? = nil, postID: String? = nil, offsetHours: Int? = nil) {
        self.accountID = accountID
        self.from = from?.description
        self.to = to?.description
        self.postID = postID
        self.offsetHours = offsetHours
    }

    public var range: ClosedRange<LocalDate>? {
        guard let from = from.flatMap(LocalDate.init), let to = to.flatMap(LocalDate.init), from <= to else { return nil }
        return from...to
    }

    public func encoded() -> String { String(decoding: (try? JSONEncoder().encode(self)) ?? Data("{}".utf8), as: UTF8.self) }
    public static func decode(_ payload: String) throws -> MetricPullJob { try JSONDecoder().decode(MetricPullJob.self, from: Data(payload.utf8)) }

    public static func dailyKey(accountID: String, day: LocalDate) -> String { "metric-pull:\(accountID):\(day)" }
    public static func snapshotKey(postID: String, offset: TimeInterval) -> String { "metric-snapshot:\(postID):\(PullSchedule.label(offset))" }
    public static func backfillKey(accountID: String, range: ClosedRange<LocalDate>) -> String { "metric-backfill:\(accountID):\(range.lowerBound):\(range.upperBound)" }
}

/// What recording one pull wrote.
public struct MetricPullRecord: Sendable, Equatable {
    public var summary = MetricWriteSummary()
    /// The analytics posts the pull's snapshots went to (made when first seen).
    public var posts: [AnalyticsPost] = []
    /// Values the store refused (kept as metric failures, the rest written).
    public var refused: [MetricFailure] = []
}

/// Statistics pulls on the store side: a pull's result written into the
/// metric store with provenance `.apiPull` and its raw answers kept, each
/// account's pull status, and the scheduling of daily pulls, post snapshots
/// and backfills as durable jobs on the queue.
public struct MetricPullService: Sendable {
    public let database: Database
    public var queue: JobQueue

    public init(database: Database) {
        self.database = database
        self.queue = JobQueue(database: database)
    }

    // MARK: Recording

    /// Writes what a pull brought back, in one transaction: raw payloads, daily
    /// values, post snapshots (posts found for the first time become external
    /// posts of the account), and the account's pull status. A value the store
    /// cannot accept (a negative count) is refused on its own as a metric failure.
    @discardableResult
    public func record(accountID: String, result: MetricPullResult, now: Date? = nil) async throws -> MetricPullRecord {
        let now = now ?? database.now()
        let record = try await database.transaction { db in
            guard try await AccountRepository(db).find(id: accountID) != nil else { throw ValidationError(field: "account_id", code: "unknown_account") }
            let metrics = MetricRepository(db)
            var record = MetricPullRecord()
            var payloadIDs: [Int: String] = [:]
            func payload(_ index: Int) async throws -> String? {
                guard result.payloads.indices.contains(index) else { return nil }
                if let id = payloadIDs[index] { return id }
                let raw = result.payloads[index]
                let id = try await metrics.savePayload(accountID: accountID, endpoint: raw.endpoint, body: raw.body, fetchedAt: now)
                payloadIDs[index] = id
                return id
            }
            for daily in result.daily {
                let values = Self.accepted(daily.values, endpoint: result.payloads[safe: daily.payload]?.endpoint ?? "", refused: &record.refused)
                guard !values.isEmpty else { continue }
                let provenance = MetricProvenance(source: .apiPull, payloadID: try await payload(daily.payload), capturedAt: now)
                record.summary = record.summary + (try await metrics.recordDaily(accountID: accountID, day: daily.day, values: values, provenance: provenance, now: now))
            }
            for snapshot in result.posts {
                if let asked = snapshot.requestedAs {
                    try await metrics.adopt(accountID: accountID, knownAs: String(asked.prefix(200)), statisticsID: String(snapshot.platformPostID.prefix(200)), now: now)
                }
                let post = try await metrics.post(accountID: accountID, platformPostID: String(snapshot.platformPostID.prefix(200)), targetID: nil,
                                                  title: String(snapshot.title.prefix(200)), url: snapshot.url, publishedAt: snapshot.publishedAt, now: now)
                record.posts.append(post)
                let values = Self.accepted(snapshot.values, endpoint: result.payloads[safe: snapshot.payload]?.endpoint ?? "", refused: &record.refused)
                guard !values.isEmpty else { continue }
                let provenance = MetricProvenance(source: .apiPull, payloadID: try await payload(snapshot.payload), capturedAt: now)
                record.summary = record.summary + (try await metrics.recordSnapshot(post: post, values: values, provenance: provenance, now: now))
            }
            let error = result.failure.map { MetricPullStatus.LastError(code: $0.kind.rawValue, detail: $0.detail, at: now) }
            try await MetricPullRepository(db).record(accountID: accountID, at: now, success: result.hasValues, error: error,
                                                      failures: result.failures + record.refused, offline: result.offlineEndpoints)
            return record
        }
        await evaluateAlerts(accountID: accountID, result: result, record: record, now: now)
        return record
    }

    /// The alert rules judge what the pull brought: the latest day it wrote,
    /// and its posts whose 24-hour figure it may just have taken. After the
    /// commit and best effort: the values are stored whatever the rules make
    /// of them, and evaluating again later raises nothing twice.
    func evaluateAlerts(accountID: String, result: MetricPullResult, record: MetricPullRecord, now: Date) async {
        // Posts near their 24-hour mark are the ones the post rules judge.
        let posts = record.posts.filter { post in
            post.publishedAt.map { (12 * 3_600.0...48 * 3_600.0).contains(now.timeIntervalSince($0)) } ?? false
        }
        await AlertService(database: database).judgeNewNumbers(accountIDs: [accountID], through: result.daily.filter({ !$0.values.isEmpty }).map(\.day).max(),
                                                               postIDs: posts.map(\.id), now: now, after: "pull of \(accountID)")
    }

    /// Records an attempt that brought nothing back. "Not yet available" is
    /// waiting, not an error: only the attempt time moves.
    public func recordFailure(accountID: String, failure: PullFailure, now: Date? = nil) async throws {
        let now = now ?? database.now()
        let error = failure.kind == .notYetAvailable ? nil : MetricPullStatus.LastError(code: failure.kind.rawValue, detail: failure.detail, at: now)
        try await MetricPullRepository(database.sql).record(accountID: accountID, at: now, success: false, error: error, failures: nil, offline: nil)
    }

    static func accepted(_ values: [MetricKey: Double], endpoint: String, refused: inout [MetricFailure]) -> [MetricKey: Double] {
        var accepted: [MetricKey: Double] = [:]
        for (key, value) in values.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            switch key.validated(value) {
            case .success(let stored): accepted[key] = stored
            case .failure(let problem): refused.append(MetricFailure(key: key, reason: .invalid, endpoint: endpoint, detail: "\(value) (\(problem.rawValue))"))
            }
        }
        return accepted
    }

    // MARK: Status

    public func status(accountID: String) async throws -> MetricPullStatus? {
        try await MetricPullRepository(database.sql).status(accountID: accountID)
    }

    public func statuses() async throws -> [MetricPullStatus] {
        try await MetricPullRepository(database.sql).statuses()
    }

    // MARK: Scheduling

    /// The workspace's zone, in which "daily" means a calendar day.
    public func workspaceZone() async throws -> TimeZone {
        let name = try await WorkspaceRepository(database.sql).get()?.timeZone ?? "Asia/Shanghai"
        return TimeZone(identifier: name) ?? PullSchedule.beijing
    }

    /// Active accounts on `platforms` (the ones with a metrics connector).
    func activeAccounts(platforms: Set<Platform>) async throws -> [Account] {
        try await AccountRepository(database.sql).all(filter: AccountFilter(state: .active)).filter { platforms.contains($0.platform) }
    }

    /// Queues what is due around `now` (run hourly; idempotency keys make repeats free):
    /// each active account's pull of yesterday at its platform's availability
    /// time, and each young post's snapshots due within the next two hours
    /// (or missed by at most six). Returns how many jobs it asked for, already
    /// queued ones included.
    @discardableResult
    public func scheduleDue(platforms: Set<Platform>, now: Date? = nil) async throws -> Int {
        let now = now ?? database.now()
        let zone = try await workspaceZone()
        let accounts = try await activeAccounts(platforms: platforms)
        var added = 0
        let yesterday = LocalDate(now, timeZone: zone).adding(days: -1)
        for account in accounts {
            let runAt = PullSchedule.availableAt(yesterday, platform: account.platform, workspaceZone: zone)
            let job = try await queue.enqueue(kind: .metricPull, payload: MetricPullJob(accountID: account.id, from: yesterday, to: yesterday).encoded(), runAt: runAt,
                                              idempotencyKey: MetricPullJob.dailyKey(accountID: account.id, day: yesterday), maxAttempts: 8)
            _ = job
            added += 1
        }
        let platformsByAccount = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0.platform) })
        let posts = try await MetricPullRepository(database.sql).postsPublished(since: now.addingTimeInterval(-31 * 86_400), accountIDs: accounts.map(\.id))
        for post in posts {
            guard let published = post.publishedAt, let platform = platformsByAccount[post.accountID] else { continue }
            added += try await scheduleSnapshots(post: post, publishedAt: published, platform: platform, now: now)
        }
        return added
    }

    /// Queues the snapshots of one post that fall between six hours ago and two hours ahead.
    @discardableResult
    public func scheduleSnapshots(post: AnalyticsPost, publishedAt: Date, platform: Platform, now: Date) async throws -> Int {
        var added = 0
        for (offset, at) in PullSchedule.snapshotTimes(publishedAt: publishedAt, platform: platform)
        where at > now.addingTimeInterval(-6 * 3_600) && at <= now.addingTimeInterval(2 * 3_600) {
            let job = try await queue.enqueue(kind: .metricSnapshot,
                                              payload: MetricPullJob(accountID: post.accountID, postID: post.id, offsetHours: Int(offset / 3_600)).encoded(),
                                              runAt: at, idempotencyKey: MetricPullJob.snapshotKey(postID: post.id, offset: offset), maxAttempts: 6)
            _ = job
            added += 1
        }
        return added
    }

    /// Queues a backfill of `from`…`to` for one account as span-sized jobs,
    /// clamped to what its platform still keeps. Refused with a code when the
    /// range is backwards or the platform keeps no past days (live counters:
    /// import its back-office files instead).
    @discardableResult
    public func backfill(accountID: String, from: LocalDate, to: LocalDate, now: Date? = nil) async throws -> [ClosedRange<LocalDate>] {
        let now = now ?? database.now()
        guard from <= to else { throw ValidationError(field: "from", code: "pull_range_backwards") }
        guard let account = try await AccountRepository(database.sql).find(id: accountID) else { throw ValidationError(field: "account_id", code: "unknown_account") }
        guard PullSchedule.history(account.platform) != .currentOnly else { throw ValidationError(field: "account_id", code: "pull_backfill_unsupported") }
        let zone = try await workspaceZone()
        let latest = PullSchedule.latestAvailableDay(platform: account.platform, workspaceZone: zone, now: now)
        let ranges = PullSchedule.backfillRanges(platform: account.platform, from: from, to: to, latest: latest)
        guard !ranges.isEmpty else { throw ValidationError(field: "from", code: "pull_range_unavailable") }
        for range in ranges {
            try await queue.enqueue(kind: .metricBackfill, payload: MetricPullJob(accountID: accountID, from: range.lowerBound, to: range.upperBound).encoded(),
                                    runAt: now, idempotencyKey: MetricPullJob.backfillKey(accountID: accountID, range: range), maxAttempts: 8)
        }
        return ranges
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
