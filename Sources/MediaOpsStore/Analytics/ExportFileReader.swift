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

    /// The bytes of a CSV file as UTF-8 (GB18030 converted), without a
    /// byte-order mark, and the encoding it was in.
    public static func utf8(_ data: Data) throws -> (bytes: Data, encoding: Encoding) {
        let head = [UInt8](data.prefix(8))
        // The OLE2 compound-file signature of .xls workbooks.
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { throw Problem.legacyWorkbook }
        if head.starts(with: [0xEF, 0xBB, 0xBF]) {
            let body = data.dropFirst(3)
            guard isUTF8(body) else { throw Problem.unreadableText }
            return (Data(body), .utf8WithBOM)
        }
        if isUTF8(data) { return (data, .utf8) }
        if let text = String(data: data, encoding: gb18030), !text.contains("\u{FFFD}") { return (Data(text.utf8), .gb18030) }
        throw Problem.unreadableText
    }

    static func isUTF8(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var iterator = raw.bindMemory(to: UInt8.self).makeIterator()
            var decoder = UTF8()
            while true {
                switch decoder.decode(&iterator) {
                case .scalarValue: continue
                case .emptyInput: return true
                case .error: return false
                }
            }
        }
    }

    /// The rows of a CSV file, trailing empty rows dropped; every row as long
    /// as the longest (a short row is padded with empty cells).
    public static func csvRows(_ data: Data) throws -> (rows: [[String]], encoding: Encoding) {
        let (bytes, encoding) = try utf8(data)
        var rows = try bytes.withUnsafeBytes { raw in try parseCSV(raw.bindMemory(to: UInt8.self), maxRows: XLSXReader.maxRows) }
        while let last = rows.last, last.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { rows.removeLast() }
        guard !rows.isEmpty else { throw Problem.empty }
        let width = rows.map(\.count).max() ?? 0
        return (rows.map { $0.count < width ? $0 + Array(repeating: "", count: width - $0.count) : $0 }, encoding)
    }

    /// RFC 4180 fields from UTF-8 bytes: a field may be quoted, a quote inside
    /// one is doubled, and a quoted field may hold commas and line breaks;
    /// lines end in LF, CRLF or CR. Read byte by byte — the separators are
    /// ASCII, so a multi-byte character is never split — and each field made
    /// a string once. (This replaced a scalar-by-scalar reader that took most
    /// of a large import's time; see docs/PERFORMANCE.md.) Text after a
    /// closing quote, or a quote never closed, is a malformed file.
    static func parseCSV(_ bytes: UnsafeBufferPointer<UInt8>, maxRows: Int) throws -> [[String]] {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        let count = bytes.count
        var rows: [[String]] = []
        var row: [String] = []
        var scratch: [UInt8] = []
        var index = 0
        func string(_ start: Int, _ end: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        while index < count {
            // One field, starting at `index`.
            if bytes[index] == quote {
                scratch.removeAll(keepingCapacity: true)
                index += 1
                while true {
                    guard index < count else { throw Problem.malformedCSV }
                    let byte = bytes[index]
                    if byte == quote {
                        if index + 1 < count, bytes[index + 1] == quote {
                            scratch.append(quote)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    scratch.append(byte)
                    index += 1
                }
                row.append(String(decoding: scratch, as: UTF8.self))
                guard index == count || bytes[index] == comma || bytes[index] == cr || bytes[index] == lf else { throw Problem.malformedCSV }
            } else {
                let start = index
                while index < count, bytes[index] != comma, bytes[index] != cr, bytes[index] != lf { index += 1 }
                row.append(string(start, index))
            }
            // What ends the field: a comma (another field follows, perhaps an empty last one), a line end, or the file's end.
            if index < count, bytes[index] == comma {
                index += 1
                if index == count || bytes[index] == cr || bytes[index] == lf { row.append("") }
                else { continue }
            }
            if index < count, bytes[index] == cr { index += 1 }
            if index < count, bytes[index] == lf { index += 1 }
            rows.append(row)
            row = []
            if rows.count > maxRows { throw Problem.tooManyRows }
        }
        if !row.isEmpty { rows.append(row) }
        return rows
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
