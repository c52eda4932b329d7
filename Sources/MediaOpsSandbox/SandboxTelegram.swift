import Foundation
import Hummingbird
import NIOCore

/// Telegram Bot API imitation (PLATFORMS.md §9): `/bot<token>/<method>`.
///
/// What it imitates, and why:
/// * **The token in the path**, registered as `/bot{token}/{method}` (Hummingbird
///   2 captures a parameter after a fixed prefix in one path component). A token
///   must look like `<digits>:<text>`; "0:revoked" or a malformed one answers 401
///   `Unauthorized`, the answer a connector must turn into "reconnect". (The real
///   API answers a malformed token with 404 `Not Found`.)
/// * **Parameters** from the query, a JSON body, a urlencoded form or multipart,
///   like the real API accepts them.
/// * **`sendMessage`** (chat_id, text ≤ 4096) and **`sendPhoto`** (chat_id,
///   caption ≤ 1024, photo as an uploaded file or a file_id/URL), answering the
///   channel post as the API does: `{"ok":true,"result":{message_id, sender_chat,
///   chat, date, text | photo+caption}}`, message ids counting per chat.
///   `getMe` answers the bot. Other methods: 404 `Not Found`.
/// * **Errors** in Telegram's envelope with the HTTP status equal to error_code:
///   `@missing` → 400 `Bad Request: chat not found`; `.rateLimit(seconds)` → 429
///   `Too Many Requests: retry after N` with `parameters.retry_after`.
///
/// Scenario `call` names are the method names ("sendMessage", "sendPhoto", "getMe").
struct SandboxTelegram: SandboxPlatform {
    static let platform = "telegram"
    static let textLimit = 4_096
    static let captionLimit = 1_024

    // Scratch space in `SandboxState`.
    static let counters = "telegram.counters"  // chat id → last message_id

    func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
            try await Self.handle(request, token: context.parameters.get("token") ?? "", method: context.parameters.get("method") ?? "", state: state)
        }
        router.post("/bot{token}/{method}", use: handler)
        router.get("/bot{token}/{method}", use: handler)
    }
}

/// A Telegram error answer: `{"ok":false,"error_code","description"}` with the same HTTP status.
struct TelegramError: Error {
    var code: Int
    var description: String
    var retryAfter: Int?

    init(_ code: Int, _ description: String, retryAfter: Int? = nil) {
        self.code = code
        self.description = description
        self.retryAfter = retryAfter
    }

    static let descriptions: [Int: String] = [
        400: "Bad Request: chat not found", 401: "Unauthorized", 403: "Forbidden: bot is not a member of the channel chat",
        404: "Not Found", 409: "Conflict: terminated by other getUpdates request", 500: "Internal Server Error", 502: "Bad Gateway",
    ]

    var response: Response {
        var json: [String: Any] = ["ok": false, "error_code": code, "description": description]
        if let retryAfter { json["parameters"] = ["retry_after": retryAfter] }
        return (try? SandboxServer.json(json, status: HTTPResponse.Status(code: code, reasonPhrase: TelegramError.descriptions[code] ?? "Error"))) ?? Response(status: .internalServerError)
    }
}

extension SandboxTelegram {
    static func handle(_ request: Request, token: String, method: String, state: SandboxState) async throws -> Response {
        let scenario = await state.take(platform: platform, call: method)
        do {
            switch scenario?.kind {
            case .unavailable:
                // What the front proxy answers when the Bot API is down: not Telegram's JSON.
                return Response(status: .serviceUnavailable, headers: [.contentType: "text/html"],
                                body: .init(byteBuffer: ByteBuffer(string: "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>")))
            case .error:
                let code = scenario?.code ?? 500
                throw TelegramError(code, TelegramError.descriptions[code] ?? "Error \(code)")
            default: break
            }
            guard validToken(token) else { throw TelegramError(401, "Unauthorized") }
            if scenario?.kind == .rateLimit {
                let seconds = Int((scenario?.seconds ?? 30).rounded(.up))
                throw TelegramError(429, "Too Many Requests: retry after \(seconds)", retryAfter: seconds)
            }
            let (fields, files) = try await parameters(request)
            let result: [String: Any]
            switch method {
            case "getMe":
                result = bot(token)
            case "getChatMemberCount":
                // The channel's members on the sandbox's Beijing day; "@missing" is a chat that does not exist.
                let chat = fields["chat_id"] ?? ""
                guard !chat.isEmpty, chat != "@missing" else { throw TelegramError(400, "Bad Request: chat not found") }
                let count = SandboxMetrics.followersTotal(chat, SandboxMetrics.today(await state.now))
                if scenario?.kind == .renameField { return try SandboxServer.json(["ok": true, "count": count]) }
                return try SandboxServer.json(["ok": true, "result": count])
            case "sendMessage":
                result = try await sendMessage(fields, state: state)
            case "sendPhoto":
                result = try await sendPhoto(fields, files: files, state: state)
            default:
                throw TelegramError(404, "Not Found")
            }
            if scenario?.kind == .slowAfterAccept { try? await Task.sleep(for: .seconds(scenario?.seconds ?? 3)) }
            return try SandboxServer.json(["ok": true, "result": result])
        } catch let error as TelegramError {
            return error.response
        }
    }

    /// `<bot id>:<secret>`; "0:revoked" stands for a token the bot owner revoked with @BotFather.
    static func validToken(_ token: String) -> Bool {
        let parts = token.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy(\.isNumber), !parts[1].isEmpty,
              parts[1].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { return false }
        return token != "0:revoked"
    }

    /// Query items overlaid by the body's fields (JSON, urlencoded or multipart), and the uploaded files.
    static func parameters(_ request: Request) async throws -> (fields: [String: String], files: [SandboxPart]) {
        var fields: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { fields[String(key)] = String(value) }
        let body = try await request.fieldPairs()
        for (key, value) in body.fields where !key.isEmpty { fields[key] = value }
        return (fields, body.parts)
    }

    static func sendMessage(_ fields: [String: String], state: SandboxState) async throws -> [String: Any] {
        let chat = try chat(fields["chat_id"])
        let text = fields["text"] ?? ""
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw TelegramError(400, "Bad Request: message text is empty") }
        guard text.count <= textLimit else { throw TelegramError(400, "Bad Request: message is too long") }
        var message = try await post(chat, text: text, state: state)
        message["text"] = text
        return message
    }

    /// The photo comes as an uploaded file, or as a file_id / URL string.
    static func sendPhoto(_ fields: [String: String], files: [SandboxPart], state: SandboxState) async throws -> [String: Any] {
        let chat = try chat(fields["chat_id"])
        let caption = fields["caption"] ?? ""
        guard caption.count <= captionLimit else { throw TelegramError(400, "Bad Request: message caption is too long") }
        let upload = files.first { $0.name == "photo" && $0.filename != nil }
        let size: Int
        if let upload {
            guard !upload.body.isEmpty, upload.imageFormat != nil else { throw TelegramError(400, "Bad Request: IMAGE_PROCESS_FAILED") }
            guard upload.body.count <= 10 * 1_024 * 1_024 else { throw TelegramError(400, "Bad Request: file is too big") }
            size = upload.body.count
        } else if let reference = fields["photo"], !reference.isEmpty {
            size = 12_345
        } else {
            throw TelegramError(400, "Bad Request: there is no photo in the request")
        }
        var message = try await post(chat, text: caption, state: state)
        let fileID = "AgACAgQAAxkDAAI" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(24)
        message["photo"] = [
            ["file_id": fileID + "AAM", "file_unique_id": "AQAD" + fileID.suffix(8) + "y", "file_size": size / 10, "width": 90, "height": 60],
            ["file_id": fileID + "AAx", "file_unique_id": "AQAD" + fileID.suffix(8) + "x", "file_size": size, "width": 800, "height": 533],
        ]
        if !caption.isEmpty { message["caption"] = caption }
        return message
    }

    /// A channel the bot can post to: `@username` or a numeric id. `@missing` does not exist.
    static func chat(_ raw: String?) throws -> [String: Any] {
        guard let raw, !raw.isEmpty else { throw TelegramError(400, "Bad Request: chat_id is empty") }
        if raw.hasPrefix("@") {
            let username = String(raw.dropFirst())
            guard username != "missing", username.count >= 4 else { throw TelegramError(400, "Bad Request: chat not found") }
            return ["id": -(1_000_000_000_000 + Int(fnv1a(username) % 1_000_000_000)), "title": "Sandbox \(username)", "username": username, "type": "channel"]
        }
        guard let id = Int(raw) else { throw TelegramError(400, "Bad Request: chat not found") }
        let type = String(id).hasPrefix("-100") ? "channel" : (id < 0 ? "group" : "private")
        return ["id": id, "title": "Sandbox chat \(id)", "type": type]
    }

    /// Numbers the message in its chat, records it, and answers the message without its text/photo.
    static func post(_ chat: [String: Any], text: String, state: SandboxState) async throws -> [String: Any] {
        let chatID = String(chat["id"] as? Int ?? 0)
        let account = (chat["username"] as? String).map { "@" + $0 } ?? chatID
        let (messageID, date) = await state.atomically { s -> (Int, Int) in
            let next = (Int(s.get(counters, chatID) ?? "") ?? 0) + 1
            s.set(counters, chatID, String(next))
            s.record(ReceivedPost(platform: platform, account: account, id: String(next), text: text, idempotencyKey: nil, at: s.now))
            return (next, Int(s.now.timeIntervalSince1970))
        }
        return ["message_id": messageID, "sender_chat": chat, "chat": chat, "date": date]
    }

    static func bot(_ token: String) -> [String: Any] {
        ["id": Int(token.split(separator: ":").first ?? "") ?? 0, "is_bot": true, "first_name": "MediaOps Sandbox", "username": "mediaops_sandbox_bot",
         "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false]
    }

    /// A stable hash (Swift's `hashValue` changes between runs).
    static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(UInt64(0xcbf29ce484222325)) { ($0 ^ UInt64($1)) &* 0x100000001b3 }
    }
}
