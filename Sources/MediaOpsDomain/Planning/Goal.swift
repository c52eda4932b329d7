import Foundation

/// What a goal counts, read from the metric store's canonical daily keys.
///
/// `followers` is a level (the accounts' follower totals added up on a day);
/// the others are counts whose daily values are summed from the goal's start.
public enum GoalMetric: String, Sendable, CaseIterable, Codable {
    case followers
    case reads
    case plays
    case likes
    case comments
    case shares
    /// A stage of one of the team's funnels: leads (私信咨询, 留资), orders (下单) …
    /// counted from the events the team imports, or a metric the stage sums.
    case funnelStage = "funnel_stage"

    /// The metric store key the goal reads; nil for a funnel stage, which is counted by its funnel.
    public var metricKey: MetricKey? {
        switch self {
        case .followers: .followersTotal
        case .reads: .reads
        case .plays: .plays
        case .likes: .likes
        case .comments: .comments
        case .shares: .shares
        case .funnelStage: nil
        }
    }

    /// A level is read as the latest value; a count is summed over the days.
    public var isLevel: Bool { self == .followers }
}

/// The funnel stage a goal counts, as "<funnel id>:<position>" in forms and as
/// `funnel_id` and `funnel_position` (1 = the first stage) in the API.
public struct GoalFunnelStage: Sendable, Equatable, Hashable {
    public var funnelID: String
    public var position: Int
    /// The stage's name and its funnel's, as they are now (filled in when read; nil when the funnel is gone).
    public var stageName: String?
    public var funnelName: String?

    public init(funnelID: String, position: Int, stageName: String? = nil, funnelName: String? = nil) {
        self.funnelID = funnelID
        self.position = position
        self.stageName = stageName
        self.funnelName = funnelName
    }

    public var key: String { "\(funnelID):\(position)" }

    public init?(key: String) {
        let parts = key.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64, let position = Int(parts[1]), position >= 1 else { return nil }
        self.init(funnelID: String(parts[0]), position: position)
    }

    public static func == (lhs: GoalFunnelStage, rhs: GoalFunnelStage) -> Bool { lhs.funnelID == rhs.funnelID && lhs.position == rhs.position }
    public func hash(into hasher: inout Hasher) { hasher.combine(funnelID); hasher.combine(position) }
}

/// A calendar month (`2026-04`), the unit hires and stages are planned in.
public struct YearMonth: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    public init(year: Int, month: Int) {
        let index = year * 12 + (month - 1)
        self.year = Int((Double(index) / 12).rounded(.down))
        self.month = index - self.year * 12 + 1
    }

    public init(_ day: LocalDate) { self.init(year: day.year, month: day.month) }

    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month), (2000...9000).contains(year) else { return nil }
        self.init(year: year, month: month)
    }

    public func adding(months: Int) -> YearMonth { YearMonth(year: year, month: month + months) }
    public func months(until other: YearMonth) -> Int { (other.year * 12 + other.month) - (year * 12 + month) }
    public var firstDay: LocalDate { LocalDate(year: year, month: month, day: 1) }
    public var lastDay: LocalDate { adding(months: 1).firstDay.adding(days: -1) }
    public var description: String { String(format: "%04d-%02d", year, month) }
    public static func < (lhs: YearMonth, rhs: YearMonth) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = YearMonth(text) else { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a month: \(text)")) }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension LocalDate {
    /// The same day `months` later, or the month's last day when it is shorter (Jan 31 + 1 month = Feb 28/29).
    public func adding(months: Int) -> LocalDate {
        let target = YearMonth(year: year, month: month).adding(months: months)
        return LocalDate(year: target.year, month: target.month, day: min(day, target.lastDay.day))
    }
}

/// One stage of a goal (初始用户期, 品牌推广期 …): how many months it lasts and
/// the level (or running total) the goal should reach by its end.
public struct GoalStage: Sendable, Equatable, Codable {
    public var name: String
    public var months: Int
    public var target: Double

    public init(name: String, months: Int, target: Double) {
        self.name = name
        self.months = months
        self.target = target
    }

    public static let maxName = 40
}

/// A goal such as "服务号半年 5 万粉丝": a metric, a target, the days it runs
/// (in the workspace zone), the accounts it covers, and its stages in order.
public struct Goal: Sendable, Equatable {
    public var id: String
    public var name: String
    public var metric: GoalMetric
    public var target: Double
    public var start: LocalDate
    public var deadline: LocalDate
    /// Accounts named one by one.
    public var accountIDs: [String]
    /// Account groups: every account in the group counts.
    public var groupIDs: [String]
    public var stages: [GoalStage]
    /// For a funnel-stage goal: the funnel and the stage counted (1 = its first).
    public var funnelStage: GoalFunnelStage?
    public var notes: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, name: String, metric: GoalMetric, target: Double, start: LocalDate, deadline: LocalDate, accountIDs: [String] = [],
                groupIDs: [String] = [], stages: [GoalStage] = [], funnelStage: GoalFunnelStage? = nil, notes: String = "", createdAt: Date = Date(timeIntervalSince1970: 0),
                updatedAt: Date = Date(timeIntervalSince1970: 0)) {
        self.id = id
        self.name = name
        self.metric = metric
        self.target = target
        self.start = start
        self.deadline = deadline
        self.accountIDs = accountIDs
        self.groupIDs = groupIDs
        self.stages = stages
        self.funnelStage = funnelStage
        self.notes = notes
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public static let maxName = 80
    public static let maxNotes = 2_000
    public static let maxStages = 12
    public static let maxScope = 200
    /// Goals a workspace may keep (a bound on lists and on Home).
    public static let maxCount = 500
    /// A target above this is a typo (more than the people on earth, many times).
    public static let maxTarget = 1e11
    /// Longest goal: five years.
    public static let maxMonths = 60

    /// Months the goal spans, a started month counting whole: Jan 1 – Jun 30 and Jan 15 – Jul 14 are both 6.
    public var months: Int {
        var count = max(1, YearMonth(start).months(until: YearMonth(deadline)) - 1)
        while start.adding(months: count) <= deadline { count += 1 }
        return count
    }

    /// The last day of each stage: its months counted from the start, the last stage ending on the deadline.
    public var stageEnds: [LocalDate] {
        var ends: [LocalDate] = []
        var elapsed = 0
        for (index, stage) in stages.enumerated() {
            elapsed += stage.months
            ends.append(index == stages.count - 1 ? deadline : min(deadline, start.adding(months: elapsed).adding(days: -1)))
        }
        return ends
    }

    /// Every broken field at once, in the form's order (`stages[1].target` names a stage's field).
    public func validationErrors() -> [ValidationError] {
        var errors: [ValidationError] = []
        if name.isEmpty { errors.append(ValidationError(field: "name", code: "required")) }
        else if name.count > Self.maxName { errors.append(ValidationError(field: "name", code: "too_long", params: ["max": String(Self.maxName)])) }
        if !target.isFinite || target <= 0 || target > Self.maxTarget {
            errors.append(ValidationError(field: "target", code: "out_of_range", params: ["min": "1", "max": "100000000000"]))
        } else if target.rounded() != target {
            errors.append(ValidationError(field: "target", code: "metric_not_whole"))
        }
        if start.year < 2000 || start.year > 9_000 { errors.append(ValidationError(field: "start", code: "day_invalid")) }
        if deadline <= start { errors.append(ValidationError(field: "deadline", code: "goal_deadline_before_start")) }
        else if months > Self.maxMonths { errors.append(ValidationError(field: "deadline", code: "goal_too_long", params: ["max": String(Self.maxMonths)])) }
        // A funnel-stage goal counts the funnel's own accounts; any other reads the accounts it names.
        if metric == .funnelStage {
            if funnelStage == nil { errors.append(ValidationError(field: "funnel_stage", code: "required")) }
        } else if accountIDs.isEmpty && groupIDs.isEmpty { errors.append(ValidationError(field: "accounts", code: "goal_no_accounts")) }
        if accountIDs.count + groupIDs.count > Self.maxScope { errors.append(ValidationError(field: "accounts", code: "too_many", params: ["max": String(Self.maxScope)])) }
        if stages.isEmpty { errors.append(ValidationError(field: "stages", code: "goal_no_stages")) }
        if stages.count > Self.maxStages { errors.append(ValidationError(field: "stages", code: "goal_too_many_stages", params: ["max": String(Self.maxStages)])) }
        var previous = 0.0
        for (index, stage) in stages.prefix(Self.maxStages).enumerated() {
            let prefix = "stages[\(index)]."
            if stage.name.isEmpty { errors.append(ValidationError(field: prefix + "name", code: "required")) }
            else if stage.name.count > GoalStage.maxName { errors.append(ValidationError(field: prefix + "name", code: "too_long", params: ["max": String(GoalStage.maxName)])) }
            if stage.months < 1 || stage.months > Self.maxMonths {
                errors.append(ValidationError(field: prefix + "months", code: "out_of_range", params: ["min": "1", "max": String(Self.maxMonths)]))
            }
            if !stage.target.isFinite || stage.target <= 0 || stage.target > Self.maxTarget || stage.target.rounded() != stage.target {
                errors.append(ValidationError(field: prefix + "target", code: "out_of_range", params: ["min": "1", "max": "100000000000"]))
            } else if stage.target < previous {
                errors.append(ValidationError(field: prefix + "target", code: "goal_stage_target_decreasing"))
            } else if index == stages.count - 1, target.isFinite, stage.target != target {
                errors.append(ValidationError(field: prefix + "target", code: "goal_last_stage_target"))
            } else if target.isFinite, stage.target > target {
                errors.append(ValidationError(field: prefix + "target", code: "goal_stage_target_above"))
            }
            if stage.target.isFinite { previous = max(previous, stage.target) }
        }
        if !stages.isEmpty, deadline > start, months <= Self.maxMonths, stages.allSatisfy({ (1...Self.maxMonths).contains($0.months) }) {
            let total = stages.reduce(0) { $0 + $1.months }
            if total != months {
                errors.append(ValidationError(field: "stages", code: "goal_stage_months", params: ["total": String(total), "months": String(months)]))
            }
        }
        if notes.count > Self.maxNotes { errors.append(ValidationError(field: "notes", code: "too_long", params: ["max": String(Self.maxNotes)])) }
        return errors
    }
}
