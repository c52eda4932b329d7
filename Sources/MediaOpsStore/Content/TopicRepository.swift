import Foundation
import MediaOpsDomain
import SQLKit

/// Topics (选题), their groups, votes and comments: every statement on those
/// tables. `TopicService` decides; this only reads and writes.
public struct TopicRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public func find(id: String) async throws -> Topic? {
        guard let row = try await db.raw("SELECT * FROM topics WHERE id = \(bind: id)").first() else { return nil }
        return try await topic(from: row)
    }

    /// Whether the topic is still `accepted`, read inside the converting transaction.
    func isAccepted(id: String) async throws -> Bool {
        try await db.raw("SELECT status FROM topics WHERE id = \(bind: id)").first().map { try $0.string("status") == TopicStatus.accepted.rawValue } ?? false
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
        let total = try await db.raw("SELECT COUNT(*) AS n FROM topics " + whereClause).first()?.int("n") ?? 0
        let rows = try await db.raw("""
            SELECT t.*, (SELECT COUNT(*) FROM topic_votes v WHERE v.topic_id = t.id) AS vote_count FROM topics t
            """ + " " + whereClause + " ORDER BY priority DESC, vote_count DESC, created_at ASC, id ASC LIMIT \(bind: page.perPage) OFFSET \(bind: page.offset)").all()
        var topics: [Topic] = []
        for row in rows { topics.append(try await topic(from: row)) }
        return Page(items: topics, total: total, page: page.page, perPage: page.perPage)
    }

    public func comments(topicID: String) async throws -> [TopicComment] {
        try await db.raw("SELECT * FROM topic_comments WHERE topic_id = \(bind: topicID) ORDER BY created_at ASC, id ASC").all().map {
            TopicComment(id: try $0.string("id"), authorName: try $0.string("author_name"), body: try $0.string("body"), at: try $0.date("created_at"))
        }
    }

    public func hasVoted(topicID: String, memberID: String) async throws -> Bool {
        try await db.raw("SELECT COUNT(*) AS n FROM topic_votes WHERE topic_id = \(bind: topicID) AND user_id = \(bind: memberID)").first()?.int("n") ?? 0 > 0
    }

    func votes(topicID: String) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM topic_votes WHERE topic_id = \(bind: topicID)").first()?.int("n") ?? 0
    }

    // MARK: Writing

    func insert(_ topic: Topic) async throws {
        try await db.raw("""
            INSERT INTO topics (id, title, source, category, priority, owner_id, notes, status, content_id, created_by, created_at, updated_at)
            VALUES (\(bind: topic.id), \(bind: topic.title), \(bind: topic.source.rawValue), \(bind: topic.category.rawValue), \(bind: topic.priority.rawValue),
            \(bind: topic.ownerID), \(bind: topic.notes), \(bind: topic.status.rawValue), \(bind: topic.contentID), \(bind: topic.createdBy),
            \(bind: topic.createdAt.epochMilliseconds), \(bind: topic.updatedAt.epochMilliseconds))
            """).run()
        try await setGroups(topic.groupIDs, topicID: topic.id)
    }

    /// Saves the editable fields and the groups.
    func update(_ topic: Topic, at now: Date) async throws {
        try await db.raw("""
            UPDATE topics SET title = \(bind: topic.title), source = \(bind: topic.source.rawValue), category = \(bind: topic.category.rawValue),
            priority = \(bind: topic.priority.rawValue), owner_id = \(bind: topic.ownerID), notes = \(bind: topic.notes),
            updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: topic.id)
            """).run()
        try await setGroups(topic.groupIDs, topicID: topic.id)
    }

    func setStatus(id: String, _ status: TopicStatus, contentID: String? = nil, at now: Date) async throws {
        if let contentID {
            try await db.raw("""
                UPDATE topics SET status = \(bind: status.rawValue), content_id = \(bind: contentID), updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)
                """).run()
        } else {
            try await db.raw("UPDATE topics SET status = \(bind: status.rawValue), updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)").run()
        }
    }

    /// Adds the member's vote, or takes it back if there was one; true when it was added.
    func toggleVote(topicID: String, memberID: String, at now: Date) async throws -> Bool {
        if try await hasVoted(topicID: topicID, memberID: memberID) {
            try await db.raw("DELETE FROM topic_votes WHERE topic_id = \(bind: topicID) AND user_id = \(bind: memberID)").run()
            return false
        }
        try await db.raw("INSERT INTO topic_votes (topic_id, user_id, created_at) VALUES (\(bind: topicID), \(bind: memberID), \(bind: now.epochMilliseconds))").run()
        return true
    }

    func addComment(_ comment: TopicComment, topicID: String, authorID: String?) async throws {
        try await db.raw("""
            INSERT INTO topic_comments (id, topic_id, author_id, author_name, body, created_at)
            VALUES (\(bind: comment.id), \(bind: topicID), \(bind: authorID), \(bind: comment.authorName), \(bind: comment.body), \(bind: comment.at.epochMilliseconds))
            """).run()
    }

    private func setGroups(_ groups: [String], topicID: String) async throws {
        try await db.raw("DELETE FROM topic_groups WHERE topic_id = \(bind: topicID)").run()
        for group in groups {
            try await db.raw("INSERT INTO topic_groups (topic_id, group_id) VALUES (\(bind: topicID), \(bind: group))").run()
        }
    }

    private func topic(from row: any SQLRow) async throws -> Topic {
        let id = try row.string("id")
        let groups = try await db.raw("SELECT group_id FROM topic_groups WHERE topic_id = \(bind: id) ORDER BY group_id").all().map { try $0.string("group_id") }
        return Topic(id: id, title: try row.string("title"), source: try row.value("source", as: TopicSource.self),
                     category: try row.value("category", as: ContentCategory.self),
                     priority: try row.value("priority", as: TopicPriority.self), ownerID: try row.optionalString("owner_id"),
                     notes: try row.string("notes"), status: try row.value("status", as: TopicStatus.self), groupIDs: groups,
                     contentID: try row.optionalString("content_id"), votes: try await votes(topicID: id), createdBy: try row.optionalString("created_by"),
                     createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}
