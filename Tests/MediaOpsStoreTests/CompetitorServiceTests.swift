import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

/// Competitors and their days on both databases: validation and the handle's
/// uniqueness, days kept absent when absent, a file imported all or nothing,
/// and the benchmark's numbers against ones worked out by hand.
@Suite("Competitor store")
struct CompetitorServiceTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    struct Fixture {
        var database: Database
        var owner: Principal
        var account: Account
        var service: CompetitorService
        var today: LocalDate
    }

    static func fixture(_ database: Database) async throws -> Fixture {
        let team = StoreFixtures.service(database)
        let (_, owner) = try await StoreFixtures.setUp(team)
        let account = try await team.createAccount(.init(platform: "weibo", name: "青禾茶饮官方微博", handle: "qinghetea"), by: owner)
        return Fixture(database: database, owner: owner, account: account, service: CompetitorService(database: database),
                       today: LocalDate(Date(), timeZone: zone))
    }

    static func competitor(_ f: Fixture, handle: String = "shanlan_tea", name: String = "山岚茶事", platform: Platform = .weibo) async throws -> Competitor {
        try await f.service.create(Competitor(id: "", platform: platform, name: name, handle: handle, url: "https://weibo.com/shanlantea", group: "同城茶饮"),
                                   by: f.owner)
    }

    @Test("a competitor is validated field by field, its handle is unique per platform whatever the case, and every change is audited",
          arguments: TestDatabase.available)
    func competitors(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            do {
                _ = try await f.service.create(Competitor(id: "", platform: .weibo, name: "", handle: " ", url: "javascript:alert(1)",
                                                          group: String(repeating: "茶", count: 41)), by: f.owner)
                Issue.record("an empty competitor was saved")
            } catch let errors as ValidationErrors {
                #expect(errors.errors.map(\.field) == ["name", "handle", "url", "group"], "\(errors.errors)")
                #expect(errors.errors.map(\.code) == ["required", "required", "invalid_url", "too_long"])
            }
            let created = try await Self.competitor(f, handle: "@ShanLan_Tea")
            #expect(created.handle == "ShanLan_Tea", "a leading @ is dropped")
            await #expect(throws: ValidationError.self) { _ = try await Self.competitor(f, handle: "shanlan_TEA", name: "另一个") }
            // The same handle on another platform is another account.
            let douyin = try await Self.competitor(f, handle: "shanlan_tea", platform: .douyin)
            #expect(douyin.platform == .douyin)
            do {
                var edited = created
                edited.url = "ftp://example.com/x"
                _ = try await f.service.update(edited, by: f.owner)
                Issue.record("an ftp link was saved")
            } catch let error as ValidationError {
                #expect(error.field == "url" && error.code == "invalid_url")
            }
            var renamed = created
            renamed.group = "新式茶饮头部"
            _ = try await f.service.update(renamed, by: f.owner)
            #expect(try await f.service.competitor(id: created.id)?.group == "新式茶饮头部")
            let audit = try await database.sql.raw("SELECT action, changes FROM audit_log WHERE entity_type = 'competitor' AND entity_id = \(bind: created.id) ORDER BY at, id")
                .all().map { (try $0.string("action"), try $0.string("changes")) }
            #expect(audit.map(\.0) == ["create", "update"], "\(audit)")
            #expect(audit.last?.1.contains("新式茶饮头部") == true)
            try await f.service.delete(id: created.id, by: f.owner)
            #expect(try await f.service.competitor(id: created.id) == nil)
        }
    }

    @Test("a day keeps absent numbers absent, is replaced whole by a later entry, names who entered it, and refuses bad numbers all at once",
          arguments: TestDatabase.available)
    func days(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let competitor = try await Self.competitor(f)
            let day = f.today.adding(days: -3)
            let saved = try await f.service.recordDay(competitorID: competitor.id, day: day, values: [.followers: 52_340, .avgLikes: 318.5], by: f.owner)
            #expect(saved.values[.posts] == nil)
            let stored = try #require(try await f.service.day(competitorID: competitor.id, day: day))
            #expect(stored.values == [.followers: 52_340, .avgLikes: 318.5] && stored.enteredBy == f.owner.memberID && stored.source == .manual)
            // The stored row really holds NULL, not 0.
            let raw = try #require(try await database.sql.raw("SELECT posts, avg_comments FROM competitor_days WHERE competitor_id = \(bind: competitor.id)").first())
            #expect(try raw.optionalDouble("posts") == nil && raw.optionalDouble("avg_comments") == nil)

            _ = try await f.service.recordDay(competitorID: competitor.id, day: day, values: [.posts: 2], by: f.owner)
            #expect(try await f.service.day(competitorID: competitor.id, day: day)?.values == [.posts: 2], "a form's entry replaces the day whole")

            do {
                _ = try await f.service.recordDay(competitorID: competitor.id, day: f.today.adding(days: 1),
                                                  values: [.followers: -5, .posts: 1.5, .avgLikes: 1e12], by: f.owner)
                Issue.record("bad numbers were saved")
            } catch let errors as ValidationErrors {
                #expect(errors.errors.map(\.field) == ["day", "followers", "posts", "avg_likes"], "\(errors.errors)")
                #expect(errors.errors.map(\.code) == ["day_in_future", "metric_negative", "metric_not_whole", "out_of_range"])
            }
            await #expect(throws: ValidationError.self) { _ = try await f.service.recordDay(competitorID: competitor.id, day: day, values: [:], by: f.owner) }
            try await f.service.deleteDay(competitorID: competitor.id, day: day, by: f.owner)
            #expect(try await f.service.day(competitorID: competitor.id, day: day) == nil)
        }
    }

    @Test("a file with one bad row writes nothing and names every bad row; a good file (GB18030 CSV or XLSX) merges into the days",
          arguments: TestDatabase.available)
    func importAllOrNothing(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let shanlan = try await Self.competitor(f)
            let songjian = try await Self.competitor(f, handle: "songjian_teahouse", name: "松间茶铺")
            let d1 = f.today.adding(days: -2), d2 = f.today.adding(days: -1)
            // A day typed by hand earlier: the file's empty cells must leave its comments alone.
            _ = try await f.service.recordDay(competitorID: shanlan.id, day: d1, values: [.followers: 1, .avgComments: 12], by: f.owner)
            let bad = """
                日期,竞品,粉丝数,发文数,篇均点赞,篇均评论
                \(d1),shanlan_tea,"120,500",2,240.5,
                \(d2),无名茶馆,3000,1,10,1
                \(d2),松间茶铺,4.1万,1.5,-3,--
                明天,shanlan_tea,1,1,1,1
                """
            do {
                _ = try await f.service.importFile(Data(bad.utf8), by: f.owner)
                Issue.record("a file with bad rows was imported")
            } catch let refused as CompetitorImportRefused {
                let found = refused.errors.map { "\($0.row)|\($0.column ?? "")|\($0.problem.rawValue)" }
                #expect(found == ["3|竞品|competitor_row_unknown_competitor", "4|发文数|competitor_row_not_whole", "4|篇均点赞|competitor_row_negative",
                                  "5|日期|competitor_row_not_a_date"], "\(found)")
            }
            #expect(try await f.service.day(competitorID: shanlan.id, day: d1)?.values == [.followers: 1, .avgComments: 12], "nothing was written")
            #expect(try await f.service.day(competitorID: songjian.id, day: d2) == nil)

            let good = """
                日期,竞品,粉丝数,发文数,篇均点赞,篇均评论,篇均阅读
                \(d1),shanlan_tea,"120,500",2,240.5,,-
                \(d2),松间茶铺,4.1万,1,95,21,6200
                """
            let gb = try #require(good.data(using: String.Encoding(rawValue: 0x8000_0632)))
            let summary = try await f.service.importFile(gb, by: f.owner)
            #expect(summary.rows == 2 && summary.competitors == 2 && summary.from == d1 && summary.to == d2)
            let merged = try #require(try await f.service.day(competitorID: shanlan.id, day: d1))
            #expect(merged.values == [.followers: 120_500, .posts: 2, .avgLikes: 240.5, .avgComments: 12] && merged.source == .file, "\(merged.values)")
            #expect(try await f.service.day(competitorID: songjian.id, day: d2)?.values == [.followers: 41_000, .posts: 1, .avgLikes: 95, .avgComments: 21, .avgReads: 6_200])

            // English headers in a workbook, the competitor named by its name.
            let sheet = ExportTable(sheetName: "data", header: ["Date", "Competitor", "Followers", "avg_reads"],
                                    rows: [[.text(d2.description), .text("山岚茶事"), .number(121_000), .empty]])
            let fromWorkbook = try await f.service.importFile(try sheet.xlsx(), by: f.owner)
            #expect(fromWorkbook.rows == 1)
            #expect(try await f.service.day(competitorID: shanlan.id, day: d2)?.values == [.followers: 121_000])

            // A file without the columns is refused as a whole.
            await #expect(throws: ValidationError.self) { _ = try await f.service.importFile(Data("a,b\n1,2\n".utf8), by: f.owner) }
            // The sample file imports as it is (its handles are the workspace's competitors).
            let sample = try await f.service.sample(xlsx: false)
            let imported = try await f.service.importFile(sample.data, by: f.owner)
            #expect(imported.rows == 6 && imported.competitors == 2)
        }
    }

    @Test("the benchmark's followers, growth, per-post averages and gaps equal the ones worked out by hand", arguments: TestDatabase.available)
    func benchmark(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let competitor = try await Self.competitor(f)
            let start = f.today.adding(days: -10)
            // Own 微博: 80,000 → 80,600 followers; two posts in the period (likes 100 and 300, comments 10 and 30, reads 1,000 and none).
            let metrics = MetricService(database: database)
            let provenance = MetricProvenance(source: .manual, capturedAt: Date())
            _ = try await metrics.recordDaily(accountID: f.account.id, day: start, values: [.followersTotal: 80_000], provenance: provenance)
            _ = try await metrics.recordDaily(accountID: f.account.id, day: start.adding(days: 5), values: [.followersTotal: 80_600], provenance: provenance)
            let repository = MetricRepository(database.sql)
            for (index, values) in [[MetricKey.likes: 100.0, .comments: 10, .reads: 1_000], [.likes: 300, .comments: 30]].enumerated() {
                let day = start.adding(days: 1 + index)
                let published = LocalDateTime(year: day.year, month: day.month, day: day.day, hour: 12, minute: 0).instant(in: Self.zone)!
                let post = try await repository.post(accountID: f.account.id, platformPostID: "p\(index)", targetID: nil, title: "帖子\(index)", url: nil,
                                                     publishedAt: published, now: published)
                _ = try await repository.recordSnapshot(post: post, values: values, provenance: provenance, now: published.addingTimeInterval(86_400))
            }
            // The competitor: followers 100,000 → 100,900; likes 150 over 2 posts and 300 over 1; comments only on the first day.
            _ = try await f.service.recordDay(competitorID: competitor.id, day: start, values: [.followers: 100_000, .posts: 2, .avgLikes: 150, .avgComments: 10], by: f.owner)
            _ = try await f.service.recordDay(competitorID: competitor.id, day: start.adding(days: 1), values: [.posts: 1, .avgLikes: 300], by: f.owner)
            _ = try await f.service.recordDay(competitorID: competitor.id, day: start.adding(days: 4), values: [.followers: 100_900], by: f.owner)

            let benchmark = try await f.service.benchmark(from: start, to: start.adding(days: 9), platform: .weibo)
            let own = try #require(benchmark.own.first)
            #expect(own.id == f.account.id && own.figures.followersEnd == 80_600 && own.figures.growth == 600 && own.figures.posts == 2)
            #expect(own.figures.avgLikes == 200 && own.figures.avgComments == 20 && own.figures.avgReads == 1_000, "a post without reads is left out of reads")
            let theirs = try #require(benchmark.competitors.first)
            #expect(theirs.figures.followersEnd == 100_900 && theirs.figures.growth == 900 && theirs.figures.posts == 3)
            #expect(theirs.figures.avgLikes == 200, "(150 × 2 + 300 × 1) ÷ 3")
            #expect(theirs.figures.avgComments == 10 && theirs.figures.avgReads == nil, "absent stays absent")
            #expect(theirs.followersByDay.count == 2 && theirs.engagementByDay == [start: 160])
            let gap = try #require(benchmark.gap(for: competitor.id))
            #expect(gap.followers == -20_300 && gap.growth == -300 && gap.avgLikes == 0 && gap.avgComments == 10 && gap.avgReads == nil)
            #expect(gap.engagementPerPost == 10, "own 220 against their 210")

            // A period without their numbers: nothing is zero.
            let empty = try await f.service.benchmark(from: start.adding(days: -40), to: start.adding(days: -31), platform: .weibo)
            let before = try #require(empty.competitors.first)
            #expect(before.figures == CompetitorFigures() && empty.gap(for: competitor.id)?.followers == nil)
        }
    }
}
