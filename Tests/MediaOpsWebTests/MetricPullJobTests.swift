import Foundation
import Logging
import MediaOpsApp
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import Testing

@Suite("Metric pull jobs", .serialized)
struct MetricPullJobTests {
    @Test("scheduled pulls run through the worker: the account's day and the pull status are stored, a published post's snapshot is taken, nothing twice",
          arguments: TestDatabase.available)
    func scheduledPullsRun(db: TestDatabase) async throws {
        try await db.with { database in
            let bench = try await EngineBench.make(database)
            defer { bench.sandbox.stop() }
            let account = try await bench.mastodon()
            let item = try await bench.approvedItem("冬日限定")
            _ = try await bench.publishing.schedule(contentID: item.id, accountIDs: [account.id], at: Date(), by: bench.owner)
            try await bench.drain(bench.worker())
            let metrics = MetricService(database: database)
            let post = try #require(try await metrics.posts(accountID: account.id).first)
            #expect(post.origin == .mediaops && post.targetID != nil)

            // Two hours on, the hourly scheduler queues yesterday's pull and the post's 1-hour snapshot.
            let later = Date().addingTimeInterval(2 * 3_600)
            let pulls = MetricPullService(database: database)
            #expect(try await pulls.scheduleDue(platforms: [.mastodon], now: later) >= 2)
            let worker = JobWorker(database: database, handlers: MetricPullJobHandler.all(engine: bench.engine),
                                   options: .init(name: "pull-test", concurrency: 4, lease: 30), logger: Logger(label: "test"))
            for _ in 0..<5 where try await worker.runOnce(now: later.addingTimeInterval(86_400)) > 0 {}

            let status = try #require(try await pulls.status(accountID: account.id))
            #expect(status.lastSuccessAt != nil && status.lastError == nil)
            let zone = try await pulls.workspaceZone()
            let days = try await metrics.daily(accountID: account.id, from: LocalDate(later, timeZone: zone).adding(days: -3), to: LocalDate(later, timeZone: zone))
            #expect(days.values.contains { $0[.followersTotal]?.provenance.source == .apiPull && $0[.followersTotal]?.provenance.payloadID != nil })
            let snapshots = try await metrics.snapshots(postID: post.id)
            #expect(snapshots.count == 1 && snapshots.first?.values[.likes] != nil, "\(snapshots)")

            // Scheduling again within the hour asks for nothing new: the idempotency keys hold.
            _ = try await pulls.scheduleDue(platforms: [.mastodon], now: later)
            #expect(try await worker.runOnce(now: later.addingTimeInterval(86_400)) == 0)
            #expect(try await metrics.snapshots(postID: post.id).count == 1)
        }
    }

    @Test("the hourly sweep judges yesterday of every active account against the preset rules: a fall of 600 followers raises one alert, a second sweep none",
          arguments: TestDatabase.available)
    func hourlySweepRaisesAlerts(db: TestDatabase) async throws {
        try await db.with { database in
            let bench = try await EngineBench.make(database)
            defer { bench.sandbox.stop() }
            let falling = try await bench.mastodon("Falling")
            let steady = try await bench.telegram("Steady")
            let now = Date()
            let zone = try await MetricPullService(database: database).workspaceZone()
            let yesterday = LocalDate(now, timeZone: zone).adding(days: -1)
            let metrics = MetricService(database: database)
            let pull = MetricProvenance(source: .apiPull, capturedAt: now)
            _ = try await metrics.recordDaily(accountID: falling.id, day: yesterday, values: [.followersNet: -600], provenance: pull)
            _ = try await metrics.recordDaily(accountID: steady.id, day: yesterday, values: [.followersNet: -499], provenance: pull)
            await bench.engine.sweepAlerts(now: now)
            let open = try await AlertService(database: database).list(state: .open, page: PageRequest()).items
            #expect(open.map(\.accountID) == [falling.id])
            #expect(open.first?.occasion == .day(yesterday) && open.first?.evidence.observed == -600)
            await bench.engine.sweepAlerts(now: now.addingTimeInterval(3_600))
            #expect(try await AlertService(database: database).list(state: nil, page: PageRequest()).total == 1)
        }
    }
}
