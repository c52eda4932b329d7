import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Competitors: the accounts analysts follow, their public numbers by day
/// (typed in a form or imported from a CSV/XLSX file), and the benchmark of
/// own accounts against them; as pages and as
/// `/api/v1/analytics/competitors…`. Reading needs `analytics.view`;
/// changing anything needs `analytics.manage`.
struct CompetitorsController {
    let dependencies: AnalyticsDependencies
    let pages: PageSupport

    var competitors: CompetitorService { dependencies.competitors }

    /// Row errors an import lists on the page and in the API answer; the rest are counted.
    static let rowErrorsShown = 200

    func register(_ routes: Routes) {
        // API
        routes.get("/api/v1/analytics/competitors", .permission(.analyticsView)) { request, context, _ in
            let platform = try Self.platformQuery(request)
            let t = pages.localizer(context)
            return try JSONOutput.response(ItemsDTO(items: try await competitors.all(platform: platform).map { CompetitorDTO($0, t: t) }))
        }
        routes.post("/api/v1/analytics/competitors", .permission(.analyticsManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let draft = try CompetitorInput.read(CompetitorInput.JSONSource(input: input), base: nil)
            let created = try await competitors.create(draft, by: identity.principal)
            return try JSONOutput.response(CompetitorDTO(created, t: pages.localizer(context)), status: .created)
        }
        routes.get("/api/v1/analytics/competitors/benchmark", .permission(.analyticsView)) { request, context, _ in
            let platform = try Self.platformQuery(request)
            let period = try await AnalyticsController(dependencies: dependencies, pages: pages).period(request)
            let benchmark = try await competitors.benchmark(from: period.from, to: period.to, platform: platform)
            return try JSONOutput.response(BenchmarkDTO(benchmark, t: pages.localizer(context)))
        }
        routes.post("/api/v1/analytics/competitors/import", .permission(.analyticsManage)) { request, context, identity in
            let summary = try await Self.apiRefusal(pages.localizer(context)) { try await upload(request, identity: identity, csrf: nil) }
            return try JSONOutput.response(ImportSummaryDTO(summary))
        }
        routes.get("/api/v1/analytics/competitors/{id}", .permission(.analyticsView)) { _, context, _ in
            try JSONOutput.response(CompetitorDTO(try await competitor(context), t: pages.localizer(context)))
        }
        routes.patch("/api/v1/analytics/competitors/{id}", .permission(.analyticsManage)) { request, context, identity in
            let existing = try await competitor(context)
            let input = try await JSONInput.read(request, context: context)
            let edited = try CompetitorInput.read(CompetitorInput.JSONSource(input: input), base: existing)
            return try JSONOutput.response(CompetitorDTO(try await competitors.update(edited, by: identity.principal), t: pages.localizer(context)))
        }
        routes.delete("/api/v1/analytics/competitors/{id}", .permission(.analyticsManage)) { _, context, identity in
            try await competitors.delete(id: try await competitor(context).id, by: identity.principal)
            return JSONOutput.noContent()
        }
        routes.get("/api/v1/analytics/competitors/{id}/days", .permission(.analyticsView)) { request, context, _ in
            let competitor = try await competitor(context)
            let page = try await competitors.days(competitorID: competitor.id, page: try request.pageRequest(defaultPerPage: 100))
            let names = try await memberNames()
            return try JSONOutput.response(PageDTO(page) { CompetitorDayDTO($0, names: names) })
        }
        routes.post("/api/v1/analytics/competitors/{id}/days", .permission(.analyticsManage)) { request, context, identity in
            let competitor = try await competitor(context)
            let input = try await JSONInput.read(request, context: context)
            let (day, values) = try CompetitorInput.day(CompetitorInput.JSONSource(input: input), today: try await competitors.today().day)
            let saved = try await competitors.recordDay(competitorID: competitor.id, day: day, values: values, by: identity.principal)
            return try JSONOutput.response(CompetitorDayDTO(saved, names: try await memberNames()))
        }
        routes.delete("/api/v1/analytics/competitors/{id}/days/{day}", .permission(.analyticsManage)) { _, context, identity in
            let competitor = try await competitor(context)
            guard let day = LocalDate(try context.parameters.require("day")) else { throw NotFoundError(entity: "competitor_day") }
            try await competitors.deleteDay(competitorID: competitor.id, day: day, by: identity.principal)
            return JSONOutput.noContent()
        }

        // Pages
        routes.get(AnalyticsPath.competitors, .permission(.analyticsView)) { request, context, identity in
            try await benchmarkPage(request, context, identity)
        }
        routes.get(AnalyticsPath.competitorNew, .permission(.analyticsManage)) { request, context, identity in
            var values = CompetitorFormPage.values(of: nil)
            if let platform = request.query("platform"), Platform(rawValue: platform) != nil { values["platform"] = platform }
            return try await formPage(nil, values: values, request, context)
        }
        routes.post(AnalyticsPath.competitors, .permission(.analyticsManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                let draft = try CompetitorInput.read(CompetitorInput.FormSource(form: form), base: nil)
                let created = try await competitors.create(draft, by: identity.principal)
                return pages.redirect(AnalyticsPath.competitor(.value(created.id)), flash: "flash.competitor_created")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await formPage(nil, values: CompetitorFormPage.values(form), errors: refusal.errors, request, context, status: refusal.status)
            }
        }
        routes.post(AnalyticsPath.competitorImport, .permission(.analyticsManage)) { request, context, identity in
            do {
                let summary = try await upload(request, identity: identity, csrf: identity.csrfToken)
                return pages.redirect(AnalyticsPath.competitors.query(["imported": String(summary.rows)]), flash: "flash.competitor_imported")
            } catch let refused as CompetitorImportRefused {
                return try await benchmarkPage(request, context, identity, rowErrors: refused.errors, status: .unprocessableContent)
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await benchmarkPage(request, context, identity, importErrors: refusal.errors, status: refusal.status)
            }
        }
        routes.get(AnalyticsPath.competitorSample(.key), .permission(.analyticsView)) { _, context, _ in
            let format = try context.parameters.require("format")
            guard format == "csv" || format == "xlsx" else { throw NotFoundError(entity: "sample") }
            let sample = try await competitors.sample(xlsx: format == "xlsx")
            let encoded = sample.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "competitors"
            return Response(status: .ok, headers: [.contentType: sample.contentType,
                                                   .contentDisposition: "attachment; filename=\"competitors.\(format)\"; filename*=UTF-8''\(encoded)"],
                            body: .init(byteBuffer: ByteBuffer(bytes: sample.data)))
        }
        routes.get(AnalyticsPath.competitor(.key), .permission(.analyticsView)) { request, context, identity in
            try await competitorPage(request, context, identity)
        }
        routes.get(AnalyticsPath.competitorEdit(.key), .permission(.analyticsManage)) { request, context, _ in
            let existing = try await competitor(context)
            return try await formPage(existing, values: CompetitorFormPage.values(of: existing), request, context)
        }
        routes.post(AnalyticsPath.competitor(.key), .permission(.analyticsManage)) { request, context, identity in
            let existing = try await competitor(context)
            let form = try await pages.readForm(request, context: context)
            do {
                let edited = try CompetitorInput.read(CompetitorInput.FormSource(form: form), base: existing)
                _ = try await competitors.update(edited, by: identity.principal)
                return pages.redirect(AnalyticsPath.competitor(.value(existing.id)), flash: "flash.competitor_updated")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await formPage(existing, values: CompetitorFormPage.values(form), errors: refusal.errors, request, context, status: refusal.status)
            }
        }
        routes.post(AnalyticsPath.competitorDelete(.key), .permission(.analyticsManage)) { request, context, identity in
            let existing = try await competitor(context)
            _ = try await pages.readForm(request, context: context)
            try await competitors.delete(id: existing.id, by: identity.principal)
            return pages.redirect(AnalyticsPath.competitors, flash: "flash.competitor_deleted")
        }
        routes.post(AnalyticsPath.competitorDays(.key), .permission(.analyticsManage)) { request, context, identity in
            let existing = try await competitor(context)
            let form = try await pages.readForm(request, context: context)
            do {
                let (day, values) = try CompetitorInput.day(CompetitorInput.FormSource(form: form), today: try await competitors.today().day)
                _ = try await competitors.recordDay(competitorID: existing.id, day: day, values: values, by: identity.principal)
                return pages.redirect(AnalyticsPath.competitor(.value(existing.id)).fragment("days"), flash: "flash.competitor_day_saved")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await competitorPage(request, context, identity, dayValues: CompetitorPage.dayValues(form), dayErrors: refusal.errors,
                                                status: refusal.status)
            }
        }
        routes.post(AnalyticsPath.competitorDayDelete(.key), .permission(.analyticsManage)) { request, context, identity in
            let existing = try await competitor(context)
            let form = try await pages.readForm(request, context: context)
            guard let day = form["day"].flatMap({ LocalDate($0.trimmed) }) else { throw NotFoundError(entity: "competitor_day") }
            try await competitors.deleteDay(competitorID: existing.id, day: day, by: identity.principal)
            return pages.redirect(AnalyticsPath.competitor(.value(existing.id)).fragment("days"), flash: "flash.competitor_day_deleted")
        }
    }

    func competitor(_ context: AppRequestContext) async throws -> Competitor {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let competitor = try await competitors.competitor(id: id) else {
            throw NotFoundError(entity: "competitor")
        }
        return competitor
    }

    func memberNames() async throws -> [String: String] {
        Dictionary(try await dependencies.team.members().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    static func platformQuery(_ request: Request) throws -> Platform? {
        guard let text = request.query("platform") else { return nil }
        guard let platform = Platform(rawValue: text), Competitor.platforms.contains(platform) else {
            throw ValidationError(field: "platform", code: "invalid_choice", params: ["choices": Competitor.platforms.map(\.rawValue).joined(separator: ", ")])
        }
        return platform
    }

    /// A refused import as the API's 422: the file's error first, then each row's, in the member's language.
    static func apiRefusal<T>(_ t: Localizer, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let refused as CompetitorImportRefused {
            var errors = [ValidationError(field: "file", code: "competitor_import_has_row_errors", params: ["count": String(refused.errors.count)])]
            errors += refused.errors.prefix(rowErrorsShown).map { error in
                ValidationError(field: "rows", code: error.problem.rawValue,
                                params: ["row": String(error.row), "column": error.column ?? "—", "value": error.value])
            }
            throw ValidationErrors(errors)
        }
    }

    /// Reads a multipart upload (`file`) and imports it.
    func upload(_ request: Request, identity: Identity, csrf: String?) async throws -> CompetitorImportSummary {
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("mediaops-competitor-imports", isDirectory: true)
        try? FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        let upload = try await MultipartUpload.read(request, staging: staging, maxFileBytes: Int64(CompetitorService.maxFileBytes), csrfToken: csrf)
        defer { if let file = upload.file { try? FileManager.default.removeItem(at: file.file) } }
        guard let staged = upload.file, staged.size > 0 else { throw ValidationError(field: "file", code: "file_required") }
        return try await competitors.importFile(try Data(contentsOf: staged.file), by: identity.principal)
    }

    // MARK: Pages

    func picker(_ request: Request, _ period: ReportingPeriod, path: String, t: Localizer) -> PeriodPicker {
        AnalyticsController(dependencies: dependencies, pages: pages).periodPicker(request, period, path: path, t: t)
    }

    func period(_ request: Request) async throws -> ReportingPeriod {
        try await AnalyticsController(dependencies: dependencies, pages: pages).period(request)
    }

    func benchmarkPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity, rowErrors: [CompetitorRowError] = [],
                       importErrors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let period: ReportingPeriod
        let platform: Platform?
        do {
            period = try await self.period(request)
            platform = try Self.platformQuery(request)
        } catch let error as ValidationError {
            return pages.errorPage(status: .unprocessableContent, message: t.error(error.code, field: error.field, params: error.params), request: request, context: context)
        }
        let all = try await competitors.all()
        let benchmark = try await competitors.benchmark(from: period.from, to: period.to, platform: platform)
        let sort = request.query("sort").flatMap(CompetitorsPage.Sort.init(rawValue:)) ?? .followers
        let descending = request.query("dir") != "asc"
        let model = CompetitorsPage.make(
            benchmark: benchmark, allCompetitors: all, period: period, platform: platform, sort: sort, descending: descending,
            picker: picker(request, period, path: AnalyticsPath.competitors.path, t: t),
            pageRequest: try request.pageRequest(defaultPerPage: 25), request: request,
            canManage: identity.permissions.contains(.analyticsManage), rowErrors: rowErrors, importErrors: importErrors, t: t)
        return pages.render(.analyticsCompetitors, title: t.t("competitors.title"), page: model, request: request, context: context, status: status)
    }

    func competitorPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity, dayValues: [String: String]? = nil,
                        dayErrors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let competitor = try await competitor(context)
        let period: ReportingPeriod
        do {
            period = try await self.period(request)
        } catch let error as ValidationError {
            return pages.errorPage(status: .unprocessableContent, message: t.error(error.code, field: error.field, params: error.params), request: request, context: context)
        }
        let benchmark = try await competitors.benchmark(from: period.from, to: period.to, platform: competitor.platform, competitorIDs: [competitor.id])
        let days = try await competitors.days(competitorID: competitor.id, page: try request.pageRequest(defaultPerPage: 30))
        let today = try await competitors.today().day
        var values = dayValues
        if values == nil {
            let editing = request.query("day").flatMap(LocalDate.init)
            if let editing, let stored = try await competitors.day(competitorID: competitor.id, day: editing) {
                values = CompetitorPage.dayValues(of: stored)
            } else {
                values = ["day": (editing ?? today.adding(days: -1)).description]
            }
        }
        let model = CompetitorPage.make(
            competitor: competitor, benchmark: benchmark, days: days, names: try await memberNames(), period: period,
            picker: picker(request, period, path: AnalyticsPath.competitor(.value(competitor.id)).path, t: t), request: request,
            canManage: identity.permissions.contains(.analyticsManage), dayValues: values ?? [:], dayErrors: dayErrors, today: today, t: t)
        return pages.render(.analyticsCompetitor, title: competitor.name, page: model, request: request, context: context, status: status)
    }

    func formPage(_ competitor: Competitor?, values: [String: String], errors: FormErrors = FormErrors(), _ request: Request,
                  _ context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        var suggestions = try await dependencies.team.groups().map(\.name)
        for label in try await competitors.all().map(\.group) where !label.isEmpty && !suggestions.contains(label) { suggestions.append(label) }
        var summary = errors.summary
        if summary == nil, errors.messages.count > 1 { summary = t.t("common.form_errors", ["count": String(errors.messages.count)]) }
        let model = CompetitorFormPage(
            action: competitor.map { AnalyticsPath.competitor(.value($0.id)).path } ?? AnalyticsPath.competitors.path,
            backHref: competitor.map { AnalyticsPath.competitor(.value($0.id)).path } ?? AnalyticsPath.competitors.path,
            isNew: competitor == nil, values: values,
            platforms: Competitor.platforms.map { SelectOption(value: $0.rawValue, label: t.platformName($0), selected: values["platform"] == $0.rawValue) },
            groupSuggestions: suggestions, errors: errors.messages, summary: summary)
        let title = competitor.map { t.t("competitors.edit_title", ["name": $0.name]) } ?? t.t("competitors.new_title")
        return pages.render(.analyticsCompetitorForm, title: title, page: model, request: request, context: context, status: status)
    }
}

/// A competitor or one of its days as a person sends it: through the API as
/// JSON (numbers as numbers), through the form as typed (`1.2万`, `3,593`,
/// full-width digits; an empty box is absent). Every broken field at once.
enum CompetitorInput {
    protocol Source {
        func text(_ key: String) throws -> String?
        /// A metric as sent; `.absent` when left out or empty.
        func metric(_ key: String) -> ExportCell.Number
        func has(_ key: String) -> Bool
    }

    struct JSONSource: Source {
        let input: JSONInput
        func text(_ key: String) throws -> String? { try input.string(key) }
        func has(_ key: String) -> Bool { input.has(key) }
        func metric(_ key: String) -> ExportCell.Number {
            switch input.object[key] {
            case .none, .null: return .absent
            case .number(let value) where value.isFinite: return .value(value)
            default: return .invalid(.notANumber)
            }
        }
    }

    struct FormSource: Source {
        let form: FormData
        func text(_ key: String) throws -> String? { form[key] }
        func has(_ key: String) -> Bool { form.has(key) }
        func metric(_ key: String) -> ExportCell.Number { ExportCell.count(form[key] ?? "") }
    }

    static func read(_ source: some Source, base: Competitor?) throws -> Competitor {
        var errors: [ValidationError] = []
        func attempt(_ key: String) -> String? {
            do { return try source.text(key) } catch let error as ValidationError { errors.append(error); return nil } catch { return nil }
        }
        var competitor = base ?? Competitor(id: "new", platform: .weibo, name: "", handle: "")
        if let text = attempt("platform")?.trimmed, !text.isEmpty || base == nil {
            if let platform = Platform(rawValue: text), Competitor.platforms.contains(platform) {
                competitor.platform = platform
            } else if text.isEmpty {
                errors.append(ValidationError(field: "platform", code: "required"))
            } else {
                errors.append(ValidationError(field: "platform", code: "invalid_choice", params: ["choices": Competitor.platforms.map(\.rawValue).joined(separator: ", ")]))
            }
        } else if base == nil, !errors.contains(where: { $0.field == "platform" }) {
            errors.append(ValidationError(field: "platform", code: "required"))
        }
        if let name = attempt("name") { competitor.name = name.trimmed }
        if let handle = attempt("handle") { competitor.handle = handle.trimmed }
        if source.has("url") {
            let url = attempt("url")?.trimmed ?? ""
            competitor.url = url.isEmpty ? nil : url
        }
        if let group = attempt("group") { competitor.group = group.trimmed }
        if let notes = attempt("notes") { competitor.notes = notes.trimmed }
        if competitor.handle.hasPrefix("@") { competitor.handle.removeFirst() }
        let unreadable = Set(errors.map(\.field))
        errors += competitor.validationErrors().filter { !unreadable.contains($0.field) }
        let order = ["platform", "name", "handle", "url", "group", "notes"]
        errors.sort { (order.firstIndex(of: $0.field) ?? 9) < (order.firstIndex(of: $1.field) ?? 9) }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        return competitor
    }

    /// A day and its numbers; every broken field at once.
    static func day(_ source: some Source, today: LocalDate) throws -> (LocalDate, [CompetitorMetric: Double]) {
        var errors: [ValidationError] = []
        var day: LocalDate?
        do {
            let text = try source.text("day")?.trimmed ?? ""
            if text.isEmpty { errors.append(ValidationError(field: "day", code: "required")) }
            else if let parsed = LocalDate(text), parsed.year >= 2000, parsed.year <= 9_000 {
                if let problem = CompetitorDayRule.check(parsed, today: today) { errors.append(problem) } else { day = parsed }
            } else {
                errors.append(ValidationError(field: "day", code: "day_invalid"))
            }
        } catch let error as ValidationError { errors.append(error) }
        var values: [CompetitorMetric: Double] = [:]
        for metric in CompetitorMetric.allCases {
            switch source.metric(metric.rawValue) {
            case .absent: continue
            case .value(let value):
                if let problem = metric.check(value, field: metric.rawValue) { errors.append(problem) } else { values[metric] = value }
            case .below, .invalid:
                errors.append(ValidationError(field: metric.rawValue, code: source is JSONSource ? "invalid_type" : "metric_not_a_number",
                                              params: source is JSONSource ? ["type": "number"] : [:]))
            }
        }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        guard let day else { throw ValidationError(field: "day", code: "required") }
        return (day, values)
    }
}
