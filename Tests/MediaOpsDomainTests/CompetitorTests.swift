import Foundation
import MediaOpsDomain
import Testing

/// The competitor rules without a database: a competitor's fields, a day's
/// numbers, a file's rows read against the tracked competitors, and a
/// period's figures from its days.
@Suite("Competitors")
struct CompetitorTests {
    static let today = LocalDate(year: 2026, month: 12, day: 7)
    static let known = [
        CompetitorFile.Known(id: "cmp_shanlan", platform: .weibo, name: "山岚茶事", handle: "shanlan_tea"),
        CompetitorFile.Known(id: "cmp_guiyu_wb", platform: .weibo, name: "桂语鲜茶", handle: "guiyu"),
        CompetitorFile.Known(id: "cmp_guiyu_dy", platform: .douyin, name: "桂语鲜茶抖音", handle: "guiyu"),
    ]

    @Test("a competitor's fields are checked all at once; only http and https links are accepted")
    func fields() {
        let broken = Competitor(id: "x", platform: .weibo, name: String(repeating: "名", count: 81), handle: "", url: "javascript:alert(1)",
                                group: "", notes: String(repeating: "n", count: 2_001))
        #expect(broken.validationErrors().map(\.field) == ["name", "handle", "url", "notes"])
        for url in ["https://weibo.com/shanlan", "http://example.com/a?b=1"] {
            #expect(Competitor(id: "x", platform: .weibo, name: "a", handle: "b", url: url).validationErrors().isEmpty, "\(url)")
        }
        for url in ["ftp://example.com", "data:text/html,hi", "//weibo.com/x", "https://user@evil.com/", "weibo.com/x"] {
            #expect(Competitor(id: "x", platform: .weibo, name: "a", handle: "b", url: url).validationErrors().map(\.code) == ["invalid_url"], "\(url)")
        }
        #expect(!Competitor.platforms.contains(.webhook))
    }

    @Test("a day's numbers: counts whole and not negative, averages may have decimals, nothing absurdly large", arguments: [
        (CompetitorMetric.followers, 12_000.0, nil), (.followers, -1, "metric_negative"), (.followers, 1.5, "metric_not_whole"),
        (.posts, 0, nil), (.avgLikes, 318.5, nil), (.avgReads, 2e11, "out_of_range"), (.avgComments, .infinity, "metric_not_a_number"),
    ] as [(CompetitorMetric, Double, String?)])
    func metricChecks(metric: CompetitorMetric, value: Double, code: String?) {
        #expect(metric.check(value, field: metric.rawValue)?.code == code)
    }

    @Test("headers in Chinese or English, written loosely, find their column")
    func headers() {
        #expect(CompetitorFile.role(of: " 日期 ") == .date)
        #expect(CompetitorFile.role(of: "Competitor") == .competitor)
        #expect(CompetitorFile.role(of: "Avg Likes") == .metric(.avgLikes))
        #expect(CompetitorFile.role(of: "篇均阅读") == .metric(.avgReads))
        #expect(CompetitorFile.role(of: "粉丝数") == .metric(.followers))
        #expect(CompetitorFile.role(of: "FOLLOWERS") == .metric(.followers))
        #expect(CompetitorFile.role(of: "平台") == .platform)
        #expect(CompetitorFile.role(of: "转发") == nil)
        #expect(CompetitorFile.platform("微博") == .weibo && CompetitorFile.platform("B站") == .bilibili && CompetitorFile.platform("webhook") == nil)
    }

    @Test("a file's rows: a banner above the header, handles with @, names, placeholders absent, every problem with its row and column")
    func rows() throws {
        let rows: [[String]] = [
            ["竞品周报（手工整理）", "", "", "", "", ""],
            ["日期", "竞品", "平台", "粉丝数", "发文数", "篇均点赞"],
            ["2026-12-01", "@shanlan_tea", "", "1.2万", "2", "240.5"],
            ["2026/12/02", "山岚茶事", "", "--", "", "数据较少"],
            ["2026-12-02", "guiyu", "", "5000", "1", "10"],
            ["2026-12-02", "guiyu", "抖音", "9000", "1", "12"],
            ["", "", "", "", "", ""],
            ["2026-12-03", "guiyu", "火星", "1", "1", "1"],
            ["2026-12-01", "shanlan_tea", "", "12001", "", ""],
            ["2026-12-09", "shanlan_tea", "", "1", "", ""],
            ["2026-12-04", "", "", "1", "", ""],
            ["2026-12-04", "山岚茶事", "", "", "", ""],
            ["2026-12-05", "山岚茶事", "", "abc", "0.5", "-1"],
        ]
        let result = try CompetitorFile.read(rows, competitors: Self.known, today: Self.today)
        #expect(result.rows.map(\.row) == [3, 6], "\(result.rows)")
        #expect(result.rows[0].values == [.followers: 12_000, .posts: 2, .avgLikes: 240.5] && result.rows[0].competitorID == "cmp_shanlan")
        #expect(result.rows[1].competitorID == "cmp_guiyu_dy")
        let found = result.errors.map { "\($0.row)|\($0.column ?? "")|\($0.problem.rawValue)" }
        #expect(found == [
            "4||competitor_row_no_numbers",
            "5|竞品|competitor_row_ambiguous_competitor",
            "8|平台|competitor_row_unknown_platform",
            "9||competitor_row_duplicate",
            "10|日期|competitor_row_future_date",
            "11|竞品|competitor_row_missing_competitor",
            "12||competitor_row_no_numbers",
            "13|粉丝数|competitor_row_not_a_number",
            "13|发文数|competitor_row_not_whole",
            "13|篇均点赞|competitor_row_negative",
        ], "\(found)")
    }

    @Test("a file without its columns or rows is refused as a whole")
    func wholeFile() {
        #expect(throws: CompetitorFileProblem.missingColumns) { try CompetitorFile.read([["a", "b"], ["1", "2"]], competitors: Self.known, today: Self.today) }
        #expect(throws: CompetitorFileProblem.noMetricColumn) { try CompetitorFile.read([["date", "handle", "备注"], ["2026-12-01", "guiyu", "x"]], competitors: Self.known, today: Self.today) }
        #expect(throws: CompetitorFileProblem.noRows) { try CompetitorFile.read([["date", "handle", "followers"], ["", "", ""]], competitors: Self.known, today: Self.today) }
    }

    @Test("a period's figures: first and last followers, posts summed, averages weighted by posts, absent never zero")
    func figures() {
        func day(_ offset: Int, _ values: [CompetitorMetric: Double]) -> CompetitorDay {
            CompetitorDay(competitorID: "c", day: Self.today.adding(days: offset), values: values, source: .manual, enteredBy: nil, updatedAt: Date())
        }
        let figures = CompetitorFigures.of([
            day(-1, [.followers: 10_500]),
            day(-5, [.followers: 10_000, .posts: 2, .avgLikes: 100, .avgComments: 10]),
            day(-3, [.posts: 3, .avgLikes: 200]),
            day(-2, [.avgLikes: 999]),
        ])
        #expect(figures.followersStart == 10_000 && figures.followersEnd == 10_500 && figures.growth == 500 && figures.growthRate == 0.05)
        #expect(figures.posts == 5)
        #expect(figures.avgLikes == 160, "(100 × 2 + 200 × 3) ÷ 5; a day without posts does not count when others have them")
        #expect(figures.avgComments == 10 && figures.avgReads == nil && figures.engagementPerPost == 170)
        // Without any posts recorded, each day counts once.
        let plain = CompetitorFigures.of([day(-2, [.avgLikes: 10]), day(-1, [.avgLikes: 20, .followers: 7])])
        #expect(plain.avgLikes == 15 && plain.posts == nil && plain.growth == nil, "one follower count has no growth")
        #expect(CompetitorFigures.of([]) == CompetitorFigures())
        let perPost = CompetitorFigures.perPost([["likes": 100, "comments": 10, "reads": 1_000], ["likes": 300, "comments": 30]])
        #expect(perPost.likes == 200 && perPost.comments == 20 && perPost.reads == 1_000)
    }
}
