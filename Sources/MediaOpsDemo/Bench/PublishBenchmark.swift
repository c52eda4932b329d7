import Foundation
import Logging
import MediaOpsApp
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsSandbox
import MediaOpsStore

/// `mediaops bench publish`: N targets due in the same instant, published by
/// one or more workers through the webhook connector to the imitation
/// platforms on loopback. Reports the time until all are published and the
/// lateness percentiles, beside a baseline measured in the same run (one
/// signed webhook POST to the same sandbox, sent alone).
public struct PublishBenchmark: Sendable {
    public struct Result: Sendable {
        public var targets: Int
        public var workers: Int
        public var concurrency: Int
        public var setupSeconds: Double
        public var allPublishedSeconds: Double
        public var lateness: [Double]
        public var baselinePostMilliseconds: Double
        public var duplicates: Int

        public func percentile(_ p: Double) -> Double {
            guard !lateness.isEmpty else { return 0 }
            let sorted = lateness.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
        }
    }

    let configuration: Configuration
    let targets: Int
    let workers: Int
    let concurrency: Int
    /// Seconds over which the due times are spread (0: all in the same instant).
    let spread: TimeInterval
    let logger: Logger

    public init(configuration: Configuration, targets: Int, workers: Int, concurrency: Int, spread: TimeInterval = 0, logger: Logger) {
        self.spread = spread
        self.configuration = configuration
        self.targets = targets
        self.workers = workers
        self.concurrency = concurrency
        self.logger = logger
    }

    public func run() async throws -> Result {
        let sandbox = try await SandboxServer().start()
        defer { sandbox.stop() }
        let secrets = SecretBox(keyMaterial: "benchmark")
        let database = try await openDatabase(configuration, logger: logger)
        defer { Task { await database.close() } }
        guard try await database.sql.raw("SELECT COUNT(*) AS n FROM publish_targets").first()?.int("n") == 0 else {
            throw BenchmarkError("The benchmark database must be empty.")
        }
        let http = HTTPTransport(timeout: 30, policy: OutboundPolicy(trustedBases: [sandbox.url]))
        let baseline = try await baselinePost(sandbox: sandbox, http: http)

        let setupStart = ContinuousClock.now
        let team = TeamService(database: database, secrets: secrets, hasher: PasswordHasher(cost: 4))
        let member = try await team.setUp(.init(workspaceName: "Benchmark", timeZone: "Asia/Shanghai", locale: "zh-Hans",
                                                ownerName: "Bench", ownerEmail: "bench@example.com", password: "benchmark-password"))
        let owner = Principal(memberID: member.id, name: member.name, roleKeys: member.roleKeys, permissions: Set(Permission.allCases))
        let perItem = min(100, targets)
        var accountIDs: [String] = []
        for index in 0..<perItem {
            let account = try await team.createAccount(.init(platform: "webhook", name: "站点 \(index)", handle: "site-\(index)",
                                                             fields: ["url": "\(sandbox.url)/_sandbox/webhook/site-\(index)"],
                                                             credentials: ["signing_secret": "bench-secret-\(index)"]), by: owner)
            accountIDs.append(account.id)
        }
        let content = ContentService(database: database)
        let publishing = PublishingService(database: database)
        var made = 0
        var itemIndex = 0
        while made < targets {
            let item = try await content.create(.init(title: "压测稿件 \(itemIndex)", body: "<p>第 \(itemIndex) 篇：冬日限定回归，门店同步上新。</p>"), by: owner)
            _ = try await content.review(id: item.id, action: .submit, comment: nil, expectedVersion: nil, by: owner)
            _ = try await content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: owner)
            let batch = Array(accountIDs.prefix(min(perItem, targets - made)))
            _ = try await publishing.schedule(contentID: item.id, accountIDs: batch, at: Date().addingTimeInterval(86_400), by: owner)
            made += batch.count
            itemIndex += 1
        }
        // Everything falls due a moment from now: in the same instant, or spread evenly over `spread` seconds.
        let due = Date().addingTimeInterval(3)
        if spread > 0 {
            let rows = try await database.sql.raw("SELECT id, job_id FROM publish_targets ORDER BY id").all()
            try await database.transaction { db in
                for (index, row) in rows.enumerated() {
                    let at = due.addingTimeInterval(spread * Double(index) / Double(rows.count)).epochMilliseconds
                    try await db.raw("UPDATE publish_targets SET due_at = \(bind: at) WHERE id = \(bind: try row.string("id"))").run()
                    try await db.raw("UPDATE jobs SET run_at = \(bind: at) WHERE id = \(bind: try row.string("job_id"))").run()
                }
            }
        } else {
            try await database.sql.raw("UPDATE jobs SET run_at = \(bind: due.epochMilliseconds) WHERE kind = 'publish'").run()
            try await database.sql.raw("UPDATE publish_targets SET due_at = \(bind: due.epochMilliseconds)").run()
        }
        let setupSeconds = (ContinuousClock.now - setupStart).seconds

        // Each worker gets its own connection pool, as a separate process would.
        var workerDatabases: [Database] = []
        var tasks: [Task<Void, any Error>] = []
        for index in 0..<workers {
            let db = index == 0 && database.kind == .sqlite ? database : try await Database.open(configuration.database, logger: logger)
            workerDatabases.append(db)
            let storage = try LocalAssetStorage(directory: FileManager.default.temporaryDirectory.appendingPathComponent("bench-assets"))
            let engine = PublishingEngine(database: db, connectors: .standard, http: http, endpoints: PlatformEndpoints(), secrets: secrets,
                                          assets: AssetService(database: db, storage: storage, maxBytes: 1 << 20), logger: logger)
            let worker = JobWorker(database: db, handlers: engine.handlers,
                                   options: .init(name: "bench-\(index)", concurrency: concurrency, lease: 120, idlePoll: 0.05), logger: logger)
            tasks.append(Task { try await worker.loop() })
        }
        let started = Date()
        var finished = due
        while true {
            try await Task.sleep(for: .milliseconds(100))
            let published = try await database.sql.raw("SELECT COUNT(*) AS n FROM publish_targets WHERE state = 'published'").first()?.int("n") ?? 0
            let open = try await database.sql.raw("SELECT COUNT(*) AS n FROM publish_targets WHERE state IN ('scheduled', 'publishing')").first()?.int("n") ?? 0
            _ = published
            if open == 0 {
                finished = Date()
                break
            }
            if Date().timeIntervalSince(started) > 1_800 { throw BenchmarkError("Gave up after 30 minutes.") }
        }
        for task in tasks { task.cancel() }
        for task in tasks { _ = try? await task.value }
        for db in workerDatabases where db !== database { await db.close() }
        let rows = try await database.sql.raw("SELECT due_at, published_at FROM publish_targets WHERE state = 'published'").all()
        let lateness = try rows.map { try $0.date("published_at").timeIntervalSince(try $0.date("due_at")) }
        let received = await sandbox.state.posts(platform: "webhook")
        let duplicates = received.count - Set(received.compactMap(\.idempotencyKey)).count
        let lastPublished = try await database.sql.raw("SELECT MAX(published_at) AS last FROM publish_targets").first()?.optionalDate("last") ?? finished
        return Result(targets: targets, workers: workers, concurrency: concurrency, setupSeconds: setupSeconds,
                      allPublishedSeconds: lastPublished.timeIntervalSince(due), lateness: lateness,
                      baselinePostMilliseconds: baseline, duplicates: duplicates)
    }

    /// Median of 51 single signed webhook POSTs to the sandbox, one at a time.
    func baselinePost(sandbox: RunningSandbox, http: HTTPTransport) async throws -> Double {
        var times: [Double] = []
        for index in 0..<51 {
            let body = Data("{\"n\":\(index)}".utf8)
            let request = OutboundRequest(method: "POST", url: "\(sandbox.url)/_sandbox/webhook/baseline",
                                          headers: [("Content-Type", "application/json"), ("X-MediaOps-Delivery", "baseline-\(index)"),
                                                    ("X-MediaOps-Signature", WebhookSignature.sign(body: body, timestamp: "0", secret: "x"))], body: body)
            let start = ContinuousClock.now
            _ = try await http.send(request, log: nil)
            times.append((ContinuousClock.now - start).seconds * 1_000)
        }
        await sandbox.state.reset()
        return times.sorted()[times.count / 2]
    }
}

public struct BenchmarkError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
