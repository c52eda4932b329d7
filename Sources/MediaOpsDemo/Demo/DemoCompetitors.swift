import Foundation
import MediaOpsDomain
import MediaOpsStore
import SQLKit

/// Four tea-drink brands the demo's analyst follows, on the platforms where
/// the demo has its own accounts, with thirteen months of public numbers:
/// followers every day, posts and per-post averages on the days they posted.
/// Profiles on 抖音 and 小红书 show no reads, so those averages stay absent
/// (never zero). Older months came in from files; the last two weeks the
/// analyst typed in by hand.
enum DemoCompetitors {
    struct Brand {
        var platform: Platform
        var name: String
        var handle: String
        var url: String
        var group: String
        var notes: String
        var followers: Double
        var netPerDay: Double
        var postsPerWeek: Double
        var likes: Double
        var comments: Double
        var reads: Double?
    }

    static let brands: [Brand] = [
        Brand(platform: .weibo, name: "山岚茶事", handle: "shanlan_tea", url: "https://weibo.com/shanlantea", group: "新式茶饮头部",
              notes: "全国连锁，话题营销做得多，每逢节气必发联名。", followers: 118_000, netPerDay: 85, postsPerWeek: 9, likes: 240, comments: 38, reads: 15_500),
        Brand(platform: .weibo, name: "松间茶铺", handle: "songjian_teahouse", url: "https://weibo.com/songjiantea", group: "同城茶饮",
              notes: "同城三家店，主打手作和门店活动。", followers: 41_000, netPerDay: 18, postsPerWeek: 4, likes: 95, comments: 21, reads: 6_200),
        Brand(platform: .douyin, name: "桂语鲜茶", handle: "guiyu_fresh", url: "https://www.douyin.com/user/guiyufresh", group: "新式茶饮头部",
              notes: "短视频节奏快，早 7 点和晚 8 点各一条。", followers: 205_000, netPerDay: 240, postsPerWeek: 10, likes: 1_850, comments: 96, reads: nil),
        Brand(platform: .xiaohongshu, name: "巷口柠檬茶", handle: "xiangkou_lemon", url: "https://www.xiaohongshu.com/user/profile/xiangkoulemon", group: "同城茶饮",
              notes: "笔记以探店和隐藏菜单为主，评论区很活跃。", followers: 16_500, netPerDay: 48, postsPerWeek: 3, likes: 420, comments: 64, reads: nil),
    ]

    static func load(database: Database, owner: Principal, analystID: String?, now: Date = Date()) async throws {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let today = LocalDate(now, timeZone: zone)
        let service = CompetitorService(database: database)
        let created = now.addingTimeInterval(-Double(DemoMetrics.days + 2) * 86_400)
        var competitors: [(Brand, Competitor)] = []
        for brand in brands {
            let competitor = try await service.create(Competitor(id: "", platform: brand.platform, name: brand.name, handle: brand.handle, url: brand.url,
                                                                 group: brand.group, notes: brand.notes), by: owner, now: created)
            competitors.append((brand, competitor))
        }
        let enteredBy = analystID ?? owner.memberID
        let tracked = competitors
        try await database.transaction { db in
            let repository = CompetitorRepository(db)
            for (brand, competitor) in tracked {
                var random = DemoMetrics.Random("competitor-" + brand.handle)
                var followers = brand.followers
                for back in stride(from: DemoMetrics.days, through: 1, by: -1) {
                    let day = today.adding(days: -back)
                    // Growth drifts with the seasons: a summer peak for cold tea, a dip after the Spring Festival.
                    let season = 1 + 0.45 * sin(Double(day.month - 4) / 12 * 2 * Double.pi)
                    followers += (brand.netPerDay * season * random.around(1, spread: 0.6)).rounded()
                    var values: [CompetitorMetric: Double] = [.followers: followers]
                    let posts = Double(Int(random.around(brand.postsPerWeek / 7, spread: 0.5) + random.next()))
                    if posts > 0 {
                        values[.posts] = posts
                        let lift = 1 + Double(DemoMetrics.days - back) / Double(DemoMetrics.days) * 0.25
                        values[.avgLikes] = (random.around(brand.likes * lift * season, spread: 0.35) * 10).rounded() / 10
                        values[.avgComments] = (random.around(brand.comments * lift, spread: 0.4) * 10).rounded() / 10
                        if let reads = brand.reads { values[.avgReads] = random.around(reads * lift, spread: 0.3).rounded() }
                    } else if random.next() < 0.5 {
                        values[.posts] = 0
                    }
                    // Now and then nobody looked that day: the day is missing, not zero.
                    if back > 14, random.next() < 0.04 { continue }
                    let manual = back <= 14
                    let at = LocalDateTime(year: day.year, month: day.month, day: day.day, hour: manual ? 21 : 10, minute: 15).instant(in: zone)
                        ?? now
                    try await repository.put(CompetitorDay(competitorID: competitor.id, day: day, values: values, source: manual ? .manual : .file,
                                                           enteredBy: enteredBy, updatedAt: manual ? at : min(now, at.addingTimeInterval(86_400 * Double(30 - day.day % 30)))))
                }
            }
        }
    }
}
