import Foundation
import MediaOpsDomain
import SQLKit

public struct AppNotification: Sendable, Equatable {
    public var id: String
    public var userID: String
    public var kind: String
    public var title: String
    public var body: String
    public var link: String
    /// A code behind the body (a publishing failure reason), shown as a sentence.
    public var detail: String?
    public var createdAt: Date
    public var readAt: Date?
}

/// The in-app notification centre's store.
public struct NotificationRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    /// `detail` is a code the page turns into a sentence (a publishing failure reason).
    public func add(userID: String, kind: String, title: String, body: String, link: String, detail: String? = nil) async throws {
        try await db.raw("""
            INSERT INTO notifications (id, user_id, kind, title, body, link, detail, created_at)
            VALUES (\(bind: Identifier.makeOrdered("ntf")), \(bind: userID), \(bind: kind), \(bind: title), \(bind: body), \(bind: link), \(bind: detail),
            \(bind: Date().epochMilliseconds))
            """).run()
    }

    /// Marks every unread notification of a kind pointing at `link` read (its cause was settled).
    public func markRead(kind: String, link: String, now: Date = Date()) async throws {
        try await db.raw("""
            UPDATE notifications SET read_at = \(bind: now.epochMilliseconds) WHERE kind = \(bind: kind) AND link = \(bind: link) AND read_at IS NULL
            """).run()
    }

    public func list(userID: String, unreadOnly: Bool = false, limit: Int = 50) async throws -> [AppNotification] {
        let unread: SQLQueryString = unreadOnly ? " AND read_at IS NULL" : ""
        return try await db.raw("SELECT * FROM notifications WHERE user_id = \(bind: userID)" + unread + " ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)").all().map { row in
            AppNotification(id: try row.string("id"), userID: try row.string("user_id"), kind: try row.string("kind"), title: try row.string("title"),
                            body: try row.string("body"), link: try row.string("link"), detail: try row.optionalString("detail"),
                            createdAt: try row.date("created_at"), readAt: try row.optionalDate("read_at"))
        }
    }

    public func unreadCount(userID: String) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userID) AND read_at IS NULL").first()?.int("n") ?? 0
    }

    public func markRead(userID: String, id: String? = nil) async throws {
        let now = Date().epochMilliseconds
        if let id {
            try await db.raw("UPDATE notifications SET read_at = \(bind: now) WHERE user_id = \(bind: userID) AND id = \(bind: id) AND read_at IS NULL").run()
        } else {
            try await db.raw("UPDATE notifications SET read_at = \(bind: now) WHERE user_id = \(bind: userID) AND read_at IS NULL").run()
        }
    }

    /// Claims a once-only announcement key (e.g. one token warning per account
    /// and day); false when it was claimed before.
    func claimAnnouncement(key: String, at now: Date) async throws -> Bool {
        !(try await db.raw("""
            INSERT INTO announcements (key, created_at) VALUES (\(bind: key), \(bind: now.epochMilliseconds)) ON CONFLICT (key) DO NOTHING RETURNING key
            """).all()).isEmpty
    }
}
