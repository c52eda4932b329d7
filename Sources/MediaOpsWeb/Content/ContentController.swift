import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Content items: the master copy, platform variants, review, comments and history.
struct ContentController {
    let dependencies: ContentDependencies
    let pages: PageSupport

    var service: ContentService { dependencies.content }

    func register(_ routes: Routes) {
        registerAPI(routes)
        registerPages(routes)
    }

    // MARK: API

    private func registerAPI(_ routes: Routes) {
        routes.get("/api/v1/content", .permission(.contentView)) { request, context in
            let (sort, descending) = try request.sort(ContentSort.self, default: .updated, descendingByDefault: true)
            let page = try await dependencies.content.list(filter: try filter(request, zone: pages.localizer(context).timeZone), sort: sort,
                                                                                descending: descending,
                                                                                page: try request.pageRequest())
            return try JSONOutput.response(PageDTO(page) { ContentItemDTO($0) })
        }
        routes.post("/api/v1/content", .permission(.contentWrite)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let item = try await service.create(try itemInput(input), by: identity.principal)
            return try JSONOutput.response(try await detailDTO(item, context: context), status: .created)
        }
        routes.get("/api/v1/content/{id}", .permission(.contentView)) { _, context in
            try JSONOutput.response(try await detailDTO(try await item(context), context: context))
        }
        routes.patch("/api/v1/content/{id}", .permission(.contentWrite)) { request, context, identity in
            let id = try await item(context).id
            let input = try await JSONInput.read(request, context: context)
            let updated = try await service.update(id: id, try itemInput(input), expectedVersion: try input.int("version"), by: identity.principal)
            return try JSONOutput.response(try await detailDTO(updated, context: context))
        }
        routes.get("/api/v1/content/{id}/check", .permission(.contentView)) { _, context in
            let item = try await item(context)
            let check = try await service.check(item: item, variants: try await service.variants(contentID: item.id))
            return try JSONOutput.response(ContentCheckDTO(check, locale: context.locale))
        }
        routes.post("/api/v1/content/{id}/variants", .permission(.contentWrite)) { request, context, identity in
            let id = try await item(context).id
            let input = try await JSONInput.read(request, context: context)
            let variant = try await service.addVariant(contentID: id, platform: try ContentInputParsing.platform(try input.string("platform")),
                                                       expectedVersion: try input.int("version"), by: identity.principal)
            return try JSONOutput.response(ContentVariantDTO(variant), status: .created)
        }
        routes.patch("/api/v1/content/{id}/variants/{platform}", .permission(.contentWrite)) { request, context, identity in
            let id = try await item(context).id
            let platform = try variantPlatform(context)
            let input = try await JSONInput.read(request, context: context)
            let variant = try await service.updateVariant(
                contentID: id, platform: platform,
                .init(title: try input.string("title"), body: try input.string("body"), tags: try input.strings("tags"), link: try input.string("link"),
                      mediaAssetIDs: try input.strings("media_asset_ids")),
                expectedVersion: try input.int("version"), by: identity.principal)
            return try JSONOutput.response(ContentVariantDTO(variant))
        }
        routes.delete("/api/v1/content/{id}/variants/{platform}", .permission(.contentWrite)) { request, context, identity in
            let id = try await item(context).id
            try await service.removeVariant(contentID: id, platform: try variantPlatform(context),
                                            expectedVersion: try ContentInputParsing.version(request.query("version")), by: identity.principal)
            return JSONOutput.noContent()
        }
        routes.post("/api/v1/content/{id}/review", .contentContributor) { request, context, identity in
            let id = try await item(context).id
            let input = try await JSONInput.read(request, context: context)
            guard let raw = try input.string("action"), !raw.isEmpty else { throw ValidationError(field: "action", code: "required") }
            guard let action = ReviewAction(rawValue: raw) else {
                throw ValidationError(field: "action", code: "invalid_choice", params: ["choices": ReviewAction.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            let updated = try await service.review(id: id, action: action, comment: try input.string("comment"), expectedVersion: try input.int("version"),
                                                   by: identity.principal)
            return try JSONOutput.response(ContentItemDTO(updated))
        }
        routes.post("/api/v1/content/{id}/override", .permission(.complianceOverride)) { request, context, identity in
            let id = try await item(context).id
            let input = try await JSONInput.read(request, context: context)
            try await service.overrideCompliance(id: id, reason: try input.string("reason"), by: identity.principal)
            return JSONOutput.noContent()
        }
        routes.get("/api/v1/content/{id}/comments", .permission(.contentView)) { _, context in
            let id = try await item(context).id
            return try JSONOutput.response(ItemsDTO(items: try await dependencies.content.comments(contentID: id).map(ReviewCommentDTO.init)))
        }
        routes.post("/api/v1/content/{id}/comments", .contentContributor) { request, context, identity in
            let id = try await item(context).id
            let input = try await JSONInput.read(request, context: context)
            let comment = try await service.comment(id: id, body: try input.string("body"), anchor: try input.string("anchor"),
                                                    rangeStart: try input.int("range_start"), rangeEnd: try input.int("range_end"),
                                                    quote: try input.string("quote"), by: identity.principal)
            return try JSONOutput.response(ReviewCommentDTO(comment), status: .created)
        }
        routes.get("/api/v1/content/{id}/versions", .permission(.contentView)) { _, context in
            let id = try await item(context).id
            return try JSONOutput.response(ItemsDTO(items: try await service.versions(contentID: id).map(VersionDTO.init)))
        }
        routes.get("/api/v1/content/{id}/diff", .permission(.contentView)) { request, context in
            let item = try await item(context)
            let (from, to) = try await diffRange(request, item: item)
            let segments = TextDiff.segments(from: from.snapshot.readableText, to: to.snapshot.readableText)
            return try JSONOutput.response(DiffDTO(from: from.version, to: to.version, segments: segments.map { .init(kind: $0.kind.rawValue, text: $0.text) }))
        }
        routes.post("/api/v1/content/{id}/duplicate", .permission(.contentWrite)) { _, context, identity in
            let copy = try await service.duplicate(id: try await item(context).id, by: identity.principal)
            return try JSONOutput.response(try await detailDTO(copy, context: context), status: .created)
        }
    }

    // MARK: Helpers shared by API and pages


    func item(_ context: AppRequestContext) async throws -> ContentItem {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let item = try await service.find(id: id) else { throw AppError.notFound }
        return item
    }

    private func variantPlatform(_ context: AppRequestContext) throws -> Platform {
        guard let raw = context.parameters.get("platform"), let platform = Platform(rawValue: raw) else { throw AppError.notFound }
        return platform
    }

    private func detailDTO(_ item: ContentItem, context: AppRequestContext) async throws -> ContentItemDTO {
        let variants = try await service.variants(contentID: item.id)
        var dto = ContentItemDTO(item, variants: variants)
        dto.check = ContentCheckDTO(try await service.check(item: item, variants: variants), locale: context.locale)
        return dto
    }

    private func itemInput(_ input: JSONInput) throws -> ContentService.ItemInput {
        ContentService.ItemInput(title: try input.string("title"), body: try input.string("body"), summary: try input.string("summary"),
                                 tags: try input.strings("tags"), category: try input.string("category"),
                                 coverAssetID: try input.nullableString("cover_asset_id"), ownerID: try input.nullableString("owner_id"),
                                 groupID: try input.nullableString("group_id"),
                                 plannedAt: try ContentInputParsing.instant(try input.nullableString("planned_at"), field: "planned_at"),
                                 isTemplate: try input.bool("is_template"))
    }

    /// The list's filters from the query; `planned_on` (a day, YYYY-MM-DD) is read
    /// in the workspace's zone, as the calendar shows days.
    func filter(_ request: Request, zone: TimeZone) throws -> ContentFilter {
        var filter = ContentFilter(query: request.query("q"), tag: request.query("tag"), ownerID: request.query("owner"), groupID: request.query("group"))
        if let raw = request.query("state") {
            var states: [ContentState] = []
            for part in raw.split(separator: ",") {
                guard let state = ContentState(rawValue: String(part)) else {
                    throw ValidationError(field: "state", code: "invalid_choice", params: ["choices": ContentState.allCases.map(\.rawValue).joined(separator: ", ")])
                }
                states.append(state)
            }
            filter.states = states
        }
        if let raw = request.query("category") {
            guard let category = ContentCategory(rawValue: raw) else {
                throw ValidationError(field: "category", code: "invalid_choice", params: ["choices": ContentCategory.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            filter.category = category
        }
        filter.templatesOnly = try request.boolQuery("templates") ?? false
        if let raw = request.query("planned_on"), !raw.isEmpty {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let parts = raw.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3, (1970...9999).contains(parts[0]),
                  let day = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
                  calendar.component(.month, from: day) == parts[1], calendar.component(.day, from: day) == parts[2],
                  let next = calendar.date(byAdding: .day, value: 1, to: day)
            else { throw ValidationError(field: "planned_on", code: "invalid_date") }
            filter.plannedFrom = day
            filter.plannedTo = next
        }
        return filter
    }

    private func diffRange(_ request: Request, item: ContentItem) async throws -> (ContentVersion, ContentVersion) {
        let toNumber = try request.query("to").map { raw -> Int in
            guard let value = Int(raw) else { throw ValidationError(field: "to", code: "invalid_number") }
            return value
        } ?? item.version
        let fromNumber = try request.query("from").map { raw -> Int in
            guard let value = Int(raw) else { throw ValidationError(field: "from", code: "invalid_number") }
            return value
        } ?? max(1, toNumber - 1)
        guard let from = try await service.version(contentID: item.id, number: fromNumber) else { throw ValidationError(field: "from", code: "unknown_version") }
        guard let to = try await service.version(contentID: item.id, number: toNumber) else { throw ValidationError(field: "to", code: "unknown_version") }
        return (from, to)
    }
}
