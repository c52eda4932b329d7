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

    public func find(id: String) async throws -> Topic? {
        guard let row = try await database.sql.raw("SELECT * FROM topics WHERE id = \(bind: id)").first() else { return nil }
        return try await topic(from: row, db: database.sql)
    }

    /// Topics by priority, then votes, then age: what to write next comes first.
    public func list(filter: TopicFilter, page: PageRequest) async throws -> Page<Topic> {
        var conditions: [SQLQueryString] = []
        if let status = filter.status { conditions.append("status = \(bind: status.rawValue)") }
        if let source = filter.source { conditions.append("source = \(bind: source.rawValue)") }
        if let owner = filter.ownerID, !owner.isEmpty { conditions.append("owner_id = \(bind: owner)") }
        if let group = filter.groupID, !group.isEmpty { conditions.append("id IN (SELECT topic_id FROM topic_groups WHERE group_id = \(bind: group))") }
        if let query = filter.query, !query.isEmpty {
            conditions.append("(LOWER(title) LIKE \(bind: likePattern(query)) ESCAPE '\\' OR LOWER(notes) LIKE \(bind: likePattern(query)) ESCAPE '\\')")
        }
        let whereClause = whereSQL(conditions)
        let db = database.sql
        let total = try await db.raw("SELECT COUNT(*) AS n FROM topics " + whereClause).first()?.int("n") ?? 0
        let rows = try await db.raw("""
            SELECT t.*, (SELECT COUNT(*) FROM topic_votes v WHERE v.topic_id = t.id) AS vote_count FROM topics t
            """ + " " + whereClause + " ORDER BY priority DESC, vote_count DESC, created_at ASC, id ASC LIMIT \(bind: page.perPage) OFFSET \(bind: page.offset)").all()
        var topics: [Topic] = []
        for row in rows { topics.append(try await topic(from: row, db: db)) }
        return Page(items: topics, total: total, page: page.page, perPage: page.perPage)
    }

    public func comments(topicID: String) async throws -> [TopicComment] {
        try await database.sql.raw("SELECT * FROM topic_comments WHERE topic_id = \(bind: topicID) ORDER BY created_at ASC, id ASC").all().map {
            TopicComment(id: try $0.string("id"), authorName: try $0.string("author_name"), body: try $0.string("body"), at: try $0.date("created_at"))
        }
    }

    public func hasVoted(topicID: String, memberID: String) async throws -> Bool {
        try await database.sql.raw("SELECT COUNT(*) AS n FROM topic_votes WHERE topic_id = \(bind: topicID) AND user_id = \(bind: memberID)").first()?.int("n") ?? 0 > 0
    }

    // MARK: Changing

    public func propose(_ input: Input, by principal: Principal) async throws -> Topic {
        let now = Date()
        var topic = Topic(id: Identifier.make("top"), title: "", source: .other, category: .industry, priority: .normal, ownerID: principal.memberID,
                          notes: "", status: .proposed, groupIDs: [], contentID: nil, votes: 0, createdBy: principal.memberID, createdAt: now, updatedAt: now)
        try Self.apply(input, to: &topic, creating: true)
        return try await database.transaction { [topic] db in
            var topic = topic
            try await Self.resolve(input, into: &topic, db: db)
            try await db.raw("""
                INSERT INTO topics (id, title, source, category, priority, owner_id, notes, status, content_id, created_by, created_at, updated_at)
                VALUES (\(bind: topic.id), \(bind: topic.title), \(bind: topic.source.rawValue), \(bind: topic.category.rawValue), \(bind: topic.priority.rawValue),
                \(bind: topic.ownerID), \(bind: topic.notes), \(bind: topic.status.rawValue), \(bind: topic.contentID), \(bind: topic.createdBy),
                \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds))
                """).run()
            try await Self.setGroups(topic.groupIDs, topicID: topic.id, db: db)
            try await Self.audit(db, principal, .create, topic, [:])
            return topic
        }
    }

    public func update(id: String, _ input: Input, by principal: Principal) async throws -> Topic {
        try await database.transaction { db in
            guard let row = try await db.raw("SELECT * FROM topics WHERE id = \(bind: id)").first() else { throw NotFoundError(entity: "topic") }
            var topic = try await topic(from: row, db: db)
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
            try await db.raw("""
                UPDATE topics SET title = \(bind: topic.title), source = \(bind: topic.source.rawValue), category = \(bind: topic.category.rawValue),
                priority = \(bind: topic.priority.rawValue), owner_id = \(bind: topic.ownerID), notes = \(bind: topic.notes),
                updated_at = \(bind: Date().epochMilliseconds) WHERE id = \(bind: id)
                """).run()
            try await Self.setGroups(topic.groupIDs, topicID: id, db: db)
            try await Self.audit(db, principal, .update, topic, changes.changes)
            return topic
        }
    }

    /// Accept, park, reject or reopen a topic. Deciding needs the approve permission.
    public func decide(id: String, status: TopicStatus, by principal: Principal) async throws -> Topic {
        guard status != .converted else { throw ConflictError(code: "use_convert", field: "status") }
        return try await database.transaction { db in
            guard let row = try await db.raw("SELECT * FROM topics WHERE id = \(bind: id)").first() else { throw NotFoundError(entity: "topic") }
            var topic = try await topic(from: row, db: db)
            guard Topic.canMove(from: topic.status, to: status) else {
                throw ConflictError(code: "invalid_topic_transition", field: "status", params: ["from": topic.status.rawValue, "to": status.rawValue])
            }
            let before = topic.status
            topic.status = status
            try await db.raw("UPDATE topics SET status = \(bind: status.rawValue), updated_at = \(bind: Date().epochMilliseconds) WHERE id = \(bind: id)").run()
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
            guard let row = try await db.raw("SELECT status FROM topics WHERE id = \(bind: id)").first(),
                  try row.string("status") == TopicStatus.accepted.rawValue else { throw ConflictError(code: "already_converted") }
            let now = Date()
            let item = ContentItem(id: Identifier.make("cnt"), title: String(topic.title.prefix(100)), body: body, summary: "", tags: [],
                                   category: topic.category, coverAssetID: nil, state: .draft, ownerID: topic.ownerID ?? principal.memberID,
                                   groupID: topic.groupIDs.first, topicID: topic.id, plannedAt: nil, version: 1, reviewStage: 0, isTemplate: false,
                                   createdBy: principal.memberID, createdAt: now, updatedAt: now)
            let repository = ContentRepository(db)
            try await repository.insert(item)
            try await repository.saveVersion(item, variants: [], author: principal)
            try await db.raw("""
                UPDATE topics SET status = \(bind: TopicStatus.converted.rawValue), content_id = \(bind: item.id), updated_at = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: id)
                """).run()
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
            guard try await db.raw("SELECT id FROM topics WHERE id = \(bind: id)").first() != nil else { throw NotFoundError(entity: "topic") }
            let existing = try await db.raw("SELECT COUNT(*) AS n FROM topic_votes WHERE topic_id = \(bind: id) AND user_id = \(bind: member)").first()?.int("n") ?? 0
            if existing > 0 {
                try await db.raw("DELETE FROM topic_votes WHERE topic_id = \(bind: id) AND user_id = \(bind: member)").run()
            } else {
                try await db.raw("INSERT INTO topic_votes (topic_id, user_id, created_at) VALUES (\(bind: id), \(bind: member), \(bind: Date().epochMilliseconds))").run()
            }
            let votes = try await db.raw("SELECT COUNT(*) AS n FROM topic_votes WHERE topic_id = \(bind: id)").first()?.int("n") ?? 0
            return (existing == 0, votes)
        }
    }

    public func comment(id: String, body: String?, by principal: Principal) async throws -> TopicComment {
        let body = try Validate.requiredText(body, field: "body", max: 2_000)
        return try await database.transaction { db in
            guard let row = try await db.raw("SELECT title FROM topics WHERE id = \(bind: id)").first() else { throw NotFoundError(entity: "topic") }
            let comment = TopicComment(id: Identifier.makeOrdered("tcm"), authorName: principal.name, body: body, at: Date())
            try await db.raw("""
                INSERT INTO topic_comments (id, topic_id, author_id, author_name, body, created_at)
                VALUES (\(bind: comment.id), \(bind: id), \(bind: principal.memberID), \(bind: principal.name), \(bind: body), \(bind: comment.at.epochMilliseconds))
                """).run()
            let title = try row.string("title")
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

    static func setGroups(_ groups: [String], topicID: String, db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM topic_groups WHERE topic_id = \(bind: topicID)").run()
        for group in groups {
            try await db.raw("INSERT INTO topic_groups (topic_id, group_id) VALUES (\(bind: topicID), \(bind: group))").run()
        }
    }

    func topic(from row: any SQLRow, db: any SQLDatabase) async throws -> Topic {
        let id = try row.string("id")
        let groups = try await db.raw("SELECT group_id FROM topic_groups WHERE topic_id = \(bind: id) ORDER BY group_id").all().map { try $0.string("group_id") }
        let votes = try await db.raw("SELECT COUNT(*) AS n FROM topic_votes WHERE topic_id = \(bind: id)").first()?.int("n") ?? 0
        return Topic(id: id, title: try row.string("title"), source: try row.value("source", as: TopicSource.self),
                     category: try row.value("category", as: ContentCategory.self),
                     priority: try row.value("priority", as: TopicPriority.self), ownerID: try row.optionalString("owner_id"),
                     notes: try row.string("notes"), status: try row.value("status", as: TopicStatus.self), groupIDs: groups,
                     contentID: try row.optionalString("content_id"), votes: votes, createdBy: try row.optionalString("created_by"),
                     createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }

    static func audit(_ db: any SQLDatabase, _ principal: Principal, _ action: AuditAction, _ topic: Topic, _ changes: [String: [String]]) async throws {
        try await Audit.record(db, principal, action, .topic, topic.id, label: topic.title, changes: changes)
    }
}
