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
    /// boundary (the previous period ends where the current one starts): three
    /// boundaries for a period and the one before it, not four. Each account
    /// reads only the keys it has ever had (`account_metric_keys`).
    func periodTotals(accountIDs: [String], windows: [Window], keys: [MetricKey]) async throws -> [String: [WindowFigures]] {
        guard !accountIDs.isEmpty, !windows.isEmpty else { return [:] }
        // Each key is three seeks an account, and most accounts have a few of
        // them (a 公众号 no plays, a video account no reads): accounts are read in
        // groups that have the same keys, each group seeking only those.
        let present = try await metricKeys(accountIDs: accountIDs)
        var groups: [ReadPlan: [String]] = [:]
        var order: [ReadPlan] = []
        for id in accountIDs {
            let has = present[id] ?? []
            let statement = ReadPlan(keys: keys.filter(has.contains), followers: has.contains(.followersTotal))
            if groups[statement] == nil { order.append(statement) }
            groups[statement, default: []].append(id)
        }
        // A statement runs on one core: a matrix of hundreds of accounts is
        // thousands of seeks on one core while the others idle, so the groups
        // (in pieces of at most 150 accounts) are read at once on pooled
        // connections (PostgreSQL's pool, SQLite's readers). Inside a SQLite
        // transaction there is one connection: there they queue.
        let chunkSize = 150
        var pieces: [(statement: ReadPlan, ids: [String])] = []
        for statement in order {
            let ids = groups[statement]!
            let parts = (ids.count + chunkSize - 1) / chunkSize
            let perPart = (ids.count + parts - 1) / parts
            for start in stride(from: 0, to: ids.count, by: perPart) { pieces.append((statement, Array(ids[start..<min(start + perPart, ids.count)]))) }
        }
        guard db.readsConcurrently, pieces.count > 1 else {
            var result: [String: [WindowFigures]] = [:]
            for piece in pieces { result.merge(try await periodTotalsStatement(accountIDs: piece.ids, windows: windows, statement: piece.statement)) { first, _ in first } }
            return result
        }
        return try await withThrowingTaskGroup(of: [String: [WindowFigures]].self) { group in
            for piece in pieces { group.addTask { try await periodTotalsStatement(accountIDs: piece.ids, windows: windows, statement: piece.statement) } }
            var result: [String: [WindowFigures]] = [:]
            for try await part in group { result.merge(part) { first, _ in first } }
            return result
        }
    }

    /// What one statement of `periodTotals` reads for each of its accounts: the
    /// keys they all have, and whether they have follower counts.
    struct ReadPlan: Hashable {
        var keys: [MetricKey]
        var followers: Bool
    }

    /// The keys each account has ever had a daily value for.
    func metricKeys(accountIDs: [String]) async throws -> [String: Set<MetricKey>] {
        var result: [String: Set<MetricKey>] = [:]
        for offset in stride(from: 0, to: accountIDs.count, by: Self.idsPerStatement) {
            let piece = accountIDs[offset..<min(accountIDs.count, offset + Self.idsPerStatement)]
            let ids = piece.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            // One row an account (rows handed over cost more than the reading).
            let list: SQLQueryString = db.databaseKind == .postgresql ? "string_agg(metric, ',')" : "group_concat(metric, ',')"
            for row in try await db.raw("SELECT account_id, " + list + " AS metrics FROM account_metric_keys WHERE account_id IN (" + ids + ") GROUP BY account_id").all() {
                // A key this version does not know (written by a newer one) is not read here.
                result[try row.string("account_id")] = Set(try row.string("metrics").split(separator: ",").compactMap { MetricKey(rawValue: String($0)) })
            }
        }
        return result
    }

    private func periodTotalsStatement(accountIDs: [String], windows: [Window], statement: ReadPlan) async throws -> [String: [WindowFigures]] {
        let keys = statement.keys
        let postgres = db.databaseKind == .postgresql
        // Exclusive boundaries: the values strictly before each day.
        var boundaries: [LocalDate] = []
        for window in windows {
            for day in [window.from, window.to.adding(days: 1)] where !boundaries.contains(day) { boundaries.append(day) }
        }
        // The last value before a boundary is almost always the day just before it
        // (a pull writes every day). Those rows are read first, all of an account's
        // in one index scan on PostgreSQL (one equality lookup each on SQLite) and handed back as one text (`metric|day|total|value`,
        // `;` between them): a correlated seek per key and boundary cost PostgreSQL
        // more in starting each seek than in the seek. Only what is not found there
        // (a gap, a series that stopped) is then sought one by one.
        let exactDays = boundaries.map { $0.adding(days: -1).description }
        let read = keys + (statement.followers && !keys.contains(.followersTotal) ? [.followersTotal] : [])
        let ids = accountIDs.map { "(\(bind: $0))" as SQLQueryString }.joined(separator: ", ")
        // Metric keys come from the enumeration, never from input: safe to write as literals.
        let metricList = read.map { "'" + $0.rawValue + "'" }.joined(separator: ", ")
        let dayList = exactDays.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        let entry: SQLQueryString = "string_agg(m.metric || '|' || m.day || '|' || m.running_total::text || '|' || m.value::text, ';')"
        var posts: [SQLQueryString] = []
        for window in windows {
            let count: SQLQueryString = """
                SELECT COUNT(*) FROM analytics_posts p WHERE p.account_id = ids.id AND p.published_at >= \(bind: window.start.epochMilliseconds)
                 AND p.published_at < \(bind: window.stop.epochMilliseconds)
                """
            posts.append(postgres ? "(" + count + ")::text" : "(" + count + ")")
        }
        let exactColumn: SQLQueryString
        if read.isEmpty {
            exactColumn = "''"
        } else if postgres {
            exactColumn = "COALESCE((SELECT " + entry + " FROM account_daily_metrics m WHERE m.account_id = ids.id AND m.metric IN ("
                + "\(unsafeRaw: metricList)) AND m.day IN (" + dayList + ")), '')"
        } else {
            // SQLite starts a correlated lookup for next to nothing: one equality lookup per key
            // and day beats one scan over the IN lists there (17 against 26 ms for 500 accounts).
            // Days are the workspace's own dates (digits and dashes): safe to write as literals.
            var lookups: [SQLQueryString] = []
            for day in exactDays {
                for key in read {
                    lookups.append("""
                        IFNULL((SELECT '\(unsafeRaw: key.rawValue)|\(unsafeRaw: day)|' || m.running_total || '|' || m.value FROM account_daily_metrics m
                         WHERE m.account_id = ids.id AND m.metric = '\(unsafeRaw: key.rawValue)' AND m.day = \(bind: day)), '')
                        """)
                }
            }
            exactColumn = lookups.joined(separator: " || ';' || ")
        }
        let sql = "WITH ids(id) AS (VALUES " + ids + ") SELECT ids.id AS account_id, " + exactColumn + " AS exact, "
            + posts.joined(separator: " || ';' || ") + " AS posts FROM ids"

        struct Found { var day: String; var total: Double?; var value: Double }
        // Read by their bytes: thousands of fields, all ASCII.
        let bar = UInt8(ascii: "|"), semicolon = UInt8(ascii: ";")
        func number(_ bytes: Substring.UTF8View) -> Double? { bytes.isEmpty ? nil : Double(Substring(bytes)) }
        /// `day|total|value`, the total empty when the series has none.
        func found(_ text: Substring.UTF8View) throws -> Found {
            let parts = text.split(separator: bar, omittingEmptySubsequences: false)
            guard parts.count == 3, let value = number(parts[2]) else { throw UnreadableStoredValue(column: "running_total", value: String(Substring(text).prefix(80))) }
            return Found(day: String(Substring(parts[0])), total: number(parts[1]), value: value)
        }
        var seen: [String: [[MetricKey: Found]]] = [:]
        var postCounts: [String: [Int]] = [:]
        var missing: [(account: String, key: MetricKey, boundary: Int)] = []
        for row in try await db.raw(sql).all() {
            let account = try row.string("account_id")
            var perBoundary = Array(repeating: [MetricKey: Found](), count: exactDays.count)
            let exact = try row.string("exact")
            for item in Substring(exact).utf8.split(separator: semicolon) {
                guard let end = item.firstIndex(of: bar), let key = MetricKey(rawValue: String(Substring(item[..<end]))) else { continue }
                let entry = try found(item[item.index(after: end)...])
                if let index = exactDays.firstIndex(of: entry.day) { perBoundary[index][key] = entry }
            }
            for index in exactDays.indices {
                for key in read where perBoundary[index][key] == nil { missing.append((account, key, index)) }
            }
            seen[account] = perBoundary
            let text = try row.string("posts")
            let counts = Substring(text).utf8.split(separator: semicolon, omittingEmptySubsequences: false).map { Int(Substring($0)) }
            guard counts.count == windows.count, !counts.contains(nil) else { throw UnreadableStoredValue(column: "posts", value: text) }
            postCounts[account] = counts.map { $0! }
        }
        // What the day before a boundary does not have: the last value before it, if any.
        for offset in stride(from: 0, to: missing.count, by: 2_000) {
            let piece = missing[offset..<min(missing.count, offset + 2_000)]
            let values = piece.map { "(\(bind: $0.account), \(bind: $0.key.rawValue), \(bind: boundaries[$0.boundary].description), \(bind: $0.boundary))" as SQLQueryString }
                .joined(separator: ", ")
            let last: SQLQueryString = postgres ? "m.day || '|' || COALESCE(m.running_total::text, '') || '|' || m.value::text"
                                                : "m.day || '|' || IFNULL(m.running_total, '') || '|' || m.value"
            let seek = "WITH v(a, k, b, i) AS (VALUES " + values + ") SELECT v.a AS account_id, v.k AS metric, v.i AS boundary, (SELECT " + last
                + " FROM account_daily_metrics m WHERE m.account_id = v.a AND m.metric = v.k AND m.day < v.b ORDER BY m.day DESC LIMIT 1) AS last FROM v"
            for row in try await db.raw(seek).all() {
                guard let text = try row.optionalString("last"), let key = MetricKey(rawValue: try row.string("metric")) else { continue }
                let account = try row.string("account_id")
                let boundary = try row.int("boundary")
                guard boundary >= 0, boundary < boundaries.count else { throw UnreadableStoredValue(column: "boundary", value: String(boundary)) }
                seen[account]?[boundary][key] = try found(Substring(text).utf8)
            }
        }

        var result: [String: [WindowFigures]] = [:]
        for (account, perBoundary) in seen {
            var figures: [WindowFigures] = []
            for (index, window) in windows.enumerated() {
                let end = boundaries.firstIndex(of: window.to.adding(days: 1))!, start = boundaries.firstIndex(of: window.from)!
                var figure = WindowFigures()
                let from = window.from.description
                for key in keys {
                    // A sum needs the series' running total; a value the window does not reach is none.
                    guard let last = perBoundary[end][key], last.day >= from, let total = last.total else { continue }
                    figure.sums[key] = total - (perBoundary[start][key]?.total ?? 0)
                }
                if statement.followers {
                    figure.followersEnd = perBoundary[end][.followersTotal]?.value
                    figure.followersBefore = perBoundary[start][.followersTotal]?.value
                }
                figure.posts = postCounts[account]?[index] ?? 0
                figures.append(figure)
            }
            result[account] = figures
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
