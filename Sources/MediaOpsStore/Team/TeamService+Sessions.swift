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

/// How a sign-in with e-mail and password ended.
public enum SignInResult: Sendable, Equatable {
    case signedIn(Member)
    /// Too many failures for this e-mail: not checked until this instant.
    case locked(until: Date)
    /// Wrong password, unknown e-mail or a deactivated member — one answer for
    /// all three, so the form cannot tell who has an account.
    case invalid
}

/// Who a request's credential belongs to, and what they may do.
public struct MemberAccess: Sendable {
    public var member: Member
    public var permissions: Set<Permission>
}

extension TeamService {
    /// Checks a password under the login throttle. An unknown e-mail is
    /// verified against a decoy hash so both paths take as long.
    public func signIn(email rawEmail: String, password: String) async throws -> SignInResult {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let throttle = LoginThrottle(database.sql)
        if case .locked(let until) = try await throttle.reserveAttempt(email: email) { return .locked(until: until) }
        let found = try await MemberRepository(database.sql).passwordHash(email: email)
        let valid = try await hasher.verify(password, hash: found?.hash ?? hasher.decoyHash)
        guard let found, valid, found.member.isActive else { return .invalid }
        try await throttle.recordSuccess(email: email)
        return .signedIn(found.member)
    }

    /// The browser session a cookie names, while it lasts.
    public func session(token: String) async throws -> StoredSession? {
        try await SessionRepository(database.sql).find(token: token)
    }

    /// The live API token a bearer header carries.
    public func apiToken(authenticating token: String) async throws -> ApiToken? {
        try await ApiTokenRepository(database.sql).authenticate(token: token)
    }

    /// An active member and the union of their roles' permissions; nil for a
    /// deactivated or deleted member, whose credentials stop working at once.
    public func access(memberID: String) async throws -> MemberAccess? {
        guard let member = try await MemberRepository(database.sql).find(id: memberID), member.isActive else { return nil }
        return MemberAccess(member: member, permissions: try await RoleRepository(database.sql).permissions(for: member.roleKeys))
    }
}
