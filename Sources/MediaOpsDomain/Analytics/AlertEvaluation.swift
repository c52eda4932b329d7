import Foundation

/// One funnel stage's counts for one day: how many people reached the stage
/// (the upper count) and how many of them went on to the next (the lower).
public struct FunnelStageCounts: Sendable, Equatable, Codable {
    public var entered: Double
    public var advanced: Double

    public init(entered: Double, advanced: Double) {
        self.entered = entered
        self.advanced = advanced
    }

    /// Whether the counts can be true: finite, not negative, and no more
    /// advancing than entered (two sources that disagree give such days).
    public var isConsistent: Bool {
        entered.isFinite && advanced.isFinite && advanced >= 0 && advanced <= entered
    }

    /// The share that did not go on, (entered − advanced) ÷ entered; nil
    /// when nobody entered or the counts are inconsistent.
    public var dropOffRate: Double? {
        guard isConsistent, entered > 0 else { return nil }
        return (entered - advanced) / entered
    }
}

/// Why a rule did not judge a day or a post. Codes for the web layer's catalog.
public enum AlertSkipReason: String, CaseIterable, Sendable, Codable {
    /// No value for the day or post (absent is never zero).
    case noValue = "no_value"
    /// dayOverDayChange: no value for the previous day.
    case noPreviousValue = "no_previous_value"
    /// Fewer values in the window than the rule's `minimumHistory` (or, for
    /// the weekly anomaly band, fewer than two on the day's weekday).
    case insufficientHistory = "insufficient_history"
    /// The baseline is zero, so a relative change has no meaning.
    case baselineZero = "baseline_zero"
    /// funnelDropOff: fewer entrants than the rule's `minimumVolume`.
    case belowMinimumVolume = "below_minimum_volume"
    /// funnelDropOff: more advanced than entered, or a count that is negative or not a number.
    case inconsistentCounts = "inconsistent_counts"
    /// The rule does not pass validation.
    case invalidRule = "invalid_rule"
    /// The rule's kind is evaluated on other data (`AlertKind.input`).
    case wrongInput = "wrong_input"
}

/// What an evaluation came to.
public enum AlertOutcome: Sendable, Equatable, Hashable {
    case fired
    /// Judged, and within bounds.
    case quiet
    /// Not judged, and why.
    case skipped(AlertSkipReason)

    /// `fired`, `quiet` or the skip reason's code.
    public var code: String {
        switch self {
        case .fired: "fired"
        case .quiet: "quiet"
        case .skipped(let reason): reason.rawValue
        }
    }
}

/// The numbers behind an evaluation, for the alert's record and the web
/// layer's sentence; each kind fills the fields it uses, the others stay nil.
/// Relative changes and rates are fractions (0.2 = 20 %).
public struct AlertEvidence: Sendable, Equatable, Codable {
    /// The day's (or post's) value; funnelDropOff: the day's drop-off rate.
    public var observed: Double?
    /// dayOverDayChange: the previous day's value.
    public var previous: Double?
    /// dayOverDayChange: observed − previous. relativeToBaseline and
    /// funnelDropOff: (observed − baseline) ÷ |baseline|.
    public var change: Double?
    /// The rule's bound the number was compared with.
    public var bound: Double?
    /// The median of the baseline values (the expected value of the anomaly
    /// band; the earlier posts' median for postUnderperforming).
    public var baseline: Double?
    /// How many values the baseline median stands on.
    public var baselineCount: Int?
    /// anomaly: the unscaled median absolute deviation.
    public var mad: Double?
    /// anomaly: the robust standard deviation, 1.4826 × mad.
    public var sigma: Double?
    /// anomaly: the band.
    public var lower: Double?
    public var upper: Double?
    /// anomaly: (observed − baseline) ÷ sigma, nil when sigma is 0.
    public var score: Double?
    /// postUnderperforming: the percentile used (25 = the 25th).
    public var percentile: Double?
    /// postUnderperforming: the earlier posts' value at that percentile.
    public var percentileValue: Double?
    /// How many earlier values the rule used (the anomaly band: values whose
    /// spread was measured), and how many it requires.
    public var historyCount: Int?
    public var requiredHistory: Int?
    /// funnelDropOff: the day's counts.
    public var entered: Double?
    public var advanced: Double?

    public init() {}
}

/// One rule judged on one day, or on one post.
public struct AlertEvaluation: Sendable, Equatable {
    /// The day judged; nil for a post.
    public var day: LocalDate?
    public var outcome: AlertOutcome
    public var evidence: AlertEvidence

    public init(day: LocalDate?, outcome: AlertOutcome, evidence: AlertEvidence = AlertEvidence()) {
        self.day = day
        self.outcome = outcome
        self.evidence = evidence
    }

    public var fired: Bool { outcome == .fired }
}

// MARK: Evaluation

extension AlertRule {
    /// Judges `day` of an account's daily series (threshold, dayOverDayChange,
    /// relativeToBaseline, anomaly). Only `day` and the days before it are
    /// read; absent days (and values that are not finite) are left out,
    /// never read as zero. `enabled` is not looked at.
    public func evaluate(series: [LocalDate: Double], on day: LocalDate) -> AlertEvaluation {
        guard kind.input == .dailySeries else { return AlertEvaluation(day: day, outcome: .skipped(.wrongInput)) }
        guard isValid else { return AlertEvaluation(day: day, outcome: .skipped(.invalidRule)) }
        return evaluateDaily(on: day, value: Self.lookup(series, before: day))
    }

    /// Judges a post on its value `postAgeHours` after publishing (nil when
    /// that snapshot is absent) against the account's earlier posts, oldest
    /// first, nil where a post has no such value. The last `window` posts
    /// are the baseline; those without a value are left out of it.
    public func evaluate(post value: Double?, earlierPosts: [Double?]) -> AlertEvaluation {
        guard kind.input == .posts else { return AlertEvaluation(day: nil, outcome: .skipped(.wrongInput)) }
        guard isValid else { return AlertEvaluation(day: nil, outcome: .skipped(.invalidRule)) }
        var evidence = AlertEvidence()
        guard let value, value.isFinite else { return AlertEvaluation(day: nil, outcome: .skipped(.noValue)) }
        evidence.observed = value
        let history = earlierPosts.suffix(window).compactMap { $0 }.filter(\.isFinite)
        evidence.historyCount = history.count
        evidence.requiredHistory = minimumHistory
        guard history.count >= minimumHistory, let cut = RobustStatistics.percentile(history, percentile) else {
            return AlertEvaluation(day: nil, outcome: .skipped(.insufficientHistory), evidence: evidence)
        }
        evidence.percentile = percentile
        evidence.percentileValue = cut
        evidence.baseline = RobustStatistics.median(history)
        evidence.baselineCount = history.count
        return AlertEvaluation(day: nil, outcome: value < cut ? .fired : .quiet, evidence: evidence)
    }

    /// Judges `day` of a funnel stage: the day's drop-off rate against the
    /// median rate of the baseline days (each with at least `minimumVolume`
    /// entrants and consistent counts), as a relative rise.
    public func evaluate(funnel: [LocalDate: FunnelStageCounts], on day: LocalDate) -> AlertEvaluation {
        guard kind.input == .funnelStage else { return AlertEvaluation(day: day, outcome: .skipped(.wrongInput)) }
        guard isValid else { return AlertEvaluation(day: day, outcome: .skipped(.invalidRule)) }
        let base = day.dayNumber
        return evaluateFunnel(on: day) { funnel[LocalDate(dayNumber: base - $0)] }
    }

    /// Values by how many days before `day` they are (0 is `day`).
    static func lookup(_ series: [LocalDate: Double], before day: LocalDate) -> (Int) -> Double? {
        let base = day.dayNumber
        return { offset in
            guard let value = series[LocalDate(dayNumber: base - offset)], value.isFinite else { return nil }
            return value
        }
    }

    /// The days before the judged one whose values form the baseline, as offsets.
    var baselineOffsets: [Int] {
        seasonality == .weekly && kind.usesSeasonality ? Array(stride(from: 7, through: window, by: 7)) : Array(1...max(1, window))
    }

    func evaluateDaily(on day: LocalDate, value: (Int) -> Double?) -> AlertEvaluation {
        var evidence = AlertEvidence()
        func outcome(_ fired: Bool) -> AlertEvaluation { AlertEvaluation(day: day, outcome: fired ? .fired : .quiet, evidence: evidence) }
        func skipped(_ reason: AlertSkipReason) -> AlertEvaluation { AlertEvaluation(day: day, outcome: .skipped(reason), evidence: evidence) }

        guard let observed = value(0) else { return skipped(.noValue) }
        evidence.observed = observed
        let bound = bound ?? 0
        switch kind {
        case .threshold:
            evidence.bound = bound
            return outcome(comparison.holds(observed, bound: bound))
        case .dayOverDayChange:
            guard let previous = value(1) else { return skipped(.noPreviousValue) }
            evidence.previous = previous
            evidence.change = observed - previous
            evidence.bound = bound
            return outcome(comparison.holds(observed - previous, bound: bound))
        case .relativeToBaseline:
            let reference = baselineOffsets.compactMap(value)
            evidence.historyCount = reference.count
            evidence.requiredHistory = minimumHistory
            guard reference.count >= minimumHistory, let median = RobustStatistics.median(reference) else { return skipped(.insufficientHistory) }
            evidence.baseline = median
            evidence.baselineCount = reference.count
            guard median != 0 else { return skipped(.baselineZero) }
            let change = (observed - median) / abs(median)
            evidence.change = change
            evidence.bound = bound
            return outcome(comparison.holds(change, bound: bound))
        case .anomaly:
            guard let band = anomalyBand(value) else {
                evidence.requiredHistory = minimumHistory
                evidence.historyCount = anomalyHistoryCount(value)
                return skipped(.insufficientHistory)
            }
            evidence.baseline = band.median
            evidence.baselineCount = band.baselineCount
            evidence.historyCount = band.historyCount
            evidence.requiredHistory = minimumHistory
            evidence.mad = band.mad
            let sigma = band.mad * RobustStatistics.madToStandardDeviation
            evidence.sigma = sigma
            let halfWidth = max(k * sigma, minimumDeviation, minimumRelativeDeviation * abs(band.median))
            evidence.lower = band.median - halfWidth
            evidence.upper = band.median + halfWidth
            evidence.score = sigma > 0 ? (observed - band.median) / sigma : nil
            let low = observed < band.median - halfWidth, high = observed > band.median + halfWidth
            switch comparison {
            case .below: return outcome(low)
            case .above: return outcome(high)
            case .either: return outcome(low || high)
            }
        case .postUnderperforming, .funnelDropOff:
            return skipped(.wrongInput)
        }
    }

    struct AnomalyBand {
        var median: Double
        var baselineCount: Int
        var mad: Double
        var historyCount: Int
    }

    /// The expected value and the spread of the anomaly band, or nil when
    /// the history is too short.
    ///
    /// Without seasonality: the median and MAD of the previous `window` days.
    ///
    /// Weekly: the expected value is the median of the same weekday in the
    /// previous `window` days. The spread is measured on all those days, each
    /// against the median of the *other* days of its weekday in the window
    /// (leave-one-out), and is the MAD of these differences. Measuring a day
    /// against a median that includes itself would shrink the differences and
    /// make the band too narrow; measuring only the 4 same weekdays of a
    /// 28-day window would make the MAD too unsteady.
    func anomalyBand(_ value: (Int) -> Double?) -> AnomalyBand? {
        guard seasonality == .weekly else {
            let values = (1...window).compactMap(value)
            guard values.count >= minimumHistory, let median = RobustStatistics.median(values),
                  let mad = RobustStatistics.medianAbsoluteDeviation(values) else { return nil }
            return AnomalyBand(median: median, baselineCount: values.count, mad: mad, historyCount: values.count)
        }
        let groups = weekdayGroups(value)
        let reference = groups[0]
        let residuals = leaveOneOutResiduals(groups)
        guard reference.count >= 2, residuals.count >= minimumHistory, let median = RobustStatistics.median(reference),
              let mad = RobustStatistics.medianAbsoluteDeviation(residuals) else { return nil }
        return AnomalyBand(median: median, baselineCount: reference.count, mad: mad, historyCount: residuals.count)
    }

    func anomalyHistoryCount(_ value: (Int) -> Double?) -> Int {
        seasonality == .weekly ? leaveOneOutResiduals(weekdayGroups(value)).count : (1...window).compactMap(value).count
    }

    /// The window's values grouped by weekday: group 0 is the judged day's weekday.
    func weekdayGroups(_ value: (Int) -> Double?) -> [[Double]] {
        var groups = Array(repeating: [Double](), count: 7)
        for offset in 1...window {
            if let found = value(offset) { groups[offset % 7].append(found) }
        }
        return groups
    }

    func leaveOneOutResiduals(_ groups: [[Double]]) -> [Double] {
        groups.filter { $0.count >= 2 }.flatMap { group in
            group.indices.map { index in
                var others = group
                others.remove(at: index)
                return group[index] - (RobustStatistics.median(others) ?? group[index])
            }
        }
    }

    func evaluateFunnel(on day: LocalDate, counts: (Int) -> FunnelStageCounts?) -> AlertEvaluation {
        var evidence = AlertEvidence()
        func outcome(_ fired: Bool) -> AlertEvaluation { AlertEvaluation(day: day, outcome: fired ? .fired : .quiet, evidence: evidence) }
        func skipped(_ reason: AlertSkipReason) -> AlertEvaluation { AlertEvaluation(day: day, outcome: .skipped(reason), evidence: evidence) }

        guard let today = counts(0) else { return skipped(.noValue) }
        evidence.entered = today.entered
        evidence.advanced = today.advanced
        guard today.isConsistent else { return skipped(.inconsistentCounts) }
        guard let rate = usableDropOffRate(today) else { return skipped(.belowMinimumVolume) }
        evidence.observed = rate
        let reference = baselineOffsets.compactMap { counts($0).flatMap(usableDropOffRate) }
        evidence.historyCount = reference.count
        evidence.requiredHistory = minimumHistory
        guard reference.count >= minimumHistory, let median = RobustStatistics.median(reference) else { return skipped(.insufficientHistory) }
        evidence.baseline = median
        evidence.baselineCount = reference.count
        guard median > 0 else { return skipped(.baselineZero) }
        let change = (rate - median) / median
        let bound = bound ?? 0
        evidence.change = change
        evidence.bound = bound
        return outcome(comparison.holds(change, bound: bound))
    }

    /// A day's drop-off rate when its counts are consistent and its entrants reach `minimumVolume`.
    func usableDropOffRate(_ counts: FunnelStageCounts) -> Double? {
        guard counts.entered >= minimumVolume else { return nil }
        return counts.dropOffRate
    }
}
