import Foundation

/// What a metric alert rule watches: a canonical stored metric, a derived one
/// (engagement, engagement rate, read rate), or a post's consumption (reads on
/// text platforms, plays on video platforms, so one rule can cover an account
/// matrix that mixes 公众号 and 抖音). Its `key` is the metric's canonical key;
/// the keys of the three families never collide.
public enum AlertMetric: Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case stored(MetricKey)
    case derived(DerivedMetric)
    /// Reads or plays, whichever `DerivedMetric.consumptionKey(for:)` gives for
    /// the account's platform.
    case consumption

    public static let consumptionKey = "consumption"

    public static var allCases: [AlertMetric] {
        MetricKey.allCases.map(AlertMetric.stored) + DerivedMetric.allCases.map(AlertMetric.derived) + [.consumption]
    }

    public var key: String {
        switch self {
        case .stored(let metric): metric.rawValue
        case .derived(let metric): metric.rawValue
        case .consumption: Self.consumptionKey
        }
    }

    public var description: String { key }

    public init?(key: String) {
        if let metric = MetricKey(rawValue: key) {
            self = .stored(metric)
        } else if let metric = DerivedMetric(rawValue: key) {
            self = .derived(metric)
        } else if key == Self.consumptionKey {
            self = .consumption
        } else {
            return nil
        }
    }

    /// How the metric's numbers read. The engagement and read rates are
    /// fractions like the stored rates.
    public var unit: MetricUnit {
        switch self {
        case .stored(let metric): metric.unit
        case .derived(.engagement), .consumption: .count
        case .derived(.engagementRate), .derived(.readRate): .fraction
        }
    }

    /// Whether a value below zero can be true (only `followers_net`).
    public var allowsNegative: Bool {
        if case .stored(let metric) = self { return metric.allowsNegative }
        return false
    }

    /// Whether a post has this metric: not the follower counts and not the
    /// read rate, which belong to an account's day.
    public var isPostMetric: Bool {
        switch self {
        case .stored(.followersTotal), .stored(.followersNew), .stored(.followersLost), .stored(.followersNet): false
        case .derived(.readRate): false
        default: true
        }
    }

    /// The stored metric this one reads for an account on `platform`, when it
    /// is a single stored metric (derived ones are computed from several).
    public func storedKey(for platform: Platform) -> MetricKey? {
        switch self {
        case .stored(let metric): metric
        case .consumption: DerivedMetric.consumptionKey(for: platform)
        case .derived: nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let metric = AlertMetric(key: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown metric \(text)"))
        }
        self = metric
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(key)
    }
}
