import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// The knowledge base (经验沉淀): lessons, playbooks, creative notes and
/// templates, searched in Chinese, versioned, linked to content items, goals
/// and tasks; as
/// pages under /knowledge and as `/api/v1/knowledge…`. Reading needs
/// `knowledge.view`, writing and linking `knowledge.write`; starting a draft
/// from a template is writing content (`content.write`).
struct KnowledgeController {
    let dependencies: KnowledgeDependencies
    let pages: PageSupport

    var knowledge: KnowledgeService { dependencies.knowledge }

    func register(_ routes: Routes) {
        // API
        routes.get("/api/v1/knowledge", .permission(.knowledgeView)) { request, context, _ in
            let (filter, sort, descending) = try Self.listQuery(request)
            let page = try await knowledge.list(filter: filter, sort: sort, descending: descending, page: try request.pageRequest(defaultPerPage: 25))
            let names = try await memberNames(), t = pages.localizer(context)
            return try JSONOutput.response(PageDTO(page) { KnowledgeEntryDTO($0, names: names, t: t) })
        }
        routes.post("/api/v1/knowledge", .permission(.knowledgeWrite)) { request, context, identity in
            let (draft, _) = try KnowledgeInput.json(try await JSONInput.read(request, context: context), base: nil)
            let created = try await knowledge.create(draft, by: identity.principal)
            return try JSONOutput.response(KnowledgeEntryDTO(created, names: try await memberNames(), t: pages.localizer(context)), status: .created)
        }
        routes.get("/api/v1/knowledge/linked-to/{kind}/{target_id}", .permission(.knowledgeView)) { _, context, identity in
            guard let kind = KnowledgeLinkKind(rawValue: try context.parameters.require("kind")) else { throw NotFoundError(entity: "knowledge_link") }
            guard identity.permissions.contains(KnowledgeLinks.permission(kind)) else { throw AppError.forbidden }
            let entries = try await knowledge.entries(linkedTo: kind, targetID: try context.parameters.require("target_id"))
            let names = try await memberNames(), t = pages.localizer(context)
            return try JSONOutput.response(ItemsDTO(items: entries.map { KnowledgeEntryDTO($0, names: names, t: t) }))
        }
        routes.get("/api/v1/knowledge/{id}", .permission(.knowledgeView)) { _, context, identity in
            let entry = try await entry(context)
            let links = KnowledgeLinks.visible(try await knowledge.links(entryID: entry.id), to: identity.permissions)
            return try JSONOutput.response(KnowledgeEntryDetailDTO(entry: KnowledgeEntryDTO(entry, names: try await memberNames(), t: pages.localizer(context)),
                                                                   links: links.map(KnowledgeLinkDTO.init)))
        }
        routes.patch("/api/v1/knowledge/{id}", .permission(.knowledgeWrite)) { request, context, identity in
            let existing = try await entry(context)
            let (edited, version) = try KnowledgeInput.json(try await JSONInput.read(request, context: context), base: existing)
            let saved = try await knowledge.update(edited, expectedVersion: version, by: identity.principal)
            return try JSONOutput.response(KnowledgeEntryDTO(saved, names: try await memberNames(), t: pages.localizer(context)))
        }
        routes.delete("/api/v1/knowledge/{id}", .permission(.knowledgeWrite)) { _, context, identity in
            try await knowledge.delete(id: try await entry(context).id, by: identity.principal)
            return JSONOutput.noContent()
        }
        routes.get("/api/v1/knowledge/{id}/versions", .permission(.knowledgeView)) { _, context, _ in
            let entry = try await entry(context)
            return try JSONOutput.response(ItemsDTO(items: try await knowledge.revisions(entryID: entry.id).map(KnowledgeRevisionDTO.init)))
        }
        routes.post("/api/v1/knowledge/{id}/links", .permission(.knowledgeWrite)) { request, context, identity in
            let entry = try await entry(context)
            let input = try await JSONInput.read(request, context: context)
            let (kind, target) = try Self.linkInput(kind: try input.string("kind"), target: try input.string("target_id"), identity: identity)
            let link = try await knowledge.link(entryID: entry.id, kind: kind, targetID: target, by: identity.principal)
            return try JSONOutput.response(KnowledgeLinkDTO(link), status: .created)
        }
        routes.delete("/api/v1/knowledge/{id}/links/{kind}/{target_id}", .permission(.knowledgeWrite)) { _, context, identity in
            let entry = try await entry(context)
            guard let kind = KnowledgeLinkKind(rawValue: try context.parameters.require("kind")) else { throw NotFoundError(entity: "knowledge_link") }
            try await knowledge.unlink(entryID: entry.id, kind: kind, targetID: try context.parameters.require("target_id"), by: identity.principal)
            return JSONOutput.noContent()
        }
        routes.post("/api/v1/knowledge/{id}/use-template", .permission(.contentWrite)) { _, context, identity in
            let item = try await knowledge.useTemplate(entryID: try await entry(context).id, by: identity.principal)
            return try JSONOutput.response(UsedTemplateDTO(content_id: item.id, title: item.title, href: ContentPath.item(.value(item.id)).path), status: .created)
        }

        // Pages
        routes.get(KnowledgePath.list, .permission(.knowledgeView)) { request, context, identity in
            try await listPage(request, context, identity)
        }
        routes.get(KnowledgePath.new, .permission(.knowledgeWrite)) { request, context, _ in
            var values = KnowledgeInput.values(of: nil)
            if let kind = request.query("kind"), KnowledgeKind(rawValue: kind) != nil { values["kind"] = kind }
            return try await formPage(nil, values: values, platforms: [], request, context)
        }
        routes.post(KnowledgePath.list, .permission(.knowledgeWrite)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                let (draft, _) = try KnowledgeInput.form(form, base: nil)
                let created = try await knowledge.create(draft, by: identity.principal)
                return pages.redirect(KnowledgePath.entry(.value(created.id)), flash: "flash.knowledge_created")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await formPage(nil, values: KnowledgeInput.values(form), platforms: form.all("platforms"), errors: refusal.errors,
                                          request, context, status: refusal.status)
            }
        }
        routes.get(KnowledgePath.entry(.key), .permission(.knowledgeView)) { request, context, identity in
            try await entryPage(try await entry(context), request, context, identity)
        }
        routes.get(KnowledgePath.entryEdit(.key), .permission(.knowledgeWrite)) { request, context, _ in
            let existing = try await entry(context)
            return try await formPage(existing, values: KnowledgeInput.values(of: existing), platforms: existing.platforms.map(\.rawValue), request, context)
        }
        routes.post(KnowledgePath.entry(.key), .permission(.knowledgeWrite)) { request, context, identity in
            let existing = try await entry(context)
            let form = try await pages.readForm(request, context: context)
            do {
                let (edited, version) = try KnowledgeInput.form(form, base: existing)
                _ = try await knowledge.update(edited, expectedVersion: version, by: identity.principal)
                return pages.redirect(KnowledgePath.entry(.value(existing.id)), flash: "flash.knowledge_updated")
            } catch {
                let refusal = try pages.refusal(error, context)
                var values = KnowledgeInput.values(form)
                // Someone saved in between: the form keeps what was typed and now names the
                // latest version, so saving again (after reading the warning) is a choice.
                if refusal.status == .conflict, let latest = try await knowledge.entry(id: existing.id) { values["version"] = String(latest.version) }
                return try await formPage(existing, values: values, platforms: form.all("platforms"), errors: refusal.errors,
                                          request, context, status: refusal.status)
            }
        }
        routes.post(KnowledgePath.entryDelete(.key), .permission(.knowledgeWrite)) { request, context, identity in
            let existing = try await entry(context)
            _ = try await pages.readForm(request, context: context)
            try await knowledge.delete(id: existing.id, by: identity.principal)
            return pages.redirect(KnowledgePath.list, flash: "flash.knowledge_deleted")
        }
        routes.get(KnowledgePath.entryVersions(.key), .permission(.knowledgeView)) { request, context, _ in
            try await versionsPage(try await entry(context), request, context)
        }
        routes.post(KnowledgePath.entryLinks(.key), .permission(.knowledgeWrite)) { request, context, identity in
            let existing = try await entry(context)
            let form = try await pages.readForm(request, context: context)
            let (kind, target) = try Self.linkInput(kind: form["kind"], target: form["target_id"], identity: identity)
            try await knowledge.link(entryID: existing.id, kind: kind, targetID: target, by: identity.principal)
            return pages.redirect(Self.returnPath(form, kind: kind, target: target, entryID: existing.id), flash: "flash.knowledge_linked")
        }
        routes.post(KnowledgePath.entryUnlink(.key), .permission(.knowledgeWrite)) { request, context, identity in
            let existing = try await entry(context)
            let form = try await pages.readForm(request, context: context)
            let (kind, target) = try Self.linkInput(kind: form["kind"], target: form["target_id"], identity: identity)
            try await knowledge.unlink(entryID: existing.id, kind: kind, targetID: target, by: identity.principal)
            return pages.redirect(Self.returnPath(form, kind: kind, target: target, entryID: existing.id), flash: "flash.knowledge_unlinked")
        }
        routes.post(KnowledgePath.entryUseTemplate(.key), .permission(.contentWrite)) { request, context, identity in
            let existing = try await entry(context)
            _ = try await pages.readForm(request, context: context)
            let item = try await knowledge.useTemplate(entryID: existing.id, by: identity.principal)
            return pages.redirect(ContentPath.item(.value(item.id)), flash: "flash.knowledge_template_used")
        }
    }

    struct UsedTemplateDTO: Encodable {
        var content_id: String
        var title: String
        var href: String
    }

    func entry(_ context: AppRequestContext) async throws -> KnowledgeEntry {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let entry = try await knowledge.entry(id: id) else {
            throw NotFoundError(entity: "knowledge_entry")
        }
        return entry
    }

    func memberNames() async throws -> [String: String] {
        Dictionary(try await dependencies.team.members().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// The kind and target of a link to make or remove. Linking to a thing of another
    /// room also needs that room's read permission: nobody links what they may not see.
    static func linkInput(kind: String?, target: String?, identity: Identity) throws -> (KnowledgeLinkKind, String) {
        let (parsed, target) = try linkInput(kind: kind, target: target)
        guard identity.permissions.contains(KnowledgeLinks.permission(parsed)) else { throw AppError.forbidden }
        return (parsed, target)
    }

    static func linkInput(kind: String?, target: String?) throws -> (KnowledgeLinkKind, String) {
        var errors: [ValidationError] = []
        let kindText = (kind ?? "").trimmed
        let parsed = KnowledgeLinkKind(rawValue: kindText)
        if kindText.isEmpty { errors.append(ValidationError(field: "kind", code: "required")) }
        else if parsed == nil {
            errors.append(ValidationError(field: "kind", code: "invalid_choice", params: ["choices": KnowledgeLinkKind.allCases.map(\.rawValue).joined(separator: ", ")]))
        }
        let targetText = (target ?? "").trimmed
        if targetText.isEmpty { errors.append(ValidationError(field: "target_id", code: "required")) }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        return (parsed!, targetText)
    }

    /// After linking from another room's page, back to that page; otherwise to the entry.
    static func returnPath(_ form: FormData, kind: KnowledgeLinkKind, target: String, entryID: String) -> String {
        form["return"] == "target" ? KnowledgeLinks.href(kind, target) : KnowledgePath.entry(.value(entryID)).path
    }

    /// Filters, sort and order from the query; a bad value is a 422 naming the parameter.
    static func listQuery(_ request: Request) throws -> (KnowledgeFilter, KnowledgeSort, Bool) {
        var filter = KnowledgeFilter()
        if let q = request.query("q") {
            guard q.count <= 100 else { throw ValidationError(field: "q", code: "too_long", params: ["max": "100"]) }
            filter.query = q
        }
        if let kind = request.query("kind") {
            guard let parsed = KnowledgeKind(rawValue: kind) else { throw KnowledgeInput.kindError() }
            filter.kind = parsed
        }
        if let tag = request.query("tag") {
            guard tag.count <= KnowledgeEntry.maxTag else { throw ValidationError(field: "tag", code: "too_long", params: ["max": String(KnowledgeEntry.maxTag)]) }
            filter.tag = tag.hasPrefix("#") ? String(tag.dropFirst()) : tag
        }
        if let platform = request.query("platform") {
            guard let parsed = Platform(rawValue: platform), parsed != .webhook else { throw KnowledgeInput.platformError("platform") }
            filter.platform = parsed
        }
        if let author = request.query("author") {
            guard author.count <= 64 else { throw ValidationError(field: "author", code: "too_long", params: ["max": "64"]) }
            filter.authorID = author
        }
        let (sort, descending) = try request.sort(KnowledgeSort.self, default: .updated, descendingByDefault: true)
        return (filter, sort, sort == .title && request.query("order") == nil ? false : descending)
    }

    // MARK: Pages

    func listPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let t = pages.localizer(context)
        let query: (filter: KnowledgeFilter, sort: KnowledgeSort, descending: Bool)
        let pageRequest: PageRequest
        do {
            query = try Self.listQuery(request)
            pageRequest = try request.pageRequest(defaultPerPage: 20)
        } catch let error as ValidationError {
            return pages.errorPage(status: .unprocessableContent, message: t.error(error.code, field: error.field, params: error.params), request: request, context: context)
        }
        let (filter, sort, descending) = query
        let page = try await knowledge.list(filter: filter, sort: sort, descending: descending, page: pageRequest)
        let members = try await dependencies.team.members()
        let authorIDs = Set(try await knowledge.authorIDs())
        // Linking from a content item, a goal or a task: its page sent the member here to pick entries.
        var linking: KnowledgeListPage.Linking?
        if identity.permissions.contains(.knowledgeWrite), let kind = request.query("link_kind").flatMap(KnowledgeLinkKind.init(rawValue:)),
           identity.permissions.contains(KnowledgeLinks.permission(kind)), let targetID = request.query("link_id"), Identifier.isPlausible(targetID),
           let target = try await knowledge.target(kind: kind, id: targetID) {
            let linked = Set(try await knowledge.entries(linkedTo: kind, targetID: target.id).map(\.id))
            linking = KnowledgeListPage.Linking(kind: kind, targetID: target.id, title: target.title, href: KnowledgeLinks.href(kind, target.id), linkedIDs: linked)
        }
        let model = KnowledgeListPage.make(
            page: page, filter: filter, sort: sort, descending: descending, members: members.filter { authorIDs.contains($0.id) },
            tags: try await knowledge.tagCounts(limit: 40), counts: try await knowledge.counts(), address: PageAddress(request),
            canWrite: identity.permissions.contains(.knowledgeWrite), linking: linking, t: t)
        return pages.render(.knowledgeList, title: t.t("knowledge.title"), page: model, request: request, context: context)
    }

    func entryPage(_ entry: KnowledgeEntry, _ request: Request, _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let t = pages.localizer(context)
        let links = KnowledgeLinks.visible(try await knowledge.links(entryID: entry.id), to: identity.permissions)
        let model = KnowledgeEntryPage.make(entry: entry, links: links, names: try await memberNames(),
                                            canWrite: identity.permissions.contains(.knowledgeWrite),
                                            canUseTemplate: identity.permissions.contains(.contentWrite) && entry.kind == .template, t: t)
        return pages.render(.knowledgeEntry, title: entry.title, page: model, request: request, context: context)
    }

    func versionsPage(_ entry: KnowledgeEntry, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = pages.localizer(context)
        let revisions = try await knowledge.revisions(entryID: entry.id)
        let shown = request.query("version").flatMap(Int.init).flatMap { number in revisions.first { $0.version == number } } ?? revisions.first
        let model = KnowledgeVersionsPage.make(entry: entry, revisions: revisions, shown: shown, t: t)
        return pages.render(.knowledgeVersions, title: t.t("knowledge.versions_title", ["title": entry.title]), page: model, request: request, context: context)
    }

    func formPage(_ entry: KnowledgeEntry?, values: [String: String], platforms: [String], errors: FormErrors = FormErrors(), _ request: Request,
                  _ context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        var summary = errors.summary
        if summary == nil, errors.messages.count > 1 { summary = t.t("common.form_errors", ["count": String(errors.messages.count)]) }
        let suggestions = try await knowledge.tagCounts(limit: 30).map(\.tag)
        let model = KnowledgeFormPage(
            action: entry.map { KnowledgePath.entry(.value($0.id)).path } ?? KnowledgePath.list.path,
            backHref: entry.map { KnowledgePath.entry(.value($0.id)).path } ?? KnowledgePath.list.path,
            isNew: entry == nil, values: values,
            kinds: KnowledgeKind.allCases.map { SelectOption(value: $0.rawValue, label: t.t("knowledge.kind_\($0.rawValue)"), selected: values["kind"] == $0.rawValue) },
            kindHelp: t.t("knowledge.kind_help_\(values["kind"].flatMap(KnowledgeKind.init(rawValue:))?.rawValue ?? "lesson")"),
            platforms: KnowledgeEntry.platformChoices.map { SelectOption(value: $0.rawValue, label: t.platformShortName($0), selected: platforms.contains($0.rawValue)) },
            tagSuggestions: suggestions, hasTagSuggestions: !suggestions.isEmpty,
            errors: errors.messages, summary: summary)
        let title = entry.map { t.t("knowledge.edit_title", ["title": $0.title]) } ?? t.t("knowledge.new_title")
        return pages.render(.knowledgeForm, title: title, page: model, request: request, context: context, status: status)
    }

    /// The "相关经验" section of a content item's, a goal's or a task's page: its linked
    /// entries and, for writers, the way to link more.
    static func relatedSection(_ kind: KnowledgeLinkKind, targetID: String, knowledge: KnowledgeService, identity: Identity,
                               t: Localizer) async throws -> KnowledgeRelatedSection? {
        guard identity.permissions.contains(.knowledgeView), knowledge.linkKinds.contains(kind) else { return nil }
        let entries = try await knowledge.entries(linkedTo: kind, targetID: targetID)
        return KnowledgeRelatedSection(
            hasEntries: !entries.isEmpty,
            entries: entries.map { entry in
                KnowledgeRelatedSection.Row(title: entry.title, href: KnowledgePath.entry(.value(entry.id)).path, kind: t.t("knowledge.kind_\(entry.kind.rawValue)"),
                                            unlinkAction: KnowledgePath.entryUnlink(.value(entry.id)).path)
            },
            kindKey: kind.rawValue, targetID: targetID, emptyText: t.t("knowledge.related_empty_\(kind.rawValue)"),
            canWrite: identity.permissions.contains(.knowledgeWrite),
            findHref: KnowledgePath.list.query(["link_kind": kind.rawValue, "link_id": targetID]))
    }
}
