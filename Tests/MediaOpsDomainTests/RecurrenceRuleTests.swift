import Foundation
import MediaOpsDomain
import Testing

/// The recurring rule's calendar: wall-clock times kept across daylight-saving
/// changes, months without the chosen day, and the occurrence window.
@Suite("Recurrence rule")
struct RecurrenceRuleTests {
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test("09:00 every weekday stays 09:00 in New York across the March change (UTC moves from 14:00 to 13:00)")
    func weekdaysAcrossSpringForward() {
        let rule = RecurrenceRule(frequency: .weekly, weekdays: [1, 3, 5], hour: 9, minute: 0)
        let got = rule.occurrences(after: Self.utc("2026-03-04T00:00:00Z"), through: Self.utc("2026-03-14T00:00:00Z"), zone: Self.newYork).map(\.at)
        #expect(got == ["2026-03-04T14:00:00Z", "2026-03-06T14:00:00Z", "2026-03-09T13:00:00Z", "2026-03-11T13:00:00Z", "2026-03-13T13:00:00Z"].map(Self.utc))
    }

    @Test("a time the clocks skip happens once, an hour later; a time that happens twice happens once")
    func skippedAndRepeatedTimes() {
        let skipped = RecurrenceRule(frequency: .daily, hour: 2, minute: 30)
        let spring = skipped.occurrences(after: Self.utc("2026-03-07T12:00:00Z"), through: Self.utc("2026-03-09T12:00:00Z"), zone: Self.newYork)
        #expect(spring.map(\.day.description) == ["2026-03-08", "2026-03-09"])
        #expect(spring[0].at == Self.utc("2026-03-08T07:30:00Z"), "02:30 does not exist that night: 03:30 EDT")
        let repeated = RecurrenceRule(frequency: .daily, hour: 1, minute: 30)
        let autumn = repeated.occurrences(after: Self.utc("2026-10-31T12:00:00Z"), through: Self.utc("2026-11-02T12:00:00Z"), zone: Self.newYork)
        #expect(autumn.map(\.day.description) == ["2026-11-01", "2026-11-02"], "one occurrence per day, not two")
    }

    @Test("monthly on the 31st falls on the last day of shorter months", arguments: [
        ("2026-02-01T00:00:00Z", "2026-02-28"), ("2026-04-01T00:00:00Z", "2026-04-30"), ("2026-05-01T00:00:00Z", "2026-05-31"), ("2028-02-01T00:00:00Z", "2028-02-29"),
    ])
    func monthEnds(after: String, expected: String) {
        let rule = RecurrenceRule(frequency: .monthly, dayOfMonth: 31, hour: 10, minute: 0)
        #expect(rule.next(after: Self.utc(after), zone: TimeZone(identifier: "Asia/Shanghai")!)?.day.description == expected)
    }

    @Test("broken rules name their fields", arguments: [
        (RecurrenceRule(frequency: .weekly, hour: 9, minute: 0), ["weekdays"]),
        (RecurrenceRule(frequency: .weekly, weekdays: [0, 8], hour: 9, minute: 0), ["weekdays"]),
        (RecurrenceRule(frequency: .monthly, hour: 9, minute: 0), ["day_of_month"]),
        (RecurrenceRule(frequency: .monthly, dayOfMonth: 32, hour: 24, minute: 0), ["day_of_month", "time"]),
        (RecurrenceRule(frequency: .daily, hour: 9, minute: 0), []),
    ])
    func validation(rule: RecurrenceRule, fields: [String]) {
        #expect(rule.validationErrors().map(\.field) == fields)
    }

    @Test("labels are split on either comma width or 、, trimmed, without # and repeats")
    func labels() {
        #expect(WorkTask.labels(from: " 周报, #数据，复盘、周报 ,, ") == ["周报", "数据", "复盘"])
    }
}
