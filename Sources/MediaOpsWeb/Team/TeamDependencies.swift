import MediaOpsConnectors
import MediaOpsStore

/// What the team room — sign-in, home, members, roles, accounts, settings and
/// the member's own page — uses, and nothing more.
public struct TeamDependencies: Sendable {
    public var team: TeamService
    /// Home's summaries and global search read the other rooms through their services.
    public var content: ContentService
    public var topics: TopicService
    public var assets: AssetService
    /// Its policy checks the addresses typed into account fields on save.
    public var outbound: HTTPTransport
    /// Home's goal card: each open goal's status and progress.
    public var goals: GoalService?
    /// Home's "my tasks" and "overdue tasks".
    public var tasks: TaskService?
    /// Home's "reviews waiting for you".
    public var reviews: PerformanceReviewService?

    public init(team: TeamService, content: ContentService, topics: TopicService, assets: AssetService, outbound: HTTPTransport, goals: GoalService? = nil,
                tasks: TaskService? = nil, reviews: PerformanceReviewService? = nil) {
        self.team = team
        self.content = content
        self.topics = topics
        self.assets = assets
        self.outbound = outbound
        self.goals = goals
        self.tasks = tasks
        self.reviews = reviews
    }
}
