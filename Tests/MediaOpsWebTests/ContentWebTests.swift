import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import NIOCore
import Testing

@Suite("Content room through the API and pages")
struct ContentWebTests {
    /// UI.md journey 2 through the API: topic → content → 公众号 and 微博 variants →
    /// a compliance finding fixed → submitted → approved in two stages → on the calendar.
    @Test("journey: from a topic to an approved two-platform item on the calendar", arguments: TestDatabase.available)
    func journey(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let (_, writer) = try await app.member(["content"], email: "writer@example.com", name: "王雨桐")
            let (_, manager) = try await app.member(["manager"], email: "lead@example.com", name: "陈静")
            let (_, reviewer) = try await app.member(["reviewer"], email: "check@example.com", name: "许可")
            let group = try await app.api(.post, "/api/v1/account-groups", token: app.ownerToken, json: #"{"name":"青禾茶饮"}"#)
            let groupID = try #require(group.json["id"] as? String)
            let flow = try await app.api(.post, "/api/v1/review-flows", token: app.ownerToken, json: """
                {"group_id":"\(groupID)","stages":[{"name":"内容主管","roles":["manager"]},{"name":"合规审核","roles":["reviewer"]}]}
                """)
            #expect(flow.status == .noContent)

            let topic = try await app.api(.post, "/api/v1/topics", token: writer, json: """
                {"title":"冬季新品上市","source":"product_point","category":"announcement","priority":"high","groups":["\(groupID)"]}
                """)
            #expect(topic.status == .created)
            let topicID = try #require(topic.json["id"] as? String)
            #expect(topic.json["content_id"] is NSNull)
            #expect(try await app.api(.post, "/api/v1/topics/\(topicID)/decision", token: writer, json: #"{"status":"accepted"}"#).status == .forbidden)
            #expect(try await app.api(.post, "/api/v1/topics/\(topicID)/decision", token: manager, json: #"{"status":"accepted"}"#).status == .ok)
            let converted = try await app.api(.post, "/api/v1/topics/\(topicID)/convert", token: writer)
            #expect(converted.status == .created)
            let id = try #require(converted.json["id"] as? String)
            #expect(converted.json["group_id"] as? String == groupID)

            var saved = try await app.api(.patch, "/api/v1/content/\(id)", token: writer, json: """
                {"body":"<p>桂花乌龙拿铁回归，全网最低价！</p>","summary":"冬季限定回归","version":1}
                """)
            #expect(saved.status == .ok)
            let check = try #require(saved.json["check"] as? [String: Any])
            #expect(check["blocking"] as? Int == 1)
            for platform in ["wechat_oa", "weibo"] {
                let variant = try await app.api(.post, "/api/v1/content/\(id)/variants", token: writer, json: #"{"platform":"\#(platform)"}"#)
                #expect(variant.status == .created)
            }
            #expect(try await app.api(.post, "/api/v1/content/\(id)/variants", token: writer, json: #"{"platform":"weibo"}"#).status == .conflict)
            #expect(try await app.api(.post, "/api/v1/content/\(id)/review", token: writer, json: #"{"action":"submit"}"#).status == .ok)
            let blocked = try await app.api(.post, "/api/v1/content/\(id)/review", token: manager, json: #"{"action":"approve"}"#)
            #expect(blocked.status == .ok)  // stage 1 of 2 does not hit the final gate yet
            let gate = try await app.api(.post, "/api/v1/content/\(id)/review", token: reviewer, json: #"{"action":"approve"}"#)
            #expect(gate.status == .conflict)
            #expect(gate.errorCode == "compliance_blocked")
            #expect(try await app.api(.post, "/api/v1/content/\(id)/review", token: reviewer,
                                      json: #"{"action":"request_changes","comment":"去掉“全网最低价”"}"#).status == .ok)

            // Fix the wording in the master and both variants, then go round again.
            saved = try await app.api(.get, "/api/v1/content/\(id)", token: writer)
            let version = try #require(saved.json["version"] as? Int)
            saved = try await app.api(.patch, "/api/v1/content/\(id)", token: writer,
                                      json: #"{"body":"<p>桂花乌龙拿铁回归，冬日限定。</p>","version":\#(version)}"#)
            #expect(saved.status == .ok)
            for platform in ["wechat_oa", "weibo"] {
                let fixed = try await app.api(.patch, "/api/v1/content/\(id)/variants/\(platform)", token: writer,
                                              json: #"{"body":"<p>桂花乌龙拿铁回归，冬日限定。</p>"}"#)
                #expect(fixed.status == .ok)
            }
            let clean = try await app.api(.get, "/api/v1/content/\(id)/check", token: writer)
            #expect(clean.json["blocking"] as? Int == 0)
            #expect(try await app.api(.post, "/api/v1/content/\(id)/review", token: writer, json: #"{"action":"submit"}"#).status == .ok)
            #expect(try await app.api(.post, "/api/v1/content/\(id)/review", token: manager, json: #"{"action":"approve"}"#).status == .ok)
            let approved = try await app.api(.post, "/api/v1/content/\(id)/review", token: reviewer, json: #"{"action":"approve"}"#)
            #expect(approved.json["state"] as? String == "approved")

            let planned = try await app.api(.patch, "/api/v1/content/\(id)", token: writer, json: #"{"planned_at":"2026-12-01T12:00:00Z"}"#)
            #expect(planned.json["state"] as? String == "approved")
            let calendar = try await app.api(.get, "/api/v1/calendar?view=month&date=2026-12-01", token: writer)
            let entries = try #require(calendar.json["items"] as? [[String: Any]])
            #expect(entries.map { $0["id"] as? String } == [id])
            #expect(entries.first?["platforms"] as? [String] == ["wechat_oa", "weibo"])
            let diff = try await app.api(.get, "/api/v1/content/\(id)/diff?from=1", token: writer)
            #expect(((diff.json["segments"] as? [[String: Any]]) ?? []).contains { $0["kind"] as? String == "added" })
        }
    }

    @Test("refusals: stale versions, impossible moves, scripts in bodies, bad platforms")
    func refusals() async throws {
        try await WebHarness.run(.sqlite) { app in
            let created = try await app.api(.post, "/api/v1/content", token: app.ownerToken,
                                            json: #"{"title":"标题","body":"<p onmouseover=\"x()\">正文<script>alert(1)</script></p>"}"#)
            #expect(created.status == .created)
            #expect(created.json["body"] as? String == "<p>正文</p>")
            let id = try #require(created.json["id"] as? String)
            let stale = try await app.api(.patch, "/api/v1/content/\(id)", token: app.ownerToken, json: #"{"title":"新","version":7}"#)
            #expect(stale.status == .conflict)
            #expect(stale.errorCode == "stale_version")
            let jump = try await app.api(.post, "/api/v1/content/\(id)/review", token: app.ownerToken, json: #"{"action":"approve"}"#)
            #expect(jump.status == .conflict)
            #expect(jump.errorCode == "invalid_transition")
            #expect(try await app.api(.post, "/api/v1/content/\(id)/review", token: app.ownerToken, json: #"{"action":"publish"}"#).errorField == "action")
            #expect(try await app.api(.post, "/api/v1/content/\(id)/variants", token: app.ownerToken, json: #"{"platform":"myspace"}"#).errorField == "platform")
            #expect(try await app.api(.post, "/api/v1/content", token: app.ownerToken, json: #"{"title":"x","category":"poetry"}"#).errorField == "category")
            #expect(try await app.api(.post, "/api/v1/content", token: app.ownerToken, json: #"{"title":"x","planned_at":"tomorrow"}"#).errorField == "planned_at")
            #expect(try await app.api(.get, "/api/v1/content/cnt_missing0000000", token: app.ownerToken).status == .notFound)
            #expect(try await app.api(.patch, "/api/v1/content/\(id)", token: app.ownerToken, json: #"{"cover_asset_id":"ast_missing000000"}"#).errorField == "cover_asset_id")
            let ranged = try await app.api(.post, "/api/v1/content/\(id)/comments", token: app.ownerToken,
                                           json: #"{"body":"这句要改","anchor":"master","range_start":5,"range_end":2}"#)
            #expect(ranged.errorField == "range_end")
            let (_, viewer) = try await app.member(["viewer"])
            #expect(try await app.api(.post, "/api/v1/content", token: viewer, json: #"{"title":"x"}"#).status == .forbidden)
            // A viewer neither writes nor reviews: the route refuses it.
            let submit = try await app.api(.post, "/api/v1/content/\(id)/review", token: viewer, json: #"{"action":"submit"}"#)
            #expect(submit.status == .forbidden)
            #expect(submit.errorCode == "forbidden")
            // A reviewer may use the route, but submitting is a writer's step.
            let (_, reviewer) = try await app.member(["reviewer"])
            let reviewerSubmit = try await app.api(.post, "/api/v1/content/\(id)/review", token: reviewer, json: #"{"action":"submit"}"#)
            #expect(reviewerSubmit.status == .forbidden)
            #expect(reviewerSubmit.errorCode == "not_allowed_to_submit")
        }
    }

    @Test("the compliance check endpoint returns findings with code-point offsets and workspace words")
    func complianceAPI() async throws {
        try await WebHarness.run(.sqlite) { app in
            #expect(try await app.api(.post, "/api/v1/compliance/word-lists", token: app.ownerToken,
                                      json: #"{"category":"competitor","term":"某某茶","severity":"block"}"#).status == .created)
            let result = try await app.api(.post, "/api/v1/compliance/check", token: app.ownerToken,
                                           json: #"{"text":"🎉全网最低价，比某某茶好喝","platform":"weibo"}"#)
            #expect(result.status == .ok)
            let findings = try #require(result.json["findings"] as? [[String: Any]])
            let absolute = try #require(findings.first { $0["category"] as? String == "absolute_term" })
            #expect(absolute["start"] as? Int == 1)
            #expect(absolute["article"] as? String == "广告法第九条第三项")
            #expect((absolute["suggestion"] as? String)?.isEmpty == false)
            #expect(findings.contains { $0["category"] as? String == "competitor" && $0["term"] as? String == "某某茶" && $0["severity"] as? String == "block" })
            let clean = try await app.api(.post, "/api/v1/compliance/check", token: app.ownerToken, json: #"{"text":"最近第一次来，唯一的办法是早点出门。"}"#)
            #expect((clean.json["findings"] as? [Any])?.isEmpty == true)
            #expect(try await app.api(.post, "/api/v1/compliance/check", token: app.ownerToken, json: #"{"platform":"weibo"}"#).errorField == "text")
        }
    }

    @Test("a busy day shows four pieces and how many more, linking to that day's list", arguments: TestDatabase.available)
    func busyDay(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            for hour in 10..<16 {
                _ = try await app.api(.post, "/api/v1/content", token: app.ownerToken,
                                      json: #"{"title":"第\#(hour)点的稿件","planned_at":"2026-12-09T\#(hour):00:00+08:00"}"#)
            }
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let month = try await session.get("/calendar?view=month&date=2026-12-01")
            #expect(month.status == .ok)
            for hour in 10..<14 { #expect(month.text.contains("第\(hour)点的稿件")) }
            for hour in 14..<16 { #expect(!month.text.contains("第\(hour)点的稿件")) }
            #expect(month.text.contains("还有 2 条"))
            let link = "/content?planned_on=2026-12-09&amp;sort=planned&amp;order=asc"
            #expect(month.text.contains(link))
            let day = try await session.get("/content?planned_on=2026-12-09&sort=planned&order=asc")
            for hour in 10..<16 { #expect(day.text.contains("第\(hour)点的稿件")) }
            #expect(try await app.api(.get, "/api/v1/content?planned_on=2026-02-30", token: app.ownerToken).errorField == "planned_on")
        }
    }

    @Test("calendar exports: CSV for spreadsheets and a private iCalendar feed")
    func exports() async throws {
        try await WebHarness.run(.sqlite) { app in
            _ = try await app.api(.post, "/api/v1/content", token: app.ownerToken,
                                  json: #"{"title":"=危险公式, 含逗号","planned_at":"2026-12-01T12:00:00Z"}"#)
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let csv = try await session.get("/calendar.csv?view=month&date=2026-12-01")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.contains("\"'=危险公式, 含逗号\""))
            #expect(csv.text.contains("2026-12-01 20:00"))  // 12:00 UTC is 20:00 in Shanghai
            let page = try await session.post("/calendar/feed", form: [], from: "/calendar")
            let link = try #require(page.text.range(of: #"/calendar/feed/cal_[A-Za-z0-9_-]+\.ics"#, options: .regularExpression).map { String(page.text[$0]) })
            let feed = try await app.client.execute(uri: link, method: .get)
            #expect(feed.status == .ok)
            #expect(feed.headers[.contentType]?.hasPrefix("text/calendar") == true)
            #expect(feed.text.contains("DTSTART:20261201T120000Z"))
            #expect(feed.text.contains("SUMMARY:=危险公式\\, 含逗号"))
            // A bare CR in a title would end the property for some readers: every line break becomes \n.
            _ = try await app.api(.post, "/api/v1/content", token: app.ownerToken,
                                  json: #"{"title":"第一行\r第二行\r\n第三行","planned_at":"2026-12-01T13:00:00Z"}"#)
            let again = try await app.client.execute(uri: link, method: .get)
            #expect(again.text.contains("SUMMARY:第一行\\n第二行\\n第三行"))
            #expect(!again.text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
            #expect(!again.text.contains("state_") && !again.text.contains("in_review"))
            #expect(try await app.client.execute(uri: "/calendar/feed/cal_wrong.ics", method: .get).status == .notFound)
        }
    }

    @Test("every content page renders in both languages", arguments: AppLocale.allCases)
    func pages(locale: AppLocale) async throws {
        try await WebHarness.run(.sqlite) { app in
            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: locale.rawValue), by: app.ownerPrincipal)
            let content = ContentService(database: app.database)
            let item = try await content.create(.init(title: "全网最低价的茶", body: "<p>正文</p>", plannedAt: .some(Date())), by: app.ownerPrincipal)
            _ = try await content.addVariant(contentID: item.id, platform: .weibo, expectedVersion: nil, by: app.ownerPrincipal)
            _ = try await content.addVariant(contentID: item.id, platform: .x, expectedVersion: nil, by: app.ownerPrincipal)
            _ = try await content.comment(id: item.id, body: "请改", anchor: "weibo", rangeStart: nil, rangeEnd: nil, quote: "最低价", by: app.ownerPrincipal)
            let topic = try await TopicService(database: app.database).propose(.init(title: "选题"), by: app.ownerPrincipal)
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            for uri in ["/content", "/content/new", "/content/\(item.id)", "/content/\(item.id)/versions", "/content/review", "/content/library",
                        "/content/library?q=%E8%8C%B6", "/topics", "/topics/\(topic.id)", "/calendar", "/calendar?view=week", "/compliance", "/notifications"] {
                let page = try await session.get(uri)
                #expect(page.status == .ok, "\(uri)")
                if let range = page.text.range(of: #"(?<!code)>\s*[a-z]+\.[a-z_]+\.?[a-z_]*\s*<"#, options: .regularExpression) {
                    Issue.record("\(uri) shows a raw catalog key: \(page.text[range])")
                }
            }
            // Home lists what goes out today.
            #expect(try await session.get("/").text.contains("全网最低价的茶"))
            let editor = try await session.get("/content/\(item.id)")
            #expect(editor.text.contains(locale == .zhHans ? "绝对化用语" : "Absolute terms"))
            #expect(editor.text.contains("data-max=\"280\""))  // the X variant counts against 280
            // Lists and labels follow the language: no Chinese punctuation glued into English pages.
            if locale == .en {
                #expect(editor.text.contains("Owner, Director"))
                #expect(!editor.text.contains("、") && !editor.text.contains("："))
                #expect(editor.text.contains("<strong>Review</strong>"))  // the built-in stage is named by the catalog
            } else {
                #expect(editor.text.contains("所有者、运营总监"))
            }
        }
    }

    @Test("forms: a stale save shows the conflict and keeps the page usable")
    func staleForm() async throws {
        try await WebHarness.run(.sqlite) { app in
            let item = try await ContentService(database: app.database).create(.init(title: "原标题"), by: app.ownerPrincipal)
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let ok = try await session.post("/content/\(item.id)", form: [("title", "第一次修改"), ("body", "第一段\n\n第二段"), ("version", "1")], from: "/content/\(item.id)")
            #expect(ok.status == .seeOther)
            let stale = try await session.post("/content/\(item.id)", form: [("title", "过期的修改"), ("version", "1")], from: "/content/\(item.id)")
            #expect(stale.status == .conflict)
            #expect(stale.text.contains("已被他人修改"))
            let stored = try await ContentRepository(app.database.sql).find(id: item.id)
            #expect(stored?.title == "第一次修改")
            #expect(stored?.body == "<p>第一段</p><p>第二段</p>")
            // The editor shows plain paragraphs again, and a selected passage is commented with its range.
            #expect(try await session.get("/content/\(item.id)").text.contains("第一段\n\n第二段"))
            let comment = try await session.post("/content/\(item.id)/comments", form: [("anchor", "master"), ("quote", "第二段"), ("range_start", "5"),
                                                                                   ("range_end", "8"), ("body", "这段再改改")], from: "/content/\(item.id)")
            #expect(comment.status == .seeOther)
            let saved = try await ReviewRepository(app.database.sql).comments(contentID: item.id)
            #expect(saved.first?.rangeStart == 5 && saved.first?.rangeEnd == 8 && saved.first?.quote == "第二段")
        }
    }
}
