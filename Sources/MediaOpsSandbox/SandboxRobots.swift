import Crypto
import Foundation
import Hummingbird

/// The group robots: 企业微信 (`/cgi-bin/webhook/send?key=`), 钉钉
/// (`/robot/send?access_token=`) and 飞书 (`/open-apis/bot/v2/hook/{token}`).
/// Each message is recorded as a `ReceivedPost` (platform "wecom", "dingtalk"
/// or "feishu"; account = the key or token; text = the message text).
/// 钉钉 and 飞书 check a signature when one is sent, with the secret
/// `sandbox-secret`; 企业微信 refuses the key "invalid".
struct SandboxRobots: SandboxPlatform {
    static let secret = "sandbox-secret"

    func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        router.post("/cgi-bin/webhook/send") { request, _ -> Response in
            let key = request.uri.queryParameters.get("key") ?? ""
            let scenario = await state.take(platform: "wecom", call: "send")
            if let early = try Self.early(scenario, rate: ["errcode": 45009, "errmsg": "api freq out of limit"],
                                                   error: { ["errcode": $0, "errmsg": "sandbox error"] }) { return early }
            guard !key.isEmpty, key != "invalid" else {
                return try SandboxServer.json(["errcode": 93000, "errmsg": "invalid webhook url"])
            }
            let body = try await request.jsonBody()
            guard let text = Self.wecomText(body) else {
                return try SandboxServer.json(["errcode": 40008, "errmsg": "invalid message type"])
            }
            if body["msgtype"] as? String == "markdown", text.utf8.count > 4_096 {
                return try SandboxServer.json(["errcode": 40058, "errmsg": "markdown.content exceed max length 4096"])
            }
            return try await Self.accept("wecom", account: key, text: text, state: state, slow: scenario, answer: ["errcode": 0, "errmsg": "ok"])
        }

        router.post("/robot/send") { request, _ -> Response in
            let token = request.uri.queryParameters.get("access_token") ?? ""
            let scenario = await state.take(platform: "dingtalk", call: "send")
            if let early = try Self.early(scenario, rate: ["errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"],
                                                   error: { ["errcode": $0, "errmsg": "sandbox error"] }) { return early }
            guard !token.isEmpty else { return try SandboxServer.json(["errcode": 300001, "errmsg": "token is not exist"]) }
            if let timestamp = request.uri.queryParameters.get("timestamp") {
                let given = request.uri.queryParameters.get("sign") ?? ""
                let now = Int64(await state.now.timeIntervalSince1970 * 1_000)
                guard let millis = Int64(timestamp), abs(now - millis) <= 3_600_000,
                      Self.matches(given, Self.dingtalkSign(timestamp: timestamp)) else {
                    return try SandboxServer.json(["errcode": 310000, "errmsg": "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"])
                }
            }
            let body = try await request.jsonBody()
            guard let text = Self.dingtalkText(body) else {
                return try SandboxServer.json(["errcode": 40035, "errmsg": "缺少参数 json"])
            }
            return try await Self.accept("dingtalk", account: token, text: text, state: state, slow: scenario, answer: ["errcode": 0, "errmsg": "ok"])
        }

        router.post("/open-apis/bot/v2/hook/{token}") { request, context -> Response in
            let token = context.parameters.get("token") ?? ""
            let scenario = await state.take(platform: "feishu", call: "send")
            if let early = try Self.early(scenario, rate: ["code": 11232, "msg": "frequency limited", "data": [:] as [String: Any]],
                                                   error: { ["code": $0, "msg": "sandbox error", "data": [:] as [String: Any]] }) { return early }
            let body = try await request.jsonBody()
            if let sign = body["sign"] as? String {
                let timestamp = (body["timestamp"] as? String) ?? (body["timestamp"] as? Int).map(String.init) ?? ""
                let now = Int64(await state.now.timeIntervalSince1970)
                guard let seconds = Int64(timestamp), abs(now - seconds) <= 3_600, Self.matches(sign, Self.feishuSign(timestamp: timestamp)) else {
                    return try SandboxServer.json(["code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time",
                                                   "data": [:] as [String: Any]])
                }
            }
            guard let text = Self.feishuText(body) else {
                return try SandboxServer.json(["code": 9499, "msg": "Bad Request", "data": [:] as [String: Any]])
            }
            return try await Self.accept("feishu", account: token, text: text, state: state, slow: scenario,
                                         answer: ["code": 0, "msg": "success", "data": [:] as [String: Any]])
        }
    }

    // MARK: Shared behaviour

    /// The answer a queued scenario gives before anything is recorded (nil:
    /// go on; `slow_after_accept` is carried out by `accept`, which records first).
    static func early(_ scenario: Scenario?, rate: [String: Any], error: (Int) -> [String: Any]) throws -> Response? {
        guard let scenario else { return nil }
        switch scenario.kind {
        case .error: return try SandboxServer.json(error(scenario.code ?? -1))
        case .rateLimit: return try SandboxServer.json(rate)
        case .unavailable: return try SandboxServer.json(["error": "service unavailable"], status: .serviceUnavailable)
        case .slowAfterAccept, .expireToken, .asyncFailure, .renameField: return nil
        }
    }

    static func accept(_ platform: String, account: String, text: String, state: SandboxState, slow: Scenario?, answer: [String: Any]) async throws -> Response {
        let id = await state.nextID()
        await state.record(ReceivedPost(platform: platform, account: account, id: String(id), text: text, idempotencyKey: nil, at: await state.now))
        if let slow, slow.kind == .slowAfterAccept {
            try await Task.sleep(for: .milliseconds(Int((slow.seconds ?? 5) * 1_000)))
        }
        return try SandboxServer.json(answer)
    }

    // MARK: Signatures (what the real robots compute with the group's secret)

    static func dingtalkSign(timestamp: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp)\n\(secret)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).base64EncodedString()
    }

    static func feishuSign(timestamp: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(), using: SymmetricKey(data: Data("\(timestamp)\n\(secret)".utf8)))
        return Data(mac).base64EncodedString()
    }

    /// Compares a signature whether or not the query value arrived percent-decoded.
    static func matches(_ given: String, _ expected: String) -> Bool {
        let candidates = [given, given.removingPercentEncoding ?? given]
        return candidates.contains { candidate in
            let a = Array(candidate.utf8), b = Array(expected.utf8)
            return a.count == b.count && zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }

    // MARK: Message text

    static func wecomText(_ body: [String: Any]) -> String? {
        switch body["msgtype"] as? String {
        case "markdown": return (body["markdown"] as? [String: Any])?["content"] as? String
        case "text": return (body["text"] as? [String: Any])?["content"] as? String
        default: return nil
        }
    }

    static func dingtalkText(_ body: [String: Any]) -> String? {
        switch body["msgtype"] as? String {
        case "markdown": return (body["markdown"] as? [String: Any])?["text"] as? String
        case "text": return (body["text"] as? [String: Any])?["content"] as? String
        default: return nil
        }
    }

    static func feishuText(_ body: [String: Any]) -> String? {
        switch body["msg_type"] as? String {
        case "text":
            return (body["content"] as? [String: Any])?["text"] as? String
        case "interactive":
            guard let card = body["card"] as? [String: Any] else { return nil }
            var parts: [String] = []
            if let title = ((card["header"] as? [String: Any])?["title"] as? [String: Any])?["content"] as? String { parts.append(title) }
            for element in card["elements"] as? [[String: Any]] ?? [] {
                if let text = (element["text"] as? [String: Any])?["content"] as? String { parts.append(text) }
                if let content = element["content"] as? String { parts.append(content) }
                for action in element["actions"] as? [[String: Any]] ?? [] {
                    let label = ((action["text"] as? [String: Any])?["content"] as? String) ?? ""
                    if let url = action["url"] as? String { parts.append("\(label) \(url)") }
                }
            }
            return parts.joined(separator: "\n")
        case "post":
            guard let post = (body["content"] as? [String: Any])?["post"] as? [String: Any],
                  let language = (post["zh_cn"] ?? post["en_us"] ?? post.values.first) as? [String: Any] else { return nil }
            var lines: [String] = []
            if let title = language["title"] as? String, !title.isEmpty { lines.append(title) }
            for paragraph in language["content"] as? [[[String: Any]]] ?? [] {
                lines.append(paragraph.compactMap { ($0["text"] as? String) ?? ($0["href"] as? String) }.joined())
            }
            return lines.joined(separator: "\n")
        default:
            return nil
        }
    }
}
