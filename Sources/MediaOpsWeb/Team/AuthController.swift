import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// First-run setup, sign-in and sign-out, for pages and for the API.
struct AuthController {
    let dependencies: TeamDependencies
    let pages: PageSupport

    func register(_ routes: Routes) {
        routes.get(TeamPath.setup, .anyone) { request, context in
            guard try await dependencies.team.memberCount() == 0 else { throw AppError.notFound }
            return setupPage(values: ["time_zone": "Asia/Shanghai", "locale": context.locale.rawValue], errors: FormErrors(), request: request, context: context)
        }
        routes.post(TeamPath.setup, .anyone) { request, context in
            guard try await dependencies.team.memberCount() == 0 else { throw AppError.notFound }
            let form = try await pages.readForm(request, context: context)
            let input = TeamService.SetupInput(workspaceName: form["workspace_name"], timeZone: form["time_zone"], locale: form["locale"],
                                               ownerName: form["name"], ownerEmail: form["email"], password: form["password"])
            do {
                let owner = try await dependencies.team.setUp(input)
                return try await signIn(owner, next: TeamPath.accountNew.path, flash: "flash.setup_done")
            } catch {
                let refusal = try pages.refusal(error, context)
                var values = form.values.compactMapValues(\.first)
                values["password"] = nil
                return setupPage(values: values, errors: refusal.errors, request: request,
                                 context: context, status: refusal.status)
            }
        }
        routes.get(TeamPath.login, .anyone) { request, context in
            if context.identity != nil { return Response.redirect(to: safeNext(request.query("next")), type: .found) }
            let t = pages.localizer(context)
            return pages.render(.login, title: t.t("login.title"), page: LoginPage(email: "", next: safeNext(request.query("next"))), request: request, context: context)
        }
        routes.post(TeamPath.login, .anyone) { request, context in
            let form = try await pages.readForm(request, context: context)
            let t = pages.localizer(context)
            let next = safeNext(form["next"])
            do {
                let member = try await authenticate(email: form["email"], password: form["password"])
                return try await signIn(member, next: next, flash: nil)
            } catch let error as AppError where error.status == .unauthorized || error.status == .tooManyRequests || error.status == .unprocessableContent {
                let page = LoginPage(email: form["email"] ?? "", next: next, error: t.error(error.code, field: error.field, params: error.params))
                var response = pages.render(.login, title: t.t("login.title"), page: page, request: request, context: context, status: error.status)
                response.headers.append(contentsOf: error.headers)
                return response
            }
        }
        routes.post(TeamPath.logout, .signedIn) { request, context, identity in
            _ = try await pages.readForm(request, context: context)
            if case .session(let token, _) = identity.via {
                try await dependencies.team.signOut(sessionToken: token)
            }
            var response = pages.redirect(TeamPath.login, flash: "flash.signed_out")
            response.setCookie(Cookie(name: IdentityMiddleware.sessionCookie, value: "", maxAge: 0, path: "/",
                                      secure: pages.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        }

        routes.post("/api/v1/session", .anyone) { request, context in
            let input = try await JSONInput.read(request, context: context)
            let member = try await authenticate(email: try input.string("email"), password: try input.string("password"))
            let token = try await dependencies.team.openAPISession(memberID: member.id)
            struct Created: Encodable { var token: String; var member: MemberDTO }
            return try JSONOutput.response(Created(token: token, member: MemberDTO(member)), status: .created)
        }
        routes.delete("/api/v1/session", .signedIn) { _, _, identity in
            switch identity.via {
            case .apiToken(_, let token): try await dependencies.team.signOut(apiToken: token)
            case .session(let token, _): try await dependencies.team.signOut(sessionToken: token)
            }
            return JSONOutput.noContent()
        }
    }

    /// Checks a password with the per-e-mail throttle. The same message answers
    /// an unknown e-mail, a wrong password and a deactivated member, so the
    /// sign-in form cannot be used to find out who has an account.
    func authenticate(email rawEmail: String?, password: String?) async throws -> Member {
        let email = (rawEmail ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard !email.isEmpty else { throw AppError(.unprocessableContent, "required", field: "email") }
        guard let password, !password.isEmpty else { throw AppError(.unprocessableContent, "required", field: "password") }
        switch try await dependencies.team.signIn(email: email, password: password) {
        case .signedIn(let member):
            return member
        case .locked(let until):
            let seconds = max(1, Int(until.timeIntervalSinceNow.rounded(.up)))
            throw AppError(.tooManyRequests, "too_many_attempts", params: ["minutes": String((seconds + 59) / 60)],
                           headers: [.retryAfter: String(seconds)])
        case .invalid:
            throw AppError(.unauthorized, "invalid_credentials")
        }
    }

    func signIn(_ member: Member, next: String, flash: String?) async throws -> Response {
        let token = try await dependencies.team.openBrowserSession(memberID: member.id)
        var response = pages.redirect(next, flash: flash)
        response.setCookie(Cookie(name: IdentityMiddleware.sessionCookie, value: token, maxAge: Int(SessionRepository.lifetime), path: "/",
                                  secure: pages.secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    private func setupPage(values: [String: String], errors: FormErrors, request: Request, context: AppRequestContext,
                           status: HTTPResponse.Status = .ok) -> Response {
        let t = pages.localizer(context)
        let zone = values["time_zone"] ?? "Asia/Shanghai"
        let page = SetupPage(
            values: values,
            errors: errors.messages,
            summary: errors.summary,
            timeZones: SelectOption.timeZones(selected: zone, t),
            locales: AppLocale.allCases.map { SelectOption(value: $0.rawValue, label: t.t("locale.\($0.rawValue)"), selected: $0.rawValue == (values["locale"] ?? "zh-Hans")) }
        )
        return pages.render(.setup, title: t.t("setup.title"), page: page, request: request, context: context, status: status)
    }
}
