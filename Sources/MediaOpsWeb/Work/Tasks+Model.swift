import Foundation
import MediaOpsDomain
import MediaOpsStore

/// A task as a row, card or line of Home.
struct TaskCard {
    var id: String
    var href: String
    var title: String
    var status: String
    var statusKey: String
    var priority: String
    var priorityKey: String
    var assignee: String
    var due: String
    var dueExact: String
    var updated: String
    var overdue: Bool
    var checklist: String?
    var labels: [String]
    var hasLabels: Bool
    var recurring: Bool
    /// The board card's move form: the other statuses.
    var moves: [SelectOption]
    var canEdit: Bool

    init(_ task: WorkTask, names: [String: String], now: Date, identity: Identity?, t: Localizer) {
        id = task.id
        href = WorkPath.task(.value(task.id)).path
        title = task.title
        status = t.t("tasks.status_\(task.status.rawValue)")
        statusKey = task.status.rawValue
        priority = t.t("tasks.priority_\(task.priority.rawValue)")
        priorityKey = task.priority.rawValue
        assignee = task.assigneeID.map { names[$0] ?? t.t("tasks.former_member") } ?? t.t("tasks.unassigned")
        due = task.dueAt.map { t.dateTime($0) } ?? t.t("tasks.no_due")
        dueExact = task.dueAt.map { t.fullDateTime($0) } ?? ""
        updated = t.dateTime(task.updatedAt)
        overdue = task.isOverdue(at: now)
        let done = task.checklist.filter(\.done).count
        checklist = task.checklist.isEmpty ? nil : t.t("tasks.checklist_progress", ["done": String(done), "total": String(task.checklist.count)])
        labels = task.labels
        hasLabels = !task.labels.isEmpty
        recurring = task.recurrenceID != nil
        moves = TaskStatus.allCases.map { SelectOption(value: $0.rawValue, label: t.t("tasks.status_\($0.rawValue)"), selected: $0 == task.status) }
        canEdit = identity.map { TaskAccess.canEdit(task, memberID: $0.member.id, permissions: $0.permissions) } ?? false
    }
}

/// The filter row shared by the list and the board.
struct TaskFilterBar {
    var assignees: [SelectOption]
    var statuses: [SelectOption]
    var priorities: [SelectOption]
    var dues: [SelectOption]
    var labels: [SelectOption]
    var q: String
    var link: String
    var hasLink: Bool
    var linkLabel: String?
    var active: Bool
    var clearHref: String

    init(query: TaskQuery, members: [Member], labels: [String], linkTitle: String?, path: String, t: Localizer) {
        assignees = [SelectOption(value: "", label: t.t("tasks.filter_anyone"), selected: query.assignee == nil),
                     SelectOption(value: "me", label: t.t("tasks.filter_me"), selected: query.assignee == "me"),
                     SelectOption(value: "none", label: t.t("tasks.unassigned"), selected: query.assignee == "none")]
            + members.filter(\.isActive).map { SelectOption(value: $0.id, label: $0.name, selected: query.assignee == $0.id) }
        statuses = [SelectOption(value: "", label: t.t("tasks.filter_any_status"), selected: query.status == nil),
                    SelectOption(value: "open", label: t.t("tasks.filter_open"), selected: query.status == "open")]
            + TaskStatus.allCases.map { SelectOption(value: $0.rawValue, label: t.t("tasks.status_\($0.rawValue)"), selected: query.status == $0.rawValue) }
        priorities = [SelectOption(value: "", label: t.t("tasks.filter_any_priority"), selected: query.priority == nil)]
            + TaskPriority.allCases.reversed().map { SelectOption(value: $0.rawValue, label: t.t("tasks.priority_\($0.rawValue)"), selected: query.priority == $0) }
        dues = [SelectOption(value: "", label: t.t("tasks.filter_any_due"), selected: query.due == nil)]
            + TaskQuery.Due.allCases.map { SelectOption(value: $0.rawValue, label: t.t("tasks.due_\($0.rawValue)"), selected: query.due == $0) }
        var labelOptions = [SelectOption(value: "", label: t.t("tasks.filter_any_label"), selected: query.label == nil)]
        var all = labels
        if let current = query.label, !all.contains(current) { all.insert(current, at: 0) }
        labelOptions += all.map { SelectOption(value: $0, label: $0, selected: query.label == $0) }
        self.labels = labelOptions
        q = query.q ?? ""
        link = query.link.map { "\($0.kind.rawValue):\($0.id)" } ?? ""
        hasLink = query.link != nil
        linkLabel = query.link.map { t.t("tasks.filter_linked", ["kind": t.t("tasks.link_\($0.kind.rawValue)"), "title": linkTitle ?? $0.id]) }
        active = !query.isEmpty
        clearHref = path
    }
}

struct TaskViewTabs {
    var listHref: String
    var boardHref: String
    var recurringHref: String
    var onList: Bool
    var onBoard: Bool
    var onRecurring: Bool

    init(query: TaskQuery, current: WorkPath) {
        let pairs = query.pairs
        func link(_ path: WorkPath) -> String {
            pairs.isEmpty ? path.path : path.path + "?" + pairs.map { PathSegment.queryEscape($0.0) + "=" + PathSegment.queryEscape($0.1) }.joined(separator: "&")
        }
        listHref = link(.list)
        boardHref = link(.board)
        recurringHref = WorkPath.recurring.path
        onList = current == .list
        onBoard = current == .board
        onRecurring = current == .recurring
    }
}

extension WorkPath: Equatable {
    static func == (lhs: WorkPath, rhs: WorkPath) -> Bool { lhs.path == rhs.path }
}

struct TaskListPage {
    var tabs: TaskViewTabs
    var filters: TaskFilterBar
    var rows: [TaskCard]
    var hasRows: Bool
    var sortLinks: [String: Pagination.SortLink]
    var pagination: Pagination
    var canWrite: Bool
    var bulkStatuses: [SelectOption]
    var bulkPriorities: [SelectOption]
    var bulkAssignees: [SelectOption]
    var back: String
    var bulkErrors: String?
}

struct TaskBoardPage {
    struct Column { var key: String; var title: String; var count: String; var cards: [TaskCard]; var more: String? }
    var tabs: TaskViewTabs
    var filters: TaskFilterBar
    var columns: [Column]
    var canWrite: Bool
    var back: String
    var newHref: String
}

struct TaskDetailPage {
    struct LinkRow { var kind: String; var title: String; var detail: String?; var href: String?; var missing: Bool; var tasksHref: String }
    struct CheckRow { var id: String; var text: String; var done: Bool }
    struct CommentRow { var author: String; var at: String; var body: String }
    struct AttachmentRow { var assetID: String; var name: String; var detail: String?; var href: String }

    var task: TaskCard
    var description: String
    var creator: String
    var created: String
    var remind: String
    var links: [LinkRow]
    var checklist: [CheckRow]
    var comments: [CommentRow]
    var attachments: [AttachmentRow]
    var assetChoices: [SelectOption]
    var hasAssetChoices: Bool
    var history: [AuditRow]
    var canEdit: Bool
    var canDelete: Bool
    var canComment: Bool
    var recurringHref: String?
    var editHref: String
    var values: [String: String]
    var errors: [String: String]
    var mentionHelp: String
    /// The knowledge entries linked to this task (相关经验), when the reader may see the knowledge base.
    var related: KnowledgeRelatedSection? = nil
}

struct TaskFormPage {
    var action: String
    var backHref: String
    var isNew: Bool
    var values: [String: String]
    var statuses: [SelectOption]
    var priorities: [SelectOption]
    var assignees: [SelectOption]
    var reminders: [SelectOption]
    var linkKinds: [LinkField]
    var errors: [String: String]
    var summary: String?
    var zone: String
    var canReassign: Bool

    struct LinkField { var key: String; var label: String; var help: String; var value: String; var options: [SelectOption]; var hasOptions: Bool }
}

struct RecurringListPage {
    struct Row { var href: String; var title: String; var rule: String; var assignee: String; var next: String; var active: Bool; var tasksHref: String }
    var tabs: TaskViewTabs
    var rows: [Row]
    var hasRows: Bool
    var canManage: Bool
    var zone: String
}

struct RecurringFormPage {
    var action: String
    var backHref: String
    var isNew: Bool
    var values: [String: String]
    var frequencies: [SelectOption]
    var weekdays: [SelectOption]
    var priorities: [SelectOption]
    var assignees: [SelectOption]
    var errors: [String: String]
    var summary: String?
    var zone: String
    var deleteHref: String?
    var active: Bool
}

enum TaskSentences {
    /// "每周一、周三 09:00" / "Every Mon, Wed at 09:00".
    static func rule(_ rule: RecurrenceRule, t: Localizer) -> String {
        let time = RecurringInput.time(rule)
        switch rule.frequency {
        case .daily: return t.t("tasks.rule_daily", ["time": time])
        case .weekly:
            return t.t("tasks.rule_weekly", ["days": t.list(rule.weekdays.sorted().map { t.t("tasks.weekday_\($0)") }), "time": time])
        case .monthly: return t.t("tasks.rule_monthly", ["day": String(rule.dayOfMonth ?? 1), "time": time])
        }
    }

    static func lead(_ minutes: Int, t: Localizer) -> String {
        if minutes == 1_440 { return t.t("tasks.lead_day_one") }
        if minutes % 1_440 == 0 { return t.t("tasks.lead_days", ["n": String(minutes / 1_440)]) }
        if minutes == 60 { return t.t("tasks.lead_hour_one") }
        if minutes % 60 == 0 { return t.t("tasks.lead_hours", ["n": String(minutes / 60)]) }
        return t.t("tasks.lead_minutes", ["n": String(minutes)])
    }
}
