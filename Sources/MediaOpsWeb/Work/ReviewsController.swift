import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Performance reviews per member and period: the member's self-assessment,
/// the manager's (or director's) assessment, comments and rating, finalizing
/// (which freezes the scorecard), and the history. Pages under /team/reviews
/// and `/api/v1/reviews…`. Reading and self-assessing need `kpis.view`;
/// assessing and finalizing need `reviews.manage`; on top of that the service
/// checks the reporting line, so a review one may not see is "not found".
struct ReviewsController {
    let dependencies: KpiDependencies
    let pages: PageSupport

    var reviews: PerformanceReviewService { dependencies.reviews }

    func register(_ routes: Routes) {
        // API
        routes.get("/api/v1/reviews", .permission(.kpisView)) { request, context, identity in
            let period = try await ScorecardsController(dependencies: dependencies, pages: pages).period(request)
            let text = KpiText(t: pages.localizer(context))
            var items: [ReviewDTO] = []
            let existing = Dictionary(try await reviews.list(period: period, by: identity.principal).map { ($0.memberID, $0) }, uniquingKeysWith: { a, _ in a })
            for member in try await dependencies.scorecards.visibleMembers(identity.principal) {
                items.append(ReviewDTO(existing[member.id], member: member, period: period, history: [], text: text))
            }
            return try JSONOutput.response(ItemsDTO(items: items))
        }
        routes.get("/api/v1/reviews/{memberID}/{period}", .permission(.kpisView)) { _, context, identity in
            let (member, period) = try await target(context, identity)
            return try await reviewResponse(member, period, context, identity)
        }
        routes.post("/api/v1/reviews/{memberID}/{period}/self-assessment", .permission(.kpisView)) { request, context, identity in
            let (member, period) = try await target(context, identity)
            let input = try await JSONInput.read(request, context: context)
            _ = try await reviews.writeSelfAssessment(memberID: member.id, period: period, text: try input.string("self_assessment"), by: identity.principal)
            return try await reviewResponse(member, period, context, identity)
        }
        routes.post("/api/v1/reviews/{memberID}/{period}/assessment", .permission(.reviewsManage)) { request, context, identity in
            let (member, period) = try await target(context, identity)
            let input = try await JSONInput.read(request, context: context)
            _ = try await reviews.assess(memberID: member.id, period: period, assessment: try input.string("manager_assessment"),
                                         comments: try input.string("manager_comments"), rating: try input.string("rating"), by: identity.principal)
            return try await reviewResponse(member, period, context, identity)
        }
        routes.post("/api/v1/reviews/{memberID}/{period}/finalize", .permission(.reviewsManage)) { _, context, identity in
            let (member, period) = try await target(context, identity)
            _ = try await reviews.finalize(memberID: member.id, period: period, by: identity.principal)
            return try await reviewResponse(member, period, context, identity)
        }

        // Pages
        routes.get(KpiPath.reviews, .permission(.kpisView)) { request, context, identity in
            let t = pages.localizer(context)
            let text = KpiText(t: t)
            let scorecardsController = ScorecardsController(dependencies: dependencies, pages: pages)
            let period: KpiPeriod
            do { period = try await scorecardsController.period(request) } catch let error as ValidationError {
                return pages.errorPage(status: .unprocessableContent, message: t.error(error.code, field: error.field, params: error.params), request: request, context: context)
            }
            let existing = Dictionary(try await reviews.list(period: period, by: identity.principal).map { ($0.memberID, $0) }, uniquingKeysWith: { a, _ in a })
            let rows = try await dependencies.scorecards.visibleMembers(identity.principal).map { member in
                let review = existing[member.id]
                return ReviewListPage.Row(name: member.name, href: KpiPath.review(.value(member.id), .value(period.description)).path,
                                          state: text.state(review?.state), rating: text.rating(review?.rating),
                                          updated: review.map { t.dateTime($0.updatedAt) } ?? "—", isMine: member.id == identity.member.id)
            }
            let model = ReviewListPage(period: text.period(period),
                                       picker: scorecardsController.picker(period, path: KpiPath.reviews.path, text: text, current: try await dependencies.scorecards.currentPeriod()),
                                       rows: rows, scorecardsHref: KpiPath.scorecards.query(["period": period.description]))
            return pages.render(.reviews, title: t.t("reviews.title"), page: model, request: request, context: context)
        }
        routes.get(KpiPath.review(.key, .key), .permission(.kpisView)) { request, context, identity in
            let (member, period) = try await target(context, identity)
            return try await reviewPage(member, period, request, context, identity)
        }
        routes.post(KpiPath.reviewSelf(.key, .key), .permission(.kpisView)) { request, context, identity in
            let (member, period) = try await target(context, identity)
            let form = try await pages.readForm(request, context: context)
            do {
                _ = try await reviews.writeSelfAssessment(memberID: member.id, period: period, text: form["self_assessment"], by: identity.principal)
                return pages.redirect(KpiPath.review(.value(member.id), .value(period.description)), flash: "flash.review_self_saved")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await reviewPage(member, period, request, context, identity, values: ["self_assessment": form["self_assessment"] ?? ""],
                                            errors: refusal.errors, status: refusal.status)
            }
        }
        routes.post(KpiPath.reviewAssess(.key, .key), .permission(.reviewsManage)) { request, context, identity in
            let (member, period) = try await target(context, identity)
            let form = try await pages.readForm(request, context: context)
            do {
                _ = try await reviews.assess(memberID: member.id, period: period, assessment: form["manager_assessment"], comments: form["manager_comments"],
                                             rating: form["rating"], by: identity.principal)
                return pages.redirect(KpiPath.review(.value(member.id), .value(period.description)), flash: "flash.review_assessed")
            } catch {
                let refusal = try pages.refusal(error, context)
                let values = ["manager_assessment": form["manager_assessment"] ?? "", "manager_comments": form["manager_comments"] ?? "", "rating": form["rating"] ?? ""]
                return try await reviewPage(member, period, request, context, identity, values: values, errors: refusal.errors, status: refusal.status)
            }
        }
        routes.post(KpiPath.reviewFinalize(.key, .key), .permission(.reviewsManage)) { request, context, identity in
            let (member, period) = try await target(context, identity)
            _ = try await pages.readForm(request, context: context)
            do {
                _ = try await reviews.finalize(memberID: member.id, period: period, by: identity.principal)
                return pages.redirect(KpiPath.review(.value(member.id), .value(period.description)), flash: "flash.review_finalized")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await reviewPage(member, period, request, context, identity, errors: refusal.errors, status: refusal.status)
            }
        }
    }

    /// The member and period of the address, when the principal may see that member's review.
    func target(_ context: AppRequestContext, _ identity: Identity) async throws -> (Member, KpiPeriod) {
        let member = try await dependencies.scorecards.visibleMember(try context.parameters.require("memberID"), by: identity.principal)
        guard let period = KpiPeriod(try context.parameters.require("period")) else { throw NotFoundError(entity: "review") }
        let current = try await dependencies.scorecards.currentPeriod(period.kind)
        guard period <= current else { throw NotFoundError(entity: "review") }
        return (member, period)
    }

    func reviewResponse(_ member: Member, _ period: KpiPeriod, _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let review = try await reviews.review(memberID: member.id, period: period, by: identity.principal)
        var history: [PerformanceReviewEntry] = []
        if let review { history = try await reviews.history(reviewID: review.id) }
        return try JSONOutput.response(ReviewDTO(review, member: member, period: period, history: history, text: KpiText(t: pages.localizer(context))))
    }

    func reviewPage(_ member: Member, _ period: KpiPeriod, _ request: Request, _ context: AppRequestContext, _ identity: Identity,
                    values: [String: String] = [:], errors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let text = KpiText(t: t)
        let review = try await reviews.review(memberID: member.id, period: period, by: identity.principal)
        var history: [PerformanceReviewEntry] = []
        if let review { history = try await reviews.history(reviewID: review.id) }
        let card = try await dependencies.scorecards.scorecard(member: member, period: period)
        let isSelf = identity.member.id == member.id
        let mayAssess = try await reviews.mayAssess(memberID: member.id, by: identity.principal) && identity.permissions.contains(.reviewsManage)
        let state = review?.state
        let names = Dictionary(try await dependencies.team.members().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let rating = values["rating"] ?? review?.rating?.rawValue ?? PerformanceRating.suggested(score: card.score)?.rawValue ?? ""
        let model = ReviewPage(
            memberName: member.name, period: text.period(period), state: text.state(state), stateKey: state?.rawValue ?? "not_started",
            score: text.score(card.score), suggested: PerformanceRating.suggested(score: card.score).map { text.rating($0) },
            frozen: card.frozenAt.map { t.t("scorecards.frozen", ["at": t.dateTime($0)]) },
            scorecardHref: KpiPath.scorecard(.value(member.id)).query(["period": period.description]),
            selfAssessment: review?.selfAssessment.isEmpty == false ? review?.selfAssessment : nil,
            managerAssessment: review?.managerAssessment.isEmpty == false ? review?.managerAssessment : nil,
            managerComments: review?.managerComments.isEmpty == false ? review?.managerComments : nil,
            rating: review?.rating.map { text.rating($0) }, ratingSentence: review?.rating.map { t.t("reviews.rating.\($0.rawValue).sentence") },
            assessor: review?.assessorID.flatMap { names[$0] },
            canSelfAssess: isSelf && (review?.acceptsSelfAssessment ?? true),
            canAssess: mayAssess && (review?.acceptsAssessment ?? false),
            awaitingSelf: mayAssess && (state == nil || state == .draft),
            canFinalize: mayAssess && (review?.canFinalize ?? false),
            selfAction: KpiPath.reviewSelf(.value(member.id), .value(period.description)).path,
            assessAction: KpiPath.reviewAssess(.value(member.id), .value(period.description)).path,
            finalizeAction: KpiPath.reviewFinalize(.value(member.id), .value(period.description)).path,
            values: [
                "self_assessment": values["self_assessment"] ?? review?.selfAssessment ?? "",
                "manager_assessment": values["manager_assessment"] ?? review?.managerAssessment ?? "",
                "manager_comments": values["manager_comments"] ?? review?.managerComments ?? "",
            ],
            ratings: PerformanceRating.allCases.map { level in
                ReviewPage.Rating(value: level.rawValue, label: text.rating(level), sentence: t.t("reviews.rating.\(level.rawValue).sentence"),
                                  checked: rating == level.rawValue)
            },
            history: history.map { entry in
                ReviewPage.HistoryRow(step: t.t("reviews.step.\(entry.step.rawValue)", ["name": entry.actorName]), at: t.dateTime(entry.at))
            },
            errors: errors.messages, summary: errors.summary,
            backHref: KpiPath.reviews.query(["period": period.description]), maxLength: PerformanceReview.maxTextLength)
        return pages.render(.review, title: t.t("reviews.member_title", ["name": member.name, "period": text.period(period)]), page: model,
                            request: request, context: context, status: status)
    }
}

struct ReviewListPage {
    struct Row { var name: String; var href: String; var state: String; var rating: String; var updated: String; var isMine: Bool }
    var period: String
    var picker: PeriodLinks
    var rows: [Row]
    var scorecardsHref: String
}

struct ReviewPage {
    struct Rating { var value: String; var label: String; var sentence: String; var checked: Bool }
    struct HistoryRow { var step: String; var at: String }
    var memberName: String
    var period: String
    var state: String
    var stateKey: String
    var score: String
    var suggested: String?
    var frozen: String?
    var scorecardHref: String
    var selfAssessment: String?
    var managerAssessment: String?
    var managerComments: String?
    var rating: String?
    var ratingSentence: String?
    var assessor: String?
    var canSelfAssess: Bool
    var canAssess: Bool
    var awaitingSelf: Bool
    var canFinalize: Bool
    var selfAction: String
    var assessAction: String
    var finalizeAction: String
    var values: [String: String]
    var ratings: [Rating]
    var history: [HistoryRow]
    var errors: [String: String]
    var summary: String?
    var backHref: String
    var maxLength: Int
}

struct ReviewDTO: Encodable {
    @Nullable var id: String?
    var member_id: String
    var member_name: String
    var period: String
    var state: String
    var state_label: String
    var self_assessment: String
    var manager_assessment: String
    var manager_comments: String
    @Nullable var rating: String?
    @Nullable var assessor_id: String?
    @Nullable var score: Double?
    @Nullable var finalized_at: Date?
    var history: [Entry]

    struct Entry: Encodable {
        var step: String
        @Nullable var actor_id: String?
        var actor_name: String
        var at: Date
    }

    init(_ review: PerformanceReview?, member: Member, period: KpiPeriod, history: [PerformanceReviewEntry], text: KpiText) {
        id = review?.id
        member_id = member.id
        member_name = member.name
        self.period = period.description
        state = review?.state.rawValue ?? "not_started"
        state_label = text.state(review?.state)
        self_assessment = review?.selfAssessment ?? ""
        manager_assessment = review?.managerAssessment ?? ""
        manager_comments = review?.managerComments ?? ""
        rating = review?.rating?.rawValue
        assessor_id = review?.assessorID
        score = review?.scorecard?.score
        finalized_at = review?.finalizedAt
        self.history = history.map { Entry(step: $0.step.rawValue, actor_id: $0.actorID, actor_name: $0.actorName, at: $0.at) }
    }
}

/// The reporting line on a member's page and `/api/v1/members/{id}/manager`:
/// reading needs `members.view`, setting it `members.manage`.
struct KpiReportingLineController {
    let dependencies: KpiDependencies
    let pages: PageSupport

    func register(_ routes: Routes) {
        routes.get("/api/v1/members/{id}/manager", .permission(.membersView)) { _, context, _ in
            let member = try await member(context)
            return try JSONOutput.response(ManagerDTO(member_id: member.id, manager_id: try await dependencies.team.manager(of: member.id)))
        }
        routes.patch("/api/v1/members/{id}/manager", .permission(.membersManage)) { request, context, identity in
            let member = try await member(context)
            let input = try await JSONInput.read(request, context: context)
            guard input.has("manager_id") else { throw ValidationError(field: "manager_id", code: "required") }
            let managerID = try input.nullableString("manager_id") ?? nil
            let saved = try await dependencies.team.setManager(memberID: member.id, managerID: managerID, by: identity.principal)
            return try JSONOutput.response(ManagerDTO(member_id: member.id, manager_id: saved))
        }
        routes.post(KpiPath.memberManager(.key), .permission(.membersManage)) { request, context, identity in
            let member = try await member(context)
            let form = try await pages.readForm(request, context: context)
            do {
                _ = try await dependencies.team.setManager(memberID: member.id, managerID: form["manager_id"], by: identity.principal)
                return pages.redirect(TeamPath.member(.value(member.id)).fragment("manager"), flash: "flash.manager_saved")
            } catch {
                let refusal = try pages.refusal(error, context)
                let t = pages.localizer(context)
                let message = refusal.errors.messages["manager_id"] ?? refusal.errors.summary ?? t.t("error.generic")
                return pages.errorPage(status: refusal.status, message: message, request: request, context: context)
            }
        }
    }

    func member(_ context: AppRequestContext) async throws -> Member {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let member = try await dependencies.team.member(id: id) else {
            throw NotFoundError(entity: "member")
        }
        return member
    }
}

struct ManagerDTO: Encodable {
    var member_id: String
    @Nullable var manager_id: String?
}
