import Foundation
import MediaOpsDomain
import SQLKit

public struct ContentFilter: Sendable, Equatable {
    public var query: String?
    public var states: [ContentState]
    public var category: ContentCategory?
    public var tag: String?
    public var ownerID: String?
    public var groupID: String?
    public var templatesOnly: Bool
    public var plannedFrom: Date?
    public var plannedTo: Date?

    public init(query: String? = nil, states: [ContentState] = [], category: ContentCategory? = nil, tag: String? = nil, ownerID: String? = nil,
                groupID: String? = nil, templatesOnly: Bool = false, plannedFrom: Date? = nil, plannedTo: Date? = nil) {
        self.query = query
        self.states = states
        self.category = category
        self.tag = tag
        self.ownerID = ownerID
        self.groupID = groupID
        self.templatesOnly = templatesOnly
        self.plannedFrom = plannedFrom
        self.plannedTo = plannedTo
    }
}

public enum ContentSort: String, Sendable, CaseIterable {
    case updated, created, title, planned
}

/// Content items, their platform variants and their saved versions.
public struct ContentRepository: Sendable {
    let db: any SQLDatabase
    let search: ContentSearch

    public init(_ db: any SQLDatabase) {
        self.db = db
        self.search = ContentSearch(kind: db.databaseKind)
    }

    // MARK: Items

    public func find(id: String) async throws -> ContentItem? {
        try await db.raw("SELECT * FROM content_items WHERE id = \(bind: id)").first().map(Self.item(from:))
    }

    /// Searches count their hits up to this many and then say "1,000+": a word
    /// found in most of a large library would otherwise be counted row by row
    /// (forty pages of results are more than anyone reads).
    public static let searchCountCap = 1_000

    public func list(filter: ContentFilter, sort: ContentSort = .updated, descending: Bool = true, page: PageRequest) async throws -> Page<ContentItem> {
        var conditions = conditions(filter)
        if let query = filter.query, !query.isEmpty {
            conditions.insert(try await search.condition(query, cap: Self.searchCountCap, on: db), at: 0)
        }
        let whereClause = whereSQL(conditions)
        let direction = descending ? "DESC" : "ASC"
        let order = switch sort {
        case .updated: "updated_at \(direction), id \(direction)"
        case .created: "created_at \(direction), id \(direction)"
        case .title: "title \(direction), id \(direction)"
        case .planned: "planned_at \(direction), id \(direction)"
        }
        let searching = !(filter.query ?? "").isEmpty
        let total: Int
        var capped = false
        var onlyStates = filter
        onlyStates.states = []
        if !searching, onlyStates == ContentFilter() {
            // Filtered by state alone (the list's tabs, the library): counted from the
            // kept per-state counts instead of row by row.
            let counts = try await stateCounts()
            total = filter.states.isEmpty ? counts.values.reduce(0, +) : filter.states.reduce(0) { $0 + (counts[$1] ?? 0) }
        } else if searching {
            let found = try await db.raw("SELECT COUNT(*) AS n FROM (SELECT 1 FROM content_items " + whereClause + " LIMIT \(bind: Self.searchCountCap + 1)) hits").first()?.int("n") ?? 0
            capped = found > Self.searchCountCap
            total = min(found, Self.searchCountCap)
        } else {
            total = try await db.raw("SELECT COUNT(*) AS n FROM content_items " + whereClause).first()?.int("n") ?? 0
        }
        // The page's ids are chosen on narrow rows first, then only those rows are
        // read whole: sorting whole rows (bodies included) was most of the cost.
        let rows = try await db.raw("SELECT * FROM content_items WHERE id IN (SELECT id FROM content_items " + whereClause
                                    + " ORDER BY \(unsafeRaw: order) LIMIT \(bind: page.perPage) OFFSET \(bind: page.offset)) ORDER BY \(unsafeRaw: order)").all()
        var result = Page(items: try rows.map(Self.item(from:)), total: total, page: page.page, perPage: page.perPage)
        result.totalIsCapped = capped
        return result
    }

    /// For each day (its start; `end` closes the last), the first `perDay` items
    /// planned that day and how many there are, in two queries whatever the
    /// number of days: a month of a busy library is not read to draw its cells.
    /// A day's count used to come with its rows (`COUNT(*) OVER ()`), which made
    /// SQLite sort every item of the day, once per day.
    public func plannedByDay(filter: ContentFilter, dayStarts: [Date], end: Date, perDay: Int) async throws -> [(ids: [String], total: Int)] {
        guard !dayStarts.isEmpty else { return [] }
        var base = conditions(filter)
        if let query = filter.query, !query.isEmpty { base.append(search.condition(query)) }
        let ends = dayStarts.dropFirst() + [end]

        // Counts: one row of per-day counts, each a count of its range of the
        // planned-time index (cheaper than sorting the month's rows into days).
        var counts: [SQLQueryString] = []
        for (index, (start, dayEnd)) in zip(dayStarts, ends).enumerated() {
            let within = base + ["planned_at >= \(bind: start.epochMilliseconds)", "planned_at < \(bind: dayEnd.epochMilliseconds)"]
            counts.append("(SELECT COUNT(*) FROM content_items " + whereSQL(within) + ") AS n\(unsafeRaw: String(index))")
        }
        let countRow = try await db.raw("SELECT " + counts.joined(separator: ", ")).first()
        let totals = try dayStarts.indices.map { index in try countRow?.int("n\(index)") ?? 0 }

        // The first items of each day that has any: one indexed branch per day, in one statement.
        var branches: [SQLQueryString] = []
        for (index, (start, dayEnd)) in zip(dayStarts, ends).enumerated() where totals[index] > 0 {
            let within = base + ["planned_at >= \(bind: start.epochMilliseconds)", "planned_at < \(bind: dayEnd.epochMilliseconds)"]
            branches.append("SELECT * FROM (SELECT \(unsafeRaw: String(index)) AS d, id, planned_at FROM content_items " + whereSQL(within)
                            + " ORDER BY planned_at ASC, id ASC LIMIT \(bind: perDay)) AS day_\(unsafeRaw: String(index))")
        }
        var ids = [[(at: Date, id: String)]](repeating: [], count: dayStarts.count)
        if !branches.isEmpty {
            var union = branches[0]
            for branch in branches.dropFirst() { union = union + " UNION ALL " + branch }
            for row in try await db.raw(union).all() {
                let index = try row.int("d")
                guard ids.indices.contains(index) else { continue }
                ids[index].append((try row.date("planned_at"), try row.string("id")))
            }
        }
        return zip(ids, totals).map { rows, total in
            (rows.sorted { ($0.at, $0.id) < ($1.at, $1.id) }.map(\.id), total)
        }
    }

    /// Items whose title contains `query`, for the global search: read from the
    /// title index alone, so a short or rare word does not read every item's body.
    public func titleMatches(_ query: String, limit: Int) async throws -> [ContentItem] {
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return [] }
        let ids = try await db.raw("""
            SELECT id FROM content_items WHERE LOWER(title) LIKE \(bind: likePattern(trimmed)) ESCAPE '\\' ORDER BY title, id LIMIT \(bind: limit)
            """).all().map { try $0.string("id") }
        return try await find(ids: ids)
    }

    /// Several items by id in one query, in the order of `ids` (unknown ids are skipped).
    public func find(ids: [String]) async throws -> [ContentItem] {
        guard !ids.isEmpty else { return [] }
        var byID: [String: ContentItem] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            for row in try await db.raw("SELECT * FROM content_items WHERE id IN (\(binds: chunk))").all() {
                let item = try Self.item(from: row)
                byID[item.id] = item
            }
        }
        return ids.compactMap { byID[$0] }
    }

    private func conditions(_ filter: ContentFilter) -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        if !filter.states.isEmpty {
            // Not through the state index: a list shows a page in its order, and walking
            // the order's index while testing the state finds a page at once, where the
            // state index made SQLite sort every row of the states.
            // With an owner, group or planned range the planner has a narrower index to start from.
            let narrower = !(filter.ownerID ?? "").isEmpty || !(filter.groupID ?? "").isEmpty || filter.plannedFrom != nil || filter.plannedTo != nil
            let column: SQLQueryString = narrower ? "state" : search.unindexed("state")
            conditions.append(column + " IN " + SQLQueryString("(" + filter.states.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"))
        }
        if let category = filter.category { conditions.append("category = \(bind: category.rawValue)") }
        if let tag = filter.tag, !tag.isEmpty { conditions.append("tags LIKE \(bind: likePattern("\u{1F}" + tag + "\u{1F}")) ESCAPE '\\'") }
        if let owner = filter.ownerID, !owner.isEmpty { conditions.append("owner_id = \(bind: owner)") }
        if let group = filter.groupID, !group.isEmpty { conditions.append("group_id = \(bind: group)") }
        if filter.templatesOnly { conditions.append("is_template = \(bind: true)") }
        if let from = filter.plannedFrom { conditions.append("planned_at >= \(bind: from.epochMilliseconds)") }
        if let to = filter.plannedTo { conditions.append("planned_at < \(bind: to.epochMilliseconds)") }
        return conditions
    }

    /// How many items are in each state, kept up to date by every insert and update.
    public func stateCounts() async throws -> [ContentState: Int] {
        var counts: [ContentState: Int] = [:]
        for row in try await db.raw("SELECT state, items FROM content_state_counts").all() {
            if let state = ContentState(rawValue: try row.string("state")) { counts[state] = try row.int("items") }
        }
        return counts
    }

    private func adjustStateCount(_ state: ContentState, by change: Int) async throws {
        try await db.raw("""
            INSERT INTO content_state_counts (state, items) VALUES (\(bind: state.rawValue), \(bind: change))
            ON CONFLICT (state) DO UPDATE SET items = content_state_counts.items + excluded.items
            """).run()
    }

    /// Tag counts across the library (approved, scheduled and published pieces
    /// and templates), most used first. Read from the counts kept up to date by
    /// every insert and update, so the library page does not read every row.
    public func libraryTagCounts(limit: Int = 30) async throws -> [(tag: String, count: Int)] {
        try await db.raw("SELECT tag, items FROM library_tag_counts WHERE items > 0 ORDER BY items DESC, tag ASC LIMIT \(bind: limit)").all().map {
            (try $0.string("tag"), try $0.int("items"))
        }
    }

    /// Moves the library's tag counts from an item's previous tags to its new
    /// ones. Tags are visited in one order so two saves never wait on each other
    /// in a circle.
    private func adjustLibraryTagCounts(before: (tags: [String], inLibrary: Bool)?, after: (tags: [String], inLibrary: Bool)) async throws {
        var delta: [String: Int] = [:]
        if let before, before.inLibrary { for tag in Set(before.tags) { delta[tag, default: 0] -= 1 } }
        if after.inLibrary { for tag in Set(after.tags) { delta[tag, default: 0] += 1 } }
        for (tag, change) in delta.sorted(by: { $0.key < $1.key }) where change != 0 {
            try await db.raw("""
                INSERT INTO library_tag_counts (tag, items) VALUES (\(bind: tag), \(bind: change))
                ON CONFLICT (tag) DO UPDATE SET items = library_tag_counts.items + excluded.items
                """).run()
        }
    }

    /// Recounts the per-state counts and the library's tags from the item rows (a migration and bulk loads).
    static func recountDerivedCounts(on db: any SQLDatabase) async throws {
        var counts: [String: Int] = [:]
        let states = ContentState.inLibrary.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        for row in try await db.raw("SELECT tags FROM content_items WHERE state IN (\(unsafeRaw: states)) OR is_template = \(bind: true)").all() {
            for tag in Set(decodeTags(try row.string("tags"))) { counts[tag, default: 0] += 1 }
        }
        try await db.raw("DELETE FROM content_state_counts").run()
        try await db.raw("INSERT INTO content_state_counts (state, items) SELECT state, COUNT(*) FROM content_items GROUP BY state").run()
        try await db.raw("DELETE FROM library_tag_counts").run()
        for (tag, count) in counts.sorted(by: { $0.key < $1.key }) {
            try await db.raw("INSERT INTO library_tag_counts (tag, items) VALUES (\(bind: tag), \(bind: count))").run()
        }
    }

    /// Rebuilds what is derived from the item rows after a bulk load that wrote
    /// them directly (the benchmarks): the SQLite search index and statistics.
    public func rebuildSearchIndexAndTagCounts() async throws {
        if search.kind == .sqlite {
            try await db.raw("DELETE FROM content_fts").run()
            try await db.raw("INSERT INTO content_fts (content_id, text) SELECT id, search_text FROM content_items").run()
        }
        try await Self.recountDerivedCounts(on: db)
        try await db.raw("ANALYZE").run()
    }

    public func insert(_ item: ContentItem) async throws {
        try await db.raw("""
            INSERT INTO content_items (id, title, body, summary, tags, category, cover_asset_id, state, owner_id, group_id, topic_id, planned_at,
            version, review_stage, is_template, search_text, created_by, created_at, updated_at)
            VALUES (\(bind: item.id), \(bind: item.title), \(bind: item.body), \(bind: item.summary), \(bind: Self.encodeTags(item.tags)),
            \(bind: item.category.rawValue), \(bind: item.coverAssetID), \(bind: item.state.rawValue), \(bind: item.ownerID), \(bind: item.groupID),
            \(bind: item.topicID), \(bind: item.plannedAt?.epochMilliseconds), \(bind: item.version), \(bind: item.reviewStage), \(bind: item.isTemplate),
            \(bind: searchText(item)), \(bind: item.createdBy), \(bind: item.createdAt.epochMilliseconds), \(bind: item.updatedAt.epochMilliseconds))
            """).run()
        try await search.index(contentID: item.id, text: searchText(item), on: db)
        try await adjustLibraryTagCounts(before: nil, after: (item.tags, item.isInLibrary))
        try await adjustStateCount(item.state, by: 1)
    }

    public func update(_ item: ContentItem) async throws {
        // The stored row as it was, locked on PostgreSQL, so the tag counts move
        // from exactly what this save replaces.
        let before = try await db.raw("SELECT tags, state, is_template FROM content_items WHERE id = \(bind: item.id)\(RowLock.update)").first().map { row in
            (tags: Self.decodeTags(try row.string("tags")), state: ContentState(rawValue: try row.string("state")),
             inLibrary: try row.bool("is_template") || ContentState(rawValue: try row.string("state")).map(ContentState.inLibrary.contains) == true)
        }
        try await db.raw("""
            UPDATE content_items SET title = \(bind: item.title), body = \(bind: item.body), summary = \(bind: item.summary),
            tags = \(bind: Self.encodeTags(item.tags)), category = \(bind: item.category.rawValue), cover_asset_id = \(bind: item.coverAssetID),
            state = \(bind: item.state.rawValue), owner_id = \(bind: item.ownerID), group_id = \(bind: item.groupID), topic_id = \(bind: item.topicID),
            planned_at = \(bind: item.plannedAt?.epochMilliseconds), version = \(bind: item.version), review_stage = \(bind: item.reviewStage),
            is_template = \(bind: item.isTemplate), search_text = \(bind: searchText(item)), updated_at = \(bind: item.updatedAt.epochMilliseconds)
            WHERE id = \(bind: item.id)
            """).run()
        try await search.index(contentID: item.id, text: searchText(item), on: db)
        try await adjustLibraryTagCounts(before: before.map { ($0.tags, $0.inLibrary) }, after: (item.tags, item.isInLibrary))
        if let previous = before?.state, previous != item.state {
            try await adjustStateCount(previous, by: -1)
            try await adjustStateCount(item.state, by: 1)
        }
    }

    /// When the item goes out, as the publishing room says (its earliest waiting
    /// target): the calendar shows what will happen.
    public func setPlannedAt(id: String, _ plannedAt: Date) async throws {
        try await db.raw("UPDATE content_items SET planned_at = \(bind: plannedAt.epochMilliseconds) WHERE id = \(bind: id)").run()
    }

    /// Reads the item for a change, locking its row on PostgreSQL so two saves
    /// of the same item are serialised and the version check is exact.
    func findForUpdate(id: String) async throws -> ContentItem? {
        return try await db.raw("SELECT * FROM content_items WHERE id = \(bind: id)\(RowLock.update)").first().map(Self.item(from:))
    }

    private func searchText(_ item: ContentItem) -> String {
        ContentSearch.searchText(title: item.title, body: item.body, summary: item.summary, tags: item.tags)
    }

    // MARK: Variants

    public func variants(contentID: String) async throws -> [ContentVariant] {
        let rows = try await db.raw("SELECT * FROM content_variants WHERE content_id = \(bind: contentID)").all()
        let variants = try rows.map(Self.variant(from:))
        let order = Platform.allCases
        return variants.sorted { (order.firstIndex(of: $0.platform) ?? 0) < (order.firstIndex(of: $1.platform) ?? 0) }
    }

    /// The platforms each item has a variant for, in one query (calendar cells
    /// and exports show them for every item at once).
    public func platforms(contentIDs: [String]) async throws -> [String: [Platform]] {
        guard !contentIDs.isEmpty else { return [:] }
        var result: [String: [Platform]] = [:]
        // Chunks keep the bind count far below both databases' limits.
        for start in stride(from: 0, to: contentIDs.count, by: 500) {
            let chunk = Array(contentIDs[start..<min(start + 500, contentIDs.count)])
            for row in try await db.raw("SELECT content_id, platform FROM content_variants WHERE content_id IN (\(binds: chunk))").all() {
                if let platform = Platform(rawValue: try row.string("platform")) { result[try row.string("content_id"), default: []].append(platform) }
            }
        }
        let order = Platform.allCases
        return result.mapValues { $0.sorted { (order.firstIndex(of: $0) ?? 0) < (order.firstIndex(of: $1) ?? 0) } }
    }

    public func saveVariant(_ variant: ContentVariant) async throws {
        try await db.raw("DELETE FROM content_variants WHERE content_id = \(bind: variant.contentID) AND platform = \(bind: variant.platform.rawValue)").run()
        try await db.raw("""
            INSERT INTO content_variants (id, content_id, platform, title, body, tags, link, media, updated_at)
            VALUES (\(bind: variant.id), \(bind: variant.contentID), \(bind: variant.platform.rawValue), \(bind: variant.title), \(bind: variant.body),
            \(bind: Self.encodeTags(variant.tags)), \(bind: variant.link), \(bind: JSONText.encode(variant.mediaAssetIDs)), \(bind: variant.updatedAt.epochMilliseconds))
            """).run()
    }

    public func deleteVariant(contentID: String, platform: Platform) async throws {
        try await db.raw("DELETE FROM content_variants WHERE content_id = \(bind: contentID) AND platform = \(bind: platform.rawValue)").run()
    }

    // MARK: Versions

    public func saveVersion(_ item: ContentItem, variants: [ContentVariant], author: Principal) async throws {
        let snapshot = ContentSnapshot(item: item, variants: variants)
        try await db.raw("""
            INSERT INTO content_versions (id, content_id, version, snapshot, author_id, author_name, created_at)
            VALUES (\(bind: Identifier.makeOrdered("ver")), \(bind: item.id), \(bind: item.version), \(bind: JSONText.encode(snapshot)),
            \(bind: author.memberID), \(bind: author.name), \(bind: item.updatedAt.epochMilliseconds))
            """).run()
    }

    public func versions(contentID: String) async throws -> [ContentVersion] {
        try await db.raw("SELECT * FROM content_versions WHERE content_id = \(bind: contentID) ORDER BY version DESC").all().map(Self.version(from:))
    }

    public func version(contentID: String, number: Int) async throws -> ContentVersion? {
        try await db.raw("SELECT * FROM content_versions WHERE content_id = \(bind: contentID) AND version = \(bind: number)").first().map(Self.version(from:))
    }

    // MARK: Rows

    /// Tags are stored as "\u{1F}a\u{1F}b\u{1F}" so one LIKE finds a whole tag, never part of one.
    static func encodeTags(_ tags: [String]) -> String {
        tags.isEmpty ? "" : "\u{1F}" + tags.joined(separator: "\u{1F}") + "\u{1F}"
    }

    static func decodeTags(_ text: String) -> [String] {
        text.split(separator: "\u{1F}").map(String.init).filter { !$0.isEmpty }
    }

    static func item(from row: any SQLRow) throws -> ContentItem {
        ContentItem(
            id: try row.string("id"), title: try row.string("title"), body: try row.string("body"), summary: try row.string("summary"),
            tags: decodeTags(try row.string("tags")), category: try row.value("category", as: ContentCategory.self),
            coverAssetID: try row.optionalString("cover_asset_id"), state: try row.value("state", as: ContentState.self),
            ownerID: try row.optionalString("owner_id"), groupID: try row.optionalString("group_id"), topicID: try row.optionalString("topic_id"),
            plannedAt: try row.optionalDate("planned_at"), version: try row.int("version"), reviewStage: try row.int("review_stage"),
            isTemplate: try row.bool("is_template"), createdBy: try row.optionalString("created_by"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }

    static func variant(from row: any SQLRow) throws -> ContentVariant {
        ContentVariant(id: try row.string("id"), contentID: try row.string("content_id"), platform: try row.value("platform", as: Platform.self),
                       title: try row.string("title"), body: try row.string("body"), tags: decodeTags(try row.string("tags")),
                       link: try row.string("link"), mediaAssetIDs: JSONText.decode([String].self, from: try row.string("media")) ?? [],
                       updatedAt: try row.date("updated_at"))
    }

    static func version(from row: any SQLRow) throws -> ContentVersion {
        ContentVersion(version: try row.int("version"), authorID: try row.optionalString("author_id"), authorName: try row.string("author_name"),
                       createdAt: try row.date("created_at"),
                       snapshot: JSONText.decode(ContentSnapshot.self, from: try row.string("snapshot")) ?? ContentSnapshot.empty)
    }
}

/// What a version records: the master copy and every variant as they were.
public struct ContentSnapshot: Codable, Sendable, Equatable {
    public struct Variant: Codable, Sendable, Equatable {
        public var platform: String
        public var title: String
        public var body: String
        public var tags: [String]
        public var link: String
    }

    public var title: String
    public var body: String
    public var summary: String
    public var tags: [String]
    public var category: String
    public var variants: [Variant]

    init(item: ContentItem, variants: [ContentVariant]) {
        title = item.title
        body = item.body
        summary = item.summary
        tags = item.tags
        category = item.category.rawValue
        self.variants = variants.map { Variant(platform: $0.platform.rawValue, title: $0.title, body: $0.body, tags: $0.tags, link: $0.link) }
    }

    static let empty = ContentSnapshot(title: "", body: "", summary: "", tags: [], category: "", variants: [])

    init(title: String, body: String, summary: String, tags: [String], category: String, variants: [Variant]) {
        self.title = title
        self.body = body
        self.summary = summary
        self.tags = tags
        self.category = category
        self.variants = variants
    }

    /// The snapshot as readable plain text, one labelled section per part, for diffs.
    public var readableText: String {
        var parts = ["# \(title)", tags.isEmpty ? "" : "#" + tags.joined(separator: " #"), summary, HTMLSanitizer.plainText(body)]
        for variant in variants {
            parts.append("\n== \(variant.platform) ==")
            if !variant.title.isEmpty { parts.append(variant.title) }
            parts.append(HTMLSanitizer.plainText(variant.body))
            if !variant.link.isEmpty { parts.append(variant.link) }
        }
        return parts.filter { !$0.isEmpty }.joined(separator: "\n")
    }
}

public struct ContentVersion: Sendable, Equatable {
    public var version: Int
    public var authorID: String?
    public var authorName: String
    public var createdAt: Date
    public var snapshot: ContentSnapshot
}
