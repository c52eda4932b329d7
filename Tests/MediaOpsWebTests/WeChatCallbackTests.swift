import Foundation
import HTTPTypes
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import Testing

/// WeChat pushes PUBLISHJOBFINISH to /callbacks/wechat/{account}; only a push
/// signed with the account's callback token may settle a target.
@Suite("WeChat publish callback")
struct WeChatCallbackTests {
    @Test("a signed PUBLISHJOBFINISH publishes the waiting target; a forged one is refused", arguments: TestDatabase.available)
    func callback(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let owner = app.ownerPrincipal
            let account = try await app.team.createAccount(.init(platform: "wechat_oa", name: "服务号", handle: "gh_test", kind: "service",
                                                                 fields: ["app_id": "wx1234567890abcdef"],
                                                                 credentials: ["app_secret": "secret", "callback_token": "cb-token"]), by: owner)
            let content = ContentService(database: app.database)
            let item = try await content.create(.init(title: "冬至茶单", body: "<p>冬至喝什么茶。</p>"), by: owner)
            _ = try await content.review(id: item.id, action: .submit, comment: nil, expectedVersion: nil, by: owner)
            _ = try await content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: owner)
            let publishing = PublishingService(database: app.database)
            let target = try await publishing.schedule(contentID: item.id, accountIDs: [account.id], at: Date(), by: owner)[0]
            // As after freepublish/submit: publishing, waiting for WeChat with its publish_id.
            try await app.database.sql.raw("UPDATE publish_targets SET state = 'publishing', remote_id = '2247483647' WHERE id = \(bind: target.id)").run()
            let xml = """
                <xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[oA]]></FromUserName><CreateTime>1700000000</CreateTime>
                <MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>
                <PublishEventInfo><publish_id>2247483647</publish_id><publish_status>0</publish_status><article_id><![CDATA[art_1]]></article_id>
                <article_detail><count>1</count><item><idx>1</idx><article_url><![CDATA[https://mp.weixin.qq.com/s/abc]]></article_url></item></article_detail>
                </PublishEventInfo></xml>
                """
            let forged = try await app.api(.post, "/callbacks/wechat/\(account.id)?signature=0000&timestamp=1&nonce=2", token: nil, json: xml)
            #expect(forged.status == .forbidden)
            #expect(try await publishing.detail(id: target.id)?.target.state == .publishing)
            let signature = WeChatCallback.signature(token: "cb-token", timestamp: "1700000000", nonce: "n1")
            let echo = try await app.api(.get, "/callbacks/wechat/\(account.id)?signature=\(signature)&timestamp=1700000000&nonce=n1&echostr=hello", token: nil)
            #expect(echo.status == .ok)
            #expect(echo.text == "hello")
            let signed = try await app.api(.post, "/callbacks/wechat/\(account.id)?signature=\(signature)&timestamp=1700000000&nonce=n1", token: nil, json: xml)
            #expect(signed.status == .ok)
            #expect(signed.text == "success")
            let detail = try #require(try await publishing.detail(id: target.id))
            #expect(detail.target.state == .published)
            #expect(detail.target.externalURL == "https://mp.weixin.qq.com/s/abc")
            #expect(try await publishing.attempts(targetID: target.id).last?.kind == .callback)
        }
    }
}
