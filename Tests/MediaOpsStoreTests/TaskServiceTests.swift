import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

/// Tasks on both databases: who may change which task, bulk changes all or
/// nothing, links checked against the rooms that own them, reminders sent
/// once, recurring tasks made once per occurrence across a daylight-saving
/// change, and the completed-task read the KPI room uses.
@Suite("Task store")
struct TaskServiceTests {
    struct Fixture {
        var database: Database
        var team: TeamService
        var owner: Principal
        var service: TaskService
        var content: ContentService
        var writerA: Principal
        var writerB: Principal
        var manager: Principal
        var viewer: Principal
    }

    static func principal(_ member: Member) -> Principal {
        let permissions = member.roleKeys.compactMap(BuiltinRole.init(rawValue:)).reduce(into: Set<Permission>()) { $0.formUnion($1.permissions) }
        return Principal(memberID: member.id, name: member.name, roleKeys: member.roleKeys, permissions: permissions)
    }

    static func fixture(_ database: Database, zone: String = "Asia/Shanghai") async throws -> Fixture {
        let team = StoreFixtures.service(database)
        let ownerMember = try await team.setUp(.init(workspaceName: "测试工作区", timeZone: zone, locale: "zh-Hans",
                                                     ownerName: "林晓", ownerEmail: "owner@example.com", password: "correct horse"))
        let owner = Principal(memberID: ownerMember.id, name: ownerMember.name, roleKeys: ownerMember.roleKeys, permissions: Set(Permission.allCases))
        func member(_ email: String, _ name: String, _ roles: [String]) async throws -> Principal {
            principal(try await team.createMember(.init(email: email, name: name, roles: roles, password: "password123"), by: owner))
        }
        let content = ContentService(database: database)
        let service = TaskService(database: database,
                                  resolvers: TaskService.standardResolvers(content: content, publishing: PublishingService(database: database),
                                                                           topics: TopicService(database: database)))
        return Fixture(database: database, team: team, owner: owner, service: service, content: content,
                       writerA: try await member("wang@example.com", "王雨桐", ["content"]),
                       writerB: try await member("liu@example.com", "刘洋", ["copywriter"]),
                       manager: try await member("chen@example.com", "陈静", ["manager"]),
                       viewer: try await member("gao@example.com", "高远", ["viewer"]))
    }

    @Test("a task is changed by its creator, its assignee or a keeper of tasks; only the creator or a keeper reassigns or deletes it; viewers create nothing",
          arguments: TestDatabase.available)
    func permissionsPerTask(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let task = try await f.service.create(WorkTask(title: "  写周报  ", assigneeID: f.writerB.memberID), by: f.writerA)
            #expect(task.title == "写周报" && task.creatorID == f.writerA.memberID)

            // The assignee works on it but cannot hand it on or delete it.
            var moved = try await f.service.move(id: task.id, to: .inProgress, by: f.writerB)
            #expect(moved.status == .inProgress)
            moved.assigneeID = f.manager.memberID
            await #expect(throws: PermissionError(code: "task_reassign_not_allowed")) { _ = try await f.service.update(moved, by: f.writerB) }
            await #expect(throws: PermissionError(code: "task_delete_not_allowed")) { try await f.service.delete(id: task.id, by: f.writerB) }

            // Someone else on the team may neither edit nor delete it, but may comment.
            let other = try await f.service.create(WorkTask(title: "别人的任务"), by: f.manager)
            await #expect(throws: PermissionError(code: "task_edit_not_allowed")) { _ = try await f.service.move(id: other.id, to: .done, by: f.writerA) }
            _ = try await f.service.comment(taskID: other.id, body: "我可以帮忙", by: f.writerA)
            await #expect(throws: PermissionError(code: "task_not_allowed")) { _ = try await f.service.create(WorkTask(title: "x"), by: f.viewer) }

            // A keeper of tasks may do anything; done stamps the completion, reopening clears it.
            let done = try await f.service.move(id: task.id, to: .done, by: f.manager)
            #expect(done.completedAt != nil)
            let reopened = try await f.service.move(id: task.id, to: .todo, by: f.manager)
            #expect(reopened.completedAt == nil)
            try await f.service.delete(id: task.id, by: f.writerA)
            #expect(try await f.service.task(id: task.id) == nil)

            // Every change is in the audit log.
            let entries = try await f.team.auditLog(AuditFilter(entityType: "task", entityID: task.id), page: PageRequest(page: 1, perPage: 50)).items
            #expect(Set(entries.map(\.action)) == [.create, .update, .delete])
            #expect(entries.contains { $0.changes["task_status"] == ["todo", "in_progress"] })
        }
    }

    @Test("every broken field is named at once; links must point at things that exist; an assignee must be an active member",
          arguments: TestDatabase.available)
    func validationAndLinks(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            do {
                _ = try await f.service.create(WorkTask(title: " ", description: String(repeating: "长", count: 5_001), remindBeforeMinutes: 1,
                                                        labels: (1...11).map { "标签\($0)" }), by: f.owner)
                Issue.record("an empty task was saved")
            } catch let errors as ValidationErrors {
                #expect(errors.errors.map(\.field) == ["title", "description", "remind_before_minutes", "labels"], "\(errors.errors)")
            }
            await #expect(throws: ValidationError(field: "links", code: "task_link_not_found", params: ["kind": "content", "id": "cnt_missing"])) {
                _ = try await f.service.create(WorkTask(title: "关联", links: [TaskLink(kind: .content, id: "cnt_missing")]), by: f.owner)
            }
            let item = try await f.content.create(.init(title: "春季新品推文", body: "<p>正文</p>"), by: f.owner)
            let linked = try await f.service.create(WorkTask(title: "关联", links: [TaskLink(kind: .content, id: item.id)]), by: f.owner)
            #expect(try await f.service.resolve(linked.links)[linked.links[0]]?.title == "春季新品推文")
            let filtered = try await f.service.list(TaskFilter(link: TaskLink(kind: .content, id: item.id)), page: PageRequest())
            #expect(filtered.items.map(\.id) == [linked.id])

            // A kind without a resolver (a room not built yet) is refused, not stored blind.
            let bare = TaskService(database: database)
            await #expect(throws: ValidationError(field: "links", code: "task_link_kind_unavailable", params: ["kind": "topic"])) {
                _ = try await bare.create(WorkTask(title: "选题", links: [TaskLink(kind: .topic, id: "top_1")]), by: f.owner)
            }
            await #expect(throws: ValidationError(field: "assignee_id", code: "task_assignee_unknown")) {
                _ = try await f.service.create(WorkTask(title: "没人", assigneeID: "mem_nobody"), by: f.owner)
            }
        }
    }

    @Test("a bulk change is all or nothing: one task the member may not change refuses the batch and nothing is written",
          arguments: TestDatabase.available)
    func bulkAllOrNothing(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let mine = try await f.service.create(WorkTask(title: "我的一", priority: .low), by: f.writerA)
            let mine2 = try await f.service.create(WorkTask(title: "我的二", priority: .low), by: f.writerA)
            let theirs = try await f.service.create(WorkTask(title: "别人的", priority: .low), by: f.writerB)
            do {
                try await f.service.bulk(ids: [mine.id, theirs.id, mine2.id], .priority(.urgent), by: f.writerA)
                Issue.record("a batch with someone else's task went through")
            } catch let refused as TaskBulkRefused {
                #expect(refused.titles == ["别人的"])
            }
            for id in [mine.id, mine2.id, theirs.id] { #expect(try await f.service.task(id: id)?.priority == .low) }
            await #expect(throws: ValidationError(field: "ids", code: "task_bulk_missing")) {
                try await f.service.bulk(ids: [mine.id, "tsk_gone"], .status(.done), by: f.writerA)
            }
            #expect(try await f.service.task(id: mine.id)?.status == .todo)

            #expect(try await f.service.bulk(ids: [mine.id, mine2.id], .priority(.urgent), by: f.writerA) == 2)
            #expect(try await f.service.bulk(ids: [mine.id, theirs.id], .assignee(f.writerB.memberID), by: f.manager) == 2)
            #expect(try await f.service.task(id: theirs.id)?.assigneeID == f.writerB.memberID)
            #expect(try await f.service.bulk(ids: [mine.id, mine2.id, theirs.id], .delete, by: f.manager) == 3)
            #expect(try await f.service.list(TaskFilter(), page: PageRequest()).total == 0)
        }
    }

    @Test("reminders: due soon within the task's lead and overdue after it, each once per due time, in the app and to routed channels",
          arguments: TestDatabase.available)
    func remindersOnce(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            _ = try await NotificationChannelService(database: database, secrets: f.team.secrets)
                .create(.init(name: "任务群", kind: "webhook", url: "https://hooks.example.com/tasks", events: ["task.due", "task.overdue"]), by: f.owner)
            let now = Date(timeIntervalSince1970: 1_790_000_000)
            let task = try await f.service.create(WorkTask(title: "审核推文", assigneeID: f.writerA.memberID, dueAt: now.addingTimeInterval(1_800),
                                                           remindBeforeMinutes: 60), by: f.owner, now: now)
            let early = try await f.service.create(WorkTask(title: "还早", assigneeID: f.writerA.memberID, dueAt: now.addingTimeInterval(7_200)), by: f.owner, now: now)
            let inbox = NotificationRepository(database.sql)

            #expect(try await f.service.sweep(now: now) == TaskSweepSummary(dueSoon: 1, overdue: 0, created: 0))
            #expect(try await f.service.sweep(now: now.addingTimeInterval(60)) == TaskSweepSummary())
            // Being handed the tasks was one notice each; the reminders are apart from those.
            var notes = try await inbox.list(userID: f.writerA.memberID!).filter { $0.kind != "task_assigned" }
            #expect(notes.map(\.kind) == ["task_due_soon"] && notes[0].link == "/tasks/\(task.id)")

            // Past its due time: the overdue reminder, once; the other task is now within its lead.
            #expect(try await f.service.sweep(now: now.addingTimeInterval(2_000)) == TaskSweepSummary(dueSoon: 0, overdue: 1, created: 0))
            #expect(try await f.service.sweep(now: now.addingTimeInterval(2_100)) == TaskSweepSummary())
            #expect(try await f.service.sweep(now: now.addingTimeInterval(3_700)) == TaskSweepSummary(dueSoon: 1, overdue: 0, created: 0))
            notes = try await inbox.list(userID: f.writerA.memberID!)
            #expect(notes.filter { $0.kind == "task_overdue" }.count == 1)

            // A new due time is a new occasion to remind; a finished task is never reminded.
            var moved = try #require(try await f.service.task(id: task.id))
            moved.dueAt = now.addingTimeInterval(86_400)
            _ = try await f.service.update(moved, by: f.owner, now: now.addingTimeInterval(4_000))
            #expect(try await f.service.sweep(now: now.addingTimeInterval(86_400 - 600)).dueSoon == 1)
            _ = try await f.service.move(id: early.id, to: .done, by: f.owner)
            #expect(try await f.service.sweep(now: now.addingTimeInterval(90_000)).overdue == 1, "only the open task is overdue")

            let jobs = try await database.sql.raw("SELECT idempotency_key FROM jobs WHERE kind = 'notify'").all().map { try $0.string("idempotency_key") }
            #expect(jobs.count == 6 && Set(jobs).count == 6, "\(jobs)")
        }
    }

    @Test("a weekly rule makes one task per Monday 09:00 in the workspace zone across the spring-forward change, never twice",
          arguments: TestDatabase.available)
    func recurrenceAcrossDST(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database, zone: "Europe/Berlin")
            // Saved on Friday 2026-03-20; Europe moves its clocks forward on Sunday 2026-03-29.
            let saved = Date(timeIntervalSince1970: 1_773_997_200) // 2026-03-20T09:00:00Z
            let rule = try await f.service.createRecurring(
                RecurringTask(title: "周报", assigneeID: f.writerA.memberID, labels: ["周报"], checklist: ["导出数据", "写结论"],
                              rule: RecurrenceRule(frequency: .weekly, weekdays: [1], hour: 9, minute: 0), dueAfterMinutes: 480),
                by: f.manager, now: saved)
            await #expect(throws: PermissionError(code: "task_recurring_not_allowed")) { _ = try await f.service.createRecurring(rule, by: f.writerA) }

            let firstMonday = Date(timeIntervalSince1970: 1_774_252_800) // 2026-03-23T08:00:00Z = 09:00 CET
            let secondMonday = Date(timeIntervalSince1970: 1_774_854_000) // 2026-03-30T07:00:00Z = 09:00 CEST
            #expect(try await f.service.sweep(now: firstMonday.addingTimeInterval(-60)).created == 0)
            #expect(try await f.service.sweep(now: firstMonday.addingTimeInterval(30)).created == 1)
            #expect(try await f.service.sweep(now: firstMonday.addingTimeInterval(90)).created == 0)
            // Two sweeps at once (two workers) still make one task.
            async let one = f.service.sweep(now: secondMonday.addingTimeInterval(10))
            async let two = f.service.sweep(now: secondMonday.addingTimeInterval(20))
            let made = try await one.created + two.created
            #expect(made == 1)
            #expect(try await f.service.sweep(now: secondMonday.addingTimeInterval(3_600)).created == 0)

            var filter = TaskFilter()
            filter.recurrenceID = rule.id
            let instances = try await f.service.list(filter, sort: .due, page: PageRequest()).items
            #expect(instances.map(\.dueAt) == [firstMonday.addingTimeInterval(8 * 3_600), secondMonday.addingTimeInterval(8 * 3_600)])
            #expect(instances.allSatisfy { $0.checklist.map(\.text) == ["导出数据", "写结论"] && $0.labels == ["周报"] && $0.assigneeID == f.writerA.memberID })
            #expect(try await f.service.nextOccurrence(try #require(try await f.service.recurring(id: rule.id)), now: secondMonday.addingTimeInterval(60))
                    == Date(timeIntervalSince1970: 1_775_458_800)) // 2026-04-06T07:00:00Z
        }
    }

    @Test("completed tasks in a period carry their due and completion instants, so on-time work can be counted", arguments: TestDatabase.available)
    func completedForKPIs(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            let onTime = try await f.service.create(WorkTask(title: "按时", assigneeID: f.writerA.memberID, dueAt: start.addingTimeInterval(7_200)), by: f.owner, now: start)
            let late = try await f.service.create(WorkTask(title: "迟了", assigneeID: f.writerA.memberID, dueAt: start.addingTimeInterval(600)), by: f.owner, now: start)
            let others = try await f.service.create(WorkTask(title: "别人的", assigneeID: f.writerB.memberID), by: f.owner, now: start)
            _ = try await f.service.move(id: onTime.id, to: .done, by: f.owner, now: start.addingTimeInterval(3_600))
            _ = try await f.service.move(id: late.id, to: .done, by: f.owner, now: start.addingTimeInterval(3_600))
            _ = try await f.service.move(id: others.id, to: .done, by: f.owner, now: start.addingTimeInterval(3_600))
            let done = try await f.service.completedTasks(assigneeID: f.writerA.memberID, from: start, to: start.addingTimeInterval(86_400))
            #expect(Set(done.map(\.id)) == [onTime.id, late.id])
            #expect(done.first { $0.id == onTime.id }?.onTime == true && done.first { $0.id == late.id }?.onTime == false)
            #expect(try await f.service.completedTasks(assigneeID: nil, from: start.addingTimeInterval(7_200), to: start.addingTimeInterval(86_400)).isEmpty)
        }
    }

    @Test("a comment's @mention tells the member in the app; the author is not told of their own mention", arguments: TestDatabase.available)
    func mentions(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let task = try await f.service.create(WorkTask(title: "推文终稿"), by: f.manager)
            _ = try await f.service.comment(taskID: task.id, body: "@王雨桐 请看价格，@陈静 也看一下", by: f.manager)
            let notes = try await NotificationRepository(database.sql).list(userID: f.writerA.memberID!)
            #expect(notes.map(\.kind) == ["task_mention"] && notes[0].link == "/tasks/\(task.id)#comments")
            #expect(try await NotificationRepository(database.sql).list(userID: f.manager.memberID!).isEmpty)
            #expect(try await f.service.comments(taskID: task.id).map(\.body) == ["@王雨桐 请看价格，@陈静 也看一下"])
            await #expect(throws: ValidationError(field: "body", code: "required")) { _ = try await f.service.comment(taskID: task.id, body: "  ", by: f.writerA) }
        }
    }
}
