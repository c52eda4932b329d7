import Foundation

// The analytics room's statistics engine: is group A (say, posts published
// in the evening) different from group B, and how sure can we be? Pure
// functions over numbers; the sentences that explain a result live in the
// web layer's catalogs. Every test is two-sided at α = 0.05 and reproduces
// SciPy (see Tests/MediaOpsDomainTests/Vectors/significance_vectors.py).

/// Which test compared the two groups.
public enum SignificanceTest: String, CaseIterable, Sendable {
    /// Welch's unequal-variances t-test on the means.
    case welch
    /// The Mann–Whitney U (Wilcoxon rank-sum) test, normal approximation.
    case mannWhitney = "mann_whitney"
    /// Pearson's chi-square test on a 2×2 table of successes and failures.
    case twoProportions = "two_proportions"
}

/// Which way a significant difference goes.
public enum SignificanceDirection: String, CaseIterable, Sendable {
    /// Group A is higher than group B (larger mean, ranks or proportion).
    case aHigher = "a_higher"
    /// Group A is lower than group B.
    case aLower = "a_lower"
}

/// How many posts each group would need for the observed effect to be
/// detected with 80 % power by a two-sided test at α = 0.05.
///
/// This is a "post-hoc" estimate that takes the observed effect as the true
/// one; it is a guide to the order of magnitude, not a promise.
public struct SampleSizeEstimate: Sendable, Equatable {
    /// Posts per group (equal groups) for 80 % power; at least 2, and at most
    /// `Significance.maximumSampleSize` (an effect so small that more would be
    /// needed is reported at that cap).
    public var requiredPerGroup: Int
    /// How many more group A needs: max(0, requiredPerGroup − nA).
    public var additionalA: Int
    /// How many more group B needs: max(0, requiredPerGroup − nB).
    public var additionalB: Int

    public init(requiredPerGroup: Int, additionalA: Int, additionalB: Int) {
        self.requiredPerGroup = requiredPerGroup
        self.additionalA = additionalA
        self.additionalB = additionalB
    }

    /// The larger of the two shortfalls: 0 when both groups are already large enough.
    public var additionalPerGroup: Int { max(additionalA, additionalB) }
}

/// What a result means, as numbers for the web layer to put into words.
public enum SignificanceVerdict: Sendable, Equatable {
    /// p < 0.05: the groups differ, in `direction`. `difference` is the
    /// result's difference (A − B, see `SignificanceResult.difference`).
    case significant(direction: SignificanceDirection, pValue: Double, difference: Double)
    /// p ≥ 0.05: the data are not enough to tell (数据不足以判断). `sampleSize`
    /// says how many more posts might settle it, nil when the observed effect is zero.
    case insufficientData(pValue: Double, sampleSize: SampleSizeEstimate?)
}

/// One comparison of group A with group B.
public struct SignificanceResult: Sendable, Equatable {
    public var test: SignificanceTest
    /// Welch: t. Mann–Whitney: U of sample A (U1, as SciPy reports it).
    /// Two proportions: Pearson's chi-square without continuity correction.
    public var statistic: Double
    /// The two-sided p-value.
    public var pValue: Double
    /// Welch: the Welch–Satterthwaite degrees of freedom. Two proportions: 1.
    /// Mann–Whitney: nil.
    public var degreesOfFreedom: Double?
    /// Welch: mean A − mean B. Two proportions: p_A − p_B.
    /// Mann–Whitney: the Hodges–Lehmann estimate of the shift, the median of
    /// all nA·nB differences a_i − b_j (not median A − median B, which
    /// `medianA` and `medianB` give).
    public var difference: Double
    /// The 95 % confidence interval of `difference`. Welch: from the t
    /// distribution with the Welch df. Two proportions: Wald. Mann–Whitney:
    /// the distribution-free interval for the shift (see
    /// `Significance.mannWhitney`), nil when the samples are too small for one.
    public var ciLow: Double?
    public var ciHigh: Double?
    /// Values in each group (two proportions: trials).
    public var nA: Int
    public var nB: Int
    /// Welch: the means and sample standard deviations (n − 1).
    public var meanA: Double?
    public var meanB: Double?
    public var sdA: Double?
    public var sdB: Double?
    /// Mann–Whitney: the medians.
    public var medianA: Double?
    public var medianB: Double?
    /// Two proportions: successes / trials.
    public var proportionA: Double?
    public var proportionB: Double?
    /// How many posts would detect the observed effect; nil when it is zero.
    public var sampleSize: SampleSizeEstimate?
    public var verdict: SignificanceVerdict

    public init(
        test: SignificanceTest, statistic: Double, pValue: Double, degreesOfFreedom: Double?,
        difference: Double, ciLow: Double?, ciHigh: Double?, nA: Int, nB: Int,
        meanA: Double? = nil, meanB: Double? = nil, sdA: Double? = nil, sdB: Double? = nil,
        medianA: Double? = nil, medianB: Double? = nil, proportionA: Double? = nil, proportionB: Double? = nil,
        sampleSize: SampleSizeEstimate?, verdict: SignificanceVerdict
    ) {
        self.test = test
        self.statistic = statistic
        self.pValue = pValue
        self.degreesOfFreedom = degreesOfFreedom
        self.difference = difference
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.nA = nA
        self.nB = nB
        self.meanA = meanA
        self.meanB = meanB
        self.sdA = sdA
        self.sdB = sdB
        self.medianA = medianA
        self.medianB = medianB
        self.proportionA = proportionA
        self.proportionB = proportionB
        self.sampleSize = sampleSize
        self.verdict = verdict
    }
}

/// Input a test cannot use, naming the field: "a" and "b" (the samples),
/// "a_successes", "a_trials", "b_successes", "b_trials", "p_values".
public struct SignificanceInputError: Error, Sendable, Equatable {
    public enum Problem: String, CaseIterable, Sendable {
        /// Fewer than `Significance.minimumValues` values.
        case tooFewValues = "significance_too_few_values"
        /// More than `Significance.maximumValues` values.
        case tooManyValues = "significance_too_many_values"
        /// NaN or an infinity (`index` is its position).
        case notFinite = "significance_not_finite"
        /// A value beyond ±`Significance.maximumMagnitude` (`index` is its position).
        case outOfRange = "significance_out_of_range"
        /// A count below zero.
        case negativeCount = "significance_negative_count"
        /// More successes than trials.
        case successesAboveTrials = "significance_successes_above_trials"
        /// No trials at all.
        case noTrials = "significance_no_trials"
        /// More than `Significance.maximumTrials` trials.
        case tooManyTrials = "significance_too_many_trials"
        /// Welch: neither sample varies, so there is no standard error (field "a").
        case zeroVariance = "significance_zero_variance"
        /// Mann–Whitney: every value of both samples is the same (field "a").
        case allValuesIdentical = "significance_all_values_identical"
        /// Holm: a p-value outside [0, 1] or not a number (`index` is its position).
        case notAProbability = "significance_not_a_probability"
    }

    public var field: String
    public var problem: Problem
    /// The offending value's position in the field's list, where there is one.
    public var index: Int?

    public init(field: String, problem: Problem, index: Int? = nil) {
        self.field = field
        self.problem = problem
        self.index = index
    }

    /// The same, as the project's validation error (`code` is the problem's
    /// raw value; `params` carry the index and the limits the catalog may quote).
    public var validationError: ValidationError {
        var params: [String: String] = [:]
        if let index { params["index"] = String(index) }
        switch problem {
        case .tooFewValues: params["min"] = String(Significance.minimumValues)
        case .tooManyValues: params["max"] = String(Significance.maximumValues)
        case .tooManyTrials: params["max"] = String(Significance.maximumTrials)
        default: break
        }
        return ValidationError(field: field, code: problem.rawValue, params: params)
    }
}

/// The tests. All are two-sided; "significant" means p < `alpha`.
public enum Significance {
    /// The significance level of the verdicts and of the sample-size estimates.
    public static let alpha = 0.05
    /// The power the sample-size estimates aim for.
    public static let power = 0.8
    /// z_{0.975} = `scipy.stats.norm.ppf(0.975)`.
    public static let z975 = 1.959963984540054
    /// z_{0.8} = `scipy.stats.norm.ppf(0.8)`.
    public static let z80 = 0.8416212335729143
    /// The fewest values a sample may have.
    public static let minimumValues = 2
    /// The most values a sample may have.
    public static let maximumValues = 100_000
    /// The largest magnitude a value may have (so no sum or square overflows).
    public static let maximumMagnitude = 1e100
    /// The most trials a proportion may have.
    public static let maximumTrials = 1_000_000_000_000
    /// The cap on `SampleSizeEstimate.requiredPerGroup`.
    public static let maximumSampleSize = 1_000_000_000_000

    // MARK: Welch

    /// Welch's t-test, as `scipy.stats.ttest_ind(a, b, equal_var=False)`:
    /// t = (mean A − mean B) / se with se = √(s_A²/n_A + s_B²/n_B), the
    /// Welch–Satterthwaite df, and the two-sided p from Student's t with that df.
    ///
    /// `difference` is mean A − mean B and its 95 % interval is
    /// difference ± t.ppf(0.975, df) · se (as SciPy's `confidence_interval()`).
    /// The sample size is the normal approximation
    /// n = 2 ((z_{0.975} + z_{0.8}) σ / δ)² with σ² = (s_A² + s_B²) / 2.
    ///
    /// Throws when a sample has fewer than 2 or more than 100,000 values, a
    /// value is not finite or beyond ±1e100, or neither sample varies
    /// (field "a", `.zeroVariance`: the standard error would be zero).
    public static func welch(_ a: [Double], _ b: [Double]) throws(SignificanceInputError) -> SignificanceResult {
        try validate(a, field: "a")
        try validate(b, field: "b")
        let meanA = mean(a)
        let meanB = mean(b)
        let sdA = standardDeviation(a, mean: meanA)
        let sdB = standardDeviation(b, mean: meanB)
        if sdA == 0 && sdB == 0 { throw SignificanceInputError(field: "a", problem: .zeroVariance) }
        let nA = Double(a.count)
        let nB = Double(b.count)
        // Standard errors without squaring the standard deviations first, so
        // tiny or huge scales neither underflow nor overflow.
        let seA = sdA / nA.squareRoot()
        let seB = sdB / nB.squareRoot()
        let se = hypot(seA, seB)
        let shareA = (seA / se) * (seA / se)
        let shareB = (seB / se) * (seB / se)
        let df = 1 / (shareA * shareA / (nA - 1) + shareB * shareB / (nB - 1))
        let difference = meanA - meanB
        let t = difference / se
        let p = SpecialFunctions.studentTTwoSided(t, df: df)
        let margin = SpecialFunctions.studentTQuantile(0.975, df: df) * se
        let sampleSize = additionalSamplesNeeded(welchDifference: difference, sdA: sdA, sdB: sdB, nA: a.count, nB: b.count)
        return SignificanceResult(
            test: .welch, statistic: t, pValue: p, degreesOfFreedom: df,
            difference: difference, ciLow: difference - margin, ciHigh: difference + margin,
            nA: a.count, nB: b.count, meanA: meanA, meanB: meanB, sdA: sdA, sdB: sdB,
            sampleSize: sampleSize, verdict: verdict(p: p, effect: difference, difference: difference, sampleSize: sampleSize)
        )
    }

    // MARK: Mann–Whitney

    /// The Mann–Whitney U test, as `scipy.stats.mannwhitneyu(a, b,
    /// alternative="two-sided", method="asymptotic", use_continuity=True)`:
    /// average ranks for ties, the tie-corrected variance, a continuity
    /// correction of ½, and `statistic` = U1 = R_A − n_A(n_A+1)/2.
    ///
    /// `difference` is the Hodges–Lehmann shift estimate, the median of the
    /// n_A·n_B differences a_i − b_j. Its 95 % interval is the
    /// distribution-free one (Bauer 1972; Hollander & Wolfe §4.3):
    /// [D_(k), D_(n_A n_B + 1 − k)] over the sorted differences, with
    /// k = ⌊n_A n_B / 2 + ½ − z_{0.975} √(n_A n_B (n_A + n_B + 1) / 12)⌋, the
    /// normal approximation with continuity correction of U's lower 2.5 %
    /// point. It assumes continuous data: its k uses the variance without the
    /// tie correction, so with many ties it is approximate and may disagree
    /// with the p-value near the boundary. When k < 1 (samples too small for
    /// any 95 % interval, e.g. 2 against 2) the interval is nil. The medians
    /// are in `medianA` and `medianB`.
    ///
    /// The sample size is Noether's (1987) formula for equal groups,
    /// n = (z_{0.975} + z_{0.8})² / (6 (P̂ − ½)²), with P̂ = U1 / (n_A n_B) the
    /// estimated P(A > B) + ½ P(A = B).
    ///
    /// Throws when a sample has fewer than 2 or more than 100,000 values, a
    /// value is not finite or beyond ±1e100, or every value of both samples
    /// is the same (field "a", `.allValuesIdentical`).
    public static func mannWhitney(_ a: [Double], _ b: [Double]) throws(SignificanceInputError) -> SignificanceResult {
        try validate(a, field: "a")
        try validate(b, field: "b")
        let sortedA = a.sorted()
        let sortedB = b.sorted()
        let n1 = Double(a.count)
        let n2 = Double(b.count)
        let n = n1 + n2

        // Rank sum of A with average ranks for ties, merging the two sorted samples.
        var rankSumA = 0.0
        var tieTerm = 0  // Σ (t³ − t) over tie groups; exact in Int up to 100,000 + 100,000 values
        var i = 0
        var j = 0
        var position = 0  // values already ranked
        while i < sortedA.count || j < sortedB.count {
            let value: Double
            if j == sortedB.count || (i < sortedA.count && sortedA[i] <= sortedB[j]) { value = sortedA[i] } else { value = sortedB[j] }
            var inA = 0
            while i < sortedA.count && sortedA[i] == value { inA += 1; i += 1 }
            var inB = 0
            while j < sortedB.count && sortedB[j] == value { inB += 1; j += 1 }
            let size = inA + inB
            // Ranks position+1 ... position+size share their average.
            let averageRank = Double(2 * position + size + 1) / 2
            rankSumA += averageRank * Double(inA)
            tieTerm += size * size * size - size
            position += size
        }
        if sortedA.first == sortedA.last, sortedB.first == sortedB.last, sortedA.first == sortedB.first {
            throw SignificanceInputError(field: "a", problem: .allValuesIdentical)
        }
        let u1 = rankSumA - n1 * (n1 + 1) / 2
        let u2 = n1 * n2 - u1
        let u = max(u1, u2)
        let mu = n1 * n2 / 2
        let s = (n1 * n2 / 12 * ((n + 1) - Double(tieTerm) / (n * (n - 1)))).squareRoot()
        let z = (u - mu - 0.5) / s
        let p = min(1, max(0, 2 * SpecialFunctions.normalSurvival(z)))

        // Hodges–Lehmann estimate and its interval.
        let pairs = a.count * b.count
        let differences = PairwiseDifferences(a: sortedA, b: sortedB)
        let estimate: Double
        if pairs % 2 == 1 {
            estimate = differences.orderStatistic((pairs + 1) / 2)
        } else {
            let lower = differences.orderStatistic(pairs / 2)
            estimate = (lower + differences.orderStatistic(after: pairs / 2, kth: lower)) / 2
        }
        let spread = (n1 * n2 * (n + 1) / 12).squareRoot()
        let k = Int((Double(pairs) / 2 + 0.5 - z975 * spread).rounded(.down))
        var ciLow: Double?
        var ciHigh: Double?
        if k >= 1 {
            ciLow = differences.orderStatistic(k)
            ciHigh = differences.orderStatistic(pairs + 1 - k)
        }

        let sampleSize = additionalSamplesNeeded(probabilityAHigher: u1 / (n1 * n2), nA: a.count, nB: b.count)
        return SignificanceResult(
            test: .mannWhitney, statistic: u1, pValue: p, degreesOfFreedom: nil,
            difference: estimate, ciLow: ciLow, ciHigh: ciHigh, nA: a.count, nB: b.count,
            medianA: median(sortedA), medianB: median(sortedB),
            sampleSize: sampleSize, verdict: verdict(p: p, effect: u1 - mu, difference: estimate, sampleSize: sampleSize)
        )
    }

    // MARK: Two proportions

    /// Two proportions, as `scipy.stats.chi2_contingency([[s_A, n_A − s_A],
    /// [s_B, n_B − s_B]], correction=False)`: Pearson's chi-square with one
    /// degree of freedom and its p-value. `difference` is p_A − p_B and its
    /// interval the Wald one, difference ± z_{0.975} √(p_A(1−p_A)/n_A +
    /// p_B(1−p_B)/n_B) (not clipped to [−1, 1]).
    ///
    /// When neither group has a success, or neither a failure, SciPy refuses
    /// the table (an expected count is zero); here the statistic is 0 and p is
    /// 1: nothing tells the groups apart.
    ///
    /// The sample size is n = (z_{0.975} + z_{0.8})² (p_A(1−p_A) + p_B(1−p_B)) / (p_A − p_B)².
    ///
    /// Throws, checking A before B and successes before trials, for a negative
    /// count, zero trials, more than 10¹² trials, or more successes than trials.
    public static func twoProportions(aSuccesses: Int, aTrials: Int, bSuccesses: Int, bTrials: Int) throws(SignificanceInputError) -> SignificanceResult {
        try validate(successes: aSuccesses, trials: aTrials, group: "a")
        try validate(successes: bSuccesses, trials: bTrials, group: "b")
        let a = Double(aSuccesses)
        let b = Double(aTrials - aSuccesses)
        let c = Double(bSuccesses)
        let d = Double(bTrials - bSuccesses)
        let rowA = Double(aTrials)
        let rowB = Double(bTrials)
        let total = rowA + rowB
        let successes = a + c
        let failures = b + d
        let statistic: Double
        if successes == 0 || failures == 0 {
            statistic = 0
        } else {
            // χ² = N (ad − bc)² / (row A · row B · successes · failures); ad − bc
            // with both products' rounding errors recovered, so near-equal
            // proportions do not cancel away.
            let ad = a * d
            let bc = b * c
            let cross = (ad - bc) + (fma(a, d, -ad) - fma(b, c, -bc))
            statistic = total * cross * cross / (rowA * rowB * successes * failures)
        }
        let p = SpecialFunctions.chiSquare1Survival(statistic)
        let proportionA = a / rowA
        let proportionB = c / rowB
        let difference = proportionA - proportionB
        let se = (proportionA * (1 - proportionA) / rowA + proportionB * (1 - proportionB) / rowB).squareRoot()
        let sampleSize = additionalSamplesNeeded(proportionA: proportionA, proportionB: proportionB, nA: aTrials, nB: bTrials)
        return SignificanceResult(
            test: .twoProportions, statistic: statistic, pValue: p, degreesOfFreedom: 1,
            difference: difference, ciLow: difference - z975 * se, ciHigh: difference + z975 * se,
            nA: aTrials, nB: bTrials, proportionA: proportionA, proportionB: proportionB,
            sampleSize: sampleSize, verdict: verdict(p: p, effect: difference, difference: difference, sampleSize: sampleSize)
        )
    }

    // MARK: Holm–Bonferroni

    /// Holm–Bonferroni adjusted p-values, in the order given, as
    /// `statsmodels.stats.multitest.multipletests(p, method="holm")[1]`: sorted
    /// ascending, the i-th smallest (from 0) times (m − i), made monotone by a
    /// running maximum, capped at 1. Reject where the adjusted p < `alpha`.
    ///
    /// Throws `.notAProbability` (field "p_values", with the index) for a
    /// value outside [0, 1] or NaN.
    public static func holm(_ pValues: [Double]) throws(SignificanceInputError) -> [Double] {
        for (index, p) in pValues.enumerated() where !(p >= 0 && p <= 1) {
            throw SignificanceInputError(field: "p_values", problem: .notAProbability, index: index)
        }
        let m = pValues.count
        let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
        var adjusted = [Double](repeating: 0, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, pValues[index] * Double(m - rank))
            adjusted[index] = min(1, running)
        }
        return adjusted
    }

    // MARK: Sample sizes

    /// For a difference of means: the normal approximation
    /// n = 2 ((z_{0.975} + z_{0.8}) σ / δ)² with σ² = (s_A² + s_B²) / 2, i.e.
    /// (z_{0.975} + z_{0.8})² (s_A² + s_B²) / δ². Nil when δ is zero.
    public static func additionalSamplesNeeded(welchDifference difference: Double, sdA: Double, sdB: Double, nA: Int, nB: Int) -> SampleSizeEstimate? {
        guard difference != 0, difference.isFinite else { return nil }
        let root = (z975 + z80) * hypot(sdA, sdB) / abs(difference)
        return estimate(perGroup: root * root, nA: nA, nB: nB)
    }

    /// For two proportions: n = (z_{0.975} + z_{0.8})² (p_A(1−p_A) + p_B(1−p_B)) / (p_A − p_B)².
    /// Nil when the proportions are equal.
    public static func additionalSamplesNeeded(proportionA: Double, proportionB: Double, nA: Int, nB: Int) -> SampleSizeEstimate? {
        let difference = proportionA - proportionB
        guard difference != 0, difference.isFinite else { return nil }
        let variance = proportionA * (1 - proportionA) + proportionB * (1 - proportionB)
        let z = z975 + z80
        return estimate(perGroup: z * z * variance / (difference * difference), nA: nA, nB: nB)
    }

    /// For Mann–Whitney, Noether's formula for equal groups:
    /// n = (z_{0.975} + z_{0.8})² / (6 (P − ½)²), with P = P(A > B) + ½ P(A = B)
    /// (estimated by U1 / (n_A n_B)). Nil when P is ½.
    public static func additionalSamplesNeeded(probabilityAHigher: Double, nA: Int, nB: Int) -> SampleSizeEstimate? {
        let shift = probabilityAHigher - 0.5
        guard shift != 0, shift.isFinite else { return nil }
        let z = z975 + z80
        return estimate(perGroup: z * z / (6 * shift * shift), nA: nA, nB: nB)
    }

    private static func estimate(perGroup n: Double, nA: Int, nB: Int) -> SampleSizeEstimate {
        let capped = min(n.rounded(.up), Double(maximumSampleSize))
        let required = max(minimumValues, capped.isNaN ? maximumSampleSize : Int(capped))
        return SampleSizeEstimate(requiredPerGroup: required, additionalA: max(0, required - nA), additionalB: max(0, required - nB))
    }

    // MARK: Pieces

    private static func verdict(p: Double, effect: Double, difference: Double, sampleSize: SampleSizeEstimate?) -> SignificanceVerdict {
        if p < alpha, effect != 0 {
            return .significant(direction: effect > 0 ? .aHigher : .aLower, pValue: p, difference: difference)
        }
        return .insufficientData(pValue: p, sampleSize: sampleSize)
    }

    /// The checks a sample passes before any test runs (count, finiteness,
    /// magnitude), public so that a form can check both samples and show
    /// every broken rule at once instead of the first.
    public static func validate(_ values: [Double], field: String) throws(SignificanceInputError) {
        if values.count < minimumValues { throw SignificanceInputError(field: field, problem: .tooFewValues) }
        if values.count > maximumValues { throw SignificanceInputError(field: field, problem: .tooManyValues) }
        for (index, value) in values.enumerated() {
            if !value.isFinite { throw SignificanceInputError(field: field, problem: .notFinite, index: index) }
            if abs(value) > maximumMagnitude { throw SignificanceInputError(field: field, problem: .outOfRange, index: index) }
        }
    }

    /// The checks one group's counts pass before the test runs; `group` is "a" or "b".
    public static func validate(successes: Int, trials: Int, group: String) throws(SignificanceInputError) {
        if successes < 0 { throw SignificanceInputError(field: "\(group)_successes", problem: .negativeCount) }
        if trials < 0 { throw SignificanceInputError(field: "\(group)_trials", problem: .negativeCount) }
        if trials == 0 { throw SignificanceInputError(field: "\(group)_trials", problem: .noTrials) }
        if trials > maximumTrials { throw SignificanceInputError(field: "\(group)_trials", problem: .tooManyTrials) }
        if successes > trials { throw SignificanceInputError(field: "\(group)_successes", problem: .successesAboveTrials) }
    }

    /// The mean with a compensated (Neumaier) sum.
    public static func mean(_ values: [Double]) -> Double {
        sum(values) / Double(values.count)
    }

    /// The sample standard deviation (n − 1), two-pass, scaled by the largest
    /// deviation so that neither tiny nor huge values under- or overflow.
    static func standardDeviation(_ values: [Double], mean: Double) -> Double {
        var scale = 0.0
        for value in values { scale = max(scale, abs(value - mean)) }
        guard scale > 0 else { return 0 }
        let squares = sum(values.lazy.map { let r = ($0 - mean) / scale; return r * r })
        return scale * (squares / Double(values.count - 1)).squareRoot()
    }

    private static func sum<S: Sequence>(_ values: S) -> Double where S.Element == Double {
        var total = 0.0
        var compensation = 0.0
        for value in values {
            let next = total + value
            if abs(total) >= abs(value) {
                compensation += (total - next) + value
            } else {
                compensation += (value - next) + total
            }
            total = next
        }
        return total + compensation
    }

    /// The median of sorted values (the mean of the middle two for an even count).
    public static func median(_ sorted: [Double]) -> Double {
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// The n_A·n_B differences a_i − b_j of two sorted samples, never built: the
/// k-th smallest is found by bisection over the doubles themselves, counting
/// the differences at or below a candidate in one merge-like pass, so 100,000
/// against 100,000 values (10¹⁰ differences) take some 64 passes each.
struct PairwiseDifferences {
    let a: [Double]  // ascending
    let b: [Double]  // ascending

    /// The k-th smallest computed difference fl(a_i − b_j), k from 1.
    func orderStatistic(_ k: Int) -> Double {
        precondition(k >= 1 && k <= a.count * b.count, "order statistic out of range")
        // The smallest double d with count(≤ d) ≥ k lies in (min − 1 ulp, max];
        // bisect over the doubles' ordered integer keys.
        var low = Self.key(a[0] - b[b.count - 1]) - 1  // count(≤ low) < k
        var high = Self.key(a[a.count - 1] - b[0])      // count(≤ high) = n_A n_B ≥ k
        // The keys of negative and positive doubles can be more than Int64.max
        // apart: the distance is taken unsigned.
        while UInt64(bitPattern: high &- low) > 1 {
            let middle = low &+ Int64(bitPattern: UInt64(bitPattern: high &- low) / 2)
            if count(atMost: Self.value(middle)) >= k { high = middle } else { low = middle }
        }
        return Self.value(high)
    }

    /// The (k+1)-th smallest difference given the k-th, `kth`, in one pass.
    func orderStatistic(after k: Int, kth: Double) -> Double {
        precondition(k >= 1 && k < a.count * b.count, "order statistic out of range")
        if count(atMost: kth) > k { return kth }
        // Otherwise the smallest difference above kth: for each a_i, the last
        // b_j (in ascending order) before the first one with a_i − b_j ≤ kth.
        var smallest = Double.infinity
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var j = 0
                for x in a {
                    while j < b.count && x - b[j] > kth { j += 1 }
                    if j > 0 { smallest = min(smallest, x - b[j - 1]) }
                }
            }
        }
        return smallest
    }

    /// How many differences are ≤ d. fl(a_i − b_j) rises with i and falls
    /// with j, so the first j that qualifies never moves back as i grows.
    func count(atMost d: Double) -> Int {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var total = 0
                var j = 0
                for x in a {
                    while j < b.count && x - b[j] > d { j += 1 }
                    total += b.count - j
                }
                return total
            }
        }
    }

    /// Doubles in the order of their values as Int64 (−0 and +0 both 0).
    static func key(_ x: Double) -> Int64 {
        let bits = Int64(bitPattern: x.bitPattern)
        return bits >= 0 ? bits : Int64.min &- bits
    }

    static func value(_ key: Int64) -> Double {
        Double(bitPattern: UInt64(bitPattern: key >= 0 ? key : Int64.min &- key))
    }
}
