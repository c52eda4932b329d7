import Foundation
import Synchronization

/// Opaque, URL-safe identifiers: a short type prefix plus 80 random bits in
/// lowercase base32, so ids never reveal counts or creation order.
public enum Identifier {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")

    public static func make(_ prefix: String) -> String {
        // 80 random bits from two reads of the system generator (each read is
        // a system call: one per character made a 100,000-post import slow),
        // five bits a character.
        var generator = SystemRandomNumberGenerator()
        var high: UInt64 = generator.next()
        var low = UInt64(generator.next() as UInt32)
        var out = prefix + "_"
        for index in 0..<16 {
            if index < 12 {
                out.append(alphabet[Int(high & 31)])
                high >>= 5
            } else {
                out.append(alphabet[Int(low & 31)])
                low >>= 5
            }
        }
        return out
    }

    private static let sequence = Mutex<(millisecond: Int64, counter: Int64)>((0, 0))

    /// An id that sorts after every id this process made before it: the
    /// millisecond, then a counter within it. Logs ordered by id keep the order
    /// events happened even when several share a millisecond.
    public static func makeOrdered(_ prefix: String, now: Date = Date()) -> String {
        let millisecond = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        let (stamp, counter) = sequence.withLock { state -> (Int64, Int64) in
            if millisecond > state.millisecond { state = (millisecond, 0) } else { state.counter += 1 }
            return state
        }
        return prefix + "_" + base32(stamp, digits: 10) + base32(counter, digits: 6)
    }

    private static func base32(_ value: Int64, digits: Int) -> String {
        var value = value
        var characters = [Character](repeating: "0", count: digits)
        for index in stride(from: digits - 1, through: 0, by: -1) {
            characters[index] = alphabet[Int(value & 31)]
            value >>= 5
        }
        return String(characters)
    }

    /// Ids are at most 64 characters of [a-z0-9_-]; anything else cannot be an id,
    /// which lets routes answer 404 before touching the database.
    public static func isPlausible(_ value: String) -> Bool {
        !value.isEmpty && value.count <= 64 && value.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
    }
}

/// One page of a listing plus the total, so every table can show "共 N 条".
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int
    public var page: Int
    public var perPage: Int
    /// True when `total` is a floor, not a count (a search with very many hits
    /// counts up to a cap and says "1,000+").
    public var totalIsCapped = false

    public init(items: [Item], total: Int, page: Int, perPage: Int) {
        self.items = items
        self.total = total
        self.page = page
        self.perPage = perPage
    }

    public var pageCount: Int { max(1, (total + perPage - 1) / perPage) }
}

public struct PageRequest: Sendable, Equatable {
    public var page: Int
    public var perPage: Int

    /// The furthest page anyone can ask for. A bound keeps `offset` from
    /// overflowing (a page of Int.max trapped the process) and no listing here
    /// has ten million rows a page apart.
    public static let maxPage = 100_000
    public static let maxPerPage = 200

    public init(page: Int = 1, perPage: Int = 50) {
        self.page = min(max(1, page), Self.maxPage)
        self.perPage = min(max(1, perPage), Self.maxPerPage)
    }

    public var offset: Int { (page - 1) * perPage }
}
