import Foundation

/// Where a task stands. The board shows one column per open state and one for
/// done; a cancelled task leaves the board and stays findable in the list.
///
/// 待验收 (`in_review`) is its own state rather than a flag: most tasks in a
/// media team end with someone checking the work (a draft read, a report
/// looked over), and the board has to show what waits for that check.
public enum TaskStatus: String, Sendable, CaseIterable, Codable {
    case todo
    case inProgress = "in_progress"
    case blocked
    case inReview = "in_review"
    case done
    case cancelled

    /// The board's columns, in the order work moves.
    public static let boardColumns: [TaskStatus] = [.todo, .inProgress, .blocked, .inReview, .done]

    /// Done and cancelled tasks are closed: no reminders, never overdue.
    public var isOpen: Bool { self != .done && self != .cancelled }
}

/// How urgent a task is; `rank` orders the list (higher first when descending).
public enum TaskPriority: String, Sendable, CaseIterable, Codable {
    case low, normal, high, urgent

    public var rank: Int {
        switch self {
        case .low: 0
        case .normal: 1
        case .high: 2
        case .urgent: 3
        }
    }
}

/// The kinds of thing a task can point at. Each kind is resolved by a
/// resolver handed to the task service when it is built (the owning room's
/// public service), so a new kind — a goal, a campaign, a crisis case — is one
/// case here and one resolver in the composition root.
public enum TaskLinkKind: String, Sendable, CaseIterable, Codable {
    case content
    case publishTarget = "publish_target"
    case topic
    /// A goal of the planning room (目标).
    case goal
}

/// A task's pointer at something another room owns.
public struct TaskLink: Sendable, Hashable, Codable {
    public var kind: TaskLinkKind
    public var id: String

    public init(kind: TaskLinkKind, id: String) {
        self.kind = kind
        self.id = id
    }
}

/// One step of a task's checklist, in the order the list shows.
public struct ChecklistItem: Sendable, Equatable {
    public var id: String
    public var text: String
    public var done: Bool
    public var position: Int

    public init(id: String, text: String, done: Bool = false, position: Int) {
        self.id = id
        self.text = text
        self.done = done
        self.position = position
    }

    public static let maxText = 200
    /// Steps one task may hold.
    public static let maxCount = 50
}

/// A piece of the team's work. Named `WorkTask` so it never shadows Swift's `Task`.
public struct WorkTask: Sendable, Equatable {
    public var id: String
    public var title: String
    public var description: String
    public var status: TaskStatus
    public var priority: TaskPriority
    public var assigneeID: String?
    public var creatorID: String?
    /// An instant (UTC); pages show and take it in the workspace's zone.
    public var dueAt: Date?
    /// Minutes before `dueAt` the assignee is reminded that it is due soon.
    public var remindBeforeMinutes: Int
    public var labels: [String]
    public var links: [TaskLink]
    public var checklist: [ChecklistItem]
    /// The recurring rule that made this task, if any.
    public var recurrenceID: String?
    /// When the task was last moved to done (nil while it is not done).
    public var completedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String = "", title: String, description: String = "", status: TaskStatus = .todo, priority: TaskPriority = .normal,
                assigneeID: String? = nil, creatorID: String? = nil, dueAt: Date? = nil, remindBeforeMinutes: Int = WorkTask.defaultReminderLead,
                labels: [String] = [], links: [TaskLink] = [], checklist: [ChecklistItem] = [], recurrenceID: String? = nil,
                completedAt: Date? = nil, createdAt: Date = Date(timeIntervalSince1970: 0), updatedAt: Date = Date(timeIntervalSince1970: 0)) {
        self.id = id
        self.title = title
        self.description = description
        self.status = status
        self.priority = priority
        self.assigneeID = assigneeID
        self.creatorID = creatorID
        self.dueAt = dueAt
        self.remindBeforeMinutes = remindBeforeMinutes
        self.labels = labels
        self.links = links
        self.checklist = checklist
        self.recurrenceID = recurrenceID
        self.completedAt = completedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public static let maxTitle = 120
    public static let maxDescription = 5_000
    public static let maxLabels = 10
    public static let maxLabel = 20
    public static let maxLinks = 20
    /// An hour's warning suits most tasks of a day (a post to check before it
    /// goes out, a report before a meeting); a task can ask for up to a week.
    public static let defaultReminderLead = 60
    public static let reminderLeadRange = 5...10_080

    /// Open and past its due instant.
    public func isOverdue(at now: Date) -> Bool {
        guard status.isOpen, let dueAt else { return false }
        return dueAt < now
    }

    /// Done by its due instant (a task without a due date is on time when done).
    public var doneOnTime: Bool? {
        guard status == .done, let completedAt else { return nil }
        guard let dueAt else { return true }
        return completedAt <= dueAt
    }

    /// Every broken field at once, in the form's order.
    public func validationErrors() -> [ValidationError] {
        var errors: [ValidationError] = []
        if title.isEmpty { errors.append(ValidationError(field: "title", code: "required")) }
        else if title.count > Self.maxTitle { errors.append(ValidationError(field: "title", code: "too_long", params: ["max": String(Self.maxTitle)])) }
        if description.count > Self.maxDescription {
            errors.append(ValidationError(field: "description", code: "too_long", params: ["max": String(Self.maxDescription)]))
        }
        if let dueAt, dueAt.timeIntervalSince1970 < 946_684_800 || dueAt.timeIntervalSince1970 > 7_258_118_400 {
            errors.append(ValidationError(field: "due_at", code: "invalid_date"))
        }
        if !Self.reminderLeadRange.contains(remindBeforeMinutes) {
            errors.append(ValidationError(field: "remind_before_minutes", code: "out_of_range",
                                          params: ["min": String(Self.reminderLeadRange.lowerBound), "max": String(Self.reminderLeadRange.upperBound)]))
        }
        if labels.count > Self.maxLabels { errors.append(ValidationError(field: "labels", code: "too_many", params: ["max": String(Self.maxLabels)])) }
        else if labels.contains(where: { $0.count > Self.maxLabel }) {
            errors.append(ValidationError(field: "labels", code: "too_long", params: ["max": String(Self.maxLabel)]))
        }
        if links.count > Self.maxLinks { errors.append(ValidationError(field: "links", code: "too_many", params: ["max": String(Self.maxLinks)])) }
        if checklist.count > ChecklistItem.maxCount {
            errors.append(ValidationError(field: "checklist", code: "too_many", params: ["max": String(ChecklistItem.maxCount)]))
        } else if checklist.contains(where: { $0.text.isEmpty || $0.text.count > ChecklistItem.maxText }) {
            errors.append(ValidationError(field: "checklist", code: "task_checklist_text", params: ["max": String(ChecklistItem.maxText)]))
        }
        return errors
    }

    /// Labels as typed ("周报, 数据，复盘"): split on commas of either width,
    /// trimmed, without a leading #, empty ones and repeats dropped.
    public static func labels(from text: String) -> [String] {
        var seen: [String] = []
        for part in text.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" }) {
            var label = part.trimmingCharacters(in: .whitespacesAndNewlines)
            if label.hasPrefix("#") { label.removeFirst() }
            label = label.trimmingCharacters(in: .whitespaces)
            if !label.isEmpty, !seen.contains(label) { seen.append(label) }
        }
        return seen
    }
}

/// What a member may do to one task. The route lets anyone with
/// `tasks.write` in; this decides per task.
public enum TaskAccess {
    /// Change its fields, checklist, attachments and status: its creator, its assignee, or a keeper of tasks.
    public static func canEdit(_ task: WorkTask, memberID: String?, permissions: Set<Permission>) -> Bool {
        if permissions.contains(.tasksManage) { return true }
        guard permissions.contains(.tasksWrite), let memberID else { return false }
        return task.creatorID == memberID || task.assigneeID == memberID
    }

    /// Hand it to someone else or delete it: its creator or a keeper of tasks.
    public static func canReassign(_ task: WorkTask, memberID: String?, permissions: Set<Permission>) -> Bool {
        if permissions.contains(.tasksManage) { return true }
        guard permissions.contains(.tasksWrite), let memberID else { return false }
        return task.creatorID == memberID
    }

    public static func canDelete(_ task: WorkTask, memberID: String?, permissions: Set<Permission>) -> Bool {
        canReassign(task, memberID: memberID, permissions: permissions)
    }
}

/// A comment on a task; `@姓名` or `@e-mail` in its body mentions a member.
public struct TaskComment: Sendable, Equatable {
    public var id: String
    public var taskID: String
    public var authorID: String?
    public var authorName: String
    public var body: String
    public var createdAt: Date

    public init(id: String, taskID: String, authorID: String?, authorName: String, body: String, createdAt: Date) {
        self.id = id
        self.taskID = taskID
        self.authorID = authorID
        self.authorName = authorName
        self.body = body
        self.createdAt = createdAt
    }

    public static let maxBody = 2_000
}

/// An asset from the library attached to a task.
public struct TaskAttachment: Sendable, Equatable {
    public var taskID: String
    public var assetID: String
    public var addedBy: String?
    public var addedAt: Date

    public init(taskID: String, assetID: String, addedBy: String?, addedAt: Date) {
        self.taskID = taskID
        self.assetID = assetID
        self.addedBy = addedBy
        self.addedAt = addedAt
    }

    public static let maxCount = 20
}

/// The two reminders a task's assignee gets, each once per due instant.
public enum TaskReminderKind: String, Sendable, CaseIterable, Codable {
    case dueSoon = "due_soon"
    case overdue
}

/// A completed task as the KPI room reads it: when it was due and when it was
/// done, so "done on time" is `completedAt <= dueAt` (or no due date at all).
public struct CompletedTask: Sendable, Equatable {
    public var id: String
    public var title: String
    public var assigneeID: String?
    public var dueAt: Date?
    public var completedAt: Date

    public init(id: String, title: String = "", assigneeID: String?, dueAt: Date?, completedAt: Date) {
        self.id = id
        self.title = title
        self.assigneeID = assigneeID
        self.dueAt = dueAt
        self.completedAt = completedAt
    }

    public var onTime: Bool { dueAt.map { completedAt <= $0 } ?? true }
}
