import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Health, metrics, the API document, static files and the language switch.
struct SystemController {
    let dependencies: SystemDependencies
    let openAPI: OpenAPIDocument
    let pages: PageSupport

    func register(_ routes: Routes) {
        routes.get(SystemPath.health, .anyone) { _, _ in
            struct Health: Encodable { var status: String; var database: String; var version: String }
            guard await dependencies.database.isReachable() else {
                return try JSONOutput.response(Health(status: "unavailable", database: dependencies.database.kind.rawValue, version: dependencies.version),
                                               status: .serviceUnavailable)
            }
            return try JSONOutput.response(Health(status: "ok", database: dependencies.database.kind.rawValue, version: dependencies.version))
        }
        routes.get(SystemPath.metrics, .anyone) { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: dependencies.metrics())))
        }
        routes.get(SystemPath.openAPI, .anyone) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: openAPI.data)))
        }
        routes.get(SystemPath.staticFile(.key), .anyone) { _, context in
            let name = context.parameters.get("name") ?? ""
            guard let asset = pages.renderer.asset(named: name) else { throw AppError.notFound }
            var response = Response(status: .ok, headers: [.contentType: asset.contentType], body: .init(byteBuffer: ByteBuffer(bytes: asset.body)))
            response.headers[.cacheControl] = "public, max-age=3600"
            return response
        }
        // The language switch in the top bar and on the sign-in page.
        routes.post(SystemPath.language, .anyone) { request, context in
            let form = try await pages.readForm(request, context: context)
            guard let locale = form["locale"].flatMap(AppLocale.init(rawValue:)) else {
                throw AppError(.unprocessableContent, "invalid_choice", field: "locale", params: ["choices": "zh-Hans, en"])
            }
            if let identity = context.identity {
                _ = try await dependencies.team.updateMember(id: identity.member.id, .init(locale: locale.rawValue), by: identity.principal)
            }
            var response = pages.redirect(safeNext(form["next"]))
            response.setCookie(Cookie(name: IdentityMiddleware.localeCookie, value: locale.rawValue, maxAge: 365 * 24 * 3600, path: "/",
                                      secure: pages.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        }
    }
}

/// Only same-site paths are followed after sign-in or a language switch, so a
/// crafted link cannot bounce a member to another site.
func safeNext(_ value: String?) -> String { LocalPath.safe(value) }
