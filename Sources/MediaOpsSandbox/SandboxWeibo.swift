import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// Weibo's `POST /2/statuses/share.json` (PLATFORMS.md §2, §12): form or
/// multipart (`pic`), `access_token` as a field or `Authorization: OAuth2 …`,
/// `status` ≤ 140 characters with a link and no `#话题#`, `rip` required.
/// Errors are `{"request","error_code","error"}`. Each user may post 30
/// times per clock hour (10023 after that). The token "expired" (or one an
/// `expire_token` scenario hit) answers 21327, "revoked" 21332.
/// Records: platform "weibo", account = the user's uid, call "statuses/share".
struct SandboxWeibo: SandboxPlatform {
    static let platform = "weibo"
    static let hourlyPosts = 30

    func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        router.post("/2/statuses/share.json") { request, _ -> Response in
            let fields = try await Self.fields(request)
            let token = fields["access_token"] ?? Self.headerToken(request) ?? ""
            let scenario = await state.take(platform: Self.platform, call: "statuses/share")
            switch scenario?.kind {
            case .unavailable?: return Response(status: .serviceUnavailable)
            case .rateLimit?: return try Self.error(10023, status: .forbidden)
            case .error?: return try Self.error(scenario?.code ?? 10001, status: .badRequest)
            case .expireToken?: if !token.isEmpty { await state.set("weibo-token", token, "expired") }
            default: break
            }
            guard !token.isEmpty else { return try Self.error(21301, status: .unauthorized) }
            let marked = await state.get("weibo-token", token) == "expired"
            if token == "expired" || token == "revoked" || marked {
                return try Self.error(token == "revoked" ? 21332 : 21327, status: .unauthorized)
            }
            guard let status = fields["status"], !status.isEmpty else { return try Self.error(10016, detail: "status") }
            guard let rip = fields["rip"], !rip.isEmpty else { return try Self.error(10016, detail: "rip") }
            if status.count > 140 { return try Self.error(20012) }
            if status.range(of: "https?://[^\\s]+", options: .regularExpression) == nil {
                return try Self.error(10017, detail: "status must contain a link on the app's safe domain")
            }
            if status.range(of: "#[^#\\s]+#", options: .regularExpression) != nil {
                return try Self.error(10017, detail: "status must not contain #话题#")
            }
            if let size = Int(fields["pic.size"] ?? ""), size > 5 * 1_024 * 1_024 { return try Self.error(20006) }
            if fields["pic.size"] == "0" { return try Self.error(20008) }

            let uid = await Self.uid(for: token, state: state)
            let now = await state.now
            let hour = "\(uid)@\(Int(now.timeIntervalSince1970 / 3_600))"
            let used = Int(await state.get("weibo-hourly", hour) ?? "0") ?? 0
            guard used < Self.hourlyPosts else { return try Self.error(10023, status: .forbidden) }
            await state.set("weibo-hourly", hour, String(used + 1))

            let number = 5_000_000_000_000_000 + (await state.nextID())
            let id = String(number)
            await state.record(ReceivedPost(platform: Self.platform, account: uid, id: id, text: status, idempotencyKey: nil, at: now))
            if scenario?.kind == .slowAfterAccept { try? await Task.sleep(for: .seconds(scenario?.seconds ?? 5)) }
            var answer: [String: Any] = [
                "created_at": Self.createdAt(now), "id": number, "mid": id, "idstr": id, "text": status,
                "source": "<a href=\"https://open.weibo.com\" rel=\"nofollow\">MediaOps</a>",
                "favorited": false, "truncated": false, "reposts_count": 0, "comments_count": 0, "attitudes_count": 0,
                "user": ["id": Int(uid) ?? 0, "idstr": uid, "screen_name": "sandbox_\(uid)", "followers_count": 0],
            ]
            if fields["pic.size"] != nil {
                answer["original_pic"] = "https://wx1.sinaimg.cn/large/sandbox\(id).jpg"
                answer["thumbnail_pic"] = "https://wx1.sinaimg.cn/thumbnail/sandbox\(id).jpg"
            }
            return try SandboxServer.json(answer)
        }
    }

    static let messages: [Int: String] = [
        10001: "System error",
        10016: "Miss required parameter (%s) , see doc for more info.",
        10017: "Parameter (%s)'s value invalid, see doc for more info.",
        10023: "User requests out of rate limit!",
        10024: "User requests for (statuses/share) out of rate limit!",
        20006: "Image size too large.",
        20008: "Content is null!",
        20012: "Text too long, please input text less than 140 characters!",
        21301: "Auth faild!",
        21327: "expired_token",
        21332: "invalid_access_token",
    ]

    static func error(_ code: Int, detail: String = "", status: HTTPResponse.Status = .badRequest) throws -> Response {
        let message = (messages[code] ?? "Sandbox error").replacingOccurrences(of: "%s", with: detail)
        return try SandboxServer.json(["request": "/2/statuses/share.json", "error_code": code, "error": message], status: status)
    }

    /// One uid per token, stable for the sandbox's life.
    static func uid(for token: String, state: SandboxState) async -> String {
        if let uid = await state.get("weibo-uid", token) { return uid }
        let uid = String(1_000_000_000 + (await state.nextID()))
        await state.set("weibo-uid", token, uid)
        return uid
    }

    static func headerToken(_ request: Request) -> String? {
        guard let value = request.headers[.authorization], value.hasPrefix("OAuth2 ") else { return nil }
        return String(value.dropFirst(7))
    }

    static func createdAt(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3_600)
        formatter.dateFormat = "EEE MMM dd HH:mm:ss Z yyyy"
        return formatter.string(from: date)
    }

    /// Form or multipart fields; a file part is reported as "<name>.size" (its byte count).
    static func fields(_ request: Request) async throws -> [String: String] {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return try await request.formFields() }
        guard let boundary = contentType.components(separatedBy: "boundary=").last?.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")),
              !boundary.isEmpty else { return [:] }
        var fields: [String: String] = [:]
        for part in try parts(try await request.bodyData(limit: 8 * 1_024 * 1_024), boundary: boundary) {
            if part.filename != nil {
                fields["\(part.name).size"] = String(part.data.count)
            } else {
                fields[part.name] = String(decoding: part.data, as: UTF8.self)
            }
        }
        return fields
    }

    struct Part {
        var name: String
        var filename: String?
        var data: Data
    }

    /// Splits a multipart/form-data body into its parts.
    static func parts(_ body: Data, boundary: String) throws -> [Part] {
        let parser = MultipartParser(boundary: boundary)
        var parts: [Part] = []
        var disposition = ""
        var data = Data()
        parser.onHeader = { name, value in if name.lowercased() == "content-disposition" { disposition = value } }
        parser.onBody = { buffer in data.append(contentsOf: buffer.readableBytesView) }
        parser.onPartComplete = {
            if let name = parameter("name", in: disposition) {
                parts.append(Part(name: name, filename: parameter("filename", in: disposition), data: data))
            }
            disposition = ""
            data = Data()
        }
        try parser.execute(ByteBuffer(bytes: body))
        return parts
    }

    static func parameter(_ key: String, in disposition: String) -> String? {
        for piece in disposition.split(separator: ";") {
            let pair = piece.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2, pair[0].lowercased() == key { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }
}
