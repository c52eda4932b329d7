import MediaOpsStore

/// What the 数据 room uses: accounts and members for names and pickers, the
/// metric store's reads, and imports.
public struct AnalyticsDependencies: Sendable {
    public var team: TeamService
    public var analytics: AnalyticsService
    public var imports: ImportService
    /// Pull status per account and backfills.
    public var pulls: MetricPullService
    /// Alert rules, their previews, and the alerts they raised.
    public var alerts: AlertService
    /// Funnels, their events and figures.
    public var funnels: FunnelService
    /// Reports and their schedules.
    public var reports: ReportService
    /// Competitors, their numbers by day, and the benchmark.
    public var competitors: CompetitorService

    public init(team: TeamService, analytics: AnalyticsService, imports: ImportService, pulls: MetricPullService, alerts: AlertService, funnels: FunnelService,
                reports: ReportService, competitors: CompetitorService) {
        self.team = team
        self.analytics = analytics
        self.imports = imports
        self.pulls = pulls
        self.alerts = alerts
        self.funnels = funnels
        self.reports = reports
        self.competitors = competitors
    }
}
