import MediaOpsStore

/// What the 任务 room uses: members for names and the assignee picker, the
/// tasks themselves, and the asset library to pick attachments from.
public struct WorkDependencies: Sendable {
    public var team: TeamService
    public var tasks: TaskService
    public var assets: AssetService
    /// The recent content items and topics the task form offers to link.
    public var content: ContentService
    public var topics: TopicService
    /// The goals the task form offers to link.
    public var goals: GoalService?
    /// The task page lists the knowledge entries linked to the task (相关经验).
    public var knowledge: KnowledgeService?
    /// The publish targets the task form offers to link: those still to go out or to see to.
    public var publishing: PublishingService?

    public init(team: TeamService, tasks: TaskService, assets: AssetService, content: ContentService, topics: TopicService, goals: GoalService? = nil,
                knowledge: KnowledgeService? = nil, publishing: PublishingService? = nil) {
        self.team = team
        self.tasks = tasks
        self.assets = assets
        self.content = content
        self.topics = topics
        self.goals = goals
        self.knowledge = knowledge
        self.publishing = publishing
    }
}
