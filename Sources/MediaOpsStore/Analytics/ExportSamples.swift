import Foundation
import MediaOpsDomain

/// A sample file of each known back-office layout, in the container and
/// encoding that back-office uses (a 小红书 workbook with its banner row, a
/// 视频号 CSV with a byte-order mark, a 公众号 user CSV in GB18030 …), with
/// recent dates: to try an import with, and to see what a file should look like.
public enum ExportSamples {
    public struct Sample: Sendable {
        public var filename: String
        public var contentType: String
        public var data: Data
    }

    public static func sample(_ layout: ExportLayout, today: LocalDate) throws -> Sample {
        let days = (1...7).map { today.adding(days: -$0) }.reversed()
        func day(_ offset: Int, _ format: (LocalDate) -> String) -> String { format(today.adding(days: -offset)) }
        let dashed: (LocalDate) -> String = { $0.description }
        let slashed: (LocalDate) -> String = { "\($0.year)/\($0.month)/\($0.day)" }
        switch layout {
        case .wechatArticles:
            let rows: [[ExportTable.Cell]] = [
                [.text("春茶上新｜明前龙井到店"), .text(day(6) { String($0.description.replacingOccurrences(of: "-", with: "")) }), .number(3_102), .number(3_593), .number(41), .number(52), .number(12), .number(20_180), .number(0.155), .number(0.62), .text("https://mp.weixin.qq.com/s?__biz=MzA5&mid=2247483650&idx=1&sn=1a2b")],
                [.text("一杯茶的时间：通勤路上的小确幸"), .text(day(3) { String($0.description.replacingOccurrences(of: "-", with: "")) }), .number(2_210), .number(2_540), .number(30), .number(36), .number(8), .number(20_240), .number(0.109), .number(0.57), .text("https://mp.weixin.qq.com/s?__biz=MzA5&mid=2247483655&idx=1&sn=3c4d")],
            ]
            let table = ExportTable(sheetName: "内容分析", header: ["内容标题", "发表时间", "总阅读人数", "总阅读次数", "总分享人数", "总分享次数", "阅读后关注人数", "送达人数", "送达阅读率", "阅读完成率", "内容url"], rows: rows)
            return Sample(filename: "公众号-内容分析.xlsx", contentType: xlsx, data: try table.xlsx())
        case .wechatUsers:
            var total = 35_800
            var lines = ["时间,新关注人数,取消关注人数,净增关注人数,累积关注人数"]
            for (index, date) in days.enumerated() {
                let new = 90 + index * 7, lost = 20 + index % 3 * 4
                total += new - lost
                lines.append("\(date),\(new),\(lost),\(new - lost),\(total)")
            }
            let text = lines.joined(separator: "\r\n") + "\r\n"
            return Sample(filename: "公众号-用户分析.csv", contentType: "text/csv; charset=gb18030",
                          data: text.data(using: String.Encoding(rawValue: 0x8000_0632)) ?? Data(text.utf8))
        case .douyinWorks:
            let table = ExportTable(sheetName: "作品数据", header: ["作品名称", "发布时间", "播放量", "完播率", "5s完播率", "封面点击率", "2s跳出率", "平均播放时长", "点赞量", "分享量", "评论量", "收藏量", "主页访问量", "粉丝增量"], rows: [
                [.text("一杯茶的时间\n#下午茶 #新品"), .text(day(5, dashed) + " 07:00"), .text("1.2万"), .number(0.21), .number(0.45), .number(0.083), .number(0.31), .number(14.7), .number(860), .number(64), .number(38), .number(120), .number(310), .number(95)],
                [.text("茶园一日 vlog"), .text(day(2, dashed) + " 07:30"), .number(38_500), .number(0.18), .number(0.41), .number(0.091), .number(0.28), .number(22.3), .number(2_410), .number(180), .number(96), .number(402), .number(880), .number(260)],
            ])
            return Sample(filename: "抖音-作品数据.xlsx", contentType: xlsx, data: try table.xlsx())
        case .douyinDaily:
            var lines = ["日期,投稿量,总播放量,总点赞量,总分享量,总评论量,5秒完播率,2秒跳出率,封面点击率,平均播放时长"]
            for (index, date) in days.enumerated() {
                lines.append("\(date),\(index % 2),\"\(String(15_000 + index * 1_300))\",\(900 + index * 40),\(30 + index),\(40 + index * 2),\(38 + index % 4).5%,\(27 + index % 3)%,9.\(index)%,\(11 + index % 5).2")
            }
            return Sample(filename: "抖音-账号每日数据.csv", contentType: "text/csv; charset=utf-8", data: Data((lines.joined(separator: "\r\n") + "\r\n").utf8))
        case .xiaohongshuNotes:
            func stamp(_ offset: Int, _ hour: Int) -> String {
                let date = today.adding(days: -offset)
                return String(format: "%04d年%02d月%02d日%02d时%02d分%02d秒", date.year, date.month, date.day, hour, 12, 30)
            }
            let table = ExportTable(sheetName: "笔记列表明细表", header: ["笔记标题", "首次发布时间", "体裁", "曝光", "观看量", "封面点击率", "点赞", "评论", "收藏", "涨粉", "分享", "人均观看时长", "弹幕"], rows: [
                [.text("通勤路上的茶｜三款低糖推荐"), .text(stamp(6, 19)), .text("图文"), .number(20_400), .number(1_830), .number(0.09), .number(152), .text("-"), .number(88), .number(6), .number(10), .text("数据较少"), .number(0)],
                [.text("门店探访：城市限定杯"), .text(stamp(3, 20)), .text("视频"), .number(35_100), .number(4_260), .number(0.12), .number(420), .number(36), .number(210), .number(18), .number(25), .number(21.5), .number(14)],
            ], banner: "最多导出排序后前1000条笔记，数据以导出时为准")
            return Sample(filename: "笔记列表明细表.xlsx", contentType: xlsx, data: try table.xlsx())
        case .channelsVideos:
            let lines = ["视频描述,视频ID,发布时间,完播率,平均播放时长,播放量,推荐,喜欢,评论量,分享量,关注量,转发聊天和朋友圈,设为铃声,设为状态,设为朋友圈封面,企微链接点击次数,企微链接点击人数,添加到通讯录次数,添加到通讯录人数",
                         "春茶上新 #明前龙井,export/UzFfBgAAdemo1,\(day(6, slashed)),4.41%,14.73秒,\"3,593\",12,40,5,7,3,9,,,,,,,",
                         "秋日茶席,export/UzFfBgAAdemo2,\(day(2, slashed)),12.2%,1分20秒,1.2万,31,88,14,20,11,15,,,,,,,"]
            return Sample(filename: "视频号动态数据明细.csv", contentType: "text/csv; charset=utf-8",
                          data: Data([0xEF, 0xBB, 0xBF]) + Data((lines.joined(separator: "\r\n") + "\r\n").utf8))
        case .channelsDaily:
            var lines = ["时间,播放,推荐,喜欢,评论,分享,关注"]
            for (index, date) in days.enumerated() { lines.append("\(date),\(4_800 + index * 210),\(28 + index),\(190 + index * 6),\(11 + index),\(38 + index),\(22 + index)") }
            return Sample(filename: "视频号-每日数据.csv", contentType: "text/csv; charset=utf-8",
                          data: Data([0xEF, 0xBB, 0xBF]) + Data((lines.joined(separator: "\r\n") + "\r\n").utf8))
        case .bilibiliRecent:
            func stamp(_ offset: Int) -> String {
                let date = today.adding(days: -offset)
                return String(format: "%04d年%02d月%02d日 18:40:34", date.year, date.month, date.day)
            }
            let lines = ["标题,发布时间,播放,点赞,弹幕,评论,投币,收藏,分享,涨粉",
                         "茶园一日｜从采摘到一杯茶,\(stamp(5)),8012,603,121,45,300,210,33,15",
                         "冷泡茶的三种做法,\(stamp(1)),3570,244,38,19,96,140,12,6"]
            return Sample(filename: "哔哩哔哩近期稿件对比.csv", contentType: "text/csv; charset=utf-8",
                          data: Data([0xEF, 0xBB, 0xBF]) + Data((lines.joined(separator: "\r\n") + "\r\n").utf8))
        }
    }

    static let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}
