import Foundation

public enum KpiPeriodKind: String, CaseIterable, Sendable, Codable {
    case month, quarter
}

/// A scorecard's period: a calendar month or quarter in the workspace's time
/// zone. Written `2026-11` (a month) or `2026-Q4` (a quarter) in addresses,
/// the API and stored rows.
public struct KpiPeriod: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let kind: KpiPeriodKind
    public let year: Int
    /// The month (1–12) or the quarter (1–4).
    public let index: Int

    public init?(kind: KpiPeriodKind, year: Int, index: Int) {
        guard (2000...9000).contains(year), index >= 1, index <= (kind == .month ? 12 : 4) else { return nil }
        self.kind = kind
        self.year = year
        self.index = index
    }

    /// Reads `2026-11` or `2026-Q4` (also `2026-q4`).
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]) else { return nil }
        let tail = parts[1].uppercased()
        if tail.hasPrefix("Q") {
            guard tail.count == 2, let quarter = Int(tail.dropFirst()) else { return nil }
            self.init(kind: .quarter, year: year, index: quarter)
        } else {
            guard tail.count == 2, tail.allSatisfy(\.isASCII), let month = Int(tail) else { return nil }
            self.init(kind: .month, year: year, index: month)
        }
    }

    /// The period of this kind that holds `day`.
    public static func containing(_ day: LocalDate, kind: KpiPeriodKind) -> KpiPeriod {
        switch kind {
        case .month: KpiPeriod(kind: .month, year: day.year, index: day.month)!
        case .quarter: KpiPeriod(kind: .quarter, year: day.year, index: (day.month - 1) / 3 + 1)!
        }
    }

    public var description: String {
        switch kind {
        case .month: String(format: "%04d-%02d", year, index)
        case .quarter: String(format: "%04d-Q%d", year, index)
        }
    }

    public var firstMonth: Int { kind == .month ? index : (index - 1) * 3 + 1 }

    public var from: LocalDate { LocalDate(year: year, month: firstMonth, day: 1) }

    public var to: LocalDate { next.from.adding(days: -1) }

    public var next: KpiPeriod {
        let last = kind == .month ? 12 : 4
        return index == last ? KpiPeriod(kind: kind, year: year + 1, index: 1)! : KpiPeriod(kind: kind, year: year, index: index + 1)!
    }

    public var previous: KpiPeriod {
        let last = kind == .month ? 12 : 4
        return index == 1 ? KpiPeriod(kind: kind, year: year - 1, index: last)! : KpiPeriod(kind: kind, year: year, index: index - 1)!
    }

    /// The instants the period covers, [start, stop), in a time zone (daylight-saving days are 23 or 25 hours long).
    public func interval(in zone: TimeZone) -> (start: Date, stop: Date) {
        (Self.midnight(from, zone), Self.midnight(next.from, zone))
    }

    /// The first instant of a day in a time zone.
    public static func midnight(_ day: LocalDate, _ zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? Date(timeIntervalSince1970: 0)
    }

    public static func < (lhs: KpiPeriod, rhs: KpiPeriod) -> Bool {
        (lhs.from, lhs.kind.rawValue) < (rhs.from, rhs.kind.rawValue)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let period = KpiPeriod(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a KPI period: \(text)"))
        }
        self = period
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
