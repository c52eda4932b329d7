import Foundation
@testable import MediaOpsDomain
import Testing

// The expected p-values and sample sizes come from SciPy 1.17.1 and
// statsmodels 0.15.0 via
//
//     python3 Tests/MediaOpsDomainTests/Vectors/insight_vectors.py
//
// (documentation only; CI never runs it).

@Suite("Analytics: tested insights, best time to post")
struct InsightTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    /// 2026-11-02 is a Monday; `hour` is in Shanghai.
    static func date(day: Int = 2, hour: Int, minute: Int = 10, zone: TimeZone = shanghai) -> Date {
        LocalDateTime(year: 2026, month: 11, day: day, hour: hour, minute: minute).instant(in: zone)!
    }

    /// A 公众号 post whose 24-hour engagement rate is `rate` (likes ÷ reads).
    static func post(_ id: String, rate: Double?, at date: Date = date(hour: 20), category: ContentCategory? = nil, tags: [String] = [],
                     platform: Platform = .wechatOA, length: Int? = nil, cover: Bool? = nil) -> InsightPost {
        let key = DerivedMetric.consumptionKey(for: platform)
        return InsightPost(id: id, accountID: "acc", platform: platform, publishedAt: date, title: id, category: category, tags: tags, hasCover: cover,
                           length: length, at24h: rate.map { [key: 100_000, .likes: $0 * 100_000] })
    }

    static let groups: [(ContentCategory, [Double])] = [
        (.emotional, [0.061, 0.072, 0.058, 0.080, 0.069, 0.075]),
        (.industry, [0.052, 0.049, 0.060, 0.055, 0.047, 0.058]),
        (.userStory, [0.055, 0.062, 0.050, 0.066, 0.053]),
        (.productInsight, [0.057, 0.051, 0.063, 0.049, 0.059]),
    ]

    static var categoryPosts: [InsightPost] {
        groups.flatMap { category, rates in rates.enumerated().map { post("\(category.rawValue)-\($0.offset)", rate: $0.element, category: category) } }
    }

    // insight_vectors.py, in the order of ContentCategory.allCases (industry, user_story, product_insight, emotional).
    static let eachRaw: [Double] = [0.023177858060949585, 0.5203866160704377, 0.23763084705265453, 0.007816819244866796]
    static let eachHolm: [Double] = [0.06953357418284875, 0.5203866160704377, 0.47526169410530905, 0.031267276979467185]

    static func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance * max(1, abs(b))
    }

    // MARK: Grouping

    @Test("Each dimension puts a post in the levels people expect")
    func levels() {
        let zone = Self.shanghai
        let long = Self.post("p", rate: 0.05, at: Self.date(day: 4, hour: 21), category: .emotional, tags: ["茶知识", "冲泡", "茶知识"],
                             length: 1_000, cover: true)
        #expect(InsightDimension.category.levels(of: long, zone: zone) == ["emotional"])
        #expect(InsightDimension.tag.levels(of: long, zone: zone) == ["冲泡", "茶知识"])
        #expect(InsightDimension.format.levels(of: long, zone: zone) == ["text"])
        #expect(InsightDimension.platform.levels(of: long, zone: zone) == ["wechat_oa"])
        #expect(InsightDimension.hour.levels(of: long, zone: zone) == ["21"])
        #expect(InsightDimension.weekday.levels(of: long, zone: zone) == ["3"])  // Wednesday
        #expect(InsightDimension.length.levels(of: long, zone: zone) == ["long"])
        #expect(InsightDimension.cover.levels(of: long, zone: zone) == ["with"])
        // Length boundaries: 299 short, 300 medium, 999 medium.
        #expect(InsightDimension.length.levels(of: Self.post("s", rate: 0.1, length: 299), zone: zone) == ["short"])
        #expect(InsightDimension.length.levels(of: Self.post("m", rate: 0.1, length: 300), zone: zone) == ["medium"])
        #expect(InsightDimension.length.levels(of: Self.post("m2", rate: 0.1, length: 999), zone: zone) == ["medium"])
        // An external post has no category, tags, length or cover: it is in no group of those.
        let external = Self.post("x", rate: 0.05, platform: .douyin)
        for dimension in [InsightDimension.category, .tag, .length, .cover] { #expect(dimension.levels(of: external, zone: zone).isEmpty) }
        #expect(InsightDimension.format.levels(of: external, zone: zone) == ["video"])
        // Sunday 23:30 UTC is Monday 07:30 in Shanghai.
        let lateSunday = Date(timeIntervalSince1970: 1_793_575_800)  // 2026-11-01T23:30:00Z
        #expect(PostingClock.weekday(lateSunday, zone: zone) == 1 && PostingClock.hour(lateSunday, zone: zone) == 7)
        #expect(PostingClock.weekday(lateSunday, zone: TimeZone(identifier: "UTC")!) == 7)
    }

    @Test("A pair of levels: A against B, or against the rest; a post with both tags counts for A only")
    func pairs() throws {
        let posts = Self.categoryPosts + [Self.post("ext", rate: 0.2)]  // no category: in neither group, nor in "the rest"
        let pair = try #require(Insights.compare(posts, dimension: .category, comparison: .pair(a: "emotional", b: "industry"), metric: .engagementRate24h, zone: Self.shanghai).first)
        let welch = try Significance.welch(Self.groups[0].1.map { $0 * 100_000 / 100_000 }, Self.groups[1].1.map { $0 * 100_000 / 100_000 })
        #expect(pair.nA == 6 && pair.nB == 6)
        #expect(Self.close(pair.result?.pValue, welch.pValue) && pair.adjustedP == pair.result?.pValue)  // one comparison: nothing to adjust
        #expect(pair.significant && (pair.result?.difference ?? 0) > 0 && pair.requiredPerGroup == nil)

        let rest = try #require(Insights.compare(posts, dimension: .category, comparison: .pair(a: "emotional", b: nil), metric: .engagementRate24h, zone: Self.shanghai).first)
        #expect(rest.nA == 6 && rest.nB == 16 && rest.b == nil)

        let tagged = [Self.post("1", rate: 0.1, tags: ["a", "b"]), Self.post("2", rate: 0.2, tags: ["a"]), Self.post("3", rate: 0.3, tags: ["b"])]
        let tags = try #require(Insights.compare(tagged, dimension: .tag, comparison: .pair(a: "a", b: "b"), metric: .engagementRate24h, zone: Self.shanghai).first)
        #expect(tags.valuesA.count == 2 && tags.valuesB.count == 1)
        #expect(tags.shortfall == .tooFewPosts && tags.result == nil && tags.adjustedP == nil && !tags.significant)
    }

    @Test("Each against the rest: Holm-adjusted p as statsmodels computes it, verdicts on the adjusted p")
    func holmEachAgainstRest() throws {
        let rows = Insights.compare(Self.categoryPosts, dimension: .category, comparison: .eachAgainstRest, metric: .engagementRate24h, zone: Self.shanghai)
        #expect(rows.map(\.a) == ["industry", "user_story", "product_insight", "emotional"])
        for (index, row) in rows.enumerated() {
            #expect(Self.close(row.result?.pValue, Self.eachRaw[index]), "\(row.a) raw")
            #expect(Self.close(row.adjustedP, Self.eachHolm[index]), "\(row.a) adjusted")
        }
        // Industry's raw p (0.023) is below 0.05 but its adjusted p (0.070) is not: not significant.
        #expect(rows[0].result!.pValue < 0.05 && !rows[0].significant)
        #expect(rows.map(\.significant) == [false, false, false, true])
        // Not significant: the sample size the observed difference needs (insight_vectors.py).
        #expect(rows[0].requiredPerGroup == 19 && rows[1].requiredPerGroup == 205 && rows[2].requiredPerGroup == 67)
        #expect(rows[0].additionalPerGroup == 19 - 6 && rows[3].requiredPerGroup == nil)
    }

    @Test("Each against the rest leaves out levels with fewer than 3 posts")
    func eachSkipsSmallLevels() {
        var posts = Self.categoryPosts
        posts.append(Self.post("c1", rate: 0.01, category: .campaign))
        posts.append(Self.post("c2", rate: 0.02, category: .campaign))
        let rows = Insights.compare(posts, dimension: .category, comparison: .eachAgainstRest, metric: .engagementRate24h, zone: Self.shanghai)
        #expect(!rows.map(\.a).contains("campaign") && rows.count == 4)
        // The two campaign posts are still part of every other level's "rest".
        #expect(rows.first { $0.a == "emotional" }?.nB == 18)
    }

    @Test("Hand-picked sets, metrics other than the rate, and groups that do not vary")
    func pickedAndMetrics() throws {
        let posts = (0..<8).map { Self.post("p\($0)", rate: 0.05 + Double($0) * 0.01) }
        let picked = try #require(Insights.compare(posts, dimension: .posts, comparison: .posts(a: ["p0", "p1", "p2", "p3"], b: ["p4", "p5", "p6", "p7", "nope"]),
                                                   metric: .consumption24h, zone: Self.shanghai).first)
        #expect(picked.nA == 4 && picked.nB == 4 && picked.shortfall == .noVariation)  // every post has 100,000 reads
        let engagement = try #require(Insights.compare(posts, dimension: .posts, comparison: .posts(a: ["p0", "p1", "p2", "p3"], b: ["p4", "p5", "p6", "p7"]),
                                                       metric: .engagement24h, test: .mannWhitney, zone: Self.shanghai).first)
        #expect(engagement.result?.test == .mannWhitney && engagement.meanA == 6_500 && engagement.meanB == 10_500)
        // A post without 24-hour figures has no value and joins no group.
        let missing = Insights.compare([Self.post("a", rate: nil)] + posts, dimension: .posts, comparison: .posts(a: ["a", "p0"], b: ["p1"]),
                                       metric: .engagementRate24h, zone: Self.shanghai)
        #expect(missing.first?.nA == 1)
    }

    // MARK: Sample size

    @Test("Posts per group for 80 % power at α = 0.05: n = 2 (z.975 + z.8)² s_p² / δ², rounded up")
    func requiredSampleSize() {
        #expect(Insights.requiredPerGroup(difference: 0.01, pooledSD: 0.02) == 63)
        #expect(Insights.requiredPerGroup(difference: -3, pooledSD: 10) == 175)
        #expect(Insights.requiredPerGroup(difference: 0, pooledSD: 1) == nil)
        #expect(Insights.requiredPerGroup(difference: 10, pooledSD: 0.001) == Insights.minimumPerGroup)
        #expect(Insights.requiredPerGroup(difference: 1e-300, pooledSD: 1e300) == Significance.maximumSampleSize)
        #expect(Self.close(Insights.pooledSD(sdA: 0.02, nA: 10, sdB: 0.03, nB: 20), 0.02718980901524897, 1e-15))
        let a = Self.groups[2].1, b = Self.groups[3].1
        #expect(Insights.requiredPerGroup(a, b) == 308)
    }

    // MARK: Heatmap and suggestion

    @Test("Heatmap cells count posts and average the rate by weekday and hour in the workspace zone")
    func heatmap() {
        let posts = [Self.post("1", rate: 0.04, at: Self.date(day: 2, hour: 20)), Self.post("2", rate: 0.06, at: Self.date(day: 2, hour: 20, minute: 50)),
                     Self.post("3", rate: 0.08, at: Self.date(day: 4, hour: 21)), Self.post("4", rate: nil, at: Self.date(day: 4, hour: 21))]
        let map = PostingHeatmap(posts, zone: Self.shanghai)
        #expect(map.rows.count == 7 && map.rows.allSatisfy { $0.count == 24 })
        #expect(map.rows[0][20].n == 2 && Self.close(map.rows[0][20].mean, 0.05, 1e-12))
        #expect(map.rows[2][21].n == 1 && map.rows[2][21].weekday == 3)  // the post without figures is not counted
        #expect(map.total == 3 && Self.close(map.highest, 0.08, 1e-12) && map.rows[1][20].mean == nil)
        // A zone with daylight saving: 2026-03-08 07:30 UTC is 03:30 in New York (the clocks skipped 02:00–03:00), a Sunday.
        let newYork = TimeZone(identifier: "America/New_York")!
        let spring = PostingHeatmap([Self.post("d", rate: 0.1, at: Date(timeIntervalSince1970: 1_772_955_000))], zone: newYork)
        #expect(spring.rows[6][3].n == 1)
    }

    /// `count` posts at `hour` on successive days with rates around `center`.
    static func slot(_ hour: Int, count: Int, center: Double, spread: Double = 0.004) -> [InsightPost] {
        (0..<count).map { index in
            let wobble = [-1.0, 0.5, 1.0, -0.5, 0.0, 0.75, -0.75, 0.25][index % 8] * spread
            return post("h\(hour)-\(index)", rate: center + wobble, at: date(day: 1 + index % 28, hour: hour))
        }
    }

    @Test("Suggestion: the best hour among those significantly above the rest after Holm's correction")
    func suggestion() throws {
        let posts = Self.slot(20, count: 10, center: 0.05) + Self.slot(21, count: 10, center: 0.07) + Self.slot(12, count: 8, center: 0.045)
        let suggestion = BestTimeSuggestion(posts, zone: Self.shanghai)
        #expect(suggestion.hour == 21)
        guard case .suggested(_, let evidence) = suggestion.outcome else { Issue.record("no suggestion"); return }
        #expect(evidence.nA == 10 && evidence.nB == 18 && evidence.significant)
        // The hours were tested together: the adjusted p-values are Holm's over the three raw ones.
        #expect(suggestion.comparisons.map(\.a) == ["12", "20", "21"])
        let raw = suggestion.comparisons.map { $0.result!.pValue }
        #expect(suggestion.comparisons.map(\.adjustedP) == (try Significance.holm(raw)).map(Optional.init))
    }

    @Test("No suggestion: too few posts, too few hours, or no hour significantly better (with the posts it would need)")
    func noSuggestion() {
        #expect(BestTimeSuggestion(Self.slot(20, count: 10, center: 0.05) + Self.slot(21, count: 9, center: 0.07), zone: Self.shanghai).outcome == .tooFewPosts(have: 19))
        #expect(BestTimeSuggestion(Self.slot(20, count: 25, center: 0.05) + Self.slot(9, count: 4, center: 0.09), zone: Self.shanghai).outcome
                == .tooFewHours(hoursWithEnough: 1))
        // Two hours alike but for a sliver: nothing to suggest, and the better one says how many posts would tell.
        let alike = BestTimeSuggestion(Self.slot(20, count: 12, center: 0.05, spread: 0.02) + Self.slot(21, count: 12, center: 0.052, spread: 0.02), zone: Self.shanghai)
        guard case .notSignificant(let best?) = alike.outcome else { Issue.record("expected notSignificant, got \(alike.outcome)"); return }
        #expect(best.a == "21" && alike.hour == nil)
        #expect((best.requiredPerGroup ?? 0) > 12 && best.additionalPerGroup == (best.requiredPerGroup ?? 0) - 12)
        // An hour far *below* the rest is significant but never suggested.
        let below = BestTimeSuggestion(Self.slot(20, count: 12, center: 0.05) + Self.slot(3, count: 12, center: 0.01), zone: Self.shanghai)
        #expect(below.hour == 20)
    }
}
