import Foundation
import MediaOpsDomain
import SQLKit

/// All SQL of imports: the import rows, their files and the remembered mappings.
public struct MetricImportRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    func insert(_ record: MetricImport) async throws {
        try await db.raw("""
            INSERT INTO metric_imports (id, account_id, filename, content_sha256, byte_size, file_format, sheet, layout, header_row, columns, state,
                row_count, error_count, data_as_of, created_by, created_at)
            VALUES (\(bind: record.id), \(bind: record.accountID), \(bind: record.filename), \(bind: record.contentSHA256), \(bind: record.byteSize),
                \(bind: record.fileFormat), \(bind: record.sheet), \(bind: record.layout?.rawValue), \(bind: record.headerRow),
                \(bind: MetricImport.encode(record.columns)), \(bind: record.state.rawValue), \(bind: record.rowCount), \(bind: record.errorCount),
                \(bind: record.dataAsOf.epochMilliseconds), \(bind: record.createdBy), \(bind: record.createdAt.epochMilliseconds))
            """).run()
    }

    func saveFile(importID: String, data: Data) async throws {
        try await db.raw("""
            INSERT INTO metric_import_files (import_id, body_base64) VALUES (\(bind: importID), \(bind: data.base64EncodedString()))
            """).run()
    }

    public func file(importID: String) async throws -> Data? {
        guard let row = try await db.raw("SELECT body_base64 FROM metric_import_files WHERE import_id = \(bind: importID)").first() else { return nil }
        return Data(base64Encoded: try row.string("body_base64"))
    }

    public func find(id: String) async throws -> MetricImport? {
        guard let row = try await db.raw("SELECT * FROM metric_imports WHERE id = \(bind: id)").first() else { return nil }
        return try Self.record(from: row)
    }

    /// The newest committed import of these bytes into this account.
    func latestCommitted(accountID: String, contentSHA256: String) async throws -> MetricImport? {
        try await db.raw("""
            SELECT * FROM metric_imports WHERE account_id = \(bind: accountID) AND content_sha256 = \(bind: contentSHA256)
                AND state = \(bind: MetricImport.State.committed.rawValue)
            ORDER BY committed_at DESC, id DESC LIMIT 1
            """).first().map(Self.record(from:))
    }

    public func list(accountID: String?, page: PageRequest) async throws -> Page<MetricImport> {
        var conditions: [SQLQueryString] = []
        if let accountID { conditions.append("account_id = \(bind: accountID)") }
        let filter = whereSQL(conditions)
        let total = try await db.raw("SELECT COUNT(*) AS n FROM metric_imports " + filter).first().map { try $0.int("n") } ?? 0
        let rows = try await db.raw("SELECT * FROM metric_imports " + filter + " ORDER BY created_at DESC, id DESC LIMIT \(bind: page.perPage) OFFSET \(bind: page.offset)").all()
        return Page(items: try rows.map(Self.record(from:)), total: total, page: page.page, perPage: page.perPage)
    }

    func updateColumns(id: String, columns: [Int: ExportColumn]) async throws {
        try await db.raw("""
            UPDATE metric_imports SET columns = \(bind: MetricImport.encode(columns)), layout = NULL WHERE id = \(bind: id) AND state = 'previewed'
            """).run()
    }

    /// Moves an import from one state to the next; false when another request moved it first.
    func transition(id: String, from: MetricImport.State, to: MetricImport.State) async throws -> Bool {
        let rows = try await db.raw("""
            UPDATE metric_imports SET state = \(bind: to.rawValue) WHERE id = \(bind: id) AND state = \(bind: from.rawValue) RETURNING id
            """).all()
        return !rows.isEmpty
    }

    func finish(id: String, summary: MetricWriteSummary, postsCreated: Int, postsMatched: Int, rowCount: Int, at now: Date) async throws {
        try await db.raw("""
            UPDATE metric_imports SET state = 'committed', values_inserted = \(bind: summary.inserted), values_changed = \(bind: summary.changed),
                values_unchanged = \(bind: summary.unchanged), posts_created = \(bind: postsCreated), posts_matched = \(bind: postsMatched),
                row_count = \(bind: rowCount), error_count = 0, failure = NULL, committed_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: id)
            """).run()
    }

    /// Rows a running import has written (PostgreSQL, outside its transaction; see `ImportProgress`).
    func setRowsWritten(id: String, rows: Int) async throws {
        try await db.raw("UPDATE metric_imports SET rows_written = \(bind: rows) WHERE id = \(bind: id) AND state = 'running'").run()
    }

    func rowsWritten(id: String) async throws -> Int? {
        try await db.raw("SELECT rows_written FROM metric_imports WHERE id = \(bind: id)").first().flatMap { try $0.optionalInt("rows_written") }
    }

    func fail(id: String, reason: String) async throws {
        try await db.raw("UPDATE metric_imports SET state = 'failed', failure = \(bind: reason) WHERE id = \(bind: id)").run()
    }

    // MARK: Remembered mappings

    func mapping(headerKey: String) async throws -> String? {
        try await db.raw("SELECT columns FROM metric_import_mappings WHERE header_key = \(bind: headerKey)").first().map { try $0.string("columns") }
    }

    func saveMapping(headerKey: String, headers: [String], columns: String, by memberID: String?, at now: Date) async throws {
        let headerText = String(decoding: (try? JSONSerialization.data(withJSONObject: headers)) ?? Data("[]".utf8), as: UTF8.self)
        try await db.raw("""
            INSERT INTO metric_import_mappings (header_key, headers, columns, updated_by, updated_at)
            VALUES (\(bind: headerKey), \(bind: headerText), \(bind: columns), \(bind: memberID), \(bind: now.epochMilliseconds))
            ON CONFLICT (header_key) DO UPDATE SET columns = excluded.columns, updated_by = excluded.updated_by, updated_at = excluded.updated_at
            """).run()
    }

    // MARK: Rows

    static func record(from row: any SQLRow) throws -> MetricImport {
        let layoutKey = try row.optionalString("layout")
        let layout = try layoutKey.map { key -> ExportLayout in
            guard let layout = ExportLayout(rawValue: key) else { throw UnreadableStoredValue(column: "layout", value: key) }
            return layout
        }
        // Kept columns are not stored; the preview restores them from the header.
        let columns = MetricImport.decode(try row.string("columns"), headers: [])
        return MetricImport(
            id: try row.string("id"), accountID: try row.string("account_id"), filename: try row.string("filename"),
            contentSHA256: try row.string("content_sha256"), byteSize: try row.int("byte_size"), fileFormat: try row.string("file_format"),
            sheet: try row.string("sheet"), layout: layout, headerRow: try row.int("header_row"), columns: columns,
            state: try row.value("state", as: MetricImport.State.self), rowCount: try row.int("row_count"), errorCount: try row.int("error_count"),
            summary: MetricWriteSummary(inserted: try row.int("values_inserted"), changed: try row.int("values_changed"), unchanged: try row.int("values_unchanged")),
            postsCreated: try row.int("posts_created"), postsMatched: try row.int("posts_matched"), dataAsOf: try row.date("data_as_of"),
            failure: try row.optionalString("failure"), createdBy: try row.optionalString("created_by"), createdAt: try row.date("created_at"),
            committedAt: try row.optionalDate("committed_at"))
    }
}
