import Foundation
import MediaOpsDomain

/// An insight as people read it: for each comparison, the two groups'
/// figures, the difference with its interval, the raw and Holm-adjusted p,
/// and the verdict in one sentence. The API and the page are built from it.
struct InsightReport {
    struct Row {
        var comparison: InsightComparisonResult
        var aName: String
        var bName: String
        /// The significance calculator's report of the pair (nil when untested), its verdict on the adjusted p.
        var report: SignificanceReport?
        var verdict: String
        var advice: String?
    }

    var question: InsightQuestion
    var scopeName: String
    var rows: [Row]
    /// Posts read (newest first, at most `Insights.maximumPosts`) and how many of them have the metric.
    var postsRead: Int
    var postsWithMetric: Int
    /// Of those, posts without the trait (external posts have no category, tags, cover or length).
    var postsWithoutTrait: Int
    var truncated: Bool
    var corrected: Bool { rows.filter { $0.report != nil }.count > 1 }

    init(_ question: InsightQuestion, scopeName: String, posts: [InsightPost], truncated: Bool, zone: TimeZone, t: Localizer) {
        self.question = question
        self.scopeName = scopeName
        self.truncated = truncated
        postsRead = posts.count
        let valued = posts.filter { question.metric.value($0).map(\.isFinite) ?? false }
        postsWithMetric = valued.count
        postsWithoutTrait = question.dimension == .posts ? 0 : valued.filter { question.dimension.levels(of: $0, zone: zone).isEmpty }.count
        let results = Insights.compare(posts, dimension: question.dimension, comparison: question.comparison, metric: question.metric,
                                       test: question.test, zone: zone)
        rows = results.map { Self.row($0, question: question, t: t) }
    }

    /// A level's name in the reader's language; "the rest" for a missing B.
    static func name(_ level: String?, dimension: InsightDimension, t: Localizer) -> String {
        guard let level else { return t.t("analytics.insights.rest") }
        switch dimension {
        case .posts: return t.t(level == "a" ? "analytics.significance.default_a" : "analytics.significance.default_b")
        case .hour: return t.t("analytics.insights.hour_label", ["hour": level])
        case .tag: return t.t("analytics.insights.tag_label", ["tag": level])
        default:
            return InsightLabels.key(level, dimension: dimension).flatMap(t.optional) ?? level
        }
    }

    /// Beyond this many posts per group, the observed difference is too small to be worth chasing.
    static let negligibleAbove = 10_000

    static func row(_ comparison: InsightComparisonResult, question: InsightQuestion, t: Localizer, aName: String? = nil, bName: String? = nil) -> Row {
        let aName = aName ?? name(comparison.a, dimension: question.dimension, t: t)
        let bName = bName ?? name(comparison.b, dimension: question.dimension, t: t)
        var row = Row(comparison: comparison, aName: aName, bName: bName, report: nil, verdict: "", advice: nil)
        let counts = ["na": t.grouped(comparison.nA), "nb": t.grouped(comparison.nB), "min": String(Insights.minimumPerGroup)]
        guard let result = comparison.result, let adjusted = comparison.adjustedP else {
            let key = comparison.shortfall == .noVariation ? "analytics.insights.verdict.no_variation" : "analytics.insights.verdict.too_few"
            row.verdict = named(key, aName, bName, counts, t)
            if comparison.shortfall != .noVariation {
                row.advice = t.t("analytics.insights.advice_minimum", ["min": String(Insights.minimumPerGroup)])
            }
            return row
        }
        // The verdict says the p it rests on: the adjusted one.
        var shown = result
        shown.pValue = adjusted
        let asked = SignificanceQuestion(test: question.test, groups: .samples(a: comparison.valuesA, b: comparison.valuesB), aName: aName, bName: bName,
                                         percent: question.metric.isRate)
        guard var report = try? SignificanceReport(asked, result: shown, t: t) else {
            row.verdict = named("analytics.insights.verdict.no_variation", aName, bName, counts, t)
            return row
        }
        report.significant = comparison.significant
        report.direction = comparison.significant ? (result.difference > 0 ? .aHigher : .aLower) : nil
        report.sampleSize = nil
        row.report = report
        row.verdict = report.verdict(t, keys: "analytics.insights.verdict",
                                     extra: ["metric": t.t("analytics.insights.metric_in_sentence.\(question.metric.rawValue)")])
        if !comparison.significant {
            if let required = comparison.requiredPerGroup, required > Self.negligibleAbove {
                row.advice = t.t("analytics.insights.advice_negligible", ["required": t.grouped(Self.negligibleAbove)])
            } else if let required = comparison.requiredPerGroup, let more = comparison.additionalPerGroup {
                row.advice = more == 0
                    ? t.t("analytics.insights.advice_enough", ["required": t.grouped(required)])
                    : t.t("analytics.insights.advice_more", ["required": t.grouped(required), "count": t.grouped(more),
                                                             "na": t.grouped(comparison.nA), "nb": t.grouped(comparison.nB)])
            } else {
                row.advice = t.t("analytics.significance.advice_no_difference")
            }
        }
        return row
    }

    /// A sentence naming both groups, spaced as Chinese sets a Latin name or number off.
    static func named(_ key: String, _ a: String, _ b: String, _ params: [String: String], _ t: Localizer) -> String {
        SignificanceReport.sentence(key, t, a: a, b: b, params)
    }
}

// MARK: API shape

/// The answer of POST /api/v1/analytics/insights.
struct InsightDTO: Encodable {
    struct Comparison: Encodable {
        var a: String
        @Nullable var b: String?
        var a_name: String
        var b_name: String
        var n_a: Int
        var n_b: Int
        @Nullable var mean_a: Double?
        @Nullable var mean_b: Double?
        @Nullable var median_a: Double?
        @Nullable var median_b: Double?
        @Nullable var difference: Double?
        @Nullable var ci_low: Double?
        @Nullable var ci_high: Double?
        @Nullable var relative_difference: Double?
        @Nullable var statistic: Double?
        @Nullable var p_value: Double?
        @Nullable var adjusted_p_value: Double?
        var significant: Bool
        @Nullable var direction: String?
        @Nullable var shortfall: String?
        @Nullable var required_per_group: Int?
        @Nullable var additional_per_group: Int?
        var verdict: String
        @Nullable var advice: String?
    }

    var dimension: String
    var comparison: String
    var metric: String
    var test: String
    var scope: String
    @Nullable var scope_id: String?
    var from: String
    var to: String
    var posts_read: Int
    var posts_with_metric: Int
    var posts_without_trait: Int
    var truncated: Bool
    var correction: String
    var comparisons: [Comparison]

    init(_ report: InsightReport) {
        let question = report.question
        dimension = question.dimension.rawValue
        comparison = question.dimension == .posts ? "posts" : question.mode.rawValue
        metric = question.metric.rawValue
        test = question.test.rawValue
        switch question.scope {
        case .workspace: scope = "workspace"; scope_id = nil
        case .group(let id): scope = "group"; scope_id = id
        case .account(let id): scope = "account"; scope_id = id
        }
        from = question.period.from.description
        to = question.period.to.description
        posts_read = report.postsRead
        posts_with_metric = report.postsWithMetric
        posts_without_trait = report.postsWithoutTrait
        truncated = report.truncated
        correction = report.corrected ? "holm" : "none"
        comparisons = report.rows.map { row in
            let c = row.comparison
            let r = c.result
            return Comparison(a: c.a, b: c.b, a_name: row.aName, b_name: row.bName, n_a: c.nA, n_b: c.nB, mean_a: c.meanA, mean_b: c.meanB,
                              median_a: c.medianA, median_b: c.medianB, difference: r?.difference, ci_low: r?.ciLow, ci_high: r?.ciHigh,
                              relative_difference: row.report?.relative?.value, statistic: row.report?.statistic,
                              p_value: r.map { min(1, max(0, $0.pValue)) }, adjusted_p_value: c.adjustedP, significant: c.significant,
                              direction: row.report?.direction?.rawValue, shortfall: c.shortfall?.rawValue,
                              required_per_group: c.requiredPerGroup, additional_per_group: c.additionalPerGroup, verdict: row.verdict, advice: row.advice)
        }
    }
}
