import CSV
import Foundation
import MediaOpsDomain

/// Reads a back-office export file into rows of cells. CSV comes as UTF-8
/// with or without a byte-order mark, or as GB18030 (older Windows exports);
/// the encoding is decided from the bytes, never from the file name.
public enum ExportFileReader {
    public enum Problem: String, Error, Sendable, CaseIterable {
        /// Neither UTF-8 nor GB18030.
        case unreadableText = "import_unreadable_text"
        /// A legacy binary workbook (.xls): the user is asked to save it as .xlsx.
        case legacyWorkbook = "import_legacy_xls"
        case malformedCSV = "import_malformed_csv"
        case empty = "import_empty"
        /// More rows than any back-office export holds (the same bound as workbooks).
        case tooManyRows = "import_too_many_rows"
    }

    public enum Encoding: String, Sendable { case utf8, utf8WithBOM = "utf8_bom", gb18030 }

    /// GB18030 as Foundation names it (kCFStringEncodingGB_18030_2000 as an NSStringEncoding).
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// The text of a CSV file and the encoding it was in.
    public static func text(_ data: Data) throws -> (text: String, encoding: Encoding) {
        let bytes = [UInt8](data.prefix(8))
        // The OLE2 compound-file signature of .xls workbooks.
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { throw Problem.legacyWorkbook }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let text = String(data: data.dropFirst(3), encoding: .utf8) else { throw Problem.unreadableText }
            return (text, .utf8WithBOM)
        }
        if let text = String(data: data, encoding: .utf8) { return (text, .utf8) }
        if let text = String(data: data, encoding: gb18030), !text.contains("\u{FFFD}") { return (text, .gb18030) }
        throw Problem.unreadableText
    }

    /// The rows of a CSV file, trailing empty rows dropped; every row as long
    /// as the longest (a short row is padded with empty cells).
    public static func csvRows(_ data: Data) throws -> (rows: [[String]], encoding: Encoding) {
        let (text, encoding) = try text(data)
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: false)
        } catch {
            throw Problem.malformedCSV
        }
        var rows: [[String]] = []
        while let row = reader.next() {
            rows.append(row)
            if rows.count > XLSXReader.maxRows { throw Problem.tooManyRows }
        }
        if reader.error != nil { throw Problem.malformedCSV }
        while let last = rows.last, last.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { rows.removeLast() }
        guard !rows.isEmpty else { throw Problem.empty }
        let width = rows.map(\.count).max() ?? 0
        return (rows.map { $0.count < width ? $0 + Array(repeating: "", count: width - $0.count) : $0 }, encoding)
    }

    /// What a file turned out to be.
    public enum Format: Sendable, Equatable {
        case csv(Encoding)
        case xlsx

        public var key: String {
            switch self {
            case .csv(let encoding): "csv_\(encoding.rawValue)"
            case .xlsx: "xlsx"
            }
        }
    }

    /// A file read whole: its format and its sheets (a CSV is one sheet).
    public struct File: Sendable, Equatable {
        public var format: Format
        public var sheets: [XLSXReader.Sheet]
    }

    /// Reads a CSV or XLSX export, deciding which from the bytes.
    public static func read(_ data: Data) throws -> File {
        guard !data.isEmpty else { throw Problem.empty }
        if XLSXReader.isZip(data) {
            let sheets = try XLSXReader.sheets(data).filter { !$0.rows.isEmpty }
            guard !sheets.isEmpty else { throw Problem.empty }
            return File(format: .xlsx, sheets: sheets)
        }
        let (rows, encoding) = try csvRows(data)
        return File(format: .csv(encoding), sheets: [XLSXReader.Sheet(name: "", rows: rows)])
    }
}
