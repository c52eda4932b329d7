import Foundation

/// How a metric's number is to be read.
public enum MetricUnit: String, CaseIterable, Sendable, Codable {
    /// A whole number of things (reads, followers); only net changes may be negative.
    case count
    /// A rate as a fraction 0–1 ("4.41%" is 0.0441).
    case fraction
    case seconds
    /// Money in fen (分), a whole number.
    case fen
}

/// The canonical metric keys MediaOps stores and the API returns, whatever
/// each platform or back-office calls them (ANALYTICS-SOURCES.md §0). Derived
/// metrics such as the engagement rate are computed, never stored.
public enum MetricKey: String, CaseIterable, Sendable, Codable {
    case followersTotal = "followers_total"
    case followersNew = "followers_new"
    case followersLost = "followers_lost"
    case followersNet = "followers_net"
    case impressions
    case reads
    case readers
    case plays
    case likes
    case recommends
    case comments
    case shares
    case sharers
    case favorites
    case coins
    case danmaku
    case followsGained = "follows_gained"
    case profileVisits = "profile_visits"
    case linkClicks = "link_clicks"
    case completionRate = "completion_rate"
    case completion5sRate = "completion_5s_rate"
    case bounce2sRate = "bounce_2s_rate"
    case coverCTR = "cover_ctr"
    case avgWatchSeconds = "avg_watch_seconds"
    case delivered
    case deliveryReadRate = "delivery_read_rate"
    case tipsFen = "tips_fen"

    public var unit: MetricUnit {
        switch self {
        case .completionRate, .completion5sRate, .bounce2sRate, .coverCTR, .deliveryReadRate: .fraction
        case .avgWatchSeconds: .seconds
        case .tipsFen: .fen
        default: .count
        }
    }

    /// Whether a value below zero can be true: only a day's net change can.
    public var allowsNegative: Bool { self == .followersNet }

    /// The value as stored, or the reason it cannot be: not finite, below zero
    /// where that is impossible, a fraction above 1, a fractional count or fen.
    public func validated(_ value: Double) -> Result<Double, MetricValueProblem> {
        guard value.isFinite else { return .failure(.notANumber) }
        if value < 0, !allowsNegative { return .failure(.negative) }
        switch unit {
        case .fraction where value > 1: return .failure(.fractionAboveOne)
        case .count, .fen: return value.rounded() == value ? .success(value) : .failure(.notWhole)
        default: return .success(value)
        }
    }
}

/// Why a number cannot be a metric's value.
public enum MetricValueProblem: String, Error, Sendable, CaseIterable {
    case notANumber = "metric_not_a_number"
    case negative = "metric_negative"
    case fractionAboveOne = "metric_fraction_above_one"
    case notWhole = "metric_not_whole"
}

/// Where a stored value came from.
public enum MetricSource: String, CaseIterable, Sendable, Codable {
    /// Pulled from the platform's API by a MediaOps job (its raw answer is kept).
    case apiPull = "api_pull"
    /// Read from a back-office export file (the import is kept).
    case fileImport = "file_import"
    /// Typed in by a member.
    case manual
}
