import Foundation
import MediaOpsDomain
import SQLKit

public struct WordListEntry: Sendable, Equatable {
    public var id: String
    public var category: ComplianceCategory
    public var term: String
    public var severity: ComplianceSeverity
    public var createdAt: Date
}

/// The workspace's own words: banned, sensitive, competitor names, 导流 words.
public struct WordListRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    public static let categories: [ComplianceCategory] = [.banned, .sensitive, .competitor, .trafficDiversion]

    public func all() async throws -> [WordListEntry] {
        try await db.raw("SELECT * FROM word_lists ORDER BY category, term").all().map { row in
            WordListEntry(id: try row.string("id"), category: try row.value("category", as: ComplianceCategory.self),
                          term: try row.string("term"), severity: try row.value("severity", as: ComplianceSeverity.self),
                          createdAt: try row.date("created_at"))
        }
    }

    public func find(id: String) async throws -> WordListEntry? {
        try await all().first { $0.id == id }
    }

    public func add(category: ComplianceCategory, term: String, severity: ComplianceSeverity) async throws -> WordListEntry {
        let entry = WordListEntry(id: Identifier.make("wrd"), category: category, term: term, severity: severity, createdAt: Date())
        try await db.raw("""
            INSERT INTO word_lists (id, category, term, severity, created_at)
            VALUES (\(bind: entry.id), \(bind: category.rawValue), \(bind: term), \(bind: severity.rawValue), \(bind: entry.createdAt.epochMilliseconds))
            """).run()
        return entry
    }

    public func exists(category: ComplianceCategory, term: String) async throws -> Bool {
        try await db.raw("SELECT COUNT(*) AS n FROM word_lists WHERE category = \(bind: category.rawValue) AND term = \(bind: term)").first()?.int("n") ?? 0 > 0
    }

    public func delete(id: String) async throws {
        try await db.raw("DELETE FROM word_lists WHERE id = \(bind: id)").run()
    }

    /// The lists in the shape the checker takes.
    public func checkerLists() async throws -> [ComplianceWordList] {
        var grouped: [String: ComplianceWordList] = [:]
        for entry in try await all() {
            let key = "\(entry.category.rawValue)/\(entry.severity.rawValue)"
            grouped[key, default: ComplianceWordList(category: entry.category, terms: [], severity: entry.severity)].terms.append(entry.term)
        }
        return grouped.keys.sorted().compactMap { grouped[$0] }
    }
}
