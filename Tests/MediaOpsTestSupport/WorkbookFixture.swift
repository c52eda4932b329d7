import Foundation
import ZIPFoundation

/// Builds .xlsx files in tests the way back-offices write them: shared
/// strings, inline strings, numbers (Excel date serials among them), gaps
/// between cells and rows, several sheets, a banner row above the header.
public enum WorkbookFixture {
    public enum Cell: Sendable {
        /// A shared string (`t="s"`), as Excel writes text.
        case text(String)
        /// An inline string (`t="inlineStr"`), as some exporters write text.
        case inline(String)
        /// A number as written in `<v>` (e.g. "46171.83" for a date serial, "4.41E-2").
        case number(String)
        /// A rich-text shared string of several runs.
        case rich([String])
        /// No cell at all (the reference skips it).
        case skip
    }

    public struct Sheet: Sendable {
        public var name: String
        /// Rows by their 1-based number; rows left out are empty.
        public var rows: [(Int, [Cell])]
        public init(name: String, rows: [(Int, [Cell])]) {
            self.name = name
            self.rows = rows
        }
        /// Rows numbered from 1 in order.
        public init(name: String, _ rows: [[Cell]]) {
            self.init(name: name, rows: rows.enumerated().map { ($0.offset + 1, $0.element) })
        }
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func column(_ index: Int) -> String {
        var name = "", value = index + 1
        while value > 0 {
            name = String(UnicodeScalar(UInt8(65 + (value - 1) % 26))) + name
            value = (value - 1) / 26
        }
        return name
    }

    public static func build(_ sheets: [Sheet], extraParts: [String: String] = [:]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        func add(_ path: String, _ text: String, replaceable: Bool = true) throws {
            // A part given in `extraParts` replaces the one built here.
            if replaceable, let replacement = extraParts[path] { return try add(path, replacement, replaceable: false) }
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        var shared: [String] = []
        var sheetXML: [String] = []
        for sheet in sheets {
            var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
            for (number, cells) in sheet.rows {
                xml += "<row r=\"\(number)\">"
                for (index, cell) in cells.enumerated() {
                    let reference = "\(column(index))\(number)"
                    switch cell {
                    case .text(let text):
                        shared.append("<si><t>\(escape(text))</t></si>")
                        xml += "<c r=\"\(reference)\" t=\"s\"><v>\(shared.count - 1)</v></c>"
                    case .rich(let runs):
                        shared.append("<si>" + runs.map { "<r><rPr><b/></rPr><t xml:space=\"preserve\">\(escape($0))</t></r>" }.joined() + "<rPh sb=\"0\" eb=\"1\"><t>ピン</t></rPh></si>")
                        xml += "<c r=\"\(reference)\" t=\"s\"><v>\(shared.count - 1)</v></c>"
                    case .inline(let text):
                        xml += "<c r=\"\(reference)\" t=\"inlineStr\"><is><t>\(escape(text))</t></is></c>"
                    case .number(let value):
                        xml += "<c r=\"\(reference)\" s=\"1\"><v>\(value)</v></c>"
                    case .skip:
                        break
                    }
                }
                xml += "</row>"
            }
            sheetXML.append(xml + "</sheetData></worksheet>")
        }
        try add("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>")
        try add("xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
            + sheets.enumerated().map { "<sheet name=\"\(escape($0.element.name))\" sheetId=\"\($0.offset + 1)\" r:id=\"rId\($0.offset + 1)\"/>" }.joined() + "</sheets></workbook>")
        try add("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + sheets.indices.map { "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>" }.joined()
            + "</Relationships>")
        try add("xl/sharedStrings.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"\(shared.count)\">" + shared.joined() + "</sst>")
        for (index, xml) in sheetXML.enumerated() { try add("xl/worksheets/sheet\(index + 1).xml", xml) }
        for (path, text) in extraParts where !path.hasPrefix("xl/workbook.xml") && !path.hasPrefix("xl/worksheets/") && path != "xl/sharedStrings.xml" {
            try add(path, text, replaceable: false)
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }
}
