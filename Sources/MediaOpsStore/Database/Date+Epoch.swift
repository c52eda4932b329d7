import Foundation

extension Date {
    /// Instants are stored as UTC epoch milliseconds on both databases, so ordering
    /// and comparison are plain integer operations everywhere.
    public var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    public init(epochMilliseconds: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(epochMilliseconds) / 1000)
    }
}
