import Foundation
import MediaOpsDomain
import SQLKit

/// Secret feed addresses for calendar apps, one per member. Calendar apps cannot
/// send headers, so the token is in the URL; only its digest is stored.
public struct CalendarFeedRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    /// A new token for the member, replacing (and so revoking) any earlier one.
    public func rotate(userID: String) async throws -> String {
        let token = TokenHasher.newToken(prefix: "cal_")
        try await db.raw("DELETE FROM calendar_feeds WHERE user_id = \(bind: userID)").run()
        try await db.raw("INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (\(bind: userID), \(bind: TokenHasher.hash(token)), \(bind: Date().epochMilliseconds))").run()
        return token
    }

    public func hasFeed(userID: String) async throws -> Bool {
        try await db.raw("SELECT COUNT(*) AS n FROM calendar_feeds WHERE user_id = \(bind: userID)").first()?.int("n") ?? 0 > 0
    }

    public func member(forToken token: String) async throws -> String? {
        try await db.raw("SELECT user_id FROM calendar_feeds WHERE token_hash = \(bind: TokenHasher.hash(token))").first()?.string("user_id")
    }

    public func revoke(userID: String) async throws {
        try await db.raw("DELETE FROM calendar_feeds WHERE user_id = \(bind: userID)").run()
    }
}
