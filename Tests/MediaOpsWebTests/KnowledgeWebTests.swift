import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
@testable import MediaOpsWeb
import NIOCore
import Testing

/// The knowledge base and training through the API and the pages: an entry
/// written, found by a Chinese word, linked from a content item's page and
/// shown there; a template turned into a draft; refusals named field by field
/// in the member's language; viewers only read; a member reads only their own
/// training; the assessment standards in both languages, rewritten and reset.
@Suite("Work room: knowledge base and training")
struct KnowledgeWebTests {
    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func noRawKeys(_ page: TestResponse, _ uri: String) {
        #expect(page.status == .ok, "\(uri) → \(page.status)")
        if let range = page.text.range(of: #"(?<!code)>\s*[a-z]+\.[a-z_]+\.?[a-z_]*\s*<"#, options: .regularExpression) {
            Issue.record("\(uri) shows a raw catalog key: \(page.text[range])")
        }
        for raw in ["knowledge.", "training.", "standards.", "{title}", "{count}", ">creative_note<", ">passed<", "standard_default."]
            where page.text.contains(">" + raw) || page.text.contains(raw + "</") {
            Issue.record("\(uri) shows \(raw)")
        }
    }

    @Test("API: entries are written, searched in Chinese, versioned, linked and used as templates; refusals name every field; viewers only read",
          arguments: TestDatabase.available)
    func knowledgeAPI(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let created = try await app.api(.post, "/api/v1/knowledge", token: app.ownerToken, json: Self.json([
                "kind": "lesson", "title": "新品首发别只押一条视频", "body": "首发当天只发了一条抖音视频。\n\n下次追投DOU+。", "tags": ["新品", "复盘"], "platforms": ["douyin"]]))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["kind_name"] as? String == "经验教训" && created.json["version"] as? Int == 1)

            let refused = try await app.api(.post, "/api/v1/knowledge", token: app.ownerToken,
                                            json: Self.json(["kind": "memo", "title": "", "body": "x", "platforms": ["myspace"]]))
            #expect(refused.status == .unprocessableContent)
            let fields = ((refused.json["error"] as? [String: Any])?["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(fields == ["kind", "title", "platforms"], "\(refused.text)")
            #expect(refused.text.contains("请填写标题"), "\(refused.text)")
            let wrongType = try await app.api(.post, "/api/v1/knowledge", token: app.ownerToken, json: #"{"kind": "lesson", "title": "a", "body": "b", "tags": "x"}"#)
            #expect(wrongType.status == .unprocessableContent && wrongType.errorField == "tags")

            // Search: a two-character word, mixed Chinese and Latin, a tag; the filters.
            for (query, hits) in [("复盘", 1), ("dou%2B", 1), ("抖音视频", 1), ("直播", 0)] {
                let found = try await app.api(.get, "/api/v1/knowledge?q=\(query)", token: app.ownerToken)
                #expect(found.status == .ok && found.json["total"] as? Int == hits, "\(query): \(found.text)")
            }
            let tagged = try await app.api(.get, "/api/v1/knowledge?tag=%E6%96%B0%E5%93%81&kind=lesson&platform=douyin", token: app.ownerToken)
            #expect(tagged.json["total"] as? Int == 1)
            let badKind = try await app.api(.get, "/api/v1/knowledge?kind=memo", token: app.ownerToken)
            #expect(badKind.status == .unprocessableContent && badKind.errorField == "kind")

            // Versions and a stale edit.
            let patched = try await app.api(.patch, "/api/v1/knowledge/\(id)", token: app.ownerToken, json: #"{"tags": ["新品", "复盘", "抖音"], "version": 1}"#)
            #expect(patched.status == .ok && patched.json["version"] as? Int == 2 && patched.json["title"] as? String == "新品首发别只押一条视频", "\(patched.text)")
            let stale = try await app.api(.patch, "/api/v1/knowledge/\(id)", token: app.ownerToken, json: #"{"title": "别的", "version": 1}"#)
            #expect(stale.status == .conflict && stale.errorCode == "stale_version")
            let versions = try await app.api(.get, "/api/v1/knowledge/\(id)/versions", token: app.ownerToken)
            #expect((versions.json["items"] as? [[String: Any]])?.map { $0["changed_fields"] as? [String] } == [["tags"], []])

            // Links to a content item, both ways.
            let item = try await app.api(.post, "/api/v1/content", token: app.ownerToken, json: #"{"title": "冬日限定：桂花乌龙拿铁回归", "body": "<p>回归</p>"}"#)
            let itemID = try #require(item.json["id"] as? String, "\(item.text)")
            let link = try await app.api(.post, "/api/v1/knowledge/\(id)/links", token: app.ownerToken, json: Self.json(["kind": "content", "target_id": itemID]))
            #expect(link.status == .created && link.json["title"] as? String == "冬日限定：桂花乌龙拿铁回归", "\(link.text)")
            let unknown = try await app.api(.post, "/api/v1/knowledge/\(id)/links", token: app.ownerToken, json: #"{"kind": "content", "target_id": "cnt_nothing"}"#)
            #expect(unknown.status == .unprocessableContent && unknown.errorCode == "knowledge_link_target_unknown")
            let linked = try await app.api(.get, "/api/v1/knowledge/linked-to/content/\(itemID)", token: app.ownerToken)
            #expect((linked.json["items"] as? [[String: Any]])?.count == 1)
            let detail = try await app.api(.get, "/api/v1/knowledge/\(id)", token: app.ownerToken)
            #expect((detail.json["links"] as? [[String: Any]])?.first?["href"] as? String == "/content/\(itemID)")

            // A template becomes a draft; a lesson cannot.
            let template = try await app.api(.post, "/api/v1/knowledge", token: app.ownerToken, json: Self.json([
                "kind": "template", "title": "活动规则说明", "body": "活动时间：____\n\n参与方式：____", "tags": ["活动"]]))
            let templateID = try #require(template.json["id"] as? String)
            let used = try await app.api(.post, "/api/v1/knowledge/\(templateID)/use-template", token: app.ownerToken)
            #expect(used.status == .created && used.json["title"] as? String == "活动规则说明", "\(used.text)")
            let notTemplate = try await app.api(.post, "/api/v1/knowledge/\(id)/use-template", token: app.ownerToken)
            #expect(notTemplate.status == .unprocessableContent && notTemplate.errorCode == "knowledge_not_a_template")

            // A viewer reads and cannot write; a teammate writes.
            let (_, viewer) = try await app.member(["viewer"])
            #expect(try await app.api(.get, "/api/v1/knowledge", token: viewer).status == .ok)
            #expect(try await app.api(.post, "/api/v1/knowledge", token: viewer, json: #"{"kind": "lesson", "title": "a", "body": "b"}"#).status == .forbidden)
            #expect(try await app.api(.delete, "/api/v1/knowledge/\(id)", token: viewer).status == .forbidden)
            #expect(try await app.api(.post, "/api/v1/knowledge/\(templateID)/use-template", token: viewer).status == .forbidden)
            let (_, community) = try await app.member(["community"])
            #expect(try await app.api(.post, "/api/v1/knowledge", token: community, json: #"{"kind": "creative_note", "title": "打卡", "body": "每天一杯"}"#).status == .created)

            #expect(try await app.api(.delete, "/api/v1/knowledge/\(id)/links/content/\(itemID)", token: app.ownerToken).status == .noContent)
            #expect(try await app.api(.delete, "/api/v1/knowledge/\(id)", token: app.ownerToken).status == .noContent)
            #expect(try await app.api(.get, "/api/v1/knowledge/\(id)", token: app.ownerToken).status == .notFound)
        }
    }

    @Test("Entries link to goals and tasks too: their pages list 相关经验, linking starts from them, and nobody sees or links what their role cannot open",
          arguments: TestDatabase.available)
    func goalAndTaskLinks(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let entry = try await app.api(.post, "/api/v1/knowledge", token: app.ownerToken, json: Self.json([
                "kind": "playbook", "title": "半年目标按阶段拆", "body": "先定阶段，再定每阶段的人和事。"]))
            let entryID = try #require(entry.json["id"] as? String, "\(entry.text)")
            let account = try await app.team.createAccount(.init(platform: "wechat_oa", name: "青禾服务号", handle: "qinghe_oa", kind: "service",
                                                                 fields: ["app_id": "wx5f1c2d3e4a6b7c80"]), by: app.ownerPrincipal)
            let goal = try await app.api(.post, "/api/v1/goals", token: app.ownerToken, json: Self.json(PlanningWebTests.goalJSON(account: account.id)))
            let goalID = try #require(goal.json["id"] as? String, "\(goal.text)")
            let task = try await app.api(.post, "/api/v1/tasks", token: app.ownerToken, json: #"{"title":"季度复盘提纲"}"#)
            let taskID = try #require(task.json["id"] as? String, "\(task.text)")

            // API: both kinds link, resolve to their names and pages, and list back.
            let toGoal = try await app.api(.post, "/api/v1/knowledge/\(entryID)/links", token: app.ownerToken, json: Self.json(["kind": "goal", "target_id": goalID]))
            #expect(toGoal.status == .created && toGoal.json["title"] as? String == "服务号半年 5 万粉丝" && toGoal.json["href"] as? String == "/team/goals/\(goalID)",
                    "\(toGoal.text)")
            let toTask = try await app.api(.post, "/api/v1/knowledge/\(entryID)/links", token: app.ownerToken, json: Self.json(["kind": "task", "target_id": taskID]))
            #expect(toTask.status == .created && toTask.json["title"] as? String == "季度复盘提纲" && toTask.json["href"] as? String == "/tasks/\(taskID)")
            for (kind, wrong) in [("goal", taskID), ("task", goalID)] {
                let refused = try await app.api(.post, "/api/v1/knowledge/\(entryID)/links", token: app.ownerToken, json: Self.json(["kind": kind, "target_id": wrong]))
                #expect(refused.status == .unprocessableContent && refused.errorField == "target_id" && refused.errorCode == "knowledge_link_target_unknown")
            }
            let badKind = try await app.api(.post, "/api/v1/knowledge/\(entryID)/links", token: app.ownerToken, json: #"{"kind": "campaign", "target_id": "x"}"#)
            #expect(badKind.status == .unprocessableContent && badKind.errorField == "kind")
            for (kind, target) in [("goal", goalID), ("task", taskID)] {
                let listed = try await app.api(.get, "/api/v1/knowledge/linked-to/\(kind)/\(target)", token: app.ownerToken)
                #expect((listed.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [entryID], "\(kind): \(listed.text)")
            }

            // Pages: the goal and the task list the entry; linking starts from them and comes back.
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let goalPage = try await browser.get("/team/goals/\(goalID)")
            #expect(goalPage.text.contains("id=\"related-knowledge\"") && goalPage.text.contains("半年目标按阶段拆"))
            #expect(goalPage.text.contains("/knowledge?link_kind=goal&amp;link_id=\(goalID)"))
            let taskPage = try await browser.get("/tasks/\(taskID)")
            #expect(taskPage.text.contains("id=\"related-knowledge\"") && taskPage.text.contains("半年目标按阶段拆"))
            let picking = try await browser.get("/knowledge?link_kind=task&link_id=\(taskID)")
            #expect(picking.text.contains("正在为任务“季度复盘提纲”关联经验") && picking.text.contains("已关联到这个任务"))
            let other = try await app.api(.post, "/api/v1/knowledge", token: app.ownerToken, json: Self.json(["kind": "template", "title": "复盘会议程", "body": "一、目标"]))
            let otherID = try #require(other.json["id"] as? String)
            let linked = try await browser.post("/knowledge/\(otherID)/links", form: [("kind", "task"), ("target_id", taskID), ("return", "target")],
                                                from: "/knowledge?link_kind=task&link_id=\(taskID)")
            #expect(linked.status == .seeOther && linked.location == "/tasks/\(taskID)")
            #expect(try await browser.follow(linked).text.contains("复盘会议程"))
            let unlinked = try await browser.post("/knowledge/\(otherID)/links/delete", form: [("kind", "task"), ("target_id", taskID), ("return", "target")],
                                                  from: "/tasks/\(taskID)")
            let afterUnlink = try await browser.follow(unlinked)
            #expect(unlinked.status == .seeOther && !afterUnlink.text.contains("复盘会议程"))
            let entryPage = try await browser.get("/knowledge/\(entryID)")
            #expect(entryPage.text.contains("/team/goals/\(goalID)") && entryPage.text.contains("/tasks/\(taskID)"))

            // A role that reads and writes the knowledge base but not goals or tasks: the links
            // to them are left out of what it reads, and it cannot make new ones.
            let role = try await app.api(.post, "/api/v1/roles", token: app.ownerToken,
                                         json: #"{"key":"librarian","name":"资料员","permissions":["knowledge.view","knowledge.write","content.view"]}"#)
            #expect(role.status == .created, "\(role.text)")
            let (_, librarian) = try await app.member(["librarian"])
            let seen = try await app.api(.get, "/api/v1/knowledge/\(entryID)", token: librarian)
            #expect(seen.status == .ok && (seen.json["links"] as? [[String: Any]])?.isEmpty == true, "\(seen.text)")
            #expect(try await app.api(.get, "/api/v1/knowledge/linked-to/goal/\(goalID)", token: librarian).status == .forbidden)
            let sneaky = try await app.api(.post, "/api/v1/knowledge/\(otherID)/links", token: librarian, json: Self.json(["kind": "goal", "target_id": goalID]))
            #expect(sneaky.status == .forbidden)
            let stillLinked = try await app.api(.get, "/api/v1/knowledge/linked-to/goal/\(goalID)", token: app.ownerToken)
            #expect((stillLinked.json["items"] as? [[String: Any]])?.count == 1)

            // Both languages, no raw keys.
            for locale in ["zh-Hans", "en"] {
                if locale == "en" { _ = try await browser.post("/me", form: [("name", "林晓"), ("locale", "en")]) }
                for uri in ["/team/goals/\(goalID)", "/tasks/\(taskID)", "/knowledge?link_kind=goal&link_id=\(goalID)", "/knowledge/\(entryID)"] {
                    Self.noRawKeys(try await browser.get(uri), "\(locale) \(uri)")
                }
            }
            #expect(try await browser.get("/tasks/\(taskID)").text.contains("Related knowledge"))
        }
    }

    @Test("API: training records belong to their member; a member cannot read another's; only reviews.manage records; standards come in both languages",
          arguments: TestDatabase.available)
    func trainingAPI(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let (writer, writerToken) = try await app.member(["copywriter"], name: "刘洋")
            let (other, otherToken) = try await app.member(["community"], name: "赵敏")
            let (_, managerToken) = try await app.member(["manager"], name: "陈静")
            let (director, _) = try await app.member(["director"], name: "周航")
            let yesterday = LocalDate(Date(), timeZone: TimeZone(identifier: "Asia/Shanghai")!).adding(days: -1).description

            let created = try await app.api(.post, "/api/v1/training/records", token: managerToken, json: Self.json([
                "member_id": writer.id, "course": "广告法与内容合规", "provider": "公司内训", "day": yesterday, "hours": 1.5, "result": "passed", "score": 95]))
            #expect(created.status == .created && created.json["result_name"] as? String == "通过", "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            let refused = try await app.api(.post, "/api/v1/training/records", token: managerToken, json: Self.json([
                "member_id": writer.id, "course": "", "day": "2999-01-01", "hours": 0, "result": "attended", "score": 120]))
            let fields = ((refused.json["error"] as? [String: Any])?["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(refused.status == .unprocessableContent && fields == ["course", "day", "hours", "score"], "\(refused.text)")
            let outranked = try await app.api(.post, "/api/v1/training/records", token: managerToken, json: Self.json([
                "member_id": director.id, "course": "目标管理", "day": yesterday, "hours": 2, "result": "attended"]))
            #expect(outranked.status == .forbidden && outranked.errorCode == "member_outranks_you")

            // The member reads their own; another member reads neither the record nor the list.
            #expect(try await app.api(.get, "/api/v1/training/records/\(id)", token: writerToken).status == .ok)
            let mine = try await app.api(.get, "/api/v1/training/members/\(writer.id)/records", token: writerToken)
            #expect(mine.json["total"] as? Int == 1)
            let notYours = try await app.api(.get, "/api/v1/training/records/\(id)", token: otherToken)
            #expect(notYours.status == .forbidden && notYours.errorCode == "training_not_yours")
            #expect(try await app.api(.get, "/api/v1/training/members/\(writer.id)/records", token: otherToken).status == .forbidden)
            #expect(try await app.api(.get, "/api/v1/training/members/\(other.id)/records", token: otherToken).json["total"] as? Int == 0)
            #expect(try await app.api(.get, "/api/v1/training/records", token: writerToken).status == .forbidden)
            #expect(try await app.api(.post, "/api/v1/training/records", token: writerToken,
                                      json: Self.json(["member_id": writer.id, "course": "自己记", "day": yesterday, "hours": 1, "result": "attended"])).status == .forbidden)
            let year = try await app.api(.get, "/api/v1/training/records", token: managerToken)
            #expect((year.json["items"] as? [[String: Any]])?.count == 1)
            let patched = try await app.api(.patch, "/api/v1/training/records/\(id)", token: managerToken, json: #"{"score": 97}"#)
            #expect(patched.status == .ok && patched.json["score"] as? Double == 97)

            // Standards: every position, built-in, in both languages; rewritten by kpis.manage only.
            let standards = try await app.api(.get, "/api/v1/training/standards", token: writerToken)
            let items = try #require(standards.json["items"] as? [[String: Any]])
            #expect(items.count == 12 && items.allSatisfy { $0["customized"] as? Bool == false })
            let copywriter = try #require(items.first { $0["role"] as? String == "copywriter" })
            let name = ((copywriter["criteria"] as? [[String: Any]])?.first?["name"] as? [String: Any])
            #expect(name?["zh"] as? String == "按时交稿" && name?["en"] as? String == "On-time delivery")
            let input = Self.json(["criteria": [["name": ["zh": "按时交稿", "en": "On time"], "levels": [
                "excellent": ["zh": "全部按时", "en": "All"], "good": ["zh": "九成", "en": "Nine in ten"],
                "qualified": ["zh": "八成", "en": "Four in five"], "improve": ["zh": "更少", "en": "Fewer"]]]]])
            #expect(try await app.api(.patch, "/api/v1/training/standards/copywriter", token: managerToken, json: input).status == .forbidden)
            let saved = try await app.api(.patch, "/api/v1/training/standards/copywriter", token: app.ownerToken, json: input)
            #expect(saved.status == .ok && saved.json["customized"] as? Bool == true, "\(saved.text)")
            let half = try await app.api(.patch, "/api/v1/training/standards/copywriter", token: app.ownerToken,
                                         json: #"{"criteria": [{"name": {"zh": "按时", "en": ""}, "levels": {}}]}"#)
            #expect(half.status == .unprocessableContent && half.errorField == "criteria.0.name_en", "\(half.text)")
            #expect(try await app.api(.get, "/api/v1/training/standards/owner", token: app.ownerToken).status == .notFound)
            #expect(try await app.api(.delete, "/api/v1/training/standards/copywriter", token: app.ownerToken).status == .noContent)
            #expect(try await app.api(.delete, "/api/v1/training/records/\(id)", token: managerToken).status == .noContent)
        }
    }

    @Test("pages: a lesson written through the form, found by a Chinese word, linked from a content item's page and shown there; every page in both languages",
          arguments: TestDatabase.available)
    func pages(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            // Every error at once, what was typed kept.
            let refused = try await browser.post("/knowledge", form: [("kind", "lesson"), ("title", ""), ("body", ""), ("tags", "复盘")], from: "/knowledge/new")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("请填写标题") && refused.text.contains("请填写正文") && refused.text.contains("value=\"复盘\""))
            let missingCSRF = try await browser.post("/knowledge", form: [("kind", "lesson"), ("title", "a"), ("body", "b")], csrf: false)
            #expect(missingCSRF.status == .forbidden)

            let created = try await browser.post("/knowledge", form: [("kind", "lesson"), ("title", "热点文要在两小时内发出"),
                                                                      ("body", "降温那篇等了一下午审核。\n\n<script>alert(1)</script>"),
                                                                      ("tags", "热点，审核"), ("platforms", "weibo")], from: "/knowledge/new")
            #expect(created.status == .seeOther)
            let entryPath = try #require(created.location)
            let entry = try await browser.follow(created)
            Self.noRawKeys(entry, entryPath)
            #expect(entry.text.contains("经验已保存") && entry.text.contains("&lt;script&gt;") && !entry.text.contains("<script>alert"))

            // Two people editing: the second is told, keeps what they typed, and may then save over it knowingly.
            let entryID0 = String(entryPath.split(separator: "/").last!)
            _ = try await browser.post(entryPath, form: [("version", "1"), ("kind", "lesson"), ("title", "热点文要在两小时内发出"), ("body", "第一位同事的改动。")],
                                       from: entryPath + "/edit")
            let stale = try await browser.post(entryPath, form: [("version", "1"), ("kind", "lesson"), ("title", "热点文要在两小时内发出"), ("body", "第二位同事的改动。")],
                                               from: entryPath + "/edit")
            #expect(stale.status == .conflict && stale.text.contains("第二位同事的改动。") && stale.text.contains("name=\"version\" value=\"2\""))
            let again = try await browser.post(entryPath, form: [("version", "2"), ("kind", "lesson"), ("title", "热点文要在两小时内发出"),
                                                                 ("body", "降温那篇等了一下午审核。"), ("tags", "热点，审核")], from: entryPath + "/edit")
            #expect(again.status == .seeOther)
            #expect(try await KnowledgeService.standard(database: app.database, content: ContentService(database: app.database)).revisions(entryID: entryID0).count == 3)

            let found = try await browser.get("/knowledge?q=%E5%AE%A1%E6%A0%B8")  // 审核
            Self.noRawKeys(found, "/knowledge?q=审核")
            #expect(found.text.contains("热点文要在两小时内发出"))
            let nothing = try await browser.get("/knowledge?q=%E7%9B%B4%E6%92%AD")  // 直播
            #expect(nothing.text.contains("没有找到与“直播”有关的条目"))

            // From a content item: find the entry and link it; the item's page lists it.
            let item = try await app.api(.post, "/api/v1/content", token: app.ownerToken, json: #"{"title": "热点｜降温了，这样喝茶更暖胃", "body": "<p>降温</p>"}"#)
            let itemID = try #require(item.json["id"] as? String)
            let editor = try await browser.get("/content/\(itemID)")
            #expect(editor.text.contains("相关经验") && editor.text.contains("/knowledge?link_kind=content&amp;link_id=\(itemID)"))
            let picking = try await browser.get("/knowledge?link_kind=content&link_id=\(itemID)&q=%E7%83%AD%E7%82%B9")
            #expect(picking.text.contains("关联到这篇内容"))
            let entryID = String(entryPath.split(separator: "/").last!)
            let linked = try await browser.post("/knowledge/\(entryID)/links", form: [("kind", "content"), ("target_id", itemID), ("return", "target")],
                                                from: "/knowledge?link_kind=content&link_id=\(itemID)")
            #expect(linked.status == .seeOther && linked.location == "/content/\(itemID)")
            let withRelated = try await browser.follow(linked)
            #expect(withRelated.text.contains("热点文要在两小时内发出") && withRelated.text.contains("已关联"))

            // The rest of the room, in both languages.
            _ = try await browser.post("/team/training", form: [("member_id", app.owner.id), ("course", "舆情应对"), ("day", "2026-01-05"), ("hours", "６"),
                                                                ("result", "passed"), ("score", "88")], from: "/team/training/new")
            for locale in ["zh-Hans", "en"] {
                if locale == "en" { _ = try await browser.post("/me", form: [("name", "林晓"), ("locale", "en")]) }
                for uri in ["/knowledge", "/knowledge/new", entryPath, entryPath + "/versions", entryPath + "/edit", "/team/training", "/team/training/new",
                            "/team/training/members/\(app.owner.id)", "/team/training/standards", "/team/training/standards/content", "/content/\(itemID)"] {
                    let page = try await browser.get(uri)
                    Self.noRawKeys(page, "\(locale) \(uri)")
                    if locale == "en", !uri.hasPrefix("/knowledge/kno"), !uri.hasPrefix("/content") {
                        #expect(!page.text.contains("经验教训") && !page.text.contains("考核项"), "\(uri) has Chinese words in English")
                    }
                }
            }
        }
    }

    @Test("pages: a member sees their own training and not another's; a viewer gets no writing buttons; the standards form says every missing box",
          arguments: TestDatabase.available)
    func trainingPages(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let (writer, _) = try await app.member(["copywriter"], email: "writer@example.com", name: "刘洋")
            let (other, _) = try await app.member(["community"], email: "other@example.com", name: "赵敏")
            _ = try await app.member(["viewer"], email: "viewer@example.com", name: "高远")
            let session = try await app.signIn(email: "writer@example.com", password: "member-password")
            let mine = try await session.get("/team/training/members/\(writer.id)")
            #expect(mine.status == .ok && mine.text.contains("我的培训") && mine.text.contains("你还没有培训记录"))
            #expect(try await session.get("/team/training/members/\(other.id)").status == .forbidden)
            #expect(try await session.get("/team/training").status == .forbidden)
            let viewer = try await app.signIn(email: "viewer@example.com", password: "member-password")
            let list = try await viewer.get("/knowledge")
            #expect(list.status == .ok && !list.text.contains("/knowledge/new"))
            #expect(try await viewer.get("/knowledge/new").status == .forbidden)

            let owner = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let refused = try await owner.post("/team/training/standards/content", form: [("c0_name_zh", "阅读"), ("c0_name_en", "")],
                                               from: "/team/training/standards/content")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("“优秀”的中文说明") && refused.text.contains("value=\"阅读\""), "every missing box named, what was typed kept")
        }
    }
}
