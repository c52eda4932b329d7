import Foundation
import MediaOpsDomain
import Testing

@Suite("Web addresses and local paths")
struct WebAddressTests {
    @Test("addresses are read strictly: scheme, host, port range, no user info, no control characters", arguments: [
        ("https://api.weixin.qq.com/cgi-bin/token", "https://api.weixin.qq.com:443"),
        ("HTTP://Example.COM:8080/x?y=1#z", "http://example.com:8080"),
        ("http://[2001:db8::1]:8443/", "http://[2001:db8::1]:8443"),
        ("http://例子.测试/路径", "http://例子.测试:80"),
        ("http://93.184.216.34", "http://93.184.216.34:80"),
    ])
    func reads(text: String, origin: String) throws {
        #expect(try #require(WebAddress(text)).origin == origin)
    }

    @Test("malformed addresses are refused", arguments: [
        "http://example.com:99999/", "http://example.com:65536", "http://example.com:0/", "http://example.com:/", "http://example.com:12ab/",
        "http://user@example.com/", "http://a:b@example.com/", "ftp://example.com/", "javascript:alert(1)", "http://", "http:///x", "//example.com/x",
        "http://exa mple.com/", "http://example.com/\u{0}", "http://example.com\\@evil/", "http://[::1", "http://[zz::1]/", "http://.example.com/",
        "http://127.1/", "http://2130706433/", "http://0x7f.0.0.1/", "http://0177.0.0.1/",
    ])
    func refuses(text: String) {
        #expect(WebAddress(text) == nil, "\(text)")
        #expect(throws: ValidationError.self) { try Validate.url(text, field: "url") }
    }

    @Test("post links must be http(s)")
    func links() {
        #expect(WebAddress.link("https://weibo.com/1/2") == "https://weibo.com/1/2")
        #expect(WebAddress.link("javascript:alert(1)") == nil)
        #expect(WebAddress.link("data:text/html,x") == nil)
        #expect(WebAddress.link(nil) == nil)
    }

    @Test("only single-slash paths without tabs, line breaks or backslashes are local", arguments: [
        ("/content/1?x=2", true), ("/", true), ("//evil.example", false), ("/\\evil.example", false), ("/\t/evil.example", false),
        ("/\r\n/evil.example", false), ("https://evil.example", false), ("evil", false), ("/a\\b", false), ("", false),
    ])
    func localPaths(path: String, local: Bool) {
        #expect(LocalPath.isLocal(path) == local, "\(path.debugDescription)")
        #expect(LocalPath.safe(path) == (local ? path : "/"))
    }

    @Test("a post URL must be on the post's platform (subdomains count, look-alikes do not)")
    func platformHosts() {
        #expect(Platform.xiaohongshu.ownsPostHost("www.xiaohongshu.com"))
        #expect(Platform.xiaohongshu.ownsPostHost("xhslink.com"))
        #expect(!Platform.xiaohongshu.ownsPostHost("douyin.com"))
        #expect(!Platform.xiaohongshu.ownsPostHost("evilxiaohongshu.com"))
        #expect(!Platform.xiaohongshu.ownsPostHost("xiaohongshu.com.evil.example"))
        #expect(Platform.mastodon.ownsPostHost("any.social"))
        #expect(Platform.allCases.filter { $0 != .mastodon && $0 != .webhook }.allSatisfy { !$0.postHosts.isEmpty })
    }

    @Test("robot keys are found and masked in the address", arguments: [
        (ChannelKind.wecom, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"),
        (.dingtalk, "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123", "0123456789abcdef0123"),
        (.feishu, "https://open.feishu.cn/open-apis/bot/v2/hook/abc-def", "abc-def"),
        (.webhook, "https://hooks.example.com/services/T0000/B0000/XXXXXXXXXXXXXXXX1234", "XXXXXXXXXXXXXXXX1234"),
    ])
    func masking(kind: ChannelKind, url: String, key: String) {
        #expect(kind.credentials(in: url).contains(key))
        let masked = kind.maskedAddress(url)
        #expect(!masked.contains(key))
        #expect(masked.contains(String(key.prefix(4)) + "****"))
    }
}
