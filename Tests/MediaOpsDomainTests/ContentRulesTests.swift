import Foundation
import MediaOpsDomain
import Testing

@Suite("HTML sanitiser")
struct HTMLSanitizerTests {
    @Test("scripts, styles, frames and event handlers never survive", arguments: [
        ("<p>你好<script>alert(1)</script></p>", "<p>你好</p>"),
        ("<p onclick=\"steal()\">文本</p>", "<p>文本</p>"),
        ("<img src=x onerror=alert(1)>", "<img>"),
        ("<a href=\"javascript:alert(1)\">链接</a>", "<a>链接</a>"),
        ("<a href=\"java\tscript:alert(1)\">链接</a>", "<a>链接</a>"),
        ("<iframe src=\"https://evil.example\"></iframe><p>正文</p>", "<p>正文</p>"),
        ("<style>body{display:none}</style><b>粗体</b>", "<b>粗体</b>"),
        ("<svg onload=alert(1)><circle/></svg>安全", "安全"),
        ("<p>未闭合<strong>加粗", "<p>未闭合<strong>加粗</strong></p>"),
        ("1 < 2 & 3 > 2", "1 &lt; 2 &amp; 3 &gt; 2"),
        ("<a href=\"https://example.com/a?b=1&amp;c=2\" target=\"_blank\">好</a>", "<a href=\"https://example.com/a?b=1&amp;c=2\">好</a>"),
        ("<!-- 注释 --><p>留下</p>", "<p>留下</p>"),
        // Browsers read a backslash as a slash and drop tabs: these all lead to another host.
        ("<a href=\"/\\evil.example\">链接</a>", "<a>链接</a>"),
        ("<a href=\"\\\\evil.example\">链接</a>", "<a>链接</a>"),
        ("<a href=\"/\t/evil.example\">链接</a>", "<a>链接</a>"),
        ("<a href=\"https://a@evil.example/\">链接</a>", "<a>链接</a>"),
        ("<a href=\"/content/1\">站内</a>", "<a href=\"/content/1\">站内</a>"),
    ])
    func sanitises(input: String, expected: String) {
        #expect(HTMLSanitizer.sanitize(input) == expected)
    }

    @Test("plain text keeps paragraphs and decodes entities")
    func plainText() {
        #expect(HTMLSanitizer.plainText("<p>第一段&amp;</p><p>第二段</p>") == "第一段&\n第二段")
        #expect(HTMLSanitizer.paragraphs(fromPlainText: "甲\n\n乙<丙>") == "<p>甲</p><p>乙&lt;丙&gt;</p>")
    }
}

@Suite("Platform limits")
struct PlatformLimitTests {
    @Test("X counts CJK and emoji twice and every URL as 23")
    func xWeighting() {
        #expect(TextCounting.xWeighted.count("hello") == 5)
        #expect(TextCounting.xWeighted.count("你好") == 4)
        #expect(TextCounting.xWeighted.count("👍🏽") == 2)
        #expect(TextCounting.xWeighted.count("看 https://example.com/a/very/long/path") == 2 + 1 + 23)
        let full = String(repeating: "茶", count: 140)
        #expect(PlatformLimits.of(.x).violations(VariantMeasure(title: "", bodyText: full)).isEmpty)
        #expect(PlatformLimits.of(.x).violations(VariantMeasure(title: "", bodyText: full + "a")) == [LimitViolation(field: "body", limit: 280, actual: 281)])
    }

    @Test("a WeChat title over 32 characters and a Xiaohongshu post with 19 images are flagged")
    func limits() {
        let title = String(repeating: "标", count: 33)
        #expect(PlatformLimits.of(.wechatOA).violations(VariantMeasure(title: title, bodyText: "正文")) == [LimitViolation(field: "title", limit: 32, actual: 33)])
        #expect(PlatformLimits.of(.xiaohongshu).violations(VariantMeasure(title: "标题", bodyText: "正文", imageCount: 19))
            == [LimitViolation(field: "images", limit: 18, actual: 19)])
        #expect(PlatformLimits.of(.xiaohongshu).violations(VariantMeasure(title: "二十个字以内的标题", bodyText: "正文")).isEmpty)
    }

    @Test("generated variants respect their platform's limits", arguments: Platform.allCases)
    func generated(platform: Platform) {
        let item = ContentItem(id: "cnt_x", title: String(repeating: "长标题", count: 20), body: "<p>" + String(repeating: "正文内容。", count: 400) + "</p>",
                               summary: "", tags: (1...15).map { "标签\($0)" }, category: .industry, coverAssetID: nil, state: .draft, ownerID: nil,
                               groupID: nil, topicID: nil, plannedAt: nil, version: 1, reviewStage: 0, isTemplate: false, createdBy: nil,
                               createdAt: Date(), updatedAt: Date())
        let variant = ContentVariant.generate(from: item, platform: platform, id: "var_x")
        #expect(PlatformLimits.of(platform).violations(variant.measure).isEmpty, "\(platform)")
    }
}

@Suite("Generated variants")
struct ContentRulesWeiboTests {
    @Test("a 微博 variant carries the title, the summary as a lead and then the body, not only the summary")
    func weiboUsesBody() {
        let item = ContentItem(id: "cnt_w", title: "冬日限定上新", body: "<p>桂花乌龙拿铁回归。</p><p>门店与外卖同步开售。</p>",
                               summary: "今年冬天的第一杯", tags: [], category: .announcement, coverAssetID: nil, state: .draft, ownerID: nil,
                               groupID: nil, topicID: nil, plannedAt: nil, version: 1, reviewStage: 0, isTemplate: false, createdBy: nil,
                               createdAt: Date(), updatedAt: Date())
        let text = HTMLSanitizer.plainText(ContentVariant.generate(from: item, platform: .weibo, id: "var_w").body)
        #expect(text.hasPrefix("【冬日限定上新】今年冬天的第一杯"))
        #expect(text.contains("桂花乌龙拿铁回归") && text.contains("门店与外卖同步开售"))
    }
}

@Suite("Review state machine")
struct ReviewTransitionTests {
    @Test("the allowed moves")
    func allowed() throws {
        #expect(try ReviewTransition.apply(.submit, state: .draft, stage: 0, stageCount: 2) == .init(state: .inReview, stage: 0))
        #expect(try ReviewTransition.apply(.approve, state: .inReview, stage: 0, stageCount: 2) == .init(state: .inReview, stage: 1))
        #expect(try ReviewTransition.apply(.approve, state: .inReview, stage: 1, stageCount: 2) == .init(state: .approved, stage: 2))
        #expect(try ReviewTransition.apply(.requestChanges, state: .inReview, stage: 1, stageCount: 2) == .init(state: .changesRequested, stage: 0))
        #expect(try ReviewTransition.apply(.submit, state: .changesRequested, stage: 0, stageCount: 2) == .init(state: .inReview, stage: 0))
        #expect(ReviewTransition.afterEdit(state: .approved) == .inReview)
    }

    @Test("everything else is refused", arguments: [
        (ReviewAction.approve, ContentState.draft), (.approve, .approved), (.submit, .inReview), (.submit, .approved),
        (.requestChanges, .draft), (.withdraw, .approved), (.approve, .published),
    ])
    func refused(action: ReviewAction, state: ContentState) {
        #expect(throws: ConflictError.self) { try ReviewTransition.apply(action, state: state, stage: 0, stageCount: 1) }
    }
}

@Suite("Calendar ranges")
struct CalendarRangeTests {
    @Test("a month view starts on Monday and covers whole weeks, in the workspace zone")
    func month() {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let date = ISO8601DateFormatter().date(from: "2026-11-22T12:00:00Z")!
        let range = CalendarRange(view: .month, containing: date, timeZone: zone)
        #expect(range.days.count % 7 == 0)
        #expect(ISO8601DateFormatter().string(from: range.days[0]) == "2026-10-25T16:00:00Z")  // Monday 26 Oct, Shanghai midnight
        #expect(range.days.count == 42)
    }

    @Test("days stay at local midnight across a daylight-saving change")
    func daylightSaving() {
        let zone = TimeZone(identifier: "Europe/Berlin")!
        // The week of 29 March 2026, when Berlin moves from UTC+1 to UTC+2.
        let range = CalendarRange(view: .week, containing: ISO8601DateFormatter().date(from: "2026-03-28T12:00:00Z")!, timeZone: zone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        #expect(range.days.count == 7)
        #expect(range.days.allSatisfy { calendar.component(.hour, from: $0) == 0 })
        let sunday = range.days[6]
        let evening = CalendarRange.instant(on: sunday, hour: 20, minute: 0, timeZone: zone)
        #expect(ISO8601DateFormatter().string(from: evening) == "2026-03-29T18:00:00Z")
        let saturday = CalendarRange.instant(on: range.days[5], hour: 20, minute: 0, timeZone: zone)
        #expect(ISO8601DateFormatter().string(from: saturday) == "2026-03-28T19:00:00Z")
    }

    @Test("default posting times follow DOMAIN.md and accounts can override them")
    func postingTimes() {
        #expect(PostingTimes.format(PostingTimes.defaultTime(for: .wechatOA)) == "20:00")
        #expect(PostingTimes.format(PostingTimes.defaultTime(for: .douyin)) == "07:00")
        #expect(PostingTimes.parse("7:30").map(PostingTimes.format) == "07:30")
        #expect(PostingTimes.parse("24:00") == nil)
        #expect(PostingTimes.parse("abc") == nil)
    }

    @Test("posting at each account's best time: that day at its time, the next day's once passed, by the wall clock across daylight saving",
          arguments: [
            // (zone, day, time, not before, expected instant)
            ("Asia/Shanghai", "2026-12-08", "20:00", "2026-12-08T03:00:00Z", "2026-12-08T12:00:00Z"),
            ("Asia/Shanghai", "2026-12-08", "07:00", "2026-12-08T03:00:00Z", "2026-12-08T23:00:00Z"),
            ("Asia/Shanghai", "2026-12-08", "11:00", "2026-12-08T03:00:00Z", "2026-12-09T03:00:00Z"),
            ("Asia/Shanghai", "2026-12-10", "07:00", "2026-12-08T03:00:00Z", "2026-12-09T23:00:00Z"),
            // Berlin springs forward on 29 March 2026: 20:00 that day is UTC+2, the day before UTC+1.
            ("Europe/Berlin", "2026-03-28", "20:00", "2026-03-28T08:00:00Z", "2026-03-28T19:00:00Z"),
            ("Europe/Berlin", "2026-03-29", "20:00", "2026-03-28T08:00:00Z", "2026-03-29T18:00:00Z"),
            ("Europe/Berlin", "2026-03-28", "20:00", "2026-03-28T19:30:00Z", "2026-03-29T18:00:00Z"),
          ])
    func bestTimeInstant(zone: String, day: String, time: String, notBefore: String, expected: String) throws {
        let parser = ISO8601DateFormatter()
        let parts = day.split(separator: "-").compactMap { Int($0) }
        let instant = PostingTimes.instant(on: LocalDate(year: parts[0], month: parts[1], day: parts[2]), at: try #require(PostingTimes.parse(time)),
                                           zone: try #require(TimeZone(identifier: zone)), notBefore: try #require(parser.date(from: notBefore)))
        #expect(parser.string(from: instant) == expected)
    }
}

@Suite("Text diff")
struct TextDiffTests {
    @Test("Chinese edits diff by character")
    func chinese() {
        let segments = TextDiff.segments(from: "全网最低价的好茶", to: "价格实惠的好茶")
        let removed = segments.filter { $0.kind == .removed }.map(\.text).joined()
        let added = segments.filter { $0.kind == .added }.map(\.text).joined()
        #expect(segments.filter { $0.kind != .removed }.map(\.text).joined() == "价格实惠的好茶")
        #expect(segments.filter { $0.kind != .added }.map(\.text).joined() == "全网最低价的好茶")
        #expect(removed.contains("最低"))
        #expect(added.contains("实惠"))
    }
}

@Suite("Editable body text")
struct EditableTextTests {
    @Test("simple paragraphs edit as plain text and save back to the same HTML")
    func roundTrip() {
        let html = "<p>第一段 &amp; 说明</p><p>第二段<br>换行</p>"
        let text = HTMLSanitizer.editableText(html)
        #expect(text == "第一段 & 说明\n\n第二段\n换行")
        #expect(HTMLSanitizer.paragraphs(fromPlainText: text) == html)
        #expect(HTMLSanitizer.editableText("<p><strong>粗</strong></p>") == "<p><strong>粗</strong></p>")
    }
}
