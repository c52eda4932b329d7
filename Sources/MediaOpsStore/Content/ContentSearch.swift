import Foundation
import MediaOpsDomain
import SQLKit

/// Full-text search over content titles and bodies that works for Chinese, one
/// implementation per database behind the same two calls. Both answer the same
/// question — does the text contain the query, ignoring ASCII case — so a
/// result never depends on which database a team runs.
///
/// SQLite: an FTS5 table with the trigram tokenizer answers queries of three
/// or more characters from its index; shorter queries (two-character Chinese
/// words such as 手机) cannot be trigram-matched, so they scan the content
/// table's `search_text` with LIKE — never the FTS table, whose LIKE is wrong
/// for short CJK runs on some SQLite builds (CONTENT-RULES.md §3.2).
/// PostgreSQL: LIKE on LOWER(search_text), helped by a pg_trgm index when the
/// extension could be created.
public struct ContentSearch: Sendable {
    let kind: DatabaseKind

    public init(kind: DatabaseKind) { self.kind = kind }

    /// The text that is indexed for an item: its title and the plain text of its body.
    public static func searchText(title: String, body: String, summary: String, tags: [String]) -> String {
        [title, summary, HTMLSanitizer.plainText(body), tags.joined(separator: " ")].filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// Keeps the index in step with an item (call inside the saving transaction).
    func index(contentID: String, text: String, on db: any SQLDatabase) async throws {
        guard kind == .sqlite else { return }  // PostgreSQL indexes the column itself
        try await db.raw("DELETE FROM content_fts WHERE content_id = \(bind: contentID)").run()
        try await db.raw("INSERT INTO content_fts (content_id, text) VALUES (\(bind: contentID), \(bind: text))").run()
    }

    /// A WHERE condition on `content_items` selecting items whose text contains `query`.
    func condition(_ query: String) -> SQLQueryString {
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        if kind == .sqlite && trimmed.count >= 3 {
            // FTS5 phrase syntax: double quotes inside the phrase are doubled.
            let phrase = "\"" + trimmed.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return "id IN (SELECT content_id FROM content_fts WHERE content_fts MATCH \(bind: phrase))"
        }
        return "LOWER(search_text) LIKE \(bind: likePattern(trimmed)) ESCAPE '\\'"
    }
}
