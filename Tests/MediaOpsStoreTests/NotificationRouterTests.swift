import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import Testing

@Suite("Notification channels and routing")
struct NotificationRouterTests {
    static let principal = Principal.commandLine

    @Test("an event is queued once for each active channel routed to it, and for no other", arguments: TestDatabase.available)
    func routing(db: TestDatabase) async throws {
        try await db.with { database in
            let channels = NotificationChannelService(database: database, secrets: SecretBox(keyMaterial: "router tests"))
            let failures = try await channels.create(.init(name: "值班群", kind: "wecom", url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a",
                                                           events: ["target.failed", "target.unconfirmed"]), by: Self.principal)
            let everything = try await channels.create(.init(name: "全部事件", kind: "webhook", url: "https://hooks.example.com/in", secret: "whsec",
                                                             events: OutboundEventKind.allCases.map(\.rawValue)), by: Self.principal)
            _ = try await channels.create(.init(name: "只看成功", kind: "dingtalk", url: "https://oapi.dingtalk.com/robot/send?access_token=b",
                                                events: ["target.published"]), by: Self.principal)
            _ = try await channels.create(.init(name: "已暂停", kind: "feishu", url: "https://open.feishu.cn/open-apis/bot/v2/hook/c",
                                                events: ["target.failed"], active: false), by: Self.principal)

            let router = NotificationRouter(database: database)
            let event = OutboundEvent(kind: .targetFailed, contentTitle: "新品上市", accountName: "微博", platform: "weibo", reason: "rejected")
            try await router.enqueue(event)
            // The same event again (a retried producer) adds nothing.
            try await router.enqueue(event)

            let jobs = try await JobQueue(database: database).claim(owner: "test", limit: 20, lease: 30, kinds: [JobKind.notify])
            let deliveries = try jobs.map { try NotificationRouter.decode($0.payload) }
            #expect(Set(deliveries.map(\.channelID)) == [failures.id, everything.id])
            #expect(deliveries.count == 2)
            // The payload carries the event (its instant to the millisecond).
            #expect(deliveries.allSatisfy { $0.event.id == event.id && $0.event.kind == .targetFailed && $0.event.contentTitle == "新品上市" })

            // A token warning goes only to the channel that takes every event.
            try await router.enqueue(OutboundEvent(kind: .tokenExpiring, accountName: "微博"))
            let more = try await JobQueue(database: database).claim(owner: "test", limit: 20, lease: 30, kinds: [JobKind.notify])
            #expect(try more.map { try NotificationRouter.decode($0.payload).channelID } == [everything.id])
        }
    }

    @Test("channels validate their input, keep the secret sealed and log deliveries", arguments: TestDatabase.available)
    func channels(db: TestDatabase) async throws {
        try await db.with { database in
            let channels = NotificationChannelService(database: database, secrets: SecretBox(keyMaterial: "router tests"))
            func refusal(_ input: NotificationChannelService.ChannelInput) async -> ValidationError? {
                do {
                    _ = try await channels.create(input, by: Self.principal)
                    return nil
                } catch let error as ValidationError {
                    return error
                } catch {
                    return nil
                }
            }
            let valid = NotificationChannelService.ChannelInput(name: "群", kind: "wecom", url: "https://example.com/x", events: ["target.failed"])
            var input = valid
            input.name = String(repeating: "名", count: 61)
            #expect(await refusal(input)?.field == "name")
            input = valid
            input.kind = "slack"
            #expect(await refusal(input)?.code == "invalid_choice")
            input = valid
            input.url = "ftp://example.com/x"
            #expect(await refusal(input)?.field == "url")
            input = valid
            input.url = "https://example.com/" + String(repeating: "a", count: 500)
            #expect(await refusal(input)?.code == "too_long")
            input = valid
            input.events = []
            #expect(await refusal(input)?.field == "events")
            input = valid
            input.events = ["target.deleted"]
            #expect(await refusal(input)?.field == "events")

            var secretInput = valid
            secretInput.secret = "SEC-very-secret"
            let channel = try await channels.create(secretInput, by: Self.principal)
            #expect(channel.hasSecret)
            #expect(try await channels.secret(for: channel.id) == "SEC-very-secret")
            let stored = try await database.sql.raw("SELECT sealed_secret FROM notification_channels").first()?.decode(column: "sealed_secret", as: String.self)
            #expect(stored?.contains("SEC-very-secret") == false)

            let kept = try await channels.update(id: channel.id, .init(name: "改名", active: false), by: Self.principal)
            #expect(kept.hasSecret && !kept.active && kept.name == "改名")
            let cleared = try await channels.update(id: channel.id, .init(secret: ""), by: Self.principal)
            #expect(!cleared.hasSecret)
            #expect(try await channels.secret(for: channel.id) == nil)
            let audit = try await AuditRepository(database.sql).list(filter: AuditFilter(entityType: "notification_channel"), page: PageRequest())
            #expect(audit.total == 3)
            #expect(!audit.items.contains { $0.changes.values.joined().joined().contains("SEC-very-secret") })

            let now = Date()
            var delivery = NotificationDelivery(id: "ntd_1", channelID: channel.id, event: "target.failed", payload: "{}", state: .retrying, status: 503,
                                                detail: "server_error: HTTP 503", attempts: 1, createdAt: now, updatedAt: now)
            try await channels.record(delivery)
            delivery.state = .delivered
            delivery.status = 200
            delivery.detail = nil
            delivery.attempts = 2
            try await channels.record(delivery)
            let log = try await channels.deliveries(channelID: channel.id)
            #expect(log.count == 1)
            #expect(log.first?.state == .delivered && log.first?.attempts == 2 && log.first?.status == 200 && log.first?.detail == nil)

            try await channels.delete(id: channel.id, by: Self.principal)
            #expect(try await channels.find(id: channel.id) == nil)
            #expect(try await channels.deliveries(channelID: channel.id).isEmpty)
        }
    }
}
