import Foundation
import MediaOpsDomain
import SQLKit

public struct ReviewEvent: Sendable, Equatable {
    public var id: String
    public var version: Int
    public var stage: Int
    public var memberID: String?
    public var memberName: String
    /// submit, approve, request_changes, withdraw, reopened, override
    public var action: String
    public var comment: String
    public var at: Date
}

public struct ReviewComment: Sendable, Equatable {
    public var id: String
    public var authorID: String?
    public var authorName: String
    public var body: String
    /// "master" or a platform key: which copy the comment is about.
    public var anchor: String
    /// Code-point range in that copy's plain text, when the comment is on a passage.
    public var rangeStart: Int?
    public var rangeEnd: Int?
    public var quote: String
    public var at: Date
}

/// Review flows per account group, the review trail and reviewers' comments.
public struct ReviewRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    static let defaultKey = "default"

    /// The group's own flow, else the workspace default, else the standard one-stage flow.
    public func flow(groupID: String?) async throws -> ReviewFlow {
        for key in [groupID, Self.defaultKey].compactMap({ $0 }) {
            if let row = try await db.raw("SELECT stages FROM review_flows WHERE group_key = \(bind: key)").first(),
               let stages = JSONText.decode([ReviewStage].self, from: try row.string("stages")), !stages.isEmpty {
                return ReviewFlow(groupID: key == Self.defaultKey ? nil : key, stages: stages)
            }
        }
        return .standard
    }

    /// Flows defined explicitly, keyed by group id ("default" for the workspace default).
    public func definedFlows() async throws -> [String: [ReviewStage]] {
        var flows: [String: [ReviewStage]] = [:]
        for row in try await db.raw("SELECT group_key, stages FROM review_flows").all() {
            flows[try row.string("group_key")] = JSONText.decode([ReviewStage].self, from: try row.string("stages")) ?? []
        }
        return flows
    }

    public func saveFlow(groupKey: String, stages: [ReviewStage]) async throws {
        try await db.raw("DELETE FROM review_flows WHERE group_key = \(bind: groupKey)").run()
        guard !stages.isEmpty else { return }
        try await db.raw("INSERT INTO review_flows (group_key, stages, updated_at) VALUES (\(bind: groupKey), \(bind: JSONText.encode(stages)), \(bind: Date().epochMilliseconds))").run()
    }

    public func record(contentID: String, version: Int, stage: Int, principal: Principal, action: String, comment: String) async throws {
        try await db.raw("""
            INSERT INTO review_events (id, content_id, version, stage, member_id, member_name, action, comment, created_at)
            VALUES (\(bind: Identifier.makeOrdered("rev")), \(bind: contentID), \(bind: version), \(bind: stage), \(bind: principal.memberID),
            \(bind: principal.name), \(bind: action), \(bind: comment), \(bind: Date().epochMilliseconds))
            """).run()
    }

    public func events(contentID: String) async throws -> [ReviewEvent] {
        try await db.raw("SELECT * FROM review_events WHERE content_id = \(bind: contentID) ORDER BY created_at DESC, id DESC").all().map { row in
            ReviewEvent(id: try row.string("id"), version: try row.int("version"), stage: try row.int("stage"), memberID: try row.optionalString("member_id"),
                        memberName: try row.string("member_name"), action: try row.string("action"), comment: try row.string("comment"), at: try row.date("created_at"))
        }
    }

    public func addComment(_ comment: ReviewComment, contentID: String) async throws {
        try await db.raw("""
            INSERT INTO review_comments (id, content_id, author_id, author_name, body, anchor, range_start, range_end, quote, created_at)
            VALUES (\(bind: comment.id), \(bind: contentID), \(bind: comment.authorID), \(bind: comment.authorName), \(bind: comment.body),
            \(bind: comment.anchor), \(bind: comment.rangeStart), \(bind: comment.rangeEnd), \(bind: comment.quote), \(bind: comment.at.epochMilliseconds))
            """).run()
    }

    public func comments(contentID: String) async throws -> [ReviewComment] {
        try await db.raw("SELECT * FROM review_comments WHERE content_id = \(bind: contentID) ORDER BY created_at ASC, id ASC").all().map { row in
            ReviewComment(id: try row.string("id"), authorID: try row.optionalString("author_id"), authorName: try row.string("author_name"),
                          body: try row.string("body"), anchor: try row.string("anchor"),
                          rangeStart: try row.decodeNil(column: "range_start") ? nil : try row.int("range_start"),
                          rangeEnd: try row.decodeNil(column: "range_end") ? nil : try row.int("range_end"),
                          quote: try row.string("quote"), at: try row.date("created_at"))
        }
    }

    /// A member with the override permission recorded a reason for this version.
    public func hasOverride(contentID: String, version: Int) async throws -> Bool {
        try await db.raw("SELECT COUNT(*) AS n FROM compliance_overrides WHERE content_id = \(bind: contentID) AND version = \(bind: version)").first()?.int("n") ?? 0 > 0
    }

    public func recordOverride(contentID: String, version: Int, principal: Principal, reason: String) async throws {
        try await db.raw("""
            INSERT INTO compliance_overrides (id, content_id, version, member_id, member_name, reason, created_at)
            VALUES (\(bind: Identifier.makeOrdered("ovr")), \(bind: contentID), \(bind: version), \(bind: principal.memberID), \(bind: principal.name),
            \(bind: reason), \(bind: Date().epochMilliseconds))
            """).run()
    }

    /// A (group, stage) pair a reviewer decides; the last stage also takes items
    /// whose stage number ran past a shortened flow.
    public struct QueueSlot: Sendable {
        public enum Group: Sendable { case group(String), others(excluding: [String]) }
        public var group: Group
        public var stage: Int
        public var orLater: Bool
    }

    /// A page of the items waiting in review at the given slots, oldest first, and how many there are.
    public func queue(slots: [QueueSlot], limit: Int, offset: Int) async throws -> (entries: [(id: String, stage: Int, groupID: String?)], total: Int) {
        var parts: [SQLQueryString] = []
        for slot in slots {
            let stage: SQLQueryString = slot.orLater ? "review_stage >= \(bind: slot.stage)" : "review_stage = \(bind: slot.stage)"
            switch slot.group {
            case .group(let id):
                parts.append("(group_id = \(bind: id) AND " + stage + ")")
            case .others(let excluded):
                let group: SQLQueryString = excluded.isEmpty ? "1 = 1" : "(group_id IS NULL OR group_id NOT IN (\(binds: excluded)))"
                parts.append("(" + group + " AND " + stage + ")")
            }
        }
        let condition = "state = 'in_review' AND (" + parts.joined(separator: " OR ") + ")"
        let total = try await db.raw("SELECT COUNT(*) AS n FROM content_items WHERE " + condition).first()?.int("n") ?? 0
        let rows = try await db.raw("SELECT id, review_stage, group_id FROM content_items WHERE " + condition
                                    + " ORDER BY updated_at ASC, id ASC LIMIT \(bind: limit) OFFSET \(bind: offset)").all()
        return (try rows.map { (try $0.string("id"), try $0.int("review_stage"), try $0.optionalString("group_id")) }, total)
    }

    /// Items waiting in review, for the review queue.
    public func queue() async throws -> [(id: String, stage: Int, groupID: String?)] {
        try await db.raw("SELECT id, review_stage, group_id FROM content_items WHERE state = 'in_review' ORDER BY updated_at ASC").all().map {
            (try $0.string("id"), try $0.int("review_stage"), try $0.optionalString("group_id"))
        }
    }
}
