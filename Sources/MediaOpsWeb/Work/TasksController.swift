import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// The 任务 pages: the list (sortable, paginated, bulk actions), the board
/// (a column per status, a card moved with a small form that works without
/// JavaScript), a task's page (checklist, attachments, comments with
/// @mentions, history), the task form, and recurring tasks.
struct TasksController {
    let dependencies: WorkDependencies
    let pages: PageSupport

    var tasks: TaskService { dependencies.tasks }

    static let reminderChoices = [15, 30, 60, 120, 240, 1_440, 2_880]

    func register(_ routes: Routes) {
        routes.get(WorkPath.list, .permission(.tasksView)) { request, context, identity in try await listPage(request, context, identity) }
        routes.get(WorkPath.board, .permission(.tasksView)) { request, context, identity in try await boardPage(request, context, identity) }
        routes.get(WorkPath.new, .permission(.tasksWrite)) { request, context, identity in
            var values = TaskInput.values(of: nil, zone: try await tasks.zone())
            if let link = request.query("link") {
                let parts = link.split(separator: ":", maxSplits: 1).map(String.init)
                if parts.count == 2, TaskLinkKind(rawValue: parts[0]) != nil { values["link_\(parts[0])"] = parts[1] }
            }
            if request.query("assignee") == "me" { values["assignee_id"] = identity.member.id }
            if let status = request.query("status"), TaskStatus(rawValue: status) != nil { values["status"] = status }
            return try await formPage(nil, values: values, request, context, identity)
        }
        routes.post(WorkPath.list, .permission(.tasksWrite)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                let draft = try TaskInput.read(form: form, base: nil, zone: try await tasks.zone())
                let created = try await tasks.create(draft, by: identity.principal)
                if let back = Self.safeBack(form["back"]) { return pages.redirect(back, flash: "flash.task_created") }
                return pages.redirect(WorkPath.task(.value(created.id)), flash: "flash.task_created")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await formPage(nil, values: Self.formValues(form), errors: refusal, request, context, identity)
            }
        }
        routes.post(WorkPath.bulk, .permission(.tasksWrite)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            let back = Self.safeBack(form["back"]) ?? WorkPath.list.path
            do {
                let change = try Self.bulkChange(form, zone: try await tasks.zone())
                let changed = try await TasksAPIController.bulk(pages.localizer(context)) {
                    try await tasks.bulk(ids: form.all("ids"), change, by: identity.principal)
                }
                _ = changed
                return pages.redirect(back, flash: "flash.task_bulk_done")
            } catch {
                let refusal = try pages.refusal(error, context)
                let message = refusal.errors.summary ?? refusal.errors.messages.values.sorted().first ?? ""
                return try await listPage(request, context, identity, bulkError: message, status: refusal.status)
            }
        }
        routes.get(WorkPath.task(.key), .permission(.tasksView)) { request, context, identity in try await detailPage(request, context, identity) }
        routes.get(WorkPath.edit(.key), .permission(.tasksWrite)) { request, context, identity in
            let existing = try await task(context)
            guard TaskAccess.canEdit(existing, memberID: identity.member.id, permissions: identity.permissions) else { throw PermissionError(code: "task_edit_not_allowed") }
            return try await formPage(existing, values: TaskInput.values(of: existing, zone: try await tasks.zone()), request, context, identity)
        }
        routes.post(WorkPath.task(.key), .permission(.tasksWrite)) { request, context, identity in
            let existing = try await task(context)
            let form = try await pages.readForm(request, context: context)
            do {
                let edited = try TaskInput.read(form: form, base: existing, zone: try await tasks.zone())
                _ = try await tasks.update(edited, by: identity.principal)
                return pages.redirect(WorkPath.task(.value(existing.id)), flash: "flash.task_updated")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await formPage(existing, values: Self.formValues(form), errors: refusal, request, context, identity)
            }
        }
        routes.post(WorkPath.delete(.key), .permission(.tasksWrite)) { request, context, identity in
            let existing = try await task(context)
            _ = try await pages.readForm(request, context: context)
            try await tasks.delete(id: existing.id, by: identity.principal)
            return pages.redirect(WorkPath.list, flash: "flash.task_deleted")
        }
        routes.post(WorkPath.status(.key), .permission(.tasksWrite)) { request, context, identity in
            let existing = try await task(context)
            let form = try await pages.readForm(request, context: context)
            guard let status = TaskStatus(rawValue: form["status"] ?? "") else { throw TaskInput.choice("status", TaskStatus.self) }
            _ = try await tasks.move(id: existing.id, to: status, by: identity.principal)
            return pages.redirect(Self.safeBack(form["back"]) ?? WorkPath.task(.value(existing.id)).path, flash: "flash.task_moved")
        }
        routes.post(WorkPath.checklist(.key), .permission(.tasksWrite)) { request, context, identity in
            let existing = try await task(context)
            let form = try await pages.readForm(request, context: context)
            do {
                _ = try await tasks.addChecklistItem(taskID: existing.id, text: form["text"], by: identity.principal)
                return pages.redirect(WorkPath.task(.value(existing.id)).fragment("checklist"))
            } catch {
                let refusal = try pages.refusal(error, context)
                var errors = refusal.errors.messages
                if let message = errors.removeValue(forKey: "text") { errors["checklist"] = message }
                return try await detailPage(request, context, identity, values: ["checklist_text": form["text"] ?? ""], errors: errors, status: refusal.status)
            }
        }
        routes.post(WorkPath.checklistToggle(.key), .permission(.tasksWrite)) { request, context, identity in
            let existing = try await task(context)
            let form = try await pages.readForm(request, context: context)
            _ = try await tasks.setChecklistItem(taskID: existing.id, itemID: form["item"] ?? "", done: form["done"] == "true", text: nil, by: identity.principal)
            return pages.redirect(WorkPath.task(.value(existing.id)).fragment("checklist"))
        }
        routes.post(WorkPath.checklistDelete(.key), .permission(.tasksWrite)) { request, context, identity in
            let existing = try await task(context)
            let form = try await pages.readForm(request, context: context)
            _ = try await tasks.removeChecklistItem(taskID: existing.id, itemID: form["item"] ?? "", by: identity.principal)
            return pages.redirect(WorkPath.task(.value(existing.id)).fragment("checklist"))
        }
        routes.post(WorkPath.comments(.key), .permission(.tasksWrite)) { request, context, identity in
            let existing = try await task(context)
            let form = try await pages.readForm(request, context: context)
            do {
                _ = try await tasks.comment(taskID: existing.id, body: form["body"], by: identity.principal)
                return pages.redirect(WorkPath.task(.value(existing.id)).fragment("comments"), flash: "flash.task_commented")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await detailPage(request, context, identity, values: ["body": form["body"] ?? ""], errors: refusal.errors.messages, status: refusal.status)
            }
        }
        routes.post(WorkPath.attachments(.key), .permission(.tasksWrite)) { request, context, identity in
            let existing = try await task(context)
            let form = try await pages.readForm(request, context: context)
            do {
                _ = try await tasks.attach(taskID: existing.id, assetID: form["asset_id"], by: identity.principal)
                return pages.redirect(WorkPath.task(.value(existing.id)).fragment("attachments"), flash: "flash.task_attached")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await detailPage(request, context, identity, errors: refusal.errors.messages, status: refusal.status)
            }
        }
        routes.post(WorkPath.attachmentDelete(.key), .permission(.tasksWrite)) { request, context, identity in
            let existing = try await task(context)
            let form = try await pages.readForm(request, context: context)
            try await tasks.detach(taskID: existing.id, assetID: form["asset_id"] ?? "", by: identity.principal)
            return pages.redirect(WorkPath.task(.value(existing.id)).fragment("attachments"))
        }

        // Recurring tasks
        routes.get(WorkPath.recurring, .permission(.tasksView)) { request, context, identity in
            let t = pages.localizer(context)
            let names = try await memberNames()
            var rows: [RecurringListPage.Row] = []
            for rule in try await tasks.recurring() {
                let next = rule.active ? try await tasks.nextOccurrence(rule) : nil
                rows.append(RecurringListPage.Row(href: WorkPath.recurringRule(.value(rule.id)).path, title: rule.title, rule: TaskSentences.rule(rule.rule, t: t),
                                                  assignee: rule.assigneeID.map { names[$0] ?? t.t("tasks.former_member") } ?? t.t("tasks.unassigned"),
                                                  next: next.map { t.dateTime($0) } ?? t.t("tasks.recurring_paused"), active: rule.active,
                                                  tasksHref: WorkPath.list.path))
            }
            let model = RecurringListPage(tabs: TaskViewTabs(query: TaskQuery(), current: .recurring), rows: rows, hasRows: !rows.isEmpty,
                                          canManage: identity.permissions.contains(.tasksManage), zone: try await tasks.zone().identifier)
            return pages.render(.workRecurring, title: t.t("tasks.recurring_title"), page: model, request: request, context: context)
        }
        routes.get(WorkPath.recurringNew, .permission(.tasksManage)) { request, context, identity in
            try await recurringForm(nil, values: ["frequency": "weekly", "time": "09:00", "due_after_hours": "8", "priority": "normal", "active": "true"],
                                    weekdays: [1], request, context)
        }
        routes.post(WorkPath.recurring, .permission(.tasksManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                _ = try await tasks.createRecurring(try RecurringInput.read(form: form, base: nil), by: identity.principal)
                return pages.redirect(WorkPath.recurring, flash: "flash.task_recurring_saved")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await recurringForm(nil, values: Self.formValues(form), weekdays: Set(form.all("weekdays").compactMap(Int.init)), errors: refusal,
                                               request, context)
            }
        }
        routes.get(WorkPath.recurringRule(.key), .permission(.tasksManage)) { request, context, identity in
            let rule = try await recurring(context)
            return try await recurringForm(rule, values: Self.values(of: rule), weekdays: rule.rule.weekdays, request, context)
        }
        routes.post(WorkPath.recurringRule(.key), .permission(.tasksManage)) { request, context, identity in
            let rule = try await recurring(context)
            let form = try await pages.readForm(request, context: context)
            do {
                _ = try await tasks.updateRecurring(try RecurringInput.read(form: form, base: rule), by: identity.principal)
                return pages.redirect(WorkPath.recurring, flash: "flash.task_recurring_saved")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await recurringForm(rule, values: Self.formValues(form), weekdays: Set(form.all("weekdays").compactMap(Int.init)), errors: refusal,
                                               request, context)
            }
        }
        routes.post(WorkPath.recurringDelete(.key), .permission(.tasksManage)) { request, context, identity in
            let rule = try await recurring(context)
            _ = try await pages.readForm(request, context: context)
            try await tasks.deleteRecurring(id: rule.id, by: identity.principal)
            return pages.redirect(WorkPath.recurring, flash: "flash.task_recurring_deleted")
        }
    }

    // MARK: Helpers

    func task(_ context: AppRequestContext) async throws -> WorkTask {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let task = try await tasks.task(id: id) else { throw NotFoundError(entity: "task") }
        return task
    }

    func recurring(_ context: AppRequestContext) async throws -> RecurringTask {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let rule = try await tasks.recurring(id: id) else {
            throw NotFoundError(entity: "task_recurrence")
        }
        return rule
    }

    func memberNames() async throws -> [String: String] {
        Dictionary(try await dependencies.team.members().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// A return address from a form: a path inside the tasks room only, never another site.
    static func safeBack(_ value: String?) -> String? {
        guard let value, value.hasPrefix("/tasks"), !value.hasPrefix("//"), !value.contains("\\"), value.count < 1_000 else { return nil }
        return value
    }

    static func formValues(_ form: FormData) -> [String: String] {
        var values: [String: String] = [:]
        for key in ["title", "description", "status", "priority", "assignee_id", "due_at", "remind_before_minutes", "labels", "checklist",
                    "frequency", "day_of_month", "time", "due_after_hours", "active"] + TaskLinkKind.allCases.map({ "link_\($0.rawValue)" }) {
            if let value = form[key] { values[key] = value }
        }
        return values
    }

    static func values(of rule: RecurringTask) -> [String: String] {
        ["title": rule.title, "description": rule.description, "priority": rule.priority.rawValue, "assignee_id": rule.assigneeID ?? "",
         "labels": rule.labels.joined(separator: ", "), "checklist": rule.checklist.joined(separator: "\n"), "frequency": rule.rule.frequency.rawValue,
         "day_of_month": rule.rule.dayOfMonth.map(String.init) ?? "", "time": RecurringInput.time(rule.rule),
         "due_after_hours": FixedDecimal.text(Double(rule.dueAfterMinutes) / 60, digits: 1).replacingOccurrences(of: ".0", with: ""),
         "active": rule.active ? "true" : ""]
    }

    static func bulkChange(_ form: FormData, zone: TimeZone) throws -> TaskBulkChange {
        switch form["action"] ?? "" {
        case "status":
            guard let status = TaskStatus(rawValue: form["status"] ?? "") else { throw TaskInput.choice("status", TaskStatus.self) }
            return .status(status)
        case "priority":
            guard let priority = TaskPriority(rawValue: form["priority"] ?? "") else { throw TaskInput.choice("priority", TaskPriority.self) }
            return .priority(priority)
        case "assignee": return .assignee(form["assignee_id"].flatMap { $0.isEmpty ? nil : $0 })
        case "due":
            let text = (form["due_at"] ?? "").trimmingCharacters(in: .whitespaces)
            if text.isEmpty { return .due(nil) }
            guard let date = LocalDateTime(text)?.instant(in: zone) else { throw ValidationError(field: "due_at", code: "invalid_date") }
            return .due(date)
        case "delete":
            // Deleting is the one change that cannot be undone: the form asks for a tick first.
            guard form["confirm_delete"] == "yes" else { throw ValidationError(field: "confirm_delete", code: "task_bulk_delete_confirm") }
            return .delete
        case "": throw ValidationError(field: "action", code: "task_bulk_action_required")
        default: throw ValidationError(field: "action", code: "invalid_choice", params: ["choices": "status, assignee, priority, due, delete"])
        }
    }

    func filterBar(_ query: TaskQuery, members: [Member], path: String, t: Localizer) async throws -> TaskFilterBar {
        var title: String?
        if let link = query.link { title = try await tasks.resolve([link])[link]?.title }
        return TaskFilterBar(query: query, members: members, labels: try await tasks.labels(), linkTitle: title, path: path, t: t)
    }

    /// The query read, or the error page naming the parameter.
    func query(_ request: Request, _ context: AppRequestContext) -> Result<TaskQuery, ValidationError> {
        do { return .success(try TaskQuery.read(request.formQuery)) } catch let error as ValidationError { return .failure(error) } catch let errors as ValidationErrors {
            return .failure(errors.errors[0])
        } catch { return .failure(ValidationError(field: "q", code: "invalid_choice")) }
    }

    // MARK: Pages

    func listPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity, bulkError: String? = nil,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let query: TaskQuery
        switch self.query(request, context) {
        case .success(let parsed): query = parsed
        case .failure(let error):
            return pages.errorPage(status: .unprocessableContent, message: t.error(error.code, field: error.field, params: error.params), request: request, context: context)
        }
        let sortChoice: (TaskSort, Bool)
        do { sortChoice = try request.sort(TaskSort.self, default: .due) } catch let error as ValidationError {
            return pages.errorPage(status: .unprocessableContent, message: t.error(error.code, field: error.field, params: error.params), request: request, context: context)
        }
        let zone = try await tasks.zone()
        let now = Date()
        let page = try await tasks.list(query.filter(memberID: identity.member.id, now: now, zone: zone), sort: sortChoice.0, descending: sortChoice.1,
                                        page: try request.pageRequest(defaultPerPage: 25))
        let members = try await dependencies.team.members()
        let names = Dictionary(members.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let address = PageAddress(path: WorkPath.list.path, query: request.uri.query ?? "")
        let model = TaskListPage(
            tabs: TaskViewTabs(query: query, current: .list),
            filters: try await filterBar(query, members: members, path: WorkPath.list.path, t: t),
            rows: page.items.map { TaskCard($0, names: names, now: now, identity: identity, t: t) }, hasRows: !page.items.isEmpty,
            sortLinks: Pagination.sortLinks(address, keys: TaskSort.allCases.map(\.rawValue), current: sortChoice.0.rawValue, descending: sortChoice.1),
            pagination: Pagination(address, page: page, localizer: t),
            canWrite: identity.permissions.contains(.tasksWrite),
            bulkStatuses: TaskStatus.allCases.map { SelectOption(value: $0.rawValue, label: t.t("tasks.status_\($0.rawValue)"), selected: false) },
            bulkPriorities: TaskPriority.allCases.reversed().map { SelectOption(value: $0.rawValue, label: t.t("tasks.priority_\($0.rawValue)"), selected: $0 == .normal) },
            bulkAssignees: [SelectOption(value: "", label: t.t("tasks.unassigned"), selected: false)]
                + members.filter(\.isActive).map { SelectOption(value: $0.id, label: $0.name, selected: false) },
            back: address.path + (request.uri.query.map { "?" + $0 } ?? ""), bulkErrors: bulkError)
        return pages.render(.workList, title: t.t("tasks.title"), page: model, request: request, context: context, status: status)
    }

    func boardPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let t = pages.localizer(context)
        let query: TaskQuery
        switch self.query(request, context) {
        case .success(let parsed): query = parsed
        case .failure(let error):
            return pages.errorPage(status: .unprocessableContent, message: t.error(error.code, field: error.field, params: error.params), request: request, context: context)
        }
        let zone = try await tasks.zone()
        let now = Date()
        let limit = 50
        let board = try await tasks.board(query.filter(memberID: identity.member.id, now: now, zone: zone), limit: limit)
        let members = try await dependencies.team.members()
        let names = Dictionary(members.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let listHref = TaskViewTabs(query: query, current: .board).listHref
        let columns = TaskStatus.boardColumns.map { status in
            let cards = (board.columns[status] ?? []).map { TaskCard($0, names: names, now: now, identity: identity, t: t) }
            let count = board.counts[status] ?? 0
            return TaskBoardPage.Column(key: status.rawValue, title: t.t("tasks.status_\(status.rawValue)"), count: t.grouped(count), cards: cards,
                                        more: count > cards.count ? t.t("tasks.board_more", ["count": t.grouped(count - cards.count), "href": listHref]) : nil)
        }
        let model = TaskBoardPage(tabs: TaskViewTabs(query: query, current: .board),
                                  filters: try await filterBar(query, members: members, path: WorkPath.board.path, t: t), columns: columns,
                                  canWrite: identity.permissions.contains(.tasksWrite),
                                  back: WorkPath.board.path + (request.uri.query.map { "?" + $0 } ?? ""), newHref: WorkPath.new.path)
        return pages.render(.workBoard, title: t.t("tasks.board_title"), page: model, request: request, context: context)
    }

    func detailPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity, values: [String: String] = [:], errors: [String: String] = [:],
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let task = try await task(context)
        let names = try await memberNames()
        let now = Date()
        let targets = try await tasks.resolve(task.links)
        let links = task.links.map { link -> TaskDetailPage.LinkRow in
            let target = targets[link]
            let href: String? = target == nil ? nil : Self.href(link)
            return TaskDetailPage.LinkRow(kind: t.t("tasks.link_\(link.kind.rawValue)"), title: target?.title ?? t.t("tasks.link_missing", ["id": link.id]),
                                          detail: target?.detail, href: href, missing: target == nil,
                                          tasksHref: WorkPath.list.query(["link": "\(link.kind.rawValue):\(link.id)"]))
        }
        let attachments = try await tasks.attachments(taskID: task.id)
        let assetNames = try await tasks.resolveAssets(attachments.map(\.assetID))
        let recent = try await dependencies.assets.list(filter: AssetFilter(), page: PageRequest(page: 1, perPage: 50)).items
        let attached = Set(attachments.map(\.assetID))
        let choices = recent.filter { !attached.contains($0.id) }.map { SelectOption(value: $0.id, label: $0.name, selected: false) }
        let labels = try await AuditLabels.load(t, team: dependencies.team)
        let history = try await dependencies.team.auditLog(AuditFilter(entityType: AuditEntity.task.rawValue, entityID: task.id), page: PageRequest(page: 1, perPage: 100))
        let canEdit = TaskAccess.canEdit(task, memberID: identity.member.id, permissions: identity.permissions)
        var model = TaskDetailPage(
            task: TaskCard(task, names: names, now: now, identity: identity, t: t), description: task.description,
            creator: task.creatorID.map { names[$0] ?? t.t("tasks.former_member") } ?? t.t("tasks.creator_system"),
            created: t.dateTime(task.createdAt), remind: TaskSentences.lead(task.remindBeforeMinutes, t: t), links: links,
            checklist: task.checklist.map { TaskDetailPage.CheckRow(id: $0.id, text: $0.text, done: $0.done) },
            comments: try await tasks.comments(taskID: task.id).map { TaskDetailPage.CommentRow(author: $0.authorName, at: t.dateTime($0.createdAt), body: $0.body) },
            attachments: attachments.map {
                TaskDetailPage.AttachmentRow(assetID: $0.assetID, name: assetNames[$0.assetID]?.title ?? t.t("tasks.asset_missing"),
                                             detail: assetNames[$0.assetID]?.detail.flatMap { t.optional("asset.kind_\($0)") },
                                             href: ContentPath.asset(.value($0.assetID)).path)
            },
            assetChoices: choices, hasAssetChoices: !choices.isEmpty,
            history: history.items.map { AuditRow($0, labels: labels) },
            canEdit: canEdit, canDelete: TaskAccess.canDelete(task, memberID: identity.member.id, permissions: identity.permissions),
            canComment: identity.permissions.contains(.tasksWrite),
            recurringHref: task.recurrenceID.map { WorkPath.recurringRule(.value($0)).path },
            editHref: WorkPath.edit(.value(task.id)).path, values: values, errors: errors,
            mentionHelp: t.t("tasks.mention_help"))
        if let knowledge = dependencies.knowledge {
            model.related = try await KnowledgeController.relatedSection(.task, targetID: task.id, knowledge: knowledge, identity: identity, t: t)
        }
        return pages.render(.workTask, title: task.title, page: model, request: request, context: context, status: status)
    }

    /// Where a link leads: the page of the thing in its own room.
    static func href(_ link: TaskLink) -> String {
        switch link.kind {
        case .content: ContentPath.item(.value(link.id)).path
        case .publishTarget: PublishingPath.target(.value(link.id)).path
        case .topic: ContentPath.topic(.value(link.id)).path
        case .goal: PlanningPath.goal(.value(link.id)).path
        }
    }

    func formPage(_ task: WorkTask?, values: [String: String], errors refusal: (errors: FormErrors, status: HTTPResponse.Status)? = nil, _ request: Request,
                  _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let t = pages.localizer(context)
        let zone = try await tasks.zone()
        let members = try await dependencies.team.members().filter { $0.isActive || $0.id == values["assignee_id"] }
        var summary = refusal?.errors.summary
        let messages = refusal?.errors.messages ?? [:]
        if summary == nil, messages.count > 1 { summary = t.t("common.form_errors", ["count": String(messages.count)]) }
        let lead = Int(values["remind_before_minutes"] ?? "") ?? WorkTask.defaultReminderLead
        var leads = Self.reminderChoices
        if !leads.contains(lead), WorkTask.reminderLeadRange.contains(lead) { leads.append(lead); leads.sort() }
        let model = TaskFormPage(
            action: task.map { WorkPath.task(.value($0.id)).path } ?? WorkPath.list.path,
            backHref: task.map { WorkPath.task(.value($0.id)).path } ?? WorkPath.board.path, isNew: task == nil, values: values,
            statuses: TaskStatus.allCases.map { SelectOption(value: $0.rawValue, label: t.t("tasks.status_\($0.rawValue)"), selected: values["status"] == $0.rawValue) },
            priorities: TaskPriority.allCases.map { SelectOption(value: $0.rawValue, label: t.t("tasks.priority_\($0.rawValue)"), selected: values["priority"] == $0.rawValue) },
            assignees: [SelectOption(value: "", label: t.t("tasks.unassigned"), selected: (values["assignee_id"] ?? "").isEmpty)]
                + members.map { SelectOption(value: $0.id, label: $0.name, selected: values["assignee_id"] == $0.id) },
            reminders: leads.map { SelectOption(value: String($0), label: TaskSentences.lead($0, t: t), selected: $0 == lead) },
            linkKinds: try await linkFields(values, t: t),
            errors: messages, summary: summary, zone: zone.identifier,
            canReassign: task.map { TaskAccess.canReassign($0, memberID: identity.member.id, permissions: identity.permissions) } ?? true)
        let title = task.map { t.t("tasks.edit_title", ["title": $0.title]) } ?? t.t("tasks.new_title")
        return pages.render(.workForm, title: title, page: model, request: request, context: context, status: refusal?.status ?? .ok)
    }

    /// One field per kind of link, each a choice: recent content items and topics,
    /// every goal, and the publish targets still to go out or to see to (plus the
    /// one already linked); a kind with nothing to choose from takes an id.
    func linkFields(_ values: [String: String], t: Localizer) async throws -> [TaskFormPage.LinkField] {
        var fields: [TaskFormPage.LinkField] = []
        for kind in tasks.linkKinds {
            let key = "link_\(kind.rawValue)"
            let current = values[key] ?? ""
            var choices: [(String, String)] = []
            switch kind {
            case .content:
                choices = try await dependencies.content.list(filter: ContentFilter(), page: PageRequest(page: 1, perPage: 50)).items.map { ($0.id, $0.title) }
            case .topic:
                choices = try await dependencies.topics.list(filter: TopicFilter(), page: PageRequest(page: 1, perPage: 50)).items.map { ($0.id, $0.title) }
            case .goal:
                choices = try await dependencies.goals?.goals().map { ($0.id, $0.name) } ?? []
            case .publishTarget:
                choices = try await publishTargetChoices(t: t)
            }
            if !choices.isEmpty, !current.isEmpty, !choices.contains(where: { $0.0 == current }) {
                let link = TaskLink(kind: kind, id: current)
                choices.insert((current, try await tasks.resolve([link])[link]?.title ?? current), at: 0)
            }
            let options = choices.isEmpty ? [] : [SelectOption(value: "", label: t.t("tasks.link_none"), selected: current.isEmpty)]
                + choices.map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == current) }
            fields.append(TaskFormPage.LinkField(key: key, label: t.t("tasks.link_\(kind.rawValue)"),
                                                 help: options.isEmpty ? t.t("tasks.link_help_\(kind.rawValue)")
                                                    : t.optional("tasks.link_pick_help_\(kind.rawValue)") ?? t.t("tasks.link_pick_help"),
                                                 value: current, options: options, hasOptions: !options.isEmpty))
        }
        return fields
    }

    /// The targets a task is usually about: waiting for a manual post, not yet
    /// confirmed, failed, or scheduled next; at most 50, as "title · account · when".
    func publishTargetChoices(t: Localizer) async throws -> [(String, String)] {
        guard let publishing = dependencies.publishing else { return [] }
        let zone = try await tasks.zone()
        var seen = Set<String>()
        var choices: [(String, String)] = []
        for view in [QueueView.manual, .unconfirmed, .failed, .upcoming] where choices.count < 50 {
            for entry in try await publishing.queue(view, zone: zone, limit: 50 - choices.count).entries where seen.insert(entry.target.id).inserted {
                choices.append((entry.target.id, "\(entry.contentTitle) · \(entry.accountName) · \(t.dateTime(entry.target.dueAt))"))
            }
        }
        return choices
    }

    func recurringForm(_ rule: RecurringTask?, values: [String: String], weekdays: Set<Int>, errors refusal: (errors: FormErrors, status: HTTPResponse.Status)? = nil,
                       _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = pages.localizer(context)
        let members = try await dependencies.team.members().filter { $0.isActive || $0.id == values["assignee_id"] }
        var summary = refusal?.errors.summary
        let messages = refusal?.errors.messages ?? [:]
        if summary == nil, messages.count > 1 { summary = t.t("common.form_errors", ["count": String(messages.count)]) }
        let model = RecurringFormPage(
            action: rule.map { WorkPath.recurringRule(.value($0.id)).path } ?? WorkPath.recurring.path, backHref: WorkPath.recurring.path, isNew: rule == nil,
            values: values,
            frequencies: RecurrenceFrequency.allCases.map { SelectOption(value: $0.rawValue, label: t.t("tasks.frequency_\($0.rawValue)"), selected: values["frequency"] == $0.rawValue) },
            weekdays: (1...7).map { SelectOption(value: String($0), label: t.t("tasks.weekday_\($0)"), selected: weekdays.contains($0)) },
            priorities: TaskPriority.allCases.map { SelectOption(value: $0.rawValue, label: t.t("tasks.priority_\($0.rawValue)"), selected: values["priority"] == $0.rawValue) },
            assignees: [SelectOption(value: "", label: t.t("tasks.unassigned"), selected: (values["assignee_id"] ?? "").isEmpty)]
                + members.map { SelectOption(value: $0.id, label: $0.name, selected: values["assignee_id"] == $0.id) },
            errors: messages, summary: summary, zone: try await tasks.zone().identifier,
            deleteHref: rule.map { WorkPath.recurringDelete(.value($0.id)).path }, active: values["active"] == "true" || values["active"] == "on")
        let title = rule.map { t.t("tasks.recurring_edit_title", ["title": $0.title]) } ?? t.t("tasks.recurring_new_title")
        return pages.render(.workRecurringForm, title: title, page: model, request: request, context: context, status: refusal?.status ?? .ok)
    }
}

enum WorkRoutes {
    static func register(_ routes: Routes, _ dependencies: WorkDependencies, pages: PageSupport) {
        TasksAPIController(dependencies: dependencies, pages: pages).register(routes)
        TasksController(dependencies: dependencies, pages: pages).register(routes)
    }
}
