import Foundation
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsSandbox
import Testing

/// Weibo, Douyin, Bilibili, X, Facebook and LinkedIn against their imitation
/// platforms: the same outcome contract for each (published, rate limit,
/// expired/revoked token, invalid content, lost answer, no secret in the
/// attempt log), then what is particular to each platform.
@Suite("Weibo, Douyin, Bilibili, X, Facebook and LinkedIn connectors")
struct WesternAndChineseConnectorsTests {
    // MARK: The shared contract, once per platform

    @Test("a post is published and the platform receives it exactly once", arguments: PlatformCase.all)
    func publishes(_ platform: PlatformCase) async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let token = Rig.token()
        let outcome = await platform.connector.publish(platform.payload(token: token), context: rig.context)
        switch outcome {
        case .published(let id, let url):
            #expect(!id.isEmpty)
            #expect(url?.hasPrefix("https://") == true)
        case .accepted(let remoteID):
            // Douyin reviews every new video first: the item exists, the engine asks again.
            #expect(platform.name == "douyin")
            #expect(!remoteID.isEmpty)
        default:
            Issue.record("expected a publication, got \(outcome)")
        }
        let posts = await rig.sandbox.state.posts(platform: platform.name)
        #expect(posts.count == 1)
        #expect(posts.first?.text == platform.recordedText)
        await rig.expectNoSecrets(platform.secrets(token))
    }

    @Test("a rate limit is transient and says when to come back", arguments: PlatformCase.all)
    func rateLimit(_ platform: PlatformCase) async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let token = Rig.token()
        await rig.sandbox.state.add(Scenario(platform: platform.name, kind: .rateLimit, seconds: 120))
        let outcome = await platform.connector.publish(platform.payload(token: token), context: rig.context)
        guard case .transient(_, let retryAfter) = outcome else { Issue.record("expected transient, got \(outcome)"); return }
        #expect((retryAfter ?? 0) > 0)
        #expect(await rig.sandbox.state.posts(platform: platform.name).isEmpty)
        await rig.expectNoSecrets(platform.secrets(token))
    }

    @Test("an expired or revoked token asks for the account to be reconnected",
          arguments: PlatformCase.all.flatMap { platform in ["expired", "revoked", "scenario"].map { (platform, $0) } })
    func deadToken(_ platform: PlatformCase, how: String) async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        var token = how
        if how == "scenario" {
            token = Rig.token()
            await rig.sandbox.state.add(Scenario(platform: platform.name, kind: .expireToken))
        }
        let outcome = await platform.connector.publish(platform.payload(token: token), context: rig.context)
        guard case .reconnectNeeded = outcome else { Issue.record("expected reconnectNeeded, got \(outcome)"); return }
        #expect(await rig.sandbox.state.posts(platform: platform.name).isEmpty)
    }

    @Test("a missing credential asks for reconnection without calling the platform", arguments: PlatformCase.all)
    func missingCredential(_ platform: PlatformCase) async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        var payload = platform.payload(token: Rig.token())
        payload.account.secrets = [:]
        #expect(await platform.connector.publish(payload, context: rig.context) == .reconnectNeeded(reason: "missing_credential: access_token"))
        #expect(await rig.log.exchanges.isEmpty)
    }

    @Test("content the platform refuses is a permanent failure", arguments: PlatformCase.all)
    func invalidContent(_ platform: PlatformCase) async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let token = Rig.token()
        var payload = platform.payload(token: token)
        platform.spoil(&payload)
        let outcome = await platform.connector.publish(payload, context: rig.context)
        guard case .permanent(let reason) = outcome else { Issue.record("expected permanent, got \(outcome)"); return }
        #expect(reason.contains(platform.refusal), "\(reason)")
        #expect(await rig.sandbox.state.posts(platform: platform.name).isEmpty)
        // The platform said why: the refusal was an answer, not a local guess.
        #expect(await rig.log.exchanges.contains { $0.status != nil })
        await rig.expectNoSecrets(platform.secrets(token))
    }

    @Test("an answer lost after the platform accepted the post is unknown, never retried blindly", arguments: PlatformCase.all)
    func lostAnswer(_ platform: PlatformCase) async throws {
        let rig = try await Rig.start(timeout: 2)
        defer { rig.stop() }
        let token = Rig.token()
        await rig.sandbox.state.add(Scenario(platform: platform.name, kind: .slowAfterAccept, seconds: 8, call: platform.decisiveCall))
        let outcome = await platform.connector.publish(platform.payload(token: token), context: rig.context)
        guard case .unknown = outcome else { Issue.record("expected unknown, got \(outcome)"); return }
        #expect(await rig.sandbox.state.posts(platform: platform.name).count == 1)
        await rig.expectNoSecrets(platform.secrets(token))
    }

    @Test("a platform that is down before accepting is transient", arguments: PlatformCase.all)
    func unavailable(_ platform: PlatformCase) async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        await rig.sandbox.state.add(Scenario(platform: platform.name, kind: .unavailable))
        let outcome = await platform.connector.publish(platform.payload(token: Rig.token()), context: rig.context)
        guard case .transient = outcome else { Issue.record("expected transient, got \(outcome)"); return }
        #expect(await rig.sandbox.state.posts(platform: platform.name).isEmpty)
    }

    @Test("all six are in the standard registry")
    func registered() {
        for platform in [Platform.weibo, .douyin, .bilibili, .x, .facebook, .linkedin] {
            #expect(ConnectorRegistry.standard.connector(for: platform)?.platform == platform)
        }
    }

    // MARK: Weibo

    @Test("Weibo: the cover goes as pic, the URL uses the account's uid, rip defaults to loopback")
    func weiboPicture() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let token = Rig.token()
        var payload = PlatformCase.weibo.payload(token: token)
        payload.cover = Rig.picture
        payload.account.fields["uid"] = "5555"
        let outcome = await WeiboConnector().publish(payload, context: rig.context)
        guard case .published(let id, let url) = outcome else { Issue.record("\(outcome)"); return }
        #expect(url == "https://weibo.com/5555/\(id)")
        let request = await rig.log.exchanges.first?.request ?? ""
        #expect(request.hasPrefix("multipart:"))
        #expect(request.contains("pic=<image/png"))
        #expect(request.contains("rip=127.0.0.1"))
        await rig.expectNoSecrets([token])
    }

    @Test("Weibo: without a uid field the URL uses the user the platform answers with")
    func weiboUIDFromAnswer() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let outcome = await WeiboConnector().publish(PlatformCase.weibo.payload(token: Rig.token()), context: rig.context)
        guard case .published(let id, let url) = outcome else { Issue.record("\(outcome)"); return }
        let uid = await rig.sandbox.state.posts(platform: "weibo").first?.account ?? "?"
        #expect(url == "https://weibo.com/\(uid)/\(id)")
    }

    @Test("Weibo: the 31st post in an hour hits the per-user limit and waits for the next hour")
    func weiboHourlyCounter() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let token = Rig.token()
        for index in 0..<30 {
            var payload = PlatformCase.weibo.payload(token: token)
            payload.text = "第 \(index) 条 https://example.com/\(index)"
            guard case .published = await WeiboConnector().publish(payload, context: rig.context) else { Issue.record("post \(index) refused"); return }
        }
        var payload = PlatformCase.weibo.payload(token: token)
        payload.text = "one too many https://example.com/31"
        let outcome = await WeiboConnector().publish(payload, context: rig.context)
        guard case .transient(let reason, let retryAfter) = outcome else { Issue.record("\(outcome)"); return }
        #expect(reason.hasPrefix("weibo_10023"))
        #expect((retryAfter ?? 0) > 0 && (retryAfter ?? 0) <= 3_600)
        #expect(await rig.sandbox.state.posts(platform: "weibo").count == 30)
    }

    @Test("Weibo: a status over 140 characters is refused before sending")
    func weiboTooLong() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        var payload = PlatformCase.weibo.payload(token: Rig.token())
        payload.text = String(repeating: "长", count: 141) + " https://example.com"
        guard case .permanent(let reason) = await WeiboConnector().publish(payload, context: rig.context) else { Issue.record("not permanent"); return }
        #expect(reason.hasPrefix("weibo_status_too_long"))
        #expect(await rig.log.exchanges.isEmpty)
    }

    // MARK: X

    @Test("X: a 429 waits until x-rate-limit-reset")
    func xReset() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        await rig.sandbox.state.add(Scenario(platform: "x", kind: .rateLimit, seconds: 120))
        let outcome = await XConnector().publish(PlatformCase.x.payload(token: Rig.token()), context: rig.context)
        guard case .transient(_, let retryAfter) = outcome, let retryAfter else { Issue.record("\(outcome)"); return }
        #expect(retryAfter >= 110 && retryAfter <= 121)
    }

    @Test("X: the same text twice is refused as duplicate content")
    func xDuplicate() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let payload = PlatformCase.x.payload(token: Rig.token())
        guard case .published(let id, let url) = await XConnector().publish(payload, context: rig.context) else { Issue.record("first refused"); return }
        #expect(url == "https://x.com/i/web/status/\(id)")
        guard case .permanent(let reason) = await XConnector().publish(payload, context: rig.context) else { Issue.record("second not permanent"); return }
        #expect(reason.hasPrefix("duplicate_content"))
        #expect(await rig.sandbox.state.posts(platform: "x").count == 1)
    }

    @Test("X: a cover is uploaded (initialize, one append, finalize) and the tweet carries its media id")
    func xCover() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let token = Rig.token()
        var payload = PlatformCase.x.payload(token: token)
        payload.cover = Rig.picture
        let outcome = await XConnector().publish(payload, context: rig.context)
        guard case .published(let id, _) = outcome else { Issue.record("\(outcome)"); return }
        let calls = await rig.sandbox.state.calls
        #expect(calls["x media/initialize"] == 1)
        #expect(calls["x media/append"] == 1)
        #expect(calls["x media/finalize"] == 1)
        #expect(calls["x media/status"] == nil, "a picture is ready at finalize")
        #expect(calls["x tweets"] == 1)
        let posts = await rig.sandbox.state.posts(platform: "x")
        #expect(posts.map(\.id) == [id])
        #expect(posts.first?.text == payload.text)
        let exchanges = await rig.log.exchanges
        let steps: [String] = exchanges.map { exchange in String(exchange.url.split(separator: "/").last ?? "") }
        #expect(steps == ["initialize", "append", "finalize", "tweets"])
        let append = exchanges.first { $0.url.hasSuffix("/append") }?.request ?? ""
        #expect(append.hasPrefix("multipart:"))
        #expect(append.contains("media=<image/png, 12 bytes>"))
        #expect(append.contains("segment_index=0"))
        #expect(exchanges.first { $0.url.hasSuffix("/initialize") }?.request.contains("\"total_bytes\":12") == true)
        let tweet = exchanges.last?.request ?? ""
        #expect(tweet.contains("\"media_ids\""))
        await rig.expectNoSecrets([token])
    }

    @Test("X: a video over 5 MB goes in 4 MB segments and the tweet waits for processing (STATUS)")
    func xChunkedVideo() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        // Big bodies: allow a slow machine more than the rig's 15 s.
        let context = ConnectorContext(http: HTTPTransport(timeout: 30, policy: OutboundPolicy(trustedBases: [rig.sandbox.url])), tokens: MemoryTokenCache(), endpoints: .all(rig.sandbox.url), log: ExchangeLog())
        let token = Rig.token()
        var payload = PlatformCase.x.payload(token: token)
        payload.cover = MediaFile(filename: "clip.mp4", contentType: "video/mp4", bytes: Data(repeating: 7, count: 6 * 1_024 * 1_024 + 5))
        let outcome = await XConnector().publish(payload, context: context)
        guard case .published = outcome else { Issue.record("\(outcome)"); return }
        let calls = await rig.sandbox.state.calls
        #expect(calls["x media/append"] == 2)
        #expect(calls["x media/status"] == 1)
        #expect(await rig.sandbox.state.posts(platform: "x").count == 1)
        let appends = await context.log.exchanges.filter { $0.url.hasSuffix("/append") }.map(\.request)
        #expect(appends.count == 2)
        #expect(appends.first?.contains("media=<video/mp4, 4194304 bytes>, segment_index=0") == true)
        #expect(appends.last?.contains("media=<video/mp4, 2097157 bytes>, segment_index=1") == true)
        #expect(await context.log.exchanges.first?.request.contains("tweet_video") == true)
    }

    @Test("X: a rate limit on the media append is transient and nothing is posted")
    func xAppendRateLimited() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let token = Rig.token()
        await rig.sandbox.state.add(Scenario(platform: "x", kind: .rateLimit, seconds: 120, call: "media/append"))
        var payload = PlatformCase.x.payload(token: token)
        payload.cover = Rig.picture
        let outcome = await XConnector().publish(payload, context: rig.context)
        guard case .transient(let reason, let retryAfter) = outcome, let retryAfter else { Issue.record("\(outcome)"); return }
        #expect(reason.hasPrefix("rate_limited"))
        #expect(retryAfter >= 110 && retryAfter <= 121)
        #expect(await rig.sandbox.state.calls["x tweets"] == nil)
        #expect(await rig.sandbox.state.calls["x media/finalize"] == nil)
        #expect(await rig.sandbox.state.posts(platform: "x").isEmpty)
        await rig.expectNoSecrets([token])
    }

    @Test("X: a refused finalize, or processing that fails, is permanent and nothing is posted",
          arguments: [Scenario.Kind.error, .asyncFailure])
    func xFinalizeFails(_ kind: Scenario.Kind) async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let token = Rig.token()
        await rig.sandbox.state.add(Scenario(platform: "x", kind: kind, code: kind == .error ? 400 : nil, call: "media/finalize"))
        var payload = PlatformCase.x.payload(token: token)
        payload.cover = Rig.picture
        let outcome = await XConnector().publish(payload, context: rig.context)
        guard case .permanent(let reason) = outcome else { Issue.record("\(outcome)"); return }
        if kind == .asyncFailure {
            #expect(reason.hasPrefix("media_processing_failed"), "\(reason)")
            #expect(await rig.sandbox.state.calls["x media/status"] == 1)
        } else {
            #expect(reason.hasPrefix("rejected 400"), "\(reason)")
        }
        #expect(await rig.sandbox.state.calls["x tweets"] == nil)
        #expect(await rig.sandbox.state.posts(platform: "x").isEmpty)
        await rig.expectNoSecrets([token])
    }

    @Test("X: upload failures are preparatory: a lost answer is transient, a dead token reconnects")
    func xUploadPreparatory() async throws {
        let rig = try await Rig.start(timeout: 2)
        defer { rig.stop() }
        var payload = PlatformCase.x.payload(token: Rig.token())
        payload.cover = Rig.picture
        await rig.sandbox.state.add(Scenario(platform: "x", kind: .slowAfterAccept, seconds: 4, call: "media/initialize"))
        guard case .transient = await XConnector().publish(payload, context: rig.context) else { Issue.record("lost upload answer not transient"); return }
        await rig.sandbox.state.add(Scenario(platform: "x", kind: .expireToken, call: "media/initialize"))
        guard case .reconnectNeeded = await XConnector().publish(payload, context: rig.context) else { Issue.record("dead token not reconnect"); return }
        #expect(await rig.sandbox.state.calls["x tweets"] == nil)
        #expect(await rig.sandbox.state.posts(platform: "x").isEmpty)
    }

    @Test("X sandbox: uploads are validated, finalize checks the byte count, tweets take only finalized media")
    func xSandboxUploadRules() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let http = HTTPTransport(timeout: 5, policy: OutboundPolicy(trustedBases: [rig.sandbox.url]))
        let auth = ("Authorization", "Bearer \(Rig.token())")
        let base = rig.sandbox.url + "/2/media/upload"
        func send(_ request: OutboundRequest) async throws -> OutboundResponse { try await http.send(request, log: nil) }
        func message(_ response: OutboundResponse) -> String {
            ((response.json?["errors"] as? [[String: Any]])?.first?["message"] as? String) ?? ""
        }

        #expect(try await send(.json("POST", base + "/initialize", ["total_bytes": 10], headers: [auth])).status == 400)
        #expect(try await send(.json("POST", base + "/initialize", ["media_type": "image/png"], headers: [auth])).status == 400)
        #expect(try await send(.json("POST", base + "/initialize", ["media_type": "image/png", "total_bytes": 6 * 1_024 * 1_024,
                                                                        "media_category": "tweet_image"] as [String: Any], headers: [auth])).status == 400)
        let initialized = try await send(.json("POST", base + "/initialize", ["media_type": "image/png", "total_bytes": 10,
                                                                                "media_category": "tweet_image"] as [String: Any], headers: [auth]))
        #expect(initialized.status == 200)
        let id = try #require((initialized.json?["data"] as? [String: Any])?["id"] as? String)

        var noIndex = MultipartBody()
        noIndex.file("media", MediaFile(filename: "a.png", contentType: "image/png", bytes: Data(repeating: 1, count: 4)))
        #expect(try await send(noIndex.request(base + "/\(id)/append", headers: [auth])).status == 400)
        var noMedia = MultipartBody()
        noMedia.field("segment_index", "0")
        #expect(try await send(noMedia.request(base + "/\(id)/append", headers: [auth])).status == 400)
        var short = MultipartBody()
        short.file("media", MediaFile(filename: "a.png", contentType: "image/png", bytes: Data(repeating: 1, count: 4)))
        short.field("segment_index", "0")
        #expect(try await send(short.request(base + "/\(id)/append", headers: [auth])).status == 204)

        // A tweet cannot use media that is not finalized.
        let early = try await send(.json("POST", rig.sandbox.url + "/2/tweets", ["text": "early", "media": ["media_ids": [id]]] as [String: Any], headers: [auth]))
        #expect(early.status == 400)
        #expect(early.json?["title"] as? String == "Invalid Request")

        let shortFinalize = try await send(OutboundRequest(method: "POST", url: base + "/\(id)/finalize", headers: [auth]))
        #expect(shortFinalize.status == 400)
        #expect(message(shortFinalize).contains("total_bytes"))

        var rest = MultipartBody()
        rest.file("media", MediaFile(filename: "a.png", contentType: "image/png", bytes: Data(repeating: 2, count: 6)))
        rest.field("segment_index", "1")
        #expect(try await send(rest.request(base + "/\(id)/append", headers: [auth])).status == 204)
        let finalized = try await send(OutboundRequest(method: "POST", url: base + "/\(id)/finalize", headers: [auth]))
        #expect(finalized.status == 200)
        let status = try await send(OutboundRequest(method: "GET", url: base + "?command=STATUS&media_id=\(id)", headers: [auth]))
        #expect(((status.json?["data"] as? [String: Any])?["processing_info"] as? [String: Any])?["state"] as? String == "succeeded")

        let unknown = try await send(.json("POST", rig.sandbox.url + "/2/tweets", ["text": "unknown", "media": ["media_ids": ["123"]]] as [String: Any], headers: [auth]))
        #expect(unknown.status == 400)
        let tweet = try await send(.json("POST", rig.sandbox.url + "/2/tweets", ["text": "with media", "media": ["media_ids": [id]]] as [String: Any], headers: [auth]))
        #expect(tweet.status == 201)
        #expect(await rig.sandbox.state.posts(platform: "x").map(\.text) == ["with media"])
        // Someone else cannot use it.
        let other = ("Authorization", "Bearer \(Rig.token())")
        let stolen = try await send(.json("POST", rig.sandbox.url + "/2/tweets", ["text": "stolen", "media": ["media_ids": [id]]] as [String: Any], headers: [other]))
        #expect(stolen.status == 400)
    }

    // MARK: LinkedIn

    @Test("LinkedIn: posts as the organization, with little-text escapes, URL from x-restli-id")
    func linkedInOrganization() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        var payload = PlatformCase.linkedin.payload(token: Rig.token())
        payload.account.fields["organization_urn"] = "urn:li:organization:42"
        payload.text = "Q3 (draft) @team #launch [v2] *bold* a_b ~c"
        let outcome = await LinkedInConnector().publish(payload, context: rig.context)
        guard case .published(let urn, let url) = outcome else { Issue.record("\(outcome)"); return }
        #expect(urn.hasPrefix("urn:li:share:"))
        #expect(url == "https://www.linkedin.com/feed/update/\(urn)/")
        let post = await rig.sandbox.state.posts(platform: "linkedin").first
        #expect(post?.account == "urn:li:organization:42")
        #expect(post?.text == payload.text)
        #expect(await rig.log.exchanges.first?.request.contains(#"Q3 \\(draft\\) \\@team"#) == true)
    }

    @Test("LinkedIn sandbox: the version headers are required",
          arguments: [([(String, String)](), 400), ([("LinkedIn-Version", "202001"), ("X-Restli-Protocol-Version", "2.0.0")], 426),
                      ([("LinkedIn-Version", "202601")], 400)])
    func linkedInVersionHeaders(headers: [(String, String)], status: Int) async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let request = OutboundRequest.json("POST", rig.sandbox.url + "/rest/posts", ["author": "urn:li:person:abc", "commentary": "hi"],
                                           headers: headers + [("Authorization", "Bearer \(Rig.token())")])
        let response = try await rig.context.http.send(request, log: nil)
        #expect(response.status == status)
        #expect(await rig.sandbox.state.posts(platform: "linkedin").isEmpty)
    }

    // MARK: Facebook

    @Test("Facebook: a revoked page token is 'Error validating access token' and needs reconnecting")
    func facebookRevoked() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let outcome = await FacebookConnector().publish(PlatformCase.facebook.payload(token: "revoked"), context: rig.context)
        guard case .reconnectNeeded(let reason) = outcome else { Issue.record("\(outcome)"); return }
        #expect(reason.contains("facebook_190/458"))
        #expect(reason.contains("Error validating access token"))
    }

    @Test("Facebook: throttles wait as long as X-Business-Use-Case-Usage says; posting too fast waits ten minutes")
    func facebookThrottles() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        await rig.sandbox.state.add(Scenario(platform: "facebook", kind: .rateLimit, seconds: 240))
        let throttled = await FacebookConnector().publish(PlatformCase.facebook.payload(token: Rig.token()), context: rig.context)
        #expect(throttled == .transient(reason: "facebook_32: Page request limit reached", retryAfter: 240))
        await rig.sandbox.state.add(Scenario(platform: "facebook", kind: .error, code: 1_390_008))
        let tooFast = await FacebookConnector().publish(PlatformCase.facebook.payload(token: Rig.token()), context: rig.context)
        guard case .transient(let reason, let retryAfter) = tooFast else { Issue.record("\(tooFast)"); return }
        #expect(reason.hasPrefix("facebook_368/1390008"))
        #expect(retryAfter == 600)
    }

    @Test("Facebook: the page id comes from page_id, else the handle; the token stays out of the logged URL")
    func facebookPage() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let token = Rig.token()
        var payload = PlatformCase.facebook.payload(token: token)
        payload.account.fields = [:]
        payload.account.handle = "778899"
        guard case .published(let id, let url) = await FacebookConnector().publish(payload, context: rig.context) else { Issue.record("refused"); return }
        #expect(id.hasPrefix("778899_"))
        #expect(url == "https://www.facebook.com/\(id)")
        #expect(await rig.log.exchanges.first?.url.contains("access_token=***") == true)
    }

    // MARK: Bilibili

    @Test("Bilibili: the canonical string is the x-bili-* headers, lower-cased, sorted, name:value per line")
    func bilibiliCanonicalString() {
        let headers = [
            ("X-Bili-Timestamp", "1700000000"), ("Content-Type", "application/json"), ("X-Bili-Signature-Nonce", "nonce-1"),
            ("X-Bili-Accesskeyid", "client-1"), ("X-Bili-Signature-Version", "2.0"), ("X-Bili-Signature-Method", "HMAC-SHA256"),
            ("X-Bili-Content-Md5", "d41d8cd98f00b204e9800998ecf8427e"), ("Authorization", "old"),
        ]
        let canonical = BilibiliSignature.canonicalString(headers)
        #expect(canonical == """
            x-bili-accesskeyid:client-1
            x-bili-content-md5:d41d8cd98f00b204e9800998ecf8427e
            x-bili-signature-method:HMAC-SHA256
            x-bili-signature-nonce:nonce-1
            x-bili-signature-version:2.0
            x-bili-timestamp:1700000000
            """)
        #expect(BilibiliSignature.sign(canonical, secret: "sandbox-secret") == "ce62502258f24d98c7be36acb1ab4837855c83d1da787398dc9ded87a3d8fc3f")
        #expect(BilibiliSignature.contentMD5(Data()) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(BilibiliSignature.contentMD5(Data(#"{"title":"t"}"#.utf8)) == "81adbed846448a939ab4fe678b898a1b")
        let signed = BilibiliSignature.headers(clientID: "client-1", secret: "sandbox-secret", body: Data(), timestamp: "1700000000", nonce: "nonce-1")
        #expect(signed.last?.0 == "Authorization")
        #expect(signed.last?.1 == "ce62502258f24d98c7be36acb1ab4837855c83d1da787398dc9ded87a3d8fc3f")
    }

    @Test("Bilibili: a wrong client secret is refused as 签名错误 and needs reconnecting")
    func bilibiliWrongSecret() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        var payload = PlatformCase.bilibili.payload(token: Rig.token())
        payload.account.secrets["client_secret"] = "not-the-secret"
        let outcome = await BilibiliConnector().publish(payload, context: rig.context)
        guard case .reconnectNeeded(let reason) = outcome else { Issue.record("\(outcome)"); return }
        #expect(reason.hasPrefix("bilibili_-3: 签名错误"))
        await rig.expectNoSecrets(["not-the-secret"])
    }

    @Test("Bilibili: the post URL is the 专栏 cv link")
    func bilibiliURL() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        guard case .published(let id, let url) = await BilibiliConnector().publish(PlatformCase.bilibili.payload(token: Rig.token()), context: rig.context) else {
            Issue.record("refused"); return
        }
        #expect(url == "https://www.bilibili.com/read/cv\(id)")
    }

    // MARK: Douyin

    @Test("Douyin: without open_id or media the post goes to assisted publishing, nothing is sent",
          arguments: ["no_open_id", "no_media"])
    func douyinAssisted(_ missing: String) async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        var payload = PlatformCase.douyin.payload(token: Rig.token())
        if missing == "no_open_id" { payload.account.fields = [:] } else { payload.cover = nil }
        #expect(await DouyinConnector().publish(payload, context: rig.context) == .permanent(reason: "douyin_needs_assisted_publishing"))
        #expect(await rig.log.exchanges.isEmpty)
    }

    @Test("Douyin: a lost upload answer is safe to retry (nothing public yet)")
    func douyinUploadTimeout() async throws {
        let rig = try await Rig.start(timeout: 2)
        defer { rig.stop() }
        await rig.sandbox.state.add(Scenario(platform: "douyin", kind: .slowAfterAccept, seconds: 8, call: "upload_video"))
        let outcome = await DouyinConnector().publish(PlatformCase.douyin.payload(token: Rig.token()), context: rig.context)
        guard case .transient = outcome else { Issue.record("\(outcome)"); return }
        #expect(await rig.sandbox.state.posts(platform: "douyin").isEmpty)
    }

    @Test("Douyin: a created video is pending while in review, then published with its share URL")
    func douyinReview() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let payload = PlatformCase.douyin.payload(token: Rig.token())
        guard case .accepted(let itemID) = await DouyinConnector().publish(payload, context: rig.context) else { Issue.record("not accepted"); return }
        #expect(await DouyinConnector().reconcile(payload, remoteID: itemID, context: rig.context) == .pending)
        await rig.sandbox.state.advance(31)
        let outcome = await DouyinConnector().reconcile(payload, remoteID: itemID, context: rig.context)
        guard case .published(let id, let url) = outcome else { Issue.record("\(outcome)"); return }
        #expect(id == itemID)
        #expect(url?.hasPrefix("https://www.iesdouyin.com/share/video/") == true)
    }

    @Test("Douyin: a video review refuses ends as failed")
    func douyinReviewRefused() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        await rig.sandbox.state.add(Scenario(platform: "douyin", kind: .asyncFailure, code: 2, call: "create_video"))
        let payload = PlatformCase.douyin.payload(token: Rig.token())
        guard case .accepted(let itemID) = await DouyinConnector().publish(payload, context: rig.context) else { Issue.record("not accepted"); return }
        await rig.sandbox.state.advance(31)
        guard case .failed = await DouyinConnector().reconcile(payload, remoteID: itemID, context: rig.context) else { Issue.record("not failed"); return }
    }

    @Test("Douyin: tokens expire after 15 days on the platform clock")
    func douyinTokenLifetime() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let token = Rig.token()
        guard case .accepted = await DouyinConnector().publish(PlatformCase.douyin.payload(token: token), context: rig.context) else { Issue.record("first refused"); return }
        await rig.sandbox.state.advance(16 * 86_400)
        var payload = PlatformCase.douyin.payload(token: token)
        payload.text = "第二条"
        guard case .reconnectNeeded(let reason) = await DouyinConnector().publish(payload, context: rig.context) else { Issue.record("not reconnect"); return }
        #expect(reason.hasPrefix("douyin_2190008"))
    }
}

// MARK: - Fixtures (nested, so their names cannot meet other test files')

extension WesternAndChineseConnectorsTests {
    /// A sandbox, a context pointing every platform at it, and the attempt log to inspect.
    struct Rig {
        let sandbox: RunningSandbox
        let context: ConnectorContext
        var log: ExchangeLog { context.log }

        /// An ordinary answer gets 15 s (a loaded CI machine answers slowly); a test about a lost answer passes a short timeout.
        static func start(timeout: TimeInterval = 15) async throws -> Rig {
            let sandbox = try await SandboxServer().start()
            let context = ConnectorContext(http: HTTPTransport(timeout: timeout, policy: OutboundPolicy(trustedBases: [sandbox.url])), tokens: MemoryTokenCache(), endpoints: .all(sandbox.url), log: ExchangeLog())
            return Rig(sandbox: sandbox, context: context)
        }

        func stop() { sandbox.stop() }

        static func token() -> String { "tok-" + UUID().uuidString.lowercased() }

        static let picture = MediaFile(filename: "cover.png", contentType: "image/png", bytes: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4]))

        /// No secret, raw or percent-encoded, appears anywhere in what the attempt log kept.
        func expectNoSecrets(_ secrets: [String], sourceLocation: SourceLocation = #_sourceLocation) async {
            let exchanges = await log.exchanges
            #expect(!exchanges.isEmpty, sourceLocation: sourceLocation)
            let text = exchanges.map { [$0.url, $0.request, $0.response, $0.error ?? ""].joined(separator: "\n") }.joined(separator: "\n")
            for secret in secrets {
                #expect(!text.contains(secret), "secret in the attempt log", sourceLocation: sourceLocation)
                #expect(!text.contains(FormEncoding.escape(secret)), "encoded secret in the attempt log", sourceLocation: sourceLocation)
            }
        }
    }

    /// One platform's fixtures for the shared contract.
    struct PlatformCase: Sendable, CustomTestStringConvertible {
        var name: String
        var connector: any Connector
        var fields: [String: String] = [:]
        var handle = "sandbox"
        var text = "MediaOps 上线了 (beta) https://example.com/p/1"
        var cover: MediaFile?
        /// Secrets beyond the access token.
        var extraSecrets: [String: String] = [:]
        /// The call the platform makes the post on (where a lost answer means "unknown").
        var decisiveCall: String
        /// Makes the payload invalid in a way only the platform detects.
        var spoil: @Sendable (inout PublishPayload) -> Void
        /// What the permanent reason contains.
        var refusal: String

        var testDescription: String { name }
        var recordedText: String { text }

        func secrets(_ token: String) -> [String] { [token] + extraSecrets.values }

        func payload(token: String) -> PublishPayload {
            PublishPayload(targetID: "target-\(name)", title: "MediaOps 上线", text: text, html: "", summary: "", cover: cover,
                           account: ConnectorAccount(id: "acct-\(name)", platform: connector.platform, name: name, handle: handle, fields: fields,
                                                     secrets: ["access_token": token].merging(extraSecrets) { a, _ in a }))
        }

        static let weibo = PlatformCase(name: "weibo", connector: WeiboConnector(), decisiveCall: "statuses/share",
                                        spoil: { $0.text = "没有链接的微博" }, refusal: "weibo_10017")
        static let x = PlatformCase(name: "x", connector: XConnector(), decisiveCall: "tweets",
                                    spoil: { $0.text = String(repeating: "a", count: 281) }, refusal: "280 characters")
        static let linkedin = PlatformCase(name: "linkedin", connector: LinkedInConnector(), handle: "AbC123", decisiveCall: "posts",
                                           spoil: { $0.text = "" }, refusal: "rejected 422")
        static let facebook = PlatformCase(name: "facebook", connector: FacebookConnector(), fields: ["page_id": "1234567890"], decisiveCall: "feed",
                                           spoil: { $0.text = " " }, refusal: "facebook_100")
        static let bilibili = PlatformCase(name: "bilibili", connector: BilibiliConnector(), fields: ["client_id": "client-1"],
                                           extraSecrets: ["client_secret": "sandbox-secret"], decisiveCall: "article/add",
                                           spoil: { $0.title = "" }, refusal: "bilibili_-400")
        static let douyin = PlatformCase(name: "douyin", connector: DouyinConnector(), fields: ["open_id": "open-123"],
                                         cover: MediaFile(filename: "clip.mp4", contentType: "video/mp4", bytes: Data(repeating: 7, count: 2_048)),
                                         decisiveCall: "create_video",
                                         spoil: { $0.cover = MediaFile(filename: "empty.mp4", contentType: "video/mp4", bytes: Data()) },
                                         refusal: "douyin_2100005")

        static let all: [PlatformCase] = [weibo, x, linkedin, facebook, bilibili, douyin]
    }
}
