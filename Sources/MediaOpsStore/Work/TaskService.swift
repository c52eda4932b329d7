import Foundation
import MediaOpsDomain
import SQLKit

/// What a link or an attachment points at, as the owning room describes it.
public struct TaskLinkTarget: Sendable, Equatable {
    public var title: String
    /// A second line (the account of a publish target, the kind of an asset).
    public var detail: String?

    public init(title: String, detail: String? = nil) {
        self.title = title
        self.detail = detail
    }
}

/// Finds one thing of one kind through the room that owns it (never its
/// tables); nil when there is no such thing.
public struct TaskLinkResolver: Sendable {
    public var resolve: @Sendable (String) async throws -> TaskLinkTarget?

    public init(_ resolve: @escaping @Sendable (String) async throws -> TaskLinkTarget?) { self.resolve = resolve }
}

/// A bulk change refused as a whole: the tasks the member may not change
/// that way. Nothing was changed.
public struct TaskBulkRefused: Error, Sendable, Equatable {
    public var titles: [String]
}

/// One change applied to many tasks at once from the list.
public enum TaskBulkChange: Sendable, Equatable {
    case status(TaskStatus)
    /// nil unassigns.
    case assignee(String?)
    case priority(TaskPriority)
    /// nil clears the due date.
    case due(Date?)
    case delete
}

/// What one sweep did.
public struct TaskSweepSummary: Sendable, Equatable {
    public var dueSoon = 0
    public var overdue = 0
    public var created = 0

    public init(dueSoon: Int = 0, overdue: Int = 0, created: Int = 0) {
        self.dueSoon = dueSoon
        self.overdue = overdue
        self.created = created
    }
}

/// The team's tasks: validated (every broken field at once), allowed per task
/// (`TaskAccess`), audited, with mentions and reminders told to members in the
/// app and through the notification channels routed to receive them.
public struct TaskService: Sendable {
    public let database: Database
    let resolvers: [TaskLinkKind: TaskLinkResolver]
    let assets: TaskLinkResolver?

    /// `resolvers` checks and names each kind of link; a kind without one is
    /// refused. `assets` checks attachments against the asset library.
    public init(database: Database, resolvers: [TaskLinkKind: TaskLinkResolver] = [:], assets: TaskLinkResolver? = nil) {
        self.database = database
        self.resolvers = resolvers
        self.assets = assets
    }

    /// The link resolvers of the rooms that exist today: content items, publish
    /// targets, topics and goals, each through its room's service.
    public static func standardResolvers(content: ContentService, publishing: PublishingService, topics: TopicService,
                                         goals: GoalService? = nil) -> [TaskLinkKind: TaskLinkResolver] {
        var resolvers: [TaskLinkKind: TaskLinkResolver] = [
            .content: TaskLinkResolver { id in try await content.find(id: id).map { TaskLinkTarget(title: $0.title) } },
            .publishTarget: TaskLinkResolver { id in
                try await publishing.detail(id: id).map { TaskLinkTarget(title: $0.contentTitle, detail: $0.accountName) }
            },
            .topic: TaskLinkResolver { id in try await topics.find(id: id).map { TaskLinkTarget(title: $0.title) } },
        ]
        if let goals { resolvers[.goal] = TaskLinkResolver { id in try await goals.goal(id: id).map { TaskLinkTarget(title: $0.name) } } }
        return resolvers
    }

    public static func assetResolver(_ assets: AssetService) -> TaskLinkResolver {
        TaskLinkResolver { id in try await assets.find(id: id).map { TaskLinkTarget(title: $0.name, detail: $0.kind.rawValue) } }
    }

    public static let notificationKinds = ["task_assigned", "task_mention", "task_due_soon", "task_overdue"]
    public static let maxBulk = 200

    public static func link(taskID: String) -> String { "/tasks/\(taskID)" }

    public func zone() async throws -> TimeZone {
        try await WorkspaceRepository(database.sql).get().flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(identifier: "Asia/Shanghai")!
    }

    // MARK: Reads

    public func task(id: String) async throws -> WorkTask? { try await TaskRepository(database.sql).find(id: id) }

    /// Those of these tasks that exist, in the order asked (links from other rooms).
    public func tasks(ids: [String]) async throws -> [WorkTask] { try await TaskRepository(database.sql).find(ids: ids) }

    public func list(_ filter: TaskFilter, sort: TaskSort = .due, descending: Bool = false, page: PageRequest) async throws -> Page<WorkTask> {
        try await TaskRepository(database.sql).list(filter, sort: sort, descending: descending, page: page)
    }

    /// The board's tasks (at most `limit` per column), by status.
    public func board(_ filter: TaskFilter, limit: Int = 100) async throws -> (columns: [TaskStatus: [WorkTask]], counts: [TaskStatus: Int]) {
        let repository = TaskRepository(database.sql)
        var columns: [TaskStatus: [WorkTask]] = [:]
        for status in TaskStatus.boardColumns {
            var one = filter
            one.statuses = filter.statuses.isEmpty || filter.statuses.contains(status) ? [status] : []
            if one.statuses.isEmpty { columns[status] = []; continue }
            // Done work is shown newest first: the column is what just finished.
            columns[status] = status == .done
                ? try await repository.list(one, sort: .updated, descending: true, page: PageRequest(page: 1, perPage: min(limit, PageRequest.maxPerPage))).items
                : try await repository.all(one, limit: limit)
        }
        return (columns, try await repository.counts(filter))
    }

    public func labels() async throws -> [String] { try await TaskRepository(database.sql).labels() }

    public func comments(taskID: String) async throws -> [TaskComment] { try await TaskRepository(database.sql).comments(taskID: taskID) }

    public func attachments(taskID: String) async throws -> [TaskAttachment] { try await TaskRepository(database.sql).attachments(taskID: taskID) }

    /// What each link points at today (nil when it is gone).
    public func resolve(_ links: [TaskLink]) async throws -> [TaskLink: TaskLinkTarget] {
        var result: [TaskLink: TaskLinkTarget] = [:]
        for link in Set(links) {
            if let target = try await resolvers[link.kind]?.resolve(link.id) { result[link] = target }
        }
        return result
    }

    public func resolveAssets(_ ids: [String]) async throws -> [String: TaskLinkTarget] {
        var result: [String: TaskLinkTarget] = [:]
        for id in Set(ids) { if let target = try await assets?.resolve(id) { result[id] = target } }
        return result
    }

    /// The kinds this service can link to (those with a resolver).
    public var linkKinds: [TaskLinkKind] { TaskLinkKind.allCases.filter { resolvers[$0] != nil } }

    /// For the KPI room: each task the member (or anyone, with nil) completed
    /// in [from, to) with its due and completion instants; "done on time" is
    /// `CompletedTask.onTime`. A task reopened and done again counts at its
    /// last completion.
    public func completedTasks(assigneeID: String?, from: Date, to: Date) async throws -> [CompletedTask] {
        try await TaskRepository(database.sql).completed(assigneeID: assigneeID, from: from, to: to)
    }

    // MARK: Tasks

    public func create(_ draft: WorkTask, by principal: Principal, now: Date? = nil) async throws -> WorkTask {
        let now = now ?? database.now()
        guard principal.permissions.contains(.tasksWrite) || principal.permissions.contains(.tasksManage) else {
            throw PermissionError(code: "task_not_allowed")
        }
        var task = Self.cleaned(draft)
        task.id = Identifier.makeOrdered("tsk")
        task.creatorID = principal.memberID
        task.createdAt = now
        task.updatedAt = now
        task.recurrenceID = nil
        task.completedAt = task.status == .done ? now : nil
        task.checklist = task.checklist.enumerated().map { ChecklistItem(id: Identifier.makeOrdered("tci"), text: $0.element.text, done: $0.element.done, position: $0.offset) }
        let titles = try await check(task)
        let created = task
        return try await database.transaction { db in
            try await Self.checkAssignee(created.assigneeID, db: db)
            try await TaskRepository(db).insert(created)
            try await Audit.record(db, principal, .create, .task, created.id, label: created.title,
                                   changes: Self.fields(created, titles: titles).filter { !$0.value.isEmpty }.mapValues { ["", $0] }, at: now)
            try await Self.notifyAssigned(created, by: principal, db: db)
            return created
        }
    }

    /// Saves an edited task. The editor must be allowed to edit it; handing it
    /// to someone else also needs the right to reassign.
    public func update(_ edited: WorkTask, by principal: Principal, now: Date? = nil) async throws -> WorkTask {
        let now = now ?? database.now()
        let cleaned = Self.cleaned(edited)
        var titles = try await check(cleaned)
        // The links it had are named too, so the audit entry compares titles with titles.
        if let current = try await TaskRepository(database.sql).find(id: cleaned.id) {
            for (link, target) in try await resolve(current.links) where titles[link] == nil { titles[link] = target.title }
        }
        let named = titles
        return try await database.transaction { db in
            let repository = TaskRepository(db)
            guard let before = try await repository.find(id: cleaned.id, lock: true) else { throw NotFoundError(entity: "task") }
            let task = try Self.merge(cleaned, into: before, by: principal, now: now)
            if task.assigneeID != before.assigneeID { try await Self.checkAssignee(task.assigneeID, db: db) }
            return try await Self.save(task, before: before, by: principal, now: now, titles: named, db: db)
        }
    }

    /// Moves a task to another status (the board's card form and the API).
    public func move(id: String, to status: TaskStatus, by principal: Principal, now: Date? = nil) async throws -> WorkTask {
        let now = now ?? database.now()
        return try await database.transaction { db in
            guard let before = try await TaskRepository(db).find(id: id, lock: true) else { throw NotFoundError(entity: "task") }
            var task = before
            task.status = status
            task = try Self.merge(task, into: before, by: principal, now: now)
            return try await Self.save(task, before: before, by: principal, now: now, db: db)
        }
    }

    public func delete(id: String, by principal: Principal, now: Date? = nil) async throws {
        let now = now ?? database.now()
        try await database.transaction { db in
            let repository = TaskRepository(db)
            guard let task = try await repository.find(id: id, lock: true) else { throw NotFoundError(entity: "task") }
            guard TaskAccess.canDelete(task, memberID: principal.memberID, permissions: principal.permissions) else {
                throw PermissionError(code: "task_delete_not_allowed")
            }
            try await repository.delete(id: id)
            try await Audit.record(db, principal, .delete, .task, id, label: task.title, at: now)
        }
    }

    /// `edited` applied to `before` as `principal` may: the rules of who may
    /// change what, the checklist's ids kept, completion stamped.
    static func merge(_ edited: WorkTask, into before: WorkTask, by principal: Principal, now: Date) throws -> WorkTask {
        guard TaskAccess.canEdit(before, memberID: principal.memberID, permissions: principal.permissions) else {
            throw PermissionError(code: "task_edit_not_allowed")
        }
        if edited.assigneeID != before.assigneeID, !TaskAccess.canReassign(before, memberID: principal.memberID, permissions: principal.permissions) {
            throw PermissionError(code: "task_reassign_not_allowed")
        }
        var task = edited
        task.id = before.id
        task.creatorID = before.creatorID
        task.createdAt = before.createdAt
        task.recurrenceID = before.recurrenceID
        task.updatedAt = now
        if task.status == .done { task.completedAt = before.status == .done ? before.completedAt : now } else { task.completedAt = nil }
        task.checklist = task.checklist.enumerated().map { index, item in
            ChecklistItem(id: item.id.isEmpty || !before.checklist.contains(where: { $0.id == item.id }) ? Identifier.makeOrdered("tci") : item.id,
                          text: item.text, done: item.done, position: index)
        }
        return task
    }

    static func save(_ task: WorkTask, before: WorkTask, by principal: Principal, now: Date, titles: [TaskLink: String] = [:],
                     db: any SQLDatabase) async throws -> WorkTask {
        let changes = ChangeSet(from: fields(before, titles: titles), to: fields(task, titles: titles))
        guard !changes.isEmpty else { return before }
        try await TaskRepository(db).update(task)
        try await Audit.record(db, principal, .update, .task, task.id, label: task.title, changes: changes.changes, at: now)
        if task.assigneeID != before.assigneeID { try await notifyAssigned(task, by: principal, db: db) }
        return task
    }

    // MARK: Checklist

    public func addChecklistItem(taskID: String, text: String?, by principal: Principal) async throws -> WorkTask {
        let text = try Validate.requiredText(text, field: "text", max: ChecklistItem.maxText)
        return try await changeChecklist(taskID: taskID, by: principal) { items in
            guard items.count < ChecklistItem.maxCount else {
                throw ValidationError(field: "text", code: "too_many", params: ["max": String(ChecklistItem.maxCount)])
            }
            items.append(ChecklistItem(id: Identifier.makeOrdered("tci"), text: text, position: items.count))
        }
    }

    /// Ticks, unticks or rewords one step.
    public func setChecklistItem(taskID: String, itemID: String, done: Bool?, text: String?, by principal: Principal) async throws -> WorkTask {
        let text = try text.map { try Validate.requiredText($0, field: "text", max: ChecklistItem.maxText) }
        return try await changeChecklist(taskID: taskID, by: principal) { items in
            guard let index = items.firstIndex(where: { $0.id == itemID }) else { throw NotFoundError(entity: "checklist_item") }
            if let done { items[index].done = done }
            if let text { items[index].text = text }
        }
    }

    public func removeChecklistItem(taskID: String, itemID: String, by principal: Principal) async throws -> WorkTask {
        try await changeChecklist(taskID: taskID, by: principal) { items in
            guard let index = items.firstIndex(where: { $0.id == itemID }) else { throw NotFoundError(entity: "checklist_item") }
            items.remove(at: index)
        }
    }

    func changeChecklist(taskID: String, by principal: Principal, _ change: @escaping @Sendable (inout [ChecklistItem]) throws -> Void) async throws -> WorkTask {
        let now = database.now()
        return try await database.transaction { db in
            guard let before = try await TaskRepository(db).find(id: taskID, lock: true) else { throw NotFoundError(entity: "task") }
            var task = before
            try change(&task.checklist)
            task = try Self.merge(task, into: before, by: principal, now: now)
            return try await Self.save(task, before: before, by: principal, now: now, db: db)
        }
    }

    // MARK: Comments and attachments

    /// A comment; each member it @mentions is told in the app and through the
    /// channels routed to receive mentions.
    public func comment(taskID: String, body: String?, by principal: Principal, now: Date? = nil) async throws -> TaskComment {
        let now = now ?? database.now()
        let body = try Validate.requiredText(body, field: "body", max: TaskComment.maxBody)
        return try await database.transaction { db in
            guard let task = try await TaskRepository(db).find(id: taskID, lock: true) else { throw NotFoundError(entity: "task") }
            let comment = TaskComment(id: Identifier.makeOrdered("tcm"), taskID: taskID, authorID: principal.memberID, authorName: principal.name,
                                      body: body, createdAt: Date(epochMilliseconds: now.epochMilliseconds))
            try await TaskRepository(db).addComment(comment)
            try await Audit.record(db, principal, .update, .task, taskID, label: task.title, changes: ["comment": ["", String(body.prefix(200))]], at: now)
            let link = Self.link(taskID: taskID) + "#comments"
            for member in try await ContentService.mentioned(in: body, db: db) where member.id != principal.memberID {
                try await NotificationRepository(db).add(userID: member.id, kind: "task_mention", title: task.title, body: "\(principal.name): \(body)", link: link)
                try await NotificationRouter(database: database).enqueue(
                    OutboundEvent(id: "\(comment.id):\(member.id)", kind: .taskMentioned, at: now, contentTitle: task.title, accountName: member.name,
                                  reason: "\(principal.name): \(String(body.prefix(200)))", link: link), on: db)
            }
            return comment
        }
    }

    public func attach(taskID: String, assetID: String?, by principal: Principal, now: Date? = nil) async throws -> TaskAttachment {
        let now = now ?? database.now()
        let assetID = try Validate.requiredText(assetID, field: "asset_id", max: 64)
        guard let assets, let asset = try await assets.resolve(assetID) else { throw ValidationError(field: "asset_id", code: "task_asset_not_found") }
        return try await database.transaction { db in
            let repository = TaskRepository(db)
            guard let task = try await repository.find(id: taskID, lock: true) else { throw NotFoundError(entity: "task") }
            guard TaskAccess.canEdit(task, memberID: principal.memberID, permissions: principal.permissions) else { throw PermissionError(code: "task_edit_not_allowed") }
            let existing = try await repository.attachments(taskID: taskID)
            guard !existing.contains(where: { $0.assetID == assetID }) else { throw ValidationError(field: "asset_id", code: "task_asset_attached") }
            guard existing.count < TaskAttachment.maxCount else {
                throw ValidationError(field: "asset_id", code: "too_many", params: ["max": String(TaskAttachment.maxCount)])
            }
            let attachment = TaskAttachment(taskID: taskID, assetID: assetID, addedBy: principal.memberID, addedAt: Date(epochMilliseconds: now.epochMilliseconds))
            try await repository.attach(attachment)
            try await Audit.record(db, principal, .update, .task, taskID, label: task.title, changes: ["attachment": ["", asset.title]], at: now)
            return attachment
        }
    }

    public func detach(taskID: String, assetID: String, by principal: Principal, now: Date? = nil) async throws {
        let now = now ?? database.now()
        let name = try await assets?.resolve(assetID)?.title ?? assetID
        try await database.transaction { db in
            let repository = TaskRepository(db)
            guard let task = try await repository.find(id: taskID, lock: true) else { throw NotFoundError(entity: "task") }
            guard TaskAccess.canEdit(task, memberID: principal.memberID, permissions: principal.permissions) else { throw PermissionError(code: "task_edit_not_allowed") }
            guard try await repository.attachments(taskID: taskID).contains(where: { $0.assetID == assetID }) else { throw NotFoundError(entity: "attachment") }
            try await repository.detach(taskID: taskID, assetID: assetID)
            try await Audit.record(db, principal, .update, .task, taskID, label: task.title, changes: ["attachment": [name, ""]], at: now)
        }
    }

    // MARK: Bulk

    /// Applies one change to every task named, all or nothing: a task missing,
    /// or one the member may not change that way, refuses the whole batch
    /// (`TaskBulkRefused` names the tasks) and nothing is written.
    @discardableResult
    public func bulk(ids: [String], _ change: TaskBulkChange, by principal: Principal, now: Date? = nil) async throws -> Int {
        let now = now ?? database.now()
        var distinct: [String] = []
        for id in ids where !distinct.contains(id) { distinct.append(id) }
        let unique = distinct
        guard !unique.isEmpty else { throw ValidationError(field: "ids", code: "task_bulk_none") }
        guard unique.count <= Self.maxBulk else { throw ValidationError(field: "ids", code: "too_many", params: ["max": String(Self.maxBulk)]) }
        if case .due(let due?) = change, due.timeIntervalSince1970 < 946_684_800 || due.timeIntervalSince1970 > 7_258_118_400 {
            throw ValidationError(field: "due_at", code: "invalid_date")
        }
        return try await database.transaction { db in
            let repository = TaskRepository(db)
            let tasks = try await repository.find(ids: unique, lock: true)
            guard tasks.count == unique.count else { throw ValidationError(field: "ids", code: "task_bulk_missing") }
            if case .assignee(let assignee) = change { try await Self.checkAssignee(assignee, db: db) }
            let refused = tasks.filter { task in
                switch change {
                case .delete, .assignee: !TaskAccess.canReassign(task, memberID: principal.memberID, permissions: principal.permissions)
                default: !TaskAccess.canEdit(task, memberID: principal.memberID, permissions: principal.permissions)
                }
            }
            guard refused.isEmpty else { throw TaskBulkRefused(titles: refused.map(\.title)) }
            for before in tasks {
                var task = before
                switch change {
                case .delete:
                    try await repository.delete(id: task.id)
                    try await Audit.record(db, principal, .delete, .task, task.id, label: task.title, changes: ["bulk": ["", "delete"]], at: now)
                    continue
                case .status(let status): task.status = status
                case .assignee(let assignee): task.assigneeID = assignee
                case .priority(let priority): task.priority = priority
                case .due(let due): task.dueAt = due.map { Date(epochMilliseconds: $0.epochMilliseconds) }
                }
                task = try Self.merge(task, into: before, by: principal, now: now)
                _ = try await Self.save(task, before: before, by: principal, now: now, db: db)
            }
            return tasks.count
        }
    }

    // MARK: Sweep: reminders and recurring tasks

    /// Sends the reminders that have come due and makes the instances of
    /// recurring tasks whose time has come. Safe to run from several workers
    /// at once and as often as wanted: each reminder is claimed once per task,
    /// kind and due instant, each occurrence once by its key.
    @discardableResult
    public func sweep(now: Date? = nil) async throws -> TaskSweepSummary {
        let now = now ?? database.now()
        var summary = TaskSweepSummary()
        let zone = try await zone()
        summary.created = try await createRecurringInstances(now: now, zone: zone)
        for kind in TaskReminderKind.allCases {
            for task in try await TaskRepository(database.sql).remindersDue(kind, now: now) {
                if try await remind(task, kind: kind, now: now, zone: zone) {
                    if kind == .dueSoon { summary.dueSoon += 1 } else { summary.overdue += 1 }
                }
            }
        }
        return summary
    }

    func remind(_ task: WorkTask, kind: TaskReminderKind, now: Date, zone: TimeZone) async throws -> Bool {
        guard let dueAt = task.dueAt, let assignee = task.assigneeID else { return false }
        return try await database.transaction { db in
            guard try await TaskRepository(db).claimReminder(taskID: task.id, kind: kind, dueAt: dueAt, now: now) else { return false }
            guard let member = try await MemberRepository(db).find(id: assignee), member.isActive else { return true }
            let link = Self.link(taskID: task.id)
            let when = Self.wallClock(dueAt, zone: zone)
            // In the app the kind says "due soon"/"overdue" in the reader's language and the task's page shows
            // its due time in their format; robots get the wall-clock time with its zone.
            try await NotificationRepository(db).add(userID: assignee, kind: "task_\(kind.rawValue)", title: task.title, body: "", link: link)
            try await NotificationRouter(database: database).enqueue(
                OutboundEvent(id: "task:\(task.id):\(kind.rawValue):\(dueAt.epochMilliseconds)", kind: kind == .dueSoon ? .taskDue : .taskOverdue, at: now,
                              contentTitle: task.title, accountName: member.name, reason: when, link: link), on: db)
            return true
        }
    }

    /// "2026-03-09 09:00 (Europe/Berlin)": robots read the same words in either language.
    static func wallClock(_ date: Date, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ n: Int?) -> String { let s = String(n ?? 0); return s.count < 2 ? "0" + s : s }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)) (\(zone.identifier))"
    }

    /// For each active rule, the latest occurrence since the last one it made
    /// (or since it was saved) becomes a task. Occurrences missed while no
    /// worker ran are not made one by one: a team back after a week wants this
    /// week's 周报, not seven stale ones.
    func createRecurringInstances(now: Date, zone: TimeZone) async throws -> Int {
        var created = 0
        for rule in try await RecurringTaskRepository(database.sql).all() where rule.active {
            let since = max(rule.lastOccurrenceAt ?? rule.createdAt, now.addingTimeInterval(-40 * 86_400))
            guard let occurrence = rule.rule.occurrences(after: since, through: now, zone: zone).last else { continue }
            if try await createInstance(ruleID: rule.id, occurrence: occurrence, now: now) { created += 1 }
        }
        return created
    }

    /// Makes the instance of one occurrence unless it exists; the rule's row is
    /// locked and the occurrence key is unique, so two sweeps make one task.
    func createInstance(ruleID: String, occurrence: RecurrenceRule.Occurrence, now: Date) async throws -> Bool {
        do {
            return try await database.transaction { db in
                let rules = RecurringTaskRepository(db)
                guard var rule = try await rules.find(id: ruleID, lock: true), rule.active else { return false }
                let key = rule.occurrenceKey(occurrence)
                let tasks = TaskRepository(db)
                guard try await !tasks.occurrenceExists(key) else { return false }
                let at = Date(epochMilliseconds: occurrence.at.epochMilliseconds)
                let task = WorkTask(id: Identifier.makeOrdered("tsk"), title: rule.title, description: rule.description, priority: rule.priority,
                                    assigneeID: rule.assigneeID, creatorID: rule.creatorID, dueAt: at.addingTimeInterval(Double(rule.dueAfterMinutes) * 60),
                                    labels: rule.labels,
                                    checklist: rule.checklist.enumerated().map { ChecklistItem(id: Identifier.makeOrdered("tci"), text: $0.element, position: $0.offset) },
                                    recurrenceID: rule.id, createdAt: now, updatedAt: now)
                if let assignee = task.assigneeID, try await MemberRepository(db).find(id: assignee)?.isActive != true {
                    // The rule's member left: the instance waits unassigned for someone to pick it up.
                    var unassigned = task
                    unassigned.assigneeID = nil
                    try await tasks.insert(unassigned, occurrenceKey: key)
                } else {
                    try await tasks.insert(task, occurrenceKey: key)
                }
                rule.lastOccurrenceAt = max(rule.lastOccurrenceAt ?? at, at)
                try await rules.update(rule)
                let system = Principal(memberID: nil, name: "MediaOps", roleKeys: [], permissions: [])
                try await Audit.record(db, system, .create, .task, task.id, label: task.title, changes: ["recurrence": ["", occurrence.day.description]], at: now)
                if let assignee = task.assigneeID {
                    try await NotificationRepository(db).add(userID: assignee, kind: "task_assigned", title: task.title, body: "", link: Self.link(taskID: task.id))
                }
                return true
            }
        } catch let error where !(error is ValidationError) {
            // Another worker inserted the same occurrence first: the unique key held.
            if try await TaskRepository(database.sql).occurrenceExists("\(ruleID):\(occurrence.day.description)") { return false }
            throw error
        }
    }

    // MARK: Recurring rules

    public func recurring() async throws -> [RecurringTask] { try await RecurringTaskRepository(database.sql).all() }

    public func recurring(id: String) async throws -> RecurringTask? { try await RecurringTaskRepository(database.sql).find(id: id) }

    public func createRecurring(_ draft: RecurringTask, by principal: Principal, now: Date? = nil) async throws -> RecurringTask {
        let now = now ?? database.now()
        guard principal.permissions.contains(.tasksManage) else { throw PermissionError(code: "task_recurring_not_allowed") }
        var rule = Self.cleaned(draft)
        rule.id = Identifier.makeOrdered("trr")
        rule.creatorID = principal.memberID
        rule.createdAt = Date(epochMilliseconds: now.epochMilliseconds)
        rule.updatedAt = rule.createdAt
        rule.lastOccurrenceAt = nil
        try Self.throwing(rule.validationErrors())
        let checked = rule
        return try await database.transaction { db in
            let rules = RecurringTaskRepository(db)
            guard try await rules.count() < RecurringTask.maxCount else {
                throw ValidationError(field: "title", code: "too_many", params: ["max": String(RecurringTask.maxCount)])
            }
            try await Self.checkAssignee(checked.assigneeID, db: db)
            try await rules.insert(checked)
            try await Audit.record(db, principal, .create, .task, checked.id, label: checked.title,
                                   changes: Self.fields(checked).filter { !$0.value.isEmpty }.mapValues { ["", $0] }, at: now)
            return checked
        }
    }

    public func updateRecurring(_ edited: RecurringTask, by principal: Principal, now: Date? = nil) async throws -> RecurringTask {
        let now = now ?? database.now()
        guard principal.permissions.contains(.tasksManage) else { throw PermissionError(code: "task_recurring_not_allowed") }
        let cleaned = Self.cleaned(edited)
        try Self.throwing(cleaned.validationErrors())
        return try await database.transaction { db in
            let rules = RecurringTaskRepository(db)
            guard let before = try await rules.find(id: cleaned.id, lock: true) else { throw NotFoundError(entity: "task_recurrence") }
            var rule = cleaned
            rule.creatorID = before.creatorID
            rule.createdAt = before.createdAt
            rule.lastOccurrenceAt = before.lastOccurrenceAt
            rule.updatedAt = now
            if rule.assigneeID != before.assigneeID { try await Self.checkAssignee(rule.assigneeID, db: db) }
            let changes = ChangeSet(from: Self.fields(before), to: Self.fields(rule))
            guard !changes.isEmpty else { return before }
            // Changing the time never makes the occurrence it moved over: count from now.
            if before.rule != rule.rule || (!before.active && rule.active) { rule.lastOccurrenceAt = max(before.lastOccurrenceAt ?? now, now) }
            try await rules.update(rule)
            try await Audit.record(db, principal, .update, .task, rule.id, label: rule.title, changes: changes.changes, at: now)
            return rule
        }
    }

    public func deleteRecurring(id: String, by principal: Principal, now: Date? = nil) async throws {
        let now = now ?? database.now()
        guard principal.permissions.contains(.tasksManage) else { throw PermissionError(code: "task_recurring_not_allowed") }
        try await database.transaction { db in
            let rules = RecurringTaskRepository(db)
            guard let rule = try await rules.find(id: id, lock: true) else { throw NotFoundError(entity: "task_recurrence") }
            try await rules.delete(id: id)
            try await Audit.record(db, principal, .delete, .task, id, label: rule.title, at: now)
        }
    }

    /// The next time a rule makes a task.
    public func nextOccurrence(_ rule: RecurringTask, now: Date? = nil) async throws -> Date? {
        rule.rule.next(after: max(now ?? database.now(), rule.lastOccurrenceAt ?? .distantPast), zone: try await zone())?.at
    }

    // MARK: Checks

    static func cleaned(_ task: WorkTask) -> WorkTask {
        var task = task
        task.title = task.title.trimmingCharacters(in: .whitespacesAndNewlines)
        task.description = task.description.trimmingCharacters(in: .whitespacesAndNewlines)
        task.labels = WorkTask.labels(from: task.labels.joined(separator: ","))
        task.checklist = task.checklist.map { var item = $0; item.text = item.text.trimmingCharacters(in: .whitespacesAndNewlines); return item }
        var links: [TaskLink] = []
        for link in task.links where !links.contains(link) { links.append(TaskLink(kind: link.kind, id: link.id.trimmingCharacters(in: .whitespaces))) }
        task.links = links
        if let due = task.dueAt { task.dueAt = Date(epochMilliseconds: due.epochMilliseconds) }
        return task
    }

    static func cleaned(_ rule: RecurringTask) -> RecurringTask {
        var rule = rule
        rule.title = rule.title.trimmingCharacters(in: .whitespacesAndNewlines)
        rule.description = rule.description.trimmingCharacters(in: .whitespacesAndNewlines)
        rule.labels = WorkTask.labels(from: rule.labels.joined(separator: ","))
        rule.checklist = rule.checklist.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        return rule
    }

    /// The domain's checks and every link resolving to a thing that exists;
    /// the titles of the links, for the audit entry.
    @discardableResult
    func check(_ task: WorkTask) async throws -> [TaskLink: String] {
        var titles: [TaskLink: String] = [:]
        var errors = task.validationErrors()
        if !errors.contains(where: { $0.field == "links" }) {
            for link in task.links {
                guard let resolver = resolvers[link.kind] else {
                    errors.append(ValidationError(field: "links", code: "task_link_kind_unavailable", params: ["kind": link.kind.rawValue]))
                    break
                }
                let found = link.id.isEmpty || link.id.count > 64 ? nil : try await resolver.resolve(link.id)
                guard let found else {
                    errors.append(ValidationError(field: "links", code: "task_link_not_found", params: ["kind": link.kind.rawValue, "id": String(link.id.prefix(64))]))
                    break
                }
                titles[link] = found.title
            }
        }
        try Self.throwing(errors)
        return titles
    }

    static func throwing(_ errors: [ValidationError]) throws {
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
    }

    /// An assignee is an active member of the workspace.
    static func checkAssignee(_ id: String?, db: any SQLDatabase) async throws {
        guard let id else { return }
        guard id.count <= 64, let member = try await MemberRepository(db).find(id: id), member.isActive else {
            throw ValidationError(field: "assignee_id", code: "task_assignee_unknown")
        }
    }

    static func notifyAssigned(_ task: WorkTask, by principal: Principal, db: any SQLDatabase) async throws {
        guard let assignee = task.assigneeID, assignee != principal.memberID else { return }
        try await NotificationRepository(db).add(userID: assignee, kind: "task_assigned", title: task.title, body: principal.name, link: link(taskID: task.id))
    }

    /// The audit's view of a task. Links are "kind:title" (the id when the
    /// title is not known), one a line; labels comma-separated.
    static func fields(_ task: WorkTask, titles: [TaskLink: String] = [:]) -> [String: String] {
        ["title": task.title, "description": task.description, "task_status": task.status.rawValue, "task_priority": task.priority.rawValue,
         "assignee_id": task.assigneeID ?? "", "due_at": Audit.instant(task.dueAt), "remind_before_minutes": String(task.remindBeforeMinutes),
         "labels": task.labels.joined(separator: ","), "links": task.links.map { "\($0.kind.rawValue):\(titles[$0] ?? $0.id)" }.joined(separator: "\n"),
         "checklist": task.checklist.map { ($0.done ? "☑ " : "☐ ") + $0.text }.joined(separator: "\n")]
    }

    static func fields(_ rule: RecurringTask) -> [String: String] {
        ["title": rule.title, "description": rule.description, "task_priority": rule.priority.rawValue, "assignee_id": rule.assigneeID ?? "",
         "labels": rule.labels.joined(separator: ","), "checklist": rule.checklist.joined(separator: "\n"),
         "recurrence": "\(rule.rule.frequency.rawValue) \(RecurringTaskRepository.weekdays(rule.rule.weekdays)) \(rule.rule.dayOfMonth.map(String.init) ?? "") \(rule.rule.hour):\(rule.rule.minute)",
         "due_after_minutes": String(rule.dueAfterMinutes), "active": rule.active ? "true" : "false"]
    }
}
