import MediaOpsStore

/// What the 数据 room uses: accounts and members for names and pickers, the
/// metric store's reads, and imports.
public struct AnalyticsDependencies: Sendable {
    public var team: TeamService
    public var analytics: AnalyticsService
    public var imports: ImportService

    public init(team: TeamService, analytics: AnalyticsService, imports: ImportService) {
        self.team = team
        self.analytics = analytics
        self.imports = imports
    }
}
