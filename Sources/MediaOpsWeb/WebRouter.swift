import Foundation
import MediaOpsConnectors
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Everything the web layer needs, built by the composition root.
public struct WebDependencies: Sendable {
    public var database: Database
    public var team: TeamService
    public var renderer: ViewRenderer
    public var version: String
    public var secureCookies: Bool
    /// Renders the Prometheus exposition text.
    public var metrics: @Sendable () -> String
    /// The asset library; its `maxBytes` is the upload limit (MEDIAOPS_UPLOAD_MAX_MB).
    public var assets: AssetService
    /// Outbound HTTP for robots, webhooks and test sends; its policy refuses private addresses unless allowed.
    public var outbound: HTTPTransport = HTTPTransport()
    /// Platform API bases (MEDIAOPS_<PLATFORM>_API_BASE), for the pages that explain where posts go.
    public var endpoints: PlatformEndpoints = PlatformEndpoints()
    /// The signed-in member's in-app notifications.
    public var inbox: NotificationInbox

    public init(database: Database, team: TeamService, renderer: ViewRenderer, version: String, secureCookies: Bool, metrics: @escaping @Sendable () -> String,
                assets: AssetService) {
        self.database = database
        self.team = team
        self.renderer = renderer
        self.version = version
        self.secureCookies = secureCookies
        self.metrics = metrics
        self.assets = assets
        self.inbox = NotificationInbox(database: database)
    }
}

/// Builds the router: middleware in order, then each room's controllers.
public func buildRouter(_ dependencies: WebDependencies) throws -> (router: Router<AppRequestContext>, table: RouteTable) {
    let router = Router(context: AppRequestContext.self)
    let table = RouteTable()
    let pages = PageSupport(renderer: dependencies.renderer, secureCookies: dependencies.secureCookies)
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    // Outer error handler: catches what the identity step itself throws.
    router.add(middleware: ErrorMiddleware(pages: pages))
    router.add(middleware: IdentityMiddleware(database: dependencies.database, inbox: dependencies.inbox, setup: SetupState()))
    // Inner error handler: knows the member and language, so error pages are complete.
    router.add(middleware: ErrorMiddleware(pages: pages))

    let routes = Routes(router: router, table: table)
    let openAPI = try OpenAPIDocument.bundled()
    SystemController(dependencies: dependencies, openAPI: openAPI, pages: pages).register(routes)
    AuthController(dependencies: dependencies, pages: pages).register(routes)
    HomeController(dependencies: dependencies, pages: pages).register(routes)
    MembersController(dependencies: dependencies, pages: pages).register(routes)
    RolesController(dependencies: dependencies, pages: pages).register(routes)
    AccountsController(dependencies: dependencies, pages: pages).register(routes)
    SettingsController(dependencies: dependencies, pages: pages).register(routes)
    NotificationChannelsController(dependencies: dependencies, pages: pages).register(routes)
    MeController(dependencies: dependencies, pages: pages).register(routes)
    ContentController(dependencies: dependencies, pages: pages).register(routes)
    TopicsController(dependencies: dependencies, pages: pages).register(routes)
    CalendarController(dependencies: dependencies, pages: pages).register(routes)
    PublishingController(dependencies: dependencies, pages: pages).register(routes)
    AccountHealthController(dependencies: dependencies, pages: pages).register(routes)
    LibraryController(dependencies: dependencies, pages: pages).register(routes)
    ComplianceController(dependencies: dependencies, pages: pages).register(routes)
    NotificationsController(dependencies: dependencies, pages: pages).register(routes)
    AssetsController(dependencies: dependencies, pages: pages).register(routes)
    return (router, table)
}
