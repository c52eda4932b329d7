import Foundation
import MediaOpsDomain
import Testing

/// Byte-level fixtures: the first bytes of real files of each format, built here.
private enum Bytes {
    static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }
    static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func le32(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24 & 0xFF)] }
    static func le24(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF)] }
    static let padding = [UInt8](repeating: 0, count: 64)

    static func png(width: Int, height: Int) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + be32(13) + ascii("IHDR") + be32(width) + be32(height) + [8, 6, 0, 0, 0] + [0, 0, 0, 0]
    }

    /// SOI, APP0, a DHT segment (C4, which is not a frame), then the frame header.
    static func jpeg(width: Int, height: Int, frame: UInt8 = 0xC0) -> [UInt8] {
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + ascii("JFIF") + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
            + [0xFF, 0xC4, 0x00, 0x05, 0x00, 0x00, 0x00]
            + [0xFF, frame, 0x00, 0x11, 0x08] + be16(height) + be16(width) + [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]
    }

    static func gif(width: Int, height: Int) -> [UInt8] { ascii("GIF89a") + le16(width) + le16(height) + [0xF7, 0, 0] + padding }

    static func webpLossy(width: Int, height: Int) -> [UInt8] {
        ascii("RIFF") + le32(100) + ascii("WEBPVP8 ") + le32(80) + [0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A] + le16(width) + le16(height) + padding
    }

    static func webpLossless(width: Int, height: Int) -> [UInt8] {
        ascii("RIFF") + le32(100) + ascii("WEBPVP8L") + le32(80) + [0x2F] + le32((width - 1) | (height - 1) << 14) + padding
    }

    static func webpExtended(width: Int, height: Int) -> [UInt8] {
        ascii("RIFF") + le32(100) + ascii("WEBPVP8X") + le32(10) + [0x10, 0, 0, 0] + le24(width - 1) + le24(height - 1) + padding
    }

    static func bmp(width: Int, height: Int) -> [UInt8] {
        ascii("BM") + le32(70) + [0, 0, 0, 0] + le32(54) + le32(40) + le32(width) + le32(height) + le16(1) + le16(24) + padding
    }

    static func psd(width: Int, height: Int) -> [UInt8] {
        ascii("8BPS") + be16(1) + [0, 0, 0, 0, 0, 0] + be16(3) + be32(height) + be32(width) + be16(8) + be16(3) + padding
    }

    static func ftyp(_ major: String, compatible: [String] = []) -> [UInt8] {
        let brands = compatible.flatMap { ascii($0) }
        return be32(16 + brands.count) + ascii("ftyp") + ascii(major) + be32(0) + brands + be32(8) + ascii("mdat") + padding
    }

    static func ebml(_ docType: String) -> [UInt8] {
        [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84] + ascii(docType) + padding
    }

    /// Local file headers of a ZIP holding `names` (sizes zero: only the names matter here).
    static func zip(_ names: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        for name in names {
            bytes += [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00] + [UInt8](repeating: 0, count: 16)
            bytes += le16(name.utf8.count) + le16(0) + ascii(name)
        }
        return bytes + padding
    }
}

@Suite("File sniffer and image dimensions")
struct FileSnifferTests {
    static let table: [(String, [UInt8], FileFormat?)] = [
        ("PNG", Bytes.png(width: 1, height: 1), .png),
        ("JPEG", Bytes.jpeg(width: 8, height: 8), .jpeg),
        ("GIF", Bytes.gif(width: 1, height: 1), .gif),
        ("WebP lossy", Bytes.webpLossy(width: 4, height: 4), .webp),
        ("BMP", Bytes.bmp(width: 2, height: 2), .bmp),
        ("HEIC", Bytes.ftyp("heic", compatible: ["mif1", "heic"]), .heic),
        ("AVIF", Bytes.ftyp("avif", compatible: ["avif", "mif1"]), .avif),
        ("MP4", Bytes.ftyp("isom", compatible: ["isom", "iso2", "avc1", "mp41"]), .mp4),
        ("MOV", Bytes.ftyp("qt  ", compatible: ["qt  "]), .mov),
        ("M4A", Bytes.ftyp("M4A ", compatible: ["M4A ", "mp42", "isom"]), .m4a),
        ("WebM", Bytes.ebml("webm"), .webm),
        ("Matroska", Bytes.ebml("matroska"), .mkv),
        ("MP3 with ID3", Bytes.ascii("ID3") + [0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0A] + Bytes.padding, .mp3),
        ("MP3 frame", [0xFF, 0xFB, 0x90, 0x44] + Bytes.padding, .mp3),
        ("WAV", Bytes.ascii("RIFF") + Bytes.le32(36) + Bytes.ascii("WAVEfmt ") + Bytes.padding, .wav),
        ("OGG", Bytes.ascii("OggS") + [0x00, 0x02] + Bytes.padding, .ogg),
        ("FLAC", Bytes.ascii("fLaC") + [0x00, 0x00, 0x00, 0x22] + Bytes.padding, .flac),
        ("TrueType", [0x00, 0x01, 0x00, 0x00, 0x00, 0x0F, 0x00, 0x80, 0x00, 0x03, 0x00, 0x70] + Bytes.padding, .ttf),
        ("OpenType", Bytes.ascii("OTTO") + [0x00, 0x0A] + Bytes.padding, .otf),
        ("WOFF", Bytes.ascii("wOFF") + Bytes.padding, .woff),
        ("WOFF2", Bytes.ascii("wOF2") + Bytes.padding, .woff2),
        ("PDF", Bytes.ascii("%PDF-1.7\n%âãÏÓ\n") + Bytes.padding, .pdf),
        ("PostScript Illustrator", Bytes.ascii("%!PS-Adobe-3.0 EPSF-3.0\n") + Bytes.padding, .ai),
        ("PSD", Bytes.psd(width: 10, height: 20), .psd),
        ("PPTX", Bytes.zip(["[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml"]), .pptx),
        ("DOCX", Bytes.zip(["[Content_Types].xml", "_rels/.rels", "word/document.xml"]), .docx),
        ("XLSX", Bytes.zip(["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"]), .xlsx),
        ("Sketch", Bytes.zip(["document.json", "meta.json", "pages/1.json"]), .sketch),
        // Refused: things a browser could run, and containers the library does not take.
        ("HTML", Bytes.ascii("<!DOCTYPE html><html><script>alert(1)</script>"), nil),
        ("SVG", Bytes.ascii("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"), nil),
        ("shell script", Bytes.ascii("#!/bin/sh\nrm -rf /\n"), nil),
        ("Windows program", Bytes.ascii("MZ") + [0x90, 0x00, 0x03] + Bytes.padding, nil),
        ("plain ZIP", Bytes.zip(["readme.txt", "run.exe"]), nil),
        ("AAC (not MP3)", [0xFF, 0xF1, 0x50, 0x80] + Bytes.padding, nil),
        ("AVI", Bytes.ascii("RIFF") + Bytes.le32(36) + Bytes.ascii("AVI LIST") + Bytes.padding, nil),
        ("empty", [], nil),
    ]

    @Test("each format is recognised by its bytes", arguments: table)
    func recognises(name: String, bytes: [UInt8], expected: FileFormat?) {
        #expect(FileSniffer.candidates(head: bytes).first == expected, "\(name)")
    }

    @Test("kinds and MIME types follow the format")
    func kinds() {
        #expect(FileFormat.png.kind == .image && FileFormat.png.mimeType == "image/png")
        #expect(FileFormat.mov.kind == .video && FileFormat.mov.mimeType == "video/quicktime")
        #expect(FileFormat.mp3.kind == .audio && FileFormat.mp3.mimeType == "audio/mpeg")
        #expect(FileFormat.woff2.kind == .font)
        #expect([FileFormat.psd, .ai, .sketch, .pptx, .docx, .xlsx].allSatisfy { $0.kind == .template })
        #expect(FileFormat.pdf.kind == .document)
        #expect(AssetKind.image.opensInline && AssetKind.document.opensInline && !AssetKind.font.opensInline && !AssetKind.template.opensInline)
    }

    @Test("the name may not contradict the bytes")
    func names() throws {
        let png = Bytes.png(width: 1, height: 1)
        #expect(try FileSniffer.check(head: png, fileName: "海报.png") == .png)
        #expect(try FileSniffer.check(head: png, fileName: "SHOUT.PNG") == .png)
        #expect(try FileSniffer.check(head: png, fileName: "no-extension") == .png)
        #expect(try FileSniffer.check(head: Bytes.jpeg(width: 1, height: 1), fileName: "photo.jpeg") == .jpeg)
        #expect(try FileSniffer.check(head: Bytes.jpeg(width: 1, height: 1), fileName: "photo.JPG") == .jpeg)
        // A PDF-compatible Illustrator file is a PDF by its bytes and an .ai by its name.
        #expect(try FileSniffer.check(head: Bytes.ascii("%PDF-1.6\n"), fileName: "logo.ai") == .ai)
        #expect(try FileSniffer.check(head: Bytes.ascii("%PDF-1.6\n"), fileName: "brief.pdf") == .pdf)
        #expect(try FileSniffer.check(head: Bytes.ftyp("isom", compatible: ["isom"]), fileName: "jingle.m4a") == .m4a)

        #expect(throws: ValidationError(field: "file", code: "file_type_mismatch", params: ["extension": "pdf", "detected": "png"])) {
            try FileSniffer.check(head: png, fileName: "report.pdf")
        }
        // HTML or SVG renamed to look like an image is refused as a mismatch, not stored as "unknown".
        #expect(throws: ValidationError(field: "file", code: "file_type_mismatch", params: ["extension": "png"])) {
            try FileSniffer.check(head: Bytes.ascii("<html><script>alert(1)</script></html>"), fileName: "cute.png")
        }
        #expect(throws: ValidationError(field: "file", code: "file_type_mismatch", params: ["extension": "jpg"])) {
            try FileSniffer.check(head: Bytes.ascii("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), fileName: "logo.jpg")
        }
        #expect(throws: ValidationError(field: "file", code: "unsupported_file_type")) {
            try FileSniffer.check(head: Bytes.ascii("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), fileName: "logo.svg")
        }
        #expect(throws: ValidationError(field: "file", code: "unsupported_file_type")) {
            try FileSniffer.check(head: Bytes.zip(["a.txt"]), fileName: "bundle.zip")
        }
        // A PNG named .html would be a page if anything ever trusted the name.
        #expect(throws: ValidationError(field: "file", code: "file_type_mismatch", params: ["extension": "html", "detected": "png"])) {
            try FileSniffer.check(head: png, fileName: "index.html")
        }
        #expect(throws: ValidationError(field: "file", code: "file_type_mismatch", params: ["extension": "xlsx", "detected": "docx"])) {
            try FileSniffer.check(head: Bytes.zip(["[Content_Types].xml", "word/document.xml"]), fileName: "budget.xlsx")
        }
    }

    @Test("Office files are recognised from the central directory at the end of the file")
    func zipTail() {
        var central: [UInt8] = []
        for name in ["[Content_Types].xml", "xl/workbook.xml"] {
            central += [0x50, 0x4B, 0x01, 0x02] + [UInt8](repeating: 0, count: 24) + Bytes.le16(name.utf8.count) + [UInt8](repeating: 0, count: 16) + Bytes.ascii(name)
        }
        // Only an unhelpful first entry near the start.
        let head = Bytes.zip(["docProps/app.xml"])
        #expect(FileSniffer.candidates(head: head).isEmpty)
        #expect(FileSniffer.candidates(head: head, tail: central) == [.xlsx])
    }

    static let dimensions: [(String, [UInt8], ImageDimensions?)] = [
        ("PNG", Bytes.png(width: 640, height: 480), ImageDimensions(width: 640, height: 480)),
        ("PNG 1×1", Bytes.png(width: 1, height: 1), ImageDimensions(width: 1, height: 1)),
        ("JPEG baseline", Bytes.jpeg(width: 1080, height: 1920), ImageDimensions(width: 1080, height: 1920)),
        ("JPEG progressive", Bytes.jpeg(width: 300, height: 200, frame: 0xC2), ImageDimensions(width: 300, height: 200)),
        ("GIF", Bytes.gif(width: 3, height: 5), ImageDimensions(width: 3, height: 5)),
        ("WebP VP8", Bytes.webpLossy(width: 400, height: 300), ImageDimensions(width: 400, height: 300)),
        ("WebP VP8L", Bytes.webpLossless(width: 100, height: 50), ImageDimensions(width: 100, height: 50)),
        ("WebP VP8X", Bytes.webpExtended(width: 1920, height: 1080), ImageDimensions(width: 1920, height: 1080)),
        ("BMP top-down", Bytes.bmp(width: 2, height: -3), ImageDimensions(width: 2, height: 3)),
        ("PSD", Bytes.psd(width: 1242, height: 2208), ImageDimensions(width: 1242, height: 2208)),
        ("truncated PNG", Array(Bytes.png(width: 5, height: 5).prefix(20)), nil),
        ("JPEG without a frame header", [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08] + Bytes.padding, nil),
        ("PNG with zero width", Bytes.png(width: 0, height: 5), nil),
        ("not an image", Bytes.ascii("%PDF-1.7") + Bytes.padding, nil),
    ]

    @Test("dimensions are read from the headers", arguments: dimensions)
    func readsDimensions(name: String, bytes: [UInt8], expected: ImageDimensions?) {
        #expect(ImageDimensions.read(bytes) == expected, "\(name)")
    }
}

@Suite("Asset rules")
struct AssetRuleTests {
    @Test("folders, tags and names are normalised or refused")
    func metadata() throws {
        #expect(try Asset.normalizeFolder(" 品牌 // 2026春季/ ") == "品牌/2026春季")
        #expect(try Asset.normalizeFolder(nil) == "")
        #expect(throws: ValidationError(field: "folder", code: "invalid_folder")) { try Asset.normalizeFolder("品牌/../secret") }
        #expect(throws: ValidationError(field: "folder", code: "invalid_folder")) { try Asset.normalizeFolder("a\\b") }
        #expect(throws: ValidationError(field: "folder", code: "folder_too_deep", params: ["max": "8"])) {
            try Asset.normalizeFolder((1...9).map(String.init).joined(separator: "/"))
        }
        #expect(Asset.splitTags("新品, 春季，海报、KV") == ["新品", " 春季", "海报", "KV"])
        #expect(try Asset.normalizeTags(["新品", " 春季", "新品", "kv", "KV", ""]) == ["新品", "春季", "kv"])
        #expect(throws: ValidationError(field: "tags", code: "too_many_tags", params: ["max": "20"])) {
            try Asset.normalizeTags((1...21).map { "t\($0)" })
        }
        #expect(Asset.cleanFileName("C:\\fakepath\\海报 终稿.png") == "海报 终稿.png")
        #expect(Asset.cleanFileName("../../etc/passwd") == "passwd")
        #expect(throws: ValidationError(field: "name", code: "invalid_name")) { try Asset.validateName("a/b.png") }
    }

    @Test("licence dates: parsed strictly, valid through the expiry day")
    func licences() throws {
        #expect(LocalDate("2026-02-28")?.description == "2026-02-28")
        #expect(LocalDate("2028-02-29") != nil)
        for bad in ["2026-02-29", "2026-13-01", "2026-1-05", "26-01-05", "2026/01/05", "２０２６-01-05", ""] {
            #expect(LocalDate(bad) == nil, "\(bad)")
        }
        #expect(throws: ValidationError(field: "licence_expires_on", code: "invalid_date")) { try Asset.parseLicenceDate("明天") }
        #expect(try Asset.parseLicenceDate(" ") == nil)
        let today = LocalDate("2026-12-30")!
        #expect(today.adding(days: 3).description == "2027-01-02")
        #expect(today.days(until: LocalDate("2027-01-13")!) == 14)
        var asset = Asset(id: "ast_1", name: "a.png", kind: .image, format: .png, mimeType: "image/png", byteSize: 1, sha256: String(repeating: "a", count: 64),
                          width: 1, height: 1, folder: "", tags: [], uploadedBy: nil, uploadedByName: "x", licenceExpiresOn: nil, rightsNote: "",
                          createdAt: Date(), updatedAt: Date())
        #expect(asset.licenceStatus(on: today) == .unlimited)
        asset.licenceExpiresOn = today
        #expect(asset.licenceStatus(on: today) == .expiring)
        asset.licenceExpiresOn = today.adding(days: -1)
        #expect(asset.licenceStatus(on: today) == .expired)
        asset.licenceExpiresOn = today.adding(days: 14)
        #expect(asset.licenceStatus(on: today) == .expiring)
        asset.licenceExpiresOn = today.adding(days: 15)
        #expect(asset.licenceStatus(on: today) == .valid)
        // The day is the workspace's: 16:30 UTC on 31 March is already 1 April in Shanghai.
        let instant = ISO8601DateFormatter().date(from: "2026-03-31T16:30:00Z")!
        #expect(LocalDate(instant, timeZone: TimeZone(identifier: "Asia/Shanghai")!).description == "2026-04-01")
        #expect(LocalDate(instant, timeZone: TimeZone(identifier: "UTC")!).description == "2026-03-31")
    }

    @Test("downloads keep the format's extension")
    func downloadName() {
        var asset = Asset(id: "ast_1", name: "海报.png", kind: .image, format: .png, mimeType: "image/png", byteSize: 1, sha256: "", width: nil, height: nil,
                          folder: "", tags: [], uploadedBy: nil, uploadedByName: "x", licenceExpiresOn: nil, rightsNote: "", createdAt: Date(), updatedAt: Date())
        #expect(asset.downloadName == "海报.png")
        asset.name = "海报终稿"
        #expect(asset.downloadName == "海报终稿.png")
    }
}
