import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

@Suite("Metric store")
struct MetricStoreTests {
    static func account(_ database: Database) async throws -> (TeamService, Principal, Account) {
        let team = StoreFixtures.service(database)
        let (_, owner) = try await StoreFixtures.setUp(team)
        let account = try await team.createAccount(.init(platform: "weibo", name: "青禾茶饮官方微博", handle: "qinghetea"), by: owner)
        return (team, owner, account)
    }

    static let day = LocalDate(year: 2026, month: 11, day: 30)
    static let pulledAt = Date(timeIntervalSince1970: 1_796_086_800)  // 2026-12-01 09:00 Beijing

    @Test("daily values: written once, the same values again change nothing, a different value replaces the old one and the old one stays in the history",
          arguments: TestDatabase.available)
    func dailyIdempotentWithHistory(db: TestDatabase) async throws {
        try await db.with { database in
            let (_, _, account) = try await Self.account(database)
            let metrics = MetricService(database: database)
            let payload = try await metrics.savePayload(accountID: account.id, endpoint: "users/counts", body: #"{"followers_count":3593}"#, fetchedAt: Self.pulledAt)
            let pull = MetricProvenance(source: .apiPull, payloadID: payload, capturedAt: Self.pulledAt)
            let first = try await metrics.recordDaily(accountID: account.id, day: Self.day,
                                                      values: [.followersTotal: 3_593, .followersNet: -12, .reads: 1_200], provenance: pull)
            #expect(first == MetricWriteSummary(inserted: 3))
            #expect(try await metrics.recordDaily(accountID: account.id, day: Self.day,
                                                  values: [.followersTotal: 3_593, .followersNet: -12, .reads: 1_200], provenance: pull)
                    == MetricWriteSummary(unchanged: 3))

            // The back-office file says otherwise for reads: it wins, and the pulled value is kept as history.
            let file = MetricProvenance(source: .fileImport, importID: "imp_0000000000000001", capturedAt: Self.pulledAt.addingTimeInterval(3_600))
            #expect(try await metrics.recordDaily(accountID: account.id, day: Self.day, values: [.reads: 1_250, .likes: 40], provenance: file)
                    == MetricWriteSummary(inserted: 1, changed: 1))
            let stored = try #require(try await metrics.daily(accountID: account.id, from: Self.day, to: Self.day)[Self.day])
            #expect(stored[.reads]?.value == 1_250 && stored[.reads]?.provenance.source == .fileImport && stored[.reads]?.provenance.importID == "imp_0000000000000001")
            #expect(stored[.followersNet]?.value == -12 && stored[.followersTotal]?.provenance.payloadID == payload)
            // A metric the platform did not give is absent, never zero.
            #expect(stored[.shares] == nil && stored.count == 4)
            let history = try await metrics.changes(accountID: account.id, day: Self.day)
            #expect(history.map { [$0.oldValue, $0.newValue] } == [[1_200, 1_250]])
            #expect(history.first?.oldSource == .apiPull && history.first?.newSource == .fileImport && history.first?.key == .reads)
            #expect(try await metrics.daily(accountID: account.id, from: Self.day.adding(days: 1), to: Self.day.adding(days: 7)).isEmpty)
            #expect(try await MetricRepository(database.sql).payload(id: payload)?.body.contains("3593") == true)
        }
    }

    @Test("a period's sums equal the sums of its days however the days were written: in bulk, one by one, late, replaced, with gaps",
          arguments: TestDatabase.available)
    func periodSumsFollowEveryWrite(db: TestDatabase) async throws {
        try await db.with { database in
            let (_, _, account) = try await Self.account(database)
            let metrics = MetricService(database: database)
            let start = LocalDate(year: 2026, month: 1, day: 1)
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            func next(_ bound: Int) -> Int {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int((state >> 33) % UInt64(bound))
            }
            // A year of reads in bulk with every fifth day missing, likes on some days only.
            var bulk: [MetricRepository.DailyRow] = []
            for offset in 0..<365 where offset % 5 != 3 {
                bulk.append(.init(accountID: account.id, day: start.adding(days: offset), key: .reads, value: Double(next(5_000))))
                if offset % 7 == 0 { bulk.append(.init(accountID: account.id, day: start.adding(days: offset), key: .likes, value: Double(next(90)))) }
            }
            let generated = MetricProvenance(source: .fileImport, importID: "imp_0000000000000009", capturedAt: Self.pulledAt)
            let rows = bulk
            try await database.transaction { db in try await MetricRepository(db).insertGenerated(daily: rows, provenance: generated) }
            // Then pulls: a missing day filled late, a past day replaced, a new day at the end, net followers falling.
            let pull = MetricProvenance(source: .apiPull, capturedAt: Self.pulledAt)
            for (offset, value) in [(3, 777.0), (100, 1.0), (200, 12_345.0), (365, 50.0)] {
                _ = try await metrics.recordDaily(accountID: account.id, day: start.adding(days: offset), values: [.reads: value, .followersNet: -Double(offset)],
                                                  provenance: pull)
            }
            let stored = try await metrics.daily(accountID: account.id, from: start, to: start.adding(days: 400))
            let service = AnalyticsService(database: database)
            let zone = TimeZone(identifier: "Asia/Shanghai")!
            for _ in 0..<40 {
                let from = start.adding(days: next(380) - 10)
                let to = from.adding(days: next(120))
                // The period and the one of the same length before it, read together as the overview reads them.
                let length = from.days(until: to) + 1
                let periods = [(from: from, to: to), (from: from.adding(days: -length), to: from.adding(days: -1))]
                let both = try await service.totals(accountIDs: [account.id], periods: periods, zone: zone)
                for (index, period) in periods.enumerated() {
                    let totals = both[index][account.id]
                    let days = stored.filter { $0.key >= period.from && $0.key <= period.to }
                    for key in [MetricKey.reads, .likes, .followersNet] {
                        let values = days.compactMap { $0.value[key]?.value }
                        // Nothing stored in the period is no number, not zero.
                        let sum = key == .followersNet ? totals?.followersNet : totals?.sums[key]
                        #expect(sum == (values.isEmpty ? nil : values.reduce(0, +)), "\(key.rawValue) \(period.from)…\(period.to)")
                    }
                }
            }
        }
    }

    @Test("a matrix of hundreds of accounts read together (split across connections: PostgreSQL's pool, a SQLite file's readers) gives each account the figures it gets alone",
          arguments: TestDatabase.available)
    func manyAccountsTotals(db: TestDatabase) async throws {
        try await db.with(sqliteFile: true) { database in
            let (team, owner, _) = try await Self.account(database)
            var accounts: [Account] = []
            for index in 0..<320 {
                accounts.append(try await team.createAccount(.init(platform: "douyin", name: "门店 \(index)", handle: "store\(index)"), by: owner))
            }
            let start = LocalDate(year: 2026, month: 9, day: 1)
            var bulk: [MetricRepository.DailyRow] = []
            for (index, account) in accounts.enumerated() {
                // Every account its own numbers; every seventh has no plays at all, which must read as absent.
                for offset in 0..<60 {
                    let day = start.adding(days: offset)
                    if index % 7 != 0 { bulk.append(.init(accountID: account.id, day: day, key: .plays, value: Double(index * 100 + offset))) }
                    bulk.append(.init(accountID: account.id, day: day, key: .followersTotal, value: Double(10_000 + index * 10 + offset)))
                }
            }
            let rows = bulk
            let generated = MetricProvenance(source: .fileImport, importID: "imp_0000000000000010", capturedAt: Self.pulledAt)
            try await database.transaction { db in try await MetricRepository(db).insertGenerated(daily: rows, provenance: generated) }
            let service = AnalyticsService(database: database)
            let zone = TimeZone(identifier: "Asia/Shanghai")!
            let periods = [(from: start.adding(days: 30), to: start.adding(days: 59)), (from: start, to: start.adding(days: 29))]
            let together = try await service.totals(accountIDs: accounts.map(\.id), periods: periods, zone: zone)
            #expect(together.map(\.count) == [320, 320])
            for (index, account) in accounts.enumerated() where index % 3 == 0 {
                let alone = try await service.totals(accountIDs: [account.id], periods: periods, zone: zone)
                for period in 0..<2 {
                    #expect(together[period][account.id] == alone[period][account.id])
                }
                let plays = together[0][account.id]?.sums[.plays]
                #expect(plays == (index % 7 == 0 ? nil : Double((30..<60).map { index * 100 + $0 }.reduce(0, +))))
                #expect(together[0][account.id]?.followers == Double(10_000 + index * 10 + 59))
            }
        }
    }

    @Test("the overview seeks only the keys an account has: every write records a key, so one gained later is read, and migration 27 finds the keys already stored",
          arguments: TestDatabase.available)
    func accountMetricKeys(db: TestDatabase) async throws {
        try await db.with { database in
            let (_, _, account) = try await Self.account(database)
            let start = LocalDate(year: 2026, month: 9, day: 1)
            let rows = (0..<30).map { MetricRepository.DailyRow(accountID: account.id, day: start.adding(days: $0), key: .reads, value: Double(100 + $0)) }
            let generated = MetricProvenance(source: .fileImport, importID: "imp_0000000000000011", capturedAt: Self.pulledAt)
            try await database.transaction { db in try await MetricRepository(db).insertGenerated(daily: rows, provenance: generated) }
            let service = AnalyticsService(database: database)
            let zone = TimeZone(identifier: "Asia/Shanghai")!
            let period = (from: start, to: start.adding(days: 29))
            var totals = try #require(try await service.totals(accountIDs: [account.id], from: period.from, to: period.to, zone: zone)[account.id])
            #expect(totals.sums == [.reads: Double((100..<130).reduce(0, +))])
            #expect(totals.followers == nil)

            // A later pull brings likes and the follower count for one day: both are read from then on.
            let pulled = MetricProvenance(source: .apiPull, capturedAt: Self.pulledAt)
            _ = try await database.transaction { db in
                try await MetricRepository(db).recordDaily(accountID: account.id, day: start.adding(days: 10), values: [.likes: 7, .followersTotal: 5_000],
                                                           provenance: pulled, now: Self.pulledAt)
            }
            totals = try #require(try await service.totals(accountIDs: [account.id], from: period.from, to: period.to, zone: zone)[account.id])
            #expect(totals.sums[.likes] == 7)
            #expect(totals.followers == 5_000)
            let keys = try await database.sql.raw("SELECT metric FROM account_metric_keys WHERE account_id = \(bind: account.id) ORDER BY metric").all()
                .map { try $0.decode(column: "metric", as: String.self) }
            #expect(keys == ["followers_total", "likes", "reads"])

            // A store from before migration 27: its keys are found from the values already there.
            try await database.sql.raw("DELETE FROM account_metric_keys").run()
            let migration = try #require(Migrations.all.first { $0.version == 27 })
            try await database.sql.raw(SQLQueryString(try #require(migration.statements.last))).run()
            let again = try #require(try await service.totals(accountIDs: [account.id], from: period.from, to: period.to, zone: zone)[account.id])
            #expect(again == totals)
        }
    }

    @Test("migration 15 carries snapshots stored a metric a row over into one row per capture, values and provenance intact",
          arguments: TestDatabase.available)
    func snapshotRowsMigration(db: TestDatabase) async throws {
        try await db.with { database in
            let (_, owner, account) = try await Self.account(database)
            let published = Self.pulledAt.addingTimeInterval(-24 * 3_600)
            let post = AnalyticsPost(id: "pst_migration00000001", accountID: account.id, platformPostID: "5012345678901234", targetID: nil, title: "春茶上新",
                                     url: nil, publishedAt: published, origin: .external)
            try await MetricRepository(database.sql).insertGenerated(posts: [post], now: Self.pulledAt)
            // The old table as migration 11 made it, with rows in its shape.
            let old = try #require(Migrations.all.first { $0.version == 11 }?.statements.first { $0.contains("CREATE TABLE post_metric_snapshots") })
            try await database.sql.raw(SQLQueryString(old)).run()
            let first = Self.pulledAt.epochMilliseconds, later = Self.pulledAt.addingTimeInterval(48 * 3_600).epochMilliseconds
            for (captured, hours, metric, value) in [(first, 24.0, "reads", 900.0), (first, 24.0, "likes", 30.0), (later, 72.0, "reads", 2_150.0),
                                                     (later, 72.0, "completion_rate", 0.1222)] {
                try await database.sql.raw("""
                    INSERT INTO post_metric_snapshots (post_id, captured_at, hours_since_publish, metric, value, source, import_id, payload_id, entered_by)
                    VALUES (\(bind: post.id), \(bind: captured), \(bind: hours), \(bind: metric), \(bind: value), 'manual', NULL, NULL, \(bind: owner.memberID))
                    """).run()
            }
            let migration = try #require(Migrations.all.first { $0.version == 15 })
            for statement in database.kind == .sqlite ? migration.sqliteOnly : migration.postgresOnly {
                try await database.sql.raw(SQLQueryString(statement)).run()
            }
            let snapshots = try await MetricService(database: database).snapshots(postID: post.id)
            #expect(snapshots.map(\.hoursSincePublish) == [24, 72])
            #expect(snapshots.map { $0.values.mapValues(\.value) } == [[.reads: 900, .likes: 30], [.reads: 2_150, .completionRate: 0.1222]])
            #expect(snapshots.first?.values[.likes]?.provenance == MetricProvenance(source: .manual, enteredBy: owner.memberID, capturedAt: Self.pulledAt))
        }
    }

    @Test("bulk writes carry any text and number through as given: quotes, backslashes, control characters, emoji, tiny and huge values",
          arguments: TestDatabase.available)
    func bulkRowsRoundTrip(db: TestDatabase) async throws {
        try await db.with { database in
            let (_, owner, account) = try await Self.account(database)
            let titles = ["他说\"你好\"", "back\\slash \\\"", "tab\tnew\nline\r", "\u{1}\u{1F}控制", "😀 emoji 👩‍👩‍👧", "中文，标点。", "", "   "]
            let posts = titles.enumerated().map { index, title in
                AnalyticsPost(id: "pst_bulk\(String(format: "%012d", index))", accountID: account.id, platformPostID: "p\(index)", targetID: nil, title: title,
                              url: index == 0 ? nil : "https://weibo.com/\(index)?a=1&b=\"2\"", publishedAt: index == 1 ? nil : Self.pulledAt, origin: .external)
            }
            let values: [MetricKey: Double] = [.reads: 9_007_199_254_740_991, .completionRate: 0.000_000_1, .avgWatchSeconds: 26_304.123_456_789, .likes: 0]
            let manual = MetricProvenance(source: .manual, enteredBy: owner.memberID, capturedAt: Self.pulledAt)
            try await database.transaction { db in
                let repository = MetricRepository(db)
                try await repository.insertGenerated(posts: posts, now: Self.pulledAt)
                try await repository.insertGenerated(snapshots: posts.map { .init(postID: $0.id, capturedAt: Self.pulledAt, hoursSincePublish: 0.000_01, values: values) },
                                                     provenance: manual)
            }
            let metrics = MetricService(database: database)
            for post in posts {
                #expect(try await MetricRepository(database.sql).post(id: post.id) == post)
                let snapshot = try #require(try await metrics.snapshots(postID: post.id).first)
                #expect(snapshot.values.mapValues(\.value) == values && snapshot.hoursSincePublish == 0.000_01)
                #expect(snapshot.values[.reads]?.provenance == manual)
            }
        }
    }

    @Test("a capture of many posts written together ends as each written in turn: unchanged, changed with history, new keys merged, a post twice",
          arguments: TestDatabase.available)
    func snapshotsInBulk(db: TestDatabase) async throws {
        try await db.with { database in
            let (_, _, account) = try await Self.account(database)
            let published = Self.pulledAt.addingTimeInterval(-48 * 3_600)
            let posts = (0..<3).map { AnalyticsPost(id: "pst_bulksnap00000000\($0)", accountID: account.id, platformPostID: "b\($0)", targetID: nil, title: "帖子\($0)",
                                                    url: nil, publishedAt: published, origin: .external) }
            let first = MetricProvenance(source: .apiPull, capturedAt: Self.pulledAt)
            try await database.transaction { db in
                let repository = MetricRepository(db)
                try await repository.insertGenerated(posts: posts, now: Self.pulledAt)
                _ = try await repository.recordSnapshot(post: posts[0], values: [.reads: 100, .likes: 5], provenance: first, now: Self.pulledAt)
                _ = try await repository.recordSnapshot(post: posts[1], values: [.reads: 200], provenance: first, now: Self.pulledAt)
            }
            // A file with the same capture time: post 0 the same, post 1 changed plus a new key, post 2 new, post 0 again with a correction.
            let file = MetricProvenance(source: .fileImport, importID: "imp_0000000000000007", capturedAt: Self.pulledAt)
            let summary = try await database.transaction { db in
                try await MetricRepository(db).recordSnapshots([(posts[0], [.reads: 100, .likes: 5]), (posts[1], [.reads: 250, .shares: 3]),
                                                                 (posts[2], [.reads: 9]), (posts[0], [.likes: 6])], provenance: file, now: Self.pulledAt)
            }
            #expect(summary == MetricWriteSummary(inserted: 2, changed: 2, unchanged: 2))
            let metrics = MetricService(database: database)
            var values: [[[MetricKey: Double]]] = []
            for post in posts { values.append(try await metrics.snapshots(postID: post.id).map { $0.values.mapValues(\.value) }) }
            #expect(values == [[[.reads: 100, .likes: 6]], [[.reads: 250, .shares: 3]], [[.reads: 9]]])
            #expect(try await metrics.snapshots(postID: posts[1].id).first?.hoursSincePublish == 48)
            let history = try await metrics.changes(postID: posts[1].id, capturedAt: Self.pulledAt)
            #expect(history.map { [$0.oldValue, $0.newValue] } == [[200, 250]] && history.first?.oldSource == .apiPull && history.first?.newSource == .fileImport)
            #expect(try await metrics.changes(postID: posts[0].id, capturedAt: Self.pulledAt).map { [$0.oldValue, $0.newValue] } == [[5, 6]])
            // The same batch again changes nothing.
            let again = try await database.transaction { db in
                try await MetricRepository(db).recordSnapshots([(posts[1], [.reads: 250, .shares: 3]), (posts[2], [.reads: 9])], provenance: file, now: Self.pulledAt)
            }
            #expect(again == MetricWriteSummary(unchanged: 3))
        }
    }

    @Test("values are checked against their unit, all broken ones named, and a refused batch writes nothing", arguments: TestDatabase.available)
    func unitsChecked(db: TestDatabase) async throws {
        try await db.with { database in
            let (_, _, account) = try await Self.account(database)
            let metrics = MetricService(database: database)
            let manual = MetricProvenance(source: .manual, enteredBy: "mem_0000000000000001", capturedAt: Self.pulledAt)
            do {
                _ = try await metrics.recordDaily(accountID: account.id, day: Self.day,
                                                  values: [.reads: 10, .completionRate: 12.22, .likes: -1, .shares: 2.5, .avgWatchSeconds: .nan], provenance: manual)
                Issue.record("a batch with broken values was accepted")
            } catch let errors as ValidationErrors {
                #expect(errors.errors.map(\.field) == ["values.avg_watch_seconds", "values.completion_rate", "values.likes", "values.shares"])
                #expect(errors.errors.map(\.code) == ["metric_not_a_number", "metric_fraction_above_one", "metric_negative", "metric_not_whole"])
            }
            #expect(try await metrics.daily(accountID: account.id, from: Self.day, to: Self.day).isEmpty)
            await #expect(throws: ValidationError(field: "account_id", code: "unknown_account")) {
                _ = try await metrics.recordDaily(accountID: "acc_nobody0000000", day: Self.day, values: [.reads: 1], provenance: manual)
            }
            // Fractions, seconds and fen are stored as given.
            #expect(try await metrics.recordDaily(accountID: account.id, day: Self.day, values: [.completionRate: 0.1222, .avgWatchSeconds: 14.73, .tipsFen: 1_880],
                                                  provenance: manual) == MetricWriteSummary(inserted: 3))
            let stored = try #require(try await metrics.daily(accountID: account.id, from: Self.day, to: Self.day)[Self.day])
            #expect(stored[.completionRate]?.value == 0.1222 && stored[.avgWatchSeconds]?.value == 14.73 && stored[.tipsFen]?.value == 1_880)
            #expect(stored[.tipsFen]?.provenance.enteredBy == "mem_0000000000000001")
        }
    }

    @Test("post snapshots: a post seen outside MediaOps is an external post, each capture keeps its hours since publishing, a capture written again is idempotent",
          arguments: TestDatabase.available)
    func snapshots(db: TestDatabase) async throws {
        try await db.with { database in
            let (_, _, account) = try await Self.account(database)
            let metrics = MetricService(database: database)
            let published = Self.pulledAt.addingTimeInterval(-24 * 3_600)
            let reference = MetricService.PostReference(accountID: account.id, platformPostID: "5012345678901234", title: "春茶上新", publishedAt: published)
            let day1 = MetricProvenance(source: .apiPull, capturedAt: Self.pulledAt)
            let (post, first) = try await metrics.recordSnapshot(reference, values: [.reads: 900, .likes: 30], provenance: day1)
            #expect(post.origin == .external && post.targetID == nil && first.inserted == 2)
            let day3 = MetricProvenance(source: .apiPull, capturedAt: Self.pulledAt.addingTimeInterval(48 * 3_600))
            let (same, _) = try await metrics.recordSnapshot(reference, values: [.reads: 2_100, .likes: 61], provenance: day3)
            #expect(same.id == post.id, "the same platform id on the same account is the same post")
            #expect(try await metrics.recordSnapshot(reference, values: [.reads: 2_100, .likes: 61], provenance: day3).summary == MetricWriteSummary(unchanged: 2))
            let (_, corrected) = try await metrics.recordSnapshot(reference, values: [.reads: 2_150], provenance: day3)
            #expect(corrected == MetricWriteSummary(changed: 1))

            let snapshots = try await metrics.snapshots(postID: post.id)
            #expect(snapshots.map(\.hoursSincePublish) == [24, 72])
            #expect(snapshots.map { $0.values[.reads]?.value } == [900, 2_150] && snapshots[1].values[.likes]?.value == 61)
            #expect(try await metrics.changes(postID: post.id, capturedAt: day3.capturedAt).map(\.oldValue) == [2_100])
            #expect(try await metrics.posts(accountID: account.id).map(\.id) == [post.id])
            await #expect(throws: ValidationError(field: "platform_post_id", code: "required")) {
                _ = try await metrics.recordSnapshot(.init(accountID: account.id, platformPostID: "  ", title: "x"), values: [.reads: 1], provenance: day1)
            }
        }
    }
}
