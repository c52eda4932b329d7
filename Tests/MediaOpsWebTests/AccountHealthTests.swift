import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import Testing

/// Token health: expiry per account, the 7-day warning with the posts at risk,
/// reconnect-needed when an authorisation lapses, and the page and API around it.
@Suite("Account health")
struct AccountHealthTests {
    @Test("posts due after an expiry are at risk; the daily check warns once and flags lapsed accounts", arguments: TestDatabase.available)
    func check(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let owner = app.ownerPrincipal
            let weibo = try await app.team.createAccount(.init(platform: "weibo", name: "官方微博", handle: "wb", ownerID: .some(app.owner.id), credentials: ["access_token": "t"]), by: owner)
            let x = try await app.team.createAccount(.init(platform: "x", name: "Global", handle: "gl", ownerID: .some(app.owner.id), credentials: ["access_token": "t"]), by: owner)
            let health = TokenHealthService(database: app.database)
            let now = Date()
            _ = try await health.setExpiry(accountID: weibo.id, expiresAt: now.addingTimeInterval(3 * 86_400), by: owner)
            _ = try await health.setExpiry(accountID: x.id, expiresAt: now.addingTimeInterval(-60), by: owner)
            let content = ContentService(database: app.database)
            let item = try await content.create(.init(title: "周年庆预告", body: "<p>周年庆。</p>"), by: owner)
            _ = try await content.review(id: item.id, action: .submit, comment: nil, expectedVersion: nil, by: owner)
            _ = try await content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: owner)
            let publishing = PublishingService(database: app.database)
            let before = try await publishing.schedule(contentID: item.id, accountIDs: [weibo.id], at: now.addingTimeInterval(86_400), by: owner)[0]
            let other = try await content.create(.init(title: "会员日", body: "<p>会员日。</p>"), by: owner)
            _ = try await content.review(id: other.id, action: .submit, comment: nil, expectedVersion: nil, by: owner)
            _ = try await content.review(id: other.id, action: .approve, comment: nil, expectedVersion: nil, by: owner)
            let after = try await publishing.schedule(contentID: other.id, accountIDs: [weibo.id], at: now.addingTimeInterval(5 * 86_400), by: owner)[0]

            let entries = try await health.health(now: now)
            let weiboHealth = try #require(entries.first { $0.account.id == weibo.id })
            #expect(weiboHealth.status == .expiring)
            #expect(weiboHealth.atRisk.map(\.target.id) == [after.id])
            #expect(!weiboHealth.atRisk.contains { $0.target.id == before.id })
            #expect(entries.first { $0.account.id == x.id }?.status == .expired)

            #expect(try await health.check(now: now) == (expired: 1, warned: 1))
            #expect(try await AccountRepository(app.database.sql).find(id: x.id)?.state == .reconnectNeeded)
            let notes = try await NotificationRepository(app.database.sql).list(userID: app.owner.id)
            #expect(notes.filter { $0.kind == "token_expiring" }.count == 2)
            // The same day again: nothing new is announced.
            _ = try await health.check(now: now.addingTimeInterval(60))
            #expect(try await NotificationRepository(app.database.sql).list(userID: app.owner.id).filter { $0.kind == "token_expiring" }.count == 2)
            // A renewed authorisation clears the reconnect flag and settles the warnings about it.
            _ = try await health.setExpiry(accountID: x.id, expiresAt: now.addingTimeInterval(60 * 86_400), by: owner)
            #expect(try await AccountRepository(app.database.sql).find(id: x.id)?.state == .active)
            let unread = try await NotificationRepository(app.database.sql).list(userID: app.owner.id, unreadOnly: true).filter { $0.kind == "token_expiring" }
            #expect(unread.map(\.link) == [TokenHealthService.healthLink(accountID: weibo.id)])
            // Entering a new token on the account settles the rest: no expiry is known for it any more.
            _ = try await app.team.updateAccount(id: weibo.id, .init(credentials: ["access_token": "renewed"]), by: owner)
            #expect(try await NotificationRepository(app.database.sql).list(userID: app.owner.id, unreadOnly: true).filter { $0.kind == "token_expiring" }.isEmpty)
            #expect(try await health.health(now: now).first { $0.account.id == weibo.id }?.status == .noExpiry)
        }
    }

    @Test("an account the API cannot publish for is not shown as fine, and scheduling hands its posts to a person", arguments: TestDatabase.available)
    func missingCredentials(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let owner = app.ownerPrincipal
            let bare = try await app.team.createAccount(.init(platform: "weibo", name: "新微博", handle: "wb_new"), by: owner)
            let douyin = try await app.team.createAccount(.init(platform: "douyin", name: "抖音号", handle: "dy", credentials: ["access_token": "t"]), by: owner)
            let ready = try await app.team.createAccount(.init(platform: "douyin", name: "企业抖音", handle: "dy2", fields: ["open_id": "open_1234567890"],
                                                               credentials: ["access_token": "t"]), by: owner)
            #expect(bare.publishingRoute == .assisted && douyin.publishingRoute == .assisted && ready.publishingRoute == .api)
            let entries = try await TokenHealthService(database: app.database).health()
            #expect(entries.first { $0.account.id == bare.id }?.status == .missingCredentials)
            let content = ContentService(database: app.database)
            let item = try await content.create(.init(title: "新品", body: "<p>新品。</p>"), by: owner)
            _ = try await content.review(id: item.id, action: .submit, comment: nil, expectedVersion: nil, by: owner)
            _ = try await content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: owner)
            let targets = try await PublishingService(database: app.database).schedule(contentID: item.id, accountIDs: [bare.id, douyin.id, ready.id],
                                                                                      at: Date().addingTimeInterval(3_600), by: owner)
            let modes = try await app.database.sql.raw("SELECT account_id, mode FROM publish_targets").all()
                .reduce(into: [String: String]()) { $0[try $1.decode(column: "account_id", as: String.self)] = try $1.decode(column: "mode", as: String.self) }
            #expect(targets.count == 3)
            #expect(modes == [bare.id: "assisted", douyin.id: "assisted", ready.id: "api"])
            // The matrix says the same as scheduling did.
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let matrix = try await session.get("/accounts")
            #expect(matrix.text.contains("人工发布（缺少Access Token）"))
            #expect(matrix.text.contains("人工发布（缺少OpenID）"))
            let health = try await session.get("/publishing/health")
            #expect(health.text.contains("缺少密钥"))
        }
    }

    @Test("the API and page set and show expiries; bad dates and unknown accounts are refused", arguments: TestDatabase.available)
    func web(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let account = try await app.team.createAccount(.init(platform: "weibo", name: "官方微博", handle: "wb", credentials: ["access_token": "t"]),
                                                           by: app.ownerPrincipal)
            let set = try await app.api(.patch, "/api/v1/accounts/\(account.id)/token-expiry", token: app.ownerToken, json: #"{"expires_at":"2031-01-01T00:00:00+08:00"}"#)
            #expect(set.status == .ok)
            #expect(set.json["token_expires_at"] as? String == "2030-12-31T16:00:00Z")
            #expect(set.json["status"] as? String == "ok")
            let bad = try await app.api(.patch, "/api/v1/accounts/\(account.id)/token-expiry", token: app.ownerToken, json: #"{"expires_at":"next spring"}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.errorField == "expires_at")
            let missing = try await app.api(.patch, "/api/v1/accounts/\(account.id)/token-expiry", token: app.ownerToken, json: "{}")
            #expect(missing.errorField == "expires_at")
            #expect(try await app.api(.patch, "/api/v1/accounts/acc_nothere/token-expiry", token: app.ownerToken, json: #"{"expires_at":null}"#).status == .notFound)
            let list = try #require(try await app.api(.get, "/api/v1/publishing/health", token: app.ownerToken).json["items"] as? [[String: Any]])
            #expect(list.first { $0["account_id"] as? String == account.id }?["status"] as? String == "ok")
            let (_, viewer) = try await app.member(["viewer"])
            #expect(try await app.api(.patch, "/api/v1/accounts/\(account.id)/token-expiry", token: viewer, json: #"{"expires_at":null}"#).status == .forbidden)

            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let page = try await session.get("/publishing/health")
            #expect(page.status == .ok)
            #expect(page.text.contains("官方微博"))
            #expect(page.text.contains("账号健康"))
            let refused = try await session.post("/publishing/health/\(account.id)", form: [("expires_on", "2031-02-30")], from: "/publishing/health")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("授权到期日"))
            let saved = try await session.post("/publishing/health/\(account.id)", form: [("expires_on", "")], from: "/publishing/health")
            #expect(saved.status == .found || saved.status == .seeOther)
            #expect(try await app.api(.get, "/api/v1/publishing/health", token: app.ownerToken).json["items"].flatMap { ($0 as? [[String: Any]])?.first }?["status"] as? String == "no_expiry")
            let english = try await session.post("/lang", form: [("locale", "en"), ("next", "/publishing/health")], from: "/publishing/health")
            #expect(english.status.code < 400)
            _ = try await app.api(.patch, "/api/v1/accounts/\(account.id)/token-expiry", token: app.ownerToken, json: #"{"expires_at":"\#(ISO8601DateFormatter().string(from: Date().addingTimeInterval(86_400)))"}"#)
            let en = try await session.get("/publishing/health")
            #expect(en.text.contains("Account health"))
            // Expiring with nothing scheduled: says so instead of an empty "at risk" list.
            #expect(en.text.contains("No scheduled posts are affected."))
            #expect(!en.text.contains("Scheduled posts at risk:"))
            #expect(!en.text.contains("账号健康"))
        }
    }
}
