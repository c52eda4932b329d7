import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MediaOpsApp
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import NIOCore
import SQLKit
import SnapshotTesting
import Testing

extension WebHarness {
    /// Posts a multipart form to `uri` with a bearer token.
    func post(_ form: MultipartForm, to uri: String, token: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: form.contentType]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: form.body)
    }
}

@Suite("Analytics room: imports, overview, account pages")
struct AnalyticsWebTests {
    static let usersCSV = Array("时间,新关注人数,取消关注人数,净增关注人数,累积关注人数\n2026-11-01,120,20,100,35930\n2026-11-02,80,95,-15,35915\n".utf8)

    static func account(_ app: WebHarness) async throws -> Account {
        try await app.team.createAccount(.init(platform: "weibo", name: "青禾官方微博", handle: "qinghetea"), by: app.ownerPrincipal)
    }

    @Test("API: upload answers the preview, commit writes it, the daily metrics come back under canonical keys; bad input is a 4xx naming the field",
          arguments: TestDatabase.available)
    func apiImport(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let account = try await Self.account(app)
            let uploaded = try await app.post(.file(Self.usersCSV, name: "用户分析.csv", fields: [("account_id", account.id)]), to: "/api/v1/imports", token: app.ownerToken)
            #expect(uploaded.status == .created, "\(uploaded.text)")
            let record = try #require(uploaded.json["import"] as? [String: Any])
            let id = try #require(record["id"] as? String)
            #expect(record["layout"] as? String == "wechat_oa_users" && record["state"] as? String == "previewed" && record["rows"] as? Int == 2)
            #expect(uploaded.json["can_commit"] as? Bool == true && (uploaded.json["errors"] as? [Any])?.isEmpty == true)

            let committed = try await app.api(.post, "/api/v1/imports/\(id)/commit", token: app.ownerToken)
            #expect(committed.status == .ok, "\(committed.text)")
            #expect(committed.json["state"] as? String == "committed" && committed.json["values_inserted"] as? Int == 8)
            #expect(try await app.api(.post, "/api/v1/imports/\(id)/commit", token: app.ownerToken).status == .conflict)

            let daily = try await app.api(.get, "/api/v1/analytics/accounts/\(account.id)/daily?period=custom&from=2026-11-01&to=2026-11-30", token: app.ownerToken)
            #expect(daily.status == .ok, "\(daily.text)")
            let days = try #require(daily.json["days"] as? [[String: Any]])
            #expect(days.count == 2)
            #expect((days.last?["metrics"] as? [String: Any])?["followers_net"] as? Double == -15)

            let overview = try await app.api(.get, "/api/v1/analytics/overview?period=custom&from=2026-11-01&to=2026-11-02", token: app.ownerToken)
            #expect(overview.status == .ok, "\(overview.text)")
            let row = try #require((overview.json["accounts"] as? [[String: Any]])?.first { $0["account_id"] as? String == account.id })
            let current = try #require(row["current"] as? [String: Any])
            #expect(current["followers"] as? Double == 35_915 && current["followers_net"] as? Double == 85)
            #expect(current["reads"] is NSNull, "absent is null, never 0")

            // Bad input names its field.
            let noAccount = try await app.post(.file(Self.usersCSV, name: "a.csv"), to: "/api/v1/imports", token: app.ownerToken)
            #expect(noAccount.status == .unprocessableContent && (noAccount.json["error"] as? [String: Any])?["field"] as? String == "account_id")
            let xls = try await app.post(.file([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 1, 2], name: "a.xls", fields: [("account_id", account.id)]),
                                         to: "/api/v1/imports", token: app.ownerToken)
            #expect(xls.status == .unprocessableContent)
            let error = try #require(xls.json["error"] as? [String: Any])
            #expect(error["code"] as? String == "import_legacy_xls" && error["field"] as? String == "file")
            #expect((error["message"] as? String)?.contains(".xlsx") == true)
            #expect(try await app.api(.get, "/api/v1/analytics/overview?period=forever", token: app.ownerToken).status == .unprocessableContent)
            #expect(try await app.api(.get, "/api/v1/imports/imp_missing", token: app.ownerToken).status == .notFound)
            #expect(try await app.api(.get, "/api/v1/analytics/accounts/acc_missing/daily", token: app.ownerToken).status == .notFound)
            let mapping = try await app.api(.post, "/api/v1/imports/\(id)/columns", token: app.ownerToken, json: #"{"columns":{"0":"day"}}"#)
            #expect(mapping.status == .conflict)
        }
    }

    @Test("a running import's page shows how many rows are written, in both languages; a queued one an indeterminate bar")
    func importProgressBar() async throws {
        try await WebHarness.run(.sqlite) { app in
            let account = try await Self.account(app)
            let preview = try await ImportService(database: app.database).upload(app.ownerPrincipal, accountID: account.id, filename: "粉丝.csv",
                                                                                 data: Data(Self.usersCSV))
            let id = preview.record.id
            try await app.database.sql.raw("UPDATE metric_imports SET state = 'queued' WHERE id = \(bind: id)").run()
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let queued = try await browser.get("/analytics/imports/\(id)")
            #expect(queued.text.contains("<progress aria-label=\"正在写入…\"></progress>"))
            try await app.database.sql.raw("UPDATE metric_imports SET state = 'running' WHERE id = \(bind: id)").run()
            ImportProgress.shared.report(importID: id, written: 5_000, total: 12_000)
            defer { ImportProgress.shared.finish(importID: id) }
            let running = try await browser.get("/analytics/imports/\(id)")
            #expect(running.text.contains("max=\"12000\" value=\"5000\""))
            #expect(running.text.contains("已写入 5,000 / 12,000 行"))
            #expect(running.text.contains("http-equiv=\"refresh\""))
            try await app.database.sql.raw("UPDATE users SET locale = 'en'").run()
            #expect(try await browser.get("/analytics/imports/\(id)").text.contains("5,000 of 12,000 rows written"))
        }
    }

    @Test("a viewer reads the numbers but cannot import")
    func viewerCannotImport() async throws {
        try await WebHarness.run(.sqlite) { app in
            let account = try await Self.account(app)
            let (_, viewer) = try await app.member(["viewer"])
            #expect(try await app.api(.get, "/api/v1/analytics/overview", token: viewer).status == .ok)
            let refused = try await app.post(.file(Self.usersCSV, name: "a.csv", fields: [("account_id", account.id)]), to: "/api/v1/imports", token: viewer)
            #expect(refused.status == .forbidden)
            let (_, analyst) = try await app.member(["analyst"])
            #expect(try await app.post(.file(Self.usersCSV, name: "a.csv", fields: [("account_id", account.id)]), to: "/api/v1/imports", token: analyst).status == .created)
        }
    }

    @Test("pages: upload, map an unknown file, commit, then the overview and the account page show the numbers, in both languages; exports are real files")
    func pageJourney() async throws {
        try await WebHarness.run(.sqlite) { app in
            let account = try await Self.account(app)
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let imports = try await browser.get("/analytics/imports")
            #expect(imports.status == .ok)
            #expect(imports.text.contains("还没有导入过数据"))
            let token = try #require(imports.formToken)
            var form = MultipartForm()
            form.field("_csrf", token)
            form.field("account_id", account.id)
            form.file(Array("统计日,粉丝数,阅读数\n2026-11-01,1000,200\n2026-11-02,1010,300\n".utf8), fileName: "微博数据.csv")
            let uploaded = try await app.client.execute(uri: "/analytics/imports", method: .post, headers: [.cookie: browser.cookie, .contentType: form.contentType], body: form.body)
            #expect(uploaded.status == .seeOther, "\(uploaded.text)")
            let location = try #require(uploaded.location)
            let preview = try await browser.get(location)
            #expect(preview.text.contains("没有识别出这个文件的版式"))
            #expect(preview.text.contains("name=\"column_0\""))

            let mapped = try await browser.post(location + "/columns", form: [("column_0", "day"), ("column_1", "metric:followers_total"), ("column_2", "metric:reads")], from: location)
            #expect(mapped.status == .seeOther, "\(mapped.text)")
            let ready = try await browser.get(location)
            #expect(ready.text.contains("确认导入 2 行"))
            let committed = try await browser.post(location + "/commit", form: [], from: location)
            #expect(committed.status == .seeOther)
            let done = try await browser.follow(committed)
            #expect(done.text.contains("数据已导入。") && done.text.contains("新增 4 个数值"), "\(done.text)")

            let query = "period=custom&from=2026-11-01&to=2026-11-02"
            let overview = try await browser.get("/analytics?\(query)")
            #expect(overview.status == .ok)
            #expect(overview.text.contains("青禾官方微博") && overview.text.contains("1,010"))
            #expect(overview.text.contains("互动量 ÷ 阅读次数"))
            // The matrix table exactly: its rows and totals render through custom lookups (not
            // reflection), which must give the same page.
            let table = try #require(overview.text.range(of: "<table class=\"table\">").flatMap { start in
                overview.text.range(of: "</table>", range: start.upperBound..<overview.text.endIndex).map { String(overview.text[start.lowerBound..<$0.upperBound]) }
            })
            assertSnapshot(of: PageTests.normalise(table), as: .lines, named: "overview-table")
            let page = try await browser.get("/analytics/accounts/\(account.id)?\(query)")
            #expect(page.status == .ok)
            // An alert's notification leads to its account's page and to the overview, which open as they are.
            #expect(try await browser.get(AlertService.link(alertID: "alt_0000000000000001", accountID: account.id)).status == .ok)
            #expect(try await browser.get(AlertService.link(alertID: "alt_0000000000000001", accountID: nil)).status == .ok)
            #expect(page.text.contains("<svg class=\"chart\"") && page.text.contains("<title>11/2：1,010</title>"))
            // Its headline figures render as figures (a number with its exact value on hover), not as the data behind them.
            #expect(page.text.contains("<p class=\"kpi-value\"><span title=\"") && !page.text.contains("\"html\":"))

            let csv = try await browser.get("/analytics/export?\(query)&format=csv")
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.contains("青禾官方微博"))
            let xlsx = try await browser.get("/analytics/accounts/\(account.id)/export?\(query)&format=xlsx")
            #expect(xlsx.status == .ok)
            let sheets = try XLSXReader.sheets(Data(xlsx.body.readableBytesView))
            #expect(sheets.first?.rows.count == 3 && sheets.first?.rows[2].contains("300") == true)
            #expect(try await browser.get("/analytics/export?format=pdf").status == .unprocessableContent)

            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: "en"), by: app.ownerPrincipal)
            let english = try await browser.get("/analytics?\(query)")
            #expect(english.text.contains("Matrix overview") && english.text.contains("Engagement rate"))
        }
    }
}
