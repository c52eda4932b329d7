import Foundation
import MediaOpsDomain
import SQLKit

/// The `performance_reviews` and `performance_review_events` tables. A stored
/// scorecard that does not decode, or an unknown state or rating, is an
/// unreadable row, never a default.
public struct PerformanceReviewRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    public func find(id: String) async throws -> PerformanceReview? {
        try await db.raw("SELECT * FROM performance_reviews WHERE id = \(bind: id)").first().map(Self.review(from:))
    }

    public func find(memberID: String, period: KpiPeriod, lock: Bool = false) async throws -> PerformanceReview? {
        let clause: SQLQueryString = lock ? "\(RowLock.update)" : ""
        return try await db.raw("SELECT * FROM performance_reviews WHERE member_id = \(bind: memberID) AND period = \(bind: period.description)" + clause)
            .first().map(Self.review(from:))
    }

    /// Reviews of these members (all members when nil) for one period, or for every period when nil.
    public func list(memberIDs: [String]?, period: KpiPeriod?) async throws -> [PerformanceReview] {
        var conditions: [SQLQueryString] = []
        if let period { conditions.append("period = \(bind: period.description)") }
        if let memberIDs {
            guard !memberIDs.isEmpty else { return [] }
            conditions.append("member_id IN (" + memberIDs.prefix(1_000).map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ") + ")")
        }
        let clause: SQLQueryString = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try await db.raw("SELECT * FROM performance_reviews" + clause + " ORDER BY period DESC, member_id").all().map(Self.review(from:))
    }

    public func create(_ review: PerformanceReview) async throws {
        try await db.raw("""
            INSERT INTO performance_reviews (id, member_id, period, state, self_assessment, manager_assessment, manager_comments, rating, assessor_id,
                scorecard, created_at, updated_at, finalized_at)
            VALUES (\(bind: review.id), \(bind: review.memberID), \(bind: review.period.description), \(bind: review.state.rawValue),
                \(bind: review.selfAssessment), \(bind: review.managerAssessment), \(bind: review.managerComments), \(bind: review.rating?.rawValue),
                \(bind: review.assessorID), \(bind: review.scorecard.map(JSONText.encode)), \(bind: review.createdAt.epochMilliseconds),
                \(bind: review.updatedAt.epochMilliseconds), \(bind: review.finalizedAt?.epochMilliseconds))
            """).run()
    }

    public func update(_ review: PerformanceReview) async throws {
        try await db.raw("""
            UPDATE performance_reviews SET state = \(bind: review.state.rawValue), self_assessment = \(bind: review.selfAssessment),
                manager_assessment = \(bind: review.managerAssessment), manager_comments = \(bind: review.managerComments),
                rating = \(bind: review.rating?.rawValue), assessor_id = \(bind: review.assessorID), scorecard = \(bind: review.scorecard.map(JSONText.encode)),
                updated_at = \(bind: review.updatedAt.epochMilliseconds), finalized_at = \(bind: review.finalizedAt?.epochMilliseconds)
            WHERE id = \(bind: review.id)
            """).run()
    }

    public func record(reviewID: String, step: PerformanceReviewStep, principal: Principal, at: Date) async throws {
        try await db.raw("""
            INSERT INTO performance_review_events (id, review_id, step, actor_id, actor_name, at)
            VALUES (\(bind: Identifier.makeOrdered("pre")), \(bind: reviewID), \(bind: step.rawValue), \(bind: principal.memberID), \(bind: principal.name),
                \(bind: at.epochMilliseconds))
            """).run()
    }

    public func history(reviewID: String) async throws -> [PerformanceReviewEntry] {
        try await db.raw("SELECT * FROM performance_review_events WHERE review_id = \(bind: reviewID) ORDER BY at, id").all().map { row in
            PerformanceReviewEntry(step: try row.value("step", as: PerformanceReviewStep.self), actorID: try row.optionalString("actor_id"),
                                   actorName: try row.string("actor_name"), at: try row.date("at"))
        }
    }

    static func review(from row: any SQLRow) throws -> PerformanceReview {
        let periodText = try row.string("period")
        guard let period = KpiPeriod(periodText) else { throw UnreadableStoredValue(column: "period", value: periodText) }
        var scorecard: Scorecard?
        if let text = try row.optionalString("scorecard") {
            guard let decoded = JSONText.decode(Scorecard.self, from: text) else { throw UnreadableStoredValue(column: "scorecard", value: String(text.prefix(40))) }
            scorecard = decoded
        }
        let rating: PerformanceRating? = try row.optionalString("rating").map { raw in
            guard let rating = PerformanceRating(rawValue: raw) else { throw UnreadableStoredValue(column: "rating", value: raw) }
            return rating
        }
        return PerformanceReview(id: try row.string("id"), memberID: try row.string("member_id"), period: period,
                                 state: try row.value("state", as: PerformanceReviewState.self), selfAssessment: try row.string("self_assessment"),
                                 managerAssessment: try row.string("manager_assessment"), managerComments: try row.string("manager_comments"),
                                 rating: rating, assessorID: try row.optionalString("assessor_id"), scorecard: scorecard,
                                 createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"), finalizedAt: try row.optionalDate("finalized_at"))
    }
}
