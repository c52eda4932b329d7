import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Position profiles (岗位画像): each position's duties, requirements, KPIs and
/// collaborators, the catalog's default until the workspace edits it; as pages
/// under `/team/positions…` and as `/api/v1/positions…`.
struct PositionsController {
    let dependencies: PlanningDependencies
    let pages: PageSupport

    var plans: PlanService { dependencies.plans }

    func register(_ routes: Routes) {
        routes.get("/api/v1/positions", .permission(.planningView)) { _, context, _ in
            let t = pages.localizer(context)
            let edited = try await plans.editedProfiles()
            return try JSONOutput.response(ItemsDTO(items: PositionProfile.roles.map { ProfileDTO(PlanningText.profile($0, edited: edited[$0], t), t: t) }))
        }
        routes.get("/api/v1/positions/{role}", .permission(.planningView)) { _, context, _ in
            let t = pages.localizer(context)
            let role = try role(context)
            return try JSONOutput.response(ProfileDTO(PlanningText.profile(role, edited: try await plans.editedProfile(role: role), t), t: t))
        }
        routes.patch("/api/v1/positions/{role}", .permission(.planningManage)) { request, context, identity in
            let t = pages.localizer(context)
            let role = try role(context)
            let before = PlanningText.profile(role, edited: try await plans.editedProfile(role: role), t)
            let input = try await JSONInput.read(request, context: context)
            var profile = before
            var errors: [ValidationError] = []
            func read(_ key: String) -> String? {
                do { return try input.string(key) } catch let error as ValidationError { errors.append(error); return nil } catch { return nil }
            }
            if let text = read("duties") { profile.duties = text }
            if let text = read("requirements") { profile.requirements = text }
            if let text = read("kpis") { profile.kpis = text }
            if let text = read("works_with") { profile.worksWith = text }
            if errors.count == 1 { throw errors[0] }
            if !errors.isEmpty { throw ValidationErrors(errors) }
            return try JSONOutput.response(ProfileDTO(try await plans.saveProfile(profile, before: before, by: identity.principal), t: t))
        }
        routes.delete("/api/v1/positions/{role}", .permission(.planningManage)) { _, context, identity in
            let role = try role(context)
            try await plans.resetProfile(role: role, by: identity.principal)
            return JSONOutput.noContent()
        }

        routes.get(PlanningPath.positions, .permission(.planningView)) { request, context, identity in
            let t = pages.localizer(context)
            let edited = try await plans.editedProfiles()
            let model = PositionsPage(cards: PositionProfile.roles.map { PositionsPage.card(PlanningText.profile($0, edited: edited[$0], t), t: t) },
                                      canManage: identity.permissions.contains(.planningManage))
            return pages.render(.planningPositions, title: t.t("positions.title"), page: model, request: request, context: context)
        }
        routes.get(PlanningPath.position(.key), .permission(.planningView)) { request, context, identity in
            try await positionPage(request, context, identity, role: try role(context))
        }
        routes.post(PlanningPath.position(.key), .permission(.planningManage)) { request, context, identity in
            let t = pages.localizer(context)
            let role = try role(context)
            let form = try await pages.readForm(request, context: context)
            let before = PlanningText.profile(role, edited: try await plans.editedProfile(role: role), t)
            let profile = PositionProfile(role: role, duties: form["duties"] ?? "", requirements: form["requirements"] ?? "", kpis: form["kpis"] ?? "",
                                          worksWith: form["works_with"] ?? "", isEdited: true)
            do {
                _ = try await plans.saveProfile(profile, before: before, by: identity.principal)
                return pages.redirect(PlanningPath.position(.value(role.rawValue)), flash: "flash.position_saved")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await positionPage(request, context, identity, role: role, typed: profile, errors: refusal.errors, status: refusal.status)
            }
        }
        routes.post(PlanningPath.positionReset(.key), .permission(.planningManage)) { request, context, identity in
            let role = try role(context)
            _ = try await pages.readForm(request, context: context)
            try await plans.resetProfile(role: role, by: identity.principal)
            return pages.redirect(PlanningPath.position(.value(role.rawValue)), flash: "flash.position_reset")
        }
    }

    func role(_ context: AppRequestContext) throws -> BuiltinRole {
        guard let key = context.parameters.get("role"), let role = BuiltinRole(rawValue: key), PositionProfile.roles.contains(role) else {
            throw NotFoundError(entity: "position")
        }
        return role
    }

    func positionPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity, role: BuiltinRole, typed: PositionProfile? = nil,
                      errors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let edited = typed == nil ? try await plans.editedProfile(role: role) : nil
        let profile = typed ?? PlanningText.profile(role, edited: edited, t)
        var summary = errors.summary
        if summary == nil, errors.messages.count > 1 { summary = t.t("common.form_errors", ["count": String(errors.messages.count)]) }
        let model = PositionPage(card: PositionsPage.card(profile, t: t), values: ["duties": profile.duties, "requirements": profile.requirements,
                                                                                   "kpis": profile.kpis, "works_with": profile.worksWith],
                                 action: PlanningPath.position(.value(role.rawValue)).path, resetAction: PlanningPath.positionReset(.value(role.rawValue)).path,
                                 canManage: identity.permissions.contains(.planningManage), errors: errors.messages, summary: summary)
        return pages.render(.planningPosition, title: PlanningText.roleName(role, t), page: model, request: request, context: context, status: status)
    }
}

struct PositionsPage {
    struct Card {
        var role: String
        var key: String
        var href: String
        var edited: Bool
        var duties: [String]
        var requirements: [String]
        var kpis: [String]
        var worksWith: [String]
        var description: String
    }

    var cards: [Card]
    var canManage: Bool

    static func card(_ profile: PositionProfile, t: Localizer) -> Card {
        Card(role: PlanningText.roleName(profile.role, t), key: profile.role.rawValue, href: PlanningPath.position(.value(profile.role.rawValue)).path,
             edited: profile.isEdited, duties: PlanningText.lines(profile.duties), requirements: PlanningText.lines(profile.requirements),
             kpis: PlanningText.lines(profile.kpis), worksWith: PlanningText.lines(profile.worksWith), description: t.t("role.\(profile.role.rawValue).description"))
    }
}

struct PositionPage {
    var card: PositionsPage.Card
    var values: [String: String]
    var action: String
    var resetAction: String
    var canManage: Bool
    var errors: [String: String]
    var summary: String?
}

struct ProfileDTO: Encodable {
    var role: String
    var name: String
    var duties: String
    var requirements: String
    var kpis: String
    var works_with: String
    var edited: Bool

    init(_ profile: PositionProfile, t: Localizer) {
        role = profile.role.rawValue
        name = PlanningText.roleName(profile.role, t)
        duties = profile.duties
        requirements = profile.requirements
        kpis = profile.kpis
        works_with = profile.worksWith
        edited = profile.isEdited
    }
}

// MARK: Hiring plan

/// The hiring plan HR is handed: per role the people, the month the first must
/// have joined, the stage that needs them and the position's profile.
struct HiringPage {
    struct Row {
        var role: String
        var count: String
        var joinBy: String
        var stage: String
        var people: [String]
        var card: PositionsPage.Card
    }

    var hasPlan: Bool
    var goalName: String
    var versionName: String
    var versionHref: String
    var created: String
    var headcount: String
    var rows: [Row]
    var options: [SelectOption]
    var xlsxHref: String
    var csvHref: String

    static func make(_ version: PlanVersion?, versions: [PlanVersion], goalNames: [String: String], profiles: [BuiltinRole: PositionProfile], t: Localizer) -> HiringPage {
        let options = versions.map { SelectOption(value: $0.id, label: (goalNames[$0.goalID] ?? "") + " · " + $0.name, selected: $0.id == version?.id) }
        guard let version else {
            return HiringPage(hasPlan: false, goalName: "", versionName: "", versionHref: "", created: "", headcount: "", rows: [], options: options, xlsxHref: "", csvHref: "")
        }
        let result = version.result
        let rows = result.roles.filter { plan in plan.peak > 0 && (result.gaps == nil || result.gaps!.contains { $0.role == plan.role }) }.sorted { ($0.joinBy ?? result.firstMonth, Self.order($0.role)) < ($1.joinBy ?? result.firstMonth, Self.order($1.role)) }.map { plan in
            let gap = result.gaps?.first { $0.role == plan.role }
            // A re-plan lists only the people still to hire (those beyond the members holding the role).
            let people = result.hires.filter { $0.role == plan.role && $0.ordinal > (gap?.have ?? 0) }.map {
                t.t("hiring.person", ["n": String($0.ordinal), "month": PlanningText.month(max($0.joinBy, gap?.joinBy ?? $0.joinBy), t),
                                      "stage": result.stages[$0.stage].name])
            }
            return Row(role: PlanningText.roleName(plan.role.builtinRole, t),
                       count: gap.map { t.t("hiring.count_missing", ["count": String($0.missing), "needed": String($0.needed)]) } ?? String(plan.peak),
                       joinBy: (gap?.joinBy ?? plan.joinBy).map { PlanningText.month($0, t) } ?? "—",
                       stage: plan.stage.map { result.stages[$0].name } ?? "—", people: people,
                       card: PositionsPage.card(PlanningText.profile(plan.role.builtinRole, edited: profiles[plan.role.builtinRole], t), t: t))
        }
        return HiringPage(hasPlan: true, goalName: goalNames[version.goalID] ?? "—", versionName: version.name, versionHref: PlanningPath.plan(.value(version.id)).path,
                          created: t.dateTime(version.createdAt), headcount: t.t("planner.headcount", ["count": String(result.headcount)]), rows: rows,
                          options: options, xlsxHref: PlanningPath.hiringPlanExport(.value("xlsx")).query(["plan": version.id]),
                          csvHref: PlanningPath.hiringPlanExport(.value("csv")).query(["plan": version.id]))
    }

    /// The team's order (the manager first), for rows joining in the same month.
    static func order(_ role: PlannedRole) -> Int { PlannedRole.allCases.firstIndex(of: role) ?? 0 }

    /// One row per person to hire, in the order they must join, with the profile.
    static func table(_ version: PlanVersion, goalName: String, profiles: [BuiltinRole: PositionProfile], t: Localizer) -> ExportTable {
        let result = version.result
        var hires = result.hires
        if let gaps = result.gaps {
            hires = hires.filter { hire in gaps.contains { $0.role == hire.role && hire.ordinal > $0.have } }
        }
        hires.sort { ($0.joinBy, order($0.role), $0.ordinal) < ($1.joinBy, order($1.role), $1.ordinal) }
        let header = ["role", "ordinal", "join_by", "stage", "duties", "requirements", "kpis", "works_with"].map { t.t("hiring.col_\($0)") }
        let rows: [[ExportTable.Cell]] = hires.map { hire in
            let profile = PlanningText.profile(hire.role.builtinRole, edited: profiles[hire.role.builtinRole], t)
            let gap = result.gaps?.first { $0.role == hire.role }
            let joinBy = gap.map { max(hire.joinBy, $0.joinBy) } ?? hire.joinBy
            return [.text(PlanningText.roleName(hire.role.builtinRole, t)), .number(Double(hire.ordinal)), .text(joinBy.description),
                    .text(result.stages[hire.stage].name), .text(profile.duties), .text(profile.requirements), .text(profile.kpis), .text(profile.worksWith)]
        }
        return ExportTable(sheetName: t.t("hiring.sheet"), header: header, rows: rows,
                           banner: t.t("hiring.banner", ["goal": goalName, "plan": version.name, "count": String(hires.count)]))
    }
}

struct HiringDTO: Encodable {
    struct Row: Encodable {
        var role: String
        var count: Int
        var join_by: String?
        var stage: String?
        var profile: ProfileDTO
    }
    var plan_id: String
    var goal_id: String
    var headcount: Int
    var rows: [Row]

    init(_ version: PlanVersion, profiles: [BuiltinRole: PositionProfile], t: Localizer) {
        plan_id = version.id
        goal_id = version.goalID
        headcount = version.result.headcount
        rows = version.result.roles.filter { plan in plan.peak > 0 && (version.result.gaps == nil || version.result.gaps!.contains { $0.role == plan.role }) }.map { plan in
            let gap = version.result.gaps?.first { $0.role == plan.role }
            return Row(role: plan.role.rawValue, count: gap?.missing ?? plan.peak,
                       join_by: (gap?.joinBy ?? plan.joinBy)?.description, stage: plan.stage.map { version.result.stages[$0].name },
                       profile: ProfileDTO(PlanningText.profile(plan.role.builtinRole, edited: profiles[plan.role.builtinRole], t), t: t))
        }
    }
}
