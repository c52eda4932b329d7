import MediaOpsStore

/// What the system routes — health, metrics, the OpenAPI document, static
/// files and the language switch — use.
public struct SystemDependencies: Sendable {
    /// The health check asks the database itself whether it answers.
    public var database: Database
    /// The language switch saves a signed-in member's choice.
    public var team: TeamService
    public var version: String
    /// Renders the Prometheus exposition text.
    public var metrics: @Sendable () -> String

    public init(database: Database, team: TeamService, version: String, metrics: @escaping @Sendable () -> String) {
        self.database = database
        self.team = team
        self.version = version
        self.metrics = metrics
    }
}
