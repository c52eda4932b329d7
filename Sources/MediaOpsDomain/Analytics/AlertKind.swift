import Foundation

/// What an alert rule watches for. The first four judge an account's daily
/// series of one metric; `postUnderperforming` judges one post against the
/// account's earlier posts; `funnelDropOff` judges one funnel stage's daily
/// entrant and advancer counts.
public enum AlertKind: String, CaseIterable, Sendable, Codable {
    /// The day's value against a fixed bound: `followers_net < −500` (a day's
    /// net change is itself a daily metric, so "fans drop by more than 500 in
    /// a day" is a threshold on it), `engagement_rate < 0.01`.
    case threshold
    /// The day's value minus the previous day's value against a bound, for
    /// metrics that are levels rather than daily changes: `followers_total`
    /// today − yesterday < −500. Needs both days; a gap never counts as zero.
    case dayOverDayChange = "day_over_day_change"
    /// The day's value against the median of the previous N days (or of the
    /// same weekday in them), as a signed fraction: +0.2 is 20 % above.
    case relativeToBaseline = "relative_to_baseline"
    /// The day's value outside median ± max(k·σ, floors) of the previous N
    /// days, σ being the MAD scaled to a standard deviation.
    case anomaly
    /// A post's value 24 hours after publishing below the q-th percentile of
    /// the account's previous M posts.
    case postUnderperforming = "post_underperforming"
    /// A funnel stage's drop-off rate rising, relative to the median of its
    /// previous N days, by more than a fraction.
    case funnelDropOff = "funnel_drop_off"

    /// What a rule of this kind is evaluated on.
    public var input: AlertInput {
        switch self {
        case .threshold, .dayOverDayChange, .relativeToBaseline, .anomaly: .dailySeries
        case .postUnderperforming: .posts
        case .funnelDropOff: .funnelStage
        }
    }

    /// The comparisons a rule of this kind may use; the first is its default.
    public var comparisons: [AlertComparison] {
        switch self {
        case .threshold: [.below, .above]
        case .dayOverDayChange: [.below, .above, .either]
        case .relativeToBaseline: [.above, .below, .either]
        case .anomaly: [.either, .above, .below]
        case .postUnderperforming: [.below]
        case .funnelDropOff: [.above]
        }
    }

    /// Whether the rule's `bound` is used (and so required).
    public var usesBound: Bool {
        switch self {
        case .threshold, .dayOverDayChange, .relativeToBaseline, .funnelDropOff: true
        case .anomaly, .postUnderperforming: false
        }
    }

    /// Whether the rule looks back over a window (days, or posts for
    /// `postUnderperforming`) and so uses `window` and `minimumHistory`.
    public var usesHistory: Bool {
        switch self {
        case .threshold, .dayOverDayChange: false
        case .relativeToBaseline, .anomaly, .postUnderperforming, .funnelDropOff: true
        }
    }

    /// Whether the baseline can be taken from the same weekday only.
    public var usesSeasonality: Bool {
        switch self {
        case .relativeToBaseline, .anomaly, .funnelDropOff: true
        case .threshold, .dayOverDayChange, .postUnderperforming: false
        }
    }
}

/// The data a rule is evaluated on.
public enum AlertInput: String, CaseIterable, Sendable {
    /// An account's values by day (`[LocalDate: Double]`).
    case dailySeries = "daily_series"
    /// A post's value at 24 h and the values of the account's earlier posts.
    case posts
    /// A funnel stage's counts by day (`[LocalDate: FunnelStageCounts]`).
    case funnelStage = "funnel_stage"
}

/// Which side of the bound (or band) fires. Every comparison is strict: a
/// rule `< −500` does not fire on exactly −500.
public enum AlertComparison: String, CaseIterable, Sendable, Codable {
    case below
    case above
    /// Either way: the magnitude of a change above the bound (the bound is
    /// then ≥ 0), or outside the anomaly band on either side.
    case either

    /// Whether `value` is past `bound` on this side.
    public func holds(_ value: Double, bound: Double) -> Bool {
        switch self {
        case .below: value < bound
        case .above: value > bound
        case .either: abs(value) > bound
        }
    }
}

/// Which earlier days form a baseline.
public enum AlertSeasonality: String, CaseIterable, Sendable, Codable {
    /// Every day of the previous N days.
    case none
    /// Only the days of the previous N days on the same weekday as the day
    /// judged, so a Saturday is compared with Saturdays: a weekly rhythm
    /// (quiet weekends) is not mistaken for a change.
    case weekly
}
