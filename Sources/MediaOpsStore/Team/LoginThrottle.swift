import Foundation
import MediaOpsDomain
import SQLKit

/// Slows password guessing per e-mail: at most `maxFailures` attempts within
/// `window`; past that the e-mail is locked for `lockDuration`.
///
/// Each attempt is counted *before* the password is checked, in one atomic
/// upsert that returns the new count. Checking first and counting after the
/// (deliberately slow) bcrypt verify let 60 parallel guesses all pass the check;
/// counting first means the eleventh concurrent guess is refused, in every app
/// process, on both databases. A correct password clears the count.
public struct LoginThrottle: Sendable {
    let db: any SQLDatabase
    public let maxFailures = 10
    public let window: TimeInterval = 15 * 60
    public let lockDuration: TimeInterval = 15 * 60

    public init(_ db: any SQLDatabase) { self.db = db }

    public enum Decision: Sendable, Equatable {
        /// Go on and check the password; the attempt is already counted.
        case proceed
        /// Locked until this instant: do not check the password.
        case locked(until: Date)
    }

    /// Counts one attempt for `email` and says whether it may be checked.
    public func reserveAttempt(email: String, now: Date = Date()) async throws -> Decision {
        let email = email.lowercased()
        let nowMS = now.epochMilliseconds
        let since = now.addingTimeInterval(-window).epochMilliseconds
        // Old values on the right-hand side (both databases evaluate SET against the row as it was).
        let fresh: SQLQueryString = "(login_attempts.window_start <= \(bind: since) AND login_attempts.locked_until IS NULL) OR login_attempts.locked_until <= \(bind: nowMS)"
        let row = try await db.raw("""
            INSERT INTO login_attempts (email, window_start, attempts, locked_until) VALUES (\(bind: email), \(bind: nowMS), 1, NULL)
            ON CONFLICT (email) DO UPDATE SET
              attempts = CASE WHEN 
            """ + fresh + """
             THEN 1 ELSE login_attempts.attempts + 1 END,
              window_start = CASE WHEN 
            """ + fresh + """
             THEN \(bind: nowMS) ELSE login_attempts.window_start END,
              locked_until = CASE WHEN 
            """ + fresh + """
             THEN NULL ELSE login_attempts.locked_until END
            RETURNING attempts, locked_until
            """).first()
        guard let row else { return .proceed }
        if let until = try row.optionalDate("locked_until"), until > now { return .locked(until: until) }
        guard try row.int("attempts") > maxFailures else { return .proceed }
        let until = now.addingTimeInterval(lockDuration)
        try await db.raw("""
            UPDATE login_attempts SET locked_until = \(bind: until.epochMilliseconds)
            WHERE email = \(bind: email) AND (locked_until IS NULL OR locked_until <= \(bind: nowMS))
            """).run()
        return .locked(until: try await lockedUntil(email: email, now: now) ?? until)
    }

    /// When the e-mail is locked, the instant the lock ends.
    public func lockedUntil(email: String, now: Date = Date()) async throws -> Date? {
        guard let row = try await db.raw("SELECT locked_until FROM login_attempts WHERE email = \(bind: email.lowercased())").first(),
              let until = try row.optionalDate("locked_until") else { return nil }
        return until > now ? until : nil
    }

    /// A correct password: the count starts again.
    public func recordSuccess(email: String) async throws {
        try await db.raw("DELETE FROM login_attempts WHERE email = \(bind: email.lowercased()) AND locked_until IS NULL").run()
    }
}
