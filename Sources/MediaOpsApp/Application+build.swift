import Foundation
import Hummingbird
import Logging
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsStore
import MediaOpsWeb
import Metrics
import Prometheus
import ServiceLifecycle

/// The composition root: opens the database, migrates it, and wires the
/// services, renderer and router together by hand.
public struct AppComponents {
    public let configuration: Configuration
    public let database: Database
    public let team: TeamService
    public let router: Router<AppRequestContext>
    public let routeTable: RouteTable
    public let assets: AssetService
    public let engine: PublishingEngine
    /// The one secret box of the process: every component seals and opens with
    /// the same key (with `:memory:` and no key file, separate boxes each drew a
    /// random key and could not read each other's secrets).
    public let secrets: SecretBox
    /// The one outbound transport and its policy.
    public let outbound: HTTPTransport
    /// The team's tasks (the worker's sweep sends their reminders and makes recurring ones).
    public let tasks: TaskService
}

public enum MetricsBootstrap {
    /// swift-metrics can be bootstrapped once per process; every app built in it shares this registry.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

public func makeLogger(_ configuration: Configuration, label: String = "mediaops") -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = configuration.logLevel
    return logger
}

/// Opens and migrates the configured database.
public func openDatabase(_ configuration: Configuration, logger: Logger) async throws -> Database {
    let database = try await Database.open(configuration.database, logger: logger)
    do {
        try await Migrations.run(on: database, logger: logger)
    } catch {
        await database.close()
        throw error
    }
    return database
}

public func buildComponents(configuration: Configuration, database: Database, logger: Logger) async throws -> AppComponents {
    let registry = MetricsBootstrap.registry
    let secrets = try configuration.secretBox()
    let outbound = configuration.outbound
    let team = TeamService(database: database, secrets: secrets, hasher: PasswordHasher(cost: configuration.bcryptCost))
    let renderer = try await ViewRenderer.bundled()
    let storage = try LocalAssetStorage(directory: URL(fileURLWithPath: configuration.assetsDirectory, isDirectory: true))
    let assets = AssetService(database: database, storage: storage, maxBytes: configuration.uploadMaxBytes)
    // Every service once; each room is handed the ones it names.
    let content = ContentService(database: database)
    let topics = TopicService(database: database)
    let channels = NotificationChannelService(database: database, secrets: secrets)
    let publishing = PublishingDependencies(team: team, content: content, assets: assets, publishing: PublishingService(database: database),
                                            tokenHealth: TokenHealthService(database: database), channels: channels, outbound: outbound,
                                            analytics: AnalyticsService(database: database))
    let inbox = NotificationInbox(database: database)
    let goals = GoalService(database: database, team: team, analytics: publishing.analytics)
    // Tasks link to things other rooms own; each kind is resolved through its room's service.
    let tasks = TaskService(database: database,
                            resolvers: TaskService.standardResolvers(content: content, publishing: publishing.publishing, topics: topics, goals: goals),
                            assets: TaskService.assetResolver(assets))
    // Knowledge entries link to content items, goals and tasks, resolved the same way.
    let knowledge = KnowledgeService.standard(database: database, content: content, goals: goals, tasks: tasks)
    let planning = PlanningDependencies(team: team, goals: goals, plans: PlanService(database: database, goals: goals, team: team), knowledge: knowledge)
    // KPIs read the other rooms through their services, the tasks room's completions included.
    let kpiService = KpiService(database: database)
    // One of each service, shared by the rooms that read it (reports by the 数据 room and the KPIs).
    let reports = ReportService(database: database)
    let scorecards = ScorecardService(database: database, team: team, kpis: kpiService, content: content, publishing: publishing.publishing,
                                      analytics: publishing.analytics, reports: reports, tasks: tasks)
    let kpis = KpiDependencies(team: team, kpis: kpiService, scorecards: scorecards,
                               reviews: PerformanceReviewService(database: database, scorecards: scorecards))
    let dependencies = WebDependencies(
        renderer: renderer, secureCookies: configuration.secureCookies,
        system: SystemDependencies(database: database, team: team, version: Configuration.version, metrics: { registry.emitToString() }),
        team: TeamDependencies(team: team, content: content, topics: topics, assets: assets, outbound: outbound, goals: goals, tasks: tasks,
                               reviews: kpis.reviews),
        content: ContentDependencies(team: team, content: content, topics: topics, assets: assets, wordLists: WordListService(database: database),
                                     inbox: inbox, publishing: publishing, knowledge: knowledge),
        publishing: publishing,
        analytics: AnalyticsDependencies(team: team, analytics: publishing.analytics, imports: ImportService(database: database),
                                          pulls: MetricPullService(database: database), alerts: AlertService(database: database),
                                          funnels: FunnelService(database: database), reports: reports,
                                          competitors: CompetitorService(database: database)),
        work: WorkDependencies(team: team, tasks: tasks, assets: assets, content: content, topics: topics, goals: goals, knowledge: knowledge,
                             publishing: publishing.publishing),
        knowledge: KnowledgeDependencies(team: team, knowledge: knowledge, training: TrainingService(database: database), content: content, assets: assets),
        kpis: kpis,
        inbox: inbox, planning: planning)
    let (router, table) = try buildRouter(dependencies)
    // Channels saved before robot addresses were sealed are sealed now.
    try await channels.sealLegacyAddresses()
    let engine = PublishingEngine(database: database, connectors: .standard, http: outbound, endpoints: configuration.endpoints,
                                  secrets: secrets, assets: assets, logger: logger)
    return AppComponents(configuration: configuration, database: database, team: team, router: router, routeTable: table, assets: assets, engine: engine,
                         secrets: secrets, outbound: outbound, tasks: tasks)
}

/// Every job handler a worker runs: publishing, reconciliation, reminders, notifications, statistics pulls.
public func jobHandlers(_ components: AppComponents) throws -> [any JobHandler] {
    components.engine.handlers + [NotificationJobHandler(database: components.database, secrets: components.secrets,
                                                         http: components.outbound, publicURL: components.configuration.publicURL),
                                  MetricImportJobHandler(imports: ImportService(database: components.database))]
        + MetricPullJobHandler.all(engine: components.engine)
        + [ReportSweepHandler(reports: ReportService(database: components.database), logger: components.engine.logger),
           TaskSweepHandler(tasks: components.tasks, logger: components.engine.logger)]
}

/// The worker service `serve` runs in-process and `mediaops worker` runs alone.
public func buildWorker(_ components: AppComponents, logger: Logger, name: String = JobWorker.defaultName(), waitIfQueueHeld: Bool = false) throws -> JobWorker {
    JobWorker(database: components.database, handlers: try jobHandlers(components),
              options: .init(name: name, concurrency: components.configuration.workerConcurrency, lease: components.configuration.jobLease, waitIfQueueHeld: waitIfQueueHeld), logger: logger,
              onStart: { [engine = components.engine] in
                  try await engine.startup()
                  try await ReportSweepHandler.enqueue(database: engine.database, at: Date())
                  try await TaskSweepHandler.enqueue(database: engine.database, at: Date())
              })
}

public func buildApplication(_ components: AppComponents, logger: Logger, worker: JobWorker? = nil) -> some ApplicationProtocol {
    var app = Application(
        router: components.router,
        configuration: .init(address: .hostname(components.configuration.host, port: components.configuration.port), serverName: "MediaOps"),
        logger: logger
    )
    // The database is closed by the caller once every service has ended (see
    // `runClosingDatabase`): a service of its own was cancelled together with the
    // others when one failed (a taken port), and closed the pool under the
    // worker's last queries, which trapped the process.
    if let worker { app.addServices(worker) }
    return app
}

/// Runs `body` (a service group) and closes the database after it has ended,
/// however it ended.
public func runClosingDatabase(_ database: Database, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        await database.close()
        throw error
    }
    await database.close()
}
