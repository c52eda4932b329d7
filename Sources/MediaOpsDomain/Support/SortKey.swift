import Foundation

/// A collation key that orders Chinese names by pinyin (张伟 sorts as "zhang wei")
/// and Latin names case-insensitively, so the database can sort and paginate
/// with a plain ORDER BY on both SQLite and PostgreSQL.
public enum SortKey {
    public static func make(_ text: String) -> String {
        let latin = text.applyingTransform(.mandarinToLatin, reverse: false) ?? text
        let plain = latin.applyingTransform(.stripDiacritics, reverse: false) ?? latin
        return plain.lowercased()
    }
}
