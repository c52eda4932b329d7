import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// KPI definitions and their targets, as pages under /team/kpis and as
/// `/api/v1/kpis…`. Reading needs `kpis.view`; defining, editing, targets
/// and weights need `kpis.manage`.
struct KpisController {
    let dependencies: KpiDependencies
    let pages: PageSupport

    var kpis: KpiService { dependencies.kpis }

    func register(_ routes: Routes) {
        // API
        routes.get("/api/v1/kpis", .permission(.kpisView)) { _, context, _ in
            let text = try await texts(context)
            let targets = try await kpis.targets()
            return try JSONOutput.response(ItemsDTO(items: try await kpis.all().map { KpiDTO($0, targets: targets, text: text) }))
        }
        routes.post("/api/v1/kpis", .permission(.kpisManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let draft = try KpiInput.definition(KpiInput.JSONSource(input: input), base: nil)
            let created = try await kpis.create(draft, by: identity.principal)
            return try JSONOutput.response(KpiDTO(created, targets: [], text: try await texts(context)), status: .created)
        }
        routes.get("/api/v1/kpis/{id}", .permission(.kpisView)) { _, context, _ in
            let definition = try await definition(context)
            return try JSONOutput.response(KpiDTO(definition, targets: try await kpis.targets(kpiID: definition.id), text: try await texts(context)))
        }
        routes.patch("/api/v1/kpis/{id}", .permission(.kpisManage)) { request, context, identity in
            let existing = try await definition(context)
            let input = try await JSONInput.read(request, context: context)
            let edited = try KpiInput.definition(KpiInput.JSONSource(input: input), base: existing)
            let saved = try await kpis.update(edited, by: identity.principal)
            return try JSONOutput.response(KpiDTO(saved, targets: try await kpis.targets(kpiID: saved.id), text: try await texts(context)))
        }
        routes.delete("/api/v1/kpis/{id}", .permission(.kpisManage)) { _, context, identity in
            try await kpis.delete(id: try await definition(context).id, by: identity.principal)
            return JSONOutput.noContent()
        }
        routes.post("/api/v1/kpis/{id}/targets", .permission(.kpisManage)) { request, context, identity in
            let existing = try await definition(context)
            let input = try await JSONInput.read(request, context: context)
            let (kind, scope, value) = try KpiInput.target(KpiInput.JSONSource(input: input))
            let target = try await kpis.setTarget(kpiID: existing.id, periodKind: kind, scope: scope, value: value, by: identity.principal)
            return try JSONOutput.response(KpiTargetDTO(target))
        }
        routes.delete("/api/v1/kpis/{id}/targets/{targetID}", .permission(.kpisManage)) { _, context, identity in
            let existing = try await definition(context)
            try await kpis.deleteTarget(kpiID: existing.id, targetID: try context.parameters.require("targetID"), by: identity.principal)
            return JSONOutput.noContent()
        }

        // Pages
        routes.get(KpiPath.kpis, .permission(.kpisView)) { request, context, identity in
            let t = pages.localizer(context)
            let text = try await texts(context)
            let targets = try await kpis.targets()
            let rows = try await kpis.all().map { definition in
                KpiListPage.Row(href: KpiPath.kpi(.value(definition.id)).path, name: text.kpi.name(definition), role: text.role(definition.roleKey),
                                formula: text.kpi.formula(definition), unit: text.kpi.unit(definition.source.unit),
                                direction: text.kpi.direction(definition.direction), weight: String(definition.weight),
                                targets: String(targets.filter { $0.kpiID == definition.id }.count), active: definition.isActive)
            }
            let model = KpiListPage(rows: rows, canManage: identity.permissions.contains(.kpisManage), newHref: KpiPath.kpiNew.path,
                                    scorecardsHref: KpiPath.scorecards.path)
            return pages.render(.kpis, title: t.t("kpis.title"), page: model, request: request, context: context)
        }
        routes.get(KpiPath.kpiNew, .permission(.kpisManage)) { request, context, _ in
            var values = KpiFormPage.values(of: nil)
            if let source = request.query("data_source"), KpiSource(rawValue: source) != nil { values["data_source"] = source }
            return try await formPage(nil, values: values, request, context)
        }
        routes.post(KpiPath.kpis, .permission(.kpisManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                let draft = try KpiInput.definition(KpiInput.FormSource(form: form), base: nil)
                let created = try await kpis.create(draft, by: identity.principal)
                return pages.redirect(KpiPath.kpi(.value(created.id)), flash: "flash.kpi_created")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await formPage(nil, values: KpiFormPage.values(form), errors: refusal.errors, request, context, status: refusal.status)
            }
        }
        routes.get(KpiPath.kpi(.key), .permission(.kpisView)) { request, context, identity in
            try await detailPage(request, context, identity)
        }
        routes.get(KpiPath.kpiEdit(.key), .permission(.kpisManage)) { request, context, _ in
            let existing = try await definition(context)
            return try await formPage(existing, values: KpiFormPage.values(of: existing), request, context)
        }
        routes.post(KpiPath.kpi(.key), .permission(.kpisManage)) { request, context, identity in
            let existing = try await definition(context)
            let form = try await pages.readForm(request, context: context)
            do {
                let edited = try KpiInput.definition(KpiInput.FormSource(form: form), base: existing)
                _ = try await kpis.update(edited, by: identity.principal)
                return pages.redirect(KpiPath.kpi(.value(existing.id)), flash: "flash.kpi_updated")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await formPage(existing, values: KpiFormPage.values(form), errors: refusal.errors, request, context, status: refusal.status)
            }
        }
        routes.post(KpiPath.kpiDelete(.key), .permission(.kpisManage)) { request, context, identity in
            let existing = try await definition(context)
            _ = try await pages.readForm(request, context: context)
            try await kpis.delete(id: existing.id, by: identity.principal)
            return pages.redirect(KpiPath.kpis, flash: "flash.kpi_deleted")
        }
        routes.post(KpiPath.kpiTargets(.key), .permission(.kpisManage)) { request, context, identity in
            let existing = try await definition(context)
            let form = try await pages.readForm(request, context: context)
            do {
                let (kind, scope, value) = try KpiInput.target(KpiInput.FormSource(form: form))
                _ = try await kpis.setTarget(kpiID: existing.id, periodKind: kind, scope: scope, value: value, by: identity.principal)
                return pages.redirect(KpiPath.kpi(.value(existing.id)).fragment("targets"), flash: "flash.kpi_target_saved")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await detailPage(request, context, identity, targetValues: KpiDetailPage.targetValues(form), targetErrors: refusal.errors,
                                            status: refusal.status)
            }
        }
        routes.post(KpiPath.kpiTargetDelete(.key, .key), .permission(.kpisManage)) { request, context, identity in
            let existing = try await definition(context)
            _ = try await pages.readForm(request, context: context)
            try await kpis.deleteTarget(kpiID: existing.id, targetID: try context.parameters.require("targetID"), by: identity.principal)
            return pages.redirect(KpiPath.kpi(.value(existing.id)).fragment("targets"), flash: "flash.kpi_target_deleted")
        }
    }

    func definition(_ context: AppRequestContext) async throws -> KpiDefinition {
        guard let id = context.parameters.get("id"), id.count <= 80, let definition = try await kpis.definition(id: id) else {
            throw NotFoundError(entity: "kpi")
        }
        return definition
    }

    struct Texts {
        var kpi: KpiText
        var roles: [Role]
        var members: [Member]
        func role(_ key: String?) -> String { kpi.role(key, roles: roles) }
        func memberName(_ id: String) -> String { members.first { $0.id == id }?.name ?? id }
    }

    func texts(_ context: AppRequestContext) async throws -> Texts {
        Texts(kpi: KpiText(t: pages.localizer(context)), roles: try await dependencies.team.roles(), members: try await dependencies.team.members())
    }

    func formPage(_ definition: KpiDefinition?, values: [String: String], errors: FormErrors = FormErrors(), _ request: Request,
                  _ context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let text = try await texts(context)
        var summary = errors.summary
        if summary == nil, errors.messages.count > 1 { summary = t.t("common.form_errors", ["count": String(errors.messages.count)]) }
        let roleOptions = [SelectOption(value: "", label: t.t("kpis.everyone"), selected: (values["role"] ?? "").isEmpty)]
            + text.roles.filter { $0.key != BuiltinRole.viewer.rawValue }.map { SelectOption(value: $0.key, label: t.roleName($0), selected: values["role"] == $0.key) }
        let model = KpiFormPage(
            action: definition.map { KpiPath.kpi(.value($0.id)).path } ?? KpiPath.kpis.path,
            backHref: definition.map { KpiPath.kpi(.value($0.id)).path } ?? KpiPath.kpis.path,
            isNew: definition == nil, isBuiltin: definition?.isBuiltin ?? false, values: values,
            sources: KpiSource.allCases.map { SelectOption(value: $0.rawValue, label: text.kpi.source($0) + " · " + text.kpi.unit($0.unit), selected: values["data_source"] == $0.rawValue) },
            sourceHelp: KpiSource.allCases.map { source in
                KpiFormPage.SourceHelp(source: text.kpi.source(source), text: text.kpi.formula(KpiDefinition(id: "", name: nil, source: source, roleKey: nil, weight: 1)))
            },
            roles: roleOptions,
            directions: KpiDirection.allCases.map { SelectOption(value: $0.rawValue, label: text.kpi.direction($0), selected: values["direction"] == $0.rawValue) },
            platforms: [SelectOption(value: "", label: t.t("kpis.all_platforms"), selected: (values["platform"] ?? "").isEmpty)]
                + Platform.allCases.map { SelectOption(value: $0.rawValue, label: t.platformName($0), selected: values["platform"] == $0.rawValue) },
            errors: errors.messages, summary: summary)
        let title = definition.map { t.t("kpis.edit_title", ["name": text.kpi.name($0)]) } ?? t.t("kpis.new_title")
        return pages.render(.kpiForm, title: title, page: model, request: request, context: context, status: status)
    }

    func detailPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity, targetValues: [String: String]? = nil,
                    targetErrors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let definition = try await definition(context)
        let text = try await texts(context)
        let targets = try await kpis.targets(kpiID: definition.id)
        let canManage = identity.permissions.contains(.kpisManage)
        let values = targetValues ?? ["period_kind": KpiPeriodKind.month.rawValue, "scope": definition.roleKey.map { "role:\($0)" } ?? ""]
        let scopeOptions: [SelectGroup] = [
            SelectGroup(label: t.t("kpis.scope_roles"), options: text.roles.filter { $0.key != BuiltinRole.viewer.rawValue }.map {
                SelectOption(value: "role:\($0.key)", label: t.roleName($0), selected: values["scope"] == "role:\($0.key)")
            }),
            SelectGroup(label: t.t("kpis.scope_members"), options: text.members.filter(\.isActive).map {
                SelectOption(value: "member:\($0.id)", label: $0.name, selected: values["scope"] == "member:\($0.id)")
            }),
        ]
        let model = KpiDetailPage(
            name: text.kpi.name(definition), formula: text.kpi.formula(definition), source: text.kpi.source(definition.source),
            unit: text.kpi.unit(definition.source.unit), direction: text.kpi.direction(definition.direction), role: text.role(definition.roleKey),
            weight: String(definition.weight), active: definition.isActive, isBuiltin: definition.isBuiltin,
            targets: targets.map { target in
                KpiDetailPage.TargetRow(
                    periodKind: text.kpi.periodKind(target.periodKind),
                    scope: { switch target.scope { case .role(let key): t.t("kpis.scope_role", ["role": text.role(key)]); case .member(let id): text.memberName(id) } }(),
                    isMember: { if case .member = target.scope { true } else { false } }(),
                    value: text.kpi.value(target.value, unit: definition.source.unit),
                    deleteAction: KpiPath.kpiTargetDelete(.value(definition.id), .value(target.id)).path)
            },
            canManage: canManage, editHref: KpiPath.kpiEdit(.value(definition.id)).path, deleteAction: KpiPath.kpiDelete(.value(definition.id)).path,
            targetAction: KpiPath.kpiTargets(.value(definition.id)).path, backHref: KpiPath.kpis.path,
            periodKinds: KpiPeriodKind.allCases.map { SelectOption(value: $0.rawValue, label: text.kpi.periodKind($0), selected: values["period_kind"] == $0.rawValue) },
            scopes: scopeOptions, targetValues: values, targetErrors: targetErrors.messages, targetSummary: targetErrors.summary,
            unitHint: t.t("kpis.target_help.\(definition.source.unit.rawValue)"))
        return pages.render(.kpiDetail, title: model.name, page: model, request: request, context: context, status: status)
    }
}

struct KpiListPage {
    struct Row { var href: String; var name: String; var role: String; var formula: String; var unit: String; var direction: String; var weight: String; var targets: String; var active: Bool }
    var rows: [Row]
    var canManage: Bool
    var newHref: String
    var scorecardsHref: String
}

struct KpiFormPage {
    struct SourceHelp { var source: String; var text: String }
    var action: String
    var backHref: String
    var isNew: Bool
    var isBuiltin: Bool
    var values: [String: String]
    var sources: [SelectOption]
    var sourceHelp: [SourceHelp]
    var roles: [SelectOption]
    var directions: [SelectOption]
    var platforms: [SelectOption]
    var errors: [String: String]
    var summary: String?

    static func values(of definition: KpiDefinition?) -> [String: String] {
        guard let definition else {
            return ["data_source": KpiSource.postReads.rawValue, "direction": "", "weight": "20", "active": "on", "lead_hours": "", "grace_hours": ""]
        }
        return ["name": definition.name ?? "", "data_source": definition.source.rawValue, "role": definition.roleKey ?? "", "direction": definition.direction.rawValue,
                "weight": String(definition.weight), "platform": definition.parameters.platform?.rawValue ?? "",
                "lead_hours": definition.parameters.leadHours.map(String.init) ?? "", "grace_hours": definition.parameters.graceHours.map(String.init) ?? "",
                "active": definition.isActive ? "on" : ""]
    }

    static func values(_ form: FormData) -> [String: String] {
        var values: [String: String] = [:]
        for key in ["name", "data_source", "role", "direction", "weight", "platform", "lead_hours", "grace_hours"] { values[key] = form[key] ?? "" }
        values["active"] = form.has("active") ? "on" : ""
        return values
    }
}

struct KpiDetailPage {
    struct TargetRow { var periodKind: String; var scope: String; var isMember: Bool; var value: String; var deleteAction: String }
    var name: String
    var formula: String
    var source: String
    var unit: String
    var direction: String
    var role: String
    var weight: String
    var active: Bool
    var isBuiltin: Bool
    var targets: [TargetRow]
    var canManage: Bool
    var editHref: String
    var deleteAction: String
    var targetAction: String
    var backHref: String
    var periodKinds: [SelectOption]
    var scopes: [SelectGroup]
    var targetValues: [String: String]
    var targetErrors: [String: String]
    var targetSummary: String?
    var unitHint: String

    static func targetValues(_ form: FormData) -> [String: String] {
        ["period_kind": form["period_kind"] ?? "", "scope": form["scope"] ?? "", "value": form["value"] ?? ""]
    }
}

struct KpiDTO: Encodable {
    var id: String
    var name: String
    @Nullable var custom_name: String?
    var data_source: String
    var unit: String
    var direction: String
    @Nullable var role: String?
    var weight: Int
    var active: Bool
    var builtin: Bool
    var parameters: Parameters
    var formula: String
    var targets: [KpiTargetDTO]
    var created_at: Date
    var updated_at: Date

    struct Parameters: Encodable {
        @Nullable var platform: String?
        @Nullable var lead_hours: Int?
        @Nullable var grace_hours: Int?
    }

    init(_ definition: KpiDefinition, targets: [KpiTarget], text: KpisController.Texts) {
        id = definition.id
        name = text.kpi.name(definition)
        custom_name = definition.name
        data_source = definition.source.rawValue
        unit = definition.source.unit.rawValue
        direction = definition.direction.rawValue
        role = definition.roleKey
        weight = definition.weight
        active = definition.isActive
        builtin = definition.isBuiltin
        parameters = Parameters(platform: definition.parameters.platform?.rawValue, lead_hours: definition.parameters.leadHours,
                                grace_hours: definition.parameters.graceHours)
        formula = text.kpi.formula(definition)
        self.targets = targets.filter { $0.kpiID == definition.id }.map(KpiTargetDTO.init)
        created_at = definition.createdAt
        updated_at = definition.updatedAt
    }
}

struct KpiTargetDTO: Encodable {
    var id: String
    var kpi_id: String
    var period_kind: String
    @Nullable var role: String?
    @Nullable var member_id: String?
    var value: Double
    var updated_at: Date

    init(_ target: KpiTarget) {
        id = target.id
        kpi_id = target.kpiID
        period_kind = target.periodKind.rawValue
        switch target.scope {
        case .role(let key): role = key; member_id = nil
        case .member(let id): role = nil; member_id = id
        }
        value = target.value
        updated_at = target.updatedAt
    }
}
