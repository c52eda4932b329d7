import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import MediaOpsWeb
import SQLKit
import Testing

/// Publishing through the API and the pages: scheduling approved content,
/// the queue, a target's page and attempt log, settling by hand, the freeze.
@Suite("Publishing through the API and pages")
struct PublishingWebTests {
    struct Fixture {
        var itemID: String
        var draftID: String
        var weiboID: String
        var xhsID: String
    }

    /// An approved item with weibo and 小红书 variants, a draft, and two active accounts.
    static func furnish(_ app: WebHarness) async throws -> Fixture {
        let owner = app.ownerPrincipal
        // Weibo with a token publishes through its API; 小红书 has none and is posted by hand.
        let weibo = try await app.team.createAccount(.init(platform: "weibo", name: "青禾茶饮官方微博", handle: "qinghetea",
                                                           credentials: ["access_token": "weibo-token"]), by: owner)
        let xhs = try await app.team.createAccount(.init(platform: "xiaohongshu", name: "青禾小茶馆", handle: "qinghe_xhs"), by: owner)
        let content = ContentService(database: app.database)
        let item = try await content.create(.init(title: "冬日桂花乌龙上新", body: "<p>桂花乌龙拿铁回归，冬日限定。</p>", tags: ["新品"]), by: owner)
        _ = try await content.addVariant(contentID: item.id, platform: .weibo, expectedVersion: nil, by: owner)
        _ = try await content.addVariant(contentID: item.id, platform: .xiaohongshu, expectedVersion: nil, by: owner)
        _ = try await content.updateVariant(contentID: item.id, platform: .xiaohongshu,
                                            .init(title: "冬天的第一杯桂花乌龙", body: "<p>小红书专属文案：桂花香气扑鼻。</p>", tags: ["冬日限定"]),
                                            expectedVersion: nil, by: owner)
        _ = try await content.review(id: item.id, action: .submit, comment: nil, expectedVersion: nil, by: owner)
        _ = try await content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: owner)
        let draft = try await content.create(.init(title: "还在写的草稿"), by: owner)
        return Fixture(itemID: item.id, draftID: draft.id, weiboID: weibo.id, xhsID: xhs.id)
    }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    /// A datetime-local value in the workspace zone (Asia/Shanghai in the harness).
    static func local(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.string(from: date)
    }

    /// Schedules the item on `accounts`; the ids of the new targets, in the order of `accounts`.
    static func schedule(_ app: WebHarness, _ fixture: Fixture, accounts: [String], in seconds: TimeInterval = 7_200) async throws -> [String] {
        let response = try await app.api(.post, "/api/v1/content/\(fixture.itemID)/targets", token: app.ownerToken, json: """
            {"account_ids":[\(accounts.map { "\"\($0)\"" }.joined(separator: ","))],"due_at":"\(iso(Date().addingTimeInterval(seconds)))"}
            """)
        #expect(response.status == .created, "\(response.text)")
        let targets = try #require(response.json["targets"] as? [[String: Any]])
        let byAccount = Dictionary(uniqueKeysWithValues: targets.compactMap { target in
            (target["account_id"] as? String).flatMap { account in (target["id"] as? String).map { (account, $0) } }
        })
        return accounts.compactMap { byAccount[$0] }
    }

    @Test("schedule through the API, then list, read, move and cancel", arguments: TestDatabase.available)
    func scheduleListMoveCancel(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let fixture = try await Self.furnish(app)
            let created = try await app.api(.post, "/api/v1/content/\(fixture.itemID)/targets", token: app.ownerToken, json: """
                {"account_ids":["\(fixture.weiboID)","\(fixture.xhsID)"],"due_at":"\(Self.iso(Date().addingTimeInterval(7_200)))","publish_now":false}
                """)
            #expect(created.status == .created)
            let targets = try #require(created.json["targets"] as? [[String: Any]])
            #expect(targets.count == 2)
            let xhsTarget = try #require(targets.first { $0["account_id"] as? String == fixture.xhsID })
            #expect(xhsTarget["mode"] as? String == "assisted")
            #expect(xhsTarget["state"] as? String == "scheduled")
            #expect(xhsTarget["attempts_count"] as? Int == 0)
            #expect(xhsTarget["external_url"] is NSNull)
            #expect(xhsTarget["failure_reason"] is NSNull)
            let weiboTarget = try #require(targets.first { $0["account_id"] as? String == fixture.weiboID })
            let id = try #require(weiboTarget["id"] as? String)

            let listed = try await app.api(.get, "/api/v1/content/\(fixture.itemID)/targets", token: app.ownerToken)
            #expect(listed.status == .ok)
            #expect(listed.json["summary"] as? String == "scheduled")
            #expect((listed.json["targets"] as? [Any])?.count == 2)

            let upcoming = try await app.api(.get, "/api/v1/targets?view=upcoming&per_page=1", token: app.ownerToken)
            #expect(upcoming.status == .ok)
            #expect(upcoming.json["total"] as? Int == 2)
            #expect(upcoming.json["per_page"] as? Int == 1)
            let first = try #require((upcoming.json["items"] as? [[String: Any]])?.first)
            #expect(first["content_title"] as? String == "冬日桂花乌龙上新")
            let manual = try await app.api(.get, "/api/v1/targets?view=manual", token: app.ownerToken)
            #expect(manual.json["total"] as? Int == 1)
            let badView = try await app.api(.get, "/api/v1/targets?view=later", token: app.ownerToken)
            #expect(badView.status == .unprocessableContent)
            #expect(badView.errorField == "view")

            let detail = try await app.api(.get, "/api/v1/targets/\(id)", token: app.ownerToken)
            #expect(detail.status == .ok)
            #expect(detail.json["content_title"] as? String == "冬日桂花乌龙上新")
            #expect(detail.json["account_name"] as? String == "青禾茶饮官方微博")
            #expect(detail.json["attempts"] as? [Any] != nil)
            #expect(detail.json["published_at"] is NSNull)
            #expect(detail.json["remote_id"] is NSNull)

            let later = Date().addingTimeInterval(86_400)
            let moved = try await app.api(.patch, "/api/v1/targets/\(id)", token: app.ownerToken, json: #"{"due_at":"\#(Self.iso(later))"}"#)
            #expect(moved.status == .ok)
            #expect(moved.json["due_at"] as? String == Self.iso(later))
            let past = try await app.api(.patch, "/api/v1/targets/\(id)", token: app.ownerToken, json: #"{"due_at":"2020-01-01T00:00:00Z"}"#)
            #expect(past.status == .unprocessableContent)
            #expect(past.errorField == "due_at")
            #expect(past.errorCode == "in_the_past")

            let cancelled = try await app.api(.post, "/api/v1/targets/\(id)/cancel", token: app.ownerToken)
            #expect(cancelled.status == .ok)
            #expect(cancelled.json["state"] as? String == "cancelled")
            let again = try await app.api(.post, "/api/v1/targets/\(id)/cancel", token: app.ownerToken)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "target_started")
            // The other account still holds a live target, so the item stays scheduled.
            let item = try await app.api(.get, "/api/v1/content/\(fixture.itemID)", token: app.ownerToken)
            #expect(item.json["state"] as? String == "scheduled")
            // A cancelled account can be scheduled again.
            #expect(try await Self.schedule(app, fixture, accounts: [fixture.weiboID]).count == 1)
        }
    }

    @Test("bad input is refused naming the field; unknown targets are 404; unapproved content is 409", arguments: TestDatabase.available)
    func refusals(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let fixture = try await Self.furnish(app)
            let uri = "/api/v1/content/\(fixture.itemID)/targets"
            let due = Self.iso(Date().addingTimeInterval(3_600))
            for (json, field, code) in [
                (#"{"due_at":"\#(due)"}"#, "account_ids", "required"),
                (#"{"account_ids":[],"due_at":"\#(due)"}"#, "account_ids", "required"),
                (#"{"account_ids":"\#(fixture.weiboID)","due_at":"\#(due)"}"#, "account_ids", "invalid_type"),
                (#"{"account_ids":["\#(fixture.weiboID)"]}"#, "due_at", "required"),
                (#"{"account_ids":["\#(fixture.weiboID)"],"due_at":"tomorrow at noon"}"#, "due_at", "invalid_date"),
                (#"{"account_ids":["\#(fixture.weiboID)"],"due_at":"2020-01-01T08:00:00+08:00"}"#, "due_at", "in_the_past"),
                (#"{"account_ids":["acc_doesnotexist"],"due_at":"\#(due)"}"#, "account_ids", "unknown_account"),
            ] {
                let response = try await app.api(.post, uri, token: app.ownerToken, json: json)
                #expect(response.status == .unprocessableContent, "\(json) → \(response.status)")
                #expect(response.errorField == field, "\(json)")
                #expect(response.errorCode == code, "\(json) → \(response.errorCode ?? "")")
                #expect(response.errorMessage?.isEmpty == false)
            }
            let draft = try await app.api(.post, "/api/v1/content/\(fixture.draftID)/targets", token: app.ownerToken,
                                          json: #"{"account_ids":["\#(fixture.weiboID)"],"publish_now":true}"#)
            #expect(draft.status == .conflict)
            #expect(draft.errorCode == "not_approved")
            #expect(draft.errorMessage == "只有审核通过的内容才能排期发布。")

            _ = try await Self.schedule(app, fixture, accounts: [fixture.weiboID])
            let twice = try await app.api(.post, uri, token: app.ownerToken, json: #"{"account_ids":["\#(fixture.weiboID)"],"due_at":"\#(due)"}"#)
            #expect(twice.status == .conflict)
            #expect(twice.errorCode == "already_scheduled")

            let unknown = Identifier.make("tgt")
            for (method, path, body) in [(HTTPRequest.Method.get, "/api/v1/targets/\(unknown)", nil as String?),
                                         (.patch, "/api/v1/targets/\(unknown)", #"{"due_at":"\#(due)"}"#),
                                         (.post, "/api/v1/targets/\(unknown)/cancel", nil),
                                         (.post, "/api/v1/targets/\(unknown)/confirm", #"{"published":false}"#),
                                         (.post, "/api/v1/content/\(Identifier.make("cnt"))/targets", #"{"account_ids":["x"],"publish_now":true}"#)] {
                let response = try await app.api(method, path, token: app.ownerToken, json: body)
                #expect(response.status == .notFound, "\(method) \(path)")
                #expect(response.errorCode == "not_found")
            }
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            #expect(try await session.get("/publishing/targets/\(unknown)").status == .notFound)
        }
    }

    @Test("a workspace in Europe/Berlin schedules across daylight-saving changes by its wall clock", arguments: TestDatabase.available)
    func daylightSaving(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            try await app.database.sql.raw("UPDATE workspace SET time_zone = 'Europe/Berlin'").run()
            let fixture = try await Self.furnish(app)
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let formatter = ISO8601DateFormatter()
            // 28 March 2027 the clocks jump from 02:00 to 03:00: 02:30 does not exist and means 03:30 CEST.
            // 31 October 2027 they fall back: 02:30 happens twice and means the first (CEST).
            // 10:00 on the day after each change is 10:00 in the new offset.
            for (wallClock, utc) in [("2027-03-28T02:30", "2027-03-28T01:30:00Z"), ("2027-03-29T10:00", "2027-03-29T08:00:00Z"),
                                     ("2027-10-31T02:30", "2027-10-31T00:30:00Z"), ("2027-11-01T10:00", "2027-11-01T09:00:00Z")] {
                let response = try await session.post("/content/\(fixture.itemID)/schedule", form: [("account_ids", fixture.weiboID), ("due_at", wallClock)],
                                                       from: "/content/\(fixture.itemID)")
                #expect(response.status == .found || response.status == .seeOther, "\(wallClock): \(response.status)")
                let targets = try #require(try await app.api(.get, "/api/v1/content/\(fixture.itemID)/targets", token: app.ownerToken).json["targets"] as? [[String: Any]])
                let live = try #require(targets.first { $0["state"] as? String == "scheduled" })
                #expect(live["due_at"] as? String == utc, "\(wallClock)")
                let id = try #require(live["id"] as? String)
                // The target page shows the wall-clock time back in the workspace zone.
                let page = try await session.get("/publishing/targets/\(id)")
                let expected = formatter.date(from: utc).map { date -> String in
                    let local = DateFormatter()
                    local.locale = Locale(identifier: "en_US_POSIX")
                    local.timeZone = TimeZone(identifier: "Europe/Berlin")
                    local.dateFormat = "HH:mm"
                    return local.string(from: date)
                } ?? ""
                #expect(page.text.contains(expected), "\(wallClock) should read \(expected)")
                #expect(try await app.api(.post, "/api/v1/targets/\(id)/cancel", token: app.ownerToken, json: "{}").status == .ok)
            }
        }
    }

    @Test("each account at its own best time: the adopted time or the platform's, on the chosen day, from the API and the editor's form", arguments: TestDatabase.available)
    func scheduleAtBestTime(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let fixture = try await Self.furnish(app)
            // The 微博 account adopted 20:00 from its numbers; 小红书 keeps its platform's 21:00.
            _ = try await app.team.updateAccount(id: fixture.weiboID, TeamService.AccountInput(bestTime: "20:00"), by: app.ownerPrincipal)
            let zone = TimeZone(identifier: "Asia/Shanghai")!
            let tomorrow = LocalDate(Date(), timeZone: zone).adding(days: 1)
            func utc(_ day: LocalDate, _ hour: Int) -> String {
                Self.iso(LocalDateTime(year: day.year, month: day.month, day: day.day, hour: hour, minute: 0).instant(in: zone)!)
            }
            let noon = LocalDateTime(year: tomorrow.year, month: tomorrow.month, day: tomorrow.day, hour: 12, minute: 0).instant(in: zone)!
            let created = try await app.api(.post, "/api/v1/content/\(fixture.itemID)/targets", token: app.ownerToken, json: """
                {"account_ids":["\(fixture.weiboID)","\(fixture.xhsID)"],"due_at":"\(Self.iso(noon))","at_best_time":true}
                """)
            #expect(created.status == .created, "\(created.text)")
            let targets = try #require(created.json["targets"] as? [[String: Any]])
            #expect(targets.first { $0["account_id"] as? String == fixture.weiboID }?["due_at"] as? String == utc(tomorrow, 20))
            #expect(targets.first { $0["account_id"] as? String == fixture.xhsID }?["due_at"] as? String == utc(tomorrow, 21))
            for target in targets {
                #expect(try await app.api(.post, "/api/v1/targets/\(target["id"] as? String ?? "")/cancel", token: app.ownerToken, json: "{}").status == .ok)
            }

            // Publishing now cannot also wait for a best time; a day already gone is refused.
            let both = try await app.api(.post, "/api/v1/content/\(fixture.itemID)/targets", token: app.ownerToken,
                                         json: #"{"account_ids":["\#(fixture.weiboID)"],"publish_now":true,"at_best_time":true}"#)
            #expect(both.status == .unprocessableContent && both.errorField == "at_best_time")
            let past = try await app.api(.post, "/api/v1/content/\(fixture.itemID)/targets", token: app.ownerToken, json: """
                {"account_ids":["\(fixture.weiboID)"],"due_at":"\(Self.iso(Date().addingTimeInterval(-3 * 86_400)))","at_best_time":true}
                """)
            #expect(past.status == .unprocessableContent && past.errorField == "due_at")

            // The editor's form: the accounts show their times, and the box sends each at its own.
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let editor = try await session.get("/content/\(fixture.itemID)")
            #expect(editor.text.contains("最佳 20:00") && editor.text.contains("最佳 21:00") && editor.text.contains("各账号按自己的最佳发布时间"))
            let posted = try await session.post("/content/\(fixture.itemID)/schedule",
                                                 form: [("account_ids", fixture.weiboID), ("due_at", Self.local(noon)), ("best_time", "1")],
                                                 from: "/content/\(fixture.itemID)")
            #expect(posted.status == .seeOther || posted.status == .found, "\(posted.status)")
            let listed = try #require(try await app.api(.get, "/api/v1/content/\(fixture.itemID)/targets", token: app.ownerToken).json["targets"] as? [[String: Any]])
            #expect(listed.first { $0["state"] as? String == "scheduled" }?["due_at"] as? String == utc(tomorrow, 20))
        }
    }

    @Test("a viewer reads the queue but every publishing change is 403", arguments: TestDatabase.available)
    func viewerIsRefused(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let fixture = try await Self.furnish(app)
            let id = try #require(try await Self.schedule(app, fixture, accounts: [fixture.weiboID]).first)
            let (_, viewer) = try await app.member(["viewer"])
            #expect(try await app.api(.get, "/api/v1/targets?view=upcoming", token: viewer).status == .ok)
            #expect(try await app.api(.get, "/api/v1/targets/\(id)", token: viewer).status == .ok)
            #expect(try await app.api(.get, "/api/v1/publishing/freeze", token: viewer).status == .ok)
            let due = Self.iso(Date().addingTimeInterval(3_600))
            for (method, uri, body) in [
                (HTTPRequest.Method.post, "/api/v1/content/\(fixture.itemID)/targets", #"{"account_ids":["\#(fixture.xhsID)"],"due_at":"\#(due)"}"#),
                (.patch, "/api/v1/targets/\(id)", #"{"due_at":"\#(due)"}"#),
                (.post, "/api/v1/targets/\(id)/cancel", "{}"),
                (.post, "/api/v1/targets/\(id)/confirm", #"{"published":true,"url":"https://weibo.com/1/abc"}"#),
                (.post, "/api/v1/publishing/freeze", #"{"reason":"停一下"}"#),
                (.post, "/api/v1/publishing/resume", #"{"mode":"publish_in_order"}"#),
            ] {
                let response = try await app.api(method, uri, token: viewer, json: body)
                #expect(response.status == .forbidden, "\(method) \(uri)")
                #expect(response.errorCode == "forbidden")
            }
            // A publisher without settings.manage may publish but not freeze.
            let (_, channel) = try await app.member(["channel"])
            #expect(try await app.api(.post, "/api/v1/targets/\(id)/cancel", token: channel).status == .ok)
            #expect(try await app.api(.post, "/api/v1/publishing/freeze", token: channel, json: #"{"reason":"x"}"#).status == .forbidden)
        }
    }

    @Test("freeze and resume through the API", arguments: TestDatabase.available)
    func freezeAndResume(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let initial = try await app.api(.get, "/api/v1/publishing/freeze", token: app.ownerToken)
            #expect(initial.json["frozen"] as? Bool == false)
            #expect(initial.json["reason"] is NSNull)
            #expect(initial.json["since"] is NSNull)
            #expect(initial.json["waiting"] as? Int == 0)

            let empty = try await app.api(.post, "/api/v1/publishing/freeze", token: app.ownerToken, json: #"{"reason":"  "}"#)
            #expect(empty.status == .unprocessableContent)
            #expect(empty.errorField == "reason")
            let long = try await app.api(.post, "/api/v1/publishing/freeze", token: app.ownerToken,
                                         json: #"{"reason":"\#(String(repeating: "长", count: 201))"}"#)
            #expect(long.errorCode == "too_long")

            let frozen = try await app.api(.post, "/api/v1/publishing/freeze", token: app.ownerToken, json: #"{"reason":"突发舆情，暂停发布"}"#)
            #expect(frozen.status == .ok)
            #expect(frozen.json["frozen"] as? Bool == true)
            #expect(frozen.json["by"] as? String == "林晓")
            #expect(frozen.json["since"] is String)
            let state = try await app.api(.get, "/api/v1/publishing/freeze", token: app.ownerToken)
            #expect(state.json["reason"] as? String == "突发舆情，暂停发布")
            // Every page says publishing is paused, not only the publishing page.
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            for path in ["/", "/content", "/calendar", "/accounts"] {
                let page = try await session.get(path)
                #expect(page.text.contains("freeze-strip") && page.text.contains("突发舆情，暂停发布"), "\(path)")
            }
            let twice = try await app.api(.post, "/api/v1/publishing/freeze", token: app.ownerToken, json: #"{"reason":"again"}"#)
            #expect(twice.status == .conflict)
            #expect(twice.errorCode == "already_frozen")

            for (json, field, code) in [("{}", "mode", "required"), (#"{"mode":"later"}"#, "mode", "invalid_choice"),
                                        (#"{"mode":"reschedule"}"#, "at", "required"),
                                        (#"{"mode":"reschedule","at":"yesterday"}"#, "at", "invalid_date"),
                                        (#"{"mode":"reschedule","at":"2020-01-01T00:00:00Z"}"#, "at", "in_the_past")] {
                let response = try await app.api(.post, "/api/v1/publishing/resume", token: app.ownerToken, json: json)
                #expect(response.status == .unprocessableContent, "\(json)")
                #expect(response.errorField == field, "\(json)")
                #expect(response.errorCode == code, "\(json)")
            }
            let resumed = try await app.api(.post, "/api/v1/publishing/resume", token: app.ownerToken,
                                            json: #"{"mode":"reschedule","at":"\#(Self.iso(Date().addingTimeInterval(3_600)))"}"#)
            #expect(resumed.status == .ok)
            #expect(resumed.json["frozen"] as? Bool == false)
            #expect(resumed.json["released"] as? Int == 0)
            let notFrozen = try await app.api(.post, "/api/v1/publishing/resume", token: app.ownerToken, json: #"{"mode":"publish_in_order"}"#)
            #expect(notFrozen.status == .conflict)
            #expect(notFrozen.errorCode == "not_frozen")
        }
    }

    @Test("an unconfirmed target is confirmed published with its URL; a failed one is published again", arguments: TestDatabase.available)
    func confirm(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let fixture = try await Self.furnish(app)
            let ids = try await Self.schedule(app, fixture, accounts: [fixture.weiboID, fixture.xhsID])
            let now = Date().epochMilliseconds
            // What the engine leaves behind when a request went out and no answer came.
            try await app.database.sql.raw("""
                UPDATE publish_targets SET state = 'unconfirmed', failure_reason = 'needs_human: platform_never_answered',
                unconfirmed_since = \(bind: now), attempts = 1 WHERE id = \(bind: ids[0])
                """).run()
            let exchanges = #"[{"method":"POST","url":"https://api.weibo.com/2/statuses/share.json?access_token=***","status":null,"request":"status=冬日","response":"","error":"timeout","milliseconds":30000}]"#
            try await app.database.sql.raw("""
                INSERT INTO publish_attempts (id, target_id, kind, worker, started_at, finished_at, outcome, detail, exchanges)
                VALUES (\(bind: Identifier.makeOrdered("att")), \(bind: ids[0]), 'publish', 'worker-1', \(bind: now - 31_000), \(bind: now - 1_000),
                'unconfirmed', 'no_answer: timeout', \(bind: exchanges))
                """).run()

            let detail = try await app.api(.get, "/api/v1/targets/\(ids[0])", token: app.ownerToken)
            #expect(detail.json["state"] as? String == "unconfirmed")
            #expect(detail.json["unconfirmed_since"] is String)
            let attempts = try #require(detail.json["attempts"] as? [[String: Any]])
            #expect(attempts.count == 1)
            let exchange = try #require((attempts[0]["exchanges"] as? [[String: Any]])?.first)
            #expect(exchange["method"] as? String == "POST")
            #expect(exchange["status"] is NSNull)
            #expect(exchange["error"] as? String == "timeout")
            #expect(exchange["milliseconds"] as? Int == 30_000)

            // The page explains it, shows the exchange, and offers both answers.
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let page = try await session.get("/publishing/targets/\(ids[0])")
            #expect(page.status == .ok)
            #expect(page.text.contains("需要人工确认：平台一直没有回应"))
            #expect(page.text.contains("api.weibo.com/2/statuses/share.json"))
            #expect(page.text.contains("已确认发布"))
            #expect(page.text.contains("未发布，重新发布"))
            let queue = try await session.get("/publishing?view=unconfirmed")
            #expect(queue.text.contains("冬日桂花乌龙上新"))

            let badURL = try await app.api(.post, "/api/v1/targets/\(ids[0])/confirm", token: app.ownerToken, json: #"{"published":true,"url":"weibo post"}"#)
            #expect(badURL.status == .unprocessableContent)
            #expect(badURL.errorField == "url")
            #expect(try await app.api(.post, "/api/v1/targets/\(ids[0])/confirm", token: app.ownerToken, json: "{}").errorField == "published")
            let badPage = try await session.post("/publishing/targets/\(ids[0])/confirm", form: [("published", "1"), ("url", "not a link")],
                                                 from: "/publishing/targets/\(ids[0])")
            #expect(badPage.status == .unprocessableContent)
            #expect(badPage.text.contains("需要是以 http:// 或 https:// 开头的完整网址"))
            #expect(badPage.text.contains("value=\"not a link\""))

            let confirmed = try await session.post("/publishing/targets/\(ids[0])/confirm", form: [("published", "1"), ("url", "https://weibo.com/7000/PqRsT")],
                                                   from: "/publishing/targets/\(ids[0])")
            #expect(confirmed.status == .seeOther)
            #expect(confirmed.location == "/publishing/targets/\(ids[0])")
            #expect(try await session.follow(confirmed).text.contains("已确认发布。"))
            let published = try await app.api(.get, "/api/v1/targets/\(ids[0])", token: app.ownerToken)
            #expect(published.json["state"] as? String == "published")
            #expect(published.json["external_url"] as? String == "https://weibo.com/7000/PqRsT")
            #expect(published.json["published_at"] is String)
            #expect((published.json["attempts"] as? [Any])?.count == 2)
            let again = try await app.api(.post, "/api/v1/targets/\(ids[0])/confirm", token: app.ownerToken, json: #"{"published":false}"#)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "target_not_open")

            // A failed target: the reason in plain words, and "publish again" schedules it anew.
            try await app.database.sql.raw("""
                UPDATE publish_targets SET state = 'failed', failure_reason = 'retries_exhausted: rate_limited: HTTP 429' WHERE id = \(bind: ids[1])
                """).run()
            let failed = try await session.get("/publishing?view=failed")
            #expect(failed.text.contains("多次重试后仍未成功：平台限制了发布频率。"))
            let retryAt = Date().addingTimeInterval(1_800)
            let retried = try await session.post("/publishing/targets/\(ids[1])/confirm", form: [("published", "0"), ("retry_at", Self.local(retryAt))],
                                                 from: "/publishing/targets/\(ids[1])")
            #expect(retried.status == .seeOther)
            let requeued = try await app.api(.get, "/api/v1/targets/\(ids[1])", token: app.ownerToken)
            #expect(requeued.json["state"] as? String == "scheduled")
            #expect(requeued.json["failure_reason"] is NSNull)
        }
    }

    @Test("the queue, a target page and the item's publishing section render in both languages", arguments: AppLocale.allCases)
    func pages(locale: AppLocale) async throws {
        try await WebHarness.run(.sqlite) { app in
            let fixture = try await Self.furnish(app)
            let ids = try await Self.schedule(app, fixture, accounts: [fixture.weiboID, fixture.xhsID], in: 600)
            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: locale.rawValue), by: app.ownerPrincipal)
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let zh = locale == .zhHans
            var uris = ["/publishing", "/content/\(fixture.itemID)"] + ids.map { "/publishing/targets/\($0)" }
            uris += QueueView.allCases.map { "/publishing?view=\($0.rawValue)" }
            for uri in uris {
                let page = try await session.get(uri)
                #expect(page.status == .ok, "\(uri)")
                let text = page.text
                // The queue's shelves depend on the hour (today may already be over); the item and target pages never do.
                #expect(text.contains("冬日桂花乌龙上新") || uri.hasPrefix("/publishing?") || uri == "/publishing", "\(uri)")
                if let range = text.range(of: #"(?<!code)>\s*[a-z]+\.[a-z_]+\.?[a-z_]*\s*<"#, options: .regularExpression) {
                    Issue.record("\(uri) shows a raw catalog key: \(text[range])")
                }
                #expect(!text.contains("{count}") && !text.contains("{reason}"), "\(uri)")
                #expect(text.contains("href=\"/publishing\""), "nav link on \(uri)")
            }
            let queue = try await session.get("/publishing?view=upcoming")
            #expect(queue.text.contains(zh ? "即将发布" : "Upcoming"))
            #expect(queue.text.contains(zh ? "暂停全部发布" : "Pause all publishing"))
            #expect(queue.text.contains("/content/\(fixture.itemID)"))
            let empty = try await session.get("/publishing?view=failed")
            #expect(empty.text.contains(zh ? "没有发布失败的内容。" : "No failed publications."))
            #expect(try await session.get("/publishing?view=someday").status == .unprocessableContent)

            // The assisted target carries a publish card with the 小红书 copy and the checklist.
            let card = try await session.get("/publishing/targets/\(ids[1])")
            #expect(card.text.contains(zh ? "发布卡片" : "Publish card"))
            #expect(card.text.contains("冬天的第一杯桂花乌龙"))
            #expect(card.text.contains("小红书专属文案：桂花香气扑鼻。"))
            #expect(card.text.contains("#冬日限定"))
            #expect(card.text.contains(zh ? "粘贴作品链接" : "Paste the post&#39;s link") || card.text.contains("Paste the post's link"))
            #expect(card.text.contains("data-copy=\"card-text\""))

            let editor = try await session.get("/content/\(fixture.itemID)")
            #expect(editor.text.contains("id=\"publishing\""))
            #expect(editor.text.contains(zh ? "立即发布" : "Publish now"))
            #expect(editor.text.contains("/publishing/targets/\(ids[0])"))
        }
    }

    @Test("the forms: schedule from the item page, move, cancel, freeze and resume, with refusals shown by the field")
    func forms() async throws {
        try await WebHarness.run(.sqlite) { app in
            let fixture = try await Self.furnish(app)
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let editor = "/content/\(fixture.itemID)"

            let none = try await session.post("\(editor)/schedule", form: [("due_at", Self.local(Date().addingTimeInterval(3_600)))], from: editor)
            #expect(none.status == .unprocessableContent)
            #expect(none.text.contains("请填写发布账号。"))
            let past = try await session.post("\(editor)/schedule", form: [("account_ids", fixture.weiboID), ("due_at", "2020-01-01T08:00")], from: editor)
            #expect(past.status == .unprocessableContent)
            #expect(past.text.contains("发布时间不能早于现在。"))
            #expect(past.text.contains("value=\"\(fixture.weiboID)\" checked"))
            let draft = try await session.post("/content/\(fixture.draftID)/schedule", form: [("account_ids", fixture.weiboID), ("publish_now", "1")],
                                               from: "/content/\(fixture.draftID)")
            #expect(draft.status == .conflict)
            #expect(draft.text.contains("只有审核通过的内容才能排期发布。"))

            let scheduled = try await session.post("\(editor)/schedule", form: [("account_ids", fixture.weiboID),
                                                                                ("due_at", Self.local(Date().addingTimeInterval(7_200)))], from: editor)
            #expect(scheduled.status == .seeOther)
            #expect(scheduled.location == "\(editor)#publishing")
            // Followed without the fragment, the way a browser asks for it.
            let flash = try #require(scheduled.cookie(named: "mediaops_flash"))
            let after = try await app.client.execute(uri: editor, method: .get, headers: [.cookie: "\(session.cookie); mediaops_flash=\(flash)"])
            #expect(after.text.contains("已排期。"))
            let targets = try await PublishingService(database: app.database).targets(contentID: fixture.itemID)
            #expect(targets.count == 1)
            let id = targets[0].id

            let badMove = try await session.post("/publishing/targets/\(id)/reschedule", form: [("due_at", "2020-01-01T08:00"), ("next", "/publishing?view=upcoming")],
                                                 from: "/publishing/targets/\(id)")
            #expect(badMove.status == .unprocessableContent)
            #expect(badMove.text.contains("发布时间不能早于现在。"))
            let later = Date().addingTimeInterval(86_400)
            let moved = try await session.post("/publishing/targets/\(id)/reschedule", form: [("due_at", Self.local(later)), ("next", "/publishing?view=upcoming")],
                                               from: "/publishing?view=upcoming")
            #expect(moved.status == .seeOther)
            #expect(moved.location == "/publishing?view=upcoming")
            let movedTarget = try #require(try await PublishingService(database: app.database).detail(id: id))
            #expect(Self.local(movedTarget.target.dueAt) == Self.local(later))

            let emptyFreeze = try await session.post("/publishing/freeze", form: [("reason", "")], from: "/publishing")
            #expect(emptyFreeze.status == .unprocessableContent)
            #expect(emptyFreeze.text.contains("请填写理由。"))
            let frozen = try await session.post("/publishing/freeze", form: [("reason", "品牌危机处理中")], from: "/publishing")
            #expect(frozen.status == .seeOther)
            let banner = try await session.follow(frozen)
            #expect(banner.text.contains("发布已暂停"))
            #expect(banner.text.contains("品牌危机处理中"))
            #expect(banner.text.contains("林晓"))
            #expect(!banner.text.contains("action=\"/publishing/freeze\""))
            #expect(try await session.get(editor).text.contains("工作区的发布已暂停"))
            let noTime = try await session.post("/publishing/resume", form: [("mode", "reschedule"), ("at", "")], from: "/publishing")
            #expect(noTime.status == .unprocessableContent)
            #expect(noTime.text.contains("请填写恢复后的发布时间。"))
            let resumed = try await session.post("/publishing/resume", form: [("mode", "publish_in_order")], from: "/publishing")
            #expect(resumed.status == .seeOther)
            #expect(try await session.follow(resumed).text.contains("已恢复发布。"))

            let cancelled = try await session.post("/publishing/targets/\(id)/cancel", form: [], from: "/publishing/targets/\(id)")
            #expect(cancelled.status == .seeOther)
            #expect(try await PublishingService(database: app.database).detail(id: id)?.target.state == .cancelled)
            let cancelAgain = try await session.post("/publishing/targets/\(id)/cancel", form: [], from: "/publishing/targets/\(id)")
            #expect(cancelAgain.status == .conflict)
            #expect(cancelAgain.text.contains("发布已经开始，不能再改期或取消。"))
        }
    }

    @Test("the audit log says what happened in the reader's words: labels, names and local times, not codes", arguments: TestDatabase.available)
    func auditLogInWords(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let fixture = try await Self.furnish(app)
            let id = try #require(try await Self.schedule(app, fixture, accounts: [fixture.weiboID]).first)
            #expect(try await app.api(.post, "/api/v1/targets/\(id)/cancel", token: app.ownerToken).status == .ok)
            #expect(try await app.api(.post, "/api/v1/publishing/freeze", token: app.ownerToken, json: #"{"reason":"品牌危机处理中"}"#).status == .ok)
            let (member, _) = try await app.member(["content"], email: "writer@example.com", name: "王雨桐")
            #expect(try await app.api(.patch, "/api/v1/members/\(member.id)", token: app.ownerToken, json: #"{"roles":["reviewer"]}"#).status == .ok)
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let zh = try await session.get("/settings/audit")
            #expect(zh.status == .ok)
            for words in ["发布目标", "发布控制", "已取消", "品牌危机处理中", "合规审核", "暂停发布"] { #expect(zh.text.contains(words), "missing \(words)") }
            // No stored codes, English sentences or UTC instants reach the page.
            for raw in ["cancelled", "scheduled →", "(set)", "audit.entity_", "freeze:", ">reviewer<", ">content<"] { #expect(!zh.text.contains(raw), "raw \(raw)") }
            #expect(zh.text.range(of: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"#, options: .regularExpression) == nil)
            _ = try await app.api(.patch, "/api/v1/me", token: app.ownerToken, json: #"{"locale":"en"}"#)
            let en = try await session.get("/settings/audit")
            for words in ["Publish target", "Publishing controls", "Cancelled"] { #expect(en.text.contains(words), "missing \(words)") }
        }
    }

    @Test("global search finds content by its text, members by pinyin and initials, and accounts", arguments: TestDatabase.available)
    func globalSearch(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            _ = try await Self.furnish(app)
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            // A word from the body only (not the title) finds the piece.
            let byText = try await session.get("/search?q=" + "冬日限定".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(byText.status == .ok)
            #expect(byText.text.contains("<h2>内容</h2>") && byText.text.contains("冬日桂花乌龙上新"))
            for query in ["linxiao", "lx"] {
                let people = try await session.get("/search?q=\(query)")
                #expect(people.text.contains("<h2>成员</h2>") && people.text.contains("林晓"), "\(query)")
            }
            let accounts = try await session.get("/search?q=qinghe")
            #expect(accounts.text.contains("<h2>账号</h2>"))
        }
    }

    @Test("every state, shelf and summary has its words in both catalogs", arguments: AppLocale.allCases)
    func catalogKeys(locale: AppLocale) throws {
        let catalogs = try Catalogs.bundled()
        var keys = TargetState.allCases.map { "publishing.state_\($0.rawValue)" } + QueueView.allCases.flatMap { ["publishing.tab_\($0.rawValue)", "publishing.empty_\($0.rawValue)"] }
        keys += ["none", "scheduled", "publishing", "published", "partially_published", "failed", "needs_attention"].map { "publishing.summary_\($0)" }
        keys += ["published", "accepted", "retrying", "failed", "unconfirmed", "handed_to_owner", "running"].map { "publishing.outcome_\($0)" }
        keys += AttemptKind.allCases.map { "publishing.attempt_\($0.rawValue)" }
        keys += PublishingRoute.allCases.map { "publishing.mode_\($0.rawValue)" }
        keys += ["in_the_past", "target_not_open", "already_frozen", "not_frozen", "not_approved", "account_unavailable", "already_scheduled",
                 "target_started", "unknown_account", "invalid_url"].map { "error.\($0)" }
        keys += ["account_ids", "due_at", "url", "at", "retry_at", "reason", "published", "mode"].map { "field.\($0)" }
        for key in keys { #expect(catalogs.string(key, locale) != nil, "\(locale.rawValue) lacks \(key)") }
    }
}
