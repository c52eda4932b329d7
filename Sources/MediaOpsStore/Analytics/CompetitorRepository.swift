import Foundation
import MediaOpsDomain
import SQLKit

/// The `competitors` and `competitor_days` tables. Rows are read strictly:
/// an unknown platform or source is an unreadable row, never a default.
public struct CompetitorRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    /// Every competitor, by platform then name (stable by creation).
    public func all(platform: Platform? = nil) async throws -> [Competitor] {
        let filter: SQLQueryString = platform.map { " WHERE platform = \(bind: $0.rawValue)" } ?? ""
        return try await db.raw("SELECT * FROM competitors" + filter + " ORDER BY platform, name, created_at, id").all().map(Self.competitor(from:))
    }

    public func count() async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM competitors").first().map { try $0.int("n") } ?? 0
    }

    public func find(id: String, lock: Bool = false) async throws -> Competitor? {
        let clause: SQLQueryString = lock ? "\(RowLock.update)" : ""
        return try await db.raw("SELECT * FROM competitors WHERE id = \(bind: id)" + clause).first().map(Self.competitor(from:))
    }

    /// The competitor with this handle on this platform, whatever the case of its letters.
    public func find(platform: Platform, handle: String) async throws -> Competitor? {
        try await db.raw("SELECT * FROM competitors WHERE platform = \(bind: platform.rawValue) AND handle_key = \(bind: Self.key(handle))").first()
            .map(Self.competitor(from:))
    }

    static func key(_ handle: String) -> String { handle.lowercased() }

    public func create(_ competitor: Competitor, createdBy: String?) async throws {
        try await db.raw("""
            INSERT INTO competitors (id, platform, name, handle, handle_key, url, group_label, notes, created_by, created_at, updated_at)
            VALUES (\(bind: competitor.id), \(bind: competitor.platform.rawValue), \(bind: competitor.name), \(bind: competitor.handle),
                \(bind: Self.key(competitor.handle)), \(bind: competitor.url), \(bind: competitor.group), \(bind: competitor.notes), \(bind: createdBy),
                \(bind: competitor.createdAt.epochMilliseconds), \(bind: competitor.updatedAt.epochMilliseconds))
            """).run()
    }

    public func update(_ competitor: Competitor) async throws {
        try await db.raw("""
            UPDATE competitors SET platform = \(bind: competitor.platform.rawValue), name = \(bind: competitor.name), handle = \(bind: competitor.handle),
                handle_key = \(bind: Self.key(competitor.handle)), url = \(bind: competitor.url), group_label = \(bind: competitor.group),
                notes = \(bind: competitor.notes), updated_at = \(bind: competitor.updatedAt.epochMilliseconds)
            WHERE id = \(bind: competitor.id)
            """).run()
    }

    /// Deletes the competitor with its days.
    public func delete(id: String) async throws {
        try await db.raw("DELETE FROM competitor_days WHERE competitor_id = \(bind: id)").run()
        try await db.raw("DELETE FROM competitors WHERE id = \(bind: id)").run()
    }

    // MARK: Days

    /// The days of these competitors in [from, to], oldest first.
    public func days(competitorIDs: [String], from: LocalDate, to: LocalDate) async throws -> [CompetitorDay] {
        guard !competitorIDs.isEmpty else { return [] }
        var result: [CompetitorDay] = []
        for offset in stride(from: 0, to: competitorIDs.count, by: 500) {
            let ids = competitorIDs[offset..<min(competitorIDs.count, offset + 500)].map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            result += try await db.raw("SELECT * FROM competitor_days WHERE competitor_id IN (" + ids + ") AND day >= \(bind: from.description) AND day <= \(bind: to.description) ORDER BY day, competitor_id")
                .all().map(Self.day(from:))
        }
        return result
    }

    /// One competitor's days, newest first.
    public func days(competitorID: String, page: PageRequest) async throws -> Page<CompetitorDay> {
        let total = try await db.raw("SELECT COUNT(*) AS n FROM competitor_days WHERE competitor_id = \(bind: competitorID)").first().map { try $0.int("n") } ?? 0
        let rows = try await db.raw("""
            SELECT * FROM competitor_days WHERE competitor_id = \(bind: competitorID) ORDER BY day DESC
            LIMIT \(bind: page.perPage) OFFSET \(bind: page.offset)
            """).all()
        return Page(items: try rows.map(Self.day(from:)), total: total, page: page.page, perPage: page.perPage)
    }

    public func day(competitorID: String, day: LocalDate) async throws -> CompetitorDay? {
        try await db.raw("SELECT * FROM competitor_days WHERE competitor_id = \(bind: competitorID) AND day = \(bind: day.description)").first().map(Self.day(from:))
    }

    /// Writes a day whole: a metric missing from `values` is stored as absent.
    public func put(_ day: CompetitorDay) async throws {
        try await db.raw("DELETE FROM competitor_days WHERE competitor_id = \(bind: day.competitorID) AND day = \(bind: day.day.description)").run()
        try await db.raw("""
            INSERT INTO competitor_days (competitor_id, day, followers, posts, avg_likes, avg_comments, avg_reads, source, entered_by, updated_at)
            VALUES (\(bind: day.competitorID), \(bind: day.day.description), \(bind: day.values[.followers]), \(bind: day.values[.posts]),
                \(bind: day.values[.avgLikes]), \(bind: day.values[.avgComments]), \(bind: day.values[.avgReads]), \(bind: day.source.rawValue),
                \(bind: day.enteredBy), \(bind: day.updatedAt.epochMilliseconds))
            """).run()
    }

    public func deleteDay(competitorID: String, day: LocalDate) async throws {
        try await db.raw("DELETE FROM competitor_days WHERE competitor_id = \(bind: competitorID) AND day = \(bind: day.description)").run()
    }

    static func competitor(from row: any SQLRow) throws -> Competitor {
        Competitor(id: try row.string("id"), platform: try row.value("platform", as: Platform.self), name: try row.string("name"),
                   handle: try row.string("handle"), url: try row.optionalString("url"), group: try row.string("group_label"),
                   notes: try row.string("notes"), createdAt: try row.date("created_at"),
                   updatedAt: try row.date("updated_at"))
    }

    static let columns: [(CompetitorMetric, String)] = [(.followers, "followers"), (.posts, "posts"), (.avgLikes, "avg_likes"),
                                                         (.avgComments, "avg_comments"), (.avgReads, "avg_reads")]

    static func day(from row: any SQLRow) throws -> CompetitorDay {
        let text = try row.string("day")
        guard let day = LocalDate(text) else { throw UnreadableStoredValue(column: "day", value: text) }
        var values: [CompetitorMetric: Double] = [:]
        for (metric, column) in columns {
            if let value = try row.optionalDouble(column) { values[metric] = value }
        }
        return CompetitorDay(competitorID: try row.string("competitor_id"), day: day, values: values,
                             source: try row.value("source", as: CompetitorSource.self), enteredBy: try row.optionalString("entered_by"),
                             updatedAt: try row.date("updated_at"))
    }
}
