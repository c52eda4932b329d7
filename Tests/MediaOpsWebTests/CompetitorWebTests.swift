import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
@testable import MediaOpsWeb
import NIOCore
import Testing

/// Competitors through the API and the pages: a competitor added, a day's
/// numbers entered and seen on the benchmark beside the own account; bad
/// input named field by field in the member's language; a bad file listed
/// row by row with nothing written; only `analytics.manage` changes anything.
@Suite("Analytics room: competitors")
struct CompetitorWebTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// The own 微博 account with 80,000 → 80,600 followers over the last days.
    static func ownAccount(_ app: WebHarness) async throws -> (Account, LocalDate) {
        let account = try await app.team.createAccount(.init(platform: "weibo", name: "青禾茶饮官方微博", handle: "qinghetea"), by: app.ownerPrincipal)
        let yesterday = LocalDate(Date(), timeZone: zone).adding(days: -1)
        let metrics = MetricService(database: app.database)
        let provenance = MetricProvenance(source: .manual, capturedAt: Date())
        _ = try await metrics.recordDaily(accountID: account.id, day: yesterday.adding(days: -5), values: [.followersTotal: 80_000], provenance: provenance)
        _ = try await metrics.recordDaily(accountID: account.id, day: yesterday, values: [.followersTotal: 80_600], provenance: provenance)
        return (account, yesterday)
    }

    /// Records any dotted catalog key a page shows instead of its sentence.
    static func noRawKeys(_ page: TestResponse, _ uri: String) {
        #expect(page.status == .ok, "\(uri) → \(page.status)")
        if let range = page.text.range(of: #"(?<!code)>\s*[a-z]+\.[a-z_]+\.?[a-z_]*\s*<"#, options: .regularExpression) {
            Issue.record("\(uri) shows a raw catalog key: \(page.text[range])")
        }
        for raw in ["competitors.", "analytics.", "{value}", "{count}", "weibo<", ">manual<", ">file<"] where page.text.contains(">" + raw) || page.text.contains(raw + "</") {
            Issue.record("\(uri) shows \(raw)")
        }
    }

    /// Follows a redirect as a browser does: the fragment stays in the browser.
    static func follow(_ browser: BrowserSession, _ response: TestResponse) async throws -> TestResponse {
        let location = try #require(response.location)
        var cookies = browser.cookie
        if let flash = response.cookie(named: "mediaops_flash") { cookies += "; mediaops_flash=\(flash)" }
        let path = String(location.prefix { $0 != "#" })
        return try await browser.harness.client.execute(uri: path, method: .get, headers: [.cookie: cookies])
    }

    func uploadPage(_ browser: BrowserSession, _ bytes: [UInt8], name: String) async throws -> TestResponse {
        var form = MultipartForm.file(bytes, name: name)
        let token = try #require(try await browser.get("/analytics/competitors").formToken)
        form.parts.insert(("_csrf", nil, nil, Array(token.utf8)), at: 0)
        return try await browser.harness.client.execute(uri: "/analytics/competitors/import", method: .post,
                                                        headers: [.cookie: browser.cookie, .contentType: form.contentType], body: form.body)
    }

    @Test("API: a competitor is created, changed, given days and benchmarked against the own account; refusals name every field; viewers only read",
          arguments: TestDatabase.available)
    func throughTheAPI(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let (account, yesterday) = try await Self.ownAccount(app)
            let created = try await app.api(.post, "/api/v1/analytics/competitors", token: app.ownerToken,
                                            json: Self.json(["platform": "weibo", "name": "山岚茶事", "handle": "@shanlan_tea", "url": "https://weibo.com/shanlantea",
                                                             "group": "同城茶饮"]))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["handle"] as? String == "shanlan_tea" && created.json["platform_name"] as? String == "新浪微博")

            // Every broken field at once, in Chinese.
            let refused = try await app.api(.post, "/api/v1/analytics/competitors", token: app.ownerToken,
                                            json: Self.json(["platform": "myspace", "name": "", "handle": "x", "url": "javascript:alert(1)"]))
            #expect(refused.status == .unprocessableContent)
            let fields = ((refused.json["error"] as? [String: Any])?["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(fields == ["platform", "name", "url"], "\(refused.text)")
            #expect(refused.text.contains("http:// 或 https://"), "\(refused.text)")
            let taken = try await app.api(.post, "/api/v1/analytics/competitors", token: app.ownerToken,
                                          json: Self.json(["platform": "weibo", "name": "又一个", "handle": "SHANLAN_TEA"]))
            #expect(taken.status == .unprocessableContent && taken.errorField == "handle" && taken.errorCode == "competitor_taken")
            let wrongType = try await app.api(.post, "/api/v1/analytics/competitors", token: app.ownerToken, json: #"{"platform": "weibo", "name": 3, "handle": "a"}"#)
            #expect(wrongType.status == .unprocessableContent && wrongType.errorField == "name")

            let patched = try await app.api(.patch, "/api/v1/analytics/competitors/\(id)", token: app.ownerToken, json: #"{"group": "新式茶饮头部", "url": null}"#)
            #expect(patched.status == .ok && patched.json["group"] as? String == "新式茶饮头部" && patched.json["url"] is NSNull, "\(patched.text)")
            #expect(patched.json["name"] as? String == "山岚茶事", "what was not sent stays")

            // Days: absent stays absent (null), bad numbers are named.
            let first = try await app.api(.post, "/api/v1/analytics/competitors/\(id)/days", token: app.ownerToken,
                                          json: Self.json(["day": yesterday.adding(days: -5).description, "followers": 100_000, "posts": 2, "avg_likes": 150, "avg_comments": 10]))
            #expect(first.status == .ok && first.json["avg_reads"] is NSNull && first.json["entered_by_name"] as? String == "林晓", "\(first.text)")
            _ = try await app.api(.post, "/api/v1/analytics/competitors/\(id)/days", token: app.ownerToken,
                                  json: Self.json(["day": yesterday.description, "followers": 100_900]))
            let bad = try await app.api(.post, "/api/v1/analytics/competitors/\(id)/days", token: app.ownerToken,
                                        json: #"{"day": "2999-01-01", "followers": -1, "posts": "two", "avg_likes": 1e300}"#)
            let badFields = ((bad.json["error"] as? [String: Any])?["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(bad.status == .unprocessableContent && badFields == ["day", "followers", "posts", "avg_likes"], "\(bad.text)")
            let empty = try await app.api(.post, "/api/v1/analytics/competitors/\(id)/days", token: app.ownerToken, json: Self.json(["day": yesterday.description]))
            #expect(empty.status == .unprocessableContent && empty.errorCode == "competitor_day_empty")
            let impossible = try await app.api(.post, "/api/v1/analytics/competitors/\(id)/days", token: app.ownerToken, json: #"{"day": "2026-02-30", "followers": 1}"#)
            #expect(impossible.status == .unprocessableContent && impossible.errorField == "day" && impossible.errorCode == "day_invalid"
                    && impossible.errorMessage?.contains("2026-11-22") == true, "\(impossible.text)")
            let days = try await app.api(.get, "/api/v1/analytics/competitors/\(id)/days", token: app.ownerToken)
            #expect((days.json["items"] as? [[String: Any]])?.count == 2 && days.json["total"] as? Int == 2)

            let benchmark = try await app.api(.get, "/api/v1/analytics/competitors/benchmark?period=30d", token: app.ownerToken)
            #expect(benchmark.status == .ok, "\(benchmark.text)")
            let entries = try #require(benchmark.json["entries"] as? [[String: Any]])
            #expect(entries.map { $0["side"] as? String } == ["own", "competitor"])
            #expect(entries[0]["id"] as? String == account.id && entries[0]["growth"] as? Double == 600)
            #expect(entries[1]["growth"] as? Double == 900 && entries[1]["avg_likes"] as? Double == 150 && entries[1]["avg_reads"] is NSNull)
            let gap = try #require(entries[1]["gap"] as? [String: Any])
            #expect(gap["followers"] as? Double == -20_300 && gap["growth"] as? Double == -300, "\(gap)")
            #expect(try await app.api(.get, "/api/v1/analytics/competitors/benchmark?platform=myspace", token: app.ownerToken).status == .unprocessableContent)

            // A viewer reads but changes nothing.
            let (_, viewer) = try await app.member(["viewer"])
            #expect(try await app.api(.get, "/api/v1/analytics/competitors", token: viewer).status == .ok)
            #expect(try await app.api(.get, "/api/v1/analytics/competitors/benchmark", token: viewer).status == .ok)
            #expect(try await app.api(.post, "/api/v1/analytics/competitors", token: viewer, json: Self.json(["platform": "weibo", "name": "x", "handle": "y"])).status == .forbidden)
            #expect(try await app.api(.patch, "/api/v1/analytics/competitors/\(id)", token: viewer, json: #"{"name": "x"}"#).status == .forbidden)
            #expect(try await app.api(.post, "/api/v1/analytics/competitors/\(id)/days", token: viewer, json: Self.json(["day": yesterday.description, "followers": 1])).status == .forbidden)
            #expect(try await app.api(.delete, "/api/v1/analytics/competitors/\(id)/days/\(yesterday)", token: viewer).status == .forbidden)
            #expect(try await app.api(.delete, "/api/v1/analytics/competitors/\(id)", token: viewer).status == .forbidden)

            #expect(try await app.api(.delete, "/api/v1/analytics/competitors/\(id)/days/\(yesterday)", token: app.ownerToken).status == .noContent)
            #expect(try await app.api(.delete, "/api/v1/analytics/competitors/\(id)/days/\(yesterday)", token: app.ownerToken).status == .notFound)
            #expect(try await app.api(.delete, "/api/v1/analytics/competitors/\(id)", token: app.ownerToken).status == .noContent)
            #expect(try await app.api(.get, "/api/v1/analytics/competitors/\(id)", token: app.ownerToken).status == .notFound)
        }
    }

    @Test("API import: a file with bad rows answers 422 listing each row and column and writes nothing; the fixed file is written",
          arguments: TestDatabase.available)
    func importThroughTheAPI(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let (_, yesterday) = try await Self.ownAccount(app)
            _ = try await app.api(.post, "/api/v1/analytics/competitors", token: app.ownerToken, json: Self.json(["platform": "weibo", "name": "山岚茶事", "handle": "shanlan_tea"]))
            let bad = Array("date,competitor,followers,posts\n\(yesterday),shanlan_tea,abc,1\n\(yesterday),nobody,1,1\n".utf8)
            let refused = try await app.post(.file(bad, name: "c.csv"), to: "/api/v1/analytics/competitors/import", token: app.ownerToken)
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            let errors = try #require((refused.json["error"] as? [String: Any])?["errors"] as? [[String: Any]])
            #expect(errors.map { $0["code"] as? String } == ["competitor_import_has_row_errors", "competitor_row_not_a_number", "competitor_row_unknown_competitor"])
            #expect((errors[1]["message"] as? String)?.contains("第 2 行「followers」") == true, "\(errors)")
            #expect(try await CompetitorService(database: app.database).days(competitorIDs: try await CompetitorService(database: app.database).all().map(\.id),
                                                                              from: yesterday.adding(days: -30), to: yesterday).isEmpty)
            let good = Array("\u{FEFF}日期,竞品,粉丝数,发文数\n\(yesterday),shanlan_tea,\"12,000\",1\n".utf8)
            let imported = try await app.post(.file(good, name: "c.csv"), to: "/api/v1/analytics/competitors/import", token: app.ownerToken)
            #expect(imported.status == .ok && imported.json["rows"] as? Int == 1 && imported.json["to"] as? String == yesterday.description, "\(imported.text)")
            let (_, viewer) = try await app.member(["viewer"])
            #expect(try await app.post(.file(good, name: "c.csv"), to: "/api/v1/analytics/competitors/import", token: viewer).status == .forbidden)
        }
    }

    @Test("pages: an analyst adds a competitor, enters a day, sees it on the benchmark beside the own account, imports a file; in Chinese and English",
          arguments: TestDatabase.available)
    func pages(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let (_, yesterday) = try await Self.ownAccount(app)
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")

            let empty = try await browser.get("/analytics/competitors")
            #expect(empty.status == .ok && empty.text.contains("还没有跟踪任何竞品") && empty.text.contains("添加竞品"), "\(empty.text)")

            // The form names every broken field at once and keeps what was typed.
            let refused = try await browser.post("/analytics/competitors", form: [("platform", "weibo"), ("name", ""), ("handle", "shanlan_tea"),
                                                                                  ("url", "ftp://weibo.com/x"), ("group", "同城茶饮")], from: "/analytics/competitors/new")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("请填写名称") && refused.text.contains("需要是以 http:// 或 https:// 开头的完整网址") && refused.text.contains("value=\"shanlan_tea\""),
                    "\(refused.text)")
            let saved = try await browser.post("/analytics/competitors", form: [("platform", "weibo"), ("name", "山岚茶事"), ("handle", "shanlan_tea"),
                                                                                ("url", "https://weibo.com/shanlantea"), ("group", "同城茶饮")], from: "/analytics/competitors/new")
            #expect(saved.status == .seeOther, "\(saved.text)")
            let page = try await browser.follow(saved)
            #expect(page.text.contains("竞品已添加") && page.text.contains("rel=\"noopener noreferrer nofollow\""), "\(page.text)")
            let competitor = try #require(try await CompetitorService(database: app.database).all().first)

            // A day typed as people type it: 1.2万, full-width digits; a word is named beside its box.
            let wrong = try await browser.post("/analytics/competitors/\(competitor.id)/days", form: [("day", yesterday.description), ("followers", "很多"),
                                                                                                      ("posts", "1.5")], from: "/analytics/competitors/\(competitor.id)")
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("粉丝数必须是数字") && wrong.text.contains("是计数，不能有小数"), "\(wrong.text)")
            let day = try await browser.post("/analytics/competitors/\(competitor.id)/days",
                                             form: [("day", yesterday.description), ("followers", "12.5万"), ("posts", "２"), ("avg_likes", "318.5"), ("avg_comments", "42"), ("avg_reads", "")],
                                             from: "/analytics/competitors/\(competitor.id)")
            #expect(day.status == .seeOther, "\(day.text)")
            let stored = try #require(try await CompetitorService(database: app.database).day(competitorID: competitor.id, day: yesterday))
            #expect(stored.values == [.followers: 125_000, .posts: 2, .avgLikes: 318.5, .avgComments: 42], "an empty box is absent")
            let detail = try await Self.follow(browser, day)
            #expect(detail.text.contains("这一天的数据已保存") && detail.text.contains("12.5万") && detail.text.contains("林晓") && detail.text.contains("手动录入"))

            let audit = try await browser.get("/settings/audit")
            #expect(audit.text.contains("山岚茶事 · \(yesterday)") && audit.text.contains("篇均点赞") && audit.text.contains("318.5"), "\(audit.text)")
            Self.noRawKeys(audit, "/settings/audit")

            let benchmark = try await browser.get("/analytics/competitors?period=30d")
            #expect(benchmark.text.contains("山岚茶事") && benchmark.text.contains("青禾茶饮官方微博") && benchmark.text.contains("<polyline"), "\(benchmark.text)")
            #expect(benchmark.text.contains("落后 4.4万"), "own 80,600 against their 125,000")
            #expect(benchmark.text.contains("stroke-dasharray"), "competitors are dashed, not only coloured")
            for uri in ["/analytics/competitors", "/analytics/competitors?period=90d&platform=weibo&sort=growth&dir=asc", "/analytics/competitors/\(competitor.id)",
                        "/analytics/competitors/\(competitor.id)?period=month", "/analytics/competitors/\(competitor.id)/edit", "/analytics/competitors/new"] {
                Self.noRawKeys(try await browser.get(uri), uri)
            }

            // A bad file: listed row by row, nothing written.
            let badFile = Array("日期,竞品,粉丝数\n\(yesterday),shanlan_tea,abc\n\(yesterday),无名茶馆,1\n".utf8)
            let rejected = try await uploadPage(browser, badFile, name: "bad.csv")
            #expect(rejected.status == .unprocessableContent && rejected.text.contains("有 2 处问题，整份文件都没有导入") && rejected.text.contains("第 3 行的竞品“无名茶馆”"),
                    "\(rejected.text)")
            #expect(try await CompetitorService(database: app.database).day(competitorID: competitor.id, day: yesterday)?.values[.followers] == 125_000)
            let goodFile = Array("date,handle,avg_reads\n\(yesterday),shanlan_tea,5600\n".utf8)
            let accepted = try await uploadPage(browser, goodFile, name: "good.csv")
            #expect(accepted.status == .seeOther, "\(accepted.text)")
            #expect(try await CompetitorService(database: app.database).day(competitorID: competitor.id, day: yesterday)?.values[.avgReads] == 5_600)

            let sample = try await browser.get("/analytics/competitor-samples/xlsx")
            #expect(sample.status == .ok && sample.headers[.contentDisposition]?.contains("competitors.xlsx") == true)
            #expect(try await browser.get("/analytics/competitor-samples/pdf").status == .notFound)

            // English.
            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: "en"), by: app.ownerPrincipal)
            let english = try await browser.get("/analytics/competitors?period=30d")
            #expect(english.text.contains("Competitors") && english.text.contains("behind by 44.4K") && english.text.contains("Engagement per post"), "\(english.text)")
            for uri in ["/analytics/competitors", "/analytics/competitors/\(competitor.id)", "/analytics/competitors/\(competitor.id)/edit", "/analytics/competitors/new"] {
                Self.noRawKeys(try await browser.get(uri), uri)
            }
            let englishDetail = try await browser.get("/analytics/competitors/\(competitor.id)")
            #expect(englishDetail.text.contains("Daily numbers") && englishDetail.text.contains("Save this day"), "\(englishDetail.text)")
            let englishRefused = try await browser.post("/analytics/competitors/\(competitor.id)/days", form: [("day", ""), ("followers", "lots")],
                                                        from: "/analytics/competitors/\(competitor.id)")
            #expect(englishRefused.status == .unprocessableContent && englishRefused.text.contains("Followers must be a number.") && englishRefused.text.contains("Date is required."), "\(englishRefused.text)")

            // A viewer sees the benchmark but no forms, and cannot post.
            _ = try await app.member(["viewer"], email: "viewer@example.com")
            let viewing = try await app.signIn(email: "viewer@example.com", password: "member-password")
            let viewed = try await viewing.get("/analytics/competitors/\(competitor.id)")
            #expect(viewed.status == .ok && !viewed.text.contains("day-form\" aria-labelledby"), "\(viewed.text)")
            #expect(try await viewing.get("/analytics/competitors/new").status == .forbidden)
            let forbidden = try await viewing.post("/analytics/competitors/\(competitor.id)/delete", form: [], from: "/analytics/competitors")
            #expect(forbidden.status == .forbidden)

            // Deleting asks first, then removes the competitor with its days.
            let deleted = try await browser.post("/analytics/competitors/\(competitor.id)/delete", form: [], from: "/analytics/competitors/\(competitor.id)")
            #expect(deleted.status == .seeOther)
            #expect(try await CompetitorService(database: app.database).all().isEmpty)
        }
    }
}
