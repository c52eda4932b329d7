import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsApp
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsSandbox
import MediaOpsStore
import MediaOpsTestSupport
import Testing

@Suite("Notification channels")
struct NotificationChannelsTests {
    static let secret = "SEC-do-not-echo-1234"

    @Test("API: create, list, update, test, deliveries and delete; the secret never comes back", arguments: TestDatabase.available)
    func api(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let body = #"{"name":"运营值班群","kind":"dingtalk","url":"http://127.0.0.1:9/robot/send?access_token=abc123def456","secret":"\#(Self.secret)","events":["target.failed","token.expiring"]}"#
            // A loopback robot is refused when saved, beside its field…
            let refused = try await app.api(.post, "/api/v1/notification-channels", token: app.ownerToken, json: body)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorCode == "private_address")
            #expect(refused.errorField == "url")
            // …and again when dialled, for a channel saved while private addresses were allowed.
            let saved = try await NotificationChannelService(database: app.database, secrets: app.team.secrets).create(
                .init(name: "运营值班群", kind: "dingtalk", url: "http://127.0.0.1:9/robot/send?access_token=abc123def456", secret: Self.secret,
                      events: ["target.failed", "token.expiring"]), by: app.ownerPrincipal)
            let created = try await app.api(.get, "/api/v1/notification-channels/\(saved.id)", token: app.ownerToken)
            #expect(created.status == .ok)
            #expect(!created.text.contains(Self.secret))
            #expect(!created.text.contains("access_token=abc123def456"))
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["has_secret"] as? Bool == true)
            #expect(created.json["secret"] == nil)
            #expect(created.json["events"] as? [String] == ["target.failed", "token.expiring"])
            #expect(created.json["active"] as? Bool == true)
            #expect(created.json["kind"] as? String == "dingtalk")

            let list = try await app.api(.get, "/api/v1/notification-channels", token: app.ownerToken)
            #expect(list.status == .ok)
            #expect((list.json["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            #expect(!list.text.contains(Self.secret))

            let patched = try await app.api(.patch, "/api/v1/notification-channels/\(id)", token: app.ownerToken,
                                            json: #"{"name":"值班群","active":false,"events":["manual.due"]}"#)
            #expect(patched.status == .ok)
            #expect(patched.json["name"] as? String == "值班群")
            #expect(patched.json["active"] as? Bool == false)
            #expect(patched.json["events"] as? [String] == ["manual.due"])
            #expect(patched.json["has_secret"] as? Bool == true)
            #expect(!patched.text.contains(Self.secret))

            // Loopback is refused by the default policy: the test send fails without leaving the machine.
            let test = try await app.api(.post, "/api/v1/notification-channels/\(id)/test", token: app.ownerToken, json: "{}")
            #expect(test.status == .ok)
            #expect(test.json["delivered"] as? Bool == false)
            #expect(test.json["result"] as? String == "failed")
            #expect(test.json["reason"] as? String == "private_address")
            #expect(test.json["status"] is NSNull)
            #expect(!test.text.contains(Self.secret))
            let deliveries = try await app.api(.get, "/api/v1/notification-channels/\(id)/deliveries", token: app.ownerToken)
            let items = try #require(deliveries.json["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["event"] as? String == "token.expiring")
            #expect(items.first?["state"] as? String == "failed")
            #expect(items.first?["detail"] as? String == "private_address")

            let cleared = try await app.api(.patch, "/api/v1/notification-channels/\(id)", token: app.ownerToken, json: #"{"secret":null}"#)
            #expect(cleared.json["has_secret"] as? Bool == false)

            // The audit trail names the change but never the secret.
            let audit = try await app.api(.get, "/api/v1/audit-log?entity_type=notification_channel", token: app.ownerToken)
            #expect(audit.json["total"] as? Int == 3)
            #expect(!audit.text.contains(Self.secret))

            #expect(try await app.api(.delete, "/api/v1/notification-channels/\(id)", token: app.ownerToken).status == .noContent)
            #expect(try await app.api(.get, "/api/v1/notification-channels/\(id)", token: app.ownerToken).status == .notFound)
            #expect(try await app.api(.get, "/api/v1/notification-channels/nch_doesnotexist00/deliveries", token: app.ownerToken).status == .notFound)
        }
    }

    @Test("API: bad input is refused with 422 naming the field", arguments: TestDatabase.available)
    func validation(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let cases: [(String, String)] = [
                (#"{"kind":"wecom","url":"https://example.com/x","events":["target.failed"]}"#, "name"),
                (#"{"name":"x","kind":"slack","url":"https://example.com/x","events":["target.failed"]}"#, "kind"),
                (#"{"name":"x","kind":"wecom","url":"ftp://example.com/x","events":["target.failed"]}"#, "url"),
                (#"{"name":"x","kind":"wecom","events":["target.failed"]}"#, "url"),
                (#"{"name":"x","kind":"wecom","url":"https://example.com/x","events":[]}"#, "events"),
                (#"{"name":"x","kind":"wecom","url":"https://example.com/x","events":["content.deleted"]}"#, "events"),
                (#"{"name":"x","kind":"wecom","url":"https://example.com/x","events":"target.failed"}"#, "events"),
                (#"{"name":"x","kind":"wecom","url":"https://example.com/x","events":["target.failed"],"active":"yes"}"#, "active"),
            ]
            for (body, field) in cases {
                let response = try await app.api(.post, "/api/v1/notification-channels", token: app.ownerToken, json: body)
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(response.errorField == field, "\(body)")
            }
            let long = String(repeating: "群", count: 61)
            let tooLong = try await app.api(.post, "/api/v1/notification-channels", token: app.ownerToken,
                                            json: #"{"name":"\#(long)","kind":"wecom","url":"https://example.com/x","events":["target.failed"]}"#)
            #expect(tooLong.status == .unprocessableContent)
            #expect(tooLong.errorCode == "too_long")
            #expect(try await app.api(.get, "/api/v1/notification-channels", token: app.ownerToken).json["items"] as? [Any] != nil)
            // Only settings managers may see or change channels.
            let (_, viewer) = try await app.member(["viewer"])
            #expect(try await app.api(.get, "/api/v1/notification-channels", token: viewer).status == .forbidden)
        }
    }

    @Test("the page renders in Chinese and English with no missing text", arguments: AppLocale.allCases)
    func pages(locale: AppLocale) async throws {
        try await WebHarness.run(.sqlite) { app in
            let channels = NotificationChannelService(database: app.database, secrets: app.team.secrets)
            let channel = try await channels.create(.init(name: "运营值班群", kind: "wecom", url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=robot-key-123",
                                                          secret: Self.secret, events: ["target.failed", "target.published"]), by: app.ownerPrincipal)
            let now = Date()
            try await channels.record(NotificationDelivery(id: "ntd_page", channelID: channel.id, event: "target.failed", payload: "{}", state: .failed,
                                                           status: 200, detail: "invalid_key: errcode 93000", attempts: 1, createdAt: now, updatedAt: now))
            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: locale.rawValue), by: app.ownerPrincipal)
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            for uri in ["/settings/notifications", "/settings/notifications/\(channel.id)", "/settings"] {
                let page = try await session.get(uri)
                #expect(page.status == .ok, "\(uri)")
                let text = page.text
                if let range = text.range(of: #"(?<!code)>\s*[a-z]+\.[a-z_]+\.?[a-z_]*\s*<"#, options: .regularExpression) {
                    Issue.record("\(uri) shows a raw catalog key: \(text[range])")
                }
                #expect(text.contains(locale == .zhHans ? "通知渠道" : "Notification channels"), "\(uri)")
                #expect(!text.contains(Self.secret), "\(uri)")
            }
            let list = try await session.get("/settings/notifications")
            #expect(list.text.contains(locale == .zhHans ? "企业微信群机器人" : "WeCom group robot"))
            #expect(list.text.contains(locale == .zhHans ? "发布成功、发布失败" : "Published, Publishing failed"))
            // The robot key in the URL is masked in the list.
            #expect(!list.text.contains("robot-key-123"))
            let detail = try await session.get("/settings/notifications/\(channel.id)")
            #expect(detail.text.contains("invalid_key: errcode 93000"))
        }
    }

    @Test("forms: CSRF is enforced; create, edit, test send and delete work; the secret is never echoed")
    func forms() async throws {
        try await WebHarness.run(.sqlite) { app in
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let form: [(String, String)] = [("name", "值班群"), ("kind", "webhook"), ("url", "http://127.0.0.1:9/hook"), ("secret", Self.secret),
                                            ("events", "target.failed"), ("events", "manual.due"), ("active", "1")]
            let forged = try await session.post("/settings/notifications", form: form, csrf: false)
            #expect(forged.status == .forbidden)
            let channels = NotificationChannelService(database: app.database, secrets: app.team.secrets)
            #expect(try await channels.list().isEmpty)

            let publicForm = form.map { $0.0 == "url" ? ("url", "https://hooks.example.com/hook") : $0 }
            let invalid = try await session.post("/settings/notifications", form: publicForm.filter { $0.0 != "events" }, from: "/settings/notifications")
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.text.contains("请至少选择一个要推送的事件"))
            #expect(!invalid.text.contains(Self.secret))
            #expect(invalid.text.contains("value=\"https://hooks.example.com/hook\""))

            // A loopback address is refused on save, next to the field, with what the admin can do.
            let refusedPage = try await session.post("/settings/notifications", form: form, from: "/settings/notifications")
            #expect(refusedPage.status == .unprocessableContent)
            #expect(refusedPage.text.contains("MEDIAOPS_ALLOW_PRIVATE_ADDRESSES"))
            #expect(!refusedPage.text.contains(Self.secret))
            #expect(try await channels.list().isEmpty)

            // A public address is saved (nothing is dialled on save).
            let created = try await session.post("/settings/notifications", form: publicForm, from: "/settings/notifications")
            #expect(created.status == .seeOther)
            let page = try await session.follow(created)
            #expect(page.text.contains("通知渠道已添加"))
            #expect(!page.text.contains(Self.secret))
            let saved = try #require(try await channels.list().first)
            try await channels.delete(id: saved.id, by: app.ownerPrincipal)
            // The rest runs on a loopback channel saved while private addresses were allowed: the dial refuses it.
            _ = try await channels.create(.init(name: "值班群", kind: "webhook", url: "http://127.0.0.1:9/hook", secret: Self.secret,
                                               events: ["target.failed", "manual.due"], active: true), by: app.ownerPrincipal)
            let channel = try #require(try await channels.list().first)
            #expect(channel.events == [.targetFailed, .manualDue])
            #expect(channel.hasSecret && channel.active && channel.kind == .webhook)

            // Edit: a blank secret keeps it; unticking "active" pauses the channel.
            let edited = try await session.post("/settings/notifications/\(channel.id)", form: [("name", "值班群二"), ("kind", "webhook"),
                                                ("url", "http://127.0.0.1:9/hook"), ("secret", ""), ("events", "target.failed")],
                                                from: "/settings/notifications/\(channel.id)")
            #expect(edited.status == .seeOther)
            let after = try #require(try await channels.find(id: channel.id))
            #expect(after.name == "值班群二" && !after.active && after.hasSecret && after.events == [.targetFailed])
            #expect(try await channels.secret(for: channel.id) == Self.secret)

            let forgedTest = try await session.post("/settings/notifications/\(channel.id)/test", form: [], csrf: false)
            #expect(forgedTest.status == .forbidden)
            let test = try await session.post("/settings/notifications/\(channel.id)/test", form: [], from: "/settings/notifications/\(channel.id)")
            #expect(test.status == .ok)
            #expect(test.text.contains("测试消息没有送达"))
            #expect(test.text.contains("private_address"))
            #expect(test.text.contains("MEDIAOPS_ALLOW_PRIVATE_ADDRESSES"))

            let forgedDelete = try await session.post("/settings/notifications/\(channel.id)/delete", form: [], csrf: false)
            #expect(forgedDelete.status == .forbidden)
            let deleted = try await session.post("/settings/notifications/\(channel.id)/delete", form: [], from: "/settings/notifications")
            #expect(deleted.status == .seeOther)
            #expect(try await channels.list().isEmpty)
        }
    }

    @Test("with private addresses allowed, a test send reaches the sandbox robot once")
    func testSendToSandbox() async throws {
        let sandbox = try await SandboxServer().start()
        defer { sandbox.stop() }
        try await WebHarness.run(.sqlite, configure: { $0.allowPrivateAddresses = true }) { app in
            let created = try await app.api(.post, "/api/v1/notification-channels", token: app.ownerToken,
                                            json: #"{"name":"飞书群","kind":"feishu","url":"\#(sandbox.url)/open-apis/bot/v2/hook/fs-1","secret":"sandbox-secret","events":["token.expiring"]}"#)
            let id = try #require(created.json["id"] as? String)
            let test = try await app.api(.post, "/api/v1/notification-channels/\(id)/test", token: app.ownerToken, json: "{}")
            #expect(test.json["delivered"] as? Bool == true)
            #expect(test.json["status"] as? Int == 200)
            let posts = await sandbox.state.posts(platform: "feishu")
            #expect(posts.count == 1)
            #expect(posts.first?.account == "fs-1")
            // The workspace speaks Chinese, so the robot does too.
            #expect(posts.first?.text.contains("【MediaOps】账号授权即将过期") == true)
            #expect(posts.first?.text.contains("示例账号") == true)
        }
    }

    @Test("the notify job handler delivers, retries, gives up and skips paused channels, logging each delivery", arguments: TestDatabase.available)
    func jobHandler(db: TestDatabase) async throws {
        let sandbox = try await SandboxServer().start()
        defer { sandbox.stop() }
        try await WebHarness.run(db) { app in
            let channels = NotificationChannelService(database: app.database, secrets: app.team.secrets)
            let owner = app.ownerPrincipal
            let good = try await channels.create(.init(name: "钉钉群", kind: "dingtalk", url: "\(sandbox.url)/robot/send?access_token=ding-9",
                                                       secret: "sandbox-secret", events: ["target.failed"]), by: owner)
            let broken = try await channels.create(.init(name: "坏钥匙", kind: "wecom", url: "\(sandbox.url)/cgi-bin/webhook/send?key=invalid",
                                                         events: ["target.failed"]), by: owner)
            let handler = NotificationJobHandler(channels: channels, http: HTTPTransport(timeout: 2, policy: OutboundPolicy(allowPrivate: true)))
            let queue = JobQueue(database: app.database)
            func run() async throws -> [String: JobResult] {
                var results: [String: JobResult] = [:]
                for job in try await queue.claim(owner: "w", limit: 10, lease: 30, kinds: [JobKind.notify]) {
                    results[try NotificationRouter.decode(job.payload).channelID] = try await handler.handle(job, worker: "w")
                }
                return results
            }

            let event = OutboundEvent(kind: .targetFailed, contentTitle: "冬季新品上市", accountName: "青禾茶饮官方微博", platform: "weibo", reason: "rejected 400")
            try await NotificationRouter(database: app.database).enqueue(event)
            let first = try await run()
            #expect(first[good.id] == .done)
            if case .dead(let reason) = first[broken.id] { #expect(reason.hasPrefix("invalid_key")) } else { Issue.record("\(String(describing: first[broken.id]))") }
            let posts = await sandbox.state.posts(platform: "dingtalk")
            #expect(posts.count == 1)
            #expect(posts.first?.text.contains("冬季新品上市") == true)
            #expect(try await channels.deliveries(channelID: good.id).map(\.state) == [.delivered])
            #expect(try await channels.deliveries(channelID: good.id).first?.status == 200)
            #expect(try await channels.deliveries(channelID: broken.id).first?.state == .failed)

            // A robot that asks us to slow down gets the message later.
            _ = try await channels.update(id: broken.id, .init(active: false), by: owner)
            await sandbox.state.add(Scenario(platform: "dingtalk", kind: .rateLimit))
            try await NotificationRouter(database: app.database).enqueue(OutboundEvent(kind: .targetFailed, contentTitle: "第二条"))
            let second = try await run()
            #expect(second.count == 1)
            #expect(second[good.id] == .retry(reason: "rate_limited: errcode 130101 send too fast, exceed 20 times per minute", after: 60))
            #expect(try await channels.deliveries(channelID: good.id).first?.state == .retrying)

            // A channel paused after the event was queued is skipped without sending.
            let paused = OutboundEvent(kind: .targetFailed, contentTitle: "第三条")
            try await NotificationRouter(database: app.database).enqueue(paused)
            _ = try await channels.update(id: good.id, .init(active: false), by: owner)
            #expect(try await run()[good.id] == .done)
            #expect(await sandbox.state.posts(platform: "dingtalk").count == 1)
        }
    }

    @Test("an alert that fires reaches the robots subscribed to alerts as a sentence with its numbers, in the workspace's language, and only them",
          arguments: TestDatabase.available)
    func alertReachesRobots(db: TestDatabase) async throws {
        let sandbox = try await SandboxServer().start()
        defer { sandbox.stop() }
        try await WebHarness.run(db) { app in
            let channels = NotificationChannelService(database: app.database, secrets: app.team.secrets)
            let owner = app.ownerPrincipal
            let subscribed = try await channels.create(.init(name: "数据群", kind: "dingtalk", url: "\(sandbox.url)/robot/send?access_token=ding-alerts",
                                                             secret: "sandbox-secret", events: ["alert.fired"]), by: owner)
            _ = try await channels.create(.init(name: "发布群", kind: "wecom", url: "\(sandbox.url)/cgi-bin/webhook/send?key=robot-key-1",
                                                events: ["target.failed"]), by: owner)
            let account = try await app.team.createAccount(.init(platform: "weibo", name: "青禾茶饮官方微博", handle: "qinghe-alerts"), by: owner)
            let day = LocalDate(year: 2026, month: 11, day: 30)
            _ = try await MetricService(database: app.database).recordDaily(accountID: account.id, day: day, values: [.followersNet: -612],
                                                                          provenance: MetricProvenance(source: .apiPull, capturedAt: Date()))
            let raised = try await AlertService(database: app.database).evaluate(accountIDs: [account.id], through: day)
            #expect(raised.count == 1)

            let handler = NotificationJobHandler(channels: channels, http: HTTPTransport(timeout: 2, policy: OutboundPolicy(allowPrivate: true)))
            let jobs = try await JobQueue(database: app.database).claim(owner: "w", limit: 10, lease: 30, kinds: [JobKind.notify])
            #expect(jobs.count == 1 && (try? NotificationRouter.decode(jobs[0].payload).channelID) == subscribed.id)
            for job in jobs { #expect(try await handler.handle(job, worker: "w") == .done) }
            let message = try #require(await sandbox.state.posts(platform: "dingtalk").first?.text)
            #expect(message.contains("数据预警") && message.contains("粉丝单日净减超过 500") && message.contains("青禾茶饮官方微博"), "\(message)")
            #expect(message.contains("11月30日") && message.contains("-612") && message.contains("低于预警线 -500"), "\(message)")
            #expect(!message.contains("alert:") && !message.contains("followers_net"), "no code reaches the group: \(message)")
            #expect(await sandbox.state.posts(platform: "wecom").isEmpty)
        }
    }
}

