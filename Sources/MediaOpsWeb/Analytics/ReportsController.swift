import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Reports of the 数据 room: the history and the form that issues one, the
/// report page (which prints on A4), its exports, the analyst's summary, and
/// the schedules that issue reports by themselves — as pages and as the API.
/// Reading needs `analytics.view`; every change needs `analytics.manage`.
struct ReportsController {
    let dependencies: AnalyticsDependencies
    let pages: PageSupport

    var reports: ReportService { dependencies.reports }

    func register(_ routes: Routes) {
        // API: reports
        routes.get("/api/v1/analytics/reports", .permission(.analyticsView)) { request, _ in
            let kind = try Self.kindFilter(request.query("kind"))
            let page = try await reports.list(kind: kind, page: try request.pageRequest(defaultPerPage: 20))
            return try JSONOutput.response(PageDTO(page) { ReportListItemDTO($0) })
        }
        routes.post("/api/v1/analytics/reports", .permission(.analyticsManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let (kind, scope, period) = try await readIssue(kind: try input.string("kind"), scope: try input.string("scope"), scopeID: try input.string("scope_id"),
                                                            date: try input.string("date"), month: try input.string("month"))
            let report = try await reports.issue(kind: kind, scope: scope, period: period, by: identity.principal)
            return try JSONOutput.response(try await dto(report, pages.localizer(context)), status: .created)
        }
        routes.get("/api/v1/analytics/reports/{id}", .permission(.analyticsView)) { _, context in
            try JSONOutput.response(try await dto(try await report(context), pages.localizer(context)))
        }
        routes.post("/api/v1/analytics/reports/{id}/regenerate", .permission(.analyticsManage)) { _, context, identity in
            let report = try await reports.regenerate(id: try context.parameters.require("id"), by: identity.principal)
            return try JSONOutput.response(try await dto(report, pages.localizer(context)))
        }
        routes.patch("/api/v1/analytics/reports/{id}/summary", .permission(.analyticsManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let existing = try await report(context)
            let report = try await reports.updateText(id: existing.id, summary: try input.string("summary") ?? existing.summary,
                                                      recommendations: try input.string("recommendations") ?? existing.recommendations, by: identity.principal)
            return try JSONOutput.response(try await dto(report, pages.localizer(context)))
        }
        routes.get("/api/v1/analytics/reports/{id}/export", .permission(.analyticsView)) { request, context in
            let report = try await report(context)
            return try export(report, request: request, t: pages.localizer(context))
        }

        // API: schedules
        routes.get("/api/v1/analytics/report-schedules", .permission(.analyticsView)) { _, _ in
            let zone = try await reports.today().zone
            let items = try await reports.schedules().map { ReportScheduleDTO($0, zone: zone) }
            return try JSONOutput.response(ReportScheduleListDTO(items: items))
        }
        routes.post("/api/v1/analytics/report-schedules", .permission(.analyticsManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let draft = try readSchedule(id: "", kind: try input.string("kind"), scope: try input.string("scope"), scopeID: try input.string("scope_id"),
                                         weekday: try Self.integer(input, "weekday"), dayOfMonth: try Self.integer(input, "day_of_month"),
                                         time: try input.string("time"), enabled: try input.bool("enabled") ?? true)
            let schedule = try await reports.createSchedule(draft, by: identity.principal)
            return try JSONOutput.response(ReportScheduleDTO(schedule, zone: try await reports.today().zone), status: .created)
        }
        routes.get("/api/v1/analytics/report-schedules/{id}", .permission(.analyticsView)) { _, context in
            try JSONOutput.response(ReportScheduleDTO(try await schedule(context), zone: try await reports.today().zone))
        }
        routes.patch("/api/v1/analytics/report-schedules/{id}", .permission(.analyticsManage)) { request, context, identity in
            let existing = try await schedule(context)
            let input = try await JSONInput.read(request, context: context)
            // Absent fields keep their values; the scope is replaced as a pair.
            let scopeKind = try input.string("scope") ?? existing.scope.kind.rawValue
            let scopeID = input.has("scope") ? try input.string("scope_id") : (try input.string("scope_id") ?? existing.scope.id)
            let draft = try readSchedule(id: existing.id, kind: try input.string("kind") ?? existing.kind.rawValue, scope: scopeKind, scopeID: scopeID,
                                         weekday: input.has("weekday") ? try Self.integer(input, "weekday") : existing.weekday.map(String.init),
                                         dayOfMonth: input.has("day_of_month") ? try Self.integer(input, "day_of_month") : existing.dayOfMonth.map(String.init),
                                         time: try input.string("time") ?? Self.time(existing), enabled: try input.bool("enabled") ?? existing.enabled)
            let schedule = try await reports.updateSchedule(draft, by: identity.principal)
            return try JSONOutput.response(ReportScheduleDTO(schedule, zone: try await reports.today().zone))
        }
        routes.delete("/api/v1/analytics/report-schedules/{id}", .permission(.analyticsManage)) { _, context, identity in
            try await reports.deleteSchedule(id: try context.parameters.require("id"), by: identity.principal)
            return JSONOutput.noContent()
        }

        // Pages: reports
        routes.get(AnalyticsPath.reports, .permission(.analyticsView)) { request, context, identity in
            try await listPage(request, context: context, identity: identity)
        }
        routes.post(AnalyticsPath.reports, .permission(.analyticsManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                let (scopeKind, scopeID) = Self.splitScope(form["scope"])
                let (kind, scope, period) = try await readIssue(kind: form["kind"], scope: scopeKind, scopeID: scopeID, date: form["date"], month: form["month"])
                let report = try await reports.issue(kind: kind, scope: scope, period: period, by: identity.principal)
                return pages.redirect(AnalyticsPath.report(.value(report.id)), flash: "flash.report_issued")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await listPage(request, context: context, identity: identity, form: form, errors: refusal.errors, status: refusal.status)
            }
        }
        routes.get(AnalyticsPath.report(.key), .permission(.analyticsView)) { request, context, identity in
            try await reportPage(request, context: context, identity: identity)
        }
        routes.get(AnalyticsPath.reportExport(.key), .permission(.analyticsView)) { request, context, _ in
            let report = try await report(context)
            do {
                return try export(report, request: request, t: pages.localizer(context))
            } catch let error as ValidationError {
                let t = pages.localizer(context)
                return pages.errorPage(status: .unprocessableContent, message: t.error(error.code, field: error.field, params: error.params), request: request, context: context)
            }
        }
        routes.post(AnalyticsPath.reportRegenerate(.key), .permission(.analyticsManage)) { request, context, identity in
            _ = try await pages.readForm(request, context: context)
            let report = try await reports.regenerate(id: try context.parameters.require("id"), by: identity.principal)
            return pages.redirect(AnalyticsPath.report(.value(report.id)), flash: "flash.report_regenerated")
        }
        routes.post(AnalyticsPath.reportSummary(.key), .permission(.analyticsManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            let id = try context.parameters.require("id")
            do {
                _ = try await reports.updateText(id: id, summary: form["summary"] ?? "", recommendations: form["recommendations"] ?? "", by: identity.principal)
                return pages.redirect(AnalyticsPath.report(.value(id)).fragment("summary"), flash: "flash.report_summary_saved")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await reportPage(request, context: context, identity: identity,
                                            values: ReportPage.TextValues(summary: form["summary"] ?? "", recommendations: form["recommendations"] ?? ""),
                                            errors: refusal.errors, status: refusal.status)
            }
        }

        // Pages: schedules
        routes.get(AnalyticsPath.reportSchedules, .permission(.analyticsView)) { request, context, identity in
            try await schedulesPage(request, context: context, identity: identity)
        }
        routes.post(AnalyticsPath.reportSchedules, .permission(.analyticsManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                let (scopeKind, scopeID) = Self.splitScope(form["scope"])
                let draft = try readSchedule(id: "", kind: form["kind"], scope: scopeKind, scopeID: scopeID, weekday: form["weekday"],
                                             dayOfMonth: form["day_of_month"], time: form["time"], enabled: form["enabled"] != nil)
                _ = try await reports.createSchedule(draft, by: identity.principal)
                return pages.redirect(AnalyticsPath.reportSchedules, flash: "flash.report_schedule_saved")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await schedulesPage(request, context: context, identity: identity, form: form, errors: refusal.errors, status: refusal.status)
            }
        }
        routes.get(AnalyticsPath.reportSchedule(.key), .permission(.analyticsManage)) { request, context, _ in
            try await schedulePage(request, context: context, schedule: try await schedule(context))
        }
        routes.post(AnalyticsPath.reportSchedule(.key), .permission(.analyticsManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            let existing = try await schedule(context)
            do {
                let (scopeKind, scopeID) = Self.splitScope(form["scope"])
                let draft = try readSchedule(id: existing.id, kind: form["kind"], scope: scopeKind, scopeID: scopeID, weekday: form["weekday"],
                                             dayOfMonth: form["day_of_month"], time: form["time"], enabled: form["enabled"] != nil)
                _ = try await reports.updateSchedule(draft, by: identity.principal)
                return pages.redirect(AnalyticsPath.reportSchedules, flash: "flash.report_schedule_saved")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await schedulePage(request, context: context, schedule: existing, form: form, errors: refusal.errors, status: refusal.status)
            }
        }
        routes.post(AnalyticsPath.reportScheduleToggle(.key), .permission(.analyticsManage)) { request, context, identity in
            _ = try await pages.readForm(request, context: context)
            var schedule = try await schedule(context)
            schedule.enabled.toggle()
            _ = try await reports.updateSchedule(schedule, by: identity.principal)
            return pages.redirect(AnalyticsPath.reportSchedules, flash: schedule.enabled ? "flash.report_schedule_resumed" : "flash.report_schedule_paused")
        }
        routes.post(AnalyticsPath.reportScheduleDelete(.key), .permission(.analyticsManage)) { request, context, identity in
            _ = try await pages.readForm(request, context: context)
            try await reports.deleteSchedule(id: try context.parameters.require("id"), by: identity.principal)
            return pages.redirect(AnalyticsPath.reportSchedules, flash: "flash.report_schedule_deleted")
        }
    }

    // MARK: Reading input

    func report(_ context: AppRequestContext) async throws -> Report {
        guard let report = try await reports.find(id: try context.parameters.require("id")) else { throw NotFoundError(entity: "report") }
        return report
    }

    func schedule(_ context: AppRequestContext) async throws -> ReportSchedule {
        guard let schedule = try await reports.schedule(id: try context.parameters.require("id")) else { throw NotFoundError(entity: "report_schedule") }
        return schedule
    }

    static func kindFilter(_ raw: String?) throws -> ReportKind? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let kind = ReportKind(rawValue: raw) else {
            throw ValidationError(field: "kind", code: "invalid_choice", params: ["choices": ReportKind.allCases.map(\.rawValue).joined(separator: ", ")])
        }
        return kind
    }

    /// A form's one scope choice ("workspace", "group:<id>", "account:<id>") as the API's pair.
    static func splitScope(_ value: String?) -> (String?, String?) {
        guard let value, !value.isEmpty else { return (nil, nil) }
        guard let colon = value.firstIndex(of: ":") else { return (value, nil) }
        return (String(value[..<colon]), String(value[value.index(after: colon)...]))
    }

    static func readKind(_ raw: String?) -> Result<ReportKind, ValidationError> {
        guard let raw = raw?.trimmed, !raw.isEmpty else { return .failure(ValidationError(field: "kind", code: "required")) }
        guard let kind = ReportKind(rawValue: raw) else {
            return .failure(ValidationError(field: "kind", code: "invalid_choice", params: ["choices": ReportKind.allCases.map(\.rawValue).joined(separator: ", ")]))
        }
        return .success(kind)
    }

    static func readScope(_ kind: String?, _ id: String?) -> Result<ReportScope, ValidationError> {
        let kind = kind?.trimmed ?? ""
        if kind.isEmpty { return .success(.workspace) }
        guard ReportScope.Kind(rawValue: kind) != nil else {
            return .failure(ValidationError(field: "scope", code: "invalid_choice", params: ["choices": ReportScope.Kind.allCases.map(\.rawValue).joined(separator: ", ")]))
        }
        guard let scope = ReportScope(kind: kind, id: id) else { return .failure(ValidationError(field: "scope_id", code: "required")) }
        return .success(scope)
    }

    /// Kind, scope and period of a report to issue, every broken field at once.
    func readIssue(kind: String?, scope: String?, scopeID: String?, date: String?, month: String?) async throws -> (ReportKind, ReportScope, ReportPeriod) {
        var errors: [ValidationError] = []
        var parsedKind: ReportKind?, parsedScope: ReportScope?
        switch Self.readKind(kind) {
        case .success(let value): parsedKind = value
        case .failure(let error): errors.append(error)
        }
        switch Self.readScope(scope, scopeID) {
        case .success(let value): parsedScope = value
        case .failure(let error): errors.append(error)
        }
        var period: ReportPeriod?
        if let parsedKind {
            do { period = try ReportService.choosePeriod(kind: parsedKind, date: date, month: month, today: try await reports.today().day) }
            catch let error as ValidationError { errors.append(error) }
        }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        guard let parsedKind, let parsedScope, let period else { throw ValidationError(field: "kind", code: "required") }
        return (parsedKind, parsedScope, period)
    }

    /// A whole number sent as a number or as its digits.
    static func integer(_ input: JSONInput, _ key: String) throws -> String? {
        switch input.object[key] {
        case .none, .null: return nil
        case .number(let value):
            guard value.rounded() == value, abs(value) < 1_000_000 else { throw ValidationError(field: key, code: "invalid_number") }
            return String(Int(value))
        case .string(let text): return text
        default: throw ValidationError(field: key, code: "invalid_type", params: ["type": "integer"])
        }
    }

    static func time(_ schedule: ReportSchedule) -> String {
        (schedule.hour < 10 ? "0" : "") + String(schedule.hour) + ":" + (schedule.minute < 10 ? "0" : "") + String(schedule.minute)
    }

    /// "09:00" or "9:00" → (9, 0).
    static func parseTime(_ text: String) -> (Int, Int)? {
        let parts = text.trimmed.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return (hour, minute)
    }

    /// A schedule from its fields, every broken field at once (the service checks the scope exists).
    func readSchedule(id: String, kind: String?, scope: String?, scopeID: String?, weekday: String?, dayOfMonth: String?, time: String?,
                      enabled: Bool) throws -> ReportSchedule {
        var errors: [ValidationError] = []
        var parsedKind: ReportKind?, parsedScope: ReportScope?
        switch Self.readKind(kind) {
        case .success(let value): parsedKind = value
        case .failure(let error): errors.append(error)
        }
        switch Self.readScope(scope, scopeID) {
        case .success(let value): parsedScope = value
        case .failure(let error): errors.append(error)
        }
        func number(_ text: String?, field: String) -> Int? {
            guard let text = text?.trimmed, !text.isEmpty else { return nil }
            guard text.count <= 6, let value = Int(text) else { errors.append(ValidationError(field: field, code: "invalid_number")); return -1 }
            return value
        }
        let day = parsedKind == .weekly ? number(weekday, field: "weekday") : nil
        let dom = parsedKind == .monthly ? number(dayOfMonth, field: "day_of_month") : nil
        var clock: (Int, Int)?
        if let time = time?.trimmed, !time.isEmpty {
            clock = Self.parseTime(time)
            if clock == nil { errors.append(ValidationError(field: "time", code: "invalid_time")) }
        } else {
            errors.append(ValidationError(field: "time", code: "required"))
        }
        if let parsedKind {
            let draft = ReportSchedule(id: id, kind: parsedKind, scope: parsedScope ?? .workspace, weekday: day, dayOfMonth: dom,
                                       hour: clock?.0 ?? 0, minute: clock?.1 ?? 0, enabled: enabled)
            let named = Set(errors.map(\.field))
            errors += draft.validationErrors().filter { !named.contains($0.field) }
        }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        guard let parsedKind, let parsedScope, let clock else { throw ValidationError(field: "kind", code: "required") }
        return ReportSchedule(id: id, kind: parsedKind, scope: parsedScope, weekday: day, dayOfMonth: dom, hour: clock.0, minute: clock.1, enabled: enabled)
    }

    // MARK: Names

    func memberNames() async throws -> [String: String] {
        var names: [String: String] = [:]
        for member in try await dependencies.team.members() { names[member.id] = member.name }
        return names
    }

    /// The scopes a report or schedule can take: the workspace, each group, each account with numbers.
    func scopeOptions(selected: String, _ t: Localizer) async throws -> [SelectOption] {
        var options = [SelectOption(value: "workspace", label: t.t("reports.scope.workspace"), selected: selected == "workspace" || selected.isEmpty)]
        for group in try await dependencies.team.groups() {
            let value = "group:" + group.id
            options.append(SelectOption(value: value, label: t.t("reports.scope.group", ["name": group.name]), selected: selected == value))
        }
        for account in try await dependencies.team.allAccounts(filter: AccountFilter()) where account.platform != .webhook {
            let value = "account:" + account.id
            options.append(SelectOption(value: value, label: t.t("reports.scope.account", ["name": account.name, "platform": t.platformShortName(account.platform)]),
                                        selected: selected == value))
        }
        return options
    }

    static func scopeValue(_ scope: ReportScope) -> String { [scope.kind.rawValue, scope.id].compactMap { $0 }.joined(separator: ":") }

    func scopeName(_ scope: ReportScope, _ t: Localizer) async throws -> String {
        switch scope {
        case .workspace: return t.t("reports.scope.workspace")
        case .group(let id): return try await dependencies.team.groups().first { $0.id == id }?.name ?? t.t("reports.scope.missing")
        case .account(let id): return try await dependencies.team.account(id: id)?.name ?? t.t("reports.scope.missing")
        }
    }

    func issuer(_ report: Report, names: [String: String], _ t: Localizer) -> String {
        if let member = report.issuedBy { return names[member] ?? t.t("reports.former_member") }
        return report.scheduleID != nil ? t.t("reports.by_schedule") : t.t("reports.by_command_line")
    }

    static func whenText(_ schedule: ReportSchedule, _ t: Localizer) -> String {
        let time = Self.time(schedule)
        switch schedule.kind {
        case .daily: return t.t("reports.schedule.every_day", ["time": time])
        case .weekly: return t.t("reports.schedule.every_week", ["weekday": t.t("reports.weekday.\(schedule.weekday ?? 1)"), "time": time])
        case .monthly: return t.t("reports.schedule.every_month", ["day": String(schedule.dayOfMonth ?? 1), "time": time])
        }
    }

    func zoneNote(_ t: Localizer) -> String { t.t("reports.zone_note", ["zone": t.timeZone.identifier]) }

    // MARK: Pages

    func listPage(_ request: Request, context: AppRequestContext, identity: Identity, form: FormData? = nil, errors: FormErrors = FormErrors(),
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let filter: ReportKind?
        do { filter = try Self.kindFilter(request.query("kind")) } catch let error as ValidationError {
            return pages.errorPage(status: .unprocessableContent, message: t.error(error.code, field: error.field, params: error.params), request: request, context: context)
        }
        let page = try await reports.list(kind: filter, page: try request.pageRequest(defaultPerPage: 20))
        let names = try await memberNames()
        let rows = page.items.map { report in
            ReportsPage.Row(href: AnalyticsPath.report(.value(report.id)).path, title: ReportSentence.title(report, t: t), kind: ReportSentence.kindName(report.kind, t: t),
                            scope: ReportSentence.scopeName(report, t: t), period: ReportSentence.periodText(report.period, t: t),
                            by: issuer(report, names: names, t), when: t.dateTime(report.issuedAt))
        }
        let chosenKind = form?["kind"] ?? ReportKind.weekly.rawValue
        let model = ReportsPage(
            rows: rows, pagination: Pagination(request, page: page, localizer: t),
            kinds: ReportKind.allCases.map { SelectOption(value: $0.rawValue, label: t.t("reports.kind.\($0.rawValue)"), selected: $0.rawValue == chosenKind) },
            filterKinds: [SelectOption(value: "", label: t.t("reports.all_kinds"), selected: filter == nil)]
                + ReportKind.allCases.map { SelectOption(value: $0.rawValue, label: t.t("reports.kind.\($0.rawValue)"), selected: $0 == filter) },
            scopes: try await scopeOptions(selected: form?["scope"] ?? "workspace", t),
            canManage: identity.permissions.contains(.analyticsManage), schedulesHref: AnalyticsPath.reportSchedules.path,
            date: form?["date"] ?? "", month: form?["month"] ?? "", errors: errors.messages, summary: errors.summary, zoneNote: zoneNote(t),
            filtered: filter != nil)
        return pages.render(.analyticsReports, title: t.t("reports.title_list"), page: model, request: request, context: context, status: status)
    }

    func reportPage(_ request: Request, context: AppRequestContext, identity: Identity, values: ReportPage.TextValues? = nil,
                    errors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let report = try await report(context)
        let snapshot = report.snapshot
        let names = try await memberNames()
        let current = snapshot.current, previous = snapshot.previous
        func previousText(_ value: Double?, rate: Bool = false) -> String {
            let text = value.map { rate ? (AnalyticsController.percent($0) ?? "—") : t.grouped(Int($0.rounded())) } ?? "—"
            return t.t("reports.previous_value", ["value": text])
        }
        var sections: Set<ReportSection> = Set(snapshot.sections)
        // A report issued before a section existed simply lacks it.
        sections.formIntersection(ReportSection.allCases)
        let consumptionLabel = t.t("reports.consumption")
        let kpis = [
            ReportPage.Kpi(label: t.t("metric.followers_total"), help: nil,
                           figure: AnalyticsController.countFigure(current.followers, previous: previous.followers, t: t), previous: previousText(previous.followers)),
            ReportPage.Kpi(label: t.t("metric.followers_net"), help: nil,
                           figure: AnalyticsController.countFigure(current.followersNet, previous: previous.followersNet, t: t, signed: true),
                           previous: previousText(previous.followersNet)),
            ReportPage.Kpi(label: t.t("reports.posts"), help: nil,
                           figure: AnalyticsController.countFigure(Double(current.posts), previous: Double(previous.posts), t: t), previous: previousText(Double(previous.posts))),
            ReportPage.Kpi(label: consumptionLabel, help: t.t("reports.consumption_help"),
                           figure: AnalyticsController.countFigure(current.consumption, previous: previous.consumption, t: t), previous: previousText(previous.consumption)),
            ReportPage.Kpi(label: t.t("analytics.derived.engagement"), help: t.t("analytics.derived.engagement_help"),
                           figure: AnalyticsController.countFigure(current.engagement, previous: previous.engagement, t: t), previous: previousText(previous.engagement)),
            ReportPage.Kpi(label: t.t("analytics.derived.engagement_rate"), help: t.t("analytics.derived.engagement_rate_help"),
                           figure: AnalyticsController.rateFigure(current.engagementRate, previous: previous.engagementRate, t: t),
                           previous: previousText(previous.engagementRate, rate: true)),
        ]
        let labels = snapshot.days.map { String($0.day.month) + "/" + String($0.day.day) }
        let countFormat: (Double) -> String = { t.count(Int($0.rounded())) }
        let charts = [
            ChartBlock(title: t.t("metric.followers_total"), svg: SVGLineChart(title: t.t("metric.followers_total"), unit: t.t("analytics.unit.people"),
                                                                            points: zip(labels, snapshot.days).map { .init(label: $0, value: $1.followers) },
                                                                            format: countFormat).render()),
            ChartBlock(title: t.t("analytics.derived.engagement"), svg: SVGLineChart(title: t.t("analytics.derived.engagement"), unit: t.t("analytics.unit.times"),
                                                                                  points: zip(labels, snapshot.days).map { .init(label: $0, value: $1.engagement) },
                                                                                  format: countFormat).render()),
        ]
        func row(_ post: ReportPost) -> ReportPage.PostRow {
            ReportPage.PostRow(title: post.title.isEmpty ? t.t("analytics.account.untitled") : post.title, href: AnalyticsPath.post(.value(post.id)).path,
                               account: "\(post.accountName) · \(t.platformShortName(post.platform))", published: post.publishedAt.map(t.dateTime) ?? "—",
                               consumption24h: post.consumption24h.map { t.count(Int($0.rounded())) } ?? "—",
                               rate24h: AnalyticsController.percent(post.engagementRate24h) ?? "—",
                               consumption7d: post.consumption7d.map { t.count(Int($0.rounded())) } ?? "—",
                               rate7d: AnalyticsController.percent(post.engagementRate7d) ?? "—")
        }
        var alertRows: [ReportPage.AlertRow] = []
        let alertService = dependencies.alerts
        for alert in snapshot.alerts {
            var sentence = t.t("reports.alert_rule_gone")
            if let rule = try await alertService.rule(id: alert.ruleID) {
                let occasion: AlertOccasion = alert.day.map { .day($0) } ?? .post(id: alert.postID ?? "", at: alert.firedAt)
                let value = Alert(id: alert.id, ruleID: alert.ruleID, subjectKey: "", accountID: alert.accountID, occasion: occasion,
                                  evidence: alert.evidence, firedAt: alert.firedAt)
                sentence = AlertSentence.ruleName(rule, t: t) + t.t("common.colon") + AlertSentence.sentence(value, rule: rule, t: t)
            }
            alertRows.append(ReportPage.AlertRow(when: t.dateTime(alert.firedAt), account: Self.subject(alert, t), sentence: sentence))
        }
        let canManage = identity.permissions.contains(.analyticsManage)
        let model = ReportPage(
            title: ReportSentence.title(report, t: t), kind: ReportSentence.kindName(report.kind, t: t), scope: ReportSentence.scopeName(report, t: t),
            period: t.t("reports.period_line", ["period": ReportSentence.periodText(snapshot.period, t: t), "zone": t.timeZone.identifier]),
            previousPeriod: t.t("reports.previous_line", ["period": ReportSentence.periodText(snapshot.previousPeriod, t: t)]),
            accounts: t.t("reports.accounts_line", ["count": String(snapshot.accountCount)]),
            issued: t.t("reports.issued_line", ["who": issuer(report, names: names, t), "when": t.dateTime(report.issuedAt)]),
            regenerated: report.regeneratedAt.map { t.t("reports.regenerated_line", ["who": report.regeneratedBy.flatMap { names[$0] } ?? t.t("reports.former_member"),
                                                                                      "when": t.dateTime($0)]) },
            edited: report.summaryAt.map { t.t("reports.edited_line", ["who": report.summaryBy.flatMap { names[$0] } ?? t.t("reports.former_member"), "when": t.dateTime($0)]) },
            kpis: kpis, hasKpis: sections.contains(.kpis), charts: charts, hasCharts: sections.contains(.charts),
            hasChartData: snapshot.days.contains { $0.followers != nil || $0.engagement != nil },
            posts: sections.contains(.posts), topPosts: snapshot.topPosts.map(row), hasTopPosts: !snapshot.topPosts.isEmpty,
            bottomPosts: snapshot.bottomPosts.map(row), hasBottomPosts: !snapshot.bottomPosts.isEmpty,
            postsNote: t.t("reports.posts_note", ["count": String(snapshot.rankedPosts)]),
            alertsSection: sections.contains(.alerts), alerts: alertRows, hasAlerts: !alertRows.isEmpty,
            alertsMore: snapshot.alertTotal > snapshot.alerts.count ? t.t("reports.alerts_more", ["count": String(snapshot.alertTotal - snapshot.alerts.count)]) : nil,
            funnelsSection: sections.contains(.funnels) && snapshot.funnels != nil,
            funnels: ReportPage.funnelBlocks(snapshot.funnels ?? [], t: t), hasFunnels: !(snapshot.funnels ?? []).isEmpty,
            competitorsSection: sections.contains(.competitors) && snapshot.competitors != nil,
            competitors: ReportPage.competitorRows(snapshot.competitors ?? [], t: t), hasCompetitors: !(snapshot.competitors ?? []).isEmpty,
            summarySection: sections.contains(.summary),
            summary: report.summary.isEmpty ? nil : report.summary, recommendations: report.recommendations.isEmpty ? nil : report.recommendations,
            canManage: canManage, summaryAction: AnalyticsPath.reportSummary(.value(report.id)).path,
            regenerateAction: AnalyticsPath.reportRegenerate(.value(report.id)).path,
            csvHref: AnalyticsPath.reportExport(.value(report.id)).path + "?format=csv", xlsxHref: AnalyticsPath.reportExport(.value(report.id)).path + "?format=xlsx",
            historyHref: AnalyticsPath.reports.path,
            values: values ?? ReportPage.TextValues(summary: report.summary, recommendations: report.recommendations),
            errors: errors.messages, errorSummary: errors.summary, maxLength: String(ReportText.maxLength), consumptionLabel: consumptionLabel)
        return pages.render(.analyticsReport, title: model.title, page: model, request: request, context: context, status: status)
    }

    func scheduleForm(action: String, submit: String, form: FormData?, schedule: ReportSchedule?, errors: FormErrors, _ t: Localizer) async throws -> ScheduleForm {
        let kind = form?["kind"] ?? schedule?.kind.rawValue ?? ReportKind.weekly.rawValue
        let weekday = form?["weekday"] ?? schedule?.weekday.map(String.init) ?? "1"
        return ScheduleForm(
            action: action, submit: submit,
            kinds: ReportKind.allCases.map { SelectOption(value: $0.rawValue, label: t.t("reports.kind.\($0.rawValue)"), selected: $0.rawValue == kind) },
            scopes: try await scopeOptions(selected: form?["scope"] ?? schedule.map { Self.scopeValue($0.scope) } ?? "workspace", t),
            weekdays: (1...7).map { SelectOption(value: String($0), label: t.t("reports.weekday.\($0)"), selected: String($0) == weekday) },
            dayOfMonth: form?["day_of_month"] ?? schedule?.dayOfMonth.map(String.init) ?? "1",
            time: form?["time"] ?? schedule.map(Self.time) ?? "09:00",
            enabled: form.map { $0["enabled"] != nil } ?? schedule?.enabled ?? true,
            errors: errors.messages, summary: errors.summary)
    }

    func schedulesPage(_ request: Request, context: AppRequestContext, identity: Identity, form: FormData? = nil, errors: FormErrors = FormErrors(),
                       status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let zone = try await reports.today().zone
        let now = reports.database.now()
        var rows: [ReportSchedulesPage.Row] = []
        for schedule in try await reports.schedules() {
            let id = schedule.id
            rows.append(ReportSchedulesPage.Row(
                kind: ReportSentence.kindName(schedule.kind, t: t), scope: try await scopeName(schedule.scope, t), when: Self.whenText(schedule, t),
                next: schedule.enabled ? (schedule.nextDue(after: now, zone: zone).map(t.dateTime) ?? "—") : t.t("reports.schedule.paused_next"),
                state: t.t(schedule.enabled ? "reports.schedule.enabled" : "reports.schedule.paused"), enabled: schedule.enabled,
                editHref: AnalyticsPath.reportSchedule(.value(id)).path, toggleAction: AnalyticsPath.reportScheduleToggle(.value(id)).path,
                toggleLabel: t.t(schedule.enabled ? "reports.schedule.pause" : "reports.schedule.resume"),
                deleteAction: AnalyticsPath.reportScheduleDelete(.value(id)).path, deleteConfirm: t.t("reports.schedule.delete_confirm")))
        }
        let model = ReportSchedulesPage(
            rows: rows,
            form: try await scheduleForm(action: AnalyticsPath.reportSchedules.path, submit: t.t("reports.schedule.create"), form: form, schedule: nil, errors: errors, t),
            canManage: identity.permissions.contains(.analyticsManage), reportsHref: AnalyticsPath.reports.path, zoneNote: zoneNote(t))
        return pages.render(.analyticsReportSchedules, title: t.t("reports.schedule.title"), page: model, request: request, context: context, status: status)
    }

    func schedulePage(_ request: Request, context: AppRequestContext, schedule: ReportSchedule, form: FormData? = nil, errors: FormErrors = FormErrors(),
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let model = ReportSchedulePage(
            form: try await scheduleForm(action: AnalyticsPath.reportSchedule(.value(schedule.id)).path, submit: t.t("reports.schedule.save"), form: form,
                                         schedule: schedule, errors: errors, t),
            schedulesHref: AnalyticsPath.reportSchedules.path, zoneNote: zoneNote(t))
        return pages.render(.analyticsReportSchedule, title: t.t("reports.schedule.edit_title"), page: model, request: request, context: context, status: status)
    }

    // MARK: Export

    func export(_ report: Report, request: Request, t: Localizer) throws -> Response {
        let snapshot = report.snapshot
        func number(_ value: Double?) -> ExportTable.Cell { value.map { .number($0) } ?? .empty }
        let section = { (key: String) in ExportTable.Cell.text(t.t("reports.export.section_\(key)")) }
        var rows: [[ExportTable.Cell]] = []
        let (current, previous) = (snapshot.current, snapshot.previous)
        let figures: [(String, Double?, Double?)] = [
            (t.t("metric.followers_total"), current.followers, previous.followers), (t.t("metric.followers_net"), current.followersNet, previous.followersNet),
            (t.t("reports.posts"), Double(current.posts), Double(previous.posts)), (t.t("reports.consumption"), current.consumption, previous.consumption),
            (t.t("analytics.derived.engagement"), current.engagement, previous.engagement),
            (t.t("analytics.derived.engagement_rate"), current.engagementRate, previous.engagementRate),
        ]
        for (label, now, before) in figures { rows.append([section("kpis"), .text(label), .empty, number(now), number(before), .empty, .empty, .empty, .empty]) }
        for day in snapshot.days {
            rows.append([section("days"), .text(day.day.description + " " + t.t("metric.followers_total")), .empty, number(day.followers), .empty, .empty, .empty, .empty, .empty])
            rows.append([section("days"), .text(day.day.description + " " + t.t("analytics.derived.engagement")), .empty, number(day.engagement), .empty, .empty, .empty, .empty, .empty])
        }
        for (key, posts) in [("top", snapshot.topPosts), ("bottom", snapshot.bottomPosts)] {
            for post in posts {
                rows.append([section(key), .text(post.title), .text(post.accountName), number(post.rankingRate), .empty,
                             number(post.consumption24h), number(post.engagementRate24h), number(post.consumption7d), number(post.engagementRate7d)])
            }
        }
        for alert in snapshot.alerts {
            rows.append([section("alerts"), .text(t.fullDateTime(alert.firedAt)), .text(Self.subject(alert, t)), number(alert.evidence.observed), number(alert.evidence.bound),
                         .empty, .empty, .empty, .empty])
        }
        for funnel in snapshot.funnels ?? [] {
            let conversions = funnel.conversions, earlier = funnel.previousConversions
            for (index, stage) in funnel.stages.enumerated() {
                rows.append([section("funnels"), .text(funnel.name + " · " + stage), .empty,
                             number(index < funnel.counts.count ? funnel.counts[index] : nil), number(index < funnel.previousCounts.count ? funnel.previousCounts[index] : nil),
                             .empty, index < conversions.count ? number(conversions[index]) : .empty, .empty, index < earlier.count ? number(earlier[index]) : .empty])
            }
        }
        // Each competitor's figures, then the own accounts' of each platform once, one figure per row in the "current" column.
        var ownPlatforms: [Platform: ReportCompetitor] = [:]
        for competitor in snapshot.competitors ?? [] {
            for (label, value) in [(t.t("reports.competitor_followers"), competitor.followers), (t.t("reports.competitor_growth"), competitor.growth),
                                   (t.t("reports.competitor_engagement"), competitor.engagementPerPost)] {
                rows.append([section("competitors"), .text(competitor.name + " · " + label), .text(t.platformShortName(competitor.platform)), number(value),
                             .empty, .empty, .empty, .empty, .empty])
            }
            if ownPlatforms[competitor.platform] == nil { ownPlatforms[competitor.platform] = competitor }
        }
        for (platform, own) in ownPlatforms.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for (label, value) in [(t.t("reports.own_followers"), own.ownFollowers), (t.t("reports.own_growth"), own.ownGrowth),
                                   (t.t("reports.own_engagement"), own.ownEngagementPerPost)] {
                rows.append([section("competitors"), .text(label), .text(t.platformShortName(platform)), number(value), .empty, .empty, .empty, .empty, .empty])
            }
        }
        if !report.summary.isEmpty { rows.append([section("summary"), .text(report.summary), .empty, .empty, .empty, .empty, .empty, .empty, .empty]) }
        if !report.recommendations.isEmpty {
            rows.append([section("recommendations"), .text(report.recommendations), .empty, .empty, .empty, .empty, .empty, .empty, .empty])
        }
        let header = ["section", "item", "account", "current", "previous", "consumption_24h", "rate_24h", "consumption_7d", "rate_7d"].map { t.t("reports.export.col_\($0)") }
        let table = ExportTable(sheetName: t.t("reports.export.sheet"), header: header, rows: rows, banner: ReportSentence.title(report, t: t))
        let name = "report-\(report.kind.rawValue)-\(snapshot.period.from)-\(snapshot.period.to)"
        return try AnalyticsController(dependencies: dependencies, pages: pages).download(table, name: name, request: request)
    }

    /// What a reported alert is about: the funnel step for a funnel's alert, else its account.
    static func subject(_ alert: ReportAlert, _ t: Localizer) -> String {
        if let step = alert.funnelStep {
            return t.t("analytics.funnels.step_name", ["funnel": step.funnelName, "from": step.from, "to": step.to])
        }
        return alert.accountName ?? t.t("reports.alert_no_account")
    }

    func dto(_ report: Report, _ t: Localizer) async throws -> ReportDTO {
        let alerts = dependencies.alerts
        var sentences: [String: String] = [:]
        for alert in report.snapshot.alerts {
            guard let rule = try await alerts.rule(id: alert.ruleID) else { continue }
            let occasion: AlertOccasion = alert.day.map { .day($0) } ?? .post(id: alert.postID ?? "", at: alert.firedAt)
            sentences[alert.id] = AlertSentence.sentence(Alert(id: alert.id, ruleID: alert.ruleID, subjectKey: "", accountID: alert.accountID, occasion: occasion,
                                                               evidence: alert.evidence, firedAt: alert.firedAt), rule: rule, t: t)
        }
        let subjects = Dictionary(report.snapshot.alerts.map { ($0.id, Self.subject($0, t)) }, uniquingKeysWith: { first, _ in first })
        return ReportDTO(report, title: ReportSentence.title(report, t: t), sentences: sentences, subjects: subjects)
    }
}

// MARK: API shapes

struct ReportListItemDTO: Encodable {
    var id: String
    var kind: String
    var scope: String
    @Nullable var scope_id: String?
    var scope_name: String
    var period_from: String
    var period_to: String
    var issued_at: Date
    @Nullable var issued_by: String?
    @Nullable var schedule_id: String?

    init(_ report: Report) {
        id = report.id
        kind = report.kind.rawValue
        scope = report.scope.kind.rawValue
        scope_id = report.scope.id
        scope_name = report.snapshot.scopeName
        period_from = report.period.from.description
        period_to = report.period.to.description
        issued_at = report.issuedAt
        issued_by = report.issuedBy
        schedule_id = report.scheduleID
    }
}

struct ReportFiguresDTO: Encodable {
    @Nullable var followers: Double?
    @Nullable var followers_net: Double?
    var posts: Int
    @Nullable var consumption: Double?
    @Nullable var reads: Double?
    @Nullable var plays: Double?
    @Nullable var engagement: Double?
    @Nullable var engagement_rate: Double?

    init(_ figures: ReportFigures) {
        followers = figures.followers
        followers_net = figures.followersNet
        posts = figures.posts
        consumption = figures.consumption
        reads = figures.reads
        plays = figures.plays
        engagement = figures.engagement
        engagement_rate = figures.engagementRate
    }
}

struct ReportPostDTO: Encodable {
    var id: String
    var title: String
    @Nullable var url: String?
    var account_id: String
    var account_name: String
    var platform: String
    @Nullable var published_at: Date?
    @Nullable var consumption_24h: Double?
    @Nullable var engagement_rate_24h: Double?
    @Nullable var consumption_7d: Double?
    @Nullable var engagement_rate_7d: Double?

    init(_ post: ReportPost) {
        id = post.id
        title = post.title
        url = post.url
        account_id = post.accountID
        account_name = post.accountName
        platform = post.platform.rawValue
        published_at = post.publishedAt
        consumption_24h = post.consumption24h
        engagement_rate_24h = post.engagementRate24h
        consumption_7d = post.consumption7d
        engagement_rate_7d = post.engagementRate7d
    }
}

struct ReportDTO: Encodable {
    struct Day: Encodable { var day: String; @Nullable var followers: Double?; @Nullable var engagement: Double? }
    struct AlertItem: Encodable {
        var id: String
        var rule_id: String
        @Nullable var account_id: String?
        @Nullable var account_name: String?
        @Nullable var funnel_step: String?
        var fired_at: Date
        @Nullable var sentence: String?
    }

    var id: String
    var title: String
    var kind: String
    var scope: String
    @Nullable var scope_id: String?
    var scope_name: String
    var period_from: String
    var period_to: String
    var previous_from: String
    var previous_to: String
    var account_count: Int
    var issued_at: Date
    @Nullable var issued_by: String?
    @Nullable var schedule_id: String?
    @Nullable var regenerated_at: Date?
    @Nullable var regenerated_by: String?
    var summary: String
    var recommendations: String
    @Nullable var summary_updated_at: Date?
    @Nullable var summary_updated_by: String?
    var current: ReportFiguresDTO
    var previous: ReportFiguresDTO
    var days: [Day]
    var top_posts: [ReportPostDTO]
    var bottom_posts: [ReportPostDTO]
    var ranked_posts: Int
    var alerts: [AlertItem]
    var alert_total: Int
    var sections: [String]

    init(_ report: Report, title: String, sentences: [String: String], subjects: [String: String] = [:]) {
        let snapshot = report.snapshot
        id = report.id
        self.title = title
        kind = report.kind.rawValue
        scope = report.scope.kind.rawValue
        scope_id = report.scope.id
        scope_name = snapshot.scopeName
        period_from = snapshot.period.from.description
        period_to = snapshot.period.to.description
        previous_from = snapshot.previousPeriod.from.description
        previous_to = snapshot.previousPeriod.to.description
        account_count = snapshot.accountCount
        issued_at = report.issuedAt
        issued_by = report.issuedBy
        schedule_id = report.scheduleID
        regenerated_at = report.regeneratedAt
        regenerated_by = report.regeneratedBy
        summary = report.summary
        recommendations = report.recommendations
        summary_updated_at = report.summaryAt
        summary_updated_by = report.summaryBy
        current = ReportFiguresDTO(snapshot.current)
        previous = ReportFiguresDTO(snapshot.previous)
        days = snapshot.days.map { Day(day: $0.day.description, followers: $0.followers, engagement: $0.engagement) }
        top_posts = snapshot.topPosts.map(ReportPostDTO.init)
        bottom_posts = snapshot.bottomPosts.map(ReportPostDTO.init)
        ranked_posts = snapshot.rankedPosts
        alerts = snapshot.alerts.map { AlertItem(id: $0.id, rule_id: $0.ruleID, account_id: $0.accountID, account_name: $0.accountName,
                                                 funnel_step: $0.funnelStep == nil ? nil : subjects[$0.id], fired_at: $0.firedAt,
                                                 sentence: sentences[$0.id]) }
        alert_total = snapshot.alertTotal
        sections = snapshot.sections.map(\.rawValue)
    }
}

struct ReportScheduleDTO: Encodable {
    var id: String
    var kind: String
    var scope: String
    @Nullable var scope_id: String?
    @Nullable var weekday: Int?
    @Nullable var day_of_month: Int?
    var time: String
    var time_zone: String
    var enabled: Bool
    @Nullable var last_period_from: String?
    @Nullable var next_due_at: Date?

    init(_ schedule: ReportSchedule, zone: TimeZone) {
        id = schedule.id
        kind = schedule.kind.rawValue
        scope = schedule.scope.kind.rawValue
        scope_id = schedule.scope.id
        weekday = schedule.weekday
        day_of_month = schedule.dayOfMonth
        time = ReportsController.time(schedule)
        time_zone = zone.identifier
        enabled = schedule.enabled
        last_period_from = schedule.lastPeriodFrom?.description
        next_due_at = schedule.enabled ? schedule.nextDue(after: Date(), zone: zone) : nil
    }
}

struct ReportScheduleListDTO: Encodable {
    var items: [ReportScheduleDTO]
}
