import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
@testable import MediaOpsWeb
import NIOCore
import Testing

/// Tasks through the API and the pages: created, filtered, moved on the board
/// with a plain form, changed in bulk all or nothing, commented on with an
/// @mention; refusals name the field in the member's language; per-task
/// rights hold through both doors.
@Suite("Work room: tasks")
struct TaskWebTests {
    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func noRawKeys(_ page: TestResponse, _ uri: String) {
        #expect(page.status == .ok, "\(uri) → \(page.status)")
        if let range = page.text.range(of: #"(?<!code)>\s*[a-z]+\.[a-z_]+\.?[a-z_]*\s*<"#, options: .regularExpression) {
            Issue.record("\(uri) shows a raw catalog key: \(page.text[range])")
        }
        for raw in [">tasks.", "\"tasks.", ">in_progress<", ">in_review<", "{count}", "{title}", "{time}"] where page.text.contains(raw) {
            Issue.record("\(uri) shows \(raw)")
        }
    }

    @Test("API: tasks are created, read, filtered, moved, bulk-changed and commented on; refusals name every field; per-task rights hold",
          arguments: TestDatabase.available)
    func throughTheAPI(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let (wang, wangToken) = try await app.member(["content"], name: "王雨桐")
            let (_, liuToken) = try await app.member(["copywriter"], name: "刘洋")
            let (_, viewerToken) = try await app.member(["viewer"])
            let created = try await app.api(.post, "/api/v1/tasks", token: app.ownerToken, json: Self.json([
                "title": "写本周周报", "priority": "high", "assignee_id": wang.id, "due_at": "2020-01-06T18:00:00+08:00",
                "labels": ["周报", "数据"], "checklist": ["导出数据", ["text": "写结论", "done": true]],
            ]))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["status_name"] as? String == "待办" && created.json["overdue"] as? Bool == true)
            #expect((created.json["checklist"] as? [[String: Any]])?.map { $0["done"] as? Bool } == [false, true])

            let refused = try await app.api(.post, "/api/v1/tasks", token: app.ownerToken, json: Self.json([
                "title": "", "status": "finished", "due_at": "tomorrow", "links": [["kind": "content", "id": "cnt_missing"]],
            ]))
            #expect(refused.status == .unprocessableContent)
            let fields = ((refused.json["error"] as? [String: Any])?["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(fields == ["title", "status", "due_at"], "\(refused.text)")

            let overdue = try await app.api(.get, "/api/v1/tasks?due=overdue&assignee=\(wang.id)", token: app.ownerToken)
            #expect((overdue.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])
            let mine = try await app.api(.get, "/api/v1/tasks?assignee=me&status=open", token: wangToken)
            #expect(mine.json["total"] as? Int == 1)
            #expect(try await app.api(.get, "/api/v1/tasks?due=yesterday", token: app.ownerToken).status == .unprocessableContent)
            // Words in the title, whatever their case; LIKE's wildcards are taken literally.
            #expect(try await app.api(.get, "/api/v1/tasks?q=%E5%91%A8%E6%8A%A5", token: app.ownerToken).json["total"] as? Int == 1)
            #expect(try await app.api(.get, "/api/v1/tasks?q=%25", token: app.ownerToken).json["total"] as? Int == 0)
            #expect(try await app.api(.get, "/api/v1/tasks?sort=status&order=desc", token: app.ownerToken).status == .ok)
            #expect(try await app.api(.get, "/api/v1/tasks?label=周报".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!, token: wangToken)
                .json["total"] as? Int == 1)

            // The assignee moves it; someone else on the team may only comment; a viewer only reads.
            let moved = try await app.api(.post, "/api/v1/tasks/\(id)/status", token: wangToken, json: Self.json(["status": "in_review"]))
            #expect(moved.json["status"] as? String == "in_review", "\(moved.text)")
            let foreign = try await app.api(.patch, "/api/v1/tasks/\(id)", token: liuToken, json: Self.json(["title": "改掉"]))
            #expect(foreign.status == .forbidden && foreign.errorCode == "task_edit_not_allowed")
            #expect(foreign.errorMessage?.contains("创建人") == true, "\(foreign.text)")
            let comment = try await app.api(.post, "/api/v1/tasks/\(id)/comments", token: liuToken, json: Self.json(["body": "@王雨桐 数据我补好了"]))
            #expect(comment.status == .created)
            #expect(try await app.api(.post, "/api/v1/tasks/\(id)/comments", token: viewerToken, json: Self.json(["body": "x"])).status == .forbidden)
            let inbox = try await app.api(.get, "/api/v1/notifications", token: wangToken)
            #expect((inbox.json["items"] as? [[String: Any]])?.contains { $0["kind"] as? String == "task_mention" } == true, "\(inbox.text)")

            // Bulk: a batch with a task the member may not change is refused whole, in words naming it.
            let own = try await app.api(.post, "/api/v1/tasks", token: liuToken, json: Self.json(["title": "刘洋自己的"]))
            let ownID = try #require(own.json["id"] as? String)
            let bulk = try await app.api(.post, "/api/v1/tasks/bulk", token: liuToken,
                                         json: Self.json(["ids": [ownID, id], "action": "priority", "priority": "urgent"]))
            #expect(bulk.status == .forbidden && bulk.errorCode == "task_bulk_refused" && bulk.errorMessage?.contains("写本周周报") == true, "\(bulk.text)")
            #expect(try await app.api(.get, "/api/v1/tasks/\(ownID)", token: liuToken).json["priority"] as? String == "normal")
            let done = try await app.api(.post, "/api/v1/tasks/bulk", token: app.ownerToken, json: Self.json(["ids": [ownID, id], "action": "status", "status": "done"]))
            #expect(done.json["changed"] as? Int == 2, "\(done.text)")

            // Checklist, history and delete.
            let step = try await app.api(.post, "/api/v1/tasks/\(id)/checklist", token: app.ownerToken, json: Self.json(["text": "发到群里"]))
            let itemID = try #require(((step.json["checklist"] as? [[String: Any]])?.last)?["id"] as? String)
            let ticked = try await app.api(.patch, "/api/v1/tasks/\(id)/checklist/\(itemID)", token: app.ownerToken, json: Self.json(["done": true]))
            #expect(((ticked.json["checklist"] as? [[String: Any]])?.last)?["done"] as? Bool == true)
            let history = try await app.api(.get, "/api/v1/tasks/\(id)/history", token: viewerToken)
            #expect(((history.json["items"] as? [[String: Any]])?.count ?? 0) >= 4)
            #expect(try await app.api(.delete, "/api/v1/tasks/\(id)", token: liuToken).status == .forbidden)
            #expect(try await app.api(.delete, "/api/v1/tasks/\(id)", token: app.ownerToken).status == .noContent)
            #expect(try await app.api(.get, "/api/v1/tasks/\(id)", token: app.ownerToken).status == .notFound)

            // Recurring rules: managers only; the next occurrence is given.
            #expect(try await app.api(.post, "/api/v1/task-recurrences", token: wangToken, json: Self.json(["title": "周报", "frequency": "weekly", "weekdays": [1], "time": "09:00"]))
                .status == .forbidden)
            let rule = try await app.api(.post, "/api/v1/task-recurrences", token: app.ownerToken,
                                         json: Self.json(["title": "周报", "frequency": "weekly", "weekdays": [1], "time": "09:00", "assignee_id": wang.id]))
            #expect(rule.status == .created && rule.json["next_at"] is String, "\(rule.text)")
            let badRule = try await app.api(.post, "/api/v1/task-recurrences", token: app.ownerToken,
                                            json: Self.json(["title": "月报", "frequency": "monthly", "time": "25:00"]))
            let ruleFields = ((badRule.json["error"] as? [String: Any])?["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(badRule.status == .unprocessableContent && ruleFields == ["day_of_month", "time"], "\(badRule.text)")
        }
    }

    @Test("pages: create a task from the form, see it on the board and the list, move it with the card's form, tick its checklist, comment, bulk-change; every page in both languages",
          arguments: TestDatabase.available)
    func throughThePages(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let (wang, _) = try await app.member(["content"], email: "wang@example.com", name: "王雨桐")
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            // Every broken field at once, what was typed kept.
            let refused = try await browser.post("/tasks", form: [("title", ""), ("due_at", "明天"), ("description", "保留我")], from: "/tasks/new")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("保留我") && refused.text.contains("请填写") && refused.text.contains("截止"))
            let created = try await browser.post("/tasks", form: [("title", "新品推文终稿"), ("assignee_id", wang.id), ("priority", "urgent"),
                                                                   ("due_at", "2030-05-01T18:00"), ("labels", "新品，推文"), ("checklist", "标题\n排版")],
                                                 from: "/tasks/new")
            #expect(created.status == .seeOther, "\(created.text)")
            let taskPath = try #require(created.location)
            let task = try await browser.follow(created)
            Self.noRawKeys(task, taskPath)
            #expect(task.text.contains("新品推文终稿") && task.text.contains("王雨桐") && task.text.contains("5月1日"))

            let board = try await browser.get("/tasks/board")
            Self.noRawKeys(board, "/tasks/board")
            #expect(board.text.contains("新品推文终稿"))
            let id = String(taskPath.split(separator: "/").last!)
            // The card's form moves it without JavaScript, back to the same board view.
            let move = try await browser.post("/tasks/\(id)/status", form: [("status", "in_progress"), ("back", "/tasks/board?assignee=me")], from: "/tasks/board")
            #expect(move.status == .seeOther && move.location == "/tasks/board?assignee=me")
            #expect(try await browser.post("/tasks/\(id)/status", form: [("status", "done")], csrf: false).status == .forbidden, "no CSRF token, no move")
            let offSite = try await browser.post("/tasks/\(id)/status", form: [("status", "in_progress"), ("back", "//evil.example.com/")], from: "/tasks/board")
            #expect(offSite.location == "/tasks/\(id)")

            let item = try #require(try await TaskRepository(app.database.sql).find(id: id)?.checklist.first)
            _ = try await browser.post("/tasks/\(id)/checklist/toggle", form: [("item", item.id), ("done", "true")], from: taskPath)
            #expect(try await TaskRepository(app.database.sql).find(id: id)?.checklist.first?.done == true)
            let comment = try await browser.post("/tasks/\(id)/comments", form: [("body", "@王雨桐 价格再核对一下")], from: taskPath)
            #expect(comment.status == .seeOther)

            // Filters live in the URL; a bad one is named.
            let filtered = try await browser.get("/tasks?assignee=\(wang.id)&priority=urgent&label=%E6%96%B0%E5%93%81&sort=priority&order=desc")
            Self.noRawKeys(filtered, "/tasks?…")
            #expect(filtered.text.contains("新品推文终稿"))
            let bad = try await browser.get("/tasks?due=someday")
            #expect(bad.status == .unprocessableContent)

            // Bulk from the list.
            let bulk = try await browser.post("/tasks/bulk", form: [("ids", id), ("action", "status"), ("status", "done"), ("back", "/tasks")], from: "/tasks")
            #expect(bulk.status == .seeOther)
            #expect(try await TaskRepository(app.database.sql).find(id: id)?.status == .done)
            let nothing = try await browser.post("/tasks/bulk", form: [("action", "status"), ("status", "done"), ("back", "/tasks")], from: "/tasks")
            #expect(nothing.status == .unprocessableContent && nothing.text.contains("请先勾选"))
            let unconfirmed = try await browser.post("/tasks/bulk", form: [("ids", id), ("action", "delete"), ("back", "/tasks")], from: "/tasks")
            #expect(unconfirmed.status == .unprocessableContent && unconfirmed.text.contains("确认删除"))
            #expect(try await TaskRepository(app.database.sql).find(id: id) != nil, "nothing is deleted without the tick")

            // Recurring tasks through the form.
            let rule = try await browser.post("/tasks/recurring", form: [("title", "周报"), ("frequency", "weekly"), ("weekdays", "1"), ("time", "09:00"),
                                                                         ("due_after_hours", "8"), ("assignee_id", wang.id), ("active", "true")],
                                              from: "/tasks/recurring/new")
            #expect(rule.status == .seeOther, "\(rule.text)")
            let rules = try await browser.follow(rule)
            #expect(rules.text.contains("每周一 09:00"))

            for locale in ["zh-Hans", "en"] {
                _ = try await app.team.updateMember(id: app.owner.id, .init(locale: locale), by: app.ownerPrincipal)
                for uri in ["/", "/tasks", "/tasks/board", "/tasks/new", taskPath, "/tasks/\(id)/edit", "/tasks/recurring", "/tasks/recurring/new",
                            "/tasks?due=overdue", "/tasks/board?assignee=none"] {
                    Self.noRawKeys(try await browser.get(uri), "\(locale) \(uri)")
                }
            }
            let english = try await browser.get("/tasks/board")
            #expect(english.text.contains("In progress") && english.text.contains("Task board"))
        }
    }

    @Test("the task form offers the publish targets still to go out or to see to, by title, account and time, and links the one picked",
          arguments: TestDatabase.available)
    func linkPublishTargetFromTheForm(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let fixture = try await PublishingWebTests.furnish(app)
            let targets = try await PublishingWebTests.schedule(app, fixture, accounts: [fixture.weiboID, fixture.xhsID])
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let form = try await browser.get("/tasks/new")
            #expect(form.status == .ok)
            // A choice, not a box for an id: each target by its content title and account.
            #expect(form.text.contains("<select id=\"link_publish_target\""), "no picker for publish targets")
            for (target, account) in zip(targets, ["青禾茶饮官方微博", "青禾小茶馆"]) {
                #expect(form.text.contains("<option value=\"\(target)\">冬日桂花乌龙上新 · \(account) · "), "\(account) is not offered")
            }
            let created = try await browser.post("/tasks", form: [("title", "确认小红书笔记已发布"), ("priority", "normal"), ("link_publish_target", targets[1])],
                                                 from: "/tasks/new")
            #expect(created.status == .seeOther, "\(created.text)")
            let page = try await browser.follow(created)
            #expect(page.text.contains("/publishing/targets/\(targets[1])") && page.text.contains("青禾小茶馆"))
        }
    }

    @Test("every task word built from a state, priority, link kind, rule, reminder or error code exists in both languages", arguments: AppLocale.allCases)
    func catalogKeys(locale: AppLocale) throws {
        let catalogs = try Catalogs.bundled()
        var keys = TaskStatus.allCases.map { "tasks.status_\($0.rawValue)" } + TaskPriority.allCases.map { "tasks.priority_\($0.rawValue)" }
        keys += TaskLinkKind.allCases.flatMap { ["tasks.link_\($0.rawValue)", "tasks.link_help_\($0.rawValue)"] }
        keys += RecurrenceFrequency.allCases.map { "tasks.frequency_\($0.rawValue)" } + (1...7).map { "tasks.weekday_\($0)" }
        keys += TaskQuery.Due.allCases.map { "tasks.due_\($0.rawValue)" }
        keys += OutboundEventKind.allCases.map { "channels.event_\($0.rawValue.replacingOccurrences(of: ".", with: "_"))" }
        keys += TaskService.notificationKinds.map { "notifications.kind_\($0)" }
        keys += ["task_not_allowed", "task_edit_not_allowed", "task_reassign_not_allowed", "task_delete_not_allowed", "task_recurring_not_allowed",
                 "task_checklist_text", "task_link_kind_unavailable", "task_link_not_found", "task_asset_not_found", "task_asset_attached",
                 "task_assignee_unknown", "task_bulk_none", "task_bulk_delete_confirm", "task_bulk_missing", "task_bulk_refused", "task_bulk_action_required", "task_link_filter",
                 "too_many", "invalid_time"].map { "error.\($0)" }
        for key in keys { #expect(catalogs.string(key, locale) != nil, "\(locale.rawValue) lacks \(key)") }
    }

    @Test("a teammate who neither made nor holds a task sees no edit controls and cannot post changes to it")
    func pagesHonourTaskRights() async throws {
        try await WebHarness.run(.sqlite) { app in
            _ = try await app.member(["copywriter"], email: "liu@example.com", name: "刘洋")
            let task = try await app.api(.post, "/api/v1/tasks", token: app.ownerToken, json: Self.json(["title": "老板的任务", "checklist": ["一步"]]))
            let id = try #require(task.json["id"] as? String)
            let browser = try await app.signIn(email: "liu@example.com", password: "member-password")
            let page = try await browser.get("/tasks/\(id)")
            #expect(page.status == .ok && !page.text.contains("/tasks/\(id)/status") && !page.text.contains("/tasks/\(id)/delete"))
            #expect(page.text.contains("/tasks/\(id)/comments"), "any teammate may comment")
            #expect(try await browser.post("/tasks/\(id)/status", form: [("status", "done")], from: "/tasks/\(id)").status == .forbidden)
            #expect(try await browser.get("/tasks/\(id)/edit").status == .forbidden)
            #expect(try await browser.get("/tasks/recurring/new").status == .forbidden)
        }
    }
}
