import Foundation
import MediaOpsDomain
import MediaOpsSandbox
import MediaOpsStore
import SQLKit

/// Thirteen months of numbers for every demo account: daily followers and
/// reads or plays, and posts with snapshots at 1 h, 24 h, 72 h, 7 d and 30 d.
/// The numbers hang together: an account's daily reads are the reads its
/// posts gathered that day plus a little from older posts, and the one viral
/// post of each main account shows in its follower curve. Where the imitation
/// platforms know an account, its follower count ends where they say, so the
/// first live pull continues the curve instead of jumping.
enum DemoMetrics {
    static let days = 396

    struct Profile {
        var followers: Int
        var netPerDay: Double
        var postsPerWeek: Double
        var consumption: Int
        var engagement: Double
        var hour: Int
        var viral: Bool
    }

    static func profile(_ platform: Platform, kind: String?) -> Profile {
        switch platform {
        case .wechatOA: Profile(followers: 38_000, netPerDay: 45, postsPerWeek: kind == "service" ? 1.5 : 4, consumption: 2_600, engagement: 0.045, hour: 20, viral: kind == "service")
        case .wechatChannels: Profile(followers: 12_000, netPerDay: 30, postsPerWeek: 3, consumption: 5_000, engagement: 0.06, hour: 12, viral: false)
        case .weibo: Profile(followers: 86_000, netPerDay: 60, postsPerWeek: 7, consumption: 9_000, engagement: 0.012, hour: 12, viral: false)
        case .douyin: Profile(followers: 150_000, netPerDay: 180, postsPerWeek: 4, consumption: 40_000, engagement: 0.05, hour: 7, viral: true)
        case .xiaohongshu: Profile(followers: 24_000, netPerDay: 40, postsPerWeek: 3, consumption: 6_000, engagement: 0.08, hour: 19, viral: false)
        case .bilibili: Profile(followers: 9_000, netPerDay: 15, postsPerWeek: 1, consumption: 12_000, engagement: 0.07, hour: 18, viral: false)
        case .kuaishou: Profile(followers: 30_000, netPerDay: 35, postsPerWeek: 3, consumption: 15_000, engagement: 0.04, hour: 11, viral: false)
        case .zhihu: Profile(followers: 6_000, netPerDay: 8, postsPerWeek: 1, consumption: 3_000, engagement: 0.03, hour: 21, viral: false)
        case .toutiao: Profile(followers: 4_000, netPerDay: 5, postsPerWeek: 2, consumption: 4_000, engagement: 0.01, hour: 8, viral: false)
        default: Profile(followers: 3_000, netPerDay: 4, postsPerWeek: 2, consumption: 900, engagement: 0.03, hour: 9, viral: false)
        }
    }

    static let topics = ["春茶上新", "一杯茶的时间", "门店探访", "夏日冷泡指南", "秋天的第一杯奶茶", "冬日限定", "茶园一日", "茶的温度", "周末茶会",
                         "新品试饮招募", "通勤路上的茶", "会员日福利", "茶艺小课堂", "原料溯源", "低糖也好喝", "节气茶单", "办公室下午茶", "城市限定杯"]

    /// A small deterministic generator, so the demo looks the same on every machine.
    struct Random {
        var state: UInt64
        init(_ seed: String) { state = SandboxMetrics.seed([seed]) | 1 }
        mutating func next() -> Double {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Double(state % 1_000_000) / 1_000_000
        }
        mutating func around(_ value: Double, spread: Double) -> Double { value * (1 + (next() * 2 - 1) * spread) }
    }

    /// Posting hours around the platform's usual one, and how each does: an
    /// hour after the usual time is the audience's real peak (DOMAIN.md: "直播时间从 20 点调到
    /// 21 点更匹配活跃高峰"), so the best-time suggestion finds it in the numbers.
    static func postingHours(_ usual: Int) -> [(hour: Int, lift: Double)] {
        [((usual + 23) % 24, 0.9), (usual, 1.0), ((usual + 1) % 24, 1.4), ((usual + 3) % 24, 0.85)]
    }

    /// How each content category does against the account's usual rate: emotional pieces
    /// clearly beat industry know-how (DOMAIN.md: "情感类内容互动率比干货类高 30%"); user
    /// stories and product pieces differ too little to tell apart. Drawn in these proportions.
    static let categoryLifts: [(category: ContentCategory, lift: Double, share: Double)] = [
        (.emotional, 1.35, 0.3), (.industry, 1.0, 0.3), (.userStory, 1.05, 0.2), (.productInsight, 1.0, 0.2),
    ]

    /// Posts of the last `linkedDays` on 公众号 and 微博 went out through MediaOps: each has
    /// a published content item (its category, tags) and a publish target, so insights can
    /// group them by what they were.
    static let linkedDays = 120
    static let linkedPlatforms: Set<Platform> = [.wechatOA, .weibo]

    /// The share of a post's final numbers reached after each snapshot offset.
    static let snapshotShares: [(hours: Double, share: Double)] = [(1, 0.12), (24, 0.62), (72, 0.84), (168, 0.95), (720, 1)]

    static func load(database: Database, owner: Principal, now: Date = Date()) async throws {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let yesterday = LocalDate(now, timeZone: zone).adding(days: -1)
        let first = yesterday.adding(days: -(days - 1))
        let accounts = try await AccountRepository(database.sql).list(filter: AccountFilter(includeRetired: true), page: PageRequest(page: 1, perPage: 200)).items
        let provenance = MetricProvenance(source: .manual, enteredBy: owner.memberID, capturedAt: now)
        var dailyRows: [MetricRepository.DailyRow] = []
        var posts: [AnalyticsPost] = []
        var snapshots: [MetricRepository.SnapshotRow] = []
        var contentItems: [ContentItem] = []
        var targets: [(id: String, contentID: String, accountID: String, platform: Platform, at: Date)] = []
        for account in accounts where account.platform != .webhook {
            var random = Random(account.handle)
            let profile = profile(account.platform, kind: account.kind)
            let key = DerivedMetric.consumptionKey(for: account.platform)
            // Posts first: their reads make up the account's daily reads.
            var gained: [LocalDate: (consumption: Double, likes: Double, comments: Double, shares: Double, favorites: Double, follows: Double)] = [:]
            var day = first
            var index = 0
            let viralDay = yesterday.adding(days: -120)
            while day <= yesterday {
                let isViral = profile.viral && day == viralDay
                if isViral || random.next() < profile.postsPerWeek / 7 {
                    let minute = Int(random.next() * 40)
                    let hours = postingHours(profile.hour)
                    let slot = isViral ? hours[1] : hours[Int(random.next() * Double(hours.count)) % hours.count]
                    let published = LocalDateTime(year: day.year, month: day.month, day: day.day, hour: slot.hour, minute: minute).instant(in: zone)!
                    let final = random.around(Double(profile.consumption), spread: 0.6) * (isViral ? 14 : 1)
                    var draw = random.next()
                    let kind = categoryLifts.first { draw -= $0.share; return draw < 0 } ?? categoryLifts[categoryLifts.count - 1]
                    let rate = random.around(profile.engagement, spread: 0.35) * (isViral ? 1.6 : 1) * slot.lift * kind.lift
                    let topic = topics[Int(random.next() * Double(topics.count)) % topics.count]
                    let title = "\(topic)｜\(day.month)月第\(index % 9 + 1)期"
                    var targetID: String?
                    if linkedPlatforms.contains(account.platform), day >= yesterday.adding(days: -linkedDays), published < now {
                        let item = ContentItem(id: Identifier.make("cnt"), title: title, body: "<p>\(HTMLSanitizer.escape(topic))</p>", summary: "", tags: [topic],
                                               category: kind.category, coverAssetID: nil, state: .published, ownerID: account.ownerID, groupID: nil, topicID: nil,
                                               plannedAt: published, version: 1, reviewStage: 0, isTemplate: false, createdBy: owner.memberID,
                                               createdAt: published.addingTimeInterval(-86_400), updatedAt: published)
                        contentItems.append(item)
                        let id = Identifier.make("tgt")
                        targets.append((id, item.id, account.id, account.platform, published))
                        targetID = id
                    }
                    let post = AnalyticsPost(id: Identifier.makeOrdered("pst"), accountID: account.id, platformPostID: "demo-\(account.handle)-\(index)", targetID: targetID,
                                             title: title, url: nil, publishedAt: published, origin: targetID == nil ? .external : .mediaops)
                    posts.append(post)
                    index += 1
                    let totals: [MetricKey: Double] = [key: final.rounded(), .likes: (final * rate * 0.6).rounded(), .comments: (final * rate * 0.1).rounded(),
                                                       .shares: (final * rate * 0.15).rounded(), .favorites: (final * rate * 0.15).rounded(),
                                                       .followsGained: (final * (isViral ? 0.03 : 0.004)).rounded()]
                    for (hours, share) in snapshotShares {
                        let captured = published.addingTimeInterval(hours * 3_600)
                        guard captured <= now else { break }
                        snapshots.append(.init(postID: post.id, capturedAt: captured, hoursSincePublish: hours, values: totals.mapValues { ($0 * share).rounded() }))
                    }
                    // Most of a post's reads come on its first three days.
                    for (offset, share) in [(0, 0.62), (1, 0.16), (2, 0.06), (3, 0.05), (4, 0.04), (5, 0.03), (6, 0.04)] {
                        let target = day.adding(days: offset)
                        guard target <= yesterday else { break }
                        var entry = gained[target] ?? (0, 0, 0, 0, 0, 0)
                        entry.consumption += final * share
                        entry.likes += (totals[.likes] ?? 0) * share
                        entry.comments += (totals[.comments] ?? 0) * share
                        entry.shares += (totals[.shares] ?? 0) * share
                        entry.favorites += (totals[.favorites] ?? 0) * share
                        entry.follows += (totals[.followsGained] ?? 0) * share
                        gained[target] = entry
                    }
                }
                day = day.adding(days: 1)
            }
            // Followers: a steady trend with a weekly rhythm, lifted by what posts bring, ending where the platform says.
            var nets: [LocalDate: (new: Double, lost: Double)] = [:]
            day = first
            var totalNet = 0.0
            var dayIndex = 0
            while day <= yesterday {
                let weekly = 1 + 0.25 * sin(Double(dayIndex) * 2 * .pi / 7)
                let brought = gained[day]?.follows ?? 0
                let new = max(0, random.around(profile.netPerDay * 1.3 * weekly, spread: 0.35) + brought).rounded()
                let lost = max(0, random.around(profile.netPerDay * 0.3, spread: 0.5)).rounded() + incidentLoss(account, day, yesterday: yesterday)
                nets[day] = (new, lost)
                totalNet += new - lost
                day = day.adding(days: 1)
                dayIndex += 1
            }
            let end = Double(anchor(account).map { SandboxMetrics.followersTotal($0, yesterday) } ?? profile.followers)
            var running = end - totalNet
            day = first
            while day <= yesterday {
                let (new, lost) = nets[day]!
                running += new - lost
                let background = random.around(Double(profile.consumption) * 0.08, spread: 0.4)
                let entry = gained[day]
                var values: [MetricKey: Double] = [.followersTotal: running, .followersNew: new, .followersLost: lost, .followersNet: new - lost,
                                                   key: ((entry?.consumption ?? 0) + background).rounded()]
                if let entry {
                    values[.likes] = entry.likes.rounded()
                    values[.comments] = entry.comments.rounded()
                    values[.shares] = entry.shares.rounded()
                    values[.favorites] = entry.favorites.rounded()
                }
                for (metric, value) in values { dailyRows.append(.init(accountID: account.id, day: day, key: metric, value: max(0, value) == value || metric == .followersNet ? value : 0)) }
                day = day.adding(days: 1)
            }
        }
        let (posts_, dailyRows_, snapshots_, contentItems_, targets_) = (posts, dailyRows, snapshots, contentItems, targets)
        try await database.transaction { db in
            let repository = MetricRepository(db)
            let (posts, dailyRows, snapshots) = (posts_, dailyRows_, snapshots_)
            let content = ContentRepository(db)
            for item in contentItems_ { try await content.insert(item) }
            for target in targets_ {
                try await db.raw("""
                    INSERT INTO publish_targets (id, content_id, account_id, platform, due_at, state, job_id, mode, published_at, created_at, updated_at)
                    VALUES (\(bind: target.id), \(bind: target.contentID), \(bind: target.accountID), \(bind: target.platform.rawValue),
                    \(bind: target.at.epochMilliseconds), \(bind: TargetState.published.rawValue), NULL, \(bind: PublishingRoute.api.rawValue),
                    \(bind: target.at.epochMilliseconds), \(bind: target.at.epochMilliseconds), \(bind: target.at.epochMilliseconds))
                    """).run()
            }
            try await repository.insertGenerated(posts: posts, now: now)
            try await repository.insertGenerated(daily: dailyRows, provenance: provenance)
            try await repository.insertGenerated(snapshots: snapshots, provenance: provenance)
        }
    }

    /// The official 微博 lost fans in a burst three days before yesterday (a
    /// complaint went round), which the ready-made rule "粉丝单日净减超过 500"
    /// catches in the demo's alert history.
    static func incidentLoss(_ account: Account, _ day: LocalDate, yesterday: LocalDate) -> Double {
        account.handle == "qinghetea" && day == yesterday.adding(days: -3) ? 860 : 0
    }

    /// The name the imitation platforms count an account's followers under, where
    /// the demo knows it: a field, or the credential the sandbox seeds its numbers
    /// by. Every platform whose pull reports a follower total needs one, or the
    /// first pull after the demo loads lands at the sandbox's scale instead of the
    /// generated history's, and the overview shows a jump no team ever had.
    static func anchor(_ account: Account) -> String? {
        let token = DemoWorkspace.accounts.first { $0.platform == account.platform && $0.handle == account.handle }?.secrets["access_token"]
        return switch account.platform {
        case .wechatOA: account.fields["app_id"]
        case .weibo: account.fields["uid"]
        case .telegram: account.fields["chat_id"]
        case .douyin: account.fields["open_id"]
        case .bilibili, .x: token
        case .mastodon: token.map { SandboxMetrics.mastodonOwner(token: $0) }
        default: nil
        }
    }
}
