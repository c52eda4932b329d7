import Foundation
import MediaOpsDomain
import Testing

@Suite("Local dates")
struct LocalDateTests {
    static func calendarDay(_ instant: Date, _ zone: TimeZone) -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    @Test("day arithmetic agrees with a Gregorian calendar across leap years and centuries")
    func arithmetic() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = LocalDate(year: 1899, month: 12, day: 30)
        let origin = calendar.date(from: DateComponents(year: 1899, month: 12, day: 30))!
        for offset in stride(from: 0, to: 80_000, by: 37) {
            let expected = Self.calendarDay(calendar.date(byAdding: .day, value: offset, to: origin)!, calendar.timeZone)
            #expect(start.adding(days: offset) == expected)
            #expect(start.days(until: expected) == offset)
        }
        #expect(LocalDate(year: 2024, month: 2, day: 28).adding(days: 1) == LocalDate(year: 2024, month: 2, day: 29))
        #expect(LocalDate(year: 2100, month: 2, day: 28).adding(days: 1) == LocalDate(year: 2100, month: 3, day: 1))
        #expect(LocalDate(year: 2000, month: 3, day: 1).adding(days: -1) == LocalDate(year: 2000, month: 2, day: 29))
        #expect(LocalDate(year: 1970, month: 1, day: 1).dayNumber == 0 && LocalDate(dayNumber: -1) == LocalDate(year: 1969, month: 12, day: 31))
        #expect(LocalDate(year: 7, month: 3, day: 9).description == "0007-03-09" && LocalDate(year: 2026, month: 12, day: 7).description == "2026-12-07")
        #expect(LocalDate.isValid(year: 2024, month: 2, day: 29) && !LocalDate.isValid(year: 2026, month: 2, day: 29) && !LocalDate.isValid(year: 2026, month: 13, day: 1))
    }

    @Test("the day of an instant in a zone is the calendar's, around midnight and across daylight-saving changes",
          arguments: ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Pacific/Chatham", "America/St_Johns", "UTC"])
    func dayOfInstant(_ identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier))
        // Every 97 minutes over two years (both DST changes of each year), plus the seconds either side of midnights.
        var instant = Date(timeIntervalSince1970: 1_711_000_000)
        while instant.timeIntervalSince1970 < 1_774_000_000 {
            #expect(LocalDate(instant, timeZone: zone) == Self.calendarDay(instant, zone))
            instant = instant.addingTimeInterval(97 * 60)
        }
        for day in [LocalDate(year: 2024, month: 3, day: 31), LocalDate(year: 2024, month: 10, day: 27), LocalDate(year: 2026, month: 12, day: 7)] {
            let midnight = LocalDateTime(year: day.year, month: day.month, day: day.day, hour: 0, minute: 0).instant(in: zone)!
            #expect(LocalDate(midnight, timeZone: zone) == day)
            #expect(LocalDate(midnight.addingTimeInterval(-1), timeZone: zone) == day.adding(days: -1))
        }
    }
}
