import Foundation
import MediaOpsDomain

/// What the content room's pages and API read. Controllers ask the service,
/// never a repository, so the room has one door for reads as for writes.
extension ContentService {
    var items: ContentRepository { ContentRepository(database.sql) }
    var reviews: ReviewRepository { ReviewRepository(database.sql) }

    // MARK: Items

    public func find(id: String) async throws -> ContentItem? { try await items.find(id: id) }

    public func find(ids: [String]) async throws -> [ContentItem] { try await items.find(ids: ids) }

    public func list(filter: ContentFilter, sort: ContentSort = .updated, descending: Bool = true, page: PageRequest) async throws -> Page<ContentItem> {
        try await items.list(filter: filter, sort: sort, descending: descending, page: page)
    }

    /// Per calendar day (from each of `dayStarts` to the next, the last to `end`):
    /// the first `perDay` item ids in planned order and the day's total.
    public func plannedByDay(filter: ContentFilter, dayStarts: [Date], end: Date, perDay: Int) async throws -> [(ids: [String], total: Int)] {
        try await items.plannedByDay(filter: filter, dayStarts: dayStarts, end: end, perDay: perDay)
    }

    /// Items whose title contains a query too short for the search index.
    public func titleMatches(_ query: String, limit: Int) async throws -> [ContentItem] { try await items.titleMatches(query, limit: limit) }

    /// The library's most used tags with their item counts.
    public func libraryTagCounts(limit: Int = 30) async throws -> [(tag: String, count: Int)] { try await items.libraryTagCounts(limit: limit) }

    public func variants(contentID: String) async throws -> [ContentVariant] { try await items.variants(contentID: contentID) }

    /// The platforms each item has a variant for.
    public func platforms(contentIDs: [String]) async throws -> [String: [Platform]] { try await items.platforms(contentIDs: contentIDs) }

    public func versions(contentID: String) async throws -> [ContentVersion] { try await items.versions(contentID: contentID) }

    public func version(contentID: String, number: Int) async throws -> ContentVersion? { try await items.version(contentID: contentID, number: number) }

    // MARK: Review

    /// Every review flow a group (or the workspace, key "") has defined.
    public func definedFlows() async throws -> [String: [ReviewStage]] { try await reviews.definedFlows() }

    public func reviewEvents(contentID: String) async throws -> [ReviewEvent] { try await reviews.events(contentID: contentID) }

    public func comments(contentID: String) async throws -> [ReviewComment] { try await reviews.comments(contentID: contentID) }

    /// Whether this version's blocking findings were accepted with a reason.
    public func hasComplianceOverride(contentID: String, version: Int) async throws -> Bool {
        try await reviews.hasOverride(contentID: contentID, version: version)
    }

    // MARK: Calendar feeds

    /// A new private feed address for the member; the old one stops working.
    public func rotateCalendarFeed(userID: String) async throws -> String { try await CalendarFeedRepository(database.sql).rotate(userID: userID) }

    public func hasCalendarFeed(userID: String) async throws -> Bool { try await CalendarFeedRepository(database.sql).hasFeed(userID: userID) }

    /// The member a feed token belongs to.
    public func calendarFeedMember(token: String) async throws -> String? { try await CalendarFeedRepository(database.sql).member(forToken: token) }
}
