import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Mastodon instance imitation (PLATFORMS.md §10 and §12 "Western").
///
/// What it imitates, and why:
/// * **Bearer tokens**: any non-empty token is a valid account; "revoked" answers
///   401 `The access token was revoked` (what a connector must turn into
///   "reconnect"), a missing one 401 `The access token is invalid`.
/// * **`POST /api/v1/statuses`** (form, JSON or multipart; `status`,
///   `media_ids[]`, `visibility`) with the **`Idempotency-Key`** dedup: the same key
///   from the same account within an hour answers the status made the first time
///   and posts nothing — the guarantee that makes resending after a lost answer safe.
///   Validation answers 422 like Mastodon: blank text, more than 500 characters,
///   media still processing.
/// * **Media**: `POST /api/v2/media` answers 202 and `GET /api/v1/media/:id` then
///   answers 206 once (still processing) and 200 after; `POST /api/v1/media` is
///   processed at once (200).
/// * **Rate limits**: `X-RateLimit-Limit/Remaining/Reset` on every answer, reset
///   in ISO 8601 with microseconds like Mastodon; 300 calls per 5 minutes per
///   account (30 media uploads per 30 minutes), and 429 on a `.rateLimit` scenario.
///
/// Scenario `call` names: "statuses", "statuses/get", "media" (either upload),
/// "media/get", "verify_credentials".
struct SandboxMastodon: SandboxPlatform {
    static let platform = "mastodon"
    static let characterLimit = 500
    static let idempotencyWindow: TimeInterval = 3_600
    static let maxAttachments = 4

    // Scratch spaces in `SandboxState`.
    static let statuses = "mastodon.statuses"        // id → Status
    static let media = "mastodon.media"              // id → Attachment
    static let idempotency = "mastodon.idempotency"  // "owner|key" → Remembered
    static let usage = "mastodon.usage"              // "owner|bucket|window" → count

    func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        route(router, .post, "/api/v1/statuses", call: "statuses", state: state) { request, caller in
            try await Self.postStatus(request, caller: caller, state: state)
        }
        route(router, .get, "/api/v1/statuses/{id}", call: "statuses/get", state: state) { request, caller in
            let id = caller.parameters.get("id") ?? ""
            guard let status = await state.load(Status.self, Self.statuses, id) else { throw MastodonError(.notFound, "Record not found") }
            var json = status.json(origin: request.sandboxOrigin, media: await Self.attachments(status.mediaIDs, state: state, origin: request.sandboxOrigin))
            // Counters grow with each sandbox day the status has been up (statistics pulls read them).
            let days = Int((await state.now).timeIntervalSince(status.createdAt) / 86_400) + 1
            for (key, value) in SandboxMetrics.mastodonCounts(id, days: days) { json[key] = value }
            return (.ok, SandboxMetrics.apply(caller.scenario, to: json))
        }
        route(router, .post, "/api/v2/media", call: "media", state: state) { request, caller in
            try await Self.upload(request, caller: caller, processed: false, state: state)
        }
        route(router, .post, "/api/v1/media", call: "media", state: state) { request, caller in
            try await Self.upload(request, caller: caller, processed: true, state: state)
        }
        route(router, .get, "/api/v1/media/{id}", call: "media/get", state: state) { request, caller in
            let id = caller.parameters.get("id") ?? ""
            // First look while processing: 206 and no url yet; from then on ready.
            let (attachment, wasReady) = try await state.atomically { s -> (Attachment, Bool) in
                guard var attachment = s.load(Attachment.self, Self.media, id), attachment.owner == caller.owner else {
                    throw MastodonError(.notFound, "Record not found")
                }
                let wasReady = attachment.processed
                attachment.processed = true
                s.save(attachment, Self.media, id)
                return (attachment, wasReady)
            }
            var json = attachment.json(origin: request.sandboxOrigin)
            if !wasReady { json["url"] = NSNull() }
            return (wasReady ? .ok : .partialContent, json)
        }
        route(router, .get, "/api/v1/accounts/verify_credentials", call: "verify_credentials", state: state) { request, caller in
            var json = Self.account(caller.owner, origin: request.sandboxOrigin)
            json["followers_count"] = SandboxMetrics.followersTotal(caller.owner, SandboxMetrics.today(await state.now))
            return (.ok, SandboxMetrics.apply(caller.scenario, to: json))
        }
    }
}

// MARK: - Records

extension SandboxMastodon {
    struct Status: Codable {
        var id: String
        var owner: String
        var text: String
        var visibility: String
        var spoilerText: String
        var mediaIDs: [String]
        var createdAt: Date

        func json(origin: String, media: [[String: Any]]) -> [String: Any] {
            ["id": id, "created_at": SandboxMastodon.timestamp(createdAt), "in_reply_to_id": NSNull(), "in_reply_to_account_id": NSNull(),
             "sensitive": false, "spoiler_text": spoilerText, "visibility": visibility, "language": "en",
             "uri": "\(origin)/users/\(owner)/statuses/\(id)", "url": "\(origin)/@\(owner)/\(id)",
             "replies_count": 0, "reblogs_count": 0, "favourites_count": 0, "edited_at": NSNull(),
             "content": SandboxMastodon.html(text), "reblog": NSNull(), "application": ["name": "MediaOps", "website": NSNull()],
             "account": SandboxMastodon.account(owner, origin: origin), "media_attachments": media,
             "mentions": [Any](), "tags": [Any](), "emojis": [Any](), "card": NSNull(), "poll": NSNull()]
        }
    }

    struct Attachment: Codable {
        var id: String
        var owner: String
        var type: String
        var filename: String
        var description: String?
        var processed: Bool

        func json(origin: String) -> [String: Any] {
            let path = "\(origin)/system/media_attachments/files/\(id)"
            return ["id": id, "type": type, "url": "\(path)/original/\(filename)", "preview_url": "\(path)/small/\(filename)",
                    "remote_url": NSNull(), "preview_remote_url": NSNull(), "text_url": NSNull(),
                    "meta": ["original": ["width": 640, "height": 480, "size": "640x480", "aspect": 1.3333333333333333]],
                    "description": description ?? NSNull(), "blurhash": "UFHLh0~q00M{_3%MRjWB00Rj-;M{IUWB%MRj"]
        }
    }

    /// What an Idempotency-Key remembers: the status it made and when.
    struct Remembered: Codable {
        var statusID: String
        var at: Date
    }

    /// The account behind a token, and the call's scenario and route parameters.
    struct Caller: Sendable {
        var owner: String
        var scenario: Scenario?
        var parameters: Parameters
    }

    static func account(_ owner: String, origin: String) -> [String: Any] {
        ["id": String(Int(owner.suffix(8), radix: 16) ?? 1), "username": owner, "acct": owner, "display_name": "Sandbox \(owner)",
         "url": "\(origin)/@\(owner)", "locked": false, "bot": false, "followers_count": 42, "following_count": 7, "statuses_count": 0]
    }

    /// `<p>` paragraphs with escaped text and `<br />` line breaks, as Mastodon renders plain statuses.
    static func html(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        return escaped.components(separatedBy: "\n\n").map { "<p>" + $0.replacingOccurrences(of: "\n", with: "<br />") + "</p>" }.joined()
    }

    /// ISO 8601 with microseconds (`2025-01-01T12:00:00.123456Z`), Mastodon's format.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        let whole = formatter.string(from: Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
        let micros = Int((date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)) * 1_000_000)
        return whole.dropLast() + String(format: ".%06dZ", micros)
    }

    /// A stable, short account name for a token: the token itself never appears in what the sandbox shows.
    static func owner(of token: String) -> String {
        "sandbox_" + SHA256.hash(data: Data(token.utf8)).prefix(4).map { String(format: "%02x", $0) }.joined()
    }
}

// MARK: - Errors and the common request path

/// A Mastodon error answer: the status and `{"error": "…"}`.
struct MastodonError: Error {
    var status: HTTPResponse.Status
    var message: String
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }
}

extension SandboxMastodon {
    /// What Mastodon says for the statuses a `.error` scenario forces.
    static let errorMessages: [Int: String] = [
        400: "Bad Request", 401: "The access token is invalid", 403: "This action is not allowed", 404: "Record not found",
        410: "Gone", 422: "Validation failed: Text can't be blank", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
    ]

    static let rateLimitLimit = HTTPField.Name("X-RateLimit-Limit")!
    static let rateLimitRemaining = HTTPField.Name("X-RateLimit-Remaining")!
    static let rateLimitReset = HTTPField.Name("X-RateLimit-Reset")!
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

    /// Registers one route with what every call does first: the scenario, the
    /// bearer token, the rate-limit window. `work` answers a status and JSON body.
    func route(_ router: Router<BasicRequestContext>, _ method: HTTPRequest.Method, _ path: String, call: String, state: SandboxState,
               _ work: @escaping @Sendable (Request, Caller) async throws -> (HTTPResponse.Status, [String: Any])) {
        router.on(RouterPath(path), method: method) { request, context -> Response in
            let scenario = await state.take(platform: Self.platform, call: call)
            var limitHeaders: HTTPFields = [:]
            do {
                switch scenario?.kind {
                case .unavailable:
                    return Response(status: .serviceUnavailable, headers: [.contentType: "text/html"],
                                    body: .init(byteBuffer: ByteBuffer(string: "<html><body><h1>503 Service Unavailable</h1></body></html>")))
                case .error:
                    let code = scenario?.code ?? 500
                    let message = Self.errorMessages[code] ?? "Error \(code)"
                    throw MastodonError(HTTPResponse.Status(code: code, reasonPhrase: message.hasPrefix("Validation") ? "Unprocessable Content" : message), message)
                default: break
                }
                let owner = try Self.authorize(request)
                limitHeaders = try await Self.spend(owner: owner, media: call == "media", forced: scenario?.kind == .rateLimit ? scenario : nil, state: state)
                let (status, json) = try await work(request, Caller(owner: owner, scenario: scenario, parameters: context.parameters))
                if scenario?.kind == .slowAfterAccept { try? await Task.sleep(for: .seconds(scenario?.seconds ?? 3)) }
                return try SandboxServer.json(json, status: status, headers: limitHeaders)
            } catch let error as MastodonError {
                var headers = limitHeaders
                for field in error.headers { headers[field.name] = field.value }
                return try SandboxServer.json(["error": error.message], status: error.status, headers: headers)
            }
        }
    }

    /// 401 without a bearer token or with the revoked one.
    static func authorize(_ request: Request) throws -> String {
        let header = request.headers[.authorization] ?? ""
        guard header.lowercased().hasPrefix("bearer ") else {
            throw MastodonError(.unauthorized, "The access token is invalid", headers: [.wwwAuthenticate: "Bearer realm=\"Doorkeeper\", error=\"invalid_token\""])
        }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else {
            throw MastodonError(.unauthorized, "The access token is invalid", headers: [.wwwAuthenticate: "Bearer realm=\"Doorkeeper\", error=\"invalid_token\""])
        }
        guard token != "revoked" else {
            throw MastodonError(.unauthorized, "The access token was revoked",
                                headers: [.wwwAuthenticate: "Bearer realm=\"Doorkeeper\", error=\"invalid_token\", error_description=\"The access token was revoked\""])
        }
        return owner(of: token)
    }

    /// Counts the call in the account's window and answers the X-RateLimit headers;
    /// 429 when the window is used up or a `.rateLimit` scenario says so.
    static func spend(owner: String, media: Bool, forced: Scenario?, state: SandboxState) async throws -> HTTPFields {
        let (limit, window) = media ? (30, 1_800.0) : (300, 300.0)
        let (remaining, reset) = await state.atomically { s -> (Int, Date) in
            let now = s.now.timeIntervalSince1970
            let bucket = (now / window).rounded(.down)
            let key = "\(owner)|\(media ? "media" : "api")|\(Int(bucket))"
            let used = (Int(s.get(usage, key) ?? "") ?? 0) + 1
            s.set(usage, key, String(used))
            return (limit - used, Date(timeIntervalSince1970: (bucket + 1) * window))
        }
        if let forced {
            let resetAt = (await state.now).addingTimeInterval(forced.seconds ?? 60)
            throw MastodonError(.tooManyRequests, "Too many requests",
                                headers: [rateLimitLimit: String(limit), rateLimitRemaining: "0", rateLimitReset: timestamp(resetAt)])
        }
        let headers: HTTPFields = [rateLimitLimit: String(limit), rateLimitRemaining: String(max(0, remaining)), rateLimitReset: timestamp(reset)]
        if remaining < 0 { throw MastodonError(.tooManyRequests, "Too many requests", headers: headers) }
        return headers
    }
}

// MARK: - Statuses and media

extension SandboxMastodon {
    /// Posts a status. With an Idempotency-Key seen from this account within the
    /// hour, answers the earlier status and records nothing. The check, the
    /// validation and the insert run in one step, so two racing requests with
    /// one key still make one status.
    static func postStatus(_ request: Request, caller: Caller, state: SandboxState) async throws -> (HTTPResponse.Status, [String: Any]) {
        let fields = try await request.fieldPairs().fields
        let text = fields.last { $0.0 == "status" }?.1 ?? ""
        let mediaIDs = fields.filter { $0.0 == "media_ids[]" || $0.0 == "media_ids" }.map(\.1)
        let visibility = fields.last { $0.0 == "visibility" }?.1 ?? "public"
        let spoiler = fields.last { $0.0 == "spoiler_text" }?.1 ?? ""
        let key = request.headers[idempotencyKey].flatMap { $0.isEmpty ? nil : $0 }
        let status = try await state.atomically { s -> Status in
            let now = s.now
            if let key, let seen = s.load(Remembered.self, idempotency, "\(caller.owner)|\(key)"), now.timeIntervalSince(seen.at) < idempotencyWindow,
               let earlier = s.load(Status.self, statuses, seen.statusID) {
                return earlier
            }
            guard ["public", "unlisted", "private", "direct"].contains(visibility) else {
                throw MastodonError(.unprocessableContent, "Validation failed: Visibility is not included in the list")
            }
            guard mediaIDs.count <= maxAttachments else { throw MastodonError(.unprocessableContent, "Cannot attach more than \(maxAttachments) files") }
            // Unknown ids (or someone else's) are dropped, as Mastodon does.
            let attachments = mediaIDs.compactMap { s.load(Attachment.self, media, $0) }.filter { $0.owner == caller.owner }
            if attachments.contains(where: { !$0.processed }) {
                throw MastodonError(.unprocessableContent, "Cannot attach files that have not finished processing. Try again in a moment!")
            }
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || !attachments.isEmpty else {
                throw MastodonError(.unprocessableContent, "Validation failed: Text can't be blank")
            }
            guard text.count <= characterLimit else {
                throw MastodonError(.unprocessableContent, "Validation failed: Text character limit of \(characterLimit) exceeded")
            }
            let status = Status(id: "11\(String(Int(now.timeIntervalSince1970 * 1_000)).suffix(10))\(s.nextID())", owner: caller.owner, text: text,
                                visibility: visibility, spoilerText: spoiler, mediaIDs: attachments.map(\.id), createdAt: now)
            s.save(status, statuses, status.id)
            if let key { s.save(Remembered(statusID: status.id, at: now), idempotency, "\(caller.owner)|\(key)") }
            s.record(ReceivedPost(platform: platform, account: caller.owner, id: status.id, text: text, idempotencyKey: key, at: now))
            return status
        }
        return (.ok, status.json(origin: request.sandboxOrigin, media: await attachments(status.mediaIDs, state: state, origin: request.sandboxOrigin)))
    }

    static func attachments(_ ids: [String], state: SandboxState, origin: String) async -> [[String: Any]] {
        var list: [[String: Any]] = []
        for id in ids { if let attachment = await state.load(Attachment.self, media, id) { list.append(attachment.json(origin: origin)) } }
        return list
    }

    /// `POST /api/v2/media` (202, processed later) or `/api/v1/media` (200, ready): multipart `file`.
    static func upload(_ request: Request, caller: Caller, processed: Bool, state: SandboxState) async throws -> (HTTPResponse.Status, [String: Any]) {
        let parts = try await request.multipartParts()
        guard let file = parts.first(where: { $0.name == "file" }), !file.body.isEmpty else {
            throw MastodonError(.unprocessableContent, "Validation failed: File can't be blank")
        }
        let declared = file.contentType?.lowercased() ?? ""
        let type: String
        switch declared.split(separator: "/").first {
        case "image": type = declared == "image/gif" ? "gifv" : "image"
        case "video": type = "video"
        case "audio": type = "audio"
        default: throw MastodonError(.unprocessableContent, "Validation failed: File content type is invalid")
        }
        guard file.body.count <= 16 * 1_024 * 1_024 else { throw MastodonError(.contentTooLarge, "Validation failed: File file size must be less than 16 MB") }
        let id = String(await state.nextID()) + "0000000000"
        let attachment = Attachment(id: id, owner: caller.owner, type: type, filename: (file.filename ?? "file").replacingOccurrences(of: "/", with: "_"),
                                    description: parts.first { $0.name == "description" }?.text, processed: processed)
        await state.save(attachment, media, id)
        var json = attachment.json(origin: request.sandboxOrigin)
        if !processed { json["url"] = NSNull() }
        return (processed ? .ok : .accepted, json)
    }
}
