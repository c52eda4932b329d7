import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Imports of back-office export files: upload → preview (format, header,
/// columns, first rows, every row error) → map unknown columns → commit.
struct ImportsController {
    let dependencies: AnalyticsDependencies
    let pages: PageSupport

    var imports: ImportService { dependencies.imports }

    func register(_ routes: Routes) {
        // API
        routes.get("/api/v1/imports", .permission(.analyticsView)) { request, _ in
            let accountID = request.query("account_id")
            let page = try await imports.list(accountID: accountID, page: try request.pageRequest())
            return try JSONOutput.response(PageDTO(page) { ImportDTO($0) })
        }
        routes.post("/api/v1/imports", .permission(.analyticsImport)) { request, context, identity in
            let preview = try await upload(request, identity: identity, csrf: nil)
            return try JSONOutput.response(ImportPreviewDTO(preview), status: .created)
        }
        routes.get("/api/v1/imports/{id}", .permission(.analyticsView)) { _, context in
            try JSONOutput.response(ImportPreviewDTO(try await imports.preview(id: try context.parameters.require("id"))))
        }
        routes.post("/api/v1/imports/{id}/columns", .permission(.analyticsImport)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            guard let raw = try input.stringMap("columns") else { throw ValidationError(field: "columns", code: "required") }
            var columns: [Int: String] = [:]
            for (key, role) in raw {
                guard let index = Int(key), index >= 0, index < 10_000 else {
                    throw ValidationError(field: "columns", code: ImportService.Problem.unknownColumnRole.rawValue, params: ["value": String(key.prefix(20))])
                }
                columns[index] = role
            }
            let remember = try input.bool("remember") ?? true
            let preview = try await imports.map(identity.principal, id: try context.parameters.require("id"), columns: columns, remember: remember)
            return try JSONOutput.response(ImportPreviewDTO(preview))
        }
        routes.post("/api/v1/imports/{id}/commit", .permission(.analyticsImport)) { _, context, identity in
            let record = try await imports.commit(identity.principal, id: try context.parameters.require("id"))
            return try JSONOutput.response(ImportDTO(record), status: record.state == .committed ? .ok : .accepted)
        }

        // Pages
        routes.get(AnalyticsPath.imports, .permission(.analyticsView)) { request, context, identity in
            try await listPage(request, context: context, identity: identity)
        }
        routes.post(AnalyticsPath.imports, .permission(.analyticsImport)) { request, context, identity in
            do {
                let preview = try await upload(request, identity: identity, csrf: identity.csrfToken)
                return pages.redirect(AnalyticsPath.importDetail(.value(preview.record.id)))
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await listPage(request, context: context, identity: identity, errors: refusal.errors, status: refusal.status)
            }
        }
        routes.get(AnalyticsPath.importSample(.key), .permission(.analyticsView)) { _, context, _ in
            guard let layout = ExportLayout(rawValue: try context.parameters.require("layout")) else { throw NotFoundError(entity: "sample") }
            let sample = try ExportSamples.sample(layout, today: try await dependencies.analytics.today().day)
            let encoded = sample.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "sample"
            let ascii = layout.rawValue + (sample.filename.hasSuffix(".xlsx") ? ".xlsx" : ".csv")
            return Response(status: .ok, headers: [.contentType: sample.contentType,
                                                   .contentDisposition: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"],
                            body: .init(byteBuffer: ByteBuffer(bytes: sample.data)))
        }
        routes.get(AnalyticsPath.importDetail(.key), .permission(.analyticsView)) { request, context, identity in
            try await detailPage(request, context: context, identity: identity)
        }
        routes.post(AnalyticsPath.importColumns(.key), .permission(.analyticsImport)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            let id = try context.parameters.require("id")
            var columns: [Int: String] = [:]
            for (name, values) in form.values where name.hasPrefix("column_") {
                guard let value = values.first else { continue }
                guard let index = Int(name.dropFirst(7)), index >= 0, index < 10_000 else { continue }
                columns[index] = value
            }
            do {
                _ = try await imports.map(identity.principal, id: id, columns: columns)
                return pages.redirect(AnalyticsPath.importDetail(.value(id)), flash: "flash.import_mapping_saved")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await detailPage(request, context: context, identity: identity, errors: refusal.errors, status: refusal.status)
            }
        }
        routes.post(AnalyticsPath.importCommit(.key), .permission(.analyticsImport)) { request, context, identity in
            _ = try await pages.readForm(request, context: context)
            let id = try context.parameters.require("id")
            do {
                let record = try await imports.commit(identity.principal, id: id)
                return pages.redirect(AnalyticsPath.importDetail(.value(id)), flash: record.state == .committed ? "flash.import_committed" : "flash.import_queued")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await detailPage(request, context: context, identity: identity, errors: refusal.errors, status: refusal.status)
            }
        }
    }

    /// Reads a multipart upload (`file`, `account_id`, optional `format` and `sheet`) and previews it.
    func upload(_ request: Request, identity: Identity, csrf: String?) async throws -> ImportPreview {
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("mediaops-imports", isDirectory: true)
        try? FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        let upload = try await MultipartUpload.read(request, staging: staging, maxFileBytes: Int64(ImportService.maxBytes), csrfToken: csrf)
        defer { if let file = upload.file { try? FileManager.default.removeItem(at: file.file) } }
        var problems: [ValidationError] = []
        let accountID = upload["account_id"]?.trimmingCharacters(in: .whitespaces) ?? ""
        if accountID.isEmpty { problems.append(ValidationError(field: "account_id", code: "required")) }
        var layout: ExportLayout?
        if let format = upload["format"]?.trimmingCharacters(in: .whitespaces), !format.isEmpty {
            if let parsed = ExportLayout(rawValue: format) { layout = parsed } else {
                problems.append(ValidationError(field: "format", code: "import_format_unknown", params: ["value": String(format.prefix(40))]))
            }
        }
        if upload.file == nil || upload.file?.size == 0 { problems.append(ValidationError(field: "file", code: "file_required")) }
        if problems.count == 1 { throw problems[0] }
        if !problems.isEmpty { throw ValidationErrors(problems) }
        guard let staged = upload.file else { throw ValidationError(field: "file", code: "file_required") }
        let data = try Data(contentsOf: staged.file)
        let sheet = upload["sheet"]?.trimmingCharacters(in: .whitespaces)
        return try await imports.upload(identity.principal, accountID: accountID, filename: upload.fileName ?? "upload", data: data,
                                        sheet: sheet?.isEmpty == false ? sheet : nil, layout: layout)
    }

    // MARK: Pages

    func listPage(_ request: Request, context: AppRequestContext, identity: Identity, errors: FormErrors = FormErrors(),
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let accountFilter = request.query("account_id")
        let page = try await imports.list(accountID: accountFilter?.isEmpty == false ? accountFilter : nil, page: try request.pageRequest(defaultPerPage: 25))
        let accounts = try await dependencies.team.allAccounts(filter: AccountFilter()).filter { $0.platform != .webhook }
        let names = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0.name) })
        var memberNames: [String: String] = [:]
        for member in try await dependencies.team.members() { memberNames[member.id] = member.name }
        let rows = page.items.map { record in
            ImportsPage.Row(href: AnalyticsPath.importDetail(.value(record.id)).path, filename: record.filename,
                            account: names[record.accountID] ?? record.accountID, layout: Self.layoutName(record.layout, t),
                            rows: t.grouped(record.rowCount), state: t.t("analytics.import_state.\(record.state.rawValue)"), stateKey: record.state.rawValue,
                            when: t.dateTime(record.createdAt), by: record.createdBy.flatMap { memberNames[$0] } ?? t.t("analytics.imports.by_command_line"))
        }
        let chosenAccount = request.query("account_id") ?? ""
        let model = ImportsPage(
            rows: rows, pagination: Pagination(request, page: page, localizer: t),
            canImport: identity.permissions.contains(.analyticsImport),
            accounts: accounts.map { SelectOption(value: $0.id, label: "\($0.name) · \(t.platformShortName($0.platform))", selected: $0.id == chosenAccount) },
            formats: ExportLayout.allCases.map { SelectOption(value: $0.rawValue, label: t.t("analytics.layout.\($0.rawValue)"), selected: false) },
            samples: ExportLayout.allCases.map { ImportsPage.Sample(label: t.t("analytics.layout.\($0.rawValue)"), href: AnalyticsPath.importSample(.value($0.rawValue)).path) },
            errors: errors.messages, summary: errors.summary)
        return pages.render(.analyticsImports, title: t.t("analytics.imports.title"), page: model, request: request, context: context, status: status)
    }

    static func layoutName(_ layout: ExportLayout?, _ t: Localizer) -> String {
        t.t("analytics.layout.\(layout?.rawValue ?? "custom")")
    }

    func detailPage(_ request: Request, context: AppRequestContext, identity: Identity, errors: FormErrors = FormErrors(),
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let id = try context.parameters.require("id")
        let preview = try await imports.preview(id: id)
        let record = preview.record
        let account = try await dependencies.team.account(id: record.accountID)
        let canImport = identity.permissions.contains(.analyticsImport)
        let roleOptions = ExportColumn.choices
        let mapping = preview.headers.enumerated().compactMap { index, header -> ImportDetailPage.Column? in
            guard !header.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            let current = record.columns[index]?.key ?? "ignore"
            let sample = preview.sampleRows.first.map { index < $0.count ? $0[index] : "" } ?? ""
            return ImportDetailPage.Column(
                index: String(index), name: "column_\(index)", header: header, sample: sample,
                options: roleOptions.map { role in
                    SelectOption(value: role.key, label: Self.roleLabel(role, t), selected: role.key == current)
                })
        }
        let rows = preview.rows
        let errorRows = (rows?.errors ?? []).prefix(500).map { error in
            ImportDetailPage.RowError(row: t.t("analytics.import.error_row", ["row": String(error.row)]),
                                      message: t.error(error.problem.rawValue, field: nil, params: ["field": error.column ?? "", "value": error.value]))
        }
        let notes = (rows?.notes ?? []).prefix(100).map { note in
            t.t("analytics.note.\(note.kind.rawValue)", ["row": String(note.row), "column": note.column ?? "", "value": note.value])
        }
        let width = preview.headers.count
        let progress = try await imports.progress(of: record)
        let model = ImportDetailPage(
            filename: record.filename, accountName: account?.name ?? record.accountID,
            accountHref: AnalyticsPath.account(.value(record.accountID)).path,
            format: t.optional("analytics.file_format.\(record.fileFormat)") ?? record.fileFormat,
            sheet: record.sheet.isEmpty ? nil : record.sheet,
            headerRow: t.t("analytics.import.header_row", ["row": String(record.headerRow + 1)]),
            recognised: record.layout.map { t.t("analytics.import.recognised", ["layout": t.t("analytics.layout.\($0.rawValue)")]) },
            remembered: preview.mappingRemembered,
            kind: rows.map { t.t("analytics.import.kind_\($0.kind.rawValue)") },
            rowCount: rows.map { t.t("analytics.import.rows", ["count": t.grouped($0.rowCount)]) },
            mappingProblem: preview.mappingProblem.map { t.error($0.rawValue) },
            state: t.t("analytics.import_state.\(record.state.rawValue)"), stateKey: record.state.rawValue,
            isPreviewed: record.state == .previewed, isWorking: record.state == .queued || record.state == .running,
            progress: progress.map { ImportDetailPage.Progress(written: String($0.written), total: String($0.total),
                                                               label: t.t("analytics.import.progress_rows", ["written": t.grouped($0.written), "total": t.grouped($0.total)])) },
            isCommitted: record.state == .committed, failure: record.failure.map { t.error($0) },
            result: record.state == .committed ? t.t("analytics.import.result", [
                "inserted": t.grouped(record.summary.inserted), "changed": t.grouped(record.summary.changed),
                "unchanged": t.grouped(record.summary.unchanged), "created": t.grouped(record.postsCreated), "matched": t.grouped(record.postsMatched)]) : nil,
            earlier: preview.earlier.map { t.t("analytics.import.earlier", ["when": t.dateTime($0.committedAt ?? $0.createdAt)]) },
            errors: errorRows, errorTitle: t.t("analytics.import.errors_title", ["count": String(rows?.errors.count ?? 0)]), hasErrors: !(rows?.errors.isEmpty ?? true),
            notes: notes, headers: preview.headers,
            sampleRows: preview.sampleRows.map { row in (0..<width).map { $0 < row.count ? row[$0] : "" } },
            columns: mapping, showMapping: canImport && record.state == .previewed && (record.layout == nil || preview.mappingProblem != nil),
            canCommit: canImport && preview.canCommit,
            commitLabel: t.t("analytics.import.commit", ["count": t.grouped(rows?.rowCount ?? 0)]),
            columnsAction: AnalyticsPath.importColumns(.value(id)).path, commitAction: AnalyticsPath.importCommit(.value(id)).path,
            formErrors: errors.summary.map { [$0] } ?? Array(errors.messages.values).sorted())
        return pages.render(.analyticsImport, title: t.t("analytics.import.title"), page: model, request: request, context: context, status: status)
    }

    static func roleLabel(_ role: ExportColumn, _ t: Localizer) -> String {
        switch role {
        case .metric(let key): t.t("metric.\(key.rawValue)")
        case .kept: t.t("analytics.column_role.ignore")
        default: t.t("analytics.column_role.\(role.key)")
        }
    }
}

// MARK: API shapes

struct ImportDTO: Encodable {
    var id: String
    var account_id: String
    var filename: String
    var file_format: String
    var sheet: String
    @Nullable var layout: String?
    var header_row: Int
    var columns: [String: String]
    var state: String
    var rows: Int
    var row_errors: Int
    var values_inserted: Int
    var values_changed: Int
    var values_unchanged: Int
    var posts_created: Int
    var posts_matched: Int
    @Nullable var failure: String?
    var created_at: Date
    @Nullable var committed_at: Date?

    init(_ record: MetricImport) {
        id = record.id
        account_id = record.accountID
        filename = record.filename
        file_format = record.fileFormat
        sheet = record.sheet
        layout = record.layout?.rawValue
        header_row = record.headerRow + 1
        columns = Dictionary(uniqueKeysWithValues: record.columns.compactMap { index, role in
            if case .kept = role { return nil }
            return (String(index), role.key)
        })
        state = record.state.rawValue
        rows = record.rowCount
        row_errors = record.errorCount
        values_inserted = record.summary.inserted
        values_changed = record.summary.changed
        values_unchanged = record.summary.unchanged
        posts_created = record.postsCreated
        posts_matched = record.postsMatched
        failure = record.failure
        created_at = record.createdAt
        committed_at = record.committedAt
    }
}

struct ImportPreviewDTO: Encodable {
    struct RowError: Encodable { var row: Int; @Nullable var column: String?; var value: String; var code: String }
    struct Note: Encodable { var row: Int; @Nullable var column: String?; var value: String; var code: String }

    var `import`: ImportDTO
    var sheets: [String]
    var headers: [String]
    var sample_rows: [[String]]
    @Nullable var kind: String?
    @Nullable var mapping_problem: String?
    var mapping_remembered: Bool
    var errors: [RowError]
    var notes: [Note]
    var can_commit: Bool
    @Nullable var earlier_import_id: String?

    init(_ preview: ImportPreview) {
        `import` = ImportDTO(preview.record)
        sheets = preview.sheets
        headers = preview.headers
        sample_rows = preview.sampleRows
        kind = preview.rows?.kind.rawValue
        mapping_problem = preview.mappingProblem?.rawValue
        mapping_remembered = preview.mappingRemembered
        errors = (preview.rows?.errors ?? []).prefix(1_000).map { RowError(row: $0.row, column: $0.column, value: $0.value, code: $0.problem.rawValue) }
        notes = (preview.rows?.notes ?? []).prefix(1_000).map { Note(row: $0.row, column: $0.column, value: $0.value, code: $0.kind.rawValue) }
        can_commit = preview.canCommit
        earlier_import_id = preview.earlier?.id
    }
}
