import Foundation
import Hummingbird

/// X API v2 `POST /2/tweets` (PLATFORMS.md §6, §12): Bearer user token, JSON
/// `{text, media?{media_ids[]}}`, 201 `{"data":{"id","text","edit_history_tweet_ids"}}` with the
/// `x-rate-limit-*` and `x-user-limit-24hour-*` headers. Problems come as
/// `{"title","detail","type","status"}`; a repeated text from the same user is
/// 403 duplicate content; a `rate_limit` scenario is 429 with the reset
/// `seconds` ahead. Tokens "expired"/"revoked" (or hit by `expire_token`) get 401.
///
/// The v2 chunked media upload, same auth and scenarios:
/// * `POST /2/media/upload/initialize` JSON `{media_type, total_bytes, media_category?}`
///   (both required, size within the category's limit) → `{"data":{"id","media_key","expires_after_secs"}}`;
/// * `POST /2/media/upload/{id}/append` multipart `media` (file) + `segment_index` (0…999);
///   a segment sent again replaces the earlier one;
/// * `POST /2/media/upload/{id}/finalize`: the appended bytes must add up to
///   `total_bytes`. Pictures (`tweet_image`) are ready at once; GIFs and videos, or
///   any upload under an `async_failure` scenario, answer `processing_info`
///   pending and settle (succeeded, or failed) on the first
///   `GET /2/media/upload?command=STATUS&media_id=`.
/// * A tweet's `media.media_ids` must be this user's finalized, processed, unexpired uploads.
/// Upload errors come as `{"errors":[{"message"}],"title","detail","type"}`.
///
/// Records: platform "x", account = the token's user id; calls "tweets",
/// "media/initialize", "media/append", "media/finalize", "media/status".
struct SandboxX: SandboxPlatform {
    static let platform = "x"
    /// The 15-minute window and the Basic tier's 24-hour user cap.
    static let windowLimit = 200
    static let dailyLimit = 100
    /// How long an upload id stays usable.
    static let mediaLifetime = 86_400
    static let maxMediaPerTweet = 4
    static let sizeLimits = ["tweet_image": 5 * 1_024 * 1_024, "tweet_gif": 15 * 1_024 * 1_024, "tweet_video": 512 * 1_024 * 1_024,
                             "amplify_video": 512 * 1_024 * 1_024]

    /// Scratch space: media id → Upload.
    static let uploads = "x.media"

    struct Upload: Codable {
        var id: String
        var owner: String
        var mediaType: String
        var totalBytes: Int
        var category: String
        var createdAt: Date
        /// Bytes received per segment index.
        var segments: [Int: Int] = [:]
        var finalized = false
        /// nil until finalized; then "pending", "succeeded" or "failed".
        var state: String?
        /// Set by an `async_failure` scenario at finalize: processing ends in failure.
        var failProcessing = false

        var appended: Int { segments.values.reduce(0, +) }
        func expired(_ now: Date) -> Bool { now.timeIntervalSince(createdAt) > TimeInterval(SandboxX.mediaLifetime) }

        func json(includeProcessing: Bool) -> [String: Any] {
            var data: [String: Any] = ["id": id, "media_key": "3_\(id)", "size": totalBytes, "expires_after_secs": SandboxX.mediaLifetime]
            if includeProcessing, let state {
                var info: [String: Any] = ["state": state]
                switch state {
                case "pending", "in_progress": info["check_after_secs"] = 1; info["progress_percent"] = 0
                case "succeeded": info["progress_percent"] = 100
                default: info["error"] = ["code": 1, "name": "InvalidMedia", "message": "Unsupported or corrupt media"] as [String: Any]
                }
                data["processing_info"] = info
            }
            return data
        }
    }

    /// An answer that ends a call early: a problem status and body.
    struct Refusal: Error {
        var response: Response
    }

    func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        router.post("/2/tweets") { request, _ -> Response in
            let (token, scenario, refusal) = await Self.gate(request, call: "tweets", state: state)
            if let refusal { return refusal }
            let now = await state.now.timeIntervalSince1970
            let body = try await request.jsonBody()
            let text = (body["text"] as? String) ?? ""
            let user = await Self.user(for: token, state: state)
            let mediaIDs: [String]
            do { mediaIDs = try await Self.mediaIDs(body["media"], user: user, state: state) } catch let refusal as Refusal { return refusal.response }
            if (text.isEmpty && mediaIDs.isEmpty) || text.count > 280 {
                return try SandboxServer.json([
                    "errors": [["parameters": ["text": [text]], "message": text.isEmpty ? "text must not be empty" : "text must be 280 characters or fewer"]],
                    "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                    "type": "https://api.twitter.com/2/problems/invalid-request",
                ], status: .badRequest)
            }
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

        router.post("/2/media/upload/initialize") { request, _ -> Response in
            let (token, scenario, refusal) = await Self.gate(request, call: "media/initialize", state: state)
            if let refusal { return refusal }
            let body = try await request.jsonBody()
            guard let mediaType = body["media_type"] as? String, !mediaType.isEmpty else {
                return try Self.invalid("media_type", "The media_type field is required.")
            }
            guard let totalBytes = (body["total_bytes"] as? NSNumber)?.intValue, totalBytes > 0 else {
                return try Self.invalid("total_bytes", "The total_bytes field is required and must be a positive integer.")
            }
            let category = (body["media_category"] as? String) ?? "tweet_image"
            guard let limit = Self.sizeLimits[category] else { return try Self.invalid("media_category", "Unsupported media_category \(category).") }
            guard totalBytes <= limit else { return try Self.invalid("total_bytes", "File size exceeds \(limit) bytes for \(category).") }
            let user = await Self.user(for: token, state: state)
            let id = String(1_880_000_000_000_000_000 + (await state.nextID()))
            let upload = Upload(id: id, owner: user, mediaType: mediaType, totalBytes: totalBytes, category: category, createdAt: await state.now)
            await state.save(upload, Self.uploads, id)
            if scenario?.kind == .slowAfterAccept { try? await Task.sleep(for: .seconds(scenario?.seconds ?? 5)) }
            return try SandboxServer.json(["data": ["id": id, "media_key": "3_\(id)", "expires_after_secs": Self.mediaLifetime]])
        }

        router.post("/2/media/upload/{id}/append") { request, context -> Response in
            let (token, scenario, refusal) = await Self.gate(request, call: "media/append", state: state)
            if let refusal { return refusal }
            let user = await Self.user(for: token, state: state)
            let id = context.parameters.get("id") ?? ""
            let (fields, parts) = try await request.fieldPairs()
            guard let media = parts.first(where: { $0.name == "media" }), !media.body.isEmpty else {
                return try Self.invalid("media", "The media field is required.")
            }
            guard let index = fields.last(where: { $0.0 == "segment_index" }).flatMap({ Int($0.1) }), (0...999).contains(index) else {
                return try Self.invalid("segment_index", "The segment_index field is required (0-999).")
            }
            do {
                try await state.atomically { s in
                    var upload = try Self.owned(id, user: user, in: s)
                    guard !upload.finalized else { throw Refusal(response: try Self.invalid("media_id", "Media \(id) is already finalized.")) }
                    upload.segments[index] = media.body.count
                    guard upload.appended <= upload.totalBytes else {
                        throw Refusal(response: try Self.invalid("media", "Appended \(upload.appended) bytes, more than total_bytes \(upload.totalBytes)."))
                    }
                    s.save(upload, Self.uploads, id)
                }
            } catch let refusal as Refusal { return refusal.response }
            if scenario?.kind == .slowAfterAccept { try? await Task.sleep(for: .seconds(scenario?.seconds ?? 5)) }
            return Response(status: .noContent)
        }

        router.post("/2/media/upload/{id}/finalize") { request, context -> Response in
            let (token, scenario, refusal) = await Self.gate(request, call: "media/finalize", state: state)
            if let refusal { return refusal }
            let user = await Self.user(for: token, state: state)
            let id = context.parameters.get("id") ?? ""
            let failProcessing = scenario?.kind == .asyncFailure
            let upload: Upload
            do {
                upload = try await state.atomically { s -> Upload in
                    var upload = try Self.owned(id, user: user, in: s)
                    if upload.finalized { return upload }
                    guard upload.appended == upload.totalBytes else {
                        throw Refusal(response: try SandboxServer.json(["errors": [[
                            "message": "Appended \(upload.appended) bytes but total_bytes is \(upload.totalBytes).",
                        ]]], status: .badRequest))
                    }
                    upload.finalized = true
                    upload.failProcessing = failProcessing
                    // Pictures are ready at once; GIFs, videos and doomed uploads go through processing.
                    upload.state = upload.category == "tweet_image" && !failProcessing ? "succeeded" : "pending"
                    s.save(upload, Self.uploads, id)
                    return upload
                }
            } catch let refusal as Refusal { return refusal.response }
            if scenario?.kind == .slowAfterAccept { try? await Task.sleep(for: .seconds(scenario?.seconds ?? 5)) }
            let processed = upload.category == "tweet_image" && upload.state == "succeeded"
            return try SandboxServer.json(["data": upload.json(includeProcessing: !processed)])
        }

        router.get("/2/media/upload") { request, _ -> Response in
            let (token, scenario, refusal) = await Self.gate(request, call: "media/status", state: state)
            if let refusal { return refusal }
            guard request.uri.queryParameters.get("command")?.uppercased() == "STATUS" else {
                return try Self.invalid("command", "The command parameter must be STATUS.")
            }
            let id = String(request.uri.queryParameters.get("media_id") ?? "")
            guard !id.isEmpty else {
                return try Self.invalid("media_id", "The media_id parameter is required.")
            }
            let user = await Self.user(for: token, state: state)
            let upload: Upload
            do {
                upload = try await state.atomically { s -> Upload in
                    var upload = try Self.owned(id, user: user, in: s)
                    guard upload.finalized else { throw Refusal(response: try Self.invalid("media_id", "Media \(id) is not finalized.")) }
                    // Processing settles at the first look after finalize.
                    if upload.state == "pending" || upload.state == "in_progress" {
                        upload.state = upload.failProcessing ? "failed" : "succeeded"
                        s.save(upload, Self.uploads, id)
                    }
                    return upload
                }
            } catch let refusal as Refusal { return refusal.response }
            if scenario?.kind == .slowAfterAccept { try? await Task.sleep(for: .seconds(scenario?.seconds ?? 5)) }
            return try SandboxServer.json(["data": upload.json(includeProcessing: true)])
        }
    }

    // MARK: Shared steps

    /// What every call does first: takes the call's scenario (503, 429 with the
    /// limit headers, a forced error, an expired token) and checks the Bearer token.
    /// Answers the token, the scenario, and the response to send instead, if any.
    static func gate(_ request: Request, call: String, state: SandboxState) async -> (String, Scenario?, Response?) {
        let token = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
        let scenario = await state.take(platform: Self.platform, call: call)
        let now = await state.now.timeIntervalSince1970
        do {
            switch scenario?.kind {
            case .unavailable?: return (token, scenario, try problem(503, title: "Service Unavailable", detail: "Service Unavailable"))
            case .rateLimit?:
                let reset = Int(now + (scenario?.seconds ?? 900))
                return (token, scenario, try problem(429, title: "Too Many Requests", detail: "Too Many Requests", headers: [
                    "x-rate-limit-limit": String(windowLimit), "x-rate-limit-remaining": "0", "x-rate-limit-reset": String(reset),
                    "x-user-limit-24hour-limit": String(dailyLimit), "x-user-limit-24hour-remaining": "42",
                    "x-user-limit-24hour-reset": String(Int(now) + 86_400),
                ]))
            case .error?: return (token, scenario, try problem(scenario?.code ?? 500, title: "Sandbox Error", detail: "Sandbox error"))
            case .expireToken?: if !token.isEmpty { await state.set("x-token", token, "expired") }
            default: break
            }
            let marked = await state.get("x-token", token) == "expired"
            if token.isEmpty || token == "expired" || token == "revoked" || marked {
                return (token, scenario, try problem(401, title: "Unauthorized", detail: "Unauthorized"))
            }
        } catch {
            return (token, scenario, Response(status: .internalServerError))
        }
        return (token, scenario, nil)
    }

    /// The upload `id` if it belongs to `user` and has not expired; else a 400 refusal.
    static func owned(_ id: String, user: String, in s: isolated SandboxState) throws -> Upload {
        guard let upload = s.load(Upload.self, uploads, id), upload.owner == user else {
            throw Refusal(response: try invalid("media_id", "Media \(id) not found."))
        }
        guard !upload.expired(s.now) else { throw Refusal(response: try invalid("media_id", "Media \(id) has expired.")) }
        return upload
    }

    /// The tweet's `media.media_ids`: each must be this user's finalized and processed upload.
    static func mediaIDs(_ media: Any?, user: String, state: SandboxState) async throws -> [String] {
        guard let media else { return [] }
        let sent = ((media as? [String: Any])?["media_ids"] as? [Any])?.map { "\($0)" } ?? []
        let refuse = { (message: String) throws -> Refusal in
            Refusal(response: try SandboxServer.json([
                "errors": [["parameters": ["media.media_ids": sent], "message": message]],
                "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            ], status: .badRequest))
        }
        guard let object = media as? [String: Any], let list = object["media_ids"] as? [Any], !list.isEmpty else {
            throw try refuse("media.media_ids must be a non-empty list of media ids.")
        }
        let ids = list.compactMap { $0 as? String }
        guard ids.count == list.count else { throw try refuse("media.media_ids must be strings.") }
        guard ids.count <= maxMediaPerTweet else { throw try refuse("At most \(maxMediaPerTweet) media ids per Tweet.") }
        let now = await state.now
        for id in ids {
            guard let upload = await state.load(Upload.self, uploads, id), upload.owner == user, upload.finalized, upload.state == "succeeded",
                  !upload.expired(now) else {
                throw try refuse("Your media IDs are invalid.")
            }
        }
        return ids
    }

    /// 400 in X's invalid-request shape, naming the parameter.
    static func invalid(_ parameter: String, _ message: String) throws -> Response {
        try SandboxServer.json([
            "errors": [["parameters": [parameter: [String]()], "message": message]],
            "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
            "type": "https://api.twitter.com/2/problems/invalid-request",
        ], status: .badRequest)
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
