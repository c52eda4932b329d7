import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import MultipartKit
import NIOCore

/// 公众号 (WeChat Official Account) imitation, under the real paths of
/// `api.weixin.qq.com` (PLATFORMS.md §1 and §12).
///
/// What it imitates, and why:
/// * **Tokens** (`GET /cgi-bin/token`, `POST /cgi-bin/stable_token`): live 7200 s on
///   the sandbox clock. Rotating keeps the previous token valid 5 more minutes, the
///   documented overlap that lets several workers refresh without breaking each
///   other. `stable_token` hands back the current token (with its remaining
///   lifetime) while it is valid; `force_refresh` rotates. The two kinds are
///   separate, as the docs say ("完全隔离，互不影响").
/// * **Every business route** checks `?access_token=` first: missing 41001,
///   unknown 40014, expired 42001 — the codes a connector must answer with one
///   refresh and one retry.
/// * **Daily quotas** per account and API (Beijing calendar day on the sandbox
///   clock) → 45009; `clear_quota` resets them, 10 times a month, then 48006.
/// * **Publishing**: `media/uploadimg` → url, `material/add_material` → permanent
///   media_id, `draft/add` (checks the cover is permanent material of the same
///   account), `freepublish/submit` (the draft leaves the draft box) and a job that
///   stays at publish_status 1 for 2 sandbox seconds, then ends 0 — with the URL
///   inside `article_detail.item[]`, never at the top level — or in the status a
///   queued `asyncFailure` scenario asked for.
/// * **PUBLISHJOBFINISH push**: when a callback was registered with
///   `POST /_sandbox/wechat/callback {url, token}`, the finished job is POSTed
///   there as XML, signed the WeChat way.
/// * Errors carry WeChat's ` hint: [...]` errmsg suffix; success bodies vary like
///   the real ones (some `{"errcode":0,"errmsg":"ok"}`, most without errcode).
///
/// Scenario `call` names are the paths after `/cgi-bin/`: "token", "stable_token",
/// "media/uploadimg", "material/add_material", "draft/add", "freepublish/submit",
/// "freepublish/get", …
struct SandboxWeChat: SandboxPlatform {
    static let platform = "wechat_oa"
    static let tokenLifetime: TimeInterval = 7_200
    /// The old token's overlap after a rotation.
    static let rotationGrace: TimeInterval = 300
    /// How long a submitted job stays "publishing" (sandbox seconds).
    static let publishDelay: TimeInterval = 2
    /// Resets `clear_quota` allows per month.
    static let clearsPerMonth = 10
    /// Daily quotas of a newly registered account (PLATFORMS.md §1.3); the draft and
    /// freepublish numbers are not documented there and are guesses. Changed per
    /// API with `POST /_sandbox/wechat/quota {"api","limit"}`.
    static let defaultQuotas: [String: Int] = [
        "token": 2_000, "stable_token": 2_000, "media/uploadimg": 5_000, "material/add_material": 5_000,
        "draft/add": 1_000, "freepublish/submit": 100, "freepublish/get": 10_000,
    ]

    // Scratch spaces in `SandboxState`.
    static let tokens = "wechat.tokens"          // token → Token
    static let current = "wechat.current"        // "appid|stable" / "appid|plain" → token
    static let usage = "wechat.usage"            // "day|appid|api" → count
    static let limits = "wechat.limits"          // api → daily limit
    static let clears = "wechat.clears"          // "month|appid" → count
    static let materials = "wechat.materials"    // media_id → Material
    static let drafts = "wechat.drafts"          // media_id → Draft
    static let jobs = "wechat.jobs"              // publish_id → Job
    static let articles = "wechat.articles"      // article_id → publish_id
    static let callback = "wechat.callback"      // "url", "token"
    static let deliveries = "wechat.deliveries"  // publish_id → what the callback answered

    func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        // Tokens.
        router.get("/cgi-bin/token") { request, _ -> Response in
            let query = request.uri.queryParameters
            return await Self.issueToken(call: "token", appid: query.get("appid"), secret: query.get("secret"),
                                         grantType: query.get("grant_type"), stable: false, forceRefresh: true, state: state)
        }
        router.post("/cgi-bin/stable_token") { request, _ -> Response in
            let body = (try? await request.jsonBody()) ?? [:]
            return await Self.issueToken(call: "stable_token", appid: body["appid"] as? String, secret: body["secret"] as? String,
                                         grantType: body["grant_type"] as? String, stable: true,
                                         forceRefresh: (body["force_refresh"] as? Bool) ?? false, state: state)
        }

        // Material.
        business(router, "media/uploadimg", state: state) { request, _ in try await Self.uploadImage(request) }
        business(router, "material/add_material", state: state) { request, caller in try await Self.addMaterial(request, caller: caller, state: state) }
        business(router, "material/get_materialcount", method: .get, state: state) { _, caller in
            let mine = await state.all(Self.materials).values.compactMap { SandboxState.decode(Material.self, $0) }.filter { $0.appid == caller.appid }
            return ["voice_count": mine.filter { $0.type == "voice" }.count, "video_count": mine.filter { $0.type == "video" }.count,
                    "image_count": mine.filter { $0.type == "image" || $0.type == "thumb" }.count, "news_count": 0]
        }

        // Drafts.
        business(router, "draft/add", state: state) { request, caller in try await Self.addDraft(request, caller: caller, state: state) }
        business(router, "draft/get", state: state) { request, caller in
            let draft = try await Self.draft(request, caller: caller, state: state)
            return ["news_item": draft.draft.articles.map(\.json), "create_time": Int(draft.draft.created), "update_time": Int(draft.draft.created)]
        }
        business(router, "draft/delete", state: state) { request, caller in
            let draft = try await Self.draft(request, caller: caller, state: state)
            await state.set(Self.drafts, draft.id, nil)
            return ["errcode": 0, "errmsg": "ok"]
        }
        business(router, "draft/count", method: .get, state: state) { _, caller in
            let mine = await state.all(Self.drafts).values.compactMap { SandboxState.decode(Draft.self, $0) }.filter { $0.appid == caller.appid }
            return ["total_count": mine.count]
        }

        // Publishing.
        business(router, "freepublish/submit", state: state) { request, caller in try await Self.submit(request, caller: caller, state: state) }
        business(router, "freepublish/get", state: state) { request, caller in
            let body = try await Self.body(request)
            guard let publishID = Self.string(body["publish_id"]) else { throw WeChatError(40007) }
            _ = await Self.finishIfDue(publishID, state: state)
            guard let job = await state.load(Job.self, Self.jobs, publishID), job.appid == caller.appid else { throw WeChatError(40007) }
            return job.statusJSON
        }
        business(router, "freepublish/getarticle", state: state) { request, caller in
            let body = try await Self.body(request)
            guard let articleID = Self.string(body["article_id"]), let publishID = await state.get(Self.articles, articleID),
                  let job = await state.load(Job.self, Self.jobs, publishID), job.appid == caller.appid else { throw WeChatError(53600) }
            return ["news_item": job.draft.articles.map { article -> [String: Any] in
                var item = article.json
                item["url"] = job.articleURL ?? ""
                item["thumb_url"] = ""
                item["is_deleted"] = false
                return item
            }]
        }

        // Quota reset (certified accounts; 10 a month).
        business(router, "clear_quota", state: state) { request, caller in
            let body = try await Self.body(request)
            guard (body["appid"] as? String) == caller.appid else { throw WeChatError(40013) }
            try await state.atomically { s in
                let now = s.now
                let month = "\(Self.day(now).prefix(6))|\(caller.appid)"
                let used = Int(s.get(Self.clears, month) ?? "") ?? 0
                guard used < Self.clearsPerMonth else { throw WeChatError(48006) }
                s.set(Self.clears, month, String(used + 1))
                let today = "\(Self.day(now))|\(caller.appid)|"
                for key in s.all(Self.usage).keys where key.hasPrefix(today) { s.set(Self.usage, key, nil) }
            }
            return ["errcode": 0, "errmsg": "ok"]
        }

        // Sandbox control: the PUBLISHJOBFINISH callback and quotas.
        router.post("/_sandbox/wechat/callback") { request, _ -> Response in
            let body = (try? await request.jsonBody()) ?? [:]
            let url = (body["url"] as? String) ?? ""
            await state.set(Self.callback, "url", url.isEmpty ? nil : url)
            await state.set(Self.callback, "token", url.isEmpty ? nil : (body["token"] as? String) ?? "")
            return Response(status: .noContent)
        }
        router.get("/_sandbox/wechat/callback") { _, _ -> Response in
            let url = await state.get(Self.callback, "url") ?? ""
            let deliveries = await state.all(Self.deliveries)
            return try SandboxServer.json(["url": url, "deliveries": deliveries])
        }
        router.post("/_sandbox/wechat/quota") { request, _ -> Response in
            let body = (try? await request.jsonBody()) ?? [:]
            guard let api = body["api"] as? String, let limit = body["limit"] as? Int else {
                return try SandboxServer.json(["error": "expected {\"api\": String, \"limit\": Int}"], status: .badRequest)
            }
            await state.set(Self.limits, api, String(limit))
            return Response(status: .noContent)
        }
    }
}

// MARK: - Records kept in the sandbox state

extension SandboxWeChat {
    struct Token: Codable {
        var appid: String
        var expiresAt: TimeInterval
    }

    struct Material: Codable {
        var appid: String
        var type: String
        var url: String
        var filename: String
    }

    struct Article: Codable {
        var title: String
        var author: String
        var digest: String
        var content: String
        var contentSourceURL: String
        var thumbMediaID: String
        var needOpenComment: Int
        var onlyFansCanComment: Int

        var json: [String: Any] {
            ["title": title, "author": author, "digest": digest, "content": content, "content_source_url": contentSourceURL,
             "thumb_media_id": thumbMediaID, "need_open_comment": needOpenComment, "only_fans_can_comment": onlyFansCanComment,
             "show_cover_pic": 0]
        }
    }

    struct Draft: Codable {
        var appid: String
        var articles: [Article]
        var created: TimeInterval
    }

    struct Job: Codable {
        var appid: String
        var publishID: String
        var msgDataID: String
        var draft: Draft
        var submittedAt: TimeInterval
        /// The failure a queued `asyncFailure` scenario asked for.
        var failStatus: Int?
        /// publish_status: 1 while publishing.
        var status: Int = 1
        var articleID: String?
        var articleURL: String?

        /// The `freepublish/get` answer. The URL sits inside `article_detail.item[]`:
        /// reading it at the top level (a bug seen in the wild) finds nothing.
        var statusJSON: [String: Any] {
            var json: [String: Any] = ["publish_id": publishID, "publish_status": status, "fail_idx": failIndexes]
            if status == 0, let articleID, let articleURL {
                json["article_id"] = articleID
                json["article_detail"] = ["count": draft.articles.count,
                                          "item": draft.articles.indices.map { ["idx": $0 + 1, "article_url": articleURL] }]
            }
            return json
        }

        /// 1-based indexes of the failed articles; only statuses 2 and 4 name them.
        var failIndexes: [Int] { status == 2 || status == 4 ? [1] : [] }
    }

    /// The account behind a valid access token, and the scenario its call took.
    struct Caller: Sendable {
        var appid: String
        var token: String
        var scenario: Scenario?
    }
}

// MARK: - Errors

/// A WeChat error answer: HTTP 200 with `{"errcode","errmsg"}`.
struct WeChatError: Error {
    var code: Int
    var message: String?

    init(_ code: Int, _ message: String? = nil) {
        self.code = code
        self.message = message
    }

    /// errmsg wording of the real platform (PLATFORMS.md §1.2; wechatpy's constants).
    static let messages: [Int: String] = [
        -1: "system error",
        40001: "invalid credential, access_token is invalid or not latest",
        40002: "invalid grant_type",
        40004: "invalid media type",
        40005: "invalid file type",
        40006: "invalid meida size",
        40007: "invalid media_id",
        40009: "invalid image size",
        40013: "invalid appid",
        40014: "invalid access_token",
        40125: "invalid appsecret",
        41001: "access_token missing",
        41002: "appid missing",
        41004: "appsecret missing",
        41005: "media data missing",
        42001: "access_token expired",
        44002: "empty post data",
        44003: "empty news data",
        45002: "content size out of limit",
        45003: "title size out of limit",
        45004: "description size out of limit",
        45009: "reach max api daily quota limit",
        47001: "data format error",
        47009: "this api is offline, please use the new api",
        61501: "date range error",
        48001: "api unauthorized",
        48006: "forbid to clear quota because of reaching the limit",
        53600: "Article ID 无效",
    ]

    /// Real errmsgs end with a request hint such as ` hint: [ZE1Uxa0498age8]`;
    /// clients must not compare errmsg literally.
    var response: Response {
        let hint = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(14))
        let text = (message ?? Self.messages[code] ?? "sandbox error \(code)") + " hint: [\(hint)]"
        return (try? SandboxServer.json(["errcode": code, "errmsg": text])) ?? Response(status: .internalServerError)
    }
}

// MARK: - Tokens

extension SandboxWeChat {
    static func issueToken(call: String, appid: String?, secret: String?, grantType: String?, stable: Bool, forceRefresh: Bool,
                           state: SandboxState) async -> Response {
        let scenario = await state.take(platform: platform, call: call)
        await requeueAsyncFailure(scenario, call: call, state: state)
        if let early = early(scenario) { return early }
        let appid = appid ?? ""
        if scenario?.kind == .expireToken {
            // The tokens the caller holds die now; the one issued below is fresh.
            await state.atomically { s in
                for slot in ["stable", "plain"] {
                    if let token = s.get(current, "\(appid)|\(slot)"), var record = s.load(Token.self, tokens, token) {
                        record.expiresAt = s.now.timeIntervalSince1970
                        s.save(record, tokens, token)
                    }
                }
            }
        }
        do {
            guard grantType == "client_credential" else { throw WeChatError(40002) }
            guard !appid.isEmpty else { throw WeChatError(41002) }
            guard appid.hasPrefix("wx"), appid.count >= 6, appid.allSatisfy({ $0.isLetter || $0.isNumber }) else { throw WeChatError(40013) }
            guard let secret, !secret.isEmpty else { throw WeChatError(41004) }
            guard secret != "wrong" else { throw WeChatError(40001) }
            try await spend(call, appid: appid, state: state)
            let (token, expiresIn) = await state.atomically { s -> (String, Int) in
                let now = s.now.timeIntervalSince1970
                let slot = "\(appid)|\(stable ? "stable" : "plain")"
                if let existing = s.get(current, slot), var record = s.load(Token.self, tokens, existing) {
                    if stable, !forceRefresh, record.expiresAt > now {
                        return (existing, Int(record.expiresAt - now))
                    }
                    // Rotation: the previous token keeps working for 5 more minutes.
                    record.expiresAt = min(record.expiresAt, now + rotationGrace)
                    s.save(record, tokens, existing)
                }
                let fresh = newToken()
                s.save(Token(appid: appid, expiresAt: now + tokenLifetime), tokens, fresh)
                s.set(current, slot, fresh)
                return (fresh, Int(tokenLifetime))
            }
            await slowDown(scenario)
            return (try? SandboxServer.json(["access_token": token, "expires_in": expiresIn])) ?? Response(status: .internalServerError)
        } catch let error as WeChatError {
            return error.response
        } catch {
            return WeChatError(-1).response
        }
    }

    /// Real tokens are long opaque strings (≥ 512 chars must be stored); these are ~150.
    static func newToken() -> String {
        "91_" + (0..<5).map { _ in UUID().uuidString.replacingOccurrences(of: "-", with: "") }.joined() + "SBX"
    }

    /// 41001 / 40014 / 42001, in that order, like the platform.
    static func authorize(_ token: String?, state: SandboxState) async throws -> Caller {
        guard let token, !token.isEmpty else { throw WeChatError(41001) }
        guard let record = await state.load(Token.self, tokens, token) else { throw WeChatError(40014) }
        guard record.expiresAt > (await state.now).timeIntervalSince1970 else { throw WeChatError(42001) }
        return Caller(appid: record.appid, token: token, scenario: nil)
    }

    /// Counts one call against the account's daily quota for `api`.
    static func spend(_ api: String, appid: String, state: SandboxState) async throws {
        try await state.atomically { s in
            let limit = Int(s.get(limits, api) ?? "") ?? defaultQuotas[api] ?? 10_000
            let key = "\(day(s.now))|\(appid)|\(api)"
            let used = Int(s.get(usage, key) ?? "") ?? 0
            guard used < limit else { throw WeChatError(45009) }
            s.set(usage, key, String(used + 1))
        }
    }

    /// The Beijing calendar day (yyyyMMdd): WeChat quotas reset at midnight in China.
    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3_600)!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}

// MARK: - Business routes

extension SandboxWeChat {
    /// Registers `/cgi-bin/<call>` with what every business call does first: the
    /// queued scenario, the access token, the daily quota. `work` answers the
    /// JSON body or throws a `WeChatError`.
    func business(_ router: Router<BasicRequestContext>, _ call: String, method: HTTPRequest.Method = .post, state: SandboxState,
                  _ work: @escaping @Sendable (Request, Caller) async throws -> [String: Any]) {
        router.on(RouterPath("/cgi-bin/" + call), method: method) { request, _ -> Response in
            let scenario = await state.take(platform: Self.platform, call: call)
            await Self.requeueAsyncFailure(scenario, call: call, state: state)
            if let early = Self.early(scenario) { return early }
            let token = request.uri.queryParameters.get("access_token")
            if scenario?.kind == .expireToken, let token {
                await state.atomically { s in
                    if var record = s.load(Token.self, Self.tokens, token) {
                        record.expiresAt = s.now.timeIntervalSince1970
                        s.save(record, Self.tokens, token)
                    }
                }
            }
            do {
                var caller = try await Self.authorize(token, state: state)
                caller.scenario = scenario
                try await Self.spend(call, appid: caller.appid, state: state)
                let answer = try await work(request, caller)
                await Self.slowDown(scenario)
                return try SandboxServer.json(answer)
            } catch let error as WeChatError {
                await Self.slowDown(scenario)
                return error.response
            } catch {
                return WeChatError(47001).response
            }
        }
    }

    /// Scenarios answered before any work: 503, a forced errcode, the daily quota.
    static func early(_ scenario: Scenario?) -> Response? {
        switch scenario?.kind {
        case .unavailable:
            return Response(status: .serviceUnavailable, headers: [.contentType: "text/html"],
                            body: .init(byteBuffer: ByteBuffer(string: "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>")))
        case .error: return WeChatError(scenario?.code ?? -1).response
        case .rateLimit: return WeChatError(45009).response
        default: return nil
        }
    }

    /// An `asyncFailure` applies to the next submitted job: another call that took it puts it back.
    static func requeueAsyncFailure(_ scenario: Scenario?, call: String, state: SandboxState) async {
        if let scenario, scenario.kind == .asyncFailure, call != "freepublish/submit" { await state.add(scenario) }
    }

    /// `slowAfterAccept`: the work is done, the answer comes late (the client times out after sending).
    static func slowDown(_ scenario: Scenario?) async {
        if scenario?.kind == .slowAfterAccept { try? await Task.sleep(for: .seconds(scenario?.seconds ?? 3)) }
    }

    /// A JSON body: 44002 when empty, 47001 when not JSON.
    static func body(_ request: Request) async throws -> [String: Any] {
        let data = try await request.bodyData()
        guard !data.isEmpty else { throw WeChatError(44002) }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { throw WeChatError(47001) }
        return object
    }

    /// publish_id and article_id arrive as strings or numbers.
    static func string(_ value: Any?) -> String? {
        if let value = value as? String { return value }
        if let value = value as? Int { return String(value) }
        if let value = value as? NSNumber { return value.stringValue }
        return nil
    }

    static func randomID(_ length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        return String((0..<length).map { _ in alphabet.randomElement()! })
    }

    /// `media/uploadimg`: a picture for the article body (jpg/png, ≤ 1 MB) → its mmbiz URL.
    static func uploadImage(_ request: Request) async throws -> [String: Any] {
        guard let file = try await request.multipartParts().first(where: { $0.name == "media" }), !file.body.isEmpty else { throw WeChatError(41005) }
        guard let format = file.imageFormat, ["jpeg", "png"].contains(format) else { throw WeChatError(40005) }
        guard file.body.count <= 1_024 * 1_024 else { throw WeChatError(40009) }
        return ["url": "http://mmbiz.qpic.cn/sz_mmbiz_\(format == "jpeg" ? "jpg" : format)/\(randomID(40))/0?wx_fmt=\(format)"]
    }

    /// `material/add_material?type=…`: permanent material, the only kind a draft may use as cover.
    static func addMaterial(_ request: Request, caller: Caller, state: SandboxState) async throws -> [String: Any] {
        let type = request.uri.queryParameters.get("type") ?? ""
        let sizeLimits = ["image": 10 * 1_024 * 1_024, "thumb": 64 * 1_024, "voice": 2 * 1_024 * 1_024, "video": 10 * 1_024 * 1_024]
        guard let sizeLimit = sizeLimits[type] else { throw WeChatError(40004) }
        guard let file = try await request.multipartParts().first(where: { $0.name == "media" }), !file.body.isEmpty else { throw WeChatError(41005) }
        switch type {
        case "image": guard let format = file.imageFormat, ["jpeg", "png", "gif", "bmp"].contains(format) else { throw WeChatError(40005) }
        case "thumb": guard file.imageFormat == "jpeg" else { throw WeChatError(40005) }
        default: break
        }
        guard file.body.count <= sizeLimit else { throw WeChatError(40006) }
        let mediaID = randomID(43)
        let url = "http://mmbiz.qpic.cn/mmbiz_\(file.imageFormat == "png" ? "png" : "jpg")/\(randomID(40))/0?wx_fmt=\(file.imageFormat ?? "jpeg")"
        await state.save(Material(appid: caller.appid, type: type, url: url, filename: file.filename ?? ""), materials, mediaID)
        var answer: [String: Any] = ["media_id": mediaID, "item": [Any]()]
        if type == "image" || type == "thumb" { answer["url"] = url }
        return answer
    }

    /// `draft/add`: each article needs a title, content and a cover that is permanent
    /// material of this account (40007 otherwise); limits as documented.
    static func addDraft(_ request: Request, caller: Caller, state: SandboxState) async throws -> [String: Any] {
        let body = try await Self.body(request)
        guard let items = body["articles"] as? [[String: Any]], !items.isEmpty, items.count <= 8 else { throw WeChatError(44003) }
        var articles: [Article] = []
        for item in items {
            let title = (item["title"] as? String) ?? ""
            // The platform strips scripts from article HTML; the default digest is the first 54 characters of the text.
            let content = ((item["content"] as? String) ?? "").replacingOccurrences(of: "<script[\\s\\S]*?</script>", with: "", options: .regularExpression)
            let digest = (item["digest"] as? String) ?? String(content.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression).prefix(54))
            guard !title.isEmpty, !content.isEmpty else { throw WeChatError(44003) }
            guard title.count <= 64 else { throw WeChatError(45003) }
            guard digest.count <= 120 else { throw WeChatError(45004) }
            guard content.count < 20_000, content.utf8.count < 1_024 * 1_024 else { throw WeChatError(45002) }
            let thumb = (item["thumb_media_id"] as? String) ?? ""
            guard let material = await state.load(Material.self, materials, thumb), material.appid == caller.appid,
                  material.type == "image" || material.type == "thumb" else { throw WeChatError(40007) }
            articles.append(Article(title: title, author: (item["author"] as? String) ?? "", digest: digest,
                                    content: content,
                                    contentSourceURL: (item["content_source_url"] as? String) ?? "", thumbMediaID: thumb,
                                    needOpenComment: (item["need_open_comment"] as? Int) ?? 0, onlyFansCanComment: (item["only_fans_can_comment"] as? Int) ?? 0))
        }
        let mediaID = randomID(43)
        let created = (await state.now).timeIntervalSince1970
        await state.save(Draft(appid: caller.appid, articles: articles, created: created), drafts, mediaID)
        return ["media_id": mediaID]
    }

    /// The caller's draft named by `media_id` in the body (40007 when it is not there).
    static func draft(_ request: Request, caller: Caller, state: SandboxState) async throws -> (id: String, draft: Draft) {
        let body = try await Self.body(request)
        guard let id = body["media_id"] as? String, let draft = await state.load(Draft.self, drafts, id), draft.appid == caller.appid else {
            throw WeChatError(40007)
        }
        return (id, draft)
    }

    /// `freepublish/submit`: errcode 0 only means the job was accepted. The draft
    /// leaves the draft box at once; the job finishes 2 sandbox seconds later.
    static func submit(_ request: Request, caller: Caller, state: SandboxState) async throws -> [String: Any] {
        let draftID = try await Self.body(request)["media_id"] as? String
        let failStatus = caller.scenario?.kind == .asyncFailure ? (caller.scenario?.code ?? 3) : nil
        let job = try await state.atomically { s -> Job in
            guard let id = draftID, let draft = s.load(Draft.self, drafts, id), draft.appid == caller.appid else {
                throw WeChatError(40007)
            }
            s.set(drafts, id, nil)
            let number = s.nextID()
            let job = Job(appid: caller.appid, publishID: "224748\(number)", msgDataID: "224749\(number)", draft: draft,
                          submittedAt: s.now.timeIntervalSince1970, failStatus: failStatus)
            s.save(job, jobs, job.publishID)
            return job
        }
        watch(job.publishID, state: state)
        return ["errcode": 0, "errmsg": "ok", "publish_id": job.publishID, "msg_data_id": job.msgDataID]
    }
}

// MARK: - Job completion and the PUBLISHJOBFINISH push

extension SandboxWeChat {
    /// Finishes the job once its 2 sandbox seconds have passed; records the post
    /// on success. Atomic, so a job is finished — and recorded — exactly once
    /// however many pollers and watchers race. Returns the job if this call finished it.
    static func finishIfDue(_ publishID: String, state: SandboxState) async -> Job? {
        let finished = await state.atomically { s -> Job? in
            guard var job = s.load(Job.self, jobs, publishID), job.status == 1,
                  s.now.timeIntervalSince1970 >= job.submittedAt + publishDelay else { return nil }
            if let failure = job.failStatus {
                job.status = failure
            } else {
                job.status = 0
                job.articleID = randomID(32)
                job.articleURL = "https://mp.weixin.qq.com/s/\(randomID(22))"
                s.set(articles, job.articleID!, publishID)
                s.record(ReceivedPost(platform: platform, account: job.appid, id: job.articleID!, text: job.draft.articles.first?.title ?? "",
                                      idempotencyKey: nil, at: s.now))
            }
            s.save(job, jobs, publishID)
            return job
        }
        if let finished { await notify(finished, state: state) }
        return finished
    }

    /// Finishes the job without anyone polling (the demo, the callback): checks
    /// every 250 ms until it is done, following the sandbox clock too.
    static func watch(_ publishID: String, state: SandboxState) {
        Task.detached {
            for _ in 0..<400 {
                try? await Task.sleep(for: .milliseconds(250))
                _ = await finishIfDue(publishID, state: state)
                if let job = await state.load(Job.self, jobs, publishID), job.status != 1 { return }
            }
        }
    }

    /// POSTs the PUBLISHJOBFINISH event to the registered callback, signed with
    /// sha1(sort(token, timestamp, nonce)) in the query like WeChat does. One try,
    /// the outcome kept under `GET /_sandbox/wechat/callback`.
    static func notify(_ job: Job, state: SandboxState) async {
        guard let url = await state.get(callback, "url") else { return }
        let token = await state.get(callback, "token") ?? ""
        let timestamp = String(Int((await state.now).timeIntervalSince1970))
        let nonce = String(Int.random(in: 100_000_000...999_999_999))
        let signature = Insecure.SHA1.hash(data: Data([token, timestamp, nonce].sorted().joined().utf8)).map { String(format: "%02x", $0) }.joined()
        let separator = url.contains("?") ? "&" : "?"
        guard let target = URL(string: "\(url)\(separator)signature=\(signature)&timestamp=\(timestamp)&nonce=\(nonce)") else { return }
        var request = URLRequest(url: target, timeoutInterval: 5)
        request.httpMethod = "POST"
        request.setValue("text/xml", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(eventXML(job, createTime: timestamp).utf8)
        let outcome: String
        do {
            let (_, response) = try await URLSession.shared.data(for: request)
            outcome = "HTTP \((response as? HTTPURLResponse)?.statusCode ?? 0)"
        } catch {
            outcome = "failed: \(error.localizedDescription)"
        }
        await state.set(deliveries, job.publishID, outcome)
    }

    /// The event as documented (Publish/Callback_on_finish): numeric publish_id,
    /// repeated `<fail_idx>` on failure, the URL inside `article_detail/item`.
    static func eventXML(_ job: Job, createTime: String) -> String {
        var info = "<publish_id>\(job.publishID)</publish_id>\n<publish_status>\(job.status)</publish_status>\n"
        if job.status == 0, let articleID = job.articleID, let url = job.articleURL {
            info += "<article_id><![CDATA[\(articleID)]]></article_id>\n<article_detail>\n<count>\(job.draft.articles.count)</count>\n"
            for index in job.draft.articles.indices {
                info += "<item>\n<idx>\(index + 1)</idx>\n<article_url><![CDATA[\(url)]]></article_url>\n</item>\n"
            }
            info += "</article_detail>\n"
        }
        for index in job.failIndexes { info += "<fail_idx>\(index)</fail_idx>\n" }
        return """
        <xml>
        <ToUserName><![CDATA[gh_\(job.appid.dropFirst(2).prefix(12))]]></ToUserName>
        <FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>
        <CreateTime>\(createTime)</CreateTime>
        <MsgType><![CDATA[event]]></MsgType>
        <Event><![CDATA[PUBLISHJOBFINISH]]></Event>
        <PublishEventInfo>
        \(info)</PublishEventInfo>
        </xml>
        """
    }
}

// MARK: - Helpers shared by the imitation platforms

extension SandboxState {
    /// Runs `body` on the actor in one go: read-check-write sequences (dedup keys,
    /// job completion) cannot interleave with another request's.
    func atomically<T: Sendable>(_ body: @Sendable (isolated SandboxState) throws -> T) rethrows -> T {
        try body(self)
    }

    /// A scratch value stored as JSON.
    func load<T: Decodable>(_ type: T.Type, _ space: String, _ key: String) -> T? {
        get(space, key).flatMap { Self.decode(type, $0) }
    }

    func save<T: Encodable>(_ value: T?, _ space: String, _ key: String) {
        set(space, key, value.flatMap { try? String(decoding: JSONEncoder().encode($0), as: UTF8.self) })
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// One part of a multipart/form-data body.
struct SandboxPart: Sendable {
    var name: String?
    var filename: String?
    var contentType: String?
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The picture format from the bytes (what WeChat checks), falling back to the declared type.
    var imageFormat: String? {
        let bytes = [UInt8](body.prefix(8))
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "jpeg" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "png" }
        if bytes.starts(with: Array("GIF8".utf8)) { return "gif" }
        if bytes.starts(with: Array("BM".utf8)) { return "bmp" }
        switch contentType?.lowercased() {
        case "image/jpeg", "image/jpg": return "jpeg"
        case "image/png": return "png"
        case "image/gif": return "gif"
        default: return nil
        }
    }
}

extension Request {
    /// The parts of a multipart/form-data body; empty for other bodies. Reads the
    /// body, which a request allows once: to get fields too, use `fieldPairs`.
    func multipartParts() async throws -> [SandboxPart] {
        guard SandboxMultipart.boundary(headers[.contentType]) != nil else { return [] }
        return try SandboxMultipart.parts(contentType: headers[.contentType], data: try await bodyData())
    }

    /// Every field of the body, JSON, urlencoded or multipart, in order and with
    /// repeated keys (`media_ids[]`), plus the multipart parts (files included).
    func fieldPairs() async throws -> (fields: [(String, String)], parts: [SandboxPart]) {
        let type = headers[.contentType]
        let data = try await bodyData()
        let parts = try SandboxMultipart.parts(contentType: type, data: data)
        return (SandboxMultipart.fields(contentType: type, data: data, parts: parts), parts)
    }

    /// The origin this request was addressed to, for URLs in answers (`http://127.0.0.1:PORT`).
    var sandboxOrigin: String { "http://" + (head.authority ?? "127.0.0.1") }
}

enum SandboxMultipart {
    /// The boundary of a multipart/form-data content type; nil for other types.
    static func boundary(_ contentType: String?) -> String? {
        guard let type = contentType, type.lowercased().hasPrefix("multipart/form-data"), let range = type.range(of: "boundary=") else { return nil }
        let boundary = type[range.upperBound...].split(separator: ";").first.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) } ?? ""
        return boundary.isEmpty ? nil : boundary
    }

    static func parts(contentType: String?, data: Data) throws -> [SandboxPart] {
        guard let boundary = boundary(contentType) else { return [] }
        return try parse(data, boundary: boundary)
    }

    /// Fields of a JSON, urlencoded or multipart body; files appear as their filename.
    static func fields(contentType: String?, data: Data, parts: [SandboxPart]) -> [(String, String)] {
        let type = contentType?.lowercased() ?? ""
        if type.hasPrefix("multipart/form-data") {
            return parts.compactMap { part in part.name.map { ($0, part.filename ?? part.text) } }
        }
        if type.hasPrefix("application/json") {
            guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return [] }
            return object.sorted { $0.key < $1.key }.flatMap { key, value -> [(String, String)] in
                if let list = value as? [Any] { return list.map { (key + "[]", SandboxWeChat.string($0) ?? "\($0)") } }
                return [(key, SandboxWeChat.string(value) ?? "\(value)")]
            }
        }
        return String(decoding: data, as: UTF8.self).split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            return (parts.first ?? "", parts.count > 1 ? parts[1] : "")
        }
    }

    /// Parses with MultipartKit's streaming parser, collecting each part.
    static func parse(_ data: Data, boundary: String) throws -> [SandboxPart] {
        final class Collector {
            var parts: [SandboxPart] = []
            var headers: [(String, String)] = []
            var body = Data()
        }
        let collector = Collector()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in collector.headers.append((name, value)) }
        parser.onBody = { buffer in collector.body.append(contentsOf: buffer.readableBytesView) }
        parser.onPartComplete = {
            let disposition = collector.headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            collector.parts.append(SandboxPart(name: parameter("name", in: disposition), filename: parameter("filename", in: disposition),
                                               contentType: collector.headers.first { $0.0.lowercased() == "content-type" }?.1, body: collector.body))
            collector.headers = []
            collector.body = Data()
        }
        try parser.execute([UInt8](data))
        return collector.parts
    }

    /// `name="media"` out of a Content-Disposition value.
    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            guard trimmed.lowercased().hasPrefix(name + "=") else { continue }
            return String(trimmed.dropFirst(name.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
