import Foundation
import SQLKit

/// Many rows written by one statement with one bound value: the rows as a
/// JSON array of arrays, expanded by the database itself (SQLite's
/// `json_each`, PostgreSQL's `json_array_elements`). A multi-row `VALUES`
/// list binds every cell, and at hundreds of thousands of rows converting
/// and handing over the binds costs more than the database's own work; one
/// text per few thousand rows is parsed in C. Values that are the same for
/// every row (a provenance, a time) are bound once beside it.
struct BulkRows {
    enum ColumnType {
        case text, integer, double
        /// A JSON object stored as its text (a snapshot's values).
        case jsonText
    }

    struct Column {
        var name: String
        var type: ColumnType
    }

    let columns: [Column]
    private(set) var json = "["
    private(set) var count = 0
    private var cell = 0

    init(_ columns: [Column]) { self.columns = columns }

    /// Rows per statement: a few hundred kilobytes of text, far from either database's limits.
    static let rowsPerStatement = 5_000

    mutating func beginRow() {
        json += count == 0 ? "[" : ",["
        count += 1
        cell = 0
    }

    mutating func endRow() {
        precondition(cell == columns.count, "a bulk row has one value per column")
        json += "]"
    }

    private mutating func separate() {
        if cell > 0 { json += "," }
        cell += 1
    }

    mutating func text(_ value: String?) {
        separate()
        guard let value else { json += "null"; return }
        Self.appendString(value, to: &json)
    }

    mutating func integer(_ value: Int64?) {
        separate()
        json += value.map { String($0) } ?? "null"
    }

    mutating func double(_ value: Double?) {
        separate()
        guard let value, value.isFinite else { json += "null"; return }
        json += Self.number(value)
    }

    /// A JSON object written by the caller (already valid JSON text).
    mutating func jsonText(_ object: String) {
        separate()
        json += object
    }

    /// Whole numbers below 2^53 as integers (exact either way), others in
    /// Swift's shortest round-trip form, which is valid JSON.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return "\(value)"
    }

    static func appendString(_ value: String, to out: inout String) {
        out += "\""
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += value
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// `INSERT INTO table (columns…, constants…) SELECT <each row's cells>, <constants> FROM <the rows>`
    /// followed by `tail` (an `ON CONFLICT` clause); nothing is run for no rows.
    func insert(into table: String, constants: [(column: String, value: SQLQueryString)] = [], tail: String, on db: any SQLDatabase) async throws {
        guard count > 0 else { return }
        let names = (columns.map(\.name) + constants.map(\.column)).joined(separator: ", ")
        var cells: [SQLQueryString] = []
        let postgres = db.databaseKind == .postgresql
        for (index, column) in columns.enumerated() {
            let position = String(index)
            if postgres {
                switch column.type {
                case .text: cells.append("(e.value ->> \(unsafeRaw: position))")
                case .integer: cells.append("(e.value ->> \(unsafeRaw: position))::bigint")
                case .double: cells.append("(e.value ->> \(unsafeRaw: position))::double precision")
                case .jsonText: cells.append("(e.value -> \(unsafeRaw: position))::text")
                }
            } else {
                // SQLite: ->> gives the SQL value (text, integer or real), -> the JSON text of an object.
                cells.append(column.type == .jsonText ? "(e.value -> \(unsafeRaw: position))" : "(e.value ->> \(unsafeRaw: position))")
            }
        }
        cells += constants.map(\.value)
        let source: SQLQueryString = postgres ? "json_array_elements(\(bind: json + "]")::json) AS e(value)" : "json_each(\(bind: json + "]")) AS e"
        // `WHERE true` keeps SQLite from reading the ON CONFLICT as a join's ON.
        try await db.raw("INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: names)) SELECT " + cells.joined(separator: ", ") + " FROM " + source
                         + " WHERE true \(unsafeRaw: tail)").run()
    }

    /// Writes `items` in statements of `rowsPerStatement` rows, each item one row;
    /// `progress` hears the rows written so far after each statement.
    static func insert<Item>(_ items: some Collection<Item>, columns: [Column], into table: String, constants: [(column: String, value: SQLQueryString)] = [],
                             tail: String, on db: any SQLDatabase, progress: RowsWritten? = nil, row: (inout BulkRows, Item) -> Void) async throws {
        var batch = BulkRows(columns)
        var written = 0
        for item in items {
            batch.beginRow()
            row(&batch, item)
            batch.endRow()
            if batch.count == rowsPerStatement {
                try await batch.insert(into: table, constants: constants, tail: tail, on: db)
                written += batch.count
                try await progress?(written)
                batch = BulkRows(columns)
            }
        }
        guard batch.count > 0 else { return }
        try await batch.insert(into: table, constants: constants, tail: tail, on: db)
        try await progress?(written + batch.count)
    }

    /// Told the rows a bulk write has written so far.
    typealias RowsWritten = @Sendable (Int) async throws -> Void
}
