import Foundation
import MediaOpsDomain
import SQLKit

/// The metric store's tables: daily account metrics, posts and their metric
/// snapshots, raw pull payloads and the history of replaced values. Writes
/// compare with what is stored, so the same values written again change
/// nothing, and a different value replaces the old one only after the old
/// one is kept in `metric_changes`.
public struct MetricRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    // MARK: Daily account metrics

    /// Writes one account's values for one day (run inside a transaction).
    public func recordDaily(accountID: String, day: LocalDate, values: [MetricKey: Double], provenance: MetricProvenance,
                            now: Date) async throws -> MetricWriteSummary {
        guard !values.isEmpty else { return MetricWriteSummary() }
        let stored = try await db.raw("""
            SELECT metric, value, source FROM account_daily_metrics
            WHERE account_id = \(bind: accountID) AND day = \(bind: day.description)\(RowLock.update)
            """).all()
        var before: [String: (value: Double, source: String)] = [:]
        for row in stored { before[try row.string("metric")] = (try row.double("value"), try row.string("source")) }
        var summary = MetricWriteSummary()
        for (key, value) in values.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            if let old = before[key.rawValue] {
                if old.value == value { summary.unchanged += 1; continue }
                try await recordChange(subject: "account_day", subjectID: accountID, moment: day.description, key: key,
                                       old: old, new: value, source: provenance.source, now: now)
                summary.changed += 1
            } else {
                summary.inserted += 1
            }
            try await db.raw("""
                INSERT INTO account_daily_metrics (account_id, day, metric, value, source, import_id, payload_id, entered_by, captured_at)
                VALUES (\(bind: accountID), \(bind: day.description), \(bind: key.rawValue), \(bind: value), \(bind: provenance.source.rawValue),
                        \(bind: provenance.importID), \(bind: provenance.payloadID), \(bind: provenance.enteredBy), \(bind: provenance.capturedAt.epochMilliseconds))
                ON CONFLICT (account_id, day, metric) DO UPDATE SET value = excluded.value, source = excluded.source, import_id = excluded.import_id,
                    payload_id = excluded.payload_id, entered_by = excluded.entered_by, captured_at = excluded.captured_at
                """).run()
        }
        if summary.inserted + summary.changed > 0 { try await refreshRunningTotals(accountID: accountID, from: day) }
        return summary
    }

    /// Recomputes the running totals of an account's series from `day` on:
    /// the total before `day` (one seek per metric) plus the values since,
    /// summed in day order. A day's pull rewrites one row per metric; an
    /// import of years rewrites those years. Run in the writing transaction.
    ///
    /// Every daily write comes through here, so it also records the keys the
    /// account now has (`account_metric_keys`, which the overview reads to skip
    /// the keys an account never had).
    func refreshRunningTotals(accountID: String, from day: LocalDate) async throws {
        try await db.raw("""
            INSERT INTO account_metric_keys (account_id, metric)
            SELECT DISTINCT account_id, metric FROM account_daily_metrics WHERE account_id = \(bind: accountID) AND day >= \(bind: day.description)
            ON CONFLICT (account_id, metric) DO NOTHING
            """).run()
        try await db.raw("""
            UPDATE account_daily_metrics SET running_total = r.total
            FROM (SELECT x.metric, x.day,
                         COALESCE((SELECT b.running_total FROM account_daily_metrics b
                                   WHERE b.account_id = x.account_id AND b.metric = x.metric AND b.day < \(bind: day.description)
                                   ORDER BY b.day DESC LIMIT 1), 0)
                         + SUM(x.value) OVER (PARTITION BY x.metric ORDER BY x.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS total
                  FROM account_daily_metrics x WHERE x.account_id = \(bind: accountID) AND x.day >= \(bind: day.description)) AS r
            WHERE account_daily_metrics.account_id = \(bind: accountID) AND account_daily_metrics.metric = r.metric
              AND account_daily_metrics.day = r.day
            """).run()
    }

    /// An account's stored values from `from` to `to` (both included), by day.
    public func daily(accountID: String, from: LocalDate, to: LocalDate, keys: [MetricKey] = []) async throws -> [LocalDate: [MetricKey: MetricValue]] {
        var conditions: [SQLQueryString] = ["account_id = \(bind: accountID)", "day >= \(bind: from.description)", "day <= \(bind: to.description)"]
        if !keys.isEmpty {
            conditions.append("metric IN (" + keys.map { "\(bind: $0.rawValue)" as SQLQueryString }.joined(separator: ", ") + ")")
        }
        var result: [LocalDate: [MetricKey: MetricValue]] = [:]
        for row in try await db.raw("SELECT * FROM account_daily_metrics " + whereSQL(conditions) + " ORDER BY day, metric").all() {
            guard let day = LocalDate(try row.string("day")) else { throw UnreadableStoredValue(column: "day", value: try row.string("day")) }
            let value = try Self.value(from: row)
            result[day, default: [:]][value.key] = value
        }
        return result
    }

    // MARK: Posts and snapshots

    /// The post with this platform id on this account, made when first seen.
    /// A MediaOps target found later links an external post to it.
    public func post(accountID: String, platformPostID: String, targetID: String?, title: String, url: String?, publishedAt: Date?,
                     now: Date) async throws -> AnalyticsPost {
        if var existing = try await post(accountID: accountID, platformPostID: platformPostID) {
            let linked = existing.targetID ?? targetID
            let origin: AnalyticsPost.Origin = linked == nil ? existing.origin : .mediaops
            let changed = linked != existing.targetID || (existing.url == nil && url != nil) || (existing.publishedAt == nil && publishedAt != nil)
                || (existing.title.isEmpty && !title.isEmpty)
            if changed {
                existing.targetID = linked
                existing.origin = origin
                existing.url = existing.url ?? url
                existing.publishedAt = existing.publishedAt ?? publishedAt
                if existing.title.isEmpty { existing.title = title }
                try await db.raw("""
                    UPDATE analytics_posts SET target_id = \(bind: existing.targetID), origin = \(bind: existing.origin.rawValue), url = \(bind: existing.url),
                        published_at = \(bind: existing.publishedAt?.epochMilliseconds), title = \(bind: existing.title), updated_at = \(bind: now.epochMilliseconds)
                    WHERE id = \(bind: existing.id)
                    """).run()
            }
            return existing
        }
        let post = AnalyticsPost(id: Identifier.makeOrdered("pst"), accountID: accountID, platformPostID: platformPostID, targetID: targetID, title: title,
                                 url: url, publishedAt: publishedAt, origin: targetID == nil ? .external : .mediaops)
        try await db.raw("""
            INSERT INTO analytics_posts (id, account_id, platform_post_id, target_id, title, url, published_at, origin, created_at, updated_at)
            VALUES (\(bind: post.id), \(bind: accountID), \(bind: platformPostID), \(bind: targetID), \(bind: title), \(bind: url),
                    \(bind: publishedAt?.epochMilliseconds), \(bind: post.origin.rawValue), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds))
            ON CONFLICT (account_id, platform_post_id) DO NOTHING
            """).run()
        // Another writer may have made it between the read and the insert: the stored row wins.
        return try await self.post(accountID: accountID, platformPostID: platformPostID) ?? post
    }

    /// A post known by the id its publish call answered (`knownAs`) that the
    /// platform's statistics name by another (`statisticsID`, e.g. a 公众号
    /// `msgid`) takes the statistics' id, so later pulls find it directly. An
    /// external post an earlier pull made under that id is the same post: its
    /// snapshots and their history move over, and it goes. Run in the pull's transaction.
    public func adopt(accountID: String, knownAs: String, statisticsID: String, now: Date) async throws {
        guard knownAs != statisticsID, let post = try await self.post(accountID: accountID, platformPostID: knownAs) else { return }
        if let twin = try await self.post(accountID: accountID, platformPostID: statisticsID) {
            guard twin.origin == .external, twin.targetID == nil else { return }
            try await db.raw("""
                UPDATE post_snapshots SET post_id = \(bind: post.id) WHERE post_id = \(bind: twin.id)
                AND captured_at NOT IN (SELECT s.captured_at FROM post_snapshots s WHERE s.post_id = \(bind: post.id))
                """).run()
            try await db.raw("DELETE FROM post_snapshots WHERE post_id = \(bind: twin.id)").run()
            try await db.raw("UPDATE metric_changes SET subject_id = \(bind: post.id) WHERE subject = 'post_snapshot' AND subject_id = \(bind: twin.id)").run()
            try await db.raw("DELETE FROM analytics_posts WHERE id = \(bind: twin.id)").run()
        }
        try await db.raw("""
            UPDATE analytics_posts SET platform_post_id = \(bind: statisticsID), updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: post.id)
            """).run()
    }

    public func post(accountID: String, platformPostID: String) async throws -> AnalyticsPost? {
        try await db.raw("""
            SELECT * FROM analytics_posts WHERE account_id = \(bind: accountID) AND platform_post_id = \(bind: platformPostID)
            """).first().map(Self.post(from:))
    }

    public func post(id: String) async throws -> AnalyticsPost? {
        try await db.raw("SELECT * FROM analytics_posts WHERE id = \(bind: id)").first().map(Self.post(from:))
    }

    /// An account's posts, newest first.
    public func posts(accountID: String, limit: Int = 100) async throws -> [AnalyticsPost] {
        try await db.raw("""
            SELECT * FROM analytics_posts WHERE account_id = \(bind: accountID) ORDER BY published_at DESC, id DESC LIMIT \(bind: limit)
            """).all().map(Self.post(from:))
    }

    /// Writes one snapshot of a post's values, captured at `provenance.capturedAt`:
    /// merged into the capture's row when one exists (a value given again is
    /// unchanged, a different one replaces it and the old one goes to the history).
    public func recordSnapshot(post: AnalyticsPost, values: [MetricKey: Double], provenance: MetricProvenance, now: Date) async throws -> MetricWriteSummary {
        try await recordSnapshots([(post, values)], provenance: provenance, now: now)
    }

    /// Writes one capture of many posts (a file's rows matched to known posts,
    /// or one post a pull found), as if each were written in turn, in a few
    /// statements: the stored captures read 500 posts at a time, compared in
    /// memory, and the new and changed ones written with the replaced values'
    /// history in bulk. A month's export that overlaps the last one matches
    /// thousands of known posts, which were written two statements each.
    /// `progress` hears how many of `items` are done: half for reading what is
    /// stored (a file of known posts mostly compares), half for writing.
    public func recordSnapshots(_ items: [(post: AnalyticsPost, values: [MetricKey: Double])], provenance: MetricProvenance,
                                now: Date, progress: (@Sendable (Int) async throws -> Void)? = nil) async throws -> MetricWriteSummary {
        let captured = provenance.capturedAt.epochMilliseconds
        var stored: [String: (values: [MetricKey: Double], source: String)] = [:]
        let ids = Array(Set(items.map(\.post.id))).sorted()
        for start in stride(from: 0, to: ids.count, by: 500) {
            let end = min(ids.count, start + 500)
            let list = ids[start..<end].map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            for row in try await db.raw("SELECT post_id, metric_values, source FROM post_snapshots WHERE captured_at = \(bind: captured) AND post_id IN (" + list + ")"
                                        + "\(RowLock.update)").all() {
                stored[try row.string("post_id")] = (try SnapshotValues.decode(try row.string("metric_values")), try row.string("source"))
            }
            try await progress?(items.count * end / ids.count / 2)
        }
        var summary = MetricWriteSummary()
        var merged: [String: (post: AnalyticsPost, values: [MetricKey: Double])] = [:]
        var order: [String] = []
        var changes: [(postID: String, key: MetricKey, old: Double, oldSource: String, new: Double)] = []
        for (post, values) in items {
            var current = merged[post.id]?.values ?? stored[post.id]?.values ?? [:]
            let source = merged[post.id] == nil ? (stored[post.id]?.source ?? "") : provenance.source.rawValue
            var wrote = false
            for (key, value) in values.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                if let old = current[key] {
                    if old == value { summary.unchanged += 1; continue }
                    changes.append((post.id, key, old, source, value))
                    summary.changed += 1
                } else {
                    summary.inserted += 1
                }
                current[key] = value
                wrote = true
            }
            guard wrote || merged[post.id] != nil else { continue }
            if merged[post.id] == nil { order.append(post.id) }
            merged[post.id] = (post, current)
        }
        try await BulkRows.insert(changes, columns: [.init(name: "id", type: .text), .init(name: "subject_id", type: .text), .init(name: "metric", type: .text),
                                                     .init(name: "old_value", type: .double), .init(name: "new_value", type: .double), .init(name: "old_source", type: .text)],
                                  into: "metric_changes",
                                  constants: [("subject", "'post_snapshot'"), ("moment", "\(bind: String(captured))"), ("new_source", "\(bind: provenance.source.rawValue)"),
                                              ("changed_at", "\(bind: now.epochMilliseconds)")],
                                  tail: "", on: db) { bulk, change in
            bulk.text(Identifier.make("mch"))
            bulk.text(change.postID)
            bulk.text(change.key.rawValue)
            bulk.double(change.old)
            bulk.double(change.new)
            bulk.text(change.oldSource)
        }
        try await BulkRows.insert(order.compactMap { merged[$0] }, columns: [.init(name: "post_id", type: .text), .init(name: "captured_at", type: .integer),
                                                                       .init(name: "hours_since_publish", type: .double), .init(name: "metric_values", type: .jsonText)],
                                  into: "post_snapshots", constants: [("source", "\(bind: provenance.source.rawValue)"), ("import_id", "\(bind: provenance.importID)"),
                                                                      ("payload_id", "\(bind: provenance.payloadID)"), ("entered_by", "\(bind: provenance.enteredBy)")],
                                  tail: """
                                      ON CONFLICT (post_id, captured_at) DO UPDATE SET metric_values = excluded.metric_values, source = excluded.source,
                                          import_id = excluded.import_id, payload_id = excluded.payload_id, entered_by = excluded.entered_by
                                      """, on: db) { bulk, entry in
            bulk.text(entry.post.id)
            bulk.integer(captured)
            bulk.double(entry.post.publishedAt.map { provenance.capturedAt.timeIntervalSince($0) / 3_600 })
            bulk.jsonText(SnapshotValues.encode(entry.values))
        }
        try await progress?(items.count)
        return summary
    }

    /// A post's snapshots in capture order, each with its hours since publishing.
    public func snapshots(postID: String) async throws -> [(capturedAt: Date, hoursSincePublish: Double?, values: [MetricKey: MetricValue])] {
        try await db.raw("SELECT * FROM post_snapshots WHERE post_id = \(bind: postID) ORDER BY captured_at").all().map { row in
            let provenance = MetricProvenance(source: try row.value("source", as: MetricSource.self), importID: try row.optionalString("import_id"),
                                              payloadID: try row.optionalString("payload_id"), enteredBy: try row.optionalString("entered_by"),
                                              capturedAt: try row.date("captured_at"))
            let values = try SnapshotValues.decode(try row.string("metric_values"))
            return (provenance.capturedAt, try row.optionalDouble("hours_since_publish"),
                    values.reduce(into: [:]) { $0[$1.key] = MetricValue(key: $1.key, value: $1.value, provenance: provenance) })
        }
    }

    // MARK: Payloads and history

    /// Keeps a platform's raw answer; values pulled from it point at it.
    public func savePayload(accountID: String, endpoint: String, body: String, fetchedAt: Date) async throws -> String {
        let id = Identifier.make("pay")
        try await db.raw("""
            INSERT INTO metric_payloads (id, account_id, endpoint, body, fetched_at)
            VALUES (\(bind: id), \(bind: accountID), \(bind: endpoint), \(bind: body), \(bind: fetchedAt.epochMilliseconds))
            """).run()
        return id
    }

    public func payload(id: String) async throws -> (endpoint: String, body: String)? {
        try await db.raw("SELECT endpoint, body FROM metric_payloads WHERE id = \(bind: id)").first().map { (try $0.string("endpoint"), try $0.string("body")) }
    }

    /// The replaced values of one account day, oldest first.
    public func changes(accountID: String, day: LocalDate) async throws -> [MetricChange] {
        try await changes(subject: "account_day", subjectID: accountID, moment: day.description)
    }

    /// The replaced values of one snapshot of a post, oldest first.
    public func changes(postID: String, capturedAt: Date) async throws -> [MetricChange] {
        try await changes(subject: "post_snapshot", subjectID: postID, moment: String(capturedAt.epochMilliseconds))
    }

    private func changes(subject: String, subjectID: String, moment: String) async throws -> [MetricChange] {
        try await db.raw("""
            SELECT * FROM metric_changes WHERE subject = \(bind: subject) AND subject_id = \(bind: subjectID) AND moment = \(bind: moment)
            ORDER BY changed_at, id
            """).all().map { row in
                MetricChange(key: try row.value("metric", as: MetricKey.self), oldValue: try row.double("old_value"), newValue: try row.double("new_value"),
                             oldSource: try row.value("old_source", as: MetricSource.self), newSource: try row.value("new_source", as: MetricSource.self),
                             changedAt: try row.date("changed_at"))
            }
    }

    private func recordChange(subject: String, subjectID: String, moment: String, key: MetricKey, old: (value: Double, source: String),
                              new value: Double, source: MetricSource, now: Date) async throws {
        try await db.raw("""
            INSERT INTO metric_changes (id, subject, subject_id, moment, metric, old_value, new_value, old_source, new_source, changed_at)
            VALUES (\(bind: Identifier.make("mch")), \(bind: subject), \(bind: subjectID), \(bind: moment), \(bind: key.rawValue), \(bind: old.value),
                    \(bind: value), \(bind: old.source), \(bind: source.rawValue), \(bind: now.epochMilliseconds))
            """).run()
    }

    // MARK: Rows

    static func value(from row: any SQLRow) throws -> MetricValue {
        let provenance = MetricProvenance(source: try row.value("source", as: MetricSource.self), importID: try row.optionalString("import_id"),
                                          payloadID: try row.optionalString("payload_id"), enteredBy: try row.optionalString("entered_by"),
                                          capturedAt: try row.date("captured_at"))
        return MetricValue(key: try row.value("metric", as: MetricKey.self), value: try row.double("value"), provenance: provenance)
    }

    static func post(from row: any SQLRow) throws -> AnalyticsPost {
        AnalyticsPost(id: try row.string("id"), accountID: try row.string("account_id"), platformPostID: try row.string("platform_post_id"),
                      targetID: try row.optionalString("target_id"), title: try row.string("title"), url: try row.optionalString("url"),
                      publishedAt: try row.optionalDate("published_at"), origin: try row.value("origin", as: AnalyticsPost.Origin.self))
    }
}

/// Generated history written in bulk (the demo workspace and the benchmark):
/// many rows per statement, for tables known to hold nothing for these keys
/// yet, so there is nothing to compare and no history to keep. Existing rows
/// are left as they are.
extension MetricRepository {
    public struct DailyRow: Sendable {
        public var accountID: String
        public var day: LocalDate
        public var key: MetricKey
        public var value: Double
        public init(accountID: String, day: LocalDate, key: MetricKey, value: Double) {
            self.accountID = accountID
            self.day = day
            self.key = key
            self.value = value
        }
    }

    /// One capture of a post: all its values together.
    public struct SnapshotRow: Sendable {
        public var postID: String
        public var capturedAt: Date
        public var hoursSincePublish: Double?
        public var values: [MetricKey: Double]
        public init(postID: String, capturedAt: Date, hoursSincePublish: Double?, values: [MetricKey: Double]) {
            self.postID = postID
            self.capturedAt = capturedAt
            self.hoursSincePublish = hoursSincePublish
            self.values = values
        }
    }

    public func insertGenerated(daily rows: [DailyRow], provenance: MetricProvenance) async throws {
        try await BulkRows.insert(rows, columns: [.init(name: "account_id", type: .text), .init(name: "day", type: .text), .init(name: "metric", type: .text),
                                                  .init(name: "value", type: .double)],
                                  into: "account_daily_metrics", constants: provenanceColumns(provenance) + [("captured_at", "\(bind: provenance.capturedAt.epochMilliseconds)")],
                                  tail: "ON CONFLICT (account_id, day, metric) DO NOTHING", on: db) { bulk, row in
            bulk.text(row.accountID)
            bulk.text(row.day.description)
            bulk.text(row.key.rawValue)
            bulk.double(row.value)
        }
        // PostgreSQL plans the running totals' join from statistics that do not yet know
        // about rows this transaction just loaded; with none it loops over the whole table
        // for each row (minutes for a demo's year of days). A bulk load is analysed first,
        // as after any bulk load; the statistics then see the transaction's own rows.
        if rows.count >= 5_000, db.databaseKind == .postgresql { try await db.raw("ANALYZE account_daily_metrics").run() }
        var earliest: [String: LocalDate] = [:]
        for row in rows where earliest[row.accountID].map({ row.day < $0 }) ?? true { earliest[row.accountID] = row.day }
        for (account, day) in earliest.sorted(by: { $0.key < $1.key }) { try await refreshRunningTotals(accountID: account, from: day) }
    }

    public func insertGenerated(posts: [AnalyticsPost], now: Date) async throws {
        try await insertGenerated(posts: posts, now: now, progress: nil)
    }

    func insertGenerated(posts: [AnalyticsPost], now: Date, progress: BulkRows.RowsWritten?) async throws {
        try await BulkRows.insert(posts, columns: [.init(name: "id", type: .text), .init(name: "account_id", type: .text), .init(name: "platform_post_id", type: .text),
                                                   .init(name: "target_id", type: .text), .init(name: "title", type: .text), .init(name: "url", type: .text),
                                                   .init(name: "published_at", type: .integer), .init(name: "origin", type: .text)],
                                  into: "analytics_posts",
                                  constants: [("created_at", "\(bind: now.epochMilliseconds)"), ("updated_at", "\(bind: now.epochMilliseconds)")],
                                  tail: "ON CONFLICT (account_id, platform_post_id) DO NOTHING", on: db, progress: progress) { bulk, post in
            bulk.text(post.id)
            bulk.text(post.accountID)
            bulk.text(post.platformPostID)
            bulk.text(post.targetID)
            bulk.text(post.title)
            bulk.text(post.url)
            bulk.integer(post.publishedAt?.epochMilliseconds)
            bulk.text(post.origin.rawValue)
        }
    }

    public func insertGenerated(snapshots rows: [SnapshotRow], provenance: MetricProvenance) async throws {
        try await insertGenerated(snapshots: rows, provenance: provenance, progress: nil)
    }

    func insertGenerated(snapshots rows: [SnapshotRow], provenance: MetricProvenance, progress: BulkRows.RowsWritten?) async throws {
        try await BulkRows.insert(rows, columns: [.init(name: "post_id", type: .text), .init(name: "captured_at", type: .integer),
                                                  .init(name: "hours_since_publish", type: .double), .init(name: "metric_values", type: .jsonText)],
                                  into: "post_snapshots", constants: provenanceColumns(provenance),
                                  tail: "ON CONFLICT (post_id, captured_at) DO NOTHING", on: db, progress: progress) { bulk, row in
            bulk.text(row.postID)
            bulk.integer(row.capturedAt.epochMilliseconds)
            bulk.double(row.hoursSincePublish)
            bulk.jsonText(SnapshotValues.encode(row.values))
        }
    }

    private func provenanceColumns(_ provenance: MetricProvenance) -> [(column: String, value: SQLQueryString)] {
        [("source", "\(bind: provenance.source.rawValue)"), ("import_id", "\(bind: provenance.importID)"), ("entered_by", "\(bind: provenance.enteredBy)")]
    }
}

/// A snapshot's values as stored: a JSON object of canonical keys in key
/// order, whole numbers without a fraction. Read back strictly: an unknown
/// key or a value that is not a number is an unreadable row, never skipped.
enum SnapshotValues {
    /// Each key's place in name order, so a row's few keys sort without comparing their names.
    private static let nameRank: [MetricKey: Int] = Dictionary(uniqueKeysWithValues: MetricKey.allCases.sorted { $0.rawValue < $1.rawValue }.enumerated().map { ($1, $0) })

    static func encode(_ values: [MetricKey: Double]) -> String {
        var text = "{"
        for (index, entry) in values.sorted(by: { nameRank[$0.key]! < nameRank[$1.key]! }).enumerated() {
            if index > 0 { text += "," }
            // Values are checked finite before they are written.
            text += "\"" + entry.key.rawValue + "\":" + BulkRows.number(entry.value)
        }
        return text + "}"
    }


    static func decode(_ text: String) throws -> [MetricKey: Double] {
        guard let object = try? JSONDecoder().decode([String: Double].self, from: Data(text.utf8)) else {
            throw UnreadableStoredValue(column: "metric_values", value: String(text.prefix(80)))
        }
        var values: [MetricKey: Double] = [:]
        for (name, value) in object {
            guard let key = MetricKey(rawValue: name) else { throw UnreadableStoredValue(column: "metric_values", value: name) }
            values[key] = value
        }
        return values
    }
}
