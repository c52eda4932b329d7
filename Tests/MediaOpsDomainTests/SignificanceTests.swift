import Foundation
@testable import MediaOpsDomain
import Testing

// The expected numbers below were produced by SciPy 1.17.1 and statsmodels
// 0.15.0 with
//
//     python3 Tests/MediaOpsDomainTests/Vectors/significance_vectors.py
//
// (that script is documentation: CI never runs it). The Mann–Whitney shift and
// its interval have no SciPy counterpart; the script computes them by brute
// force, sorting all n_A·n_B differences with NumPy. The sample sizes are the
// script's own arithmetic on SciPy's means, deviations and U.

// BEGIN VECTORS (compiled on their own by the vector check, without Testing)

/// The cases the vector script prints, and the samples they use.
enum SignificanceVectors {
    /// The 64-bit LCG of significance_vectors.py: the large samples are made
    /// here and there alike instead of pasting hundreds of numbers.
    struct LCG {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / 9007199254740992.0
        }
    }

    enum Sample: Sendable, CustomStringConvertible {
        case values([Double])
        /// center + scale · (u1 + u2 + u3 + u4 − 2): bell-shaped.
        case normalish(seed: UInt64, count: Int, center: Double, scale: Double)
        /// ⌊scale · u²⌋: skewed whole numbers with ties, like view counts.
        case skewed(seed: UInt64, count: Int, scale: Double)

        var values: [Double] {
            switch self {
            case .values(let values):
                return values
            case .normalish(let seed, let count, let center, let scale):
                var generator = LCG(state: seed)
                return (0..<count).map { _ in
                    let u1 = generator.next(), u2 = generator.next(), u3 = generator.next(), u4 = generator.next()
                    return center + scale * (u1 + u2 + u3 + u4 - 2.0)
                }
            case .skewed(let seed, let count, let scale):
                var generator = LCG(state: seed)
                return (0..<count).map { _ in
                    let u = generator.next()
                    return (scale * u * u).rounded(.down)
                }
            }
        }

        var description: String {
            switch self {
            case .values(let values): return "\(values.count) values"
            case .normalish(let seed, let count, _, _): return "normalish(\(seed), \(count))"
            case .skewed(let seed, let count, _): return "skewed(\(seed), \(count))"
            }
        }
    }

    static func SampleSize(_ required: Int, _ additionalA: Int, _ additionalB: Int) -> SampleSizeEstimate {
        SampleSizeEstimate(requiredPerGroup: required, additionalA: additionalA, additionalB: additionalB)
    }

    struct WelchCase: Sendable, CustomStringConvertible {
        var name: String
        var a: Sample
        var b: Sample
        var t: Double
        var p: Double
        var df: Double
        var difference: Double
        var ci: (low: Double, high: Double)
        var size: SampleSizeEstimate?
        init(_ name: String, _ a: Sample, _ b: Sample, t: Double, p: Double, df: Double, difference: Double,
             ci: (Double, Double), size: SampleSizeEstimate?) {
            self.name = name; self.a = a; self.b = b; self.t = t; self.p = p; self.df = df
            self.difference = difference; self.ci = ci; self.size = size
        }
        var description: String { name }
    }

    struct MannWhitneyCase: Sendable, CustomStringConvertible {
        var name: String
        var a: Sample
        var b: Sample
        var u: Double
        var p: Double
        var shift: Double
        var ci: (low: Double, high: Double)?
        var medians: (a: Double, b: Double)
        var size: SampleSizeEstimate?
        init(_ name: String, _ a: Sample, _ b: Sample, u: Double, p: Double, shift: Double, ci: (Double, Double)?,
             medians: (Double, Double), size: SampleSizeEstimate?) {
            self.name = name; self.a = a; self.b = b; self.u = u; self.p = p; self.shift = shift
            self.ci = ci.map { (low: $0.0, high: $0.1) }; self.medians = medians; self.size = size
        }
        var description: String { name }
    }

    struct ProportionCase: Sendable, CustomStringConvertible {
        var name: String
        var aSuccesses: Int
        var aTrials: Int
        var bSuccesses: Int
        var bTrials: Int
        var chi2: Double
        var p: Double
        var difference: Double
        var ci: (low: Double, high: Double)
        var size: SampleSizeEstimate?
        init(_ name: String, _ aSuccesses: Int, _ aTrials: Int, _ bSuccesses: Int, _ bTrials: Int,
             chi2: Double, p: Double, difference: Double, ci: (Double, Double), size: SampleSizeEstimate?) {
            self.name = name; self.aSuccesses = aSuccesses; self.aTrials = aTrials; self.bSuccesses = bSuccesses
            self.bTrials = bTrials; self.chi2 = chi2; self.p = p; self.difference = difference; self.ci = ci; self.size = size
        }
        var description: String { name }
    }

    /// `scipy.stats.ttest_ind(a, b, equal_var=False)`, its `confidence_interval(0.95)`.
    static let welch: [WelchCase] = [
        WelchCase("n=2 against n=2", .values([1.0, 2.0]), .values([3.0, 5.0]),
                  t: -2.23606797749979, p: 0.19872738893452602, df: 1.4705882352941178, difference: -2.5, ci: (-9.418522830071064, 4.418522830071064), size: SampleSize(4, 2, 2)),
        WelchCase("n=3 against n=3", .values([1.5, 2.5, 4.0]), .values([0.2, 0.1, 0.5]),
                  t: 3.259286857530667, p: 0.07695888374124198, df: 2.1093917464591625, difference: 2.4, ci: (-0.6159309014052794, 5.415930901405279), size: SampleSize(3, 0, 0)),
        WelchCase("n=2 against n=3", .values([10.0, 14.0]), .values([9.0, 11.0, 10.5]),
                  t: 0.8778955729143847, p: 0.5221358661998103, df: 1.1838812708628514, difference: 1.833333333333334, ci: (-16.69578483225603, 20.362451498922695), size: SampleSize(22, 20, 19)),
        WelchCase("unequal sizes and spreads", .values([3.1, 2.9, 3.3, 3.0, 3.2]), .values([1.0, 8.0, 2.0, 9.0, 4.0, 6.0, 3.0, 7.0, 5.0, 10.0, 0.0, 12.0]),
                  t: -2.28744021737304, p: 0.04278311412646285, df: 11.093373750442256, difference: -2.483333333333333, ci: (-4.8703561764151, -0.09631049025156546), size: SampleSize(18, 13, 6)),
        WelchCase("negative numbers", .values([-3.2, -1.1, -4.5, -2.2]), .values([-0.5, 1.2, -1.0, 0.3, 0.0]),
                  t: -3.376924488310137, p: 0.022749138605451625, df: 4.561483524145341, difference: -2.75, ci: (-4.9053569219817446, -0.5946430780182554), size: SampleSize(3, 0, 0)),
        WelchCase("one sample without spread", .values([5.0, 5.0, 5.0]), .values([1.0, 2.0, 3.0, 4.0]),
                  t: 3.872983346207417, p: 0.030466291662170977, df: 3.0, difference: 2.5, ci: (0.4457397432394794, 4.554260256760521), size: SampleSize(3, 0, 0)),
        WelchCase("identical means", .values([1.0, 2.0, 3.0]), .values([3.0, 2.0, 1.0]),
                  t: 0.0, p: 1.0, df: 4.0, difference: 0.0, ci: (-2.266957935527519, 2.266957935527519), size: nil),
        WelchCase("nearly identical means", .values([10.0, 12.0, 11.0, 13.0]), .values([10.001, 12.0, 11.0, 13.0]),
                  t: -0.00027390235691446654, p: 0.9997903371870263, df: 5.999999459946113, difference: -0.00024999999999941735, ci: (-2.2336297453330385, 2.2331297453330397), size: SampleSize(418481369, 418481365, 418481365)),
        WelchCase("a tiny p-value", .values([100.0, 100.1, 99.9, 100.05, 99.95, 100.02]), .values([0.0, 0.1, -0.1, 0.05, -0.05]),
                  t: 2185.143957891814, p: 5.291039189015597e-25, df: 8.22646227220477, difference: 100.00333333333333, ci: (99.89830238014022, 100.10836428652644), size: SampleSize(2, 0, 0)),
        WelchCase("500 against 500, a small shift", .normalish(seed: 1, count: 500, center: 10.0, scale: 3.0), .normalish(seed: 2, count: 500, center: 10.3, scale: 3.0),
                  t: -2.2161061959123622, p: 0.02690930283350871, df: 997.3935084474575, difference: -0.24419090509405805, ci: (-0.4604201068339934, -0.02796170335412268), size: SampleSize(800, 300, 300)),
        WelchCase("500 against 300, unequal spreads", .normalish(seed: 3, count: 500, center: 50.0, scale: 10.0), .normalish(seed: 4, count: 300, center: 48.0, scale: 25.0),
                  t: 2.4538219414921287, p: 0.014618615364203752, df: 351.9949197715224, difference: 2.2197675347847365, ci: (0.44063467333554485, 3.9989003962339282), size: SampleSize(413, 0, 113)),
        WelchCase("500 against 500, an extreme p-value", .normalish(seed: 5, count: 500, center: 1.0, scale: 1.0), .normalish(seed: 6, count: 500, center: 1.8, scale: 1.0),
                  t: -22.48579758176347, p: 6.513156100761083e-91, df: 997.9872961831053, difference: -0.8453969683646854, ci: (-0.9191750746599721, -0.7716188620693987), size: SampleSize(8, 0, 0)),
        WelchCase("view counts in the millions", .values([1200000.0, 3400000.0, 2200000.0, 5100000.0, 900000.0]), .values([800000.0, 1100000.0, 700000.0, 1500000.0]),
                  t: 1.9387067903723139, p: 0.11765868266873719, df: 4.428846792814351, difference: 1535000.0, ci: (-581835.2837512176, 3651835.2837512176), size: SampleSize(11, 6, 7)),
        WelchCase("rates as fractions", .values([0.0123, 0.0145, 0.0101, 0.0167, 0.0139, 0.0121]), .values([0.0098, 0.0111, 0.0087, 0.0125, 0.0104]),
                  t: 2.4523392301422056, p: 0.03824811612859986, df: 8.454309604230023, difference: 0.002766666666666669, ci: (0.00018922605755625644, 0.005344107275777082), size: SampleSize(8, 2, 3)),
        WelchCase("skewed counts, 200 against 150", .skewed(seed: 7, count: 200, scale: 1000.0), .skewed(seed: 8, count: 150, scale: 1300.0),
                  t: -3.488646298966809, p: 0.000568012996635111, df: 265.8287568083723, difference: -131.5966666666667, ci: (-205.8674168110162, -57.32591652231717), size: SampleSize(107, 0, 0)),
    ]

    /// `scipy.stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic", use_continuity=True)`;
    /// the Hodges–Lehmann shift and interval by brute force; `numpy.median`.
    static let mannWhitney: [MannWhitneyCase] = [
        MannWhitneyCase("n=2 against n=2", .values([1.0, 2.0]), .values([3.0, 5.0]),
                        u: 0.0, p: 0.2452781168067728, shift: -2.5, ci: nil, medians: (1.5, 4.0), size: SampleSize(6, 4, 4)),
        MannWhitneyCase("n=3 against n=3", .values([1.5, 2.5, 4.0]), .values([0.2, 0.1, 0.5]),
                        u: 9.0, p: 0.08085559837005224, shift: 2.3, ci: nil, medians: (2.5, 0.2), size: SampleSize(6, 3, 3)),
        MannWhitneyCase("n=2 against n=3 with a tie across", .values([10.0, 14.0]), .values([9.0, 10.0, 10.5]),
                        u: 4.5, p: 0.5536169919657805, shift: 2.25, ci: nil, medians: (12.0, 10.0), size: SampleSize(21, 19, 18)),
        MannWhitneyCase("ties inside and across", .values([1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0]), .values([2.0, 3.0, 3.0, 4.0, 4.0, 5.0]),
                        u: 11.0, p: 0.15778541051796502, shift: -1.0, ci: (-2.0, 0.0), medians: (3.0, 3.5), size: SampleSize(24, 17, 18)),
        MannWhitneyCase("negative numbers", .values([-3.2, -1.1, -4.5, -2.2]), .values([-0.5, 1.2, -1.0, 0.3, 0.0]),
                        u: 0.0, p: 0.019964453305216043, shift: -2.6, ci: (-4.8, -0.6000000000000001), medians: (-2.7, 0.0), size: SampleSize(6, 2, 1)),
        MannWhitneyCase("each sample constant, the two apart", .values([5.0, 5.0, 5.0]), .values([1.0, 1.0, 1.0, 1.0]),
                        u: 12.0, p: 0.024744672046398936, shift: 4.0, ci: nil, medians: (5.0, 1.0), size: SampleSize(6, 3, 2)),
        MannWhitneyCase("the same values in both", .values([1.0, 2.0, 3.0]), .values([3.0, 2.0, 1.0]),
                        u: 4.5, p: 1.0, shift: 0.0, ci: nil, medians: (2.0, 2.0), size: nil),
        MannWhitneyCase("complete separation, 10 against 12", .values([20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0]), .values([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0]),
                        u: 120.0, p: 8.733926588357827e-05, shift: 18.0, ci: (15.0, 21.0), medians: (24.5, 6.5), size: SampleSize(6, 0, 0)),
        MannWhitneyCase("interleaved, 8 against 7", .values([1.0, 4.0, 5.0, 8.0, 9.0, 12.0, 13.0, 16.0]), .values([2.0, 3.0, 6.0, 7.0, 10.0, 11.0, 14.0]),
                        u: 31.0, p: 0.7723374412927805, shift: 1.5, ci: (-5.0, 6.0), medians: (8.5, 7.0), size: SampleSize(456, 448, 449)),
        MannWhitneyCase("mostly zeros (posts without a comment)", .values([0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 2.0, 0.0, 0.0, 3.0]), .values([0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
                        u: 54.5, p: 0.3024836448868149, shift: 0.0, ci: (0.0, 1.0), medians: (0.0, 0.0), size: SampleSize(118, 108, 109)),
        MannWhitneyCase("500 against 500, a small shift", .normalish(seed: 1, count: 500, center: 10.0, scale: 3.0), .normalish(seed: 2, count: 500, center: 10.3, scale: 3.0),
                        u: 114568.0, p: 0.022354770062574875, shift: -0.25959620120845894, ci: (-0.48603278606972644, -0.03772275369856537), medians: (10.029703051618773, 10.341435392121348), size: SampleSize(752, 252, 252)),
        MannWhitneyCase("500 against 300, unequal spreads", .normalish(seed: 3, count: 500, center: 50.0, scale: 10.0), .normalish(seed: 4, count: 300, center: 48.0, scale: 25.0),
                        u: 81348.0, p: 0.04485599355326678, shift: 1.8249696394438288, ci: (0.043711562493314204, 3.650032122331659), medians: (49.944321546878285, 48.599138602926004), size: SampleSize(731, 231, 431)),
        MannWhitneyCase("500 against 500, an extreme p-value", .normalish(seed: 5, count: 500, center: 1.0, scale: 1.0), .normalish(seed: 6, count: 500, center: 1.8, scale: 1.0),
                        u: 39955.0, p: 2.091331284377076e-77, shift: -0.8427949884832838, ci: (-0.9209090961025608, -0.7650898977922465), medians: (0.9726268665296863, 1.7856458812026883), size: SampleSize(12, 0, 0)),
        MannWhitneyCase("skewed counts with ties, 500 against 400", .skewed(seed: 9, count: 500, scale: 100.0), .skewed(seed: 10, count: 400, scale: 120.0),
                        u: 89236.5, p: 0.0054460794266082465, shift: -4.0, ci: (-8.0, -1.0), medians: (23.0, 28.0), size: SampleSize(452, 0, 52)),
        MannWhitneyCase("heavy ties, 300 against 300", .skewed(seed: 11, count: 300, scale: 6.0), .skewed(seed: 12, count: 300, scale: 5.0),
                        u: 48478.5, p: 0.0831451189405834, shift: 0.0, ci: (0.0, 0.0), medians: (1.0, 1.0), size: SampleSize(876, 576, 576)),
    ]

    /// `scipy.stats.chi2_contingency([[sA, nA - sA], [sB, nB - sB]], correction=False)`; Wald interval.
    static let twoProportions: [ProportionCase] = [
        ProportionCase("none in A", 0, 100, 5, 100,
                       chi2: 5.128205128205128, p: 0.023540058261177957, difference: -0.05, ci: (-0.09271642470794705, -0.007283575292052952), size: SampleSize(150, 50, 50)),
        ProportionCase("none in B", 7, 40, 0, 60,
                       chi2: 11.290322580645164, p: 0.0007791214294857331, difference: 0.175, ci: (0.057249138300635535, 0.29275086169936443), size: SampleSize(38, 0, 0)),
        ProportionCase("equal proportions", 10, 100, 20, 200,
                       chi2: 0.0, p: 1.0, difference: 0.0, ci: (-0.07201367514532965, 0.07201367514532965), size: nil),
        ProportionCase("equal counts and trials", 3, 9, 3, 9,
                       chi2: 0.0, p: 1.0, difference: 0.0, ci: (-0.43554755212001206, 0.43554755212001206), size: nil),
        ProportionCase("one trial each", 1, 1, 0, 1,
                       chi2: 2.0, p: 0.15729920705028105, difference: 1.0, ci: (1.0, 1.0), size: SampleSize(2, 1, 1)),
        ProportionCase("small groups", 2, 5, 4, 6,
                       chi2: 0.7822222222222218, p: 0.37646236576763803, difference: -0.2666666666666666, ci: (-0.8382139315639968, 0.3048805982306636), size: SampleSize(52, 47, 46)),
        ProportionCase("every trial a success in A", 50, 50, 45, 50,
                       chi2: 5.2631578947368425, p: 0.021781462791119595, difference: 0.09999999999999998, ci: (0.01684577053901931, 0.18315422946098064), size: SampleSize(71, 21, 21)),
        ProportionCase("a click rate, 100,000 impressions each", 4500, 100000, 4700, 100000,
                       chi2: 4.557469692826542, p: 0.03277546218357422, difference: -0.0020000000000000018, ci: (-0.003836163050649482, -0.00016383694935052126), size: SampleSize(172217, 72217, 72217)),
        ProportionCase("a tiny difference on large groups", 30001, 1000000, 30000, 1000000,
                       chi2: 1.7181853076747403e-05, p: 0.9966926982677677, difference: 1.000000000001e-06, ci: (-0.00047183878260126583, 0.00047383878260126783), size: SampleSize(456812178478, 456811178478, 456811178478)),
        ProportionCase("an extreme p-value", 900, 1000, 100, 1000,
                       chi2: 1280.0, p: 2.509158096763556e-280, difference: 0.8, ci: (0.7737043237827026, 0.8262956762172975), size: SampleSize(3, 0, 0)),
        ProportionCase("unequal group sizes", 12, 80, 40, 150,
                       chi2: 4.058628637280322, p: 0.04394617468048966, difference: -0.11666666666666667, ci: (-0.2221676102057908, -0.011165723127542534), size: SampleSize(187, 107, 37)),
        ProportionCase("a borderline difference", 30, 100, 18, 100,
                       chi2: 3.947368421052632, p: 0.04694472697848181, difference: 0.12, ci: (0.0027948092326871704, 0.23720519076731283), size: SampleSize(195, 95, 95)),
        ProportionCase("large unequal groups", 1234, 56789, 987, 54321,
                       chi2: 17.959809695013405, p: 2.256186395102794e-05, difference: 0.003559791704391333, ci: (0.001916769531196234, 0.005202813877586432), size: SampleSize(24216, 0, 0)),
        ProportionCase("rare events", 1, 10000, 9, 10000,
                       chi2: 6.403201600800401, p: 0.011391475441336157, difference: -0.0007999999999999999, ci: (-0.0014195408642261747, -0.00018045913577382513), size: SampleSize(12254, 2254, 2254)),
        ProportionCase("near-certain events", 995, 1000, 980, 1000,
                       chi2: 9.113924050632912, p: 0.0025367111749684955, difference: 0.015000000000000013, ci: (0.005283835606652286, 0.024716164393347742), size: SampleSize(858, 0, 0)),
    ]

    /// `statsmodels.stats.multitest.multipletests(p, method="holm")[1]`.
    static let holm: [([Double], [Double])] = [
        ([0.01, 0.04, 0.03, 0.005],
         [0.03, 0.06, 0.06, 0.02]),
        ([0.5],
         [0.5]),
        ([0.2, 0.2, 0.2],
         [0.6000000000000001, 0.6000000000000001, 0.6000000000000001]),
        ([0.01, 0.01, 0.04, 0.04],
         [0.04, 0.04, 0.08, 0.08]),
        ([0.9, 0.8, 0.7, 0.6],
         [1.0, 1.0, 1.0, 1.0]),
        ([1e-12, 0.049, 0.0125, 0.3, 0.02],
         [5e-12, 0.098, 0.05, 0.3, 0.06]),
        ([0.0, 1.0],
         [0.0, 1.0]),
        ([0.04, 0.03, 0.02, 0.01, 0.001, 0.5, 0.6, 0.7, 0.8, 0.9],
         [0.24, 0.21, 0.16, 0.09, 0.01, 1.0, 1.0, 1.0, 1.0, 1.0]),
    ]

    /// (t, df, `2 * scipy.stats.t.sf(t, df)`).
    static let studentTTwoSided: [(Double, Double, Double)] = [
        (0.5, 1.0, 0.7048327646991335),
        (2.0, 3.0, 0.13932596855884305),
        (1.96, 10.0, 0.07843624024769971),
        (2.5, 7.3, 0.03965023466560043),
        (4.0, 30.0, 0.0003818456360837564),
        (3.0, 250.0, 0.0029726620911776544),
        (8.0, 2.0, 0.01526807216533814),
        (12.0, 40.0, 7.82417130425598e-15),
    ]

    /// (probability, df, `scipy.stats.t.ppf(probability, df)`).
    static let studentTQuantile: [(Double, Double, Double)] = [
        (0.975, 1.0, 12.706204736174694),
        (0.975, 1.5, 6.016663104427929),
        (0.975, 2.0, 4.302652729749462),
        (0.975, 4.7, 2.62072607535317),
        (0.975, 30.0, 2.0422724563012378),
        (0.975, 998.0, 1.9623438462163343),
        (0.995, 12.0, 3.0545395893929013),
        (0.025, 5.0, -2.5705818356363155),
    ]
}

/// |actual − expected| ≤ relative · |expected| + absolute.
func isClose(_ actual: Double?, _ expected: Double, relative: Double = 1e-10, absolute: Double = 1e-13) -> Bool {
    guard let actual else { return false }
    return abs(actual - expected) <= relative * abs(expected) + absolute
}

// END VECTORS

@Suite("Significance")
struct SignificanceTests {
    typealias V = SignificanceVectors

    /// SciPy's p-values to 1e-12 absolute (the brief asks 1e-9), statistics
    /// and intervals to 1e-10 relative (1e-9 asked).
    static let pTolerance = 1e-12

    // MARK: Against SciPy

    @Test("Welch's t-test matches scipy.stats.ttest_ind(equal_var=False)", arguments: V.welch)
    func welch(_ example: V.WelchCase) throws {
        let a = example.a.values, b = example.b.values
        let result = try Significance.welch(a, b)
        #expect(result.test == .welch)
        #expect(isClose(result.statistic, example.t))
        #expect(abs(result.pValue - example.p) <= Self.pTolerance)
        #expect(isClose(result.degreesOfFreedom, example.df))
        #expect(isClose(result.difference, example.difference, absolute: 1e-12 * (abs(example.ci.low) + abs(example.ci.high))))
        #expect(isClose(result.ciLow, example.ci.low))
        #expect(isClose(result.ciHigh, example.ci.high))
        #expect(result.nA == a.count && result.nB == b.count)
        #expect(result.sampleSize == example.size)
        Self.expectVerdict(result, effectSign: example.difference)
    }

    @Test("Mann–Whitney U matches scipy.stats.mannwhitneyu(method=\"asymptotic\"), with the Hodges–Lehmann shift", arguments: V.mannWhitney)
    func mannWhitney(_ example: V.MannWhitneyCase) throws {
        let a = example.a.values, b = example.b.values
        let result = try Significance.mannWhitney(a, b)
        #expect(result.test == .mannWhitney)
        #expect(result.statistic == example.u)
        #expect(abs(result.pValue - example.p) <= Self.pTolerance)
        #expect(result.degreesOfFreedom == nil)
        // The shift and its interval are order statistics of the same computed differences: exact.
        #expect(result.difference == example.shift)
        #expect(result.ciLow == example.ci?.low)
        #expect(result.ciHigh == example.ci?.high)
        #expect(result.medianA == example.medians.a && result.medianB == example.medians.b)
        #expect(result.sampleSize == example.size)
        Self.expectVerdict(result, effectSign: example.u - Double(a.count * b.count) / 2)
    }

    @Test("two proportions match scipy.stats.chi2_contingency(correction=False), with the Wald interval", arguments: V.twoProportions)
    func twoProportions(_ example: V.ProportionCase) throws {
        let result = try Significance.twoProportions(aSuccesses: example.aSuccesses, aTrials: example.aTrials,
                                                     bSuccesses: example.bSuccesses, bTrials: example.bTrials)
        #expect(result.test == .twoProportions)
        // SciPy sums (observed − expected)², which leaves rounding noise when the statistic is near 0.
        #expect(isClose(result.statistic, example.chi2, absolute: 1e-12))
        #expect(abs(result.pValue - example.p) <= Self.pTolerance)
        #expect(result.degreesOfFreedom == 1)
        #expect(isClose(result.difference, example.difference, absolute: 1e-15))
        #expect(isClose(result.ciLow, example.ci.low, absolute: 1e-15))
        #expect(isClose(result.ciHigh, example.ci.high, absolute: 1e-15))
        #expect(result.proportionA == Double(example.aSuccesses) / Double(example.aTrials))
        #expect(result.nA == example.aTrials && result.nB == example.bTrials)
        #expect(result.sampleSize == example.size)
        Self.expectVerdict(result, effectSign: example.difference)
    }

    @Test("Holm–Bonferroni matches statsmodels' multipletests(method=\"holm\")", arguments: V.holm)
    func holm(_ pValues: [Double], _ expected: [Double]) throws {
        let adjusted = try Significance.holm(pValues)
        #expect(adjusted.count == expected.count)
        for (value, want) in zip(adjusted, expected) { #expect(isClose(value, want, relative: 1e-15, absolute: 0)) }
        // Never below the raw p-value, never above 1, and in the order of the raw p-values.
        #expect(zip(adjusted, pValues).allSatisfy { $0 >= $1 && $0 <= 1 })
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        #expect(zip(order, order.dropFirst()).allSatisfy { adjusted[$0] <= adjusted[$1] })
    }

    @Test("Student's t two-sided tail matches 2 * scipy.stats.t.sf", arguments: V.studentTTwoSided)
    func studentT(_ t: Double, _ df: Double, _ expected: Double) {
        #expect(isClose(SpecialFunctions.studentTTwoSided(t, df: df), expected, relative: 1e-12, absolute: 0))
        #expect(isClose(SpecialFunctions.studentTTwoSided(-t, df: df), expected, relative: 1e-12, absolute: 0))
        #expect(isClose(SpecialFunctions.studentTSurvival(t, df: df), expected / 2, relative: 1e-12, absolute: 0))
    }

    @Test("Student's t quantile matches scipy.stats.t.ppf", arguments: V.studentTQuantile)
    func studentTQuantile(_ probability: Double, _ df: Double, _ expected: Double) {
        #expect(isClose(SpecialFunctions.studentTQuantile(probability, df: df), expected, relative: 1e-13, absolute: 0))
    }

    @Test("normal and chi-square tails, and the z constants")
    func normalAndChiSquare() {
        // scipy.stats.norm.sf(z) for z = 0, 1.96, 5, 10 and chi2.sf(x, 1) for x = 3.84, 20.
        #expect(SpecialFunctions.normalSurvival(0) == 0.5)
        #expect(isClose(SpecialFunctions.normalSurvival(1.96), 0.024997895148220435, relative: 1e-14, absolute: 0))
        #expect(isClose(SpecialFunctions.normalSurvival(5), 2.866515718791933e-07, relative: 1e-14, absolute: 0))
        #expect(isClose(SpecialFunctions.normalSurvival(10), 7.61985302416047e-24, relative: 1e-13, absolute: 0))
        #expect(isClose(SpecialFunctions.normalSurvival(-1.96), 0.9750021048517795, relative: 1e-15, absolute: 0))
        #expect(isClose(SpecialFunctions.chiSquare1Survival(3.84), 0.05004352124870519, relative: 1e-14, absolute: 0))
        #expect(isClose(SpecialFunctions.chiSquare1Survival(20), 7.744216431044088e-06, relative: 1e-13, absolute: 0))
        #expect(SpecialFunctions.chiSquare1Survival(0) == 1)
        #expect(isClose(SpecialFunctions.normalSurvival(Significance.z975), 0.025, relative: 1e-15, absolute: 0))
        #expect(isClose(SpecialFunctions.normalSurvival(Significance.z80), 0.2, relative: 1e-15, absolute: 0))
        // With one degree of freedom t is Cauchy: the quantile is tan(π(p − ½)).
        #expect(isClose(SpecialFunctions.studentTQuantile(0.975, df: 1), tan(Double.pi * 0.475), relative: 1e-14, absolute: 0))
    }

    // MARK: Degenerate but valid input

    @Test("neither group has a success (or a failure): SciPy refuses the table, here χ² is 0 and p is 1", arguments: [
        (0, 50, 0, 80), (50, 50, 80, 80), (0, 1, 0, 1),
    ])
    func noVariation(_ aSuccesses: Int, _ aTrials: Int, _ bSuccesses: Int, _ bTrials: Int) throws {
        let result = try Significance.twoProportions(aSuccesses: aSuccesses, aTrials: aTrials, bSuccesses: bSuccesses, bTrials: bTrials)
        #expect(result.statistic == 0 && result.pValue == 1 && result.difference == 0)
        #expect(result.ciLow == 0 && result.ciHigh == 0)
        #expect(result.verdict == .insufficientData(pValue: 1, sampleSize: nil))
    }

    @Test("swapping the groups mirrors every result")
    func swapped() throws {
        let a = V.Sample.normalish(seed: 21, count: 40, center: 3, scale: 2).values
        let b = V.Sample.skewed(seed: 22, count: 55, scale: 9).values
        let welch = try Significance.welch(a, b), welchSwapped = try Significance.welch(b, a)
        #expect(welchSwapped.statistic == -welch.statistic && welchSwapped.pValue == welch.pValue)
        #expect(welchSwapped.ciLow == -welch.ciHigh! && welchSwapped.ciHigh == -welch.ciLow!)
        let mw = try Significance.mannWhitney(a, b), mwSwapped = try Significance.mannWhitney(b, a)
        #expect(mwSwapped.statistic == Double(a.count * b.count) - mw.statistic && mwSwapped.pValue == mw.pValue)
        #expect(mwSwapped.difference == -mw.difference && mwSwapped.ciLow == -mw.ciHigh! && mwSwapped.ciHigh == -mw.ciLow!)
        let prop = try Significance.twoProportions(aSuccesses: 7, aTrials: 30, bSuccesses: 19, bTrials: 41)
        let propSwapped = try Significance.twoProportions(aSuccesses: 19, aTrials: 41, bSuccesses: 7, bTrials: 30)
        #expect(propSwapped.pValue == prop.pValue && propSwapped.difference == -prop.difference)
    }

    @Test("the order statistics of the pairwise differences agree with sorting them all")
    func pairwiseDifferences() {
        let a = V.Sample.skewed(seed: 31, count: 37, scale: 20).values.sorted()
        let b = V.Sample.normalish(seed: 32, count: 23, center: 5, scale: 4).values.sorted()
        let all = a.flatMap { x in b.map { x - $0 } }.sorted()
        let differences = PairwiseDifferences(a: a, b: b)
        for k in [1, 2, 17, 425, 426, 850, all.count - 1, all.count] {
            #expect(differences.orderStatistic(k) == all[k - 1])
            if k < all.count { #expect(differences.orderStatistic(after: k, kth: all[k - 1]) == all[k]) }
        }
        // Ties among the differences: the next one may equal the k-th.
        let tied = PairwiseDifferences(a: [1, 2, 2, 3], b: [0, 1, 1])
        let tiedAll = [1.0, 2, 2, 3].flatMap { x in [0.0, 1, 1].map { x - $0 } }.sorted()
        for k in 1..<tiedAll.count {
            #expect(tied.orderStatistic(k) == tiedAll[k - 1])
            #expect(tied.orderStatistic(after: k, kth: tiedAll[k - 1]) == tiedAll[k])
        }
        #expect(PairwiseDifferences(a: [-0.0, 0, 1], b: [0, 0]).orderStatistic(1) == 0)
    }

    // MARK: Verdicts and sample sizes

    static func expectVerdict(_ result: SignificanceResult, effectSign: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        if result.pValue < 0.05 {
            let direction: SignificanceDirection = effectSign > 0 ? .aHigher : .aLower
            #expect(result.verdict == .significant(direction: direction, pValue: result.pValue, difference: result.difference), sourceLocation: sourceLocation)
        } else {
            #expect(result.verdict == .insufficientData(pValue: result.pValue, sampleSize: result.sampleSize), sourceLocation: sourceLocation)
        }
    }

    @Test("verdicts: a significant difference has a direction; a non-significant one asks for more posts")
    func verdicts() throws {
        let higher = try Significance.welch([10, 11, 12, 13], [1, 2, 3, 4])
        #expect(higher.verdict == .significant(direction: .aHigher, pValue: higher.pValue, difference: 9))
        let lower = try Significance.twoProportions(aSuccesses: 1, aTrials: 100, bSuccesses: 30, bTrials: 100)
        guard case .significant(.aLower, _, let difference) = lower.verdict else { Issue.record("expected a significant drop"); return }
        #expect(difference == -0.29)
        let unclear = try Significance.mannWhitney([1, 5, 3, 9, 8], [2, 4, 6])
        guard case .insufficientData(let p, let size?) = unclear.verdict else { Issue.record("expected insufficient data"); return }
        #expect(p == unclear.pValue && p >= 0.05)
        #expect(size.additionalA > 0 && size.additionalB > 0 && size.additionalPerGroup == max(size.additionalA, size.additionalB))
    }

    @Test("sample sizes: nil for no effect, 0 more when the groups suffice, capped for vanishing effects")
    func sampleSizes() {
        #expect(Significance.additionalSamplesNeeded(welchDifference: 0, sdA: 1, sdB: 1, nA: 10, nB: 10) == nil)
        #expect(Significance.additionalSamplesNeeded(proportionA: 0.3, proportionB: 0.3, nA: 10, nB: 10) == nil)
        #expect(Significance.additionalSamplesNeeded(probabilityAHigher: 0.5, nA: 10, nB: 10) == nil)
        // δ = σ: n = 2 (1.96 + 0.84)² = 15.7 → 16.
        #expect(Significance.additionalSamplesNeeded(welchDifference: 1, sdA: 1, sdB: 1, nA: 10, nB: 30)
                == SampleSizeEstimate(requiredPerGroup: 16, additionalA: 6, additionalB: 0))
        #expect(Significance.additionalSamplesNeeded(welchDifference: -1, sdA: 1, sdB: 1, nA: 16, nB: 16)?.additionalPerGroup == 0)
        // 10 % against 15 %: (2.80)² (0.09 + 0.1275) / 0.0025 = 682.85 → 683.
        #expect(Significance.additionalSamplesNeeded(proportionA: 0.10, proportionB: 0.15, nA: 500, nB: 700)
                == SampleSizeEstimate(requiredPerGroup: 683, additionalA: 183, additionalB: 0))
        #expect(Significance.additionalSamplesNeeded(welchDifference: 1e-300, sdA: 1, sdB: 1, nA: 2, nB: 2)?.requiredPerGroup
                == Significance.maximumSampleSize)
        // Never fewer than 2 per group, even for an overwhelming effect.
        #expect(Significance.additionalSamplesNeeded(proportionA: 0, proportionB: 1, nA: 1, nB: 1)
                == SampleSizeEstimate(requiredPerGroup: 2, additionalA: 1, additionalB: 1))
    }

    // MARK: Refused input

    enum Call: Sendable, CustomStringConvertible {
        case welch([Double], [Double])
        case mannWhitney([Double], [Double])
        case proportions(Int, Int, Int, Int)

        func run() throws(SignificanceInputError) {
            switch self {
            case .welch(let a, let b): _ = try Significance.welch(a, b)
            case .mannWhitney(let a, let b): _ = try Significance.mannWhitney(a, b)
            case .proportions(let sA, let nA, let sB, let nB): _ = try Significance.twoProportions(aSuccesses: sA, aTrials: nA, bSuccesses: sB, bTrials: nB)
            }
        }

        var description: String {
            switch self {
            case .welch(let a, let b): return "welch(\(a.prefix(4)), \(b.prefix(4)))"
            case .mannWhitney(let a, let b): return "mannWhitney(\(a.prefix(4)), \(b.prefix(4)))"
            case .proportions(let sA, let nA, let sB, let nB): return "proportions(\(sA)/\(nA), \(sB)/\(nB))"
            }
        }
    }

    static let tooMany = [Double](repeating: 1, count: 100_001)

    @Test("refused input names its field", arguments: [
        (Call.welch([1], [1, 2]), SignificanceInputError(field: "a", problem: .tooFewValues)),
        (.welch([], [1, 2]), SignificanceInputError(field: "a", problem: .tooFewValues)),
        (.welch([1, 2], [3]), SignificanceInputError(field: "b", problem: .tooFewValues)),
        (.mannWhitney([1, 2], []), SignificanceInputError(field: "b", problem: .tooFewValues)),
        (.welch(tooMany, [1, 2]), SignificanceInputError(field: "a", problem: .tooManyValues)),
        (.mannWhitney([1, 2], tooMany), SignificanceInputError(field: "b", problem: .tooManyValues)),
        (.welch([1, .nan, 3], [1, 2]), SignificanceInputError(field: "a", problem: .notFinite, index: 1)),
        (.welch([1, 2], [1, 2, .infinity]), SignificanceInputError(field: "b", problem: .notFinite, index: 2)),
        (.mannWhitney([-.infinity, 2], [1, 2]), SignificanceInputError(field: "a", problem: .notFinite, index: 0)),
        (.mannWhitney([1, 2], [3, 1e101]), SignificanceInputError(field: "b", problem: .outOfRange, index: 1)),
        (.welch([4, 4, 4], [4, 4]), SignificanceInputError(field: "a", problem: .zeroVariance)),
        (.welch([4, 4, 4], [7, 7]), SignificanceInputError(field: "a", problem: .zeroVariance)),
        (.mannWhitney([4, 4, 4], [4, 4]), SignificanceInputError(field: "a", problem: .allValuesIdentical)),
        (.proportions(-1, 10, 1, 10), SignificanceInputError(field: "a_successes", problem: .negativeCount)),
        (.proportions(1, -10, 1, 10), SignificanceInputError(field: "a_trials", problem: .negativeCount)),
        (.proportions(1, 10, -1, 10), SignificanceInputError(field: "b_successes", problem: .negativeCount)),
        (.proportions(1, 10, 1, -10), SignificanceInputError(field: "b_trials", problem: .negativeCount)),
        (.proportions(0, 0, 1, 10), SignificanceInputError(field: "a_trials", problem: .noTrials)),
        (.proportions(1, 10, 0, 0), SignificanceInputError(field: "b_trials", problem: .noTrials)),
        (.proportions(11, 10, 1, 10), SignificanceInputError(field: "a_successes", problem: .successesAboveTrials)),
        (.proportions(1, 10, 3, 2), SignificanceInputError(field: "b_successes", problem: .successesAboveTrials)),
        (.proportions(1, 1_000_000_000_001, 1, 10), SignificanceInputError(field: "a_trials", problem: .tooManyTrials)),
        // A's problems come before B's.
        (.welch([.nan], [.nan]), SignificanceInputError(field: "a", problem: .tooFewValues)),
        (.proportions(5, 2, 1, 0), SignificanceInputError(field: "a_successes", problem: .successesAboveTrials)),
    ])
    func refused(_ call: Call, _ expected: SignificanceInputError) {
        #expect(throws: expected) { try call.run() }
    }

    @Test("the limits themselves are accepted: 2 values, 100,000 values, one sample without spread, 10¹² trials")
    func limits() throws {
        #expect(try Significance.welch([1, 2], [3, 4]).nA == 2)
        let large = V.Sample.normalish(seed: 41, count: 100_000, center: 0, scale: 1).values
        let other = V.Sample.normalish(seed: 42, count: 100_000, center: 0.01, scale: 1).values
        #expect(try Significance.welch(large, other).nA == 100_000)
        let mw = try Significance.mannWhitney(large, other)
        #expect(mw.nB == 100_000 && mw.ciLow! < mw.difference && mw.difference < mw.ciHigh!)
        #expect(try Significance.mannWhitney([3, 3], [3, 4]).nA == 2)
        #expect(try Significance.welch([3, 3], [3, 4]).degreesOfFreedom == 1)
        #expect(try Significance.twoProportions(aSuccesses: 1, aTrials: 1_000_000_000_000, bSuccesses: 0, bTrials: 1).nA == 1_000_000_000_000)
    }

    @Test("Holm refuses what is not a probability and leaves an empty list empty", arguments: [
        ([0.1, -0.1], 1), ([.nan], 0), ([0.2, 0.3, 1.5], 2), ([0.5, .infinity], 1),
    ] as [([Double], Int)])
    func holmRefused(_ pValues: [Double], _ index: Int) throws {
        #expect(throws: SignificanceInputError(field: "p_values", problem: .notAProbability, index: index)) { try Significance.holm(pValues) }
        #expect(try Significance.holm([]) == [])
    }

    @Test("an input error becomes the project's validation error, with its limits")
    func validationError() {
        #expect(SignificanceInputError(field: "b", problem: .tooManyValues).validationError
                == ValidationError(field: "b", code: "significance_too_many_values", params: ["max": "100000"]))
        #expect(SignificanceInputError(field: "a", problem: .notFinite, index: 3).validationError
                == ValidationError(field: "a", code: "significance_not_finite", params: ["index": "3"]))
        #expect(SignificanceInputError(field: "a", problem: .tooFewValues).validationError.params == ["min": "2"])
        #expect(Set(SignificanceInputError.Problem.allCases.map(\.rawValue)).count == SignificanceInputError.Problem.allCases.count)
        #expect(SignificanceTest.allCases.map(\.rawValue) == ["welch", "mann_whitney", "two_proportions"])
    }
}
