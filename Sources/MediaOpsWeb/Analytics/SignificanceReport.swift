import Foundation
import MediaOpsDomain

/// A significance result as people read it: each group's figures, the
/// difference relative to group B where that means something, and the
/// verdict as one sentence in the reader's language. The API and the
/// calculator page say the same thing because both are built from this.
struct SignificanceReport {
    struct Group {
        var name: String
        /// Values, or trials for two proportions.
        var n: Int
        var mean: Double?
        var median: Double?
        var successes: Int?
        var proportion: Double?
    }

    /// The difference and its interval divided by group B's level (mean for
    /// Welch, median for Mann–Whitney, proportion for two proportions).
    struct Relative {
        var value: Double
        var low: Double?
        var high: Double?
    }

    var test: SignificanceTest
    /// Figures as percentages and differences in percentage points: two
    /// proportions, and samples pasted as percentages.
    var percent: Bool
    var result: SignificanceResult
    var a: Group
    var b: Group
    /// The test statistic, an infinity written as the largest finite double
    /// (JSON has no infinity; a t beyond 1e308 says the same thing).
    var statistic: Double
    var relative: Relative?
    var significant: Bool
    var direction: SignificanceDirection?
    /// When the data are not enough: how many per group might settle it (nil when the groups do not differ at all).
    var sampleSize: SampleSizeEstimate?

    /// Relative differences beyond ±10,000 % come from a baseline near zero and are not shown.
    static let largestRelative = 100.0

    init(_ question: SignificanceQuestion, result: SignificanceResult, t: Localizer) throws {
        // The engine's bounds keep every figure finite but a statistic can
        // overflow (a difference of 1e100 over a spread of 1e-300); a NaN
        // would mean a bug or input beyond them, and is refused, not shown.
        guard !result.pValue.isNaN, !result.statistic.isNaN, !result.difference.isNaN else {
            throw ValidationError(field: "a", code: SignificanceQuestion.Problem.notComputable.rawValue)
        }
        test = question.test
        percent = question.test == .twoProportions || question.percent
        self.result = result
        statistic = result.statistic.isFinite ? result.statistic : (result.statistic > 0 ? .greatestFiniteMagnitude : -.greatestFiniteMagnitude)
        let aName = question.aName ?? t.t("analytics.significance.default_a")
        let bName = question.bName ?? t.t("analytics.significance.default_b")
        let baseline: Double?
        switch question.groups {
        case .samples(let valuesA, let valuesB):
            let sortedA = valuesA.sorted()
            let sortedB = valuesB.sorted()
            a = Group(name: aName, n: result.nA, mean: result.meanA ?? Significance.mean(valuesA), median: result.medianA ?? Significance.median(sortedA))
            b = Group(name: bName, n: result.nB, mean: result.meanB ?? Significance.mean(valuesB), median: result.medianB ?? Significance.median(sortedB))
            // A ratio only means something on a scale that starts at zero: not
            // for net follower changes, which go below it.
            let ratioScale = (sortedA.first ?? -1) >= 0 && (sortedB.first ?? -1) >= 0
            baseline = ratioScale ? (test == .welch ? b.mean : b.median) : nil
        case .counts(let aSuccesses, _, let bSuccesses, _):
            a = Group(name: aName, n: result.nA, successes: aSuccesses, proportion: result.proportionA)
            b = Group(name: bName, n: result.nB, successes: bSuccesses, proportion: result.proportionB)
            baseline = result.proportionB
        }
        relative = nil
        if let baseline, baseline > 0 {
            let value = result.difference / baseline
            let low = result.ciLow.map { $0 / baseline }
            let high = result.ciHigh.map { $0 / baseline }
            if value.isFinite, abs(value) <= Self.largestRelative, low?.isFinite ?? true, high?.isFinite ?? true {
                relative = Relative(value: value, low: low, high: high)
            }
        }
        switch result.verdict {
        case .significant(let direction, _, _):
            significant = true
            self.direction = direction
            sampleSize = nil
        case .insufficientData(_, let estimate):
            significant = false
            direction = nil
            sampleSize = estimate
        }
    }

    // MARK: Words

    /// The verdict: "A 组的平均值比 B 组高 30.4%（95% 置信区间 12.1%–51.0%，p = 0.003，n = 48 / 52）。"
    ///
    /// `keys` names another set of the same sentences (the insights name their
    /// metric with `{metric}`, given in `extra`).
    func verdict(_ t: Localizer, keys: String = "analytics.significance.verdict", extra: [String: String] = [:]) -> String {
        let counts = ["p": Self.pValue(result.pValue), "na": t.grouped(a.n), "nb": t.grouped(b.n)].merging(extra) { $1 }
        guard significant, let direction else {
            return sentence("\(keys).insufficient", t, counts)
        }
        // Said as a size in the direction named, so "低 12%", not "高 −12%";
        // the interval is turned round with it.
        let sign = direction == .aHigher ? 1.0 : -1.0
        let amount: String
        var low = "—"
        var high = "—"
        if let relative {
            amount = Self.percent(sign * relative.value)
            if let l = relative.low, let h = relative.high {
                low = Self.percent(sign > 0 ? l : -h)
                high = Self.percent(sign > 0 ? h : -l)
            }
        } else {
            amount = difference(sign * result.difference, t)
            if let l = result.ciLow, let h = result.ciHigh {
                low = difference(sign > 0 ? l : -h, t)
                high = difference(sign > 0 ? h : -l, t)
            }
        }
        var params = counts
        params["amount"] = amount
        params["low"] = low
        params["high"] = high
        return sentence("\(keys).\(test.rawValue)_\(direction.rawValue)", t, params)
    }

    /// A message naming the groups (`{a}`, `{b}`). Chinese sets a Latin word
    /// or a number off from the characters beside it with a space ("比 B 组高",
    /// but "比干货类高"), so a name gets one where it meets a Chinese character.
    func sentence(_ key: String, _ t: Localizer, _ params: [String: String] = [:]) -> String {
        Self.sentence(key, t, a: a.name, b: b.name, params)
    }

    /// `sentence(_:_:_:)` for any two names (the insights' comparisons use it too).
    static func sentence(_ key: String, _ t: Localizer, a: String, b: String, _ params: [String: String] = [:]) -> String {
        guard t.locale == .zhHans else { return t.t(key, params.merging(["a": a, "b": b]) { $1 }) }
        let open: Character = "\u{E000}"
        let close: Character = "\u{E001}"
        let marked = t.t(key, params.merging(["a": "\(open)\(a)\(close)", "b": "\(open)\(b)\(close)"]) { $1 })
        let characters = Array(marked)
        func isHan(_ character: Character?) -> Bool {
            guard let scalar = character?.unicodeScalars.first else { return false }
            return (0x4E00...0x9FFF).contains(scalar.value) || (0x3400...0x4DBF).contains(scalar.value)
        }
        func isLatin(_ character: Character?) -> Bool { character.map { $0.isASCII && ($0.isLetter || $0.isNumber) } ?? false }
        var out = ""
        for (index, character) in characters.enumerated() {
            switch character {
            case open:
                let before = index > 0 ? characters[index - 1] : nil
                let first = index + 1 < characters.count ? characters[index + 1] : nil
                if isHan(before) && isLatin(first) || isLatin(before) && isHan(first) { out.append(" ") }
            case close:
                let last = index > 0 ? characters[index - 1] : nil
                let after = index + 1 < characters.count ? characters[index + 1] : nil
                if isHan(last) && isLatin(after) || isLatin(last) && isHan(after) { out.append(" ") }
            default:
                out.append(character)
            }
        }
        return out
    }

    /// What more data might do, when the data are not enough.
    func advice(_ t: Localizer) -> String? {
        guard !significant else { return nil }
        guard let sampleSize else { return t.t("analytics.significance.advice_no_difference") }
        if sampleSize.additionalPerGroup == 0 { return t.t("analytics.significance.advice_enough") }
        return t.t("analytics.significance.advice_more", ["count": t.count(sampleSize.additionalPerGroup)])
    }

    /// A difference in the values' unit: percentage points for proportions
    /// and percentages, the values' own unit otherwise.
    func difference(_ value: Double, _ t: Localizer) -> String {
        percent ? t.t("analytics.significance.points", ["value": Self.percentNumber(value)]) : Self.number(value, t)
    }

    /// A group's mean or median in the values' unit.
    func level(_ value: Double, _ t: Localizer) -> String {
        percent ? Self.percent(value) : Self.number(value, t)
    }

    // MARK: Formats

    /// "p = 0.003", "p < 0.001", "p = 0.0496": three decimals, more when three
    /// would round across 0.05 (a significant p never reads "0.050").
    static func pValue(_ p: Double) -> String {
        if p < 0.001 { return "p < 0.001" }
        if p >= 1 { return "p = 1" }
        if p > 0.999 { return "p > 0.999" }
        for decimals in 3...6 {
            let text = String(format: "%.\(decimals)f", p)
            let shown = Double(text) ?? p
            if (p < Significance.alpha) == (shown < Significance.alpha) { return "p = " + text }
        }
        return p < Significance.alpha ? "p < 0.05" : "p = " + String(format: "%.6f", p)
    }

    /// A value in its own unit with four significant digits: "3,593",
    /// "12.35", "0.05235"; very large or small ones as "1.235e+20".
    static func number(_ value: Double, _ t: Localizer) -> String {
        guard value.isFinite else { return value > 0 ? "∞" : "-∞" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e15 || magnitude < 1e-4 { return String(format: "%.3e", value) }
        if magnitude >= 1000 { return t.grouped(Int(value.rounded())) }
        let decimals = max(0, 3 - Int(log10(magnitude).rounded(.down)))
        return trimmed(String(format: "%.\(decimals)f", value))
    }

    /// A fraction as a percentage with one decimal ("30.4%"), with two
    /// significant digits when one decimal would show a non-zero value as 0.0.
    static func percent(_ fraction: Double) -> String { percentNumber(fraction) + "%" }

    static func percentNumber(_ fraction: Double) -> String {
        let value = fraction * 100
        guard value.isFinite else { return value > 0 ? "∞" : "-∞" }
        if value != 0, abs(value) < 0.05 { return trimmed(String(format: "%.2g", value)) }
        if abs(value) >= 1e6 { return String(format: "%.3e", value) }
        return String(format: "%.1f", value)
    }

    /// "12.3400" → "12.34", "5.000" → "5".
    private static func trimmed(_ text: String) -> String {
        guard text.contains("."), !text.contains("e") else { return text }
        var text = Substring(text)
        while text.hasSuffix("0") { text = text.dropLast() }
        if text.hasSuffix(".") { text = text.dropLast() }
        return text == "-0" ? "0" : String(text)
    }
}

// MARK: API shape

/// The answer of POST /api/v1/analytics/significance.
struct SignificanceDTO: Encodable {
    var test: String
    var statistic: Double
    var p_value: Double
    @Nullable var df: Double?
    var difference: Double
    @Nullable var ci_low: Double?
    @Nullable var ci_high: Double?
    @Nullable var relative_difference: Double?
    @Nullable var relative_ci_low: Double?
    @Nullable var relative_ci_high: Double?
    var n_a: Int
    var n_b: Int
    @Nullable var mean_a: Double?
    @Nullable var mean_b: Double?
    @Nullable var median_a: Double?
    @Nullable var median_b: Double?
    @Nullable var proportion_a: Double?
    @Nullable var proportion_b: Double?
    var significant: Bool
    @Nullable var direction: String?
    @Nullable var required_per_group: Int?
    @Nullable var additional_per_group: Int?
    var verdict: String
    @Nullable var advice: String?

    init(_ report: SignificanceReport, t: Localizer) {
        let result = report.result
        test = report.test.rawValue
        statistic = report.statistic
        p_value = min(1, max(0, result.pValue))
        // The brief of the API: degrees of freedom are Welch's alone (the
        // chi-square of two proportions always has one).
        df = report.test == .welch ? result.degreesOfFreedom : nil
        difference = result.difference
        ci_low = result.ciLow
        ci_high = result.ciHigh
        relative_difference = report.relative?.value
        relative_ci_low = report.relative?.low
        relative_ci_high = report.relative?.high
        n_a = result.nA
        n_b = result.nB
        mean_a = report.a.mean
        mean_b = report.b.mean
        median_a = report.a.median
        median_b = report.b.median
        proportion_a = report.a.proportion
        proportion_b = report.b.proportion
        significant = report.significant
        direction = report.direction?.rawValue
        required_per_group = report.sampleSize?.requiredPerGroup
        additional_per_group = report.sampleSize?.additionalPerGroup
        verdict = report.verdict(t)
        advice = report.advice(t)
    }
}
