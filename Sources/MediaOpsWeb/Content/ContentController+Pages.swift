import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

extension ContentController {
    func registerPages(_ routes: Routes) {
        // Scheduling is the publishing room's use case, asked from the editor, whose page shows its errors.
        routes.post(ContentPath.itemSchedule(.key), .permission(.contentPublish)) { request, context, identity in
            let item = try await self.item(context)
            let form = try await pages.readForm(request, context: context)
            do {
                let accountIDs = form.all("account_ids").filter { !$0.isEmpty }
                guard !accountIDs.isEmpty else { throw ValidationError(field: "account_ids", code: "required") }
                let now = form.has("publish_now")
                let timing: PublishingService.Timing
                if now {
                    timing = .at(Date())
                } else {
                    let zone = pages.localizer(context).timeZone
                    guard case .some(.some(let date)) = try ContentInputParsing.localDateTime(form["due_at"], field: "due_at", zone: zone) else {
                        throw ValidationError(field: "due_at", code: "required")
                    }
                    // "Each at its best time" keeps the chosen day and lets each account's time decide the hour.
                    timing = form["best_time"] == "1" ? .bestTime(on: LocalDate(date, timeZone: zone)) : .at(date)
                }
                _ = try await dependencies.publishing.publishing.schedule(contentID: item.id, accountIDs: accountIDs, when: timing, by: identity.principal)
                return pages.redirect(ContentPath.item(.value(item.id)).fragment("publishing"), flash: now ? "flash.targets_publishing_now" : "flash.targets_scheduled")
            } catch {
                let refusal = try pages.refusal(error, context)
                let fresh = try await service.find(id: item.id) ?? item
                return try await editorPage(fresh, errors: refusal.errors, request, context, identity, status: refusal.status, scheduleForm: form)
            }
        }
        routes.get(ContentPath.list, .permission(.contentView)) { request, context, identity in try await listPage(request, context, identity) }
        routes.get(ContentPath.reviewQueue, .permission(.contentView)) { request, context, identity in try await reviewQueuePage(request, context, identity) }
        routes.get(ContentPath.new, .permission(.contentWrite)) { request, context, identity in
            try await newPage(values: ["category": "industry"], errors: FormErrors(), request, context, identity)
        }
        routes.post(ContentPath.list, .permission(.contentWrite)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                let item = try await service.create(try formInput(form, context: context), by: identity.principal)
                return pages.redirect(ContentPath.item(.value(item.id)), flash: "flash.content_created")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await newPage(values: form.values.compactMapValues(\.first), errors: refusal.errors,
                                         request, context, identity, status: refusal.status)
            }
        }
        routes.get(ContentPath.item(.key), .permission(.contentView)) { request, context, identity in
            try await editorPage(try await item(context), errors: FormErrors(), request, context, identity)
        }
        routes.post(ContentPath.item(.key), .permission(.contentWrite)) { request, context, identity in
            let item = try await item(context)
            let form = try await pages.readForm(request, context: context)
            return try await act(item, request, context, identity) {
                _ = try await service.update(id: item.id, try formInput(form, context: context), expectedVersion: try ContentInputParsing.version(form["version"]),
                                             by: identity.principal)
                return "flash.content_saved"
            }
        }
        routes.post(ContentPath.itemVariants(.key), .permission(.contentWrite)) { request, context, identity in
            let item = try await item(context)
            let form = try await pages.readForm(request, context: context)
            return try await act(item, request, context, identity, anchor: "variants") {
                _ = try await service.addVariant(contentID: item.id, platform: try ContentInputParsing.platform(form["platform"]),
                                                 expectedVersion: try ContentInputParsing.version(form["version"]), by: identity.principal)
                return "flash.variant_added"
            }
        }
        routes.post(ContentPath.itemVariant(.key, .key), .permission(.contentWrite)) { request, context, identity in
            let item = try await item(context)
            guard let platform = context.parameters.get("platform").flatMap(Platform.init(rawValue:)) else { throw AppError.notFound }
            let form = try await pages.readForm(request, context: context)
            return try await act(item, request, context, identity, anchor: "variant-\(platform.rawValue)") {
                _ = try await service.updateVariant(contentID: item.id, platform: platform,
                                                    .init(title: form["title"] ?? "", body: ContentInputParsing.body(fromForm: form["body"] ?? ""),
                                                          tags: ContentInputParsing.tags(fromForm: form["tags"]), link: form["link"] ?? ""),
                                                    expectedVersion: try ContentInputParsing.version(form["version"]), by: identity.principal)
                return "flash.variant_saved"
            }
        }
        routes.post(ContentPath.itemVariantDelete(.key, .key), .permission(.contentWrite)) { request, context, identity in
            let item = try await item(context)
            guard let platform = context.parameters.get("platform").flatMap(Platform.init(rawValue:)) else { throw AppError.notFound }
            let form = try await pages.readForm(request, context: context)
            return try await act(item, request, context, identity, anchor: "variants") {
                try await service.removeVariant(contentID: item.id, platform: platform, expectedVersion: try ContentInputParsing.version(form["version"]),
                                                by: identity.principal)
                return "flash.variant_removed"
            }
        }
        routes.post(ContentPath.itemReview(.key), .contentContributor) { request, context, identity in
            let item = try await item(context)
            let form = try await pages.readForm(request, context: context)
            return try await act(item, request, context, identity, anchor: "review") {
                guard let action = form["action"].flatMap(ReviewAction.init(rawValue:)) else {
                    throw ValidationError(field: "action", code: "invalid_choice", params: ["choices": ReviewAction.allCases.map(\.rawValue).joined(separator: ", ")])
                }
                _ = try await service.review(id: item.id, action: action, comment: form["comment"], expectedVersion: try ContentInputParsing.version(form["version"]),
                                             by: identity.principal)
                return "flash.review_\(action.rawValue)"
            }
        }
        routes.post(ContentPath.itemOverride(.key), .permission(.complianceOverride)) { request, context, identity in
            let item = try await item(context)
            let form = try await pages.readForm(request, context: context)
            return try await act(item, request, context, identity, anchor: "review") {
                try await service.overrideCompliance(id: item.id, reason: form["reason"], by: identity.principal)
                return "flash.override_recorded"
            }
        }
        routes.post(ContentPath.itemComments(.key), .contentContributor) { request, context, identity in
            let item = try await item(context)
            let form = try await pages.readForm(request, context: context)
            return try await act(item, request, context, identity, anchor: "comments") {
                _ = try await service.comment(id: item.id, body: form["body"], anchor: form["anchor"],
                                              rangeStart: try Self.optionalInt(form["range_start"], field: "range_start"),
                                              rangeEnd: try Self.optionalInt(form["range_end"], field: "range_end"),
                                              quote: form["quote"], by: identity.principal)
                return "flash.comment_added"
            }
        }
        routes.post(ContentPath.itemDuplicate(.key), .permission(.contentWrite)) { request, context, identity in
            let item = try await item(context)
            _ = try await pages.readForm(request, context: context)
            let copy = try await service.duplicate(id: item.id, by: identity.principal)
            return pages.redirect(ContentPath.item(.value(copy.id)), flash: "flash.content_duplicated")
        }
        routes.get(ContentPath.itemVersions(.key), .permission(.contentView)) { request, context in
            try await versionsPage(try await item(context), request, context)
        }
    }

    /// Runs a change from the editor page: on success back to the editor with a
    /// notice, on a refusal the editor again with the reason next to the form.
    private func act(_ item: ContentItem, _ request: Request, _ context: AppRequestContext, _ identity: Identity, anchor: String? = nil,
                     _ change: () async throws -> String) async throws -> Response {
        do {
            let flash = try await change()
            return pages.redirect(anchor.map(ContentPath.item(.value(item.id)).fragment) ?? ContentPath.item(.value(item.id)).path, flash: flash)
        } catch {
            let refusal = try pages.refusal(error, context)
            let fresh = try await service.find(id: item.id) ?? item
            return try await editorPage(fresh, errors: refusal.errors, request, context, identity, status: refusal.status)
        }
    }

    static func optionalInt(_ raw: String?, field: String) throws -> Int? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let value = Int(raw) else { throw ValidationError(field: field, code: "invalid_number") }
        return value
    }

    private func formInput(_ form: FormData, context: AppRequestContext) throws -> ContentService.ItemInput {
        let zone = pages.localizer(context).timeZone
        return ContentService.ItemInput(
            title: form["title"] ?? "", body: ContentInputParsing.body(fromForm: form["body"] ?? ""), summary: form["summary"] ?? "",
            tags: ContentInputParsing.tags(fromForm: form["tags"]) ?? [], category: form["category"],
            coverAssetID: form.has("cover_asset_id") ? .some(form["cover_asset_id"]) : .none,
            ownerID: form.has("owner_id") ? .some(form["owner_id"]) : .none, groupID: form.has("group_id") ? .some(form["group_id"]) : .none,
            plannedAt: try ContentInputParsing.localDateTime(form["planned_at"], field: "planned_at", zone: zone),
            isTemplate: form.has("is_template_present") ? form.has("is_template") : nil)
    }

    // MARK: SelectOption lists

    func categoryOptions(_ t: Localizer, selected: String?, includeAll: Bool = false) -> [SelectOption] {
        (includeAll ? [SelectOption(value: "", label: t.t("content.all_categories"), selected: (selected ?? "").isEmpty)] : [])
            + ContentCategory.allCases.map { SelectOption(value: $0.rawValue, label: t.t("content.category_\($0.rawValue)"), selected: $0.rawValue == selected) }
    }

    func groupOptions(_ t: Localizer, selected: String?, emptyLabel: String) async throws -> [SelectOption] {
        [SelectOption(value: "", label: emptyLabel, selected: (selected ?? "").isEmpty)]
            + (try await dependencies.team.groups()).map { SelectOption(value: $0.id, label: $0.name, selected: $0.id == selected) }
    }

    func ownerOptions(_ t: Localizer, selected: String?, emptyLabel: String) async throws -> [SelectOption] {
        [SelectOption(value: "", label: emptyLabel, selected: (selected ?? "").isEmpty)]
            + (try await dependencies.team.members()).filter { $0.isActive || $0.id == selected }.map { SelectOption(value: $0.id, label: $0.name, selected: $0.id == selected) }
    }

    // MARK: List

    func rows(_ items: [ContentItem], _ t: Localizer) async throws -> [Row] {
        let names = Dictionary(uniqueKeysWithValues: try await dependencies.team.members().map { ($0.id, $0.name) })
        return items.map { Row($0, ownerName: $0.ownerID.flatMap { names[$0] }, t: t) }
    }

    private func listPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let t = pages.localizer(context)
        let filter = try filter(request, zone: t.timeZone)
        let (sort, descending) = try request.sort(ContentSort.self, default: .updated, descendingByDefault: true)
        let page = try await service.list(filter: filter, sort: sort, descending: descending,
                                             page: try request.pageRequest(defaultPerPage: 25))
        let selectedState = request.query("state") ?? ""
        let model = ListPage(
            rows: try await rows(page.items, t), query: request.query("q") ?? "",
            states: [SelectOption(value: "", label: t.t("content.all_states"), selected: selectedState.isEmpty)]
                + ContentState.allCases.map { SelectOption(value: $0.rawValue, label: t.t("content.state_\($0.rawValue)"), selected: $0.rawValue == selectedState) },
            categories: categoryOptions(t, selected: request.query("category"), includeAll: true),
            groups: try await groupOptions(t, selected: request.query("group"), emptyLabel: t.t("accounts.all_groups")),
            owners: try await ownerOptions(t, selected: request.query("owner"), emptyLabel: t.t("accounts.all_owners")),
            sort: Pagination.sortLinks(request, keys: ContentSort.allCases.map(\.rawValue), current: sort.rawValue, descending: descending),
            pagination: Pagination(request, page: page, localizer: t),
            canWrite: identity.permissions.contains(.contentWrite),
            filtered: filter != ContentFilter())
        return pages.render(.contentList, title: t.t("content.title"), page: model, request: request, context: context)
    }

    private func reviewQueuePage(_ request: Request, _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let t = pages.localizer(context)
        let queue = try await service.reviewQueue(for: identity.principal, page: try request.pageRequest(defaultPerPage: 25))
        let model = QueuePage(rows: try await rows(queue.items.map(\.item), t), pagination: Pagination(request, page: queue, localizer: t))
        return pages.render(.reviewQueue, title: t.t("content.review_title"), page: model, request: request, context: context)
    }

    // MARK: New

    /// A planned time that has already passed is kept (a team may log what went
    /// out) but said next to the field, so nobody plans into the past by mistake.
    static func plannedWarning(_ planned: Date?, _ t: Localizer, now: Date = Date()) -> [String: String] {
        guard let planned, planned < now.addingTimeInterval(-60) else { return [:] }
        return ["planned_at": t.t("content.planned_in_past", ["time": t.dateTime(planned)])]
    }

    /// Image assets to choose a cover from, newest first.
    func coverOptions(_ t: Localizer, selected: String?) async throws -> [SelectOption] {
        let images = try await dependencies.assets.list(filter: AssetFilter(kind: .image), page: PageRequest(page: 1, perPage: 100)).items
        return [SelectOption(value: "", label: t.t("content.no_cover"), selected: (selected ?? "").isEmpty)]
            + images.map { SelectOption(value: $0.id, label: $0.name, selected: $0.id == selected) }
    }

    private func newPage(values: [String: String], errors: FormErrors, _ request: Request, _ context: AppRequestContext, _ identity: Identity,
                         status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let model = NewPage(values: values, errors: errors.messages,
                            fieldWarnings: Self.plannedWarning(values["planned_at"].flatMap { LocalDateTime($0)?.instant(in: t.timeZone) }, t),
                            summary: errors.summary,
                            categories: categoryOptions(t, selected: values["category"]),
                            groups: try await groupOptions(t, selected: values["group_id"], emptyLabel: t.t("content.no_group")),
                            owners: try await ownerOptions(t, selected: values["owner_id"] ?? identity.member.id, emptyLabel: t.t("accounts.no_owner")),
                            covers: try await coverOptions(t, selected: values["cover_asset_id"]),
                            timeZone: t.timeZone.identifier)
        return pages.render(.contentNew, title: t.t("content.new_title"), page: model, request: request, context: context, status: status)
    }
}
