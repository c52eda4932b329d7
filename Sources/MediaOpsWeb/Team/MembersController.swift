import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Members: list, invite, change roles, deactivate, reset passwords.
struct MembersController {
    let dependencies: TeamDependencies
    let pages: PageSupport

    func register(_ routes: Routes) {
        // MARK: API
        routes.get("/api/v1/members", .permission(.membersView)) { request, _ in
            let (sort, descending) = try request.sort(MemberSort.self, default: .name)
            let page = try await dependencies.team.members(filter: try filter(request), sort: sort, descending: descending, page: try request.pageRequest())
            return try JSONOutput.response(PageDTO(page, MemberDTO.init))
        }
        routes.post("/api/v1/members", .permission(.membersManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let member = try await dependencies.team.createMember(.init(
                email: try input.string("email"), name: try input.string("name"), roles: try input.strings("roles"),
                password: try input.string("password"), locale: try input.string("locale")), by: identity.principal)
            return try JSONOutput.response(MemberDTO(member), status: .created)
        }
        routes.get("/api/v1/members/{id}", .permission(.membersView)) { _, context in
            try JSONOutput.response(MemberDTO(try await member(context)))
        }
        routes.patch("/api/v1/members/{id}", .permission(.membersManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let id = try await member(context).id
            let changes = TeamService.MemberChanges(name: try input.string("name"), roles: try input.strings("roles"), active: try input.bool("active"),
                                                    password: try input.string("password"), locale: try input.string("locale"))
            return try JSONOutput.response(MemberDTO(try await dependencies.team.updateMember(id: id, changes, by: identity.principal)))
        }

        // MARK: Pages
        routes.get(TeamPath.members, .permission(.membersView)) { request, context, identity in
            try await listPage(request, context, identity)
        }
        routes.get(TeamPath.memberNew, .permission(.membersManage)) { request, context, identity in
            try await newPage(values: ["roles": "content"], errors: FormErrors(), request, context, identity)
        }
        routes.post(TeamPath.members, .permission(.membersManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                let member = try await dependencies.team.createMember(.init(
                    email: form["email"], name: form["name"], roles: form.all("roles"), password: form["password"],
                    locale: form["locale"]), by: identity.principal)
                return pages.redirect(TeamPath.member(.value(member.id)), flash: "flash.member_created")
            } catch {
                let refusal = try pages.refusal(error, context)
                var values = form.values.compactMapValues(\.first)
                values["password"] = nil
                values["roles"] = form.all("roles").joined(separator: ",")
                return try await newPage(values: values, errors: refusal.errors, request, context, identity, status: refusal.status)
            }
        }
        routes.get(TeamPath.member(.key), .permission(.membersView)) { request, context, identity in
            try await detailPage(try await member(context), errors: FormErrors(), request, context, identity)
        }
        routes.post(TeamPath.member(.key), .permission(.membersManage)) { request, context, identity in
            let target = try await member(context)
            let form = try await pages.readForm(request, context: context)
            return try await apply(target, .init(name: form["name"], roles: form.all("roles")), request, context, identity)
        }
        routes.post(TeamPath.memberDeactivate(.key), .permission(.membersManage)) { request, context, identity in
            let target = try await member(context)
            _ = try await pages.readForm(request, context: context)
            return try await apply(target, .init(active: false), request, context, identity, flash: "flash.member_deactivated")
        }
        routes.post(TeamPath.memberReactivate(.key), .permission(.membersManage)) { request, context, identity in
            let target = try await member(context)
            _ = try await pages.readForm(request, context: context)
            return try await apply(target, .init(active: true), request, context, identity, flash: "flash.member_reactivated")
        }
        routes.post(TeamPath.memberPassword(.key), .permission(.membersManage)) { request, context, identity in
            let target = try await member(context)
            let form = try await pages.readForm(request, context: context)
            return try await apply(target, .init(password: form["password"] ?? ""), request, context, identity, flash: "flash.password_reset")
        }
    }

    private func member(_ context: AppRequestContext) async throws -> Member {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id),
              let member = try await dependencies.team.member(id: id) else { throw AppError.notFound }
        return member
    }

    private func filter(_ request: Request) throws -> MemberFilter {
        var active: Bool?
        if let status = request.query("status") {
            switch status {
            case "active": active = true
            case "inactive": active = false
            case "all": active = nil
            default: throw ValidationError(field: "status", code: "invalid_choice", params: ["choices": "active, inactive, all"])
            }
        }
        if let flag = try request.boolQuery("active") { active = flag }
        return MemberFilter(query: request.query("q"), roleKey: request.query("role"), active: active)
    }

    private func apply(_ target: Member, _ changes: TeamService.MemberChanges, _ request: Request, _ context: AppRequestContext, _ identity: Identity,
                       flash: String = "flash.member_updated") async throws -> Response {
        do {
            _ = try await dependencies.team.updateMember(id: target.id, changes, by: identity.principal)
            return pages.redirect(TeamPath.member(.value(target.id)), flash: flash)
        } catch {
            let refusal = try pages.refusal(error, context)
            return try await detailPage(target, errors: refusal.errors, request, context, identity, status: refusal.status)
        }
    }

    private func listPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let t = pages.localizer(context)
        let status = request.query("status") ?? "active"
        let pageRequest = try request.pageRequest(defaultPerPage: 25)
        var memberFilter = try filter(request)
        if request.query("status") == nil { memberFilter.active = true }
        let (sort, descending) = try request.sort(MemberSort.self, default: .name)
        let page = try await dependencies.team.members(filter: memberFilter, sort: sort, descending: descending, page: pageRequest)
        let roles = try await dependencies.team.roles()
        let roleNames = Dictionary(uniqueKeysWithValues: roles.map { ($0.key, t.roleName($0)) })
        let rows = page.items.map { member in
            MemberRow(member, roleNames: roleNames, t: t)
        }
        let selectedRole = request.query("role") ?? ""
        let model = ListPage(
            rows: rows, total: page.total, totalText: t.t("common.total", ["count": String(page.total)]),
            query: request.query("q") ?? "",
            roleOptions: [SelectOption(value: "", label: t.t("members.all_roles"), selected: selectedRole.isEmpty)]
                + roles.map { SelectOption(value: $0.key, label: t.roleName($0), selected: $0.key == selectedRole) },
            statusOptions: ["active", "inactive", "all"].map { SelectOption(value: $0, label: t.t("members.status_\($0)"), selected: $0 == status) },
            sortLinks: Pagination.sortLinks(request, keys: MemberSort.allCases.map(\.rawValue), current: sort.rawValue, descending: descending),
            pagination: Pagination(request, page: page, localizer: t),
            canManage: identity.permissions.contains(.membersManage),
            filtered: request.query("q") != nil || !selectedRole.isEmpty
        )
        return pages.render(.members, title: t.t("members.title"), page: model, request: request, context: context)
    }

    private func roleCheckboxes(checked: Set<String>, context: AppRequestContext, identity: Identity) async throws -> [RoleCheckbox] {
        let t = pages.localizer(context)
        let principal = identity.principal
        return try await dependencies.team.roles().map { role in
            RoleCheckbox(key: role.key, name: t.roleName(role), description: t.roleDescription(role), checked: checked.contains(role.key),
                         disabled: !principal.mayGrant(role) && !checked.contains(role.key))
        }
    }

    private func newPage(values: [String: String], errors: FormErrors, _ request: Request, _ context: AppRequestContext, _ identity: Identity,
                         status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let checked = Set((values["roles"] ?? "").split(separator: ",").map(String.init))
        let locale = values["locale"] ?? ""
        let model = NewPage(values: values, errors: errors.messages, summary: errors.summary,
                            roles: try await roleCheckboxes(checked: checked, context: context, identity: identity),
                            locales: [SelectOption(value: "", label: t.t("members.locale_default"), selected: locale.isEmpty)]
                                + AppLocale.allCases.map { SelectOption(value: $0.rawValue, label: t.t("locale.\($0.rawValue)"), selected: $0.rawValue == locale) },
                            minPassword: Validate.minimumPasswordLength)
        return pages.render(.memberNew, title: t.t("members.new_title"), page: model, request: request, context: context, status: status)
    }

    private func detailPage(_ member: Member, errors: FormErrors, _ request: Request, _ context: AppRequestContext, _ identity: Identity,
                            status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let roles = try await dependencies.team.roles()
        let roleNames = Dictionary(uniqueKeysWithValues: roles.map { ($0.key, t.roleName($0)) })
        let owned = try await dependencies.team.accounts(filter: AccountFilter(ownerID: member.id), page: PageRequest(page: 1, perPage: 100))
        let history = identity.permissions.contains(.auditView)
            ? try await dependencies.team.auditLog(AuditFilter(entityType: AuditEntity.member.rawValue, entityID: member.id), page: PageRequest(page: 1, perPage: 10)).items
            : []
        let auditLabels = try await AuditLabels.load(t, team: dependencies.team)
        let managerID = try await dependencies.team.manager(of: member.id)
        let everyone = try await dependencies.team.members()
        let manager = everyone.first { $0.id == managerID }
        let line = ReportingLine(
            managerName: manager?.name, managerHref: manager.map { TeamPath.member(.value($0.id)).path },
            options: everyone.filter { $0.isActive && $0.id != member.id }.map { SelectOption(value: $0.id, label: $0.name, selected: $0.id == managerID) },
            action: KpiPath.memberManager(.value(member.id)).path)
        let model = DetailPage(
            member: MemberRow(member, roleNames: roleNames, t: t),
            locale: member.locale.map { t.t("locale.\($0.rawValue)") } ?? t.t("members.locale_default"),
            errors: errors.messages, summary: errors.summary,
            roles: try await roleCheckboxes(checked: Set(member.roleKeys), context: context, identity: identity),
            canManage: identity.permissions.contains(.membersManage),
            isSelf: identity.member.id == member.id,
            accounts: owned.items.map { AccountLink(href: TeamPath.account(.value($0.id)).path, name: $0.name, platform: t.platformShortName($0.platform)) },
            history: history.map { AuditRow($0, labels: auditLabels) },
            showHistory: identity.permissions.contains(.auditView),
            minPassword: Validate.minimumPasswordLength,
            line: line
        )
        return pages.render(.memberDetail, title: member.name, page: model, request: request, context: context, status: status)
    }
}
