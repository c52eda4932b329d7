import Foundation

/// The roles the planner staffs, each a built-in role.
public enum PlannedRole: String, Sendable, CaseIterable, Codable {
    /// 新媒体推广经理: leads the team.
    case manager
    /// 文案策划: writes the posts.
    case copywriter
    /// 新媒体运营专员: runs the accounts and the campaigns.
    case community
    /// 渠道经理 (BD): closes channel deals.
    case channel
    /// 媒介经理 (PR): books placements.
    case pr

    public var builtinRole: BuiltinRole { BuiltinRole(rawValue: rawValue)! }
}

/// The ways a goal's gain is produced.
public enum PlanLever: String, Sendable, CaseIterable, Codable {
    case content
    case campaign
    case channel
    case pr

    public func share(_ parameters: PlannerParameters, initial: Bool) -> Double {
        switch (self, initial) {
        case (.content, true): parameters[.shareContentInitial]
        case (.campaign, true): parameters[.shareCampaignInitial]
        case (.channel, true): parameters[.shareChannelInitial]
        case (.pr, true): parameters[.sharePRInitial]
        case (.content, false): parameters[.shareContentLater]
        case (.campaign, false): parameters[.shareCampaignLater]
        case (.channel, false): parameters[.shareChannelLater]
        case (.pr, false): parameters[.sharePRLater]
        }
    }
}

/// What the planner is asked: the stages still to run with the gain each must
/// produce, the calendar month the first of them starts in, the accounts the
/// team runs and what a post brings on them, the parameters, and (when
/// re-planning) how the real pace compares with the plan and who is on the team.
public struct PlanInput: Sendable, Equatable, Codable {
    public struct Stage: Sendable, Equatable, Codable {
        public var name: String
        public var months: Int
        /// The gain the stage must produce (its target minus where it starts).
        public var gain: Double
        /// The first stage of the goal is the initial-users stage; its shares differ.
        public var isInitial: Bool

        public init(name: String, months: Int, gain: Double, isInitial: Bool) {
            self.name = name
            self.months = months
            self.gain = gain
            self.isInitial = isInitial
        }
    }

    public var stages: [Stage]
    public var firstMonth: YearMonth
    public var accounts: Int
    /// Goal units a post brings, averaged over the accounts' platforms.
    public var fansPerPost: Double
    public var parameters: PlannerParameters
    /// Real output per piece of work against the model's (1 = as assumed).
    public var efficiency: Double
    /// Members holding each role now (re-planning only).
    public var team: [String: Int]?

    public init(stages: [Stage], firstMonth: YearMonth, accounts: Int, fansPerPost: Double, parameters: PlannerParameters, efficiency: Double = 1,
                team: [PlannedRole: Int]? = nil) {
        self.stages = stages
        self.firstMonth = firstMonth
        self.accounts = accounts
        self.fansPerPost = fansPerPost
        self.parameters = parameters
        self.efficiency = efficiency
        self.team = team.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.key.rawValue, $0.value) }) }
    }

    /// A plan assumes people at most half or twice as productive as the model says: a
    /// young goal's pace is noisy, and a team far off the model needs new parameters, not a bigger team.
    public static let efficiencyRange = 0.5...2.0

    /// The planner's input for a goal: every stage from its start, or (`remainingFrom`) the
    /// months from the one containing that day to the deadline with the gain still missing.
    /// Impossible requests are refused with the field to fix: no stages, the
    /// deadline passed, the target already met.
    public static func make(goal: Goal, current: Double?, baseline: Double, today: LocalDate, accountPlatforms: [Platform], parameters: PlannerParameters,
                            remainingFrom: LocalDate? = nil, efficiency: Double = 1, team: [PlannedRole: Int]? = nil) throws -> PlanInput {
        guard !goal.stages.isEmpty else { throw ValidationError(field: "stages", code: "plan_no_stages") }
        guard today <= goal.deadline else { throw ValidationError(field: "deadline", code: "plan_deadline_passed", params: ["deadline": goal.deadline.description]) }
        // A level goal whose target is not above where the accounts already stand has nothing to plan either.
        if goal.metric.isLevel, current == nil, baseline >= goal.target {
            throw ValidationError(field: "target", code: "plan_target_met", params: ["current": PlanningNumber.text(baseline), "target": PlanningNumber.text(goal.target)])
        }
        if let current, current >= goal.target {
            throw ValidationError(field: "target", code: "plan_target_met", params: ["current": PlanningNumber.text(current), "target": PlanningNumber.text(goal.target)])
        }
        let errors = parameters.validationErrors()
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        let perPost: Double
        if accountPlatforms.isEmpty { perPost = parameters[.fansPerPostWeChat] }
        else { perPost = accountPlatforms.map { parameters[PlannerParameter.fansPerPost($0)] }.reduce(0, +) / Double(accountPlatforms.count) }
        var stages: [Stage] = []
        var level = baseline
        for (index, stage) in goal.stages.enumerated() {
            stages.append(Stage(name: stage.name, months: stage.months, gain: max(0, stage.target - level), isInitial: index == 0))
            level = max(level, stage.target)
        }
        var firstMonth = YearMonth(goal.start)
        if let from = remainingFrom, from > goal.start {
            // Months already begun are behind us; the rest of each stage keeps its share of the planned gain.
            var elapsed = 0
            while goal.start.adding(months: elapsed + 1) <= from { elapsed += 1 }
            var remaining: [Stage] = []
            var skipped = 0
            for stage in stages {
                let done = min(stage.months, max(0, elapsed - skipped))
                skipped += stage.months
                guard stage.months - done > 0 else { continue }
                var rest = stage
                rest.months = stage.months - done
                rest.gain = stage.gain * Double(rest.months) / Double(stage.months)
                remaining.append(rest)
            }
            guard !remaining.isEmpty else { throw ValidationError(field: "deadline", code: "plan_deadline_passed", params: ["deadline": goal.deadline.description]) }
            let missing = goal.target - (current ?? baseline)
            let planned = remaining.reduce(0) { $0 + $1.gain }
            let totalMonths = remaining.reduce(0) { $0 + $1.months }
            for index in remaining.indices {
                remaining[index].gain = planned > 0 ? missing * remaining[index].gain / planned : missing * Double(remaining[index].months) / Double(totalMonths)
            }
            stages = remaining
            firstMonth = YearMonth(goal.start.adding(months: elapsed))
        }
        let bounded = min(max(efficiency.isFinite ? efficiency : 1, efficiencyRange.lowerBound), efficiencyRange.upperBound)
        return PlanInput(stages: stages, firstMonth: firstMonth, accounts: max(1, accountPlatforms.count), fansPerPost: perPost, parameters: parameters,
                         efficiency: bounded, team: team)
    }
}

/// The plan: per stage the work each lever must deliver a month, then per role
/// the people each stage needs, when each must join, and (when re-planning)
/// who is still missing. Every number carries its reason.
public struct PlanResult: Sendable, Equatable, Codable {
    public struct LeverPlan: Sendable, Equatable, Codable {
        public var lever: PlanLever
        public var share: Double
        /// Goal units the lever must bring a month.
        public var gainPerMonth: Double
        /// Pieces of work a month (posts, campaigns, deals, placements).
        public var unitsPerMonth: Double
        /// Goal units one piece brings (after the efficiency).
        public var yield: Double
        public var reason: PlanningReason
    }

    public struct StagePlan: Sendable, Equatable, Codable {
        public var name: String
        public var months: Int
        public var firstMonth: YearMonth
        public var lastMonth: YearMonth
        public var gain: Double
        public var gainPerMonth: Double
        public var levers: [LeverPlan]
    }

    public struct RolePlan: Sendable, Equatable, Codable {
        public var role: PlannedRole
        /// People needed in each stage.
        public var perStage: [Int]
        public var peak: Int
        /// The month the first person must have joined, nil when the role is not needed.
        public var joinBy: YearMonth?
        /// The stage whose work first needs the role.
        public var stage: Int?
        public var reasons: [PlanningReason]
    }

    public struct Hire: Sendable, Equatable, Codable {
        public var role: PlannedRole
        /// 1 for the role's first person, 2 for the second …
        public var ordinal: Int
        public var joinBy: YearMonth
        public var stage: Int
    }

    /// A role the real team lacks (re-planning).
    public struct Gap: Sendable, Equatable, Codable {
        public var role: PlannedRole
        public var needed: Int
        public var have: Int
        public var missing: Int
        public var joinBy: YearMonth
        /// The join-by month is before the plan's first month: hire now.
        public var overdue: Bool
    }

    public var firstMonth: YearMonth
    public var stages: [StagePlan]
    public var roles: [RolePlan]
    public var hires: [Hire]
    public var gaps: [Gap]?
    public var efficiency: Double
    public var headcount: Int { roles.reduce(0) { $0 + $1.peak } }

    public func role(_ role: PlannedRole) -> RolePlan? { roles.first { $0.role == role } }
}

/// 目标反推: from the gain each stage must produce to the people who produce it.
///
/// Per stage and month: each lever brings its share of the stage's monthly
/// gain; dividing by what one piece of work brings gives the pieces a month
/// (posts, campaigns, deals, placements); dividing by what one person does a
/// month gives the people, rounded up. Operators are also bound by the accounts
/// they can run; the manager by the people one can lead. A role joins in the
/// first month of the first stage that needs it, less the lead time; its
/// second person in the first stage needing two, and so on.
public enum Planner {
    /// Weeks in an average month (52 weeks over 12 months).
    public static let weeksPerMonth = 52.0 / 12.0

    /// Rounds up, forgiving the last bits of floating-point error (2.0000000001 people is 2).
    static func people(_ load: Double) -> Int { load <= 1e-9 ? 0 : Int((load - 1e-9).rounded(.up)) }

    public static func plan(_ input: PlanInput) throws -> PlanResult {
        guard !input.stages.isEmpty else { throw ValidationError(field: "stages", code: "plan_no_stages") }
        let errors = input.parameters.validationErrors()
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        guard input.fansPerPost.isFinite, input.fansPerPost > 0 else { throw ValidationError(field: PlannerParameter.fansPerPostWeChat.rawValue, code: "plan_parameter_not_positive") }
        let total = input.stages.reduce(0) { $0 + $1.gain }
        guard total > 0 else { throw ValidationError(field: "stages", code: "plan_no_gain") }
        for (index, stage) in input.stages.enumerated() where stage.months < 1 {
            throw ValidationError(field: "stages[\(index)].months", code: "out_of_range", params: ["min": "1", "max": String(Goal.maxMonths)])
        }
        let p = input.parameters
        let efficiency = input.efficiency
        func n(_ value: Double) -> String { PlanningNumber.text(value) }
        var stagePlans: [PlanResult.StagePlan] = []
        var counts: [PlannedRole: [Int]] = [:]
        var reasons: [PlannedRole: [PlanningReason]] = [:]
        var month = input.firstMonth
        let postCapacity = p[.postsPerCopywriterWeek] * weeksPerMonth
        for stage in input.stages {
            let perMonth = stage.gain / Double(stage.months)
            var levers: [PlanResult.LeverPlan] = []
            var units: [PlanLever: Double] = [:]
            for lever in PlanLever.allCases {
                let share = lever.share(p, initial: stage.isInitial)
                let base: Double = switch lever {
                case .content: input.fansPerPost
                case .campaign: p[.fansPerCampaign]
                case .channel: p[.fansPerDeal]
                case .pr: p[.fansPerPlacement]
                }
                let yield = base * efficiency
                let gain = perMonth * share
                let count = gain / yield
                units[lever] = count
                levers.append(PlanResult.LeverPlan(lever: lever, share: share, gainPerMonth: gain, unitsPerMonth: count, yield: yield,
                                                   reason: PlanningReason("lever_\(lever.rawValue)", ["share": n(share * 100), "gain": n(gain), "units": n(count), "yield": n(yield)])))
            }
            let posts = units[.content] ?? 0, campaigns = units[.campaign] ?? 0, deals = units[.channel] ?? 0, placements = units[.pr] ?? 0
            let writers = people(posts / postCapacity)
            let byCampaigns = people(campaigns / p[.campaignsPerOperatorMonth])
            let byAccounts = people(Double(input.accounts) / p[.accountsPerOperator])
            let operators = max(byCampaigns, byAccounts)
            let channel = people(deals / p[.dealsPerChannelMonth])
            let pr = people(placements / p[.placementsPerPRMonth])
            let led = writers + operators + channel + pr
            let managers = led > 0 ? people(Double(led) / p[.teamPerManager]) : 0
            let stageCounts: [PlannedRole: Int] = [.manager: managers, .copywriter: writers, .community: operators, .channel: channel, .pr: pr]
            for (role, count) in stageCounts { counts[role, default: []].append(count) }
            reasons[.copywriter, default: []].append(PlanningReason(writers > 0 ? "copywriter" : "copywriter_none",
                ["count": String(writers), "posts": n(posts), "capacity": n(postCapacity), "per_week": n(p[.postsPerCopywriterWeek])]))
            if byAccounts >= byCampaigns {
                reasons[.community, default: []].append(PlanningReason("community_accounts",
                    ["count": String(operators), "accounts": String(input.accounts), "per": n(p[.accountsPerOperator]), "campaigns": n(campaigns)]))
            } else {
                reasons[.community, default: []].append(PlanningReason("community_campaigns",
                    ["count": String(operators), "campaigns": n(campaigns), "per": n(p[.campaignsPerOperatorMonth]), "accounts": String(input.accounts)]))
            }
            reasons[.channel, default: []].append(PlanningReason(channel > 0 ? "channel" : "channel_none",
                ["count": String(channel), "deals": n(deals), "per": n(p[.dealsPerChannelMonth])]))
            reasons[.pr, default: []].append(PlanningReason(pr > 0 ? "pr" : "pr_none",
                ["count": String(pr), "placements": n(placements), "per": n(p[.placementsPerPRMonth])]))
            reasons[.manager, default: []].append(PlanningReason(managers > 0 ? "manager" : "manager_none",
                ["count": String(managers), "team": String(led), "per": n(p[.teamPerManager])]))
            stagePlans.append(PlanResult.StagePlan(name: stage.name, months: stage.months, firstMonth: month, lastMonth: month.adding(months: stage.months - 1),
                                                   gain: stage.gain, gainPerMonth: perMonth, levers: levers))
            month = month.adding(months: stage.months)
        }
        let lead = Int(p[.joinLeadMonths])
        var roles: [PlanResult.RolePlan] = []
        var hires: [PlanResult.Hire] = []
        for role in PlannedRole.allCases {
            let perStage = counts[role] ?? []
            let peak = perStage.max() ?? 0
            let first = perStage.firstIndex { $0 > 0 }
            roles.append(PlanResult.RolePlan(role: role, perStage: perStage, peak: peak,
                                             joinBy: first.map { stagePlans[$0].firstMonth.adding(months: -lead) }, stage: first, reasons: reasons[role] ?? []))
            if peak > 0 {
                for ordinal in 1...peak {
                    guard let stage = perStage.firstIndex(where: { $0 >= ordinal }) else { continue }
                    hires.append(PlanResult.Hire(role: role, ordinal: ordinal, joinBy: stagePlans[stage].firstMonth.adding(months: -lead), stage: stage))
                }
            }
        }
        var gaps: [PlanResult.Gap]?
        if let team = input.team {
            gaps = []
            for plan in roles where plan.peak > 0 {
                let have = team[plan.role.rawValue] ?? 0
                guard plan.peak > have else { continue }
                // The first person beyond those on the team sets the date.
                let firstMissing = hires.first { $0.role == plan.role && $0.ordinal == have + 1 }
                let joinBy = firstMissing?.joinBy ?? input.firstMonth
                gaps?.append(PlanResult.Gap(role: plan.role, needed: plan.peak, have: have, missing: plan.peak - have,
                                            joinBy: max(joinBy, input.firstMonth), overdue: joinBy < input.firstMonth))
            }
        }
        return PlanResult(firstMonth: input.firstMonth, stages: stagePlans, roles: roles, hires: hires, gaps: gaps, efficiency: efficiency)
    }
}
