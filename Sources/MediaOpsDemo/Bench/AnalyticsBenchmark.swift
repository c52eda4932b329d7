import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import MediaOpsApp
import MediaOpsDomain
import MediaOpsStore
import NIOCore
import SQLKit

/// The analytics room on an agency-sized workspace: `accounts` accounts with
/// `days` days of daily metrics each and `posts` posts with six snapshots
/// each. It times the 90-day matrix overview and account pages through the
/// real application on loopback (p50/p95, beside `/health` in the same run),
/// and the import of a `importRows`-row export CSV against `sqlite3`'s
/// `.import` of the same file into a plain table, measured in the same run.
public struct AnalyticsBenchmark {
    public struct PageResult: Sendable {
        public var name: String
        public var p50: Double
        public var p95: Double
        public var ratioToHealth: Double
    }

    public struct Report: Sendable {
        public var database: String
        public var fillSeconds: Double
        public var dailyRows: Int
        public var snapshotRows: Int
        public var pages: [PageResult]
        public var importRows: Int
        public var importSeconds: Double
        /// nil when no `sqlite3` command is installed.
        public var sqliteImportSeconds: Double?
        /// `sqlite3` reading the same file into MediaOps' own post and snapshot
        /// tables (their keys and indexes), in C, converting and checking nothing:
        /// the least any import into this store can take. nil without `sqlite3`.
        public var sqliteStoreSeconds: Double?
        /// Judging yesterday of every account against every daily rule, as the
        /// sweep after a daily pull does (median of `runs`), and reading the
        /// same values without judging them (the baseline), in seconds.
        public var alertRules: Int = 0
        public var alertEvaluationSeconds: Double = 0
        public var alertReadSeconds: Double = 0
        public var alertsRaised: Int = 0
    }

    public let configuration: Configuration
    public let accounts: Int
    public let days: Int
    public let posts: Int
    public let importRows: Int
    public let runs: Int
    public let logger: Logger

    public init(configuration: Configuration, accounts: Int, days: Int, posts: Int, importRows: Int, runs: Int, logger: Logger) {
        self.configuration = configuration
        self.accounts = accounts
        self.days = days
        self.posts = posts
        self.importRows = importRows
        self.runs = runs
        self.logger = logger
    }

    public func run() async throws -> Report {
        let database = try await openDatabase(configuration, logger: logger)
        do {
            let report = try await run(on: database)
            await database.close()
            return report
        } catch {
            await database.close()
            throw error
        }
    }

    static let platforms: [Platform] = [.wechatOA, .weibo, .douyin, .xiaohongshu, .bilibili, .wechatChannels, .kuaishou, .x]

    private func run(on database: Database) async throws -> Report {
        guard try await database.sql.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self) == 0 else {
            throw BenchmarkError("The benchmark database must be empty.")
        }
        let components = try await buildComponents(configuration: configuration, database: database, logger: logger)
        _ = try await DemoWorkspace.load(into: database, team: components.team)
        guard let owner = try await MemberRepository(database.sql).find(email: DemoWorkspace.ownerEmail) else { throw BenchmarkError("The demo owner is missing.") }
        let principal = Principal(memberID: owner.id, name: owner.name, roleKeys: owner.roleKeys, permissions: Set(Permission.allCases))
        let fillStart = ContinuousClock.now
        let (accountIDs, dailyRows, snapshotRows) = try await fill(database: database, owner: owner)
        let fillSeconds = (ContinuousClock.now - fillStart).seconds
        logger.notice("filled \(dailyRows) daily values and \(snapshotRows) snapshot values in \(Int(fillSeconds)) s")

        // A monthly report of the whole workspace: issuing computes its snapshot (totals of every
        // account, the daily series, every post of the month ranked, the alerts) and stores it.
        let reports = ReportService(database: database)
        let month = ReportKind.monthly.latestPeriod(today: try await reports.today().day)
        var issueSamples: [Double] = []
        var reportID = ""
        for _ in 0..<max(1, runs / 4) {
            let start = ContinuousClock.now
            reportID = try await reports.issue(kind: .monthly, scope: .workspace, period: month, by: principal).id
            issueSamples.append((ContinuousClock.now - start).milliseconds)
        }

        let session = try await SessionRepository(database.sql).create(userID: owner.id).token
        let app = buildApplication(components, logger: logger)
        let pages = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            defer { group.cancelAll() }
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let pages = try await measurePages(client: client, session: session, accountIDs: accountIDs, reportID: reportID, issueSamples: issueSamples)
                try await client.shutdown()
                return pages
            } catch {
                try? await client.shutdown()
                throw error
            }
        }

        // The import, and sqlite3's own import of the same file beside it.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mediaops-bench-import-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try Self.exportFile(rows: importRows).write(to: file)
        let target = try await components.team.createAccount(.init(platform: "douyin", name: "导入基准账号", handle: "bench_import"), by: principal)
        let imports = ImportService(database: database, inlineRowLimit: .max)
        let importStart = ContinuousClock.now
        let preview = try await imports.upload(principal, accountID: target.id, filename: "bench.csv", data: try Data(contentsOf: file), layout: .douyinWorks)
        guard preview.rows?.errors.isEmpty == true, preview.rows?.rowCount == importRows else { throw BenchmarkError("The generated export file did not read cleanly.") }
        let done = try await imports.commit(principal, id: preview.record.id)
        let importSeconds = (ContinuousClock.now - importStart).seconds
        guard done.state == .committed else { throw BenchmarkError("The import did not commit.") }
        var report = Report(database: database.kind.rawValue, fillSeconds: fillSeconds, dailyRows: dailyRows, snapshotRows: snapshotRows, pages: pages,
                            importRows: importRows, importSeconds: importSeconds, sqliteImportSeconds: try await Self.sqliteImport(file))
        report.sqliteStoreSeconds = try await Self.sqliteStoreImport(file, logger: logger)
        try await measureAlerts(database: database, principal: principal, accountIDs: accountIDs, into: &report)
        return report
    }

    /// The ready-made rules and three more over every account (an anomaly band on reads or plays,
    /// a weekly baseline on new followers, a threshold on the engagement rate), judged for
    /// yesterday `runs` times; beside it, the same values read without judging.
    private func measureAlerts(database: Database, principal: Principal, accountIDs: [String], into report: inout Report) async throws {
        let alerts = AlertService(database: database)
        try await AlertRuleRepository(database.sql).installPresets(createdBy: principal.memberID, now: Date())
        for draft in [AlertRule(id: "", name: "阅读或播放量异常", kind: .anomaly, metric: .consumption),
                      AlertRule(id: "", name: "新增粉丝较上周同日下滑", kind: .relativeToBaseline, metric: .stored(.followersNew), comparison: .below, bound: -0.3,
                                window: 28, seasonality: .weekly, minimumHistory: 3),
                      AlertRule(id: "", name: "互动率低于 1%", kind: .threshold, metric: .derived(.engagementRate), comparison: .below, bound: 0.01)] {
            _ = try await alerts.createRule(draft, by: principal)
        }
        let rules = try await alerts.rules().filter { $0.kind.input == .dailySeries }
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let yesterday = LocalDate(Date(), timeZone: zone).adding(days: -1)
        let lookback = rules.map { $0.kind.usesHistory ? $0.window : 1 }.max() ?? 1
        let keys = Array(Set(rules.compactMap(\.metric).flatMap { metric -> [MetricKey] in
            Self.platforms.flatMap { AlertService.storedKeys(metric, platform: $0) }
        })).sorted { $0.rawValue < $1.rawValue }
        var evaluations: [Double] = [], reads: [Double] = []
        let metrics = MetricService(database: database)
        for run in 0..<max(1, min(runs, 7)) {
            let readStart = ContinuousClock.now
            for id in accountIDs { _ = try await metrics.daily(accountID: id, from: yesterday.adding(days: -(lookback + 1)), to: yesterday, keys: keys) }
            reads.append((ContinuousClock.now - readStart).seconds)
            let start = ContinuousClock.now
            let raised = try await alerts.evaluate(accountIDs: accountIDs, through: yesterday)
            evaluations.append((ContinuousClock.now - start).seconds)
            if run == 0 { report.alertsRaised = raised.count }
        }
        report.alertRules = rules.count
        report.alertEvaluationSeconds = evaluations.sorted()[evaluations.count / 2]
        report.alertReadSeconds = reads.sorted()[reads.count / 2]
    }

    /// A 抖音 works export of `rows` posts, as the back office writes it.
    static func exportFile(rows: Int) -> Data {
        var generator = SeededGenerator(seed: 11)
        var text = "作品名称,发布时间,播放量,完播率,点赞量,评论量,分享量,收藏量,平均播放时长\n"
        text.reserveCapacity(rows * 80)
        let start = LocalDate(year: 2024, month: 1, day: 1)
        for index in 0..<rows {
            let day = start.adding(days: index % 1_000)
            let plays = 1_000 + Int(generator.next() % 90_000)
            text += "作品\(index) \(DemoMetrics.topics[index % DemoMetrics.topics.count]),\(day) \(7 + index % 12):00,\"\(plays.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US"))))\",\(Double(generator.next() % 40) / 100),\(plays / 20),\(plays / 300),\(plays / 150),\(plays / 120),\(Double(generator.next() % 400) / 10)\n"
        }
        return Data(text.utf8)
    }

    /// Seconds `sqlite3` takes to `.import` the file into a new table of a new database; nil without the command.
    static func sqliteImport(_ file: URL) async throws -> Double? {
        try await timeSQLite3(arguments: [".import --csv \(file.path) export"], failure: "sqlite3 .import failed.")
    }

    /// Seconds `sqlite3` takes to read the file into a staging table and write
    /// its rows into a new MediaOps database's `analytics_posts` and
    /// `post_snapshots` (migrated as the application migrates them) in one
    /// transaction, with the pragmas the application uses; nil without the command.
    static func sqliteStoreImport(_ file: URL, logger: Logger) async throws -> Double? {
        // The generated file's columns (see exportFile); values go in as the file writes them.
        let script = """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            PRAGMA cache_size=-65536;
            .import --csv \(file.path) staging
            BEGIN IMMEDIATE;
            INSERT INTO analytics_posts (id, account_id, platform_post_id, target_id, title, url, published_at, origin, created_at, updated_at)
              SELECT printf('pst%016d', rowid), 'acc_store_floor', 'import:' || "发布时间" || ':' || rowid, NULL, "作品名称", NULL, rowid * 60000, 'external', 0, 0 FROM staging;
            INSERT INTO post_snapshots (post_id, captured_at, hours_since_publish, metric_values, source, import_id)
              SELECT printf('pst%016d', rowid), 0, 24.0, json_object('plays', "播放量", 'completion_rate', "完播率", 'likes', "点赞量", 'comments', "评论量",
                     'shares', "分享量", 'favorites', "收藏量", 'avg_watch_seconds', "平均播放时长"), 'file_import', 'imp_store_floor' FROM staging;
            COMMIT;
            """
        return try await timeSQLite3(input: script, failure: "sqlite3 could not write the file into MediaOps' tables.") { path in
            let database = try await Database.open(.sqliteFile(path: path), logger: logger)
            do { _ = try await Migrations.run(on: database, logger: logger) } catch { await database.close(); throw error }
            await database.close()
        }
    }

    /// Runs `sqlite3` on a new database file (made by `prepare`, removed
    /// afterwards) with `arguments` and `input`, and times the run alone; nil
    /// when no `sqlite3` command is installed.
    private static func timeSQLite3(arguments: [String] = [], input: String? = nil, failure: String,
                                    prepare: (String) async throws -> Void = { _ in }) async throws -> Double? {
        guard let sqlite3 = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mediaops-bench-sqlite3-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try await prepare(path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sqlite3)
        process.arguments = [path] + arguments
        let pipe = Pipe()
        if input != nil { process.standardInput = pipe }
        process.standardOutput = FileHandle.nullDevice
        let start = ContinuousClock.now
        try process.run()
        if let input {
            pipe.fileHandleForWriting.write(Data(input.utf8))
            try pipe.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchmarkError(failure) }
        return (ContinuousClock.now - start).seconds
    }

    private func fill(database: Database, owner: Member) async throws -> (accounts: [String], daily: Int, snapshots: Int) {
        let now = Date()
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let yesterday = LocalDate(now, timeZone: zone).adding(days: -1)
        let first = yesterday.adding(days: -(days - 1))
        var generator = SeededGenerator(seed: 5)
        let groups = try await database.sql.raw("SELECT id FROM account_groups ORDER BY id").all().map { try $0.decode(column: "id", as: String.self) }
        var ids: [String] = []
        for index in 0..<accounts {
            let platform = Self.platforms[index % Self.platforms.count]
            let account = Account(id: Identifier.make("acc"), platform: platform, name: "客户账号\(index)", handle: "client_\(index)",
                                  kind: platform == .wechatOA ? "service" : nil, fields: platform == .wechatOA ? ["app_id": String(format: "wx%016x", index)] : [:],
                                  ownerID: owner.id, groupIDs: [groups[index % groups.count]], state: .active, credentialKeys: [], createdAt: now, updatedAt: now)
            try await AccountRepository(database.sql).create(account, sealedCredentials: nil)
            ids.append(account.id)
        }
        let provenance = MetricProvenance(source: .manual, enteredBy: owner.id, capturedAt: now)
        var dailyCount = 0
        // One account at a time, each in its own transaction: bounded memory whatever the size.
        for (index, id) in ids.enumerated() {
            let key = DerivedMetric.consumptionKey(for: Self.platforms[index % Self.platforms.count])
            var rows: [MetricRepository.DailyRow] = []
            rows.reserveCapacity(days * 6)
            var total = Double(5_000 + Int(generator.next() % 100_000))
            var day = first
            while day <= yesterday {
                let new = Double(20 + generator.next() % 200), lost = Double(generator.next() % 60)
                total += new - lost
                rows += [.init(accountID: id, day: day, key: .followersTotal, value: total), .init(accountID: id, day: day, key: .followersNew, value: new),
                         .init(accountID: id, day: day, key: .followersLost, value: lost), .init(accountID: id, day: day, key: .followersNet, value: new - lost),
                         .init(accountID: id, day: day, key: key, value: Double(500 + generator.next() % 20_000)),
                         .init(accountID: id, day: day, key: .likes, value: Double(generator.next() % 900))]
                day = day.adding(days: 1)
            }
            dailyCount += rows.count
            try await database.transaction { [rows] db in try await MetricRepository(db).insertGenerated(daily: rows, provenance: provenance) }
        }
        var snapshotCount = 0
        let perAccount = max(1, posts / max(1, accounts))
        for (index, id) in ids.enumerated() {
            let count = index == ids.count - 1 ? posts - perAccount * (ids.count - 1) : perAccount
            guard count > 0 else { continue }
            let key = DerivedMetric.consumptionKey(for: Self.platforms[index % Self.platforms.count])
            var batch: [AnalyticsPost] = []
            var snapshots: [MetricRepository.SnapshotRow] = []
            for number in 0..<count {
                let published = now.addingTimeInterval(-Double(generator.next() % UInt64(days * 86_400)))
                let post = AnalyticsPost(id: Identifier.makeOrdered("pst"), accountID: id, platformPostID: "bench-\(index)-\(number)", targetID: nil,
                                         title: "作品\(number)", url: nil, publishedAt: published, origin: .external)
                batch.append(post)
                let final = Double(1_000 + generator.next() % 50_000)
                for (hours, share) in [(1.0, 0.1), (24, 0.6), (72, 0.8), (168, 0.95), (720, 1), (2_160, 1)] {
                    let captured = published.addingTimeInterval(hours * 3_600)
                    guard captured <= now else { break }
                    snapshots.append(.init(postID: post.id, capturedAt: captured, hoursSincePublish: hours,
                                           values: [key: (final * share).rounded(), .likes: (final * share / 25).rounded()]))
                }
            }
            snapshotCount += snapshots.reduce(0) { $0 + $1.values.count }
            try await database.transaction { [batch, snapshots] db in
                let repository = MetricRepository(db)
                try await repository.insertGenerated(posts: batch, now: now)
                try await repository.insertGenerated(snapshots: snapshots, provenance: provenance)
            }
            if index % 100 == 99 { logger.notice("filled the posts of \(index + 1) accounts") }
        }
        // Fresh statistics for the planner, as a database in use would have; on PostgreSQL
        // also the visibility map autovacuum keeps, without which an index-only scan
        // still reads the table for every row it finds (five times slower here).
        if database.kind == .postgresql {
            for table in ["account_daily_metrics", "analytics_posts", "post_snapshots"] { try await database.sql.raw("VACUUM ANALYZE \(unsafeRaw: table)").run() }
        } else {
            try await database.sql.raw("ANALYZE").run()
        }
        return (ids, dailyCount, snapshotCount)
    }

    private func measurePages(client: HTTPClient, session: String, accountIDs: [String], reportID: String, issueSamples: [Double]) async throws -> [PageResult] {
        let base = "http://\(configuration.host):\(configuration.port)"
        var ready = false
        for _ in 0..<200 {
            if (try? await Self.get(client, base + "/health", session: nil)) != nil { ready = true; break }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard ready else { throw BenchmarkError("The application did not start on \(base).") }
        let named: [(String, (Int) -> String)] = [
            ("/health", { _ in "/health" }),
            ("overview, 90 days", { _ in "/analytics?period=90d" }),
            ("overview API, 90 days", { _ in "/api/v1/analytics/overview?period=90d" }),
            ("account page, 90 days", { round in "/analytics/accounts/\(accountIDs[(round * 37) % accountIDs.count])?period=90d" }),
            ("account daily API, 90 days", { round in "/api/v1/analytics/accounts/\(accountIDs[(round * 53) % accountIDs.count])/daily?period=90d" }),
            ("monthly report page (stored snapshot)", { _ in "/analytics/reports/\(reportID)" }),
        ]
        for (_, path) in named {
            let status = try await Self.get(client, base + path(0), session: session)
            guard status == 200 else { throw BenchmarkError("\(path(0)) answered \(status).") }
        }
        var samples: [String: [Double]] = [:]
        for round in 0..<runs {
            for (name, path) in named {
                let start = ContinuousClock.now
                _ = try await Self.get(client, base + path(round), session: session)
                samples[name, default: []].append((ContinuousClock.now - start).milliseconds)
            }
        }
        let health = PagesBenchmark.percentile(samples["/health"] ?? [], 0.5)
        var results = named.map { name, _ in
            let values = samples[name] ?? []
            let p50 = PagesBenchmark.percentile(values, 0.5)
            return PageResult(name: name, p50: p50, p95: PagesBenchmark.percentile(values, 0.95), ratioToHealth: p50 / max(health, 0.0001))
        }
        // Issuing runs in the process, not over HTTP: its ratio is still against /health of this run.
        let issue = PagesBenchmark.percentile(issueSamples, 0.5)
        results.append(PageResult(name: "monthly report: issue (compute and store the snapshot)", p50: issue, p95: PagesBenchmark.percentile(issueSamples, 0.95),
                                  ratioToHealth: issue / max(health, 0.0001)))
        return results
    }

    private static func get(_ client: HTTPClient, _ url: String, session: String?) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        if let session { request.headers.add(name: "Cookie", value: "mediaops_session=\(session)") }
        let response = try await client.execute(request, timeout: .seconds(60))
        _ = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return Int(response.status.code)
    }
}
