@testable import MediaOpsWeb
import Foundation
import Testing

@Suite("Fixed decimals")
struct FixedDecimalTests {
    @Test("figures with fixed decimals read as String(format:) writes them, without a negative zero")
    func matchesFormat() {
        for value in [0, 1, 12.34, 12.35, 0.05, 0.049, 99.95, 999_999.999, -3.21, -0.04, 1e-9, 123_456_789.5, 0.1 + 0.2] {
            for digits in 0...3 {
                let expected = String(format: "%.\(digits)f", value)
                let text = FixedDecimal.text(value, digits: digits)
                // Only exact binary halves may round the other way; neither may show "-0".
                if expected.hasPrefix("-") && Double(expected) == 0 { #expect(!text.hasPrefix("-")); continue }
                #expect(text == expected || abs((Double(text) ?? .nan) - (Double(expected) ?? .nan)) <= pow(10, -Double(digits)) * 1.000_001,
                        "\(value) with \(digits): \(text) against \(expected)")
            }
        }
        #expect(FixedDecimal.text(12.25, digits: 1) == "12.3" && FixedDecimal.text(-0.04, digits: 1) == "0.0" && FixedDecimal.text(5, digits: 2) == "5.00")
        #expect(FixedDecimal.text(.infinity, digits: 1) == "inf" && FixedDecimal.text(1e300, digits: 1).hasPrefix("1000000"))
    }
}
