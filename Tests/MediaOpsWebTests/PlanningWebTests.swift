import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
@testable import MediaOpsWeb
import NIOCore
import Testing

/// The 规划 room through the API and the pages: a goal entered, its plan with
/// reasons, a version saved and compared, the hiring plan printed and
/// exported; bad input named field by field; only `planning.manage` changes anything.
@Suite("Planning room")
struct PlanningWebTests {
    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func goalJSON(account: String, year: Int = 2099) -> [String: Any] {
        ["name": "服务号半年 5 万粉丝", "metric": "followers", "target": 50_000, "start": "\(year)-01-01", "deadline": "\(year)-06-30", "account_ids": [account],
         "stages": [["name": "初始用户期", "months": 3, "target": 15_000], ["name": "品牌推广期", "months": 3, "target": 50_000]]]
    }

    static func noRawKeys(_ page: TestResponse, _ uri: String) {
        #expect(page.status == .ok, "\(uri) → \(page.status)")
        if let range = page.text.range(of: #"(?<!code)>\s*[a-z]+\.[a-z_]+\.?[a-z_]*\s*<"#, options: .regularExpression) {
            Issue.record("\(uri) shows a raw catalog key: \(page.text[range])")
        }
        for raw in ["goals.", "planner.", "plans.", "hiring.", "positions.", "{count}", "{role}", "{month}"] where page.text.contains(">" + raw) || page.text.contains(raw + "</") {
            Issue.record("\(uri) shows \(raw)")
        }
    }

    @Test("a goal can count a funnel stage (leads, orders): its progress adds up the stage's daily count, it is refused without an existing stage, and its pages name the stage",
          arguments: TestDatabase.available)
    func funnelStageGoal(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let funnels = FunnelService(database: app.database)
            let funnel = try await funnels.create(Funnel(id: "", name: "获客漏斗", stages: [FunnelStage(name: "阅读", source: .metric(.reads)),
                                                                                           FunnelStage(name: "私信咨询", source: .events),
                                                                                           FunnelStage(name: "下单", source: .events)]),
                                                  by: app.ownerPrincipal)
            let today = LocalDate(Date(), timeZone: TimeZone(identifier: "Asia/Shanghai")!)
            // The goal starts on the first of last month; 30 leads came before it and are not counted.
            let lastMonthEnd = LocalDate(year: today.year, month: today.month, day: 1).adding(days: -1)
            let start1 = LocalDate(year: lastMonthEnd.year, month: lastMonthEnd.month, day: 1)
            let leads = "日期\n" + String(repeating: "\(today.adding(days: -1))\n", count: 12) + String(repeating: "\(today)\n", count: 8)
                + String(repeating: "\(start1.adding(days: -5))\n", count: 30)
            _ = try await funnels.importEvents(funnelID: funnel.id, position: 2, data: Data(leads.utf8), by: app.ownerPrincipal)
            var body: [String: Any] = ["name": "半年 1000 条私信线索", "metric": "funnel_stage", "funnel_id": funnel.id, "funnel_position": 2, "target": 1_000,
                                       "start": start1.description, "deadline": start1.adding(months: 6).adding(days: -1).description,
                                       "stages": [["name": "试水期", "months": 3, "target": 300], ["name": "放量期", "months": 3, "target": 1_000]]]
            let created = try await app.api(.post, "/api/v1/goals", token: app.ownerToken, json: Self.json(body))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["funnel_stage_name"] as? String == "私信咨询" && created.json["funnel_position"] as? Int == 2)
            let read = try await app.api(.get, "/api/v1/goals/\(id)", token: app.ownerToken)
            #expect((read.json["progress"] as? [String: Any])?["current"] as? Double == 20, "\(read.text)")
            // The funnel covers every account, but a webhook is no audience: the planner staffs the weibo account only.
            let weibo = try await app.team.createAccount(.init(platform: "weibo", name: "青禾官方微博", handle: "qinghe_wb"), by: app.ownerPrincipal)
            _ = try await app.team.createAccount(.init(platform: "webhook", name: "官网钩子", handle: "site_hook", fields: ["url": "https://hooks.example.com/mediaops"]),
                                                 by: app.ownerPrincipal)
            let goals = GoalService(database: app.database, team: app.team, analytics: AnalyticsService(database: app.database))
            let covered = try await goals.accounts(of: try #require(try await goals.goal(id: id)))
            #expect(covered.map(\.id) == [weibo.id])

            // Without a stage, or with one the funnel does not have: refused, the field named, nothing written.
            body["funnel_position"] = 9
            let missing = try await app.api(.post, "/api/v1/goals", token: app.ownerToken, json: Self.json(body))
            #expect(missing.status == .unprocessableContent && missing.errorField == "funnel_stage" && missing.errorCode == "goal_funnel_stage_unknown", "\(missing.text)")
            body["funnel_id"] = nil
            body["funnel_position"] = nil
            let none = try await app.api(.post, "/api/v1/goals", token: app.ownerToken, json: Self.json(body))
            #expect(none.status == .unprocessableContent && none.errorField == "funnel_stage" && none.errorCode == "required", "\(none.text)")
            #expect(try await GoalService(database: app.database, team: app.team, analytics: AnalyticsService(database: app.database)).goals().count == 1)

            // Pages: the form offers each funnel's stages; the goal and its planner speak of 私信咨询.
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let form = try await browser.get("/team/goals/new")
            #expect(form.text.contains("<option value=\"\(funnel.id):2\">私信咨询（获客漏斗）</option>"), "the form does not offer the stage")
            let posted = try await browser.post("/team/goals", form: [("name", "下单 200 单"), ("metric", "funnel_stage"), ("funnel_stage", "\(funnel.id):3"),
                                                                     ("target", "200"), ("start", start1.description),
                                                                     ("deadline", start1.adding(months: 3).adding(days: -1).description),
                                                                     ("stage_name_0", "首季"), ("stage_months_0", "3"), ("stage_target_0", "200")], from: "/team/goals/new")
            #expect(posted.status == .seeOther, "\(posted.text)")
            let refused = try await browser.post("/team/goals", form: [("name", "x"), ("metric", "funnel_stage"), ("funnel_stage", ""), ("target", "200"),
                                                                      ("start", start1.description), ("deadline", start1.adding(months: 3).adding(days: -1).description),
                                                                      ("stage_name_0", "首季"), ("stage_months_0", "3"), ("stage_target_0", "200")], from: "/team/goals/new")
            #expect(refused.status == .unprocessableContent && refused.text.contains("has-error"))
            for uri in ["/team/goals/\(id)", "/team/goals", "/team/goals/\(id)/plan", "/team/goals/\(id)/edit"] {
                let page = try await browser.get(uri)
                Self.noRawKeys(page, uri)
                #expect(page.text.contains("私信咨询"), "\(uri) does not name the stage")
            }
            // The funnel deleted: the goal still opens, says so, and has no numbers; saving it again asks for a stage.
            try await funnels.delete(id: funnel.id, by: app.ownerPrincipal)
            let orphan = try await browser.get("/team/goals/\(id)")
            #expect(orphan.status == .ok && orphan.text.contains("（漏斗已删除）"))
            let orphanRead = try await app.api(.get, "/api/v1/goals/\(id)", token: app.ownerToken)
            #expect(orphanRead.json["funnel_stage_name"] == nil && (orphanRead.json["progress"] as? [String: Any])?["status"] as? String == "no_data", "\(orphanRead.text)")
            let resave = try await app.api(.patch, "/api/v1/goals/\(id)", token: app.ownerToken, json: #"{"name": "改个名字"}"#)
            #expect(resave.status == .unprocessableContent && resave.errorCode == "goal_funnel_stage_unknown")
        }
    }

    @Test("API: a goal is created with its progress, planned to 1+1+2+1+1, saved, compared and turned into a hiring plan; refusals name the field; viewers only read",
          arguments: TestDatabase.available)
    func throughTheAPI(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let account = try await app.team.createAccount(.init(platform: "wechat_oa", name: "青禾服务号", handle: "qinghe_oa", kind: "service", fields: ["app_id": "wx5f1c2d3e4a6b7c80"]), by: app.ownerPrincipal)
            let created = try await app.api(.post, "/api/v1/goals", token: app.ownerToken, json: Self.json(Self.goalJSON(account: account.id)))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            #expect((created.json["progress"] as? [String: Any])?["status"] as? String == "upcoming")

            // Every broken field at once, stages named by their row.
            var broken = Self.goalJSON(account: account.id)
            broken["name"] = ""
            broken["deadline"] = "2099-09-30"
            let refused = try await app.api(.post, "/api/v1/goals", token: app.ownerToken, json: Self.json(broken))
            #expect(refused.status == .unprocessableContent)
            let fields = ((refused.json["error"] as? [String: Any])?["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(fields == ["name", "stages"], "\(refused.text)")
            #expect(refused.text.contains("合计 6 个月"), "\(refused.text)")
            let badType = try await app.api(.post, "/api/v1/goals", token: app.ownerToken, json: Self.json(["name": "x", "metric": "followers", "target": "lots"]))
            #expect(badType.status == .unprocessableContent && badType.errorField == "target", "\(badType.text)")

            let plan = try await app.api(.post, "/api/v1/goals/\(id)/plan", token: app.ownerToken, json: "{}")
            #expect(plan.status == .ok, "\(plan.text)")
            let roles = try #require(plan.json["roles"] as? [[String: Any]])
            #expect(roles.map { $0["peak"] as? Int } == [1, 1, 2, 1, 1])
            #expect(roles.first { $0["role"] as? String == "channel" }?["join_by"] as? String == "2099-04")
            #expect(plan.text.contains("渠道经理"), "the reasons are sentences in the member's language")

            let zero = try await app.api(.post, "/api/v1/goals/\(id)/plan", token: app.ownerToken, json: Self.json(["parameters": ["posts_per_copywriter_week": 0]]))
            #expect(zero.status == .unprocessableContent && zero.errorCode == "plan_parameter_not_positive" && zero.errorField == "posts_per_copywriter_week", "\(zero.text)")
            let unknown = try await app.api(.post, "/api/v1/goals/\(id)/plan", token: app.ownerToken, json: Self.json(["parameters": ["fans_per_tweet": 3]]))
            #expect(unknown.status == .unprocessableContent && unknown.errorCode == "plan_parameter_unknown", "\(unknown.text)")

            let first = try await app.api(.post, "/api/v1/goals/\(id)/plans", token: app.ownerToken, json: Self.json(["name": "默认假设"]))
            #expect(first.status == .created, "\(first.text)")
            let second = try await app.api(.post, "/api/v1/goals/\(id)/plans", token: app.ownerToken,
                                           json: Self.json(["name": "渠道慢", "parameters": ["deals_per_channel_month": 1]]))
            let a = try #require(first.json["id"] as? String), b = try #require(second.json["id"] as? String)
            let compared = try await app.api(.get, "/api/v1/plans/compare?a=\(a)&b=\(b)", token: app.ownerToken)
            let rows = try #require(compared.json["rows"] as? [[String: Any]])
            #expect((rows.first { $0["role"] as? String == "channel" }?["change"] as? Int ?? 0) > 0, "\(compared.text)")
            #expect(try await app.api(.get, "/api/v1/goals/\(id)/plans", token: app.ownerToken).json["items"].map { ($0 as? [Any])?.count } == 2)
            let hiring = try await app.api(.get, "/api/v1/plans/\(a)/hiring", token: app.ownerToken)
            #expect((hiring.json["rows"] as? [[String: Any]])?.count == 5, "\(hiring.text)")
            #expect(try await app.api(.get, "/api/v1/plans/\(a)", token: app.ownerToken).status == .ok)
            #expect(try await app.api(.get, "/api/v1/goals/\(id)/progress", token: app.ownerToken).status == .ok)

            // Workspace parameters and profiles.
            let params = try await app.api(.patch, "/api/v1/plans/parameters", token: app.ownerToken, json: Self.json(["values": ["team_per_manager": 4]]))
            #expect(params.status == .ok, "\(params.text)")
            let shares = try await app.api(.patch, "/api/v1/plans/parameters", token: app.ownerToken, json: Self.json(["values": ["share_pr_later": 0.5]]))
            #expect(shares.status == .unprocessableContent && shares.errorCode == "plan_shares_sum", "\(shares.text)")
            let profile = try await app.api(.patch, "/api/v1/positions/channel", token: app.ownerToken, json: Self.json(["kpis": "渠道新增粉丝"]))
            #expect(profile.status == .ok && profile.json["edited"] as? Bool == true, "\(profile.text)")
            #expect(try await app.api(.get, "/api/v1/positions", token: app.ownerToken).status == .ok)
            #expect(try await app.api(.delete, "/api/v1/positions/channel", token: app.ownerToken).status == .noContent)
            #expect(try await app.api(.get, "/api/v1/positions/owner", token: app.ownerToken).status == .notFound)

            // A viewer reads, computes, and changes nothing.
            let (viewer, _) = try await app.member(["viewer"])
            let viewerToken = try await app.token(for: viewer)
            #expect(try await app.api(.get, "/api/v1/goals", token: viewerToken).status == .ok)
            #expect(try await app.api(.post, "/api/v1/goals/\(id)/plan", token: viewerToken, json: "{}").status == .ok)
            #expect(try await app.api(.post, "/api/v1/goals/\(id)/plans", token: viewerToken, json: Self.json(["name": "x"])).status == .forbidden)
            #expect(try await app.api(.delete, "/api/v1/goals/\(id)", token: viewerToken).status == .forbidden)

            #expect(try await app.api(.delete, "/api/v1/plans/\(b)", token: app.ownerToken).status == .noContent)
            #expect(try await app.api(.delete, "/api/v1/goals/\(id)", token: app.ownerToken).status == .noContent)
            #expect(try await app.api(.get, "/api/v1/plans/\(a)", token: app.ownerToken).status == .notFound)
        }
    }

    @Test("pages: the director enters a goal, gets the staged plan with reasons, saves it, opens the hiring plan and its exports, in both languages",
          arguments: TestDatabase.available)
    func throughThePages(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let account = try await app.team.createAccount(.init(platform: "wechat_oa", name: "青禾服务号", handle: "qinghe_oa", kind: "service", fields: ["app_id": "wx5f1c2d3e4a6b7c80"]), by: app.ownerPrincipal)
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            Self.noRawKeys(try await browser.get("/team/goals"), "/team/goals")
            let refused = try await browser.post("/team/goals", form: [("name", ""), ("metric", "followers"), ("target", "5万"), ("start", "2099-01-01"),
                                                                      ("deadline", "2099-06-30"), ("stage_name_0", "初始用户期"), ("stage_months_0", "3"), ("stage_target_0", "abc")],
                                                 from: "/team/goals/new")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("请填写目标名称") || refused.text.contains("请填写名称"), "\(refused.text)")
            #expect(refused.text.contains("覆盖账号") || refused.text.contains("至少选择一个账号"), "\(refused.text)")
            let created = try await browser.post("/team/goals", form: [("name", "服务号半年 5 万粉丝"), ("metric", "followers"), ("target", "5万"), ("start", "2099-01-01"),
                                                                      ("deadline", "2099-06-30"), ("account_ids", account.id),
                                                                      ("stage_name_0", "初始用户期"), ("stage_months_0", "3"), ("stage_target_0", "1.5万"),
                                                                      ("stage_name_1", "品牌推广期"), ("stage_months_1", "3"), ("stage_target_1", "50,000")],
                                                 from: "/team/goals/new")
            #expect(created.status == .seeOther, "\(created.text)")
            let goalPage = try await browser.follow(created)
            Self.noRawKeys(goalPage, "goal page")
            #expect(goalPage.text.contains("<svg") && goalPage.text.contains("未开始"), "\(goalPage.text)")
            let location = try #require(created.location)
            let plan = try await browser.get(location + "/plan")
            Self.noRawKeys(plan, "planner")
            #expect(plan.text.contains("共需 6 人") && plan.text.contains("新媒体运营专员 2 人") && plan.text.contains("渠道经理 0 人") && plan.text.contains("2099年4月"), "\(plan.text)")
            let changed = try await browser.get(location + "/plan?p_deals_per_channel_month=1")
            #expect(changed.text.contains("共需 9 人") || changed.text.contains("渠道经理 4 人"), "\(changed.text)")
            let zero = try await browser.get(location + "/plan?p_posts_per_copywriter_week=0")
            #expect(zero.status == .unprocessableContent && zero.text.contains("必须大于 0"), "\(zero.text)")
            let saved = try await browser.post(location + "/plans", form: [("name", "默认假设")], from: location + "/plan")
            #expect(saved.status == .seeOther, "\(saved.text)")
            let version = try await browser.follow(saved)
            Self.noRawKeys(version, "version")
            let hiring = try await browser.get("/team/hiring-plan")
            Self.noRawKeys(hiring, "hiring")
            #expect(hiring.text.contains("新媒体推广经理") && hiring.text.contains("岗位职责") && hiring.text.contains("最晚到岗"), "\(hiring.text)")
            let xlsx = try await browser.get("/team/hiring-plan/export.xlsx")
            #expect(xlsx.status == .ok && xlsx.body.readableBytesView.starts(with: [0x50, 0x4B]))
            let csv = try await browser.get("/team/hiring-plan/export.csv")
            #expect(csv.status == .ok && csv.text.contains("渠道经理"), "\(csv.text)")
            for uri in ["/team/plans", "/team/plans/compare", "/team/plans/parameters", "/team/positions", "/team/positions/channel", "/team/goals/new", location + "/edit", "/"] {
                Self.noRawKeys(try await browser.get(uri), uri)
            }
            #expect(try await browser.get("/").text.contains("目标进度"))
            let profile = try await browser.post("/team/positions/pr", form: [("duties", "管理投放"), ("requirements", "三年经验"), ("kpis", "投放 ROI"), ("works_with", "")],
                                                 from: "/team/positions/pr")
            #expect(profile.status == .unprocessableContent && profile.text.contains("协作对象"), "\(profile.text)")

            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: "en"), by: app.ownerPrincipal)
            let english = try await browser.get(location + "/plan")
            Self.noRawKeys(english, "planner en")
            #expect(english.text.contains("6 people in all") && english.text.contains("4/2099"), "\(english.text)")
            for uri in ["/team/goals", location, "/team/hiring-plan", "/team/positions", "/team/plans/parameters"] {
                Self.noRawKeys(try await browser.get(uri), uri)
            }

            // A viewer sees the plan but no save form, and cannot post.
            _ = try await app.member(["viewer"], email: "viewer@example.com")
            let viewing = try await app.signIn(email: "viewer@example.com", password: "member-password")
            let viewed = try await viewing.get(location + "/plan")
            #expect(viewed.status == .ok && !viewed.text.contains("name=\"name\""), "\(viewed.text)")
            #expect(try await viewing.get("/team/goals/new").status == .forbidden)
        }
    }
}
