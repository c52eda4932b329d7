import Foundation
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsSandbox
import Testing

@Suite("Notification channel messages")
struct ChannelMessagesTests {
    static let failure = OutboundEvent(id: "evt_test", kind: .targetFailed, at: Date(timeIntervalSince1970: 1_700_000_000), contentTitle: "冬季新品上市",
                                       accountName: "青禾茶饮官方微博", platform: "weibo", targetID: "pt_1", reason: "rejected 400: 内容包含敏感词",
                                       link: "https://mediaops.example.com/content/cnt_1")

    static func json(_ request: OutboundRequest) throws -> [String: Any] {
        let body = try #require(request.body)
        return try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
    }

    // MARK: Signatures, against values computed independently

    /// Expected values from Python's hmac module:
    /// base64(hmac.new(b"SECtest-secret", b"1700000000000\nSECtest-secret", sha256).digest())
    @Test("钉钉: sign = urlencode(base64(HMAC-SHA256(secret, \"<ms>\\n<secret>\")))")
    func dingtalkSignature() throws {
        let sign = ChannelMessages.dingtalkSign(secret: "SECtest-secret", timestampMillis: 1_700_000_000_000)
        #expect(sign == "LC7hxZ4wslL+P7j7gu1hoQ+wzByekL+yWgiUMekZs0g=")
        let url = ChannelMessages.dingtalkURL("https://oapi.dingtalk.com/robot/send?access_token=abc", secret: "SECtest-secret",
                                              timestampMillis: 1_700_000_000_000)
        #expect(url == "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign=LC7hxZ4wslL%2BP7j7gu1hoQ%2BwzByekL%2ByWgiUMekZs0g%3D")
        // Without a secret the URL is left alone.
        #expect(ChannelMessages.dingtalkURL("https://oapi.dingtalk.com/robot/send?access_token=abc", secret: nil, timestampMillis: 1) ==
                "https://oapi.dingtalk.com/robot/send?access_token=abc")

        let request = ChannelMessages.request(.dingtalk, url: "https://oapi.dingtalk.com/robot/send?access_token=abc", secret: "SECtest-secret",
                                              event: Self.failure, language: "zh-Hans", now: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(request.url.hasSuffix("&timestamp=1700000000000&sign=LC7hxZ4wslL%2BP7j7gu1hoQ%2BwzByekL%2ByWgiUMekZs0g%3D"))
        let body = try Self.json(request)
        #expect(body["msgtype"] as? String == "markdown")
        let markdown = try #require(body["markdown"] as? [String: String])
        #expect(markdown["title"] == "【MediaOps】发布失败")
        #expect(markdown["text"]?.contains("冬季新品上市") == true)
    }

    /// base64(hmac.new(b"1700000000\nfeishu-secret", b"", sha256).digest())
    @Test("飞书: sign = base64(HMAC-SHA256(key: \"<s>\\n<secret>\", empty)) in the body with the timestamp")
    func feishuSignature() throws {
        #expect(ChannelMessages.feishuSign(secret: "feishu-secret", timestamp: 1_700_000_000) == "OrBzY1Y01Gq+HgJsl+7OfWcMVwc7YocohQm5iiZwjhU=")
        let request = ChannelMessages.request(.feishu, url: "https://open.feishu.cn/open-apis/bot/v2/hook/tok", secret: "feishu-secret",
                                              event: Self.failure, language: "zh-Hans", now: Date(timeIntervalSince1970: 1_700_000_000.7))
        let body = try Self.json(request)
        #expect(body["timestamp"] as? String == "1700000000")
        #expect(body["sign"] as? String == "OrBzY1Y01Gq+HgJsl+7OfWcMVwc7YocohQm5iiZwjhU=")
        #expect(body["msg_type"] as? String == "interactive")
        let header = try #require((body["card"] as? [String: Any])?["header"] as? [String: Any])
        #expect(header["template"] as? String == "red")
        // No secret: no signature fields.
        let unsigned = try Self.json(ChannelMessages.request(.feishu, url: "https://open.feishu.cn/open-apis/bot/v2/hook/tok", secret: nil,
                                                             event: Self.failure, language: "zh-Hans", now: Date()))
        #expect(unsigned["sign"] == nil && unsigned["timestamp"] == nil)
    }

    @Test("企业微信: markdown with a warning colour for failures, at most 4096 bytes")
    func wecomMarkdown() throws {
        let body = try Self.json(ChannelMessages.request(.wecom, url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", secret: nil,
                                                         event: Self.failure, language: "zh-Hans", now: Date()))
        #expect(body["msgtype"] as? String == "markdown")
        let content = try #require((body["markdown"] as? [String: Any])?["content"] as? String)
        #expect(content.contains("<font color=\"warning\">发布失败</font>"))
        #expect(content.contains("冬季新品上市"))
        #expect(content.contains("青禾茶饮官方微博（新浪微博）"))
        #expect(content.contains("内容包含敏感词"))
        #expect(content.contains("[在 MediaOps 中查看](https://mediaops.example.com/content/cnt_1)"))

        var published = Self.failure
        published.kind = .targetPublished
        published.reason = nil
        published.url = "https://weibo.com/123/456"
        let good = ChannelMessages.wecomBody(ChannelMessages.message(for: published, language: "en"))
        let english = try #require((good["markdown"] as? [String: Any])?["content"] as? String)
        #expect(english.contains("<font color=\"info\">Published</font>"))
        #expect(english.contains("Account: <font color=\"comment\">青禾茶饮官方微博 (Weibo)</font>"))
        #expect(english.contains("[View post](https://weibo.com/123/456)"))

        var long = Self.failure
        long.reason = String(repeating: "很长的原因", count: 2_000)
        let cut = ChannelMessages.wecomBody(ChannelMessages.message(for: long, language: "zh-Hans"))
        let text = try #require((cut["markdown"] as? [String: Any])?["content"] as? String)
        #expect(text.utf8.count <= 4_096)
        #expect(text.hasSuffix("…"))
    }

    @Test("webhook: the event as snake_case JSON, signed like webhook accounts")
    func webhookBody() throws {
        let request = ChannelMessages.request(.webhook, url: "https://hooks.example.com/in", secret: "whsec", event: Self.failure,
                                              language: "zh-Hans", now: Date(timeIntervalSince1970: 1_700_000_100))
        let body = try #require(request.body)
        let json = try Self.json(request)
        #expect(json["id"] as? String == "evt_test")
        #expect(json["kind"] as? String == "target.failed")
        #expect(json["at"] as? String == "2023-11-14T22:13:20Z")
        #expect(json["content_title"] as? String == "冬季新品上市")
        #expect(json["account_name"] as? String == "青禾茶饮官方微博")
        #expect(json["target_id"] as? String == "pt_1")
        #expect(json["url"] is NSNull)
        let headers = Dictionary(request.headers, uniquingKeysWith: { first, _ in first })
        #expect(headers["X-MediaOps-Event"] == "target.failed")
        #expect(headers["X-MediaOps-Delivery"] == "evt_test")
        #expect(headers["X-MediaOps-Timestamp"] == "1700000100")
        let signature = try #require(headers["X-MediaOps-Signature"])
        #expect(WebhookSignature.verify(body: body, timestamp: "1700000100", secret: "whsec", signature: signature))
        #expect(!WebhookSignature.verify(body: body, timestamp: "1700000100", secret: "other", signature: signature))
    }

    @Test("robot answers map to delivered, retry or failed")
    func classification() {
        func answer(_ text: String, status: Int = 200) -> OutboundResponse { OutboundResponse(status: status, headers: [], body: Data(text.utf8)) }
        #expect(ChannelSender.classify(.wecom, answer(#"{"errcode":0,"errmsg":"ok"}"#)) == .delivered)
        #expect(ChannelSender.classify(.wecom, answer(#"{"errcode":45009,"errmsg":"api freq out of limit"}"#))
                == .retry(reason: "rate_limited: errcode 45009 api freq out of limit", after: 60))
        if case .failed(let reason) = ChannelSender.classify(.wecom, answer(#"{"errcode":93000,"errmsg":"invalid webhook url"}"#)) {
            #expect(reason.hasPrefix("invalid_key"))
        } else { Issue.record("93000 should fail") }
        if case .failed(let reason) = ChannelSender.classify(.dingtalk, answer(#"{"errcode":310000,"errmsg":"sign not match"}"#)) {
            #expect(reason.hasPrefix("sign_or_keyword"))
        } else { Issue.record("310000 should fail") }
        if case .retry = ChannelSender.classify(.dingtalk, answer(#"{"errcode":130101,"errmsg":"send too fast"}"#)) {} else { Issue.record("130101 should retry") }
        #expect(ChannelSender.classify(.feishu, answer(#"{"code":0,"msg":"success"}"#)) == .delivered)
        #expect(ChannelSender.classify(.feishu, answer(#"{"StatusCode":0,"StatusMessage":"success"}"#)) == .delivered)
        if case .failed = ChannelSender.classify(.feishu, answer(#"{"code":19021,"msg":"sign match fail"}"#)) {} else { Issue.record("19021 should fail") }
        if case .retry = ChannelSender.classify(.webhook, answer("", status: 502)) {} else { Issue.record("5xx should retry") }
        if case .failed = ChannelSender.classify(.webhook, answer("", status: 404)) {} else { Issue.record("404 should fail") }
        #expect(ChannelSender.classify(.webhook, answer("", status: 204)) == .delivered)
    }

    // MARK: Against the sandbox robots

    // Generous, as the sandbox harness's: the whole suite on two cores can take seconds to answer a call.
    static let lenient = HTTPTransport(timeout: 15, policy: OutboundPolicy(allowPrivate: true))

    @Test("each robot in the sandbox receives exactly one message; bad keys and signatures are refused")
    func sandboxRobots() async throws {
        let sandbox = try await SandboxServer().start()
        defer { sandbox.stop() }
        let event = Self.failure

        let log = ExchangeLog()
        let wecom = await ChannelSender.send(.wecom, url: "\(sandbox.url)/cgi-bin/webhook/send?key=group-key-1", secret: nil, event: event,
                                             language: "zh-Hans", http: Self.lenient, log: log)
        #expect(wecom == .delivered)
        let wecomPosts = await sandbox.state.posts(platform: "wecom")
        #expect(wecomPosts.count == 1)
        #expect(wecomPosts.first?.account == "group-key-1")
        #expect(wecomPosts.first?.text.contains("冬季新品上市") == true)
        // The robot key is a credential: the attempt log does not keep it.
        #expect(await log.exchanges.first?.url.contains("group-key-1") == false)

        let invalid = await ChannelSender.send(.wecom, url: "\(sandbox.url)/cgi-bin/webhook/send?key=invalid", secret: nil, event: event,
                                               language: "zh-Hans", http: Self.lenient, log: nil)
        if case .failed(let reason) = invalid { #expect(reason.hasPrefix("invalid_key")) } else { Issue.record("invalid key: \(invalid)") }

        let dingtalk = await ChannelSender.send(.dingtalk, url: "\(sandbox.url)/robot/send?access_token=ding-1", secret: "sandbox-secret", event: event,
                                                language: "zh-Hans", http: Self.lenient, log: nil)
        #expect(dingtalk == .delivered)
        let wrongSign = await ChannelSender.send(.dingtalk, url: "\(sandbox.url)/robot/send?access_token=ding-1", secret: "wrong-secret", event: event,
                                                 language: "zh-Hans", http: Self.lenient, log: nil)
        if case .failed(let reason) = wrongSign { #expect(reason.hasPrefix("sign_or_keyword")) } else { Issue.record("wrong sign: \(wrongSign)") }
        #expect(await sandbox.state.posts(platform: "dingtalk").map(\.account) == ["ding-1"])

        let feishu = await ChannelSender.send(.feishu, url: "\(sandbox.url)/open-apis/bot/v2/hook/fs-token", secret: "sandbox-secret", event: event,
                                              language: "en", http: Self.lenient, log: nil)
        #expect(feishu == .delivered)
        let feishuWrong = await ChannelSender.send(.feishu, url: "\(sandbox.url)/open-apis/bot/v2/hook/fs-token", secret: "nope", event: event,
                                                   language: "en", http: Self.lenient, log: nil)
        if case .failed(let reason) = feishuWrong { #expect(reason.hasPrefix("sign_mismatch")) } else { Issue.record("feishu wrong sign: \(feishuWrong)") }
        let feishuPosts = await sandbox.state.posts(platform: "feishu")
        #expect(feishuPosts.count == 1)
        #expect(feishuPosts.first?.account == "fs-token")
        #expect(feishuPosts.first?.text.contains("[MediaOps] Publishing failed") == true)

        // A rate limit the robot reports is retried later, and nothing was recorded for it.
        await sandbox.state.add(Scenario(platform: "wecom", kind: .rateLimit))
        let limited = await ChannelSender.send(.wecom, url: "\(sandbox.url)/cgi-bin/webhook/send?key=group-key-1", secret: nil, event: event,
                                               language: "zh-Hans", http: Self.lenient, log: nil)
        if case .retry(_, let after) = limited { #expect(after == 60) } else { Issue.record("rate limit: \(limited)") }
        await sandbox.state.add(Scenario(platform: "dingtalk", kind: .unavailable))
        let down = await ChannelSender.send(.dingtalk, url: "\(sandbox.url)/robot/send?access_token=ding-1", secret: nil, event: event,
                                            language: "zh-Hans", http: Self.lenient, log: nil)
        if case .retry = down {} else { Issue.record("503: \(down)") }
        #expect(await sandbox.state.posts().count == 3)
    }

    @Test("a private address is refused by the default policy and nothing is sent")
    func privateAddressRefused() async throws {
        let sandbox = try await SandboxServer().start()
        defer { sandbox.stop() }
        let log = ExchangeLog()
        let result = await ChannelSender.send(.wecom, url: "\(sandbox.url)/cgi-bin/webhook/send?key=k", secret: nil, event: Self.failure,
                                              language: "zh-Hans", http: HTTPTransport(timeout: 2), log: log)
        #expect(result == .failed(reason: "private_address"))
        #expect(await sandbox.state.posts().isEmpty)
        #expect(await sandbox.state.calls.isEmpty)
        #expect(await log.exchanges.first?.status == nil)
        let webhook = await ChannelSender.send(.webhook, url: "http://10.0.0.8/hook", secret: "s", event: Self.failure, language: "zh-Hans",
                                               http: HTTPTransport(timeout: 2), log: nil)
        #expect(webhook == .failed(reason: "private_address"))
    }
}
