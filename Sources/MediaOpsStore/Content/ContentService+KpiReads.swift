import Foundation
import MediaOpsDomain
import SQLKit

/// A piece a member owns with its planned time and when it was first submitted for review.
public struct PlannedPiece: Sendable, Equatable {
    public var contentID: String
    public var title: String
    public var plannedAt: Date
    public var firstSubmittedAt: Date?
}

/// A review decision (approve or request changes) with when the item reached the reviewer.
public struct ReviewDecision: Sendable, Equatable {
    public var contentID: String
    public var title: String
    public var action: String
    /// The submission or the previous stage's approval that put the item in front of the reviewer.
    public var arrivedAt: Date?
    public var decidedAt: Date
}

/// Reads the work room's KPI engine makes of the content room (pieces
/// delivered on time, review turnaround). Read-only; the SQL stays in this room.
extension ContentService {
    /// Items owned by `ownerID` planned in [from, to) (templates left out), each
    /// with its first submission for review, whenever that was.
    public func plannedPieces(ownerID: String, from: Date, to: Date) async throws -> [PlannedPiece] {
        let rows = try await database.sql.raw("""
            SELECT c.id, c.title, c.planned_at,
                (SELECT MIN(e.created_at) FROM review_events e WHERE e.content_id = c.id AND e.action = 'submit') AS first_submit
            FROM content_items c
            WHERE c.owner_id = \(bind: ownerID) AND c.is_template = \(bind: false)
            AND c.planned_at >= \(bind: from.epochMilliseconds) AND c.planned_at < \(bind: to.epochMilliseconds)
            ORDER BY c.planned_at, c.id LIMIT 2000
            """).all()
        return try rows.map { row in
            PlannedPiece(contentID: try row.string("id"), title: try row.string("title"), plannedAt: try row.date("planned_at"),
                         firstSubmittedAt: try row.optionalDate("first_submit"))
        }
    }

    /// The decisions `memberID` took in [from, to), oldest first, each with
    /// the latest submission or approval of the same item before it.
    public func reviewDecisions(memberID: String, from: Date, to: Date) async throws -> [ReviewDecision] {
        let rows = try await database.sql.raw("""
            SELECT e.content_id, c.title, e.action, e.created_at,
                (SELECT MAX(p.created_at) FROM review_events p WHERE p.content_id = e.content_id AND p.action IN ('submit', 'approve')
                 AND p.created_at < e.created_at) AS arrived_at
            FROM review_events e JOIN content_items c ON c.id = e.content_id
            WHERE e.member_id = \(bind: memberID) AND e.action IN ('approve', 'request_changes')
            AND e.created_at >= \(bind: from.epochMilliseconds) AND e.created_at < \(bind: to.epochMilliseconds)
            ORDER BY e.created_at, e.id LIMIT 2000
            """).all()
        return try rows.map { row in
            ReviewDecision(contentID: try row.string("content_id"), title: try row.string("title"), action: try row.string("action"),
                           arrivedAt: try row.optionalDate("arrived_at"), decidedAt: try row.date("created_at"))
        }
    }
}
