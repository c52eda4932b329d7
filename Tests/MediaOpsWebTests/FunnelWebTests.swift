import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
@testable import MediaOpsWeb
import NIOCore
import SQLKit
import Testing

/// Funnels through the API and the pages: stages fed by a metric and by
/// imported leads and orders, conversion and drop-off against the period
/// before, files written whole or not at all and never twice, and the
/// ready-made drop-off rule firing on a funnel step.
@Suite("Analytics room: funnels")
struct FunnelWebTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static var body: [String: Any] {
        ["name": "私信转化", "scope": "all_accounts",
         "stages": [["name": "阅读", "source": "metric:reads"], ["name": "私信咨询", "source": "events"], ["name": "下单", "source": "events"]]]
    }

    /// Leads as a CSV: `count` rows on each of the given days.
    static func leads(_ days: [(LocalDate, Int)], account: String = "") -> [UInt8] {
        var text = "\u{FEFF}日期,账号,活动,金额\n"
        for (day, count) in days { for _ in 0..<count { text += "\(day),\(account),冬季新品,\n" } }
        return Array(text.utf8)
    }

    @Test("API: a funnel over reads, leads and orders: counts, conversions and drop-off against the period before; files all or nothing and never twice",
          arguments: TestDatabase.available)
    func apiFunnel(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let account = try await app.team.createAccount(.init(platform: "weibo", name: "青禾官方微博", handle: "gh_qinghe"), by: app.ownerPrincipal)
            let yesterday = LocalDate(Date(), timeZone: Self.zone).adding(days: -1)
            let metrics = MetricService(database: app.database)
            for back in 0..<14 {
                _ = try await metrics.recordDaily(accountID: account.id, day: yesterday.adding(days: -back), values: [.reads: 1_000],
                                                  provenance: MetricProvenance(source: .manual, capturedAt: Date()))
            }
            let created = try await app.api(.post, "/api/v1/analytics/funnels", token: app.ownerToken, json: Self.json(Self.body))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"] as? String)

            // 50 leads a day this week, 40 the week before; orders: 5 this week with money.
            let thisWeek = (0..<7).map { (yesterday.adding(days: -$0), 50) }, lastWeek = (7..<14).map { (yesterday.adding(days: -$0), 40) }
            let imported = try await app.post(.file(Self.leads(thisWeek + lastWeek, account: "gh_qinghe"), name: "线索.csv"),
                                              to: "/api/v1/analytics/funnels/\(id)/stages/2/events", token: app.ownerToken)
            #expect(imported.status == .ok && imported.json["added"] as? Int == 630 && imported.json["known"] as? Int == 0, "\(imported.text)")
            let again = try await app.post(.file(Self.leads(thisWeek + lastWeek, account: "gh_qinghe"), name: "线索.csv"),
                                           to: "/api/v1/analytics/funnels/\(id)/stages/2/events", token: app.ownerToken)
            #expect(again.json["added"] as? Int == 0 && again.json["known"] as? Int == 630, "the same file again adds nothing")
            let orders = Array("日期,金额,订单号\n\(yesterday),128.00,A1\n\(yesterday),¥9.9,A2\n\(yesterday.adding(days: -1)),58,A3\n\(yesterday.adding(days: -2)),58,A4\n\(yesterday.adding(days: -3)),58,A5\n".utf8)
            #expect(try await app.post(.file(orders, name: "订单.csv"), to: "/api/v1/analytics/funnels/\(id)/stages/3/events", token: app.ownerToken).json["added"] as? Int == 5)

            // A broken file: every row named, nothing written.
            let broken = Array("日期,账号,金额\n\(yesterday),gh_qinghe,10\n2026-02-30,,1\n\(yesterday),nobody,x\n".utf8)
            let refused = try await app.post(.file(broken, name: "坏.csv"), to: "/api/v1/analytics/funnels/\(id)/stages/3/events", token: app.ownerToken)
            #expect(refused.status == .unprocessableContent && refused.errorField == "file", "\(refused.text)")
            let errors = try #require((refused.json["error"] as? [String: Any])?["errors"] as? [[String: Any]])
            #expect(errors.map { $0["code"] as? String } == ["cell_not_a_date", "funnel_event_unknown_account", "cell_not_a_number"], "\(errors)")
            #expect((errors[0]["message"] as? String)?.contains("第 3 行的日期") == true, "\(errors)")
            #expect(try await app.post(.file(orders, name: "x.csv"), to: "/api/v1/analytics/funnels/\(id)/stages/1/events", token: app.ownerToken).errorCode == "funnel_stage_not_events")

            let report = try await app.api(.get, "/api/v1/analytics/funnels/\(id)?period=7d", token: app.ownerToken)
            #expect(report.status == .ok, "\(report.text)")
            let stages = try #require((report.json["report"] as? [String: Any])?["stages"] as? [[String: Any]])
            #expect(stages.map { $0["count"] as? Double } == [7_000, 350, 5] && stages.map { $0["previous_count"] as? Double } == [7_000, 280, 0])
            #expect(stages[0]["conversion"] as? Double == 0.05 && stages[0]["previous_conversion"] as? Double == 0.04)
            #expect(abs((stages[1]["drop_off"] as? Double ?? 0) - (1 - 5.0 / 350)) < 1e-12 && stages[2]["conversion"] is NSNull)
            #expect(abs((stages[2]["amount_fen"] as? Double ?? 0) - Double(12_800 + 990 + 3 * 5_800)) < 0.001)
            let byAccount = try #require((report.json["report"] as? [String: Any])?["accounts"] as? [[String: Any]])
            #expect((byAccount.first?["counts"] as? [Any])?.compactMap { $0 as? Double } == [7_000, 350, 0], "orders without an account count only in the total")

            // Refusals name the field; the viewer reads but changes nothing.
            let refusals: [(String, String, String)] = [
                (#"{"name": "x", "stages": [{"name": "阅读", "source": "metric:reads"}]}"#, "stages", "funnel_too_few_stages"),
                (#"{"name": "x", "stages": [{"name": "阅读", "source": "metric:reads"}, {"name": "阅读", "source": "events"}]}"#, "stages.2.name", "funnel_stage_duplicate"),
                (#"{"name": "x", "stages": [{"name": "阅读", "source": "metric:followers_total"}, {"name": "下单", "source": "events"}]}"#, "stages.1.source", "funnel_stage_metric_invalid"),
                (#"{"name": "", "stages": [{"name": "阅读", "source": "metric:reads"}, {"name": "下单", "source": "events"}]}"#, "name", "required"),
                (#"{"name": "x", "scope": "group", "scope_id": "grp_missing00000", "stages": [{"name": "a", "source": "events"}, {"name": "b", "source": "events"}]}"#, "scope", "unknown_group"),
            ]
            for (body, field, code) in refusals {
                let response = try await app.api(.post, "/api/v1/analytics/funnels", token: app.ownerToken, json: body)
                #expect(response.status == .unprocessableContent && response.errorField == field && response.errorCode == code, "\(body) → \(response.text)")
            }
            let duplicate = try await app.api(.post, "/api/v1/analytics/funnels", token: app.ownerToken, json: refusals[1].0)
            #expect(duplicate.errorMessage?.contains("第 2 步的名称") == true, "\(duplicate.text)")
            let (_, viewer) = try await app.member(["viewer"])
            #expect(try await app.api(.get, "/api/v1/analytics/funnels/\(id)", token: viewer).status == .ok)
            #expect(try await app.api(.post, "/api/v1/analytics/funnels", token: viewer, json: Self.json(Self.body)).status == .forbidden)
            #expect(try await app.post(.file(orders, name: "x.csv"), to: "/api/v1/analytics/funnels/\(id)/stages/3/events", token: viewer).status == .forbidden)

            // Renaming keeps the events; a stage that stops counting events loses them.
            let renamed = try await app.api(.patch, "/api/v1/analytics/funnels/\(id)", token: app.ownerToken, json: #"{"name": "私信到下单"}"#)
            #expect(renamed.status == .ok && renamed.json["name"] as? String == "私信到下单")
            #expect(try await FunnelRepository(app.database.sql).eventCount(funnelID: id, position: 2) == 630)
            #expect(try await app.api(.delete, "/api/v1/analytics/funnels/\(id)", token: app.ownerToken).status == .noContent)
            #expect(try await FunnelRepository(app.database.sql).eventCount(funnelID: id, position: 2) == 0)
        }
    }

    @Test("the ready-made rule fires when a step's drop-off jumps more than 20 % above its 7-day median, and names the funnel's step",
          arguments: TestDatabase.available)
    func dropOffAlert(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let yesterday = LocalDate(Date(), timeZone: Self.zone).adding(days: -1)
            let created = try await app.api(.post, "/api/v1/analytics/funnels", token: app.ownerToken, json: Self.json([
                "name": "私信转化", "stages": [["name": "私信咨询", "source": "events"], ["name": "下单", "source": "events"]]]))
            let id = try #require(created.json["id"] as? String)
            // 200 leads a day; 100 orders a day (drop-off 50 %), then 60 yesterday (70 %: +40 % on the median).
            let leadDays = (0..<10).map { (yesterday.adding(days: -$0), 200) }
            let orderDays = (0..<10).map { (yesterday.adding(days: -$0), $0 == 0 ? 60 : 100) }
            #expect(try await app.post(.file(Self.leads(leadDays), name: "线索.csv"), to: "/api/v1/analytics/funnels/\(id)/stages/1/events", token: app.ownerToken).status == .ok)
            #expect(try await app.post(.file(Self.leads(orderDays), name: "订单.csv"), to: "/api/v1/analytics/funnels/\(id)/stages/2/events", token: app.ownerToken).status == .ok)

            // The import judged the new data already; judging again raises nothing new.
            let listed = try await app.api(.get, "/api/v1/analytics/alerts", token: app.ownerToken)
            let alerts = try #require(listed.json["items"] as? [[String: Any]])
            #expect(alerts.count == 1, "\(listed.text)")
            #expect(alerts.first?["subject"] as? String == "funnel:\(id):0" && alerts.first?["subject_name"] as? String == "私信转化：私信咨询 → 下单")
            #expect(alerts.first?["link"] as? String == "/analytics/funnels/\(id)?alert=\(alerts.first?["id"] as? String ?? "")")
            #expect(try await AlertService(database: app.database).evaluateFunnels(through: yesterday).isEmpty)
            // The in-app notification names the funnel and its step.
            let titles = try await app.database.sql.raw("SELECT title FROM notifications WHERE kind = 'alert_fired'").all().map { try $0.decode(column: "title", as: String.self) }
            #expect(titles.contains("私信转化 · 私信咨询 → 下单"), "\(titles)")

            // The preview of the same rule sees it, keyed by the step.
            let preview = try await app.api(.post, "/api/v1/analytics/alert-rules/preview", token: app.ownerToken,
                                            json: #"{"kind": "funnel_drop_off", "bound": 0.2, "days": 30}"#)
            #expect(preview.json["count"] as? Int == 1, "\(preview.text)")
            #expect(((preview.json["alerts"] as? [[String: Any]])?.first?["subject_name"] as? String) == "私信转化：私信咨询 → 下单")

            // The funnel's page shows the alert the notification leads to.
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let page = try await browser.get(alerts.first?["link"] as? String ?? "")
            #expect(page.status == .ok && page.text.contains("id=\"alert\"") && page.text.contains("私信咨询 → 下单"), "\(page.text)")
        }
    }

    @Test("pages: a funnel set up in the form, its figures, an order file uploaded from the page; broken rows listed; both languages",
          arguments: TestDatabase.available)
    func pages(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let empty = try await browser.get("/analytics/funnels")
            #expect(empty.status == .ok && empty.text.contains("还没有漏斗"))
            let new = try await browser.get("/analytics/funnels/new")
            #expect(new.text.contains("value=\"私信咨询\"") && new.text.contains("value=\"metric:reads\" selected"), "the form starts from reads → leads → orders")

            let refused = try await browser.post("/analytics/funnels", form: [("name", "私信转化"), ("scope", "all_accounts"), ("stage_1_name", "私信咨询"),
                                                                               ("stage_1_source", "events"), ("stage_3_name", "私信咨询"), ("stage_3_source", "events")],
                                                 from: "/analytics/funnels/new")
            #expect(refused.status == .unprocessableContent && refused.text.contains("与前面的步骤重名"), "\(refused.text)")
            #expect(refused.text.contains("id=\"stage_2_name\" name=\"stage_2_name\" maxlength=\"30\" value=\"私信咨询\""), "blank rows close up, so the error sits beside its row")

            let saved = try await browser.post("/analytics/funnels", form: [("name", "私信转化"), ("scope", "all_accounts"), ("stage_1_name", "私信咨询"),
                                                                             ("stage_1_source", "events"), ("stage_2_name", "下单"), ("stage_2_source", "events")],
                                               from: "/analytics/funnels/new")
            #expect(saved.status == .seeOther, "\(saved.text)")
            let page = try await browser.follow(saved)
            #expect(page.text.contains("漏斗已创建") && page.text.contains("导入线索和订单"))
            let location = try #require(saved.location)

            let yesterday = LocalDate(Date(), timeZone: Self.zone).adding(days: -1)
            func upload(_ bytes: [UInt8], stage: String) async throws -> TestResponse {
                let token = try #require(try await browser.get(location).formToken)
                let form = MultipartForm.file(bytes, name: "file.csv", fields: [("_csrf", token), ("stage", stage)])
                return try await app.client.execute(uri: location + "/events", method: .post, headers: [.cookie: browser.cookie, .contentType: form.contentType], body: form.body)
            }
            let uploaded = try await upload(Self.leads([(yesterday, 12)]), stage: "1")
            #expect(uploaded.status == .ok && uploaded.text.contains("新增 12 条"), "\(uploaded.text)")
            let broken = try await upload(Array("日期\n2026-99-01\n".utf8), stage: "2")
            #expect(broken.status == .unprocessableContent && broken.text.contains("什么都没有导入") && broken.text.contains("2026-99-01"), "\(broken.text)")
            let figures = try await browser.get(location + "?period=7d")
            #expect(figures.text.contains("12") && figures.text.contains("整体转化率"))

            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: "en"), by: app.ownerPrincipal)
            let english = try await browser.get(location)
            #expect(english.text.contains("Overall conversion") && english.text.contains("Import leads and orders"), "\(english.text)")
            #expect(try await browser.get("/analytics/funnels").text.contains("私信咨询 → 下单"))

            // Deleting from the page takes its events with it.
            let deleted = try await browser.post(location + "/delete", form: [], from: location)
            #expect(deleted.status == .seeOther && deleted.location == "/analytics/funnels")
            #expect(try await browser.follow(deleted).text.contains("Funnel deleted"))
            #expect(try await browser.get(location).status == .notFound)
        }
    }
}
