import Foundation

/// A number with a fixed count of decimals ("12.3", "0.05"), written by
/// hand: a 500-account overview shows thousands of such figures, and each
/// `String(format:)` went through Foundation's formatter. Rounds half away
/// from zero, and never shows a negative zero.
enum FixedDecimal {
    private static let scales: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    static func text(_ value: Double, digits: Int) -> String {
        let digits = min(max(digits, 0), scales.count - 1)
        let scale = scales[digits]
        let scaled = (abs(value) * scale).rounded()
        guard value.isFinite, scaled < 9e15 else { return String(format: "%.\(digits)f", value) }
        let whole = Int64(scaled), unit = Int64(scale)
        var text = (value < 0 && whole != 0 ? "-" : "") + String(whole / unit)
        if digits > 0 {
            let fraction = String(whole % unit)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return text
    }
}
