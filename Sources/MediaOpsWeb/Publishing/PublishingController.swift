import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Publishing: scheduling approved content onto accounts, the publishing queue,
/// each target's attempt log, settling unconfirmed or assisted targets by hand,
/// and the workspace-wide freeze.
struct PublishingController {
    let dependencies: PublishingDependencies
    let pages: PageSupport

    var service: PublishingService { dependencies.publishing }

    func register(_ routes: Routes) {
        registerAPI(routes)
        registerPages(routes)
    }

    // MARK: API

    private func registerAPI(_ routes: Routes) {
        routes.post("/api/v1/content/{id}/targets", .permission(.contentPublish)) { request, context, identity in
            let item = try await contentItem(context)
            let input = try await JSONInput.read(request, context: context)
            let accountIDs = try input.strings("account_ids") ?? []
            guard accountIDs.contains(where: { !$0.isEmpty }) else { throw ValidationError(field: "account_ids", code: "required") }
            let timing: PublishingService.Timing
            let atBestTime = try input.bool("at_best_time") == true
            if try input.bool("publish_now") == true {
                guard !atBestTime else { throw ValidationError(field: "at_best_time", code: "conflicts_with_publish_now") }
                timing = .at(Date())
            } else {
                let due = try ContentInputParsing.instant(try input.nullableString("due_at"), field: "due_at")
                if atBestTime {
                    // The day of `due_at` in the workspace zone (today without one); each account's time sets the hour.
                    let zone = pages.localizer(context).timeZone
                    timing = .bestTime(on: LocalDate((due ?? nil) ?? Date(), timeZone: zone))
                } else {
                    guard case .some(.some(let date)) = due else { throw ValidationError(field: "due_at", code: "required") }
                    timing = .at(date)
                }
            }
            let created = try await service.schedule(contentID: item.id, accountIDs: accountIDs, when: timing, by: identity.principal)
            return try JSONOutput.response(TargetsDTO(targets: try await targetDTOs(created)), status: .created)
        }
        routes.get("/api/v1/content/{id}/targets", .permission(.contentView)) { _, context in
            let item = try await contentItem(context)
            let targets = try await service.targets(contentID: item.id)
            return try JSONOutput.response(ContentTargetsDTO(summary: PublishingSummary.derive(targets.map(\.state)).rawValue,
                                                             targets: try await targetDTOs(targets)))
        }
        routes.get("/api/v1/targets", .permission(.contentView)) { request, context in
            let view = try queueView(request.query("view"))
            let page = try request.pageRequest()
            let result = try await service.queue(view, zone: pages.localizer(context).timeZone, limit: page.perPage, offset: page.offset)
            return try JSONOutput.response(PageDTO(items: result.entries.map(QueueItemDTO.init), total: result.total, page: page.page, per_page: page.perPage))
        }
        routes.get("/api/v1/targets/{id}", .permission(.contentView)) { _, context in
            let detail = try await targetDetail(context)
            return try JSONOutput.response(TargetDetailDTO(detail, attempts: try await service.attempts(targetID: detail.target.id)))
        }
        routes.patch("/api/v1/targets/{id}", .permission(.contentPublish)) { request, context, identity in
            let id = try await targetDetail(context).target.id
            let input = try await JSONInput.read(request, context: context)
            guard case .some(.some(let due)) = try ContentInputParsing.instant(try input.nullableString("due_at"), field: "due_at") else {
                throw ValidationError(field: "due_at", code: "required")
            }
            let moved = try await reschedule(id, to: due, context: context, identity: identity)
            return try JSONOutput.response(try await targetDTO(moved))
        }
        routes.post("/api/v1/targets/{id}/cancel", .permission(.contentPublish)) { _, context, identity in
            let id = try await targetDetail(context).target.id
            let cancelled = try await service.cancel(targetID: id, by: identity.principal)
            return try JSONOutput.response(try await targetDTO(cancelled))
        }
        routes.post("/api/v1/targets/{id}/confirm", .permission(.contentPublish)) { request, context, identity in
            let id = try await targetDetail(context).target.id
            let input = try await JSONInput.read(request, context: context)
            guard let published = try input.bool("published") else { throw ValidationError(field: "published", code: "required") }
            let retryAt: Date?
            if case .some(.some(let date)) = try ContentInputParsing.instant(try input.nullableString("retry_at"), field: "retry_at") {
                retryAt = date
            } else {
                retryAt = nil
            }
            let target = try await service.confirm(targetID: id, published: published, url: try input.string("url"), retryAt: retryAt,
                                                   by: identity.principal)
            return try JSONOutput.response(try await targetDTO(target))
        }
        routes.get("/api/v1/publishing/freeze", .permission(.contentView)) { _, _ in
            try JSONOutput.response(FreezeDTO(try await service.freeze(), waiting: try await service.waitingCount()))
        }
        routes.post("/api/v1/publishing/freeze", .permission(.settingsManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let freeze = try await service.freeze(reason: try input.string("reason") ?? "", by: identity.principal)
            return try JSONOutput.response(FreezeDTO(freeze, waiting: try await service.waitingCount()))
        }
        routes.post("/api/v1/publishing/resume", .permission(.settingsManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let mode: ResumeMode
            switch try input.string("mode") ?? "" {
            case "": throw ValidationError(field: "mode", code: "required")
            case "publish_in_order": mode = .publishInOrder
            case "reschedule":
                guard case .some(.some(let at)) = try ContentInputParsing.instant(try input.nullableString("at"), field: "at") else {
                    throw ValidationError(field: "at", code: "required")
                }
                mode = .reschedule(at: at)
            default: throw ValidationError(field: "mode", code: "invalid_choice", params: ["choices": "publish_in_order, reschedule"])
            }
            let released = try await service.resume(mode, by: identity.principal)
            return try JSONOutput.response(ResumeDTO(frozen: false, released: released))
        }
    }

    // MARK: Helpers shared by API and pages

    func contentItem(_ context: AppRequestContext) async throws -> ContentItem {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id),
              let item = try await dependencies.content.find(id: id) else { throw AppError.notFound }
        return item
    }

    func targetDetail(_ context: AppRequestContext) async throws -> TargetDetail {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let detail = try await service.detail(id: id) else { throw AppError.notFound }
        return detail
    }

    func queueView(_ raw: String?) throws -> QueueView {
        guard let raw else { return .today }
        guard let view = QueueView(rawValue: raw) else {
            throw ValidationError(field: "view", code: "invalid_choice", params: ["choices": QueueView.allCases.map(\.rawValue).joined(separator: ", ")])
        }
        return view
    }

    /// Moving a target into the past is refused the way scheduling it there is.
    func reschedule(_ id: String, to due: Date, context: AppRequestContext, identity: Identity) async throws -> PublishTarget {
        guard due > Date().addingTimeInterval(-300) else { throw ValidationError(field: "due_at", code: "in_the_past") }
        return try await service.reschedule(targetID: id, to: due, by: identity.principal)
    }

    func targetDTO(_ target: PublishTarget) async throws -> PublishTargetDTO {
        if let detail = try await service.detail(id: target.id) {
            // The stored row is the truth; the service's copy may predate the engine's last word.
            return PublishTargetDTO(detail)
        }
        return PublishTargetDTO(target, mode: .api, attempts: 0)
    }

    func targetDTOs(_ targets: [PublishTarget]) async throws -> [PublishTargetDTO] {
        var out: [PublishTargetDTO] = []
        for target in targets { out.append(try await targetDTO(target)) }
        return out
    }
}
