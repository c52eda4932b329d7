import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Reads the sheets of an .xlsx workbook (a zip of XML parts) into rows of
/// cell texts: shared and inline strings, numbers as written (an Excel date
/// stays its serial, which the export-cell reader understands), booleans.
/// Bounded everywhere, since the file comes from a user: entry sizes, the
/// number of rows and columns, and no DTDs (no entity expansion).
public enum XLSXReader {
    public struct Sheet: Sendable, Equatable {
        public var name: String
        public var rows: [[String]]
    }

    public enum Problem: String, Error, Sendable, CaseIterable {
        /// Not a zip, or a zip without a workbook.
        case notAWorkbook = "import_not_a_workbook"
        /// An XML part that cannot be read (or carries a DTD).
        case malformedWorkbook = "import_malformed_workbook"
        /// More rows, columns or bytes than an export file has.
        case tooLarge = "import_workbook_too_large"
    }

    /// Limits well above any back-office export (小红书 exports ≤ 1,000 notes).
    public static let maxRows = 300_000
    public static let maxColumns = 1_024
    public static let maxPartBytes = 400 * 1_024 * 1_024

    public static func isZip(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    public static func sheets(_ data: Data) throws -> [Sheet] {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch { throw Problem.notAWorkbook }
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            guard entry.uncompressedSize <= Int64(maxPartBytes) else { throw Problem.tooLarge }
            var bytes = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    bytes.append(chunk)
                    if bytes.count > maxPartBytes { throw Problem.tooLarge }
                }
            } catch let problem as Problem {
                throw problem
            } catch {
                throw Problem.malformedWorkbook
            }
            return bytes
        }
        guard let workbook = try part("xl/workbook.xml") else { throw Problem.notAWorkbook }
        let relations = try part("xl/_rels/workbook.xml.rels").map(RelationsParser.parse) ?? [:]
        let shared = try part("xl/sharedStrings.xml").map(SharedStringsParser.parse) ?? []
        var result: [Sheet] = []
        for (index, sheet) in try WorkbookParser.parse(workbook).enumerated() {
            // Targets are relative to xl/ (or absolute from the package root).
            var path = relations[sheet.relation] ?? "worksheets/sheet\(index + 1).xml"
            path = path.hasPrefix("/") ? String(path.dropFirst()) : "xl/" + path
            guard let bytes = try part(path) else { continue }
            result.append(Sheet(name: sheet.name, rows: try SheetParser.parse(bytes, shared: shared)))
        }
        guard !result.isEmpty else { throw Problem.notAWorkbook }
        return result
    }

    /// A column reference's index: "A" → 0, "AB" → 27 (letters of "AB12").
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            guard (65...90).contains(scalar.value) || (97...122).contains(scalar.value) else { break }
            index = index * 26 + Int((scalar.value & 0xDF) - 64)
            letters += 1
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : index - 1
    }

    /// The row number of a reference ("AB12" → 12).
    static func rowNumber(_ reference: String) -> Int? {
        Int(String(reference.unicodeScalars.filter { (48...57).contains($0.value) }.map(Character.init)))
    }

    static func parser(_ data: Data) throws -> XMLParser {
        // Workbooks never carry a DTD; refusing one rules out entity expansion.
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil { throw Problem.malformedWorkbook }
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        return parser
    }

    // MARK: Parts

    final class WorkbookParser: NSObject, XMLParserDelegate {
        var sheets: [(name: String, relation: String)] = []

        static func parse(_ data: Data) throws -> [(name: String, relation: String)] {
            let delegate = WorkbookParser()
            let parser = try XLSXReader.parser(data)
            parser.delegate = delegate
            guard parser.parse() else { throw Problem.malformedWorkbook }
            return delegate.sheets
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            guard local(name) == "sheet" else { return }
            let relation = attributes.first(where: { local($0.key) == "id" && $0.key != "sheetId" })?.value ?? ""
            sheets.append((attributes["name"] ?? "Sheet\(sheets.count + 1)", relation))
        }
    }

    final class RelationsParser: NSObject, XMLParserDelegate {
        var targets: [String: String] = [:]

        static func parse(_ data: Data) throws -> [String: String] {
            let delegate = RelationsParser()
            let parser = try XLSXReader.parser(data)
            parser.delegate = delegate
            guard parser.parse() else { throw Problem.malformedWorkbook }
            return delegate.targets
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            guard local(name) == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
            targets[id] = target
        }
    }

    /// `<si>` entries; rich text (`<r><t>…</t></r>`) joined, phonetic runs (`<rPh>`) skipped.
    final class SharedStringsParser: NSObject, XMLParserDelegate {
        var strings: [String] = []
        var current = ""
        var inText = false
        var phoneticDepth = 0

        static func parse(_ data: Data) throws -> [String] {
            let delegate = SharedStringsParser()
            let parser = try XLSXReader.parser(data)
            parser.delegate = delegate
            guard parser.parse() else { throw Problem.malformedWorkbook }
            return delegate.strings
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            switch local(name) {
            case "si": current = ""
            case "rPh": phoneticDepth += 1
            case "t": inText = phoneticDepth == 0
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { current += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch local(name) {
            case "si":
                strings.append(current)
                if strings.count > XLSXReader.maxRows * 4 { parser.abortParsing() }
            case "rPh": phoneticDepth -= 1
            case "t": inText = false
            default: break
            }
        }
    }

    final class SheetParser: NSObject, XMLParserDelegate {
        let shared: [String]
        var rows: [[String]] = []
        var row: [String] = []
        var rowIndex = 0
        var cellColumn = 0
        var cellType = ""
        var cellText = ""
        var inValue = false
        var tooLarge = false
        var nextColumn = 0
        /// A row numbered at or before one already read (a malformed sheet): dropped.
        var skipRow = false

        init(shared: [String]) { self.shared = shared }

        static func parse(_ data: Data, shared: [String]) throws -> [[String]] {
            let delegate = SheetParser(shared: shared)
            let parser = try XLSXReader.parser(data)
            parser.delegate = delegate
            let finished = parser.parse()
            if delegate.tooLarge { throw Problem.tooLarge }
            guard finished else { throw Problem.malformedWorkbook }
            var rows = delegate.rows
            while let last = rows.last, last.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { rows.removeLast() }
            let width = rows.map(\.count).max() ?? 0
            return rows.map { $0.count < width ? $0 + Array(repeating: "", count: width - $0.count) : $0 }
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            switch local(name) {
            case "row":
                // Rows a sheet leaves out are empty rows: keep numbering as the spreadsheet shows it.
                let number = attributes["r"].flatMap(Int.init) ?? rows.count + 1
                row = []
                nextColumn = 0
                if number > XLSXReader.maxRows { tooLarge = true; parser.abortParsing() }
                skipRow = number <= rows.count
                while rows.count < number - 1 { rows.append([]) }
            case "c":
                cellColumn = attributes["r"].flatMap(XLSXReader.columnIndex) ?? nextColumn
                cellType = attributes["t"] ?? "n"
                cellText = ""
                if cellColumn >= XLSXReader.maxColumns { tooLarge = true; parser.abortParsing() }
            case "v", "t":
                inValue = true
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inValue { cellText += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch local(name) {
            case "v", "t":
                inValue = false
            case "c":
                let text: String
                switch cellType {
                case "s": text = Int(cellText.trimmingCharacters(in: .whitespaces)).flatMap { $0 >= 0 && $0 < shared.count ? shared[$0] : nil } ?? ""
                case "b": text = cellText == "1" ? "TRUE" : "FALSE"
                case "e": text = ""
                default: text = cellText
                }
                guard cellColumn < XLSXReader.maxColumns else { return }
                while row.count < cellColumn { row.append("") }
                if row.count == cellColumn { row.append(text) } else { row[cellColumn] = text }
                nextColumn = cellColumn + 1
            case "row":
                if !skipRow, rows.count < XLSXReader.maxRows { rows.append(row) }
                row = []
            default:
                break
            }
        }
    }
}

/// An element's name without its namespace prefix ("x:row" → "row").
private func local(_ name: String) -> String {
    guard let colon = name.lastIndex(of: ":") else { return name }
    return String(name[name.index(after: colon)...])
}
