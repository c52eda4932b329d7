import Foundation
import MediaOpsDomain
import SQLKit

/// Performance reviews: the member's self-assessment, the manager's (or the
/// director's) assessment, comments and rating, and finalizing, which freezes
/// the scorecard into the review. Every method checks who is asking against
/// the reporting line (`ScorecardAccess`): someone who may not see a review is
/// told it does not exist; someone who may see it but not do this is refused (403).
public struct PerformanceReviewService: Sendable {
    public let database: Database
    public let scorecards: ScorecardService

    public init(database: Database, scorecards: ScorecardService) {
        self.database = database
        self.scorecards = scorecards
    }

    var team: TeamService { scorecards.team }

    /// The review of a member for a period (nil when nobody opened it yet), if the principal may see it.
    public func review(memberID: String, period: KpiPeriod, by principal: Principal) async throws -> PerformanceReview? {
        _ = try await scorecards.visibleMember(memberID, by: principal)
        return try await PerformanceReviewRepository(database.sql).find(memberID: memberID, period: period)
    }

    public func history(reviewID: String) async throws -> [PerformanceReviewEntry] {
        try await PerformanceReviewRepository(database.sql).history(reviewID: reviewID)
    }

    /// The reviews the principal may see, newest period first; one period when given.
    public func list(period: KpiPeriod?, by principal: Principal) async throws -> [PerformanceReview] {
        let visible = try await scorecards.visibleMembers(principal).map(\.id)
        return try await PerformanceReviewRepository(database.sql).list(memberIDs: visible, period: period)
    }

    /// The reviews waiting for the principal to act, oldest period first: last
    /// month's self-assessment when they have KPIs and have not written it, and
    /// the unfinished reviews of those they assess (to assess, or to finalize).
    public func waiting(for principal: Principal) async throws -> [WaitingReview] {
        var waiting: [WaitingReview] = []
        let lines = try await team.reportingLines()
        let visible = try await scorecards.visibleMembers(principal)
        if let me = principal.memberID, let member = visible.first(where: { $0.id == me }),
           try await scorecards.kpis.all().contains(where: { $0.isActive && $0.applies(to: member.roleKeys) }) {
            let lastMonth = try await scorecards.currentPeriod(.month).previous
            let review = try await PerformanceReviewRepository(database.sql).find(memberID: me, period: lastMonth)
            if review == nil || review?.state == .draft { waiting.append(WaitingReview(memberID: me, period: lastMonth, action: .selfAssess)) }
        }
        let assessed = visible.filter { ScorecardAccess.canAssess(principal, memberID: $0.id, lines: lines) }.map(\.id)
        for review in try await PerformanceReviewRepository(database.sql).list(memberIDs: assessed, period: nil).reversed() {
            switch review.state {
            case .selfAssessed: waiting.append(WaitingReview(memberID: review.memberID, period: review.period, action: .assess))
            case .assessed: waiting.append(WaitingReview(memberID: review.memberID, period: review.period, action: .finalize))
            case .draft, .finalized: break
            }
        }
        return waiting
    }

    /// Whether the principal may assess this member's review.
    public func mayAssess(memberID: String, by principal: Principal) async throws -> Bool {
        ScorecardAccess.canAssess(principal, memberID: memberID, lines: try await team.reportingLines())
    }

    /// The member writes (or rewrites, until assessed) their self-assessment.
    public func writeSelfAssessment(memberID: String, period: KpiPeriod, text: String?, by principal: Principal, now: Date? = nil) async throws -> PerformanceReview {
        let now = now ?? database.now()
        _ = try await scorecards.visibleMember(memberID, by: principal)
        guard principal.memberID == memberID else { throw PermissionError(code: "review_self_only") }
        let text = try Validate.requiredText(text, field: "self_assessment", max: PerformanceReview.maxTextLength)
        try await checkPeriod(period)
        return try await database.transaction { db in
            let repository = PerformanceReviewRepository(db)
            var review = try await openReview(memberID: memberID, period: period, repository: repository, by: principal, now: now)
            guard review.acceptsSelfAssessment else { throw ConflictError(code: "review_self_closed", field: "self_assessment") }
            let before = review
            review.selfAssessment = text
            review.state = .selfAssessed
            review.updatedAt = now
            try await repository.update(review)
            try await repository.record(reviewID: review.id, step: .selfAssessed, principal: principal, at: now)
            var changes = ChangeSet()
            changes.record("review_state", before.state.rawValue, review.state.rawValue)
            changes.record("self_assessment", before.selfAssessment, review.selfAssessment)
            try await Audit.record(db, principal, .update, .performanceReview, review.id, label: try await label(review, db: db), changes: changes.changes, at: now)
            return review
        }
    }

    /// The manager (or the director) writes the assessment, comments and rating; revisable until finalized.
    public func assess(memberID: String, period: KpiPeriod, assessment: String?, comments: String?, rating: String?, by principal: Principal,
                       now: Date? = nil) async throws -> PerformanceReview {
        let now = now ?? database.now()
        _ = try await scorecards.visibleMember(memberID, by: principal)
        guard try await mayAssess(memberID: memberID, by: principal) else { throw PermissionError(code: "review_not_assessor") }
        var errors: [ValidationError] = []
        var assessmentText = "", commentsText = ""
        do { assessmentText = try Validate.requiredText(assessment, field: "manager_assessment", max: PerformanceReview.maxTextLength) } catch { errors.append(error) }
        do { commentsText = try Validate.optionalText(comments, field: "manager_comments", max: PerformanceReview.maxTextLength) } catch { errors.append(error) }
        let ratingText = (rating ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let chosen = PerformanceRating(rawValue: ratingText)
        if ratingText.isEmpty { errors.append(ValidationError(field: "rating", code: "required")) }
        else if chosen == nil {
            errors.append(ValidationError(field: "rating", code: "invalid_choice", params: ["choices": PerformanceRating.allCases.map(\.rawValue).joined(separator: ", ")]))
        }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        let (assessmentValue, commentsValue) = (assessmentText, commentsText)
        return try await database.transaction { db in
            let repository = PerformanceReviewRepository(db)
            guard var review = try await repository.find(memberID: memberID, period: period, lock: true), review.acceptsAssessment else {
                let existing = try await repository.find(memberID: memberID, period: period)
                throw ConflictError(code: existing?.state == .finalized ? "review_finalized" : "review_awaiting_self", field: "manager_assessment")
            }
            let before = review
            review.managerAssessment = assessmentValue
            review.managerComments = commentsValue
            review.rating = chosen
            review.assessorID = principal.memberID
            review.state = .assessed
            review.updatedAt = now
            try await repository.update(review)
            try await repository.record(reviewID: review.id, step: .assessed, principal: principal, at: now)
            var changes = ChangeSet()
            changes.record("review_state", before.state.rawValue, review.state.rawValue)
            changes.record("manager_assessment", before.managerAssessment, review.managerAssessment)
            changes.record("manager_comments", before.managerComments, review.managerComments)
            changes.record("rating", before.rating?.rawValue, review.rating?.rawValue)
            try await Audit.record(db, principal, .update, .performanceReview, review.id, label: try await label(review, db: db), changes: changes.changes, at: now)
            return review
        }
    }

    /// Finalizes an assessed review and freezes its scorecard: from now on the
    /// scorecard of this member and period is the one stored here.
    public func finalize(memberID: String, period: KpiPeriod, by principal: Principal, now: Date? = nil) async throws -> PerformanceReview {
        let now = now ?? database.now()
        let member = try await scorecards.visibleMember(memberID, by: principal)
        guard try await mayAssess(memberID: memberID, by: principal) else { throw PermissionError(code: "review_not_assessor") }
        var scorecard = try await scorecards.compute(member: member, period: period)
        scorecard.frozenAt = now
        let frozen = scorecard
        return try await database.transaction { db in
            let repository = PerformanceReviewRepository(db)
            guard var review = try await repository.find(memberID: memberID, period: period, lock: true) else {
                throw ConflictError(code: "review_awaiting_self")
            }
            guard review.canFinalize else {
                throw ConflictError(code: review.state == .finalized ? "review_finalized" : "review_not_assessed")
            }
            review.state = .finalized
            review.scorecard = frozen
            review.finalizedAt = now
            review.updatedAt = now
            try await repository.update(review)
            try await repository.record(reviewID: review.id, step: .finalized, principal: principal, at: now)
            var changes = ChangeSet()
            changes.record("review_state", PerformanceReviewState.assessed.rawValue, review.state.rawValue)
            changes.record("score", nil, frozen.score.map { String(format: "%.1f", $0) } ?? "—")
            try await Audit.record(db, principal, .update, .performanceReview, review.id, label: try await label(review, db: db), changes: changes.changes, at: now)
            return review
        }
    }

    /// A review for a period that has not begun yet makes no sense: refused.
    func checkPeriod(_ period: KpiPeriod) async throws {
        let current = try await scorecards.currentPeriod(period.kind)
        guard period <= current else { throw ValidationError(field: "period", code: "review_period_future") }
    }

    func openReview(memberID: String, period: KpiPeriod, repository: PerformanceReviewRepository, by principal: Principal, now: Date) async throws -> PerformanceReview {
        if let existing = try await repository.find(memberID: memberID, period: period, lock: true) { return existing }
        let review = PerformanceReview(id: Identifier.makeOrdered("prv"), memberID: memberID, period: period, createdAt: now, updatedAt: now)
        try await repository.create(review)
        try await repository.record(reviewID: review.id, step: .opened, principal: principal, at: now)
        return review
    }

    func label(_ review: PerformanceReview, db: any SQLDatabase) async throws -> String {
        let name = try await MemberRepository(db).find(id: review.memberID)?.label ?? review.memberID
        return "\(name) · \(review.period)"
    }
}
