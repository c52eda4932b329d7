import Foundation

/// What a knowledge-base entry is: a lesson learned (经验教训), a playbook
/// that says how the team does a recurring piece of work (打法), a creative
/// note kept for later (创意笔记), or a template a writer starts a draft from (模板).
public enum KnowledgeKind: String, CaseIterable, Sendable, Codable {
    case lesson
    case playbook
    case creativeNote = "creative_note"
    case template
}

/// One entry of the knowledge base (经验沉淀). The body is plain text: pages
/// escape it and turn blank lines into paragraphs, so nothing a writer types
/// is ever taken as markup.
public struct KnowledgeEntry: Sendable, Equatable {
    public var id: String
    public var kind: KnowledgeKind
    public var title: String
    public var body: String
    public var tags: [String]
    /// The platforms the entry is about; empty when it holds for every platform.
    public var platforms: [Platform]
    public var authorID: String?
    /// Incremented on every save; each version is kept in the entry's history.
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, kind: KnowledgeKind, title: String, body: String, tags: [String] = [], platforms: [Platform] = [],
                authorID: String? = nil, version: Int = 1, createdAt: Date = Date(timeIntervalSince1970: 0),
                updatedAt: Date = Date(timeIntervalSince1970: 0)) {
        self.id = id
        self.kind = kind
        self.title = title
        self.body = body
        self.tags = tags
        self.platforms = platforms
        self.authorID = authorID
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public static let maxTitle = 120
    public static let maxBody = 20_000
    public static let maxTags = 12
    public static let maxTag = 20

    /// The platforms an entry can be about: the content platforms (not the webhook).
    public static var platformChoices: [Platform] { Platform.allCases.filter { $0 != .webhook } }

    /// Tags as typed (comma, 、, ， or spaces between them): trimmed, a leading # dropped, duplicates removed in order.
    public static func parseTags(_ text: String) -> [String] {
        let separators = CharacterSet(charactersIn: ",，、;；\n").union(.whitespaces)
        var seen = Set<String>()
        var tags: [String] = []
        for part in text.components(separatedBy: separators) {
            var tag = part.trimmingCharacters(in: .whitespacesAndNewlines)
            while tag.hasPrefix("#") || tag.hasPrefix("＃") { tag.removeFirst() }
            guard !tag.isEmpty, seen.insert(tag.lowercased()).inserted else { continue }
            tags.append(tag)
        }
        return tags
    }

    /// Every broken field at once, in the form's order.
    public func validationErrors() -> [ValidationError] {
        var errors: [ValidationError] = []
        if title.isEmpty { errors.append(ValidationError(field: "title", code: "required")) }
        else if title.count > Self.maxTitle { errors.append(ValidationError(field: "title", code: "too_long", params: ["max": String(Self.maxTitle)])) }
        if body.isEmpty { errors.append(ValidationError(field: "body", code: "required")) }
        else if body.count > Self.maxBody { errors.append(ValidationError(field: "body", code: "too_long", params: ["max": String(Self.maxBody)])) }
        if tags.count > Self.maxTags { errors.append(ValidationError(field: "tags", code: "knowledge_too_many_tags", params: ["max": String(Self.maxTags)])) }
        else if let long = tags.first(where: { $0.count > Self.maxTag }) {
            errors.append(ValidationError(field: "tags", code: "knowledge_tag_too_long", params: ["max": String(Self.maxTag), "tag": long]))
        }
        if platforms.contains(.webhook) { errors.append(ValidationError(field: "platforms", code: "invalid_choice", params: ["choices": Self.platformChoices.map(\.rawValue).joined(separator: ", ")])) }
        return errors
    }
}

/// One saved version of an entry: what it said and who saved it, with the
/// fields that changed from the version before.
public struct KnowledgeRevision: Sendable, Equatable {
    public var entryID: String
    public var version: Int
    public var kind: KnowledgeKind
    public var title: String
    public var body: String
    public var tags: [String]
    public var platforms: [Platform]
    public var editorID: String?
    public var editorName: String
    /// The fields this version changed (kind, title, body, tags, platforms); empty for the first.
    public var changedFields: [String]
    public var savedAt: Date

    public init(entryID: String, version: Int, kind: KnowledgeKind, title: String, body: String, tags: [String], platforms: [Platform],
                editorID: String?, editorName: String, changedFields: [String], savedAt: Date) {
        self.entryID = entryID
        self.version = version
        self.kind = kind
        self.title = title
        self.body = body
        self.tags = tags
        self.platforms = platforms
        self.editorID = editorID
        self.editorName = editorName
        self.changedFields = changedFields
        self.savedAt = savedAt
    }
}

/// What an entry can be linked to. Each kind has one resolver, handed to the
/// knowledge service when the application is built, that says whether a target
/// exists and what it is called; adding a room (campaigns, crisis cases) is one
/// case here and one resolver there.
public enum KnowledgeLinkKind: String, CaseIterable, Sendable, Codable {
    case content
    case goal
    case task
}

/// An entry linked to a thing of another room.
public struct KnowledgeLink: Sendable, Equatable {
    public var entryID: String
    public var kind: KnowledgeLinkKind
    public var targetID: String
    public var createdBy: String?
    public var createdAt: Date

    public init(entryID: String, kind: KnowledgeLinkKind, targetID: String, createdBy: String?, createdAt: Date) {
        self.entryID = entryID
        self.kind = kind
        self.targetID = targetID
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// Links one entry may have (a bound on every list of them).
    public static let maxPerEntry = 200
}
