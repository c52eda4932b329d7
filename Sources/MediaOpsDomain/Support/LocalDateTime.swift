import Foundation

/// A wall-clock time as people type it ("2026-03-29T02:30"), turned into an
/// instant in the workspace's zone with one rule for daylight-saving edges:
/// a time the clocks skip moves forward by the jump (02:30 → 03:30), and a time
/// that happens twice means its first occurrence. DateFormatter answers nil for
/// the first and the second occurrence for the other, so it is not used here.
public struct LocalDateTime: Sendable, Equatable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// The calendar day of this time.
    public var date: LocalDate { LocalDate(year: year, month: month, day: day) }

    /// Reads "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss" or "yyyy-MM-dd HH:mm".
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == "T" || $0 == " " })
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-").map { Int($0) }
        let time = parts[1].split(separator: ":").map { Int($0) }
        guard date.count == 3, (2...3).contains(time.count), let year = date[0], let month = date[1], let day = date[2],
              let hour = time[0], let minute = time[1], let second = time.count == 3 ? time[2] : 0,
              (1...9_999).contains(year), (1...12).contains(month), (1...31).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// The instant this wall-clock time names in `zone`; nil for a day that does not exist (31 February).
    public func instant(in zone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components) else { return nil }
        // Calendar rolls 31 February over into March: refuse instead.
        let check = calendar.dateComponents([.year, .month, .day], from: calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12)) ?? date)
        guard check.year == year, check.month == month, check.day == day else { return nil }
        return date
    }
}

/// Many wall-clock times of one zone turned into instants, as an import of
/// 100,000 posts does: each day's midnight is found once, and a time on a day
/// whose offset does not change is that midnight plus its seconds. A day with
/// a clock change (and a day that does not exist) takes `instant(in:)`'s
/// answer, so the result is always the one it gives.
public struct LocalInstants {
    public let zone: TimeZone
    private var days: [LocalDate: Date?] = [:]

    public init(zone: TimeZone) { self.zone = zone }

    public mutating func instant(_ time: LocalDateTime) -> Date? {
        let day = time.date
        let midnight: Date?
        if let known = days[day] {
            midnight = known
        } else {
            midnight = Self.uniformMidnight(day, zone)
            days[day] = midnight
        }
        guard let midnight else { return time.instant(in: zone) }
        return midnight.addingTimeInterval(Double(time.hour * 3_600 + time.minute * 60 + time.second))
    }

    /// The day's midnight when the zone keeps one offset from it to the next midnight; nil otherwise.
    private static func uniformMidnight(_ day: LocalDate, _ zone: TimeZone) -> Date? {
        guard let midnight = LocalDateTime(year: day.year, month: day.month, day: day.day, hour: 0, minute: 0).instant(in: zone) else { return nil }
        let offset = zone.secondsFromGMT(for: midnight)
        // A zone whose clocks skip midnight (Santiago) starts that day later: not a uniform day.
        guard (Int(midnight.timeIntervalSince1970.rounded()) + offset) % 86_400 == 0,
              zone.secondsFromGMT(for: midnight.addingTimeInterval(86_400)) == offset,
              zone.nextDaylightSavingTimeTransition(after: midnight).map({ $0 >= midnight.addingTimeInterval(86_400) }) ?? true else { return nil }
        return midnight
    }
}
