import Foundation

/// A competitor's account the analysts follow on one platform. MediaOps never
/// dials its link: the numbers come from people (a form) or files they
/// collected, so the link is only shown, with `rel="noopener noreferrer nofollow"`.
///
/// `group` is a free label ("同城茶饮", "新式茶饮头部"): competitors are grouped by
/// the market they compete in, which seldom matches how the workspace groups its
/// own accounts (by brand or product line); the form offers the workspace's
/// account-group names as suggestions, so the two can line up when they do.
public struct Competitor: Sendable, Equatable {
    public var id: String
    public var platform: Platform
    public var name: String
    public var handle: String
    public var url: String?
    public var group: String
    public var notes: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, platform: Platform, name: String, handle: String, url: String? = nil, group: String = "", notes: String = "",
                createdAt: Date = Date(timeIntervalSince1970: 0), updatedAt: Date = Date(timeIntervalSince1970: 0)) {
        self.id = id
        self.platform = platform
        self.name = name
        self.handle = handle
        self.url = url
        self.group = group
        self.notes = notes
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public static let maxName = 80
    public static let maxHandle = 80
    public static let maxGroup = 40
    public static let maxNotes = 2_000
    /// Competitors a workspace may follow (a bound on every list and chart).
    public static let maxCount = 500

    /// The platforms a competitor can be on: the content platforms (not the webhook).
    public static var platforms: [Platform] { Platform.allCases.filter { $0 != .webhook } }

    /// Every broken field at once, in the form's order.
    public func validationErrors() -> [ValidationError] {
        var errors: [ValidationError] = []
        if name.isEmpty { errors.append(ValidationError(field: "name", code: "required")) }
        else if name.count > Self.maxName { errors.append(ValidationError(field: "name", code: "too_long", params: ["max": String(Self.maxName)])) }
        if handle.isEmpty { errors.append(ValidationError(field: "handle", code: "required")) }
        else if handle.count > Self.maxHandle { errors.append(ValidationError(field: "handle", code: "too_long", params: ["max": String(Self.maxHandle)])) }
        if let url, WebAddress(url) == nil { errors.append(ValidationError(field: "url", code: "invalid_url")) }
        if group.count > Self.maxGroup { errors.append(ValidationError(field: "group", code: "too_long", params: ["max": String(Self.maxGroup)])) }
        if notes.count > Self.maxNotes { errors.append(ValidationError(field: "notes", code: "too_long", params: ["max": String(Self.maxNotes)])) }
        return errors
    }
}

/// A competitor's public numbers, as people read them off its profile.
///
/// - `followers`: followers at the end of the day (as the profile shows them).
/// - `posts`: posts published that day (not the running total).
/// - `avg_*`: the average per post over that day's posts.
///
/// A period's average per post weighs each day by its posts (see `CompetitorFigures`).
public enum CompetitorMetric: String, Sendable, CaseIterable, Codable {
    case followers
    case posts
    case avgLikes = "avg_likes"
    case avgComments = "avg_comments"
    case avgReads = "avg_reads"

    /// The largest number accepted (more followers than people on earth is a typo).
    public static let maxValue = 1e11

    /// Followers and posts are counts; the averages may have decimals.
    public var isWhole: Bool { self == .followers || self == .posts }

    /// Headers a file may use for the metric, compared without case, spaces or underscores.
    public var headers: [String] {
        switch self {
        case .followers: ["粉丝数", "粉丝", "粉丝量", "粉丝总数", "关注数", "followers", "fans", "followers_total"]
        case .posts: ["发文数", "发布数", "发帖数", "作品数", "当日发文", "posts", "posts_count", "post_count"]
        case .avgLikes: ["篇均点赞", "平均点赞", "平均点赞数", "avg_likes", "average_likes", "likes_per_post"]
        case .avgComments: ["篇均评论", "平均评论", "平均评论数", "avg_comments", "average_comments", "comments_per_post"]
        case .avgReads: ["篇均阅读", "平均阅读", "平均阅读数", "篇均播放", "平均播放", "avg_reads", "average_reads", "reads_per_post", "avg_plays"]
        }
    }

    /// A value checked: finite, not negative, whole where it counts, bounded.
    public func check(_ value: Double, field: String) -> ValidationError? {
        guard value.isFinite else { return ValidationError(field: field, code: "metric_not_a_number") }
        if value < 0 { return ValidationError(field: field, code: "metric_negative") }
        if value > Self.maxValue { return ValidationError(field: field, code: "out_of_range", params: ["min": "0", "max": "100000000000"]) }
        if isWhole, value.rounded() != value { return ValidationError(field: field, code: "metric_not_whole") }
        return nil
    }
}

/// Where a day's numbers came from.
public enum CompetitorSource: String, Sendable, CaseIterable, Codable {
    case manual
    case file
}

/// One competitor's numbers for one day; a metric nobody recorded is absent, never zero.
public struct CompetitorDay: Sendable, Equatable {
    public var competitorID: String
    public var day: LocalDate
    public var values: [CompetitorMetric: Double]
    public var source: CompetitorSource
    /// The member who typed or imported them.
    public var enteredBy: String?
    public var updatedAt: Date

    public init(competitorID: String, day: LocalDate, values: [CompetitorMetric: Double], source: CompetitorSource, enteredBy: String?,
                updatedAt: Date) {
        self.competitorID = competitorID
        self.day = day
        self.values = values
        self.source = source
        self.enteredBy = enteredBy
        self.updatedAt = updatedAt
    }

    /// Likes and comments per post, when both were recorded.
    public var engagementPerPost: Double? {
        guard let likes = values[.avgLikes], let comments = values[.avgComments] else { return nil }
        return likes + comments
    }
}

/// The days a day may be recorded for: from 2000 to the workspace's today.
public enum CompetitorDayRule {
    public static func check(_ day: LocalDate, today: LocalDate, field: String = "day") -> ValidationError? {
        if day.year < 2000 { return ValidationError(field: field, code: "day_invalid") }
        if day > today { return ValidationError(field: field, code: "day_in_future") }
        return nil
    }
}

/// A period's figures of one account (own or competitor), from its days.
public struct CompetitorFigures: Sendable, Equatable {
    /// The first and last follower counts in the period, and their days.
    public var followersStart: Double?
    public var followersEnd: Double?
    public var followersStartDay: LocalDate?
    public var followersEndDay: LocalDate?
    /// Posts published in the period (nil when no day says).
    public var posts: Double?
    public var avgLikes: Double?
    public var avgComments: Double?
    public var avgReads: Double?

    public init(followersStart: Double? = nil, followersEnd: Double? = nil, followersStartDay: LocalDate? = nil, followersEndDay: LocalDate? = nil,
                posts: Double? = nil, avgLikes: Double? = nil, avgComments: Double? = nil, avgReads: Double? = nil) {
        self.followersStart = followersStart
        self.followersEnd = followersEnd
        self.followersStartDay = followersStartDay
        self.followersEndDay = followersEndDay
        self.posts = posts
        self.avgLikes = avgLikes
        self.avgComments = avgComments
        self.avgReads = avgReads
    }

    /// Follower growth over the period: last count minus first, when they are on different days.
    public var growth: Double? {
        guard let start = followersStart, let end = followersEnd, let first = followersStartDay, let last = followersEndDay, first < last else { return nil }
        return end - start
    }

    /// Growth as a fraction of the first count.
    public var growthRate: Double? {
        guard let growth, let start = followersStart, start > 0 else { return nil }
        return growth / start
    }

    /// Likes and comments per post.
    public var engagementPerPost: Double? {
        guard let likes = avgLikes, let comments = avgComments else { return nil }
        return likes + comments
    }

    /// A competitor's figures from its days (any order). An average per post
    /// weighs each day by that day's posts; days whose posts were not recorded
    /// count only when no day with posts has the average (then each day counts once).
    public static func of(_ days: [CompetitorDay]) -> CompetitorFigures {
        let sorted = days.sorted { $0.day < $1.day }
        var figures = CompetitorFigures()
        if let first = sorted.first(where: { $0.values[.followers] != nil }), let last = sorted.last(where: { $0.values[.followers] != nil }) {
            figures.followersStart = first.values[.followers]
            figures.followersStartDay = first.day
            figures.followersEnd = last.values[.followers]
            figures.followersEndDay = last.day
        }
        let postCounts = sorted.compactMap { $0.values[.posts] }
        figures.posts = postCounts.isEmpty ? nil : postCounts.reduce(0, +)
        func average(_ metric: CompetitorMetric) -> Double? {
            var weighted = 0.0, weight = 0.0
            for day in sorted {
                guard let value = day.values[metric], let posts = day.values[.posts], posts > 0 else { continue }
                weighted += value * posts
                weight += posts
            }
            if weight > 0 { return weighted / weight }
            let plain = sorted.compactMap { $0.values[metric] }
            return plain.isEmpty ? nil : plain.reduce(0, +) / Double(plain.count)
        }
        figures.avgLikes = average(.avgLikes)
        figures.avgComments = average(.avgComments)
        figures.avgReads = average(.avgReads)
        return figures
    }

    /// The averages per post of posts' own figures (each post counts once);
    /// a post without a metric is left out of that metric's average.
    public static func perPost(_ posts: [[String: Double]]) -> (likes: Double?, comments: Double?, reads: Double?) {
        func mean(_ key: String) -> Double? {
            let values = posts.compactMap { $0[key] }
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
        return (mean("likes"), mean("comments"), mean("reads"))
    }
}
