import Foundation

/// What one column of an export file holds.
public enum ExportColumn: Equatable, Hashable, Sendable {
    case metric(MetricKey)
    /// The day a row of account metrics is for.
    case day
    case title
    case publishedAt
    case url
    /// The platform's stable id of the post (视频号 视频ID …).
    case postID
    /// Known to the back-office but not a canonical metric: kept in the raw record.
    case kept(String)
}

/// The back-office export files MediaOps recognises (ANALYTICS-SOURCES.md §4),
/// each by the headers it writes. Whether a file holds one row per post or
/// one row per day follows from its columns.
public enum ExportLayout: String, CaseIterable, Sendable {
    case wechatArticles = "wechat_oa_articles"
    case wechatUsers = "wechat_oa_users"
    case douyinWorks = "douyin_works"
    case douyinDaily = "douyin_daily"
    case xiaohongshuNotes = "xiaohongshu_notes"
    case channelsVideos = "channels_videos"
    case channelsDaily = "channels_daily"
    case bilibiliRecent = "bilibili_recent"

    /// The headers that must all be present for a file to be this layout.
    public var signature: [String] {
        switch self {
        case .wechatArticles: ["内容标题", "发表时间", "总阅读次数"]
        case .wechatUsers: ["新关注人数", "取消关注人数", "累积关注人数"]
        case .douyinWorks: ["作品名称", "发布时间", "播放量"]
        case .douyinDaily: ["日期", "投稿量", "总播放量"]
        case .xiaohongshuNotes: ["笔记标题", "首次发布时间"]
        case .channelsVideos: ["视频描述", "视频ID", "播放量"]
        case .channelsDaily: ["时间", "播放", "推荐", "喜欢"]
        case .bilibiliRecent: ["标题", "发布时间", "投币"]
        }
    }

    /// Header → what it holds, for this layout (the same words mean different
    /// things in different back-offices: 关注 is a post's follows on 视频号
    /// videos and the day's new follows in its daily file).
    public var aliases: [String: ExportColumn] {
        switch self {
        case .wechatArticles:
            ["内容标题": .title, "发表时间": .publishedAt, "总阅读人数": .metric(.readers), "总阅读次数": .metric(.reads),
             "总分享人数": .metric(.sharers), "总分享次数": .metric(.shares), "阅读后关注人数": .metric(.followsGained),
             "送达人数": .metric(.delivered), "送达阅读率": .metric(.deliveryReadRate), "阅读完成率": .metric(.completionRate),
             "内容url": .url, "内容URL": .url]
        case .wechatUsers:
            ["时间": .day, "日期": .day, "新关注人数": .metric(.followersNew), "取消关注人数": .metric(.followersLost),
             "净增关注人数": .metric(.followersNet), "累积关注人数": .metric(.followersTotal)]
        case .douyinWorks:
            ["作品名称": .title, "发布时间": .publishedAt, "播放量": .metric(.plays), "完播率": .metric(.completionRate),
             "5s完播率": .metric(.completion5sRate), "5秒完播率": .metric(.completion5sRate), "封面点击率": .metric(.coverCTR),
             "2s跳出率": .metric(.bounce2sRate), "2秒跳出率": .metric(.bounce2sRate), "平均播放时长": .metric(.avgWatchSeconds),
             "点赞量": .metric(.likes), "分享量": .metric(.shares), "评论量": .metric(.comments), "收藏量": .metric(.favorites),
             "主页访问量": .metric(.profileVisits), "粉丝增量": .metric(.followsGained)]
        case .douyinDaily:
            ["日期": .day, "总播放量": .metric(.plays), "总点赞量": .metric(.likes), "总分享量": .metric(.shares), "总评论量": .metric(.comments),
             "5秒完播率": .metric(.completion5sRate), "5s完播率": .metric(.completion5sRate), "2秒跳出率": .metric(.bounce2sRate),
             "2s跳出率": .metric(.bounce2sRate), "封面点击率": .metric(.coverCTR), "平均播放时长": .metric(.avgWatchSeconds)]
        case .xiaohongshuNotes:
            ["笔记标题": .title, "首次发布时间": .publishedAt, "曝光": .metric(.impressions), "观看量": .metric(.reads),
             "封面点击率": .metric(.coverCTR), "点赞": .metric(.likes), "评论": .metric(.comments), "收藏": .metric(.favorites),
             "涨粉": .metric(.followsGained), "分享": .metric(.shares), "人均观看时长": .metric(.avgWatchSeconds), "弹幕": .metric(.danmaku)]
        case .channelsVideos:
            ["视频描述": .title, "视频ID": .postID, "发布时间": .publishedAt, "完播率": .metric(.completionRate),
             "平均播放时长": .metric(.avgWatchSeconds), "播放量": .metric(.plays), "推荐": .metric(.recommends), "喜欢": .metric(.likes),
             "评论量": .metric(.comments), "分享量": .metric(.shares), "关注量": .metric(.followsGained)]
        case .channelsDaily:
            ["时间": .day, "播放": .metric(.plays), "推荐": .metric(.recommends), "喜欢": .metric(.likes), "评论": .metric(.comments),
             "分享": .metric(.shares), "关注": .metric(.followersNew)]
        case .bilibiliRecent:
            ["标题": .title, "发布时间": .publishedAt, "播放": .metric(.plays), "播放数": .metric(.plays), "点赞": .metric(.likes),
             "弹幕": .metric(.danmaku), "评论": .metric(.comments), "投币": .metric(.coins), "收藏": .metric(.favorites),
             "分享": .metric(.shares), "涨粉": .metric(.followsGained)]
        }
    }

    /// One row per day of the account (otherwise one row per post).
    public var isDaily: Bool { [.wechatUsers, .douyinDaily, .channelsDaily].contains(self) }

    /// A header as compared: spaces, line breaks and a trailing unit in
    /// brackets dropped ("平均播放时长(秒)", "作品名称\n").
    public static func normalised(_ header: String) -> String {
        var text = ExportCell.clean(header).replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "")
        for (open, close) in [("(", ")"), ("（", "）")] {
            if text.hasSuffix(close), let start = text.range(of: open, options: .backwards) { text = String(text[..<start.lowerBound]) }
        }
        return text
    }
}

/// A file's layout found from its first rows: which row is the header
/// (back-offices put banners and notes above it) and what each column holds.
public struct RecognizedExport: Equatable, Sendable {
    public var layout: ExportLayout
    /// Index of the header row among the rows read (0-based).
    public var headerRow: Int
    public var columns: [Int: ExportColumn]

    /// How many rows above the header a file may carry (banners, notes, merged titles).
    public static let rowsSearched = 10

    /// The layout whose signature a row of `rows` holds, preferring the
    /// layout that explains the most columns of that row; nil for a file
    /// none of them matches (the user maps it by hand).
    public static func recognise(_ rows: [[String]], among layouts: [ExportLayout] = ExportLayout.allCases) -> RecognizedExport? {
        var best: (score: Int, result: RecognizedExport)?
        for (index, row) in rows.prefix(rowsSearched).enumerated() {
            let headers = row.map(ExportLayout.normalised)
            for layout in layouts where layout.signature.allSatisfy(headers.contains) {
                let aliases = layout.aliases
                var columns: [Int: ExportColumn] = [:]
                var known = 0
                for (column, header) in headers.enumerated() where !header.isEmpty {
                    if let role = aliases[header], !columns.values.contains(role) {
                        columns[column] = role
                        known += 1
                    } else {
                        columns[column] = .kept(header)
                    }
                }
                if known > (best?.score ?? 0) { best = (known, RecognizedExport(layout: layout, headerRow: index, columns: columns)) }
            }
        }
        return best?.result
    }
}
