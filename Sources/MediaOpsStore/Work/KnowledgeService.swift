import Foundation
import MediaOpsDomain
import SQLKit

/// A thing of another room an entry can be linked to, as that room names it.
public struct KnowledgeLinkTarget: Sendable, Equatable {
    public var id: String
    public var title: String

    public init(id: String, title: String) {
        self.id = id
        self.title = title
    }
}

/// Answers, for one `KnowledgeLinkKind`, which targets exist and what they are
/// called, through the owning room's public service. One per kind is handed
/// to `KnowledgeService` when the application is built.
public protocol KnowledgeLinkResolver: Sendable {
    /// The targets among `ids` that exist, by id.
    func targets(ids: [String]) async throws -> [String: KnowledgeLinkTarget]
}

/// A resolver made of one room's batch read: the things among the ids that
/// exist, each with its id and title.
public struct KnowledgeRoomResolver: KnowledgeLinkResolver {
    let find: @Sendable ([String]) async throws -> [KnowledgeLinkTarget]

    public init(find: @escaping @Sendable ([String]) async throws -> [KnowledgeLinkTarget]) { self.find = find }

    public func targets(ids: [String]) async throws -> [String: KnowledgeLinkTarget] {
        Dictionary(try await find(ids).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Content items, through the content room's service.
    public static func content(_ content: ContentService) -> KnowledgeRoomResolver {
        KnowledgeRoomResolver { ids in try await content.find(ids: ids).map { KnowledgeLinkTarget(id: $0.id, title: $0.title) } }
    }

    /// Goals, through the 规划 room's service.
    public static func goals(_ goals: GoalService) -> KnowledgeRoomResolver {
        KnowledgeRoomResolver { ids in try await goals.options(ids: ids).map { KnowledgeLinkTarget(id: $0.id, title: $0.name) } }
    }

    /// Tasks, through the 任务 room's service.
    public static func tasks(_ tasks: TaskService) -> KnowledgeRoomResolver {
        KnowledgeRoomResolver { ids in try await tasks.tasks(ids: ids).map { KnowledgeLinkTarget(id: $0.id, title: $0.title) } }
    }
}

/// An entry's link with what it points at (nil when that thing was deleted since).
public struct ResolvedKnowledgeLink: Sendable, Equatable {
    public var link: KnowledgeLink
    public var target: KnowledgeLinkTarget?
}

/// The knowledge base's use cases: writing entries (every save kept as a
/// version), searching them in Chinese with the content library's search,
/// linking them to other rooms' things, and starting a content draft from a
/// template. Validated (every broken field at once), audited, transactional.
public struct KnowledgeService: Sendable {
    public let database: Database
    let content: ContentService
    let resolvers: [KnowledgeLinkKind: any KnowledgeLinkResolver]

    /// `resolvers` names the link kinds this application can resolve; a kind
    /// without one is refused when linking.
    public init(database: Database, content: ContentService, resolvers: [KnowledgeLinkKind: any KnowledgeLinkResolver]) {
        self.database = database
        self.content = content
        self.resolvers = resolvers
    }

    /// The service with a resolver for content and for each room handed in.
    public static func standard(database: Database, content: ContentService, goals: GoalService? = nil, tasks: TaskService? = nil) -> KnowledgeService {
        var resolvers: [KnowledgeLinkKind: any KnowledgeLinkResolver] = [.content: KnowledgeRoomResolver.content(content)]
        if let goals { resolvers[.goal] = KnowledgeRoomResolver.goals(goals) }
        if let tasks { resolvers[.task] = KnowledgeRoomResolver.tasks(tasks) }
        return KnowledgeService(database: database, content: content, resolvers: resolvers)
    }

    var repository: KnowledgeRepository { KnowledgeRepository(database.sql) }

    // MARK: Reads

    public func entry(id: String) async throws -> KnowledgeEntry? { try await repository.find(id: id) }

    public func list(filter: KnowledgeFilter, sort: KnowledgeSort = .updated, descending: Bool = true, page: PageRequest) async throws -> Page<KnowledgeEntry> {
        try await repository.list(filter: filter, sort: sort, descending: descending, page: page)
    }

    public func tagCounts(limit: Int = 30) async throws -> [(tag: String, count: Int)] { try await repository.tagCounts(limit: limit) }

    public func authorIDs() async throws -> [String] { try await repository.authorIDs() }

    public func counts() async throws -> [KnowledgeKind: Int] { try await repository.counts() }

    public func revisions(entryID: String) async throws -> [KnowledgeRevision] { try await repository.revisions(entryID: entryID) }

    public func revision(entryID: String, version: Int) async throws -> KnowledgeRevision? { try await repository.revision(entryID: entryID, version: version) }

    /// The link kinds this application resolves.
    public var linkKinds: [KnowledgeLinkKind] { KnowledgeLinkKind.allCases.filter { resolvers[$0] != nil } }

    /// One thing of another room as its room names it, nil when it does not exist
    /// (or its kind is not resolved here).
    public func target(kind: KnowledgeLinkKind, id: String) async throws -> KnowledgeLinkTarget? {
        try await resolvers[kind]?.targets(ids: [id])[id]
    }

    /// An entry's links, each with its target as its room names it now.
    public func links(entryID: String) async throws -> [ResolvedKnowledgeLink] {
        let links = try await repository.links(entryID: entryID)
        var targets: [KnowledgeLinkKind: [String: KnowledgeLinkTarget]] = [:]
        for (kind, group) in Dictionary(grouping: links, by: \.kind) {
            targets[kind] = try await resolvers[kind]?.targets(ids: group.map(\.targetID)) ?? [:]
        }
        return links.map { ResolvedKnowledgeLink(link: $0, target: targets[$0.kind]?[$0.targetID]) }
    }

    /// The entries linked to one thing of another room, most recently changed first.
    public func entries(linkedTo kind: KnowledgeLinkKind, targetID: String) async throws -> [KnowledgeEntry] {
        try await repository.find(ids: try await repository.links(kind: kind, targetID: targetID).map(\.entryID))
    }

    // MARK: Entries

    /// Trimmed title and body, tags parsed and deduplicated, platforms once each.
    public static func cleaned(_ entry: KnowledgeEntry) -> KnowledgeEntry {
        var entry = entry
        entry.title = entry.title.trimmingCharacters(in: .whitespacesAndNewlines)
        entry.body = entry.body.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        entry.tags = KnowledgeEntry.parseTags(entry.tags.joined(separator: ","))
        var seen = Set<Platform>()
        entry.platforms = entry.platforms.filter { seen.insert($0).inserted }
        return entry
    }

    static func check(_ entry: KnowledgeEntry) throws {
        let errors = entry.validationErrors()
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
    }

    static func fields(_ entry: KnowledgeEntry) -> [String: String] {
        ["kind": entry.kind.rawValue, "title": entry.title, "body": entry.body, "tags": entry.tags.joined(separator: ", "),
         "platforms": entry.platforms.map(\.rawValue).joined(separator: ", ")]
    }

    /// Audit values of a body are long; the log keeps its length and first line.
    static func auditFields(_ entry: KnowledgeEntry) -> [String: String] {
        var fields = fields(entry)
        let firstLine = entry.body.split(separator: "\n").first.map(String.init) ?? ""
        fields["body"] = String(firstLine.prefix(80)) + (entry.body.count > firstLine.prefix(80).count ? "…" : "") + " (\(entry.body.count))"
        return fields
    }

    public func create(_ draft: KnowledgeEntry, by principal: Principal, now: Date? = nil) async throws -> KnowledgeEntry {
        let now = now ?? database.now()
        var entry = Self.cleaned(draft)
        entry.id = Identifier.makeOrdered("kno")
        entry.authorID = principal.memberID
        entry.version = 1
        entry.createdAt = now
        entry.updatedAt = now
        try Self.check(entry)
        let checked = entry
        return try await database.transaction { db in
            let repository = KnowledgeRepository(db)
            try await repository.insert(checked)
            try await repository.saveRevision(Self.revision(checked, principal: principal, changed: [], at: now))
            try await Audit.record(db, principal, .create, .knowledgeEntry, checked.id, label: checked.title,
                                   changes: Self.auditFields(checked).filter { !$0.value.isEmpty }.mapValues { ["", $0] }, at: now)
            return checked
        }
    }

    /// Saves an edit as the next version. `expectedVersion` is the version the
    /// writer started from: a stale one is refused (409) so nobody overwrites a
    /// colleague's words unseen. An edit that changes nothing saves nothing.
    public func update(_ edited: KnowledgeEntry, expectedVersion: Int?, by principal: Principal, now: Date? = nil) async throws -> KnowledgeEntry {
        let now = now ?? database.now()
        let cleaned = Self.cleaned(edited)
        try Self.check(cleaned)
        return try await database.transaction { db in
            let repository = KnowledgeRepository(db)
            guard let before = try await repository.find(id: cleaned.id, lock: true) else { throw NotFoundError(entity: "knowledge_entry") }
            if let expectedVersion, expectedVersion != before.version {
                throw ConflictError(code: "stale_version", field: "version", params: ["current": String(before.version), "given": String(expectedVersion)])
            }
            let changed = ChangeSet(from: Self.fields(before), to: Self.fields(cleaned))
            guard !changed.isEmpty else { return before }
            var entry = cleaned
            entry.authorID = before.authorID
            entry.createdAt = before.createdAt
            entry.version = before.version + 1
            entry.updatedAt = now
            try await repository.update(entry)
            try await repository.saveRevision(Self.revision(entry, principal: principal, changed: changed.changes.keys.sorted(), at: now))
            try await Audit.record(db, principal, .update, .knowledgeEntry, entry.id, label: entry.title,
                                   changes: ChangeSet(from: Self.auditFields(before), to: Self.auditFields(entry)).changes, at: now)
            return entry
        }
    }

    public func delete(id: String, by principal: Principal, now: Date? = nil) async throws {
        let now = now ?? database.now()
        try await database.transaction { db in
            let repository = KnowledgeRepository(db)
            guard let entry = try await repository.find(id: id, lock: true) else { throw NotFoundError(entity: "knowledge_entry") }
            try await repository.delete(id: id)
            try await Audit.record(db, principal, .delete, .knowledgeEntry, id, label: entry.title, at: now)
        }
    }

    static func revision(_ entry: KnowledgeEntry, principal: Principal, changed: [String], at: Date) -> KnowledgeRevision {
        KnowledgeRevision(entryID: entry.id, version: entry.version, kind: entry.kind, title: entry.title, body: entry.body, tags: entry.tags,
                          platforms: entry.platforms, editorID: principal.memberID, editorName: principal.name, changedFields: changed, savedAt: at)
    }

    // MARK: Links

    /// Links an entry to a thing of another room. Linking again what is already
    /// linked changes nothing; a target its room does not know is refused.
    @discardableResult
    public func link(entryID: String, kind: KnowledgeLinkKind, targetID: String, by principal: Principal, now: Date? = nil) async throws -> ResolvedKnowledgeLink {
        let now = now ?? database.now()
        let target = targetID.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let resolver = resolvers[kind] else {
            throw ValidationError(field: "kind", code: "invalid_choice", params: ["choices": linkKinds.map(\.rawValue).joined(separator: ", ")])
        }
        guard !target.isEmpty else { throw ValidationError(field: "target_id", code: "required") }
        guard target.count <= 64, let resolved = try await resolver.targets(ids: [target])[target] else {
            throw ValidationError(field: "target_id", code: "knowledge_link_target_unknown")
        }
        return try await database.transaction { db in
            let repository = KnowledgeRepository(db)
            guard let entry = try await repository.find(id: entryID, lock: true) else { throw NotFoundError(entity: "knowledge_entry") }
            if let existing = try await repository.link(entryID: entryID, kind: kind, targetID: target) {
                return ResolvedKnowledgeLink(link: existing, target: resolved)
            }
            guard try await repository.linkCount(entryID: entryID) < KnowledgeLink.maxPerEntry else {
                throw ValidationError(field: "target_id", code: "too_many", params: ["max": String(KnowledgeLink.maxPerEntry)])
            }
            let link = KnowledgeLink(entryID: entryID, kind: kind, targetID: target, createdBy: principal.memberID, createdAt: now)
            try await repository.insertLink(link)
            try await Audit.record(db, principal, .update, .knowledgeEntry, entryID, label: entry.title,
                                   changes: ["link_\(kind.rawValue)": ["", resolved.title]], at: now)
            return ResolvedKnowledgeLink(link: link, target: resolved)
        }
    }

    public func unlink(entryID: String, kind: KnowledgeLinkKind, targetID: String, by principal: Principal, now: Date? = nil) async throws {
        let now = now ?? database.now()
        let title = try await resolvers[kind]?.targets(ids: [targetID])[targetID]?.title ?? targetID
        try await database.transaction { db in
            let repository = KnowledgeRepository(db)
            guard let entry = try await repository.find(id: entryID, lock: true) else { throw NotFoundError(entity: "knowledge_entry") }
            guard try await repository.link(entryID: entryID, kind: kind, targetID: targetID) != nil else { throw NotFoundError(entity: "knowledge_link") }
            try await repository.deleteLink(entryID: entryID, kind: kind, targetID: targetID)
            try await Audit.record(db, principal, .update, .knowledgeEntry, entryID, label: entry.title,
                                   changes: ["link_\(kind.rawValue)": [title, ""]], at: now)
        }
    }

    // MARK: Templates

    /// Starts a content draft from a template entry: its title and body (as
    /// paragraphs) and tags become the draft's, through the content room's
    /// service, and the draft is linked back to the template so the team can
    /// see which pieces a template produced. Only templates can be used.
    public func useTemplate(entryID: String, by principal: Principal) async throws -> ContentItem {
        guard let entry = try await repository.find(id: entryID) else { throw NotFoundError(entity: "knowledge_entry") }
        guard entry.kind == .template else { throw ValidationError(field: "kind", code: "knowledge_not_a_template") }
        let tags = Array(entry.tags.prefix(10))
        let item = try await content.create(ContentService.ItemInput(title: String(entry.title.prefix(100)), body: HTMLSanitizer.paragraphs(fromPlainText: entry.body),
                                                                     tags: tags), by: principal)
        if resolvers[.content] != nil { try await link(entryID: entry.id, kind: .content, targetID: item.id, by: principal) }
        return item
    }
}
