import Foundation
import Hummingbird

/// Douyin "代用户发布" (PLATFORMS.md §3, §12): `upload_video` (multipart
/// `video`) → `create_video` `{video_id, text}` → `video_data` `{item_ids}`,
/// each with `?open_id=` and the token in the `access-token` header (or
/// `?access_token=`). Every answer, errors included, is the
/// `{data:{error_code,description,…}, extra:{error_code,description,
/// sub_error_code,sub_description,logid,now}}` envelope with HTTP 200.
/// Tokens live 15 days from first use on the sandbox clock, then answer
/// 2190008; "expired" is expired at once, "revoked" answers 2190002. New
/// videos sit in review (`video_status` 4) for 30 sandbox seconds, then are
/// public (5) — or end in the status an `async_failure` scenario on
/// "create_video" names (2: not suitable for the public).
/// Records: platform "douyin", account = open_id, at `create_video`.
struct SandboxDouyin: SandboxPlatform {
    static let platform = "douyin"
    static let tokenLifetime: TimeInterval = 15 * 86_400
    static let reviewSeconds: TimeInterval = 30

    func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        router.post("/api/douyin/v1/video/upload_video/") { request, _ -> Response in
            let scenario = await state.take(platform: Self.platform, call: "upload_video")
            if let early = try await Self.gate(request, scenario: scenario, state: state) { return early }
            let contentType = request.headers[.contentType] ?? ""
            guard let boundary = contentType.components(separatedBy: "boundary=").last?.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")),
                  contentType.lowercased().hasPrefix("multipart/form-data"),
                  let part = try SandboxWeibo.parts(try await request.bodyData(limit: 64 * 1_024 * 1_024), boundary: boundary).first(where: { $0.name == "video" }),
                  !part.data.isEmpty else {
                return try await Self.envelope(2_100_005, "参数不合法: video 不能为空", state: state)
            }
            let openID = request.uri.queryParameters.get("open_id").map { String($0) } ?? ""
            let videoID = "v0d00fg10000sandbox\(await state.nextID())"
            await state.set("douyin-video", videoID, openID)
            if scenario?.kind == .slowAfterAccept { try? await Task.sleep(for: .seconds(scenario?.seconds ?? 5)) }
            return try await Self.envelope(0, "", data: ["video": ["video_id": videoID, "width": 1_080, "height": 1_920]], state: state)
        }

        router.post("/api/douyin/v1/video/create_video/") { request, _ -> Response in
            let scenario = await state.take(platform: Self.platform, call: "create_video")
            if let early = try await Self.gate(request, scenario: scenario, state: state) { return early }
            let openID = request.uri.queryParameters.get("open_id").map { String($0) } ?? ""
            let body = try await request.jsonBody()
            let videoID = (body["video_id"] as? String) ?? ""
            guard await state.get("douyin-video", videoID) == openID else {
                return try await Self.envelope(2_100_005, "参数不合法: video_id 不存在", state: state)
            }
            let text = (body["text"] as? String) ?? ""
            guard text.count <= 1_000 else { return try await Self.envelope(2_100_005, "参数不合法: text 过长", state: state) }
            await state.set("douyin-video", videoID, nil)
            let number = 7_300_000_000_000_000_000 + (await state.nextID())
            let itemID = "@9VwL\(number)"
            let now = await state.now
            let final = scenario?.kind == .asyncFailure ? (scenario?.code ?? 2) : 5
            await state.set("douyin-item", itemID, "\(number)|\(now.timeIntervalSince1970)|\(final)|\(openID)")
            await state.record(ReceivedPost(platform: Self.platform, account: openID, id: itemID, text: text, idempotencyKey: nil, at: now))
            if scenario?.kind == .slowAfterAccept { try? await Task.sleep(for: .seconds(scenario?.seconds ?? 5)) }
            return try await Self.envelope(0, "", data: ["item_id": itemID], state: state)
        }

        router.post("/api/douyin/v1/video/video_data/") { request, _ -> Response in
            let scenario = await state.take(platform: Self.platform, call: "video_data")
            if let early = try await Self.gate(request, scenario: scenario, state: state) { return early }
            let openID = request.uri.queryParameters.get("open_id").map { String($0) } ?? ""
            let ids = (try await request.jsonBody()["item_ids"] as? [String]) ?? []
            let now = await state.now.timeIntervalSince1970
            var list: [[String: Any]] = []
            for id in ids {
                guard let stored = await state.get("douyin-item", id) else { continue }
                let parts = stored.split(separator: "|").map(String.init)
                guard parts.count == 4, parts[3] == openID, let created = TimeInterval(parts[1]), let final = Int(parts[2]) else { continue }
                let reviewed = now - created >= Self.reviewSeconds
                list.append([
                    "item_id": id, "title": "", "create_time": Int(created), "is_top": false, "is_reviewed": reviewed,
                    "video_status": reviewed ? final : 4, "media_type": 4, "share_url": "https://www.iesdouyin.com/share/video/\(parts[0])/",
                    "statistics": ["comment_count": 0, "digg_count": 0, "download_count": 0, "forward_count": 0, "play_count": 0, "share_count": 0],
                ])
            }
            return try await Self.envelope(0, "", data: ["list": list], state: state)
        }
    }

    /// Scenarios, token and open_id checks shared by every call; nil: go on.
    static func gate(_ request: Request, scenario: Scenario?, state: SandboxState) async throws -> Response? {
        let token = request.headers[.init("access-token")!] ?? request.uri.queryParameters.get("access_token").map { String($0) } ?? ""
        switch scenario?.kind {
        case .unavailable?: return Response(status: .serviceUnavailable)
        case .rateLimit?: return try await envelope(2_100_004, "系统繁忙，此时请开发者稍候再试", state: state)
        case .error?: return try await envelope(scenario?.code ?? 2_100_005, "沙盒错误", state: state)
        case .expireToken?: if !token.isEmpty { await state.set("douyin-token", token, "0") }
        default: break
        }
        guard !token.isEmpty, token != "revoked" else { return try await envelope(2_190_002, "access_token无效", state: state) }
        let now = await state.now.timeIntervalSince1970
        if token == "expired" { return try await envelope(2_190_008, "access_token过期,请刷新或重新授权", state: state) }
        if let first = await state.get("douyin-token", token).flatMap(TimeInterval.init) {
            if first == 0 || now - first > tokenLifetime { return try await envelope(2_190_008, "access_token过期,请刷新或重新授权", state: state) }
        } else {
            await state.set("douyin-token", token, String(now))
        }
        guard let openID = request.uri.queryParameters.get("open_id"), !openID.isEmpty else {
            return try await envelope(2_100_005, "参数不合法: open_id", state: state)
        }
        return nil
    }

    static func envelope(_ code: Int, _ description: String, data: [String: Any] = [:], state: SandboxState) async throws -> Response {
        var inner = data
        inner["error_code"] = code
        inner["description"] = description
        let now = Int(await state.now.timeIntervalSince1970 * 1_000)
        let extra: [String: Any] = ["error_code": code, "description": description, "sub_error_code": 0, "sub_description": "",
                                    "logid": "2026\(now)sandbox", "now": now]
        return try SandboxServer.json(["data": inner, "extra": extra])
    }
}
