import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
@testable import MediaOpsWeb
import NIOCore
import Testing

/// Alert rules and alerts through the API and the pages: a rule previewed
/// against the past fires exactly on the days past its line, is saved,
/// raises an alert that is acknowledged and resolved; bad input names its
/// field in the member's language; only `analytics.manage` changes anything.
@Suite("Analytics room: alert rules and alerts")
struct AlertWebTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// A 微博 account whose net followers were +40 a day for 30 days up to
    /// yesterday, except −501 ten days ago and −499 five days ago.
    static func seeded(_ app: WebHarness) async throws -> (account: Account, yesterday: LocalDate) {
        let account = try await app.team.createAccount(.init(platform: "weibo", name: "青禾官方微博", handle: "qinghetea"), by: app.ownerPrincipal)
        let yesterday = LocalDate(Date(), timeZone: zone).adding(days: -1)
        let metrics = MetricService(database: app.database)
        let provenance = MetricProvenance(source: .manual, capturedAt: Date())
        for back in 0..<30 {
            let value: Double = back == 10 ? -501 : (back == 5 ? -499 : 40)
            _ = try await metrics.recordDaily(accountID: account.id, day: yesterday.adding(days: -back), values: [.followersNet: value], provenance: provenance)
        }
        return (account, yesterday)
    }

    static var fallRule: [String: Any] { ["name": "单日掉粉", "kind": "threshold", "metric": "followers_net", "scope": "all_accounts", "comparison": "below", "bound": -500] }

    @Test("API: a rule previewed on the past fires on −501 and not on −499, is created, changed and deleted; refusals name the field",
          arguments: TestDatabase.available)
    func rulesThroughTheAPI(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let (account, yesterday) = try await Self.seeded(app)
            var previewBody = Self.fallRule
            previewBody["days"] = 30
            let preview = try await app.api(.post, "/api/v1/analytics/alert-rules/preview", token: app.ownerToken, json: Self.json(previewBody))
            #expect(preview.status == .ok, "\(preview.text)")
            #expect(preview.json["count"] as? Int == 1 && preview.json["through"] as? String == yesterday.description)
            let firing = try #require((preview.json["alerts"] as? [[String: Any]])?.first)
            #expect((firing["occasion"] as? [String: Any])?["day"] as? String == yesterday.adding(days: -10).description)
            #expect(firing["account_id"] as? String == account.id && (firing["sentence"] as? String)?.contains("-501") == true, "\(firing)")
            let perAccount = try #require((preview.json["accounts"] as? [[String: Any]])?.first)
            #expect(perAccount["judged"] as? Int == 30)

            // A line at −499 would also have fired on −499? No: comparisons are strict, −499 is not below −499.
            previewBody["bound"] = -498
            let wider = try await app.api(.post, "/api/v1/analytics/alert-rules/preview", token: app.ownerToken, json: Self.json(previewBody))
            #expect(wider.json["count"] as? Int == 2, "\(wider.text)")

            let created = try await app.api(.post, "/api/v1/analytics/alert-rules", token: app.ownerToken, json: Self.json(Self.fallRule))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["display_name"] as? String == "单日掉粉" && created.json["condition"] as? String == "低于 -500")

            let listed = try await app.api(.get, "/api/v1/analytics/alert-rules", token: app.ownerToken)
            let names = (listed.json["items"] as? [[String: Any]])?.compactMap { $0["display_name"] as? String } ?? []
            #expect(names.contains("粉丝单日净减超过 500") && names.contains("单日掉粉"), "\(names)")

            let changed = try await app.api(.patch, "/api/v1/analytics/alert-rules/\(id)", token: app.ownerToken, json: #"{"bound": -800, "cooldown_hours": 48}"#)
            #expect(changed.status == .ok && changed.json["bound"] as? Double == -800 && changed.json["cooldown_hours"] as? Int == 48, "\(changed.text)")
            #expect(changed.json["metric"] as? String == "followers_net", "what was not sent stays")

            // Switching kind takes the new kind's defaults for what was not sent.
            let relative = try await app.api(.patch, "/api/v1/analytics/alert-rules/\(id)", token: app.ownerToken,
                                             json: #"{"kind": "relative_to_baseline", "comparison": "below", "bound": -0.3}"#)
            #expect(relative.status == .ok && relative.json["window"] as? Int == 7 && relative.json["minimum_history"] as? Int == 5, "\(relative.text)")

            // A ready-made rule changed later is named in words in the audit log, not by its key.
            let preset = try #require((listed.json["items"] as? [[String: Any]])?.first { $0["preset"] as? String == "default_followers_drop" }?["id"] as? String)
            #expect(try await app.api(.patch, "/api/v1/analytics/alert-rules/\(preset)", token: app.ownerToken, json: #"{"bound": -800}"#).status == .ok)
            let audit = try await app.signIn(email: "owner@example.com", password: "owner-password").get("/settings/audit")
            #expect(audit.text.contains("粉丝单日净减预警") && !audit.text.contains("default_followers_drop"), "\(audit.text)")

            // Refusals name the field.
            let refusals: [(String, String, String)] = [
                (#"{"kind": "threshold", "metric": "followers_net", "bound": -500}"#, "name", "required"),
                (#"{"name": "x", "kind": "hourly", "metric": "followers_net"}"#, "kind", "alert_kind_invalid"),
                (#"{"name": "x", "metric": "followers_net", "bound": 1}"#, "kind", "alert_kind_required"),
                (#"{"name": "x", "kind": "threshold", "metric": "fans", "bound": 1}"#, "metric", "invalid_choice"),
                (#"{"name": "x", "kind": "threshold", "metric": "followers_net"}"#, "bound", "required"),
                (#"{"name": "x", "kind": "threshold", "metric": "engagement_rate", "bound": 5}"#, "bound", "out_of_range"),
                (#"{"name": "x", "kind": "threshold", "metric": "followers_net", "bound": -1, "scope": "account", "scope_id": "acc_missing000000"}"#, "scope", "unknown_account"),
                (#"{"name": "x", "kind": "threshold", "metric": "followers_net", "bound": -1, "scope": "account"}"#, "scope_id", "required"),
                (#"{"name": "x", "kind": "anomaly", "metric": "reads", "window": 2}"#, "window", "out_of_range"),
                (#"{"name": "x", "kind": "threshold", "metric": "followers_net", "bound": "low"}"#, "bound", "invalid_type"),
                // A setting the kind does not use must still be within its range when sent.
                (#"{"name": "x", "kind": "threshold", "metric": "followers_net", "bound": -500, "window": 2}"#, "window", "out_of_range"),
            ]
            for (body, field, code) in refusals {
                let refused = try await app.api(.post, "/api/v1/analytics/alert-rules", token: app.ownerToken, json: body)
                #expect(refused.status == .unprocessableContent && refused.errorField == field && refused.errorCode == code, "\(body) → \(refused.text)")
            }
            let badDays = try await app.api(.post, "/api/v1/analytics/alert-rules/preview", token: app.ownerToken,
                                            json: #"{"kind": "threshold", "metric": "followers_net", "bound": -500, "days": 0}"#)
            #expect(badDays.status == .unprocessableContent && badDays.errorField == "days", "\(badDays.text)")
            let future = try await app.api(.post, "/api/v1/analytics/alert-rules/preview", token: app.ownerToken,
                                           json: #"{"kind": "threshold", "metric": "followers_net", "bound": -500, "through": "2999-01-01"}"#)
            #expect(future.status == .unprocessableContent && future.errorField == "through" && future.errorCode == "date_in_future", "\(future.text)")

            // An account waiting to be reconnected still has its numbers judged.
            _ = try await app.team.updateAccount(id: account.id, .init(state: "reconnect_needed"), by: app.ownerPrincipal)
            let waiting = try await app.api(.post, "/api/v1/analytics/alert-rules/preview", token: app.ownerToken, json: Self.json(Self.fallRule))
            #expect(waiting.json["count"] as? Int == 1, "\(waiting.text)")

            // A viewer reads and previews but changes nothing.
            let (_, viewer) = try await app.member(["viewer"])
            #expect(try await app.api(.get, "/api/v1/analytics/alert-rules/\(id)", token: viewer).status == .ok)
            #expect(try await app.api(.post, "/api/v1/analytics/alert-rules/preview", token: viewer, json: Self.json(Self.fallRule)).status == .ok)
            #expect(try await app.api(.post, "/api/v1/analytics/alert-rules", token: viewer, json: Self.json(Self.fallRule)).status == .forbidden)
            #expect(try await app.api(.patch, "/api/v1/analytics/alert-rules/\(id)", token: viewer, json: #"{"enabled": false}"#).status == .forbidden)
            #expect(try await app.api(.delete, "/api/v1/analytics/alert-rules/\(id)", token: viewer).status == .forbidden)

            #expect(try await app.api(.delete, "/api/v1/analytics/alert-rules/\(id)", token: app.ownerToken).status == .noContent)
            #expect(try await app.api(.get, "/api/v1/analytics/alert-rules/\(id)", token: app.ownerToken).status == .notFound)
        }
    }

    @Test("API: an alert raised on new data is listed with its sentence, acknowledged then resolved once each, with its history",
          arguments: TestDatabase.available)
    func alertsThroughTheAPI(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let (account, yesterday) = try await Self.seeded(app)
            _ = try await MetricService(database: app.database).recordDaily(accountID: account.id, day: yesterday, values: [.followersNet: -612],
                                                                            provenance: MetricProvenance(source: .manual, capturedAt: Date()))
            let raised = try await AlertService(database: app.database).evaluate(accountIDs: [account.id], through: yesterday)
            #expect(raised.count == 1)

            let listed = try await app.api(.get, "/api/v1/analytics/alerts", token: app.ownerToken)
            #expect(listed.status == .ok && listed.json["total"] as? Int == 1, "\(listed.text)")
            let alert = try #require((listed.json["items"] as? [[String: Any]])?.first)
            let id = try #require(alert["id"] as? String)
            #expect(alert["state"] as? String == "open" && alert["account_name"] as? String == "青禾官方微博")
            #expect((alert["sentence"] as? String)?.contains("-612") == true && (alert["sentence"] as? String)?.contains("-500") == true, "\(alert)")
            #expect(alert["link"] as? String == "/analytics/accounts/\(account.id)?alert=\(id)" && alert["history"] is NSNull)

            let (_, viewer) = try await app.member(["viewer"])
            #expect(try await app.api(.post, "/api/v1/analytics/alerts/\(id)/acknowledge", token: viewer).status == .forbidden)

            let acknowledged = try await app.api(.post, "/api/v1/analytics/alerts/\(id)/acknowledge", token: app.ownerToken)
            #expect(acknowledged.status == .ok && acknowledged.json["state"] as? String == "acknowledged", "\(acknowledged.text)")
            #expect(try await app.api(.post, "/api/v1/analytics/alerts/\(id)/acknowledge", token: app.ownerToken).errorCode == "invalid_transition")
            let resolved = try await app.api(.post, "/api/v1/analytics/alerts/\(id)/resolve", token: app.ownerToken)
            let history = try #require(resolved.json["history"] as? [[String: Any]])
            #expect(history.map { $0["to"] as? String } == ["open", "acknowledged", "resolved"] && history.last?["member_name"] as? String == "林晓")

            #expect(try await app.api(.get, "/api/v1/analytics/alerts", token: app.ownerToken).json["total"] as? Int == 0, "resolved is not active")
            #expect(try await app.api(.get, "/api/v1/analytics/alerts?state=resolved&account_id=\(account.id)", token: app.ownerToken).json["total"] as? Int == 1)
            let bad = try await app.api(.get, "/api/v1/analytics/alerts?state=closed", token: app.ownerToken)
            #expect(bad.status == .unprocessableContent && bad.errorField == "state")
            #expect(try await app.api(.get, "/api/v1/analytics/alerts/alt_nothing", token: app.ownerToken).status == .notFound)
        }
    }

    @Test("pages: an analyst previews a rule in the form, fixes what the form names, saves it, and handles the alert; in Chinese and English",
          arguments: TestDatabase.available)
    func pages(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let (account, yesterday) = try await Self.seeded(app)
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")

            let rules = try await browser.get("/analytics/alert-rules")
            #expect(rules.status == .ok && rules.text.contains("粉丝单日净减超过 500") && rules.text.contains("转化环节流失率突增 20%"), "\(rules.text)")

            let form: [(String, String)] = [("name", "单日掉粉"), ("kind", "threshold"), ("scope", "account:\(account.id)"), ("metric", "followers_net"),
                                             ("comparison", "below"), ("bound", "－５００"), ("cooldown_hours", "24"), ("enabled", "on"), ("days", "30")]
            let preview = try await browser.post("/analytics/alert-rules", form: form + [("intent", "preview")], from: "/analytics/alert-rules/new")
            #expect(preview.status == .ok, "\(preview.text)")
            #expect(preview.text.contains("这条规则会触发 1 次") && preview.text.contains(yesterday.adding(days: -10).description.suffix(2)), "\(preview.text)")
            #expect(try await AlertService(database: app.database).rules().count == 2, "a preview saves nothing")

            // A percentage for a rate, a word for a number: each named beside its box.
            let refused = try await browser.post("/analytics/alert-rules", form: [("name", ""), ("kind", "threshold"), ("scope", "all_accounts"),
                                                                                  ("metric", "engagement_rate"), ("comparison", "below"), ("bound", "150"),
                                                                                  ("window", "七"), ("intent", "save")], from: "/analytics/alert-rules/new")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("请填写名称") && refused.text.contains("预警线必须在 0 到 100 之间") && refused.text.contains("回看范围必须是数字"), "\(refused.text)")

            let saved = try await browser.post("/analytics/alert-rules", form: form + [("intent", "save")], from: "/analytics/alert-rules/new")
            #expect(saved.status == .seeOther, "\(saved.text)")
            #expect(try await browser.follow(saved).text.contains("预警规则已创建"))
            let rule = try #require(try await AlertService(database: app.database).rules().first { $0.name == "单日掉粉" })
            #expect(rule.bound == -500 && rule.scope == .account(account.id))

            // A relative rule's bound is typed as a percentage and stored as a fraction.
            let relative = try await browser.post("/analytics/alert-rules", form: [("name", "阅读下滑"), ("kind", "relative_to_baseline"), ("scope", "all_accounts"),
                                                                                   ("metric", "consumption"), ("comparison", "below"), ("bound", "-30%"),
                                                                                   ("window", "14"), ("seasonality", "none"), ("minimum_history", "5"),
                                                                                   ("cooldown_hours", "24"), ("intent", "save")], from: "/analytics/alert-rules/new")
            #expect(relative.status == .seeOther, "\(relative.text)")
            let stored = try #require(try await AlertService(database: app.database).rules().first { $0.name == "阅读下滑" })
            #expect(stored.bound == -0.3 && stored.enabled == false, "an unticked box switches the rule off")
            #expect(try await browser.get("/analytics/alert-rules/\(stored.id)").text.contains("value=\"-30\""))
            // Switched on from the list, then deleted from its page.
            let switched = try await browser.post("/analytics/alert-rules/\(stored.id)/enabled", form: [("enabled", "true")], from: "/analytics/alert-rules")
            let switchedOn = try await AlertService(database: app.database).rule(id: stored.id)?.enabled
            #expect(switched.status == .seeOther && switchedOn == true)
            let removed = try await browser.post("/analytics/alert-rules/\(stored.id)/delete", form: [], from: "/analytics/alert-rules/\(stored.id)")
            let afterRemoval = try await browser.follow(removed)
            #expect(removed.status == .seeOther && afterRemoval.text.contains("预警规则已删除"))
            #expect(try await AlertService(database: app.database).rule(id: stored.id) == nil)

            // The alert: listed, opened, acknowledged from the list.
            _ = try await MetricService(database: app.database).recordDaily(accountID: account.id, day: yesterday, values: [.followersNet: -612],
                                                                            provenance: MetricProvenance(source: .manual, capturedAt: Date()))
            let alert = try #require(try await AlertService(database: app.database).evaluate(accountIDs: [account.id], through: yesterday).first)
            // The notification's link opens the account's chart with the alert on top.
            let chart = try await browser.get(AlertService.link(alertID: alert.id, accountID: account.id))
            #expect(chart.status == .ok && chart.text.contains("id=\"alert\"") && chart.text.contains("待处理的预警") && chart.text.contains("-612"), "\(chart.status) \(chart.text.prefix(300)) \(chart.text.contains("id=\"alert\"")) \(chart.text.contains("待处理的预警"))")
            let list = try await browser.get("/analytics/alerts")
            #expect(list.text.contains("-612") && list.text.contains("未确认"), "\(list.text)")
            let detail = try await browser.get("/analytics/alerts/\(alert.id)")
            #expect(detail.status == .ok && detail.text.contains("处理记录") && detail.text.contains("规则触发了这条预警"))
            let acknowledged = try await browser.post("/analytics/alerts/\(alert.id)/action", form: [("action", "acknowledge"), ("back", "/analytics/alerts?state=all")],
                                                      from: "/analytics/alerts")
            #expect(acknowledged.status == .seeOther && acknowledged.location == "/analytics/alerts?state=all")
            #expect(try await browser.follow(acknowledged).text.contains("预警已确认"))
            let again = try await browser.post("/analytics/alerts/\(alert.id)/action", form: [("action", "acknowledge")], from: "/analytics/alerts")
            #expect(again.status == .conflict && again.text.contains("当前状态下不能执行这个操作"))
            // A "back" address off the site is ignored.
            let offsite = try await browser.post("/analytics/alerts/\(alert.id)/action", form: [("action", "resolve"), ("back", "//evil.example/analytics/alerts")],
                                                 from: "/analytics/alerts")
            #expect(offsite.location == "/analytics/alerts/\(alert.id)")

            // English.
            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: "en"), by: app.ownerPrincipal)
            let english = try await browser.get("/analytics/alert-rules")
            #expect(english.text.contains("Followers fall by more than 500 in a day") && english.text.contains("below -500"), "\(english.text)")
            let englishPreview = try await browser.post("/analytics/alert-rules", form: form + [("intent", "preview")], from: "/analytics/alert-rules/new")
            #expect(englishPreview.text.contains("this rule would have fired 2 times"), "\(englishPreview.text)")
            let englishAlerts = try await browser.get("/analytics/alerts?state=all")
            #expect(englishAlerts.text.contains("Resolved") && englishAlerts.text.contains("-612"))

            // A viewer sees the rules but not the buttons that change them, and cannot post.
            let (viewer, _) = try await app.member(["viewer"], email: "viewer@example.com")
            _ = viewer
            let viewing = try await app.signIn(email: "viewer@example.com", password: "member-password")
            let viewed = try await viewing.get("/analytics/alert-rules")
            #expect(viewed.status == .ok && !viewed.text.contains("/analytics/alert-rules/new"))
            #expect(try await viewing.get("/analytics/alert-rules/new").status == .forbidden)
            #expect(try await viewing.post("/analytics/alerts/\(alert.id)/action", form: [("action", "resolve")], from: "/analytics/alerts").status == .forbidden)
        }
    }
}
