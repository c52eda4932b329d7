import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// The tasks as `/api/v1/tasks…` and `/api/v1/task-recurrences…`. Reading
/// needs `tasks.view`; creating, working on and commenting needs
/// `tasks.write` (and, per task, being its creator or assignee, see
/// `TaskAccess`); recurring rules need `tasks.manage`.
struct TasksAPIController {
    let dependencies: WorkDependencies
    let pages: PageSupport

    var tasks: TaskService { dependencies.tasks }

    func register(_ routes: Routes) {
        routes.get("/api/v1/tasks", .permission(.tasksView)) { request, context, identity in
            let zone = try await tasks.zone()
            let now = Date()
            let query = try TaskQuery.read(request.formQuery)
            let (sort, descending) = try request.sort(TaskSort.self, default: .due)
            let page = try await tasks.list(query.filter(memberID: identity.member.id, now: now, zone: zone), sort: sort, descending: descending,
                                            page: try request.pageRequest(defaultPerPage: 50))
            let t = pages.localizer(context)
            let targets = try await tasks.resolve(page.items.flatMap(\.links))
            return try JSONOutput.response(PageDTO(page) { TaskDTO($0, targets: targets, now: now, t: t) })
        }
        routes.post("/api/v1/tasks", .permission(.tasksWrite)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let draft = try TaskInput.read(input, base: nil, zone: try await tasks.zone())
            let created = try await tasks.create(draft, by: identity.principal)
            return try JSONOutput.response(try await dto(created, context), status: .created)
        }
        routes.post("/api/v1/tasks/bulk", .permission(.tasksWrite)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let ids = try input.strings("ids") ?? []
            let change = try Self.bulkChange(input)
            let changed = try await Self.bulk(pages.localizer(context)) { try await tasks.bulk(ids: ids, change, by: identity.principal) }
            return try JSONOutput.response(TaskBulkResultDTO(changed: changed))
        }
        routes.get("/api/v1/tasks/{id}", .permission(.tasksView)) { _, context, _ in
            try JSONOutput.response(try await dto(try await task(context), context))
        }
        routes.patch("/api/v1/tasks/{id}", .permission(.tasksWrite)) { request, context, identity in
            let existing = try await task(context)
            let input = try await JSONInput.read(request, context: context)
            let edited = try TaskInput.read(input, base: existing, zone: try await tasks.zone())
            return try JSONOutput.response(try await dto(try await tasks.update(edited, by: identity.principal), context))
        }
        routes.delete("/api/v1/tasks/{id}", .permission(.tasksWrite)) { _, context, identity in
            try await tasks.delete(id: try await task(context).id, by: identity.principal)
            return JSONOutput.noContent()
        }
        routes.post("/api/v1/tasks/{id}/status", .permission(.tasksWrite)) { request, context, identity in
            let existing = try await task(context)
            let input = try await JSONInput.read(request, context: context)
            guard let raw = try input.string("status") else { throw ValidationError(field: "status", code: "required") }
            guard let status = TaskStatus(rawValue: raw) else { throw TaskInput.choice("status", TaskStatus.self) }
            return try JSONOutput.response(try await dto(try await tasks.move(id: existing.id, to: status, by: identity.principal), context))
        }
        routes.post("/api/v1/tasks/{id}/checklist", .permission(.tasksWrite)) { request, context, identity in
            let existing = try await task(context)
            let input = try await JSONInput.read(request, context: context)
            let saved = try await tasks.addChecklistItem(taskID: existing.id, text: try input.string("text"), by: identity.principal)
            return try JSONOutput.response(try await dto(saved, context), status: .created)
        }
        routes.patch("/api/v1/tasks/{id}/checklist/{item}", .permission(.tasksWrite)) { request, context, identity in
            let existing = try await task(context)
            let item = try context.parameters.require("item")
            let input = try await JSONInput.read(request, context: context)
            let saved = try await tasks.setChecklistItem(taskID: existing.id, itemID: item, done: try input.bool("done"), text: try input.string("text"),
                                                         by: identity.principal)
            return try JSONOutput.response(try await dto(saved, context))
        }
        routes.delete("/api/v1/tasks/{id}/checklist/{item}", .permission(.tasksWrite)) { _, context, identity in
            let existing = try await task(context)
            _ = try await tasks.removeChecklistItem(taskID: existing.id, itemID: try context.parameters.require("item"), by: identity.principal)
            return JSONOutput.noContent()
        }
        routes.get("/api/v1/tasks/{id}/comments", .permission(.tasksView)) { _, context, _ in
            let existing = try await task(context)
            return try JSONOutput.response(ItemsDTO(items: try await tasks.comments(taskID: existing.id).map(TaskCommentDTO.init)))
        }
        routes.post("/api/v1/tasks/{id}/comments", .permission(.tasksWrite)) { request, context, identity in
            let existing = try await task(context)
            let input = try await JSONInput.read(request, context: context)
            let comment = try await tasks.comment(taskID: existing.id, body: try input.string("body"), by: identity.principal)
            return try JSONOutput.response(TaskCommentDTO(comment), status: .created)
        }
        routes.get("/api/v1/tasks/{id}/attachments", .permission(.tasksView)) { _, context, _ in
            let existing = try await task(context)
            let attachments = try await tasks.attachments(taskID: existing.id)
            let names = try await tasks.resolveAssets(attachments.map(\.assetID))
            return try JSONOutput.response(ItemsDTO(items: attachments.map {
                TaskAttachmentDTO(asset_id: $0.assetID, name: names[$0.assetID]?.title, added_by: $0.addedBy, added_at: $0.addedAt)
            }))
        }
        routes.post("/api/v1/tasks/{id}/attachments", .permission(.tasksWrite)) { request, context, identity in
            let existing = try await task(context)
            let input = try await JSONInput.read(request, context: context)
            let attachment = try await tasks.attach(taskID: existing.id, assetID: try input.string("asset_id"), by: identity.principal)
            let name = try await tasks.resolveAssets([attachment.assetID])[attachment.assetID]?.title
            return try JSONOutput.response(TaskAttachmentDTO(asset_id: attachment.assetID, name: name, added_by: attachment.addedBy, added_at: attachment.addedAt),
                                           status: .created)
        }
        routes.delete("/api/v1/tasks/{id}/attachments/{asset}", .permission(.tasksWrite)) { _, context, identity in
            let existing = try await task(context)
            try await tasks.detach(taskID: existing.id, assetID: try context.parameters.require("asset"), by: identity.principal)
            return JSONOutput.noContent()
        }
        routes.get("/api/v1/tasks/{id}/history", .permission(.tasksView)) { _, context, _ in
            let existing = try await task(context)
            let entries = try await dependencies.team.auditLog(AuditFilter(entityType: AuditEntity.task.rawValue, entityID: existing.id),
                                                               page: PageRequest(page: 1, perPage: 200))
            return try JSONOutput.response(ItemsDTO(items: entries.items.map {
                TaskHistoryDTO(at: $0.at, actor_id: $0.actorID, actor_name: $0.actorName, action: $0.action.rawValue, changes: $0.changes)
            }))
        }

        // Recurring rules
        routes.get("/api/v1/task-recurrences", .permission(.tasksView)) { _, _, _ in
            var items: [RecurringTaskDTO] = []
            for rule in try await tasks.recurring() { items.append(RecurringTaskDTO(rule, next: rule.active ? try await tasks.nextOccurrence(rule) : nil)) }
            return try JSONOutput.response(ItemsDTO(items: items))
        }
        routes.post("/api/v1/task-recurrences", .permission(.tasksManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let created = try await tasks.createRecurring(try RecurringInput.read(input, base: nil), by: identity.principal)
            return try JSONOutput.response(RecurringTaskDTO(created, next: try await tasks.nextOccurrence(created)), status: .created)
        }
        routes.get("/api/v1/task-recurrences/{id}", .permission(.tasksView)) { _, context, _ in
            let rule = try await recurring(context)
            return try JSONOutput.response(RecurringTaskDTO(rule, next: rule.active ? try await tasks.nextOccurrence(rule) : nil))
        }
        routes.patch("/api/v1/task-recurrences/{id}", .permission(.tasksManage)) { request, context, identity in
            let existing = try await recurring(context)
            let input = try await JSONInput.read(request, context: context)
            let saved = try await tasks.updateRecurring(try RecurringInput.read(input, base: existing), by: identity.principal)
            return try JSONOutput.response(RecurringTaskDTO(saved, next: saved.active ? try await tasks.nextOccurrence(saved) : nil))
        }
        routes.delete("/api/v1/task-recurrences/{id}", .permission(.tasksManage)) { _, context, identity in
            try await tasks.deleteRecurring(id: try await recurring(context).id, by: identity.principal)
            return JSONOutput.noContent()
        }
    }

    func task(_ context: AppRequestContext) async throws -> WorkTask {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let task = try await tasks.task(id: id) else {
            throw NotFoundError(entity: "task")
        }
        return task
    }

    func recurring(_ context: AppRequestContext) async throws -> RecurringTask {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let rule = try await tasks.recurring(id: id) else {
            throw NotFoundError(entity: "task_recurrence")
        }
        return rule
    }

    func dto(_ task: WorkTask, _ context: AppRequestContext) async throws -> TaskDTO {
        TaskDTO(task, targets: try await tasks.resolve(task.links), now: Date(), t: pages.localizer(context))
    }

    static func bulkChange(_ input: JSONInput) throws -> TaskBulkChange {
        guard let action = try input.string("action") else { throw ValidationError(field: "action", code: "required") }
        switch action {
        case "status":
            guard let raw = try input.string("status") else { throw ValidationError(field: "status", code: "required") }
            guard let status = TaskStatus(rawValue: raw) else { throw TaskInput.choice("status", TaskStatus.self) }
            return .status(status)
        case "priority":
            guard let raw = try input.string("priority") else { throw ValidationError(field: "priority", code: "required") }
            guard let priority = TaskPriority(rawValue: raw) else { throw TaskInput.choice("priority", TaskPriority.self) }
            return .priority(priority)
        case "assignee": return .assignee(try input.string("assignee_id").flatMap { $0.isEmpty ? nil : $0 })
        case "due":
            guard let text = try input.string("due_at"), !text.isEmpty else { return .due(nil) }
            guard let date = TaskInput.instant(text) else { throw ValidationError(field: "due_at", code: "invalid_date") }
            return .due(date)
        case "delete": return .delete
        default: throw ValidationError(field: "action", code: "invalid_choice", params: ["choices": "status, assignee, priority, due, delete"])
        }
    }

    /// A refused batch as a 403 naming the tasks, in the member's language.
    static func bulk<T>(_ t: Localizer, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let refused as TaskBulkRefused {
            let shown = refused.titles.prefix(5).map { "「\($0)」" }
            throw PermissionError(code: "task_bulk_refused", params: ["count": String(refused.titles.count), "titles": t.list(Array(shown))])
        }
    }
}
