import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

/// Export files built here the way each back-office writes them, read,
/// previewed and committed into the metric store on both databases.
@Suite("Export file imports")
struct ImportServiceTests {
    typealias W = WorkbookFixture

    static func setUp(_ database: Database, platform: String = "wechat_oa", handle: String = "gh_qinghe") async throws -> (Principal, Account) {
        let team = StoreFixtures.service(database)
        let (_, owner) = try await StoreFixtures.setUp(team)
        let wechat = platform == "wechat_oa"
        let account = try await team.createAccount(.init(platform: platform, name: "青禾茶饮", handle: handle, kind: wechat ? "service" : nil,
                                                         fields: wechat ? ["app_id": "wx0123456789abcdef"] : nil), by: owner)
        return (owner, account)
    }

    static func csv(_ text: String, bom: Bool = false) -> Data { (bom ? Data([0xEF, 0xBB, 0xBF]) : Data()) + Data(text.utf8) }

    static func gb18030(_ text: String) -> Data {
        text.data(using: String.Encoding(rawValue: 0x8000_0632))!
    }

    // MARK: Reading workbooks

    @Test("a workbook's shared, rich and inline strings, exponent numbers, skipped cells and rows, and every sheet are read as written")
    func workbookCells() throws {
        let data = try W.build([
            W.Sheet(name: "说明", [[.text("本表仅供参考")]]),
            W.Sheet(name: "数据", rows: [
                (1, [.text("标题"), .rich(["春茶", "上新"]), .inline("行内"), .number("4.4099999999999999E-2")]),
                (3, [.text("第三行"), .skip, .number("46171.5")]),
            ]),
        ])
        let sheets = try XLSXReader.sheets(data)
        #expect(sheets.map(\.name) == ["说明", "数据"])
        #expect(sheets[1].rows == [["标题", "春茶上新", "行内", "4.4099999999999999E-2"], ["", "", "", ""], ["第三行", "", "46171.5", ""]])
        #expect(ExportCell.fraction("4.4099999999999999E-2") == .value(0.0441))
    }

    @Test("files that are not workbooks or carry a DTD are refused with their reason; a legacy .xls is named")
    func refusedFiles() throws {
        #expect(throws: ExportFileReader.Problem.legacyWorkbook) { try ExportFileReader.read(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0])) }
        #expect(throws: ExportFileReader.Problem.empty) { try ExportFileReader.read(Data()) }
        #expect(throws: XLSXReader.Problem.notAWorkbook) { try ExportFileReader.read(Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3])) }
        let hostile = try W.build([W.Sheet(name: "S", [[.text("a")]])], extraParts: [
            "xl/workbook.xml": "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">]><workbook><sheets><sheet name=\"&lol;\" r:id=\"rId1\"/></sheets></workbook>",
        ])
        #expect(throws: (any Error).self) { try XLSXReader.sheets(hostile) }
        // A workbook we write reads back the same.
        let table = ExportTable(sheetName: "总览", header: ["账号", "粉丝"], rows: [[.text("青禾 & <茶>"), .number(35_930)], [.text("=SUM(A1)"), .empty]])
        let back = try XLSXReader.sheets(try table.xlsx())
        #expect(back.first?.name == "总览")
        #expect(back.first?.rows == [["账号", "粉丝"], ["青禾 & <茶>", "35930"], ["=SUM(A1)", ""]])
        // CSV starts with a BOM and neutralises formulas.
        let csv = String(decoding: table.csv().dropFirst(3), as: UTF8.self)
        #expect(csv == "账号,粉丝\r\n青禾 & <茶>,35930\r\n'=SUM(A1),\r\n")
    }

    // MARK: Every known layout, end to end

    struct LayoutCase: Sendable, CustomStringConvertible {
        var layout: ExportLayout
        var platform: String
        var data: @Sendable () throws -> Data
        /// A value the import must store: (row title or day, key, value).
        var expected: (String, MetricKey, Double)
        var rows: Int
        var description: String { layout.rawValue }
    }

    static let layoutCases: [LayoutCase] = [
        LayoutCase(layout: .wechatArticles, platform: "wechat_oa", data: {
            try W.build([W.Sheet(name: "Sheet1", [
                [.text("内容标题"), .text("发表时间"), .text("总阅读人数"), .text("总阅读次数"), .text("总分享人数"), .text("总分享次数"), .text("阅读后关注人数"),
                 .text("送达人数"), .text("送达阅读率"), .text("阅读完成率"), .text("内容url")],
                [.text("秋天的第一杯奶茶"), .number("20261102"), .number("3100"), .text("3,593"), .number("40"), .number("52"), .number("12"), .number("20000"),
                 .number("0.155"), .text("62.5%"), .text("https://mp.weixin.qq.com/s?__biz=MzA&mid=2247483650&idx=1&sn=abc")],
            ])])
        }, expected: ("秋天的第一杯奶茶", .reads, 3_593), rows: 1),
        LayoutCase(layout: .wechatUsers, platform: "wechat_oa", data: {
            gb18030("时间,新关注人数,取消关注人数,净增关注人数,累积关注人数\n2026-11-01,120,20,100,35930\n2026-11-02,80,95,-15,35915\n")
        }, expected: ("2026-11-02", .followersNet, -15), rows: 2),
        LayoutCase(layout: .douyinWorks, platform: "douyin", data: {
            try W.build([W.Sheet(name: "作品", [
                [.text("作品名称"), .text("发布时间"), .text("播放量"), .text("完播率"), .text("5s完播率"), .text("点赞量"), .text("评论量"), .text("分享量"), .text("平均播放时长")],
                [.inline("一杯茶的时间\n#下午茶 #新品"), .number("46331.8333333333"), .text("1.2万"), .number("0.21"), .text("45%"), .number("800"), .number("35"), .number("60"), .text("00:14")],
            ])])
        }, expected: ("一杯茶的时间 #下午茶 #新品", .plays, 12_000), rows: 1),
        LayoutCase(layout: .douyinDaily, platform: "douyin", data: {
            csv("日期,投稿量,总播放量,总点赞量,总分享量,总评论量,5秒完播率,2秒跳出率,封面点击率,平均播放时长\n2026/11/1,2,\"15,000\",900,30,40,38.5%,--,12%,9.5\n")
        }, expected: ("2026-11-01", .plays, 15_000), rows: 1),
        LayoutCase(layout: .xiaohongshuNotes, platform: "xiaohongshu", data: {
            try W.build([W.Sheet(name: "笔记列表明细表", [
                [.text("最多导出排序后前1000条笔记")],
                [.text("笔记标题"), .text("首次发布时间"), .text("体裁"), .text("曝光"), .text("观看量"), .text("封面点击率"), .text("点赞"), .text("评论"),
                 .text("收藏"), .text("涨粉"), .text("分享"), .text("人均观看时长"), .text("弹幕")],
                [.text("通勤路上的茶"), .text("2026年11月03日15时39分28秒"), .text("图文"), .number("20000"), .number("1800"), .number("0.09"),
                 .number("150"), .text("-"), .number("88"), .number("6"), .number("10"), .text("数据较少"), .number("0")],
            ])])
        }, expected: ("通勤路上的茶", .favorites, 88), rows: 1),
        LayoutCase(layout: .channelsVideos, platform: "wechat_channels", data: {
            csv("视频描述,视频ID,发布时间,完播率,平均播放时长,播放量,推荐,喜欢,评论量,分享量,关注量,转发聊天和朋友圈,设为铃声,设为状态,设为朋友圈封面,企微链接点击次数,企微链接点击人数,添加到通讯录次数,添加到通讯录人数\n"
                + "春茶上新,export/UzFfBgAA1,2026/11/07,4.41%,14.73秒,\"3,593\",12,40,5,7,3,,,,,,,,\n", bom: true)
        }, expected: ("春茶上新", .completionRate, 0.0441), rows: 1),
        LayoutCase(layout: .channelsDaily, platform: "wechat_channels", data: {
            csv("时间,播放,推荐,喜欢,评论,分享,关注\n2026-11-05,5000,30,200,12,40,25\n", bom: true)
        }, expected: ("2026-11-05", .followersNew, 25), rows: 1),
        LayoutCase(layout: .bilibiliRecent, platform: "bilibili", data: {
            csv("标题,发布时间,播放,点赞,弹幕,评论,投币,收藏,分享,涨粉\n茶园一日,2026年11月04日 12:40:34,8000,600,120,45,300,210,33,15\n", bom: true)
        }, expected: ("茶园一日", .coins, 300), rows: 1),
    ]

    @Test("each known back-office layout is recognised from its headers and its values stored", arguments: TestDatabase.available, layoutCases)
    func knownLayouts(db: TestDatabase, testCase: LayoutCase) async throws {
        try await db.with { database in
            let (owner, account) = try await Self.setUp(database, platform: testCase.platform)
            let imports = ImportService(database: database)
            let preview = try await imports.upload(owner, accountID: account.id, filename: "export", data: try testCase.data())
            #expect(preview.record.layout == testCase.layout)
            #expect(preview.rows?.errors == [])
            #expect(preview.rows?.rowCount == testCase.rows)
            let done = try await imports.commit(owner, id: preview.record.id)
            #expect(done.state == .committed && done.rowCount == testCase.rows)
            let (subject, key, value) = testCase.expected
            if let day = LocalDate(subject) {
                let stored = try await MetricService(database: database).daily(accountID: account.id, from: day, to: day)[day]
                #expect(stored?[key]?.value == value)
                #expect(stored?[key]?.provenance.source == .fileImport && stored?[key]?.provenance.importID == done.id)
            } else {
                let post = try #require(try await MetricService(database: database).posts(accountID: account.id).first { $0.title == subject })
                #expect(post.origin == .external)
                let snapshot = try #require(try await MetricService(database: database).snapshots(postID: post.id).last)
                #expect(snapshot.values[key]?.value == value)
                // Placeholders stay absent, never zero.
                #expect(snapshot.values.values.allSatisfy { $0.provenance.source == .fileImport })
            }
        }
    }

    // MARK: All or nothing, idempotence, matching

    @Test("a file with a broken row lists every error with its row and writes nothing", arguments: TestDatabase.available)
    func allOrNothing(db: TestDatabase) async throws {
        try await db.with { database in
            let (owner, account) = try await Self.setUp(database)
            let imports = ImportService(database: database)
            let data = Self.csv("时间,新关注人数,取消关注人数,净增关注人数,累积关注人数\n2026-11-01,120,20,100,35930\n2026-11-02,八十,95,-15,35915\n2026-13-03,1,1,0,35915\n2026-11-01,1,1,0,1\n")
            let preview = try await imports.upload(owner, accountID: account.id, filename: "users.csv", data: data)
            let errors = try #require(preview.rows?.errors)
            #expect(errors.map(\.row) == [3, 4, 5])
            #expect(errors.map(\.problem) == [.notANumber, .notADate, .duplicateDay])
            #expect(errors.first?.column == "新关注人数" && errors.first?.value == "八十")
            #expect(!preview.canCommit)
            await #expect(throws: ValidationError.self) { _ = try await imports.commit(owner, id: preview.record.id) }
            let day = LocalDate(year: 2026, month: 11, day: 1)
            #expect(try await MetricService(database: database).daily(accountID: account.id, from: day, to: day.adding(days: 5)).isEmpty)
            #expect(try await imports.find(id: preview.record.id)?.state == .previewed)
        }
    }

    @Test("the same file imported twice changes nothing; posts are matched by platform id, by address and by title and day", arguments: TestDatabase.available)
    func idempotentAndMatched(db: TestDatabase) async throws {
        try await db.with { database in
            let (owner, account) = try await Self.setUp(database)
            let metrics = MetricService(database: database)
            let zone = TimeZone(identifier: "Asia/Shanghai")!
            let published = LocalDateTime(year: 2026, month: 11, day: 2, hour: 20, minute: 0).instant(in: zone)!
            // Known before the file: one by the 公众号 msgid (mid_idx), one only by its title and day.
            let (byURL, _) = try await metrics.recordSnapshot(.init(accountID: account.id, platformPostID: "2247483650_1", title: "秋天的第一杯奶茶", publishedAt: published),
                                                             values: [.reads: 10], provenance: MetricProvenance(source: .apiPull, capturedAt: published.addingTimeInterval(3_600)))
            let (byTitle, _) = try await metrics.recordSnapshot(.init(accountID: account.id, platformPostID: "2247483651_1", title: "冬日限定", publishedAt: published),
                                                               values: [.reads: 5], provenance: MetricProvenance(source: .apiPull, capturedAt: published.addingTimeInterval(3_600)))
            let data = Self.csv("""
                内容标题,发表时间,总阅读人数,总阅读次数,内容url
                秋天的第一杯奶茶,20261102,3100,3593,"https://mp.weixin.qq.com/s?__biz=MzA&mid=2247483650&idx=1&sn=zzz&chksm=1"
                冬日限定,2026-11-02,900,1000,
                新来的一篇,2026-11-03,50,60,

                """)
            let imports = ImportService(database: database)
            let first = try await imports.commit(owner, id: try await imports.upload(owner, accountID: account.id, filename: "a.csv", data: data).record.id)
            #expect(first.postsMatched == 2 && first.postsCreated == 1)
            #expect(try await metrics.snapshots(postID: byURL.id).last?.values[.reads]?.value == 3_593)
            #expect(try await metrics.snapshots(postID: byTitle.id).last?.values[.readers]?.value == 900)
            let again = try await imports.upload(owner, accountID: account.id, filename: "a (1).csv", data: data)
            #expect(again.earlier?.id == first.id)
            let second = try await imports.commit(owner, id: again.record.id)
            #expect(second.summary.inserted == 0 && second.summary.changed == 0 && second.summary.unchanged == first.summary.inserted)
            #expect(second.postsCreated == 0)
            #expect(try await metrics.snapshots(postID: byURL.id).count == 2)
            #expect(try await metrics.posts(accountID: account.id).count == 3)
            // Committed imports cannot be committed again.
            await #expect(throws: ConflictError.self) { _ = try await imports.commit(owner, id: first.id) }
        }
    }

    @Test("an unknown file is mapped by hand once and the mapping is remembered for the same header", arguments: TestDatabase.available)
    func unknownFileMapped(db: TestDatabase) async throws {
        try await db.with { database in
            let (owner, account) = try await Self.setUp(database, platform: "weibo", handle: "qinghetea")
            let imports = ImportService(database: database)
            let data = Self.csv("统计日,粉丝数,阅读数,备注\n2026-11-01,1000,\"2,000\",周末\n2026-11-02,1010,1500,\n")
            let preview = try await imports.upload(owner, accountID: account.id, filename: "weibo.csv", data: data)
            #expect(preview.record.layout == nil && preview.mappingProblem == .noMetric && !preview.canCommit)
            await #expect(throws: ValidationError.self) {
                _ = try await imports.map(owner, id: preview.record.id, columns: [0: "day", 1: "metric:no_such_metric"])
            }
            let mapped = try await imports.map(owner, id: preview.record.id, columns: [0: "day", 1: "metric:followers_total", 2: "metric:reads", 3: "ignore"])
            #expect(mapped.mappingProblem == nil && mapped.rows?.kind == .daily && mapped.canCommit)
            _ = try await imports.commit(owner, id: preview.record.id)
            let day = LocalDate(year: 2026, month: 11, day: 1)
            #expect(try await MetricService(database: database).daily(accountID: account.id, from: day, to: day)[day]?[.reads]?.value == 2_000)
            // Another file with the same header is read with the remembered mapping.
            let next = try await imports.upload(owner, accountID: account.id, filename: "weibo-12.csv", data: Self.csv("统计日,粉丝数,阅读数,备注\n2026-12-01,1100,900,\n"))
            #expect(next.mappingRemembered && next.canCommit && next.rows?.days.first?.values[.followersTotal] == 1_100)
        }
    }

    @Test("a large file is committed by the worker and its uploader is told", arguments: TestDatabase.available)
    func largeFileQueued(db: TestDatabase) async throws {
        try await db.with { database in
            let (owner, account) = try await Self.setUp(database)
            let imports = ImportService(database: database, inlineRowLimit: 3)
            var text = "时间,新关注人数,取消关注人数,净增关注人数,累积关注人数\n"
            var day = LocalDate(year: 2026, month: 1, day: 1)
            for index in 0..<10 {
                text += "\(day),\(10 + index),2,\(8 + index),\(1_000 + index)\n"
                day = day.adding(days: 1)
            }
            let preview = try await imports.upload(owner, accountID: account.id, filename: "year.csv", data: Self.csv(text))
            let queued = try await imports.commit(owner, id: preview.record.id)
            #expect(queued.state == .queued)
            let jobs = try await JobQueue(database: database).claim(owner: "test", limit: 5, lease: 60, kinds: [.metricImport])
            #expect(jobs.map(\.payload) == [preview.record.id])
            let done = try #require(try await imports.runQueued(id: preview.record.id))
            #expect(done.state == .committed && done.summary.inserted == 40)
            let first = LocalDate(year: 2026, month: 1, day: 1)
            #expect(try await MetricService(database: database).daily(accountID: account.id, from: first, to: first.adding(days: 9)).count == 10)
        }
    }

    @Test("a large file's progress is read by its page while it is written, and on PostgreSQL kept where another process reads it", arguments: TestDatabase.available)
    func largeFileProgress(db: TestDatabase) async throws {
        try await db.with(sqliteFile: true) { database in
            let (owner, account) = try await Self.setUp(database, platform: "douyin", handle: "qinghe_douyin")
            let imports = ImportService(database: database, inlineRowLimit: 10)
            // More rows than one bulk statement writes, so the count moves in steps.
            var text = "作品名称,发布时间,播放量,完播率,点赞量,评论量,分享量,收藏量\n"
            for index in 0..<12_000 { text += "作品\(index),2026-0\(1 + index % 9)-1\(index % 10) 20:00,\(1_000 + index),0.3\(index % 10),\(index % 97),3,2,1\n" }
            let preview = try await imports.upload(owner, accountID: account.id, filename: "works.csv", data: Self.csv(text), layout: .douyinWorks)
            #expect(preview.rows?.errors.isEmpty == true && preview.rows?.rowCount == 12_000)
            let queued = try await imports.commit(owner, id: preview.record.id)
            #expect(queued.state == .queued)
            #expect(try await imports.progress(of: queued) == nil)   // queued: nothing known yet
            let id = preview.record.id
            let finished = DoneFlag()
            let run = Task {
                defer { finished.set() }
                return try await imports.runQueued(id: id)
            }
            var seen: [Int] = []
            // The page's own reads: the import's record (on SQLite from a reader beside the
            // import's open transaction, so it does not wait for the commit), then its count.
            while true {
                let record = try #require(try await imports.find(id: id))
                if record.state == .committed || finished.isSet { break }
                if let now = try await imports.progress(of: record) {
                    #expect(now.total == 12_000 && now.written <= now.total)
                    seen.append(now.written)
                }
                try await Task.sleep(for: .milliseconds(2))
            }
            let done = try #require(try await run.value)
            #expect(done.state == .committed && done.postsCreated == 12_000)
            #expect(!seen.isEmpty, "the progress was never seen while the import ran")
            #expect(seen == seen.sorted(), "progress went backwards: \(seen)")
            // Done: the bar is gone.
            #expect(try await imports.progress(of: done) == nil)
            let stored = try await database.sql.raw("SELECT rows_written FROM metric_imports WHERE id = \(bind: id)").first()?.decodeNil(column: "rows_written")
            #expect(stored == (database.kind == .sqlite))   // PostgreSQL wrote the count beside the transaction

            // The same file again: every post is known, so the import compares instead of
            // writing, and its bar moves while it compares instead of waiting at nothing.
            let again = try await imports.upload(owner, accountID: account.id, filename: "works.csv", data: Self.csv(text), layout: .douyinWorks)
            _ = try await imports.commit(owner, id: again.record.id)
            let rerunDone = DoneFlag()
            let rerun = Task {
                defer { rerunDone.set() }
                return try await imports.runQueued(id: again.record.id)
            }
            var between: [Int] = []
            while !rerunDone.isSet {
                if let now = ImportProgress.shared.current(importID: again.record.id), now.written > 0, now.written < now.total { between.append(now.written) }
                try await Task.sleep(for: .milliseconds(1))
            }
            let second = try #require(try await rerun.value)
            #expect(second.state == .committed && second.postsMatched == 12_000 && second.postsCreated == 0)
            #expect(!between.isEmpty, "a re-import showed no progress until it was done")
            #expect(between == between.sorted())
        }
    }
}

/// Set once a task has ended, read from another.
private final class DoneFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
