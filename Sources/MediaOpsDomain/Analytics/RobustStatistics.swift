import Foundation

/// Order statistics for alert baselines: the median, the median absolute
/// deviation and percentiles. They shrug off a viral day or a dead one in the
/// history, which a mean and standard deviation would not.
///
/// Every function ignores NaN and ±∞ and answers nil for no values. They
/// reproduce NumPy (`numpy.median`, `numpy.percentile` with its default
/// "linear" method); see Tests/MediaOpsDomainTests/Vectors/alert_vectors.py.
public enum RobustStatistics {
    /// 1 / Φ⁻¹(3/4) ≈ 1.4826: the MAD of normally distributed values times this
    /// estimates their standard deviation (SciPy's
    /// `median_abs_deviation(scale="normal")`), so "k·σ" means what it means
    /// for a normal distribution while staying robust.
    public static let madToStandardDeviation = 1.482602218505602

    /// The middle value; for an even count the mean of the two middle values.
    public static func median(_ values: [Double]) -> Double? {
        median(sorted: values.filter(\.isFinite).sorted())
    }

    /// The median absolute deviation around the median, unscaled:
    /// median(|xᵢ − median(x)|).
    public static func medianAbsoluteDeviation(_ values: [Double]) -> Double? {
        let finite = values.filter(\.isFinite)
        guard let center = median(sorted: finite.sorted()) else { return nil }
        return median(sorted: finite.map { abs($0 - center) }.sorted())
    }

    /// The `percent`-th percentile (0–100, clamped) by linear interpolation
    /// between the closest ranks — Hyndman & Fan's type 7, the default of
    /// NumPy, R and Excel's PERCENTILE.INC: position h = (n − 1)·p/100 in the
    /// sorted values, then x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). The
    /// interpolation is written as NumPy writes it (from the upper neighbour
    /// when the fraction is ≥ ½), so the results agree to the last bit.
    public static func percentile(_ values: [Double], _ percent: Double) -> Double? {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty, !percent.isNaN else { return nil }
        let position = Double(sorted.count - 1) * (min(max(percent, 0), 100) / 100)
        if position >= Double(sorted.count - 1) { return sorted[sorted.count - 1] }
        let lower = Int(position.rounded(.down))
        let fraction = position - Double(lower)
        let a = sorted[lower], b = sorted[lower + 1]
        let difference = b - a
        return fraction >= 0.5 ? b - difference * (1 - fraction) : a + difference * fraction
    }

    static func median(sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
