import MediaOpsStore

/// What the 数据 room uses: accounts and members for names and pickers, the
/// metric store's reads, and imports.
public struct AnalyticsDependencies: Sendable {
    public var team: TeamService
    public var analytics: AnalyticsService
    public var imports: ImportService
    /// Pull status per account and backfills.
    public var pulls: MetricPullService
    /// Reports and their schedules.
    public var reports: ReportService

    public init(team: TeamService, analytics: AnalyticsService, imports: ImportService, pulls: MetricPullService, reports: ReportService? = nil) {
        self.team = team
        self.analytics = analytics
        self.imports = imports
        self.pulls = pulls
        self.reports = reports ?? ReportService(database: analytics.database)
    }
}
