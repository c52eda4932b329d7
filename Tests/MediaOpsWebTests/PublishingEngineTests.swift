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


/// The publishing engine end to end: the worker claims due jobs and publishes
/// through the real connectors to the imitation platforms on loopback.
@Suite("Publishing engine", .serialized)
struct PublishingEngineTests {
    typealias Bench = EngineBench

    @Test("due targets are published once on each platform, with a redacted attempt log", arguments: TestDatabase.available)
    func publishes(db: TestDatabase) async throws {
        try await db.with { database in
            let bench = try await Bench.make(database)
            defer { bench.sandbox.stop() }
            let accounts = [try await bench.mastodon(), try await bench.telegram(), try await bench.webhook("官网", path: "/_sandbox/webhook/site")]
            let item = try await bench.approvedItem("新品上市")
            let targets = try await bench.publishing.schedule(contentID: item.id, accountIDs: accounts.map(\.id), at: Date(), by: bench.owner)
            try await bench.drain(bench.worker())
            for target in targets {
                let detail = try #require(try await bench.publishing.detail(id: target.id))
                #expect(detail.target.state == .published, "\(target.platform): \(detail.target.failureReason ?? "")")
                #expect(detail.target.externalID?.isEmpty == false)
                let attempts = try await bench.publishing.attempts(targetID: target.id)
                #expect(attempts.count == 1)
                #expect(attempts.first?.outcome == "published")
                for secret in ["engine-mastodon-token", "700100:engine-test-bot", "engine-signing-secret"] {
                    #expect(!attempts.contains { $0.exchanges.contains(secret) })
                }
            }
            for platform in ["mastodon", "telegram", "webhook"] {
                #expect(await bench.sandbox.state.posts(platform: platform).count == 1, "\(platform)")
            }
            #expect(try await ContentRepository(database.sql).find(id: item.id)?.state == .published)
            #expect(try await bench.publishing.summary(contentID: item.id) == .published)
            // Running again finds nothing to do: nothing is published twice.
            #expect(try await bench.worker().runOnce(now: Date().addingTimeInterval(3_600)) == 0)
        }
    }

    @Test("a timeout after sending goes unconfirmed and is reconciled without a second post", arguments: TestDatabase.available)
    func unconfirmedIsReconciled(db: TestDatabase) async throws {
        try await db.with { database in
            let bench = try await Bench.make(database, timeout: 3)
            defer { bench.sandbox.stop() }
            let mastodon = try await bench.mastodon()
            let item = try await bench.approvedItem("限时活动")
            let target = try await bench.publishing.schedule(contentID: item.id, accountIDs: [mastodon.id], at: Date(), by: bench.owner)[0]
            await bench.sandbox.state.add(Scenario(platform: "mastodon", kind: .slowAfterAccept, seconds: 5, call: "statuses"))
            let worker = bench.worker()
            try await worker.runOnce()
            #expect(try await bench.state(target.id) == .unconfirmed)
            // The platform recorded the post even though the answer never came.
            #expect(await bench.sandbox.state.posts(platform: "mastodon").count == 1)
            try await Task.sleep(for: .seconds(2.5))
            try await bench.drain(worker, now: Date().addingTimeInterval(60))
            let detail = try #require(try await bench.publishing.detail(id: target.id))
            #expect(detail.target.state == .published)
            #expect(await bench.sandbox.state.posts(platform: "mastodon").count == 1)
            let kinds = try await bench.publishing.attempts(targetID: target.id).map(\.kind)
            #expect(kinds.first == .publish)
            #expect(kinds.contains(.reconcile))
            #expect(kinds.contains(.resend))
        }
    }

    @Test("rate limits are retried after the wait; permanent refusals fail with a reason and notify", arguments: TestDatabase.available)
    func retriesAndFailures(db: TestDatabase) async throws {
        try await db.with { database in
            let bench = try await Bench.make(database)
            defer { bench.sandbox.stop() }
            let telegram = try await bench.telegram()
            let missing = try await bench.telegram("旧频道", chat: "@missing")
            try await database.sql.raw("""
                INSERT INTO notification_channels (id, name, kind, url, events, active, created_at, updated_at)
                VALUES ('chn_test', '运营群', 'wecom', \(bind: bench.sandbox.url + "/cgi-bin/webhook/send?key=k"), 'target.failed', \(bind: true), 0, 0)
                """).run()
            let item = try await bench.approvedItem("周末直播预告")
            let targets = try await bench.publishing.schedule(contentID: item.id, accountIDs: [telegram.id, missing.id], at: Date(), by: bench.owner)
            let ok = try #require(targets.first { $0.accountID == telegram.id })
            let bad = try #require(targets.first { $0.accountID == missing.id })
            await bench.sandbox.state.add(Scenario(platform: "telegram", kind: .rateLimit, seconds: 5))
            let worker = bench.worker(concurrency: 1)
            try await worker.runOnce()
            try await worker.runOnce()
            // Whichever went first met the rate limit and waits for its retry, not yet failed.
            let waiting = try await [ok.id, bad.id].asyncMap { try await bench.publishing.detail(id: $0) }
            #expect(waiting.contains { $0?.target.state == .scheduled && $0?.target.failureReason?.hasPrefix("rate_limited") == true })
            try await bench.drain(worker, now: Date().addingTimeInterval(600))
            #expect(try await bench.state(ok.id) == .published)
            let failed = try #require(try await bench.publishing.detail(id: bad.id))
            #expect(failed.target.state == .failed)
            #expect(failed.target.failureReason?.contains("chat not found") == true)
            #expect(try await bench.publishing.summary(contentID: item.id) == .partiallyPublished)
            // The failure reached the owner's notifications and the routed robot.
            let notes = try await NotificationRepository(database.sql).list(userID: try #require(bench.owner.memberID))
            #expect(notes.contains { $0.kind == "publish_failed" })
            let robot = await bench.sandbox.state.posts(platform: "wecom")
            #expect(robot.count == 1)
            #expect(robot.first?.text.contains("周末直播预告") == true)
        }
    }

    @Test("a worker killed mid-publish: the target is reconciled, never lost or posted twice", arguments: TestDatabase.available)
    func crashRecovery(db: TestDatabase) async throws {
        try await db.with { database in
            let bench = try await Bench.make(database)
            defer { bench.sandbox.stop() }
            let mastodon = try await bench.mastodon()
            let telegram = try await bench.telegram()
            let item = try await bench.approvedItem("会员日")
            let targets = try await bench.publishing.schedule(contentID: item.id, accountIDs: [mastodon.id, telegram.id], at: Date(), by: bench.owner)
            // A worker claims both jobs and writes its attempts, then dies before any answer is recorded.
            let queue = JobQueue(database: database)
            let claimed = try await queue.claim(owner: "dead-worker", limit: 10, lease: 5)
            #expect(claimed.count == 2)
            for job in claimed { _ = try await bench.publishing.begin(targetID: job.payload, worker: "dead-worker") }
            // The Mastodon post did reach the platform before the crash.
            let mastodonTarget = try #require(targets.first { $0.platform == .mastodon })
            let ctx = ConnectorContext(http: HTTPTransport(timeout: 2, policy: OutboundPolicy(allowPrivate: true)), tokens: MemoryTokenCache(),
                                       endpoints: .all(bench.sandbox.url), log: ExchangeLog())
            let payload = PublishPayload(targetID: mastodonTarget.id, title: "会员日", text: "会员日：冬日限定回归，门店同步上新。", html: "", summary: "", cover: nil,
                                         account: ConnectorAccount(id: mastodon.id, platform: .mastodon, name: "M", handle: "m", fields: [:],
                                                                   secrets: ["access_token": "engine-mastodon-token"]))
            _ = await MastodonConnector().publish(payload, context: ctx)
            // After the lease runs out another worker takes over.
            try await bench.drain(bench.worker("second-worker"), now: Date().addingTimeInterval(10))
            try await bench.drain(bench.worker("second-worker"), now: Date().addingTimeInterval(120))
            #expect(try await bench.state(mastodonTarget.id) == .published)
            #expect(await bench.sandbox.state.posts(platform: "mastodon").count == 1)
            // Telegram cannot be asked: the target waits for a person instead of being sent again.
            let telegramTarget = try #require(targets.first { $0.platform == .telegram })
            let detail = try #require(try await bench.publishing.detail(id: telegramTarget.id))
            #expect(detail.target.state == .unconfirmed)
            #expect(detail.target.failureReason?.hasPrefix("needs_human") == true)
            #expect(await bench.sandbox.state.posts(platform: "telegram").isEmpty)
            // The person checks the channel and says it did not go out: it is published again, once.
            _ = try await bench.publishing.confirm(targetID: telegramTarget.id, published: false, url: nil, retryAt: nil, by: bench.owner)
            try await bench.drain(bench.worker("second-worker"), now: Date().addingTimeInterval(130))
            #expect(try await bench.state(telegramTarget.id) == .published)
            #expect(await bench.sandbox.state.posts(platform: "telegram").count == 1)
        }
    }

    @Test("assisted platforms hand the post to its owner, who marks it published with the link", arguments: TestDatabase.available)
    func assisted(db: TestDatabase) async throws {
        try await db.with { database in
            let bench = try await Bench.make(database)
            defer { bench.sandbox.stop() }
            let xhs = try await bench.account("xiaohongshu", "小红书")
            let item = try await bench.approvedItem("秋冬养生茶")
            let target = try await bench.publishing.schedule(contentID: item.id, accountIDs: [xhs.id], at: Date(), by: bench.owner)[0]
            try await bench.drain(bench.worker())
            let detail = try #require(try await bench.publishing.detail(id: target.id))
            #expect(detail.target.state == .publishing)
            #expect(detail.mode == .assisted)
            await #expect(throws: ValidationError(field: "url", code: "invalid_url")) {
                _ = try await bench.publishing.confirm(targetID: target.id, published: true, url: "not a link", retryAt: nil, by: bench.owner)
            }
            let done = try await bench.publishing.confirm(targetID: target.id, published: true, url: "https://www.xiaohongshu.com/explore/abc", retryAt: nil, by: bench.owner)
            #expect(done.state == .published)
            #expect(done.externalURL == "https://www.xiaohongshu.com/explore/abc")
        }
    }

    @Test("a freeze holds due posts until resumed; a second SQLite worker refuses the queue", arguments: TestDatabase.available)
    func freeze(db: TestDatabase) async throws {
        try await db.with { database in
            let bench = try await Bench.make(database)
            defer { bench.sandbox.stop() }
            let telegram = try await bench.telegram()
            let item = try await bench.approvedItem("停发测试")
            _ = try await bench.publishing.freeze(reason: "舆情处置中", by: bench.owner)
            let target = try await bench.publishing.schedule(contentID: item.id, accountIDs: [telegram.id], at: Date(), by: bench.owner)[0]
            let worker = bench.worker()
            #expect(try await worker.runOnce() == 0)
            #expect(try await bench.publishing.waitingCount() == 1)
            let later = Date().addingTimeInterval(3_600)
            #expect(try await bench.publishing.resume(.reschedule(at: later), by: bench.owner) == 1)
            #expect(try await bench.publishing.detail(id: target.id)?.target.dueAt.timeIntervalSince(later).magnitude ?? 99 < 1)
            #expect(try await worker.runOnce() == 0)
            try await bench.drain(worker, now: later.addingTimeInterval(1))
            #expect(try await bench.state(target.id) == .published)
            if database.kind == .sqlite {
                try await worker.acquireQueue()
                await #expect(throws: JobWorker.StartError.self) { try await bench.worker("another").acquireQueue() }
            }
        }
    }

    @Test("two workers on PostgreSQL publish 2,000 due targets exactly once each")
    func twoWorkersTwoThousand() async throws {
        guard TestDatabase.available.contains(.postgresql) else { return }
        try await TestDatabase.postgresql.with { database in
            let bench = try await Bench.make(database, timeout: 10)
            defer { bench.sandbox.stop() }
            var accounts: [Account] = []
            for index in 0..<40 { accounts.append(try await bench.webhook("站点\(index)", path: "/_sandbox/webhook/site-\(index)")) }
            for index in 0..<50 {
                let item = try await bench.approvedItem("批量\(index)")
                _ = try await bench.publishing.schedule(contentID: item.id, accountIDs: accounts.map(\.id), at: Date(), by: bench.owner)
            }
            let first = bench.worker("pg-worker-1", concurrency: 32)
            let second = bench.worker("pg-worker-2", concurrency: 32)
            async let a: Void = bench.drain(first, rounds: 200)
            async let b: Void = bench.drain(second, rounds: 200)
            _ = try await (a, b)
            let published = try await database.sql.raw("SELECT COUNT(*) AS n FROM publish_targets WHERE state = 'published'").first()?.decode(column: "n", as: Int.self)
            #expect(published == 2_000)
            let posts = await bench.sandbox.state.posts(platform: "webhook")
            #expect(posts.count == 2_000)
            #expect(Set(posts.compactMap(\.idempotencyKey)).count == 2_000)
            let attempts = try await database.sql.raw("SELECT COUNT(*) AS n FROM publish_attempts").first()?.decode(column: "n", as: Int.self)
            #expect(attempts == 2_000)
            let workers = try await database.sql.raw("SELECT COUNT(DISTINCT worker) AS n FROM publish_attempts").first()?.decode(column: "n", as: Int.self)
            #expect(workers == 2)
        }
    }
}
