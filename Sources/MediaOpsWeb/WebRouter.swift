import Foundation
import MediaOpsConnectors
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// The web layer's wiring, built once by the composition root: each room's
/// dependencies, named for what the room uses, and what every page shares.
public struct WebDependencies: Sendable {
    public var renderer: ViewRenderer
    public var secureCookies: Bool
    public var system: SystemDependencies
    public var team: TeamDependencies
    public var content: ContentDependencies
    public var publishing: PublishingDependencies
    public var analytics: AnalyticsDependencies
    /// Goals, the planner, position profiles and the hiring plan.
    public var planning: PlanningDependencies
    public var work: WorkDependencies
    /// The knowledge base and training (the 任务 room's knowledge part and the 团队 room's training).
    public var knowledge: KnowledgeDependencies
    /// The signed-in member's unread count on every page.
    public var inbox: NotificationInbox

    public init(renderer: ViewRenderer, secureCookies: Bool, system: SystemDependencies, team: TeamDependencies, content: ContentDependencies,
                publishing: PublishingDependencies, analytics: AnalyticsDependencies, work: WorkDependencies, knowledge: KnowledgeDependencies,
                inbox: NotificationInbox, planning: PlanningDependencies) {
        self.renderer = renderer
        self.secureCookies = secureCookies
        self.system = system
        self.team = team
        self.content = content
        self.publishing = publishing
        self.analytics = analytics
        self.work = work
        self.knowledge = knowledge
        self.inbox = inbox
        self.planning = planning
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
    router.add(middleware: IdentityMiddleware(team: dependencies.team.team, publishing: dependencies.publishing.publishing, inbox: dependencies.inbox, setup: SetupState()))
    // Inner error handler: knows the member and language, so error pages are complete.
    router.add(middleware: ErrorMiddleware(pages: pages))

    let openAPI = try OpenAPIDocument.bundled()
    var routes = Routes(router: router, table: table)
    routes.requestRules = try RequestRules(document: openAPI.data)
    // Each room registers its controllers from the dependencies it names.
    SystemRoutes.register(routes, dependencies.system, openAPI: openAPI, pages: pages)
    TeamRoutes.register(routes, dependencies.team, pages: pages)
    ContentRoutes.register(routes, dependencies.content, pages: pages)
    PublishingRoutes.register(routes, dependencies.publishing, pages: pages)
    AnalyticsRoutes.register(routes, dependencies.analytics, pages: pages)
    PlanningRoutes.register(routes, dependencies.planning, pages: pages)
    WorkRoutes.register(routes, dependencies.work, pages: pages)
    KnowledgeRoutes.register(routes, dependencies.knowledge, pages: pages)
    return (router, table)
}
