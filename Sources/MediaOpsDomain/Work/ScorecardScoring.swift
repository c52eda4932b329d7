import Foundation

/// Why a KPI has no actual. Each has a sentence in both catalogs
/// (`scorecards.unavailable.<raw value>`): a missing number is explained, never shown as zero.
public enum KpiUnavailable: String, CaseIterable, Sendable, Codable {
    /// The tasks room is not connected to this installation yet.
    case tasksNotConnected = "tasks_not_connected"
    /// Posts were counted but none has figures in the metric store yet.
    case noMetrics = "no_metrics"
    /// Nothing fell due in the period, so a share cannot be taken.
    case nothingDue = "nothing_due"
    /// The member owns no account (on the KPI's platform).
    case noOwnedAccounts = "no_owned_accounts"
    /// The member decided no review in the period.
    case noDecisions = "no_decisions"
    /// Nothing the member owns was published in the period, so a rate cannot be taken.
    case noPosts = "no_posts"
}

/// One thing a KPI counted: a post, a piece, a review decision, a report,
/// an account or a task, with the figure it contributed and, for delivery
/// KPIs, whether it was on time. Pages link each to its own page.
public struct KpiEvidence: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case post, piece, decision, report, account, task
    }

    public enum Timeliness: String, Sendable, Codable, CaseIterable {
        case onTime = "on_time"
        case late
        /// Due later in the period, not counted yet.
        case pending
    }

    public var kind: Kind
    /// The id of the thing the evidence's link opens (publish target, content item, report, account).
    public var id: String
    public var title: String
    public var platform: Platform?
    /// When it happened (published, submitted, decided, issued, completed).
    public var at: Date?
    /// When it was due or planned, for delivery KPIs; when it arrived, for review turnaround.
    public var reference: Date?
    /// Its figure (reads, followers lost, hours …); nil when the store has none.
    public var value: Double?
    /// A second figure where the KPI divides (reads behind a rate, followers at the start).
    public var base: Double?
    public var timeliness: Timeliness?
    /// A code the page labels in the reader's language: a report's kind, a decision's action.
    public var detail: String?

    public init(kind: Kind, id: String, title: String, platform: Platform? = nil, at: Date? = nil, reference: Date? = nil, value: Double? = nil,
                base: Double? = nil, timeliness: Timeliness? = nil, detail: String? = nil) {
        self.detail = detail
        self.kind = kind
        self.id = id
        self.title = title
        self.platform = platform
        self.at = at
        self.reference = reference
        self.value = value
        self.base = base
        self.timeliness = timeliness
    }
}

/// A KPI's computed result for one member and period.
public struct KpiResult: Sendable, Equatable {
    public var actual: Double?
    public var unavailable: KpiUnavailable?
    public var evidence: [KpiEvidence]

    public init(actual: Double?, unavailable: KpiUnavailable? = nil, evidence: [KpiEvidence]) {
        self.actual = actual
        self.unavailable = actual == nil ? (unavailable ?? .nothingDue) : nil
        self.evidence = evidence
    }

    /// The share (0–100) of on-time items among those due; pending ones are left out.
    public static func share(_ evidence: [KpiEvidence]) -> KpiResult {
        let due = evidence.filter { $0.timeliness == .onTime || $0.timeliness == .late }
        guard !due.isEmpty else { return KpiResult(actual: nil, unavailable: .nothingDue, evidence: evidence) }
        let onTime = due.filter { $0.timeliness == .onTime }.count
        return KpiResult(actual: Double(onTime) / Double(due.count) * 100, evidence: evidence)
    }
}

/// One KPI on a scorecard: the definition as it stood, target, actual and achievement.
public struct ScorecardLine: Sendable, Equatable, Codable {
    public var kpiID: String
    /// The definition's own name; nil for a built-in one shown by its catalog name.
    public var name: String?
    public var source: KpiSource
    public var direction: KpiDirection
    public var weight: Int
    public var target: Double?
    public var actual: Double?
    public var unavailable: KpiUnavailable?
    /// How many items the actual was computed from.
    public var counted: Int
    /// Actual against target (1 = met), before the cap; nil without both.
    public var achievement: Double?
    /// The items the actual was computed from, kept with a frozen scorecard so
    /// the numbers behind it stay what they were.
    public var evidence: [KpiEvidence]

    public init(kpiID: String, name: String?, source: KpiSource, direction: KpiDirection, weight: Int, target: Double?, actual: Double?,
                unavailable: KpiUnavailable?, evidence: [KpiEvidence]) {
        self.kpiID = kpiID
        self.name = name
        self.source = source
        self.direction = direction
        self.weight = weight
        self.target = target
        self.actual = actual
        self.unavailable = unavailable
        self.counted = evidence.count
        self.evidence = evidence
        self.achievement = ScorecardScoring.achievement(actual: actual, target: target, direction: direction)
    }

    public var unit: KpiUnit { source.unit }
    public var capped: Double? { achievement.map(ScorecardScoring.capped) }
    /// Whether the line takes part in the weighted score.
    public var isScored: Bool { achievement != nil }
}

/// A member's scorecard for one period. `frozenAt` is set once its review was
/// finalized: from then on it is read from the review, never recomputed.
public struct Scorecard: Sendable, Equatable, Codable {
    public var memberID: String
    public var period: KpiPeriod
    public var lines: [ScorecardLine]
    public var computedAt: Date
    public var frozenAt: Date?

    public init(memberID: String, period: KpiPeriod, lines: [ScorecardLine], computedAt: Date, frozenAt: Date? = nil) {
        self.memberID = memberID
        self.period = period
        self.lines = lines
        self.computedAt = computedAt
        self.frozenAt = frozenAt
    }

    public var score: Double? { ScorecardScoring.score(lines) }
}

/// The weighted score, documented here and on the scorecard page:
///
/// - achievement = actual ÷ target when higher is better, target ÷ actual when
///   lower is better (an actual of 0 on a lower-is-better KPI is full marks);
/// - capped achievement = achievement limited to 0…1.2, so one KPI far above
///   its target cannot hide the others;
/// - score = Σ(capped achievement × weight) ÷ Σ weight × 100, over the KPIs
///   that have both an actual and a target (the weights are normalized over
///   those, so a KPI without data neither helps nor hurts). No such KPI: no score.
public enum ScorecardScoring {
    public static let cap = 1.2

    public static func achievement(actual: Double?, target: Double?, direction: KpiDirection) -> Double? {
        guard let actual, let target, target > 0, actual.isFinite else { return nil }
        switch direction {
        case .higher: return max(0, actual) / target
        case .lower: return actual <= 0 ? cap : target / actual
        }
    }

    public static func capped(_ achievement: Double) -> Double { min(max(achievement, 0), cap) }

    public static func score(_ lines: [ScorecardLine]) -> Double? {
        var sum = 0.0, weights = 0.0
        for line in lines {
            guard let capped = line.capped else { continue }
            sum += capped * Double(line.weight)
            weights += Double(line.weight)
        }
        return weights > 0 ? sum / weights * 100 : nil
    }
}
