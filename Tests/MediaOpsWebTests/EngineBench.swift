import Foundation
import Logging
import MediaOpsApp
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsSandbox
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}

/// Shared by the engine and review-integrity suites: a workspace with approved content and sandbox-connected accounts.
struct EngineBench {
    let database: Database
    let team: TeamService
    let owner: Principal
    let sandbox: RunningSandbox
    let engine: PublishingEngine
    let publishing: PublishingService

    static let secrets = SecretBox(keyMaterial: "engine test key")

    static func make(_ database: Database, timeout: TimeInterval = 2) async throws -> EngineBench {
        let team = TeamService(database: database, secrets: secrets, hasher: PasswordHasher(cost: 4))
        let member = try await team.setUp(.init(workspaceName: "测试工作区", timeZone: "Asia/Shanghai", locale: "zh-Hans",
                                                ownerName: "林晓", ownerEmail: "owner@example.com", password: "correct horse"))
        let owner = Principal(memberID: member.id, name: member.name, roleKeys: member.roleKeys, permissions: Set(Permission.allCases))
        let sandbox = try await SandboxServer().start()
        let storage = try LocalAssetStorage(directory: FileManager.default.temporaryDirectory.appendingPathComponent("engine-assets-\(UUID().uuidString)"))
        let engine = PublishingEngine(database: database, connectors: .standard,
                                      http: HTTPTransport(timeout: timeout, policy: OutboundPolicy(allowPrivate: false, trustedBases: [sandbox.url])),
                                      endpoints: .all(sandbox.url), secrets: secrets,
                                      assets: AssetService(database: database, storage: storage, maxBytes: 1 << 20), logger: Logger(label: "test"))
        return EngineBench(database: database, team: team, owner: owner, sandbox: sandbox, engine: engine, publishing: PublishingService(database: database))
    }

    func account(_ platform: String, _ name: String, fields: [String: String] = [:], credentials: [String: String] = [:]) async throws -> Account {
        try await team.createAccount(.init(platform: platform, name: name, handle: name.lowercased(), fields: fields, credentials: credentials), by: owner)
    }

    func mastodon(_ name: String = "Mastodon") async throws -> Account {
        try await account("mastodon", name, fields: ["instance_url": "https://example.social"], credentials: ["access_token": "engine-mastodon-token"])
    }

    func telegram(_ name: String = "TG", chat: String = "@newsroom") async throws -> Account {
        try await account("telegram", name, fields: ["chat_id": chat], credentials: ["bot_token": "700100:engine-test-bot"])
    }

    func webhook(_ name: String, path: String) async throws -> Account {
        try await account("webhook", name, fields: ["url": sandbox.url + path], credentials: ["signing_secret": "engine-signing-secret"])
    }

    func approvedItem(_ title: String) async throws -> ContentItem {
        let content = ContentService(database: database)
        let item = try await content.create(.init(title: title, body: "<p>\(title)：冬日限定回归，门店同步上新。</p>"), by: owner)
        _ = try await content.review(id: item.id, action: .submit, comment: nil, expectedVersion: nil, by: owner)
        return try await content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: owner)
    }

    func worker(_ name: String = "test-worker", concurrency: Int = 16) -> JobWorker {
        JobWorker(database: database, handlers: engine.handlers + [NotificationJobHandler(database: database, secrets: EngineBench.secrets, http: engine.http)], options: .init(name: name, concurrency: concurrency, lease: 30), logger: Logger(label: "test"))
    }

    /// Runs batches until nothing is due at `now`.
    func drain(_ worker: JobWorker, now: Date = Date(), rounds: Int = 20) async throws {
        for _ in 0..<rounds where try await worker.runOnce(now: now) > 0 {}
    }

    func state(_ id: String) async throws -> TargetState? { try await publishing.detail(id: id)?.target.state }
}
