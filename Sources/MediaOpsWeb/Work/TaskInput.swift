import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// A task as a person sends it: as JSON through the API (`due_at` an ISO 8601
/// instant, lists as lists), or as a form (`due_at` the wall-clock time of a
/// `datetime-local` box in the workspace's zone, labels comma-separated, one
/// checklist step per line). Every broken field at once.
enum TaskInput {
    static func read(_ input: JSONInput, base: WorkTask?, zone: TimeZone) throws -> WorkTask {
        var task = base ?? WorkTask(title: "")
        var errors = ValidationCollector()
        if let title = try errors.check({ try input.string("title") }) ?? nil { task.title = title }
        if let text = try errors.check({ try input.string("description") }) ?? nil { task.description = text }
        if let raw = try errors.check({ try input.string("status") }) ?? nil {
            if let status = TaskStatus(rawValue: raw) { task.status = status } else { errors.add(choice("status", TaskStatus.self)) }
        }
        if let raw = try errors.check({ try input.string("priority") }) ?? nil {
            if let priority = TaskPriority(rawValue: raw) { task.priority = priority } else { errors.add(choice("priority", TaskPriority.self)) }
        }
        if let value = try errors.check({ try input.nullableString("assignee_id") }), let value { task.assigneeID = value.flatMap { $0.isEmpty ? nil : $0 } }
        if let value = try errors.check({ try input.nullableString("due_at") }), let value {
            if let text = value, !text.isEmpty {
                if let date = instant(text) { task.dueAt = date } else { errors.add(ValidationError(field: "due_at", code: "invalid_date")) }
            } else {
                task.dueAt = nil
            }
        }
        if let minutes = try errors.check({ try input.integer("remind_before_minutes") }) ?? nil {
            task.remindBeforeMinutes = max(-1, min(minutes, 1_000_000))
        }
        if let labels = try errors.check({ try input.strings("labels") }) ?? nil { task.labels = labels }
        if input.has("links") { task.links = try errors.check({ try links(input.object["links"]) }) ?? task.links }
        if input.has("checklist") {
            if let steps = try errors.check({ try checklist(input.object["checklist"]) }) {
                task.checklist = steps.enumerated().map { index, step in
                    let kept = base?.checklist.first { $0.text == step.text }
                    return ChecklistItem(id: kept?.id ?? "", text: step.text, done: step.done, position: index)
                }
            }
        }
        if base == nil, !input.has("title") { errors.add(ValidationError(field: "title", code: "required")) }
        try finish(errors, task)
        return task
    }

    /// What was unreadable, with the domain's checks of the rest, every broken
    /// field at once in the form's order (the service checks again on save).
    static func finish(_ collected: ValidationCollector, _ task: WorkTask) throws {
        var errors = collected.errors
        var trimmed = task
        trimmed.title = trimmed.title.trimmingCharacters(in: .whitespacesAndNewlines)
        trimmed.description = trimmed.description.trimmingCharacters(in: .whitespacesAndNewlines)
        for error in trimmed.validationErrors() where !errors.contains(where: { $0.field == error.field }) { errors.append(error) }
        let order = ["title", "description", "status", "priority", "assignee_id", "due_at", "remind_before_minutes", "labels", "checklist", "links"]
        errors.sort { (order.firstIndex(of: $0.field) ?? order.count) < (order.firstIndex(of: $1.field) ?? order.count) }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
    }

    /// ISO 8601 with a zone (`2026-03-09T09:00:00+08:00`, `…Z`), fractional seconds allowed.
    static func instant(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = plain.date(from: text) ?? fractional.date(from: text) else { return nil }
        return try? Validate.instantInRange(date, field: "due_at")
    }

    static func choice<E: RawRepresentable & CaseIterable>(_ field: String, _ type: E.Type) -> ValidationError where E.RawValue == String {
        ValidationError(field: field, code: "invalid_choice", params: ["choices": E.allCases.map(\.rawValue).joined(separator: ", ")])
    }

    static func links(_ value: JSONValue?) throws -> [TaskLink] {
        guard case .array(let items)? = value else {
            if value == nil || value == .null { return [] }
            throw ValidationError(field: "links", code: "invalid_type", params: ["type": "array"])
        }
        return try items.map { item in
            guard case .object(let object) = item, case .string(let kind)? = object["kind"], case .string(let id)? = object["id"] else {
                throw ValidationError(field: "links", code: "invalid_type", params: ["type": "array of {kind, id}"])
            }
            guard let parsed = TaskLinkKind(rawValue: kind) else { throw choice("links", TaskLinkKind.self) }
            return TaskLink(kind: parsed, id: id)
        }
    }

    static func checklist(_ value: JSONValue?) throws -> [(text: String, done: Bool)] {
        guard case .array(let items)? = value else {
            if value == nil || value == .null { return [] }
            throw ValidationError(field: "checklist", code: "invalid_type", params: ["type": "array"])
        }
        return try items.map { item in
            switch item {
            case .string(let text): return (text, false)
            case .object(let object):
                guard case .string(let text)? = object["text"] else {
                    throw ValidationError(field: "checklist", code: "invalid_type", params: ["type": "array of {text, done}"])
                }
                if case .bool(let done)? = object["done"] { return (text, done) }
                return (text, false)
            default: throw ValidationError(field: "checklist", code: "invalid_type", params: ["type": "array of {text, done}"])
            }
        }
    }

    /// The form of the new/edit page. On edit, the checklist is changed on the
    /// task's page, one step at a time, so the form leaves it as it is.
    static func read(form: FormData, base: WorkTask?, zone: TimeZone) throws -> WorkTask {
        var task = base ?? WorkTask(title: "")
        var errors = ValidationCollector()
        task.title = form["title"] ?? ""
        task.description = form["description"] ?? ""
        if let raw = form["status"], !raw.isEmpty {
            if let status = TaskStatus(rawValue: raw) { task.status = status } else { errors.add(choice("status", TaskStatus.self)) }
        }
        if let raw = form["priority"], !raw.isEmpty {
            if let priority = TaskPriority(rawValue: raw) { task.priority = priority } else { errors.add(choice("priority", TaskPriority.self)) }
        }
        if form.has("assignee_id") { task.assigneeID = form["assignee_id"].flatMap { $0.isEmpty ? nil : $0 } }
        let due = (form["due_at"] ?? "").trimmingCharacters(in: .whitespaces)
        if due.isEmpty { task.dueAt = nil }
        else if let local = LocalDateTime(due), let date = local.instant(in: zone) { task.dueAt = date }
        else { errors.add(ValidationError(field: "due_at", code: "invalid_date")) }
        if let raw = form["remind_before_minutes"], !raw.isEmpty {
            if let minutes = Int(raw) { task.remindBeforeMinutes = minutes } else { errors.add(ValidationError(field: "remind_before_minutes", code: "invalid_number")) }
        }
        task.labels = WorkTask.labels(from: form["labels"] ?? "")
        var links: [TaskLink] = []
        for kind in TaskLinkKind.allCases {
            if let id = form["link_\(kind.rawValue)"]?.trimmingCharacters(in: .whitespaces), !id.isEmpty { links.append(TaskLink(kind: kind, id: id)) }
        }
        task.links = links
        if base == nil {
            task.checklist = (form["checklist"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.enumerated().map { ChecklistItem(id: "", text: $0.element, position: $0.offset) }
        }
        try finish(errors, task)
        return task
    }

    /// The form's values for the template, from a task.
    static func values(of task: WorkTask?, zone: TimeZone) -> [String: String] {
        guard let task else { return ["priority": TaskPriority.normal.rawValue, "status": TaskStatus.todo.rawValue,
                                      "remind_before_minutes": String(WorkTask.defaultReminderLead)] }
        var values = ["title": task.title, "description": task.description, "status": task.status.rawValue, "priority": task.priority.rawValue,
                      "assignee_id": task.assigneeID ?? "", "due_at": task.dueAt.map { localInput($0, zone: zone) } ?? "",
                      "remind_before_minutes": String(task.remindBeforeMinutes), "labels": task.labels.joined(separator: ", "),
                      "checklist": task.checklist.map(\.text).joined(separator: "\n")]
        for link in task.links { values["link_\(link.kind.rawValue)"] = link.id }
        return values
    }

    /// "2026-03-09T09:00" in the zone, for a `datetime-local` box.
    static func localInput(_ date: Date, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func pad(_ n: Int?, _ width: Int = 2) -> String { let s = String(n ?? 0); return String(repeating: "0", count: max(0, width - s.count)) + s }
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute))"
    }
}

/// The list's and board's filters as the URL carries them (shared by pages
/// and the API): `assignee` (`me`, `none` or a member id), `status` (or
/// `open`), `priority`, `due` (`overdue`, `today`, `week`), `label`, `link`
/// (`kind:id`), `q`.
struct TaskQuery: Equatable {
    enum Due: String, CaseIterable { case overdue, today, week }

    var assignee: String?
    var status: String?
    var priority: TaskPriority?
    var due: Due?
    var label: String?
    var link: TaskLink?
    var q: String?

    static func read(_ query: FormData) throws -> TaskQuery {
        var result = TaskQuery()
        var errors = ValidationCollector()
        func text(_ name: String) -> String? {
            guard let value = query[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        if let assignee = text("assignee") {
            if assignee.count > 64 { errors.add(ValidationError(field: "assignee", code: "invalid_choice", params: ["choices": "me, none, <member id>"])) }
            else { result.assignee = assignee }
        }
        if let status = text("status") {
            if status == "open" || TaskStatus(rawValue: status) != nil { result.status = status }
            else { errors.add(ValidationError(field: "status", code: "invalid_choice", params: ["choices": (["open"] + TaskStatus.allCases.map(\.rawValue)).joined(separator: ", ")])) }
        }
        if let priority = text("priority") {
            if let parsed = TaskPriority(rawValue: priority) { result.priority = parsed } else { errors.add(TaskInput.choice("priority", TaskPriority.self)) }
        }
        if let due = text("due") {
            if let parsed = Due(rawValue: due) { result.due = parsed }
            else { errors.add(ValidationError(field: "due", code: "invalid_choice", params: ["choices": Due.allCases.map(\.rawValue).joined(separator: ", ")])) }
        }
        if let label = text("label") {
            if label.count > WorkTask.maxLabel { errors.add(ValidationError(field: "label", code: "too_long", params: ["max": String(WorkTask.maxLabel)])) }
            else { result.label = label }
        }
        if let link = text("link") {
            let parts = link.split(separator: ":", maxSplits: 1).map(String.init)
            if parts.count == 2, let kind = TaskLinkKind(rawValue: parts[0]), !parts[1].isEmpty, parts[1].count <= 64 { result.link = TaskLink(kind: kind, id: parts[1]) }
            else { errors.add(ValidationError(field: "link", code: "task_link_filter")) }
        }
        if let q = text("q") {
            if q.count > 100 { errors.add(ValidationError(field: "q", code: "too_long", params: ["max": "100"])) } else { result.q = q }
        }
        try errors.finish()
        return result
    }

    /// The store's filter: `me` is the signed-in member, windows are in the workspace's zone.
    func filter(memberID: String?, now: Date, zone: TimeZone) -> TaskFilter {
        var filter = TaskFilter(label: label, query: q)
        filter.link = link
        filter.priorities = priority.map { [$0] } ?? []
        switch assignee {
        case "me": filter.assigneeID = memberID ?? "-"
        case "none": filter.unassigned = true
        case let id?: filter.assigneeID = id
        case nil: break
        }
        if status == "open" { filter.openOnly = true } else if let status, let parsed = TaskStatus(rawValue: status) { filter.statuses = [parsed] }
        let today = LocalDate(now, timeZone: zone)
        func start(_ day: LocalDate) -> Date { LocalDateTime(year: day.year, month: day.month, day: day.day, hour: 0, minute: 0).instant(in: zone) ?? now }
        switch due {
        case .overdue?:
            filter.dueBefore = now
            filter.openOnly = true
        case .today?:
            filter.dueFrom = start(today)
            filter.dueBefore = start(today.adding(days: 1))
            filter.openOnly = true
        case .week?:
            let monday = today.adding(days: -(today.isoWeekday - 1))
            filter.dueFrom = start(monday)
            filter.dueBefore = start(monday.adding(days: 7))
            filter.openOnly = true
        case nil: break
        }
        return filter
    }

    /// The query pairs, for links that keep the filters.
    var pairs: [(String, String)] {
        var pairs: [(String, String)] = []
        if let assignee { pairs.append(("assignee", assignee)) }
        if let status { pairs.append(("status", status)) }
        if let priority { pairs.append(("priority", priority.rawValue)) }
        if let due { pairs.append(("due", due.rawValue)) }
        if let label { pairs.append(("label", label)) }
        if let link { pairs.append(("link", "\(link.kind.rawValue):\(link.id)")) }
        if let q { pairs.append(("q", q)) }
        return pairs
    }

    var isEmpty: Bool { pairs.isEmpty }
}
