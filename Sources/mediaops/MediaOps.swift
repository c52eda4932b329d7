import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MediaOpsApp
import MediaOpsDemo
import MediaOpsDomain
import MediaOpsStore
import MediaOpsWeb
import MediaOpsSandbox
import ServiceLifecycle

@main
struct MediaOps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mediaops",
        abstract: "MediaOps (媒体运营台): the self-hosted workspace for a new-media operations team.",
        version: Configuration.version,
        subcommands: [Serve.self, Worker.self, Sandbox.self, Migrate.self, User.self, Backup.self, Demo.self, Check.self, Import.self, Bench.self]
    )
}

/// Flags shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "SQLite file path or postgres://user:pass@host:5432/db (default: MEDIAOPS_DATABASE_URL, else ./mediaops-data/mediaops.sqlite).")
    var database: String?

    func configuration(host: String? = nil, port: Int? = nil) throws -> Configuration {
        try Configuration.resolve(host: host, port: port, database: database)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web server (pages, JSON API, /health, /metrics).")

    @Option(help: "Address to listen on (default: MEDIAOPS_HOST, else 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default: MEDIAOPS_PORT, else 8080).") var port: Int?
    @OptionGroup var options: DatabaseOptions
    @Flag(help: "Fill an empty database with a demo workspace and print how to sign in. Also starts the imitation platforms so the demo accounts publish end to end.")
    var demo = false
    @Flag(help: "Do not run the in-process job worker (run `mediaops worker` processes instead; PostgreSQL).") var noWorker = false
    @Option(help: "Port of the imitation platforms started with --demo (default: MEDIAOPS_SANDBOX_PORT, else the server port + 1).") var sandboxPort: Int?

    func run() async throws {
        var configuration = try options.configuration(host: host, port: port)
        let logger = makeLogger(configuration)
        var sandbox: RunningSandbox?
        if demo {
            // The demo's accounts publish to imitation platforms on loopback, never to real ones.
            let port = sandboxPort ?? ProcessInfo.processInfo.environment["MEDIAOPS_SANDBOX_PORT"].flatMap(Int.init) ?? configuration.port + 1
            do {
                let running = try await SandboxServer().start(host: "127.0.0.1", port: port)
                sandbox = running
                configuration.useSandbox(running.url)
                say("Imitation platforms (sandbox) on \(running.url)")
            } catch {
                // The demo still runs; only its publishing plan needs the sandbox.
                say("Could not start: \(error). The demo runs without its publishing plan; choose another port with --sandbox-port.")
            }
        }
        let database = try await openDatabase(configuration, logger: logger)
        let components = try await buildComponents(configuration: configuration, database: database, logger: logger)
        if demo {
            switch try await DemoWorkspace.load(components: components, sandbox: sandbox) {
            case .loaded(let members, let accounts):
                say("Demo workspace loaded: \(members) members, \(accounts) accounts.")
            case .skippedNotEmpty:
                say("The database already has members; the demo workspace was not loaded again.")
            }
            say("Sign in as \(DemoWorkspace.ownerEmail) with password \(DemoWorkspace.password)")
        }
        say("MediaOps \(Configuration.version) on http://\(configuration.host):\(configuration.port) (\(database.kind.rawValue): \(configuration.database.redacted))")
        let worker = noWorker ? nil : try buildWorker(components, logger: logger, waitIfQueueHeld: true)
        if noWorker { say("No in-process worker: due posts are published by `mediaops worker` processes.") }
        defer { sandbox?.stop() }
        let app = buildApplication(components, logger: logger, worker: worker)
        do {
            try await runClosingDatabase(database) { try await app.runService() }
        } catch where "\(error)".contains("Address already in use") {
            throw ValidationFailure(message: "Port \(configuration.port) on \(configuration.host) is already in use: stop what holds it or choose another with --port.")
        }
    }
}

struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run only the job worker: publishing, reconciliation, reminders and notifications.",
        discussion: "On PostgreSQL run as many as you like; they share the queue. On SQLite one worker holds the queue at a time (`serve` runs one unless --no-worker)."
    )
    @OptionGroup var options: DatabaseOptions
    @Option(help: "Jobs run at once (default: MEDIAOPS_WORKER_CONCURRENCY, else 32).") var concurrency: Int?
    @Option(help: "Worker name in leases and the attempt log (default: host-pid-random).") var name: String?

    func run() async throws {
        var configuration = try options.configuration()
        if let concurrency {
            guard (1...512).contains(concurrency) else { throw ValidationFailure(message: "--concurrency must be from 1 to 512.") }
            configuration.workerConcurrency = concurrency
        }
        let logger = makeLogger(configuration, label: "mediaops.worker")
        let database = try await openDatabase(configuration, logger: logger)
        let components = try await buildComponents(configuration: configuration, database: database, logger: logger)
        let worker = try buildWorker(components, logger: logger, name: name ?? JobWorker.defaultName())
        do {
            try await worker.acquireQueue()
        } catch let error as JobWorker.StartError {
            await database.close()
            throw ValidationFailure(message: error.description)
        }
        say("MediaOps worker \(worker.options.name) on \(database.kind.rawValue) (\(configuration.database.redacted)), \(configuration.workerConcurrency) at once")
        let group = ServiceGroup(configuration: .init(services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await runClosingDatabase(database) { try await group.run() }
    }
}

struct Sandbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the imitation platforms (公众号, 微博, 抖音, B站, X, Mastodon, Telegram, LinkedIn, Facebook, robots, webhooks) on loopback.",
        discussion: "Point MediaOps at it with MEDIAOPS_<PLATFORM>_API_BASE=http://127.0.0.1:PORT (e.g. MEDIAOPS_WECHAT_OA_API_BASE). Control API: GET /_sandbox/received, POST /_sandbox/scenarios, POST /_sandbox/clock, POST /_sandbox/reset."
    )
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8090

    func run() async throws {
        let running = try await SandboxServer().start(host: host, port: port, logLevel: .info)
        say("Imitation platforms on \(running.url) — press Ctrl-C to stop.")
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .main)
        signal(SIGINT, SIG_IGN)
        source.setEventHandler { continuation.finish() }
        source.resume()
        for await _ in stream {}
        running.stop()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let configuration = try options.configuration()
        let logger = makeLogger(configuration)
        let database = try await Database.open(configuration.database, logger: logger)
        let applied = try await Migrations.run(on: database, logger: logger)
        await database.close()
        print(applied.isEmpty ? "The database is up to date." : "Applied migrations: \(applied.map(String.init).joined(separator: ", ")).")
    }
}

struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage members from the command line.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a member. The password is read from standard input.",
            discussion: "Example: echo 'a-long-password' | mediaops user add li@example.com --name 李雷 --role content"
        )

        @Argument(help: "E-mail address the member signs in with.") var email: String
        @Option(help: "Display name.") var name: String
        @Option(help: "Role key (repeat for several): owner, director, manager, content, copywriter, community, campaign, analyst, designer, tech, channel, pr, reviewer, viewer or a custom role.")
        var role: [String]
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            let configuration = try options.configuration()
            let password = readPassword()
            let logger = makeLogger(configuration)
            let database = try await openDatabase(configuration, logger: logger)
            let team = TeamService(database: database, secrets: try configuration.secretBox(), hasher: PasswordHasher(cost: configuration.bcryptCost))
            do {
                let member: Member
                if try await WorkspaceRepository(database.sql).get() == nil {
                    // A first member added from the CLI also sets up the workspace with defaults.
                    member = try await team.setUp(.init(workspaceName: "MediaOps", timeZone: "Asia/Shanghai", locale: "zh-Hans",
                                                        ownerName: name, ownerEmail: email, password: password))
                    if role != ["owner"] {
                        _ = try await team.updateMember(id: member.id, .init(roles: role), by: .commandLine)
                    }
                } else {
                    member = try await team.createMember(.init(email: email, name: name, roles: role, password: password), by: .commandLine)
                }
                await database.close()
                print("Added \(member.email) (\(member.id)) with roles: \(role.joined(separator: ", ")).")
            } catch let error as MediaOpsDomain.ValidationError {
                await database.close()
                throw ValidationFailure(message: explain(code: error.code, field: error.field, params: error.params))
            } catch let error as ConflictError {
                await database.close()
                throw ValidationFailure(message: explain(code: error.code, field: error.field, params: error.params))
            }
        }

        private func readPassword() -> String? {
            if isatty(STDIN_FILENO) != 0, let entered = getpass("Password: ") { return String(cString: entered) }
            return readLine(strippingNewline: true)
        }
    }
}

/// The catalog's English sentence for an error, as the API would say it.
func explain(code: String, field: String?, params: [String: String]) -> String {
    guard let catalogs = try? Catalogs.bundled() else { return "\(field ?? "input"): \(code)" }
    let localizer = Localizer(locale: .en, catalogs: catalogs)
    return (field.map { "\($0): " } ?? "") + localizer.error(code, field: field, params: params)
}

struct ValidationFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a consistent copy of the SQLite database while MediaOps runs.")
    @Option(help: "File to write; it must not exist yet.") var to: String
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let configuration = try options.configuration()
        switch configuration.database {
        case .postgres:
            throw ValidationFailure(message: "This database is PostgreSQL: back it up with pg_dump (for example: pg_dump --format=custom --file=mediaops.dump \"$MEDIAOPS_DATABASE_URL\").")
        case .sqliteMemory:
            throw ValidationFailure(message: "An in-memory database cannot be backed up.")
        case .sqliteFile(let path):
            guard FileManager.default.fileExists(atPath: path) else { throw ValidationFailure(message: "No database at \(path).") }
            guard !FileManager.default.fileExists(atPath: to) else { throw ValidationFailure(message: "\(to) already exists; choose a new file name.") }
            let logger = makeLogger(configuration)
            let database = try await Database.open(configuration.database, logger: logger)
            // VACUUM INTO writes a transactionally consistent snapshot without stopping writers for long.
            let target = to
            try await database.withConnection { connection in
                try await connection.raw("VACUUM INTO \(bind: target)").run()
            }
            await database.close()
            let size = (try? FileManager.default.attributesOfItem(atPath: to)[.size] as? Int) ?? 0
            print("Backup written to \(to) (\(size) bytes).")
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the demo workspace into an empty database.")
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let configuration = try options.configuration()
        let logger = makeLogger(configuration)
        let database = try await openDatabase(configuration, logger: logger)
        let components = try await buildComponents(configuration: configuration, database: database, logger: logger)
        let outcome = try await DemoWorkspace.load(components: components)
        await database.close()
        switch outcome {
        case .loaded(let members, let accounts):
            print("Demo workspace loaded: \(members) members, \(accounts) accounts. Sign in as \(DemoWorkspace.ownerEmail) with password \(DemoWorkspace.password)")
        case .skippedNotEmpty:
            throw ValidationFailure(message: "The database already has members; the demo is only loaded into an empty database.")
        }
    }
}

/// Writes a line to standard output at once: `print` is block-buffered when
/// piped to a log, and the sign-in hint must show while the server runs.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Checks copy against the Advertising Law rules from the shell, for editors'
/// scripts and CI: exit 1 when anything blocks, 0 when nothing does, 2 on bad usage.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check text for Advertising Law and platform-policy problems.",
        discussion: "Reads FILE, or standard input when FILE is - or omitted. Exit status: 0 no blocking finding, 1 at least one blocking finding, 2 usage or input error. With --database, the workspace word lists are checked too."
    )

    @Option(help: "Platform whose rules apply (wechat_oa, weibo, douyin, xiaohongshu, …).") var platform: String?
    @Option(help: "Also apply this workspace's word lists (SQLite path or postgres:// URL).") var database: String?
    @Flag(help: "Print findings as JSON.") var json = false
    @Argument(help: "File to check; - or nothing for standard input.") var file: String?

    func run() async throws {
        var chosen: Platform?
        if let platform {
            guard let parsed = Platform(rawValue: platform) else {
                FileHandle.standardError.write(Data("Error: unknown platform \(platform); use one of \(Platform.allCases.map(\.rawValue).joined(separator: ", ")).\n".utf8))
                throw ExitCode(2)
            }
            chosen = parsed
        }
        let text: String
        if let file, file != "-" {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("Error: cannot read \(file).\n".utf8))
                throw ExitCode(2)
            }
            guard let decoded = String(data: data, encoding: .utf8) else {
                FileHandle.standardError.write(Data("Error: \(file) is not UTF-8 text.\n".utf8))
                throw ExitCode(2)
            }
            text = decoded
        } else {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            guard let decoded = String(data: data, encoding: .utf8) else {
                FileHandle.standardError.write(Data("Error: standard input is not UTF-8 text.\n".utf8))
                throw ExitCode(2)
            }
            text = decoded
        }
        var lists: [ComplianceWordList] = []
        if let database {
            let configuration = try Configuration.resolve(database: database)
            var logger = makeLogger(configuration)
            logger.logLevel = .error
            let db = try await openDatabase(configuration, logger: logger)
            lists = try await WordListRepository(db.sql).checkerLists()
            await db.close()
        }
        let findings = ComplianceChecker(wordLists: lists).check(text, platform: chosen)
        let summary = ComplianceChecker.summary(findings)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            say(String(decoding: try encoder.encode(findings), as: UTF8.self))
        } else {
            let scalars = Array(text.unicodeScalars)
            for finding in findings {
                let line = scalars[..<min(finding.start, scalars.count)].filter { $0 == "\n" }.count + 1
                let marker = finding.severity == .block ? "BLOCK" : "WARN "
                say("\(marker) \(line):\(finding.start)-\(finding.end) 「\(finding.term)」 \(finding.category.rawValue)\(finding.article.map { " · \($0)" } ?? "")")
                say("      \(finding.suggestionZh)")
            }
            say("\(summary.blocking) blocking, \(summary.warnings) warnings")
        }
        if summary.blocking > 0 { throw ExitCode(1) }
    }
}

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a benchmark and print its figures.", subcommands: [SearchBench.self, PublishBench.self, PagesBench.self, AnalyticsBench.self])

    /// The given database, or a temporary SQLite file; benchmarks seal with a fixed key.
    static func configuration(database: String?) throws -> Configuration {
        var configuration = try Configuration.resolve(database: database ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("mediaops-bench-\(UUID().uuidString).sqlite").path)
        configuration.secretKey = "benchmark"
        return configuration
    }

    /// The configuration of a benchmark that serves the application on loopback: a data folder of its own, cheap bcrypt, notices only.
    static func served(database: String?, port: Int) throws -> (Configuration, Logger) {
        var configuration = try configuration(database: database)
        configuration.host = "127.0.0.1"
        configuration.port = port
        configuration.bcryptCost = 4
        configuration.dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("mediaops-bench-data-\(UUID().uuidString)").path
        var logger = makeLogger(configuration)
        logger.logLevel = .notice
        return (configuration, logger)
    }

    static func removeTemporaryDatabase(_ configuration: Configuration) {
        guard case .sqliteFile(let path) = configuration.database else { return }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    struct PublishBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publish",
            abstract: "Time N targets due in the same instant, published by workers to the imitation platforms on loopback.",
            discussion: "Without --database a temporary SQLite file is used (one worker). With a postgres:// URL the database must be empty."
        )
        @Option(help: "How many publish targets fall due at once.") var targets = 10_000
        @Option(help: "Workers (each with its own connection pool, as separate processes have). SQLite allows 1.") var workers = 1
        @Option(help: "Jobs each worker runs at once.") var concurrency = 32
        @Option(help: "Seconds over which the due times are spread evenly (0: all due in the same instant).") var spread: Double = 0
        @Option(help: "Empty database to fill: SQLite path or postgres:// URL.") var database: String?

        func run() async throws {
            var configuration = try Bench.configuration(database: database)
            guard (0...3_600).contains(spread) else { throw ValidationFailure(message: "--spread must be from 0 to 3600 seconds.") }
            if case .sqliteFile = configuration.database, workers != 1 { throw ValidationFailure(message: "SQLite runs one worker; use --workers 1.") }
            var logger = makeLogger(configuration)
            logger.logLevel = .error
            let result = try await PublishBenchmark(configuration: configuration, targets: targets, workers: workers, concurrency: concurrency,
                                                   spread: spread, logger: logger).run()
            say("database: \(configuration.database.redacted)")
            say(String(format: "baseline: one signed webhook POST to the sandbox, median %.2f ms", result.baselinePostMilliseconds))
            say(String(format: "setup: %d targets scheduled in %.1f s", result.targets, result.setupSeconds))
            say(spread > 0 ? String(format: "due times spread evenly over %.0f s", spread) : "all due in the same instant")
            say(String(format: "%d worker(s) × %d at once: all published %.2f s after the (first) due instant (%.0f targets/s)",
                       result.workers, result.concurrency, result.allPublishedSeconds, Double(result.targets) / max(result.allPublishedSeconds, 0.001)))
            say(String(format: "lateness p50 %.2f s · p90 %.2f s · p99 %.2f s · max %.2f s; published %d, duplicates at the platform %d",
                       result.percentile(0.5), result.percentile(0.9), result.percentile(0.99), result.percentile(1), result.lateness.count, result.duplicates))
            say(String(format: "per target: %.2f ms of worker time = %.1f × the baseline POST",
                       result.allPublishedSeconds * 1_000 * Double(result.workers) / Double(result.targets),
                       result.allPublishedSeconds * 1_000 * Double(result.workers) / Double(result.targets) / max(result.baselinePostMilliseconds, 0.001)))
        }
    }

    struct PagesBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pages",
            abstract: "Time the list pages and list APIs on a generated workspace of N content items, beside /health.",
            discussion: "Without --database a temporary SQLite file is used. With a postgres:// URL the database must be empty (it is migrated and filled)."
        )
        @Option(help: "How many content items to generate.") var items = 100_000
        @Option(help: "Timed requests per page (p50 and p95 are reported).") var runs = 40
        @Option(help: "Connections at once for the requests-per-second figures.") var connections = 8
        @Option(help: "Seconds each requests-per-second figure runs for.") var seconds: Double = 10
        @Option(help: "Loopback port the application listens on while measured.") var port = 18_931
        @Option(help: "Empty database to fill: SQLite path or postgres:// URL.") var database: String?

        func run() async throws {
            let (configuration, logger) = try Bench.served(database: database, port: port)
            let report = try await PagesBenchmark(configuration: configuration, items: items, runs: runs, connections: connections,
                                                  seconds: seconds, logger: logger).run()
            say("database: \(report.database), \(report.items) items, filled in " + String(format: "%.0f s", report.fillSeconds))
            say("| page | p50 ms | p95 ms | × /health p50 | KB |")
            say("|---|---|---|---|---|")
            for page in report.pages {
                say("| `\(page.path.removingPercentEncoding ?? page.path)` | " + String(format: "%.1f | %.1f | %.1f | %.0f |", page.p50, page.p95, page.ratioToHealth, Double(page.bytes) / 1024))
            }
            for figure in report.throughput {
                say("\(figure.path) with \(connections) connections: " + String(format: "%.0f requests/s", figure.requestsPerSecond) + (figure.errors > 0 ? " (\(figure.errors) errors)" : ""))
            }
            if database == nil { Bench.removeTemporaryDatabase(configuration) }
            try? FileManager.default.removeItem(atPath: configuration.dataDirectory)
        }
    }

    struct AnalyticsBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "analytics",
            abstract: "Time the 90-day overview, account pages and a large export-file import on a generated agency workspace.",
            discussion: "Without --database a temporary SQLite file is used. With a postgres:// URL the database must be empty (it is migrated and filled). The import is compared with sqlite3's .import of the same CSV when sqlite3 is installed."
        )
        @Option(help: "Accounts to generate.") var accounts = 500
        @Option(help: "Days of daily metrics per account.") var days = 1_095
        @Option(help: "Posts to generate (each with up to six snapshots).") var posts = 200_000
        @Option(help: "Rows of the export CSV imported.") var importRows = 100_000
        @Option(help: "Timed requests per page (p50 and p95 are reported).") var runs = 40
        @Option(help: "Loopback port the application listens on while measured.") var port = 18_932
        @Option(help: "Empty database to fill: SQLite path or postgres:// URL.") var database: String?

        func run() async throws {
            let (configuration, logger) = try Bench.served(database: database, port: port)
            let report = try await AnalyticsBenchmark(configuration: configuration, accounts: accounts, days: days, posts: posts,
                                                      importRows: importRows, runs: runs, logger: logger).run()
            say("database: \(report.database), \(accounts) accounts × \(days) days (\(report.dailyRows) daily values), \(posts) posts (\(report.snapshotRows) snapshot values), filled in " + String(format: "%.0f s", report.fillSeconds))
            say("| page | p50 ms | p95 ms | × /health p50 |")
            say("|---|---|---|---|")
            for page in report.pages { say("| \(page.name) | " + String(format: "%.1f | %.1f | %.1f |", page.p50, page.p95, page.ratioToHealth)) }
            let rate = Double(report.importRows) / max(report.importSeconds, 0.000_001)
            say("import of \(report.importRows) rows: " + String(format: "%.2f s, %.0f rows/s", report.importSeconds, rate))
            if let sqlite = report.sqliteImportSeconds {
                let baseline = Double(report.importRows) / max(sqlite, 0.000_001)
                say("sqlite3 .import of the same file: " + String(format: "%.2f s, %.0f rows/s; MediaOps at %.2f × sqlite3", sqlite, baseline, rate / baseline))
                if let store = report.sqliteStoreSeconds {
                    say("sqlite3 writing the same file into MediaOps' post and snapshot tables (their indexes, no checks): " + String(format: "%.2f s, %.0f rows/s, %.2f × its plain .import; MediaOps at %.2f × this", store, Double(report.importRows) / max(store, 0.000_001), sqlite / max(store, 0.000_001), store / max(report.importSeconds, 0.000_001)))
                }
            } else {
                say("sqlite3 is not installed: no baseline for the import")
            }
            say("alert rules: \(report.alertRules) daily rules over \(accounts) accounts judged in " + String(format: "%.2f s (median); ", report.alertEvaluationSeconds)
                + String(format: "reading the same values alone %.2f s; %.2f × the read; %d alerts raised on the first run", report.alertReadSeconds,
                         report.alertEvaluationSeconds / max(report.alertReadSeconds, 0.000_001), report.alertsRaised))
            if database == nil { Bench.removeTemporaryDatabase(configuration) }
            try? FileManager.default.removeItem(atPath: configuration.dataDirectory)
        }
    }

    struct SearchBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Time content search on a generated library of Chinese posts.",
            discussion: "Without --database a temporary SQLite file is used. With a postgres:// URL the database must be empty (it is migrated and filled)."
        )
        @Option(help: "How many content items to generate.") var items = 100_000
        @Option(help: "Timed runs per query (medians are reported).") var runs = 21
        @Option(help: "Empty database to fill: SQLite path or postgres:// URL.") var database: String?

        func run() async throws {
            var configuration = try Bench.configuration(database: database)
            var logger = makeLogger(configuration)
            logger.logLevel = .notice
            let db = try await openDatabase(configuration, logger: logger)
            guard try await db.sql.raw("SELECT COUNT(*) AS n FROM content_items").first()?.decode(column: "n", as: Int.self) == 0 else {
                await db.close()
                throw ValidationFailure(message: "The benchmark database must be empty.")
            }
            let bench = SearchBenchmark(database: db, items: items, runs: runs)
            let fillStart = ContinuousClock.now
            try await bench.fill(logger: logger)
            say("filled \(items) items on \(db.kind.rawValue) in \(ContinuousClock.now - fillStart)")
            let (lookup, results) = try await bench.measure()
            say(String(format: "baseline: primary-key lookup median %.3f ms", lookup))
            say("| query | kind | hits | median ms | p90 ms | × lookup |")
            say("|---|---|---|---|---|---|")
            for result in results {
                say("| \(result.query) | \(result.kind) | \(result.hits) | " + String(format: "%.2f | %.2f | %.0f |", result.medianMilliseconds,
                                                                                          result.p90Milliseconds, result.ratioToLookup))
            }
            await db.close()
            if database == nil { Bench.removeTemporaryDatabase(configuration) }
        }
    }
}

/// Imports a back-office export file into one account's numbers: exit 0
/// imported, 1 row errors (nothing written), 2 an unreadable file or bad usage.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a back-office export file (CSV or XLSX) into an account's metrics.",
        discussion: "The layout is recognised from the file's headers (\(ExportLayout.allCases.map(\.rawValue).joined(separator: ", "))), or named with --format. Exit status: 0 imported (or, with --dry-run, importable), 1 row errors and nothing written, 2 unreadable file or usage error."
    )

    @Argument(help: "The export file (.csv or .xlsx).") var file: String
    @Option(help: "The account: its id (acc_…) or its handle.") var account: String
    @Option(help: "The layout, when the headers do not tell it.") var format: String?
    @Option(help: "The sheet of a workbook to read (default: the first one with a known layout).") var sheet: String?
    @Flag(help: "Check the file and show what would be imported; write nothing.") var dryRun = false
    @Flag(help: "Print the result as JSON.") var json = false
    @OptionGroup var options: DatabaseOptions

    func fail(_ message: String, code: Int32 = 2) -> ExitCode {
        FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
        return ExitCode(code)
    }

    func run() async throws {
        var layout: ExportLayout?
        if let format {
            guard let parsed = ExportLayout(rawValue: format) else {
                throw fail("unknown format \(format); use one of \(ExportLayout.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            layout = parsed
        }
        guard let data = FileManager.default.contents(atPath: file) else { throw fail("cannot read \(file).") }
        let configuration = try options.configuration()
        var logger = makeLogger(configuration)
        logger.logLevel = .error
        let database = try await openDatabase(configuration, logger: logger)
        do {
            try await importFile(data: data, layout: layout, database: database)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    func importFile(data: Data, layout: ExportLayout?, database: Database) async throws {
        let accounts = AccountRepository(database.sql)
        let target: Account
        if let found = try await accounts.find(id: account) {
            target = found
        } else {
            let matches = try await accounts.find(handle: account)
            guard let first = matches.first else { throw fail("no account has the id or handle \(account).") }
            guard matches.count == 1 else {
                throw fail("several accounts have the handle \(account) (\(matches.map(\.id).joined(separator: ", "))); name one by its id.")
            }
            target = first
        }
        let imports = ImportService(database: database, inlineRowLimit: .max)
        let filename = URL(fileURLWithPath: file).lastPathComponent
        let preview: ImportPreview
        do {
            if dryRun {
                let reading = try await imports.read(data, sheet: sheet, layout: layout)
                let record = MetricImport(id: "dry-run", accountID: target.id, filename: filename, contentSHA256: "", byteSize: data.count,
                                          fileFormat: reading.file.format.key, sheet: reading.file.sheets[reading.sheetIndex].name, layout: reading.layout,
                                          headerRow: reading.headerRow, columns: reading.columns, state: .previewed, rowCount: 0, errorCount: 0,
                                          dataAsOf: Date(), createdBy: nil, createdAt: Date())
                preview = imports.preview(of: reading, record: record, earlier: nil)
            } else {
                let principal = Principal(memberID: nil, name: "mediaops import", roleKeys: ["owner"], permissions: Set(Permission.allCases))
                preview = try await imports.upload(principal, accountID: target.id, filename: filename, data: data, sheet: sheet, layout: layout)
            }
        } catch let error as MediaOpsDomain.ValidationError {
            throw fail(explain(code: error.code, field: error.field, params: error.params))
        }
        report(preview, account: target)
        if let problem = preview.mappingProblem {
            throw fail("the columns of this file are not recognised (\(explain(code: problem.rawValue, field: nil, params: [:]))). Import it once in the web page to map its columns, or name its layout with --format.")
        }
        guard let rows = preview.rows, rows.errors.isEmpty else { throw ExitCode(1) }
        if dryRun { return }
        let principal = Principal(memberID: nil, name: "mediaops import", roleKeys: ["owner"], permissions: Set(Permission.allCases))
        do {
            let done = try await imports.commit(principal, id: preview.record.id)
            if json {
                printJSON(["import_id": done.id, "state": done.state.rawValue, "rows": done.rowCount, "values_inserted": done.summary.inserted,
                           "values_changed": done.summary.changed, "values_unchanged": done.summary.unchanged,
                           "posts_created": done.postsCreated, "posts_matched": done.postsMatched])
            } else {
                say("Imported \(done.rowCount) rows into \(target.name): \(done.summary.inserted) values new, \(done.summary.changed) changed, \(done.summary.unchanged) unchanged; \(done.postsCreated) posts new, \(done.postsMatched) matched.")
            }
        } catch let error as MediaOpsDomain.ValidationError {
            throw fail(explain(code: error.code, field: nil, params: error.params), code: error.code == ImportService.Problem.hasRowErrors.rawValue ? 1 : 2)
        }
    }

    func report(_ preview: ImportPreview, account: Account) {
        let errors = preview.rows?.errors ?? []
        if json {
            var object: [String: Any] = [
                "account_id": account.id, "format": preview.record.fileFormat, "layout": preview.record.layout?.rawValue ?? NSNull(),
                "sheet": preview.record.sheet, "header_row": preview.record.headerRow + 1, "rows": preview.rows?.rowCount ?? 0,
                "kind": preview.rows?.kind.rawValue ?? NSNull(), "dry_run": dryRun,
                "errors": errors.map { ["row": $0.row, "column": $0.column ?? NSNull(), "value": $0.value, "code": $0.problem.rawValue,
                                        "message": explain(code: $0.problem.rawValue, field: nil, params: ["field": $0.column ?? "", "value": $0.value])] as [String: Any] },
                "notes": (preview.rows?.notes ?? []).map { ["row": $0.row, "column": $0.column ?? NSNull(), "value": $0.value, "code": $0.kind.rawValue] as [String: Any] },
            ]
            if let problem = preview.mappingProblem { object["mapping_problem"] = problem.rawValue }
            if dryRun || !errors.isEmpty || preview.mappingProblem != nil { printJSON(object) }
            return
        }
        let layout = preview.record.layout.map { "\($0.rawValue)" } ?? "unknown layout"
        say("\(preview.record.filename): \(preview.record.fileFormat), \(layout), header on row \(preview.record.headerRow + 1)\(preview.record.sheet.isEmpty ? "" : ", sheet \(preview.record.sheet)").")
        if let rows = preview.rows {
            say("\(rows.rowCount) rows (\(rows.kind == .daily ? "days" : "posts")), \(errors.count) errors.")
        }
        for error in errors.prefix(200) {
            say("  row \(error.row): " + explain(code: error.problem.rawValue, field: nil, params: ["field": error.column ?? "", "value": error.value]))
        }
        if errors.count > 200 { say("  … and \(errors.count - 200) more.") }
        if !errors.isEmpty { say("Nothing was imported.") }
    }

    func printJSON(_ object: [String: Any]) {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        say(String(decoding: data, as: UTF8.self))
    }
}
