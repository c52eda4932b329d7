import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// The asset library (素材库): images, video, audio, fonts, design templates
/// and documents the content room builds on, with their licences and where
/// they are used. Uploads are multipart; the file type is decided by its bytes.
struct AssetsController {
    let dependencies: ContentDependencies
    let pages: PageSupport

    var service: AssetService { dependencies.assets }

    /// Days ahead the "licence expiring" panel and the API look by default.
    static let expiryWarningDays = 14

    func register(_ routes: Routes) {
        // MARK: API
        routes.get("/api/v1/assets", .permission(.contentView)) { request, _ in
            let (sort, descending) = try sortOrder(request)
            let page = try await dependencies.assets.list(filter: try filter(request), sort: sort, descending: descending, page: try request.pageRequest())
            let today = try await service.today()
            return try JSONOutput.response(PageDTO(page) { AssetDTO($0, today: today) })
        }
        routes.post("/api/v1/assets", .permission(.contentWrite)) { request, context, identity in
            let result = try await withUploadErrors {
                let upload = try await MultipartUpload.read(request, staging: service.storage.stagingDirectory, maxFileBytes: service.maxBytes)
                guard let file = upload.file else { throw ValidationError(field: "file", code: "file_required") }
                return try await service.upload(file, uploadInput(upload), by: identity.principal)
            }
            // 201 for a new asset; 200 with the existing one when the same bytes were uploaded before.
            return try JSONOutput.response(AssetDTO(result.asset, today: try await service.today()), status: result.created ? .created : .ok)
        }
        routes.get("/api/v1/assets/expiring", .permission(.contentView)) { request, _ in
            var days = Self.expiryWarningDays
            if let raw = request.query("days") {
                guard let value = Int(raw), (0...365).contains(value) else {
                    throw ValidationError(field: "days", code: "out_of_range", params: ["min": "0", "max": "365"])
                }
                days = value
            }
            let today = try await service.today()
            let assets = try await service.expiring(withinDays: days)
            return try JSONOutput.response(ItemsDTO(items: assets.map { AssetDTO($0, today: today) }))
        }
        routes.get("/api/v1/assets/{id}", .permission(.contentView)) { _, context in
            let asset = try await asset(context)
            let usage = try await dependencies.assets.usage(assetID: asset.id)
            return try JSONOutput.response(AssetDTO(asset, today: try await service.today(), usage: usage))
        }
        routes.patch("/api/v1/assets/{id}", .permission(.contentWrite)) { request, context, identity in
            let id = try await asset(context).id
            let input = try await JSONInput.read(request, context: context)
            let changes = AssetService.AssetChanges(name: try input.string("name"), folder: try input.string("folder"), tags: try input.strings("tags"),
                                                    licenceExpiresOn: try input.nullableString("licence_expires_on"), rightsNote: try input.string("rights_note"))
            let updated = try await service.update(id: id, changes, by: identity.principal)
            let usage = try await dependencies.assets.usage(assetID: id)
            return try JSONOutput.response(AssetDTO(updated, today: try await service.today(), usage: usage))
        }
        routes.get("/api/v1/assets/{id}/file", .permission(.contentView)) { request, context in
            try await serve(try await asset(context), request: request, context: context)
        }

        // MARK: Pages
        routes.get(ContentPath.assets, .permission(.contentView)) { request, context, identity in try await listPage(request, context, identity) }
        routes.get(ContentPath.assetUpload, .permission(.contentWrite)) { request, context in
            var values: [String: String] = [:]
            if let folder = request.query("folder") { values["folder"] = folder }
            return try await uploadPage(values: values, errors: FormErrors(), request, context)
        }
        routes.post(ContentPath.assets, .permission(.contentWrite)) { request, context, identity in
            var values: [String: String] = [:]
            do {
                let result = try await withUploadErrors {
                    let upload = try await MultipartUpload.read(request, staging: service.storage.stagingDirectory, maxFileBytes: service.maxBytes,
                                                                csrfToken: context.csrfToken)
                    values = upload.fields.filter { $0.key != "_csrf" }
                    guard let file = upload.file else { throw ValidationError(field: "file", code: "file_required") }
                    return try await service.upload(file, uploadInput(upload), by: identity.principal)
                }
                return pages.redirect(ContentPath.asset(.value(result.asset.id)), flash: result.created ? "flash.asset_uploaded" : "flash.asset_exists")
            } catch {
                // A forged upload is not re-rendered as a form error: it goes to the error page.
                guard AppError.from(error)?.code != AppError.csrf.code else { throw error }
                let refusal = try pages.refusal(error, context)
                return try await uploadPage(values: values, errors: refusal.errors, request, context, status: refusal.status)
            }
        }
        routes.get(ContentPath.asset(.key), .permission(.contentView)) { request, context, identity in
            let asset = try await asset(context)
            return try await detailPage(asset, values: values(of: asset), errors: FormErrors(), request, context, identity)
        }
        routes.post(ContentPath.asset(.key), .permission(.contentWrite)) { request, context, identity in
            let asset = try await asset(context)
            let form = try await pages.readForm(request, context: context)
            do {
                let changes = AssetService.AssetChanges(name: form["name"] ?? "", folder: form["folder"] ?? "", tags: Asset.splitTags(form["tags"]),
                                                        licenceExpiresOn: .some(form["licence_expires_on"] ?? ""), rightsNote: form["rights_note"] ?? "")
                _ = try await service.update(id: asset.id, changes, by: identity.principal)
                return pages.redirect(ContentPath.asset(.value(asset.id)), flash: "flash.asset_updated")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await detailPage(asset, values: form.values.compactMapValues(\.first), errors: refusal.errors,
                                            request, context, identity, status: refusal.status)
            }
        }
        routes.get(ContentPath.assetFile(.key), .permission(.contentView)) { request, context in
            try await serve(try await asset(context), request: request, context: context)
        }
    }

    // MARK: Input

    private func uploadInput(_ upload: MultipartUpload) -> AssetService.UploadInput {
        AssetService.UploadInput(fileName: upload.fileName, folder: upload["folder"], tags: Asset.splitTags(upload["tags"]),
                                 licenceExpiresOn: upload["licence_expires_on"], rightsNote: upload["rights_note"])
    }

    /// Names an oversized upload as the 413 the caller can act on.
    private func withUploadErrors<R>(_ body: () async throws -> R) async throws -> R {
        do {
            return try await body()
        } catch let error as UploadTooLarge {
            throw AppError(.contentTooLarge, "file_too_large", field: "file", params: ["max": Self.formatSize(error.limit)])
        }
    }

    private func asset(_ context: AppRequestContext) async throws -> Asset {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let asset = try await dependencies.assets.find(id: id) else {
            throw AppError.notFound
        }
        return asset
    }

    private func filter(_ request: Request) throws -> AssetFilter {
        var filter = AssetFilter(folder: request.query("folder"), tag: request.query("tag"), query: request.query("q"))
        if let raw = request.query("kind") {
            guard let kind = AssetKind(rawValue: raw) else {
                throw ValidationError(field: "kind", code: "invalid_choice", params: ["choices": AssetKind.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            filter.kind = kind
        }
        if let folder = filter.folder { filter.folder = try Asset.normalizeFolder(folder) }
        return filter
    }

    /// Newest first unless asked otherwise; names A→Z.
    private func sortOrder(_ request: Request) throws -> (AssetSort, Bool) {
        let (sort, descending) = try request.sort(AssetSort.self, default: .created)
        return (sort, request.query("order") == nil ? sort != .name : descending)
    }

    private func values(of asset: Asset) -> [String: String] {
        ["name": asset.name, "folder": asset.folder, "tags": asset.tags.joined(separator: ", "),
         "licence_expires_on": asset.licenceExpiresOn?.description ?? "", "rights_note": asset.rightsNote]
    }

    // MARK: Serving the bytes

    /// The bytes with the stored type, never sniffed by the browser; images,
    /// video, audio and PDFs open in place, the rest download (or everything,
    /// with `?download=1`). Single byte ranges are served so video can seek.
    private func serve(_ asset: Asset, request: Request, context: AppRequestContext) async throws -> Response {
        let etag = "\"\(asset.sha256)\""
        var headers: HTTPFields = [:]
        headers[.contentType] = asset.mimeType
        headers[.xContentTypeOptions] = "nosniff"
        let download = try request.boolQuery("download") ?? false
        let inline = asset.kind.opensInline && !download
        headers[.contentDisposition] = Self.contentDisposition(inline: inline, fileName: asset.downloadName)
        headers[.eTag] = etag
        headers[.cacheControl] = "private, max-age=86400"
        headers[.acceptRanges] = "bytes"
        if asset.format != .pdf {
            // Opened on its own, a file may not run anything (browsers' PDF viewers refuse a sandbox, and PDFs are checked by bytes).
            headers[.contentSecurityPolicy] = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"
        }
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: {
            let tag = $0.trimmingCharacters(in: .whitespaces)
            return tag == etag || tag == "W/" + etag || tag == "*"
        }) {
            return Response(status: .notModified, headers: headers)
        }
        guard let size = try await service.storage.size(key: asset.sha256) else {
            context.logger.error("asset bytes missing from storage", metadata: ["asset": "\(asset.id)", "sha256": "\(asset.sha256)"])
            throw AppError(.notFound, "file_missing")
        }
        var status = HTTPResponse.Status.ok
        var range: ClosedRange<Int64>?
        switch Self.byteRange(request.headers[.range], size: size) {
        case .whole:
            break
        case .part(let part):
            range = part
            status = .partialContent
            headers[.contentRange] = "bytes \(part.lowerBound)-\(part.upperBound)/\(size)"
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(size)"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        }
        guard let object = try await service.storage.get(key: asset.sha256, range: range) else { throw AppError(.notFound, "file_missing") }
        headers[.contentLength] = String(object.size)
        let body = ResponseBody(contentLength: Int(object.size)) { writer in
            for try await chunk in object.chunks { try await writer.write(ByteBuffer(bytes: chunk)) }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }

    enum ByteRange: Equatable {
        case whole
        case part(ClosedRange<Int64>)
        case unsatisfiable
    }

    /// One `bytes=` range (`a-b`, `a-` or `-n`); anything else is served whole, as HTTP allows.
    static func byteRange(_ header: String?, size: Int64) -> ByteRange {
        guard let header, header.hasPrefix("bytes="), size > 0 else { return .whole }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .whole }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            guard let suffix = Int64(last), suffix > 0 else { return .whole }
            return .part(max(0, size - suffix)...(size - 1))
        }
        guard let start = Int64(first), start >= 0 else { return .whole }
        guard start < size else { return .unsatisfiable }
        if last.isEmpty { return .part(start...(size - 1)) }
        guard let end = Int64(last), end >= start else { return .whole }
        return .part(start...min(end, size - 1))
    }

    /// `inline; filename="poster.png"; filename*=UTF-8''%E6%B5%B7%E6%8A%A5.png`:
    /// an ASCII fallback for old clients and the exact name for the rest.
    static func contentDisposition(inline: Bool, fileName: String) -> String {
        let fallback = String(fileName.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && scalar.value >= 0x20 && scalar != "\"" && scalar != "\\" && scalar.value != 0x7F ? Character(scalar) : "_"
        })
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(0x7F)))
        allowed.insert(charactersIn: "!#$&+-.^_`|~")
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: allowed) ?? fallback
        return "\(inline ? "inline" : "attachment"); filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }

    private func listPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let t = pages.localizer(context)
        let filter = try filter(request)
        let (sort, descending) = try sortOrder(request)
        let page = try await dependencies.assets.list(filter: filter, sort: sort, descending: descending, page: try request.pageRequest(defaultPerPage: 24))
        let today = try await service.today()
        let expiring = try await dependencies.assets.expiring(from: today, through: today.adding(days: Self.expiryWarningDays), limit: 10)
        let expired = try await dependencies.assets.expired(before: today, limit: 1000).count
        let option = SelectOption.init
        let folders = try await dependencies.assets.folders()
        let tags = try await dependencies.assets.tags()
        var folderOptions = [option("", t.t("assets.all_folders"), filter.folder == nil)]
        folderOptions += folders.map { option($0.value, t.t("assets.facet", ["name": $0.value, "count": String($0.count)]), $0.value == filter.folder) }
        if let folder = filter.folder, !folders.contains(where: { $0.value == folder }) { folderOptions.append(option(folder, folder, true)) }
        var tagOptions = [option("", t.t("assets.all_tags"), filter.tag == nil)]
        tagOptions += tags.map { option($0.value, t.t("assets.facet", ["name": $0.value, "count": String($0.count)]), $0.value == filter.tag) }
        let model = ListPage(
            cards: page.items.map { card($0, today: today, t) },
            query: request.query("q") ?? "",
            folderOptions: folderOptions,
            kindOptions: [option("", t.t("assets.all_kinds"), filter.kind == nil)]
                + AssetKind.allCases.map { option($0.rawValue, t.t("asset.kind_\($0.rawValue)"), $0 == filter.kind) },
            tagOptions: tagOptions,
            pagination: Pagination(request, page: page, localizer: t),
            expiring: expiring.map { asset in
                let days = today.days(until: asset.licenceExpiresOn ?? today)
                return ExpiringRow(href: ContentPath.asset(.value(asset.id)).path, name: asset.name, date: t.t("assets.ends_on", ["date": Self.formatDay(asset.licenceExpiresOn ?? today, t)]),
                                   remaining: days == 0 ? t.t("assets.expires_today") : t.t("assets.days_left", ["count": String(days)]))
            },
            hasExpiring: !expiring.isEmpty,
            hasCards: !page.items.isEmpty,
            expiringTitle: t.t("assets.expiring_title", ["days": String(Self.expiryWarningDays)]),
            expiredCount: expired,
            expiredNote: expired > 0 ? t.t("assets.expired_note", ["count": String(expired)]) : nil,
            canUpload: identity.permissions.contains(.contentWrite),
            filtered: filter != AssetFilter(),
            uploadHref: ContentPath.assetUpload.query(["folder": filter.folder ?? ""])
        )
        return pages.render(.assets, title: t.t("assets.title"), page: model, request: request, context: context)
    }

    private func card(_ asset: Asset, today: LocalDate, _ t: Localizer) -> AssetCard {
        AssetCard(id: asset.id, href: ContentPath.asset(.value(asset.id)).path, fileURL: ContentPath.assetFile(.value(asset.id)).path, name: asset.name, kind: t.t("asset.kind_\(asset.kind.rawValue)"), kindKey: asset.kind.rawValue,
                  format: asset.format.primaryExtension.uppercased(), size: Self.formatSize(asset.byteSize),
                  dimensions: dimensions(asset), folder: asset.folder.isEmpty ? nil : t.t("assets.in_folder", ["folder": asset.folder]), tags: asset.tags,
                  preview: asset.format.isPreviewableImage, licence: licenceMarker(asset, today: today, t), hasTags: !asset.tags.isEmpty)
    }

    private func dimensions(_ asset: Asset) -> String? {
        guard let width = asset.width, let height = asset.height else { return nil }
        return "\(width) × \(height)"
    }

    private func licenceMarker(_ asset: Asset, today: LocalDate, _ t: Localizer) -> Marker? {
        guard let expiry = asset.licenceExpiresOn else { return nil }
        switch asset.licenceStatus(on: today, warningDays: Self.expiryWarningDays) {
        case .expired:
            return Marker(key: "expired", label: t.t("assets.licence_expired_on", ["date": Self.formatDay(expiry, t)]))
        case .expiring:
            return Marker(key: "expiring", label: t.t("assets.licence_expiring_on", ["date": Self.formatDay(expiry, t)]))
        case .valid, .unlimited:
            return nil
        }
    }

    private func uploadPage(values: [String: String], errors: FormErrors, _ request: Request, _ context: AppRequestContext,
                            status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let accept = FileFormat.allCases.flatMap(\.extensions).map { "." + $0 }.joined(separator: ",")
        let model = UploadPage(values: values, errors: errors.messages, summary: errors.summary,
                               fileHelp: t.t("assets.file_help", ["max": Self.formatSize(service.maxBytes)]),
                               accept: accept, folders: try await dependencies.assets.folders().map(\.value))
        return pages.render(.assetUpload, title: t.t("assets.upload_title"), page: model, request: request, context: context, status: status)
    }

    private func detailPage(_ asset: Asset, values: [String: String], errors: FormErrors, _ request: Request, _ context: AppRequestContext, _ identity: Identity,
                            status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let today = try await service.today()
        var facts = [
            Fact(label: t.t("assets.fact_format"), value: "\(asset.format.primaryExtension.uppercased()) · \(asset.mimeType)"),
            Fact(label: t.t("assets.fact_size"), value: Self.formatSize(asset.byteSize)),
        ]
        if let dimensions = dimensions(asset) { facts.append(Fact(label: t.t("assets.fact_dimensions"), value: dimensions)) }
        facts.append(Fact(label: t.t("assets.fact_uploaded"), value: t.t("assets.uploaded_by", ["name": asset.uploadedByName, "when": t.dateTime(asset.createdAt)])))
        facts.append(Fact(label: t.t("assets.fact_licence"), value: asset.licenceExpiresOn.map { Self.formatDay($0, t) } ?? t.t("assets.licence_unlimited")))
        facts.append(Fact(label: "SHA-256", value: String(asset.sha256.prefix(16)) + "…"))
        let showHistory = identity.permissions.contains(.auditView)
        let usage = try await dependencies.assets.usage(assetID: asset.id).map { UsageRow(href: ContentPath.item(.value($0.contentID)).path, title: $0.title) }
        let history = showHistory
            ? try await dependencies.team.auditLog(AuditFilter(entityType: AuditEntity.asset.rawValue, entityID: asset.id), page: PageRequest(page: 1, perPage: 10)).items
            : []
        let auditLabels = try await AuditLabels.load(t, team: dependencies.team)
        let model = DetailPage(
            id: asset.id, action: ContentPath.asset(.value(asset.id)).path, name: asset.name, kind: t.t("asset.kind_\(asset.kind.rawValue)"), kindKey: asset.kind.rawValue,
            fileURL: Asset.filePath(id: asset.id), downloadURL: Asset.filePath(id: asset.id) + "?download=1", embedPath: Asset.filePath(id: asset.id),
            isImage: asset.format.isPreviewableImage, isVideo: asset.kind == .video, isAudio: asset.kind == .audio, isPDF: asset.format == .pdf,
            facts: facts,
            folder: asset.folder.isEmpty ? nil : asset.folder,
            folderHref: asset.folder.isEmpty ? nil : ContentPath.assets.query(["folder": asset.folder]),
            tags: asset.tags.map { TagLink(name: $0, href: ContentPath.assets.query(["tag": $0])) },
            hasTags: !asset.tags.isEmpty,
            licence: licenceMarker(asset, today: today, t),
            licenceExpired: asset.licenceStatus(on: today, warningDays: Self.expiryWarningDays) == .expired,
            rightsNote: asset.rightsNote.isEmpty ? nil : asset.rightsNote,
            usage: usage,
            hasUsage: !usage.isEmpty,
            values: values, errors: errors.messages, summary: errors.summary,
            canEdit: identity.permissions.contains(.contentWrite),
            folders: try await dependencies.assets.folders().map(\.value),
            history: history.map { AuditRow($0, labels: auditLabels) },
            showHistory: showHistory
        )
        return pages.render(.assetDetail, title: asset.name, page: model, request: request, context: context, status: status)
    }

    // MARK: Formats

    /// "1.5 MB", "200 MB", "320 KB", "12 B": binary units, one decimal from MB up when it is not whole.
    static func formatSize(_ bytes: Int64) -> String {
        let units = ["KB", "MB", "GB", "TB"]
        guard bytes >= 1024 else { return "\(bytes) B" }
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 || value.rounded() == value { return "\(Int(value.rounded())) \(units[unit])" }
        return String(format: "%.1f", value) + " " + units[unit]
    }

    /// "2026年3月31日" / "31 Mar 2026".
    static func formatDay(_ day: LocalDate, _ t: Localizer) -> String {
        switch t.locale {
        case .zhHans: return "\(day.year)年\(day.month)月\(day.day)日"
        case .en:
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            return "\(day.day) \(months[day.month - 1]) \(day.year)"
        }
    }
}
