import Foundation
import MediaOpsDomain
import SQLKit

/// Which tasks a list or board shows. Due windows are instants the service
/// works out in the workspace's zone (today, this week).
public struct TaskFilter: Sendable, Equatable {
    public var assigneeID: String?
    /// Tasks nobody holds.
    public var unassigned = false
    public var statuses: [TaskStatus] = []
    public var priorities: [TaskPriority] = []
    /// Due at or after / before these instants.
    public var dueFrom: Date?
    public var dueBefore: Date?
    /// Open tasks only (the due windows and "overdue" mean open work).
    public var openOnly = false
    public var link: TaskLink?
    public var label: String?
    public var recurrenceID: String?
    /// Words in the title.
    public var query: String?

    public init(assigneeID: String? = nil, statuses: [TaskStatus] = [], priorities: [TaskPriority] = [], dueFrom: Date? = nil, dueBefore: Date? = nil,
                openOnly: Bool = false, link: TaskLink? = nil, label: String? = nil, query: String? = nil) {
        self.assigneeID = assigneeID
        self.statuses = statuses
        self.priorities = priorities
        self.dueFrom = dueFrom
        self.dueBefore = dueBefore
        self.openOnly = openOnly
        self.link = link
        self.label = label
        self.query = query
    }
}

/// How the task list is ordered.
public enum TaskSort: String, Sendable, CaseIterable {
    case due, priority, status, title, created, updated
}

/// All SQL of the task tables. Rows are read strictly: an unknown status,
/// priority or link kind is an unreadable row, never a default.
public struct TaskRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    // MARK: Reads

    public func find(id: String, lock: Bool = false) async throws -> WorkTask? {
        let clause: SQLQueryString = lock ? "\(RowLock.update)" : ""
        guard let row = try await db.raw("SELECT * FROM tasks WHERE id = \(bind: id)" + clause).first() else { return nil }
        return try await hydrate([try Self.task(from: row)]).first
    }

    /// These tasks, in the order asked, locked when asked (bulk changes).
    public func find(ids: [String], lock: Bool = false) async throws -> [WorkTask] {
        guard !ids.isEmpty else { return [] }
        let list = ids.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        let clause: SQLQueryString = lock ? "\(RowLock.update)" : ""
        let rows = try await db.raw("SELECT * FROM tasks WHERE id IN (" + list + ")" + clause).all()
        let byID = Dictionary(try rows.map(Self.task(from:)).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return try await hydrate(ids.compactMap { byID[$0] })
    }

    func conditions(_ filter: TaskFilter) -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        if let assignee = filter.assigneeID { conditions.append("t.assignee_id = \(bind: assignee)") }
        if filter.unassigned { conditions.append("t.assignee_id IS NULL") }
        if !filter.statuses.isEmpty {
            conditions.append("t.status IN (" + filter.statuses.map { "\(bind: $0.rawValue)" as SQLQueryString }.joined(separator: ", ") + ")")
        }
        if filter.openOnly {
            conditions.append("t.status NOT IN (\(bind: TaskStatus.done.rawValue), \(bind: TaskStatus.cancelled.rawValue))")
        }
        if !filter.priorities.isEmpty {
            conditions.append("t.priority IN (" + filter.priorities.map { "\(bind: $0.rawValue)" as SQLQueryString }.joined(separator: ", ") + ")")
        }
        if let from = filter.dueFrom { conditions.append("t.due_at >= \(bind: from.epochMilliseconds)") }
        if let before = filter.dueBefore { conditions.append("t.due_at < \(bind: before.epochMilliseconds)") }
        if let link = filter.link {
            conditions.append("EXISTS (SELECT 1 FROM task_links l WHERE l.task_id = t.id AND l.kind = \(bind: link.kind.rawValue) AND l.target_id = \(bind: link.id))")
        }
        if let label = filter.label { conditions.append("EXISTS (SELECT 1 FROM task_labels g WHERE g.task_id = t.id AND g.label = \(bind: label))") }
        if let recurrence = filter.recurrenceID { conditions.append("t.recurrence_id = \(bind: recurrence)") }
        if let query = filter.query, !query.isEmpty { conditions.append("LOWER(t.title) LIKE \(bind: likePattern(query)) ESCAPE '\\'") }
        return conditions
    }

    static func order(_ sort: TaskSort, descending: Bool) -> SQLQueryString {
        let direction: SQLQueryString = descending ? " DESC" : " ASC"
        switch sort {
        // Tasks without a due date come last either way.
        case .due: return "CASE WHEN t.due_at IS NULL THEN 1 ELSE 0 END, t.due_at" + direction + ", t.priority_rank DESC, t.id"
        case .priority: return "t.priority_rank" + direction + ", CASE WHEN t.due_at IS NULL THEN 1 ELSE 0 END, t.due_at, t.id"
        // In the order work moves, not the alphabet's.
        case .status:
            let rank = TaskStatus.allCases.enumerated().map { "WHEN \(bind: $0.element.rawValue) THEN \(unsafeRaw: String($0.offset))" as SQLQueryString }
                .joined(separator: " ")
            return "CASE t.status " + rank + " END" + direction + ", CASE WHEN t.due_at IS NULL THEN 1 ELSE 0 END, t.due_at, t.id"
        case .title: return "t.title" + direction + ", t.id"
        case .created: return "t.created_at" + direction + ", t.id" + direction
        case .updated: return "t.updated_at" + direction + ", t.id" + direction
        }
    }

    public func list(_ filter: TaskFilter, sort: TaskSort = .due, descending: Bool = false, page: PageRequest) async throws -> Page<WorkTask> {
        let whereClause = whereSQL(conditions(filter))
        let total = try await db.raw("SELECT COUNT(*) AS n FROM tasks t " + whereClause).first().map { try $0.int("n") } ?? 0
        let rows = try await db.raw("SELECT t.* FROM tasks t " + whereClause + " ORDER BY " + Self.order(sort, descending: descending)
                                    + " LIMIT \(bind: page.perPage) OFFSET \(bind: page.offset)").all()
        return Page(items: try await hydrate(try rows.map(Self.task(from:))), total: total, page: page.page, perPage: page.perPage)
    }

    /// Every task the filter matches up to `limit`, by due date (the board).
    public func all(_ filter: TaskFilter, limit: Int) async throws -> [WorkTask] {
        let rows = try await db.raw("SELECT t.* FROM tasks t " + whereSQL(conditions(filter)) + " ORDER BY " + Self.order(.due, descending: false)
                                    + " LIMIT \(bind: limit)").all()
        return try await hydrate(try rows.map(Self.task(from:)))
    }

    /// Tasks per status under the filter.
    public func counts(_ filter: TaskFilter) async throws -> [TaskStatus: Int] {
        let rows = try await db.raw("SELECT t.status AS status, COUNT(*) AS n FROM tasks t " + whereSQL(conditions(filter)) + " GROUP BY t.status").all()
        var counts: [TaskStatus: Int] = [:]
        for row in rows { counts[try row.value("status", as: TaskStatus.self)] = try row.int("n") }
        return counts
    }

    /// Every label in use, most used first.
    public func labels(limit: Int = 100) async throws -> [String] {
        try await db.raw("SELECT label, COUNT(*) AS n FROM task_labels GROUP BY label ORDER BY n DESC, label LIMIT \(bind: limit)").all()
            .map { try $0.string("label") }
    }

    /// Labels, links and checklists of these tasks, read in one query each.
    func hydrate(_ tasks: [WorkTask]) async throws -> [WorkTask] {
        guard !tasks.isEmpty else { return [] }
        var result: [WorkTask] = []
        for offset in stride(from: 0, to: tasks.count, by: 300) {
            let chunk = Array(tasks[offset..<min(tasks.count, offset + 300)])
            let ids = chunk.map { "\(bind: $0.id)" as SQLQueryString }.joined(separator: ", ")
            var labels: [String: [String]] = [:], links: [String: [TaskLink]] = [:], checklist: [String: [ChecklistItem]] = [:]
            for row in try await db.raw("SELECT * FROM task_labels WHERE task_id IN (" + ids + ") ORDER BY position").all() {
                labels[try row.string("task_id"), default: []].append(try row.string("label"))
            }
            for row in try await db.raw("SELECT * FROM task_links WHERE task_id IN (" + ids + ") ORDER BY position").all() {
                links[try row.string("task_id"), default: []].append(TaskLink(kind: try row.value("kind", as: TaskLinkKind.self), id: try row.string("target_id")))
            }
            for row in try await db.raw("SELECT * FROM task_checklist_items WHERE task_id IN (" + ids + ") ORDER BY position, id").all() {
                checklist[try row.string("task_id"), default: []].append(ChecklistItem(id: try row.string("id"), text: try row.string("text"),
                                                                                      done: try row.bool("done"), position: try row.int("position")))
            }
            for var task in chunk {
                task.labels = labels[task.id] ?? []
                task.links = links[task.id] ?? []
                task.checklist = checklist[task.id] ?? []
                result.append(task)
            }
        }
        return result
    }

    // MARK: Writes

    public func insert(_ task: WorkTask, occurrenceKey: String? = nil) async throws {
        try await db.raw("""
            INSERT INTO tasks (id, title, description, status, priority, priority_rank, assignee_id, created_by, due_at, remind_before_minutes,
                recurrence_id, occurrence_key, completed_at, created_at, updated_at)
            VALUES (\(bind: task.id), \(bind: task.title), \(bind: task.description), \(bind: task.status.rawValue), \(bind: task.priority.rawValue),
                \(bind: task.priority.rank), \(bind: task.assigneeID), \(bind: task.creatorID), \(bind: task.dueAt?.epochMilliseconds),
                \(bind: task.remindBeforeMinutes), \(bind: task.recurrenceID), \(bind: occurrenceKey), \(bind: task.completedAt?.epochMilliseconds),
                \(bind: task.createdAt.epochMilliseconds), \(bind: task.updatedAt.epochMilliseconds))
            """).run()
        try await replaceChildren(task)
    }

    /// Writes the task whole: its row, labels, links and checklist.
    public func update(_ task: WorkTask) async throws {
        try await db.raw("""
            UPDATE tasks SET title = \(bind: task.title), description = \(bind: task.description), status = \(bind: task.status.rawValue),
                priority = \(bind: task.priority.rawValue), priority_rank = \(bind: task.priority.rank), assignee_id = \(bind: task.assigneeID),
                due_at = \(bind: task.dueAt?.epochMilliseconds), remind_before_minutes = \(bind: task.remindBeforeMinutes),
                completed_at = \(bind: task.completedAt?.epochMilliseconds), updated_at = \(bind: task.updatedAt.epochMilliseconds)
            WHERE id = \(bind: task.id)
            """).run()
        try await replaceChildren(task)
    }

    func replaceChildren(_ task: WorkTask) async throws {
        try await db.raw("DELETE FROM task_labels WHERE task_id = \(bind: task.id)").run()
        for (index, label) in task.labels.enumerated() {
            try await db.raw("INSERT INTO task_labels (task_id, label, position) VALUES (\(bind: task.id), \(bind: label), \(bind: index))").run()
        }
        try await db.raw("DELETE FROM task_links WHERE task_id = \(bind: task.id)").run()
        for (index, link) in task.links.enumerated() {
            try await db.raw("""
                INSERT INTO task_links (task_id, kind, target_id, position) VALUES (\(bind: task.id), \(bind: link.kind.rawValue), \(bind: link.id), \(bind: index))
                """).run()
        }
        try await db.raw("DELETE FROM task_checklist_items WHERE task_id = \(bind: task.id)").run()
        for (index, item) in task.checklist.enumerated() {
            try await db.raw("""
                INSERT INTO task_checklist_items (id, task_id, text, done, position)
                VALUES (\(bind: item.id), \(bind: task.id), \(bind: item.text), \(bind: item.done), \(bind: index))
                """).run()
        }
    }

    /// Deletes the task with everything hanging on it.
    public func delete(id: String) async throws {
        for table in ["task_labels", "task_links", "task_checklist_items", "task_attachments", "task_comments", "task_reminders"] {
            try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE task_id = \(bind: id)").run()
        }
        try await db.raw("DELETE FROM tasks WHERE id = \(bind: id)").run()
    }

    public func occurrenceExists(_ key: String) async throws -> Bool {
        try await db.raw("SELECT id FROM tasks WHERE occurrence_key = \(bind: key)").first() != nil
    }

    // MARK: Comments and attachments

    public func comments(taskID: String) async throws -> [TaskComment] {
        try await db.raw("SELECT * FROM task_comments WHERE task_id = \(bind: taskID) ORDER BY created_at, id").all().map { row in
            TaskComment(id: try row.string("id"), taskID: try row.string("task_id"), authorID: try row.optionalString("author_id"),
                        authorName: try row.string("author_name"), body: try row.string("body"), createdAt: try row.date("created_at"))
        }
    }

    public func addComment(_ comment: TaskComment) async throws {
        try await db.raw("""
            INSERT INTO task_comments (id, task_id, author_id, author_name, body, created_at)
            VALUES (\(bind: comment.id), \(bind: comment.taskID), \(bind: comment.authorID), \(bind: comment.authorName), \(bind: comment.body),
                \(bind: comment.createdAt.epochMilliseconds))
            """).run()
    }

    public func attachments(taskID: String) async throws -> [TaskAttachment] {
        try await db.raw("SELECT * FROM task_attachments WHERE task_id = \(bind: taskID) ORDER BY added_at, asset_id").all().map { row in
            TaskAttachment(taskID: try row.string("task_id"), assetID: try row.string("asset_id"), addedBy: try row.optionalString("added_by"),
                           addedAt: try row.date("added_at"))
        }
    }

    public func attach(_ attachment: TaskAttachment) async throws {
        try await db.raw("""
            INSERT INTO task_attachments (task_id, asset_id, added_by, added_at)
            VALUES (\(bind: attachment.taskID), \(bind: attachment.assetID), \(bind: attachment.addedBy), \(bind: attachment.addedAt.epochMilliseconds))
            """).run()
    }

    public func detach(taskID: String, assetID: String) async throws {
        try await db.raw("DELETE FROM task_attachments WHERE task_id = \(bind: taskID) AND asset_id = \(bind: assetID)").run()
    }

    // MARK: Reminders

    /// Open tasks with an assignee whose reminder of `kind` for their current
    /// due instant has not been sent, and which have come to it by `now`.
    public func remindersDue(_ kind: TaskReminderKind, now: Date, limit: Int = 500) async throws -> [WorkTask] {
        let now = now.epochMilliseconds
        let window: SQLQueryString
        switch kind {
        // Within the task's own lead of its due instant, not yet past it.
        case .dueSoon: window = "t.due_at > \(bind: now) AND t.due_at - t.remind_before_minutes * 60000 <= \(bind: now)"
        case .overdue: window = "t.due_at <= \(bind: now)"
        }
        let rows = try await db.raw("""
            SELECT t.* FROM tasks t
            WHERE t.due_at IS NOT NULL AND t.assignee_id IS NOT NULL
              AND t.status NOT IN (\(bind: TaskStatus.done.rawValue), \(bind: TaskStatus.cancelled.rawValue))
            """ + " AND " + window + """
             AND NOT EXISTS (SELECT 1 FROM task_reminders r WHERE r.task_id = t.id AND r.kind = \(bind: kind.rawValue) AND r.due_at = t.due_at)
            ORDER BY t.due_at, t.id LIMIT \(bind: limit)
            """).all()
        return try rows.map(Self.task(from:))
    }

    /// Claims one reminder; false when it was claimed before (another sweep, another worker).
    public func claimReminder(taskID: String, kind: TaskReminderKind, dueAt: Date, now: Date) async throws -> Bool {
        !(try await db.raw("""
            INSERT INTO task_reminders (task_id, kind, due_at, sent_at) VALUES (\(bind: taskID), \(bind: kind.rawValue), \(bind: dueAt.epochMilliseconds),
                \(bind: now.epochMilliseconds))
            ON CONFLICT (task_id, kind, due_at) DO NOTHING RETURNING task_id
            """).all()).isEmpty
    }

    // MARK: Completed

    /// Tasks done in [from, to), with their due and completion instants.
    public func completed(assigneeID: String?, from: Date, to: Date) async throws -> [CompletedTask] {
        let assignee: SQLQueryString = assigneeID.map { " AND assignee_id = \(bind: $0)" } ?? ""
        return try await db.raw("""
            SELECT id, title, assignee_id, due_at, completed_at FROM tasks
            WHERE status = \(bind: TaskStatus.done.rawValue) AND completed_at >= \(bind: from.epochMilliseconds) AND completed_at < \(bind: to.epochMilliseconds)
            """ + assignee + " ORDER BY completed_at, id").all().map { row in
            CompletedTask(id: try row.string("id"), title: try row.string("title"), assigneeID: try row.optionalString("assignee_id"), dueAt: try row.optionalDate("due_at"),
                          completedAt: try row.date("completed_at"))
        }
    }

    static func task(from row: any SQLRow) throws -> WorkTask {
        WorkTask(id: try row.string("id"), title: try row.string("title"), description: try row.string("description"),
                 status: try row.value("status", as: TaskStatus.self), priority: try row.value("priority", as: TaskPriority.self),
                 assigneeID: try row.optionalString("assignee_id"), creatorID: try row.optionalString("created_by"), dueAt: try row.optionalDate("due_at"),
                 remindBeforeMinutes: try row.int("remind_before_minutes"), recurrenceID: try row.optionalString("recurrence_id"),
                 completedAt: try row.optionalDate("completed_at"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}

/// The `task_recurrences` table.
public struct RecurringTaskRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    public func all() async throws -> [RecurringTask] {
        try await db.raw("SELECT * FROM task_recurrences ORDER BY created_at, id").all().map(Self.recurring(from:))
    }

    public func count() async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM task_recurrences").first().map { try $0.int("n") } ?? 0
    }

    public func find(id: String, lock: Bool = false) async throws -> RecurringTask? {
        let clause: SQLQueryString = lock ? "\(RowLock.update)" : ""
        return try await db.raw("SELECT * FROM task_recurrences WHERE id = \(bind: id)" + clause).first().map(Self.recurring(from:))
    }

    public func insert(_ rule: RecurringTask) async throws {
        try await db.raw("""
            INSERT INTO task_recurrences (id, title, description, priority, assignee_id, labels, checklist, frequency, weekdays, day_of_month, hour, minute,
                due_after_minutes, active, created_by, last_occurrence_at, created_at, updated_at)
            VALUES (\(bind: rule.id), \(bind: rule.title), \(bind: rule.description), \(bind: rule.priority.rawValue), \(bind: rule.assigneeID),
                \(bind: JSONText.encode(rule.labels)), \(bind: JSONText.encode(rule.checklist)), \(bind: rule.rule.frequency.rawValue),
                \(bind: Self.weekdays(rule.rule.weekdays)), \(bind: rule.rule.dayOfMonth), \(bind: rule.rule.hour), \(bind: rule.rule.minute),
                \(bind: rule.dueAfterMinutes), \(bind: rule.active), \(bind: rule.creatorID), \(bind: rule.lastOccurrenceAt?.epochMilliseconds),
                \(bind: rule.createdAt.epochMilliseconds), \(bind: rule.updatedAt.epochMilliseconds))
            """).run()
    }

    public func update(_ rule: RecurringTask) async throws {
        try await db.raw("""
            UPDATE task_recurrences SET title = \(bind: rule.title), description = \(bind: rule.description), priority = \(bind: rule.priority.rawValue),
                assignee_id = \(bind: rule.assigneeID), labels = \(bind: JSONText.encode(rule.labels)), checklist = \(bind: JSONText.encode(rule.checklist)),
                frequency = \(bind: rule.rule.frequency.rawValue), weekdays = \(bind: Self.weekdays(rule.rule.weekdays)),
                day_of_month = \(bind: rule.rule.dayOfMonth), hour = \(bind: rule.rule.hour), minute = \(bind: rule.rule.minute),
                due_after_minutes = \(bind: rule.dueAfterMinutes), active = \(bind: rule.active),
                last_occurrence_at = \(bind: rule.lastOccurrenceAt?.epochMilliseconds), updated_at = \(bind: rule.updatedAt.epochMilliseconds)
            WHERE id = \(bind: rule.id)
            """).run()
    }

    /// Deletes the rule; the tasks it made stay, no longer tied to it.
    public func delete(id: String) async throws {
        try await db.raw("UPDATE tasks SET recurrence_id = NULL WHERE recurrence_id = \(bind: id)").run()
        try await db.raw("DELETE FROM task_recurrences WHERE id = \(bind: id)").run()
    }

    static func weekdays(_ days: Set<Int>) -> String { days.sorted().map(String.init).joined(separator: ",") }

    static func recurring(from row: any SQLRow) throws -> RecurringTask {
        let labelsText = try row.string("labels"), checklistText = try row.string("checklist"), weekdaysText = try row.string("weekdays")
        guard let labels = JSONText.decode([String].self, from: labelsText) else { throw UnreadableStoredValue(column: "labels", value: labelsText) }
        guard let checklist = JSONText.decode([String].self, from: checklistText) else { throw UnreadableStoredValue(column: "checklist", value: checklistText) }
        var weekdays: Set<Int> = []
        for part in weekdaysText.split(separator: ",") {
            guard let day = Int(part), (1...7).contains(day) else { throw UnreadableStoredValue(column: "weekdays", value: weekdaysText) }
            weekdays.insert(day)
        }
        let day: Int? = try row.decodeNil(column: "day_of_month") ? nil : try row.int("day_of_month")
        let rule = RecurrenceRule(frequency: try row.value("frequency", as: RecurrenceFrequency.self), weekdays: weekdays, dayOfMonth: day,
                                  hour: try row.int("hour"), minute: try row.int("minute"))
        return RecurringTask(id: try row.string("id"), title: try row.string("title"), description: try row.string("description"),
                             priority: try row.value("priority", as: TaskPriority.self), assigneeID: try row.optionalString("assignee_id"),
                             labels: labels, checklist: checklist, rule: rule, dueAfterMinutes: try row.int("due_after_minutes"),
                             active: try row.bool("active"), creatorID: try row.optionalString("created_by"),
                             lastOccurrenceAt: try row.optionalDate("last_occurrence_at"), createdAt: try row.date("created_at"),
                             updatedAt: try row.date("updated_at"))
    }
}
