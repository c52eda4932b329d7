import Foundation
import Synchronization

/// A collation key that orders Chinese names by pinyin (张伟 sorts as "zhang wei")
/// and Latin names case-insensitively, so the database can sort and paginate
/// with a plain ORDER BY on both SQLite and PostgreSQL.
public enum SortKey {
    public static func make(_ text: String) -> String {
        if let known = recent.withLock({ $0[text] }) { return known }
        let latin = text.applyingTransform(.mandarinToLatin, reverse: false) ?? text
        let plain = latin.applyingTransform(.stripDiacritics, reverse: false) ?? latin
        let key = plain.lowercased()
        recent.withLock { cache in
            if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[text] = key
        }
        return key
    }

    /// The ICU transliteration costs tens of microseconds a name, and the same
    /// few dozen names (groups, members, folders) are sorted on every page: the
    /// keys of recent names are kept, up to a bound.
    private static let recent = Mutex<[String: String]>([:])
    private static let cacheLimit = 4_096
}

extension Sequence {
    /// Sorted by the pinyin sort key of a name, each key made once per element
    /// (not twice per comparison); ties keep their order.
    public func sortedByName(_ name: (Element) -> String) -> [Element] {
        map { (SortKey.make(name($0)), $0) }
            .enumerated()
            .sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
            .map(\.element.1)
    }
}

/// Finds names the way people type them: the characters themselves, pinyin
/// with or without spaces ("lin xiao", "linxiao"), or the initials ("lx").
public struct PinyinMatcher: Sendable {
    let query: String

    public init(_ query: String) {
        self.query = query.lowercased().filter { !$0.isWhitespace }
    }

    public var isEmpty: Bool { query.isEmpty }

    public func matches(_ text: String) -> Bool {
        guard !query.isEmpty else { return false }
        if text.lowercased().filter({ !$0.isWhitespace }).contains(query) { return true }
        // Only Latin letters can be pinyin.
        guard query.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        let syllables = Self.syllables(text)
        guard !syllables.isEmpty else { return false }
        if syllables.joined().contains(query) { return true }
        return String(syllables.compactMap(\.first)).contains(query)
    }

    /// "林晓 Lin" → ["lin", "xiao", "lin"]: one lower-case syllable per character or word.
    static func syllables(_ text: String) -> [String] {
        SortKey.make(text).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }
}
