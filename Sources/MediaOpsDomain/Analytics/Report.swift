import Foundation

/// How often a report is made, and so which days it covers.
public enum ReportKind: String, CaseIterable, Sendable, Codable {
    /// Yesterday.
    case daily
    /// Monday to Sunday of the last full week.
    case weekly
    /// The last full calendar month.
    case monthly

    /// The latest period of this kind that has fully ended before `today`
    /// (a day in the workspace zone): yesterday, last Monday–Sunday, last month.
    public func latestPeriod(today: LocalDate) -> ReportPeriod {
        period(containing: today.adding(days: -1), endingBefore: today)
    }

    /// The period of this kind that holds `day`. For a week or a month that has
    /// not ended before `today`, the one before it: a report never covers days
    /// whose numbers are not all in.
    public func period(containing day: LocalDate, endingBefore today: LocalDate) -> ReportPeriod {
        // A day from today on has the same answer as yesterday: start there, so the walk back is a step or two.
        var chosen = Self.period(self, containing: min(day, today.adding(days: -1)))
        while chosen.to >= today { chosen = chosen.previous }
        return chosen
    }

    static func period(_ kind: ReportKind, containing day: LocalDate) -> ReportPeriod {
        switch kind {
        case .daily:
            return ReportPeriod(kind: kind, from: day, to: day)
        case .weekly:
            let monday = day.adding(days: -(day.isoWeekday - 1))
            return ReportPeriod(kind: kind, from: monday, to: monday.adding(days: 6))
        case .monthly:
            let first = LocalDate(year: day.year, month: day.month, day: 1)
            return ReportPeriod(kind: kind, from: first, to: first.endOfMonth)
        }
    }
}

/// The days a report covers, in the workspace zone, and the same kind of period just before.
public struct ReportPeriod: Sendable, Equatable, Codable {
    public var kind: ReportKind
    public var from: LocalDate
    public var to: LocalDate

    public init(kind: ReportKind, from: LocalDate, to: LocalDate) {
        self.kind = kind
        self.from = from
        self.to = to
    }

    public var days: Int { from.days(until: to) + 1 }

    /// Yesterday's day before, last week's week before, last month's month before.
    public var previous: ReportPeriod {
        switch kind {
        case .daily, .weekly: ReportPeriod(kind: kind, from: from.adding(days: -days), to: from.adding(days: -1))
        case .monthly: ReportKind.period(.monthly, containing: from.adding(days: -1))
        }
    }
}

extension LocalDate {
    /// 1 for Monday … 7 for Sunday (ISO 8601). 1970-01-01 (day 0) was a Thursday.
    public var isoWeekday: Int {
        let offset = (dayNumber + 3) % 7
        return (offset < 0 ? offset + 7 : offset) + 1
    }

    /// The last day of this date's month.
    public var endOfMonth: LocalDate {
        LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year))
    }
}

/// What a report is about: the whole workspace, one account group or one account.
public enum ReportScope: Sendable, Equatable, Hashable {
    case workspace
    case group(String)
    case account(String)

    public enum Kind: String, CaseIterable, Sendable, Codable { case workspace, group, account }

    public var kind: Kind {
        switch self {
        case .workspace: .workspace
        case .group: .group
        case .account: .account
        }
    }

    public var id: String? {
        switch self {
        case .workspace: nil
        case .group(let id), .account(let id): id
        }
    }

    /// From the stored or submitted pair; nil when the kind is unknown or an id is missing.
    public init?(kind: String, id: String?) {
        let id = id?.trimmed ?? ""
        switch Kind(rawValue: kind) {
        case .workspace: self = .workspace
        case .group where !id.isEmpty: self = .group(id)
        case .account where !id.isEmpty: self = .account(id)
        default: return nil
        }
    }
}

/// The sections of a report page, in the order they are shown. A section
/// holds its own numbers in the snapshot. Sections planned next (a funnel's
/// stages, 竞品 benchmarks) join here as cases, with their figures added to
/// `ReportSnapshot` as optional fields so older snapshots still read; the page
/// model and the template render each case in this order.
public enum ReportSection: String, CaseIterable, Sendable, Codable {
    case kpis
    case charts
    case posts
    case alerts
    case funnels
    case competitors
    case summary
}

/// A funnel over the report's period and the one before: its stages' counts.
public struct ReportFunnel: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var stages: [String]
    public var counts: [Double?]
    public var previousCounts: [Double?]

    public init(id: String, name: String, stages: [String], counts: [Double?], previousCounts: [Double?]) {
        self.id = id
        self.name = name
        self.stages = stages
        self.counts = counts
        self.previousCounts = previousCounts
    }

    public var conversions: [Double?] { Funnel.conversions(counts) }
    public var previousConversions: [Double?] { Funnel.conversions(previousCounts) }
    public var overall: Double? { Funnel.overall(counts) }
    public var previousOverall: Double? { Funnel.overall(previousCounts) }
}

/// A tracked competitor over the report's period beside the own accounts of its platform.
public struct ReportCompetitor: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var platform: Platform
    public var followers: Double?
    public var growth: Double?
    public var posts: Double?
    /// Likes and comments per post.
    public var engagementPerPost: Double?
    /// The own accounts of the same platform together.
    public var ownFollowers: Double?
    public var ownGrowth: Double?
    public var ownEngagementPerPost: Double?

    public init(id: String, name: String, platform: Platform, followers: Double?, growth: Double?, posts: Double?, engagementPerPost: Double?,
                ownFollowers: Double?, ownGrowth: Double?, ownEngagementPerPost: Double?) {
        self.id = id
        self.name = name
        self.platform = platform
        self.followers = followers
        self.growth = growth
        self.posts = posts
        self.engagementPerPost = engagementPerPost
        self.ownFollowers = ownFollowers
        self.ownGrowth = ownGrowth
        self.ownEngagementPerPost = ownEngagementPerPost
    }
}

/// A report's headline figures over one period (absent numbers are nil, never zero).
public struct ReportFigures: Sendable, Equatable, Codable {
    public var followers: Double?
    public var followersNet: Double?
    public var posts: Int
    /// Reads on text platforms plus plays on video platforms (each account by its own measure).
    public var consumption: Double?
    public var reads: Double?
    public var plays: Double?
    public var engagement: Double?
    /// Engagement ÷ consumption over the accounts that have both.
    public var engagementRate: Double?

    public init(followers: Double? = nil, followersNet: Double? = nil, posts: Int = 0, consumption: Double? = nil, reads: Double? = nil,
                plays: Double? = nil, engagement: Double? = nil, engagementRate: Double? = nil) {
        self.followers = followers
        self.followersNet = followersNet
        self.posts = posts
        self.consumption = consumption
        self.reads = reads
        self.plays = plays
        self.engagement = engagement
        self.engagementRate = engagementRate
    }
}

/// One day of the report's charts: followers at the day's end and engagement, summed over the scope.
public struct ReportDay: Sendable, Equatable, Codable {
    public var day: LocalDate
    public var followers: Double?
    public var engagement: Double?

    public init(day: LocalDate, followers: Double?, engagement: Double?) {
        self.day = day
        self.followers = followers
        self.engagement = engagement
    }
}

/// A post published in the period with its figures 24 hours and 7 days after publishing.
public struct ReportPost: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    public var url: String?
    public var accountID: String
    public var accountName: String
    public var platform: Platform
    public var publishedAt: Date?
    public var consumption24h: Double?
    public var engagementRate24h: Double?
    public var consumption7d: Double?
    public var engagementRate7d: Double?

    public init(id: String, title: String, url: String?, accountID: String, accountName: String, platform: Platform, publishedAt: Date?,
                consumption24h: Double?, engagementRate24h: Double?, consumption7d: Double?, engagementRate7d: Double?) {
        self.id = id
        self.title = title
        self.url = url
        self.accountID = accountID
        self.accountName = accountName
        self.platform = platform
        self.publishedAt = publishedAt
        self.consumption24h = consumption24h
        self.engagementRate24h = engagementRate24h
        self.consumption7d = consumption7d
        self.engagementRate7d = engagementRate7d
    }

    /// What posts are ranked by: the engagement rate at 7 days, or at 24 hours
    /// while a post is younger than that. A post with neither is not ranked.
    public var rankingRate: Double? { engagementRate7d ?? engagementRate24h }

    /// The best `count` and, apart from them, the weakest `count` posts by `rankingRate`;
    /// ties are broken by consumption, then by id so the order is the same every time.
    public static func ranked(_ posts: [ReportPost], count: Int) -> (top: [ReportPost], bottom: [ReportPost]) {
        let ranked = posts.filter { $0.rankingRate != nil }.sorted { a, b in
            let (x, y) = (a.rankingRate ?? 0, b.rankingRate ?? 0)
            if x != y { return x > y }
            let (u, v) = (a.consumption7d ?? a.consumption24h ?? 0, b.consumption7d ?? b.consumption24h ?? 0)
            return u != v ? u > v : a.id < b.id
        }
        let top = Array(ranked.prefix(count))
        let rest = ranked.dropFirst(top.count)
        return (top, Array(rest.suffix(count).reversed()))
    }
}

/// An alert that fired in the period, as it stood when the report was issued.
public struct ReportAlert: Sendable, Equatable, Codable {
    public var id: String
    public var ruleID: String
    public var accountID: String?
    public var accountName: String?
    public var firedAt: Date
    /// The day judged ("YYYY-MM-DD"), or nil for a post's 24-hour figure.
    public var day: LocalDate?
    public var postID: String?
    public var evidence: AlertEvidence
    /// For a funnel step's alert, the step as it was named when the report was
    /// issued (reports issued before this existed have none).
    public var funnelStep: ReportFunnelStep?

    public init(id: String, ruleID: String, accountID: String?, accountName: String?, firedAt: Date, day: LocalDate?, postID: String?, evidence: AlertEvidence,
                funnelStep: ReportFunnelStep? = nil) {
        self.id = id
        self.ruleID = ruleID
        self.accountID = accountID
        self.accountName = accountName
        self.firedAt = firedAt
        self.day = day
        self.postID = postID
        self.evidence = evidence
        self.funnelStep = funnelStep
    }
}

/// A funnel step named in a report: the funnel and the stages the drop-off is between.
public struct ReportFunnelStep: Sendable, Equatable, Codable {
    public var funnelID: String
    public var funnelName: String
    public var from: String
    public var to: String

    public init(funnelID: String, funnelName: String, from: String, to: String) {
        self.funnelID = funnelID
        self.funnelName = funnelName
        self.from = from
        self.to = to
    }
}

/// A report's numbers, computed once when it is issued (or regenerated) and
/// stored with it, so the page shows what was reported even after new data arrives.
public struct ReportSnapshot: Sendable, Equatable, Codable {
    public static let currentVersion = 1
    /// How many posts each of the top and bottom lists holds.
    public static let postListSize = 5
    /// The most alerts a report lists (the rest are counted).
    public static let alertLimit = 100

    public var version: Int
    public var period: ReportPeriod
    public var previousPeriod: ReportPeriod
    /// The scope's name when the report was made (a renamed group keeps its report's title).
    public var scopeName: String
    public var accountCount: Int
    public var current: ReportFigures
    public var previous: ReportFigures
    public var days: [ReportDay]
    public var topPosts: [ReportPost]
    public var bottomPosts: [ReportPost]
    /// Posts published in the period that had a figure to rank by.
    public var rankedPosts: Int
    public var alerts: [ReportAlert]
    public var alertTotal: Int
    /// The funnels over the report's scope (nil in reports issued before funnels were reported).
    public var funnels: [ReportFunnel]?
    /// The tracked competitors beside the own accounts (nil in reports issued before).
    public var competitors: [ReportCompetitor]?
    public var sections: [ReportSection]

    public init(period: ReportPeriod, previousPeriod: ReportPeriod, scopeName: String, accountCount: Int, current: ReportFigures, previous: ReportFigures,
                days: [ReportDay], topPosts: [ReportPost], bottomPosts: [ReportPost], rankedPosts: Int, alerts: [ReportAlert], alertTotal: Int,
                funnels: [ReportFunnel]? = nil, competitors: [ReportCompetitor]? = nil, sections: [ReportSection] = ReportSection.allCases) {
        self.version = Self.currentVersion
        self.period = period
        self.previousPeriod = previousPeriod
        self.scopeName = scopeName
        self.accountCount = accountCount
        self.current = current
        self.previous = previous
        self.days = days
        self.topPosts = topPosts
        self.bottomPosts = bottomPosts
        self.rankedPosts = rankedPosts
        self.alerts = alerts
        self.alertTotal = alertTotal
        self.funnels = funnels
        self.competitors = competitors
        self.sections = sections
    }
}

/// The analyst's words on a report: plain text, bounded.
public enum ReportText {
    public static let maxLength = 2_000

    /// Trimmed text, or the field's error (too long, control characters).
    public static func check(_ text: String, field: String) -> ValidationError? {
        if text.unicodeScalars.count > maxLength { return ValidationError(field: field, code: "too_long", params: ["max": String(maxLength)]) }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" || $0.value == 0x7F }) {
            return ValidationError(field: field, code: "control_characters")
        }
        return nil
    }
}

/// A standing order for a report: its kind and scope, and when in the
/// workspace's week or month it is issued (周报 every Monday at 09:00).
public struct ReportSchedule: Sendable, Equatable, Identifiable {
    public var id: String
    public var kind: ReportKind
    public var scope: ReportScope
    /// 1 (Monday) … 7 (Sunday); weekly schedules only.
    public var weekday: Int?
    /// 1 … 28 (every month has it); monthly schedules only.
    public var dayOfMonth: Int?
    public var hour: Int
    public var minute: Int
    public var enabled: Bool
    /// The first day of the last period this schedule issued.
    public var lastPeriodFrom: LocalDate?

    public init(id: String, kind: ReportKind, scope: ReportScope, weekday: Int? = nil, dayOfMonth: Int? = nil, hour: Int, minute: Int,
                enabled: Bool = true, lastPeriodFrom: LocalDate? = nil) {
        self.id = id
        self.kind = kind
        self.scope = scope
        self.weekday = weekday
        self.dayOfMonth = dayOfMonth
        self.hour = hour
        self.minute = minute
        self.enabled = enabled
        self.lastPeriodFrom = lastPeriodFrom
    }

    /// Every broken field at once: a weekday for a weekly schedule, a day of
    /// the month (1–28) for a monthly one, a time of day.
    public func validationErrors() -> [ValidationError] {
        var errors: [ValidationError] = []
        switch kind {
        case .weekly:
            if let weekday { if !(1...7).contains(weekday) { errors.append(ValidationError(field: "weekday", code: "out_of_range", params: ["min": "1", "max": "7"])) } }
            else { errors.append(ValidationError(field: "weekday", code: "required")) }
        case .monthly:
            if let dayOfMonth { if !(1...28).contains(dayOfMonth) { errors.append(ValidationError(field: "day_of_month", code: "out_of_range", params: ["min": "1", "max": "28"])) } }
            else { errors.append(ValidationError(field: "day_of_month", code: "required")) }
        case .daily:
            break
        }
        if !(0...23).contains(hour) || !(0...59).contains(minute) { errors.append(ValidationError(field: "time", code: "invalid_time")) }
        return errors
    }

    /// Whether the schedule issues on `day` (at its time).
    public func runs(on day: LocalDate) -> Bool {
        switch kind {
        case .daily: true
        case .weekly: day.isoWeekday == (weekday ?? 1)
        case .monthly: day.day == (dayOfMonth ?? 1)
        }
    }

    /// The instant of the schedule's time on `day` in `zone`. A time a DST
    /// change skips (02:30 on the spring-forward night) is the same distance
    /// past midnight on the clock after the change, as the calendar places it.
    public func instant(on day: LocalDate, zone: TimeZone) -> Date? {
        LocalDateTime(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute).instant(in: zone)
    }

    /// The latest time the schedule came due at or before `now`, with the
    /// period it issues then (the latest full period before that day); nil when
    /// it has not come due in the last two months.
    public func latestDue(atOrBefore now: Date, zone: TimeZone) -> (at: Date, period: ReportPeriod)? {
        let today = LocalDate(now, timeZone: zone)
        for back in 0...62 {
            let day = today.adding(days: -back)
            guard runs(on: day), let at = instant(on: day, zone: zone), at <= now else { continue }
            return (at, kind.latestPeriod(today: day))
        }
        return nil
    }

    /// The next time the schedule comes due after `now`.
    public func nextDue(after now: Date, zone: TimeZone) -> Date? {
        let today = LocalDate(now, timeZone: zone)
        for ahead in 0...62 {
            let day = today.adding(days: ahead)
            guard runs(on: day), let at = instant(on: day, zone: zone), at > now else { continue }
            return at
        }
        return nil
    }

    /// The period to issue at `now`: the latest due one, unless it was issued already.
    public func duePeriod(at now: Date, zone: TimeZone) -> ReportPeriod? {
        guard enabled, let due = latestDue(atOrBefore: now, zone: zone) else { return nil }
        if let last = lastPeriodFrom, last >= due.period.from { return nil }
        return due.period
    }
}

/// An issued report: its period and scope, its stored numbers, the analyst's
/// words, and who made it (a member, or a schedule) and changed it since.
public struct Report: Sendable, Equatable, Identifiable {
    public var id: String
    public var kind: ReportKind
    public var scope: ReportScope
    public var snapshot: ReportSnapshot
    public var summary: String
    public var recommendations: String
    public var issuedBy: String?
    public var scheduleID: String?
    public var issuedAt: Date
    public var regeneratedBy: String?
    public var regeneratedAt: Date?
    public var summaryBy: String?
    public var summaryAt: Date?

    public init(id: String, kind: ReportKind, scope: ReportScope, snapshot: ReportSnapshot, summary: String = "", recommendations: String = "",
                issuedBy: String?, scheduleID: String?, issuedAt: Date, regeneratedBy: String? = nil, regeneratedAt: Date? = nil,
                summaryBy: String? = nil, summaryAt: Date? = nil) {
        self.id = id
        self.kind = kind
        self.scope = scope
        self.snapshot = snapshot
        self.summary = summary
        self.recommendations = recommendations
        self.issuedBy = issuedBy
        self.scheduleID = scheduleID
        self.issuedAt = issuedAt
        self.regeneratedBy = regeneratedBy
        self.regeneratedAt = regeneratedAt
        self.summaryBy = summaryBy
        self.summaryAt = summaryAt
    }

    public var period: ReportPeriod { snapshot.period }
}
