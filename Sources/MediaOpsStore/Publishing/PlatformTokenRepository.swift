import Foundation
import MediaOpsDomain
import SQLKit

/// Access tokens connectors obtain (公众号's stable_token), sealed like every
/// other credential and shared by all worker processes through the database.
public struct PlatformTokenRepository: Sendable {
    let database: Database
    let secrets: SecretBox

    public init(database: Database, secrets: SecretBox) {
        self.database = database
        self.secrets = secrets
    }

    public func token(accountID: String) async throws -> (value: String, expiresAt: Date)? {
        guard let row = try await database.sql.raw("SELECT sealed, expires_at FROM platform_tokens WHERE account_id = \(bind: accountID)").first(),
              let value = try secrets.open(try row.string("sealed"))["access_token"] else { return nil }
        return (value, try row.date("expires_at"))
    }

    public func store(accountID: String, value: String, expiresAt: Date, now: Date = Date()) async throws {
        let sealed = try secrets.seal(["access_token": value])
        try await database.sql.raw("""
            INSERT INTO platform_tokens (account_id, sealed, expires_at, updated_at) VALUES (\(bind: accountID), \(bind: sealed), \(bind: expiresAt.epochMilliseconds), \(bind: now.epochMilliseconds))
            ON CONFLICT (account_id) DO UPDATE SET sealed = excluded.sealed, expires_at = excluded.expires_at, updated_at = excluded.updated_at
            """).run()
    }

    /// Forgets the token only if it is still the one that was rejected, so a
    /// fresher token another worker stored meanwhile survives.
    public func invalidate(accountID: String, value: String) async throws {
        guard let current = try await token(accountID: accountID), current.value == value else { return }
        try await database.sql.raw("DELETE FROM platform_tokens WHERE account_id = \(bind: accountID)").run()
    }

    /// The decrypted credentials of an account, for the worker only.
    public func credentials(accountID: String) async throws -> [String: String] {
        guard let sealed = try await AccountRepository(database.sql).sealedCredentials(id: accountID) else { return [:] }
        return try secrets.open(sealed)
    }
}
