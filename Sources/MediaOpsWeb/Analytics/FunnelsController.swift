import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Funnels: the list, one funnel's stages over a period beside the period
/// before (count, conversion to the next stage, drop-off, by account), the
/// form that sets one up, and imports of lead and order files for the stages
/// that count events; as pages and as `/api/v1/analytics/funnels`. Reading
/// needs `analytics.view`, changing a funnel `analytics.manage`, importing
/// events `analytics.import` like every other import.
struct FunnelsController {
    let dependencies: AnalyticsDependencies
    let pages: PageSupport

    var funnels: FunnelService { dependencies.funnels }
    var analytics: AnalyticsController { AnalyticsController(dependencies: dependencies, pages: pages) }

    func register(_ routes: Routes) {
        routes.get("/api/v1/analytics/funnels", .permission(.analyticsView)) { _, context, _ in
            let t = pages.localizer(context)
            return try JSONOutput.response(ItemsDTO(items: try await funnels.all().map { FunnelDTO($0, t: t) }))
        }
        routes.post("/api/v1/analytics/funnels", .permission(.analyticsManage)) { request, context, identity in
            let t = pages.localizer(context)
            let input = try await JSONInput.read(request, context: context)
            do {
                let funnel = try await funnels.create(try FunnelInput.read(input, base: nil), by: identity.principal)
                return try JSONOutput.response(FunnelDTO(funnel, t: t), status: .created)
            } catch {
                throw FunnelInput.named(error, t: t)
            }
        }
        routes.get("/api/v1/analytics/funnels/{id}", .permission(.analyticsView)) { request, context, _ in
            let funnel = try await funnel(context)
            let period = try await analytics.period(request)
            let zone = try await dependencies.analytics.today().zone
            let figures = try await funnels.figures(funnel, periods: [(period.from, period.to), (period.previous.from, period.previous.to)], zone: zone)
            var dto = FunnelDTO(funnel, t: pages.localizer(context))
            dto.report = FunnelReportDTO(funnel, period: period, current: figures[0], previous: figures[1])
            return try JSONOutput.response(dto)
        }
        routes.patch("/api/v1/analytics/funnels/{id}", .permission(.analyticsManage)) { request, context, identity in
            let t = pages.localizer(context)
            let existing = try await funnel(context)
            let input = try await JSONInput.read(request, context: context)
            do {
                let funnel = try await funnels.update(try FunnelInput.read(input, base: existing), by: identity.principal)
                return try JSONOutput.response(FunnelDTO(funnel, t: t))
            } catch {
                throw FunnelInput.named(error, t: t)
            }
        }
        routes.delete("/api/v1/analytics/funnels/{id}", .permission(.analyticsManage)) { _, context, identity in
            try await funnels.delete(id: try await funnel(context).id, by: identity.principal)
            return JSONOutput.noContent()
        }
        routes.post("/api/v1/analytics/funnels/{id}/stages/{position}/events", .permission(.analyticsImport)) { request, context, identity in
            let funnel = try await funnel(context)
            guard let position = context.parameters.get("position").flatMap(Int.init) else { throw NotFoundError(entity: "funnel_stage") }
            do {
                let outcome = try await importEvents(request, funnel: funnel, position: position, identity: identity, csrf: nil)
                return try JSONOutput.response(FunnelImportDTO(outcome))
            } catch let refused as FunnelService.RowErrors {
                throw Self.rowErrors(refused, t: pages.localizer(context))
            }
        }

        routes.get(AnalyticsPath.funnels, .permission(.analyticsView)) { request, context, identity in
            try await listPage(request, context, identity)
        }
        routes.get(AnalyticsPath.funnelNew, .permission(.analyticsManage)) { request, context, identity in
            try await formPage(funnel: nil, values: FunnelFormPage.starter(t: pages.localizer(context)), request, context, identity)
        }
        routes.post(AnalyticsPath.funnels, .permission(.analyticsManage)) { request, context, identity in
            try await submit(existing: nil, request, context, identity)
        }
        routes.get(AnalyticsPath.funnelSample, .permission(.analyticsView)) { _, context, _ in
            let today = try await dependencies.analytics.today().day
            var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: Array(FunnelSample.csv(today: today, t: pages.localizer(context)).utf8))))
            response.headers[.contentType] = "text/csv; charset=utf-8"
            response.headers[.contentDisposition] = "attachment; filename=\"funnel-events.csv\""
            return response
        }
        routes.get(AnalyticsPath.funnel(.key), .permission(.analyticsView)) { request, context, identity in
            try await reportPage(try await funnel(context), request, context, identity)
        }
        routes.get(AnalyticsPath.funnelEdit(.key), .permission(.analyticsManage)) { request, context, identity in
            let funnel = try await funnel(context)
            return try await formPage(funnel: funnel, values: FunnelFormPage.values(of: funnel), request, context, identity)
        }
        routes.post(AnalyticsPath.funnelEdit(.key), .permission(.analyticsManage)) { request, context, identity in
            try await submit(existing: try await funnel(context), request, context, identity)
        }
        routes.post(AnalyticsPath.funnelDelete(.key), .permission(.analyticsManage)) { request, context, identity in
            let funnel = try await funnel(context)
            _ = try await pages.readForm(request, context: context)
            try await funnels.delete(id: funnel.id, by: identity.principal)
            return pages.redirect(AnalyticsPath.funnels, flash: "flash.funnel_deleted")
        }
        routes.post(AnalyticsPath.funnelEvents(.key), .permission(.analyticsImport)) { request, context, identity in
            let funnel = try await funnel(context)
            let t = pages.localizer(context)
            do {
                let outcome = try await importEvents(request, funnel: funnel, position: nil, identity: identity, csrf: identity.csrfToken)
                let message = t.t("analytics.funnels.imported", ["rows": t.grouped(outcome.rows), "added": t.grouped(outcome.added), "known": t.grouped(outcome.known)])
                return try await reportPage(funnel, request, context, identity, importMessage: message)
            } catch let refused as FunnelService.RowErrors {
                return try await reportPage(funnel, request, context, identity, rowErrors: refused, status: .unprocessableContent)
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await reportPage(funnel, request, context, identity, importErrors: refusal.errors, status: refusal.status)
            }
        }
    }

    /// A refused file's broken rows as field errors on `file`, each naming its row and column ("第 3 行的日期").
    static func rowErrors(_ refused: FunnelService.RowErrors, t: Localizer) -> ValidationErrors {
        ValidationErrors(refused.errors.map { error in
            let column = error.column.map { t.t("analytics.funnels.column_\($0.rawValue)") } ?? ""
            return ValidationError(field: "file", code: error.code, params: [
                "row": String(error.row), "column": error.column?.rawValue ?? "", "value": error.value,
                "field": t.t("analytics.funnels.row_cell", ["row": String(error.row), "column": column]),
            ])
        })
    }

    func funnel(_ context: AppRequestContext) async throws -> Funnel {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let funnel = try await funnels.find(id: id) else {
            throw NotFoundError(entity: "funnel")
        }
        return funnel
    }

    /// Reads a multipart upload (`file`, and `stage` on the page's form) and imports its events.
    func importEvents(_ request: Request, funnel: Funnel, position: Int?, identity: Identity, csrf: String?) async throws -> FunnelService.ImportOutcome {
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("mediaops-imports", isDirectory: true)
        try? FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        let upload = try await MultipartUpload.read(request, staging: staging, maxFileBytes: Int64(FunnelService.maxBytes), csrfToken: csrf)
        defer { if let file = upload.file { try? FileManager.default.removeItem(at: file.file) } }
        var problems: [ValidationError] = []
        let stage = position ?? upload["stage"].flatMap { Int($0.trimmed) }
        if stage == nil { problems.append(ValidationError(field: "stage", code: "required")) }
        if upload.file == nil || upload.file?.size == 0 { problems.append(ValidationError(field: "file", code: "file_required")) }
        if problems.count == 1 { throw problems[0] }
        if !problems.isEmpty { throw ValidationErrors(problems) }
        guard let stage, let staged = upload.file else { throw ValidationError(field: "file", code: "file_required") }
        return try await funnels.importEvents(funnelID: funnel.id, position: stage, data: try Data(contentsOf: staged.file), by: identity.principal)
    }

    // MARK: Pages

    func scopeName(_ scope: AlertScope, t: Localizer) async throws -> String {
        switch scope {
        case .allAccounts: return t.t("analytics.alert_rules.scope_all")
        case .group(let id): return t.t("analytics.alert_rules.scope_group", ["name": try await dependencies.team.group(id: id)?.name ?? "—"])
        case .account(let id): return try await dependencies.team.account(id: id)?.name ?? "—"
        }
    }

    func listPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let t = pages.localizer(context)
        var rows: [FunnelsPage.Row] = []
        for funnel in try await funnels.all() {
            rows.append(FunnelsPage.Row(name: funnel.name, href: AnalyticsPath.funnel(.value(funnel.id)).path,
                                        stages: funnel.stages.map(\.name).joined(separator: " → "),
                                        scope: try await scopeName(funnel.scope, t: t)))
        }
        let model = FunnelsPage(rows: rows, canManage: identity.permissions.contains(.analyticsManage), newHref: AnalyticsPath.funnelNew.path)
        return pages.render(.analyticsFunnels, title: t.t("analytics.funnels.title"), page: model, request: request, context: context)
    }

    func reportPage(_ funnel: Funnel, _ request: Request, _ context: AppRequestContext, _ identity: Identity, importMessage: String? = nil,
                    rowErrors: FunnelService.RowErrors? = nil, importErrors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let period = try await analytics.period(request)
        let zone = try await dependencies.analytics.today().zone
        let figures = try await funnels.figures(funnel, periods: [(period.from, period.to), (period.previous.from, period.previous.to)], zone: zone)
        let accounts = Dictionary(try await funnels.accounts(of: funnel).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var focused: AlertsPage.Row?
        if let id = request.query("alert"), Identifier.isPlausible(id), let alert = try await dependencies.alerts.find(id: id),
           alert.subjectKey.hasPrefix("funnel:\(funnel.id):") {
            let directory = AlertDirectory(rules: Dictionary(try await dependencies.alerts.rules().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
                                           accounts: [:], members: [:], funnels: [funnel.id: funnel])
            focused = AlertsPage.Row(alert, directory, t: t, actions: [])
        }
        let eventCounts = try await funnels.eventCounts(funnel)
        let model = FunnelPage(
            funnel: funnel, scope: try await scopeName(funnel.scope, t: t), period: period, current: figures[0], previous: figures[1], accounts: accounts,
            picker: analytics.periodPicker(request, period, path: AnalyticsPath.funnel(.value(funnel.id)).path, t: t),
            canManage: identity.permissions.contains(.analyticsManage), canImport: identity.permissions.contains(.analyticsImport),
            eventCounts: eventCounts, focusedAlert: focused, importMessage: importMessage, rowErrors: rowErrors, importErrors: importErrors, t: t)
        return pages.render(.analyticsFunnel, title: funnel.name, page: model, request: request, context: context, status: status)
    }

    func submit(existing: Funnel?, _ request: Request, _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let form = try await pages.readForm(request, context: context)
        let t = pages.localizer(context)
        do {
            let funnel = try FunnelInput.read(form, base: existing)
            if existing != nil {
                let saved = try await funnels.update(funnel, by: identity.principal)
                return pages.redirect(AnalyticsPath.funnel(.value(saved.id)).path, flash: "flash.funnel_updated")
            }
            let saved = try await funnels.create(funnel, by: identity.principal)
            return pages.redirect(AnalyticsPath.funnel(.value(saved.id)).path, flash: "flash.funnel_created")
        } catch {
            var refusal = try pages.refusal(FunnelInput.named(error, t: t), context)
            if refusal.errors.summary == nil, !refusal.errors.messages.isEmpty {
                refusal.errors.summary = t.t("common.form_errors", ["count": String(refusal.errors.messages.count)])
            }
            return try await formPage(funnel: existing, values: FunnelFormPage.values(form), errors: refusal.errors, request, context, identity, status: refusal.status)
        }
    }

    func formPage(funnel: Funnel?, values: [String: String], errors: FormErrors = FormErrors(), _ request: Request, _ context: AppRequestContext,
                  _ identity: Identity, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let model = FunnelFormPage(funnel: funnel, values: values, accounts: try await dependencies.team.allAccounts(filter: AccountFilter()),
                                   groups: try await dependencies.team.groups(), errors: errors.messages, summary: errors.summary, t: t)
        let title = funnel.map { t.t("analytics.funnels.edit_title", ["name": $0.name]) } ?? t.t("analytics.funnels.new_title")
        return pages.render(.analyticsFunnelForm, title: title, page: model, request: request, context: context, status: status)
    }
}

/// A file of events to try the import with: this month's leads, one per row.
enum FunnelSample {
    static func csv(today: LocalDate, t: Localizer) -> String {
        let header = t.t("analytics.funnels.sample_header")
        var lines = ["\u{FEFF}" + header]
        for offset in 1...5 {
            let day = today.adding(days: -offset)
            // The account cell may stay empty: the event is then the funnel's as a whole.
            lines.append("\(day),,\(t.t("analytics.funnels.sample_campaign")),\(offset % 2 == 0 ? "128.00" : ""),L\(day.description.replacingOccurrences(of: "-", with: ""))\(offset)")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
