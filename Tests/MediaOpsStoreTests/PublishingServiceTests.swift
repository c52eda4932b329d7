import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import Testing

@Suite("Scheduling publish targets")
struct PublishingServiceTests {
    @Test("approved content is scheduled once per account, with one durable job each", arguments: TestDatabase.available)
    func schedule(db: TestDatabase) async throws {
        try await db.with { database in
            let team = StoreFixtures.service(database)
            let (_, owner) = try await StoreFixtures.setUp(team)
            let weibo = try await team.createAccount(.init(platform: "weibo", name: "微博", handle: "wb"), by: owner)
            let mastodon = try await team.createAccount(.init(platform: "mastodon", name: "Mastodon", handle: "m", fields: ["instance_url": "https://example.social"]), by: owner)
            let content = ContentService(database: database)
            let item = try await content.create(.init(title: "新品上市", body: "<p>冬日限定回归。</p>"), by: owner)
            let publishing = PublishingService(database: database)
            let due = Date().addingTimeInterval(3_600)
            await #expect(throws: ConflictError(code: "not_approved", field: "content_id", params: ["state": "draft"])) {
                _ = try await publishing.schedule(contentID: item.id, accountIDs: [weibo.id], at: due, by: owner)
            }
            _ = try await content.review(id: item.id, action: .submit, comment: nil, expectedVersion: nil, by: owner)
            _ = try await content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: owner)
            let targets = try await publishing.schedule(contentID: item.id, accountIDs: [weibo.id, mastodon.id, weibo.id], at: due, by: owner)
            #expect(targets.count == 2)
            #expect(Set(targets.map(\.platform)) == [.weibo, .mastodon])
            #expect(try await ContentRepository(database.sql).find(id: item.id)?.state == .scheduled)
            #expect(try await JobQueue(database: database).count(state: .queued) == 2)
            #expect(try await publishing.summary(contentID: item.id) == .scheduled)
            await #expect(throws: ConflictError(code: "already_scheduled", field: "account_ids", params: ["account": "微博"])) {
                _ = try await publishing.schedule(contentID: item.id, accountIDs: [weibo.id], at: due, by: owner)
            }
            // Not due yet: no worker can claim them.
            #expect(try await JobQueue(database: database).claim(owner: "w", limit: 10, lease: 30).isEmpty)
        }
    }

    @Test("a scheduled target can be moved or cancelled until it starts", arguments: TestDatabase.available)
    func rescheduleAndCancel(db: TestDatabase) async throws {
        try await db.with { database in
            let team = StoreFixtures.service(database)
            let (_, owner) = try await StoreFixtures.setUp(team)
            let weibo = try await team.createAccount(.init(platform: "weibo", name: "微博", handle: "wb"), by: owner)
            let telegram = try await team.createAccount(.init(platform: "telegram", name: "TG", handle: "tg", fields: ["chat_id": "@newsroom"]), by: owner)
            let content = ContentService(database: database)
            let item = try await content.create(.init(title: "公告"), by: owner)
            _ = try await content.review(id: item.id, action: .submit, comment: nil, expectedVersion: nil, by: owner)
            _ = try await content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: owner)
            let publishing = PublishingService(database: database)
            let now = Date()
            let targets = try await publishing.schedule(contentID: item.id, accountIDs: [weibo.id, telegram.id], at: now.addingTimeInterval(3_600), by: owner)
            let moved = try await publishing.reschedule(targetID: targets[0].id, to: now.addingTimeInterval(-1), by: owner)
            #expect(moved.dueAt.timeIntervalSince(now) < 0)
            let queue = JobQueue(database: database)
            let claimed = try await queue.claim(owner: "worker", limit: 10, lease: 30)
            #expect(claimed.map(\.payload) == [targets[0].id])
            // Once a worker holds it, the target can no longer be moved.
            await #expect(throws: ConflictError.self) { _ = try await publishing.reschedule(targetID: targets[0].id, to: now, by: owner) }
            let cancelled = try await publishing.cancel(targetID: targets[1].id, by: owner)
            #expect(cancelled.state == .cancelled)
            #expect(try await queue.count(state: .dead) == 1)
            #expect(try await ContentRepository(database.sql).find(id: item.id)?.state == .scheduled)  // one target still live
        }
    }
}
