import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Roles: the built-in set with their permissions, and custom roles the owner defines.
struct RolesController {
    let dependencies: TeamDependencies
    let pages: PageSupport

    func register(_ routes: Routes) {
        // MARK: API
        routes.get("/api/v1/roles", .permission(.membersView)) { _, context in
            let t = pages.localizer(context)
            var items: [RoleDTO] = []
            for role in try await dependencies.team.roles() {
                items.append(RoleDTO(role, memberCount: try await dependencies.team.holderCount(ofRole: role.key), localizer: t))
            }
            return try JSONOutput.response(ItemsDTO(items: items))
        }
        routes.post("/api/v1/roles", .permission(.rolesManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let role = try await dependencies.team.createRole(.init(key: try input.string("key"), name: try input.string("name"),
                                                                    description: try input.string("description"), permissions: try input.strings("permissions")),
                                                              by: identity.principal)
            return try JSONOutput.response(RoleDTO(role, memberCount: 0, localizer: pages.localizer(context)), status: .created)
        }
        routes.get("/api/v1/roles/{key}", .permission(.membersView)) { _, context in
            let role = try await role(context)
            return try JSONOutput.response(RoleDTO(role, memberCount: try await dependencies.team.holderCount(ofRole: role.key), localizer: pages.localizer(context)))
        }
        routes.patch("/api/v1/roles/{key}", .permission(.rolesManage)) { request, context, identity in
            let key = try await role(context).key
            let input = try await JSONInput.read(request, context: context)
            let role = try await dependencies.team.updateRole(key: key, .init(key: nil, name: try input.string("name"), description: try input.string("description"),
                                                                              permissions: try input.strings("permissions")), by: identity.principal)
            return try JSONOutput.response(RoleDTO(role, memberCount: try await dependencies.team.holderCount(ofRole: key), localizer: pages.localizer(context)))
        }
        routes.delete("/api/v1/roles/{key}", .permission(.rolesManage)) { _, context, identity in
            try await dependencies.team.deleteRole(key: try await role(context).key, by: identity.principal)
            return JSONOutput.noContent()
        }
        routes.get("/api/v1/permissions", .permission(.membersView)) { _, context in
            let t = pages.localizer(context)
            return try JSONOutput.response(ItemsDTO(items: Permission.allCases.map { PermissionDTO(key: $0.rawValue, description: t.t("permission.\($0.rawValue.replacingOccurrences(of: ".", with: "_"))")) }))
        }

        // MARK: Pages
        routes.get(TeamPath.roles, .permission(.membersView)) { request, context, identity in
            let t = pages.localizer(context)
            let roles = try await dependencies.team.roles()
            var rows: [RoleRow] = []
            for role in roles {
                rows.append(RoleRow(key: role.key, href: TeamPath.role(.value(role.key)).path, name: t.roleName(role), description: t.roleDescription(role), builtin: role.isBuiltin,
                                    members: try await dependencies.team.holderCount(ofRole: role.key),
                                    cells: Permission.allCases.map { PermissionCell(granted: role.permissions.contains($0), label: t.t("permission.\($0.rawValue.replacingOccurrences(of: ".", with: "_"))")) }))
            }
            let model = RolesPage(rows: rows, permissions: Permission.allCases.map { t.t("permission.\($0.rawValue.replacingOccurrences(of: ".", with: "_"))") },
                                  canManage: identity.permissions.contains(.rolesManage))
            return pages.render(.roles, title: t.t("roles.title"), page: model, request: request, context: context)
        }
        routes.get(TeamPath.roleNew, .permission(.rolesManage)) { request, context, identity in
            formPage(role: nil, values: [:], checked: [], errors: FormErrors(), request, context, identity)
        }
        routes.post(TeamPath.roles, .permission(.rolesManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                let role = try await dependencies.team.createRole(.init(key: form["key"], name: form["name"], description: form["description"],
                                                                        permissions: form.all("permissions")), by: identity.principal)
                return pages.redirect(TeamPath.role(.value(role.key)), flash: "flash.role_created")
            } catch {
                let refusal = try pages.refusal(error, context)
                return formPage(role: nil, values: form.values.compactMapValues(\.first), checked: Set(form.all("permissions")),
                                errors: refusal.errors, request, context, identity, status: refusal.status)
            }
        }
        routes.get(TeamPath.role(.key), .permission(.membersView)) { request, context, identity in
            let role = try await role(context)
            return formPage(role: role, values: ["key": role.key, "name": role.name ?? "", "description": role.description ?? ""],
                            checked: Set(role.permissions.map(\.rawValue)), errors: FormErrors(), request, context, identity)
        }
        routes.post(TeamPath.role(.key), .permission(.rolesManage)) { request, context, identity in
            let role = try await role(context)
            let form = try await pages.readForm(request, context: context)
            do {
                _ = try await dependencies.team.updateRole(key: role.key, .init(key: nil, name: form["name"], description: form["description"],
                                                                                permissions: form.all("permissions")), by: identity.principal)
                return pages.redirect(TeamPath.role(.value(role.key)), flash: "flash.role_updated")
            } catch {
                let refusal = try pages.refusal(error, context)
                var values = form.values.compactMapValues(\.first)
                values["key"] = role.key
                return formPage(role: role, values: values, checked: Set(form.all("permissions")),
                                errors: refusal.errors, request, context, identity, status: refusal.status)
            }
        }
        routes.post(TeamPath.roleDelete(.key), .permission(.rolesManage)) { request, context, identity in
            let role = try await role(context)
            _ = try await pages.readForm(request, context: context)
            do {
                try await dependencies.team.deleteRole(key: role.key, by: identity.principal)
                return pages.redirect(TeamPath.roles, flash: "flash.role_deleted")
            } catch {
                let refusal = try pages.refusal(error, context)
                return formPage(role: role, values: ["key": role.key, "name": role.name ?? "", "description": role.description ?? ""],
                                checked: Set(role.permissions.map(\.rawValue)), errors: refusal.errors,
                                request, context, identity, status: refusal.status)
            }
        }
    }

    private func role(_ context: AppRequestContext) async throws -> Role {
        guard let key = context.parameters.get("key"), key.count <= 40, let role = try await dependencies.team.role(key: key) else {
            throw AppError.notFound
        }
        return role
    }

    private func formPage(role: Role?, values: [String: String], checked: Set<String>, errors: FormErrors, _ request: Request,
                          _ context: AppRequestContext, _ identity: Identity, status: HTTPResponse.Status = .ok) -> Response {
        let t = pages.localizer(context)
        let canManage = identity.permissions.contains(.rolesManage)
        let model = FormPage(
            isNew: role == nil,
            editable: canManage && !(role?.isBuiltin ?? false),
            builtin: role?.isBuiltin ?? false,
            displayName: role.map(t.roleName) ?? t.t("roles.new_title"),
            values: values.merging(["builtin_description": role.map(t.roleDescription) ?? ""]) { $1 },
            errors: errors.messages, summary: errors.summary,
            permissions: Permission.allCases.map { PermissionOption(key: $0.rawValue, label: t.t("permission.\($0.rawValue.replacingOccurrences(of: ".", with: "_"))"), checked: checked.contains($0.rawValue)) },
            action: role.map { TeamPath.role(.value($0.key)).path } ?? TeamPath.roles.path,
            deleteAction: role.map { TeamPath.roleDelete(.value($0.key)).path }
        )
        return pages.render(.roleForm, title: model.displayName, page: model, request: request, context: context, status: status)
    }
}
