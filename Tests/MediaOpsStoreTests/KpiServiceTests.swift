import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

/// KPI actuals against numbers worked out by hand from a small fixture (posts
/// and their snapshots, pieces and their review history, reports, follower
/// counts, tasks) on both databases; the weighted score; freezing on
/// finalizing; who may see and assess reviews; and reporting lines.
@Suite("KPIs, scorecards and reviews")
struct KpiServiceTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    /// 2026-11-20 12:00 in Shanghai: November is in progress.
    static let now = instant(2026, 11, 20, 12)
    static let november = KpiPeriod("2026-11")!

    static func instant(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    struct Tasks: TaskCompletionSource {
        func completions(assignee memberID: String, from: Date, to: Date) async throws -> [TaskCompletion] {
            [TaskCompletion(taskID: "task_1", title: "周报", dueAt: KpiServiceTests.instant(2026, 11, 2, 18), completedAt: KpiServiceTests.instant(2026, 11, 2, 17)),
             TaskCompletion(taskID: "task_2", title: "活动复盘", dueAt: KpiServiceTests.instant(2026, 11, 5, 18), completedAt: KpiServiceTests.instant(2026, 11, 7, 0))]
        }
    }

    struct Fixture {
        var database: Database
        var team: TeamService
        var owner: Principal
        var scorecards: ScorecardService
        var reviews: PerformanceReviewService
        var kpis: KpiService
        var members: [String: Member]
        var principals: [String: Principal]
    }

    static func fixture(_ plain: Database, tasks: (any TaskCompletionSource)? = nil) async throws -> Fixture {
        let database = plain.withClock { KpiServiceTests.now }
        let team = StoreFixtures.service(database)
        let (_, owner) = try await StoreFixtures.setUp(team)
        var members: [String: Member] = [:]
        var principals: [String: Principal] = [:]
        for (key, name, roles) in [("qing", "阿青", ["content", "copywriter"]), ("shu", "小数", ["analyst"]), ("shen", "审审", ["reviewer"]),
                                   ("jing", "经理", ["manager"]), ("other", "另一位经理", ["manager"]), ("look", "老板", ["viewer"]),
                                   ("dir", "总监", ["director"])] {
            let member = try await team.createMember(.init(email: "\(key)@example.com", name: name, roles: roles, password: "correct horse"), by: owner)
            members[key] = member
            principals[key] = Principal(memberID: member.id, name: name, roleKeys: roles, permissions: try await team.permissions(forRoles: roles))
        }
        let kpis = KpiService(database: database)
        let scorecards = ScorecardService(database: database, team: team, kpis: kpis, content: ContentService(database: database),
                                          publishing: PublishingService(database: database), analytics: AnalyticsService(database: database),
                                          reports: ReportService(database: database), tasks: tasks)
        let f = Fixture(database: database, team: team, owner: owner, scorecards: scorecards,
                        reviews: PerformanceReviewService(database: database, scorecards: scorecards), kpis: kpis, members: members, principals: principals)
        try await seed(f)
        return f
    }

    static func ms(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// The data the hand-computed numbers come from (see each test).
    static func seed(_ f: Fixture) async throws {
        let sql = f.database.sql
        let qing = f.members["qing"]!.id, shen = f.members["shen"]!.id, shu = f.members["shu"]!.id, jing = f.members["jing"]!.id
        let weibo = try await f.team.createAccount(.init(platform: "weibo", name: "青禾微博", handle: "qinghe", ownerID: .some(jing)), by: f.owner)
        let douyin = try await f.team.createAccount(.init(platform: "douyin", name: "青禾抖音", handle: "qinghe_dy", ownerID: .some(jing)), by: f.owner)
        func item(_ id: String, _ title: String, planned: Date?) async throws {
            try await sql.raw("""
                INSERT INTO content_items (id, title, body, summary, tags, category, state, owner_id, version, review_stage, is_template, search_text, created_at, updated_at, planned_at)
                VALUES (\(bind: id), \(bind: title), '', '', '[]', 'industry', 'draft', \(bind: qing), 1, 0, \(bind: false), \(bind: title), 0, 0, \(bind: planned.map(ms)))
                """).run()
        }
        func event(_ content: String, _ action: String, by member: String, at: Date) async throws {
            try await sql.raw("""
                INSERT INTO review_events (id, content_id, version, stage, member_id, member_name, action, comment, created_at)
                VALUES (\(bind: Identifier.makeOrdered("rev")), \(bind: content), 1, 0, \(bind: member), '', \(bind: action), '', \(bind: ms(at)))
                """).run()
        }
        func published(_ target: String, content: String, account: Account, at: Date, snapshots: [[MetricKey: Double]]) async throws {
            try await sql.raw("""
                INSERT INTO publish_targets (id, content_id, account_id, platform, due_at, state, published_at, created_at, updated_at)
                VALUES (\(bind: target), \(bind: content), \(bind: account.id), \(bind: account.platform.rawValue), \(bind: ms(at)), 'published', \(bind: ms(at)), 0, 0)
                """).run()
            let post = "post_" + target
            try await sql.raw("""
                INSERT INTO analytics_posts (id, account_id, platform_post_id, target_id, title, published_at, origin, created_at, updated_at)
                VALUES (\(bind: post), \(bind: account.id), \(bind: "pp_" + target), \(bind: target), 'x', \(bind: ms(at)), 'mediaops', 0, 0)
                """).run()
            for (index, values) in snapshots.enumerated() {
                let json = "{" + values.map { "\"\($0.key.rawValue)\":\($0.value)" }.sorted().joined(separator: ",") + "}"
                try await sql.raw("""
                    INSERT INTO post_snapshots (post_id, captured_at, hours_since_publish, metric_values, source)
                    VALUES (\(bind: post), \(bind: ms(at) + Int64(index + 1) * 3_600_000), \(bind: Double(index + 1)), \(bind: json), 'manual')
                    """).run()
            }
        }
        // Posts: reads 1000 (weibo, latest snapshot) + plays 3000 (douyin) = 4000;
        // engagement 40+10 and 150+30 = 230; the October post and the one without figures add nothing.
        for (id, title) in [("c_p1", "春茶上新"), ("c_p2", "茶园探访"), ("c_p3", "十月回顾"), ("c_p4", "无数据")] { try await item(id, title, planned: nil) }
        try await published("t_p1", content: "c_p1", account: weibo, at: instant(2026, 11, 3, 20),
                            snapshots: [[.reads: 500, .likes: 10], [.reads: 1000, .likes: 40, .comments: 10]])
        try await published("t_p2", content: "c_p2", account: douyin, at: instant(2026, 11, 10, 7), snapshots: [[.plays: 3000, .likes: 150, .shares: 30]])
        try await published("t_p3", content: "c_p3", account: weibo, at: instant(2026, 10, 30, 20), snapshots: [[.reads: 9999]])
        try await published("t_p4", content: "c_p4", account: weibo, at: instant(2026, 11, 12, 20), snapshots: [])
        // Pieces (lead 24 h): C1 on time (34 h ahead), C2 late (12 h ahead), C3 never submitted and overdue, C4 not due yet → 1 of 3.
        try await item("c_1", "稿件一", planned: instant(2026, 11, 5, 20))
        try await item("c_2", "稿件二", planned: instant(2026, 11, 8, 20))
        try await item("c_3", "稿件三", planned: instant(2026, 11, 18, 20))
        try await item("c_4", "稿件四", planned: instant(2026, 11, 28, 20))
        try await item("c_5", "十月稿件", planned: instant(2026, 10, 20, 20))
        // Reviews by 审审: 6 h, 10 h (changes requested), 2 h → mean 6 h; the October decision is outside.
        try await event("c_1", "submit", by: qing, at: instant(2026, 11, 4, 10))
        try await event("c_1", "approve", by: shen, at: instant(2026, 11, 4, 16))
        try await event("c_2", "submit", by: qing, at: instant(2026, 11, 8, 8))
        try await event("c_2", "request_changes", by: shen, at: instant(2026, 11, 8, 18))
        try await event("c_2", "submit", by: qing, at: instant(2026, 11, 9, 9))
        try await event("c_2", "approve", by: shen, at: instant(2026, 11, 9, 11))
        try await event("c_5", "submit", by: qing, at: instant(2026, 10, 31, 20))
        try await event("c_5", "approve", by: shen, at: instant(2026, 10, 31, 23))
        // Reports of 小数 (grace 24 h after the day the range ended): weekly on time, daily late,
        // the scheduled weekly on time; October's monthly report is outside → 2 of 3.
        try await sql.raw("""
            INSERT INTO report_schedules (id, kind, scope_kind, hour, minute, enabled, created_by, created_at, updated_at)
            VALUES ('rs_1', 'weekly', 'workspace', 8, 0, \(bind: true), \(bind: shu), 0, 0)
            """).run()
        for (id, kind, from, to, issuedBy, schedule, issued) in [
            ("r_1", "weekly", "2026-11-02", "2026-11-08", Optional(shu), Optional<String>.none, instant(2026, 11, 9, 18)),
            ("r_2", "daily", "2026-11-12", "2026-11-12", shu, nil, instant(2026, 11, 14, 9)),
            ("r_3", "monthly", "2026-10-01", "2026-10-31", shu, nil, instant(2026, 11, 1, 10)),
            ("r_4", "weekly", "2026-11-09", "2026-11-15", nil, "rs_1", instant(2026, 11, 16, 7)),
        ] {
            try await sql.raw("""
                INSERT INTO reports (id, kind, scope_kind, period_from, period_to, snapshot, summary, recommendations, issued_by, schedule_id, issued_at)
                VALUES (\(bind: id), \(bind: kind), 'workspace', \(bind: from), \(bind: to), '{}', '', '', \(bind: issuedBy), \(bind: schedule), \(bind: ms(issued)))
                """).run()
        }
        // Followers of 经理's accounts: weibo 10000 before November → 10300 (lost 60); douyin first counted
        // in November at 5000 → 5100 (lost 20). Growth 400; retention 1 − 80 ÷ 15000.
        let metrics = MetricService(database: f.database)
        let provenance = MetricProvenance(source: .manual, capturedAt: now)
        for (account, day, values) in [
            (weibo, "2026-10-31", [MetricKey.followersTotal: 10_000.0]), (weibo, "2026-11-01", [.followersTotal: 10_050, .followersLost: 20]),
            (weibo, "2026-11-10", [.followersTotal: 10_200, .followersLost: 30]), (weibo, "2026-11-19", [.followersTotal: 10_300, .followersLost: 10]),
            (douyin, "2026-11-02", [.followersTotal: 5_000, .followersLost: 5]), (douyin, "2026-11-15", [.followersTotal: 5_100, .followersLost: 15]),
        ] {
            _ = try await metrics.recordDaily(accountID: account.id, day: LocalDate(day)!, values: values, provenance: provenance)
        }
    }

    static func definition(_ source: KpiSource) -> KpiDefinition {
        KpiDefinition(id: "k", name: "x", source: source, roleKey: nil, weight: 10)
    }

    @Test("every source's actual matches the hand-computed figure, with the items it counted", arguments: TestDatabase.available)
    func actuals(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database, tasks: Tasks())
            let qing = f.members["qing"]!.id, shen = f.members["shen"]!.id, shu = f.members["shu"]!.id, jing = f.members["jing"]!.id
            func result(_ source: KpiSource, _ member: String) async throws -> KpiResult {
                try await f.scorecards.result(Self.definition(source), memberID: member, period: Self.november)
            }
            let reads = try await result(.postReads, qing)
            #expect(reads.actual == 4_000)
            #expect(reads.evidence.map(\.id) == ["t_p1", "t_p2", "t_p4"], "October's post is outside the period; the one without figures is listed")
            #expect(reads.evidence.map(\.value) == [1_000, 3_000, nil])
            let rate = try await result(.postInteractionRate, qing)
            #expect(abs(rate.actual! - 5.75) < 1e-9)
            let pieces = try await result(.piecesOnTime, qing)
            #expect(abs(pieces.actual! - 100.0 / 3) < 1e-9)
            #expect(pieces.evidence.map(\.timeliness) == [.onTime, .late, .late, .pending])
            let turnaround = try await result(.reviewTurnaround, shen)
            #expect(abs(turnaround.actual! - 6) < 1e-9)
            #expect(turnaround.evidence.compactMap(\.value) == [6, 10, 2])
            let reports = try await result(.reportsOnTime, shu)
            #expect(abs(reports.actual! - 200.0 / 3) < 1e-9)
            #expect(reports.evidence.map(\.id) == ["r_1", "r_2", "r_4"])
            let growth = try await result(.accountFanGrowth, jing)
            #expect(growth.actual == 400)
            let retention = try await result(.fanRetention, jing)
            #expect(abs(retention.actual! - (1 - 80.0 / 15_000) * 100) < 1e-9)
            let tasks = try await result(.tasksOnTime, qing)
            #expect(tasks.actual == 50, "the second task was finished 30 hours after its due time, beyond the 24-hour grace")
            // A platform narrows post and account sources.
            let weiboOnly = try await f.scorecards.result(KpiDefinition(id: "k", name: "x", source: .postReads, parameters: KpiParameters(platform: .weibo),
                                                                        roleKey: nil, weight: 1), memberID: qing, period: Self.november)
            #expect(weiboOnly.actual == 1_000)
            // Nothing to count is explained, never zero.
            let none = try await result(.piecesOnTime, shu)
            #expect(none.actual == nil && none.unavailable == .nothingDue)
            let noAccounts = try await result(.accountFanGrowth, qing)
            #expect(noAccounts.unavailable == .noOwnedAccounts)
        }
    }

    @Test("without the tasks room, tasks done on time is not available rather than zero", arguments: TestDatabase.available)
    func tasksNotConnected(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let result = try await f.scorecards.result(Self.definition(.tasksOnTime), memberID: f.members["qing"]!.id, period: Self.november)
            #expect(result.actual == nil)
            #expect(result.unavailable == .tasksNotConnected)
        }
    }

    @Test("the scorecard weighs capped achievements by weight over the KPIs with a target; a member's target wins over the role's",
          arguments: TestDatabase.available)
    func scorecard(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let qing = f.members["qing"]!
            let builtins = try await f.kpis.all()
            func id(_ source: KpiSource) -> String { builtins.first { $0.source == source }!.id }
            _ = try await f.kpis.setTarget(kpiID: id(.postReads), periodKind: .month, scope: .role("content"), value: 5_000, by: f.owner)
            _ = try await f.kpis.setTarget(kpiID: id(.postInteractionRate), periodKind: .month, scope: .role("content"), value: 5, by: f.owner)
            _ = try await f.kpis.setTarget(kpiID: id(.piecesOnTime), periodKind: .month, scope: .role("copywriter"), value: 80, by: f.owner)
            _ = try await f.kpis.setTarget(kpiID: id(.piecesOnTime), periodKind: .quarter, scope: .role("copywriter"), value: 10, by: f.owner)
            var card = try await f.scorecards.scorecard(member: qing, period: Self.november)
            #expect(card.lines.map(\.source) == [.postReads, .postInteractionRate, .piecesOnTime, .tasksOnTime])
            // (0.8 × 40 + 1.15 × 30 + (33.3 / 80) × 70) ÷ 140 × 100; tasks have no data and no target.
            let expected = (0.8 * 40 + 1.15 * 30 + (100.0 / 3 / 80) * 70) / 140 * 100
            #expect(abs(card.score! - expected) < 1e-9)
            _ = try await f.kpis.setTarget(kpiID: id(.piecesOnTime), periodKind: .month, scope: .member(qing.id), value: 50, by: f.owner)
            card = try await f.scorecards.scorecard(member: qing, period: Self.november)
            #expect(card.lines.first { $0.source == .piecesOnTime }?.target == 50)
            #expect(abs(card.score! - (0.8 * 40 + 1.15 * 30 + (100.0 / 3 / 50) * 70) / 140 * 100) < 1e-9)
            // Lower is better: 8 h target, 6 h actual → 1.33, counted as 1.2.
            let shen = f.members["shen"]!
            _ = try await f.kpis.setTarget(kpiID: id(.reviewTurnaround), periodKind: .month, scope: .role("reviewer"), value: 8, by: f.owner)
            let reviewer = try await f.scorecards.scorecard(member: shen, period: Self.november)
            #expect(reviewer.score == 120)
            let audit = try await f.team.auditLog(AuditFilter(entityType: AuditEntity.kpiTarget.rawValue), page: PageRequest(page: 1, perPage: 50))
            #expect(audit.total == 6)
        }
    }

    @Test("KPI definitions are validated field by field and audited", arguments: TestDatabase.available)
    func definitions(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            do {
                _ = try await f.kpis.create(KpiDefinition(id: "", name: " ", source: .piecesOnTime, parameters: KpiParameters(leadHours: 9_999),
                                                          roleKey: "nobody", weight: 0), by: f.owner)
                Issue.record("a broken KPI was saved")
            } catch let errors as ValidationErrors {
                #expect(errors.errors.map(\.field) == ["name", "weight", "lead_hours", "role"])
            }
            let created = try await f.kpis.create(KpiDefinition(id: "", name: "选题通过率", source: .piecesOnTime, roleKey: "content", weight: 20), by: f.owner)
            #expect(created.parameters.leadHours == 24)
            do {
                _ = try await f.kpis.setTarget(kpiID: created.id, periodKind: .month, scope: .role("content"), value: 120, by: f.owner)
                Issue.record("a percentage above 100 was accepted")
            } catch let error as ValidationError { #expect(error.code == "kpi_target_percent") }
            try await f.kpis.delete(id: created.id, by: f.owner)
            #expect(try await f.kpis.definition(id: created.id) == nil)
            let audit = try await f.team.auditLog(AuditFilter(entityType: AuditEntity.kpi.rawValue), page: PageRequest(page: 1, perPage: 10))
            #expect(audit.items.map(\.action) == [.delete, .create])
        }
    }

    @Test("a finalized review keeps its scorecard's numbers when the data changes afterwards", arguments: TestDatabase.available)
    func freezing(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let qing = f.members["qing"]!
            _ = try await f.team.setManager(memberID: qing.id, managerID: f.members["jing"]!.id, by: f.owner)
            let jing = f.principals["jing"]!
            do {
                _ = try await f.reviews.assess(memberID: qing.id, period: Self.november, assessment: "好", comments: nil, rating: "A", by: jing)
                Issue.record("assessed before the self-assessment")
            } catch let error as ConflictError { #expect(error.code == "review_awaiting_self") }
            _ = try await f.reviews.writeSelfAssessment(memberID: qing.id, period: Self.november, text: "按时交付了大部分稿件。", by: f.principals["qing"]!)
            _ = try await f.reviews.assess(memberID: qing.id, period: Self.november, assessment: "阅读量接近目标", comments: "下月提前交稿", rating: "b", by: jing)
            let finalized = try await f.reviews.finalize(memberID: qing.id, period: Self.november, by: jing)
            #expect(finalized.state == .finalized)
            #expect(finalized.rating == .b)
            // More reads arrive after the review was finalized.
            try await f.database.sql.raw("""
                INSERT INTO post_snapshots (post_id, captured_at, hours_since_publish, metric_values, source)
                VALUES ('post_t_p1', \(bind: Self.ms(Self.now)), 400, '{"reads":8000}', 'manual')
                """).run()
            let frozen = try await f.scorecards.scorecard(member: qing, period: Self.november)
            #expect(frozen.frozenAt != nil)
            #expect(frozen.lines.first { $0.source == .postReads }?.actual == 4_000)
            #expect(frozen.lines.first { $0.source == .postReads }?.evidence.count == 3)
            let live = try await f.scorecards.compute(member: qing, period: Self.november)
            #expect(live.lines.first { $0.source == .postReads }?.actual == 11_000)
            do {
                _ = try await f.reviews.writeSelfAssessment(memberID: qing.id, period: Self.november, text: "改一下", by: f.principals["qing"]!)
                Issue.record("a finalized review changed")
            } catch let error as ConflictError { #expect(error.code == "review_self_closed") }
            let history = try await f.reviews.history(reviewID: finalized.id)
            #expect(history.map(\.step) == [.opened, .selfAssessed, .assessed, .finalized])
        }
    }

    @Test("a review is seen by the member, their manager and the director only; only they assess, never themselves",
          arguments: TestDatabase.available)
    func reviewPermissions(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let qing = f.members["qing"]!
            _ = try await f.team.setManager(memberID: qing.id, managerID: f.members["jing"]!.id, by: f.owner)
            _ = try await f.team.setManager(memberID: f.members["shu"]!.id, managerID: f.members["other"]!.id, by: f.owner)
            _ = try await f.reviews.writeSelfAssessment(memberID: qing.id, period: Self.november, text: "自评", by: f.principals["qing"]!)
            // Who sees 阿青's review: herself, her manager, the director and the owner.
            for (key, sees) in [("qing", true), ("jing", true), ("dir", true), ("other", false), ("shen", false), ("shu", false), ("look", false)] {
                let principal = f.principals[key]!
                let listed = try await f.reviews.list(period: Self.november, by: principal).map(\.memberID).contains(qing.id)
                #expect(listed == sees, "\(key) in the list")
                do {
                    _ = try await f.reviews.review(memberID: qing.id, period: Self.november, by: principal)
                    #expect(sees, "\(key) read the review")
                } catch is NotFoundError {
                    #expect(!sees, "\(key) was refused")
                }
                let cards = try await f.scorecards.visibleMembers(principal).map(\.id)
                #expect(cards.contains(qing.id) == sees, "\(key) among the scorecards")
            }
            #expect(try await f.reviews.review(memberID: qing.id, period: Self.november, by: f.owner) != nil)
            // Assessing: not oneself, not someone else's manager, not a member who can only see.
            for (key, expected) in [("qing", "review_not_assessor"), ("other", "not_found"), ("shen", "not_found")] {
                do {
                    _ = try await f.reviews.assess(memberID: qing.id, period: Self.november, assessment: "x", comments: nil, rating: "A", by: f.principals[key]!)
                    Issue.record("\(key) assessed 阿青")
                } catch let error as PermissionError { #expect(error.code == expected) } catch is NotFoundError { #expect(expected == "not_found") }
            }
            // Only the member writes the self-assessment.
            do {
                _ = try await f.reviews.writeSelfAssessment(memberID: qing.id, period: Self.november, text: "代写", by: f.principals["jing"]!)
                Issue.record("a manager wrote the self-assessment")
            } catch let error as PermissionError { #expect(error.code == "review_self_only") }
            let director = try await f.reviews.assess(memberID: qing.id, period: Self.november, assessment: "总监评估", comments: nil, rating: "S",
                                                      by: f.principals["dir"]!)
            #expect(director.state == .assessed)
            do {
                _ = try await f.reviews.writeSelfAssessment(memberID: qing.id, period: KpiPeriod("2026-12")!, text: "未来", by: f.principals["qing"]!)
                Issue.record("a review of a period not begun was written")
            } catch let error as ValidationError { #expect(error.code == "review_period_future") }
        }
    }

    @Test("a reporting line names an active member, never the member, and never loops; it is audited", arguments: TestDatabase.available)
    func reportingLines(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let qing = f.members["qing"]!.id, jing = f.members["jing"]!.id, dir = f.members["dir"]!.id
            _ = try await f.team.setManager(memberID: qing, managerID: jing, by: f.owner)
            _ = try await f.team.setManager(memberID: jing, managerID: dir, by: f.owner)
            for (member, manager, code) in [(dir, qing, "manager_cycle"), (jing, qing, "manager_cycle"), (qing, qing, "manager_self"), (qing, "mem_nobody", "manager_unknown")] {
                do {
                    _ = try await f.team.setManager(memberID: member, managerID: manager, by: f.owner)
                    Issue.record("\(code) was accepted")
                } catch let error as ValidationError { #expect(error.code == code) }
            }
            #expect(try await f.team.manager(of: dir) == nil)
            #expect(try await f.team.directReports(of: jing) == [qing])
            _ = try await f.team.setManager(memberID: qing, managerID: nil, by: f.owner)
            #expect(try await f.team.manager(of: qing) == nil)
            let audit = try await f.team.auditLog(AuditFilter(entityType: AuditEntity.member.rawValue, entityID: qing), page: PageRequest(page: 1, perPage: 10))
            #expect(audit.items.filter { $0.changes["manager"] != nil }.count == 2)
            // A manager cannot set the line of someone with more power (the director).
            do {
                _ = try await f.team.setManager(memberID: dir, managerID: nil, by: f.principals["jing"]!)
                Issue.record("a manager changed the director's line")
            } catch let error as PermissionError { #expect(error.code == "member_outranks_you") }
        }
    }
}
