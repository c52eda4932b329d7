import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Workspace settings and the audit log.
struct SettingsController {
    let dependencies: TeamDependencies
    let pages: PageSupport

    func register(_ routes: Routes) {
        routes.get("/api/v1/settings", .signedIn) { _, context in
            guard let workspace = context.workspace else { throw AppError.notFound }
            return try JSONOutput.response(SettingsDTO(workspace))
        }
        routes.patch("/api/v1/settings", .permission(.settingsManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let workspace = try await dependencies.team.updateWorkspace(name: try input.string("name"), timeZone: try input.string("time_zone"),
                                                                        locale: try input.string("default_locale"), by: identity.principal)
            return try JSONOutput.response(SettingsDTO(workspace))
        }
        routes.get("/api/v1/audit-log", .permission(.auditView)) { request, _ in
            let page = try await dependencies.team.auditLog(try auditFilter(request, zone: nil), page: try request.pageRequest())
            return try JSONOutput.response(PageDTO(page, AuditEntryDTO.init))
        }

        routes.get(TeamPath.settings, .permission(.settingsManage)) { request, context in
            guard let workspace = context.workspace else { throw AppError.notFound }
            return settingsPage(values: ["name": workspace.name, "time_zone": workspace.timeZone, "default_locale": workspace.defaultLocale.rawValue],
                                errors: FormErrors(), request, context)
        }
        routes.post(TeamPath.settings, .permission(.settingsManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                _ = try await dependencies.team.updateWorkspace(name: form["name"] ?? "", timeZone: form["time_zone"] ?? "",
                                                                locale: form["default_locale"] ?? "", by: identity.principal)
                return pages.redirect(TeamPath.settings, flash: "flash.settings_saved")
            } catch {
                let refusal = try pages.refusal(error, context)
                return settingsPage(values: form.values.compactMapValues(\.first), errors: refusal.errors,
                                    request, context, status: refusal.status)
            }
        }
        routes.get(TeamPath.audit, .permission(.auditView)) { request, context in
            try await auditPage(request, context)
        }
    }

    /// Filters shared by the audit page and API. Pages give plain dates (in the
    /// workspace zone); the API takes ISO 8601 instants.
    private func auditFilter(_ request: Request, zone: TimeZone?) throws -> AuditFilter {
        var filter = AuditFilter(actorID: request.query("actor"), entityType: request.query("entity_type"), entityID: request.query("entity_id"))
        if let raw = request.query("action") {
            guard let action = AuditAction(rawValue: raw) else {
                throw ValidationError(field: "action", code: "invalid_choice", params: ["choices": AuditAction.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            filter.action = action
        }
        for name in ["from", "to"] {
            guard let raw = request.query(name) else { continue }
            guard let date = Self.parseInstant(raw, zone: zone, endOfDay: name == "to") else {
                throw ValidationError(field: name, code: "invalid_date")
            }
            if name == "from" { filter.from = date } else { filter.to = date }
        }
        return filter
    }

    static func parseInstant(_ raw: String, zone: TimeZone?, endOfDay: Bool) -> Date? {
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: raw) { return date }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = iso.date(from: raw) { return date }
        // A bare date means that whole day in the workspace zone.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone ?? TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        guard let day = formatter.date(from: raw) else { return nil }
        return endOfDay ? day.addingTimeInterval(24 * 3600) : day
    }

    private func settingsPage(values: [String: String], errors: FormErrors, _ request: Request, _ context: AppRequestContext,
                              status: HTTPResponse.Status = .ok) -> Response {
        let t = pages.localizer(context)
        let zone = values["time_zone"] ?? "Asia/Shanghai"
        let model = SettingsPage(values: values, errors: errors.messages, summary: errors.summary,
                                 timeZones: SelectOption.timeZones(selected: zone, t),
                                 locales: AppLocale.allCases.map { SelectOption(value: $0.rawValue, label: t.t("locale.\($0.rawValue)"), selected: $0.rawValue == values["default_locale"]) })
        return pages.render(.settings, title: t.t("settings.title"), page: model, request: request, context: context, status: status)
    }

    private func auditPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = pages.localizer(context)
        let filter = try auditFilter(request, zone: t.timeZone)
        let page = try await dependencies.team.auditLog(filter, page: try request.pageRequest(defaultPerPage: 50))
        let members = try await dependencies.team.members()
        let option = SelectOption.init
        let auditLabels = try await AuditLabels.load(t, team: dependencies.team)
        let model = AuditPage(
            rows: page.items.map { AuditRow($0, labels: auditLabels) },
            actors: [option("", t.t("audit.all_actors"), filter.actorID == nil)] + members.map { option($0.id, $0.name, $0.id == filter.actorID) },
            entityTypes: [option("", t.t("audit.all_entities"), filter.entityType == nil)]
                // The kinds of thing the log can hold, from the enumeration: reading every
                // entry for its distinct kinds cost more than the page itself.
                + AuditEntity.allCases.map { ($0.rawValue, t.t("audit.entity_\($0.rawValue)")) }.sorted { $0.1 < $1.1 }
                    .map { option($0.0, $0.1, $0.0 == filter.entityType) },
            actions: [option("", t.t("audit.all_actions"), filter.action == nil)]
                + AuditAction.allCases.map { option($0.rawValue, t.t("audit.action_\($0.rawValue)"), $0 == filter.action) },
            from: request.query("from") ?? "", to: request.query("to") ?? "",
            pagination: Pagination(request, page: page, localizer: t),
            filtered: filter != AuditFilter(),
            timeZone: t.timeZone.identifier
        )
        return pages.render(.audit, title: t.t("audit.title"), page: model, request: request, context: context)
    }
}
