import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

@Suite("Report store")
struct ReportServiceTests {
    struct Fixture {
        var database: Database
        var owner: Principal
        var ownerID: String
        var account: Account
        var reports: ReportService
        var metrics: MetricService
    }

    static let pulled = MetricProvenance(source: .apiPull, capturedAt: Date(timeIntervalSince1970: 1_796_086_800))
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    /// Monday 23 – Sunday 29 November 2026, and the week before it.
    static let week = ReportPeriod(kind: .weekly, from: LocalDate(year: 2026, month: 11, day: 23), to: LocalDate(year: 2026, month: 11, day: 29))

    static func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    /// 14 days of a 微博 account: followers +10 a day from 10,000, 1,000 reads, 50 likes and 10 comments a day;
    /// two posts in the week with their 24-hour figures.
    static func fixture(_ database: Database) async throws -> Fixture {
        let team = StoreFixtures.service(database)
        let (member, owner) = try await StoreFixtures.setUp(team)
        let account = try await team.createAccount(.init(platform: "weibo", name: "青禾茶饮官方微博", handle: "qinghetea"), by: owner)
        let metrics = MetricService(database: database)
        var day = week.previous.from
        for index in 0..<14 {
            _ = try await metrics.recordDaily(accountID: account.id, day: day, values: [.followersTotal: 10_000 + Double(index + 1) * 10, .followersNet: 10,
                                                                                      .reads: 1_000, .likes: 50, .comments: 10], provenance: pulled)
            day = day.adding(days: 1)
        }
        for (id, published, reads, likes) in [("m1", "2026-11-24T04:00:00Z", 500.0, 40.0), ("m2", "2026-11-25T04:00:00Z", 400.0, 8.0)] {
            let at = instant(published)
            _ = try await metrics.recordSnapshot(.init(accountID: account.id, platformPostID: id, title: "帖子 \(id)", publishedAt: at),
                                                 values: [.reads: reads, .likes: likes],
                                                 provenance: MetricProvenance(source: .apiPull, capturedAt: at.addingTimeInterval(24 * 3_600)))
        }
        return Fixture(database: database, owner: owner, ownerID: member.id, account: account, reports: ReportService(database: database), metrics: metrics)
    }

    @Test("issuing a weekly report stores its numbers against the week before: KPIs, daily series, ranked posts", arguments: TestDatabase.available)
    func issueComputesSnapshot(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let report = try await f.reports.issue(kind: .weekly, scope: .account(f.account.id), period: Self.week, by: f.owner)
            let stored = try #require(try await f.reports.find(id: report.id))
            #expect(stored == report)
            let snapshot = stored.snapshot
            #expect(snapshot.scopeName == "青禾茶饮官方微博" && snapshot.accountCount == 1)
            #expect(snapshot.current.followers == 10_140 && snapshot.previous.followers == 10_070)
            #expect(snapshot.current.followersNet == 70 && snapshot.current.posts == 2 && snapshot.previous.posts == 0)
            #expect(snapshot.current.consumption == 7_000 && snapshot.current.reads == 7_000 && snapshot.current.plays == nil)
            #expect(snapshot.current.engagement == 420)
            #expect(abs((snapshot.current.engagementRate ?? 0) - 0.06) < 1e-9)
            #expect(snapshot.days.count == 7 && snapshot.days.first?.followers == 10_080 && snapshot.days.last?.engagement == 60)
            #expect(snapshot.topPosts.map(\.title) == ["帖子 m1", "帖子 m2"] && snapshot.bottomPosts.isEmpty)
            #expect(abs((snapshot.topPosts.first?.engagementRate24h ?? 0) - 0.08) < 1e-9)
            #expect(snapshot.previousPeriod.from == LocalDate(year: 2026, month: 11, day: 16))
            #expect(stored.issuedBy == f.ownerID && stored.scheduleID == nil)
            let log = try await StoreFixtures.service(database).auditLog(AuditFilter(entityType: AuditEntity.report.rawValue), page: PageRequest())
            #expect(log.total == 1)
        }
    }

    @Test("a report carries its scope's funnels and the tracked competitors beside the own accounts of their platform", arguments: TestDatabase.available)
    func funnelsAndCompetitors(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let funnels = FunnelService(database: database)
            let funnel = try await funnels.create(Funnel(id: "", name: "阅读到咨询", scope: .account(f.account.id),
                                                         stages: [FunnelStage(name: "阅读", source: .metric(.reads)), FunnelStage(name: "私信咨询", source: .events)]),
                                                  by: f.owner)
            let leads = "日期\n" + String(repeating: "2026-11-24\n", count: 35) + String(repeating: "2026-11-18\n", count: 14)
            _ = try await funnels.importEvents(funnelID: funnel.id, position: 2, data: Data(leads.utf8), by: f.owner)
            let rival = try await CompetitorService(database: database).create(Competitor(id: "", platform: .weibo, name: "山岚茶事", handle: "shanlan"), by: f.owner)
            for (day, followers) in [(LocalDate(year: 2026, month: 11, day: 23), 20_000.0), (LocalDate(year: 2026, month: 11, day: 29), 20_300.0)] {
                _ = try await CompetitorService(database: database).recordDay(competitorID: rival.id, day: day, values: [.followers: followers, .posts: 1, .avgLikes: 30, .avgComments: 5],
                                                                              by: f.owner)
            }

            let report = try await f.reports.issue(kind: .weekly, scope: .account(f.account.id), period: Self.week, by: f.owner)
            let reported = try #require(report.snapshot.funnels?.first)
            #expect(reported.name == "阅读到咨询" && reported.counts == [7_000, 35] && reported.previousCounts == [7_000, 14])
            #expect(reported.conversions == [0.005] && reported.previousConversions == [0.002])
            let competitor = try #require(report.snapshot.competitors?.first)
            #expect(competitor.name == "山岚茶事" && competitor.followers == 20_300 && competitor.growth == 300)
            #expect(competitor.ownFollowers == 10_140 && competitor.ownGrowth == 60, "the own 微博 account over the same week: \(String(describing: competitor.ownGrowth))")
            #expect(report.snapshot.sections.contains(.funnels) && report.snapshot.sections.contains(.competitors))

            // A group's report leaves out a funnel over a single account.
            let team = StoreFixtures.service(database)
            let group = try await team.createGroup(name: "微博矩阵", description: nil, by: f.owner)
            let groupReport = try await f.reports.issue(kind: .weekly, scope: .group(group.id), period: Self.week, by: f.owner)
            #expect(groupReport.snapshot.funnels == [])

            // A funnel step's drop-off alert in the week is reported with the step it is about.
            let rule = try #require(try await AlertService(database: database).rules().first { $0.preset == .funnelDropOff })
            var evidence = AlertEvidence()
            evidence.observed = 0.995
            _ = try await AlertRepository(database.sql).insert(Alert(id: "alt_funnelstep000001", ruleID: rule.id, subjectKey: "funnel:\(funnel.id):0", accountID: nil,
                                                                     occasion: .day(LocalDate(year: 2026, month: 11, day: 24)), evidence: evidence,
                                                                     firedAt: Self.instant("2026-11-25T02:00:00Z")))
            let workspaceReport = try await f.reports.issue(kind: .weekly, scope: .workspace, period: Self.week, by: f.owner)
            #expect(workspaceReport.snapshot.alerts.first { $0.id == "alt_funnelstep000001" }?.funnelStep
                    == ReportFunnelStep(funnelID: funnel.id, funnelName: "阅读到咨询", from: "阅读", to: "私信咨询"))
        }
    }

    @Test("new data does not change an issued report; regenerating does, keeps the summary and records who and when", arguments: TestDatabase.available)
    func archivedUntilRegenerated(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let report = try await f.reports.issue(kind: .weekly, scope: .workspace, period: Self.week, by: f.owner)
            _ = try await f.reports.updateText(id: report.id, summary: "本周阅读平稳。\n互动率 6%。", recommendations: "下周多发早间内容。", by: f.owner)
            // A back-office file corrects a day of the week afterwards.
            _ = try await f.metrics.recordDaily(accountID: f.account.id, day: Self.week.from, values: [.reads: 5_000],
                                                provenance: MetricProvenance(source: .fileImport, capturedAt: Date()))
            let unchanged = try #require(try await f.reports.find(id: report.id))
            #expect(unchanged.snapshot == report.snapshot && unchanged.snapshot.current.reads == 7_000)

            let later = Self.instant("2026-12-02T03:00:00Z")
            let regenerated = try await f.reports.regenerate(id: report.id, by: f.owner, now: later)
            let stored = try #require(try await f.reports.find(id: report.id))
            #expect(stored.snapshot.current.reads == 11_000 && regenerated.snapshot == stored.snapshot)
            #expect(stored.summary == "本周阅读平稳。\n互动率 6%。" && stored.recommendations == "下周多发早间内容。")
            #expect(stored.regeneratedBy == f.ownerID && stored.regeneratedAt == later && stored.issuedAt == report.issuedAt)
            await #expect(throws: NotFoundError.self) { try await f.reports.regenerate(id: "rep_missing", by: f.owner) }
        }
    }

    @Test("the summary is plain text of at most 2,000 characters, each field named when refused", arguments: TestDatabase.available)
    func summaryLimits(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let report = try await f.reports.issue(kind: .weekly, scope: .workspace, period: Self.week, by: f.owner)
            do {
                _ = try await f.reports.updateText(id: report.id, summary: String(repeating: "长", count: 2_001), recommendations: "ok\u{7}", by: f.owner)
                Issue.record("accepted an over-long summary")
            } catch let error as ValidationErrors {
                #expect(error.errors.map(\.field) == ["summary", "recommendations"])
                #expect(error.errors.first?.code == "too_long")
            }
            #expect(try await f.reports.find(id: report.id)?.summary == "")
        }
    }

    @Test("an alert that fired in the week is in the week's report with its evidence; a group's report leaves out other accounts", arguments: TestDatabase.available)
    func alertsInPeriod(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let day = LocalDate(year: 2026, month: 11, day: 27)
            _ = try await f.metrics.recordDaily(accountID: f.account.id, day: day, values: [.followersNet: -612], provenance: Self.pulled)
            let raised = try await AlertService(database: database).evaluate(accountIDs: [f.account.id], through: day, now: Self.instant("2026-11-28T02:00:00Z"))
            #expect(raised.count == 1)
            let report = try await f.reports.issue(kind: .weekly, scope: .account(f.account.id), period: Self.week, by: f.owner)
            #expect(report.snapshot.alertTotal == 1 && report.snapshot.alerts.first?.day == day && report.snapshot.alerts.first?.evidence.observed == -612)
            #expect(report.snapshot.current.followersNet == -552)
            let team = StoreFixtures.service(database)
            let other = try await team.createAccount(.init(platform: "douyin", name: "青禾抖音", handle: "qinghe-dy", groups: ["抖音矩阵"]), by: f.owner)
            let group = try #require(try await team.groups().first { $0.name == "抖音矩阵" })
            let grouped = try await f.reports.issue(kind: .weekly, scope: .group(group.id), period: Self.week, by: f.owner)
            #expect(grouped.snapshot.alertTotal == 0 && grouped.snapshot.accountCount == 1 && grouped.snapshot.scopeName == "抖音矩阵")
            #expect(grouped.snapshot.current.followers == nil, "an account without numbers has none, never zero: \(other.id)")
            await #expect(throws: ValidationError.self) { try await f.reports.issue(kind: .weekly, scope: .group("grp_missing"), period: Self.week, by: f.owner) }
        }
    }

    @Test("choosing a period: the latest full one, a chosen day's or month's; one not over yet is refused naming the field")
    func choosingPeriods() throws {
        let today = LocalDate(year: 2026, month: 12, day: 9)
        #expect(try ReportService.choosePeriod(kind: .monthly, date: nil, month: "2026-10", today: today).to == LocalDate(year: 2026, month: 10, day: 31))
        #expect(try ReportService.choosePeriod(kind: .weekly, date: "", month: "", today: today).from == LocalDate(year: 2026, month: 11, day: 30))
        #expect(try ReportService.choosePeriod(kind: .daily, date: "2026-12-01", month: nil, today: today).from == LocalDate(year: 2026, month: 12, day: 1))
        #expect(throws: ValidationError(field: "month", code: "report_period_not_over")) {
            try ReportService.choosePeriod(kind: .monthly, date: nil, month: "2026-12", today: today)
        }
        #expect(throws: ValidationError(field: "date", code: "report_period_not_over")) {
            try ReportService.choosePeriod(kind: .weekly, date: "2026-12-08", month: nil, today: today)
        }
        #expect(throws: ValidationError(field: "month", code: "report_month_needs_monthly")) {
            try ReportService.choosePeriod(kind: .weekly, date: nil, month: "2026-10", today: today)
        }
        #expect(throws: ValidationError(field: "date", code: "report_period_not_over")) {
            try ReportService.choosePeriod(kind: .daily, date: "9999-12-31", month: nil, today: today)
        }
        #expect(throws: ValidationError(field: "date", code: "invalid_date")) {
            try ReportService.choosePeriod(kind: .daily, date: "2026-02-30", month: nil, today: today)
        }
    }

    @Test("a schedule issues its period once when due, even when sweeps run side by side, and announces it once", arguments: TestDatabase.available)
    func scheduleOncePerPeriod(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let channels = NotificationChannelService(database: database, secrets: SecretBox(keyMaterial: "test key material"))
            _ = try await channels.create(.init(name: "数据群", kind: "dingtalk", url: "https://oapi.dingtalk.com/robot/send?access_token=reports",
                                                events: ["report.issued"]), by: f.owner)
            // Made on Monday 30 November at 08:59 in Shanghai: the week before is not issued at once, and nothing is due yet.
            let schedule = try await f.reports.createSchedule(ReportSchedule(id: "", kind: .weekly, scope: .account(f.account.id), weekday: 1, hour: 9, minute: 0),
                                                              by: f.owner, now: Self.instant("2026-11-30T00:59:00Z"))
            #expect(try await f.reports.issueDue(now: Self.instant("2026-11-30T00:59:30Z")).isEmpty)
            let sweeps = try await withThrowingTaskGroup(of: [Report].self) { group in
                for _ in 0..<3 { group.addTask { try await f.reports.issueDue(now: Self.instant("2026-11-30T01:02:00Z")) } }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let count = try await database.sql.raw("SELECT COUNT(*) AS n FROM reports WHERE schedule_id = \(bind: schedule.id)").first()?.decode(column: "n", as: Int.self)
            #expect(count == 1 && sweeps.count == 1)
            let issued = try #require(sweeps.first)
            #expect(issued.period == Self.week && issued.issuedBy == nil && issued.scheduleID == schedule.id)
            #expect(try await f.reports.schedule(id: schedule.id)?.lastPeriodFrom == Self.week.from)
            #expect(try await f.reports.issueDue(now: Self.instant("2026-12-01T01:00:00Z")).isEmpty, "the same week is not issued again")
            let jobs = try await database.sql.raw("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'notify'").first()?.decode(column: "n", as: Int.self)
            #expect(jobs == 1)
            // Paused, the next week is not issued; resumed, it is.
            var paused = schedule
            paused.enabled = false
            _ = try await f.reports.updateSchedule(paused, by: f.owner)
            #expect(try await f.reports.issueDue(now: Self.instant("2026-12-07T01:30:00Z")).isEmpty)
            paused.enabled = true
            _ = try await f.reports.updateSchedule(paused, by: f.owner)
            #expect(try await f.reports.issueDue(now: Self.instant("2026-12-07T01:30:00Z")).first?.period.from == LocalDate(year: 2026, month: 11, day: 30))
        }
    }

    @Test("schedules are refused with every broken field at once, audited when changed and deleted", arguments: TestDatabase.available)
    func scheduleValidation(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            do {
                _ = try await f.reports.createSchedule(ReportSchedule(id: "", kind: .monthly, scope: .account("acc_missing"), dayOfMonth: 31, hour: 25, minute: 0),
                                                       by: f.owner)
                Issue.record("accepted a broken schedule")
            } catch let error as ValidationErrors {
                #expect(error.errors.map(\.field) == ["scope_id", "day_of_month", "time"])
            }
            let schedule = try await f.reports.createSchedule(ReportSchedule(id: "", kind: .daily, scope: .workspace, weekday: 3, hour: 8, minute: 30), by: f.owner)
            #expect(schedule.weekday == nil, "a daily schedule keeps no weekday")
            try await f.reports.deleteSchedule(id: schedule.id, by: f.owner)
            #expect(try await f.reports.schedules().isEmpty)
            let log = try await StoreFixtures.service(database).auditLog(AuditFilter(entityType: AuditEntity.reportSchedule.rawValue), page: PageRequest())
            #expect(log.total == 2)
        }
    }
}
