import Foundation
import MediaOpsDomain
import SQLKit

public struct StoredSession: Sendable, Equatable {
    public var userID: String
    public var csrfToken: String
    public var expiresAt: Date
}

/// Browser sessions, kept in the database so every app process shares them and
/// a restart signs nobody out.
public struct SessionRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    public static let lifetime: TimeInterval = 14 * 24 * 3600

    /// Returns the raw session token for the cookie; only its hash is stored.
    public func create(userID: String, now: Date = Date()) async throws -> (token: String, session: StoredSession) {
        let token = TokenHasher.newToken(prefix: "s_")
        let session = StoredSession(userID: userID, csrfToken: TokenHasher.newToken(prefix: ""), expiresAt: now.addingTimeInterval(Self.lifetime))
        try await db.raw("""
            INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
            VALUES (\(bind: TokenHasher.hash(token)), \(bind: userID), \(bind: session.csrfToken),
            \(bind: now.epochMilliseconds), \(bind: session.expiresAt.epochMilliseconds))
            """).run()
        return (token, session)
    }

    public func find(token: String, now: Date = Date()) async throws -> StoredSession? {
        guard let row = try await db.raw("""
            SELECT * FROM sessions WHERE token_hash = \(bind: TokenHasher.hash(token)) AND expires_at > \(bind: now.epochMilliseconds)
            """).first() else { return nil }
        return StoredSession(userID: try row.string("user_id"), csrfToken: try row.string("csrf_token"), expiresAt: try row.date("expires_at"))
    }

    public func delete(token: String) async throws {
        try await db.raw("DELETE FROM sessions WHERE token_hash = \(bind: TokenHasher.hash(token))").run()
    }

    /// Signs a member out everywhere (deactivation, password reset).
    public func deleteAll(userID: String, except token: String? = nil) async throws {
        if let token {
            try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userID) AND token_hash <> \(bind: TokenHasher.hash(token))").run()
        } else {
            try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userID)").run()
        }
    }

    public func deleteExpired(now: Date = Date()) async throws {
        try await db.raw("DELETE FROM sessions WHERE expires_at <= \(bind: now.epochMilliseconds)").run()
    }
}
