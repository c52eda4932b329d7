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
    let index: Index

    /// The FTS5 table (SQLite) that mirrors a searched table's `search_text`,
    /// and its column naming the row. Other rooms whose text people search in
    /// Chinese (the knowledge base) use the same search over their own table.
    public struct Index: Sendable {
        let ftsTable: String
        let keyColumn: String

        public static let content = Index(ftsTable: "content_fts", keyColumn: "content_id")
        public static let knowledge = Index(ftsTable: "knowledge_fts", keyColumn: "entry_id")
    }

    public init(kind: DatabaseKind, index: Index = .content) {
        self.kind = kind
        self.index = index
    }

    /// The text that is indexed for an item: its title and the plain text of its body.
    public static func searchText(title: String, body: String, summary: String, tags: [String]) -> String {
        [title, summary, HTMLSanitizer.plainText(body), tags.joined(separator: " ")].filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// Keeps the index in step with an item (call inside the saving transaction).
    func index(contentID: String, text: String, on db: any SQLDatabase) async throws {
        guard kind == .sqlite else { return }  // PostgreSQL indexes the column itself
        try await db.raw("DELETE FROM \(unsafeRaw: index.ftsTable) WHERE \(unsafeRaw: index.keyColumn) = \(bind: contentID)").run()
        try await db.raw("INSERT INTO \(unsafeRaw: index.ftsTable) (\(unsafeRaw: index.keyColumn), text) VALUES (\(bind: contentID), \(bind: text))").run()
    }

    /// Takes a deleted row out of the index (call inside the deleting transaction).
    func remove(id: String, on db: any SQLDatabase) async throws {
        guard kind == .sqlite else { return }
        try await db.raw("DELETE FROM \(unsafeRaw: index.ftsTable) WHERE \(unsafeRaw: index.keyColumn) = \(bind: id)").run()
    }

    /// The condition for a list that shows a page and counts hits up to `cap`.
    /// A word found in very many items is faster to find by walking the list's
    /// own order and testing each row (the first page fills at once) than by
    /// collecting every hit from the index and sorting them; a rare word is the
    /// other way round. One cheap probe of the index tells which it is.
    func condition(_ query: String, cap: Int, on db: any SQLDatabase) async throws -> SQLQueryString {
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard kind == .sqlite, trimmed.count >= 3 else { return condition(trimmed) }
        let hits = try await db.raw("SELECT COUNT(*) AS n FROM (SELECT rowid FROM \(unsafeRaw: index.ftsTable) WHERE \(unsafeRaw: index.ftsTable) MATCH \(bind: Self.phrase(trimmed)) LIMIT \(bind: cap + 1)) probe")
            .first()?.decode(column: "n", as: Int.self) ?? 0
        return hits > cap ? Self.like(trimmed) : condition(trimmed)
    }

    /// A column the planner should not pick an index for (SQLite's unary plus);
    /// PostgreSQL's planner weighs ORDER BY … LIMIT by itself.
    func unindexed(_ column: String) -> SQLQueryString {
        SQLQueryString(kind == .sqlite ? "+" + column : column)
    }

    /// FTS5 phrase syntax: double quotes inside the phrase are doubled.
    static func phrase(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    static func like(_ text: String) -> SQLQueryString { "LOWER(search_text) LIKE \(bind: likePattern(text)) ESCAPE '\\'" }

    /// A WHERE condition on `content_items` selecting items whose text contains `query`.
    func condition(_ query: String) -> SQLQueryString {
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        if kind == .sqlite && trimmed.count >= 3 {
            return "id IN (SELECT \(unsafeRaw: index.keyColumn) FROM \(unsafeRaw: index.ftsTable) WHERE \(unsafeRaw: index.ftsTable) MATCH \(bind: Self.phrase(trimmed)))"
        }
        return Self.like(trimmed)
    }
}
