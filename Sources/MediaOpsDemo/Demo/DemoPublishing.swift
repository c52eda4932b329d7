import Foundation
import MediaOpsApp
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsSandbox
import MediaOpsStore
import SQLKit

/// The demo's publishing plan against the imitation platforms: posts due in the
/// next few minutes on 公众号, the website webhook, Telegram and Mastodon (one
/// answer delayed past the timeout, so it goes unconfirmed and is reconciled),
/// an assisted post for 小红书 and 抖音, one post to a retired website that
/// refuses it (failure + robot message), and the scheduled items of the month
/// on their planned times.
enum DemoPublishing {
    static func load(components: AppComponents, sandbox: RunningSandbox, owner: Principal, now: Date = Date()) async throws {
        let db = components.database.sql
        let publishing = PublishingService(database: components.database)
        let accounts = try await AccountRepository(db).list(filter: AccountFilter(), page: PageRequest(page: 1, perPage: 200)).items
        func account(_ platform: Platform, _ handle: String? = nil) -> Account? {
            accounts.first { $0.platform == platform && (handle == nil || $0.handle == handle) && $0.state == .active }
        }
        // The website webhook and a retired site that now refuses deliveries.
        if let site = account(.webhook, "site-cms") {
            var fields = site.fields
            fields["url"] = sandbox.url + "/_sandbox/webhook/site-cms"
            try await db.raw("UPDATE accounts SET fields = \(bind: try String(decoding: JSONEncoder().encode(fields), as: UTF8.self)) WHERE id = \(bind: site.id)").run()
        }
        let legacy = Account(id: Identifier.make("acc"), platform: .webhook, name: "旧版官网（已下线）", handle: "legacy-site",
                             kind: nil, fields: ["url": sandbox.url + "/_sandbox/webhook/fail-legacy-site"], ownerID: owner.memberID, groupIDs: [],
                             state: .active, credentialKeys: ["signing_secret"], createdAt: now, updatedAt: now)
        try await AccountRepository(db).create(legacy, sealedCredentials: try components.secrets.seal(["signing_secret": "demo-legacy-secret"]))

        // Group robot: failures, unconfirmed posts, manual hand-overs and expiring tokens go to the team's WeCom group.
        try await db.raw("""
            INSERT INTO notification_channels (id, name, kind, url, sealed_secret, events, active, created_at, updated_at)
            VALUES (\(bind: Identifier.make("chn")), '运营群机器人', 'wecom', \(bind: sandbox.url + "/cgi-bin/webhook/send?key=demo-robot"), NULL,
            'target.failed,target.unconfirmed,manual.due,token.expiring,alert.fired,report.issued', \(bind: true), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds))
            """).run()

        // Token health: the Weibo authorisation has lapsed; X's runs out in five days.
        if let weibo = accounts.first(where: { $0.platform == .weibo }) {
            try await db.raw("UPDATE accounts SET token_expires_at = \(bind: now.addingTimeInterval(-2 * 86_400).epochMilliseconds) WHERE id = \(bind: weibo.id)").run()
        }
        if let x = account(.x) {
            try await db.raw("UPDATE accounts SET token_expires_at = \(bind: now.addingTimeInterval(5 * 86_400).epochMilliseconds) WHERE id = \(bind: x.id)").run()
        }

        let approved = try await db.raw("""
            SELECT id FROM content_items WHERE state = 'approved' AND is_template = \(bind: false) ORDER BY planned_at, id
            """).all().map { try $0.string("id") }
        let plan: [([Account?], TimeInterval)] = [
            ([account(.wechatOA, "gh_qinghe_fw"), account(.webhook, "site-cms"), account(.telegram)], 60),
            ([account(.mastodon), account(.x)], 90),
            ([account(.xiaohongshu), account(.douyin)], 120),
            ([legacy], 150),
        ]
        for (index, (targets, delay)) in plan.enumerated() where index < approved.count {
            let ids = targets.compactMap { $0?.id }
            guard !ids.isEmpty else { continue }
            _ = try await publishing.schedule(contentID: approved[index], accountIDs: ids, at: now.addingTimeInterval(delay), by: owner)
        }
        // Mastodon's first answer arrives after the publish timeout: the post goes unconfirmed, then is reconciled.
        await sandbox.state.add(Scenario(platform: "mastodon", kind: .slowAfterAccept, seconds: components.configuration.publishTimeout + 3, call: "statuses"))

        // The month's scheduled items go out on their planned time on their first platform.
        let scheduled = try await db.raw("""
            SELECT c.id, c.planned_at, v.platform FROM content_items c JOIN content_variants v ON v.content_id = c.id
            WHERE c.state = 'scheduled' AND c.planned_at > \(bind: now.epochMilliseconds) ORDER BY c.planned_at, c.id
            """).all()
        var done = Set<String>()
        for row in scheduled {
            let id = try row.string("id")
            guard !done.contains(id), let platform = Platform(rawValue: try row.string("platform")), let target = account(platform),
                  let planned = try row.optionalDate("planned_at") else { continue }
            done.insert(id)
            _ = try await publishing.schedule(contentID: id, accountIDs: [target.id], at: planned, by: owner)
        }
    }
}
