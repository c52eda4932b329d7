import Foundation
import MediaOpsDomain

/// The numbers the imitation platforms report, derived only from (account,
/// day) or (post, days live) so tests can compute the exact values they
/// expect, and so a sandbox clock moved forward produces new days — the demo
/// relies on "the sandbox keeps producing new days".
public enum SandboxMetrics {
    /// Live counters (followers now, post totals) count days from here.
    public static let anchor = LocalDate(year: 2024, month: 1, day: 1)

    /// FNV-1a over the parts: stable across runs and machines (Swift's `Hasher` is seeded per process).
    public static func seed(_ parts: [String]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parts.joined(separator: "|").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    public static func number(_ parts: [String], _ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(seed(parts) % UInt64(range.count))
    }

    // MARK: Accounts by day

    public static func followersNew(_ account: String, _ day: LocalDate) -> Int { number([account, day.description, "new"], 20...80) }
    public static func followersLost(_ account: String, _ day: LocalDate) -> Int { number([account, day.description, "lost"], 2...15) }

    /// Followers at the end of `day`: a base plus every day's net change since the anchor.
    public static func followersTotal(_ account: String, _ day: LocalDate) -> Int {
        var total = number([account, "base"], 5_000...50_000)
        var current = anchor
        while current <= day {
            total += followersNew(account, current) - followersLost(account, current)
            current = current.adding(days: 1)
        }
        return total
    }

    /// Any other per-day account number.
    public static func daily(_ account: String, _ day: LocalDate, _ metric: String, _ range: ClosedRange<Int>) -> Int {
        number([account, day.description, metric], range)
    }

    // MARK: Posts

    /// A post's cumulative number after `days` days live (day 1 is its publish day).
    public static func post(_ post: String, _ metric: String, days: Int, per range: ClosedRange<Int>) -> Int {
        number([post, metric], range) * max(1, days)
    }

    /// Days a post with no known publish time has been "live" on `day`: live counters grow daily.
    public static func liveDays(on day: LocalDate) -> Int { max(1, anchor.days(until: day) + 1) }

    /// The sandbox's calendar day in Beijing.
    public static func today(_ now: Date) -> LocalDate { LocalDate(now, timeZone: PullSchedule.beijing) }

    // MARK: Scenario helpers

    /// The answer with `field` renamed to `<field>_v2` wherever it occurs.
    static func renaming(_ json: Any, _ field: String?) -> Any {
        guard let field else { return json }
        if let object = json as? [String: Any] {
            var out: [String: Any] = [:]
            for (key, value) in object { out[key == field ? field + "_v2" : key] = renaming(value, field) }
            return out
        }
        if let array = json as? [Any] { return array.map { renaming($0, field) } }
        return json
    }

    static func apply(_ scenario: Scenario?, to json: [String: Any]) -> [String: Any] {
        guard scenario?.kind == .renameField else { return json }
        return renaming(json, scenario?.field) as? [String: Any] ?? json
    }
}
