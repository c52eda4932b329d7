import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Scorecards: per member and period, each KPI's actual (computed from the
/// data) against its target with the weighted score, and the numbers behind
/// each actual. Pages under /team/scorecards and `/api/v1/scorecards…`.
/// The route needs `kpis.view`; whose scorecards one sees follows the
/// reporting line (`ScorecardAccess`): others' are "not found".
struct ScorecardsController {
    let dependencies: KpiDependencies
    let pages: PageSupport

    var scorecards: ScorecardService { dependencies.scorecards }

    func register(_ routes: Routes) {
        // API
        routes.get("/api/v1/scorecards", .permission(.kpisView)) { request, context, identity in
            let period = try await period(request)
            let text = KpiText(t: pages.localizer(context))
            var items: [ScorecardDTO] = []
            for member in try await scorecards.visibleMembers(identity.principal) {
                items.append(ScorecardDTO(try await scorecards.scorecard(member: member, period: period), member: member, text: text))
            }
            return try JSONOutput.response(ItemsDTO(items: items))
        }
        routes.get("/api/v1/scorecards/{memberID}", .permission(.kpisView)) { request, context, identity in
            let member = try await scorecards.visibleMember(try context.parameters.require("memberID"), by: identity.principal)
            let period = try await period(request)
            return try JSONOutput.response(ScorecardDTO(try await scorecards.scorecard(member: member, period: period), member: member,
                                                        text: KpiText(t: pages.localizer(context))))
        }
        routes.get("/api/v1/scorecards/{memberID}/kpis/{kpiID}", .permission(.kpisView)) { request, context, identity in
            let (member, period, line) = try await evidenceLine(request, context, identity)
            return try JSONOutput.response(EvidenceDTO(member: member, period: period, line: line, text: KpiText(t: pages.localizer(context))))
        }

        // Pages
        routes.get(KpiPath.scorecards, .permission(.kpisView)) { request, context, identity in
            let t = pages.localizer(context)
            let text = KpiText(t: t)
            let period: KpiPeriod
            do { period = try await self.period(request) } catch let error as ValidationError {
                return pages.errorPage(status: .unprocessableContent, message: t.error(error.code, field: error.field, params: error.params), request: request, context: context)
            }
            let roles = try await dependencies.team.roles()
            let reviews = Dictionary(try await dependencies.reviews.list(period: period, by: identity.principal).map { ($0.memberID, $0) }, uniquingKeysWith: { a, _ in a })
            var rows: [ScorecardListPage.Row] = []
            for member in try await scorecards.visibleMembers(identity.principal) {
                let card = try await scorecards.scorecard(member: member, period: period)
                let review = reviews[member.id]
                rows.append(ScorecardListPage.Row(
                    name: member.name, roles: t.list(member.roleKeys.map { key in roles.first { $0.key == key }.map(t.roleName) ?? key }),
                    href: KpiPath.scorecard(.value(member.id)).query(["period": period.description]), score: text.score(card.score),
                    scored: t.t("scorecards.scored_count", ["scored": String(card.lines.filter(\.isScored).count), "total": String(card.lines.count)]),
                    reviewState: text.state(review?.state), reviewHref: KpiPath.review(.value(member.id), .value(period.description)).path,
                    frozen: card.frozenAt != nil))
            }
            let model = ScorecardListPage(period: text.period(period), picker: picker(period, path: KpiPath.scorecards.path, text: text, current: try await scorecards.currentPeriod()), rows: rows,
                                          kpisHref: KpiPath.kpis.path, reviewsHref: KpiPath.reviews.query(["period": period.description]))
            return pages.render(.scorecards, title: t.t("scorecards.title"), page: model, request: request, context: context)
        }
        routes.get(KpiPath.scorecard(.key), .permission(.kpisView)) { request, context, identity in
            let t = pages.localizer(context)
            let text = KpiText(t: t)
            let member = try await scorecards.visibleMember(try context.parameters.require("memberID"), by: identity.principal)
            let period: KpiPeriod
            do { period = try await self.period(request) } catch let error as ValidationError {
                return pages.errorPage(status: .unprocessableContent, message: t.error(error.code, field: error.field, params: error.params), request: request, context: context)
            }
            let card = try await scorecards.scorecard(member: member, period: period)
            let review = try await dependencies.reviews.review(memberID: member.id, period: period, by: identity.principal)
            let model = ScorecardPage.make(card, member: member, review: review, text: text,
                                           picker: picker(period, path: KpiPath.scorecard(.value(member.id)).path, text: text, current: try await scorecards.currentPeriod()))
            return pages.render(.scorecard, title: t.t("scorecards.member_title", ["name": member.name]), page: model, request: request, context: context)
        }
        routes.get(KpiPath.scorecardEvidence(.key, .key), .permission(.kpisView)) { request, context, identity in
            let t = pages.localizer(context)
            let (member, period, line) = try await evidenceLine(request, context, identity)
            let model = EvidencePage.make(member: member, period: period, line: line, text: KpiText(t: t))
            return pages.render(.scorecardEvidence, title: model.title, page: model, request: request, context: context)
        }
    }

    /// `period` from the query (`2026-11`, `2026-Q4`); this month when absent. A period that has not begun is refused.
    func period(_ request: Request) async throws -> KpiPeriod {
        let current = try await scorecards.currentPeriod(.month)
        guard let text = request.query("period") else { return current }
        guard let period = KpiPeriod(text) else { throw ValidationError(field: "period", code: "kpi_period_invalid") }
        guard period.from <= current.to else { throw ValidationError(field: "period", code: "kpi_period_future") }
        return period
    }

    func evidenceLine(_ request: Request, _ context: AppRequestContext, _ identity: Identity) async throws -> (Member, KpiPeriod, ScorecardLine) {
        let member = try await scorecards.visibleMember(try context.parameters.require("memberID"), by: identity.principal)
        let period = try await period(request)
        let kpiID = try context.parameters.require("kpiID")
        let card = try await scorecards.scorecard(member: member, period: period)
        guard let line = card.lines.first(where: { $0.kpiID == kpiID }) else { throw NotFoundError(entity: "kpi") }
        return (member, period, line)
    }

    func picker(_ period: KpiPeriod, path: String, text: KpiText, current: KpiPeriod) -> PeriodLinks {
        let other: KpiPeriod = period.kind == .month
            ? KpiPeriod.containing(period.from, kind: .quarter)
            : KpiPeriod(kind: .month, year: period.year, index: period.firstMonth)!
        return PeriodLinks(
            previousHref: path + "?period=" + period.previous.description, previousLabel: text.period(period.previous),
            nextHref: period.next.from <= current.to ? path + "?period=" + period.next.description : nil, nextLabel: text.period(period.next),
            otherKindHref: path + "?period=" + other.description,
            otherKindLabel: text.t.t(period.kind == .month ? "scorecards.show_quarter" : "scorecards.show_month"),
            value: period.description, action: path)
    }
}

struct PeriodLinks {
    var previousHref: String
    var previousLabel: String
    var nextHref: String?
    var nextLabel: String
    var otherKindHref: String
    var otherKindLabel: String
    var value: String
    var action: String
}

struct ScorecardListPage {
    struct Row { var name: String; var roles: String; var href: String; var score: String; var scored: String; var reviewState: String; var reviewHref: String; var frozen: Bool }
    var period: String
    var picker: PeriodLinks
    var rows: [Row]
    var kpisHref: String
    var reviewsHref: String
}

struct ScorecardPage {
    struct Line {
        var name: String
        var formula: String
        var target: String
        var actual: String
        var actualExact: String
        var unavailable: String?
        var achievement: String
        var capped: String
        var weight: String
        var counted: String
        var evidenceHref: String
        var met: Bool
        var direction: String
    }
    var memberName: String
    var period: String
    var picker: PeriodLinks
    var score: String
    var hasScore: Bool
    var lines: [Line]
    var frozen: String?
    var computedAt: String
    var reviewHref: String
    var reviewState: String
    var suggestedRating: String?

    static func make(_ card: Scorecard, member: Member, review: PerformanceReview?, text: KpiText, picker: PeriodLinks) -> ScorecardPage {
        let t = text.t
        return ScorecardPage(
            memberName: member.name, period: text.period(card.period), picker: picker, score: text.score(card.score), hasScore: card.score != nil,
            lines: card.lines.map { line in
                Line(name: text.name(line),
                     formula: t.t("kpis.source.\(line.source.rawValue).short"),
                     target: line.target.map { text.value($0, unit: line.unit) } ?? t.t("scorecards.no_target"),
                     actual: text.value(line.actual, unit: line.unit), actualExact: text.exact(line.actual, unit: line.unit),
                     unavailable: text.unavailable(line.unavailable), achievement: text.achievement(line.achievement), capped: text.achievement(line.capped),
                     weight: String(line.weight), counted: t.t("scorecards.counted", ["count": String(line.counted)]),
                     evidenceHref: KpiPath.scorecardEvidence(.value(member.id), .value(line.kpiID)).query(["period": card.period.description]),
                     met: (line.achievement ?? 0) >= 1, direction: text.direction(line.direction))
            },
            frozen: card.frozenAt.map { t.t("scorecards.frozen", ["at": t.dateTime($0)]) },
            computedAt: t.dateTime(card.computedAt),
            reviewHref: KpiPath.review(.value(member.id), .value(card.period.description)).path, reviewState: text.state(review?.state),
            suggestedRating: PerformanceRating.suggested(score: card.score).map { text.rating($0) })
    }
}

struct EvidencePage {
    struct Row { var title: String; var href: String?; var kind: String; var platform: String?; var at: String; var reference: String; var value: String; var base: String; var timeliness: String?; var late: Bool }
    var title: String
    var memberName: String
    var kpiName: String
    var period: String
    var actual: String
    var unavailable: String?
    var explanation: String
    var valueHeading: String
    var baseHeading: String
    var referenceHeading: String
    var atHeading: String
    /// Columns a source has nothing for are left out (narrow screens need the room).
    var showAt: Bool
    var showReference: Bool
    var showValue: Bool
    var showBase: Bool
    var showTimeliness: Bool
    var rows: [Row]
    var backHref: String

    static func make(member: Member, period: KpiPeriod, line: ScorecardLine, text: KpiText) -> EvidencePage {
        let t = text.t
        let source = line.source.rawValue
        return EvidencePage(
            title: t.t("scorecards.evidence_title", ["kpi": text.name(line), "name": member.name]), memberName: member.name, kpiName: text.name(line),
            period: text.period(period), actual: text.value(line.actual, unit: line.unit), unavailable: text.unavailable(line.unavailable),
            explanation: t.t("kpis.source.\(source).short"),
            valueHeading: t.t("scorecards.evidence.\(source).value"), baseHeading: t.t("scorecards.evidence.\(source).base"),
            referenceHeading: t.t("scorecards.evidence.\(source).reference"), atHeading: t.t("scorecards.evidence.\(source).at"),
            showAt: t.t("scorecards.evidence.\(source).at") != "—", showReference: t.t("scorecards.evidence.\(source).reference") != "—",
            showValue: t.t("scorecards.evidence.\(source).value") != "—", showBase: t.t("scorecards.evidence.\(source).base") != "—",
            showTimeliness: line.evidence.contains { $0.timeliness != nil },
            rows: line.evidence.map { item in
                let valueUnit: KpiUnit = line.source == .reviewTurnaround ? .hours : .count
                return Row(title: item.title, href: href(item), kind: t.t("scorecards.evidence_kind.\(item.kind.rawValue)")
                           + (item.detail.flatMap { t.optional("scorecards.evidence_detail.\($0)") }.map { " · " + $0 } ?? ""),
                           platform: item.platform.map(t.platformShortName), at: item.at.map(t.dateTime) ?? "—",
                           reference: item.reference.map(t.dateTime) ?? "—",
                           value: text.value(item.value, unit: valueUnit), base: text.value(item.base, unit: .count),
                           timeliness: item.timeliness.map { t.t("scorecards.timeliness.\($0.rawValue)") }, late: item.timeliness == .late)
            },
            backHref: KpiPath.scorecard(.value(member.id)).query(["period": period.description]))
    }

    static func href(_ item: KpiEvidence) -> String? {
        switch item.kind {
        case .post: PublishingPath.target(.value(item.id)).path
        case .piece, .decision: ContentPath.item(.value(item.id)).path
        case .report: AnalyticsPath.report(.value(item.id)).path
        case .account: AnalyticsPath.account(.value(item.id)).path
        case .task: nil
        }
    }
}

struct ScorecardDTO: Encodable {
    var member_id: String
    var member_name: String
    var period: String
    @Nullable var score: Double?
    var frozen: Bool
    @Nullable var frozen_at: Date?
    var computed_at: Date
    var lines: [Line]

    struct Line: Encodable {
        var kpi_id: String
        var name: String
        var data_source: String
        var unit: String
        var direction: String
        var weight: Int
        @Nullable var target: Double?
        @Nullable var actual: Double?
        @Nullable var unavailable: String?
        @Nullable var unavailable_reason: String?
        @Nullable var achievement: Double?
        @Nullable var capped_achievement: Double?
        var counted: Int
    }

    init(_ card: Scorecard, member: Member, text: KpiText) {
        member_id = member.id
        member_name = member.name
        period = card.period.description
        score = card.score
        frozen = card.frozenAt != nil
        frozen_at = card.frozenAt
        computed_at = card.computedAt
        lines = card.lines.map { line in
            Line(kpi_id: line.kpiID, name: text.name(line), data_source: line.source.rawValue, unit: line.unit.rawValue, direction: line.direction.rawValue,
                 weight: line.weight, target: line.target, actual: line.actual, unavailable: line.unavailable?.rawValue,
                 unavailable_reason: text.unavailable(line.unavailable), achievement: line.achievement, capped_achievement: line.capped, counted: line.counted)
        }
    }
}

struct EvidenceDTO: Encodable {
    var member_id: String
    var period: String
    var kpi_id: String
    var name: String
    @Nullable var actual: Double?
    @Nullable var unavailable: String?
    var items: [Item]

    struct Item: Encodable {
        var kind: String
        var id: String
        var title: String
        @Nullable var href: String?
        @Nullable var platform: String?
        @Nullable var at: Date?
        @Nullable var reference: Date?
        @Nullable var value: Double?
        @Nullable var base: Double?
        @Nullable var timeliness: String?
        @Nullable var detail: String?
    }

    init(member: Member, period: KpiPeriod, line: ScorecardLine, text: KpiText) {
        member_id = member.id
        self.period = period.description
        kpi_id = line.kpiID
        name = text.name(line)
        actual = line.actual
        unavailable = line.unavailable?.rawValue
        items = line.evidence.map { item in
            Item(kind: item.kind.rawValue, id: item.id, title: item.title, href: EvidencePage.href(item), platform: item.platform?.rawValue, at: item.at,
                 reference: item.reference, value: item.value, base: item.base, timeliness: item.timeliness?.rawValue, detail: item.detail)
        }
    }
}
