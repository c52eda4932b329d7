import Foundation
@testable import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsSandbox
import Testing

/// Statistics pulls against the imitation platforms: exact numbers (the
/// sandbox derives them from account and day, see `SandboxMetrics`), span
/// limits, "not yet available", a renamed metric failing alone, the 公众号
/// "api offline" fallback and rate limits.
@Suite("Metric pulls")
struct MetricPullConnectorTests {
    /// 10:00 Beijing on 2026-06-10: 公众号 has 06-09, 抖音 not yet (≈10:15).
    static let morning = ISO8601DateFormatter().date(from: "2026-06-10T02:00:00Z")!
    /// 07:00 Beijing on 2026-06-10: 公众号 has only 06-08.
    static let early = ISO8601DateFormatter().date(from: "2026-06-09T23:00:00Z")!
    static let yesterday = LocalDate(year: 2026, month: 6, day: 9)
    static let appid = "wx5c3a1b2d4e6f7081"

    /// A sandbox whose clock reads `at`, and a connector context that agrees with it.
    static func rig(at instant: Date) async throws -> (SandboxHarness, ConnectorContext) {
        let rig = try await SandboxHarness.start()
        await rig.state.advance(instant.timeIntervalSinceNow)
        var context = rig.context
        let offset = instant.timeIntervalSinceNow
        context.now = { Date().addingTimeInterval(offset) }
        return (rig, context)
    }

    static func account(_ platform: Platform, token: String = "metrics-token-\(UUID().uuidString.prefix(8))", fields: [String: String] = [:]) -> ConnectorAccount {
        switch platform {
        case .wechatOA: return Fixtures.account(.wechatOA)
        case .bilibili: return ConnectorAccount(id: "acct-bili", platform: .bilibili, name: "B站", handle: "client-1", fields: ["client_id": "client-1"],
                                                secrets: ["access_token": token, "client_secret": "sandbox-secret"])
        case .telegram: return Fixtures.account(.telegram)
        case .mastodon: return Fixtures.account(.mastodon)
        default: return ConnectorAccount(id: "acct-\(platform.rawValue)", platform: platform, name: platform.rawValue, handle: "h", fields: fields, secrets: ["access_token": token])
        }
    }

    // MARK: 公众号

    @Test("公众号: user summary (sources summed), cumulate and the freepublish-era summary for a week, with the exact sandbox numbers")
    func wechatWeek() async throws {
        let (rig, context) = try await Self.rig(at: Self.morning)
        defer { rig.stop() }
        let from = Self.yesterday.adding(days: -13)
        let result = await WeChatOAConnector().pullAccount(Self.account(.wechatOA), from: from, to: Self.yesterday, context: context)
        #expect(result.failure == nil)
        #expect(result.failures.isEmpty, "\(result.failures)")
        // 14 days: two calls of ≤ 7 days for each user endpoint, one for the 30-day summary.
        #expect(await rig.calls("wechat_oa", "datacube/getusersummary") == 2)
        #expect(await rig.calls("wechat_oa", "datacube/getusercumulate") == 2)
        #expect(await rig.calls("wechat_oa", "datacube/getbizsummary") == 1)
        for day in [from, Self.yesterday] {
            let values = result.values(on: day)
            let new = Double(SandboxMetrics.followersNew(Self.appid, day)), lost = Double(SandboxMetrics.followersLost(Self.appid, day))
            #expect(values[.followersNew] == new && values[.followersLost] == lost && values[.followersNet] == new - lost)
            #expect(values[.followersTotal] == Double(SandboxMetrics.followersTotal(Self.appid, day)))
            let biz = SandboxMetrics.wechatBizDetail(appid: Self.appid, day: day)
            #expect(values[.readers] == (biz["read_user"] as? Int).map(Double.init) && values[.likes] == (biz["like_user"] as? Int).map(Double.init))
            #expect(values[.reads] == nil, "the summary gives readers, not reads: absent, never zero")
        }
        #expect(result.payloads.contains { $0.endpoint == "datacube/getusercumulate" && $0.body.contains("cumulate_user") })
        // The article published yesterday (not through MediaOps) is found with its numbers.
        if let article = SandboxMetrics.wechatArticle(appid: Self.appid, day: Self.yesterday) {
            let detail = SandboxMetrics.wechatArticleDetail(msgid: article.msgid, publishedOn: Self.yesterday, statDate: Self.yesterday)
            #expect(result.values(post: article.msgid)?[.readers] == (detail["read_user"] as? Int).map(Double.init))
            #expect(result.values(post: article.msgid)?[.avgWatchSeconds] == ((detail["read_avg_activetime"] as? Double).map { ($0 * 60).rounded() }))
        }
    }

    @Test("公众号: the datacube refuses a span over 7 days; a fresh day before 08:00 Beijing is not yet available, not zeros")
    func wechatSpanAndFreshness() async throws {
        let (rig, context) = try await Self.rig(at: Self.early)
        defer { rig.stop() }
        let datacube = WeChatOAConnector.Datacube(connector: WeChatOAConnector(), account: Self.account(.wechatOA), context: context)
        var scratch = MetricPullResult()
        do {
            _ = try await datacube.list("getusersummary", Self.yesterday.adding(days: -7)...Self.yesterday, into: &scratch)
            Issue.record("an 8-day range was accepted")
        } catch let failure as PullFailure {
            #expect(failure.kind == .spanExceeded && failure.detail.hasPrefix("wechat_61501"))
        }
        let fresh = await WeChatOAConnector().pullAccount(Self.account(.wechatOA), from: Self.yesterday, to: Self.yesterday, context: context)
        #expect(fresh.failure?.kind == .notYetAvailable)
        #expect(fresh.daily.isEmpty)
        let older = await WeChatOAConnector().pullAccount(Self.account(.wechatOA), from: Self.yesterday.adding(days: -1), to: Self.yesterday, context: context)
        #expect(older.failure == nil && older.values(on: Self.yesterday.adding(days: -1))[.followersTotal] != nil && older.values(on: Self.yesterday).isEmpty)
    }

    @Test("公众号: a renamed field fails that metric alone; the others are stored")
    func wechatRenamed() async throws {
        let (rig, context) = try await Self.rig(at: Self.morning)
        defer { rig.stop() }
        await rig.state.add(Scenario(platform: "wechat_oa", kind: .renameField, call: "datacube/getbizsummary", field: "like_user"))
        let result = await WeChatOAConnector().pullAccount(Self.account(.wechatOA), from: Self.yesterday, to: Self.yesterday, context: context)
        #expect(result.failure == nil)
        let values = result.values(on: Self.yesterday)
        #expect(values[.likes] == nil && values[.readers] != nil && values[.followersTotal] != nil)
        #expect(result.failures == [MetricFailure(key: .likes, reason: .missing, endpoint: "datacube/getbizsummary", detail: "like_user")])
    }

    @Test("公众号: 47009 on the summary marks its metrics offline; on article details the legacy call answers instead")
    func wechatOffline() async throws {
        let (rig, context) = try await Self.rig(at: Self.morning)
        defer { rig.stop() }
        await rig.state.add(Scenario(platform: "wechat_oa", kind: .error, code: 47009, call: "datacube/getbizsummary"))
        let account = await WeChatOAConnector().pullAccount(Self.account(.wechatOA), from: Self.yesterday, to: Self.yesterday, context: context)
        #expect(account.failure == nil)
        #expect(account.values(on: Self.yesterday)[.followersTotal] != nil && account.values(on: Self.yesterday)[.readers] == nil)
        #expect(account.offlineEndpoints.contains("datacube/getbizsummary"))
        #expect(account.failures.filter { $0.reason == .apiOffline }.map(\.key).contains(.readers))

        // A day with an article, so there is something to look at.
        var day = Self.yesterday
        while SandboxMetrics.wechatArticle(appid: Self.appid, day: day) == nil { day = day.adding(days: -1) }
        let article = try #require(SandboxMetrics.wechatArticle(appid: Self.appid, day: day))
        let published = PullSchedule.start(of: day, in: PullSchedule.beijing).addingTimeInterval(10 * 3_600)
        await rig.state.add(Scenario(platform: "wechat_oa", kind: .error, code: 47009, call: "datacube/getarticletotaldetail"))
        let posts = await WeChatOAConnector().pullPosts(Self.account(.wechatOA), posts: [MetricPostRef(platformPostID: article.msgid, publishedAt: published)], context: context)
        #expect(posts.failure == nil)
        #expect(posts.values(post: article.msgid)?[.reads] != nil, "the legacy getarticletotal gives reads")
        #expect(posts.values(post: article.msgid)?[.likes] == nil)
        #expect(posts.failures.contains { $0.key == .likes && $0.reason == .apiOffline })

        // Both offline: nothing usable, said as such.
        await rig.state.add(Scenario(platform: "wechat_oa", kind: .error, code: 47009, call: "datacube/getarticletotaldetail"))
        await rig.state.add(Scenario(platform: "wechat_oa", kind: .error, code: 47009, call: "datacube/getarticletotal"))
        let none = await WeChatOAConnector().pullPosts(Self.account(.wechatOA), posts: [MetricPostRef(platformPostID: article.msgid, publishedAt: published)], context: context)
        #expect(none.failure?.kind == .apiOffline && none.posts.isEmpty)
    }

    @Test("公众号: a post MediaOps published, asked for by the article_id its publish answered, is found by its title under its msgid")
    func wechatPublishedPostByTitle() async throws {
        let (rig, context) = try await Self.rig(at: Self.morning)
        defer { rig.stop() }
        var day = Self.yesterday
        while SandboxMetrics.wechatArticle(appid: Self.appid, day: day) == nil { day = day.adding(days: -1) }
        let article = try #require(SandboxMetrics.wechatArticle(appid: Self.appid, day: day))
        let published = PullSchedule.start(of: day, in: PullSchedule.beijing).addingTimeInterval(10 * 3_600)
        let asked = MetricPostRef(platformPostID: "b5O2OUs25HBxRceL7hfReg", publishedAt: published, title: article.title)
        let result = await WeChatOAConnector().pullPosts(Self.account(.wechatOA), posts: [asked], context: context)
        let found = try #require(result.posts.first)
        #expect(found.platformPostID == article.msgid && found.requestedAs == "b5O2OUs25HBxRceL7hfReg" && !found.values.isEmpty)
        // Another title on the same day is not this post.
        let other = await WeChatOAConnector().pullPosts(Self.account(.wechatOA),
                                                        posts: [MetricPostRef(platformPostID: "zzz", publishedAt: published, title: "另一篇")], context: context)
        #expect(other.posts.isEmpty)
    }

    @Test("公众号: the daily quota (45009) is a rate limit with a wait until midnight Beijing")
    func wechatQuota() async throws {
        let (rig, context) = try await Self.rig(at: Self.morning)
        defer { rig.stop() }
        await rig.state.add(Scenario(platform: "wechat_oa", kind: .rateLimit, call: "datacube/getusersummary"))
        let result = await WeChatOAConnector().pullAccount(Self.account(.wechatOA), from: Self.yesterday, to: Self.yesterday, context: context)
        #expect(result.failure?.kind == .rateLimited)
        #expect(abs((result.failure?.retryAfter ?? 0) - 14 * 3_600) < 120)
    }

    // MARK: 微博, 抖音, B站

    @Test("微博: followers now, and post counts at most 100 ids a call; a deleted post is simply absent")
    func weibo() async throws {
        let (rig, context) = try await Self.rig(at: Self.morning)
        defer { rig.stop() }
        let account = Self.account(.weibo, fields: ["uid": "1900000001"])
        let today = SandboxMetrics.today(Self.morning)
        let followers = await WeiboConnector().pullAccount(account, from: Self.yesterday, to: Self.yesterday, context: context)
        #expect(followers.values(on: Self.yesterday)[.followersTotal] == Double(SandboxMetrics.followersTotal("1900000001", today)))
        let ids = (0..<150).map { "49000000000000\($0)" } + ["4900deleted"]
        let result = await WeiboConnector().pullPosts(account, posts: ids.map { MetricPostRef(platformPostID: $0, publishedAt: nil) }, context: context)
        #expect(result.failure == nil)
        #expect(await rig.calls("weibo", "statuses/count") == 2)
        #expect(result.posts.count == 150 && result.values(post: "4900deleted") == nil)
        let days = SandboxMetrics.liveDays(on: today)
        #expect(result.values(post: ids[120]) == [.comments: Double(SandboxMetrics.weiboCount(ids[120], "comments", days: days)),
                                                 .shares: Double(SandboxMetrics.weiboCount(ids[120], "reposts", days: days)),
                                                 .likes: Double(SandboxMetrics.weiboCount(ids[120], "attitudes", days: days))])
        await rig.state.add(Scenario(platform: "weibo", kind: .rateLimit, call: "statuses/count"))
        let limited = await WeiboConnector().pullPosts(account, posts: [MetricPostRef(platformPostID: ids[0], publishedAt: nil)], context: context)
        #expect(limited.failure?.kind == .rateLimited && (limited.failure?.retryAfter ?? 0) > 0)
    }

    @Test("抖音: a window of days ending yesterday, yesterday only after 10:00 Beijing; strings read as numbers; item totals")
    func douyin() async throws {
        let account = Self.account(.douyin, fields: ["open_id": "open-sandbox-1"])
        let (rig, context) = try await Self.rig(at: Self.morning)
        defer { rig.stop() }
        let result = await DouyinConnector().pullAccount(account, from: Self.yesterday.adding(days: -6), to: Self.yesterday, context: context)
        #expect(result.failure == nil && result.failures.isEmpty)
        #expect(result.values(on: Self.yesterday).isEmpty, "10:00 is before the ~10:15 refresh")
        let day = Self.yesterday.adding(days: -1)
        let values = result.values(on: day)
        #expect(values[.followersTotal] == Double(SandboxMetrics.followersTotal("open-sandbox-1", day)))
        #expect(values[.likes] == Double((SandboxMetrics.douyinRow("like", openID: "open-sandbox-1", day: day)["new_like"] as? String) ?? ""))
        #expect(values[.profileVisits] != nil && values[.plays] != nil)
        let item = await DouyinConnector().pullPosts(account, posts: [MetricPostRef(platformPostID: "@9VwLitem1", publishedAt: nil)], context: context)
        let totals = SandboxMetrics.douyinItem("@9VwLitem1", days: SandboxMetrics.liveDays(on: SandboxMetrics.today(Self.morning)))
        #expect(item.values(post: "@9VwLitem1")?[.plays] == (totals["total_play"] as? Int).map(Double.init))
        await rig.state.add(Scenario(platform: "douyin", kind: .rateLimit, call: "data/user/fans"))
        let limited = await DouyinConnector().pullAccount(account, from: Self.yesterday, to: Self.yesterday, context: context)
        #expect(limited.failure?.kind == .rateLimited)
    }

    @Test("B站: signed user and video stats; a deleted video fails alone")
    func bilibili() async throws {
        let (rig, context) = try await Self.rig(at: Self.morning)
        defer { rig.stop() }
        let token = "bili-token-1"
        let account = Self.account(.bilibili, token: token)
        let today = SandboxMetrics.today(Self.morning)
        let user = await BilibiliConnector().pullAccount(account, from: Self.yesterday, to: Self.yesterday, context: context)
        #expect(user.values(on: Self.yesterday)[.followersTotal] == Double(SandboxMetrics.followersTotal(token, today)))
        let posts = await BilibiliConnector().pullPosts(account, posts: [MetricPostRef(platformPostID: "BV1sandbox", publishedAt: nil),
                                                                         MetricPostRef(platformPostID: "BVdeleted", publishedAt: nil)], context: context)
        let arc = SandboxMetrics.bilibiliArc("BV1sandbox", days: SandboxMetrics.liveDays(on: today))
        #expect(posts.failure == nil)
        #expect(posts.values(post: "BV1sandbox")?[.coins] == (arc["coin"] as? Int).map(Double.init) && posts.values(post: "BV1sandbox")?[.plays] == (arc["view"] as? Int).map(Double.init))
        #expect(posts.failures.contains { $0.key == .plays && $0.reason == .endpointFailed })
        await rig.state.add(Scenario(platform: "bilibili", kind: .rateLimit, call: "data/user/stat"))
        #expect(await BilibiliConnector().pullAccount(account, from: Self.yesterday, to: Self.yesterday, context: context).failure?.kind == .rateLimited)
    }

    // MARK: Mastodon, X, Telegram

    @Test("Mastodon: followers and a status's replies, boosts and favourites")
    func mastodon() async throws {
        let (rig, context) = try await Self.rig(at: Self.morning)
        defer { rig.stop() }
        let account = Self.account(.mastodon)
        guard case .published(let id, _) = await MastodonConnector().publish(Fixtures.payload(account, cover: nil), context: context) else {
            Issue.record("publishing the status failed"); return
        }
        let owner = SandboxMetrics.mastodonOwner(token: Fixtures.mastodonToken)
        let followers = await MastodonConnector().pullAccount(account, from: Self.yesterday, to: Self.yesterday, context: context)
        #expect(followers.values(on: Self.yesterday)[.followersTotal] == Double(SandboxMetrics.followersTotal(owner, SandboxMetrics.today(Self.morning))))
        let posts = await MastodonConnector().pullPosts(account, posts: [MetricPostRef(platformPostID: id, publishedAt: nil)], context: context)
        let counts = SandboxMetrics.mastodonCounts(id, days: 1)
        #expect(posts.values(post: id) == [.comments: Double(counts["replies_count"]!), .shares: Double(counts["reblogs_count"]!), .likes: Double(counts["favourites_count"]!)])
        await rig.state.add(Scenario(platform: "mastodon", kind: .rateLimit, call: "statuses/get"))
        #expect(await MastodonConnector().pullPosts(account, posts: [MetricPostRef(platformPostID: id, publishedAt: nil)], context: context).failure?.kind == .rateLimited)
    }

    @Test("X: followers and public metrics (≤ 100 ids a call); a missing post is absent; 429 waits for the reset")
    func x() async throws {
        let (rig, context) = try await Self.rig(at: Self.morning)
        defer { rig.stop() }
        let token = "x-token-metrics"
        let account = Self.account(.x, token: token)
        let today = SandboxMetrics.today(Self.morning)
        let user = await XConnector().pullAccount(account, from: Self.yesterday, to: Self.yesterday, context: context)
        #expect(user.values(on: Self.yesterday)[.followersTotal] == Double(SandboxMetrics.followersTotal(token, today)))
        let ids = (0..<101).map { "190000000000000\($0)" } + ["19deleted"]
        let posts = await XConnector().pullPosts(account, posts: ids.map { MetricPostRef(platformPostID: $0, publishedAt: nil) }, context: context)
        #expect(posts.failure == nil && posts.posts.count == 101 && posts.values(post: "19deleted") == nil, "\(String(describing: posts.failure))")
        #expect(await rig.calls("x", "tweets/lookup") == 2)
        let metrics = SandboxMetrics.xMetrics(ids[3], days: SandboxMetrics.liveDays(on: today))
        #expect(posts.values(post: ids[3])?[.impressions] == (metrics["impression_count"] as? Int).map(Double.init))
        await rig.state.add(Scenario(platform: "x", kind: .rateLimit, seconds: 600, call: "tweets/lookup"))
        let limited = await XConnector().pullPosts(account, posts: [MetricPostRef(platformPostID: ids[0], publishedAt: nil)], context: context)
        #expect(limited.failure?.kind == .rateLimited && (limited.failure?.retryAfter ?? 0) > 500)
    }

    @Test("Telegram: channel members; a renamed answer is a missing metric, not zero; 429 carries retry_after")
    func telegram() async throws {
        let (rig, context) = try await Self.rig(at: Self.morning)
        defer { rig.stop() }
        let account = Self.account(.telegram)
        let result = await TelegramConnector().pullAccount(account, from: Self.yesterday, to: Self.yesterday, context: context)
        #expect(result.values(on: Self.yesterday)[.followersTotal] == Double(SandboxMetrics.followersTotal("@mediaops_news", SandboxMetrics.today(Self.morning))))
        await rig.state.add(Scenario(platform: "telegram", kind: .renameField, call: "getChatMemberCount", field: "result"))
        let renamed = await TelegramConnector().pullAccount(account, from: Self.yesterday, to: Self.yesterday, context: context)
        #expect(renamed.values(on: Self.yesterday).isEmpty && renamed.failures.first?.reason == .missing)
        await rig.state.add(Scenario(platform: "telegram", kind: .rateLimit, seconds: 34, call: "getChatMemberCount"))
        let limited = await TelegramConnector().pullAccount(account, from: Self.yesterday, to: Self.yesterday, context: context)
        #expect(limited.failure == PullFailure(.rateLimited, "telegram_429: Too Many Requests: retry after 34", retryAfter: 34))
    }
}
