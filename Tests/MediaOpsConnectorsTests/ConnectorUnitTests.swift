import Foundation
import MediaOpsConnectors
import Testing

@Suite("Outbound address policy")
struct OutboundPolicyTests {
    @Test("Loopback, private, link-local and their IPv6 kin are refused", arguments: [
        "http://127.0.0.1/hook", "http://127.8.9.10:8080/", "http://10.0.0.5/", "http://192.168.1.20/x", "http://172.16.4.1/",
        "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/", "http://0.0.0.0/", "http://[::1]:8080/", "http://[::ffff:127.0.0.1]/",
        "http://[fd00::1]/", "http://[fe80::1]/", "http://localhost:9000/",
    ])
    func refused(url: String) {
        #expect(OutboundPolicy().refusal(for: url) == "private_address")
    }

    @Test("Every notation of an internal address is refused: mapped, long-form, NAT64, 6to4, compatible IPv6", arguments: [
        "http://[::ffff:7f00:1]/", "http://[0:0:0:0:0:0:0:1]/", "http://[0000:0000:0000:0000:0000:0000:0000:0001]:80/", "http://[::ffff:a9fe:a9fe]/",
        "http://[::ffff:169.254.169.254]/", "http://[::ffff:10.0.0.1]/", "http://[::127.0.0.1]/", "http://[64:ff9b::7f00:1]/",
        "http://[2002:7f00:1::]/", "http://[fe80::1%25eth0]/", "http://[ff02::1]/", "http://[::]/", "http://[fec0::1]/",
        "http://224.0.0.1/", "http://255.255.255.255/", "http://[FD12:3456::1]/",
    ])
    func refusedInEveryNotation(url: String) {
        #expect(OutboundPolicy().refusal(for: url) != nil, "\(url)")
    }

    @Test("Decimal, octal, hex and short IPv4 forms are not addresses anyone should type: invalid", arguments: [
        "http://2130706433/", "http://0x7f000001/", "http://0x7f.1/", "http://0177.0.0.1/", "http://127.1/", "http://017700000001/", "http://127.0.0.01/",
    ])
    func numericForms(url: String) {
        #expect(OutboundPolicy().refusal(for: url) == "invalid_url", "\(url)")
        #expect(OutboundPolicy(allowPrivate: true).refusal(for: url) == "invalid_url", "\(url)")
    }

    @Test("User info, bad ports and control characters make an address invalid, trusted base or not", arguments: [
        "http://127.0.0.1:9000@127.0.0.1:9999/", "http://user:pass@93.184.216.34/", "http://93.184.216.34:99999/", "http://93.184.216.34:0/",
        "http://93.184.216.34:65536/", "http://93.184.216.34:/", "http://93.184.216.34:-1/", "http://93.184.216.34:8o/", "http://93.184.216.34\t/x",
        "http://93.184.216.34/\\evil", "http:///nohost", "http://[::1/", "javascript:alert(1)", "HTTP://", "",
    ])
    func invalidForms(url: String) {
        let policy = OutboundPolicy(trustedBases: ["http://127.0.0.1:9000/"])
        #expect(policy.refusal(for: url) == "invalid_url", "\(url)")
    }

    @Test("A trusted base is compared as scheme, host and port, never as a string prefix")
    func trustedLookAlikes() {
        let policy = OutboundPolicy(trustedBases: ["http://127.0.0.1:9000"])
        #expect(policy.refusal(for: "http://127.0.0.1:9000/any/path") == nil)
        #expect(policy.refusal(for: "HTTP://127.0.0.1:9000/x") == nil)
        #expect(policy.refusal(for: "http://127.0.0.1:9000@127.0.0.1:9999/") == "invalid_url")
        #expect(policy.refusal(for: "http://127.0.0.1:90000/") == "invalid_url")
        #expect(policy.refusal(for: "https://127.0.0.1:9000/") == "private_address")
        #expect(policy.refusal(for: "http://127.0.0.1:9001/") == "private_address")
        #expect(policy.refusal(for: "http://127.0.0.1.nip.io:9000/") != nil)
        let https = OutboundPolicy(trustedBases: ["https://[::1]"])
        #expect(https.refusal(for: "https://[0:0:0:0:0:0:0:1]:443/") == "private_address")  // trusted as written, other notations are not guessed
        #expect(https.refusal(for: "https://[::1]/v1") == nil)
    }

    @Test("Public literals are allowed", arguments: ["http://93.184.216.34/hook", "https://8.8.8.8/", "http://172.32.0.1/", "http://[2001:4860:4860::8888]/"])
    func allowed(url: String) {
        #expect(OutboundPolicy().refusal(for: url) == nil)
    }

    @Test("Not http(s), or no host: invalid")
    func invalid() {
        #expect(OutboundPolicy().refusal(for: "ftp://93.184.216.34/") == "invalid_url")
        #expect(OutboundPolicy().refusal(for: "file:///etc/passwd") == "invalid_url")
        #expect(OutboundPolicy().refusal(for: "not a url") == "invalid_url")
    }

    @Test("A trusted prefix or allowPrivate lets a private address through")
    func trusted() {
        let policy = OutboundPolicy(trustedBases: ["http://127.0.0.1:9000/"])
        #expect(policy.refusal(for: "http://127.0.0.1:9000/_sandbox/webhook/crm") == nil)
        #expect(policy.refusal(for: "http://127.0.0.1:9001/") == "private_address")
        #expect(OutboundPolicy(allowPrivate: true).refusal(for: "http://10.1.2.3/") == nil)
    }
}

@Suite("Webhook signatures")
struct WebhookSignatureTests {
    let body = Data("{\"a\":1}".utf8)

    @Test("sha256= hex HMAC of \"<timestamp>.<body>\" (vector computed independently)")
    func knownVector() {
        #expect(WebhookSignature.sign(body: body, timestamp: "1700000000", secret: "whsec-test")
            == "sha256=fed7a1a6c799a6367d73724d76bc70c16678908a32a879cd1ded6565ac05cece")
    }

    @Test("verify accepts the signature and refuses any change")
    func verify() {
        let signature = WebhookSignature.sign(body: body, timestamp: "1700000000", secret: "whsec-test")
        #expect(WebhookSignature.verify(body: body, timestamp: "1700000000", secret: "whsec-test", signature: signature))
        #expect(!WebhookSignature.verify(body: Data("{\"a\":2}".utf8), timestamp: "1700000000", secret: "whsec-test", signature: signature))
        #expect(!WebhookSignature.verify(body: body, timestamp: "1700000001", secret: "whsec-test", signature: signature))
        #expect(!WebhookSignature.verify(body: body, timestamp: "1700000000", secret: "other", signature: signature))
        #expect(!WebhookSignature.verify(body: body, timestamp: "1700000000", secret: "whsec-test", signature: String(signature.dropLast())))
    }
}

@Suite("WeChat callback")
struct WeChatCallbackTests {
    @Test("signature is sha1 of the sorted token, timestamp and nonce (vector computed independently)")
    func signature() {
        #expect(WeChatCallback.signature(token: "tok123", timestamp: "1700000000", nonce: "987654321") == "82f7f5266e6a643fa74d4a59e2650c7d6f3e208e")
        #expect(WeChatCallback.verify(token: "tok123", timestamp: "1700000000", nonce: "987654321", signature: "82F7F5266E6A643FA74D4A59E2650C7D6F3E208E"))
        #expect(!WeChatCallback.verify(token: "tok123", timestamp: "1700000001", nonce: "987654321", signature: "82f7f5266e6a643fa74d4a59e2650c7d6f3e208e"))
    }

    @Test("A finished job parses to published with the URL inside article_detail/item")
    func parsePublished() {
        let xml = """
        <xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>
        <CreateTime>1481013459</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>
        <PublishEventInfo><publish_id>2247503051</publish_id><publish_status>0</publish_status>
        <article_id><![CDATA[b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWP4Hq4]]></article_id>
        <article_detail><count>1</count><item><idx>1</idx><article_url><![CDATA[https://mp.weixin.qq.com/s/abc]]></article_url></item></article_detail>
        </PublishEventInfo></xml>
        """
        let event = WeChatCallback.parse(xml: xml)
        #expect(event?.publishID == "2247503051")
        #expect(event?.outcome == .published(externalID: "b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWP4Hq4", url: "https://mp.weixin.qq.com/s/abc"))
    }

    @Test("A failed job parses to failed; other events are not publish events")
    func parseFailedAndOthers() {
        let failed = """
        <xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>
        <PublishEventInfo><publish_id>2247503052</publish_id><publish_status>2</publish_status><fail_idx>1</fail_idx><fail_idx>2</fail_idx></PublishEventInfo></xml>
        """
        #expect(WeChatCallback.parse(xml: failed)?.outcome == .failed(reason: "wechat_publish_status_2"))
        #expect(WeChatCallback.parse(xml: "<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>") == nil)
    }
}
