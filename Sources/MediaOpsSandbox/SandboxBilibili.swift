import Crypto
import Foundation
import Hummingbird

/// Bilibili open platform `POST /arcopen/fn/article/add` (PLATFORMS.md §4,
/// §12). Every call is checked like the real gateway: the `X-Bili-*` headers
/// must be complete, `X-Bili-Content-Md5` must be the MD5 of the body, the
/// timestamp within 10 minutes, the nonce unused, and `Authorization` the
/// HMAC-SHA256 of the canonical string under the client secret — the
/// sandbox knows one secret, `sandbox-secret`, for any client id. A failed
/// check is code -3 "签名错误". Answers are `{code, message, ttl, data}`
/// with HTTP 200. The `access-token` "expired" (or one hit by `expire_token`)
/// gets -101, "revoked" -401; a `rate_limit` scenario gets -509.
/// Records: platform "bilibili", account = the user's mid, call "article/add".
struct SandboxBilibili: SandboxPlatform {
    static let platform = "bilibili"
    static let secret = "sandbox-secret"
    static let titleLimit = 40

    func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        router.post("/arcopen/fn/article/add") { request, _ -> Response in
            let data = try await request.bodyData()
            let token = request.headers[.init("access-token")!] ?? ""
            let scenario = await state.take(platform: Self.platform, call: "article/add")
            switch scenario?.kind {
            case .unavailable?: return Response(status: .serviceUnavailable)
            case .rateLimit?: return try Self.answer(-509, "请求过于频繁，请稍后再试")
            case .error?: return try Self.answer(scenario?.code ?? -500, "沙盒错误")
            case .expireToken?: if !token.isEmpty { await state.set("bilibili-token", token, "expired") }
            default: break
            }
            if let refusal = await Self.verify(request, body: data, state: state) { return try Self.answer(-3, "签名错误: \(refusal)") }
            let marked = await state.get("bilibili-token", token) == "expired"
            if token.isEmpty || token == "expired" || marked {
                return try Self.answer(-101, "账号未登录")
            }
            if token == "revoked" { return try Self.answer(-401, "非法访问") }
            let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            let title = ((body["title"] as? String) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let content = ((body["content"] as? String) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !title.isEmpty else { return try Self.answer(-400, "请求错误: title 不能为空") }
            guard title.count <= Self.titleLimit else { return try Self.answer(-400, "请求错误: title 不能超过 \(Self.titleLimit) 个字") }
            guard !content.isEmpty else { return try Self.answer(-400, "请求错误: content 不能为空") }
            let mid = await Self.mid(for: token, state: state)
            let id = 40_000_000 + (await state.nextID())
            await state.record(ReceivedPost(platform: Self.platform, account: mid, id: String(id), text: content, idempotencyKey: nil, at: await state.now))
            if scenario?.kind == .slowAfterAccept { try? await Task.sleep(for: .seconds(scenario?.seconds ?? 5)) }
            return try Self.answer(0, "0", data: ["id": id])
        }
    }

    static func answer(_ code: Int, _ message: String, data: [String: Any]? = nil) throws -> Response {
        var body: [String: Any] = ["code": code, "message": message, "ttl": 1]
        if let data { body["data"] = data }
        return try SandboxServer.json(body)
    }

    /// nil when the request is signed correctly, else what is wrong.
    static func verify(_ request: Request, body: Data, state: SandboxState) async -> String? {
        var bili: [(String, String)] = []
        for field in request.headers where field.name.canonicalName.hasPrefix("x-bili-") {
            bili.append((field.name.canonicalName, field.value))
        }
        let value = { (name: String) in bili.first { $0.0 == name }?.1 }
        for name in ["x-bili-accesskeyid", "x-bili-content-md5", "x-bili-signature-method", "x-bili-signature-nonce",
                     "x-bili-signature-version", "x-bili-timestamp"] where value(name)?.isEmpty != false {
            return "missing \(name)"
        }
        guard value("x-bili-signature-method") == "HMAC-SHA256", value("x-bili-signature-version") == "2.0" else { return "unsupported signature method" }
        let md5 = Insecure.MD5.hash(data: body).map { String(format: "%02x", $0) }.joined()
        guard value("x-bili-content-md5")?.lowercased() == md5 else { return "content-md5 mismatch" }
        let now = await state.now.timeIntervalSince1970
        guard let timestamp = value("x-bili-timestamp").flatMap(TimeInterval.init), abs(now - timestamp) <= 600 else { return "timestamp expired" }
        let nonce = value("x-bili-signature-nonce") ?? ""
        guard await state.get("bilibili-nonce", nonce) == nil else { return "nonce reused" }
        let canonical = bili.sorted { $0.0 < $1.0 }.map { "\($0.0):\($0.1)" }.joined(separator: "\n")
        let expected = HMAC<SHA256>.authenticationCode(for: Data(canonical.utf8), using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
        guard let given = request.headers[.authorization]?.lowercased(), given.utf8.count == expected.utf8.count,
              zip(given.utf8, expected.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return "signature mismatch" }
        await state.set("bilibili-nonce", nonce, "1")
        return nil
    }

    static func mid(for token: String, state: SandboxState) async -> String {
        if let mid = await state.get("bilibili-mid", token) { return mid }
        let mid = String(3_000_000 + (await state.nextID()))
        await state.set("bilibili-mid", token, mid)
        return mid
    }
}
