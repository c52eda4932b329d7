import Foundation

/// The derived metrics, defined once (ANALYTICS-SOURCES.md §0) and shown on
/// hover and in the API documentation. They are computed from stored values,
/// never stored themselves.
public enum DerivedMetric: String, CaseIterable, Sendable {
    /// likes + comments + shares + favorites (+ recommends where the platform has them).
    case engagement
    /// engagement ÷ reads (text platforms) or plays (video platforms).
    case engagementRate = "engagement_rate"
    /// Average daily readers ÷ followers at the end of the period (公众号's 阅读率).
    case readRate = "read_rate"

    /// The counts that make up engagement.
    public static let engagementParts: [MetricKey] = [.likes, .comments, .shares, .favorites, .recommends]

    /// Platforms whose posts are consumed as plays rather than reads.
    public static let videoPlatforms: Set<Platform> = [.douyin, .wechatChannels, .bilibili, .kuaishou]

    /// What a post of `platform` is counted by: plays for video platforms, reads otherwise.
    public static func consumptionKey(for platform: Platform) -> MetricKey {
        videoPlatforms.contains(platform) ? .plays : .reads
    }

    /// Engagement from the values present; nil when none of its parts is.
    public static func engagement(_ values: [MetricKey: Double]) -> Double? {
        let parts = engagementParts.compactMap { values[$0] }
        return parts.isEmpty ? nil : parts.reduce(0, +)
    }

    /// Average daily readers over `days` ÷ `followers`; nil without readers or followers.
    public static func readRate(readers: Double?, days: Int, followers: Double?) -> Double? {
        guard let readers, let followers, followers > 0, days > 0 else { return nil }
        return readers / Double(days) / followers
    }

    /// Engagement ÷ reads or plays (falling back to the other when the usual
    /// one is absent); nil when either side is absent or nothing was read.
    public static func engagementRate(_ values: [MetricKey: Double], platform: Platform) -> Double? {
        guard let engagement = engagement(values) else { return nil }
        let primary = consumptionKey(for: platform)
        let consumption = values[primary] ?? values[primary == .plays ? .reads : .plays]
        guard let consumption, consumption > 0 else { return nil }
        return engagement / consumption
    }
}

/// A reporting period in the workspace's days: the last 7, 30 or 90 days up
/// to yesterday (today's numbers are not in yet), a calendar month, or a
/// custom range; and the period of the same length just before it.
public struct ReportingPeriod: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case last7 = "7d", last30 = "30d", last90 = "90d", month, custom }

    public var kind: Kind
    public var from: LocalDate
    public var to: LocalDate

    public var days: Int { from.days(until: to) + 1 }

    /// The same number of days ending the day before `from` (for a month: the month before).
    public var previous: ReportingPeriod {
        if kind == .month {
            let start = LocalDate(year: from.month == 1 ? from.year - 1 : from.year, month: from.month == 1 ? 12 : from.month - 1, day: 1)
            return ReportingPeriod(kind: .month, from: start, to: from.adding(days: -1))
        }
        return ReportingPeriod(kind: kind, from: from.adding(days: -days), to: from.adding(days: -1))
    }

    public init(kind: Kind, from: LocalDate, to: LocalDate) {
        self.kind = kind
        self.from = from
        self.to = to
    }

    /// The longest custom range, so one request cannot ask for centuries.
    public static let maxDays = 3_700

    /// Reads `period` (`7d`, `30d`, `90d`, `month`, `custom`) with `month`
    /// (`2026-11`) or `from`/`to` (`2026-11-01`); `today` is in the workspace zone.
    public static func parse(period: String?, month: String?, from: String?, to: String?, today: LocalDate) throws(ValidationError) -> ReportingPeriod {
        let yesterday = today.adding(days: -1)
        // A malformed value is refused even where the period does not use it: it is a mistake either way.
        if let month, month.count != 7 || LocalDate(month + "-01") == nil { throw ValidationError(field: "month", code: "invalid_month") }
        if let from, LocalDate(from) == nil { throw ValidationError(field: "from", code: "invalid_date") }
        if let to, LocalDate(to) == nil { throw ValidationError(field: "to", code: "invalid_date") }
        switch period.flatMap(Kind.init(rawValue:)) ?? (period == nil || period == "" ? .last30 : nil) {
        case .last7: return ReportingPeriod(kind: .last7, from: yesterday.adding(days: -6), to: yesterday)
        case .last30: return ReportingPeriod(kind: .last30, from: yesterday.adding(days: -29), to: yesterday)
        case .last90: return ReportingPeriod(kind: .last90, from: yesterday.adding(days: -89), to: yesterday)
        case .month:
            let text = month ?? String(yesterday.description.prefix(7))
            guard text.count == 7, let first = LocalDate(text + "-01"), first.year >= 2000, first <= today else {
                throw ValidationError(field: "month", code: "invalid_month")
            }
            let next = LocalDate(year: first.month == 12 ? first.year + 1 : first.year, month: first.month == 12 ? 1 : first.month + 1, day: 1)
            return ReportingPeriod(kind: .month, from: first, to: next.adding(days: -1))
        case .custom:
            guard let fromText = from, let start = LocalDate(fromText), start.year >= 2000 else { throw ValidationError(field: "from", code: "invalid_date") }
            guard let toText = to, let end = LocalDate(toText), end.year <= 9_000 else { throw ValidationError(field: "to", code: "invalid_date") }
            guard start <= end else { throw ValidationError(field: "to", code: "date_before_start") }
            guard start.days(until: end) < maxDays else { throw ValidationError(field: "to", code: "range_too_long", params: ["max": String(maxDays)]) }
            return ReportingPeriod(kind: .custom, from: start, to: end)
        case .none:
            throw ValidationError(field: "period", code: "invalid_choice", params: ["choices": Kind.allCases.map(\.rawValue).joined(separator: ", ")])
        }
    }
}
