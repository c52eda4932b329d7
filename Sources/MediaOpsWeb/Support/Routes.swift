import Foundation
import HTTPTypes
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Who may call a route. Every route declares one; there is no other gate.
public enum Access: Sendable, Equatable, CustomStringConvertible {
    case anyone
    case signedIn
    case permission(Permission)
    /// Any one of these: e.g. a comment on content is a write that both the
    /// people writing it and the people reviewing it make.
    case anyOf([Permission])

    /// People who write or review content: they comment, vote and move items through review.
    static let contentContributor = Access.anyOf([.contentWrite, .contentApprove])

    public var description: String {
        switch self {
        case .anyone: "anyone"
        case .signedIn: "signed-in"
        case .permission(let permission): permission.rawValue
        case .anyOf(let permissions): permissions.map(\.rawValue).joined(separator: " | ")
        }
    }

    /// Whether a member holding `permissions` passes this rule (signed-in assumed).
    public func admits(_ permissions: Set<Permission>) -> Bool {
        switch self {
        case .anyone, .signedIn: true
        case .permission(let permission): permissions.contains(permission)
        case .anyOf(let any): any.contains(where: permissions.contains)
        }
    }
}

public struct RouteRecord: Sendable, Equatable {
    public var method: HTTPRequest.Method
    public var path: String
    public var access: Access
}

/// The list of registered routes with their access rule, read by the role ×
/// route matrix test and by the OpenAPI agreement test.
public final class RouteTable: @unchecked Sendable {
    // Written only while the router is built, before any request is served.
    public private(set) var records: [RouteRecord] = []
    func append(_ record: RouteRecord) { records.append(record) }
}

/// Registers routes on the router, wrapping each handler in its access check.
struct Routes {
    let router: Router<AppRequestContext>
    let table: RouteTable
    /// What each API operation's JSON body may hold, from the OpenAPI document.
    var requestRules = RequestRules()

    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response
    /// A handler of a route that needs a sign-in: it receives the identity the
    /// access check verified, so it never unwraps `context.identity` itself.
    typealias SignedInHandler = @Sendable (Request, AppRequestContext, Identity) async throws -> Response

    func get(_ path: String, _ access: Access, _ handler: @escaping Handler) { add(.get, path, access) { request, context, _ in try await handler(request, context) } }
    func post(_ path: String, _ access: Access, _ handler: @escaping Handler) { add(.post, path, access) { request, context, _ in try await handler(request, context) } }
    func patch(_ path: String, _ access: Access, _ handler: @escaping Handler) { add(.patch, path, access) { request, context, _ in try await handler(request, context) } }
    func delete(_ path: String, _ access: Access, _ handler: @escaping Handler) { add(.delete, path, access) { request, context, _ in try await handler(request, context) } }

    func get(_ path: String, _ access: Access, _ handler: @escaping SignedInHandler) { addSignedIn(.get, path, access, handler) }
    func post(_ path: String, _ access: Access, _ handler: @escaping SignedInHandler) { addSignedIn(.post, path, access, handler) }
    func patch(_ path: String, _ access: Access, _ handler: @escaping SignedInHandler) { addSignedIn(.patch, path, access, handler) }
    func delete(_ path: String, _ access: Access, _ handler: @escaping SignedInHandler) { addSignedIn(.delete, path, access, handler) }

    // Pages register through their room's path enumeration; the API keeps the
    // literal paths its OpenAPI document names (and is checked against).
    func get(_ page: some PagePath, _ access: Access, _ handler: @escaping Handler) { get(page.path, access, handler) }
    func post(_ page: some PagePath, _ access: Access, _ handler: @escaping Handler) { post(page.path, access, handler) }
    func get(_ page: some PagePath, _ access: Access, _ handler: @escaping SignedInHandler) { get(page.path, access, handler) }
    func post(_ page: some PagePath, _ access: Access, _ handler: @escaping SignedInHandler) { post(page.path, access, handler) }

    private func addSignedIn(_ method: HTTPRequest.Method, _ path: String, _ access: Access, _ handler: @escaping SignedInHandler) {
        // A route open to anyone has no identity to hand over: refusing it here
        // (the router is built at start) keeps that mistake out of any request.
        precondition(access != .anyone, "\(method) \(path) is open to anyone but its handler expects a signed-in member")
        add(method, path, access) { request, context, identity in
            guard let identity else { throw AppError.unauthorized }
            return try await handler(request, context, identity)
        }
    }

    private func add(_ method: HTTPRequest.Method, _ path: String, _ access: Access,
                     _ handler: @escaping @Sendable (Request, AppRequestContext, Identity?) async throws -> Response) {
        table.append(RouteRecord(method: method, path: path, access: access))
        let isAPI = path.hasPrefix("/api/")
        let body = isAPI ? requestRules.body(method: method.rawValue, path: path) : nil
        let typedQuery = isAPI ? requestRules.typedQueryParameters(method: method.rawValue, path: path) : []
        router.on(RouterPath(path), method: method) { request, context in
            let identity = try Self.check(access, method: method, isAPI: isAPI, request: request, context: context)
            if !typedQuery.isEmpty, let broken = RequestRules.checkQuery(request.formQuery, typed: typedQuery) { throw broken }
            var context = context
            context.bodyRules = body
            return try await handler(request, context, identity)
        }
    }

    /// The identity that passed the rule (nil for routes open to anyone).
    static func check(_ access: Access, method: HTTPRequest.Method, isAPI: Bool, request: Request, context: AppRequestContext) throws -> Identity? {
        guard access != .anyone else { return context.identity }
        guard let identity = context.identity else {
            if isAPI { throw AppError.unauthorized }
            let next = request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
            throw RedirectRequired(location: TeamPath.login.query(["next": next]))
        }
        guard access.admits(identity.permissions) else { throw AppError.forbidden }
        // A browser session calling the API from script must prove it is our page.
        if isAPI, !method.isSafe, let expected = identity.csrfToken {
            let given = request.headers[HTTPField.Name("X-CSRF-Token")!] ?? ""
            guard TokenHasher.constantTimeEquals(given, expected) else { throw AppError.csrf }
        }
        return identity
    }
}

/// Thrown by the access check of a page when nobody is signed in.
struct RedirectRequired: Error {
    var location: String
}

extension HTTPRequest.Method {
    var isSafe: Bool { self == .get || self == .head || self == .options }
}
