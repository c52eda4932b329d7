import Foundation
import MediaOpsDomain
import Testing

@Suite("Reports: periods and schedules")
struct ReportTests {
    static func day(_ text: String) -> LocalDate { LocalDate(text)! }
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test("weekdays are ISO: Monday 1 … Sunday 7, across years and before 1970")
    func weekdays() {
        #expect(Self.day("2026-12-07").isoWeekday == 1)
        #expect(Self.day("2026-12-06").isoWeekday == 7)
        #expect(Self.day("1970-01-01").isoWeekday == 4)
        #expect(Self.day("1969-12-29").isoWeekday == 1)
        #expect(Self.day("2024-02-29").isoWeekday == 4)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var date = Self.day("1999-12-20")
        for _ in 0..<800 {
            let components = DateComponents(year: date.year, month: date.month, day: date.day)
            let weekday = calendar.component(.weekday, from: calendar.date(from: components)!)   // 1 = Sunday
            #expect(date.isoWeekday == (weekday + 5) % 7 + 1, "\(date)")
            date = date.adding(days: 1)
        }
    }

    @Test("latest periods: yesterday, last Monday–Sunday, last calendar month — whatever day today is", arguments: [
        ("2026-12-07", "daily", "2026-12-06", "2026-12-06"),
        ("2026-12-07", "weekly", "2026-11-30", "2026-12-06"),   // a Monday: the week that just ended
        ("2026-12-06", "weekly", "2026-11-23", "2026-11-29"),   // a Sunday: this week has not ended
        ("2026-12-09", "weekly", "2026-11-30", "2026-12-06"),
        ("2026-12-01", "monthly", "2026-11-01", "2026-11-30"),
        ("2026-12-31", "monthly", "2026-11-01", "2026-11-30"),
        ("2026-03-01", "monthly", "2026-02-01", "2026-02-28"),
        ("2024-03-15", "monthly", "2024-02-01", "2024-02-29"),
        ("2027-01-01", "monthly", "2026-12-01", "2026-12-31"),
        ("2027-01-01", "daily", "2026-12-31", "2026-12-31"),
        ("2027-01-04", "weekly", "2026-12-28", "2027-01-03"),   // a week across the new year
    ])
    func latest(today: String, kind: String, from: String, to: String) throws {
        let period = try #require(ReportKind(rawValue: kind)).latestPeriod(today: Self.day(today))
        #expect(period.from == Self.day(from) && period.to == Self.day(to))
    }

    @Test("the previous period: the day before, the week before, the month before (of its own length)")
    func previous() {
        #expect(ReportKind.daily.latestPeriod(today: Self.day("2026-03-01")).previous == ReportPeriod(kind: .daily, from: Self.day("2026-02-27"), to: Self.day("2026-02-27")))
        #expect(ReportKind.weekly.latestPeriod(today: Self.day("2026-12-07")).previous
                == ReportPeriod(kind: .weekly, from: Self.day("2026-11-23"), to: Self.day("2026-11-29")))
        #expect(ReportKind.monthly.latestPeriod(today: Self.day("2026-03-10")).previous
                == ReportPeriod(kind: .monthly, from: Self.day("2026-01-01"), to: Self.day("2026-01-31")))
        #expect(ReportKind.monthly.latestPeriod(today: Self.day("2026-01-10")).previous
                == ReportPeriod(kind: .monthly, from: Self.day("2025-11-01"), to: Self.day("2025-11-30")))
    }

    @Test("a chosen day picks its period; a period not over yet falls back to the one before it")
    func chosen() {
        let today = Self.day("2026-12-09")   // a Wednesday
        #expect(ReportKind.weekly.period(containing: Self.day("2026-11-19"), endingBefore: today).from == Self.day("2026-11-16"))
        #expect(ReportKind.weekly.period(containing: Self.day("2026-12-08"), endingBefore: today).from == Self.day("2026-11-30"))
        #expect(ReportKind.monthly.period(containing: Self.day("2026-10-17"), endingBefore: today).to == Self.day("2026-10-31"))
        #expect(ReportKind.monthly.period(containing: Self.day("2026-12-01"), endingBefore: today).from == Self.day("2026-11-01"))
        #expect(ReportKind.daily.period(containing: Self.day("2026-12-09"), endingBefore: today).from == Self.day("2026-12-08"))
        // A day far in the future answers at once, with the latest full period.
        #expect(ReportKind.daily.period(containing: Self.day("9999-12-31"), endingBefore: today).from == Self.day("2026-12-08"))
        #expect(ReportKind.monthly.period(containing: Self.day("9999-12-31"), endingBefore: today).from == Self.day("2026-11-01"))
    }

    @Test("周报 every Monday 09:00 in Shanghai comes due at 01:00 UTC and issues last week, once")
    func weeklyShanghai() throws {
        let schedule = ReportSchedule(id: "s", kind: .weekly, scope: .workspace, weekday: 1, hour: 9, minute: 0)
        // Monday 7 Dec 2026, 08:59 in Shanghai: not yet; the last time it came due was Monday 30 Nov.
        let before = try #require(schedule.latestDue(atOrBefore: Self.instant("2026-12-07T00:59:00Z"), zone: Self.shanghai))
        #expect(before.at == Self.instant("2026-11-30T01:00:00Z") && before.period.from == Self.day("2026-11-23"))
        let due = try #require(schedule.latestDue(atOrBefore: Self.instant("2026-12-07T01:00:00Z"), zone: Self.shanghai))
        #expect(due.at == Self.instant("2026-12-07T01:00:00Z"))
        #expect(due.period == ReportPeriod(kind: .weekly, from: Self.day("2026-11-30"), to: Self.day("2026-12-06")))
        #expect(schedule.nextDue(after: Self.instant("2026-12-07T01:00:00Z"), zone: Self.shanghai) == Self.instant("2026-12-14T01:00:00Z"))

        var issued = schedule
        issued.lastPeriodFrom = Self.day("2026-11-30")
        #expect(issued.duePeriod(at: Self.instant("2026-12-07T05:00:00Z"), zone: Self.shanghai) == nil, "the same period is never issued twice")
        #expect(issued.duePeriod(at: Self.instant("2026-12-14T01:00:00Z"), zone: Self.shanghai)?.from == Self.day("2026-12-07"))
        var paused = schedule
        paused.enabled = false
        #expect(paused.duePeriod(at: Self.instant("2026-12-07T05:00:00Z"), zone: Self.shanghai) == nil)
    }

    @Test("a schedule in New York keeps 09:00 on the wall clock across the DST change (14:00 UTC, then 13:00 UTC)")
    func daylightSaving() throws {
        let weekly = ReportSchedule(id: "s", kind: .weekly, scope: .workspace, weekday: 1, hour: 9, minute: 0)
        // DST began on Sunday 8 March 2026.
        #expect(weekly.nextDue(after: Self.instant("2026-03-01T00:00:00Z"), zone: Self.newYork) == Self.instant("2026-03-02T14:00:00Z"))
        #expect(weekly.nextDue(after: Self.instant("2026-03-02T14:00:00Z"), zone: Self.newYork) == Self.instant("2026-03-09T13:00:00Z"))
        // And back on Sunday 1 November 2026.
        #expect(weekly.nextDue(after: Self.instant("2026-10-27T00:00:00Z"), zone: Self.newYork) == Self.instant("2026-11-02T14:00:00Z"))
        // A daily 02:30 on the night the clock jumps from 02:00 to 03:00 still comes due once that day, after the jump.
        let daily = ReportSchedule(id: "d", kind: .daily, scope: .workspace, hour: 2, minute: 30)
        let skipped = try #require(daily.nextDue(after: Self.instant("2026-03-08T05:00:00Z"), zone: Self.newYork))
        #expect(skipped > Self.instant("2026-03-08T07:00:00Z") && skipped < Self.instant("2026-03-08T08:00:01Z"))
        #expect(LocalDate(skipped, timeZone: Self.newYork) == Self.day("2026-03-08"))
        let due = try #require(daily.latestDue(atOrBefore: Self.instant("2026-03-08T12:00:00Z"), zone: Self.newYork))
        #expect(due.period.from == Self.day("2026-03-07"))
    }

    @Test("a monthly schedule on the 1st at 08:30 issues the month before; in Shanghai the due day follows the local date")
    func monthly() throws {
        let schedule = ReportSchedule(id: "m", kind: .monthly, scope: .workspace, dayOfMonth: 1, hour: 8, minute: 30)
        // 2026-11-30 23:00 UTC is already 1 December 07:00 in Shanghai: not yet 08:30.
        #expect(schedule.duePeriod(at: Self.instant("2026-11-30T23:00:00Z"), zone: Self.shanghai)?.from == Self.day("2026-10-01"))
        let due = try #require(schedule.duePeriod(at: Self.instant("2026-12-01T00:30:00Z"), zone: Self.shanghai))
        #expect(due == ReportPeriod(kind: .monthly, from: Self.day("2026-11-01"), to: Self.day("2026-11-30")))
    }

    @Test("schedules name every broken field: weekday for weekly, day 1–28 for monthly, the time")
    func validation() {
        #expect(ReportSchedule(id: "", kind: .weekly, scope: .workspace, hour: 9, minute: 0).validationErrors().map(\.field) == ["weekday"])
        #expect(ReportSchedule(id: "", kind: .weekly, scope: .workspace, weekday: 8, hour: 24, minute: 0).validationErrors().map(\.field) == ["weekday", "time"])
        #expect(ReportSchedule(id: "", kind: .monthly, scope: .workspace, dayOfMonth: 31, hour: 9, minute: 0).validationErrors().first?.code == "out_of_range")
        #expect(ReportSchedule(id: "", kind: .daily, scope: .workspace, hour: 23, minute: 59).validationErrors().isEmpty)
    }

    @Test("posts are ranked by the 7-day engagement rate, else the 24-hour one; the bottom list never repeats the top")
    func ranking() {
        func post(_ id: String, _ rate24: Double?, _ rate7: Double?) -> ReportPost {
            ReportPost(id: id, title: id, url: nil, accountID: "a", accountName: "A", platform: .weibo, publishedAt: nil,
                       consumption24h: 100, engagementRate24h: rate24, consumption7d: nil, engagementRate7d: rate7)
        }
        let posts = [post("a", 0.01, 0.09), post("b", 0.20, nil), post("c", 0.05, 0.02), post("d", nil, nil), post("e", 0.03, nil)]
        let ranked = ReportPost.ranked(posts, count: 2)
        #expect(ranked.top.map(\.id) == ["b", "a"])
        #expect(ranked.bottom.map(\.id) == ["c", "e"])
        let few = ReportPost.ranked(Array(posts.prefix(2)), count: 5)
        #expect(few.top.count == 2 && few.bottom.isEmpty)
    }

    @Test("the analyst's text is bounded and plain")
    func text() {
        #expect(ReportText.check(String(repeating: "数", count: 2_000), field: "summary") == nil)
        #expect(ReportText.check(String(repeating: "数", count: 2_001), field: "summary")?.code == "too_long")
        #expect(ReportText.check("第一行\n第二行", field: "summary") == nil)
        #expect(ReportText.check("a\u{0}b", field: "recommendations")?.field == "recommendations")
    }
}
