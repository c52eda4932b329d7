import Foundation
import Hummingbird

/// Facebook Graph `POST /v20.0/{page-id}/feed` (PLATFORMS.md §7, §12): page
/// token in `?access_token=` (or a form/JSON field, or Bearer), JSON or form
/// `{message, published}`, answer `{"id":"<page>_<post>"}`. Errors are
/// `{"error":{"message","type","code","error_subcode","fbtrace_id"}}` with
/// HTTP 400 (403 for throttles). The token "expired" gets 190/463, "revoked"
/// 190/458 ("Error validating access token …"); the same message twice is
/// 506 duplicate. A `rate_limit` scenario answers code 32 with
/// `X-Business-Use-Case-Usage` saying when access returns; an `error`
/// scenario with code 1390008 (or 368) is the "posting too fast" block.
/// Records: platform "facebook", account = the page id, call "feed".
struct SandboxFacebook: SandboxPlatform {
    static let platform = "facebook"

    func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        router.post("/v20.0/{page}/feed") { request, context -> Response in
            let page = context.parameters.get("page") ?? ""
            let isJSON = (request.headers[.contentType] ?? "").lowercased().contains("json")
            let body: [String: Any] = isJSON ? try await request.jsonBody() : (try await request.formFields()).mapValues { $0 as Any }
            let bearer: String? = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
            let query: String? = request.uri.queryParameters.get("access_token").map { String($0) }
            let token: String = query ?? (body["access_token"] as? String) ?? bearer ?? ""
            let scenario = await state.take(platform: Self.platform, call: "feed")
            switch scenario?.kind {
            case .unavailable?: return Response(status: .serviceUnavailable)
            case .rateLimit?:
                let minutes = max(1, Int(((scenario?.seconds ?? 300) / 60).rounded(.up)))
                let usage = "{\"\(page)\":[{\"type\":\"pages\",\"call_count\":100,\"total_cputime\":12,\"total_time\":20,\"estimated_time_to_regain_access\":\(minutes)}]}"
                var headers = HTTPFields()
                headers[.init("x-business-use-case-usage")!] = usage
                return try Self.error(32, message: "Page request limit reached", status: .forbidden, headers: headers)
            case .error?:
                let code = scenario?.code ?? 1
                if code == 1_390_008 || code == 368 {
                    return try Self.error(368, subcode: 1_390_008, message: "It looks like you were misusing this feature by going too fast. You've been temporarily blocked from using it.")
                }
                if code == 190 { return try Self.error(190, subcode: 460, message: "Error validating access token: The session has been invalidated because the user changed their password.") }
                return try Self.error(code, message: "(#\(code)) Sandbox error", transient: code == 1 || code == 2)
            case .expireToken?: if !token.isEmpty { await state.set("facebook-token", token, "expired") }
            default: break
            }
            guard !token.isEmpty else {
                return try Self.error(104, message: "An access token is required to request this resource.")
            }
            if token == "revoked" {
                return try Self.error(190, subcode: 458, message: "Error validating access token: The user has not authorized application 1234567890.")
            }
            let marked = await state.get("facebook-token", token) == "expired"
            if token == "expired" || marked {
                return try Self.error(190, subcode: 463, message: "Error validating access token: Session has expired.")
            }
            guard !page.isEmpty, page.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ".") }) else {
                return try Self.error(803, message: "(#803) Some of the aliases you requested do not exist: \(page)")
            }
            let message = ((body["message"] as? String) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !message.isEmpty || body["link"] != nil else {
                return try Self.error(100, subcode: 1_349_125, message: "(#100) Invalid parameter")
            }
            if await state.get("facebook-texts", "\(page)\n\(message)") != nil {
                return try Self.error(506, subcode: 1_455_006, message: "(#506) Duplicate status message")
            }
            let id = "\(page)_\(122_000_000_000_000 + (await state.nextID()))"
            await state.set("facebook-texts", "\(page)\n\(message)", id)
            await state.record(ReceivedPost(platform: Self.platform, account: page, id: id, text: message, idempotencyKey: nil, at: await state.now))
            if scenario?.kind == .slowAfterAccept { try? await Task.sleep(for: .seconds(scenario?.seconds ?? 5)) }
            return try SandboxServer.json(["id": id])
        }
    }

    static func error(_ code: Int, subcode: Int? = nil, message: String, transient: Bool = false,
                      status: HTTPResponse.Status = .badRequest, headers: HTTPFields = [:]) throws -> Response {
        var error: [String: Any] = ["message": message, "type": "OAuthException", "code": code,
                                    "is_transient": transient, "fbtrace_id": "Sandbox\(code)"]
        if let subcode { error["error_subcode"] = subcode }
        return try SandboxServer.json(["error": error], status: status, headers: headers)
    }
}
