import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MediaOpsDomain
import MediaOpsStore
import Synchronization

/// Remembers once the workspace exists, so the setup check costs one query per
/// process instead of one per request. It never goes back to "not set up".
final class SetupState: Sendable {
    private let done = Atomic<Bool>(false)

    func isSetUp(_ team: TeamService) async throws -> Bool {
        if done.load(ordering: .relaxed) { return true }
        let exists = try await team.isSetUp()
        if exists { done.store(true, ordering: .relaxed) }
        return exists
    }
}

/// Gives each request its id, its member (from the session cookie or a bearer
/// token), its language, and sends everyone to /setup until a workspace exists.
struct IdentityMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let team: TeamService
    let publishing: PublishingService
    let inbox: NotificationInbox
    let setup: SetupState

    static let sessionCookie = "mediaops_session"
    static let csrfCookie = "mediaops_csrf"
    static let localeCookie = "mediaops_lang"

    /// Static files: "/static/" (before the name).
    static let staticPrefix = SystemPath.staticFile(.value("")).path

    /// Paths that work before setup: the setup page itself and what it needs.
    static func isAllowedBeforeSetup(_ path: String) -> Bool {
        let open: [any PagePath] = [TeamPath.setup, SystemPath.health, SystemPath.metrics, SystemPath.openAPI, SystemPath.language]
        return open.contains { $0.path == path } || path.hasPrefix(Self.staticPrefix)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let requestID = request.headers[HTTPField.Name("X-Request-ID")!].flatMap { $0.count <= 64 ? $0 : nil } ?? Identifier.make("req")
        context.requestID = requestID
        context.logger[metadataKey: "request_id"] = .string(requestID)

        let path = request.uri.path
        if !Self.isAllowedBeforeSetup(path), !(try await setup.isSetUp(team)) {
            if path.hasPrefix("/api/") { throw AppError(.conflict, "setup_required") }
            return Response.redirect(to: TeamPath.setup.path, type: .found)
        }
        // Stylesheet and script need no member, workspace or language: skip the
        // database on the requests every page makes.
        if path.hasPrefix(Self.staticPrefix) {
            var response = try await next(request, context)
            response.headers[HTTPField.Name("X-Request-ID")!] = requestID
            return response
        }
        context.workspace = try await team.workspace()
        context.identity = try await identify(request)
        context.anonymousCSRF = request.cookies[Self.csrfCookie]?.value
        if let member = context.identity?.member, !path.hasPrefix("/api/"), request.method == .get {
            context.unreadNotifications = try await inbox.unreadCount(userID: member.id)
            context.publishingFreezeReason = try await publishing.freeze()?.reason
        }
        // A member's own choice, then the switch on the page, then what the browser
        // asks for, then the workspace's language.
        context.locale = context.identity?.member.locale
            ?? request.cookies[Self.localeCookie].flatMap { AppLocale(rawValue: $0.value) }
            ?? request.headers[.acceptLanguage].flatMap { AppLocale(acceptLanguage: $0) }
            ?? context.workspace?.defaultLocale
            ?? .zhHans

        var response = try await next(request, context)
        response.headers[HTTPField.Name("X-Request-ID")!] = requestID
        return response
    }

    private func identify(_ request: Request) async throws -> Identity? {
        if let authorization = request.headers[.authorization] {
            // A malformed or unknown bearer token is an error, not anonymity:
            // an integration must learn that its token is wrong.
            guard authorization.lowercased().hasPrefix("bearer ") else { throw AppError.unauthorized }
            let token = String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            guard let record = try await team.apiToken(authenticating: token),
                  let identity = try await identity(memberID: record.userID, via: .apiToken(id: record.id, token: token))
            else { throw AppError(.unauthorized, "invalid_token") }
            return identity
        }
        if let cookie = request.cookies[Self.sessionCookie]?.value,
           let session = try await team.session(token: cookie) {
            return try await identity(memberID: session.userID, via: .session(token: cookie, csrfToken: session.csrfToken))
        }
        return nil
    }

    private func identity(memberID: String, via: Identity.Credential) async throws -> Identity? {
        guard let access = try await team.access(memberID: memberID) else { return nil }
        return Identity(member: access.member, permissions: access.permissions, via: via)
    }
}

/// Headers that cost nothing and close whole classes of attacks.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        // Behind a TLS-terminating proxy every cookie must be Secure, whichever
        // controller set it.
        if request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https" {
            let cookies = response.headers[values: .setCookie]
            if !cookies.isEmpty {
                response.headers[.setCookie] = nil
                for cookie in cookies {
                    response.headers.append(HTTPField(name: .setCookie, value: cookie.contains("; Secure") ? cookie : cookie + "; Secure"))
                }
            }
        }
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[HTTPField.Name("Content-Security-Policy")!] =
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        }
        return response
    }
}
