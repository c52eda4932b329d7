import Foundation
import ZIPFoundation

/// A table as people download it: a header row and rows of cells, written as
/// CSV (UTF-8 with a byte-order mark, so Excel and WPS read Chinese right) or
/// as an .xlsx workbook. Numbers stay numbers in the workbook.
public struct ExportTable: Sendable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
        case empty
    }

    public var sheetName: String
    public var header: [String]
    public var rows: [[Cell]]
    /// A line above the header, as some back-offices write a disclaimer there.
    public var banner: String?

    public init(sheetName: String, header: [String], rows: [[Cell]], banner: String? = nil) {
        self.sheetName = sheetName
        self.header = header
        self.rows = rows
        self.banner = banner
    }

    // MARK: CSV

    public func csv() -> Data {
        func field(_ text: String) -> String {
            // A cell starting with = + - @ is a formula to a spreadsheet: quote it as text (CSV injection).
            var text = text
            if let first = text.first, "=+-@\t\r".contains(first), Double(text) == nil { text = "'" + text }
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var lines = [header.map(field).joined(separator: ",")]
        for row in rows {
            lines.append(row.map { cell in
                switch cell {
                case .text(let text): field(text)
                case .number(let value): Self.number(value)
                case .empty: ""
                }
            }.joined(separator: ","))
        }
        return Data([0xEF, 0xBB, 0xBF]) + Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    static func number(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    // MARK: XLSX

    public func xlsx() throws -> Data {
        guard let archive = try? Archive(data: Data(), accessMode: .create) else { throw CocoaError(.fileWriteUnknown) }
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        try add("[Content_Types].xml", declaration + """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            </Types>
            """)
        try add("_rels/.rels", declaration + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """)
        try add("xl/workbook.xml", declaration + """
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="\(Self.escape(Self.sheetTitle(sheetName)))" sheetId="1" r:id="rId1"/></sheets></workbook>
            """)
        try add("xl/_rels/workbook.xml.rels", declaration + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
            </Relationships>
            """)
        try add("xl/styles.xml", declaration + """
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
            </styleSheet>
            """)
        var sheet = declaration + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
        func reference(_ column: Int, _ row: Int) -> String {
            var name = ""
            var index = column + 1
            while index > 0 {
                let remainder = (index - 1) % 26
                name = String(UnicodeScalar(UInt8(65 + remainder))) + name
                index = (index - 1) / 26
            }
            return "\(name)\(row)"
        }
        let top = banner == nil ? 0 : 1
        if let banner { sheet += "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>\(Self.escape(banner))</t></is></c></row>" }
        sheet += "<row r=\"\(top + 1)\">" + header.enumerated().map { column, text in
            "<c r=\"\(reference(column, top + 1))\" t=\"inlineStr\" s=\"1\"><is><t>\(Self.escape(text))</t></is></c>"
        }.joined() + "</row>"
        for (index, row) in rows.enumerated() {
            let number = index + 2 + top
            sheet += "<row r=\"\(number)\">"
            for (column, cell) in row.enumerated() {
                switch cell {
                case .text(let text): sheet += "<c r=\"\(reference(column, number))\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(Self.escape(text))</t></is></c>"
                case .number(let value) where value.isFinite: sheet += "<c r=\"\(reference(column, number))\"><v>\(Self.number(value))</v></c>"
                default: break
                }
            }
            sheet += "</row>"
        }
        sheet += "</sheetData></worksheet>"
        try add("xl/worksheets/sheet1.xml", sheet)
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    /// Sheet names are at most 31 characters without []:*?/\ .
    static func sheetTitle(_ name: String) -> String {
        let cleaned = String(name.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        return cleaned.isEmpty ? "Sheet1" : cleaned
    }

    /// XML text: the five entities escaped and characters XML cannot carry dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let value = scalar.value
                if value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value) || (0xE000...0xFFFD).contains(value) || value >= 0x10000 {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
