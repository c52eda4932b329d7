import Foundation

/// When a post does best on each platform until the data says otherwise.
/// DOMAIN.md gives 公众号 20:00 and 抖音 07:00; the others follow the usual
/// daily rhythm of each platform's audience. An account can override its time.
public enum PostingTimes {
    public static func defaultTime(for platform: Platform) -> (hour: Int, minute: Int) {
        switch platform {
        case .wechatOA: (20, 0)
        case .douyin: (7, 0)
        case .weibo: (12, 0)
        case .xiaohongshu: (21, 0)
        case .bilibili: (18, 0)
        case .wechatChannels: (20, 0)
        case .kuaishou: (18, 0)
        case .zhihu: (21, 30)
        case .toutiao: (7, 30)
        case .x: (9, 0)
        case .facebook: (13, 0)
        case .instagram: (11, 0)
        case .linkedin: (8, 0)
        case .mastodon: (10, 0)
        case .telegram: (10, 0)
        case .webhook: (9, 0)
        }
    }

    /// Parses "HH:MM" (00:00–23:59).
    public static func parse(_ text: String) -> (hour: Int, minute: Int)? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return (hour, minute)
    }

    public static func format(_ time: (hour: Int, minute: Int)) -> String {
        String(format: "%02d:%02d", time.hour, time.minute)
    }

    /// An account's posting time: the one it adopted, else its platform's default.
    public static func time(for account: Account) -> (hour: Int, minute: Int) {
        account.bestTime.flatMap(parse) ?? defaultTime(for: account.platform)
    }

    /// When a post planned for `day` goes out at `time` in `zone`: that day at
    /// that time, or the next day's if it is not after `notBefore` (the best
    /// time today has passed). A time a daylight-saving change skips is taken
    /// as the instant the clocks jump to, as the calendar gives it.
    public static func instant(on day: LocalDate, at time: (hour: Int, minute: Int), zone: TimeZone, notBefore: Date) -> Date {
        var candidate = day
        for _ in 0..<3 {
            if let instant = LocalDateTime(year: candidate.year, month: candidate.month, day: candidate.day, hour: time.hour, minute: time.minute).instant(in: zone),
               instant > notBefore {
                return instant
            }
            candidate = candidate.adding(days: 1)
        }
        return notBefore.addingTimeInterval(3_600)
    }
}

/// The days a calendar view shows, computed in the workspace's time zone so a
/// day is the team's day wherever the server runs. Weeks start on Monday.
public struct CalendarRange: Sendable, Equatable {
    public enum View: String, Sendable, CaseIterable { case week, month }

    public var view: View
    /// Start of each day shown, in order.
    public var days: [Date]
    /// The first instant after the range.
    public var end: Date
    /// The day the view is anchored on (for "previous"/"next").
    public var anchor: Date

    public init(view: View, containing date: Date, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        let startOfDay = calendar.startOfDay(for: date)
        let firstDay: Date
        let dayCount: Int
        switch view {
        case .week:
            firstDay = calendar.dateInterval(of: .weekOfYear, for: startOfDay)?.start ?? startOfDay
            dayCount = 7
        case .month:
            let monthStart = calendar.dateInterval(of: .month, for: startOfDay)?.start ?? startOfDay
            firstDay = calendar.dateInterval(of: .weekOfYear, for: monthStart)?.start ?? monthStart
            let monthEnd = calendar.date(byAdding: .month, value: 1, to: monthStart) ?? monthStart
            let weeks = Int((calendar.dateComponents([.day], from: firstDay, to: monthEnd).day ?? 35) + 6) / 7
            dayCount = weeks * 7
        }
        // Adding days by the calendar keeps midnight right across DST changes.
        days = (0..<dayCount).compactMap { calendar.date(byAdding: .day, value: $0, to: firstDay) }
        end = calendar.date(byAdding: .day, value: dayCount, to: firstDay) ?? firstDay
        self.view = view
        anchor = startOfDay
    }

    public func shifted(by steps: Int, timeZone: TimeZone) -> CalendarRange {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let component: Calendar.Component = view == .week ? .weekOfYear : .month
        let moved = calendar.date(byAdding: component, value: steps, to: anchor) ?? anchor
        return CalendarRange(view: view, containing: moved, timeZone: timeZone)
    }

    /// The instant of `hour:minute` on the day containing `day`, in the zone.
    public static func instant(on day: Date, hour: Int, minute: Int, timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var components = calendar.dateComponents([.year, .month, .day], from: day)
        components.hour = hour
        components.minute = minute
        return calendar.date(from: components) ?? day
    }
}
