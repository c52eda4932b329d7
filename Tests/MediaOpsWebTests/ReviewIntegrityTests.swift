import Foundation
import MediaOpsApp
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

/// What is published is what was approved, and "when it goes out" is one time.
@Suite("Review and scheduling integrity", .serialized)
struct ReviewIntegrityTests {
    typealias Bench = EngineBench

    @Test("an edit to a scheduled item sends it back to review; its post waits, then goes out with the newly approved copy", arguments: TestDatabase.available)
    func editAfterApproval(db: TestDatabase) async throws {
        try await db.with { database in
            let bench = try await Bench.make(database)
            defer { bench.sandbox.stop() }
            let content = ContentService(database: database)
            let site = try await bench.webhook("官网", path: "/_sandbox/webhook/site")
            let item = try await bench.approvedItem("审后修改")
            let target = try await bench.publishing.schedule(contentID: item.id, accountIDs: [site.id], at: Date().addingTimeInterval(60), by: bench.owner)[0]
            let scheduled = try #require(try await ContentRepository(database.sql).find(id: item.id))
            #expect(scheduled.state == .scheduled)

            // The body changes after approval, with a blocking finding in it.
            let edited = try await content.update(id: item.id, .init(body: "<p>全网最低价，国家级品质！</p>"), expectedVersion: scheduled.version, by: bench.owner)
            #expect(edited.state == .inReview)
            #expect(edited.reviewStage == 0)

            // Due: the engine sends nothing and the target waits, visibly scheduled, without spending attempts.
            let later = Date().addingTimeInterval(120)
            try await bench.drain(bench.worker(), now: later)
            #expect(try await bench.state(target.id) == .scheduled)
            #expect(await bench.sandbox.state.posts(platform: "webhook").isEmpty)
            let jobID = try #require(target.jobID)
            let job = try #require(try await JobQueue(database: database).find(id: jobID))
            #expect(job.state == .queued)
            #expect(job.attempts == 0)
            #expect(job.lastError == "awaiting_approval")

            // Approval is refused while the blocking finding stands; fixed and approved, the post goes out with the new copy.
            await #expect(throws: ConflictError.self) {
                _ = try await content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: bench.owner)
            }
            _ = try await content.update(id: item.id, .init(body: "<p>新配方，冬日限定。</p>"), expectedVersion: nil, by: bench.owner)
            let approved = try await content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: bench.owner)
            #expect(approved.state == .scheduled)
            try await bench.drain(bench.worker(), now: later.addingTimeInterval(120))
            #expect(try await bench.state(target.id) == .published)
            let posts = await bench.sandbox.state.posts(platform: "webhook")
            #expect(posts.count == 1)
            #expect(posts.first?.text.contains("新配方") == true)
            #expect(posts.first?.text.contains("全网最低价") == false)
        }
    }

    @Test("an edit while in review discards the earlier stages' approval", arguments: TestDatabase.available)
    func editDuringReview(db: TestDatabase) async throws {
        try await db.with { database in
            let bench = try await Bench.make(database)
            defer { bench.sandbox.stop() }
            let content = ContentService(database: database)
            try await content.saveFlow(groupID: nil, stages: [ReviewStage(name: "主管", roleKeys: ["owner"], memberIDs: []),
                                                              ReviewStage(name: "合规", roleKeys: ["owner"], memberIDs: [])], by: bench.owner)
            let item = try await content.create(.init(title: "两级审核", body: "<p>初稿</p>"), by: bench.owner)
            _ = try await content.review(id: item.id, action: .submit, comment: nil, expectedVersion: nil, by: bench.owner)
            let first = try await content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: bench.owner)
            #expect(first.state == .inReview)
            #expect(first.reviewStage == 1)
            let edited = try await content.addVariant(contentID: item.id, platform: .weibo, expectedVersion: nil, by: bench.owner)
            #expect(edited.platform == .weibo)
            let reopened = try #require(try await ContentRepository(database.sql).find(id: item.id))
            #expect(reopened.state == .inReview)
            #expect(reopened.reviewStage == 0)
            // A change that is not to the copy (the owner) keeps the review where it is.
            let second = try await content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: bench.owner)
            #expect(second.reviewStage == 1)
            let moved = try await content.update(id: item.id, .init(ownerID: .some(nil)), expectedVersion: nil, by: bench.owner)
            #expect(moved.reviewStage == 1)
        }
    }

    @Test("moving a scheduled item on the calendar moves its posts; a past time or a started post is refused", arguments: TestDatabase.available)
    func calendarMoveMovesTargets(db: TestDatabase) async throws {
        try await db.with { database in
            let bench = try await Bench.make(database)
            defer { bench.sandbox.stop() }
            let content = ContentService(database: database)
            let site = try await bench.webhook("官网", path: "/_sandbox/webhook/site")
            let tg = try await bench.telegram()
            let item = try await bench.approvedItem("挪日期")
            let due = Date(epochMilliseconds: Date().addingTimeInterval(3_600).epochMilliseconds)
            let first = try await bench.publishing.schedule(contentID: item.id, accountIDs: [site.id], at: due, by: bench.owner)[0]
            let second = try await bench.publishing.schedule(contentID: item.id, accountIDs: [tg.id], at: due.addingTimeInterval(600), by: bench.owner)[0]
            #expect(try await ContentRepository(database.sql).find(id: item.id)?.plannedAt == due)

            let tomorrow = due.addingTimeInterval(86_400)
            let moved = try await content.plan(id: item.id, at: tomorrow, by: bench.owner)
            #expect(moved.plannedAt == tomorrow)
            let targets = try await bench.publishing.targets(contentID: item.id)
            #expect(targets.first { $0.id == first.id }?.dueAt == tomorrow)
            #expect(targets.first { $0.id == second.id }?.dueAt == tomorrow.addingTimeInterval(600))
            let firstJob = try #require(first.jobID)
            let job = try #require(try await JobQueue(database: database).find(id: firstJob))
            #expect(job.runAt == tomorrow)

            await #expect(throws: ValidationError.self) { _ = try await content.plan(id: item.id, at: Date().addingTimeInterval(-86_400), by: bench.owner) }
            await #expect(throws: ConflictError.self) { _ = try await content.plan(id: item.id, at: nil, by: bench.owner) }
            // Once a worker holds a post, the move is refused and nothing moves.
            let secondJob = try #require(second.jobID)
            try await database.sql.raw("UPDATE jobs SET state = 'running' WHERE id = \(bind: secondJob)").run()
            await #expect(throws: ConflictError.self) { _ = try await content.plan(id: item.id, at: tomorrow.addingTimeInterval(3_600), by: bench.owner) }
            #expect(try await bench.publishing.targets(contentID: item.id).first { $0.id == first.id }?.dueAt == tomorrow)
        }
    }

    @Test("a manual confirmation must link to the post's own platform, and can be corrected with an audit entry", arguments: TestDatabase.available)
    func confirmationURL(db: TestDatabase) async throws {
        try await db.with { database in
            let bench = try await Bench.make(database)
            defer { bench.sandbox.stop() }
            let xhs = try await bench.account("xiaohongshu", "小红书号")
            let item = try await bench.approvedItem("手动发布")
            let target = try await bench.publishing.schedule(contentID: item.id, accountIDs: [xhs.id], at: Date(), by: bench.owner)[0]
            try await bench.drain(bench.worker())
            for wrong in ["https://www.douyin.com/video/1", "javascript:alert(1)", "https://xiaohongshu.com.evil.example/x", "https://evilxiaohongshu.com/x"] {
                await #expect(throws: ValidationError.self, "\(wrong)") {
                    _ = try await bench.publishing.confirm(targetID: target.id, published: true, url: wrong, retryAt: nil, by: bench.owner)
                }
            }
            let published = try await bench.publishing.confirm(targetID: target.id, published: true, url: "https://www.xiaohongshu.com/explore/1", retryAt: nil, by: bench.owner)
            #expect(published.state == .published)
            let corrected = try await bench.publishing.confirm(targetID: target.id, published: true, url: "https://www.xiaohongshu.com/explore/2", retryAt: nil, by: bench.owner)
            #expect(corrected.externalURL == "https://www.xiaohongshu.com/explore/2")
            let audit = try await AuditRepository(database.sql).list(filter: AuditFilter(entityType: "publish_target"), page: PageRequest()).items
            #expect(audit.contains { $0.changes["external_url"] == ["https://www.xiaohongshu.com/explore/1", "https://www.xiaohongshu.com/explore/2"] })
        }
    }

    @Test("a reconcile round has one key whoever schedules it", arguments: TestDatabase.available)
    func reconcileKeyIsDeterministic(db: TestDatabase) async throws {
        try await db.with { database in
            let bench = try await Bench.make(database)
            defer { bench.sandbox.stop() }
            try await bench.engine.scheduleReconcile(targetID: "tgt_x", cycle: "att_1", round: 3, after: 0)
            try await bench.engine.scheduleReconcile(targetID: "tgt_x", cycle: "att_1", round: 3, after: 5)
            try await bench.engine.scheduleReconcile(targetID: "tgt_x", cycle: "att_2", round: 3, after: 0)
            let count = try await database.sql.raw("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'reconcile'").first()?.int("n")
            #expect(count == 2)
        }
    }
}
