import Foundation

/// An account's posts by weekday × hour of publishing (workspace zone): each
/// cell's post count and mean engagement rate at 24 hours.
public struct PostingHeatmap: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        /// 1 = Monday … 7 = Sunday.
        public var weekday: Int
        public var hour: Int
        public var n: Int
        public var mean: Double?
    }

    /// 7 rows (Monday first) of 24 cells (hour 0 first).
    public var rows: [[Cell]]
    /// Posts with the metric, in every cell together.
    public var total: Int
    /// The highest cell mean (the colour scale's top), nil without posts.
    public var highest: Double?

    public init(_ posts: [InsightPost], metric: InsightMetric = .engagementRate24h, zone: TimeZone) {
        var sums = Array(repeating: Array(repeating: (n: 0, sum: 0.0), count: 24), count: 7)
        var total = 0
        for post in posts {
            guard let value = metric.value(post), value.isFinite else { continue }
            let weekday = PostingClock.weekday(post.publishedAt, zone: zone), hour = PostingClock.hour(post.publishedAt, zone: zone)
            sums[weekday - 1][hour].n += 1
            sums[weekday - 1][hour].sum += value
            total += 1
        }
        rows = sums.enumerated().map { day, hours in
            hours.enumerated().map { hour, cell in Cell(weekday: day + 1, hour: hour, n: cell.n, mean: cell.n > 0 ? cell.sum / Double(cell.n) : nil) }
        }
        self.total = total
        highest = rows.joined().compactMap(\.mean).max()
    }
}

/// The suggested posting hour of an account, and the evidence for it.
///
/// The rule: an account needs at least `minimumPosts` posts with a 24-hour
/// engagement rate. Every hour of the day with at least `minimumPerHour` of
/// them is tested against all the account's other posts (Welch); the
/// p-values are Holm-corrected over the hours tested, since picking the best
/// of many hours would otherwise find a "best time" in noise. The suggestion
/// is the hour with the highest mean among those significantly *above* the
/// rest after the correction. Without one, there is no suggestion, and the
/// outcome says what is missing: more posts overall, posts at more than one
/// hour, or — for the most promising hour — how many posts per group the
/// observed difference needs (`Insights.requiredPerGroup`).
public struct BestTimeSuggestion: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Post at `hour`: its comparison against the account's other posts.
        case suggested(hour: Int, evidence: InsightComparisonResult)
        /// Fewer than `minimumPosts` posts with the metric (`have` of them).
        case tooFewPosts(have: Int)
        /// Fewer than two hours with `minimumPerHour` posts: nothing to compare.
        case tooFewHours(hoursWithEnough: Int)
        /// Hours were compared but none is significantly better; `best` is the
        /// most promising one, with its sample-size estimate when it is above the rest.
        case notSignificant(best: InsightComparisonResult?)
    }

    public static let minimumPosts = 20
    public static let minimumPerHour = 5

    public var outcome: Outcome
    /// Every hour tested against the rest, Holm-corrected together.
    public var comparisons: [InsightComparisonResult]

    public var hour: Int? { if case .suggested(let hour, _) = outcome { hour } else { nil } }

    public init(_ posts: [InsightPost], metric: InsightMetric = .engagementRate24h, zone: TimeZone) {
        let valued = posts.filter { metric.value($0).map { $0.isFinite } ?? false }
        guard valued.count >= Self.minimumPosts else {
            outcome = .tooFewPosts(have: valued.count)
            comparisons = []
            return
        }
        var perHour: [Int: Int] = [:]
        for post in valued { perHour[PostingClock.hour(post.publishedAt, zone: zone), default: 0] += 1 }
        let candidates = perHour.filter { $0.value >= Self.minimumPerHour }.keys.sorted()
        // One hour against the rest needs the rest to be a real alternative.
        guard candidates.count >= 2 else {
            outcome = .tooFewHours(hoursWithEnough: candidates.count)
            comparisons = []
            return
        }
        // Each candidate hour against every other post: a pair per hour, Holm over all of them.
        var rows: [InsightComparisonResult] = []
        var pValues: [Double] = []
        for hour in candidates {
            let level = String(hour)
            let single = Insights.compare(valued, dimension: .hour, comparison: .pair(a: level, b: nil), metric: metric, zone: zone)
            guard let row = single.first else { continue }
            rows.append(row)
            pValues.append(row.result.map { min(1, max(0, $0.pValue)) } ?? 1)
        }
        let adjusted = (try? Significance.holm(pValues)) ?? pValues
        for index in rows.indices {
            guard let result = rows[index].result else { continue }
            rows[index].adjustedP = adjusted[index]
            rows[index].significant = adjusted[index] < Significance.alpha && result.difference != 0
            rows[index].requiredPerGroup = rows[index].significant ? nil : Insights.requiredPerGroup(rows[index].valuesA, rows[index].valuesB)
        }
        comparisons = rows
        let better = rows.filter { $0.significant && ($0.result?.difference ?? 0) > 0 }
        if let best = better.max(by: { ($0.meanA ?? 0, -(Int($0.a) ?? 0)) < ($1.meanA ?? 0, -(Int($1.a) ?? 0)) }), let hour = Int(best.a) {
            outcome = .suggested(hour: hour, evidence: best)
        } else {
            let above = rows.filter { ($0.result?.difference ?? 0) > 0 }
            outcome = .notSignificant(best: above.max { ($0.meanA ?? 0) < ($1.meanA ?? 0) })
        }
    }
}
