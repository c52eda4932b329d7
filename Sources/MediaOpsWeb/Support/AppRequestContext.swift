import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// The signed-in member behind a request and how they proved it.
public struct Identity: Sendable {
    public var member: Member
    public var permissions: Set<Permission>
    public var via: Credential

    public enum Credential: Sendable {
        /// A browser session; unsafe requests must carry its CSRF token.
        case session(token: String, csrfToken: String)
        /// A personal API token (`Authorization: Bearer`).
        case apiToken(id: String, token: String)
    }

    public var principal: Principal {
        Principal(memberID: member.id, name: member.name, roleKeys: member.roleKeys, permissions: permissions)
    }

    public var csrfToken: String? {
        if case .session(_, let csrf) = via { return csrf }
        return nil
    }
}

/// Per-request data only: who is asking, in which language, and the request id.
/// Dependencies live in the controllers, wired in the composition root.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    public var locale: AppLocale = .zhHans
    public var requestID: String = ""
    /// The token for forms shown before sign-in (setup, login), from a cookie.
    public var anonymousCSRF: String?
    public var workspace: Workspace?
    /// Unread notifications, for the top bar of pages (not counted for API calls).
    public var unreadNotifications: Int = 0
    /// Why publishing is paused, when it is: every page says so.
    public var publishingFreezeReason: String?
    /// What the route's documented JSON body may hold (API routes with a body).
    var bodyRules: RequestRules.Body?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// JSON and form bodies above `RequestLimits.maxBodyBytes` are refused with 413.
    public var maxUploadSize: Int { RequestLimits.maxBodyBytes }

    public var csrfToken: String { identity?.csrfToken ?? anonymousCSRF ?? "" }
}
