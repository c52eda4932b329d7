import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
@testable import MediaOpsWeb
import NIOCore
import SQLKit
import Testing

/// Tested insights and best time to post, through the application: posts
/// published through MediaOps (content item → publish target → post with a
/// 24-hour snapshot) and external ones, compared by the API and the pages in
/// both languages, on SQLite and PostgreSQL.
@Suite("Analytics room: tested insights and best time to post")
struct InsightsWebTests {
    static let path = "/api/v1/analytics/insights"
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    // Engagement rates of emotional pieces (posted at 21:00) and industry know-how (20:00).
    static let emotional = [0.061, 0.072, 0.058, 0.080, 0.069, 0.075, 0.066, 0.071]
    static let industry = [0.052, 0.049, 0.060, 0.055, 0.047, 0.058, 0.051, 0.054]
    // External posts at noon: no content item, so no category.
    static let noon = [0.041, 0.038, 0.044, 0.036, 0.043, 0.040, 0.039, 0.042]
    static let reads = 10_000.0

    struct Seeded {
        var oa: Account
        var weibo: Account
        var emotionalPosts: [String]
        var industryPosts: [String]
    }

    /// The rate as the store computes it back from the snapshot (likes ÷ reads).
    static func stored(_ rate: Double) -> Double { (rate * reads).rounded() / reads }

    static func seed(_ app: WebHarness) async throws -> Seeded {
        let oa = try await app.team.createAccount(.init(platform: "wechat_oa", name: "青禾订阅号", handle: "qinghe_dy", kind: "subscription",
                                                        fields: ["app_id": "wx0123456789abcdef"]), by: app.ownerPrincipal)
        let weibo = try await app.team.createAccount(.init(platform: "weibo", name: "青禾官方微博", handle: "qinghetea"), by: app.ownerPrincipal)
        let db = app.database.sql
        let content = ContentRepository(db)
        let today = LocalDate(Date(), timeZone: zone)
        var posts: [AnalyticsPost] = []
        var snapshots: [MetricRepository.SnapshotRow] = []
        var ids: (emotional: [String], industry: [String]) = ([], [])
        func add(_ rate: Double, daysAgo: Int, hour: Int, category: ContentCategory?) async throws -> String {
            let day = today.adding(days: -daysAgo)
            let published = LocalDateTime(year: day.year, month: day.month, day: day.day, hour: hour, minute: 5).instant(in: zone)!
            var targetID: String?
            if let category {
                let item = ContentItem(id: Identifier.make("cnt"), title: "\(category.rawValue) \(daysAgo)", body: "<p>一杯好茶</p>", summary: "", tags: ["茶知识"],
                                       category: category, coverAssetID: nil, state: .published, ownerID: nil, groupID: nil, topicID: nil, plannedAt: published,
                                       version: 1, reviewStage: 0, isTemplate: false, createdBy: nil, createdAt: published, updatedAt: published)
                try await content.insert(item)
                let target = Identifier.make("tgt")
                try await db.raw("""
                    INSERT INTO publish_targets (id, content_id, account_id, platform, due_at, state, job_id, mode, created_at, updated_at)
                    VALUES (\(bind: target), \(bind: item.id), \(bind: oa.id), 'wechat_oa', \(bind: published.epochMilliseconds), 'published', NULL, 'api',
                    \(bind: published.epochMilliseconds), \(bind: published.epochMilliseconds))
                    """).run()
                targetID = target
            }
            let post = AnalyticsPost(id: Identifier.makeOrdered("pst"), accountID: oa.id, platformPostID: "p-\(posts.count)", targetID: targetID,
                                     title: "帖子 \(posts.count)", url: nil, publishedAt: published, origin: targetID == nil ? .external : .mediaops)
            posts.append(post)
            snapshots.append(.init(postID: post.id, capturedAt: published.addingTimeInterval(24 * 3_600), hoursSincePublish: 24,
                                   values: [.reads: reads, .likes: (rate * reads).rounded()]))
            return post.id
        }
        for (index, rate) in emotional.enumerated() { ids.emotional.append(try await add(rate, daysAgo: 3 + index * 5, hour: 21, category: .emotional)) }
        for (index, rate) in industry.enumerated() { ids.industry.append(try await add(rate, daysAgo: 4 + index * 5, hour: 20, category: .industry)) }
        for (index, rate) in noon.enumerated() { _ = try await add(rate, daysAgo: 5 + index * 5, hour: 12, category: nil) }
        let repository = MetricRepository(db)
        try await repository.insertGenerated(posts: posts, now: Date())
        try await repository.insertGenerated(snapshots: snapshots, provenance: MetricProvenance(source: .manual, capturedAt: Date()))
        return Seeded(oa: oa, weibo: weibo, emotionalPosts: ids.emotional, industryPosts: ids.industry)
    }

    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func comparisons(_ response: TestResponse) -> [[String: Any]] {
        response.json["comparisons"] as? [[String: Any]] ?? []
    }

    @Test("API: emotional against industry is significant with the engine's numbers; each category against the rest is Holm-corrected",
          arguments: TestDatabase.available)
    func apiComparisons(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let seeded = try await Self.seed(app)
            let pair = try await app.api(.post, Self.path, token: app.ownerToken,
                                         json: Self.json(["dimension": "category", "comparison": "pair", "group_a": "emotional", "group_b": "industry"]))
            #expect(pair.status == .ok, "\(pair.text)")
            #expect(pair.json["posts_read"] as? Int == 24 && pair.json["posts_without_trait"] as? Int == 8 && pair.json["correction"] as? String == "none")
            let row = try #require(Self.comparisons(pair).first)
            let welch = try Significance.welch(Self.emotional.map(Self.stored), Self.industry.map(Self.stored))
            #expect(row["n_a"] as? Int == 8 && row["n_b"] as? Int == 8 && row["significant"] as? Bool == true && row["direction"] as? String == "a_higher")
            #expect(abs((row["p_value"] as? Double ?? 1) - welch.pValue) < 1e-12 && abs((row["adjusted_p_value"] as? Double ?? 1) - welch.pValue) < 1e-12)
            #expect(abs((row["difference"] as? Double ?? 0) - welch.difference) < 1e-12)
            let verdict = try #require(row["verdict"] as? String)
            #expect(verdict.hasPrefix("情感共鸣的 24 小时互动率平均比行业干货高 ") && verdict.contains("95% 置信区间") && verdict.contains("n = 8 / 8"), "\(verdict)")
            #expect(row["advice"] is NSNull && row["required_per_group"] is NSNull)

            // The account scope reads the same posts; the weibo account has none.
            let scoped = try await app.api(.post, Self.path, token: app.ownerToken,
                                           json: Self.json(["account_id": seeded.oa.id, "group_a": "情感共鸣", "group_b": "行业干货"]))
            #expect(scoped.json["scope"] as? String == "account" && (Self.comparisons(scoped).first?["n_a"] as? Int) == 8, "\(scoped.text)")
            let empty = try await app.api(.post, Self.path, token: app.ownerToken, json: Self.json(["account_id": seeded.weibo.id, "group_a": "emotional"]))
            #expect(empty.json["posts_read"] as? Int == 0)
            let emptyRow = try #require(Self.comparisons(empty).first)
            #expect(emptyRow["shortfall"] as? String == "too_few_posts" && (emptyRow["verdict"] as? String)?.hasPrefix("数据不足以判断") == true, "\(empty.text)")

            // Every category against the rest: two comparisons, adjusted together.
            let each = try await app.api(.post, Self.path, token: app.ownerToken, json: Self.json(["dimension": "category", "comparison": "each"]))
            #expect(each.json["correction"] as? String == "holm" && each.json["comparison"] as? String == "each")
            let rows = Self.comparisons(each)
            #expect(rows.compactMap { $0["a"] as? String } == ["industry", "emotional"])
            let raw = rows.compactMap { $0["p_value"] as? Double }
            let adjusted = try Significance.holm(raw)
            #expect(rows.compactMap { $0["adjusted_p_value"] as? Double } == adjusted)

            // Two hand-picked halves of the industry posts: not significant, with how many posts it would need.
            let picked = try await app.api(.post, Self.path, token: app.ownerToken, json: Self.json([
                "dimension": "posts", "a_posts": Array(seeded.industryPosts.prefix(4)), "b_posts": Array(seeded.industryPosts.suffix(4))]))
            let pickedRow = try #require(Self.comparisons(picked).first, "\(picked.text)")
            #expect(pickedRow["significant"] as? Bool == false && pickedRow["a_name"] as? String == "A 组")
            #expect((pickedRow["verdict"] as? String)?.hasPrefix("数据不足以判断 A 组和 B 组的 24 小时互动率有没有差别") == true, "\(picked.text)")
            let required = try #require(pickedRow["required_per_group"] as? Int)
            let a = seeded.industryPosts.prefix(4).count
            #expect(required > 4 && pickedRow["additional_per_group"] as? Int == required - a)
            #expect((pickedRow["advice"] as? String)?.contains("每组约需 \(required) 条帖子") == true, "\(picked.text)")

            // English for a member reading English.
            let (member, _) = try await app.member(["analyst"])
            _ = try await app.team.updateMember(id: member.id, .init(locale: "en"), by: app.ownerPrincipal)
            let english = try await app.api(.post, Self.path, token: try await app.token(for: member),
                                            json: Self.json(["group_a": "emotional", "group_b": "industry"]))
            #expect((Self.comparisons(english).first?["verdict"] as? String)?.hasPrefix("Emotional resonance has a ") == true, "\(english.text)")
        }
    }

    struct Refusal: CustomTestStringConvertible, Sendable {
        var body: String
        var field: String?
        var code: String
        var status: HTTPResponse.Status = .unprocessableContent
        var testDescription: String { "\(code) \(field ?? "")" }
    }

    static let refusals: [Refusal] = [
        Refusal(body: #"{"dimension": "mood", "group_a": "x"}"#, field: "dimension", code: "invalid_choice"),
        Refusal(body: #"{"group_a": "funny"}"#, field: "group_a", code: "insight_unknown_level"),
        Refusal(body: #"{"dimension": "hour", "group_a": "24"}"#, field: "group_a", code: "insight_unknown_level"),
        Refusal(body: #"{"group_a": "emotional", "group_b": "情感共鸣"}"#, field: "group_b", code: "insight_same_groups"),
        Refusal(body: #"{"comparison": "pair"}"#, field: "group_a", code: "required"),
        Refusal(body: #"{"comparison": "all", "group_a": "emotional"}"#, field: "comparison", code: "invalid_choice"),
        Refusal(body: #"{"metric": "likes", "group_a": "emotional"}"#, field: "metric", code: "invalid_choice"),
        Refusal(body: #"{"test": "two_proportions", "group_a": "emotional"}"#, field: "test", code: "invalid_choice"),
        Refusal(body: #"{"period": "month", "group_a": "emotional"}"#, field: "period", code: "invalid_choice"),
        Refusal(body: #"{"period": "custom", "from": "2026-02-30", "to": "2026-03-01", "group_a": "emotional"}"#, field: "from", code: "invalid_date"),
        Refusal(body: #"{"period": "custom", "from": "1990-01-01", "to": "2026-03-01", "group_a": "emotional"}"#, field: "from", code: "invalid_date"),
        Refusal(body: #"{"period": "custom", "from": "2020-01-01", "to": "2031-01-01", "group_a": "emotional"}"#, field: "to", code: "range_too_long"),
        Refusal(body: #"{"account_id": "acc_nope", "group_a": "emotional"}"#, field: "account_id", code: "insight_unknown_scope"),
        Refusal(body: #"{"group_id": "grp_nope", "group_a": "emotional"}"#, field: "group_id", code: "insight_unknown_scope"),
        Refusal(body: #"{"group_id": "g", "account_id": "a", "group_a": "emotional"}"#, field: "group_id", code: "insight_one_scope"),
        Refusal(body: #"{"dimension": "posts", "a_posts": ["p1", "p2"], "b_posts": ["p2"]}"#, field: "b_posts", code: "insight_post_in_both_groups"),
        Refusal(body: #"{"dimension": "posts", "a_posts": []}"#, field: "a_posts", code: "required"),
        Refusal(body: #"{"dimension": "tag", "group_a": "12345678901234567890123456789012345678901"}"#, field: "group_a", code: "too_long"),
        Refusal(body: #"{"group_a": "emotional", "extra": 1}"#, field: "extra", code: "unknown_property"),
        Refusal(body: #"{"group_a": 5}"#, field: "group_a", code: "invalid_type"),
        Refusal(body: "[1]", field: nil, code: "json_object_expected", status: .badRequest),
    ]

    @Test("API: bad input is a 4xx naming the field, in words", arguments: refusals)
    func refused(_ refusal: Refusal) async throws {
        try await WebHarness.run(.sqlite) { app in
            let response = try await app.api(.post, Self.path, token: app.ownerToken, json: refusal.body)
            #expect(response.status == refusal.status, "\(response.text)")
            #expect(response.errorCode == refusal.code && response.errorField == refusal.field, "\(response.text)")
            let message = try #require(response.errorMessage)
            #expect(!message.contains("insight_") && !message.contains("{") && !message.contains("error."), "\(message)")
        }
    }

    @Test("API: 501 hand-picked posts are refused before any work; the route needs analytics.view only")
    func limitsAndAccess() async throws {
        try await WebHarness.run(.sqlite) { app in
            let many = (0...Insights.maximumPicked).map { "p\($0)" }
            let refused = try await app.api(.post, Self.path, token: app.ownerToken, json: Self.json(["dimension": "posts", "a_posts": many, "b_posts": ["x"]]))
            #expect(refused.status == .unprocessableContent && refused.errorField == "a_posts", "\(refused.text)")
            #expect(refused.errorMessage == "A 组帖子最多 500 条帖子。")
            let (_, viewer) = try await app.member(["viewer"])
            #expect(try await app.api(.post, Self.path, token: viewer, json: Self.json(["group_a": "emotional"])).status == .ok)
            #expect(try await app.api(.post, Self.path, token: nil, json: Self.json(["group_a": "emotional"])).status == .unauthorized)
            #expect(app.routeTable.records.contains { $0.path == Self.path && $0.access == .permission(.analyticsView) })
            #expect(app.routeTable.records.contains { $0.path == "/analytics/insights" && $0.access == .permission(.analyticsView) })
            #expect(app.routeTable.records.contains { $0.path == "/analytics/best-time" && $0.access == .permission(.analyticsView) })
            #expect(app.routeTable.records.contains { $0.path == "/analytics/best-time/adopt" && $0.access == .permission(.analyticsManage) })
        }
    }

    @Test("page: a shareable GET form, the verdict and the table in both languages; mistakes beside their fields", arguments: TestDatabase.available)
    func insightsPage(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            _ = try await Self.seed(app)
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let empty = try await browser.get("/analytics/insights")
            #expect(empty.status == .ok)
            #expect(empty.text.contains("<h1>洞察检验</h1>") && empty.text.contains("aria-current=\"page\">洞察检验</a>") && empty.text.contains("method=\"get\""))
            #expect(empty.text.contains("情感共鸣 vs 行业干货") && !empty.text.contains("id=\"result\""))

            let answer = try await browser.get("/analytics/insights?dimension=category&comparison=pair&group_a=emotional&group_b=industry&period=90d")
            #expect(answer.status == .ok)
            #expect(answer.text.contains("差异显著") && answer.text.contains("情感共鸣的 24 小时互动率平均比行业干货高 "), "\(answer.text)")
            #expect(answer.text.contains("value=\"情感共鸣\""), "the box shows the label of the code in the link")
            #expect(answer.text.contains("其中 8 条帖子没有“内容类别”信息"))

            let each = try await browser.get("/analytics/insights?dimension=hour&comparison=each")
            #expect(each.text.contains("按 Holm 方法校正") && each.text.contains("校正后 p 值") && each.text.contains(">21 点</th>"), "\(each.text)")

            let refused = try await browser.get("/analytics/insights?dimension=category&comparison=pair&group_a=emotional&group_b=emotional&metric=nope")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("B 组不能和 A 组相同") && refused.text.contains("指标的取值无效"), "\(refused.text)")

            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: "en"), by: app.ownerPrincipal)
            let english = try await browser.get("/analytics/insights?dimension=category&group_a=emotional&group_b=industry")
            #expect(english.text.contains("<h1>Tested insights</h1>") && english.text.contains("Significant difference"))
            #expect(english.text.contains("Emotional resonance has a ") && english.text.contains("higher mean engagement rate at 24 h than Industry know-how"), "\(english.text)")
            #expect(!english.text.contains("analytics.insights") && !english.text.contains("情感"))
        }
    }

    @Test("page: best time shows the heatmap with n per cell, suggests 21:00 with its evidence, and adopting it changes the account's posting time",
          arguments: TestDatabase.available)
    func bestTime(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let seeded = try await Self.seed(app)
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            #expect(try await browser.get("/analytics/accounts/\(seeded.oa.id)").text.contains("href=\"/analytics/best-time?account=\(seeded.oa.id)\""))
            // Without an account: every account's outcome at a glance.
            let overview = try await browser.get("/analytics/best-time")
            #expect(overview.text.contains("各账号的建议发布时间") && overview.text.contains("<td><span aria-hidden=\"true\">✓</span> 建议发布时间：21:00</td>"), "\(overview.text)")
            #expect(overview.text.contains("数据不足以判断（少于 20 条帖子）") && overview.text.contains("aria-current=\"page\">最佳发布时间</a>"))
            let page = try await browser.get("/analytics/best-time?account=\(seeded.oa.id)")
            #expect(page.status == .ok)
            #expect(page.text.contains("建议发布时间：21:00") && page.text.contains("21 点发布的帖子的 24 小时互动率平均比其他时段的帖子高 "), "\(page.text)")
            #expect(page.text.contains("当前发布时间：20:00（公众号的平台默认值）"))
            // 8 posts on distinct days at 21:00: every 21:00 cell holds its posts' count, with the figures in words for screen readers.
            #expect(page.text.contains("<td class=\"heat-5\"") || page.text.contains("<td class=\"heat-4\""))
            #expect(page.text.contains("21:00：1 条帖子，平均互动率"), "cell label")
            #expect(page.text.contains("name=\"_csrf\"") && page.text.contains("设为默认发布时间"))
            // The hours compared, with raw and adjusted p.
            #expect(page.text.contains("各时段对比其余时段") && page.text.contains("<th scope=\"row\">21:00</th><td class=\"num\">8</td>"), "hour table")

            // The same through the API.
            let api = try await app.api(.get, "/api/v1/analytics/accounts/\(seeded.oa.id)/best-time", token: app.ownerToken)
            #expect(api.status == .ok && api.json["outcome"] as? String == "suggested" && api.json["suggested_hour"] as? Int == 21, "\(api.text)")
            let hours = (api.json["hours"] as? [[String: Any]]) ?? []
            #expect(hours.contains { $0["hour"] as? Int == 21 && $0["n"] as? Int == 8 && $0["significant"] as? Bool == true }, "\(hours)")
            #expect((api.json["cells"] as? [[String: Any]])?.allSatisfy { ($0["n"] as? Int ?? 0) > 0 } == true && api.json["current_best_time"] is NSNull)
            let weiboAPI = try await app.api(.get, "/api/v1/analytics/accounts/\(seeded.weibo.id)/best-time", token: app.ownerToken)
            #expect(weiboAPI.json["outcome"] as? String == "too_few_posts" && weiboAPI.json["suggested_hour"] is NSNull)
            #expect(try await app.api(.get, "/api/v1/analytics/accounts/\(seeded.oa.id)/best-time?period=month", token: app.ownerToken).errorField == "period")
            #expect(try await app.api(.get, "/api/v1/analytics/accounts/acc_nothing000000/best-time", token: app.ownerToken).status == .notFound)

            let adopted = try await browser.post("/analytics/best-time/adopt", form: [("account", seeded.oa.id), ("period", "90d"), ("action", "adopt")],
                                                 from: "/analytics/best-time?account=\(seeded.oa.id)")
            #expect(adopted.status == .seeOther)
            #expect(try await app.team.account(id: seeded.oa.id)?.bestTime == "21:00")
            let after = try await browser.get("/analytics/best-time?account=\(seeded.oa.id)")
            #expect(after.text.contains("当前发布时间：21:00（已为该账号单独设置）") && after.text.contains("这已经是该账号当前的发布时间"))
            let reset = try await browser.post("/analytics/best-time/adopt", form: [("account", seeded.oa.id), ("action", "reset")],
                                               from: "/analytics/best-time?account=\(seeded.oa.id)")
            let afterReset = try await app.team.account(id: seeded.oa.id)
            #expect(reset.status == .seeOther && afterReset?.bestTime == nil)

            // Without CSRF, or without analytics.manage, nothing changes.
            let forged = try await browser.post("/analytics/best-time/adopt", form: [("account", seeded.oa.id), ("action", "adopt")], csrf: false)
            #expect(forged.status == .forbidden)
            _ = try await app.member(["viewer"], email: "viewer@example.com")
            let viewer = try await app.signIn(email: "viewer@example.com", password: "member-password")
            let viewerPage = try await viewer.get("/analytics/best-time?account=\(seeded.oa.id)")
            #expect(viewerPage.status == .ok && !viewerPage.text.contains("设为默认发布时间"))
            let denied = try await viewer.post("/analytics/best-time/adopt", form: [("account", seeded.oa.id), ("action", "adopt")],
                                               from: "/analytics/best-time?account=\(seeded.oa.id)")
            let afterDenied = try await app.team.account(id: seeded.oa.id)
            #expect(denied.status == .forbidden && afterDenied?.bestTime == nil)

            // Not enough posts: said plainly, with what is needed; nothing to adopt.
            let weibo = try await browser.get("/analytics/best-time?account=\(seeded.weibo.id)")
            #expect(weibo.text.contains("数据不足以判断：这段时间只有 0 条有 24 小时数据的帖子，至少需要 20 条") && !weibo.text.contains("设为默认发布时间"))
            let nothing = try await browser.post("/analytics/best-time/adopt", form: [("account", seeded.weibo.id), ("action", "adopt")],
                                                 from: "/analytics/best-time?account=\(seeded.weibo.id)")
            let weiboAfter = try await app.team.account(id: seeded.weibo.id)
            #expect(nothing.status == .unprocessableContent && weiboAfter?.bestTime == nil)
            #expect(try await browser.get("/analytics/best-time?account=nope").status == .unprocessableContent)

            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: "en"), by: app.ownerPrincipal)
            let english = try await browser.get("/analytics/best-time?account=\(seeded.oa.id)")
            #expect(english.text.contains("Suggested posting time: 21:00") && english.text.contains("21:00 has a "), "\(english.text)")
            #expect(!english.text.contains("analytics.best_time") && !english.text.contains("建议"))
        }
    }
}
