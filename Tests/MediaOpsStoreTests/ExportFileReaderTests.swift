import Foundation
import MediaOpsDomain
import MediaOpsStore
import Testing

@Suite("Export files")
struct ExportFileReaderTests {
    static let channelsCSV = "视频描述,视频ID,发布时间,完播率,平均播放时长,播放量,推荐,喜欢,评论量,分享量,关注量\r\n"
        + "\"春茶上新，\n第二行\",export/UzFfBgAA1,2026/5/29,4.41%,14.73秒,\"3,593\",12,30,--,5,2\r\n"
        + "冷泡指南,export/UzFfBgAA2,2026/08/07,数据较少,1分20秒,800,,,,,\r\n\r\n"

    @Test("UTF-8 with a byte-order mark, as 视频号 writes it: quoted commas and line breaks survive, trailing blank lines go")
    func utf8WithBOM() throws {
        let data = Data([0xEF, 0xBB, 0xBF]) + Data(Self.channelsCSV.utf8)
        let (rows, encoding) = try ExportFileReader.csvRows(data)
        #expect(encoding == .utf8WithBOM && rows.count == 3)
        #expect(rows[0][0] == "视频描述", "the mark is not part of the first header")
        #expect(rows[1][0] == "春茶上新，\n第二行" && rows[1][5] == "3,593")
        let found = try #require(RecognizedExport.recognise(rows))
        #expect(found.layout == .channelsVideos && found.headerRow == 0)
        #expect(ExportCell.value(rows[1][5], for: .plays) == .value(3_593) && ExportCell.value(rows[1][8], for: .comments) == .absent)
        #expect(ExportCell.value(rows[2][3], for: .completionRate) == .absent && ExportCell.value(rows[2][4], for: .avgWatchSeconds) == .value(80))
    }

    @Test("GB18030 from older exports is recognised from its bytes")
    func gb18030() throws {
        let text = "时间,新关注人数,取消关注人数,净增关注人数,累积关注人数\n2026-05-29,120,8,112,\"3,593\"\n"
        let data = try #require(text.data(using: String.Encoding(rawValue: 0x8000_0632)))
        #expect(String(data: data, encoding: .utf8) == nil, "the test file really is not UTF-8")
        let (rows, encoding) = try ExportFileReader.csvRows(data)
        #expect(encoding == .gb18030 && rows[0][1] == "新关注人数" && rows[1][4] == "3,593")
        #expect(RecognizedExport.recognise(rows)?.layout == .wechatUsers)
    }

    @Test("plain UTF-8; short rows are padded to the header's width")
    func plainUTF8() throws {
        let (rows, encoding) = try ExportFileReader.csvRows(Data("标题,发布时间,投币\nA,2026年05月29日 12:40:34\n".utf8))
        #expect(encoding == .utf8 && rows[1] == ["A", "2026年05月29日 12:40:34", ""])
    }

    @Test("a legacy .xls, an empty file and bytes that are no text are refused with their reason")
    func refusals() {
        #expect(throws: ExportFileReader.Problem.legacyWorkbook) {
            try ExportFileReader.csvRows(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0]))
        }
        #expect(throws: ExportFileReader.Problem.empty) { try ExportFileReader.csvRows(Data("\n\n".utf8)) }
        #expect(throws: ExportFileReader.Problem.unreadableText) { try ExportFileReader.csvRows(Data([0xFF, 0xFE, 0xFF, 0x80, 0x81])) }
    }

    struct CSVCase: Sendable, CustomStringConvertible {
        var text: String
        var rows: [[String]]
        var description: String { text.debugDescription }
    }

    @Test("CSV as RFC 4180 has it: doubled quotes, separators and line breaks inside quotes, LF, CRLF and CR line ends, empty fields, no final line end",
          arguments: [
              CSVCase(text: "a,b\n1,2\n", rows: [["a", "b"], ["1", "2"]]),
              CSVCase(text: "a,b\r\n1,2", rows: [["a", "b"], ["1", "2"]]),
              CSVCase(text: "a,b\r1,2\r", rows: [["a", "b"], ["1", "2"]]),
              CSVCase(text: "标题,\"说 \"\"你好\"\"\"\n\"多,行\r\n文字\",x\n", rows: [["标题", "说 \"你好\""], ["多,行\r\n文字", "x"]]),
              CSVCase(text: "a,,c\n,,\nx,y,z\n", rows: [["a", "", "c"], ["", "", ""], ["x", "y", "z"]]),
              CSVCase(text: "a,b,\n1,2,", rows: [["a", "b", ""], ["1", "2", ""]]),
              CSVCase(text: "\"\",b\n", rows: [["", "b"]]),
              CSVCase(text: "a\n\nb\n", rows: [["a"], [""], ["b"]]),
              CSVCase(text: "5\"寸,ok\n", rows: [["5\"寸", "ok"]]),
          ])
    func csvFields(_ example: CSVCase) throws {
        #expect(try ExportFileReader.csvRows(Data(example.text.utf8)).rows == example.rows)
    }

    @Test("a quote never closed, or text after a closing quote, is a malformed file", arguments: ["a,\"b\n1,2\n", "a,\"b\"c\n", "\"x\" ,y\n"])
    func malformedCSV(_ text: String) {
        #expect(throws: ExportFileReader.Problem.malformedCSV) { try ExportFileReader.csvRows(Data(text.utf8)) }
    }
}
