import Foundation
import MediaOpsDomain
import MediaOpsStore

/// An entry as the API shows it; names in the request's language.
struct KnowledgeEntryDTO: Encodable {
    var id: String
    var kind: String
    var kind_name: String
    var title: String
    var body: String
    var tags: [String]
    var platforms: [String]
    @Nullable var author_id: String?
    @Nullable var author_name: String?
    var version: Int
    var created_at: Date
    var updated_at: Date

    init(_ entry: KnowledgeEntry, names: [String: String], t: Localizer) {
        id = entry.id
        kind = entry.kind.rawValue
        kind_name = t.t("knowledge.kind_\(entry.kind.rawValue)")
        title = entry.title
        body = entry.body
        tags = entry.tags
        platforms = entry.platforms.map(\.rawValue)
        author_id = entry.authorID
        author_name = entry.authorID.flatMap { names[$0] }
        version = entry.version
        created_at = entry.createdAt
        updated_at = entry.updatedAt
    }
}

/// An entry with its links, for `GET /api/v1/knowledge/{id}`.
struct KnowledgeEntryDetailDTO: Encodable {
    var entry: KnowledgeEntryDTO
    var links: [KnowledgeLinkDTO]

    func encode(to encoder: any Encoder) throws {
        try entry.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(links, forKey: .links)
    }

    enum Key: String, CodingKey { case links }
}

struct KnowledgeLinkDTO: Encodable {
    var kind: String
    var target_id: String
    /// Nil when the thing was deleted since it was linked.
    @Nullable var title: String?
    @Nullable var href: String?
    var created_at: Date

    init(_ resolved: ResolvedKnowledgeLink) {
        kind = resolved.link.kind.rawValue
        target_id = resolved.link.targetID
        title = resolved.target?.title
        href = resolved.target == nil ? nil : KnowledgeLinks.href(resolved.link.kind, resolved.link.targetID)
        created_at = resolved.link.createdAt
    }
}

struct KnowledgeRevisionDTO: Encodable {
    var version: Int
    var kind: String
    var title: String
    var body: String
    var tags: [String]
    var platforms: [String]
    @Nullable var editor_id: String?
    var editor_name: String
    var changed_fields: [String]
    var saved_at: Date

    init(_ revision: KnowledgeRevision) {
        version = revision.version
        kind = revision.kind.rawValue
        title = revision.title
        body = revision.body
        tags = revision.tags
        platforms = revision.platforms.map(\.rawValue)
        editor_id = revision.editorID
        editor_name = revision.editorName
        changed_fields = revision.changedFields
        saved_at = revision.savedAt
    }
}

/// Where a link's target lives in the web pages, and who may see it: one case per link kind.
enum KnowledgeLinks {
    static func href(_ kind: KnowledgeLinkKind, _ id: String) -> String {
        switch kind {
        case .content: ContentPath.item(.value(id)).path
        case .goal: PlanningPath.goal(.value(id)).path
        case .task: WorkPath.task(.value(id)).path
        }
    }

    /// What it takes to see the target in its own room. An entry's links to things a
    /// reader may not see are left out, so the knowledge base names no goal or task
    /// its reader could not open.
    static func permission(_ kind: KnowledgeLinkKind) -> Permission {
        switch kind {
        case .content: .contentView
        case .goal: .planningView
        case .task: .tasksView
        }
    }

    static func visible(_ links: [ResolvedKnowledgeLink], to permissions: Set<Permission>) -> [ResolvedKnowledgeLink] {
        links.filter { permissions.contains(permission($0.link.kind)) }
    }
}
