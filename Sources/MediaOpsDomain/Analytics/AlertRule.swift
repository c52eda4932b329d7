import Foundation

/// Which accounts a rule watches. A group or all accounts means every account
/// in it, each judged on its own series (each its own alert subject); sums
/// over a group are not judged.
public enum AlertScope: Sendable, Hashable {
    case account(String)
    case group(String)
    case allAccounts

    public enum Kind: String, CaseIterable, Sendable, Codable {
        case account, group
        case allAccounts = "all_accounts"
    }

    public var kind: Kind {
        switch self {
        case .account: .account
        case .group: .group
        case .allAccounts: .allAccounts
        }
    }

    /// The account or group id; nil for all accounts.
    public var id: String? {
        switch self {
        case .account(let id), .group(let id): id
        case .allAccounts: nil
        }
    }

    /// From a stored kind and id; nil when an account or group has no id.
    public init?(kind: Kind, id: String?) {
        switch kind {
        case .account: guard let id else { return nil }; self = .account(id)
        case .group: guard let id else { return nil }; self = .group(id)
        case .allAccounts: self = .allAccounts
        }
    }
}

/// The ready-made rules a new workspace starts with, from the source
/// material's two examples. The raw value is a stable catalog key: a rule
/// made from a preset and not renamed shows the catalog's name, filled with
/// the rule's own numbers (`{amount}`, `{percent}`), so an edited bound never
/// contradicts the name.
public enum AlertPreset: String, CaseIterable, Sendable, Codable {
    /// 粉丝日减超 500: the day's net follower change below −500.
    case followersDrop = "default_followers_drop"
    /// 转化环节流失率突增 20%: a funnel stage's drop-off rate more than 20 %
    /// above its median of the previous 7 days.
    case funnelDropOff = "default_funnel_dropoff"

    /// The preset as an editable rule with the id the store gives it.
    public func rule(id: String) -> AlertRule {
        switch self {
        case .followersDrop:
            AlertRule(id: id, preset: self, kind: .threshold, metric: .stored(.followersNet), scope: .allAccounts, comparison: .below, bound: -500)
        case .funnelDropOff:
            AlertRule(id: id, preset: self, kind: .funnelDropOff, metric: nil, scope: .allAccounts, comparison: .above, bound: 0.2)
        }
    }
}

/// One alert rule. Every parameter has a value; the ones its kind does not
/// use (`AlertKind.usesBound` …) are ignored and not validated.
public struct AlertRule: Sendable, Equatable, Identifiable {
    public var id: String
    /// Empty for a preset that was not renamed (the web layer shows the preset's catalog name).
    public var name: String
    public var preset: AlertPreset?
    public var kind: AlertKind
    /// The metric watched; nil exactly for `funnelDropOff`, which watches a funnel stage.
    public var metric: AlertMetric?
    public var scope: AlertScope
    public var comparison: AlertComparison
    /// threshold: the value's bound, in the metric's unit (a rate as 0–1).
    /// dayOverDayChange: the change's bound, in the metric's unit.
    /// relativeToBaseline, funnelDropOff: the relative change as a fraction (0.2 = 20 %).
    /// With `.either`, a magnitude ≥ 0.
    public var bound: Double?
    /// Days looked back for a baseline (3–365), or earlier posts for `postUnderperforming`.
    public var window: Int
    public var seasonality: AlertSeasonality
    /// anomaly: how many robust standard deviations (1.4826·MAD) from the median fire.
    public var k: Double
    /// postUnderperforming: the percentile (1–99) of the earlier posts a post must fall below.
    public var percentile: Double
    /// The fewest values in the window the baseline may stand on; fewer, and
    /// the rule does not judge the day (`insufficient_history`).
    public var minimumHistory: Int
    /// anomaly: the band's half-width is never below this amount in the
    /// metric's unit; what keeps a flat history (MAD = 0) from firing on a
    /// difference of one.
    public var minimumDeviation: Double
    /// anomaly: nor below this fraction of the median, so a very regular
    /// series does not fire on a change too small to matter.
    public var minimumRelativeDeviation: Double
    /// funnelDropOff: the fewest entrants a day's stage needs to be judged
    /// (and to count in the baseline); a rate over a handful of people is noise.
    public var minimumVolume: Double
    /// Hours after an alert during which the same rule and subject do not raise another (0–720).
    public var cooldownHours: Int
    /// Whether the store evaluates the rule; evaluation and preview ignore it.
    public var enabled: Bool

    /// A rule of `kind`; every parameter left out takes the kind's default.
    public init(
        id: String, name: String = "", preset: AlertPreset? = nil, kind: AlertKind, metric: AlertMetric?, scope: AlertScope = .allAccounts,
        comparison: AlertComparison? = nil, bound: Double? = nil, window: Int? = nil, seasonality: AlertSeasonality? = nil,
        k: Double? = nil, percentile: Double? = nil, minimumHistory: Int? = nil, minimumDeviation: Double? = nil,
        minimumRelativeDeviation: Double? = nil, minimumVolume: Double? = nil, cooldownHours: Int? = nil, enabled: Bool = true
    ) {
        self.id = id
        self.name = name
        self.preset = preset
        self.kind = kind
        self.metric = metric
        self.scope = scope
        self.comparison = comparison ?? kind.comparisons[0]
        self.bound = bound
        self.window = window ?? kind.defaultWindow
        self.seasonality = seasonality ?? kind.defaultSeasonality
        self.k = k ?? Self.defaultK
        self.percentile = percentile ?? Self.defaultPercentile
        self.minimumHistory = minimumHistory ?? kind.defaultMinimumHistory
        self.minimumDeviation = minimumDeviation ?? Self.defaultMinimumDeviation(for: metric?.unit ?? .count)
        self.minimumRelativeDeviation = minimumRelativeDeviation ?? Self.defaultMinimumRelativeDeviation
        self.minimumVolume = minimumVolume ?? Self.defaultMinimumVolume
        self.cooldownHours = cooldownHours ?? kind.defaultCooldownHours
        self.enabled = enabled
    }

    // MARK: Defaults and limits

    /// 3.5 robust standard deviations. In simulated daily counts with a
    /// weekly rhythm and 3–20 % noise, about one ordinary day in a hundred
    /// strays that far from the weekly band (3 gives two to three); the
    /// relative floor removes those that are too small to matter.
    public static let defaultK = 3.5
    public static let defaultPercentile = 25.0
    public static let defaultMinimumRelativeDeviation = 0.1
    public static let defaultMinimumVolume = 100.0
    /// A post is judged on its snapshot this many hours after publishing.
    public static let postAgeHours = 24

    /// The anomaly band's absolute floor for a metric of `unit`: 10 things,
    /// 1 percentage point, 5 seconds, ¥10.
    public static func defaultMinimumDeviation(for unit: MetricUnit) -> Double {
        switch unit {
        case .count: 10
        case .fraction: 0.01
        case .seconds: 5
        case .fen: 1_000
        }
    }

    public static let windowRange = 3...365
    public static let kRange = 0.5...10.0
    public static let percentileRange = 1.0...99.0
    public static let cooldownHoursRange = 0...720
    public static let nameMaxLength = 80
    /// No number a rule holds is larger than this, so arithmetic on it stays exact enough and bounded.
    public static let maxMagnitude = 1e12
    /// Relative changes (bounds of relative and funnel rules, the relative floor): ±10,000 %.
    public static let maxRelative = 100.0

    /// The ready-made rules, with their preset keys as ids; a workspace's copies get ids of their own.
    public static let presets: [AlertRule] = AlertPreset.allCases.map { $0.rule(id: $0.rawValue) }
}

extension AlertKind {
    public var defaultWindow: Int {
        switch self {
        case .anomaly: 28
        case .postUnderperforming: 30
        case .threshold, .dayOverDayChange, .relativeToBaseline, .funnelDropOff: 7
        }
    }

    /// anomaly: weekly, so a quiet weekend is compared with weekends; the
    /// others compare with every day unless the person asks otherwise.
    public var defaultSeasonality: AlertSeasonality { self == .anomaly ? .weekly : .none }

    public var defaultMinimumHistory: Int {
        switch self {
        case .anomaly: 14
        case .postUnderperforming: 10
        case .relativeToBaseline, .funnelDropOff: 5
        case .threshold, .dayOverDayChange: 1
        }
    }

    /// A day's alert at most once a day; each post is its own occasion, so post alerts need none.
    public var defaultCooldownHours: Int { self == .postUnderperforming ? 0 : 24 }
}

// MARK: Validation

extension AlertRule {
    /// Every broken rule, by field (`name`, `scope`, `metric`, `comparison`,
    /// `bound`, `window`, `minimum_history`, `k`, `percentile`,
    /// `minimum_deviation`, `minimum_relative_deviation`, `minimum_volume`,
    /// `cooldown_hours`), with the shared catalog's codes: `required`,
    /// `too_long`, `unknown_account`, `unknown_group`, `invalid_choice`
    /// (`choices`), `metric_not_a_number`, `out_of_range` (`min`, `max`), and
    /// `not_applicable_to_kind` (`kind`) for a metric on a funnel rule.
    public func validationErrors() -> [ValidationError] {
        var errors: [ValidationError] = []
        func outOfRange<T: Comparable>(_ field: String, _ range: ClosedRange<T>) {
            errors.append(ValidationError(field: field, code: "out_of_range", params: ["min": Self.text(range.lowerBound), "max": Self.text(range.upperBound)]))
        }
        func check(_ field: String, _ value: Double, _ range: ClosedRange<Double>) {
            if !value.isFinite {
                errors.append(ValidationError(field: field, code: "metric_not_a_number"))
            } else if !range.contains(value) {
                outOfRange(field, range)
            }
        }

        do {
            if preset == nil {
                _ = try Validate.requiredText(name, field: "name", max: Self.nameMaxLength)
            } else {
                _ = try Validate.optionalText(name, field: "name", max: Self.nameMaxLength)
            }
        } catch {
            errors.append(error)
        }

        switch scope {
        case .account(let id) where !Identifier.isPlausible(id): errors.append(ValidationError(field: "scope", code: "unknown_account"))
        case .group(let id) where !Identifier.isPlausible(id): errors.append(ValidationError(field: "scope", code: "unknown_group"))
        default: break
        }

        let allowedMetrics = kind.allowedMetrics
        if kind.input == .funnelStage {
            if metric != nil { errors.append(ValidationError(field: "metric", code: "not_applicable_to_kind", params: ["kind": kind.rawValue])) }
        } else if let metric {
            if !allowedMetrics.contains(metric) {
                errors.append(ValidationError(field: "metric", code: "invalid_choice", params: ["choices": allowedMetrics.map(\.key).joined(separator: ", ")]))
            }
        } else {
            errors.append(ValidationError(field: "metric", code: "required"))
        }

        if !kind.comparisons.contains(comparison) {
            errors.append(ValidationError(field: "comparison", code: "invalid_choice", params: ["choices": kind.comparisons.map(\.rawValue).joined(separator: ", ")]))
        }

        if kind.usesBound {
            if let bound { check("bound", bound, boundRange) } else { errors.append(ValidationError(field: "bound", code: "required")) }
        }

        if kind.usesHistory {
            let windows = windowRange
            if !windows.contains(window) {
                outOfRange("window", windows)
            } else {
                let histories = minimumHistoryRange
                if !histories.contains(minimumHistory) { outOfRange("minimum_history", histories) }
            }
        }

        let unit = metric?.unit ?? .count
        switch kind {
        case .anomaly:
            check("k", k, Self.kRange)
            check("minimum_deviation", minimumDeviation, 0...(unit == .fraction ? 1 : Self.maxMagnitude))
            check("minimum_relative_deviation", minimumRelativeDeviation, 0...Self.maxRelative)
        case .postUnderperforming:
            check("percentile", percentile, Self.percentileRange)
        case .funnelDropOff:
            check("minimum_volume", minimumVolume, 0...Self.maxMagnitude)
        case .threshold, .dayOverDayChange, .relativeToBaseline:
            break
        }

        if !Self.cooldownHoursRange.contains(cooldownHours) { outOfRange("cooldown_hours", Self.cooldownHoursRange) }
        return errors
    }

    /// The rule itself, or every broken rule at once.
    @discardableResult
    public func validated() throws(ValidationErrors) -> AlertRule {
        let errors = validationErrors()
        guard errors.isEmpty else { throw ValidationErrors(errors) }
        return self
    }

    public var isValid: Bool { validationErrors().isEmpty }

    /// Where `bound` may lie for this kind, metric and comparison: within what
    /// the compared number can be, so a rule that could never fire is refused.
    public var boundRange: ClosedRange<Double> {
        let metric = metric ?? .stored(.followersNew)
        let fraction = metric.unit == .fraction
        switch kind {
        case .threshold:
            if fraction { return 0...1 }
            return metric.allowsNegative ? -Self.maxMagnitude...Self.maxMagnitude : 0...Self.maxMagnitude
        case .dayOverDayChange:
            let limit = fraction ? 1 : Self.maxMagnitude
            return comparison == .either ? 0...limit : -limit...limit
        case .relativeToBaseline:
            // A value that cannot go below zero cannot fall by more than 100 %.
            if comparison == .either { return 0...Self.maxRelative }
            return (metric.allowsNegative ? -Self.maxRelative : -1)...Self.maxRelative
        case .funnelDropOff:
            return 0...Self.maxRelative
        case .anomaly, .postUnderperforming:
            return -Self.maxMagnitude...Self.maxMagnitude
        }
    }

    /// Where `window` may lie: a weekly baseline needs at least one earlier
    /// week (two for the anomaly band, which measures spread within weekdays).
    public var windowRange: ClosedRange<Int> {
        guard kind.usesSeasonality, seasonality == .weekly else { return Self.windowRange }
        return (kind == .anomaly ? 14 : 7)...Self.windowRange.upperBound
    }

    /// Where `minimumHistory` may lie: at most the values the window can
    /// hold (a weekly relative or funnel baseline holds one a week); the
    /// anomaly band needs at least 3 to measure a spread.
    public var minimumHistoryRange: ClosedRange<Int> {
        let lower = kind == .anomaly ? 3 : 1
        let upper = seasonality == .weekly && kind.usesSeasonality && kind != .anomaly ? window / 7 : window
        return lower...max(lower, upper)
    }

    public static func text<T>(_ value: T) -> String {
        if let double = value as? Double, double.rounded() == double, abs(double) < 1e15 { return String(Int64(double)) }
        return "\(value)"
    }
}

extension AlertKind {
    /// The metrics a rule of this kind may watch: any for a day's series,
    /// those a post has for posts, none for a funnel stage.
    public var allowedMetrics: [AlertMetric] {
        switch input {
        case .dailySeries: AlertMetric.allCases
        case .posts: AlertMetric.allCases.filter(\.isPostMetric)
        case .funnelStage: []
        }
    }
}
