import Foundation
import MediaOpsDomain
import SQLKit

/// What a knowledge list is narrowed to; every filter lives in the page's URL.
public struct KnowledgeFilter: Sendable, Equatable {
    public var query: String?
    public var kind: KnowledgeKind?
    public var tag: String?
    public var platform: Platform?
    public var authorID: String?

    public init(query: String? = nil, kind: KnowledgeKind? = nil, tag: String? = nil, platform: Platform? = nil, authorID: String? = nil) {
        self.query = query
        self.kind = kind
        self.tag = tag
        self.platform = platform
        self.authorID = authorID
    }
}

public enum KnowledgeSort: String, Sendable, CaseIterable {
    case updated, created, title
}

/// The `knowledge_entries`, `knowledge_revisions` and `knowledge_links`
/// tables. Rows are read strictly: an unknown kind or platform is an
/// unreadable row, never a default.
public struct KnowledgeRepository: Sendable {
    let db: any SQLDatabase
    let search: ContentSearch

    public init(_ db: any SQLDatabase) {
        self.db = db
        self.search = ContentSearch(kind: db.databaseKind, index: .knowledge)
    }

    /// Searches count their hits up to this many, as the content library does.
    public static let searchCountCap = 1_000

    public func find(id: String, lock: Bool = false) async throws -> KnowledgeEntry? {
        let clause: SQLQueryString = lock ? "\(RowLock.update)" : ""
        return try await db.raw("SELECT * FROM knowledge_entries WHERE id = \(bind: id)" + clause).first().map(Self.entry(from:))
    }

    public func find(ids: [String]) async throws -> [KnowledgeEntry] {
        guard !ids.isEmpty else { return [] }
        let list = ids.prefix(1_000).map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        return try await db.raw("SELECT * FROM knowledge_entries WHERE id IN (" + list + ") ORDER BY updated_at DESC, id DESC").all().map(Self.entry(from:))
    }

    func conditions(_ filter: KnowledgeFilter) -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        if let kind = filter.kind { conditions.append("kind = \(bind: kind.rawValue)") }
        if let tag = filter.tag, !tag.isEmpty { conditions.append("LOWER(tags) LIKE \(bind: likePattern("\u{1F}" + tag + "\u{1F}")) ESCAPE '\\'") }
        if let platform = filter.platform { conditions.append("platforms LIKE \(bind: likePattern("\u{1F}" + platform.rawValue + "\u{1F}")) ESCAPE '\\'") }
        if let author = filter.authorID, !author.isEmpty { conditions.append("author_id = \(bind: author)") }
        return conditions
    }

    public func list(filter: KnowledgeFilter, sort: KnowledgeSort = .updated, descending: Bool = true, page: PageRequest) async throws -> Page<KnowledgeEntry> {
        var conditions = conditions(filter)
        let query = (filter.query ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !query.isEmpty { conditions.insert(try await search.condition(query, cap: Self.searchCountCap, on: db), at: 0) }
        let whereClause = whereSQL(conditions)
        let direction = descending ? "DESC" : "ASC"
        let order = switch sort {
        case .updated: "updated_at \(direction), id \(direction)"
        case .created: "created_at \(direction), id \(direction)"
        case .title: "title \(direction), id \(direction)"
        }
        let found = try await db.raw("SELECT COUNT(*) AS n FROM (SELECT 1 FROM knowledge_entries " + whereClause + " LIMIT \(bind: Self.searchCountCap + 1)) hits")
            .first()?.int("n") ?? 0
        let rows = try await db.raw("SELECT * FROM knowledge_entries " + whereClause
                                    + " ORDER BY \(unsafeRaw: order) LIMIT \(bind: page.perPage) OFFSET \(bind: page.offset)").all()
        var result = Page(items: try rows.map(Self.entry(from:)), total: min(found, Self.searchCountCap), page: page.page, perPage: page.perPage)
        result.totalIsCapped = found > Self.searchCountCap
        return result
    }

    /// The tags in use, most used first, from the most recently changed entries.
    public func tagCounts(limit: Int) async throws -> [(tag: String, count: Int)] {
        var counts: [String: (tag: String, count: Int)] = [:]
        for row in try await db.raw("SELECT tags FROM knowledge_entries ORDER BY updated_at DESC LIMIT 5000").all() {
            for tag in Self.decodeList(try row.string("tags")) {
                let key = tag.lowercased()
                counts[key] = (counts[key]?.tag ?? tag, (counts[key]?.count ?? 0) + 1)
            }
        }
        return counts.values.sorted { ($0.count, $1.tag) > ($1.count, $0.tag) }.prefix(limit).map { $0 }
    }

    /// Members who wrote at least one entry.
    public func authorIDs() async throws -> [String] {
        try await db.raw("SELECT DISTINCT author_id FROM knowledge_entries WHERE author_id IS NOT NULL").all().map { try $0.string("author_id") }
    }

    public func counts() async throws -> [KnowledgeKind: Int] {
        var counts: [KnowledgeKind: Int] = [:]
        for row in try await db.raw("SELECT kind, COUNT(*) AS n FROM knowledge_entries GROUP BY kind").all() {
            counts[try row.value("kind", as: KnowledgeKind.self)] = try row.int("n")
        }
        return counts
    }

    public func insert(_ entry: KnowledgeEntry) async throws {
        try await db.raw("""
            INSERT INTO knowledge_entries (id, kind, title, body, tags, platforms, author_id, version, search_text, created_at, updated_at)
            VALUES (\(bind: entry.id), \(bind: entry.kind.rawValue), \(bind: entry.title), \(bind: entry.body), \(bind: Self.encodeList(entry.tags)),
                \(bind: Self.encodeList(entry.platforms.map(\.rawValue))), \(bind: entry.authorID), \(bind: entry.version), \(bind: Self.searchText(entry)),
                \(bind: entry.createdAt.epochMilliseconds), \(bind: entry.updatedAt.epochMilliseconds))
            """).run()
        try await search.index(contentID: entry.id, text: Self.searchText(entry), on: db)
    }

    public func update(_ entry: KnowledgeEntry) async throws {
        try await db.raw("""
            UPDATE knowledge_entries SET kind = \(bind: entry.kind.rawValue), title = \(bind: entry.title), body = \(bind: entry.body),
                tags = \(bind: Self.encodeList(entry.tags)), platforms = \(bind: Self.encodeList(entry.platforms.map(\.rawValue))),
                version = \(bind: entry.version), search_text = \(bind: Self.searchText(entry)), updated_at = \(bind: entry.updatedAt.epochMilliseconds)
            WHERE id = \(bind: entry.id)
            """).run()
        try await search.index(contentID: entry.id, text: Self.searchText(entry), on: db)
    }

    /// Deletes the entry with its versions and links.
    public func delete(id: String) async throws {
        try await db.raw("DELETE FROM knowledge_links WHERE entry_id = \(bind: id)").run()
        try await db.raw("DELETE FROM knowledge_revisions WHERE entry_id = \(bind: id)").run()
        try await db.raw("DELETE FROM knowledge_entries WHERE id = \(bind: id)").run()
        try await search.remove(id: id, on: db)
    }

    /// What search looks in: the title, the tags and the body. Lower-cased, so
    /// a Latin word is found whatever the case of its letters on both databases.
    static func searchText(_ entry: KnowledgeEntry) -> String {
        [entry.title, entry.tags.joined(separator: " "), entry.body].filter { !$0.isEmpty }.joined(separator: "\n").lowercased()
    }

    // MARK: Revisions

    public func saveRevision(_ revision: KnowledgeRevision) async throws {
        try await db.raw("""
            INSERT INTO knowledge_revisions (entry_id, version, kind, title, body, tags, platforms, editor_id, editor_name, changed_fields, saved_at)
            VALUES (\(bind: revision.entryID), \(bind: revision.version), \(bind: revision.kind.rawValue), \(bind: revision.title), \(bind: revision.body),
                \(bind: Self.encodeList(revision.tags)), \(bind: Self.encodeList(revision.platforms.map(\.rawValue))), \(bind: revision.editorID),
                \(bind: revision.editorName), \(bind: revision.changedFields.joined(separator: ",")), \(bind: revision.savedAt.epochMilliseconds))
            """).run()
    }

    /// An entry's versions, newest first.
    public func revisions(entryID: String) async throws -> [KnowledgeRevision] {
        try await db.raw("SELECT * FROM knowledge_revisions WHERE entry_id = \(bind: entryID) ORDER BY version DESC LIMIT 500").all().map(Self.revision(from:))
    }

    public func revision(entryID: String, version: Int) async throws -> KnowledgeRevision? {
        try await db.raw("SELECT * FROM knowledge_revisions WHERE entry_id = \(bind: entryID) AND version = \(bind: version)").first().map(Self.revision(from:))
    }

    // MARK: Links

    public func links(entryID: String) async throws -> [KnowledgeLink] {
        try await db.raw("SELECT * FROM knowledge_links WHERE entry_id = \(bind: entryID) ORDER BY created_at, kind, target_id").all().map(Self.link(from:))
    }

    public func links(kind: KnowledgeLinkKind, targetID: String) async throws -> [KnowledgeLink] {
        try await db.raw("SELECT * FROM knowledge_links WHERE kind = \(bind: kind.rawValue) AND target_id = \(bind: targetID) ORDER BY created_at LIMIT 500")
            .all().map(Self.link(from:))
    }

    public func link(entryID: String, kind: KnowledgeLinkKind, targetID: String) async throws -> KnowledgeLink? {
        try await db.raw("SELECT * FROM knowledge_links WHERE entry_id = \(bind: entryID) AND kind = \(bind: kind.rawValue) AND target_id = \(bind: targetID)")
            .first().map(Self.link(from:))
    }

    public func linkCount(entryID: String) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM knowledge_links WHERE entry_id = \(bind: entryID)").first()?.int("n") ?? 0
    }

    public func insertLink(_ link: KnowledgeLink) async throws {
        try await db.raw("""
            INSERT INTO knowledge_links (entry_id, kind, target_id, created_by, created_at)
            VALUES (\(bind: link.entryID), \(bind: link.kind.rawValue), \(bind: link.targetID), \(bind: link.createdBy), \(bind: link.createdAt.epochMilliseconds))
            """).run()
    }

    public func deleteLink(entryID: String, kind: KnowledgeLinkKind, targetID: String) async throws {
        try await db.raw("DELETE FROM knowledge_links WHERE entry_id = \(bind: entryID) AND kind = \(bind: kind.rawValue) AND target_id = \(bind: targetID)").run()
    }

    // MARK: Rows

    static func encodeList(_ values: [String]) -> String {
        values.isEmpty ? "" : "\u{1F}" + values.joined(separator: "\u{1F}") + "\u{1F}"
    }

    static func decodeList(_ text: String) -> [String] {
        text.split(separator: "\u{1F}").map(String.init).filter { !$0.isEmpty }
    }

    static func platforms(_ text: String) throws -> [Platform] {
        try decodeList(text).map { value in
            guard let platform = Platform(rawValue: value) else { throw UnreadableStoredValue(column: "platforms", value: value) }
            return platform
        }
    }

    static func entry(from row: any SQLRow) throws -> KnowledgeEntry {
        KnowledgeEntry(id: try row.string("id"), kind: try row.value("kind", as: KnowledgeKind.self), title: try row.string("title"),
                       body: try row.string("body"), tags: decodeList(try row.string("tags")), platforms: try platforms(try row.string("platforms")),
                       authorID: try row.optionalString("author_id"), version: try row.int("version"), createdAt: try row.date("created_at"),
                       updatedAt: try row.date("updated_at"))
    }

    static func revision(from row: any SQLRow) throws -> KnowledgeRevision {
        KnowledgeRevision(entryID: try row.string("entry_id"), version: try row.int("version"), kind: try row.value("kind", as: KnowledgeKind.self),
                          title: try row.string("title"), body: try row.string("body"), tags: decodeList(try row.string("tags")),
                          platforms: try platforms(try row.string("platforms")), editorID: try row.optionalString("editor_id"),
                          editorName: try row.string("editor_name"),
                          changedFields: try row.string("changed_fields").split(separator: ",").map(String.init), savedAt: try row.date("saved_at"))
    }

    static func link(from row: any SQLRow) throws -> KnowledgeLink {
        KnowledgeLink(entryID: try row.string("entry_id"), kind: try row.value("kind", as: KnowledgeLinkKind.self), targetID: try row.string("target_id"),
                      createdBy: try row.optionalString("created_by"), createdAt: try row.date("created_at"))
    }
}
