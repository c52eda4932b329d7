import Foundation
import MediaOpsDomain
import SQLKit

/// The `reports` table. A row's snapshot is the report's numbers as JSON;
/// a snapshot that does not decode, or an unknown kind or scope, is an
/// unreadable row, never a default.
public struct ReportRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    /// Inserts a report; false when `scheduleKey` was taken (the schedule issued this period already).
    public func insert(_ report: Report, scheduleKey: String?) async throws -> Bool {
        let inserted = try await db.raw("""
            INSERT INTO reports (id, kind, scope_kind, scope_id, period_from, period_to, snapshot, summary, recommendations, issued_by, schedule_id,
                                 schedule_key, issued_at)
            VALUES (\(bind: report.id), \(bind: report.kind.rawValue), \(bind: report.scope.kind.rawValue), \(bind: report.scope.id),
                    \(bind: report.period.from.description), \(bind: report.period.to.description), \(bind: JSONText.encode(report.snapshot)),
                    \(bind: report.summary), \(bind: report.recommendations), \(bind: report.issuedBy), \(bind: report.scheduleID), \(bind: scheduleKey),
                    \(bind: report.issuedAt.epochMilliseconds))
            ON CONFLICT (schedule_key) DO NOTHING RETURNING id
            """).all()
        return !inserted.isEmpty
    }

    public func find(id: String, lock: Bool = false) async throws -> Report? {
        let clause: SQLQueryString = lock ? "\(RowLock.update)" : ""
        return try await db.raw("SELECT * FROM reports WHERE id = \(bind: id)" + clause).first().map(Self.report(from:))
    }

    /// Reports newest first, of one kind or all.
    public func list(kind: ReportKind?, page: PageRequest) async throws -> Page<Report> {
        let filter: SQLQueryString = kind.map { " WHERE kind = \(bind: $0.rawValue)" } ?? ""
        let total = try await db.raw("SELECT COUNT(*) AS n FROM reports" + filter).first()?.int("n") ?? 0
        let items = try await db.raw("SELECT * FROM reports" + filter
                                     + " ORDER BY issued_at DESC, id DESC LIMIT \(bind: page.perPage) OFFSET \(bind: (page.page - 1) * page.perPage)")
            .all().map(Self.report(from:))
        return Page(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func replaceSnapshot(id: String, _ snapshot: ReportSnapshot, by memberID: String?, at now: Date) async throws {
        try await db.raw("""
            UPDATE reports SET snapshot = \(bind: JSONText.encode(snapshot)), regenerated_by = \(bind: memberID), regenerated_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: id)
            """).run()
    }

    public func updateText(id: String, summary: String, recommendations: String, by memberID: String?, at now: Date) async throws {
        try await db.raw("""
            UPDATE reports SET summary = \(bind: summary), recommendations = \(bind: recommendations), summary_by = \(bind: memberID),
            summary_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)
            """).run()
    }

    static func report(from row: any SQLRow) throws -> Report {
        let text = try row.string("snapshot")
        guard let snapshot = JSONText.decode(ReportSnapshot.self, from: text) else {
            throw UnreadableStoredValue(column: "snapshot", value: String(text.prefix(80)))
        }
        let scopeKind = try row.string("scope_kind")
        guard let scope = ReportScope(kind: scopeKind, id: try row.optionalString("scope_id")) else {
            throw UnreadableStoredValue(column: "scope_kind", value: scopeKind)
        }
        return Report(
            id: try row.string("id"), kind: try row.value("kind", as: ReportKind.self), scope: scope, snapshot: snapshot,
            summary: try row.string("summary"), recommendations: try row.string("recommendations"), issuedBy: try row.optionalString("issued_by"),
            scheduleID: try row.optionalString("schedule_id"), issuedAt: try row.date("issued_at"), regeneratedBy: try row.optionalString("regenerated_by"),
            regeneratedAt: try row.optionalDate("regenerated_at"), summaryBy: try row.optionalString("summary_by"), summaryAt: try row.optionalDate("summary_at"))
    }
}

/// The `report_schedules` table.
public struct ReportScheduleRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    public func create(_ schedule: ReportSchedule, createdBy: String?, now: Date) async throws {
        try await db.raw("""
            INSERT INTO report_schedules (id, kind, scope_kind, scope_id, weekday, day_of_month, hour, minute, enabled, last_period_from,
                                          created_by, created_at, updated_at)
            VALUES (\(bind: schedule.id), \(bind: schedule.kind.rawValue), \(bind: schedule.scope.kind.rawValue), \(bind: schedule.scope.id),
                    \(bind: schedule.weekday), \(bind: schedule.dayOfMonth), \(bind: schedule.hour), \(bind: schedule.minute), \(bind: schedule.enabled),
                    \(bind: schedule.lastPeriodFrom?.description), \(bind: createdBy), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds))
            """).run()
    }

    public func update(_ schedule: ReportSchedule, now: Date) async throws {
        try await db.raw("""
            UPDATE report_schedules SET kind = \(bind: schedule.kind.rawValue), scope_kind = \(bind: schedule.scope.kind.rawValue),
            scope_id = \(bind: schedule.scope.id), weekday = \(bind: schedule.weekday), day_of_month = \(bind: schedule.dayOfMonth),
            hour = \(bind: schedule.hour), minute = \(bind: schedule.minute), enabled = \(bind: schedule.enabled),
            last_period_from = \(bind: schedule.lastPeriodFrom?.description), updated_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: schedule.id)
            """).run()
    }

    public func delete(id: String) async throws {
        try await db.raw("DELETE FROM report_schedules WHERE id = \(bind: id)").run()
    }

    public func find(id: String, lock: Bool = false) async throws -> ReportSchedule? {
        let clause: SQLQueryString = lock ? "\(RowLock.update)" : ""
        return try await db.raw("SELECT * FROM report_schedules WHERE id = \(bind: id)" + clause).first().map(Self.schedule(from:))
    }

    /// Every schedule, oldest first (a workspace has a handful).
    public func all() async throws -> [ReportSchedule] {
        try await db.raw("SELECT * FROM report_schedules ORDER BY created_at, id").all().map(Self.schedule(from:))
    }

    static func schedule(from row: any SQLRow) throws -> ReportSchedule {
        let scopeKind = try row.string("scope_kind")
        guard let scope = ReportScope(kind: scopeKind, id: try row.optionalString("scope_id")) else {
            throw UnreadableStoredValue(column: "scope_kind", value: scopeKind)
        }
        let last = try row.optionalString("last_period_from")
        let lastDay = try last.map { text -> LocalDate in
            guard let day = LocalDate(text) else { throw UnreadableStoredValue(column: "last_period_from", value: text) }
            return day
        }
        return ReportSchedule(
            id: try row.string("id"), kind: try row.value("kind", as: ReportKind.self), scope: scope,
            weekday: try row.decodeNil(column: "weekday") ? nil : try row.int("weekday"),
            dayOfMonth: try row.decodeNil(column: "day_of_month") ? nil : try row.int("day_of_month"),
            hour: try row.int("hour"), minute: try row.int("minute"), enabled: try row.bool("enabled"), lastPeriodFrom: lastDay)
    }
}

/// The metric store reads a report needs beyond the overview's totals: the
/// scope's daily sums for the charts, the posts published in the period with
/// their snapshots, and the alerts that fired in it.
struct ReportReadRepository: Sendable {
    let db: any SQLDatabase
    init(_ db: any SQLDatabase) { self.db = db }

    /// Sum over the accounts of each key's daily value, per day in [from, to].
    func dailySums(accountIDs: [String], from: LocalDate, to: LocalDate, keys: [MetricKey]) async throws -> [LocalDate: [MetricKey: Double]] {
        var result: [LocalDate: [MetricKey: Double]] = [:]
        // Metric keys come from the enumeration, never from input.
        let metrics = keys.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        for piece in Self.pieces(accountIDs) {
            let ids = piece.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            let rows = try await db.raw("SELECT day, metric, SUM(value) AS total FROM account_daily_metrics WHERE account_id IN (" + ids + ")"
                                        + " AND day >= \(bind: from.description) AND day <= \(bind: to.description) AND metric IN (\(unsafeRaw: metrics))"
                                        + " GROUP BY day, metric").all()
            for row in rows {
                let text = try row.string("day")
                guard let day = LocalDate(text) else { throw UnreadableStoredValue(column: "day", value: text) }
                guard let key = MetricKey(rawValue: try row.string("metric")) else { continue }
                result[day, default: [:]][key, default: 0] += try row.double("total")
            }
        }
        return result
    }

    /// Posts of these accounts published in [start, stop), with their snapshots.
    func posts(accountIDs: [String], start: Date, stop: Date) async throws -> [PostMetricsSummary] {
        var summaries: [PostMetricsSummary] = []
        let reads = AnalyticsReadRepository(db)
        for piece in Self.pieces(accountIDs) {
            let ids = piece.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            let posts = try await db.raw("SELECT * FROM analytics_posts WHERE account_id IN (" + ids + ")"
                                         + " AND published_at >= \(bind: start.epochMilliseconds) AND published_at < \(bind: stop.epochMilliseconds)")
                .all().map(MetricRepository.post(from:))
            for chunk in Self.pieces(posts.map(\.id)) {
                let snapshots = try await reads.snapshots(postIDs: chunk)
                let set = Set(chunk)
                for post in posts where set.contains(post.id) { summaries.append(AnalyticsService.summary(post, snapshots[post.id] ?? [])) }
            }
        }
        return summaries
    }

    /// Alerts fired in [start, stop), oldest first.
    func alerts(start: Date, stop: Date) async throws -> [Alert] {
        try await db.raw("""
            SELECT * FROM alerts WHERE fired_at >= \(bind: start.epochMilliseconds) AND fired_at < \(bind: stop.epochMilliseconds) ORDER BY fired_at, id
            """).all().map(AlertRepository.alert(from:))
    }

    /// Lists cut so no statement binds more values than either database takes.
    static func pieces(_ ids: [String], size: Int = 500) -> [[String]] {
        stride(from: 0, to: ids.count, by: size).map { Array(ids[$0..<min(ids.count, $0 + size)]) }
    }
}
