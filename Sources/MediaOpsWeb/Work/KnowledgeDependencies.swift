import MediaOpsStore

/// What the knowledge base and training pages use: members for names and
/// pickers, the knowledge and training services, the content room's service
/// for the titles of linked items, and the asset library for certificates.
public struct KnowledgeDependencies: Sendable {
    public var team: TeamService
    public var knowledge: KnowledgeService
    public var training: TrainingService
    public var content: ContentService
    public var assets: AssetService

    public init(team: TeamService, knowledge: KnowledgeService, training: TrainingService, content: ContentService, assets: AssetService) {
        self.team = team
        self.knowledge = knowledge
        self.training = training
        self.content = content
        self.assets = assets
    }
}
