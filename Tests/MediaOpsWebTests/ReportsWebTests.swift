import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsApp
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsSandbox
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

@Suite("Analytics room: reports and schedules")
struct ReportsWebTests {
    static let provenance = MetricProvenance(source: .apiPull, capturedAt: Date(timeIntervalSince1970: 1_796_086_800))

    /// A 微博 account with two full weeks of numbers before the current week, and a post whose title a spreadsheet would run.
    static func furnish(_ app: WebHarness) async throws -> Account {
        let account = try await app.team.createAccount(.init(platform: "weibo", name: "青禾茶饮官方微博", handle: "qinghetea"), by: app.ownerPrincipal)
        let (today, zone) = try await AnalyticsService(database: app.database).today()
        let week = ReportKind.weekly.latestPeriod(today: today)
        let metrics = MetricService(database: app.database)
        var day = week.previous.from
        var index = 0
        while day <= week.to {
            index += 1
            _ = try await metrics.recordDaily(accountID: account.id, day: day, values: [.followersTotal: 20_000 + Double(index) * 15, .followersNet: 15,
                                                                                      .reads: 2_000, .likes: 90, .comments: 30], provenance: provenance)
            day = day.adding(days: 1)
        }
        let published = PullSchedule.start(of: week.from, in: zone).addingTimeInterval(12 * 3_600)
        _ = try await metrics.recordSnapshot(.init(accountID: account.id, platformPostID: "m-1", title: "=HYPERLINK(\"http://x\")新品上市", publishedAt: published),
                                             values: [.reads: 800, .likes: 64], provenance: MetricProvenance(source: .apiPull, capturedAt: published.addingTimeInterval(86_400)))
        return account
    }

    @Test("API: an analyst issues, reads, edits, regenerates and exports a report; bad input is a 422 naming the field; a viewer only reads",
          arguments: TestDatabase.available)
    func apiJourney(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let account = try await Self.furnish(app)
            let (_, analyst) = try await app.member(["analyst"])
            let (_, viewer) = try await app.member(["viewer"])

            let issued = try await app.api(.post, "/api/v1/analytics/reports", token: analyst, json: #"{"kind":"weekly","scope":"account","scope_id":"\#(account.id)"}"#)
            #expect(issued.status == .created, "\(issued.text)")
            let id = try #require(issued.json["id"] as? String)
            let current = try #require(issued.json["current"] as? [String: Any])
            #expect(current["reads"] as? Double == 14_000 && current["followers_net"] as? Double == 105 && current["posts"] as? Int == 1)
            #expect((issued.json["top_posts"] as? [[String: Any]])?.count == 1 && issued.json["issued_by"] as? String != nil)
            #expect((issued.json["title"] as? String)?.contains("周报") == true)

            let list = try await app.api(.get, "/api/v1/analytics/reports?kind=weekly", token: viewer)
            #expect(list.status == .ok && list.json["total"] as? Int == 1)
            #expect(try await app.api(.get, "/api/v1/analytics/reports?kind=daily", token: viewer).json["total"] as? Int == 0)
            #expect(try await app.api(.get, "/api/v1/analytics/reports/\(id)", token: viewer).status == .ok)
            #expect(try await app.api(.get, "/api/v1/analytics/reports/rep_missing", token: viewer).status == .notFound)

            let edited = try await app.api(.patch, "/api/v1/analytics/reports/\(id)/summary", token: analyst,
                                           json: #"{"summary":"本周粉丝稳步增长。","recommendations":"继续保持早间发布。"}"#)
            #expect(edited.status == .ok && edited.json["summary"] as? String == "本周粉丝稳步增长。")
            let tooLong = try await app.api(.patch, "/api/v1/analytics/reports/\(id)/summary", token: analyst,
                                            json: "{\"summary\":\"\(String(repeating: "字", count: 2_001))\"}")
            #expect(tooLong.status == .unprocessableContent && tooLong.errorField == "summary" && tooLong.errorCode == "too_long")
            let regenerated = try await app.api(.post, "/api/v1/analytics/reports/\(id)/regenerate", token: analyst)
            #expect(regenerated.status == .ok && regenerated.json["summary"] as? String == "本周粉丝稳步增长。" && regenerated.json["regenerated_by"] as? String != nil)

            let csv = try await app.api(.get, "/api/v1/analytics/reports/\(id)/export?format=csv", token: viewer)
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let bytes = Array(csv.body.readableBytesView)
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 with a byte order mark")
            #expect(csv.text.contains("'=HYPERLINK") && csv.text.contains("本周粉丝稳步增长。"), "a formula is written as text")
            let xlsx = try await app.api(.get, "/api/v1/analytics/reports/\(id)/export?format=xlsx", token: viewer)
            #expect(xlsx.status == .ok && Array(xlsx.body.readableBytesView).starts(with: [0x50, 0x4B]))
            let badFormat = try await app.api(.get, "/api/v1/analytics/reports/\(id)/export?format=pdf", token: viewer)
            #expect(badFormat.status == .unprocessableContent && badFormat.errorField == "format")

            // Bad input names its field.
            let noKind = try await app.api(.post, "/api/v1/analytics/reports", token: analyst, json: #"{"scope":"workspace"}"#)
            #expect(noKind.status == .unprocessableContent && noKind.errorField == "kind")
            let monthOnWeekly = try await app.api(.post, "/api/v1/analytics/reports", token: analyst, json: #"{"kind":"weekly","month":"2026-01"}"#)
            #expect(monthOnWeekly.status == .unprocessableContent && monthOnWeekly.errorField == "month" && monthOnWeekly.errorCode == "report_month_needs_monthly")
            let notOver = try await app.api(.post, "/api/v1/analytics/reports", token: analyst, json: #"{"kind":"monthly","month":"2999-01"}"#)
            #expect(notOver.status == .unprocessableContent && notOver.errorCode == "report_period_not_over")
            let noGroup = try await app.api(.post, "/api/v1/analytics/reports", token: analyst, json: #"{"kind":"daily","scope":"group"}"#)
            #expect(noGroup.status == .unprocessableContent && noGroup.errorField == "scope_id")
            let unknownGroup = try await app.api(.post, "/api/v1/analytics/reports", token: analyst, json: #"{"kind":"daily","scope":"group","scope_id":"grp_nothing"}"#)
            #expect(unknownGroup.status == .unprocessableContent && unknownGroup.errorCode == "unknown_group")
            #expect(try await app.api(.post, "/api/v1/analytics/reports", token: analyst, json: #"{"kind":7}"#).status == .unprocessableContent)
            #expect(try await app.api(.get, "/api/v1/analytics/reports?kind=yearly", token: viewer).status == .unprocessableContent)

            // A viewer reads but changes nothing.
            #expect(try await app.api(.post, "/api/v1/analytics/reports", token: viewer, json: #"{"kind":"weekly"}"#).status == .forbidden)
            #expect(try await app.api(.patch, "/api/v1/analytics/reports/\(id)/summary", token: viewer, json: #"{"summary":"x"}"#).status == .forbidden)
            #expect(try await app.api(.post, "/api/v1/analytics/reports/\(id)/regenerate", token: viewer).status == .forbidden)
            #expect(try await app.api(.post, "/api/v1/analytics/report-schedules", token: viewer, json: #"{"kind":"daily","time":"09:00"}"#).status == .forbidden)
        }
    }

    @Test("API: schedules are created, paused and deleted; every broken field is named at once", arguments: TestDatabase.available)
    func apiSchedules(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let broken = try await app.api(.post, "/api/v1/analytics/report-schedules", token: app.ownerToken,
                                           json: #"{"kind":"weekly","weekday":9,"time":"25:00","scope":"account"}"#)
            #expect(broken.status == .unprocessableContent)
            let fields = ((broken.json["error"] as? [String: Any])?["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? [broken.errorField ?? ""]
            #expect(Set(fields).isSuperset(of: ["scope_id", "time"]), "\(broken.text)")
            let created = try await app.api(.post, "/api/v1/analytics/report-schedules", token: app.ownerToken,
                                            json: #"{"kind":"weekly","weekday":1,"time":"09:00"}"#)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["time_zone"] as? String == "Asia/Shanghai" && created.json["next_due_at"] is String)
            let paused = try await app.api(.patch, "/api/v1/analytics/report-schedules/\(id)", token: app.ownerToken, json: #"{"enabled":false}"#)
            #expect(paused.status == .ok && paused.json["enabled"] as? Bool == false && paused.json["weekday"] as? Int == 1)
            let list = try await app.api(.get, "/api/v1/analytics/report-schedules", token: app.ownerToken)
            #expect((list.json["items"] as? [[String: Any]])?.count == 1)
            #expect(try await app.api(.delete, "/api/v1/analytics/report-schedules/\(id)", token: app.ownerToken).status == .noContent)
            #expect(try await app.api(.get, "/api/v1/analytics/report-schedules/\(id)", token: app.ownerToken).status == .notFound)
        }
    }

    @Test("pages: issue through the form, read the printable report, write the summary, manage schedules — in Chinese and English",
          arguments: AppLocale.allCases)
    func pages(locale: AppLocale) async throws {
        try await WebHarness.run(.sqlite) { app in
            _ = try await Self.furnish(app)
            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: locale.rawValue), by: app.ownerPrincipal)
            let zh = locale == .zhHans
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let empty = try await browser.get("/analytics/reports")
            #expect(empty.status == .ok)
            #expect(empty.text.contains(zh ? "还没有报告" : "No reports yet") && empty.text.contains(zh ? "数据报告" : "Reports"))

            let refused = try await browser.post("/analytics/reports", form: [("kind", "weekly"), ("scope", "workspace"), ("month", "2026-01")], from: "/analytics/reports")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(zh ? "只有月报可以指定月份" : "Only a monthly report takes a month"))

            let issued = try await browser.post("/analytics/reports", form: [("kind", "weekly"), ("scope", "workspace")], from: "/analytics/reports")
            #expect(issued.status == .seeOther)
            let page = try await browser.follow(issued)
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains(zh ? "周报" : "weekly report") && html.contains(zh ? "核心指标" : "Headline figures"))
            #expect(html.contains("class=\"report-section\"") && html.contains("<svg") && html.contains("▲"), "charts and a change with its arrow")
            #expect(html.contains("<p class=\"kpi-value\"><span title=\"") && !html.contains("\"html\":"), "headline figures render as figures")
            #expect(html.contains(zh ? "报告已生成。" : "Report issued."))
            #expect(html.contains("=HYPERLINK") && !html.contains("<a href=\"http://x\""), "a title is text")
            Self.expectNoRawKeys(html, "report")

            let location = try #require(issued.location)
            let saved = try await browser.post(location + "/summary", form: [("summary", "本周互动率保持在 6% 左右。"), ("recommendations", "下周尝试晚间发布。")], from: location)
            #expect(saved.status == .seeOther)
            #expect(saved.location?.hasSuffix("#summary") == true, "back to the summary")
            let withSummary = try await browser.get(location)
            #expect(withSummary.text.contains("本周互动率保持在 6% 左右。") && withSummary.text.contains(zh ? "由林晓生成于" : "Issued by 林晓"))
            let tooLong = try await browser.post(location + "/summary", form: [("summary", String(repeating: "长", count: 2_001)), ("recommendations", "")], from: location)
            #expect(tooLong.status == .unprocessableContent && tooLong.text.contains(String(repeating: "长", count: 2_001)), "what was typed survives")
            #expect(tooLong.text.contains(zh ? "不能超过 2000 个字" : "at most 2000 characters"))
            let noToken = try await browser.post(location + "/summary", form: [("summary", "x")], csrf: false)
            #expect(noToken.status == .forbidden)

            let history = try await browser.get("/analytics/reports?kind=weekly")
            #expect(history.text.contains(location) && history.text.contains("林晓"))
            Self.expectNoRawKeys(history.text, "history")
            #expect(try await browser.get("/analytics/reports?kind=yearly").status == .unprocessableContent)

            let schedules = try await browser.get("/analytics/report-schedules")
            #expect(schedules.status == .ok && schedules.text.contains(zh ? "还没有定时报告" : "No schedules yet"))
            let badSchedule = try await browser.post("/analytics/report-schedules", form: [("kind", "monthly"), ("scope", "workspace"), ("day_of_month", "31"), ("time", "9点")],
                                                     from: "/analytics/report-schedules")
            #expect(badSchedule.status == .unprocessableContent)
            #expect(badSchedule.text.contains(zh ? "必须在 1 到 28 之间" : "between 1 and 28") && badSchedule.text.contains(zh ? "00:00 到 23:59" : "00:00 and 23:59"))
            let created = try await browser.post("/analytics/report-schedules", form: [("kind", "weekly"), ("scope", "workspace"), ("weekday", "1"), ("time", "09:00"),
                                                                                        ("enabled", "1")], from: "/analytics/report-schedules")
            #expect(created.status == .seeOther)
            let listed = try await browser.follow(created)
            #expect(listed.text.contains(zh ? "每周一 09:00" : "Every Monday at 09:00") && listed.text.contains(zh ? "启用中" : "Enabled"))
            Self.expectNoRawKeys(listed.text, "schedules")
            let schedule = try #require(try await ReportService(database: app.database).schedules().first)
            let edit = try await browser.get("/analytics/report-schedules/\(schedule.id)")
            #expect(edit.status == .ok)
            Self.expectNoRawKeys(edit.text, "schedule edit")
            let toggled = try await browser.post("/analytics/report-schedules/\(schedule.id)/toggle", form: [], from: "/analytics/report-schedules")
            let afterToggle = try await ReportService(database: app.database).schedule(id: schedule.id)
            #expect(toggled.status == .seeOther && afterToggle?.enabled == false)
            let deleted = try await browser.post("/analytics/report-schedules/\(schedule.id)/delete", form: [], from: "/analytics/report-schedules")
            let remaining = try await ReportService(database: app.database).schedules()
            #expect(deleted.status == .seeOther && remaining.isEmpty)

            let nav = try await browser.get("/analytics")
            #expect(nav.text.contains("href=\"/analytics/reports\""))
        }
    }

    @Test("a viewer reads a report without the forms that change it, and cannot reach the schedule editor")
    func viewerPages() async throws {
        try await WebHarness.run(.sqlite) { app in
            _ = try await Self.furnish(app)
            let report = try await ReportService(database: app.database).issue(kind: .weekly, scope: .workspace,
                                                                              period: ReportKind.weekly.latestPeriod(today: try await AnalyticsService(database: app.database).today().day),
                                                                              by: app.ownerPrincipal)
            let (viewer, _) = try await app.member(["viewer"], email: "viewer@example.com")
            _ = viewer
            let browser = try await app.signIn(email: "viewer@example.com", password: "member-password")
            let page = try await browser.get("/analytics/reports/\(report.id)")
            #expect(page.status == .ok && !page.text.contains("/summary\"") && !page.text.contains("/regenerate\""))
            let list = try await browser.get("/analytics/reports")
            #expect(list.status == .ok && !list.text.contains("name=\"kind\" required"))
            let refused = try await browser.post("/analytics/reports/\(report.id)/summary", form: [("summary", "x")], from: "/analytics/reports")
            #expect(refused.status == .forbidden)
        }
    }

    @Test("a scheduled report reaches the robots subscribed to report.issued with its headline figures and link, in the workspace's language",
          arguments: TestDatabase.available)
    func scheduledReportReachesRobots(db: TestDatabase) async throws {
        let sandbox = try await SandboxServer().start()
        defer { sandbox.stop() }
        try await WebHarness.run(db) { app in
            let account = try await Self.furnish(app)
            let channels = NotificationChannelService(database: app.database, secrets: app.team.secrets)
            let subscribed = try await channels.create(.init(name: "数据群", kind: "wecom", url: "\(sandbox.url)/cgi-bin/webhook/send?key=robot-key-1",
                                                             events: ["report.issued"]), by: app.ownerPrincipal)
            _ = try await channels.create(.init(name: "发布群", kind: "dingtalk", url: "\(sandbox.url)/robot/send?access_token=ding-publish",
                                                secret: "sandbox-secret", events: ["target.failed"]), by: app.ownerPrincipal)
            let reports = ReportService(database: app.database)
            let created = Date().addingTimeInterval(-8 * 86_400)
            _ = try await reports.createSchedule(ReportSchedule(id: "", kind: .daily, scope: .account(account.id), hour: 0, minute: 0), by: app.ownerPrincipal, now: created)
            let issued = try await reports.issueDue()
            #expect(issued.count == 1)
            #expect(try await reports.issueDue().isEmpty)

            let handler = NotificationJobHandler(database: app.database, secrets: app.team.secrets, http: HTTPTransport(timeout: 2, policy: OutboundPolicy(allowPrivate: true)),
                                                 publicURL: "https://mediaops.example.com")
            let jobs = try await JobQueue(database: app.database).claim(owner: "w", limit: 10, lease: 30, kinds: [JobKind.notify])
            #expect(jobs.count == 1 && (try? NotificationRouter.decode(jobs[0].payload).channelID) == subscribed.id)
            for job in jobs { #expect(try await handler.handle(job, worker: "w") == .done) }
            let message = try #require(await sandbox.state.posts(platform: "wecom").first?.text)
            #expect(message.contains("数据报告已生成") && message.contains("青禾茶饮官方微博") && message.contains("日报"), "\(message)")
            #expect(message.contains("粉丝") && message.contains("互动率") && message.contains("https://mediaops.example.com/analytics/reports/\(issued[0].id)"), "\(message)")
            #expect(!message.contains("report:") && !message.contains("report.issued"), "no code reaches the group: \(message)")
            #expect(await sandbox.state.posts(platform: "dingtalk").isEmpty)
        }
    }

    static func expectNoRawKeys(_ text: String, _ page: String) {
        if let range = text.range(of: #"(?<!code)>\s*[a-z]+\.[a-z_]+\.?[a-z_]*\s*<"#, options: .regularExpression) {
            Issue.record("\(page) shows a raw catalog key: \(text[range])")
        }
        if text.contains("{") && text.range(of: #"\{[a-z_]+\}"#, options: .regularExpression) != nil {
            Issue.record("\(page) shows an unfilled placeholder")
        }
    }
}
