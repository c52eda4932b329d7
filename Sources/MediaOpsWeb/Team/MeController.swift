import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// A member's own page: name, language, password and personal API tokens.
struct MeController {
    let dependencies: TeamDependencies
    let pages: PageSupport

    func register(_ routes: Routes) {
        routes.get("/api/v1/me", .signedIn) { _, context, identity in
            let identity = identity
            return try JSONOutput.response(MeDTO(member: MemberDTO(identity.member), permissions: Permission.allCases.filter(identity.permissions.contains).map(\.rawValue)))
        }
        routes.patch("/api/v1/me", .signedIn) { request, context, identity in
            let identity = identity
            let input = try await JSONInput.read(request, context: context)
            if input.has("new_password") || input.has("current_password") {
                try await dependencies.team.changeOwnPassword(memberID: identity.member.id, current: try input.string("current_password"),
                                                              new: try input.string("new_password"), keepSession: sessionToken(identity),
                                                              keepToken: apiToken(identity))
            }
            let member = try await dependencies.team.updateMember(id: identity.member.id, .init(name: try input.string("name"), locale: try input.string("locale")),
                                                                  by: identity.principal)
            let permissions = try await dependencies.team.permissions(forRoles: member.roleKeys)
            return try JSONOutput.response(MeDTO(member: MemberDTO(member), permissions: Permission.allCases.filter(permissions.contains).map(\.rawValue)))
        }
        routes.get("/api/v1/me/tokens", .signedIn) { _, context, identity in
            try JSONOutput.response(ItemsDTO(items: try await dependencies.team.tokens(memberID: identity.member.id).map { ApiTokenDTO($0) }))
        }
        routes.post("/api/v1/me/tokens", .signedIn) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let (token, record) = try await createToken(name: try input.string("name"), expiresInDays: try input.int("expires_in_days"), context: context, identity: identity)
            return try JSONOutput.response(ApiTokenDTO(record, secret: token), status: .created)
        }
        routes.delete("/api/v1/me/tokens/{id}", .signedIn) { _, context, identity in
            try await revokeToken(context, identity)
            return JSONOutput.noContent()
        }

        routes.get(TeamPath.me, .signedIn) { request, context, identity in
            try await mePage(errors: FormErrors(), newToken: nil, request, context, identity)
        }
        routes.post(TeamPath.me, .signedIn) { request, context, identity in
            let identity = identity
            let form = try await pages.readForm(request, context: context)
            do {
                let member = try await dependencies.team.updateMember(id: identity.member.id, .init(name: form["name"] ?? "", locale: form["locale"] ?? ""),
                                                                      by: identity.principal)
                var response = pages.redirect(TeamPath.me, flash: "flash.profile_saved")
                if let locale = member.locale {
                    response.setCookie(Cookie(name: IdentityMiddleware.localeCookie, value: locale.rawValue, maxAge: 365 * 24 * 3600, path: "/",
                                              secure: pages.secureCookies, httpOnly: true, sameSite: .lax))
                }
                return response
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await mePage(errors: refusal.errors, newToken: nil, request, context, identity, status: refusal.status)
            }
        }
        routes.post(TeamPath.mePassword, .signedIn) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                guard form["new_password"] == form["confirm_password"] else { throw ValidationError(field: "confirm_password", code: "password_mismatch") }
                try await dependencies.team.changeOwnPassword(memberID: identity.member.id, current: form["current_password"],
                                                              new: form["new_password"], keepSession: sessionToken(identity))
                return pages.redirect(TeamPath.me, flash: "flash.password_changed")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await mePage(errors: refusal.errors, newToken: nil, request, context, identity, status: refusal.status)
            }
        }
        routes.post(TeamPath.meTokens, .signedIn) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                let (token, _) = try await createToken(name: form["name"], expiresInDays: try Self.expiryDays(form["expires_in_days"]), context: context, identity: identity)
                // Shown on this response only; it is never retrievable again.
                return try await mePage(errors: FormErrors(), newToken: token, request, context, identity, status: .created)
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await mePage(errors: refusal.errors, newToken: nil, request, context, identity, status: refusal.status)
            }
        }
        routes.post(TeamPath.meTokenRevoke(.key), .signedIn) { request, context, identity in
            _ = try await pages.readForm(request, context: context)
            try await revokeToken(context, identity)
            return pages.redirect(TeamPath.me, flash: "flash.token_revoked")
        }
    }

    private func sessionToken(_ identity: Identity) -> String? {
        if case .session(let token, _) = identity.via { return token }
        return nil
    }

    private func apiToken(_ identity: Identity) -> String? {
        if case .apiToken(_, let token) = identity.via { return token }
        return nil
    }

    private func createToken(name: String?, expiresInDays: Int?, context: AppRequestContext, identity: Identity) async throws -> (String, ApiToken) {
        return try await dependencies.team.createToken(memberID: identity.member.id, name: name, expiresInDays: expiresInDays, by: identity.principal)
    }

    private func revokeToken(_ context: AppRequestContext, _ identity: Identity) async throws {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id) else { throw AppError.notFound }
        try await dependencies.team.revokeToken(id: id, memberID: identity.member.id, by: identity.principal)
    }

    /// The form's choice of lifetime: a number of days or "never".
    static func expiryDays(_ raw: String?) throws -> Int? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty, raw != "never" else { return nil }
        guard let days = Int(raw) else { throw ValidationError(field: "expires_in_days", code: "invalid_number") }
        return days
    }

    static let expiryChoices = [30, 90, 365]

    private func mePage(errors: FormErrors, newToken: String?, _ request: Request, _ context: AppRequestContext, _ identity: Identity,
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let member = identity.member
        let roles = try await dependencies.team.roles()
        let tokens = try await dependencies.team.tokens(memberID: member.id)
        let model = MePage(
            name: member.name, email: member.email,
            roles: member.roleKeys.compactMap { key in roles.first { $0.key == key }.map(t.roleName) },
            locales: AppLocale.allCases.map { SelectOption(value: $0.rawValue, label: t.t("locale.\($0.rawValue)"), selected: $0 == context.locale) },
            errors: errors.messages, summary: errors.summary,
            tokens: tokens.map { TokenRow(id: $0.id, revokeAction: TeamPath.meTokenRevoke(.value($0.id)).path, name: $0.name, prefix: $0.prefix, created: t.dateTime($0.createdAt),
                                          lastUsed: $0.lastUsedAt.map(t.dateTime) ?? t.t("me.never_used"),
                                          expires: $0.expiresAt.map(t.dateTime) ?? t.t("me.token_never_expires"),
                                          revoked: $0.revokedAt != nil, expired: $0.revokedAt == nil && !$0.isLive()) },
            newToken: newToken,
            minPassword: Validate.minimumPasswordLength,
            expiryOptions: Self.expiryChoices.map { SelectOption(value: String($0), label: t.t("me.token_expires_days", ["n": String($0)]), selected: $0 == 90) }
                + [SelectOption(value: "never", label: t.t("me.token_never_expires"), selected: false)]
        )
        return pages.render(.me, title: t.t("me.title"), page: model, request: request, context: context, status: status)
    }
}
