import Foundation
import Hummingbird
import MediaOpsDomain

/// 公众号 datacube imitation (ANALYTICS-SOURCES.md §1): `POST /datacube/<name>`
/// with `{begin_date, end_date}`, the access token and daily quota checked like
/// every business call.
/// * Spans: getusersummary/getusercumulate 7 days, getbizsummary 30,
///   getarticletotaldetail/getarticletotal 1; longer (or end before begin) →
///   61501 (the real code is undocumented). Data from 2014-12-01 (user) and
///   2025-11-01 (freepublish era).
/// * "Not yet available": days after the latest complete one — yesterday only
///   from 08:00 Beijing on the sandbox clock — are simply left out, so a fresh
///   day answers `{"list": []}`; no errcode on success.
/// * Articles: one deterministic article on most days ("<msg_data_id>_1") plus
///   every article published through the sandbox's freepublish; each
///   `detail_list` entry is cumulative from the publish date to its stat_date,
///   for at most 30 days.
/// * Scenarios (call = "datacube/<name>"): `error` with code 47009 answers
///   "api offline", `rate_limit` 45009, `rename_field` renames a field.
struct SandboxWeChatMetrics: SandboxPlatform {
    static let spans = ["getusersummary": 7, "getusercumulate": 7, "getbizsummary": 30, "getarticletotaldetail": 1, "getarticletotal": 1]
    static let userStart = LocalDate(year: 2014, month: 12, day: 1)
    static let freepublishStart = LocalDate(year: 2025, month: 11, day: 1)

    func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        for (name, span) in Self.spans {
            let call = "datacube/\(name)"
            router.post(RouterPath("/datacube/\(name)")) { request, _ -> Response in
                let scenario = await state.take(platform: SandboxWeChat.platform, call: call)
                if let early = SandboxWeChat.early(scenario) { return early }
                do {
                    let caller = try await SandboxWeChat.authorize(request.uri.queryParameters.get("access_token"), state: state)
                    try await SandboxWeChat.spend(call, appid: caller.appid, state: state)
                    let body = try await SandboxWeChat.body(request)
                    guard let begin = (body["begin_date"] as? String).flatMap(LocalDate.init), let end = (body["end_date"] as? String).flatMap(LocalDate.init) else {
                        throw WeChatError(47001)
                    }
                    guard begin <= end, begin.days(until: end) < span else { throw WeChatError(61501) }
                    let now = await state.now
                    let latest = PullSchedule.latestAvailableDay(platform: .wechatOA, workspaceZone: PullSchedule.beijing, now: now)
                    let first = max(begin, name.hasPrefix("getuser") ? Self.userStart : Self.freepublishStart)
                    var list: [[String: Any]] = []
                    var day = first
                    while day <= min(end, latest) {
                        list += await Self.rows(name, appid: caller.appid, day: day, latest: latest, state: state)
                        day = day.adding(days: 1)
                    }
                    var answer: [String: Any] = ["list": list]
                    if !name.hasPrefix("getuser"), name != "getarticletotal" { answer["is_delay"] = false }
                    return try SandboxServer.json(SandboxMetrics.apply(scenario, to: answer))
                } catch let error as WeChatError {
                    return error.response
                }
            }
        }
    }

    static func rows(_ name: String, appid: String, day: LocalDate, latest: LocalDate, state: SandboxState) async -> [[String: Any]] {
        let date = day.description
        switch name {
        case "getusersummary":
            // Two user_source rows a day; clients must add them up.
            let new = SandboxMetrics.followersNew(appid, day), lost = SandboxMetrics.followersLost(appid, day)
            return [["ref_date": date, "user_source": 0, "new_user": new / 2, "cancel_user": lost / 2],
                    ["ref_date": date, "user_source": 30, "new_user": new - new / 2, "cancel_user": lost - lost / 2]]
        case "getusercumulate":
            return [["ref_date": date, "cumulate_user": SandboxMetrics.followersTotal(appid, day)]]
        case "getbizsummary":
            return [["ref_date": date, "detail": Self.bizDetail(appid, day)]]
        default:
            return await articles(appid: appid, publishedOn: day, latest: latest, state: state).map { article in
                let stats = (0...article.day.days(until: min(latest, article.day.adding(days: 29)))).map { article.day.adding(days: $0) }
                if name == "getarticletotal" {
                    return ["ref_date": date, "msgid": article.msgid, "title": article.title,
                            "details": stats.map { Self.legacyDetail(article.msgid, publishedOn: article.day, statDate: $0) }]
                }
                return ["ref_date": date, "msgid": article.msgid, "publish_type": 0, "title": article.title, "content_url": article.url,
                        "detail_list": stats.map { Self.articleDetail(article.msgid, publishedOn: article.day, statDate: $0) }]
            }
        }
    }

    static func bizDetail(_ appid: String, _ day: LocalDate) -> [String: Any] {
        ["read_user": SandboxMetrics.daily(appid, day, "read_user", 500...3_000), "share_user": SandboxMetrics.daily(appid, day, "share_user", 10...100),
         "zaikan_user": SandboxMetrics.daily(appid, day, "zaikan_user", 5...60), "like_user": SandboxMetrics.daily(appid, day, "like_user", 10...120),
         "comment_count": SandboxMetrics.daily(appid, day, "comment_count", 0...30), "collection_user": SandboxMetrics.daily(appid, day, "collection_user", 2...40),
         "read_user_source": [["scene_desc": "全部", "user_count": SandboxMetrics.daily(appid, day, "read_user", 500...3_000)]],
         "redirect_ori_page_user": 0, "send_page_count": 1]
    }

    /// Cumulative from the publish date to `statDate`.
    static func articleDetail(_ msgid: String, publishedOn: LocalDate, statDate: LocalDate) -> [String: Any] {
        let days = publishedOn.days(until: statDate) + 1
        func total(_ metric: String, _ range: ClosedRange<Int>) -> Int { SandboxMetrics.post(msgid, metric, days: days, per: range) }
        return ["stat_date": statDate.description, "read_user": total("read_user", 300...2_000), "share_user": total("share_user", 5...80),
                "zaikan_user": total("zaikan_user", 2...40), "like_user": total("like_user", 5...90), "comment_count": total("comment_count", 0...20),
                "collection_user": total("collection_user", 1...30), "praise_money": total("praise_money", 0...500),
                "read_subscribe_user": total("read_subscribe_user", 0...25),
                "read_delivery_rate": Double(SandboxMetrics.number([msgid, "delivery"], 3...15)) / 100,
                "read_finish_rate": Double(SandboxMetrics.number([msgid, "finish"], 30...80)) / 100,
                "read_avg_activetime": Double(SandboxMetrics.number([msgid, "activetime"], 5...40)) / 10,
                "read_user_source": [["scene_desc": "全部", "user_count": total("read_user", 300...2_000)]],
                "read_jump_position": [["position": 1, "rate": 0.9]]]
    }

    static func legacyDetail(_ msgid: String, publishedOn: LocalDate, statDate: LocalDate) -> [String: Any] {
        let days = publishedOn.days(until: statDate) + 1
        func total(_ metric: String, _ range: ClosedRange<Int>) -> Int { SandboxMetrics.post(msgid, metric, days: days, per: range) }
        return ["stat_date": statDate.description, "target_user": 10_000, "int_page_read_user": total("read_user", 300...2_000),
                "int_page_read_count": total("read_count", 400...2_500), "share_user": total("share_user", 5...80),
                "share_count": total("share_count", 6...90), "add_to_fav_user": total("collection_user", 1...30)]
    }

    struct ArticleRecord {
        var msgid: String
        var title: String
        var url: String
        var day: LocalDate
    }

    /// The account's articles published on `day`: the deterministic one, and the sandbox's own publications.
    static func articles(appid: String, publishedOn day: LocalDate, latest: LocalDate, state: SandboxState) async -> [ArticleRecord] {
        var found: [ArticleRecord] = []
        if let article = SandboxMetrics.wechatArticle(appid: appid, day: day) {
            found.append(ArticleRecord(msgid: article.msgid, title: article.title, url: article.url, day: day))
        }
        for job in await state.all(SandboxWeChat.jobs).values.compactMap({ SandboxState.decode(SandboxWeChat.Job.self, $0) })
        where job.appid == appid && job.status == 0 && LocalDate(Date(timeIntervalSince1970: job.submittedAt), timeZone: PullSchedule.beijing) == day {
            found.append(ArticleRecord(msgid: "\(job.msgDataID)_1", title: job.draft.articles.first?.title ?? "", url: job.articleURL ?? "", day: day))
        }
        return found
    }

}

extension SandboxMetrics {
    /// 公众号: two days in three carry one article not published through MediaOps.
    public static func wechatArticle(appid: String, day: LocalDate) -> (msgid: String, title: String, url: String)? {
        guard number([appid, day.description, "article"], 0...2) > 0 else { return nil }
        let msgDataID = 2_247_000_000 + number([appid, day.description, "msg"], 0...99_999_999)
        return ("\(msgDataID)_1", "沙盒文章 \(day)", "http://mp.weixin.qq.com/s?__biz=sandbox&mid=\(msgDataID)&idx=1&sn=sandbox")
    }

    /// 公众号 getbizsummary's detail of one day (what tests compare with).
    public static func wechatBizDetail(appid: String, day: LocalDate) -> [String: Any] { SandboxWeChatMetrics.bizDetail(appid, day) }

    /// 公众号 getarticletotaldetail's entry for `statDate` (cumulative since publishing).
    public static func wechatArticleDetail(msgid: String, publishedOn: LocalDate, statDate: LocalDate) -> [String: Any] {
        SandboxWeChatMetrics.articleDetail(msgid, publishedOn: publishedOn, statDate: statDate)
    }
}
