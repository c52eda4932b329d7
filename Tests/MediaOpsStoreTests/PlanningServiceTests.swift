import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

/// Goals, plans and profiles on both databases: a goal's progress read from
/// the metric store against figures worked out by hand, the planner on a
/// stored goal, versions that read back exactly, and every change audited.
@Suite("Planning store")
struct PlanningServiceTests {
    struct Fixture {
        var database: Database
        var owner: Principal
        var team: TeamService
        var accounts: [Account]
        var goals: GoalService
        var plans: PlanService
    }

    static let start = LocalDate(year: 2026, month: 1, day: 1)

    static func fixture(_ database: Database) async throws -> Fixture {
        let team = StoreFixtures.service(database)
        let (_, owner) = try await StoreFixtures.setUp(team)
        let oa = try await team.createAccount(.init(platform: "wechat_oa", name: "青禾服务号", handle: "qinghe_oa", kind: "service", fields: ["app_id": "wx5f1c2d3e4a6b7c80"]), by: owner)
        let weibo = try await team.createAccount(.init(platform: "weibo", name: "青禾微博", handle: "qinghetea"), by: owner)
        let goals = GoalService(database: database, team: team, analytics: AnalyticsService(database: database))
        return Fixture(database: database, owner: owner, team: team, accounts: [oa, weibo], goals: goals,
                       plans: PlanService(database: database, goals: goals, team: team))
    }

    static func seedGoal(_ f: Fixture, accounts: [String]? = nil) -> Goal {
        Goal(id: "", name: "服务号半年 5 万粉丝", metric: .followers, target: 50_000, start: start, deadline: LocalDate(year: 2026, month: 6, day: 30),
             accountIDs: accounts ?? [f.accounts[0].id], stages: [GoalStage(name: "初始用户期", months: 3, target: 15_000), GoalStage(name: "品牌推广期", months: 3, target: 50_000)])
    }

    /// Followers: the service account 1,000 + 100 a day, the Weibo account 400 + 20 a day, from Dec 20 to Mar 1.
    static func recordFollowers(_ f: Fixture) async throws {
        let metrics = MetricService(database: f.database)
        for offset in -12...59 {
            let day = start.adding(days: offset)
            let provenance = MetricProvenance(source: .manual, capturedAt: Date())
            _ = try await metrics.recordDaily(accountID: f.accounts[0].id, day: day, values: [.followersTotal: 1_000 + 100 * Double(offset + 12), .reads: 300],
                                              provenance: provenance)
            _ = try await metrics.recordDaily(accountID: f.accounts[1].id, day: day, values: [.followersTotal: 400 + 20 * Double(offset + 12)], provenance: provenance)
        }
    }

    @Test("a goal is validated field by field (stages named by their row), stored whole, and every change audited", arguments: TestDatabase.available)
    func goals(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            var broken = Self.seedGoal(f)
            broken.name = ""
            broken.accountIDs = ["acc_missing"]
            broken.stages[1].target = 40_000
            do {
                _ = try await f.goals.create(broken, by: f.owner)
                Issue.record("a broken goal was saved")
            } catch let errors as ValidationErrors {
                #expect(errors.errors.map(\.field) == ["name", "accounts", "stages[1].target"], "\(errors.errors)")
            }
            let created = try await f.goals.create(Self.seedGoal(f), by: f.owner)
            let read = try #require(try await f.goals.goal(id: created.id))
            #expect(read.stages == created.stages)
            #expect(read.accountIDs == [f.accounts[0].id])
            #expect(try await f.goals.exists(id: created.id))
            #expect(try await f.goals.options().map(\.name) == ["服务号半年 5 万粉丝"])
            var edited = read
            edited.target = 60_000
            edited.stages[1].target = 60_000
            _ = try await f.goals.update(edited, by: f.owner)
            let log = try await f.team.auditLog(AuditFilter(), page: PageRequest(page: 1, perPage: 20)).items.filter { $0.entityType == "goal" }
            #expect(log.map(\.action) == [.update, .create])
            #expect(log.first?.changes["target"] == ["50000", "60000"])
            try await f.goals.delete(id: created.id, by: f.owner)
            #expect(try await f.goals.goal(id: created.id) == nil)
            #expect(!(try await f.goals.exists(id: created.id)))
        }
    }

    @Test("progress from the metric store against hand-computed figures: two accounts' followers added up, baseline on the start day", arguments: TestDatabase.available)
    func progress(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            try await Self.recordFollowers(f)
            let goal = try await f.goals.create(Self.seedGoal(f, accounts: [f.accounts[0].id, f.accounts[1].id]), by: f.owner)
            let today = LocalDate(year: 2026, month: 3, day: 1)  // day 59, the last recorded
            let progress = try await f.goals.progress(goal, today: today)
            // Start day (offset 0): 1,000 + 1,200 and 400 + 240.
            #expect(progress.baseline == 2_200 + 640)
            // Day 59: (1,000 + 100 × 71) + (400 + 20 × 71).
            #expect(progress.current == 9_920)
            #expect(progress.pace == 120)
            // Mar 1 → Jun 30 is 121 days.
            #expect(progress.forecast == 24_440)
            #expect(progress.status == .behind)
            #expect(progress.asOf == today)
            // A new day shows at once: one more day of numbers, one more day of progress.
            _ = try await MetricService(database: database).recordDaily(accountID: f.accounts[0].id, day: today.adding(days: 1),
                                                                        values: [.followersTotal: 9_000], provenance: MetricProvenance(source: .manual, capturedAt: Date()))
            let next = try await f.goals.progress(goal, today: today.adding(days: 1))
            #expect(next.current == 10_820)
            // Reads add up from the start: 300 a day over 60 days on the service account.
            var reads = Self.seedGoal(f)
            reads.metric = .reads
            reads.name = "阅读"
            reads.target = 100_000
            reads.stages = [GoalStage(name: "一期", months: 6, target: 100_000)]
            let readGoal = try await f.goals.create(reads, by: f.owner)
            #expect(try await f.goals.progress(readGoal, today: today).current == 300 * 60)
        }
    }

    @Test("the planner on a stored goal; a version reads back exactly; re-planning counts the real team; parameters and profiles are audited",
          arguments: TestDatabase.available)
    func plans(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            var goal = Self.seedGoal(f)
            goal.start = LocalDate(year: 2099, month: 1, day: 1)
            goal.deadline = LocalDate(year: 2099, month: 6, day: 30)
            let created = try await f.goals.create(goal, by: f.owner)
            let computed = try await f.plans.compute(goal: created)
            #expect(computed.result.roles.map(\.peak) == [1, 1, 2, 1, 1])
            let version = try await f.plans.save(goalID: created.id, name: "默认假设", by: f.owner)
            let read = try #require(try await f.plans.version(id: version.id))
            #expect(read.result == version.result)
            #expect(read.input == version.input)
            await #expect(throws: ValidationError.self) { _ = try await f.plans.save(goalID: created.id, name: " ", by: f.owner) }
            // Slower channel deals: another version with more channel managers.
            let slower = try await f.plans.save(goalID: created.id, name: "渠道慢", overrides: PlannerParameters([.dealsPerChannelMonth: 1]), by: f.owner)
            #expect(PlanComparison.of(version.result, slower.result).rows.first { $0.role == .channel }!.change > 0)
            #expect(try await f.plans.versions(goalID: created.id).map(\.name) == ["渠道慢", "默认假设"])
            // Workspace parameters: stored, used by the next plan, audited; broken ones refused whole.
            _ = try await f.plans.saveParameters(PlannerParameters([.teamPerManager: 2]), by: f.owner)
            #expect(try await f.plans.compute(goal: created).result.role(.manager)?.peak == 3)
            await #expect(throws: ValidationError.self) { _ = try await f.plans.saveParameters(PlannerParameters([.fansPerDeal: 0]), by: f.owner) }
            #expect(try await f.plans.parameters()[.teamPerManager] == 2)
            // Re-plan with the real team: the owner holds no planned role, so every role is missing.
            let replan = try await f.plans.compute(goal: created, fromActuals: true)
            #expect(replan.kind == .replan)
            #expect(replan.result.gaps?.map(\.role).contains(.channel) == true)
            // Profiles: stored as written, reset to the default.
            let before = PositionProfile(role: .channel, duties: "默认", requirements: "默认", kpis: "默认", worksWith: "默认", isEdited: false)
            _ = try await f.plans.saveProfile(PositionProfile(role: .channel, duties: "谈合作\n跟踪渠道数据", requirements: "两年经验", kpis: "渠道新增", worksWith: "推广经理",
                                                              isEdited: true), before: before, by: f.owner)
            #expect(try await f.plans.editedProfile(role: .channel)?.duties == "谈合作\n跟踪渠道数据")
            try await f.plans.resetProfile(role: .channel, by: f.owner)
            #expect(try await f.plans.editedProfile(role: .channel) == nil)
            let kinds = Set(try await f.team.auditLog(AuditFilter(), page: PageRequest(page: 1, perPage: 50)).items.map(\.entityType))
            #expect(kinds.isSuperset(of: ["goal", "plan_version", "planner_parameters", "position_profile"]))
            // Deleting the goal takes its versions with it.
            try await f.goals.delete(id: created.id, by: f.owner)
            #expect(try await f.plans.version(id: version.id) == nil)
        }
    }

    @Test("no plan for a goal whose deadline has passed or whose target is met", arguments: TestDatabase.available)
    func impossible(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            try await Self.recordFollowers(f)
            let goal = try await f.goals.create(Self.seedGoal(f), by: f.owner)
            do {
                _ = try await f.plans.compute(goal: goal, today: LocalDate(year: 2026, month: 7, day: 2))
                Issue.record("a plan after the deadline")
            } catch let error as ValidationError { #expect(error.code == "plan_deadline_passed") }
            var small = Self.seedGoal(f)
            small.name = "小目标"
            small.target = 5_000
            small.stages = [GoalStage(name: "一期", months: 3, target: 3_000), GoalStage(name: "二期", months: 3, target: 5_000)]
            let met = try await f.goals.create(small, by: f.owner)
            do {
                _ = try await f.plans.compute(goal: met, today: LocalDate(year: 2026, month: 3, day: 1))
                Issue.record("a plan for a goal already met")
            } catch let error as ValidationError { #expect(error.code == "plan_target_met") }
        }
    }
}
