import Foundation

/// Every assumption of the productivity model, named. Each has a default, a
/// unit, bounds and a source note (in the catalogs: `planner.param.<key>.*`),
/// shown beside the plan; a workspace overrides the defaults it disagrees with
/// and a plan run may override them again.
///
/// Where the defaults come from: the source material's example (a WeChat
/// service account growing to 50,000 followers in six months with a
/// 1+1+2+1+1 team, the channel manager joining in the brand-promotion stage)
/// and common rules of thumb of Chinese new-media teams: an article on an
/// established service account brings on the order of a hundred new followers,
/// a copywriter finishes about one piece a working day, an operator runs two or
/// three accounts, a channel manager closes about one deal a week, a PR manager
/// books about one placement a week, a manager leads up to eight people. The
/// defaults reproduce the example formation; teams replace them with their own
/// numbers once they have some.
public enum PlannerParameter: String, Sendable, CaseIterable, Codable {
    case fansPerPostWeChat = "fans_per_post_wechat"
    case fansPerPostWeibo = "fans_per_post_weibo"
    case fansPerPostVideo = "fans_per_post_video"
    case fansPerPostXiaohongshu = "fans_per_post_xiaohongshu"
    case fansPerPostOther = "fans_per_post_other"
    case fansPerCampaign = "fans_per_campaign"
    case fansPerDeal = "fans_per_deal"
    case fansPerPlacement = "fans_per_placement"
    case postsPerCopywriterWeek = "posts_per_copywriter_week"
    case accountsPerOperator = "accounts_per_operator"
    case campaignsPerOperatorMonth = "campaigns_per_operator_month"
    case dealsPerChannelMonth = "deals_per_channel_month"
    case placementsPerPRMonth = "placements_per_pr_month"
    case teamPerManager = "team_per_manager"
    case shareContentInitial = "share_content_initial"
    case shareCampaignInitial = "share_campaign_initial"
    case shareChannelInitial = "share_channel_initial"
    case sharePRInitial = "share_pr_initial"
    case shareContentLater = "share_content_later"
    case shareCampaignLater = "share_campaign_later"
    case shareChannelLater = "share_channel_later"
    case sharePRLater = "share_pr_later"
    case joinLeadMonths = "join_lead_months"

    public enum Unit: String, Sendable, CaseIterable, Codable {
        /// Goal units (followers, reads …) one piece of work brings.
        case perPiece = "per_piece"
        case postsPerWeek = "posts_per_week"
        case accounts
        case perMonth = "per_month"
        case people
        case share
        case months
    }

    public enum Group: String, Sendable, CaseIterable, Codable {
        case yield
        case capacity
        case shareInitial = "share_initial"
        case shareLater = "share_later"
        case timing
    }

    public var defaultValue: Double {
        switch self {
        case .fansPerPostWeChat: 150
        case .fansPerPostWeibo: 80
        case .fansPerPostVideo: 300
        case .fansPerPostXiaohongshu: 120
        case .fansPerPostOther: 60
        case .fansPerCampaign: 1_000
        case .fansPerDeal: 1_000
        case .fansPerPlacement: 500
        case .postsPerCopywriterWeek: 5
        case .accountsPerOperator: 3
        case .campaignsPerOperatorMonth: 2
        case .dealsPerChannelMonth: 4
        case .placementsPerPRMonth: 4
        case .teamPerManager: 8
        case .shareContentInitial: 0.3
        case .shareCampaignInitial: 0.5
        case .shareChannelInitial: 0
        case .sharePRInitial: 0.2
        case .shareContentLater: 0.25
        case .shareCampaignLater: 0.3
        case .shareChannelLater: 0.3
        case .sharePRLater: 0.15
        case .joinLeadMonths: 0
        }
    }

    public var unit: Unit {
        switch self {
        case .fansPerPostWeChat, .fansPerPostWeibo, .fansPerPostVideo, .fansPerPostXiaohongshu, .fansPerPostOther,
             .fansPerCampaign, .fansPerDeal, .fansPerPlacement: .perPiece
        case .postsPerCopywriterWeek: .postsPerWeek
        case .accountsPerOperator: .accounts
        case .campaignsPerOperatorMonth, .dealsPerChannelMonth, .placementsPerPRMonth: .perMonth
        case .teamPerManager: .people
        case .shareContentInitial, .shareCampaignInitial, .shareChannelInitial, .sharePRInitial,
             .shareContentLater, .shareCampaignLater, .shareChannelLater, .sharePRLater: .share
        case .joinLeadMonths: .months
        }
    }

    public var group: Group {
        switch unit {
        case .perPiece: .yield
        case .share: [.shareContentInitial, .shareCampaignInitial, .shareChannelInitial, .sharePRInitial].contains(self) ? .shareInitial : .shareLater
        case .months: .timing
        default: .capacity
        }
    }

    /// Shares and the lead time may be zero; every yield and capacity must be positive.
    public var mayBeZero: Bool { unit == .share || unit == .months }

    public var range: ClosedRange<Double> {
        switch unit {
        case .perPiece: 0...1_000_000
        case .postsPerWeek: 0...100
        case .accounts: 0...100
        case .perMonth: 0...1_000
        case .people: 0...100
        case .share: 0...1
        case .months: 0...12
        }
    }

    /// Whole numbers only (people, accounts, months).
    public var isWhole: Bool { unit == .accounts || unit == .people || unit == .months }

    /// A value checked: a number, in range, positive where it must be.
    public func check(_ value: Double) -> ValidationError? {
        guard value.isFinite else { return ValidationError(field: rawValue, code: "metric_not_a_number") }
        if !mayBeZero, value <= 0 { return ValidationError(field: rawValue, code: "plan_parameter_not_positive") }
        if !range.contains(value) {
            return ValidationError(field: rawValue, code: "out_of_range", params: ["min": PlanningNumber.text(range.lowerBound), "max": PlanningNumber.text(range.upperBound)])
        }
        if isWhole, value.rounded() != value { return ValidationError(field: rawValue, code: "metric_not_whole") }
        return nil
    }

    /// The yield per post for an account's platform.
    public static func fansPerPost(_ platform: Platform) -> PlannerParameter {
        switch platform {
        case .wechatOA: .fansPerPostWeChat
        case .weibo: .fansPerPostWeibo
        case .douyin, .kuaishou, .wechatChannels, .bilibili: .fansPerPostVideo
        case .xiaohongshu: .fansPerPostXiaohongshu
        default: .fansPerPostOther
        }
    }
}

/// A set of parameter values: the defaults with overrides on top.
public struct PlannerParameters: Sendable, Equatable, Codable {
    public var overrides: [String: Double]

    public init(_ overrides: [PlannerParameter: Double] = [:]) {
        self.overrides = Dictionary(uniqueKeysWithValues: overrides.map { ($0.key.rawValue, $0.value) })
    }

    public subscript(_ parameter: PlannerParameter) -> Double {
        get { overrides[parameter.rawValue] ?? parameter.defaultValue }
        set { overrides[parameter.rawValue] = newValue }
    }

    /// These values with `other`'s overrides on top.
    public func merging(_ other: PlannerParameters) -> PlannerParameters {
        var merged = self
        for (key, value) in other.overrides { merged.overrides[key] = value }
        return merged
    }

    public func isOverridden(_ parameter: PlannerParameter) -> Bool { overrides[parameter.rawValue] != nil }

    /// Every broken value at once; the shares of each stage kind must add up to 1.
    public func validationErrors() -> [ValidationError] {
        var errors: [ValidationError] = []
        for key in overrides.keys.sorted() where PlannerParameter(rawValue: key) == nil {
            errors.append(ValidationError(field: key, code: "plan_parameter_unknown"))
        }
        for parameter in PlannerParameter.allCases {
            if let problem = parameter.check(self[parameter]) { errors.append(problem) }
        }
        for (group, first) in [(PlannerParameter.Group.shareInitial, PlannerParameter.shareContentInitial), (.shareLater, .shareContentLater)] {
            let sum = PlannerParameter.allCases.filter { $0.group == group }.reduce(0) { $0 + self[$1] }
            if sum.isFinite, abs(sum - 1) > 0.001 {
                errors.append(ValidationError(field: first.rawValue, code: "plan_shares_sum", params: ["sum": PlanningNumber.text(sum * 100) + "%"]))
            }
        }
        return errors
    }
}
