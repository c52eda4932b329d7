import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// The planner (目标反推) and what comes of it: a goal's plan computed with
/// the workspace's parameters and this run's overrides, re-planned from the
/// real pace and team, saved as named versions, compared side by side and
/// handed to HR as the hiring plan (page, XLSX, CSV). Reading and computing
/// need `planning.view`; saving, deleting and changing parameters need `planning.manage`.
struct PlansController {
    let dependencies: PlanningDependencies
    let pages: PageSupport

    var plans: PlanService { dependencies.plans }
    var goals: GoalService { dependencies.goals }

    func register(_ routes: Routes) {
        // API
        routes.post("/api/v1/goals/{id}/plan", .permission(.planningView)) { request, context, _ in
            let goal = try await goal(context)
            let input = try await JSONInput.read(request, context: context)
            let overrides = try PlanView.overrides(json: input.object["parameters"])
            let computed = try await plans.compute(goal: goal, overrides: overrides, fromActuals: try input.bool("from_actuals") ?? false)
            return try JSONOutput.response(PlanDTO(kind: computed.kind, input: computed.input, result: computed.result, t: pages.localizer(context)))
        }
        routes.get("/api/v1/goals/{id}/plans", .permission(.planningView)) { _, context, _ in
            let goal = try await goal(context)
            let t = pages.localizer(context)
            return try JSONOutput.response(ItemsDTO(items: try await plans.versions(goalID: goal.id).map { PlanVersionDTO($0, t: t) }))
        }
        routes.post("/api/v1/goals/{id}/plans", .permission(.planningManage)) { request, context, identity in
            let goal = try await goal(context)
            let input = try await JSONInput.read(request, context: context)
            let overrides = try PlanView.overrides(json: input.object["parameters"])
            let version = try await plans.save(goalID: goal.id, name: try input.string("name") ?? "", overrides: overrides,
                                               fromActuals: try input.bool("from_actuals") ?? false, by: identity.principal)
            return try JSONOutput.response(PlanVersionDTO(version, t: pages.localizer(context)), status: .created)
        }
        routes.get("/api/v1/plans/parameters", .permission(.planningView)) { _, _, _ in
            try JSONOutput.response(ItemsDTO(items: ParameterDTO.all(try await plans.parameters())))
        }
        routes.patch("/api/v1/plans/parameters", .permission(.planningManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            var parameters = try await plans.parameters()
            switch input.object["values"] {
            case .object(let object):
                var errors: [ValidationError] = []
                for (key, value) in object.sorted(by: { $0.key < $1.key }) {
                    guard let parameter = PlannerParameter(rawValue: key) else { errors.append(ValidationError(field: "values." + key, code: "plan_parameter_unknown")); continue }
                    switch value {
                    case .null: parameters.overrides[key] = nil
                    case .number(let number) where number.isFinite: parameters[parameter] = number
                    default: errors.append(ValidationError(field: "values." + key, code: "invalid_type", params: ["type": "number"]))
                    }
                }
                if errors.count == 1 { throw errors[0] }
                if !errors.isEmpty { throw ValidationErrors(errors) }
            default:
                throw ValidationError(field: "values", code: input.has("values") ? "invalid_type" : "required", params: ["type": "object"])
            }
            return try JSONOutput.response(ItemsDTO(items: ParameterDTO.all(try await plans.saveParameters(parameters, by: identity.principal))))
        }
        routes.get("/api/v1/plans/compare", .permission(.planningView)) { request, context, _ in
            let (left, right) = try await comparedVersions(request)
            guard let left, let right else { throw ValidationError(field: left == nil ? "a" : "b", code: "required") }
            let comparison = PlanComparison.of(left.result, right.result)
            return try JSONOutput.response(CompareDTO(a: left.id, b: right.id, comparison: comparison))
        }
        routes.get("/api/v1/plans/{id}", .permission(.planningView)) { _, context, _ in
            try JSONOutput.response(PlanVersionDTO(try await version(context), t: pages.localizer(context)))
        }
        routes.delete("/api/v1/plans/{id}", .permission(.planningManage)) { _, context, identity in
            try await plans.deleteVersion(id: try await version(context).id, by: identity.principal)
            return JSONOutput.noContent()
        }
        routes.get("/api/v1/plans/{id}/hiring", .permission(.planningView)) { _, context, _ in
            let version = try await version(context)
            let t = pages.localizer(context)
            let profiles = try await plans.editedProfiles()
            return try JSONOutput.response(HiringDTO(version, profiles: profiles, t: t))
        }

        // Pages
        routes.get(PlanningPath.goalPlan(.key), .permission(.planningView)) { request, context, identity in
            try await plannerPage(request, context, identity)
        }
        routes.post(PlanningPath.goalPlans(.key), .permission(.planningManage)) { request, context, identity in
            let goal = try await goal(context)
            let form = try await pages.readForm(request, context: context)
            do {
                let overrides = try PlanView.overrides { form[$0] }
                let version = try await plans.save(goalID: goal.id, name: form["name"] ?? "", overrides: overrides, fromActuals: form["actuals"] == "1",
                                                   by: identity.principal)
                return pages.redirect(PlanningPath.plan(.value(version.id)), flash: "flash.plan_saved")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await plannerPage(request, context, identity, form: form, saveErrors: refusal.errors, status: refusal.status)
            }
        }
        routes.get(PlanningPath.plans, .permission(.planningView)) { request, context, identity in
            let t = pages.localizer(context)
            let versions = try await plans.allVersions()
            let names = Dictionary(try await goals.options().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            let model = PlansPage(rows: versions.map { version in
                PlansPage.Row(name: version.name, href: PlanningPath.plan(.value(version.id)).path, goal: names[version.goalID] ?? "—",
                              goalHref: PlanningPath.goal(.value(version.goalID)).path, kind: t.t("planner.kind_\(version.kind.rawValue)"),
                              headcount: String(version.result.headcount), created: t.dateTime(version.createdAt),
                              hiringHref: PlanningPath.hiringPlan.query(["plan": version.id]))
            }, options: versions.map { SelectOption(value: $0.id, label: (names[$0.goalID] ?? "") + " · " + $0.name, selected: false) },
               secondOptions: versions.enumerated().map { SelectOption(value: $1.id, label: (names[$1.goalID] ?? "") + " · " + $1.name, selected: $0 == 1) },
               canCompare: versions.count > 1)
            return pages.render(.planningPlans, title: t.t("plans.title"), page: model, request: request, context: context)
        }
        routes.get(PlanningPath.planCompare, .permission(.planningView)) { request, context, _ in
            let t = pages.localizer(context)
            let (left, right) = try await comparedVersions(request)
            let versions = try await plans.allVersions()
            let names = Dictionary(try await goals.options().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            let model = ComparePage.make(left: left, right: right, versions: versions, goalNames: names, t: t)
            return pages.render(.planningCompare, title: t.t("plans.compare_title"), page: model, request: request, context: context)
        }
        routes.get(PlanningPath.parameters, .permission(.planningView)) { request, context, identity in
            try await parametersPage(request, context, identity)
        }
        routes.post(PlanningPath.parameters, .permission(.planningManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                var parameters = PlannerParameters()
                let typed = try PlanView.overrides { form[$0] }
                // An emptied box returns to the default.
                for parameter in PlannerParameter.allCases where typed.isOverridden(parameter) { parameters[parameter] = typed[parameter] }
                _ = try await plans.saveParameters(parameters, by: identity.principal)
                return pages.redirect(PlanningPath.parameters, flash: "flash.parameters_saved")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await parametersPage(request, context, identity, form: form, errors: refusal.errors, status: refusal.status)
            }
        }
        routes.get(PlanningPath.plan(.key), .permission(.planningView)) { request, context, identity in
            let t = pages.localizer(context)
            let version = try await version(context)
            let goal = try await goals.goal(id: version.goalID)
            let members = Dictionary(try await dependencies.team.members().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            let view = PlanView.make(input: version.input, result: version.result, parameters: version.input.parameters, workspace: PlannerParameters(),
                                     unit: goal.map { PlanningText.unit($0, t) } ?? PlanningText.metric(.followers, t), t: t)
            let model = VersionPage(name: version.name, goalName: goal?.name ?? "—", goalHref: PlanningPath.goal(.value(version.goalID)).path,
                                    kind: t.t("planner.kind_\(version.kind.rawValue)"), created: t.dateTime(version.createdAt),
                                    createdBy: version.createdBy.flatMap { members[$0] } ?? "—", plan: view,
                                    hiringHref: PlanningPath.hiringPlan.query(["plan": version.id]),
                                    compareHref: PlanningPath.planCompare.query(["b": version.id]),
                                    deleteAction: PlanningPath.planDelete(.value(version.id)).path, canManage: identity.permissions.contains(.planningManage))
            return pages.render(.planningVersion, title: version.name, page: model, request: request, context: context)
        }
        routes.post(PlanningPath.planDelete(.key), .permission(.planningManage)) { request, context, identity in
            let version = try await version(context)
            _ = try await pages.readForm(request, context: context)
            try await plans.deleteVersion(id: version.id, by: identity.principal)
            return pages.redirect(PlanningPath.goal(.value(version.goalID)), flash: "flash.plan_deleted")
        }
        routes.get(PlanningPath.hiringPlan, .permission(.planningView)) { request, context, _ in
            let t = pages.localizer(context)
            let version = try await hiringVersion(request)
            let versions = try await plans.allVersions()
            let names = Dictionary(try await goals.options().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            let profiles = try await plans.editedProfiles()
            let model = HiringPage.make(version, versions: versions, goalNames: names, profiles: profiles, t: t)
            return pages.render(.planningHiring, title: t.t("hiring.title"), page: model, request: request, context: context)
        }
        routes.get(PlanningPath.hiringPlanExport(.key), .permission(.planningView)) { request, context, _ in
            let format = try context.parameters.require("format")
            guard format == "csv" || format == "xlsx" else { throw NotFoundError(entity: "export") }
            guard let version = try await hiringVersion(request) else { throw NotFoundError(entity: "plan_version") }
            let t = pages.localizer(context)
            let goalName = try await goals.goal(id: version.goalID)?.name ?? ""
            let table = HiringPage.table(version, goalName: goalName, profiles: try await plans.editedProfiles(), t: t)
            let data = format == "xlsx" ? try table.xlsx() : table.csv()
            let type = format == "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8"
            let filename = t.t("hiring.filename") + "." + format
            let encoded = filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "hiring-plan"
            return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"hiring-plan.\(format)\"; filename*=UTF-8''\(encoded)"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    func goal(_ context: AppRequestContext) async throws -> Goal {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let goal = try await goals.goal(id: id) else { throw NotFoundError(entity: "goal") }
        return goal
    }

    func version(_ context: AppRequestContext) async throws -> PlanVersion {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let version = try await plans.version(id: id) else {
            throw NotFoundError(entity: "plan_version")
        }
        return version
    }

    /// `?plan=` or the newest version.
    func hiringVersion(_ request: Request) async throws -> PlanVersion? {
        if let id = request.query("plan"), !id.isEmpty {
            guard Identifier.isPlausible(id), let version = try await plans.version(id: id) else { throw NotFoundError(entity: "plan_version") }
            return version
        }
        return try await plans.latestVersion()
    }

    /// `?a=&b=`: a missing one is the newest other version (b) or the one before it (a).
    func comparedVersions(_ request: Request) async throws -> (PlanVersion?, PlanVersion?) {
        func find(_ name: String) async throws -> PlanVersion? {
            guard let id = request.query(name), !id.isEmpty else { return nil }
            guard Identifier.isPlausible(id), let version = try await plans.version(id: id) else { throw ValidationError(field: name, code: "plan_version_unknown") }
            return version
        }
        var left = try await find("a"), right = try await find("b")
        if left == nil || right == nil {
            let goalID = (right ?? left)?.goalID
            let candidates = goalID != nil ? try await plans.versions(goalID: goalID!) : try await plans.allVersions()
            if right == nil { right = candidates.first { $0.id != left?.id } }
            if left == nil { left = candidates.first { $0.id != right?.id && $0.createdAt <= (right?.createdAt ?? .distantFuture) } ?? candidates.first { $0.id != right?.id } }
        }
        return (left, right)
    }

    func plannerPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity, form: FormData? = nil, saveErrors: FormErrors = FormErrors(),
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let goal = try await goal(context)
        let value: (String) -> String? = { key in form?[key] ?? request.query(key) }
        let fromActuals = value("actuals") == "1"
        let workspace = try await plans.parameters()
        var parameterErrors = FormErrors()
        var problem: String?
        var view: PlanView?
        var shown = workspace
        do {
            let overrides = try PlanView.overrides(value)
            shown = workspace.merging(overrides)
            let computed = try await plans.compute(goal: goal, overrides: overrides, fromActuals: fromActuals)
            view = PlanView.make(input: computed.input, result: computed.result, parameters: computed.parameters, workspace: workspace, unit: PlanningText.unit(goal, t), t: t)
        } catch {
            let refusal = try pages.refusal(error, context)
            parameterErrors = refusal.errors
            problem = refusal.errors.summary ?? refusal.errors.messages.values.sorted().first
            if refusal.errors.messages.count > 1 { problem = t.t("common.form_errors", ["count": String(refusal.errors.messages.count)]) }
            if let stages = refusal.errors.messages["stages"] ?? refusal.errors.messages["deadline"] ?? refusal.errors.messages["target"] { problem = stages }
        }
        var typed = shown
        // What was typed stays in the boxes, even when it was refused.
        for parameter in PlannerParameter.allCases {
            if let raw = value("p_" + parameter.rawValue)?.trimmed, !raw.isEmpty, case .value(let number) = ExportCell.count(raw) {
                typed[parameter] = parameter.unit == .share ? number / 100 : number
            }
        }
        let groups = PlanView.parameterGroups(typed, workspace: workspace, unit: PlanningText.unit(goal, t), errors: parameterErrors.messages, t: t)
        var hidden: [SelectOption] = []
        for parameter in PlannerParameter.allCases {
            if let raw = value("p_" + parameter.rawValue)?.trimmed, !raw.isEmpty { hidden.append(SelectOption(value: raw, label: "p_" + parameter.rawValue, selected: false)) }
        }
        let defaultName = t.t(fromActuals ? "planner.default_name_replan" : "planner.default_name", ["date": t.day(try await goals.today().day)])
        let model = PlannerPage(
            goalName: goal.name, goalHref: PlanningPath.goal(.value(goal.id)).path, action: PlanningPath.goalPlan(.value(goal.id)).path,
            saveAction: PlanningPath.goalPlans(.value(goal.id)).path, fromActuals: fromActuals,
            otherModeHref: fromActuals ? PlanningPath.goalPlan(.value(goal.id)).path : PlanningPath.goalPlan(.value(goal.id)).query(["actuals": "1"]),
            parameterGroups: groups, plan: view, problem: problem, hidden: hidden, saveName: form?["name"] ?? defaultName,
            saveError: saveErrors.messages["name"], canManage: identity.permissions.contains(.planningManage),
            parametersHref: PlanningPath.parameters.path)
        return pages.render(.planningPlan, title: t.t("planner.title", ["name": goal.name]), page: model, request: request, context: context,
                            status: view == nil && status == .ok ? .unprocessableContent : status)
    }

    func parametersPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity, form: FormData? = nil, errors: FormErrors = FormErrors(),
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let workspace = try await plans.parameters()
        var shown = workspace
        if let form {
            for parameter in PlannerParameter.allCases {
                if let raw = form["p_" + parameter.rawValue]?.trimmed, !raw.isEmpty, case .value(let number) = ExportCell.count(raw) {
                    shown[parameter] = parameter.unit == .share ? number / 100 : number
                }
            }
        }
        var summary = errors.summary
        if summary == nil, !errors.messages.isEmpty { summary = t.t("common.form_errors", ["count": String(errors.messages.count)]) }
        let model = ParametersPage(groups: PlanView.parameterGroups(shown, workspace: workspace, unit: nil, errors: errors.messages, t: t),
                                   canManage: identity.permissions.contains(.planningManage), summary: summary)
        return pages.render(.planningParameters, title: t.t("parameters.title"), page: model, request: request, context: context, status: status)
    }
}

// MARK: Page models

struct PlannerPage {
    var goalName: String
    var goalHref: String
    var action: String
    var saveAction: String
    var fromActuals: Bool
    var otherModeHref: String
    var parameterGroups: [PlanView.ParameterGroup]
    var plan: PlanView?
    var problem: String?
    /// This run's overrides, carried into the save form (label = field, value = as typed).
    var hidden: [SelectOption]
    var saveName: String
    var saveError: String?
    var canManage: Bool
    var parametersHref: String
}

struct PlansPage {
    struct Row { var name: String; var href: String; var goal: String; var goalHref: String; var kind: String; var headcount: String; var created: String; var hiringHref: String }
    var rows: [Row]
    var options: [SelectOption]
    var secondOptions: [SelectOption]
    var canCompare: Bool
}

struct VersionPage {
    var name: String
    var goalName: String
    var goalHref: String
    var kind: String
    var created: String
    var createdBy: String
    var plan: PlanView
    var hiringHref: String
    var compareHref: String
    var deleteAction: String
    var canManage: Bool
}

struct ParametersPage {
    var groups: [PlanView.ParameterGroup]
    var canManage: Bool
    var summary: String?
}

struct ComparePage {
    struct Cell { var left: String; var right: String; var change: String; var direction: String; var changed: Bool }
    struct Row { var role: String; var cells: [Cell]; var peak: Cell }
    var left: String?
    var right: String?
    var leftHref: String?
    var rightHref: String?
    var stageHeaders: [String]
    var rows: [Row]
    var aOptions: [SelectOption]
    var bOptions: [SelectOption]
    var hasComparison: Bool
    var totalChange: String
    /// Two versions at least: otherwise the pickers have nothing to offer.
    var canCompare: Bool

    static func signed(_ change: Int) -> String { change > 0 ? "+\(change)" : change < 0 ? "−\(-change)" : "±0" }

    static func make(left: PlanVersion?, right: PlanVersion?, versions: [PlanVersion], goalNames: [String: String], t: Localizer) -> ComparePage {
        func label(_ version: PlanVersion) -> String { (goalNames[version.goalID] ?? "") + " · " + version.name }
        let a = versions.map { SelectOption(value: $0.id, label: label($0), selected: $0.id == left?.id) }
        let b = versions.map { SelectOption(value: $0.id, label: label($0), selected: $0.id == right?.id) }
        guard let left, let right else {
            return ComparePage(left: nil, right: nil, stageHeaders: [], rows: [], aOptions: a, bOptions: b, hasComparison: false, totalChange: "",
                               canCompare: versions.count > 1)
        }
        let comparison = PlanComparison.of(left.result, right.result)
        func cell(_ l: Int, _ r: Int) -> Cell {
            Cell(left: String(l), right: String(r), change: signed(r - l), direction: t.t(r > l ? "plans.change_more" : r < l ? "plans.change_fewer" : "plans.change_same"),
                 changed: r != l)
        }
        let rows = comparison.rows.map { row in
            Row(role: PlanningText.roleName(row.role.builtinRole, t), cells: (0..<comparison.stageCount).map { cell(row.left[$0], row.right[$0]) },
                peak: cell(row.leftPeak, row.rightPeak))
        }
        let headers = (0..<comparison.stageCount).map { index in
            let names = [left.result.stages, right.result.stages].compactMap { index < $0.count ? $0[index].name : nil }
            return Set(names).count == 1 ? names[0] : names.joined(separator: " / ")
        }
        return ComparePage(left: label(left), right: label(right), leftHref: PlanningPath.plan(.value(left.id)).path, rightHref: PlanningPath.plan(.value(right.id)).path,
                           stageHeaders: headers, rows: rows, aOptions: a, bOptions: b, hasComparison: true,
                           totalChange: t.t("plans.total_change", ["left": String(left.result.headcount), "right": String(right.result.headcount),
                                                                    "change": signed(right.result.headcount - left.result.headcount)]),
                           canCompare: true)
    }
}

struct CompareDTO: Encodable {
    struct Row: Encodable { var role: String; var a: [Int]; var b: [Int]; var a_peak: Int; var b_peak: Int; var change: Int }
    var a: String
    var b: String
    var stages: Int
    var rows: [Row]

    init(a: String, b: String, comparison: PlanComparison) {
        self.a = a
        self.b = b
        stages = comparison.stageCount
        rows = comparison.rows.map { Row(role: $0.role.rawValue, a: $0.left, b: $0.right, a_peak: $0.leftPeak, b_peak: $0.rightPeak, change: $0.change) }
    }
}
