import Foundation
import MediaOpsDomain
import SQLKit

/// One account's numbers over a period, as the matrix overview shows them.
/// A number the store has nothing for is nil, never zero.
public struct AccountPeriodTotals: Sendable, Equatable {
    public var accountID: String
    /// Followers at the end of the period (the last day with a count).
    public var followers: Double?
    /// Net follower change over the period.
    public var followersNet: Double?
    /// Posts published in the period (MediaOps' and external ones).
    public var posts: Int
    /// Sums of the period's daily values by key (reads, plays, likes …).
    public var sums: [MetricKey: Double]

    public init(accountID: String, followers: Double? = nil, followersNet: Double? = nil, posts: Int = 0, sums: [MetricKey: Double] = [:]) {
        self.accountID = accountID
        self.followers = followers
        self.followersNet = followersNet
        self.posts = posts
        self.sums = sums
    }

    public func consumption(_ platform: Platform) -> Double? {
        let key = DerivedMetric.consumptionKey(for: platform)
        return sums[key] ?? sums[key == .plays ? .reads : .plays]
    }

    public func engagementRate(_ platform: Platform) -> Double? { DerivedMetric.engagementRate(sums, platform: platform) }
}

/// A post with the snapshots nearest to 24 hours and 7 days after publishing
/// (the figures people compare posts by) and its latest one.
public struct PostMetricsSummary: Sendable {
    public var post: AnalyticsPost
    public var at24h: [MetricKey: Double]?
    public var at7d: [MetricKey: Double]?
    public var latest: [MetricKey: Double]?
    public var snapshotCount: Int
}

/// The 数据 room's reads: the matrix overview, an account's daily series and
/// its posts with their snapshots.
public struct AnalyticsService: Sendable {
    public let database: Database

    public init(database: Database) { self.database = database }

    /// The workspace's today in its zone.
    public func today() async throws -> (day: LocalDate, zone: TimeZone) {
        let zone = try await WorkspaceRepository(database.sql).get().flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(identifier: "Asia/Shanghai")!
        return (LocalDate(database.now(), timeZone: zone), zone)
    }

    /// These accounts' totals over [from, to] (days in the workspace zone).
    public func totals(accountIDs: [String], from: LocalDate, to: LocalDate, zone: TimeZone) async throws -> [String: AccountPeriodTotals] {
        let repository = AnalyticsReadRepository(database.sql)
        var result: [String: AccountPeriodTotals] = [:]
        let start = Self.instant(from, zone), stop = Self.instant(to.adding(days: 1), zone)
        // In pieces, so no statement binds more values than either database takes.
        for offset in stride(from: 0, to: accountIDs.count, by: 400) {
            let ids = Array(accountIDs[offset..<min(accountIDs.count, offset + 400)])
            for (account, sums) in try await repository.sums(accountIDs: ids, from: from, to: to, keys: [.followersNet, .reads, .plays, .readers] + DerivedMetric.engagementParts) {
                var totals = AccountPeriodTotals(accountID: account)
                totals.followersNet = sums[.followersNet]
                var rest = sums
                rest[.followersNet] = nil
                totals.sums = rest
                result[account] = totals
            }
            let end = try await repository.lastValues(accountIDs: ids, key: .followersTotal, onOrBefore: to)
            let before = try await repository.lastValues(accountIDs: ids, key: .followersTotal, onOrBefore: from.adding(days: -1))
            for (account, followers) in end {
                result[account, default: AccountPeriodTotals(accountID: account)].followers = followers
                // Without daily net figures the change is read from the totals.
                if result[account]?.followersNet == nil, let start = before[account] { result[account]?.followersNet = followers - start }
            }
            for (account, count) in try await repository.postCounts(accountIDs: ids, from: start, to: stop) where count > 0 {
                result[account, default: AccountPeriodTotals(accountID: account)].posts = count
            }
        }
        return result
    }

    /// One account's daily values over [from, to].
    public func daily(accountID: String, from: LocalDate, to: LocalDate) async throws -> [LocalDate: [MetricKey: Double]] {
        try await MetricRepository(database.sql).daily(accountID: accountID, from: from, to: to).mapValues { $0.mapValues(\.value) }
    }

    /// An account's posts, newest first, with their 24-hour, 7-day and latest figures.
    public func posts(accountID: String, page: PageRequest) async throws -> Page<PostMetricsSummary> {
        let repository = AnalyticsReadRepository(database.sql)
        let posts = try await repository.posts(accountID: accountID, page: page)
        let snapshots = try await repository.snapshots(postIDs: posts.items.map(\.id))
        let items = posts.items.map { post in Self.summary(post, snapshots[post.id] ?? []) }
        return Page(items: items, total: posts.total, page: posts.page, perPage: posts.perPage)
    }

    public func post(id: String) async throws -> AnalyticsPost? { try await MetricRepository(database.sql).post(id: id) }

    /// The latest snapshot of the posts these publish targets became (a content item's numbers per platform).
    public func latestByTarget(_ targetIDs: [String]) async throws -> [String: [MetricKey: Double]] {
        let repository = AnalyticsReadRepository(database.sql)
        let posts = try await repository.posts(targetIDs: targetIDs)
        let snapshots = try await repository.snapshots(postIDs: posts.map(\.id))
        var result: [String: [MetricKey: Double]] = [:]
        for post in posts {
            guard let target = post.targetID, let latest = snapshots[post.id]?.last?.values else { continue }
            result[target] = latest
        }
        return result
    }

    public func snapshots(postID: String) async throws -> [(capturedAt: Date, hoursSincePublish: Double?, values: [MetricKey: MetricValue])] {
        try await MetricRepository(database.sql).snapshots(postID: postID)
    }

    /// The snapshot nearest each mark, taken only within a window around it
    /// (a 3-day-old first snapshot is not a 24-hour figure).
    static func summary(_ post: AnalyticsPost, _ snapshots: [(hours: Double?, values: [MetricKey: Double])]) -> PostMetricsSummary {
        func nearest(_ mark: Double, within window: ClosedRange<Double>) -> [MetricKey: Double]? {
            snapshots.filter { $0.hours.map(window.contains) ?? false }.min { abs($0.hours! - mark) < abs($1.hours! - mark) }?.values
        }
        return PostMetricsSummary(post: post, at24h: nearest(24, within: 12...48), at7d: nearest(168, within: 120...240),
                                  latest: snapshots.last?.values, snapshotCount: snapshots.count)
    }

    static func instant(_ day: LocalDate, _ zone: TimeZone) -> Date {
        LocalDateTime(year: day.year, month: day.month, day: day.day, hour: 0, minute: 0).instant(in: zone) ?? Date(timeIntervalSince1970: 0)
    }
}

/// The analytics reads that span accounts (aggregates over the metric store).
struct AnalyticsReadRepository: Sendable {
    let db: any SQLDatabase
    init(_ db: any SQLDatabase) { self.db = db }

    static func list(_ values: [String]) -> SQLQueryString {
        values.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
    }

    /// Sums of daily values per account and key over [from, to]: one range of
    /// the (account, metric, day) index per account and key.
    func sums(accountIDs: [String], from: LocalDate, to: LocalDate, keys: [MetricKey]) async throws -> [String: [MetricKey: Double]] {
        guard !accountIDs.isEmpty else { return [:] }
        var result: [String: [MetricKey: Double]] = [:]
        for row in try await db.raw("""
            SELECT account_id, metric, SUM(value) AS total FROM account_daily_metrics
            WHERE account_id IN (\(Self.list(accountIDs))) AND metric IN (\(Self.list(keys.map(\.rawValue))))
              AND day >= \(bind: from.description) AND day <= \(bind: to.description)
            GROUP BY account_id, metric
            """).all() {
            result[try row.string("account_id"), default: [:]][try row.value("metric", as: MetricKey.self)] = try row.double("total")
        }
        return result
    }

    /// Each account's last value of `key` on or before `day`: one seek per account.
    func lastValues(accountIDs: [String], key: MetricKey, onOrBefore day: LocalDate) async throws -> [String: Double] {
        guard !accountIDs.isEmpty else { return [:] }
        let ids = accountIDs.map { "(\(bind: $0))" as SQLQueryString }.joined(separator: ", ")
        var result: [String: Double] = [:]
        for row in try await db.raw("""
            WITH ids(id) AS (VALUES \(ids))
            SELECT ids.id AS account_id,
                   (SELECT value FROM account_daily_metrics m WHERE m.account_id = ids.id AND m.metric = \(bind: key.rawValue) AND m.day <= \(bind: day.description)
                    ORDER BY m.day DESC LIMIT 1) AS value
            FROM ids
            """).all() {
            if let value = try row.optionalDouble("value") { result[try row.string("account_id")] = value }
        }
        return result
    }

    /// Posts each account published in [from, to).
    func postCounts(accountIDs: [String], from: Date, to: Date) async throws -> [String: Int] {
        guard !accountIDs.isEmpty else { return [:] }
        var result: [String: Int] = [:]
        for row in try await db.raw("""
            SELECT account_id, COUNT(*) AS n FROM analytics_posts
            WHERE account_id IN (\(Self.list(accountIDs))) AND published_at >= \(bind: from.epochMilliseconds) AND published_at < \(bind: to.epochMilliseconds)
            GROUP BY account_id
            """).all() {
            result[try row.string("account_id")] = try row.int("n")
        }
        return result
    }

    func posts(accountID: String, page: PageRequest) async throws -> Page<AnalyticsPost> {
        let total = try await db.raw("SELECT COUNT(*) AS n FROM analytics_posts WHERE account_id = \(bind: accountID)").first().map { try $0.int("n") } ?? 0
        let rows = try await db.raw("""
            SELECT * FROM analytics_posts WHERE account_id = \(bind: accountID)
            ORDER BY published_at DESC, id DESC LIMIT \(bind: page.perPage) OFFSET \(bind: page.offset)
            """).all()
        return Page(items: try rows.map(MetricRepository.post(from:)), total: total, page: page.page, perPage: page.perPage)
    }

    func posts(targetIDs: [String]) async throws -> [AnalyticsPost] {
        guard !targetIDs.isEmpty else { return [] }
        let list = targetIDs.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        return try await db.raw("SELECT * FROM analytics_posts WHERE target_id IN (" + list + ")").all().map(MetricRepository.post(from:))
    }

    /// The snapshots of these posts, each post's in capture order.
    func snapshots(postIDs: [String]) async throws -> [String: [(hours: Double?, values: [MetricKey: Double])]] {
        guard !postIDs.isEmpty else { return [:] }
        var ordered: [String: [Int64]] = [:]
        var byCapture: [String: [Int64: (hours: Double?, values: [MetricKey: Double])]] = [:]
        let placeholders = postIDs.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        for row in try await db.raw("SELECT post_id, captured_at, hours_since_publish, metric, value FROM post_metric_snapshots WHERE post_id IN (" + placeholders + ") ORDER BY post_id, captured_at").all() {
            let post = try row.string("post_id")
            let captured = Int64(try row.int("captured_at"))
            if byCapture[post]?[captured] == nil {
                ordered[post, default: []].append(captured)
                byCapture[post, default: [:]][captured] = (try row.optionalDouble("hours_since_publish"), [:])
            }
            byCapture[post]?[captured]?.values[try row.value("metric", as: MetricKey.self)] = try row.double("value")
        }
        return Dictionary(uniqueKeysWithValues: ordered.map { post, captures in (post, captures.compactMap { byCapture[post]?[$0] }) })
    }
}
