import MediaOpsStore

/// What KPIs, scorecards and reviews use: members, roles and reporting lines
/// (team), KPI definitions, the KPI engine, and reviews.
public struct KpiDependencies: Sendable {
    public var team: TeamService
    public var kpis: KpiService
    public var scorecards: ScorecardService
    public var reviews: PerformanceReviewService

    public init(team: TeamService, kpis: KpiService, scorecards: ScorecardService, reviews: PerformanceReviewService) {
        self.team = team
        self.kpis = kpis
        self.scorecards = scorecards
        self.reviews = reviews
    }
}

/// The routes of KPIs, scorecards, reviews and reporting lines.
enum KpiRoutes {
    static func register(_ routes: Routes, _ dependencies: KpiDependencies, pages: PageSupport) {
        KpisController(dependencies: dependencies, pages: pages).register(routes)
        ScorecardsController(dependencies: dependencies, pages: pages).register(routes)
        ReviewsController(dependencies: dependencies, pages: pages).register(routes)
        KpiReportingLineController(dependencies: dependencies, pages: pages).register(routes)
    }
}
