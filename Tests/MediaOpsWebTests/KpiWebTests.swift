import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
@testable import MediaOpsWeb
import NIOCore
import Testing

/// KPIs, scorecards, reviews and reporting lines through the API (every answer
/// held to the OpenAPI document) and the pages: definitions and targets,
/// scorecards and the numbers behind them, a review written, assessed and
/// finalized, and who sees what — the member, their manager and the
/// director only; everyone else is told it does not exist.
@Suite("Work room: KPIs, scorecards, reviews")
struct KpiWebTests {
    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func noRawKeys(_ page: TestResponse, _ uri: String) {
        #expect(page.status == .ok, "\(uri) → \(page.status)")
        if let range = page.text.range(of: #">\s*(kpis|scorecards|reviews|members_line)\.[a-z_.]+\s*<"#, options: .regularExpression) {
            Issue.record("\(uri) shows a raw catalog key: \(page.text[range])")
        }
        for raw in ["{name}", "{count}", "{period}", ">self_assessed<", ">not_started<", ">post_reads<"] where page.text.contains(raw) {
            Issue.record("\(uri) shows \(raw)")
        }
    }

    static var thisMonth: String { KpiPeriod.containing(LocalDate(Date(), timeZone: TimeZone(identifier: "Asia/Shanghai")!), kind: .month).description }

    @Test("API: KPIs are listed, defined, targeted and deleted; refusals name every field; only kpis.manage changes them",
          arguments: TestDatabase.available)
    func kpisThroughTheAPI(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let list = try await app.api(.get, "/api/v1/kpis", token: app.ownerToken)
            #expect(list.status == .ok)
            let items = try #require(list.json["items"] as? [[String: Any]])
            #expect(items.count == 8, "the built-in set")
            #expect(items.contains { $0["data_source"] as? String == "review_turnaround" && $0["direction"] as? String == "lower" && $0["name"] as? String == "审核时效" })
            let refused = try await app.api(.post, "/api/v1/kpis", token: app.ownerToken,
                                            json: Self.json(["name": "", "data_source": "vibes", "weight": 500, "grace_hours": -1]))
            #expect(refused.status == .unprocessableContent)
            let fields = ((refused.json["error"] as? [String: Any])?["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(fields == ["name", "data_source", "weight", "grace_hours"], "\(refused.text)")
            let created = try await app.api(.post, "/api/v1/kpis", token: app.ownerToken,
                                            json: Self.json(["name": "稿件准时率（小红书）", "data_source": "pieces_on_time", "role": "copywriter", "weight": 30, "lead_hours": 48]))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            #expect((created.json["parameters"] as? [String: Any])?["lead_hours"] as? Int == 48)
            let patched = try await app.api(.patch, "/api/v1/kpis/\(id)", token: app.ownerToken, json: Self.json(["weight": 45, "role": NSNull()]))
            #expect(patched.json["weight"] as? Int == 45)
            #expect(patched.json["role"] is NSNull, "null role applies to everyone")
            let target = try await app.api(.post, "/api/v1/kpis/\(id)/targets", token: app.ownerToken,
                                           json: Self.json(["period_kind": "month", "role": "copywriter", "value": 90]))
            #expect(target.status == .ok, "\(target.text)")
            let tooHigh = try await app.api(.post, "/api/v1/kpis/\(id)/targets", token: app.ownerToken,
                                            json: Self.json(["period_kind": "month", "role": "copywriter", "value": 180]))
            #expect(tooHigh.errorCode == "kpi_target_percent")
            #expect(tooHigh.errorField == "value")
            let targetID = try #require(target.json["id"] as? String)
            #expect(try await app.api(.delete, "/api/v1/kpis/\(id)/targets/\(targetID)", token: app.ownerToken).status == .noContent)
            let (_, writer) = try await app.member(["copywriter"])
            #expect(try await app.api(.get, "/api/v1/kpis/\(id)", token: writer).status == .ok)
            #expect(try await app.api(.patch, "/api/v1/kpis/\(id)", token: writer, json: Self.json(["weight": 1])).status == .forbidden)
            let (_, viewer) = try await app.member(["viewer"])
            #expect(try await app.api(.get, "/api/v1/kpis", token: viewer).status == .forbidden)
            #expect(try await app.api(.delete, "/api/v1/kpis/\(id)", token: app.ownerToken).status == .noContent)
            #expect(try await app.api(.get, "/api/v1/kpis/\(id)", token: app.ownerToken).status == .notFound)
        }
    }

    @Test("API: scorecards and reviews are visible to the member, their manager and the director only; a review is written, assessed and finalized",
          arguments: TestDatabase.available)
    func reviewsThroughTheAPI(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let (member, memberToken) = try await app.member(["content"], name: "阿青")
            let (manager, managerToken) = try await app.member(["manager"], name: "经理")
            let (_, otherManagerToken) = try await app.member(["manager"], name: "另一位经理")
            let (_, colleagueToken) = try await app.member(["content"], name: "同事")
            let (_, viewerToken) = try await app.member(["viewer"], name: "老板")
            let (_, directorToken) = try await app.member(["director"], name: "总监")
            let line = try await app.api(.patch, "/api/v1/members/\(member.id)/manager", token: app.ownerToken, json: Self.json(["manager_id": manager.id]))
            #expect(line.json["manager_id"] as? String == manager.id)
            let loop = try await app.api(.patch, "/api/v1/members/\(manager.id)/manager", token: app.ownerToken, json: Self.json(["manager_id": member.id]))
            #expect(loop.errorCode == "manager_cycle")
            #expect(try await app.api(.patch, "/api/v1/members/\(member.id)/manager", token: managerToken, json: Self.json(["manager_id": NSNull()])).status == .forbidden)
            let period = Self.thisMonth
            let scorecard = "/api/v1/scorecards/\(member.id)?period=\(period)"
            let review = "/api/v1/reviews/\(member.id)/\(period)"
            // The permission matrix of one member's scorecard and review.
            for (who, token, sees) in [("member", memberToken, true), ("manager", managerToken, true), ("director", directorToken, true),
                                       ("owner", app.ownerToken!, true), ("other manager", otherManagerToken, false), ("colleague", colleagueToken, false)] {
                let card = try await app.api(.get, scorecard, token: token)
                #expect(card.status == (sees ? .ok : .notFound), "\(who) scorecard")
                #expect(try await app.api(.get, review, token: token).status == (sees ? .ok : .notFound), "\(who) review")
                let listed = try await app.api(.get, "/api/v1/reviews?period=\(period)", token: token)
                let ids = (listed.json["items"] as? [[String: Any]] ?? []).compactMap { $0["member_id"] as? String }
                #expect(ids.contains(member.id) == sees, "\(who) list")
                let cards = try await app.api(.get, "/api/v1/scorecards?period=\(period)", token: token)
                #expect(((cards.json["items"] as? [[String: Any]] ?? []).compactMap { $0["member_id"] as? String }).contains(member.id) == sees, "\(who) scorecards")
            }
            #expect(try await app.api(.get, scorecard, token: viewerToken).status == .forbidden)
            #expect(try await app.api(.get, review, token: viewerToken).status == .forbidden)
            // The built-in tasks KPI reads the tasks room: with nothing due in the period it says so, never zero.
            let card = try await app.api(.get, scorecard, token: memberToken)
            let lines = try #require(card.json["lines"] as? [[String: Any]])
            let tasks = try #require(lines.first { $0["data_source"] as? String == "tasks_on_time" })
            #expect(tasks["actual"] is NSNull)
            #expect(tasks["unavailable"] as? String == "nothing_due")
            let evidence = try await app.api(.get, "/api/v1/scorecards/\(member.id)/kpis/kpi_builtin_content_reads?period=\(period)", token: managerToken)
            #expect(evidence.status == .ok)
            #expect(try await app.api(.get, "/api/v1/scorecards/\(member.id)?period=2026-13", token: memberToken).errorCode == "kpi_period_invalid")
            // The review's steps, each by the one allowed to take it.
            let early = try await app.api(.post, review + "/assessment", token: managerToken, json: Self.json(["manager_assessment": "好", "rating": "A"]))
            #expect(early.errorCode == "review_awaiting_self")
            #expect(try await app.api(.post, review + "/self-assessment", token: managerToken, json: Self.json(["self_assessment": "代写"])).errorCode == "review_self_only")
            #expect(try await app.api(.post, review + "/self-assessment", token: otherManagerToken, json: Self.json(["self_assessment": "x"])).status == .notFound)
            let blank = try await app.api(.post, review + "/self-assessment", token: memberToken, json: Self.json(["self_assessment": "  "]))
            #expect(blank.errorField == "self_assessment")
            let written = try await app.api(.post, review + "/self-assessment", token: memberToken, json: Self.json(["self_assessment": "本月按时完成了选题。"]))
            #expect(written.json["state"] as? String == "self_assessed")
            #expect(try await app.api(.post, review + "/assessment", token: memberToken, json: Self.json(["manager_assessment": "我很好", "rating": "S"])).status == .forbidden)
            #expect(try await app.api(.post, review + "/assessment", token: otherManagerToken, json: Self.json(["manager_assessment": "x", "rating": "S"])).status == .notFound)
            let badRating = try await app.api(.post, review + "/assessment", token: managerToken, json: Self.json(["manager_assessment": "", "rating": "Z"]))
            #expect(badRating.status == .unprocessableContent)
            let assessed = try await app.api(.post, review + "/assessment", token: managerToken,
                                             json: Self.json(["manager_assessment": "稳定", "manager_comments": "下月多做视频", "rating": "B"]))
            #expect(assessed.json["state"] as? String == "assessed")
            let finalized = try await app.api(.post, review + "/finalize", token: managerToken)
            #expect(finalized.json["state"] as? String == "finalized")
            #expect((finalized.json["history"] as? [[String: Any]])?.count == 4)
            #expect(try await app.api(.post, review + "/finalize", token: managerToken).errorCode == "review_finalized")
            let frozen = try await app.api(.get, scorecard, token: memberToken)
            #expect(frozen.json["frozen"] as? Bool == true)
            let audit = try await app.team.auditLog(AuditFilter(entityType: AuditEntity.performanceReview.rawValue), page: PageRequest(page: 1, perPage: 10))
            #expect(audit.total == 3)
        }
    }

    @Test("Home lists the reviews waiting for the reader: last month's self-assessment to write, then the manager's assessment and finalizing, to nobody else",
          arguments: TestDatabase.available)
    func reviewsWaitingOnHome(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let (member, memberToken) = try await app.member(["content"], email: "aqing@example.com", name: "阿青")
            let (manager, managerToken) = try await app.member(["manager"], email: "boss@example.com", name: "经理")
            _ = try await app.member(["manager"], email: "other@example.com", name: "另一位经理")
            _ = try await app.member(["viewer"], email: "viewer@example.com", name: "老板")
            _ = try await app.api(.patch, "/api/v1/members/\(member.id)/manager", token: app.ownerToken, json: Self.json(["manager_id": manager.id]))
            let lastMonth = try #require(KpiPeriod(Self.thisMonth)).previous.description
            let review = "/api/v1/reviews/\(member.id)/\(lastMonth)"
            let reviewPage = "/team/reviews/\(member.id)/\(lastMonth)"
            func home(_ email: String, password: String = "member-password") async throws -> String {
                let page = try await app.signIn(email: email, password: password).get("/")
                #expect(page.status == .ok)
                return page.text
            }
            func section(_ text: String) -> String? {
                guard let start = text.range(of: "id=\"home-reviews\"") else { return nil }
                let rest = text[start.upperBound...]
                return String(rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)])
            }
            // The member is asked for last month's self-assessment; the manager has nothing yet.
            let mine = try #require(section(try await home("aqing@example.com")))
            #expect(mine.contains(reviewPage) && mine.contains("写自评"), "\(mine)")
            #expect(try section(try await home("boss@example.com")).map { !$0.contains(reviewPage) } == true)
            // Written: it moves to the manager (and the owner, who sees everyone), not to another manager; viewers have no such section.
            _ = try await app.api(.post, review + "/self-assessment", token: memberToken, json: Self.json(["self_assessment": "上月按时完成了选题。"]))
            #expect(try section(try await home("aqing@example.com")).map { !$0.contains(reviewPage) } == true)
            let managerHome = try #require(section(try await home("boss@example.com")))
            #expect(managerHome.contains(reviewPage) && managerHome.contains("阿青") && managerHome.contains("待评估"), "\(managerHome)")
            #expect(try section(try await home("owner@example.com", password: "owner-password"))?.contains(reviewPage) == true)
            #expect(try section(try await home("other@example.com")).map { !$0.contains(reviewPage) } == true)
            #expect(section(try await home("viewer@example.com")) == nil)
            // Assessed: it waits to be finalized; finalized, it waits for nobody.
            _ = try await app.api(.post, review + "/assessment", token: managerToken, json: Self.json(["manager_assessment": "稳定", "rating": "B"]))
            #expect(try section(try await home("boss@example.com"))?.contains("待定稿") == true)
            _ = try await app.api(.post, review + "/finalize", token: managerToken)
            #expect(try section(try await home("boss@example.com")).map { !$0.contains(reviewPage) } == true)
            // In English too.
            let browser = try await app.signIn(email: "aqing@example.com", password: "member-password")
            _ = try await browser.post("/me", form: [("name", "阿青"), ("locale", "en")])
            let english = try await browser.get("/")
            #expect(english.text.contains("Reviews waiting for you") && english.text.contains("No performance reviews are waiting for you."))
        }
    }

    @Test("pages: the director opens the scorecards and follows a KPI to the numbers behind it; a member writes a self-assessment; forms check CSRF",
          arguments: TestDatabase.available)
    func pages(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let (member, _) = try await app.member(["content"], email: "qing@example.com", name: "阿青")
            _ = try await app.member(["director"], email: "boss@example.com", name: "总监")
            let director = try await app.signIn(email: "boss@example.com", password: "member-password")
            let period = Self.thisMonth
            for uri in ["/team/kpis", "/team/kpis/new", "/team/kpis/kpi_builtin_content_reads", "/team/kpis/kpi_builtin_content_reads/edit",
                        "/team/scorecards", "/team/scorecards?period=\(period)", "/team/scorecards/\(member.id)?period=\(period)",
                        "/team/scorecards/\(member.id)/kpis/kpi_builtin_content_reads?period=\(period)", "/team/reviews",
                        "/team/reviews/\(member.id)/\(period)", "/team/members/\(member.id)"] {
                Self.noRawKeys(try await director.get(uri), uri)
            }
            let list = try await director.get("/team/scorecards")
            #expect(list.text.contains("阿青"))
            #expect(list.text.contains("/team/scorecards/\(member.id)?period="))
            let card = try await director.get("/team/scorecards/\(member.id)?period=\(period)")
            #expect(card.text.contains("自有内容阅读量"))
            #expect(card.text.contains("本周期没有到期的事项"))
            // A target set from the KPI's page shows on the scorecard.
            let saved = try await director.post("/team/kpis/kpi_builtin_content_reads/targets",
                                                form: [("period_kind", "month"), ("scope", "role:content"), ("value", "1.2万")], from: "/team/kpis/kpi_builtin_content_reads")
            #expect(saved.status == .seeOther)
            #expect(try await director.get("/team/scorecards/\(member.id)?period=\(period)").text.contains("1.2万"))
            // The audit log names the change in words, not codes.
            let audit = try await director.get("/settings/audit")
            #expect(audit.text.contains("KPI 目标"))
            #expect(audit.text.contains("适用对象"))
            #expect(!audit.text.contains("role:content") && !audit.text.contains(">month<"), "raw codes in the audit log")
            let bad = try await director.post("/team/kpis/kpi_builtin_content_reads/targets", form: [("period_kind", "month"), ("scope", ""), ("value", "-3")],
                                              from: "/team/kpis/kpi_builtin_content_reads")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("请选择这个目标适用的岗位或成员"))
            let noToken = try await director.post("/team/kpis/kpi_builtin_content_reads/targets", form: [("period_kind", "month")], csrf: false)
            #expect(noToken.status == .forbidden)
            // The member writes a self-assessment in English.
            let qing = try await app.signIn(email: "qing@example.com", password: "member-password")
            _ = try await qing.post("/me", form: [("name", "阿青"), ("locale", "en")], from: "/me")
            let empty = try await qing.post("/team/reviews/\(member.id)/\(period)/self", form: [("self_assessment", " ")], from: "/team/reviews/\(member.id)/\(period)")
            #expect(empty.status == .unprocessableContent)
            let done = try await qing.post("/team/reviews/\(member.id)/\(period)/self", form: [("self_assessment", "Delivered every piece on time.")],
                                           from: "/team/reviews/\(member.id)/\(period)")
            #expect(done.status == .seeOther)
            let page = try await qing.follow(done)
            Self.noRawKeys(page, "review")
            #expect(page.text.contains("Delivered every piece on time."))
            // Someone else's review does not exist for a colleague.
            let (_, _) = try await app.member(["content"], email: "peer@example.com", name: "同事")
            let peer = try await app.signIn(email: "peer@example.com", password: "member-password")
            #expect(try await peer.get("/team/reviews/\(member.id)/\(period)").status == .notFound)
            #expect(try await peer.get("/team/scorecards/\(member.id)").status == .notFound)
            #expect(!(try await peer.get("/team/scorecards").text.contains("阿青")))
        }
    }
}
