import Foundation
import MediaOpsDomain
import SQLKit

public struct ApiToken: Sendable, Equatable {
    public var id: String
    public var userID: String
    public var name: String
    /// The first characters of the token, so a user can tell tokens apart.
    public var prefix: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?
    /// After this instant the token no longer signs anyone in; nil never expires.
    public var expiresAt: Date?

    public func isLive(at now: Date = Date()) -> Bool { revokedAt == nil && (expiresAt.map { $0 > now } ?? true) }
}

/// Personal API tokens: shown once at creation, stored as a SHA-256 digest.
public struct ApiTokenRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    public func create(userID: String, name: String, expiresAt: Date? = nil, now: Date = Date()) async throws -> (token: String, record: ApiToken) {
        let token = TokenHasher.newToken(prefix: "mo_")
        let record = ApiToken(id: Identifier.make("tok"), userID: userID, name: name, prefix: String(token.prefix(10)),
                              createdAt: now, lastUsedAt: nil, revokedAt: nil, expiresAt: expiresAt)
        try await db.raw("""
            INSERT INTO api_tokens (id, user_id, name, token_hash, token_prefix, created_at, expires_at)
            VALUES (\(bind: record.id), \(bind: userID), \(bind: name), \(bind: TokenHasher.hash(token)),
            \(bind: record.prefix), \(bind: now.epochMilliseconds), \(bind: expiresAt?.epochMilliseconds))
            """).run()
        return (token, record)
    }

    /// The live token matching `token`, marking it used.
    public func authenticate(token: String, now: Date = Date()) async throws -> ApiToken? {
        guard let row = try await db.raw("""
            SELECT * FROM api_tokens WHERE token_hash = \(bind: TokenHasher.hash(token)) AND revoked_at IS NULL
            AND (expires_at IS NULL OR expires_at > \(bind: now.epochMilliseconds))
            """).first() else { return nil }
        let record = try Self.token(from: row)
        // Recording use at most once a minute keeps reads from turning into writes.
        if record.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            try await db.raw("UPDATE api_tokens SET last_used_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: record.id)").run()
        }
        return record
    }

    public func list(userID: String) async throws -> [ApiToken] {
        try await db.raw("SELECT * FROM api_tokens WHERE user_id = \(bind: userID) ORDER BY created_at DESC, id").all().map(Self.token(from:))
    }

    public func find(id: String) async throws -> ApiToken? {
        try await db.raw("SELECT * FROM api_tokens WHERE id = \(bind: id)").first().map(Self.token(from:))
    }

    public func revoke(id: String, now: Date = Date()) async throws {
        try await db.raw("UPDATE api_tokens SET revoked_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id) AND revoked_at IS NULL").run()
    }

    /// Revokes every live token of the member, except the one given (the
    /// credential making a password change keeps working).
    public func revokeAll(userID: String, except token: String? = nil, now: Date = Date()) async throws {
        let keep = token.map(TokenHasher.hash) ?? ""
        try await db.raw("""
            UPDATE api_tokens SET revoked_at = \(bind: now.epochMilliseconds)
            WHERE user_id = \(bind: userID) AND revoked_at IS NULL AND token_hash <> \(bind: keep)
            """).run()
    }

    public func revoke(token: String, now: Date = Date()) async throws {
        try await db.raw("UPDATE api_tokens SET revoked_at = \(bind: now.epochMilliseconds) WHERE token_hash = \(bind: TokenHasher.hash(token)) AND revoked_at IS NULL").run()
    }

    private static func token(from row: any SQLRow) throws -> ApiToken {
        ApiToken(id: try row.string("id"), userID: try row.string("user_id"), name: try row.string("name"),
                 prefix: try row.string("token_prefix"), createdAt: try row.date("created_at"),
                 lastUsedAt: try row.optionalDate("last_used_at"), revokedAt: try row.optionalDate("revoked_at"),
                 expiresAt: try row.optionalDate("expires_at"))
    }
}
