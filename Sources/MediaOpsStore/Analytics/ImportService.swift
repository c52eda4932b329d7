import Crypto
import Foundation
import MediaOpsDomain
import SQLKit

/// A file read and checked against its columns: what the preview page, the
/// API and `mediaops import --dry-run` show, and what committing writes.
public struct ImportPreview: Sendable {
    public var record: MetricImport
    /// The sheets of the workbook (one unnamed sheet for a CSV).
    public var sheets: [String]
    public var headers: [String]
    /// The first rows below the header, as written.
    public var sampleRows: [[String]]
    /// The rows read against the columns; nil while the columns describe no
    /// importable file (`mappingProblem` says why).
    public var rows: ExportRows?
    public var mappingProblem: ImportMappingProblem?
    /// The columns came from a mapping a person gave a file with the same header.
    public var mappingRemembered: Bool
    /// An earlier committed import of the same bytes into the same account.
    public var earlier: MetricImport?

    public var canCommit: Bool {
        record.state == .previewed && mappingProblem == nil && (rows?.errors.isEmpty ?? false) && (rows?.rowCount ?? 0) > 0
    }
}

/// Imports of back-office export files: upload → preview (format, header row,
/// columns, first rows, every row error) → commit, all or nothing in one
/// transaction. Values keep the import as their provenance; the same file
/// imported again changes nothing; posts are matched to known ones by the
/// platform's id, their address, or their title and publish day.
public struct ImportService: Sendable {
    public let database: Database
    public let queue: JobQueue
    /// Files with more data rows than this commit as a job (progress on the
    /// import's page, the result as a notification); smaller ones at once.
    public let inlineRowLimit: Int
    public static let maxBytes = 50 * 1_024 * 1_024

    let alerts: AlertService

    public init(database: Database, inlineRowLimit: Int = 2_000) {
        self.database = database
        self.queue = JobQueue(database: database)
        self.alerts = AlertService(database: database)
        self.inlineRowLimit = inlineRowLimit
    }

    public enum Problem: String, Error, Sendable, CaseIterable {
        case hasRowErrors = "import_has_row_errors"
        case nothingToImport = "import_nothing_to_import"
        case notPreviewed = "import_not_previewed"
        case unknownSheet = "import_unknown_sheet"
        case unknownColumnRole = "import_unknown_column_role"
        case tooLarge = "import_too_large"
    }

    // MARK: Reading a file

    /// What a file holds, read without writing anything.
    public struct Reading: Sendable {
        public var file: ExportFileReader.File
        public var sheetIndex: Int
        public var layout: ExportLayout?
        public var headerRow: Int
        public var columns: [Int: ExportColumn]
        public var remembered: Bool
    }

    /// Reads `data` and finds its columns: the layout forced by `layout`, else
    /// the one its headers show, else a mapping remembered for its header
    /// row, else none (every column kept, for a person to map).
    public func read(_ data: Data, sheet: String? = nil, layout forced: ExportLayout? = nil) async throws -> Reading {
        guard data.count <= Self.maxBytes else { throw ValidationError(field: "file", code: Problem.tooLarge.rawValue, params: ["max": "50 MB"]) }
        let file: ExportFileReader.File
        do {
            file = try ExportFileReader.read(data)
        } catch let problem as ExportFileReader.Problem {
            throw ValidationError(field: "file", code: problem.rawValue)
        } catch let problem as XLSXReader.Problem {
            throw ValidationError(field: "file", code: problem.rawValue)
        }
        var candidates = Array(file.sheets.indices)
        if let sheet, !sheet.isEmpty {
            guard let index = file.sheets.firstIndex(where: { $0.name == sheet }) else {
                throw ValidationError(field: "sheet", code: Problem.unknownSheet.rawValue, params: ["sheet": sheet])
            }
            candidates = [index]
        }
        // The first sheet a known layout explains, else the first sheet.
        for index in candidates {
            let rows = file.sheets[index].rows
            if let forced {
                if let found = RecognizedExport.recognise(rows, among: [forced]) {
                    return Reading(file: file, sheetIndex: index, layout: forced, headerRow: found.headerRow, columns: found.columns, remembered: false)
                }
            } else if let found = RecognizedExport.recognise(rows) {
                return Reading(file: file, sheetIndex: index, layout: found.layout, headerRow: found.headerRow, columns: found.columns, remembered: false)
            }
        }
        let index = candidates[0]
        let rows = file.sheets[index].rows
        let headerRow = Self.likelyHeaderRow(rows)
        let headers = headerRow < rows.count ? rows[headerRow] : []
        if let remembered = try await MetricImportRepository(database.sql).mapping(headerKey: Self.headerKey(headers)) {
            return Reading(file: file, sheetIndex: index, layout: nil, headerRow: headerRow,
                           columns: MetricImport.decode(remembered, headers: headers), remembered: true)
        }
        return Reading(file: file, sheetIndex: index, layout: nil, headerRow: headerRow,
                       columns: MetricImport.decode("{}", headers: headers), remembered: false)
    }

    /// The first of the top rows with as many filled cells as the widest of them
    /// (banners above a header fill one or two cells).
    static func likelyHeaderRow(_ rows: [[String]]) -> Int {
        let top = rows.prefix(RecognizedExport.rowsSearched)
        let filled = top.map { $0.filter { !ExportCell.clean($0).isEmpty }.count }
        guard let widest = filled.max(), widest > 0 else { return 0 }
        return filled.firstIndex(where: { $0 * 10 >= widest * 8 }) ?? 0
    }

    /// A header row as remembered: its normalised cells, hashed.
    static func headerKey(_ headers: [String]) -> String {
        let text = headers.map(ExportLayout.normalised).joined(separator: "\u{1F}")
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    /// The preview of a reading, without storing anything (`--dry-run`).
    public func preview(of reading: Reading, record: MetricImport, earlier: MetricImport?) -> ImportPreview {
        let rows = reading.file.sheets[reading.sheetIndex].rows
        let headers = reading.headerRow < rows.count ? rows[reading.headerRow] : []
        var result = ImportPreview(record: record, sheets: reading.file.sheets.map(\.name), headers: headers,
                                   sampleRows: Array(rows.dropFirst(reading.headerRow + 1).prefix(8)), rows: nil, mappingProblem: nil,
                                   mappingRemembered: reading.remembered, earlier: earlier)
        switch ExportRows.read(rows, headerRow: reading.headerRow, columns: reading.columns) {
        case .success(let read):
            result.rows = read
            result.record.rowCount = read.rowCount
            result.record.errorCount = read.errors.count
        case .failure(let problem):
            result.mappingProblem = problem
        }
        return result
    }

    // MARK: Upload, map, commit

    /// Reads an uploaded file for `accountID` and keeps it as a previewed import.
    public func upload(_ principal: Principal, accountID: String, filename: String, data: Data, sheet: String? = nil,
                       layout: ExportLayout? = nil) async throws -> ImportPreview {
        guard let account = try await AccountRepository(database.sql).find(id: accountID) else {
            throw ValidationError(field: "account_id", code: "unknown_account")
        }
        let reading = try await read(data, sheet: sheet, layout: layout)
        let now = database.now()
        let digest = Self.sha256(data)
        let imports = MetricImportRepository(database.sql)
        let earlier = try await imports.latestCommitted(accountID: account.id, contentSHA256: digest)
        let sheetName = reading.file.sheets[reading.sheetIndex].name
        let name = String(filename.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
        var record = MetricImport(id: Identifier.makeOrdered("imp"), accountID: account.id, filename: name.isEmpty ? "upload" : name,
                                  contentSHA256: digest, byteSize: data.count, fileFormat: reading.file.format.key, sheet: sheetName,
                                  layout: reading.layout, headerRow: reading.headerRow, columns: reading.columns, state: .previewed,
                                  rowCount: 0, errorCount: 0, dataAsOf: earlier?.dataAsOf ?? now, createdBy: principal.memberID, createdAt: now)
        let preview = preview(of: reading, record: record, earlier: earlier)
        record = preview.record
        let stored = record
        RecentPreviews.shared.keep(preview, for: record)
        try await database.transaction { db in
            let repository = MetricImportRepository(db)
            try await repository.insert(stored)
            try await repository.saveFile(importID: stored.id, data: data)
        }
        return preview
    }

    /// The stored import read again with its columns (from this process's
    /// recent previews when nothing about the reading changed since).
    public func preview(id: String) async throws -> ImportPreview {
        let imports = MetricImportRepository(database.sql)
        guard let record = try await imports.find(id: id) else { throw NotFoundError(entity: "import") }
        if var cached = RecentPreviews.shared.preview(for: record) {
            let earlier = try await imports.latestCommitted(accountID: record.accountID, contentSHA256: record.contentSHA256)
            cached.earlier = earlier.flatMap { $0.id == record.id ? nil : $0 }
            let rowCount = cached.record.rowCount, errorCount = cached.record.errorCount
            cached.record = record
            if record.state == .previewed { (cached.record.rowCount, cached.record.errorCount) = (rowCount, errorCount) }
            return cached
        }
        guard let data = try await imports.file(importID: id) else { throw NotFoundError(entity: "import") }
        let file: ExportFileReader.File
        do { file = try ExportFileReader.read(data) } catch { throw ValidationError(field: "file", code: "import_unreadable_text") }
        let index = file.sheets.firstIndex(where: { $0.name == record.sheet }) ?? 0
        let rows = file.sheets[index].rows
        let headers = record.headerRow < rows.count ? rows[record.headerRow] : []
        let columns = MetricImport.decode(MetricImport.encode(record.columns), headers: headers)
        let reading = Reading(file: file, sheetIndex: index, layout: record.layout, headerRow: record.headerRow, columns: columns, remembered: false)
        let earlier = try await imports.latestCommitted(accountID: record.accountID, contentSHA256: record.contentSHA256)
        var result = preview(of: reading, record: record, earlier: earlier.flatMap { $0.id == record.id ? nil : $0 })
        RecentPreviews.shared.keep(result, for: record)
        result.record.rowCount = record.state == .previewed ? result.record.rowCount : record.rowCount
        return result
    }

    /// Gives a previewed import's columns by hand (column index → role key:
    /// `metric:reads`, `day`, `title`, `published_at`, `url`, `post_id`,
    /// `ignore`) and remembers them for files with the same header row.
    public func map(_ principal: Principal, id: String, columns keys: [Int: String], remember: Bool = true) async throws -> ImportPreview {
        let current = try await preview(id: id)
        guard current.record.state == .previewed else { throw ConflictError(code: Problem.notPreviewed.rawValue) }
        var columns: [Int: ExportColumn] = [:]
        var problems: [ValidationError] = []
        for (index, header) in current.headers.enumerated() where !header.trimmingCharacters(in: .whitespaces).isEmpty {
            columns[index] = .kept(ExportLayout.normalised(header))
        }
        for (index, key) in keys.sorted(by: { $0.key < $1.key }) {
            guard index >= 0, index < max(current.headers.count, 1), let role = ExportColumn(key: key, header: current.headers[index]) else {
                problems.append(ValidationError(field: "columns.\(index)", code: Problem.unknownColumnRole.rawValue, params: ["value": String(key.prefix(40))]))
                continue
            }
            if case .kept = role {} else if columns.contains(where: { $0.key != index && $0.value == role }) {
                problems.append(ValidationError(field: "columns.\(index)", code: "import_column_role_twice", params: ["value": key]))
                continue
            }
            columns[index] = role
        }
        if problems.count == 1 { throw problems[0] }
        if !problems.isEmpty { throw ValidationErrors(problems) }
        let now = database.now()
        var record = current.record
        record.columns = columns
        record.layout = nil
        let headers = current.headers
        let chosen = columns
        try await database.transaction { db in
            let repository = MetricImportRepository(db)
            try await repository.updateColumns(id: id, columns: chosen)
            if remember {
                try await repository.saveMapping(headerKey: Self.headerKey(headers), headers: headers, columns: MetricImport.encode(chosen),
                                                 by: principal.memberID, at: now)
            }
        }
        return try await preview(id: id)
    }

    /// Commits a previewed import without row errors: at once for a small
    /// file, as a job for a large one (the import is then `queued`).
    public func commit(_ principal: Principal, id: String) async throws -> MetricImport {
        let current = try await preview(id: id)
        guard current.record.state == .previewed else { throw ConflictError(code: Problem.notPreviewed.rawValue) }
        if let problem = current.mappingProblem { throw ValidationError(field: "columns", code: problem.rawValue) }
        guard let rows = current.rows else { throw ValidationError(field: "columns", code: ImportMappingProblem.needsDayOrPost.rawValue) }
        guard rows.errors.isEmpty else {
            throw ValidationError(field: "rows", code: Problem.hasRowErrors.rawValue, params: ["count": String(rows.errors.count)])
        }
        guard rows.rowCount > 0 else { throw ValidationError(field: "rows", code: Problem.nothingToImport.rawValue) }
        try await Audit.record(database.sql, principal, .create, .metricImport, id, label: current.record.filename,
                               changes: ["rows": ["", String(rows.rowCount)], "account_id": ["", current.record.accountID]])
        if rows.rowCount > inlineRowLimit {
            let claimed = try await database.transaction { db -> Bool in
                guard try await MetricImportRepository(db).transition(id: id, from: .previewed, to: .queued) else { return false }
                _ = try await queue.enqueue(kind: .metricImport, payload: id, idempotencyKey: "import:\(id)", maxAttempts: 3, on: db)
                return true
            }
            guard claimed else { throw ConflictError(code: Problem.notPreviewed.rawValue) }
            return try await MetricImportRepository(database.sql).find(id: id) ?? current.record
        }
        guard try await MetricImportRepository(database.sql).transition(id: id, from: .previewed, to: .running) else {
            throw ConflictError(code: Problem.notPreviewed.rawValue)
        }
        return try await write(id: id, rows: rows, record: current.record, notify: false)
    }

    /// Runs a queued import (the worker's job); the uploader is notified of the result.
    public func runQueued(id: String) async throws -> MetricImport? {
        let imports = MetricImportRepository(database.sql)
        guard let record = try await imports.find(id: id) else { return nil }
        if record.state == .committed || record.state == .failed { return record }
        // A worker that died mid-write left it running: the write was one transaction, so nothing of it is stored.
        guard record.state == .queued || record.state == .running else { return record }
        _ = try await imports.transition(id: id, from: .queued, to: .running)
        let current = try await preview(id: id)
        guard let rows = current.rows, rows.errors.isEmpty else {
            try await imports.fail(id: id, reason: Problem.hasRowErrors.rawValue)
            return try await imports.find(id: id)
        }
        return try await write(id: id, rows: rows, record: current.record, notify: true)
    }

    /// Writes every row in one transaction; a failure leaves nothing but the reason.
    func write(id: String, rows: ExportRows, record: MetricImport, notify: Bool) async throws -> MetricImport {
        let now = database.now()
        let zone = try await WorkspaceRepository(database.sql).get().flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(identifier: "Asia/Shanghai")!
        let provenance = MetricProvenance(source: .fileImport, importID: id, capturedAt: record.dataAsOf)
        // Every value is checked before the transaction opens: a refused file writes nothing and says why.
        let days = try rows.days.map { ($0.day, try MetricService.check($0.values)) }
        let posts = try rows.posts.map { ($0, try MetricService.check($0.values)) }
        let total = rows.rowCount
        let database = self.database
        let report: @Sendable (Int) async -> Void = { written in
            ImportProgress.shared.report(importID: id, written: written, total: total)
            // Another connection, outside the import's transaction (SQLite has one writer, and one process to read the memory).
            // Best effort: a count that cannot be kept leaves the bar where it was, never the import.
            if database.kind == .postgresql { try? await MetricImportRepository(database.sql).setRowsWritten(id: id, rows: min(written, total)) }
        }
        await report(0)
        defer { ImportProgress.shared.finish(importID: id) }
        do {
            try await database.transaction { db in
                let metrics = MetricRepository(db)
                var summary = MetricWriteSummary()
                // Days the store has nothing for go in many rows a statement; the others are compared value by value.
                if let first = days.map(\.0).min(), let last = days.map(\.0).max() {
                    let stored = try await metrics.daily(accountID: record.accountID, from: first, to: last)
                    var fresh: [MetricRepository.DailyRow] = []
                    for (day, values) in days {
                        if stored[day] == nil {
                            fresh += values.map { MetricRepository.DailyRow(accountID: record.accountID, day: day, key: $0.key, value: $0.value) }
                            summary.inserted += values.count
                        } else {
                            summary = summary + (try await metrics.recordDaily(accountID: record.accountID, day: day, values: values, provenance: provenance, now: now))
                        }
                    }
                    try await metrics.insertGenerated(daily: fresh, provenance: provenance)
                }
                await report(days.count)
                // Posts: found in one read of the account's posts, new ones written together with their first snapshot.
                var index = PostIndex(try await metrics.posts(accountID: record.accountID, limit: Int.max), zone: zone)
                var instants = LocalInstants(zone: zone)
                var newPosts: [AnalyticsPost] = []
                var snapshots: [MetricRepository.SnapshotRow] = []
                var matched: [(post: AnalyticsPost, values: [MetricKey: Double])] = []
                for (row, values) in posts {
                    if let found = index.find(row) {
                        matched.append((found, values))
                        continue
                    }
                    let key = row.platformPostID ?? row.url.flatMap(ImportedPostIdentity.platformID(fromURL:))
                        ?? ImportedPostIdentity.fallbackID(title: row.title, publishedAt: row.publishedAt)
                    let published = row.publishedAt.flatMap { instants.instant($0) }
                    // Ordered ids: a file's new posts and their snapshots go in at the end of their
                    // indexes instead of at random places in them.
                    let post = AnalyticsPost(id: Identifier.makeOrdered("pst"), accountID: record.accountID, platformPostID: key, targetID: nil, title: row.title,
                                             url: row.url, publishedAt: published, origin: .external)
                    newPosts.append(post)
                    index.add(post, day: row.publishedAt?.date)
                    let hours = published.map { record.dataAsOf.timeIntervalSince($0) / 3_600 }
                    snapshots.append(MetricRepository.SnapshotRow(postID: post.id, capturedAt: record.dataAsOf, hoursSincePublish: hours, values: values))
                    summary.inserted += values.count
                }
                // Posts already known are compared and, where changed, written; then the new ones,
                // each counted as written half with its row and half with its snapshot.
                let known = days.count
                summary = summary + (try await metrics.recordSnapshots(matched, provenance: provenance, now: now) { done in await report(known + done) })
                let before = days.count + matched.count, created = newPosts.count
                await report(before)
                try await metrics.insertGenerated(posts: newPosts, now: now) { written in await report(before + written / 2) }
                try await metrics.insertGenerated(snapshots: snapshots, provenance: provenance) { written in await report(before + created / 2 + written / 2) }
                await report(total)
                try await MetricImportRepository(db).finish(id: id, summary: summary, postsCreated: newPosts.count, postsMatched: matched.count,
                                                            rowCount: rows.rowCount, at: now)
                if notify, let member = record.createdBy {
                    try await NotificationRepository(db).add(userID: member, kind: "import_done", title: record.filename,
                                                             body: "\(rows.rowCount)", link: "/analytics/imports/\(id)")
                }
            }
        } catch {
            let reason = (error as? ValidationError)?.code ?? (error as? ValidationErrors)?.errors.first?.code ?? "import_write_failed"
            try await MetricImportRepository(database.sql).fail(id: id, reason: reason)
            if notify, let member = record.createdBy {
                try? await NotificationRepository(database.sql).add(userID: member, kind: "import_failed", title: record.filename, body: reason,
                                                                   link: "/analytics/imports/\(id)", detail: reason)
            }
            throw error
        }
        // The alert rules judge the file's latest day (best effort, after the commit; see MetricPullService.evaluateAlerts).
        await alerts.judgeNewNumbers(accountIDs: [record.accountID], through: days.map(\.0).max(), now: now, after: "import \(id)")
        return try await MetricImportRepository(database.sql).find(id: id) ?? record
    }

    /// An account's posts by the keys a file row can name: the platform's id,
    /// the address, and title with publish day in the workspace zone. Keys are
    /// compared by their bytes (`ExactText`) and point into one array of posts.
    struct PostIndex {
        private(set) var posts: [AnalyticsPost] = []
        var byPlatformID: [ExactText: Int] = [:]
        var byURL: [ExactText: Int] = [:]
        var byTitleDay: [ExactText: Int] = [:]
        let zone: TimeZone

        init(_ posts: [AnalyticsPost], zone: TimeZone) {
            self.zone = zone
            // Oldest first, so the first post stored under a key keeps it.
            for post in posts.reversed() { add(post, day: post.publishedAt.map { LocalDate($0, timeZone: zone) }) }
        }

        func titleKey(_ title: String, _ day: LocalDate) -> ExactText { ExactText(title + "\u{1F}" + day.description) }

        /// Adds a post; `day` is its publish day in the workspace zone (a file row knows it without converting).
        mutating func add(_ post: AnalyticsPost, day: LocalDate?) {
            let position = posts.count
            posts.append(post)
            let id = ExactText(post.platformPostID)
            if byPlatformID[id] == nil { byPlatformID[id] = position }
            if let url = post.url.map(ExactText.init), byURL[url] == nil { byURL[url] = position }
            if !post.title.isEmpty, let day {
                let key = titleKey(post.title, day)
                if byTitleDay[key] == nil { byTitleDay[key] = position }
            }
        }

        /// By the platform's id, then the address (or the id the address carries), then title and publish day.
        func find(_ row: ImportedPost) -> AnalyticsPost? {
            if let id = row.platformPostID, let found = byPlatformID[ExactText(id)] { return posts[found] }
            if let url = row.url {
                if let found = byURL[ExactText(url)] { return posts[found] }
                if let key = ImportedPostIdentity.platformID(fromURL: url), let found = byPlatformID[ExactText(key)] { return posts[found] }
            }
            if !row.title.isEmpty, let moment = row.publishedAt,
               let found = byTitleDay[titleKey(row.title, moment.date)] {
                return posts[found]
            }
            return byPlatformID[ExactText(ImportedPostIdentity.fallbackID(title: row.title, publishedAt: row.publishedAt))].map { posts[$0] }
        }
    }

    // MARK: Reads

    /// How far a running import has written: rows written of all its rows; nil
    /// when none is known (queued, or written by a process this one cannot see).
    public func progress(of record: MetricImport) async throws -> (written: Int, total: Int)? {
        guard record.state == .running else { return nil }
        if let known = ImportProgress.shared.current(importID: record.id) { return known }
        guard database.kind == .postgresql, record.rowCount > 0,
              let written = try await MetricImportRepository(database.sql).rowsWritten(id: record.id) else { return nil }
        return (min(written, record.rowCount), record.rowCount)
    }

    public func list(accountID: String? = nil, page: PageRequest) async throws -> Page<MetricImport> {
        try await MetricImportRepository(database.sql).list(accountID: accountID, page: page)
    }

    public func find(id: String) async throws -> MetricImport? {
        try await MetricImportRepository(database.sql).find(id: id)
    }
}

/// The last few previews this process read, so committing right after
/// previewing (the page's and the command line's order) does not read and
/// check a large file a second time. Keyed by everything the reading depends
/// on: the bytes, the sheet, the header row and the columns.
final class RecentPreviews: @unchecked Sendable {
    static let shared = RecentPreviews()
    private let lock = NSLock()
    private var entries: [(key: String, preview: ImportPreview)] = []

    static func key(_ record: MetricImport) -> String {
        [record.id, record.contentSHA256, record.sheet, String(record.headerRow), MetricImport.encode(record.columns)].joined(separator: "\u{1F}")
    }

    func preview(for record: MetricImport) -> ImportPreview? {
        let key = Self.key(record)
        return lock.withLock { entries.first { $0.key == key }?.preview }
    }

    func keep(_ preview: ImportPreview, for record: MetricImport) {
        let key = Self.key(record)
        lock.withLock {
            entries.removeAll { $0.key == key }
            entries.insert((key, preview), at: 0)
            if entries.count > 3 { entries.removeLast() }
        }
    }
}
