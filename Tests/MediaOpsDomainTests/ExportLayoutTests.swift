import Foundation
import MediaOpsDomain
import Testing

@Suite("Export layouts")
struct ExportLayoutTests {
    /// Header rows as the back-offices write them (ANALYTICS-SOURCES.md §4).
    static let headers: [(ExportLayout, [String])] = [
        (.wechatArticles, ["内容标题", "发表时间", "总阅读人数", "总阅读次数", "总分享人数", "总分享次数", "阅读后关注人数", "送达人数", "公众号消息阅读次数",
                           "送达阅读率", "首次分享次数", "分享产生阅读次数", "首次分享率", "每次分享带来阅读次数", "阅读完成率", "内容url"]),
        (.wechatUsers, ["时间", "新关注人数", "取消关注人数", "净增关注人数", "累积关注人数"]),
        (.douyinWorks, ["作品名称", "发布时间", "体裁", "审核状态", "播放量", "完播率", "5s完播率", "封面点击率", "2s跳出率", "平均播放时长", "点赞量",
                        "分享量", "评论量", "收藏量", "主页访问量", "粉丝增量"]),
        (.douyinDaily, ["日期", "投稿量", "总播放量", "总点赞量", "总分享量", "总评论量", "5秒完播率", "2秒跳出率", "封面点击率", "平均播放时长"]),
        (.xiaohongshuNotes, ["笔记标题", "首次发布时间", "体裁", "曝光", "观看量", "封面点击率", "点赞", "评论", "收藏", "涨粉", "分享", "人均观看时长", "弹幕"]),
        (.channelsVideos, ["视频描述", "视频ID", "发布时间", "完播率", "平均播放时长", "播放量", "推荐", "喜欢", "评论量", "分享量", "关注量", "转发聊天和朋友圈",
                           "设为铃声", "设为状态", "设为朋友圈封面", "企微链接点击次数", "企微链接点击人数", "添加到通讯录次数", "添加到通讯录人数"]),
        (.channelsDaily, ["时间", "播放", "推荐", "喜欢", "评论", "分享", "关注"]),
        (.bilibiliRecent, ["标题", "发布时间", "播放数", "点赞", "弹幕", "评论", "投币", "收藏", "分享"]),
    ]

    @Test("every known layout is recognised from its own header row, and only as itself")
    func recognisesEachLayout() throws {
        #expect(Set(Self.headers.map(\.0)) == Set(ExportLayout.allCases))
        for (layout, header) in Self.headers {
            let found = try #require(RecognizedExport.recognise([header, Array(repeating: "1", count: header.count)]), "\(layout)")
            #expect(found.layout == layout && found.headerRow == 0, "\(layout) was read as \(found.layout)")
            #expect(found.columns.count == header.count)
        }
    }

    @Test("columns mean what their back-office means by them")
    func columnMeanings() throws {
        let channels = try #require(RecognizedExport.recognise([Self.headers[5].1]))
        #expect(channels.columns[1] == .postID && channels.columns[10] == .metric(.followsGained) && channels.columns[6] == .metric(.recommends))
        #expect(channels.columns[11] == .kept("转发聊天和朋友圈"), "a column that is no canonical metric is kept, not dropped")
        let daily = try #require(RecognizedExport.recognise([Self.headers[6].1]))
        #expect(daily.columns[0] == .day && daily.columns[6] == .metric(.followersNew) && daily.layout.isDaily)
        let wechat = try #require(RecognizedExport.recognise([Self.headers[0].1]))
        #expect(wechat.columns[9] == .metric(.deliveryReadRate) && wechat.columns[15] == .url && !wechat.layout.isDaily)
    }

    @Test("a banner above the header, spaces, line breaks and units in brackets do not hide a layout")
    func bannersAndDecorations() throws {
        let rows = [["最多导出排序后前1000条笔记", "", ""], ["笔记标题\n", " 首次发布时间", "曝光", "人均观看时长(秒)"], ["春茶上新", "2026年05月19日15时39分28秒", "1,024", "14.73秒"]]
        let found = try #require(RecognizedExport.recognise(rows))
        #expect(found.layout == .xiaohongshuNotes && found.headerRow == 1)
        #expect(found.columns[3] == .metric(.avgWatchSeconds))
    }

    @Test("a file no layout explains is left for the user to map")
    func unknownFile() {
        #expect(RecognizedExport.recognise([["日期", "某指标", "另一个"], ["2026-05-29", "1", "2"]]) == nil)
        #expect(RecognizedExport.recognise([]) == nil)
    }
}
