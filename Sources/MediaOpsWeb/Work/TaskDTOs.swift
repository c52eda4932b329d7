import Foundation
import MediaOpsDomain
import MediaOpsStore

struct TaskLinkDTO: Encodable {
    var kind: String
    var id: String
    /// What the link points at, when it still exists.
    @Nullable var title: String?
}

struct ChecklistItemDTO: Encodable {
    var id: String
    var text: String
    var done: Bool
}

struct TaskDTO: Encodable {
    var id: String
    var title: String
    var description: String
    var status: String
    var status_name: String
    var priority: String
    var priority_name: String
    @Nullable var assignee_id: String?
    @Nullable var creator_id: String?
    @Nullable var due_at: Date?
    var overdue: Bool
    var remind_before_minutes: Int
    var labels: [String]
    var links: [TaskLinkDTO]
    var checklist: [ChecklistItemDTO]
    @Nullable var recurrence_id: String?
    @Nullable var completed_at: Date?
    var created_at: Date
    var updated_at: Date

    init(_ task: WorkTask, targets: [TaskLink: TaskLinkTarget] = [:], now: Date, t: Localizer) {
        id = task.id
        title = task.title
        description = task.description
        status = task.status.rawValue
        status_name = t.t("tasks.status_\(task.status.rawValue)")
        priority = task.priority.rawValue
        priority_name = t.t("tasks.priority_\(task.priority.rawValue)")
        assignee_id = task.assigneeID
        creator_id = task.creatorID
        due_at = task.dueAt
        overdue = task.isOverdue(at: now)
        remind_before_minutes = task.remindBeforeMinutes
        labels = task.labels
        links = task.links.map { TaskLinkDTO(kind: $0.kind.rawValue, id: $0.id, title: targets[$0]?.title) }
        checklist = task.checklist.map { ChecklistItemDTO(id: $0.id, text: $0.text, done: $0.done) }
        recurrence_id = task.recurrenceID
        completed_at = task.completedAt
        created_at = task.createdAt
        updated_at = task.updatedAt
    }
}

struct TaskCommentDTO: Encodable {
    var id: String
    @Nullable var author_id: String?
    var author_name: String
    var body: String
    var created_at: Date

    init(_ comment: TaskComment) {
        id = comment.id
        author_id = comment.authorID
        author_name = comment.authorName
        body = comment.body
        created_at = comment.createdAt
    }
}

struct TaskAttachmentDTO: Encodable {
    var asset_id: String
    @Nullable var name: String?
    @Nullable var added_by: String?
    var added_at: Date
}

struct TaskHistoryDTO: Encodable {
    var at: Date
    @Nullable var actor_id: String?
    var actor_name: String
    var action: String
    var changes: [String: [String]]
}

struct TaskBulkResultDTO: Encodable {
    var changed: Int
}

struct RecurringTaskDTO: Encodable {
    var id: String
    var title: String
    var description: String
    var priority: String
    @Nullable var assignee_id: String?
    var labels: [String]
    var checklist: [String]
    var frequency: String
    var weekdays: [Int]
    @Nullable var day_of_month: Int?
    var time: String
    var due_after_minutes: Int
    var active: Bool
    @Nullable var next_at: Date?
    @Nullable var last_occurrence_at: Date?
    var created_at: Date
    var updated_at: Date

    init(_ rule: RecurringTask, next: Date?) {
        id = rule.id
        title = rule.title
        description = rule.description
        priority = rule.priority.rawValue
        assignee_id = rule.assigneeID
        labels = rule.labels
        checklist = rule.checklist
        frequency = rule.rule.frequency.rawValue
        weekdays = rule.rule.weekdays.sorted()
        day_of_month = rule.rule.dayOfMonth
        time = RecurringInput.time(rule.rule)
        due_after_minutes = rule.dueAfterMinutes
        active = rule.active
        next_at = next
        last_occurrence_at = rule.lastOccurrenceAt
        created_at = rule.createdAt
        updated_at = rule.updatedAt
    }
}

/// A recurring rule as sent: JSON through the API, or the form.
enum RecurringInput {
    static func time(_ rule: RecurrenceRule) -> String {
        (rule.hour < 10 ? "0" : "") + String(rule.hour) + ":" + (rule.minute < 10 ? "0" : "") + String(rule.minute)
    }

    /// "09:00" → (9, 0).
    static func parseTime(_ text: String) -> (Int, Int)? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2 || parts.count == 3, let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return (hour, minute)
    }

    /// What was unreadable, with the domain's checks of the rest, every broken field at once.
    static func finish(_ collected: ValidationCollector, _ rule: RecurringTask) throws {
        var errors = collected.errors
        var trimmed = rule
        trimmed.title = trimmed.title.trimmingCharacters(in: .whitespacesAndNewlines)
        trimmed.checklist = trimmed.checklist.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        for error in trimmed.validationErrors() where !errors.contains(where: { $0.field == error.field }) { errors.append(error) }
        let order = ["title", "description", "frequency", "weekdays", "day_of_month", "time", "assignee_id", "priority", "due_after_minutes", "due_after_hours",
                     "labels", "checklist"]
        errors.sort { (order.firstIndex(of: $0.field) ?? order.count) < (order.firstIndex(of: $1.field) ?? order.count) }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
    }

    static func read(_ input: JSONInput, base: RecurringTask?) throws -> RecurringTask {
        var rule = base ?? RecurringTask(title: "", rule: RecurrenceRule(frequency: .weekly, weekdays: [1], hour: 9, minute: 0))
        var errors = ValidationCollector()
        if let title = try errors.check({ try input.string("title") }) ?? nil { rule.title = title }
        if let text = try errors.check({ try input.string("description") }) ?? nil { rule.description = text }
        if let raw = try errors.check({ try input.string("priority") }) ?? nil {
            if let priority = TaskPriority(rawValue: raw) { rule.priority = priority } else { errors.add(TaskInput.choice("priority", TaskPriority.self)) }
        }
        if let value = try errors.check({ try input.nullableString("assignee_id") }), let value { rule.assigneeID = value.flatMap { $0.isEmpty ? nil : $0 } }
        if let labels = try errors.check({ try input.strings("labels") }) ?? nil { rule.labels = labels }
        if let steps = try errors.check({ try input.strings("checklist") }) ?? nil { rule.checklist = steps }
        if let raw = try errors.check({ try input.string("frequency") }) ?? nil {
            if let frequency = RecurrenceFrequency(rawValue: raw) { rule.rule.frequency = frequency } else { errors.add(TaskInput.choice("frequency", RecurrenceFrequency.self)) }
        }
        if input.has("weekdays") {
            switch input.object["weekdays"] {
            case .array(let items)?:
                var days: Set<Int> = []
                for item in items {
                    if case .number(let value) = item, value.rounded() == value, abs(value) < 100 { days.insert(Int(value)) }
                    else { errors.add(ValidationError(field: "weekdays", code: "invalid_type", params: ["type": "array of integers"])); break }
                }
                rule.rule.weekdays = days
            case .null?: rule.rule.weekdays = []
            default: errors.add(ValidationError(field: "weekdays", code: "invalid_type", params: ["type": "array of integers"]))
            }
        }
        if input.has("day_of_month") {
            if let day = try errors.check({ try input.integer("day_of_month") }) { rule.rule.dayOfMonth = day.map { max(-1, min($0, 1_000)) } }
        }
        if let text = try errors.check({ try input.string("time") }) ?? nil {
            if let (hour, minute) = parseTime(text) { rule.rule.hour = hour; rule.rule.minute = minute }
            else { errors.add(ValidationError(field: "time", code: "invalid_time")) }
        }
        if let minutes = try errors.check({ try input.integer("due_after_minutes") }) ?? nil { rule.dueAfterMinutes = max(-1, min(minutes, 10_000_000)) }
        if let active = try errors.check({ try input.bool("active") }) ?? nil { rule.active = active }
        if base == nil, !input.has("title") { errors.add(ValidationError(field: "title", code: "required")) }
        if base == nil, !input.has("frequency") { errors.add(ValidationError(field: "frequency", code: "required")) }
        try finish(errors, rule)
        return rule
    }

    static func read(form: FormData, base: RecurringTask?) throws -> RecurringTask {
        var rule = base ?? RecurringTask(title: "", rule: RecurrenceRule(frequency: .weekly, weekdays: [1], hour: 9, minute: 0))
        var errors = ValidationCollector()
        rule.title = form["title"] ?? ""
        rule.description = form["description"] ?? ""
        if let raw = form["priority"], !raw.isEmpty {
            if let priority = TaskPriority(rawValue: raw) { rule.priority = priority } else { errors.add(TaskInput.choice("priority", TaskPriority.self)) }
        }
        rule.assigneeID = form["assignee_id"].flatMap { $0.isEmpty ? nil : $0 }
        rule.labels = WorkTask.labels(from: form["labels"] ?? "")
        rule.checklist = (form["checklist"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let frequency = RecurrenceFrequency(rawValue: form["frequency"] ?? "") { rule.rule.frequency = frequency }
        else { errors.add(TaskInput.choice("frequency", RecurrenceFrequency.self)) }
        rule.rule.weekdays = Set(form.all("weekdays").compactMap { Int($0) }.filter { (1...7).contains($0) })
        if rule.rule.frequency == .monthly {
            if let raw = form["day_of_month"], !raw.isEmpty {
                if let day = Int(raw) { rule.rule.dayOfMonth = max(-1, min(day, 1_000)) } else { errors.add(ValidationError(field: "day_of_month", code: "invalid_number")) }
            } else { rule.rule.dayOfMonth = nil }
        }
        if let (hour, minute) = parseTime(form["time"] ?? "") { rule.rule.hour = hour; rule.rule.minute = minute }
        else { errors.add(ValidationError(field: "time", code: "invalid_time")) }
        if let raw = form["due_after_hours"], !raw.isEmpty {
            if let hours = Double(raw), hours.isFinite, hours >= 0, hours <= 720 { rule.dueAfterMinutes = Int((hours * 60).rounded()) }
            else { errors.add(ValidationError(field: "due_after_hours", code: "out_of_range", params: ["min": "0", "max": "720"])) }
        }
        rule.active = form["active"] == "true" || form["active"] == "on"
        try finish(errors, rule)
        return rule
    }
}
