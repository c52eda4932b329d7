import Foundation
import Hummingbird
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsSandbox
import Testing

/// 公众号 against the imitation: the full material → draft → freepublish path,
/// the asynchronous job, token expiry and quotas.
@Suite("WeChat OA connector against the sandbox")
struct WeChatOAConnectorTests {
    let connector = WeChatOAConnector()
    let platform = "wechat_oa"

    @Test("Publishing is accepted, pending for 2 s, then published with the URL from article_detail.item — recorded once")
    func publishThenReconcile() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        let payload = Fixtures.payload(Fixtures.account(.wechatOA), inline: true)
        await harness.state.freeze()

        let outcome = await connector.publish(payload, context: harness.context)
        guard case .accepted(let publishID) = outcome else { Issue.record("expected accepted, got \(outcome)"); return }
        #expect(await harness.calls(platform, "media/uploadimg") == 1)
        #expect(await harness.calls(platform, "material/add_material") == 1)
        #expect(await harness.calls(platform, "draft/add") == 1)
        #expect(await harness.calls(platform, "stable_token") == 1)

        #expect(await connector.reconcile(payload, remoteID: publishID, context: harness.context) == .pending)
        await harness.state.advance(2)
        let finished = await connector.reconcile(payload, remoteID: publishID, context: harness.context)
        guard case .published(let articleID, let url) = finished else { Issue.record("expected published, got \(finished)"); return }
        #expect(url?.hasPrefix("https://mp.weixin.qq.com/s/") == true)

        // Asking again changes nothing: one post, under the account's appid, titled like the content.
        #expect(await connector.reconcile(payload, remoteID: publishID, context: harness.context) == finished)
        let posts = await harness.state.posts(platform: platform)
        #expect(posts.count == 1)
        #expect(posts.first?.id == articleID)
        #expect(posts.first?.account == "wx5c3a1b2d4e6f7081")
        #expect(posts.first?.text == "Spring launch")
        #expect(posts.first?.idempotencyKey == nil)
    }

    @Test("A token that expires mid-publish is refreshed exactly once and the publish goes on")
    func tokenExpiresMidPublish() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        await harness.state.add(Scenario(platform: platform, kind: .expireToken, call: "draft/add"))
        let payload = Fixtures.payload(Fixtures.account(.wechatOA))

        let outcome = await connector.publish(payload, context: harness.context)
        guard case .accepted(let publishID) = outcome else { Issue.record("expected accepted, got \(outcome)"); return }
        #expect(await harness.calls(platform, "stable_token") == 2)
        #expect(await harness.calls(platform, "draft/add") == 2)
        #expect(await harness.calls(platform, "freepublish/submit") == 1)
        #expect(await harness.loggedText().contains("refreshing once"))

        await harness.state.advance(2)
        guard case .published = await connector.reconcile(payload, remoteID: publishID, context: harness.context) else {
            Issue.record("expected published"); return
        }
        #expect(await harness.state.posts(platform: platform).count == 1)
    }

    @Test("A token the sandbox clock expired (42001) is refreshed once, then the publish succeeds")
    func tokenExpiredByClock() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        let payload = Fixtures.payload(Fixtures.account(.wechatOA))
        guard case .accepted = await connector.publish(payload, context: harness.context) else { Issue.record("first publish"); return }
        // The cached token still looks fresh to MediaOps; the platform says it expired.
        await harness.state.advance(7_201)
        guard case .accepted = await connector.publish(Fixtures.payload(Fixtures.account(.wechatOA)), context: harness.context) else {
            Issue.record("second publish"); return
        }
        #expect(await harness.calls(platform, "stable_token") == 2)
        #expect(await harness.calls(platform, "material/add_material") == 3)
    }

    @Test("An accepted job that fails later reconciles as failed and records nothing")
    func asyncFailure() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        await harness.state.add(Scenario(platform: platform, kind: .asyncFailure, code: 4, call: "freepublish/submit"))
        let payload = Fixtures.payload(Fixtures.account(.wechatOA))
        guard case .accepted(let publishID) = await connector.publish(payload, context: harness.context) else { Issue.record("accepted"); return }
        await harness.state.advance(2)
        #expect(await connector.reconcile(payload, remoteID: publishID, context: harness.context) == .failed(reason: "wechat_publish_status_4"))
        #expect(await harness.state.posts(platform: platform).isEmpty)
    }

    @Test("An asyncFailure queued for any call still applies to the next submitted job")
    func asyncFailureForNextJob() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        await harness.state.add(Scenario(platform: platform, kind: .asyncFailure, code: 2))
        let payload = Fixtures.payload(Fixtures.account(.wechatOA))
        guard case .accepted(let publishID) = await connector.publish(payload, context: harness.context) else { Issue.record("accepted"); return }
        await harness.state.advance(2)
        #expect(await connector.reconcile(payload, remoteID: publishID, context: harness.context) == .failed(reason: "wechat_publish_status_2"))
    }

    @Test("Rate limited (45009) is transient with a retry delay")
    func rateLimited() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        await harness.state.add(Scenario(platform: platform, kind: .rateLimit, call: "draft/add"))
        let outcome = await connector.publish(Fixtures.payload(Fixtures.account(.wechatOA)), context: harness.context)
        #expect(outcome.isTransient)
        #expect(outcome.reason.contains("45009"))
        #expect(outcome.retryAfter == 3_600)
        #expect(await harness.calls(platform, "freepublish/submit") == 0)
    }

    @Test("The daily token quota runs out: 45009 is transient")
    func dailyQuota() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        try await harness.control("POST", "/_sandbox/wechat/quota", ["api": "stable_token", "limit": 1])
        let payload = Fixtures.payload(Fixtures.account(.wechatOA))
        guard case .accepted = await connector.publish(payload, context: harness.context) else { Issue.record("first publish"); return }
        // A worker with an empty cache has to ask for a token: the quota is spent.
        let outcome = await connector.publish(payload, context: harness.context(tokens: MemoryTokenCache()))
        #expect(outcome.isTransient)
        #expect(outcome.reason.contains("45009"))
    }

    @Test("A submit whose answer never comes is unknown — and the platform did publish")
    func timeoutAfterSubmit() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        await harness.state.add(Scenario(platform: platform, kind: .slowAfterAccept, seconds: 8, call: "freepublish/submit"))
        let outcome = await connector.publish(Fixtures.payload(Fixtures.account(.wechatOA)), context: harness.context(timeout: 4))
        #expect(outcome.isUnknown, "got \(outcome)")
        #expect(await harness.waitForPosts(platform, count: 1).count == 1)
    }

    @Test("A lost answer before the submit is only transient: nothing was published")
    func timeoutBeforeSubmit() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        await harness.state.add(Scenario(platform: platform, kind: .slowAfterAccept, seconds: 8, call: "draft/add"))
        let outcome = await connector.publish(Fixtures.payload(Fixtures.account(.wechatOA)), context: harness.context(timeout: 4))
        #expect(outcome.isTransient, "got \(outcome)")
        #expect(await harness.calls(platform, "freepublish/submit") == 0)
    }

    @Test("A refused connection is transient")
    func connectionRefused() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        let outcome = await connector.publish(Fixtures.payload(Fixtures.account(.wechatOA)), context: harness.context(base: closedPortBase))
        #expect(outcome.isTransient, "got \(outcome)")
    }

    @Test("503 from the platform is transient")
    func unavailable() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        await harness.state.add(Scenario(platform: platform, kind: .unavailable, call: "material/add_material"))
        let outcome = await connector.publish(Fixtures.payload(Fixtures.account(.wechatOA)), context: harness.context)
        #expect(outcome.isTransient, "got \(outcome)")
    }

    @Test("A wrong app secret or appid needs reconnecting")
    func badCredentials() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        let wrongSecret = await connector.publish(Fixtures.payload(Fixtures.account(.wechatOA, secrets: ["app_secret": "wrong"])), context: harness.context)
        #expect(wrongSecret.isReconnect)
        #expect(wrongSecret.reason.contains("40001"))
        let wrongAppID = await connector.publish(Fixtures.payload(Fixtures.account(.wechatOA, fields: ["app_id": "not-an-appid"])), context: harness.context)
        #expect(wrongAppID.isReconnect)
        #expect(wrongAppID.reason.contains("40013"))
        #expect(await harness.state.posts().isEmpty)
    }

    @Test("Platform refusals are permanent: missing rights, a bad picture")
    func permanentErrors() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        await harness.state.add(Scenario(platform: platform, kind: .error, code: 48001, call: "freepublish/submit"))
        let unauthorized = await connector.publish(Fixtures.payload(Fixtures.account(.wechatOA)), context: harness.context)
        #expect(unauthorized.isPermanent)
        #expect(unauthorized.reason.contains("48001"))

        let notAPicture = MediaFile(filename: "cover.txt", contentType: "text/plain", bytes: Data("hello".utf8))
        let badCover = await connector.publish(Fixtures.payload(Fixtures.account(.wechatOA), cover: notAPicture), context: harness.context)
        #expect(badCover.isPermanent)
        #expect(badCover.reason.contains("40005"))
        #expect(await harness.state.posts().isEmpty)
    }

    @Test("The attempt log holds neither the app secret nor any access token")
    func logHasNoSecrets() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        await harness.state.add(Scenario(platform: platform, kind: .expireToken, call: "draft/add"))
        let payload = Fixtures.payload(Fixtures.account(.wechatOA), inline: true)
        guard case .accepted(let publishID) = await connector.publish(payload, context: harness.context) else { Issue.record("accepted"); return }
        await harness.state.advance(2)
        _ = await connector.reconcile(payload, remoteID: publishID, context: harness.context)

        let text = await harness.loggedText()
        #expect(text.contains("/cgi-bin/freepublish/submit"))
        #expect(!text.contains(Fixtures.wechatSecret))
        let token = try #require(try await harness.tokens.token(accountID: "acct-wechat")?.value)
        #expect(!text.contains(token))
        // Neither the current nor the expired token (the sandbox's tokens start "91_" and 32 hex digits).
        #expect(text.range(of: "91_[0-9A-F]{16}", options: .regularExpression) == nil)
    }

    @Test("PUBLISHJOBFINISH is pushed to a registered callback, signed, and parses to the same outcome")
    func publishCallback() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        let receiver = try await CallbackReceiver.start()
        defer { receiver.stop() }
        try await harness.control("POST", "/_sandbox/wechat/callback", ["url": receiver.url + "/wechat", "token": "cb-token-123"])

        let payload = Fixtures.payload(Fixtures.account(.wechatOA))
        guard case .accepted(let publishID) = await connector.publish(payload, context: harness.context) else { Issue.record("accepted"); return }
        await harness.state.advance(2)
        let polled = await connector.reconcile(payload, remoteID: publishID, context: harness.context)

        let delivery = try #require(await receiver.waitForDelivery())
        let query = URLComponents(string: "http://x/?" + delivery.query)?.queryItems ?? []
        func item(_ name: String) -> String { query.first { $0.name == name }?.value ?? "" }
        #expect(WeChatCallback.verify(token: "cb-token-123", timestamp: item("timestamp"), nonce: item("nonce"), signature: item("signature")))
        #expect(!WeChatCallback.verify(token: "other-token", timestamp: item("timestamp"), nonce: item("nonce"), signature: item("signature")))
        let event = try #require(WeChatCallback.parse(xml: delivery.body))
        #expect(event.publishID == publishID)
        #expect(event.outcome == polled)
    }
}

/// A little HTTP server standing in for MediaOps' callback endpoint.
struct CallbackReceiver: Sendable {
    actor Inbox {
        var deliveries: [(query: String, body: String)] = []
        func add(query: String, body: String) { deliveries.append((query, body)) }
        func first() -> (query: String, body: String)? { deliveries.first }
    }

    let url: String
    let inbox: Inbox
    let task: Task<Void, any Error>

    static func start() async throws -> CallbackReceiver {
        let inbox = Inbox()
        let router = Router()
        router.post("/wechat") { request, _ -> String in
            let body = try await request.body.collect(upTo: 1 << 20)
            await inbox.add(query: request.uri.query ?? "", body: String(buffer: body))
            return "success"
        }
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
        let task = Task { try await app.run() }
        var iterator = stream.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        return CallbackReceiver(url: "http://127.0.0.1:\(port)", inbox: inbox, task: task)
    }

    func waitForDelivery(seconds: Double = 5) async -> (query: String, body: String)? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let first = await inbox.first() { return first }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    func stop() { task.cancel() }
}
