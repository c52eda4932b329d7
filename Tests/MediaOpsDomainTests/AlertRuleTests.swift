import Foundation
@testable import MediaOpsDomain
import Testing

// Percentiles, medians and MADs below were produced by NumPy 2.4.6 and SciPy
// 1.17.1 with
//
//     python3 Tests/MediaOpsDomainTests/Vectors/alert_vectors.py
//
// (documentation: CI never runs it), as was the weekly anomaly window.

@Suite("Alert rules")
struct AlertRuleTests {
    // MARK: Helpers

    /// 2026-01-05 is a Monday.
    static let monday = LocalDate(year: 2026, month: 1, day: 5)

    static func day(_ offset: Int) -> LocalDate { monday.adding(days: offset) }

    static func series(_ values: [Int: Double]) -> [LocalDate: Double] {
        Dictionary(uniqueKeysWithValues: values.map { (day($0.key), $0.value) })
    }

    /// The 64-bit LCG the vector scripts document.
    struct LCG {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / 9007199254740992.0
        }
    }

    /// `weeks` weeks from a Monday: weekdays around 1,000, Saturdays and
    /// Sundays 40 % lower, each day within ±`noise` of that (deterministic).
    static func weeklySeries(weeks: Int, seed: UInt64, noise: Double) -> [Int: Double] {
        var random = LCG(state: seed)
        var values: [Int: Double] = [:]
        for offset in 0..<(weeks * 7) {
            let level = offset % 7 >= 5 ? 600.0 : 1_000.0
            values[offset] = (level * (1 + 2 * noise * (random.next() - 0.5))).rounded()
        }
        return values
    }

    static func close(_ actual: Double?, _ expected: Double, relative: Double = 1e-12) -> Bool {
        guard let actual else { return false }
        return abs(actual - expected) <= relative * abs(expected) + 1e-15
    }

    static let followersDrop = AlertPreset.followersDrop.rule(id: "alr_followers")

    // MARK: Threshold and day-over-day change

    @Test("粉丝日减超 500: a fall of 501 fires, 500 and 499 do not", arguments: [
        (-501.0, true), (-500.0, false), (-499.0, false), (-10_000.0, true), (0.0, false), (320.0, false),
    ])
    func followersDropThreshold(net: Double, fires: Bool) {
        let evaluation = Self.followersDrop.evaluate(series: Self.series([10: net]), on: Self.day(10))
        #expect(evaluation.outcome == (fires ? .fired : .quiet))
        #expect(evaluation.evidence.observed == net && evaluation.evidence.bound == -500)
        #expect(evaluation.day == Self.day(10))
    }

    @Test("a fall of the follower total between two days is judged as today − yesterday", arguments: [
        (9_499.0, true), (9_500.0, false), (9_501.0, false), (10_800.0, false),
    ])
    func followersTotalDayOverDay(today: Double, fires: Bool) {
        let rule = AlertRule(id: "alr_total", name: "总粉丝日减超 500", kind: .dayOverDayChange, metric: .stored(.followersTotal), comparison: .below, bound: -500)
        let evaluation = rule.evaluate(series: Self.series([0: 10_000, 1: today]), on: Self.day(1))
        #expect(evaluation.fired == fires)
        #expect(evaluation.evidence.previous == 10_000 && evaluation.evidence.change == today - 10_000)
    }

    @Test("either way: the size of the day's change against the bound", arguments: [(1_501.0, true), (499.0, true), (1_500.0, false), (600.0, false)])
    func dayOverDayEither(today: Double, fires: Bool) {
        let rule = AlertRule(id: "alr_move", name: "moves", kind: .dayOverDayChange, metric: .stored(.reads), comparison: .either, bound: 500)
        #expect(rule.evaluate(series: Self.series([0: 1_000, 1: today]), on: Self.day(1)).fired == fires)
    }

    @Test("engagement rate below 1 %: a derived metric, as a fraction", arguments: [(0.0099, true), (0.01, false), (0.2, false)])
    func engagementRateThreshold(rate: Double, fires: Bool) {
        let rule = AlertRule(id: "alr_er", name: "互动率低于 1%", kind: .threshold, metric: .derived(.engagementRate), comparison: .below, bound: 0.01)
        #expect(rule.isValid)
        #expect(rule.evaluate(series: Self.series([3: rate]), on: Self.day(3)).fired == fires)
    }

    @Test("an absent day is not zero: no value, no previous value, not a number")
    func missingDays() {
        let drop = Self.followersDrop
        #expect(drop.evaluate(series: Self.series([9: -900, 11: -900]), on: Self.day(10)).outcome == .skipped(.noValue))
        #expect(drop.evaluate(series: Self.series([10: .nan]), on: Self.day(10)).outcome == .skipped(.noValue))
        #expect(drop.evaluate(series: Self.series([10: -.infinity]), on: Self.day(10)).outcome == .skipped(.noValue))

        // Two days before does not stand in for yesterday.
        let total = AlertRule(id: "alr_total", name: "total", kind: .dayOverDayChange, metric: .stored(.followersTotal), bound: -500)
        let gap = total.evaluate(series: Self.series([0: 10_000, 2: 8_000]), on: Self.day(2))
        #expect(gap.outcome == .skipped(.noPreviousValue))
        #expect(gap.evidence.observed == 8_000 && gap.evidence.previous == nil)
    }

    @Test("days are counted across month ends, leap days and year ends", arguments: [
        (LocalDate(year: 2028, month: 2, day: 29), LocalDate(year: 2028, month: 2, day: 28)),
        (LocalDate(year: 2028, month: 3, day: 1), LocalDate(year: 2028, month: 2, day: 29)),
        (LocalDate(year: 2027, month: 3, day: 1), LocalDate(year: 2027, month: 2, day: 28)),
        (LocalDate(year: 2027, month: 1, day: 1), LocalDate(year: 2026, month: 12, day: 31)),
        (LocalDate(year: 2000, month: 3, day: 1), LocalDate(year: 2000, month: 2, day: 29)),
    ])
    func previousDayAcrossBoundaries(today: LocalDate, yesterday: LocalDate) {
        let total = AlertRule(id: "alr_total", name: "total", kind: .dayOverDayChange, metric: .stored(.followersTotal), bound: -500)
        #expect(total.evaluate(series: [yesterday: 10_000, today: 9_000], on: today).fired)
        #expect(LocalDate(dayNumber: today.dayNumber - 1) == yesterday)
        #expect(yesterday.days(until: today) == today.dayNumber - yesterday.dayNumber)
    }

    @Test("day numbers agree with Calendar over four centuries of sample days")
    func dayNumbers() {
        #expect(LocalDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        let start = LocalDate(year: 1900, month: 1, day: 1)
        for step in stride(from: 0, through: 146_097, by: 997) {
            let date = start.adding(days: step)
            #expect(date.dayNumber - start.dayNumber == step)
            #expect(LocalDate(dayNumber: date.dayNumber) == date)
        }
    }

    // MARK: Relative to baseline

    /// Seven earlier days whose median is 1,000.
    static let baselineWeek: [Int: Double] = [0: 900, 1: 1_000, 2: 1_100, 3: 950, 4: 1_050, 5: 1_000, 6: 980]

    @Test("+21 % against the median of the previous 7 days fires; +19 % and exactly +20 % do not", arguments: [
        (1_210.0, true, 0.21), (1_190.0, false, 0.19), (1_200.0, false, 0.2),
    ])
    func relativeRise(today: Double, fires: Bool, change: Double) {
        let rule = AlertRule(id: "alr_rise", name: "阅读突增", kind: .relativeToBaseline, metric: .stored(.reads), comparison: .above, bound: 0.2)
        var values = Self.baselineWeek
        values[7] = today
        let evaluation = rule.evaluate(series: Self.series(values), on: Self.day(7))
        #expect(evaluation.fired == fires)
        #expect(evaluation.evidence.baseline == 1_000 && evaluation.evidence.baselineCount == 7)
        #expect(Self.close(evaluation.evidence.change, change))
    }

    @Test("a fall against the baseline, and either way", arguments: [
        (AlertComparison.below, -0.3, 690.0, true), (.below, -0.3, 710.0, false), (.below, -0.3, 2_000.0, false),
        (.either, 0.3, 690.0, true), (.either, 0.3, 1_310.0, true), (.either, 0.3, 1_250.0, false),
    ])
    func relativeFall(comparison: AlertComparison, bound: Double, today: Double, fires: Bool) {
        let rule = AlertRule(id: "alr_fall", name: "阅读下滑", kind: .relativeToBaseline, metric: .stored(.reads), comparison: comparison, bound: bound)
        #expect(rule.isValid)
        var values = Self.baselineWeek
        values[7] = today
        #expect(rule.evaluate(series: Self.series(values), on: Self.day(7)).fired == fires)
    }

    @Test("too little history or a zero baseline: the day is not judged, and the evidence says why")
    func relativeNotJudged() {
        let rule = AlertRule(id: "alr_rise", name: "rise", kind: .relativeToBaseline, metric: .stored(.reads), bound: 0.2)
        // Four of the seven earlier days; five are required.
        let short = rule.evaluate(series: Self.series([1: 1_000, 3: 1_000, 4: 1_000, 6: 1_000, 7: 5_000]), on: Self.day(7))
        #expect(short.outcome == .skipped(.insufficientHistory))
        #expect(short.evidence.historyCount == 4 && short.evidence.requiredHistory == 5 && short.evidence.observed == 5_000)
        // Days older than the window do not count.
        #expect(rule.evaluate(series: Self.series([-5: 1, -4: 1, -3: 1, -2: 1, -1: 1, 7: 5]), on: Self.day(7)).outcome == .skipped(.insufficientHistory))

        let zero = rule.evaluate(series: Self.series([0: 0, 1: 0, 2: 0, 3: 0, 4: 3, 5: 0, 6: 0, 7: 9]), on: Self.day(7))
        #expect(zero.outcome == .skipped(.baselineZero) && zero.evidence.baseline == 0)
    }

    @Test("a weekly baseline compares a Saturday with Saturdays")
    func relativeWeekly() {
        let values = Self.weeklySeries(weeks: 6, seed: 3, noise: 0.02)
        let plain = AlertRule(id: "alr_fall", name: "fall", kind: .relativeToBaseline, metric: .stored(.reads), comparison: .below, bound: -0.3)
        var weekly = plain
        weekly.window = 28
        weekly.seasonality = .weekly
        weekly.minimumHistory = 3
        let saturday = Self.day(40)
        #expect(saturday.dayNumber % 7 == Self.day(5).dayNumber % 7)
        #expect(plain.evaluate(series: Self.series(values), on: saturday).fired)
        let judged = weekly.evaluate(series: Self.series(values), on: saturday)
        #expect(judged.outcome == .quiet && judged.evidence.baselineCount == 4)
        #expect(abs((judged.evidence.baseline ?? 0) - 600) <= 12)
    }

    // MARK: Anomaly

    static let anomalyRule = AlertRule(id: "alr_anomaly", name: "阅读异常", kind: .anomaly, metric: .stored(.reads))

    @Test("the anomaly rule's defaults: weekly, 28 days, k = 3.5, floors of 10 reads and 10 %")
    func anomalyDefaults() {
        let rule = Self.anomalyRule
        #expect(rule.isValid)
        #expect(rule.seasonality == .weekly && rule.window == 28 && rule.k == 3.5 && rule.comparison == .either)
        #expect(rule.minimumHistory == 14 && rule.minimumDeviation == 10 && rule.minimumRelativeDeviation == 0.1 && rule.cooldownHours == 24)
        #expect(AlertRule(id: "a", name: "a", kind: .anomaly, metric: .stored(.completionRate)).minimumDeviation == 0.01)
    }

    @Test("a weekly rhythm (weekends 40 % lower, 13 weeks, ±4 % noise) never fires the anomaly rule", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func seasonalPatternIsQuiet(seed: UInt64) {
        let series = Self.series(Self.weeklySeries(weeks: 13, seed: seed, noise: 0.04))
        let outcomes = (0..<91).map { Self.anomalyRule.evaluate(series: series, on: Self.day($0)).outcome }
        // The first two weeks lack two earlier days of each weekday.
        #expect(outcomes.prefix(14).allSatisfy { $0 == .skipped(.insufficientHistory) })
        #expect(outcomes.dropFirst(14).allSatisfy { $0 == .quiet })

        // Judged against every day instead, each weekend looks like a collapse.
        var plain = Self.anomalyRule
        plain.seasonality = .none
        let plainFirings = (28..<91).filter { plain.evaluate(series: series, on: Self.day($0)).fired }
        #expect(!plainFirings.isEmpty)
        #expect(plainFirings.allSatisfy { $0 % 7 >= 5 })
    }

    @Test("a genuine spike or collapse fires the weekly anomaly rule, on a weekday and at a weekend", arguments: [
        (80, 5.0, true), (82, 0.3, true), (75, 5.0, true), (76, 0.3, true), (80, 1.0, false), (75, 1.0, false),
    ])
    func anomalySpike(dayOffset: Int, factor: Double, fires: Bool) {
        var values = Self.weeklySeries(weeks: 13, seed: 9, noise: 0.04)
        values[dayOffset] = (values[dayOffset]! * factor).rounded()
        let evaluation = Self.anomalyRule.evaluate(series: Self.series(values), on: Self.day(dayOffset))
        #expect(evaluation.fired == fires)
        if fires { #expect(abs(evaluation.evidence.score ?? 0) > 3.5) }
    }

    @Test("the anomaly direction: above ignores a collapse, below ignores a spike", arguments: [
        (AlertComparison.above, 5.0, true), (.above, 0.2, false), (.below, 5.0, false), (.below, 0.2, true),
    ])
    func anomalyDirection(comparison: AlertComparison, factor: Double, fires: Bool) {
        var rule = Self.anomalyRule
        rule.comparison = comparison
        var values = Self.weeklySeries(weeks: 8, seed: 4, noise: 0.04)
        values[50] = values[50]! * factor
        #expect(rule.evaluate(series: Self.series(values), on: Self.day(50)).fired == fires)
    }

    @Test("the weekly band's numbers match the vector script: same-weekday median, leave-one-out MAD × 1.4826")
    func anomalyBandVector() {
        // From alert_vectors.py: offsets 1...28 before the judged day, 3 and 17 absent.
        let window: [Int: Double] = [
            1: 645.0, 2: 610.0, 4: 940.0, 5: 1083.0, 6: 1079.0, 7: 960.0, 8: 559.0, 9: 589.0, 10: 1043.0, 11: 1074.0, 12: 948.0, 13: 927.0,
            14: 1003.0, 15: 606.0, 16: 573.0, 18: 1009.0, 19: 1044.0, 20: 926.0, 21: 1038.0, 22: 574.0, 23: 581.0, 24: 1089.0, 25: 982.0,
            26: 928.0, 27: 1044.0, 28: 951.0,
        ]
        let judged = Self.day(60)
        var series = Dictionary(uniqueKeysWithValues: window.map { (judged.adding(days: -$0.key), $0.value) })
        for (value, fires) in [(1_238.0, false), (1_239.0, true), (725.0, false), (724.0, true)] {
            series[judged] = value
            let evaluation = Self.anomalyRule.evaluate(series: series, on: judged)
            #expect(evaluation.fired == fires, "value \(value)")
            #expect(evaluation.evidence.baseline == 981.5 && evaluation.evidence.baselineCount == 4)
            #expect(evaluation.evidence.mad == 49.5 && evaluation.evidence.historyCount == 26)
            #expect(Self.close(evaluation.evidence.sigma, 73.38880981602729))
            #expect(Self.close(evaluation.evidence.upper, 1238.3608343560954) && Self.close(evaluation.evidence.lower, 724.6391656439046))
            #expect(Self.close(evaluation.evidence.score, (value - 981.5) / 73.38880981602729))
        }
    }

    @Test("MAD = 0: a flat history fires only beyond the absolute floor (and the relative one)", arguments: [
        // (history value, today, floor, relative floor, fires)
        (100.0, 105.0, 10.0, 0.1, false), (100.0, 110.0, 10.0, 0.1, false), (100.0, 111.0, 10.0, 0.1, true), (100.0, 89.0, 10.0, 0.1, true),
        (0.0, 10.0, 10.0, 0.1, false), (0.0, 11.0, 10.0, 0.1, true),
        (1_000.0, 1_090.0, 10.0, 0.1, false), (1_000.0, 1_101.0, 10.0, 0.1, true), (1_000.0, 1_020.0, 10.0, 0.0, true),
        (100.0, 100.5, 0.0, 0.0, true), (100.0, 100.0, 0.0, 0.0, false),
    ])
    func zeroMAD(history: Double, today: Double, floor: Double, relativeFloor: Double, fires: Bool) {
        var rule = Self.anomalyRule
        rule.minimumDeviation = floor
        rule.minimumRelativeDeviation = relativeFloor
        var values = Dictionary(uniqueKeysWithValues: (0..<28).map { ($0, history) })
        values[28] = today
        let evaluation = rule.evaluate(series: Self.series(values), on: Self.day(28))
        #expect(evaluation.fired == fires)
        #expect(evaluation.evidence.mad == 0 && evaluation.evidence.sigma == 0 && evaluation.evidence.score == nil)
    }

    @Test("anomaly history: too few days, or a weekday seen once, is not judged; absent days are left out")
    func anomalyHistory() {
        var plain = Self.anomalyRule
        plain.seasonality = .none
        plain.window = 14
        plain.minimumHistory = 10
        let sparse = Self.series(Dictionary(uniqueKeysWithValues: (0..<14).filter { $0 % 3 != 0 }.map { ($0, 1_000.0) }).merging([14: 5_000]) { $1 })
        let evaluation = plain.evaluate(series: sparse, on: Self.day(14))
        #expect(evaluation.outcome == .skipped(.insufficientHistory) && evaluation.evidence.historyCount == 9 && evaluation.evidence.requiredHistory == 10)

        // 13 earlier days: the judged weekday appears once, so no weekly band yet.
        let young = Self.series(Dictionary(uniqueKeysWithValues: (1...14).map { ($0, 1_000.0) }))
        #expect(Self.anomalyRule.evaluate(series: young, on: Self.day(14)).outcome == .skipped(.insufficientHistory))
        #expect(Self.anomalyRule.evaluate(series: young.merging([Self.day(0): 1_000]) { $1 }, on: Self.day(14)).outcome == .quiet)
    }

    // MARK: Percentiles against NumPy

    @Test("percentiles match numpy.percentile's default linear method to the last bit", arguments: [
        ("one", [7.0], [(1.0, 7.0), (10.0, 7.0), (25.0, 7.0), (33.3, 7.0), (50.0, 7.0), (75.0, 7.0), (90.0, 7.0), (99.0, 7.0)]),
        ("two", [10.0, 20.0], [(1.0, 10.1), (10.0, 11.0), (25.0, 12.5), (33.3, 13.33), (50.0, 15.0), (75.0, 17.5), (90.0, 19.0), (99.0, 19.9)]),
        ("unsorted", [15.0, 3.0, 9.0, 1.0, 12.0], [(1.0, 1.08), (10.0, 1.8), (25.0, 3.0), (33.3, 4.991999999999999), (50.0, 9.0), (75.0, 12.0), (90.0, 13.8), (99.0, 14.879999999999999)]),
        ("ties", [5.0, 5.0, 5.0, 8.0, 8.0, 100.0], [(1.0, 5.0), (10.0, 5.0), (25.0, 5.0), (33.3, 5.0), (50.0, 6.5), (75.0, 8.0), (90.0, 54.0), (99.0, 95.40000000000002)]),
        ("negative", [-500.0, -120.5, 0.0, 33.25, -7.0, 410.0, -0.1], [(1.0, -477.23), (10.0, -272.29999999999995), (25.0, -63.75), (33.3, -7.227000000000025), (50.0, -0.1), (75.0, 16.625), (90.0, 183.95000000000013), (99.0, 387.3949999999998)]),
        ("fractions", [0.0441, 0.0312, 0.0587, 0.0299, 0.0713, 0.0388, 0.0402, 0.0501], [(1.0, 0.029991), (10.0, 0.03081), (25.0, 0.0369), (33.3, 0.0392634), (50.0, 0.04215), (75.0, 0.05225), (90.0, 0.06248), (99.0, 0.070418)]),
        ("views30", [4865.0, 18265.0, 16437.0, 1487.0, 1419.0, 383.0, 3246.0, 2074.0, 19259.0, 10071.0, 3537.0, 6252.0, 752.0, 8077.0, 1029.0, 79.0, 15927.0, 491.0, 131.0, 18430.0, 18435.0, 2628.0, 7867.0, 926.0, 12867.0, 12752.0, 95.0, 12054.0, 1788.0, 7308.0], [(1.0, 83.64), (10.0, 357.80000000000007), (25.0, 1126.5), (33.3, 1684.7569999999994), (50.0, 4201.0), (75.0, 12577.5), (90.0, 18281.5), (99.0, 19020.04)]),
    ] as [(String, [Double], [(Double, Double)])])
    func percentiles(name: String, values: [Double], expected: [(Double, Double)]) {
        for (percent, value) in expected {
            #expect(RobustStatistics.percentile(values, percent) == value, "\(name) p\(percent)")
        }
        #expect(RobustStatistics.percentile(values, 0) == values.min() && RobustStatistics.percentile(values, 100) == values.max())
    }

    @Test("medians and MADs match numpy.median and scipy.stats.median_abs_deviation", arguments: [
        ([7.0], 7.0, 0.0, 0.0),
        ([10.0, 20.0], 15.0, 5.0, 7.41301109252801),
        ([15.0, 3.0, 9.0, 1.0, 12.0], 9.0, 6.0, 8.895613311033612),
        ([5.0, 5.0, 5.0, 8.0, 8.0, 100.0], 6.5, 1.5, 2.223903327758403),
        ([-500.0, -120.5, 0.0, 33.25, -7.0, 410.0, -0.1], -0.1, 33.35, 49.44478398716183),
        ([0.0441, 0.0312, 0.0587, 0.0299, 0.0713, 0.0388, 0.0402, 0.0501], 0.04215, 0.00945, 0.014010590964877938),
    ] as [([Double], Double, Double, Double)])
    func mediansAndMADs(values: [Double], median: Double, mad: Double, scaled: Double) {
        #expect(RobustStatistics.median(values) == median)
        #expect(Self.close(RobustStatistics.medianAbsoluteDeviation(values), mad))
        #expect(Self.close(RobustStatistics.medianAbsoluteDeviation(values).map { $0 * RobustStatistics.madToStandardDeviation }, scaled))
    }

    @Test("statistics leave out what is not a number and answer nil for nothing")
    func statisticsEdges() {
        #expect(RobustStatistics.median([]) == nil && RobustStatistics.percentile([], 25) == nil && RobustStatistics.medianAbsoluteDeviation([]) == nil)
        #expect(RobustStatistics.median([.nan, .infinity, 4, 2]) == 3)
        #expect(RobustStatistics.percentile([1, 2, 3], .nan) == nil)
        #expect(RobustStatistics.percentile([1, 2, 3], 150) == 3 && RobustStatistics.percentile([1, 2, 3], -5) == 1)
    }

    // MARK: Posts

    static let views30: [Double?] = [
        4865.0, 18265.0, 16437.0, 1487.0, 1419.0, 383.0, 3246.0, 2074.0, 19259.0, 10071.0, 3537.0, 6252.0, 752.0, 8077.0, 1029.0, 79.0,
        15927.0, 491.0, 131.0, 18430.0, 18435.0, 2628.0, 7867.0, 926.0, 12867.0, 12752.0, 95.0, 12054.0, 1788.0, 7308.0,
    ]

    static let postRule = AlertRule(id: "alr_post", name: "单篇表现偏低", kind: .postUnderperforming, metric: .consumption)

    @Test("a post below the 25th percentile of the account's last 30 posts fires (numpy: 1126.5)", arguments: [
        (1_126.0, true), (1_126.5, false), (1_127.0, false), (0.0, true), (50_000.0, false),
    ])
    func postUnderperforming(value: Double, fires: Bool) {
        let evaluation = Self.postRule.evaluate(post: value, earlierPosts: Self.views30)
        #expect(evaluation.fired == fires)
        #expect(evaluation.evidence.percentile == 25 && evaluation.evidence.percentileValue == 1_126.5)
        #expect(evaluation.evidence.historyCount == 30 && evaluation.evidence.baseline == 4_201 && evaluation.day == nil)
    }

    @Test("only the last 30 posts count; posts without a 24 h value are left out; fewer than 10 values are not enough")
    func postHistory() {
        // Ten much older posts in front do not move the percentile.
        let older: [Double?] = Array(repeating: 1_000_000, count: 10)
        #expect(Self.postRule.evaluate(post: 1_126, earlierPosts: older + Self.views30).evidence.percentileValue == 1_126.5)

        // 30 posts, 21 of them without a value: 9 values are not enough.
        let sparse: [Double?] = Self.views30.enumerated().map { $0.offset % 10 == 0 ? $0.element : nil }
        let withGaps = Array(Self.views30.prefix(6)) + Array(repeating: nil, count: 21) + Array(Self.views30.suffix(3))
        let evaluation = Self.postRule.evaluate(post: 10, earlierPosts: withGaps)
        #expect(evaluation.outcome == .skipped(.insufficientHistory) && evaluation.evidence.historyCount == 9 && evaluation.evidence.requiredHistory == 10)
        #expect(Self.postRule.evaluate(post: 10, earlierPosts: sparse).outcome == .skipped(.insufficientHistory))
        #expect(Self.postRule.evaluate(post: nil, earlierPosts: Self.views30).outcome == .skipped(.noValue))
        #expect(Self.postRule.evaluate(post: .nan, earlierPosts: Self.views30).outcome == .skipped(.noValue))

        var median = Self.postRule
        median.percentile = 50
        #expect(median.evaluate(post: 4_200, earlierPosts: Self.views30).fired)
        #expect(!median.evaluate(post: 4_201, earlierPosts: Self.views30).fired)
    }

    @Test("consumption is reads on text platforms and plays on video platforms")
    func consumptionMetric() {
        #expect(AlertMetric.consumption.storedKey(for: .wechatOA) == .reads)
        #expect(AlertMetric.consumption.storedKey(for: .douyin) == .plays)
        #expect(AlertMetric.stored(.likes).storedKey(for: .douyin) == .likes)
        #expect(AlertMetric.derived(.engagementRate).storedKey(for: .weibo) == nil)
    }

    // MARK: Funnels

    static let funnelRule = AlertPreset.funnelDropOff.rule(id: "alr_funnel")

    /// Seven days at 1,000 entrants and a drop-off of 40 %.
    static func funnel(today: FunnelStageCounts?, baseline: FunnelStageCounts = FunnelStageCounts(entered: 1_000, advanced: 600)) -> [LocalDate: FunnelStageCounts] {
        var days = Dictionary(uniqueKeysWithValues: (0..<7).map { (day($0), baseline) })
        days[day(7)] = today
        return days
    }

    @Test("转化环节流失率突增 20%: the drop-off rate more than 20 % above its 7-day median", arguments: [
        (510.0, true, 0.49), (530.0, false, 0.47), (400.0, true, 0.6), (700.0, false, 0.3),
    ])
    func funnelDropOff(advanced: Double, fires: Bool, rate: Double) {
        let evaluation = Self.funnelRule.evaluate(funnel: Self.funnel(today: FunnelStageCounts(entered: 1_000, advanced: advanced)), on: Self.day(7))
        #expect(evaluation.fired == fires)
        #expect(Self.close(evaluation.evidence.observed, rate) && Self.close(evaluation.evidence.baseline, 0.4))
        #expect(Self.close(evaluation.evidence.change, (rate - 0.4) / 0.4))
        #expect(evaluation.evidence.entered == 1_000 && evaluation.evidence.advanced == advanced && evaluation.evidence.bound == 0.2)
    }

    @Test("a funnel day with too few entrants, impossible counts, no counts or no baseline is not judged")
    func funnelNotJudged() {
        let rule = Self.funnelRule
        #expect(rule.evaluate(funnel: Self.funnel(today: FunnelStageCounts(entered: 50, advanced: 5)), on: Self.day(7)).outcome == .skipped(.belowMinimumVolume))
        #expect(rule.evaluate(funnel: Self.funnel(today: FunnelStageCounts(entered: 0, advanced: 0)), on: Self.day(7)).outcome == .skipped(.belowMinimumVolume))
        #expect(rule.evaluate(funnel: Self.funnel(today: FunnelStageCounts(entered: 1_000, advanced: 1_200)), on: Self.day(7)).outcome == .skipped(.inconsistentCounts))
        #expect(rule.evaluate(funnel: Self.funnel(today: FunnelStageCounts(entered: 1_000, advanced: -1)), on: Self.day(7)).outcome == .skipped(.inconsistentCounts))
        #expect(rule.evaluate(funnel: Self.funnel(today: nil), on: Self.day(7)).outcome == .skipped(.noValue))
        // Baseline days below the volume do not count.
        let thin = Self.funnel(today: FunnelStageCounts(entered: 1_000, advanced: 100), baseline: FunnelStageCounts(entered: 80, advanced: 40))
        let evaluation = rule.evaluate(funnel: thin, on: Self.day(7))
        #expect(evaluation.outcome == .skipped(.insufficientHistory) && evaluation.evidence.historyCount == 0)
        // Nobody ever dropped off: a relative rise has no meaning.
        let perfect = Self.funnel(today: FunnelStageCounts(entered: 1_000, advanced: 900), baseline: FunnelStageCounts(entered: 1_000, advanced: 1_000))
        #expect(rule.evaluate(funnel: perfect, on: Self.day(7)).outcome == .skipped(.baselineZero))
    }

    // MARK: Cool-down and deduplication

    @Test("a firing raises an alert unless it repeats the last one's day or the last alert is active and within the cool-down", arguments: [
        // (today's offset, last alert's offset and state, cool-down hours, decision)
        (10, nil, 24, AlertDecision.raise),
        (10, (10, AlertState.open), 24, .suppress(.duplicate)),
        (10, (10, .resolved), 0, .suppress(.duplicate)),
        (11, (10, .open), 24, .raise),
        (11, (10, .open), 25, .suppress(.coolingDown)),
        (11, (10, .acknowledged), 72, .suppress(.coolingDown)),
        (13, (10, .acknowledged), 72, .raise),
        (11, (10, .resolved), 72, .raise),
        (8, (10, .open), 72, .suppress(.coolingDown)),
        (11, (10, .open), 0, .raise),
    ] as [(Int, (Int, AlertState)?, Int, AlertDecision)])
    func cooldownDays(today: Int, last: (Int, AlertState)?, cooldown: Int, decision: AlertDecision) {
        let previous = last.map { AlertLastFiring(occasion: .day(Self.day($0.0)), state: $0.1) }
        #expect(AlertCooldown.decide(.day(Self.day(today)), last: previous, cooldownHours: cooldown) == decision)
    }

    @Test("days are 24 hours apart even across a DST change; posts are measured in real hours")
    func cooldownClock() {
        // 2026-03-08 has 23 hours in New York; a day's occasion does not care.
        let before = AlertLastFiring(occasion: .day(LocalDate(year: 2026, month: 3, day: 8)), state: .open)
        #expect(AlertCooldown.decide(.day(LocalDate(year: 2026, month: 3, day: 9)), last: before, cooldownHours: 24) == .raise)

        let at = Date(timeIntervalSince1970: 1_790_000_000)
        let last = AlertLastFiring(occasion: .post(id: "pst_a", at: at), state: .open)
        #expect(AlertCooldown.decide(.post(id: "pst_a", at: at.addingTimeInterval(3_600)), last: last, cooldownHours: 0) == .suppress(.duplicate))
        #expect(AlertCooldown.decide(.post(id: "pst_b", at: at.addingTimeInterval(5 * 3_600)), last: last, cooldownHours: 0) == .raise)
        #expect(AlertCooldown.decide(.post(id: "pst_b", at: at.addingTimeInterval(5 * 3_600)), last: last, cooldownHours: 24) == .suppress(.coolingDown))
        #expect(AlertCooldown.decide(.post(id: "pst_b", at: at.addingTimeInterval(24 * 3_600)), last: last, cooldownHours: 24) == .raise)
        #expect(AlertSubject.funnelStage(funnelID: "fnl_1", stage: 2).key == "funnel:fnl_1:2" && AlertSubject.account("acc_1").key == "account:acc_1")
    }

    // MARK: States

    @Test("open → acknowledged → resolved, open → resolved; nothing else", arguments: [
        (AlertAction.acknowledge, AlertState.open, AlertState?.some(.acknowledged)),
        (.resolve, .open, .resolved),
        (.resolve, .acknowledged, .resolved),
        (.acknowledge, .acknowledged, nil),
        (.acknowledge, .resolved, nil),
        (.resolve, .resolved, nil),
    ] as [(AlertAction, AlertState, AlertState?)])
    func transitions(action: AlertAction, from state: AlertState, to expected: AlertState?) throws {
        if let expected {
            #expect(try AlertTransition.apply(action, to: state) == expected)
        } else {
            #expect(throws: ConflictError(code: "invalid_transition", field: "action", params: ["action": action.rawValue, "state": state.rawValue])) {
                try AlertTransition.apply(action, to: state)
            }
        }
    }

    @Test("the actions each state offers")
    func actions() {
        #expect(AlertTransition.actions(from: .open) == [.acknowledge, .resolve])
        #expect(AlertTransition.actions(from: .acknowledged) == [.resolve])
        #expect(AlertTransition.actions(from: .resolved).isEmpty)
        #expect(AlertState.allCases.filter(\.isActive) == [.open, .acknowledged])
    }

    // MARK: Validation

    struct ValidationCase: Sendable, CustomTestStringConvertible {
        var label: String
        var rule: AlertRule
        var field: String
        var code: String
        var params: [String: String] = [:]
        var testDescription: String { label }
    }

    static func rule(_ kind: AlertKind, _ change: (inout AlertRule) -> Void) -> AlertRule {
        var rule: AlertRule
        switch kind {
        case .threshold: rule = AlertRule(id: "r", name: "n", kind: .threshold, metric: .stored(.reads), bound: 100)
        case .dayOverDayChange: rule = AlertRule(id: "r", name: "n", kind: .dayOverDayChange, metric: .stored(.followersTotal), bound: -500)
        case .relativeToBaseline: rule = AlertRule(id: "r", name: "n", kind: .relativeToBaseline, metric: .stored(.reads), bound: 0.2)
        case .anomaly: rule = AlertRule(id: "r", name: "n", kind: .anomaly, metric: .stored(.reads))
        case .postUnderperforming: rule = AlertRule(id: "r", name: "n", kind: .postUnderperforming, metric: .consumption)
        case .funnelDropOff: rule = AlertRule(id: "r", name: "n", kind: .funnelDropOff, metric: nil, bound: 0.2)
        }
        change(&rule)
        return rule
    }

    @Test("every kind's example rule and both presets are valid")
    func validRules() throws {
        for kind in AlertKind.allCases { #expect(Self.rule(kind) { _ in }.validationErrors() == [], "\(kind)") }
        for rule in AlertRule.presets { try rule.validated() }
        #expect(AlertRule.presets.map(\.id) == ["default_followers_drop", "default_funnel_dropoff"])
        #expect(AlertRule.presets.map(\.name) == ["", ""])
    }

    @Test("validation names the field and the rule broken", arguments: [
        ValidationCase(label: "name missing", rule: rule(.threshold) { $0.name = "  " }, field: "name", code: "required"),
        ValidationCase(label: "name too long", rule: rule(.threshold) { $0.name = String(repeating: "粉", count: 81) }, field: "name", code: "too_long", params: ["max": "80"]),
        ValidationCase(label: "account id", rule: rule(.threshold) { $0.scope = .account("bad id!") }, field: "scope", code: "unknown_account"),
        ValidationCase(label: "group id", rule: rule(.threshold) { $0.scope = .group("") }, field: "scope", code: "unknown_group"),
        ValidationCase(label: "metric missing", rule: rule(.threshold) { $0.metric = nil }, field: "metric", code: "required"),
        ValidationCase(label: "metric on a funnel", rule: rule(.funnelDropOff) { $0.metric = .stored(.reads) }, field: "metric", code: "not_applicable_to_kind", params: ["kind": "funnel_drop_off"]),
        ValidationCase(label: "followers on a post", rule: rule(.postUnderperforming) { $0.metric = .stored(.followersNet) }, field: "metric", code: "invalid_choice",
                       params: ["choices": AlertKind.postUnderperforming.allowedMetrics.map(\.key).joined(separator: ", ")]),
        ValidationCase(label: "read rate on a post", rule: rule(.postUnderperforming) { $0.metric = .derived(.readRate) }, field: "metric", code: "invalid_choice",
                       params: ["choices": AlertKind.postUnderperforming.allowedMetrics.map(\.key).joined(separator: ", ")]),
        ValidationCase(label: "either on a threshold", rule: rule(.threshold) { $0.comparison = .either }, field: "comparison", code: "invalid_choice", params: ["choices": "below, above"]),
        ValidationCase(label: "above on a post", rule: rule(.postUnderperforming) { $0.comparison = .above }, field: "comparison", code: "invalid_choice", params: ["choices": "below"]),
        ValidationCase(label: "below on a funnel", rule: rule(.funnelDropOff) { $0.comparison = .below }, field: "comparison", code: "invalid_choice", params: ["choices": "above"]),
        ValidationCase(label: "bound missing", rule: rule(.threshold) { $0.bound = nil }, field: "bound", code: "required"),
        ValidationCase(label: "bound NaN", rule: rule(.threshold) { $0.bound = .nan }, field: "bound", code: "metric_not_a_number"),
        ValidationCase(label: "bound infinite", rule: rule(.relativeToBaseline) { $0.bound = .infinity }, field: "bound", code: "metric_not_a_number"),
        ValidationCase(label: "rate bound above 1", rule: rule(.threshold) { $0.metric = .derived(.engagementRate); $0.bound = 1.5 }, field: "bound", code: "out_of_range", params: ["min": "0", "max": "1"]),
        ValidationCase(label: "rate bound as a percent", rule: rule(.threshold) { $0.metric = .stored(.completionRate); $0.bound = 45 }, field: "bound", code: "out_of_range", params: ["min": "0", "max": "1"]),
        ValidationCase(label: "negative reads", rule: rule(.threshold) { $0.bound = -1 }, field: "bound", code: "out_of_range", params: ["min": "0", "max": "1000000000000"]),
        ValidationCase(label: "huge bound", rule: rule(.dayOverDayChange) { $0.bound = -2e12 }, field: "bound", code: "out_of_range", params: ["min": "-1000000000000", "max": "1000000000000"]),
        ValidationCase(label: "either needs a magnitude", rule: rule(.dayOverDayChange) { $0.comparison = .either; $0.bound = -500 }, field: "bound", code: "out_of_range", params: ["min": "0", "max": "1000000000000"]),
        ValidationCase(label: "fall beyond 100 %", rule: rule(.relativeToBaseline) { $0.comparison = .below; $0.bound = -1.2 }, field: "bound", code: "out_of_range", params: ["min": "-1", "max": "100"]),
        ValidationCase(label: "funnel fall", rule: rule(.funnelDropOff) { $0.bound = -0.2 }, field: "bound", code: "out_of_range", params: ["min": "0", "max": "100"]),
        ValidationCase(label: "window too short", rule: rule(.relativeToBaseline) { $0.window = 2 }, field: "window", code: "out_of_range", params: ["min": "3", "max": "365"]),
        ValidationCase(label: "window too long", rule: rule(.postUnderperforming) { $0.window = 366 }, field: "window", code: "out_of_range", params: ["min": "3", "max": "365"]),
        ValidationCase(label: "weekly anomaly needs two weeks", rule: rule(.anomaly) { $0.window = 10; $0.minimumHistory = 5 }, field: "window", code: "out_of_range", params: ["min": "14", "max": "365"]),
        ValidationCase(label: "history beyond the window", rule: rule(.relativeToBaseline) { $0.minimumHistory = 8 }, field: "minimum_history", code: "out_of_range", params: ["min": "1", "max": "7"]),
        ValidationCase(label: "weekly history", rule: rule(.relativeToBaseline) { $0.seasonality = .weekly; $0.window = 28; $0.minimumHistory = 5 }, field: "minimum_history", code: "out_of_range", params: ["min": "1", "max": "4"]),
        ValidationCase(label: "anomaly history", rule: rule(.anomaly) { $0.minimumHistory = 2 }, field: "minimum_history", code: "out_of_range", params: ["min": "3", "max": "28"]),
        ValidationCase(label: "k too small", rule: rule(.anomaly) { $0.k = 0.4 }, field: "k", code: "out_of_range", params: ["min": "0.5", "max": "10"]),
        ValidationCase(label: "k too large", rule: rule(.anomaly) { $0.k = 11 }, field: "k", code: "out_of_range", params: ["min": "0.5", "max": "10"]),
        ValidationCase(label: "k NaN", rule: rule(.anomaly) { $0.k = .nan }, field: "k", code: "metric_not_a_number"),
        ValidationCase(label: "percentile 0", rule: rule(.postUnderperforming) { $0.percentile = 0 }, field: "percentile", code: "out_of_range", params: ["min": "1", "max": "99"]),
        ValidationCase(label: "percentile 100", rule: rule(.postUnderperforming) { $0.percentile = 100 }, field: "percentile", code: "out_of_range", params: ["min": "1", "max": "99"]),
        ValidationCase(label: "negative floor", rule: rule(.anomaly) { $0.minimumDeviation = -1 }, field: "minimum_deviation", code: "out_of_range", params: ["min": "0", "max": "1000000000000"]),
        ValidationCase(label: "rate floor", rule: rule(.anomaly) { $0.metric = .stored(.coverCTR); $0.minimumDeviation = 2 }, field: "minimum_deviation", code: "out_of_range", params: ["min": "0", "max": "1"]),
        ValidationCase(label: "relative floor", rule: rule(.anomaly) { $0.minimumRelativeDeviation = -0.1 }, field: "minimum_relative_deviation", code: "out_of_range", params: ["min": "0", "max": "100"]),
        ValidationCase(label: "volume", rule: rule(.funnelDropOff) { $0.minimumVolume = -5 }, field: "minimum_volume", code: "out_of_range", params: ["min": "0", "max": "1000000000000"]),
        ValidationCase(label: "cool-down negative", rule: rule(.threshold) { $0.cooldownHours = -1 }, field: "cooldown_hours", code: "out_of_range", params: ["min": "0", "max": "720"]),
        ValidationCase(label: "cool-down too long", rule: rule(.anomaly) { $0.cooldownHours = 721 }, field: "cooldown_hours", code: "out_of_range", params: ["min": "0", "max": "720"]),
    ])
    func validation(_ example: ValidationCase) {
        #expect(example.rule.validationErrors() == [ValidationError(field: example.field, code: example.code, params: example.params)])
        #expect(throws: ValidationErrors.self) { try example.rule.validated() }
    }

    @Test("a preset may keep an empty name; unused parameters are not checked; every broken field is reported at once")
    func validationShape() {
        var preset = Self.followersDrop
        #expect(preset.isValid)
        preset.k = -3
        preset.percentile = 0
        preset.window = 0
        #expect(preset.isValid)
        preset.bound = nil
        preset.cooldownHours = 9_999
        preset.name = String(repeating: "x", count: 81)
        #expect(preset.validationErrors().map(\.field) == ["name", "bound", "cooldown_hours"])
        // A rule that does not validate is not judged.
        #expect(preset.evaluate(series: Self.series([0: -900]), on: Self.day(0)).outcome == .skipped(.invalidRule))
    }

    @Test("a rule evaluated on the wrong kind of data says so")
    func wrongInput() {
        #expect(Self.postRule.evaluate(series: Self.series([0: 1]), on: Self.day(0)).outcome == .skipped(.wrongInput))
        #expect(Self.followersDrop.evaluate(post: 1, earlierPosts: []).outcome == .skipped(.wrongInput))
        #expect(Self.followersDrop.evaluate(funnel: [:], on: Self.day(0)).outcome == .skipped(.wrongInput))
        #expect(Self.funnelRule.evaluate(series: [:], on: Self.day(0)).outcome == .skipped(.wrongInput))
        #expect(Self.postRule.preview(series: [:], through: Self.day(0)).skipped == [.wrongInput: 90])
    }

    // MARK: Presets, metrics and codes

    @Test("the two ready-made rules are the source material's examples")
    func presets() {
        let drop = Self.followersDrop
        #expect(drop.preset == .followersDrop && drop.kind == .threshold && drop.metric == .stored(.followersNet))
        #expect(drop.comparison == .below && drop.bound == -500 && drop.scope == .allAccounts && drop.enabled && drop.cooldownHours == 24)
        let funnel = Self.funnelRule
        #expect(funnel.preset == .funnelDropOff && funnel.kind == .funnelDropOff && funnel.metric == nil)
        #expect(funnel.comparison == .above && funnel.bound == 0.2 && funnel.window == 7 && funnel.seasonality == .none && funnel.minimumVolume == 100)
        #expect(AlertPreset.allCases.map(\.rawValue) == ["default_followers_drop", "default_funnel_dropoff"])
    }

    @Test("metric keys are unique, round-trip, and encode as the key")
    func metricKeys() throws {
        let keys = AlertMetric.allCases.map(\.key)
        #expect(Set(keys).count == keys.count)
        #expect(AlertMetric.allCases.allSatisfy { AlertMetric(key: $0.key) == $0 })
        #expect(AlertMetric(key: "engagement_rate") == .derived(.engagementRate) && AlertMetric(key: "followers_net") == .stored(.followersNet))
        #expect(AlertMetric(key: "nope") == nil)
        let data = try JSONEncoder().encode([AlertMetric.derived(.engagementRate), .consumption])
        #expect(String(decoding: data, as: UTF8.self) == #"["engagement_rate","consumption"]"#)
        #expect(try JSONDecoder().decode([AlertMetric].self, from: data) == [.derived(.engagementRate), .consumption])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([AlertMetric].self, from: Data(#"["nope"]"#.utf8)) }
        #expect(AlertMetric.derived(.engagementRate).unit == .fraction && AlertMetric.consumption.unit == .count)
    }

    @Test("codes are unique, snake_case and distinct from the outcome codes")
    func codes() {
        let reasons = AlertSkipReason.allCases.map(\.rawValue)
        #expect(Set(reasons).count == reasons.count && !reasons.contains("fired") && !reasons.contains("quiet"))
        let all = reasons + AlertKind.allCases.map(\.rawValue) + AlertComparison.allCases.map(\.rawValue) + AlertSuppression.allCases.map(\.rawValue)
            + AlertState.allCases.map(\.rawValue) + AlertAction.allCases.map(\.rawValue) + AlertScope.Kind.allCases.map(\.rawValue)
        #expect(all.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "_" } })
        #expect(AlertOutcome.skipped(.noValue).code == "no_value" && AlertOutcome.fired.code == "fired")
        #expect(AlertScope(kind: .group, id: "grp_1") == .group("grp_1") && AlertScope(kind: .account, id: nil) == nil)
        #expect(AlertScope.account("acc_1").kind == .account && AlertScope.allAccounts.id == nil)
    }

    // MARK: Preview

    /// 120 days of net follower changes around +50, with falls on days 20 (−600), 50 (−501), 51 (−800), 90 (−499) and 100 (−1,000).
    static let followerDays: [Int: Double] = {
        var values = Dictionary(uniqueKeysWithValues: (0..<120).map { ($0, 50.0 + Double($0 % 5)) })
        for (offset, value) in [20: -600.0, 50: -501, 51: -800, 90: -499, 100: -1_000] { values[offset] = value }
        return values
    }()

    @Test("preview over the last 90 days: would have fired 3 times", arguments: [
        (24, [50, 51, 100], []), (48, [50, 100], [51]), (0, [50, 51, 100], []), (720, [50, 100], [51]),
    ] as [(Int, [Int], [Int])])
    func previewFollowers(cooldown: Int, alerts: [Int], suppressed: [Int]) {
        var rule = Self.followersDrop
        rule.cooldownHours = cooldown
        let preview = rule.preview(series: Self.series(Self.followerDays), through: Self.day(119))
        #expect(preview.count == alerts.count)
        #expect(preview.alerts.map(\.occasion) == alerts.map { .day(Self.day($0)) })
        #expect(preview.suppressed.map(\.occasion) == suppressed.map { .day(Self.day($0)) })
        #expect(preview.judged == 90 && preview.skipped.isEmpty)
        #expect(preview.alerts.first?.evaluation.evidence.observed == -501)
    }

    @Test("preview: missing days are counted by reason; a shorter look-back sees less")
    func previewGaps() {
        var values = Self.followerDays
        for offset in [60, 61, 62, 100] { values[offset] = nil }
        let preview = Self.followersDrop.preview(series: Self.series(values), through: Self.day(119))
        #expect(preview.count == 2 && preview.judged == 86 && preview.skipped == [.noValue: 4])
        #expect(Self.followersDrop.preview(series: Self.series(values), through: Self.day(119), days: 30).count == 0)
        #expect(Self.followersDrop.preview(series: Self.series(values), through: Self.day(119), days: 10_000).judged == 116)
    }

    @Test("preview judges each day only on the days up to it")
    func previewNoLookAhead() {
        var values = Self.weeklySeries(weeks: 16, seed: 21, noise: 0.04)
        values[100] = 6_000
        values[101] = 6_000
        let series = Self.series(values)
        let preview = Self.anomalyRule.preview(series: series, through: Self.day(111))
        for firing in preview.alerts + preview.suppressed {
            guard case .day(let day) = firing.occasion else { Issue.record("not a day"); continue }
            let past = series.filter { $0.key <= day }
            #expect(Self.anomalyRule.evaluate(series: past, on: day) == firing.evaluation)
        }
        // The two spike days are 24 hours apart, so with the default cool-down both raise.
        #expect(preview.alerts.map(\.occasion) == [.day(Self.day(100)), .day(Self.day(101))])
    }

    @Test("preview of a funnel stage and of an account's posts")
    func previewFunnelAndPosts() {
        var days: [LocalDate: FunnelStageCounts] = [:]
        for offset in 0..<100 { days[Self.day(offset)] = FunnelStageCounts(entered: 1_000, advanced: 600 + Double(offset % 3)) }
        days[Self.day(40)] = FunnelStageCounts(entered: 1_000, advanced: 450)
        days[Self.day(41)] = FunnelStageCounts(entered: 1_000, advanced: 450)
        days[Self.day(70)] = FunnelStageCounts(entered: 30, advanced: 1)
        var rule = Self.funnelRule
        rule.cooldownHours = 48
        let funnel = rule.preview(funnel: days, through: Self.day(99))
        #expect(funnel.alerts.map(\.occasion) == [.day(Self.day(40))] && funnel.suppressed.count == 1)
        #expect(funnel.skipped == [.belowMinimumVolume: 1])

        let start = Date(timeIntervalSince1970: 1_780_000_000)
        var posts = Self.views30.enumerated().map { AlertPost(id: "pst_\($0.offset)", publishedAt: start.addingTimeInterval(Double($0.offset) * 86_400), value: $0.element) }
        posts.append(AlertPost(id: "pst_low", publishedAt: start.addingTimeInterval(31 * 86_400), value: 90))
        posts.append(AlertPost(id: "pst_none", publishedAt: start.addingTimeInterval(32 * 86_400), value: nil))
        let through = start.addingTimeInterval(33 * 86_400)
        let preview = Self.postRule.preview(posts: posts.reversed(), through: through)
        // Posts 0–9 lack ten earlier ones; of the rest, those below their own earlier posts' 25th percentile fire.
        #expect(preview.skipped == [.insufficientHistory: 10, .noValue: 1])
        #expect(preview.judged == 21)
        #expect(preview.alerts.contains { $0.occasion == .post(id: "pst_low", at: start.addingTimeInterval(31 * 86_400 + 86_400)) })
        for firing in preview.alerts {
            guard case .post(let id, _) = firing.occasion, let index = posts.firstIndex(where: { $0.id == id }) else { continue }
            #expect(Self.postRule.evaluate(post: posts[index].value, earlierPosts: posts[..<index].map(\.value)) == firing.evaluation)
        }
        #expect(Self.postRule.preview(posts: posts, through: through, days: 1).judged == 0)
    }
}
