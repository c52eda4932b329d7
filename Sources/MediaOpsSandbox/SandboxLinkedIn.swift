import Foundation
import Hummingbird

/// LinkedIn `POST /rest/posts` (PLATFORMS.md §8, §12). Versioned API: no
/// `LinkedIn-Version` → 400 VERSION_MISSING, one outside the active window →
/// 426 NONEXISTENT_VERSION, no `X-Restli-Protocol-Version: 2.0.0` → 400.
/// Success is 201 with the post URN in `x-restli-id` and no body. Errors are
/// `{"status","serviceErrorCode","code","message"}`; throttles (429) come
/// without Retry-After, as LinkedIn's daily limits do. A repeated commentary
/// from the same author is 422 "Content is a duplicate". Tokens
/// "expired"/"revoked" (or hit by `expire_token`) get 401.
/// Records: platform "linkedin", account = the author URN, text = the
/// commentary with its little-text escapes removed, call "posts".
struct SandboxLinkedIn: SandboxPlatform {
    static let platform = "linkedin"
    /// Versions (YYYYMM) the sandbox treats as active.
    static let activeVersions = 202_501...202_612

    func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        router.post("/rest/posts") { request, _ -> Response in
            let token = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
            let scenario = await state.take(platform: Self.platform, call: "posts")
            switch scenario?.kind {
            case .unavailable?: return try Self.error(503, code: "SERVICE_UNAVAILABLE", "Service Unavailable")
            case .rateLimit?:
                return try Self.error(429, code: "TOO_MANY_REQUESTS", "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.", service: 101)
            case .error?: return try Self.error(scenario?.code ?? 500, code: "SANDBOX_ERROR", "Sandbox error")
            case .expireToken?: if !token.isEmpty { await state.set("linkedin-token", token, "expired") }
            default: break
            }
            guard let version = request.headers[.init("LinkedIn-Version")!] else {
                return try Self.error(400, code: "VERSION_MISSING", "A version must be present. Please specify a version by adding the LinkedIn-Version header.")
            }
            guard let number = Int(version), Self.activeVersions.contains(number) else {
                return try Self.error(426, code: "NONEXISTENT_VERSION", "Requested version \(version) is not active")
            }
            guard request.headers[.init("X-Restli-Protocol-Version")!] == "2.0.0" else {
                return try Self.error(400, code: "ILLEGAL_ARGUMENT", "X-Restli-Protocol-Version 2.0.0 is required for this resource")
            }
            if token.isEmpty { return try Self.error(401, code: "INVALID_ACCESS_TOKEN", "Invalid access token", service: 65600) }
            if token == "revoked" { return try Self.error(401, code: "REVOKED_ACCESS_TOKEN", "The token used in the request has been revoked by the user", service: 65601) }
            let marked = await state.get("linkedin-token", token) == "expired"
            if token == "expired" || marked {
                return try Self.error(401, code: "EXPIRED_ACCESS_TOKEN", "The token used in the request has expired", service: 65602)
            }
            let body = try await request.jsonBody()
            let author = (body["author"] as? String) ?? ""
            guard author.hasPrefix("urn:li:person:") || author.hasPrefix("urn:li:organization:") else {
                return try Self.error(422, code: "UNPROCESSABLE_ENTITY", "ERROR :: /author :: \"\(author)\" is not a valid person or organization URN")
            }
            guard body["lifecycleState"] as? String == "PUBLISHED", body["visibility"] is String,
                  (body["distribution"] as? [String: Any])?["feedDistribution"] is String else {
                return try Self.error(422, code: "UNPROCESSABLE_ENTITY", "ERROR :: /lifecycleState, /visibility and /distribution/feedDistribution are required")
            }
            let commentary = Self.unescape((body["commentary"] as? String) ?? "")
            if commentary.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || commentary.count > 3_000 {
                return try Self.error(422, code: "UNPROCESSABLE_ENTITY", "ERROR :: /commentary :: length must be between 1 and 3000")
            }
            if let previous = await state.get("linkedin-texts", "\(author)\n\(commentary)") {
                return try Self.error(422, code: "UNPROCESSABLE_ENTITY", "Content is a duplicate of \(previous)")
            }
            let urn = "urn:li:share:\(7_100_000_000_000_000_000 + (await state.nextID()))"
            await state.set("linkedin-texts", "\(author)\n\(commentary)", urn)
            await state.record(ReceivedPost(platform: Self.platform, account: author, id: urn, text: commentary, idempotencyKey: nil, at: await state.now))
            if scenario?.kind == .slowAfterAccept { try? await Task.sleep(for: .seconds(scenario?.seconds ?? 5)) }
            var headers = HTTPFields()
            headers[.init("x-restli-id")!] = urn
            headers[.init("x-linkedin-id")!] = urn
            return Response(status: .created, headers: headers)
        }
    }

    static func error(_ status: Int, code: String, _ message: String, service: Int? = nil) throws -> Response {
        var body: [String: Any] = ["status": status, "code": code, "message": message]
        if let service { body["serviceErrorCode"] = service }
        return try SandboxServer.json(body, status: HTTPResponse.Status(code: status))
    }

    /// Little text: a backslash makes the next character literal.
    static func unescape(_ text: String) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if escaping { result.append(character); escaping = false } else if character == "\\" { escaping = true } else { result.append(character) }
        }
        return result
    }
}
