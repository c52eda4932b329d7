import Foundation
import MediaOpsDomain
import Testing

@Suite("Export rows and reporting periods")
struct ExportRowsTests {
    @Test("a mapping describes a daily file or a post file, or says what is missing")
    func mappingKinds() {
        #expect(ExportRows.kind(of: [0: .day, 1: .metric(.reads)]) == .success(.daily))
        #expect(ExportRows.kind(of: [0: .title, 1: .metric(.reads)]) == .success(.posts))
        #expect(ExportRows.kind(of: [0: .url, 1: .metric(.plays)]) == .success(.posts))
        #expect(ExportRows.kind(of: [0: .day, 1: .kept("x")]) == .failure(.noMetric))
        #expect(ExportRows.kind(of: [0: .kept("a"), 1: .metric(.reads)]) == .failure(.needsDayOrPost))
        #expect(ExportRows.kind(of: [0: .day, 1: .title, 2: .metric(.reads)]) == .failure(.dayAndPost))
    }

    @Test("rows below the header: values as written, placeholders absent, '<0.1%' a note, totals rows skipped, blank rows ignored")
    func rowsRead() throws {
        let rows = [["banner"], ["作品名称", "发布时间", "播放量", "完播率", "平均播放时长"],
                    ["一杯茶\n#下午茶", "2026-05-29 20:00", "1.2万", "<0.1%", "1分20秒"],
                    ["", "", "", "", ""],
                    ["第二条", "46171.5", "--", "12.5%", "数据较少"],
                    ["合计", "", "13000", "", ""]]
        let columns: [Int: ExportColumn] = [0: .title, 1: .publishedAt, 2: .metric(.plays), 3: .metric(.completionRate), 4: .metric(.avgWatchSeconds)]
        let read = try ExportRows.read(rows, headerRow: 1, columns: columns).get()
        #expect(read.kind == .posts && read.errors.isEmpty && read.rowCount == 2)
        #expect(read.posts[0].title == "一杯茶 #下午茶" && read.posts[0].values == [.plays: 12_000, .avgWatchSeconds: 80] && read.posts[0].row == 3)
        #expect(read.posts[0].publishedAt == LocalDateTime(year: 2026, month: 5, day: 29, hour: 20, minute: 0))
        #expect(read.posts[1].values == [.completionRate: 0.125])
        #expect(read.posts[1].publishedAt == LocalDateTime(year: 2026, month: 5, day: 29, hour: 12, minute: 0))
        #expect(read.notes.map(\.kind) == [.belowThreshold, .totalsRow])
        #expect(read.notes.map(\.row) == [3, 6])
    }

    @Test("a post row needs a title, link or id; a post twice is an error")
    func postRowsChecked() throws {
        let read = try ExportRows.read([["标题", "播放"], ["", "5"], ["A", "1"], ["A", "2"]], headerRow: 0, columns: [0: .title, 1: .metric(.plays)]).get()
        #expect(read.errors.map(\.problem) == [.missingPost, .duplicatePost])
        #expect(read.errors.map(\.row) == [2, 4])
    }

    @Test("column roles round-trip through their keys, and unknown keys are refused")
    func columnKeys() {
        for role in ExportColumn.choices {
            #expect(ExportColumn(key: role.key, header: "") == (role == .kept("") ? .kept("") : role))
        }
        #expect(ExportColumn(key: "metric:nope", header: "") == nil)
        #expect(ExportColumn(key: "drop table", header: "") == nil)
        let encoded = MetricImport.encode([0: .title, 2: .metric(.reads), 3: .kept("备注")])
        #expect(MetricImport.decode(encoded, headers: ["标题", "x", "阅读", "备注"]) == [0: .title, 1: .kept("x"), 2: .metric(.reads), 3: .kept("备注")])
    }

    @Test("WeChat article addresses are keyed by mid and idx whatever their other parameters")
    func postIdentity() {
        #expect(ImportedPostIdentity.platformID(fromURL: "https://mp.weixin.qq.com/s?__biz=MzA&mid=22&idx=2&sn=a&chksm=b") == "22_2")
        #expect(ImportedPostIdentity.platformID(fromURL: "https://www.bilibili.com/video/BV1xx411c7mD") == "www.bilibili.com/BV1xx411c7mD")
        #expect(ImportedPostIdentity.fallbackID(title: "茶", publishedAt: nil) == ImportedPostIdentity.fallbackID(title: "茶", publishedAt: nil))
        #expect(ImportedPostIdentity.fallbackID(title: "茶", publishedAt: nil) != ImportedPostIdentity.fallbackID(title: "茶饮", publishedAt: nil))
    }

    @Test("engagement and its rate: parts present summed, reads or plays by platform, nothing when a side is missing")
    func derived() {
        #expect(DerivedMetric.engagement([.likes: 10, .comments: 2, .reads: 100]) == 12)
        #expect(DerivedMetric.engagement([.reads: 100]) == nil)
        #expect(DerivedMetric.engagementRate([.likes: 10, .reads: 200, .plays: 1_000], platform: .wechatOA) == 0.05)
        #expect(DerivedMetric.engagementRate([.likes: 10, .reads: 200, .plays: 1_000], platform: .douyin) == 0.01)
        #expect(DerivedMetric.engagementRate([.likes: 10, .reads: 0], platform: .weibo) == nil)
        #expect(DerivedMetric.engagementRate([.likes: 10], platform: .weibo) == nil)
        #expect(DerivedMetric.readRate(readers: 3_000, days: 30, followers: 1_000) == 0.1)
        #expect(DerivedMetric.readRate(readers: nil, days: 30, followers: 1_000) == nil)
        #expect(DerivedMetric.readRate(readers: 3_000, days: 30, followers: 0) == nil)
    }

    @Test("periods end yesterday in the workspace zone; the previous period has the same length; bad input names its field")
    func periods() throws {
        let today = LocalDate(year: 2026, month: 3, day: 1)
        let last7 = try ReportingPeriod.parse(period: "7d", month: nil, from: nil, to: nil, today: today)
        #expect(last7.from == LocalDate(year: 2026, month: 2, day: 22) && last7.to == LocalDate(year: 2026, month: 2, day: 28) && last7.days == 7)
        #expect(last7.previous.to == LocalDate(year: 2026, month: 2, day: 21) && last7.previous.days == 7)
        let month = try ReportingPeriod.parse(period: "month", month: "2026-02", from: nil, to: nil, today: today)
        #expect(month.days == 28 && month.previous.from == LocalDate(year: 2026, month: 1, day: 1) && month.previous.days == 31)
        #expect(try ReportingPeriod.parse(period: nil, month: nil, from: nil, to: nil, today: today).days == 30)
        let custom = try ReportingPeriod.parse(period: "custom", month: nil, from: "2025-12-01", to: "2025-12-10", today: today)
        #expect(custom.days == 10 && custom.previous.from == LocalDate(year: 2025, month: 11, day: 21))
        #expect(throws: ValidationError(field: "to", code: "date_before_start")) {
            try ReportingPeriod.parse(period: "custom", month: nil, from: "2025-12-10", to: "2025-12-01", today: today)
        }
        #expect(throws: ValidationError.self) { try ReportingPeriod.parse(period: "forever", month: nil, from: nil, to: nil, today: today) }
        #expect(throws: ValidationError.self) { try ReportingPeriod.parse(period: "month", month: "2026-13", from: nil, to: nil, today: today) }
        #expect(throws: ValidationError.self) { try ReportingPeriod.parse(period: "custom", month: nil, from: "1900-01-01", to: "2025-01-01", today: today) }
        // A malformed value is refused even where the period does not use it.
        #expect(throws: ValidationError(field: "to", code: "invalid_date")) { try ReportingPeriod.parse(period: "30d", month: nil, from: nil, to: "null", today: today) }
        #expect(throws: ValidationError(field: "month", code: "invalid_month")) { try ReportingPeriod.parse(period: "7d", month: "nope", from: nil, to: nil, today: today) }
    }
}
