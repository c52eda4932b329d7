import Foundation
import MediaOpsDomain

/// A member's in-app notifications: what the top bar counts and the
/// notifications page and API list and mark read.
public struct NotificationInbox: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    public func list(userID: String, unreadOnly: Bool = false, limit: Int = 50) async throws -> [AppNotification] {
        try await NotificationRepository(database.sql).list(userID: userID, unreadOnly: unreadOnly, limit: limit)
    }

    public func unreadCount(userID: String) async throws -> Int {
        try await NotificationRepository(database.sql).unreadCount(userID: userID)
    }

    /// Marks one notification read, or all of them when `id` is nil.
    public func markRead(userID: String, id: String? = nil) async throws {
        try await NotificationRepository(database.sql).markRead(userID: userID, id: id)
    }
}
