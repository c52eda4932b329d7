import Foundation
import MediaOpsDomain
import MediaOpsStore
import Testing

/// The workbooks MediaOps writes open in LibreOffice with every cell where it
/// belongs, and a workbook LibreOffice writes (shared strings, styles, its own
/// layout of the parts) reads back in MediaOps. CI installs LibreOffice, so
/// there the test refuses to pass without it.
@Suite("Workbooks and LibreOffice")
struct LibreOfficeWorkbookTests {
    static let soffice = ["/usr/bin/soffice", "/usr/local/bin/soffice", "/usr/lib/libreoffice/program/soffice"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func convert(_ data: Data, from fileExtension: String, to filter: String, _ resultExtension: String, inputFilter: String? = nil) throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mediaops-lo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("table.\(fileExtension)")
        try data.write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: soffice!)
        // A profile of its own, so a LibreOffice the user has open does not take the job.
        process.arguments = ["-env:UserInstallation=file://\(folder.path)/profile", "--headless"] + (inputFilter.map { ["--infilter=\($0)"] } ?? [])
            + ["--convert-to", filter, "--outdir", folder.path, input.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return try Data(contentsOf: folder.appendingPathComponent("table.\(resultExtension)"))
    }

    @Test("an exported workbook opens in LibreOffice with its text, numbers and banner in place; LibreOffice's own workbooks read back")
    func roundTrip() throws {
        guard Self.soffice != nil else {
            #expect(ProcessInfo.processInfo.environment["CI"] != "true", "CI installs LibreOffice (libreoffice-calc-nogui) for this test")
            return
        }
        let table = ExportTable(sheetName: "矩阵总览", header: ["账号", "平台", "粉丝数", "互动率"], rows: [
            [.text("青禾茶饮服务号"), .text("公众号"), .number(35_930), .number(0.0441)],
            [.text("Qinghe \"Tea\", <global>"), .text("X"), .empty, .number(0.125)],
        ], banner: "2026-11-01 至 2026-11-30")
        let csv = String(decoding: try Self.convert(try table.xlsx(), from: "xlsx", to: "csv:Text - txt - csv (StarCalc):44,34,76", "csv"), as: UTF8.self)
        let lines = csv.split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines == ["2026-11-01 至 2026-11-30,,,", "账号,平台,粉丝数,互动率", "青禾茶饮服务号,公众号,35930,0.0441", "\"Qinghe \"\"Tea\"\", <global>\",X,,0.125"])

        let source = Data("笔记标题,首次发布时间,曝光,点赞\n通勤路上的茶,2026年11月03日15时39分28秒,20000,152\n".utf8)
        // CSV read as UTF-8 (76), comma-separated, every column as text so the date stays as written.
        let workbook = try Self.convert(source, from: "csv", to: "xlsx", "xlsx", inputFilter: "CSV:44,34,76,1,2/2/2/2/3/1/4/1")
        let sheets = try XLSXReader.sheets(workbook)
        #expect(sheets.first?.rows == [["笔记标题", "首次发布时间", "曝光", "点赞"], ["通勤路上的茶", "2026年11月03日15时39分28秒", "20000", "152"]])
        #expect(RecognizedExport.recognise(sheets[0].rows)?.layout == .xiaohongshuNotes)
    }
}
