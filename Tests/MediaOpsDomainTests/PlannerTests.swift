import Foundation
import MediaOpsDomain
import Testing

/// 目标反推 without a database: the source material's example, each
/// assumption moving the plan the way it should, and impossible requests refused.
@Suite("Planner")
struct PlannerTests {
    /// The source material's example: a WeChat service account, 50,000 followers in six months, two stages.
    static let seedGoal = Goal(id: "goal_seed", name: "服务号半年 5 万粉丝", metric: .followers, target: 50_000,
                               start: LocalDate(year: 2026, month: 1, day: 1), deadline: LocalDate(year: 2026, month: 6, day: 30),
                               accountIDs: ["acc_oa"], stages: [GoalStage(name: "初始用户期", months: 3, target: 15_000),
                                                                GoalStage(name: "品牌推广期", months: 3, target: 50_000)])
    static let today = LocalDate(year: 2025, month: 12, day: 20)

    static func plan(_ overrides: [PlannerParameter: Double] = [:], goal: Goal = seedGoal, platforms: [Platform] = [.wechatOA]) throws -> PlanResult {
        try Planner.plan(try PlanInput.make(goal: goal, current: 0, baseline: 0, today: today, accountPlatforms: platforms,
                                            parameters: PlannerParameters(overrides)))
    }

    static func peaks(_ result: PlanResult) -> [PlannedRole: Int] {
        Dictionary(uniqueKeysWithValues: result.roles.map { ($0.role, $0.peak) })
    }

    @Test("the default model gives the source material's 1+1+2+1+1, the channel manager joining in the brand-promotion stage")
    func seedFormation() throws {
        let result = try Self.plan()
        #expect(Self.peaks(result) == [.manager: 1, .copywriter: 1, .community: 2, .channel: 1, .pr: 1])
        #expect(result.headcount == 6)
        #expect(result.role(.channel)?.perStage == [0, 1])
        #expect(result.role(.channel)?.stage == 1)
        #expect(result.role(.channel)?.joinBy == YearMonth(year: 2026, month: 4))
        for role in [PlannedRole.manager, .copywriter, .community, .pr] {
            #expect(result.role(role)?.joinBy == YearMonth(year: 2026, month: 1), "\(role)")
            #expect(result.role(role)?.stage == 0, "\(role)")
        }
        // Both operators are needed from the first month; each line says why.
        #expect(result.role(.community)?.perStage == [2, 2])
        #expect(result.role(.community)?.reasons.first?.code == "community_campaigns")
        #expect(result.role(.channel)?.reasons.map(\.code) == ["channel_none", "channel"])
        #expect(result.hires.count == 6)
        #expect(result.stages.map(\.gain) == [15_000, 35_000])
    }

    @Test("six accounts need two operators, three each: the reason names the accounts")
    func accountsBind() throws {
        let result = try Self.plan([.shareCampaignInitial: 0.1, .shareContentInitial: 0.7], platforms: Array(repeating: .wechatOA, count: 6))
        let reason = try #require(result.role(.community)?.reasons.first)
        #expect(result.role(.community)?.perStage.first == 2)
        #expect(reason.code == "community_accounts")
        #expect(reason.params["accounts"] == "6")
        #expect(reason.params["per"] == "3")
    }

    /// Each assumption, changed alone, moves the role it feeds the expected way.
    @Test("each parameter moves the plan in the expected direction", arguments: [
        (PlannerParameter.fansPerPostWeChat, 40.0, PlannedRole.copywriter, 1),
        (.postsPerCopywriterWeek, 1, .copywriter, 1),
        (.fansPerCampaign, 300, .community, 1),
        (.campaignsPerOperatorMonth, 0.5, .community, 1),
        (.accountsPerOperator, 1, .community, 0),
        (.fansPerDeal, 200, .channel, 1),
        (.dealsPerChannelMonth, 1, .channel, 1),
        (.fansPerPlacement, 100, .pr, 1),
        (.placementsPerPRMonth, 1, .pr, 1),
        (.teamPerManager, 2, .manager, 1),
        (.fansPerPostWeChat, 10_000, .copywriter, 0),
        (.fansPerCampaign, 100_000, .community, 0),
    ] as [(PlannerParameter, Double, PlannedRole, Int)])
    func direction(parameter: PlannerParameter, value: Double, role: PlannedRole, expectMore: Int) throws {
        let base = try #require(Self.peaks(try Self.plan())[role])
        let changed = try #require(Self.peaks(try Self.plan([parameter: value]))[role])
        if value < parameter.defaultValue && expectMore == 1 { #expect(changed > base, "\(parameter) → \(value)") }
        else if value > parameter.defaultValue { #expect(changed <= base, "\(parameter) → \(value)") }
        else { #expect(changed >= base, "\(parameter) → \(value)") }
    }

    @Test("more followers to win means more people; a channel share in the first stage brings the channel manager forward")
    func targetAndShares() throws {
        var bigger = Self.seedGoal
        bigger.target = 200_000
        bigger.stages = [GoalStage(name: "初始用户期", months: 3, target: 60_000), GoalStage(name: "品牌推广期", months: 3, target: 200_000)]
        #expect(try Self.plan(goal: bigger).headcount > (try Self.plan()).headcount)
        let early = try Self.plan([.shareChannelInitial: 0.2, .shareCampaignInitial: 0.3])
        #expect(early.role(.channel)?.stage == 0)
        #expect(early.role(.channel)?.joinBy == YearMonth(year: 2026, month: 1))
    }

    @Test("a lead time moves every join-by month earlier")
    func leadTime() throws {
        let result = try Self.plan([.joinLeadMonths: 1])
        #expect(result.role(.channel)?.joinBy == YearMonth(year: 2026, month: 3))
        #expect(result.role(.manager)?.joinBy == YearMonth(year: 2025, month: 12))
    }

    @Test("impossible requests are refused with the field to fix, never a plan", arguments: [
        ("no_stages", "stages", "plan_no_stages"),
        ("deadline_passed", "deadline", "plan_deadline_passed"),
        ("target_met", "target", "plan_target_met"),
        ("baseline_above_target", "target", "plan_target_met"),
        ("zero_productivity", "posts_per_copywriter_week", "plan_parameter_not_positive"),
        ("negative_yield", "fans_per_deal", "plan_parameter_not_positive"),
        ("shares", "share_content_initial", "plan_shares_sum"),
    ])
    func impossible(name: String, field: String, code: String) throws {
        var goal = Self.seedGoal
        var parameters = PlannerParameters()
        var today = Self.today
        var current: Double? = 0
        var baseline = 0.0
        switch name {
        case "no_stages": goal.stages = []
        case "deadline_passed": today = LocalDate(year: 2026, month: 7, day: 1)
        case "target_met": current = 50_000
        case "baseline_above_target": current = nil; baseline = 65_000
        case "zero_productivity": parameters[.postsPerCopywriterWeek] = 0
        case "negative_yield": parameters[.fansPerDeal] = -5
        default: parameters[.shareContentInitial] = 0.5
        }
        do {
            let input = try PlanInput.make(goal: goal, current: current, baseline: baseline, today: today, accountPlatforms: [.wechatOA], parameters: parameters)
            _ = try Planner.plan(input)
            Issue.record("\(name) made a plan")
        } catch let error as ValidationError {
            #expect(error.field == field)
            #expect(error.code == code)
        }
    }

    @Test("re-planning from actuals: the months left carry the missing gain, a slower real pace needs more people, and the real team's gaps are dated")
    func replan() throws {
        let from = LocalDate(year: 2026, month: 3, day: 10)
        let input = try PlanInput.make(goal: Self.seedGoal, current: 8_000, baseline: 0, today: from, accountPlatforms: [.wechatOA],
                                       parameters: PlannerParameters(), remainingFrom: from, efficiency: 0.8,
                                       team: [.manager: 1, .copywriter: 1, .community: 2, .pr: 1])
        #expect(input.firstMonth == YearMonth(year: 2026, month: 3))
        #expect(input.stages.map(\.months) == [1, 3])
        #expect(abs(input.stages.reduce(0) { $0 + $1.gain } - 42_000) < 0.001)
        let result = try Planner.plan(input)
        let gaps = try #require(result.gaps)
        let channel = try #require(gaps.first { $0.role == .channel })
        #expect(channel.missing >= 1)
        #expect(channel.have == 0)
        #expect(channel.joinBy == YearMonth(year: 2026, month: 4))
        #expect(result.efficiency == 0.8)
        let asPlanned = try Planner.plan(try PlanInput.make(goal: Self.seedGoal, current: 8_000, baseline: 0, today: from, accountPlatforms: [.wechatOA],
                                                            parameters: PlannerParameters(), remainingFrom: from))
        #expect(result.headcount >= asPlanned.headcount)
    }

    @Test("two versions compared: people per role per stage and the change with its sign")
    func comparison() throws {
        let left = try Self.plan()
        let right = try Self.plan([.dealsPerChannelMonth: 1])
        let comparison = PlanComparison.of(left, right)
        let channel = try #require(comparison.rows.first { $0.role == .channel })
        #expect(channel.change > 0)
        #expect(comparison.rows.first { $0.role == .copywriter }?.change == 0)
    }
}

/// A goal's fields and its progress against hand-computed figures.
@Suite("Goals")
struct GoalTests {
    @Test("a goal's fields are checked all at once, each stage's fields named")
    func validation() {
        var goal = PlannerTests.seedGoal
        #expect(goal.validationErrors().isEmpty)
        #expect(goal.months == 6)
        goal.name = ""
        goal.target = 0
        goal.accountIDs = []
        goal.stages[0].months = 0
        goal.stages[1].target = 40_000
        let fields = goal.validationErrors().map(\.field)
        #expect(fields.contains("name"))
        #expect(fields.contains("target"))
        #expect(fields.contains("accounts"))
        #expect(fields.contains("stages[0].months"))
        var months = PlannerTests.seedGoal
        months.stages[1].months = 4
        #expect(months.validationErrors().map(\.code) == ["goal_stage_months"])
        var last = PlannerTests.seedGoal
        last.stages[1].target = 45_000
        #expect(last.validationErrors().map(\.field) == ["stages[1].target"])
        var backwards = PlannerTests.seedGoal
        backwards.deadline = backwards.start
        #expect(backwards.validationErrors().map(\.field).contains("deadline"))
    }

    @Test("months count a started month whole; a stage ends where its months do")
    func calendar() {
        var goal = PlannerTests.seedGoal
        #expect(goal.stageEnds == [LocalDate(year: 2026, month: 3, day: 31), LocalDate(year: 2026, month: 6, day: 30)])
        goal.start = LocalDate(year: 2026, month: 1, day: 15)
        goal.deadline = LocalDate(year: 2026, month: 7, day: 14)
        #expect(goal.months == 6)
        #expect(LocalDate(year: 2026, month: 1, day: 31).adding(months: 1) == LocalDate(year: 2026, month: 2, day: 28))
        #expect(YearMonth(year: 2026, month: 13) == YearMonth(year: 2027, month: 1))
        #expect(YearMonth(year: 2026, month: 1).adding(months: -1).description == "2025-12")
    }

    /// Two accounts, followers as levels: 1,000 + 500 at the start, +50 and +25 a day.
    static func levels(days: Int) -> [[LocalDate: Double]] {
        let start = PlannerTests.seedGoal.start
        var a: [LocalDate: Double] = [:], b: [LocalDate: Double] = [:]
        for offset in 0...days {
            a[start.adding(days: offset)] = 1_000 + 50 * Double(offset)
            b[start.adding(days: offset)] = 500 + 25 * Double(offset)
        }
        return [a, b]
    }

    @Test("followers progress against hand-computed figures: baseline, plan today, pace, forecast, status")
    func levelProgress() {
        let goal = PlannerTests.seedGoal
        let today = LocalDate(year: 2026, month: 3, day: 2)  // day 60
        let progress = GoalProgress.compute(goal, accounts: Self.levels(days: 60), today: today)
        #expect(progress.baseline == 1_500)
        #expect(progress.current == 6_000)
        #expect(progress.pace == 75)
        #expect(progress.paceDays == 30)
        // 120 days from Mar 2 to Jun 30.
        #expect(progress.forecast == 15_000)
        #expect(progress.status == .behind)
        // Plan: 1,500 → 15,000 over Jan 1 – Mar 31 (89 days); on day 60: 1,500 + 13,500 × 60 / 89.
        #expect(abs(progress.planToday - (1_500 + 13_500 * 60 / 89)) < 0.0001)
        #expect(abs(progress.fraction - 4_500 / 48_500) < 0.0001)
    }

    @Test("status: on track, at risk, achieved, upcoming, no numbers")
    func statuses() {
        var goal = PlannerTests.seedGoal
        goal.target = 10_000
        goal.stages = [GoalStage(name: "一期", months: 3, target: 6_000), GoalStage(name: "二期", months: 3, target: 10_000)]
        let today = LocalDate(year: 2026, month: 3, day: 2)
        #expect(GoalProgress.compute(goal, accounts: Self.levels(days: 60), today: today).status == .onTrack)
        goal.target = 16_000
        goal.stages[1].target = 16_000
        // Forecast 15,000 of 16,000: 9,000 of the 10,000 still missing → at risk.
        #expect(GoalProgress.compute(goal, accounts: Self.levels(days: 60), today: today).status == .atRisk)
        goal.target = 6_000
        goal.stages = [GoalStage(name: "一期", months: 3, target: 3_000), GoalStage(name: "二期", months: 3, target: 6_000)]
        #expect(GoalProgress.compute(goal, accounts: Self.levels(days: 60), today: today).status == .achieved)
        #expect(GoalProgress.compute(goal, accounts: Self.levels(days: 60), today: LocalDate(year: 2025, month: 12, day: 1)).status == .upcoming)
        #expect(GoalProgress.compute(goal, accounts: [], today: today).status == .noData)
    }

    @Test("a count metric sums the daily values from the start, not before")
    func counts() {
        var goal = PlannerTests.seedGoal
        goal.metric = .reads
        var days: [LocalDate: Double] = [:]
        for offset in -5...9 { days[goal.start.adding(days: offset)] = 100 }
        let progress = GoalProgress.compute(goal, accounts: [days], today: goal.start.adding(days: 9))
        #expect(progress.baseline == 0)
        #expect(progress.current == 1_000)
        #expect(progress.pace == 100)
    }
}
