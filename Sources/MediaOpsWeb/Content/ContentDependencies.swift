import MediaOpsStore

/// What the content room — items, topics, calendar, library, compliance,
/// assets and the member's notifications — uses.
public struct ContentDependencies: Sendable {
    /// Members, accounts and groups for pickers and names.
    public var team: TeamService
    public var content: ContentService
    public var topics: TopicService
    public var assets: AssetService
    public var wordLists: WordListService
    public var inbox: NotificationInbox
    /// The editor shows the item's publishing panel, which the publishing room draws.
    public var publishing: PublishingDependencies
    /// The editor shows the knowledge entries linked to the item (相关经验), which the knowledge base keeps.
    public var knowledge: KnowledgeService?

    public init(team: TeamService, content: ContentService, topics: TopicService, assets: AssetService, wordLists: WordListService,
                inbox: NotificationInbox, publishing: PublishingDependencies, knowledge: KnowledgeService? = nil) {
        self.team = team
        self.content = content
        self.topics = topics
        self.assets = assets
        self.wordLists = wordLists
        self.inbox = inbox
        self.publishing = publishing
        self.knowledge = knowledge
    }
}
