import Foundation

// Tested insights (DOMAIN.md room 5: "情感类内容互动率比干货类高 30%" backed by a
// test, not a hunch): posts split into groups by one of their traits, each
// comparison run through the significance engine, many comparisons at once
// corrected with Holm's method, and "数据不足以判断" said with how many posts
// would settle it.

/// A post as the insight tests see it: when it went out (in the workspace's
/// zone), what it was (from its content item, when MediaOps published it) and
/// its figures at 24 hours and 7 days.
public struct InsightPost: Sendable, Equatable {
    public var id: String
    public var accountID: String
    public var platform: Platform
    public var publishedAt: Date
    public var title: String
    /// Nil for posts MediaOps did not publish (no content item behind them).
    public var category: ContentCategory?
    public var tags: [String]
    public var hasCover: Bool?
    /// Characters of the content item's text (title and body without markup).
    public var length: Int?
    public var at24h: [MetricKey: Double]?
    public var at7d: [MetricKey: Double]?

    public init(id: String, accountID: String, platform: Platform, publishedAt: Date, title: String, category: ContentCategory? = nil,
                tags: [String] = [], hasCover: Bool? = nil, length: Int? = nil, at24h: [MetricKey: Double]?, at7d: [MetricKey: Double]? = nil) {
        self.id = id
        self.accountID = accountID
        self.platform = platform
        self.publishedAt = publishedAt
        self.title = title
        self.category = category
        self.tags = tags
        self.hasCover = hasCover
        self.length = length
        self.at24h = at24h
        self.at7d = at7d
    }
}

/// What two groups of posts are compared on. Every figure comes from
/// `DerivedMetric`, the one place metrics are defined.
public enum InsightMetric: String, CaseIterable, Sendable {
    /// Engagement ÷ reads or plays at 24 hours (the default).
    case engagementRate24h = "engagement_rate_24h"
    /// Reads (text platforms) or plays (video platforms) at 24 hours.
    case consumption24h = "consumption_24h"
    /// Likes + comments + shares + favorites (+ recommends) at 24 hours.
    case engagement24h = "engagement_24h"
    case engagementRate7d = "engagement_rate_7d"
    case consumption7d = "consumption_7d"

    public static let `default` = InsightMetric.engagementRate24h

    /// A rate (shown as a percentage, differences in percentage points) rather than a count.
    public var isRate: Bool { self == .engagementRate24h || self == .engagementRate7d }

    public func value(_ post: InsightPost) -> Double? {
        switch self {
        case .engagementRate24h: post.at24h.flatMap { DerivedMetric.engagementRate($0, platform: post.platform) }
        case .engagementRate7d: post.at7d.flatMap { DerivedMetric.engagementRate($0, platform: post.platform) }
        case .consumption24h: post.at24h.flatMap { Self.consumption($0, post.platform) }
        case .consumption7d: post.at7d.flatMap { Self.consumption($0, post.platform) }
        case .engagement24h: post.at24h.flatMap(DerivedMetric.engagement)
        }
    }

    static func consumption(_ values: [MetricKey: Double], _ platform: Platform) -> Double? {
        let key = DerivedMetric.consumptionKey(for: platform)
        return values[key] ?? values[key == .plays ? .reads : .plays]
    }
}

/// The trait posts are grouped by.
public enum InsightDimension: String, CaseIterable, Sendable {
    /// The content item's category (情感共鸣, 行业干货 …).
    case category
    /// One of the content item's tags (a post with several tags is in each).
    case tag
    /// Video (plays) or text and image (reads), by the platform.
    case format
    case platform
    /// The hour of publishing in the workspace's zone, 0–23.
    case hour
    /// The weekday of publishing in the workspace's zone, 1 (Monday) – 7 (Sunday).
    case weekday
    /// Short (< 300 characters), medium (300–999) or long (≥ 1,000).
    case length
    /// With or without a cover image.
    case cover
    /// Two hand-picked sets of posts, by id.
    case posts

    /// Length buckets, in characters.
    public static let shortBelow = 300
    public static let longFrom = 1_000

    /// The levels a dimension can take where they are fixed (nil for tags and hand-picked posts).
    public var fixedLevels: [String]? {
        switch self {
        case .category: ContentCategory.allCases.map(\.rawValue)
        case .format: PostFormat.allCases.map(\.rawValue)
        case .platform: Platform.allCases.filter { $0 != .webhook }.map(\.rawValue)
        case .hour: (0..<24).map(String.init)
        case .weekday: (1...7).map(String.init)
        case .length: ["short", "medium", "long"]
        case .cover: ["with", "without"]
        case .tag, .posts: nil
        }
    }

    /// The levels of one post: none when the post does not have the trait
    /// (an external post has no category), several for tags.
    public func levels(of post: InsightPost, zone: TimeZone) -> [String] {
        switch self {
        case .category: post.category.map { [$0.rawValue] } ?? []
        case .tag: Array(Set(post.tags)).sorted()
        case .format: [PostFormat.of(post.platform).rawValue]
        case .platform: [post.platform.rawValue]
        case .hour: [String(PostingClock.hour(post.publishedAt, zone: zone))]
        case .weekday: [String(PostingClock.weekday(post.publishedAt, zone: zone))]
        case .length:
            post.length.map { $0 < Self.shortBelow ? ["short"] : $0 < Self.longFrom ? ["medium"] : ["long"] } ?? []
        case .cover: post.hasCover.map { [$0 ? "with" : "without"] } ?? []
        case .posts: []
        }
    }
}

public enum PostFormat: String, CaseIterable, Sendable {
    case video
    case text
    public static func of(_ platform: Platform) -> PostFormat { DerivedMetric.videoPlatforms.contains(platform) ? .video : .text }
}

/// Weekday and hour in the workspace's zone.
public enum PostingClock {
    /// 1 = Monday … 7 = Sunday.
    public static func weekday(_ date: Date, zone: TimeZone) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let sundayFirst = calendar.component(.weekday, from: date)  // 1 = Sunday
        return (sundayFirst + 5) % 7 + 1
    }

    public static func hour(_ date: Date, zone: TimeZone) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.component(.hour, from: date)
    }
}

/// Which posts go into the comparison.
public enum InsightComparison: Sendable, Equatable {
    /// Level `a` against level `b`, or against every other post with the trait when `b` is nil.
    case pair(a: String, b: String?)
    /// Every level against the rest (e.g. each category, every weekday): Holm-corrected.
    case eachAgainstRest
    /// Two hand-picked sets of posts, by id.
    case posts(a: [String], b: [String])
}

/// Why a comparison could not be tested.
public enum InsightShortfall: String, CaseIterable, Sendable {
    /// A group has fewer than `Insights.minimumPerGroup` posts with the metric.
    case tooFewPosts = "too_few_posts"
    /// Every value of both groups is the same: there is no spread to test against.
    case noVariation = "no_variation"
}

/// One comparison: its two groups' values, the test's result, and Holm's adjusted p.
public struct InsightComparisonResult: Sendable, Equatable {
    /// The level of group A; group B's level, or nil for "the rest".
    public var a: String
    public var b: String?
    public var valuesA: [Double]
    public var valuesB: [Double]
    /// Nil when the comparison could not be tested (`shortfall` says why).
    public var result: SignificanceResult?
    public var shortfall: InsightShortfall?
    /// Holm-adjusted over every tested comparison of the question (equal to the raw p for one).
    public var adjustedP: Double?
    /// Significant at α = 0.05 after the correction.
    public var significant: Bool
    /// Posts per group the observed difference would need (80 % power, α = 0.05, two-sided).
    public var requiredPerGroup: Int?

    public var nA: Int { valuesA.count }
    public var nB: Int { valuesB.count }
    public var meanA: Double? { valuesA.isEmpty ? nil : Significance.mean(valuesA) }
    public var meanB: Double? { valuesB.isEmpty ? nil : Significance.mean(valuesB) }
    public var medianA: Double? { valuesA.isEmpty ? nil : Significance.median(valuesA.sorted()) }
    public var medianB: Double? { valuesB.isEmpty ? nil : Significance.median(valuesB.sorted()) }
    /// More posts per group needed beyond what each has (the larger of the two).
    public var additionalPerGroup: Int? { requiredPerGroup.map { max(0, $0 - nA, $0 - nB) } }
}

public enum Insights {
    /// A group needs this many posts with the metric before it is tested.
    public static let minimumPerGroup = 3
    /// Most posts one question reads (newest first), so a request cannot ask for unbounded work.
    public static let maximumPosts = 5_000
    /// Most hand-picked posts per group.
    public static let maximumPicked = 500
    /// Most comparisons of one "each against the rest" question (tags can be many).
    public static let maximumComparisons = 40

    /// Runs a comparison over posts: groups them, tests each pair with
    /// `test` (Welch or Mann–Whitney), adjusts the p-values of every tested
    /// pair with Holm's method and decides significance on the adjusted p.
    /// Levels with fewer than `minimumPerGroup` posts are still listed
    /// (untested) in a pair question, and left out of "each against the rest".
    public static func compare(_ posts: [InsightPost], dimension: InsightDimension, comparison: InsightComparison, metric: InsightMetric,
                               test: SignificanceTest = .welch, zone: TimeZone) -> [InsightComparisonResult] {
        var valued: [(post: InsightPost, value: Double)] = []
        for post in posts {
            if let value = metric.value(post), value.isFinite, abs(value) <= Significance.maximumMagnitude { valued.append((post, value)) }
        }
        var pairs: [(a: String, b: String?, valuesA: [Double], valuesB: [Double])] = []
        switch comparison {
        case .posts(let a, let b):
            let setA = Set(a), setB = Set(b)
            pairs.append(("a", "b", valued.filter { setA.contains($0.post.id) }.map(\.value), valued.filter { setB.contains($0.post.id) }.map(\.value)))
        case .pair(let a, let b):
            var valuesA: [Double] = [], valuesB: [Double] = []
            for entry in valued {
                let levels = dimension.levels(of: entry.post, zone: zone)
                guard !levels.isEmpty else { continue }
                let inA = levels.contains(a)
                if inA { valuesA.append(entry.value) }
                // A post in both (two tags) counts for A only: the groups never share a post.
                if let b { if !inA && levels.contains(b) { valuesB.append(entry.value) } } else if !inA { valuesB.append(entry.value) }
            }
            pairs.append((a, b, valuesA, valuesB))
        case .eachAgainstRest:
            var byLevel: [String: [Double]] = [:]
            var withTrait: [(levels: [String], value: Double)] = []
            for entry in valued {
                let levels = dimension.levels(of: entry.post, zone: zone)
                guard !levels.isEmpty else { continue }
                withTrait.append((levels, entry.value))
                for level in levels { byLevel[level, default: []].append(entry.value) }
            }
            let order = dimension.fixedLevels ?? byLevel.keys.sorted { (byLevel[$0]!.count, $1) > (byLevel[$1]!.count, $0) }
            for level in order {
                guard let values = byLevel[level], values.count >= minimumPerGroup else { continue }
                let rest = withTrait.filter { !$0.levels.contains(level) }.map(\.value)
                guard rest.count >= minimumPerGroup else { continue }
                pairs.append((level, nil, values, rest))
                if pairs.count == maximumComparisons { break }
            }
        }
        var results = pairs.map { pair in
            var row = InsightComparisonResult(a: pair.a, b: pair.b, valuesA: pair.valuesA, valuesB: pair.valuesB, result: nil, shortfall: nil,
                                              adjustedP: nil, significant: false, requiredPerGroup: nil)
            if pair.valuesA.count < minimumPerGroup || pair.valuesB.count < minimumPerGroup {
                row.shortfall = .tooFewPosts
                return row
            }
            do {
                let result = test == .mannWhitney ? try Significance.mannWhitney(pair.valuesA, pair.valuesB) : try Significance.welch(pair.valuesA, pair.valuesB)
                guard !result.pValue.isNaN else { row.shortfall = .noVariation; return row }
                row.result = result
            } catch {
                row.shortfall = .noVariation
            }
            return row
        }
        let tested = results.indices.filter { results[$0].result != nil }
        // The engine's p-values are within [0, 1]; holm only refuses values outside it.
        let adjusted = (try? Significance.holm(tested.map { min(1, max(0, results[$0].result!.pValue)) })) ?? []
        for (offset, index) in tested.enumerated() where offset < adjusted.count {
            let p = adjusted[offset]
            results[index].adjustedP = p
            let difference = results[index].result!.difference
            results[index].significant = p < Significance.alpha && difference != 0
            if !results[index].significant {
                results[index].requiredPerGroup = requiredPerGroup(results[index].valuesA, results[index].valuesB)
            }
        }
        return results
    }

    /// The posts per group a two-sample test needs to detect the observed
    /// difference of means δ with 80 % power at α = 0.05, two-sided (the
    /// normal approximation):
    ///
    ///     n = 2 (z_{0.975} + z_{0.8})² s_p² / δ²,
    ///     s_p² = ((n_A − 1) s_A² + (n_B − 1) s_B²) / (n_A + n_B − 2)
    ///
    /// with z_{0.975} = 1.95996…, z_{0.8} = 0.84162… and s_p the pooled
    /// standard deviation; rounded up, at least `minimumPerGroup`, capped at
    /// `Significance.maximumSampleSize`. Nil when the means are equal (no
    /// number of posts would show a difference that is not there) or a group
    /// has fewer than two values.
    public static func requiredPerGroup(_ a: [Double], _ b: [Double]) -> Int? {
        guard a.count >= 2, b.count >= 2 else { return nil }
        let meanA = Significance.mean(a), meanB = Significance.mean(b)
        let delta = meanA - meanB
        guard delta != 0, delta.isFinite else { return nil }
        let sdA = Significance.standardDeviation(a, mean: meanA), sdB = Significance.standardDeviation(b, mean: meanB)
        return requiredPerGroup(difference: delta, pooledSD: pooledSD(sdA: sdA, nA: a.count, sdB: sdB, nB: b.count))
    }

    /// n = 2 (z_{0.975} + z_{0.8})² (s_p / δ)², rounded up, within [minimumPerGroup, maximumSampleSize].
    public static func requiredPerGroup(difference delta: Double, pooledSD: Double) -> Int? {
        guard delta != 0, delta.isFinite, pooledSD.isFinite else { return nil }
        let ratio = pooledSD / abs(delta)
        let z = Significance.z975 + Significance.z80
        let n = (2 * z * z * ratio * ratio).rounded(.up)
        guard n.isFinite else { return Significance.maximumSampleSize }
        return max(minimumPerGroup, Int(min(n, Double(Significance.maximumSampleSize))))
    }

    /// s_p = √(((n_A − 1) s_A² + (n_B − 1) s_B²) / (n_A + n_B − 2)), computed without squaring huge values.
    public static func pooledSD(sdA: Double, nA: Int, sdB: Double, nB: Int) -> Double {
        let scale = max(sdA, sdB)
        guard scale > 0, nA + nB > 2 else { return 0 }
        let a = sdA / scale, b = sdB / scale
        return scale * ((Double(nA - 1) * a * a + Double(nB - 1) * b * b) / Double(nA + nB - 2)).squareRoot()
    }
}
