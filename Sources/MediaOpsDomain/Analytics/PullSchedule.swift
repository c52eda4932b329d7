import Foundation

/// How far back a platform's API reaches for an account's daily numbers.
public enum PullHistory: Sendable, Equatable {
    /// Any past day from `earliest`, at most `maxSpan` days per call (公众号 datacube: 7 from 2014-12-01).
    case range(maxSpan: Int, earliest: LocalDate)
    /// Only a window ending yesterday (抖音 date_type 7/15/30): older days are gone.
    case recentWindow(days: Int)
    /// Only today's counters (followers now): a past day cannot be asked for.
    case currentOnly
}

/// When a platform's numbers can be asked for, pure rules with no clock of
/// their own: yesterday's account data becomes available at a platform time
/// of day (公众号 "请在每日8:00后查询昨日数据", 抖音 "第二天十点左右刷新", B站
/// "次日中午12刷新", western platforms keep live counters), post snapshots are
/// taken at fixed ages while the platform still changes the post, and a
/// backfill is cut into the spans a platform accepts in one call.
public enum PullSchedule {
    public static let beijing = TimeZone(identifier: "Asia/Shanghai")!
    public static let utc = TimeZone(identifier: "UTC")!

    /// Margin after the stated availability time: "around ten" is not ten sharp.
    public static let margin: TimeInterval = 15 * 60

    /// The platform's time of day (in its own zone) after which yesterday is
    /// complete; nil for live counters (微博, Mastodon, X, Telegram), which are
    /// read as the workspace day ends so the count is that day's closing figure.
    public static func availability(_ platform: Platform) -> (hour: Int, minute: Int, zone: TimeZone)? {
        switch platform {
        case .wechatOA: (8, 0, beijing)
        case .douyin: (10, 0, beijing)
        case .bilibili: (12, 0, beijing)
        default: nil
        }
    }

    /// The earliest instant at which `day` (a day in the workspace zone) can be
    /// pulled complete: the platform's availability time on the following
    /// platform day, after the workspace day has ended, plus the margin.
    public static func availableAt(_ day: LocalDate, platform: Platform, workspaceZone: TimeZone) -> Date {
        let workspaceDayEnd = start(of: day.adding(days: 1), in: workspaceZone)
        guard let (hour, minute, zone) = availability(platform) else { return workspaceDayEnd.addingTimeInterval(margin) }
        // The platform day on which the workspace day ends, then its next day's availability time.
        let platformDay = LocalDate(workspaceDayEnd.addingTimeInterval(-1), timeZone: zone)
        let ready = start(of: platformDay.adding(days: 1), in: zone).addingTimeInterval(TimeInterval(hour * 3_600 + minute * 60))
        return max(ready, workspaceDayEnd).addingTimeInterval(margin)
    }

    /// The newest workspace day whose data is complete at `now`, and when the next one will be.
    public static func latestAvailableDay(platform: Platform, workspaceZone: TimeZone, now: Date) -> LocalDate {
        var day = LocalDate(now, timeZone: workspaceZone).adding(days: -1)
        while availableAt(day, platform: platform, workspaceZone: workspaceZone) > now { day = day.adding(days: -1) }
        return day
    }

    /// Midnight at the start of `day` in `zone` (DST-safe: the first instant of the day).
    public static func start(of day: LocalDate, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.startOfDay(for: calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))!)
    }

    // MARK: History and spans

    public static func history(_ platform: Platform) -> PullHistory {
        switch platform {
        case .wechatOA: .range(maxSpan: 7, earliest: LocalDate(year: 2014, month: 12, day: 1))
        case .douyin: .recentWindow(days: 30)
        default: .currentOnly
        }
    }

    /// `from`…`to` cut into consecutive ranges of at most `maxSpan` days, oldest first.
    public static func split(from: LocalDate, to: LocalDate, maxSpan: Int) -> [ClosedRange<LocalDate>] {
        guard from <= to, maxSpan > 0 else { return [] }
        var ranges: [ClosedRange<LocalDate>] = []
        var start = from
        while start <= to {
            let end = min(to, start.adding(days: maxSpan - 1))
            ranges.append(start...end)
            start = end.adding(days: 1)
        }
        return ranges
    }

    /// The calls a backfill of `from`…`to` makes on `platform`, clamped to what
    /// the platform still has at `latest` (the newest available day): whole
    /// spans for range platforms, one window for 抖音, nothing for current-only
    /// counters (their past cannot be asked for; files fill it).
    public static func backfillRanges(platform: Platform, from: LocalDate, to: LocalDate, latest: LocalDate) -> [ClosedRange<LocalDate>] {
        let end = min(to, latest)
        switch history(platform) {
        case .range(let maxSpan, let earliest):
            return split(from: max(from, earliest), to: end, maxSpan: maxSpan)
        case .recentWindow(let days):
            let start = max(from, latest.adding(days: -(days - 1)))
            return start <= end ? [start...end] : []
        case .currentOnly:
            return []
        }
    }

    // MARK: Post snapshots

    /// The ages at which a post's numbers are captured.
    public static let snapshotOffsets: [TimeInterval] = [3_600, 24 * 3_600, 72 * 3_600, 7 * 86_400, 30 * 86_400]

    /// How long after publishing the platform still changes (and still answers
    /// for) a post; nil: for as long as the post lives. 公众号 article data is
    /// re-stated for 30 days; 抖音 item data covers items ≤ 30 days old;
    /// Telegram's Bot API has no post numbers at all.
    public static func changeWindow(_ platform: Platform) -> TimeInterval? {
        switch platform {
        case .wechatOA, .douyin: 30 * 86_400
        case .telegram: 0
        default: nil
        }
    }

    /// The snapshot moments of a post published at `publishedAt`: each offset the platform still answers for.
    public static func snapshotTimes(publishedAt: Date, platform: Platform) -> [(offset: TimeInterval, at: Date)] {
        let window = changeWindow(platform)
        return snapshotOffsets.filter { window == nil || $0 <= window! }.map { ($0, publishedAt.addingTimeInterval($0)) }
    }

    /// A short label of an offset for keys and logs: "1h", "24h", "72h", "7d", "30d".
    public static func label(_ offset: TimeInterval) -> String {
        let hours = Int(offset / 3_600)
        return hours < 168 ? "\(hours)h" : "\(hours / 24)d"
    }
}
