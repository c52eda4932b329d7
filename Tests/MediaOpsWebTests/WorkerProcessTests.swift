import Foundation
import Logging
import MediaOpsApp
import MediaOpsDomain
import MediaOpsSandbox
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

/// The real `mediaops worker` binary, killed with SIGKILL in the middle of
/// publishing and started again: no target is lost and none reaches the
/// platform twice (asserted on the imitation platform's record).
@Suite("Worker processes", .serialized)
struct WorkerProcessTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var binary: URL? {
        for configuration in ["debug", "release"] {
            let url = packageRoot.appendingPathComponent(".build/\(configuration)/mediaops")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    /// A database the child process can open too: a SQLite file or a fresh PostgreSQL database.
    static func withSharedDatabase(_ kind: TestDatabase, _ body: @Sendable (Database, String) async throws -> Void) async throws {
        switch kind {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("worker-\(UUID().uuidString).sqlite").path
            let database = try await Database.open(.sqliteFile(path: path), logger: TestDatabase.logger)
            try await Migrations.run(on: database, logger: TestDatabase.logger)
            do { try await body(database, path) } catch { await database.close(); throw error }
            await database.close()
            try? FileManager.default.removeItem(atPath: path)
        case .postgresql:
            guard let admin = TestDatabase.postgresURL else { return }
            let name = "mediaops_worker_\(UUID().uuidString.prefix(8).lowercased())"
            let adminDB = try await Database.open(.postgres(url: admin), logger: TestDatabase.logger)
            try await adminDB.sql.raw(SQLQueryString("CREATE DATABASE " + name)).run()
            var components = URLComponents(string: admin)!
            components.path = "/\(name)"
            let url = components.string!
            let database = try await Database.open(.postgres(url: url), logger: TestDatabase.logger)
            try await Migrations.run(on: database, logger: TestDatabase.logger)
            do { try await body(database, url) } catch {
                await database.close()
                try? await adminDB.sql.raw(SQLQueryString("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")).run()
                await adminDB.close()
                throw error
            }
            await database.close()
            try? await adminDB.sql.raw(SQLQueryString("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")).run()
            await adminDB.close()
        }
    }

    static func startWorker(database: String, sandbox: String, name: String) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["worker", "--database", database, "--name", name]
        var environment = ProcessInfo.processInfo.environment
        environment["MEDIAOPS_SECRET_KEY"] = "worker process test key"
        environment["MEDIAOPS_MASTODON_API_BASE"] = sandbox
        environment["MEDIAOPS_JOB_LEASE"] = "4"
        environment["MEDIAOPS_PUBLISH_TIMEOUT"] = "10"
        environment["MEDIAOPS_WORKER_CONCURRENCY"] = "8"
        environment["MEDIAOPS_LOG_LEVEL"] = "error"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test("kill -9 during publishing, then restart: every target published exactly once", arguments: TestDatabase.available)
    func killNine(db: TestDatabase) async throws {
        guard Self.binary != nil else {
            // CI builds the binary first (.ci/run); locally, `swift build` does.
            #expect(ProcessInfo.processInfo.environment["CI"] != "true", "the mediaops binary was not built before the tests")
            return
        }
        try await Self.withSharedDatabase(db) { database, location in
            let sandbox = try await SandboxServer().start()
            defer { sandbox.stop() }
            let team = TeamService(database: database, secrets: SecretBox(keyMaterial: "worker process test key"), hasher: PasswordHasher(cost: 4))
            let member = try await team.setUp(.init(workspaceName: "测试", timeZone: "Asia/Shanghai", locale: "zh-Hans",
                                                    ownerName: "林晓", ownerEmail: "owner@example.com", password: "correct horse"))
            let owner = Principal(memberID: member.id, name: member.name, roleKeys: member.roleKeys, permissions: Set(Permission.allCases))
            var accounts: [String] = []
            for index in 0..<10 {
                accounts.append(try await team.createAccount(.init(platform: "mastodon", name: "M\(index)", handle: "m\(index)",
                                                                   fields: ["instance_url": "https://example.social"],
                                                                   credentials: ["access_token": "token-\(index)"]), by: owner).id)
            }
            let content = ContentService(database: database)
            let publishing = PublishingService(database: database)
            var targets: [String] = []
            for index in 0..<4 {
                let item = try await content.create(.init(title: "稿件\(index)", body: "<p>第\(index)篇</p>"), by: owner)
                _ = try await content.review(id: item.id, action: .submit, comment: nil, expectedVersion: nil, by: owner)
                _ = try await content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: owner)
                targets += try await publishing.schedule(contentID: item.id, accountIDs: accounts, at: Date(), by: owner).map(\.id)
            }
            // Every post is accepted at once but answered only after 3 s: the kill lands between the two.
            for _ in 0..<40 { await sandbox.state.add(Scenario(platform: "mastodon", kind: .slowAfterAccept, seconds: 3, call: "statuses")) }

            let first = try Self.startWorker(database: location, sandbox: sandbox.url, name: "first")
            let deadline = Date().addingTimeInterval(60)
            while await sandbox.state.posts(platform: "mastodon").count < 4, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            #expect(first.terminationReason == .uncaughtSignal)
            let inFlight = try await database.sql.raw("SELECT COUNT(*) AS n FROM publish_targets WHERE state = 'publishing'").first()?.decode(column: "n", as: Int.self) ?? 0
            #expect(inFlight > 0, "the kill should land mid-publish")
            if database.kind == .sqlite {
                // As after the dead worker's 30-second queue lease has run out.
                try await database.sql.raw("DELETE FROM worker_leases").run()
            }

            let second = try Self.startWorker(database: location, sandbox: sandbox.url, name: "second")
            defer { if second.isRunning { second.terminate() } }
            while Date() < deadline.addingTimeInterval(60) {
                let open = try await database.sql.raw("""
                    SELECT COUNT(*) AS n FROM publish_targets WHERE state NOT IN ('published', 'failed', 'cancelled')
                    """).first()?.decode(column: "n", as: Int.self) ?? 0
                if open == 0 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            second.terminate()
            second.waitUntilExit()
            let states = try await database.sql.raw("SELECT state, COUNT(*) AS n FROM publish_targets GROUP BY state").all()
                .map { (try $0.decode(column: "state", as: String.self), try $0.decode(column: "n", as: Int.self)) }
            #expect(states.count == 1 && states.first?.0 == "published" && states.first?.1 == targets.count, "\(states)")
            let posts = await sandbox.state.posts(platform: "mastodon")
            #expect(posts.count == targets.count)
            #expect(Set(posts.compactMap(\.idempotencyKey)) == Set(targets))
        }
    }
}
