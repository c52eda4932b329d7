import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

@Suite("Metric pulls (store)")
struct MetricPullServiceTests {
    static let day = LocalDate(year: 2026, month: 11, day: 30)
    static let pulledAt = Date(timeIntervalSince1970: 1_796_086_800)  // 2026-12-01 09:00 Beijing

    static func account(_ database: Database, platform: String) async throws -> Account {
        try await accounts(database, platforms: [platform])[0]
    }

    static func accounts(_ database: Database, platforms: [String]) async throws -> [Account] {
        let team = StoreFixtures.service(database)
        let (_, owner) = try await StoreFixtures.setUp(team)
        var made: [Account] = []
        for platform in platforms {
            let wechat = platform == "wechat_oa"
            made.append(try await team.createAccount(.init(platform: platform, name: "青禾茶饮", handle: "qinghe-\(platform)", kind: wechat ? "service" : nil,
                                                           fields: wechat ? ["app_id": "wx0123456789abcdef"] : nil), by: owner))
        }
        return made
    }

    static func sampleResult() -> MetricPullResult {
        var result = MetricPullResult()
        let summary = result.keep("datacube/getusersummary", #"{"list":[{"ref_date":"2026-11-30","new_user":40,"cancel_user":5}]}"#)
        let article = result.keep("datacube/getarticletotaldetail", #"{"list":[{"msgid":"2247000001_1"}]}"#)
        result.daily.append(DailyValues(day: day, values: [.followersNew: 40, .followersLost: 5, .followersNet: 35], payload: summary))
        // An impossible value from the platform is refused on its own.
        result.daily.append(DailyValues(day: day, values: [.readers: -3, .followersTotal: 12_000], payload: summary))
        result.posts.append(PostSnapshotValues(platformPostID: "2247000001_1", title: "外部文章", url: "http://mp.weixin.qq.com/s?mid=2247000001",
                                               values: [.readers: 900, .likes: 31], payload: article))
        result.failures.append(MetricFailure(key: .recommends, reason: .missing, endpoint: "datacube/getbizsummary", detail: "zaikan_user"))
        result.offlineEndpoints = ["datacube/getarticletotal"]
        return result
    }

    @Test("a pull is recorded with provenance and payloads, posts found become external posts, and the status keeps each metric's failure",
          arguments: TestDatabase.available)
    func recordsPull(db: TestDatabase) async throws {
        try await db.with { database in
            let account = try await Self.account(database, platform: "wechat_oa")
            let pulls = MetricPullService(database: database)
            let record = try await pulls.record(accountID: account.id, result: Self.sampleResult(), now: Self.pulledAt)
            #expect(record.summary == MetricWriteSummary(inserted: 6))
            #expect(record.refused.map(\.key) == [.readers])
            let stored = try #require(try await MetricService(database: database).daily(accountID: account.id, from: Self.day, to: Self.day)[Self.day])
            #expect(stored[.followersNet]?.value == 35 && stored[.followersNet]?.provenance.source == .apiPull)
            #expect(stored[.readers] == nil, "a refused value is absent, never zero")
            let payloadID = try #require(stored[.followersNew]?.provenance.payloadID)
            #expect(try await MetricRepository(database.sql).payload(id: payloadID)?.endpoint == "datacube/getusersummary")
            let post = try #require(record.posts.first)
            #expect(post.origin == .external && post.title == "外部文章")
            #expect(try await MetricService(database: database).snapshots(postID: post.id).first?.values[.likes]?.value == 31)

            let status = try #require(try await pulls.status(accountID: account.id))
            #expect(status.lastSuccessAt == Self.pulledAt && status.lastError == nil && !status.isFailing)
            #expect(Set(status.metricFailures.map(\.key)) == [.recommends, .readers])
            #expect(status.offlineEndpoints == ["datacube/getarticletotal"])

            // The same pull again changes nothing.
            #expect(try await pulls.record(accountID: account.id, result: Self.sampleResult(), now: Self.pulledAt).summary == MetricWriteSummary(unchanged: 6))
            let daily = try await MetricService(database: database).daily(accountID: account.id, from: Self.day, to: Self.day)[Self.day]
            #expect(daily?.count == 4)

            // A failure: the error is kept with the last success; "not yet available" is waiting, not an error.
            let later = Self.pulledAt.addingTimeInterval(86_400)
            try await pulls.recordFailure(accountID: account.id, failure: PullFailure(.notYetAvailable, "no rows yet"), now: later)
            #expect(try await pulls.status(accountID: account.id)?.lastError == nil)
            try await pulls.recordFailure(accountID: account.id, failure: PullFailure(.rateLimited, "wechat_45009: api freq out of limit", retryAfter: 3_600),
                                          now: later.addingTimeInterval(60))
            let failing = try #require(try await pulls.statuses().first { $0.accountID == account.id })
            #expect(failing.isFailing && failing.lastError?.code == "pull_rate_limited" && failing.lastError?.detail.hasPrefix("wechat_45009") == true)
            #expect(failing.lastSuccessAt == Self.pulledAt && failing.lastAttemptAt == later.addingTimeInterval(60))
        }
    }

    @Test("a post MediaOps published takes the id the statistics name it by; an external twin an earlier pull made is folded into it",
          arguments: TestDatabase.available)
    func publishedPostAdopted(db: TestDatabase) async throws {
        try await db.with { database in
            let account = try await Self.account(database, platform: "wechat_oa")
            let published = AnalyticsPost(id: "pst_published0000001", accountID: account.id, platformPostID: "b5O2OUs25HBxRceL7hfReg", targetID: nil,
                                          title: "春茶上新", url: "https://mp.weixin.qq.com/s/abc", publishedAt: Self.pulledAt.addingTimeInterval(-86_400),
                                          origin: .mediaops)
            try await MetricRepository(database.sql).insertGenerated(posts: [published], now: Self.pulledAt)
            let pulls = MetricPullService(database: database)
            // The daily pull sees the day's articles before the post's own snapshot: an external twin under the msgid.
            var daily = MetricPullResult()
            let first = daily.keep("datacube/getarticletotaldetail", "{}")
            daily.posts.append(PostSnapshotValues(platformPostID: "2247000009_1", title: "春茶上新", values: [.reads: 100], payload: first))
            let twin = try #require(try await pulls.record(accountID: account.id, result: daily, now: Self.pulledAt).posts.first)
            #expect(twin.id != published.id && twin.origin == .external)
            // The snapshot pull asks for the published post and finds it by title: the twin folds into it.
            var snapshot = MetricPullResult()
            let second = snapshot.keep("datacube/getarticletotaldetail", "{}")
            snapshot.posts.append(PostSnapshotValues(platformPostID: "2247000009_1", title: "春茶上新", values: [.reads: 250], payload: second,
                                                     requestedAs: "b5O2OUs25HBxRceL7hfReg"))
            let later = Self.pulledAt.addingTimeInterval(3_600)
            let adopted = try #require(try await pulls.record(accountID: account.id, result: snapshot, now: later).posts.first)
            #expect(adopted.id == published.id && adopted.platformPostID == "2247000009_1" && adopted.origin == .mediaops)
            let metrics = MetricService(database: database)
            #expect(try await metrics.posts(accountID: account.id).map(\.id) == [published.id], "the twin is gone")
            #expect(try await metrics.snapshots(postID: published.id).map { $0.values[.reads]?.value } == [100, 250])
            // Later pulls without a request find it directly.
            var again = MetricPullResult()
            let third = again.keep("datacube/getarticletotaldetail", "{}")
            again.posts.append(PostSnapshotValues(platformPostID: "2247000009_1", title: "春茶上新", values: [.reads: 300], payload: third))
            #expect(try await pulls.record(accountID: account.id, result: again, now: later.addingTimeInterval(3_600)).posts.first?.id == published.id)
        }
    }

    @Test("a backfill is queued as span-sized jobs; live-counter platforms refuse it with a code; the daily pull is queued once",
          arguments: TestDatabase.available)
    func backfillAndSchedule(db: TestDatabase) async throws {
        try await db.with { database in
            let made = try await Self.accounts(database, platforms: ["wechat_oa", "weibo"])
            let (wechat, weibo) = (made[0], made[1])
            let pulls = MetricPullService(database: database)
            let ranges = try await pulls.backfill(accountID: wechat.id, from: LocalDate(year: 2026, month: 11, day: 1), to: LocalDate(year: 2026, month: 12, day: 31),
                                                  now: Self.pulledAt)
            #expect(ranges.count == 5 && ranges.last?.upperBound == Self.day)
            // Asking again queues nothing new (idempotency keys per account and range).
            _ = try await pulls.backfill(accountID: wechat.id, from: LocalDate(year: 2026, month: 11, day: 1), to: Self.day, now: Self.pulledAt)
            #expect(try await JobQueue(database: database).count(state: .queued) == 5)
            await #expect(throws: ValidationError(field: "account_id", code: "pull_backfill_unsupported")) {
                try await pulls.backfill(accountID: weibo.id, from: Self.day, to: Self.day, now: Self.pulledAt)
            }
            await #expect(throws: ValidationError(field: "from", code: "pull_range_backwards")) {
                try await pulls.backfill(accountID: wechat.id, from: Self.day, to: Self.day.adding(days: -1), now: Self.pulledAt)
            }
            try await pulls.scheduleDue(platforms: [.wechatOA, .weibo], now: Self.pulledAt)
            try await pulls.scheduleDue(platforms: [.wechatOA, .weibo], now: Self.pulledAt.addingTimeInterval(600))
            #expect(try await JobQueue(database: database).count(state: .queued) == 7)
        }
    }
}
