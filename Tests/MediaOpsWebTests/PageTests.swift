import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import SnapshotTesting
import Testing

/// The main pages, rendered for a signed-in member in both languages: their
/// HTML is compared with reviewed snapshots, and the journeys a user takes
/// through forms are walked end to end.
@Suite("Pages")
struct PageTests {
    /// A small, fixed workspace so the pages render the same every time.
    static func furnish(_ app: WebHarness) async throws {
        let owner = app.ownerPrincipal
        let content = try await app.team.createMember(.init(email: "wang@example.com", name: "王雨桐", roles: ["content"], password: "password123"), by: owner)
        _ = try await app.team.createMember(.init(email: "zhao@example.com", name: "赵敏", roles: ["community", "reviewer"], password: "password123"), by: owner)
        _ = try await app.team.createAccount(.init(platform: "wechat_oa", name: "青禾茶饮服务号", handle: "gh_qinghe", kind: "service",
                                                   fields: ["app_id": "wx5f1c2d3e4a6b7c80"], groups: ["青禾茶饮"], ownerID: .some(content.id),
                                                   credentials: ["app_secret": "secret"]), by: owner)
        _ = try await app.team.createAccount(.init(platform: "xiaohongshu", name: "青禾小茶馆", handle: "qinghe_xhs", groups: ["青禾茶饮"]), by: owner)
        let weibo = try await app.team.createAccount(.init(platform: "weibo", name: "青禾茶饮官方微博", handle: "qinghetea"), by: owner)
        _ = try await app.team.updateAccount(id: weibo.id, .init(state: "reconnect_needed"), by: owner)
    }

    /// Two tasks with due times far in the future, so the board looks the same every run.
    static func furnishTasks(_ app: WebHarness) async throws {
        let wang = try #require(try await MemberRepository(app.database.sql).find(email: "wang@example.com"))
        let service = TaskService(database: app.database)
        let due = Date(timeIntervalSince1970: 4_102_444_800) // 2100-01-01
        _ = try await service.create(WorkTask(title: "春季新品推文终稿", priority: .high, assigneeID: wang.id, dueAt: due, labels: ["新品"],
                                              checklist: [ChecklistItem(id: "", text: "定标题", done: true, position: 0), ChecklistItem(id: "", text: "排版", position: 1)]),
                                     by: app.ownerPrincipal)
        let review = try await service.create(WorkTask(title: "门店探店视频脚本", assigneeID: wang.id), by: app.ownerPrincipal)
        _ = try await service.move(id: review.id, to: .inReview, by: app.ownerPrincipal)
    }

    /// Replaces what changes from run to run: ids, tokens and instants.
    static func normalise(_ html: String) -> String {
        var text = html
        let rules: [(String, String)] = [
            (#"(mem|acc|grp|aud|tok|req|goal|plan|tsk|tci|tcm|trr)_[0-9a-z]{16}"#, "$1_ID"),
            (#"name="_csrf" value="[^"]*""#, #"name="_csrf" value="CSRF""#),
            (#"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}"#, "DATETIME"),
            (#"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2}"#, "DATETIME"),
            (#"\d{1,2}月\d{1,2}日 周[一二三四五六日] \d{2}:\d{2}"#, "DATE"),
            (#"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2}, \d{2}:\d{2}"#, "DATE"),
            (#"mo_[A-Za-z0-9_-]{7}"#, "mo_PREFIX"),
            // Home's waiting reviews name last month, which moves with the calendar.
            (#"(<a href="/team/reviews/mem_ID/)\d{4}-\d{2}(">[^<·]*· )[^<]*(</a>)"#, "$1PERIOD$2PERIOD$3"),
        ]
        for (pattern, template) in rules {
            text = text.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
        }
        return text
    }

    @Test("main pages match their snapshots in Chinese and English", arguments: AppLocale.allCases)
    func snapshots(locale: AppLocale) async throws {
        try await WebHarness.run(.sqlite) { app in
            try await Self.furnish(app)
            let login = try await app.client.execute(uri: "/login", method: .get, headers: [.cookie: "mediaops_lang=\(locale.rawValue)"])
            assertSnapshot(of: Self.normalise(login.text), as: .lines, named: "login-\(locale.rawValue)")
            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: locale.rawValue), by: app.ownerPrincipal)
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            try await Self.furnishTasks(app)
            let wang = try #require(try await MemberRepository(app.database.sql).find(email: "wang@example.com"))
            for (name, uri) in [("home", "/"), ("members", "/team/members"), ("roles", "/team/roles"), ("accounts", "/accounts"), ("groups", "/accounts/groups"),
                                ("tasks-board", "/tasks/board"), ("tasks-list", "/tasks"),
                                ("kpis", "/team/kpis"), ("kpi", "/team/kpis/kpi_builtin_content_reads"), ("scorecards", "/team/scorecards?period=2026-11"),
                                ("scorecard", "/team/scorecards/\(wang.id)?period=2026-11"), ("review", "/team/reviews/\(wang.id)/2026-11")] {
                let page = try await session.get(uri)
                #expect(page.status == .ok, "\(uri)")
                assertSnapshot(of: Self.normalise(page.text), as: .lines, named: "\(name)-\(locale.rawValue)")
            }
        }
    }

    @Test("the 规划 room's pages match their snapshots in Chinese and English", arguments: AppLocale.allCases)
    func planningSnapshots(locale: AppLocale) async throws {
        try await WebHarness.run(.sqlite) { app in
            try await Self.furnish(app)
            let account = try #require(try await AccountRepository(app.database.sql).list(filter: AccountFilter(platform: .wechatOA), page: PageRequest()).items.first)
            // A goal in the future: its pages do not depend on the day the test runs.
            let goals = GoalService(database: app.database, team: app.team, analytics: AnalyticsService(database: app.database))
            let goal = try await goals.create(Goal(id: "", name: "服务号半年 5 万粉丝", metric: .followers, target: 50_000, start: LocalDate(year: 2099, month: 1, day: 1),
                                                   deadline: LocalDate(year: 2099, month: 6, day: 30), accountIDs: [account.id],
                                                   stages: [GoalStage(name: "初始用户期", months: 3, target: 15_000), GoalStage(name: "品牌推广期", months: 3, target: 50_000)]),
                                              by: app.ownerPrincipal)
            let plan = try await PlanService(database: app.database, goals: goals, team: app.team).save(goalID: goal.id, name: "默认假设", by: app.ownerPrincipal)
            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: locale.rawValue), by: app.ownerPrincipal)
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            for (name, uri) in [("goals", "/team/goals"), ("goal", "/team/goals/\(goal.id)"), ("planner", "/team/goals/\(goal.id)/plan"),
                                ("version", "/team/plans/\(plan.id)"), ("positions", "/team/positions"), ("hiring", "/team/hiring-plan")] {
                let page = try await session.get(uri)
                #expect(page.status == .ok, "\(uri)")
                // The planner suggests a version name with today's date.
                let today = LocalDate(Date(), timeZone: TimeZone(identifier: "Asia/Shanghai")!)
                let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
                let html = Self.normalise(page.text).replacingOccurrences(of: "\(today.year)年\(today.month)月\(today.day)日", with: "TODAY")
                    .replacingOccurrences(of: "\(today.day) \(months[today.month - 1]) \(today.year)", with: "TODAY")
                assertSnapshot(of: html, as: .lines, named: "planning-\(name)-\(locale.rawValue)")
            }
        }
    }

    @Test("every page renders for the owner in both languages with no missing text", arguments: AppLocale.allCases)
    func everyPage(locale: AppLocale) async throws {
        try await WebHarness.run(.sqlite) { app in
            try await Self.furnish(app)
            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: locale.rawValue), by: app.ownerPrincipal)
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let account = try #require(try await AccountRepository(app.database.sql).list(filter: AccountFilter(), page: PageRequest()).items.first)
            let member = try #require(try await MemberRepository(app.database.sql).find(email: "wang@example.com"))
            let uris = ["/", "/team/members", "/team/members/new", "/team/members/\(member.id)", "/team/roles", "/team/roles/new", "/team/roles/director",
                        "/accounts", "/accounts/new", "/accounts/\(account.id)", "/accounts/groups", "/settings", "/settings/audit", "/me",
                        "/search?q=%E9%9D%92%E7%A6%BE", "/team/members?status=all&sort=email&order=desc", "/accounts?platform=weibo&state=reconnect_needed",
                        "/team/kpis", "/team/kpis/new", "/team/kpis/kpi_builtin_reviewer_turnaround", "/team/kpis/kpi_builtin_reviewer_turnaround/edit",
                        "/team/scorecards", "/team/scorecards?period=2026-Q3", "/team/scorecards/\(member.id)",
                        "/team/scorecards/\(member.id)/kpis/kpi_builtin_content_reads", "/team/reviews", "/team/reviews/\(member.id)/2026-10"]
            for uri in uris {
                let page = try await session.get(uri)
                #expect(page.status == .ok, "\(uri)")
                let text = page.text
                // A missing catalog key would show up as its dotted key.
                if let range = text.range(of: #"(?<!code)>\s*[a-z]+\.[a-z_]+\.?[a-z_]*\s*<"#, options: .regularExpression) {
                    Issue.record("\(uri) shows a raw catalog key: \(text[range])")
                }
                #expect(text.contains(locale == .zhHans ? "lang=\"zh-CN\"" : "lang=\"en\""))
                #expect(page.headers[HTTPField.Name("Content-Security-Policy")!] != nil)
            }
        }
    }

    @Test("journey: add a member and an account through the forms, with errors shown next to the field")
    func journey() async throws {
        try await WebHarness.run(.sqlite) { app in
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let bad = try await session.post("/team/members", form: [("name", "李雷"), ("email", "li@example.com"), ("password", "123"), ("roles", "content")],
                                             from: "/team/members/new")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("密码至少需要 8 个字符"))
            #expect(bad.text.contains("value=\"li@example.com\""))
            let good = try await session.post("/team/members", form: [("name", "李雷"), ("email", "li@example.com"), ("password", "password123"),
                                                                     ("roles", "content"), ("roles", "copywriter")], from: "/team/members/new")
            #expect(good.status == .seeOther)
            let detail = try await session.follow(good)
            #expect(detail.text.contains("成员已添加"))
            #expect(detail.text.contains("李雷"))

            let missing = try await session.post("/accounts", form: [("platform", "wechat_oa"), ("name", "服务号"), ("handle", "gh_1"), ("kind", "service"),
                                                                     ("wechat_oa__field_app_id", "")], from: "/accounts/new")
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.contains("请填写AppID"))
            // Every mistake at once, each next to its field: no name, and an AppID that is not wx + 16 hex digits.
            let several = try await session.post("/accounts", form: [("platform", "wechat_oa"), ("name", ""), ("handle", "gh_1"), ("kind", "service"),
                                                                     ("wechat_oa__field_app_id", "wx123")], from: "/accounts/new")
            #expect(several.status == .unprocessableContent)
            #expect(several.text.contains("请填写名称"))
            #expect(several.text.contains("AppID 应为 wx 加 16 位十六进制字符"))
            #expect(several.text.contains("有 2 处需要修改"))
            let api = try await app.api(.post, "/api/v1/accounts", token: app.ownerToken,
                                        json: #"{"platform":"weibo","name":"","handle":"wb","fields":{"uid":"u-123"}}"#)
            #expect(api.status == .unprocessableContent)
            let listed = (api.json["error"] as? [String: Any])?["errors"] as? [[String: Any]] ?? []
            #expect(listed.compactMap { $0["field"] as? String } == ["name", "fields.uid"])
            let created = try await session.post("/accounts", form: [("platform", "wechat_oa"), ("name", "服务号"), ("handle", "gh_1"), ("kind", "subscription"),
                                                                     ("wechat_oa__field_app_id", "wx0123456789abcdef"), ("wechat_oa__secret_app_secret", "top-secret"),
                                                                     ("new_group", "品牌一")], from: "/accounts/new")
            #expect(created.status == .seeOther)
            let page = try await session.follow(created)
            #expect(page.text.contains("账号已加入矩阵"))
            #expect(page.text.contains("已设置"))
            #expect(!page.text.contains("top-secret"))
            #expect(page.text.contains("品牌一"))
            let accounts = try await session.get("/accounts?q=%E6%9C%8D%E5%8A%A1")
            #expect(accounts.text.contains("订阅号"))
        }
    }

    @Test("a member without the permission sees neither the link nor the page")
    func navigationFollowsPermissions() async throws {
        try await WebHarness.run(.sqlite) { app in
            _ = try await app.member(["copywriter"], email: "writer@example.com")
            let session = try await app.signIn(email: "writer@example.com", password: "member-password")
            let home = try await session.get("/")
            #expect(home.text.contains("/accounts"))
            #expect(!home.text.contains("/settings/audit"))
            #expect(!home.text.contains("href=\"/settings\""))
            let settings = try await session.get("/settings")
            #expect(settings.status == .forbidden)
            #expect(settings.text.contains("没有权限"))
        }
    }

    @Test("the language switch changes every string and is remembered")
    func languageSwitch() async throws {
        try await WebHarness.run(.sqlite) { app in
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            #expect(try await session.get("/accounts").text.contains("账号矩阵"))
            let switched = try await session.post("/lang", form: [("locale", "en"), ("next", "/accounts")], from: "/accounts")
            #expect(switched.status == .seeOther)
            #expect(switched.location == "/accounts")
            let english = try await session.get("/accounts")
            #expect(english.text.contains("Account matrix"))
            #expect(!english.text.contains("账号矩阵"))
            #expect(try await MemberRepository(app.database.sql).find(id: app.owner.id)?.locale == .en)
        }
    }
}
