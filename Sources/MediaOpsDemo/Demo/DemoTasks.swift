import Foundation
import MediaOpsApp
import MediaOpsDomain
import MediaOpsStore

/// The team's week on the board: tasks in every state across the members,
/// some past due, some tied to the demo's content items, a publish target and
/// a topic, with checklists, a comment that @mentions a teammate, and the
/// analyst's 周报 that comes back every Monday at 09:00.
enum DemoTasks {
    struct Plan {
        var title: String
        var description: String
        var status: TaskStatus
        var priority: TaskPriority
        var creator: String
        var assignee: String?
        /// Hours from now (negative: in the past).
        var dueInHours: Double?
        var labels: [String]
        var checklist: [(String, Bool)]
        var link: String?
    }

    static let plans: [Plan] = [
        Plan(title: "春季新品推文终稿", description: "服务号头条，配图用设计组的新品海报；周四前过一审。", status: .inProgress, priority: .high,
             creator: "chenjing@mediaops.local", assignee: "wangyutong@mediaops.local", dueInHours: 30, labels: ["新品", "服务号"],
             checklist: [("定标题（至少两个备选）", true), ("正文排版", true), ("核对价格与门店信息", false)], link: "content"),
        Plan(title: "整理上周评论区高频问题", description: "把微博和小红书评论里问得最多的五个问题整理成文档，给客服话术用。", status: .todo, priority: .normal,
             creator: "chenjing@mediaops.local", assignee: "zhaomin@mediaops.local", dueInHours: -20, labels: ["社群"],
             checklist: [("微博", false), ("小红书", false)], link: nil),
        Plan(title: "门店探店视频脚本", description: "60 秒以内，突出新品和门店环境。", status: .inReview, priority: .normal,
             creator: "sunhao@mediaops.local", assignee: "liuyang@mediaops.local", dueInHours: 6, labels: ["视频"],
             checklist: [("分镜", true), ("口播文案", true)], link: "topic"),
        Plan(title: "联名活动物料等品牌方确认", description: "品牌方法务还没回复授权范围，确认前不能排期。", status: .blocked, priority: .urgent,
             creator: "sunhao@mediaops.local", assignee: "hechang@mediaops.local", dueInHours: -50, labels: ["活动", "联名"],
             checklist: [], link: nil),
        Plan(title: "确认小红书笔记已发布", description: "手动发布后把链接填回发布目标。", status: .todo, priority: .high,
             creator: "wangyutong@mediaops.local", assignee: "wangyutong@mediaops.local", dueInHours: 3, labels: ["发布"],
             checklist: [], link: "publish_target"),
        Plan(title: "新品海报三个尺寸", description: "公众号封面、微博九宫格、小红书竖版各一张。", status: .done, priority: .normal,
             creator: "chenjing@mediaops.local", assignee: "zhengnan@mediaops.local", dueInHours: -30, labels: ["设计"],
             checklist: [("公众号封面", true), ("微博九宫格", true), ("小红书竖版", true)], link: nil),
        Plan(title: "媒体稿件投放名单", description: "本月可合作的本地生活类媒体和报价。", status: .done, priority: .low,
             creator: "zhouhang@mediaops.local", assignee: "maxiao@mediaops.local", dueInHours: -100, labels: ["公关"],
             checklist: [], link: nil),
        Plan(title: "账号授权续期", description: "官方微博授权已失效，需重新授权。", status: .todo, priority: .urgent,
             creator: "chenjing@mediaops.local", assignee: "huanglei@mediaops.local", dueInHours: -4, labels: ["账号"],
             checklist: [], link: nil),
        Plan(title: "旧版菜单图下线", description: "新菜单上线后旧图不再使用。", status: .cancelled, priority: .low,
             creator: "chenjing@mediaops.local", assignee: "zhengnan@mediaops.local", dueInHours: nil, labels: [],
             checklist: [], link: nil),
        Plan(title: "审批下月推广预算", description: "活动组报的三档方案，选一档并写明理由。", status: .todo, priority: .high,
             creator: "zhouhang@mediaops.local", assignee: "demo@mediaops.local", dueInHours: 26, labels: ["预算"],
             checklist: [("看三档方案", false), ("回复活动组", false)], link: nil),
        Plan(title: "季度复盘提纲", description: "按目标、数据、团队三部分列提纲。", status: .inProgress, priority: .normal,
             creator: "demo@mediaops.local", assignee: "demo@mediaops.local", dueInHours: 72, labels: ["复盘"],
             checklist: [], link: nil),
        Plan(title: "下月选题会准备", description: "每人带三个选题，附数据依据。", status: .todo, priority: .normal,
             creator: "zhouhang@mediaops.local", assignee: nil, dueInHours: 120, labels: ["选题"],
             checklist: [], link: nil),
    ]

    static func load(components: AppComponents, now: Date = Date()) async throws {
        let tasks = components.tasks
        let members = try await MemberRepository(components.database.sql).all()
        func principal(_ email: String) -> Principal? {
            guard let member = members.first(where: { $0.email == email }) else { return nil }
            let permissions = member.roleKeys.compactMap(BuiltinRole.init(rawValue:)).reduce(into: Set<Permission>()) { $0.formUnion($1.permissions) }
            return Principal(memberID: member.id, name: member.name, roleKeys: member.roleKeys, permissions: permissions)
        }
        let content = try await ContentService(database: components.database).list(filter: ContentFilter(), page: PageRequest(page: 1, perPage: 20)).items
        let topic = try await TopicService(database: components.database).list(filter: TopicFilter(), page: PageRequest(page: 1, perPage: 5)).items.first
        var target: PublishTarget?
        for item in content where target == nil {
            target = try await PublishingService(database: components.database).targets(contentID: item.id).first
        }
        var contentIndex = 0
        // Due times on the hour, as people set them.
        let hour = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 3_600).rounded(.down) * 3_600)
        for plan in plans {
            guard let creator = principal(plan.creator) else { continue }
            var links: [TaskLink] = []
            switch plan.link {
            case "content"?:
                if contentIndex < content.count { links.append(TaskLink(kind: .content, id: content[contentIndex].id)); contentIndex += 1 }
            case "topic"?: if let topic { links.append(TaskLink(kind: .topic, id: topic.id)) }
            case "publish_target"?:
                if let target { links.append(TaskLink(kind: .publishTarget, id: target.id)) }
                else if contentIndex < content.count { links.append(TaskLink(kind: .content, id: content[contentIndex].id)); contentIndex += 1 }
            default: break
            }
            let created = now.addingTimeInterval(-3 * 86_400)
            let due = plan.dueInHours.map { hour.addingTimeInterval($0 * 3_600) }
            // Done tasks were finished before their due time, except the one the board shows as late.
            let doneAt = due.map { $0.addingTimeInterval(plan.priority == .low ? 7_200 : -7_200) } ?? now.addingTimeInterval(-3_600)
            let draft = WorkTask(title: plan.title, description: plan.description, status: plan.status == .done ? .done : .todo, priority: plan.priority,
                                 assigneeID: plan.assignee.flatMap { email in members.first { $0.email == email }?.id }, dueAt: due, labels: plan.labels, links: links,
                                 checklist: plan.checklist.enumerated().map { ChecklistItem(id: "", text: $0.element.0, done: $0.element.1, position: $0.offset) })
            var task = try await tasks.create(draft, by: creator, now: plan.status == .done ? min(doneAt, now) : created)
            if plan.status != .done, plan.status != .todo {
                task = try await tasks.move(id: task.id, to: plan.status, by: creator, now: created.addingTimeInterval(3_600))
            }
            if plan.title == "春季新品推文终稿", let reviewer = principal("chenjing@mediaops.local") {
                _ = try await tasks.comment(taskID: task.id, body: "@王雨桐 价格以门店最新价目表为准，改完后提交审核。", by: reviewer,
                                            now: created.addingTimeInterval(7_200))
            }
            if plan.title == "联名活动物料等品牌方确认", let owner = principal("hechang@mediaops.local") {
                _ = try await tasks.comment(taskID: task.id, body: "已经催过一次，对方说本周五前回复。@孙浩 先不要排期。", by: owner,
                                            now: created.addingTimeInterval(10_800))
            }
        }
        // The analyst's weekly report, made every Monday at 09:00 since a fortnight ago.
        if let director = principal("zhouhang@mediaops.local"), let analyst = members.first(where: { $0.email == "wujia@mediaops.local" }) {
            let rule = RecurringTask(title: "周报：上周数据复盘", description: "汇总上周各账号的粉丝、阅读和互动，写三条结论和下周建议。", priority: .high,
                                     assigneeID: analyst.id, labels: ["周报", "数据"], checklist: ["导出上周数据", "写结论", "发到群里"],
                                     rule: RecurrenceRule(frequency: .weekly, weekdays: [1], hour: 9, minute: 0), dueAfterMinutes: 480)
            _ = try await tasks.createRecurring(rule, by: director, now: now.addingTimeInterval(-15 * 86_400))
            try await tasks.sweep(now: now)
        }
    }
}
