import Foundation
import MediaOpsDomain

/// 公众号 statistics (ANALYTICS-SOURCES.md §1): the datacube, `POST
/// /datacube/<name>?access_token=` with `{begin_date, end_date}`.
/// * Account: `getusersummary` (new/cancel per user_source, summed) and
///   `getusercumulate` (followers at day end), ≤ 7 days a call; `getbizsummary`
///   (freepublish era, from 2025-11-01, ≤ 30 days) adds readers, sharers,
///   在看, likes, comments and saves.
/// * Posts: `getarticletotaldetail` by publish date, one day a call; every
///   `detail_list` entry is cumulative since publishing, so the latest is the
///   post's figure now. On 47009 ("api offline") the legacy `getarticletotal`
///   is asked instead; what neither gives is recorded as offline per metric.
/// * A too-fresh day answers an empty list, not an error: that is "not yet
///   available", never zeros. The datacube returns no errcode on success.
extension WeChatOAConnector: MetricsConnector {
    static let userSpan = 7
    static let bizSpan = 30
    static let offlineCode = 47009
    /// Range errors are undocumented (PLATFORMS.md §1.2); 61500/61501 are the codes SDKs guess, 40093 is "invalid date".
    static let spanCodes: Set<Int> = [61500, 61501, 40093]
    static let freepublishStart = LocalDate(year: 2025, month: 11, day: 1)

    static let bizFields = MetricFieldMapper([
        .init("read_user", .readers), .init("share_user", .sharers), .init("zaikan_user", .recommends), .init("like_user", .likes),
        .init("comment_count", .comments), .init("collection_user", .favorites),
    ])
    /// `read_avg_activetime` is in minutes by the SDK docstrings (unconfirmed): stored as seconds.
    static let articleFields = MetricFieldMapper([
        .init("read_user", .readers), .init("share_user", .sharers), .init("zaikan_user", .recommends), .init("like_user", .likes),
        .init("comment_count", .comments), .init("collection_user", .favorites), .init("praise_money", .tipsFen),
        .init("read_subscribe_user", .followsGained), .init("read_delivery_rate", .deliveryReadRate, transform: MetricFieldMapper.fraction),
        .init("read_finish_rate", .completionRate, transform: MetricFieldMapper.fraction),
        .init("read_avg_activetime", .avgWatchSeconds, transform: { ($0 * 60).rounded() }),
    ])
    static let legacyArticleFields = MetricFieldMapper([
        .init("int_page_read_count", .reads), .init("int_page_read_user", .readers), .init("share_count", .shares),
        .init("share_user", .sharers), .init("add_to_fav_user", .favorites),
    ])

    public func pullAccount(_ account: ConnectorAccount, from: LocalDate, to: LocalDate, context: ConnectorContext) async -> MetricPullResult {
        var result = MetricPullResult()
        let datacube = Datacube(connector: self, account: account, context: context)
        do {
            for range in PullSchedule.split(from: from, to: to, maxSpan: Self.userSpan) {
                try await userSummary(range, datacube: datacube, into: &result)
                try await userCumulate(range, datacube: datacube, into: &result)
            }
            if to >= Self.freepublishStart {
                for range in PullSchedule.split(from: max(from, Self.freepublishStart), to: to, maxSpan: Self.bizSpan) {
                    try await bizSummary(range, datacube: datacube, into: &result)
                }
                // Articles published on the last day, MediaOps' or not, so every post gets its snapshots.
                var found = MetricPullResult()
                if (try? await articles(publishedOn: to, wanted: nil, datacube: datacube, into: &found)) != nil {
                    result.merge(found)
                }
            }
        } catch let failure as PullFailure {
            result.failure = failure
        } catch {
            result.failure = PullFailure(.transient, "\(error)")
        }
        if result.failure == nil, !result.hasValues {
            result.failure = PullFailure(.notYetAvailable, "datacube has no rows for \(from)…\(to) yet")
        }
        return result
    }

    public func pullPosts(_ account: ConnectorAccount, posts: [MetricPostRef], context: ConnectorContext) async -> MetricPullResult {
        var result = MetricPullResult()
        let datacube = Datacube(connector: self, account: account, context: context)
        let byDay = Dictionary(grouping: posts) { $0.publishedAt.map { LocalDate($0, timeZone: PullSchedule.beijing) } }
        do {
            for (day, refs) in byDay.sorted(by: { ($0.key?.description ?? "") < ($1.key?.description ?? "") }) {
                guard let day else {
                    for ref in refs { result.fail(Self.articleFields.fields.map(\.key), .endpointFailed, endpoint: "datacube/getarticletotaldetail", detail: "\(ref.platformPostID): no publish date") }
                    continue
                }
                // A post MediaOps published is known by the `article_id` the publish answered; the
                // statistics name it by `msgid`, so it is also wanted by its title on its day.
                try await articles(publishedOn: day, wanted: refs, datacube: datacube, into: &result)
            }
        } catch let failure as PullFailure {
            result.failure = failure
        } catch {
            result.failure = PullFailure(.transient, "\(error)")
        }
        if result.failure == nil, !result.hasValues {
            result.failure = PullFailure(.notYetAvailable, "no article statistics yet")
        }
        return result
    }

    // MARK: Calls

    func userSummary(_ range: ClosedRange<LocalDate>, datacube: Datacube, into result: inout MetricPullResult) async throws {
        let endpoint = "datacube/getusersummary"
        let (list, index) = try await datacube.list("getusersummary", range, into: &result)
        var sums: [LocalDate: (new: Double, cancel: Double, complete: Bool)] = [:]
        for row in list {
            guard let day = MetricCall.day(row["ref_date"]) else { continue }
            var entry = sums[day] ?? (0, 0, true)
            // Sources are summed; a row missing either number makes that day's figure unknown.
            switch (MetricField.read(row["new_user"]), MetricField.read(row["cancel_user"])) {
            case (.value(let new), .value(let cancel)): entry.new += new; entry.cancel += cancel
            default: entry.complete = false
            }
            sums[day] = entry
        }
        for (day, sum) in sums.sorted(by: { $0.key < $1.key }) {
            guard sum.complete else {
                result.fail([.followersNew, .followersLost, .followersNet], .missing, endpoint: endpoint, detail: "new_user/cancel_user on \(day)")
                continue
            }
            result.daily.append(DailyValues(day: day, values: [.followersNew: sum.new, .followersLost: sum.cancel, .followersNet: sum.new - sum.cancel], payload: index))
        }
    }

    func userCumulate(_ range: ClosedRange<LocalDate>, datacube: Datacube, into result: inout MetricPullResult) async throws {
        let (list, index) = try await datacube.list("getusercumulate", range, into: &result)
        let mapper = MetricFieldMapper([.init("cumulate_user", .followersTotal)])
        for row in list {
            guard let day = MetricCall.day(row["ref_date"]) else { continue }
            let values = mapper.read(row, endpoint: "datacube/getusercumulate", into: &result)
            if !values.isEmpty { result.daily.append(DailyValues(day: day, values: values, payload: index)) }
        }
    }

    /// Freepublish-era account totals. Offline or refused, its metrics are marked and the pull goes on.
    func bizSummary(_ range: ClosedRange<LocalDate>, datacube: Datacube, into result: inout MetricPullResult) async throws {
        let endpoint = "datacube/getbizsummary"
        let keys = Self.bizFields.fields.map(\.key)
        do {
            let (list, index) = try await datacube.list("getbizsummary", range, into: &result)
            for row in list {
                guard let day = MetricCall.day(row["ref_date"]) else { continue }
                let values = Self.bizFields.read(row["detail"] as? [String: Any] ?? [:], endpoint: endpoint, into: &result)
                if !values.isEmpty { result.daily.append(DailyValues(day: day, values: values, payload: index)) }
            }
        } catch let refusal as DatacubeRefusal {
            if refusal.code == Self.offlineCode {
                result.offlineEndpoints.append(endpoint)
                result.fail(keys, .apiOffline, endpoint: endpoint, detail: refusal.detail)
            } else {
                result.fail(keys, .endpointFailed, endpoint: endpoint, detail: refusal.detail)
            }
        }
    }

    /// The articles published on `day` (Beijing), with their numbers now. `wanted` nil keeps every one found.
    func articles(publishedOn day: LocalDate, wanted: [MetricPostRef]?, datacube: Datacube, into result: inout MetricPullResult) async throws {
        let byID = Dictionary((wanted ?? []).map { ($0.platformPostID, $0) }, uniquingKeysWith: { first, _ in first })
        let byTitle = Dictionary((wanted ?? []).compactMap { ref in ref.title.flatMap { $0.isEmpty ? nil : ($0, ref) } }, uniquingKeysWith: { first, _ in first })
        /// The ref an article answers (by its msgid, else by its title); nil when not wanted. Everything is wanted without refs.
        func request(_ msgid: String, _ item: [String: Any]) -> MetricPostRef?? {
            guard wanted != nil else { return .some(nil) }
            if let ref = byID[msgid] { return .some(ref) }
            if let title = item["title"] as? String, let ref = byTitle[title] { return .some(ref) }
            return nil
        }
        let endpoint = "datacube/getarticletotaldetail"
        do {
            let (list, index) = try await datacube.list("getarticletotaldetail", day...day, into: &result)
            for item in list {
                guard let msgid = JSONLenient.string(item["msgid"]), let ref = request(msgid, item) else { continue }
                let details = (item["detail_list"] as? [[String: Any]] ?? []).sorted { (($0["stat_date"] as? String) ?? "") < (($1["stat_date"] as? String) ?? "") }
                guard let latest = details.last else { continue }
                let values = Self.articleFields.read(latest, endpoint: endpoint, into: &result)
                result.posts.append(PostSnapshotValues(platformPostID: msgid, title: (item["title"] as? String) ?? "", url: item["content_url"] as? String,
                                                       publishedAt: nil, values: values, payload: index, requestedAs: ref?.platformPostID))
            }
            return
        } catch let refusal as DatacubeRefusal where refusal.code == Self.offlineCode {
            result.offlineEndpoints.append(endpoint)
        }
        // The legacy call: fewer numbers (no likes, 在看, comments), but numbers.
        let legacy = "datacube/getarticletotal"
        do {
            let (list, index) = try await datacube.list("getarticletotal", day...day, into: &result)
            for item in list {
                guard let msgid = JSONLenient.string(item["msgid"]), let ref = request(msgid, item) else { continue }
                let details = (item["details"] as? [[String: Any]] ?? []).sorted { (($0["stat_date"] as? String) ?? "") < (($1["stat_date"] as? String) ?? "") }
                guard let latest = details.last else { continue }
                let values = Self.legacyArticleFields.read(latest, endpoint: legacy, into: &result)
                result.posts.append(PostSnapshotValues(platformPostID: msgid, title: (item["title"] as? String) ?? "", values: values, payload: index,
                                                       requestedAs: ref?.platformPostID))
            }
            let legacyKeys = Set(Self.legacyArticleFields.fields.map(\.key))
            result.fail(Self.articleFields.fields.map(\.key).filter { !legacyKeys.contains($0) }, .apiOffline, endpoint: endpoint, detail: "wechat_47009")
        } catch let refusal as DatacubeRefusal where refusal.code == Self.offlineCode {
            result.offlineEndpoints.append(legacy)
            result.fail(Self.articleFields.fields.map(\.key), .apiOffline, endpoint: endpoint, detail: refusal.detail)
            if !result.hasValues { throw PullFailure(.apiOffline, refusal.detail) }
        }
    }

    // MARK: The datacube session

    /// An errcode a caller may handle itself (47009 offline, a refused endpoint); the rest are whole-pull failures.
    struct DatacubeRefusal: Error {
        var code: Int
        var detail: String
    }

    struct Datacube {
        let connector: WeChatOAConnector
        let account: ConnectorAccount
        let context: ConnectorContext

        /// Posts one datacube call and answers its `list`, keeping the raw answer.
        func list(_ name: String, _ range: ClosedRange<LocalDate>, into result: inout MetricPullResult) async throws -> ([[String: Any]], Int) {
            let session = WeChatOAConnector.Session(connector: connector, payload: PublishPayload(targetID: "", title: "", text: "", html: "", summary: "",
                                                                                                  cover: nil, account: account), context: context)
            var refreshed = false
            while true {
                let token: CachedToken
                do {
                    token = try await session.accessToken(forceRefresh: false)
                } catch let failure as WeChatFailure {
                    throw Self.pullFailure(failure.outcome)
                }
                let url = context.endpoints.base(.wechatOA) + "/datacube/\(name)?" + FormEncoding.encode([("access_token", token.value)])
                let request = OutboundRequest.json("POST", url, ["begin_date": range.lowerBound.description, "end_date": range.upperBound.description])
                let response = try await MetricCall.send(request, context: context).get()
                guard let answer = response.json else { throw MetricCall.status(response) ?? PullFailure(.transient, "unreadable answer from \(name)") }
                let code = JSONLenient.int(answer["errcode"]) ?? 0
                if code == 0 {
                    let index = result.keep("datacube/\(name)", response.text)
                    return ((answer["list"] as? [[String: Any]]) ?? [], index)
                }
                let detail = "wechat_\(code): \((answer["errmsg"] as? String) ?? "")"
                if WeChatOAConnector.tokenErrors.contains(code), !refreshed {
                    refreshed = true
                    try? await context.tokens.invalidate(accountID: account.id, value: token.value)
                    continue
                }
                switch code {
                case WeChatOAConnector.offlineCode, 48001: throw DatacubeRefusal(code: code, detail: detail)
                case _ where WeChatOAConnector.spanCodes.contains(code): throw PullFailure(.spanExceeded, detail)
                case 45009:
                    // The daily quota resets at midnight Beijing time.
                    let now = context.now()
                    let midnight = PullSchedule.start(of: LocalDate(now, timeZone: PullSchedule.beijing).adding(days: 1), in: PullSchedule.beijing)
                    throw PullFailure(.rateLimited, detail, retryAfter: max(60, midnight.timeIntervalSince(now)))
                case 45011: throw PullFailure(.rateLimited, detail, retryAfter: 60)
                case -1: throw PullFailure(.transient, detail)
                case 40001, 40014, 42001, 41001: throw PullFailure(.auth, detail)
                default: throw PullFailure(.permanent, detail)
                }
            }
        }

        static func pullFailure(_ outcome: PublishOutcome) -> PullFailure {
            switch outcome {
            case .transient(let reason, let retry): PullFailure(reason.contains("45009") || reason.contains("45011") ? .rateLimited : .transient, reason, retryAfter: retry)
            case .reconnectNeeded(let reason): PullFailure(.auth, reason)
            case .unknown(let reason): PullFailure(.transient, reason)
            case .permanent(let reason): PullFailure(.permanent, reason)
            default: PullFailure(.transient, "unexpected token answer")
            }
        }
    }
}
