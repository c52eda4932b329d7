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
        try await totals(accountIDs: accountIDs, periods: [(from, to)], zone: zone)[0]
    }

    /// These accounts' totals over each period, read together: one row per
    /// account whatever the number of metrics and periods (a row handed over
    /// from the database costs more than the seeks that compute it).
    /// `keys` are the sums read (all of `summedKeys` unless a reader needs fewer:
    /// each key is three index seeks an account).
    public func totals(accountIDs: [String], periods: [(from: LocalDate, to: LocalDate)], zone: TimeZone,
                       keys: [MetricKey] = AnalyticsService.summedKeys) async throws -> [[String: AccountPeriodTotals]] {
        let repository = AnalyticsReadRepository(database.sql)
        let windows = periods.map { AnalyticsReadRepository.Window(from: $0.from, to: $0.to, start: Self.instant($0.from, zone), stop: Self.instant($0.to.adding(days: 1), zone)) }
        var result = Array(repeating: [String: AccountPeriodTotals](), count: periods.count)
        // In pieces, so no statement binds more values than either database takes (a piece
        // binds its ids and about 40 days); 500 accounts are one statement, planned once.
        for offset in stride(from: 0, to: accountIDs.count, by: 1_000) {
            let ids = Array(accountIDs[offset..<min(accountIDs.count, offset + 1_000)])
            let rows = try await repository.periodTotals(accountIDs: ids, windows: windows, keys: keys)
            for (account, perWindow) in rows {
                for (index, figures) in perWindow.enumerated() {
                    var totals = AccountPeriodTotals(accountID: account, followers: figures.followersEnd, followersNet: figures.sums[.followersNet],
                                                     posts: figures.posts)
                    var rest = figures.sums
                    rest[.followersNet] = nil
                    totals.sums = rest
                    // Without daily net figures the change is read from the totals.
                    if totals.followersNet == nil, let end = figures.followersEnd, let begin = figures.followersBefore { totals.followersNet = end - begin }
                    result[index][account] = totals
                }
            }
        }
        return result
    }

    public static let summedKeys: [MetricKey] = [.followersNet, .reads, .plays, .readers] + DerivedMetric.engagementParts
    /// What the matrix overview shows: growth, reads or plays, engagement (no readers: the read rate is the account page's).
    public static let overviewKeys: [MetricKey] = summedKeys.filter { $0 != .readers }

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

    struct Window {
        var from: LocalDate
        var to: LocalDate
        var start: Date
        var stop: Date
    }

    struct WindowFigures {
        var sums: [MetricKey: Double] = [:]
        var followersEnd: Double?
        var followersBefore: Double?
        var posts = 0
    }

    /// For each account and window: the sum of each key over the window's days,
    /// the last follower count at its end and before its start, and its posts.
    ///
    /// A sum is the running total at the last day with a value before the day
    /// after the window, minus the one before its first day — and nothing when
    /// that last day is before the window. Windows side by side share a
    /// boundary (the previous period ends where the current one starts), so each
    /// distinct boundary is one seek per key, its day and running total read
    /// together as `day|total`: three seeks per key for a period and the one
    /// before it, not four.
    func periodTotals(accountIDs: [String], windows: [Window], keys: [MetricKey]) async throws -> [String: [WindowFigures]] {
        guard !accountIDs.isEmpty, !windows.isEmpty else { return [:] }
        // PostgreSQL runs one statement on one backend: a matrix of hundreds of
        // accounts is thousands of seeks on one core while the others idle. Halves
        // on two pooled connections finish in about half the time. SQLite keeps
        // one connection, so splitting there would only queue.
        let chunkSize = 150
        guard db.databaseKind == .postgresql, accountIDs.count > chunkSize else {
            return try await periodTotalsStatement(accountIDs: accountIDs, windows: windows, keys: keys)
        }
        let parts = (accountIDs.count + chunkSize - 1) / chunkSize
        let perPart = (accountIDs.count + parts - 1) / parts
        return try await withThrowingTaskGroup(of: [String: [WindowFigures]].self) { group in
            for start in stride(from: 0, to: accountIDs.count, by: perPart) {
                let chunk = Array(accountIDs[start..<min(start + perPart, accountIDs.count)])
                group.addTask { try await periodTotalsStatement(accountIDs: chunk, windows: windows, keys: keys) }
            }
            var result: [String: [WindowFigures]] = [:]
            for try await part in group { result.merge(part) { first, _ in first } }
            return result
        }
    }

    private func periodTotalsStatement(accountIDs: [String], windows: [Window], keys: [MetricKey]) async throws -> [String: [WindowFigures]] {
        // Exclusive boundaries: the values strictly before each day.
        var boundaries: [LocalDate] = []
        for window in windows {
            for day in [window.from, window.to.adding(days: 1)] where !boundaries.contains(day) { boundaries.append(day) }
        }
        let ids = accountIDs.map { "(\(bind: $0))" as SQLQueryString }.joined(separator: ", ")
        var columns: [SQLQueryString] = ["ids.id AS account_id"]
        let joined: SQLQueryString = db.databaseKind == .postgresql ? "m.day || '|' || m.running_total::text" : "m.day || '|' || m.running_total"
        for (index, boundary) in boundaries.enumerated() {
            // Metric keys come from the enumeration, never from input: safe to write as literals.
            for key in keys {
                columns.append("""
                    (SELECT \(joined) FROM account_daily_metrics m WHERE m.account_id = ids.id AND m.metric = '\(unsafeRaw: key.rawValue)'
                     AND m.day < \(bind: boundary.description) ORDER BY m.day DESC LIMIT 1) AS b\(unsafeRaw: String(index))_\(unsafeRaw: key.rawValue)
                    """)
            }
            columns.append("""
                (SELECT m.value FROM account_daily_metrics m WHERE m.account_id = ids.id AND m.metric = 'followers_total' AND m.day < \(bind: boundary.description)
                 ORDER BY m.day DESC LIMIT 1) AS f\(unsafeRaw: String(index))
                """)
        }
        for (index, window) in windows.enumerated() {
            columns.append("""
                (SELECT COUNT(*) FROM analytics_posts p WHERE p.account_id = ids.id AND p.published_at >= \(bind: window.start.epochMilliseconds)
                 AND p.published_at < \(bind: window.stop.epochMilliseconds)) AS p\(unsafeRaw: String(index))
                """)
        }
        var result: [String: [WindowFigures]] = [:]
        for row in try await db.raw("WITH ids(id) AS (VALUES " + ids + ") SELECT " + columns.joined(separator: ", ") + " FROM ids").all() {
            var seen: [[MetricKey: (day: String, total: Double)]] = []
            var followers: [Double?] = []
            for index in boundaries.indices {
                var byKey: [MetricKey: (day: String, total: Double)] = [:]
                for key in keys {
                    guard let text = try row.optionalString("b\(index)_\(key.rawValue)") else { continue }
                    guard let bar = text.firstIndex(of: "|"), let total = Double(text[text.index(after: bar)...]) else {
                        throw UnreadableStoredValue(column: "running_total", value: text)
                    }
                    byKey[key] = (String(text[..<bar]), total)
                }
                seen.append(byKey)
                followers.append(try row.optionalDouble("f\(index)"))
            }
            var figures: [WindowFigures] = []
            for (index, window) in windows.enumerated() {
                let end = boundaries.firstIndex(of: window.to.adding(days: 1))!, start = boundaries.firstIndex(of: window.from)!
                var figure = WindowFigures()
                let from = window.from.description
                for key in keys {
                    guard let last = seen[end][key], last.day >= from else { continue }
                    figure.sums[key] = last.total - (seen[start][key]?.total ?? 0)
                }
                figure.followersEnd = followers[end]
                figure.followersBefore = followers[start]
                figure.posts = try row.int("p\(index)")
                figures.append(figure)
            }
            result[try row.string("account_id")] = figures
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
        var result: [String: [(hours: Double?, values: [MetricKey: Double])]] = [:]
        // In pieces, so no statement binds more values than either database takes.
        for offset in stride(from: 0, to: postIDs.count, by: Self.idsPerStatement) {
            let piece = postIDs[offset..<min(postIDs.count, offset + Self.idsPerStatement)]
            let placeholders = piece.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            for row in try await db.raw("SELECT post_id, hours_since_publish, metric_values FROM post_snapshots WHERE post_id IN (" + placeholders + ") ORDER BY post_id, captured_at").all() {
                result[try row.string("post_id"), default: []].append((try row.optionalDouble("hours_since_publish"), try SnapshotValues.decode(try row.string("metric_values"))))
            }
        }
        return result
    }

    static let idsPerStatement = 900

    /// One key's daily values for these accounts over [from, to], by account and day.
    func dailyValues(accountIDs: [String], key: MetricKey, from: LocalDate, to: LocalDate) async throws -> [String: [LocalDate: Double]] {
        var result: [String: [LocalDate: Double]] = [:]
        for offset in stride(from: 0, to: accountIDs.count, by: Self.idsPerStatement) {
            let piece = accountIDs[offset..<min(accountIDs.count, offset + Self.idsPerStatement)]
            let ids = piece.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            for row in try await db.raw("SELECT account_id, day, value FROM account_daily_metrics WHERE account_id IN (" + ids + ")"
                                        + " AND metric = \(bind: key.rawValue) AND day >= \(bind: from.description) AND day <= \(bind: to.description)").all() {
                let text = try row.string("day")
                guard let day = LocalDate(text) else { throw UnreadableStoredValue(column: "day", value: text) }
                result[try row.string("account_id"), default: [:]][day] = try row.double("value")
            }
        }
        return result
    }

    /// The posts these accounts published in [start, stop), by account.
    func publishedPosts(accountIDs: [String], start: Date, stop: Date) async throws -> [String: [(id: String, publishedAt: Date)]] {
        var result: [String: [(id: String, publishedAt: Date)]] = [:]
        for offset in stride(from: 0, to: accountIDs.count, by: Self.idsPerStatement) {
            let piece = accountIDs[offset..<min(accountIDs.count, offset + Self.idsPerStatement)]
            let ids = piece.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            for row in try await db.raw("SELECT id, account_id, published_at FROM analytics_posts WHERE account_id IN (" + ids + ")"
                                        + " AND published_at >= \(bind: start.epochMilliseconds) AND published_at < \(bind: stop.epochMilliseconds)").all() {
                result[try row.string("account_id"), default: []].append((try row.string("id"), try row.date("published_at")))
            }
        }
        return result
    }
}
