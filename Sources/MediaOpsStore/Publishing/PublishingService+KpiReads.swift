import Foundation
import MediaOpsDomain
import SQLKit

/// A publish target that went out, with the content item it came from.
public struct PublishedPost: Sendable, Equatable {
    public var targetID: String
    public var contentID: String
    public var title: String
    public var accountID: String
    public var platform: Platform
    public var publishedAt: Date
}

/// Reads the work room's KPI engine makes of the publishing room. Read-only.
extension PublishingService {
    /// Targets published in [from, to) whose content item `ownerID` owns, oldest first.
    public func published(contentOwnerID ownerID: String, from: Date, to: Date, platform: Platform? = nil) async throws -> [PublishedPost] {
        let platformFilter: SQLQueryString = platform.map { " AND t.platform = \(bind: $0.rawValue)" } ?? ""
        let rows = try await database.sql.raw("""
            SELECT t.id, t.content_id, c.title, t.account_id, t.platform, t.published_at
            FROM publish_targets t JOIN content_items c ON c.id = t.content_id
            WHERE c.owner_id = \(bind: ownerID) AND t.state = 'published'
            AND t.published_at >= \(bind: from.epochMilliseconds) AND t.published_at < \(bind: to.epochMilliseconds)
            """ + platformFilter + " ORDER BY t.published_at, t.id LIMIT 2000").all()
        return try rows.map { row in
            PublishedPost(targetID: try row.string("id"), contentID: try row.string("content_id"), title: try row.string("title"),
                          accountID: try row.string("account_id"), platform: try row.value("platform", as: Platform.self),
                          publishedAt: try row.date("published_at"))
        }
    }
}
