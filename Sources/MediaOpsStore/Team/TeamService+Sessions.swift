import Foundation
import MediaOpsDomain

extension TeamService {
    /// A browser sign-in: a new session for a member whose password was checked.
    public func openBrowserSession(memberID: String) async throws -> String {
        try await SessionRepository(database.sql).create(userID: memberID).token
    }

    /// Signing out ends the credential the request came with: the browser
    /// session, or the API token (an API session is a token).
    public func signOut(sessionToken: String) async throws {
        try await SessionRepository(database.sql).delete(token: sessionToken)
    }

    public func signOut(apiToken: String) async throws {
        try await ApiTokenRepository(database.sql).revoke(token: apiToken)
    }

    /// A member's own API tokens, without their secrets.
    public func tokens(memberID: String) async throws -> [ApiToken] {
        try await ApiTokenRepository(database.sql).list(userID: memberID)
    }
}
