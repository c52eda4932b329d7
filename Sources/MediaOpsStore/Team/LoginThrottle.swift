import Foundation
import MediaOpsDomain
import SQLKit

/// Slows password guessing per e-mail: after `maxFailures` failures within
/// `window`, the e-mail is locked for `lockDuration`. Kept in the database so
/// every app process enforces the same count.
public struct LoginThrottle: Sendable {
    let db: any SQLDatabase
    public let maxFailures = 10
    public let window: TimeInterval = 15 * 60
    public let lockDuration: TimeInterval = 15 * 60

    public init(_ db: any SQLDatabase) { self.db = db }

    /// When the e-mail is locked, the instant the lock ends.
    public func lockedUntil(email: String, now: Date = Date()) async throws -> Date? {
        guard let row = try await db.raw("SELECT locked_until FROM login_locks WHERE email = \(bind: email.lowercased())").first() else { return nil }
        let until = try row.date("locked_until")
        return until > now ? until : nil
    }

    public func recordFailure(email: String, now: Date = Date()) async throws {
        let email = email.lowercased()
        try await db.raw("INSERT INTO login_failures (id, email, at) VALUES (\(bind: Identifier.make("lf")), \(bind: email), \(bind: now.epochMilliseconds))").run()
        let since = now.addingTimeInterval(-window).epochMilliseconds
        let failures = try await db.raw("SELECT COUNT(*) AS n FROM login_failures WHERE email = \(bind: email) AND at > \(bind: since)").first()?.int("n") ?? 0
        if failures >= maxFailures {
            let until = now.addingTimeInterval(lockDuration).epochMilliseconds
            try await db.raw("""
                INSERT INTO login_locks (email, locked_until) VALUES (\(bind: email), \(bind: until))
                ON CONFLICT (email) DO UPDATE SET locked_until = \(bind: until)
                """).run()
            // The lock now carries the count; start the next window afresh.
            try await db.raw("DELETE FROM login_failures WHERE email = \(bind: email)").run()
        }
        // Old failures are worthless; drop them so the table stays small.
        try await db.raw("DELETE FROM login_failures WHERE at <= \(bind: since)").run()
    }

    public func recordSuccess(email: String) async throws {
        try await db.raw("DELETE FROM login_failures WHERE email = \(bind: email.lowercased())").run()
    }
}
