import Foundation
import Hummingbird

/// X API v2 `POST /2/tweets` (PLATFORMS.md §6, §12): Bearer user token, JSON
/// `{text}`, 201 `{"data":{"id","text","edit_history_tweet_ids"}}` with the
/// `x-rate-limit-*` and `x-user-limit-24hour-*` headers. Problems come as
/// `{"title","detail","type","status"}`; a repeated text from the same user is
/// 403 duplicate content; a `rate_limit` scenario is 429 with the reset
/// `seconds` ahead. Tokens "expired"/"revoked" (or hit by `expire_token`) get 401.
/// Records: platform "x", account = the token's user id, call "tweets".
struct SandboxX: SandboxPlatform {
    static let platform = "x"
    /// The 15-minute window and the Basic tier's 24-hour user cap.
    static let windowLimit = 200
    static let dailyLimit = 100

    func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        router.post("/2/tweets") { request, _ -> Response in
            let token = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
            let scenario = await state.take(platform: Self.platform, call: "tweets")
            let now = await state.now.timeIntervalSince1970
            switch scenario?.kind {
            case .unavailable?: return try Self.problem(503, title: "Service Unavailable", detail: "Service Unavailable")
            case .rateLimit?:
                let reset = Int(now + (scenario?.seconds ?? 900))
                return try Self.problem(429, title: "Too Many Requests", detail: "Too Many Requests", headers: [
                    "x-rate-limit-limit": String(Self.windowLimit), "x-rate-limit-remaining": "0", "x-rate-limit-reset": String(reset),
                    "x-user-limit-24hour-limit": String(Self.dailyLimit), "x-user-limit-24hour-remaining": "42",
                    "x-user-limit-24hour-reset": String(Int(now) + 86_400),
                ])
            case .error?: return try Self.problem(scenario?.code ?? 500, title: "Sandbox Error", detail: "Sandbox error")
            case .expireToken?: if !token.isEmpty { await state.set("x-token", token, "expired") }
            default: break
            }
            let marked = await state.get("x-token", token) == "expired"
            if token.isEmpty || token == "expired" || token == "revoked" || marked {
                return try Self.problem(401, title: "Unauthorized", detail: "Unauthorized")
            }
            let body = try await request.jsonBody()
            let text = (body["text"] as? String) ?? ""
            if text.isEmpty || text.count > 280 {
                return try SandboxServer.json([
                    "errors": [["parameters": ["text": [text]], "message": text.isEmpty ? "text must not be empty" : "text must be 280 characters or fewer"]],
                    "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                    "type": "https://api.twitter.com/2/problems/invalid-request",
                ], status: .badRequest)
            }
            let user = await Self.user(for: token, state: state)
            if await state.get("x-texts", "\(user)\n\(text)") != nil {
                return try Self.problem(403, title: "Forbidden", detail: "You are not allowed to create a Tweet with duplicate content.")
            }
            let id = String(1_900_000_000_000_000_000 + (await state.nextID()))
            await state.set("x-texts", "\(user)\n\(text)", id)
            await state.record(ReceivedPost(platform: Self.platform, account: user, id: id, text: text, idempotencyKey: nil, at: await state.now))
            if scenario?.kind == .slowAfterAccept { try? await Task.sleep(for: .seconds(scenario?.seconds ?? 5)) }
            let used = (Int(await state.get("x-used", user) ?? "0") ?? 0) + 1
            await state.set("x-used", user, String(used))
            return try SandboxServer.json(["data": ["id": id, "text": text, "edit_history_tweet_ids": [id]]], status: .created, headers: Self.fields([
                "x-rate-limit-limit": String(Self.windowLimit), "x-rate-limit-remaining": String(max(0, Self.windowLimit - used)),
                "x-rate-limit-reset": String(Int(now) + 900),
                "x-user-limit-24hour-limit": String(Self.dailyLimit), "x-user-limit-24hour-remaining": String(max(0, Self.dailyLimit - used)),
                "x-user-limit-24hour-reset": String(Int(now) + 86_400),
            ]))
        }
    }

    static func problem(_ status: Int, title: String, detail: String, headers: [String: String] = [:]) throws -> Response {
        try SandboxServer.json(["title": title, "detail": detail, "type": "about:blank", "status": status],
                               status: HTTPResponse.Status(code: status), headers: fields(headers))
    }

    static func fields(_ headers: [String: String]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in headers { fields[.init(name)!] = value }
        return fields
    }

    static func user(for token: String, state: SandboxState) async -> String {
        if let user = await state.get("x-user", token) { return user }
        let user = String(1_500_000_000 + (await state.nextID()))
        await state.set("x-user", token, user)
        return user
    }
}
