import Foundation
import MediaOpsDomain
import SQLKit

public struct TopicComment: Sendable, Equatable {
    public var id: String
    public var authorName: String
    public var body: String
    public var at: Date
}

public struct TopicFilter: Sendable, Equatable {
    public var status: TopicStatus?
    public var source: TopicSource?
    public var groupID: String?
    public var ownerID: String?
    public var query: String?

    public init(status: TopicStatus? = nil, source: TopicSource? = nil, groupID: String? = nil, ownerID: String? = nil, query: String? = nil) {
        self.status = status
        self.source = source
        self.groupID = groupID
        self.ownerID = ownerID
        self.query = query
    }
}

/// The topic pool (选题库): propose, vote, comment, decide, and turn an
/// accepted topic into a content item in one step.
public struct TopicService: Sendable {
    public let database: Database
    let content: ContentService

    public init(database: Database) {
        self.database = database
        self.content = ContentService(database: database)
    }

    public struct Input: Sendable {
        public var title: String?
        public var source: String?
        public var category: String?
        public var priority: String?
        public var ownerID: String??
        public var notes: String?
        public var groups: [String]?

        public init(title: String? = nil, source: String? = nil, category: String? = nil, priority: String? = nil, ownerID: String?? = .none,
                    notes: String? = nil, groups: [String]? = nil) {
            self.title = title
            self.source = source
            self.category = category
            self.priority = priority
            self.ownerID = ownerID
            self.notes = notes
            self.groups = groups
        }
    }

    // MARK: Reading

    public func find(id: String) async throws -> Topic? { try await TopicRepository(database.sql).find(id: id) }

    /// Topics by priority, then votes, then age: what to write next comes first.
    public func list(filter: TopicFilter, page: PageRequest) async throws -> Page<Topic> {
        try await TopicRepository(database.sql).list(filter: filter, page: page)
    }

    public func comments(topicID: String) async throws -> [TopicComment] { try await TopicRepository(database.sql).comments(topicID: topicID) }

    public func hasVoted(topicID: String, memberID: String) async throws -> Bool {
        try await TopicRepository(database.sql).hasVoted(topicID: topicID, memberID: memberID)
    }

    // MARK: Changing

    public func propose(_ input: Input, by principal: Principal) async throws -> Topic {
        let now = database.now()
        var topic = Topic(id: Identifier.make("top"), title: "", source: .other, category: .industry, priority: .normal, ownerID: principal.memberID,
                          notes: "", status: .proposed, groupIDs: [], contentID: nil, votes: 0, createdBy: principal.memberID, createdAt: now, updatedAt: now)
        try Self.apply(input, to: &topic, creating: true)
        return try await database.transaction { [topic] db in
            var topic = topic
            try await Self.resolve(input, into: &topic, db: db)
            try await TopicRepository(db).insert(topic)
            try await Self.audit(db, principal, .create, topic, [:])
            return topic
        }
    }

    public func update(id: String, _ input: Input, by principal: Principal) async throws -> Topic {
        try await database.transaction { db in
            let topics = TopicRepository(db)
            guard var topic = try await topics.find(id: id) else { throw NotFoundError(entity: "topic") }
            let before = topic
            try Self.apply(input, to: &topic, creating: false)
            try await Self.resolve(input, into: &topic, db: db)
            var changes = ChangeSet()
            changes.record("title", before.title, topic.title)
            changes.record("source", before.source.rawValue, topic.source.rawValue)
            changes.record("category", before.category.rawValue, topic.category.rawValue)
            changes.record("priority", before.priority.key, topic.priority.key)
            changes.record("owner_id", before.ownerID, topic.ownerID)
            changes.record("notes", before.notes, topic.notes)
            changes.record("groups", before.groupIDs.sorted().joined(separator: ","), topic.groupIDs.sorted().joined(separator: ","))
            guard !changes.isEmpty else { return topic }
            try await topics.update(topic, at: database.now())
            try await Self.audit(db, principal, .update, topic, changes.changes)
            return topic
        }
    }

    /// Accept, park, reject or reopen a topic. Deciding needs the approve permission.
    public func decide(id: String, status: TopicStatus, by principal: Principal) async throws -> Topic {
        guard status != .converted else { throw ConflictError(code: "use_convert", field: "status") }
        return try await database.transaction { db in
            let topics = TopicRepository(db)
            guard var topic = try await topics.find(id: id) else { throw NotFoundError(entity: "topic") }
            guard Topic.canMove(from: topic.status, to: status) else {
                throw ConflictError(code: "invalid_topic_transition", field: "status", params: ["from": topic.status.rawValue, "to": status.rawValue])
            }
            let before = topic.status
            topic.status = status
            try await topics.setStatus(id: id, status, at: database.now())
            try await Self.audit(db, principal, .update, topic, ["status": [before.rawValue, status.rawValue]])
            return topic
        }
    }

    /// Turns an accepted topic into a draft content item that links back to it.
    public func convert(id: String, by principal: Principal) async throws -> ContentItem {
        guard let topic = try await find(id: id) else { throw NotFoundError(entity: "topic") }
        guard Topic.canMove(from: topic.status, to: .converted) else {
            throw ConflictError(code: "invalid_topic_transition", field: "status", params: ["from": topic.status.rawValue, "to": TopicStatus.converted.rawValue])
        }
        let body = topic.notes.isEmpty ? "" : HTMLSanitizer.paragraphs(fromPlainText: topic.notes)
        return try await database.transaction { db in
            // Re-read inside the transaction so two clicks cannot convert twice.
            let topics = TopicRepository(db)
            guard try await topics.isAccepted(id: id) else { throw ConflictError(code: "already_converted") }
            let now = database.now()
            let item = ContentItem(id: Identifier.make("cnt"), title: String(topic.title.prefix(100)), body: body, summary: "", tags: [],
                                   category: topic.category, coverAssetID: nil, state: .draft, ownerID: topic.ownerID ?? principal.memberID,
                                   groupID: topic.groupIDs.first, topicID: topic.id, plannedAt: nil, version: 1, reviewStage: 0, isTemplate: false,
                                   createdBy: principal.memberID, createdAt: now, updatedAt: now)
            let repository = ContentRepository(db)
            try await repository.insert(item)
            try await repository.saveVersion(item, variants: [], author: principal)
            try await topics.setStatus(id: id, .converted, contentID: item.id, at: now)
            try await ContentService.audit(db, principal, .create, item, ["topic": ["", topic.id]])
            var converted = topic
            converted.status = .converted
            try await Self.audit(db, principal, .update, converted, ["status": [topic.status.rawValue, "converted"], "content_id": ["", item.id]])
            return item
        }
    }

    /// Votes are one per member; voting again takes the vote back.
    public func toggleVote(id: String, by principal: Principal) async throws -> (voted: Bool, votes: Int) {
        guard let member = principal.memberID else { throw ConflictError(code: "members_only") }
        return try await database.transaction { db in
            let topics = TopicRepository(db)
            guard try await topics.find(id: id) != nil else { throw NotFoundError(entity: "topic") }
            let added = try await topics.toggleVote(topicID: id, memberID: member, at: database.now())
            return (added, try await topics.votes(topicID: id))
        }
    }

    public func comment(id: String, body: String?, by principal: Principal) async throws -> TopicComment {
        let body = try Validate.requiredText(body, field: "body", max: 2_000)
        return try await database.transaction { db in
            let topics = TopicRepository(db)
            guard let topic = try await topics.find(id: id) else { throw NotFoundError(entity: "topic") }
            let comment = TopicComment(id: Identifier.makeOrdered("tcm"), authorName: principal.name, body: body, at: database.now())
            try await topics.addComment(comment, topicID: id, authorID: principal.memberID)
            let title = topic.title
            for member in try await ContentService.mentioned(in: body, db: db) where member.id != principal.memberID {
                try await NotificationRepository(db).add(userID: member.id, kind: "mention", title: title, body: "\(principal.name): \(body)", link: "/topics/\(id)")
            }
            return comment
        }
    }

    // MARK: Helpers

    static func apply(_ input: Input, to topic: inout Topic, creating: Bool) throws {
        if creating || input.title != nil { topic.title = try Validate.requiredText(input.title, field: "title", max: 100) }
        if let source = input.source, !(source.isEmpty && !creating) {
            guard let parsed = TopicSource(rawValue: source) else {
                throw ValidationError(field: "source", code: "invalid_choice", params: ["choices": TopicSource.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            topic.source = parsed
        }
        if let category = input.category {
            guard let parsed = ContentCategory(rawValue: category) else {
                throw ValidationError(field: "category", code: "invalid_choice", params: ["choices": ContentCategory.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            topic.category = parsed
        }
        if let priority = input.priority {
            guard let parsed = TopicPriority(key: priority) else {
                throw ValidationError(field: "priority", code: "invalid_choice", params: ["choices": TopicPriority.allCases.map(\.key).joined(separator: ", ")])
            }
            topic.priority = parsed
        }
        if let notes = input.notes { topic.notes = try Validate.optionalText(notes, field: "notes", max: 5_000) }
    }

    static func resolve(_ input: Input, into topic: inout Topic, db: any SQLDatabase) async throws {
        if case .some(let owner) = input.ownerID {
            if let owner, !owner.isEmpty {
                guard let member = try await MemberRepository(db).find(id: owner), member.isActive else { throw ValidationError(field: "owner_id", code: "unknown_member") }
                topic.ownerID = member.id
            } else {
                topic.ownerID = nil
            }
        }
        if let groups = input.groups {
            var ids: [String] = []
            for group in groups where !group.isEmpty {
                guard try await AccountGroupRepository(db).find(id: group) != nil else { throw ValidationError(field: "groups", code: "unknown_group") }
                ids.append(group)
            }
            topic.groupIDs = Array(Set(ids)).sorted()
        }
    }

    static func audit(_ db: any SQLDatabase, _ principal: Principal, _ action: AuditAction, _ topic: Topic, _ changes: [String: [String]]) async throws {
        try await Audit.record(db, principal, action, .topic, topic.id, label: topic.title, changes: changes)
    }
}
