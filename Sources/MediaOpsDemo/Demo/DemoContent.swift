import Foundation
import MediaOpsApp
import MediaOpsDomain
import MediaOpsStore
import SQLKit

/// The demo's content room: a month of planned posts around today in every
/// state, a topic pool, word lists and a two-stage review flow, so the
/// calendar and the library look lived in on the first start.
enum DemoContent {
    struct Piece {
        let title: String
        let summary: String
        let paragraphs: [String]
        let tags: [String]
        let category: ContentCategory
        let platforms: [Platform]
    }

    static let pieces: [Piece] = [
        Piece(title: "冬日限定：桂花乌龙拿铁回归", summary: "桂花乌龙拿铁本周回归门店，附上三种喝法。", paragraphs: ["去年冬天呼声最高的桂花乌龙拿铁，这周正式回到菜单。", "我们调整了桂花蜜的比例，甜度更柔和，推荐少冰或热饮。", "门店和小程序同步上新，欢迎在评论区晒出你的杯子。"], tags: ["新品", "冬季限定"], category: .announcement, platforms: [.wechatOA, .weibo, .xiaohongshu]),
        Piece(title: "一杯好茶的水温，差 5 度就不一样", summary: "不同茶类的冲泡水温建议，收藏备用。", paragraphs: ["绿茶怕烫，80 度左右更能留住鲜爽；乌龙茶可以用 95 度以上的水唤醒香气。", "家里没有温度计也没关系：水开后静置两分钟，大约就是 85 度。", "下期我们聊聊冷泡茶的时间表。"], tags: ["茶知识", "冲泡"], category: .industry, platforms: [.wechatOA, .zhihu]),
        Piece(title: "店长手记：凌晨五点的备料间", summary: "跟着店长走一遍开店前的两小时。", paragraphs: ["五点整，备料间的灯先亮起来。茶汤要现煮，水果要当天到店。", "店长小周说，最难的是冬天的第一锅茶汤，温度、时间都要盯着。", "谢谢每一位早起的同事。"], tags: ["门店故事"], category: .userStory, platforms: [.wechatOA, .wechatChannels]),
        Piece(title: "用户来信：在异乡喝到家乡的茶", summary: "一位读者的来信，和我们想说的话。", paragraphs: ["上周收到一封来信，读者在外地工作三年，第一次在我们的门店喝到家乡的单丛。", "她说那一刻突然不那么想家了。我们把这封信贴在了总部的墙上。", "你有和一杯茶有关的故事吗？欢迎留言。"], tags: ["用户故事", "温暖"], category: .emotional, platforms: [.wechatOA, .weibo]),
        Piece(title: "瓶装茶新配方：少糖不少味", summary: "瓶装乌龙新配方的三处改动。", paragraphs: ["新配方把糖减少了三分之一，同时提高了茶叶的投放量。", "口感测试里，七成参与者更喜欢新版本。", "即日起电商渠道陆续换新包装。"], tags: ["瓶装茶", "产品更新"], category: .productInsight, platforms: [.weibo, .douyin, .xiaohongshu]),
        Piece(title: "周末市集见！青禾快闪摊位地图", summary: "周六周日的市集摊位位置和限定款。", paragraphs: ["本周末我们在滨江市集摆摊，摊位号 B12。", "现场有限定的柚子绿茶，每天限量 300 杯。", "带上你的环保杯，可以减 2 元。"], tags: ["活动", "市集"], category: .campaign, platforms: [.weibo, .xiaohongshu, .douyin]),
        Piece(title: "热点｜降温了，这样喝茶更暖胃", summary: "降温天的喝茶小建议。", paragraphs: ["这几天气温骤降，很多人开始找热饮。", "发酵程度较高的红茶和熟普口感醇和，适合天冷时饮用。", "空腹不建议喝浓茶，记得搭配点心。"], tags: ["热点", "降温"], category: .trending, platforms: [.weibo, .wechatOA]),
        Piece(title: "茶汤为什么会变色？", summary: "从氧化说起，解释茶汤颜色的变化。", paragraphs: ["泡好的茶放一会儿颜色变深，是茶多酚在和空气反应。", "这不代表茶坏了，但香气会流失，建议现泡现喝。", "冷泡能让颜色更稳定，适合带出门。"], tags: ["茶知识"], category: .industry, platforms: [.zhihu, .bilibili]),
        Piece(title: "幕后：新品试饮会的 12 个版本", summary: "一杯新品从第一版到上市经历了什么。", paragraphs: ["桂花乌龙拿铁在上市前做了 12 个版本，最早的一版桂花味太重。", "试饮会上，同事们用便利贴写下意见，贴满了一整面墙。", "最终版本保留了第 9 版的茶底和第 11 版的奶比例。"], tags: ["幕后", "新品"], category: .productInsight, platforms: [.bilibili, .wechatChannels]),
        Piece(title: "Winter menu: osmanthus oolong latte is back", summary: "Our most requested winter drink returns this week.", paragraphs: ["The osmanthus oolong latte is back in our stores this week.", "We softened the sweetness; try it hot or with less ice."], tags: ["menu"], category: .announcement, platforms: [.x, .mastodon, .telegram]),
        Piece(title: "会员日：第二杯半价规则说明", summary: "本月会员日的参与方式和注意事项。", paragraphs: ["每月 18 日是会员日，当天第二杯半价。", "活动限小程序下单，外卖平台不参与。", "详细规则以小程序页面为准。"], tags: ["会员", "活动"], category: .campaign, platforms: [.wechatOA, .weibo]),
        Piece(title: "为什么我们坚持用原叶茶", summary: "原叶茶和茶粉的区别。", paragraphs: ["原叶现煮的茶汤层次更丰富，但成本更高、出杯更慢。", "我们算过这笔账，还是决定坚持。", "门店的煮茶时间表贴在吧台，欢迎来看。"], tags: ["品牌故事", "原叶茶"], category: .emotional, platforms: [.wechatOA, .xiaohongshu]),
    ]

    static let topics: [(String, TopicSource, ContentCategory, TopicPriority, String)] = [
        ("冬至喝什么茶？做一期节气专题", .hotTopic, .trending, .high, "可以结合门店的姜枣茶，做图文加短视频。"),
        ("用户常问：孕期可以喝奶茶吗", .userQuestion, .industry, .normal, "需要请营养师审核，避免健康功效表述。"),
        ("瓶装茶新包装开箱", .productPoint, .productInsight, .normal, "请设计组出三张对比图。"),
        ("年终感谢信：写给一年里的老顾客", .campaign, .emotional, .high, ""),
        ("门店员工一天 Vlog", .other, .userStory, .low, "视频号和抖音各一版。"),
        ("春节礼盒预售节奏", .campaign, .campaign, .urgent, "需在 12 月中旬前确定排期。"),
        ("茶叶储存的五个误区", .userQuestion, .industry, .normal, ""),
        ("联名款可行性讨论", .other, .campaign, .low, "等渠道经理反馈。"),
    ]

    /// Adds the content room's demo data inside the demo transaction.
    static func load(db: any SQLDatabase, members: [String: String], groups: [String: String], owner: Principal) async throws {
        var zone = Calendar(identifier: .gregorian)
        zone.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let today = zone.startOfDay(for: Date())
        let repository = ContentRepository(db)
        let writers = ["wangyutong@mediaops.local", "liuyang@mediaops.local", "sunhao@mediaops.local", "zhengnan@mediaops.local"]
        // Upcoming pieces in every stage of the pipeline, with enough approved ones
        // for the demo's publishing plan (API, assisted, a late answer, a lapsed token).
        let upcoming: [ContentState] = [.draft, .changesRequested, .approved, .approved, .inReview, .approved, .approved]
        let firstUpcoming = (0..<pieces.count).first { -14 + ($0 * 35) / pieces.count >= 0 } ?? 0
        // One post per piece, from two weeks ago to three weeks ahead: past ones
        // published, near ones in review. (Each title once: a demo that repeats its
        // posts with "（2）" looks like a broken import.)
        for index in 0..<pieces.count {
            let piece = pieces[index]
            let dayOffset = -14 + (index * 35) / pieces.count
            let platform = piece.platforms[0]
            let time = PostingTimes.defaultTime(for: platform)
            let day = zone.date(byAdding: .day, value: dayOffset, to: today)!
            let planned = CalendarRange.instant(on: day, hour: time.hour, minute: time.minute, timeZone: zone.timeZone)
            let state: ContentState = dayOffset < 0 ? .published : upcoming[(index - firstUpcoming) % upcoming.count]
            let writer = members[writers[index % writers.count]]
            let body = piece.paragraphs.map { "<p>\(HTMLSanitizer.escape($0))</p>" }.joined()
            let created = planned.addingTimeInterval(-5 * 86_400)
            let item = ContentItem(id: Identifier.make("cnt"), title: piece.title, body: body, summary: piece.summary, tags: piece.tags,
                                   category: piece.category, coverAssetID: nil, state: state, ownerID: writer, groupID: groups[platform == .x || platform == .mastodon ? "海外" : "青禾茶饮"],
                                   topicID: nil, plannedAt: planned, version: 1, reviewStage: 0, isTemplate: index == 1,
                                   createdBy: writer, createdAt: min(created, Date()), updatedAt: min(created, Date()))
            try await repository.insert(item)
            var variants: [ContentVariant] = []
            for platform in piece.platforms {
                let variant = ContentVariant.generate(from: item, platform: platform, id: Identifier.make("var"), now: item.updatedAt)
                try await repository.saveVariant(variant)
                variants.append(variant)
            }
            try await repository.saveVersion(item, variants: variants, author: owner)
        }
        // One draft with a wording problem, so the compliance check has something to show.
        let flawed = ContentItem(id: Identifier.make("cnt"), title: "全网最低价！年终囤茶攻略",
                                 body: "<p>我们的瓶装茶是全网最低价，喝了还能降血压，错过再等一年。</p><p>想要优惠券的加微信领取。</p>",
                                 summary: "", tags: ["促销"], category: .campaign, coverAssetID: nil, state: .draft,
                                 ownerID: members["sunhao@mediaops.local"], groupID: groups["青禾零售"], topicID: nil,
                                 plannedAt: CalendarRange.instant(on: zone.date(byAdding: .day, value: 3, to: today)!, hour: 12, minute: 0, timeZone: zone.timeZone),
                                 version: 1, reviewStage: 0, isTemplate: false, createdBy: members["sunhao@mediaops.local"], createdAt: Date(), updatedAt: Date())
        try await repository.insert(flawed)
        let flawedVariant = ContentVariant.generate(from: flawed, platform: .weibo, id: Identifier.make("var"))
        try await repository.saveVariant(flawedVariant)
        try await repository.saveVersion(flawed, variants: [flawedVariant], author: owner)

        for (index, topic) in topics.enumerated() {
            let id = Identifier.make("top")
            let now = Date().addingTimeInterval(Double(index - topics.count) * 3_600)
            let status: TopicStatus = index == 0 ? .accepted : index == 7 ? .parked : .proposed
            try await db.raw("""
                INSERT INTO topics (id, title, source, category, priority, owner_id, notes, status, content_id, created_by, created_at, updated_at)
                VALUES (\(bind: id), \(bind: topic.0), \(bind: topic.1.rawValue), \(bind: topic.2.rawValue), \(bind: topic.3.rawValue),
                \(bind: members[writers[index % writers.count]]), \(bind: topic.4), \(bind: status.rawValue), NULL, \(bind: owner.memberID),
                \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds))
                """).run()
            if let group = groups["青禾茶饮"] {
                try await db.raw("INSERT INTO topic_groups (topic_id, group_id) VALUES (\(bind: id), \(bind: group))").run()
            }
            for voter in writers.prefix(index % 4) {
                if let member = members[voter] {
                    try await db.raw("INSERT INTO topic_votes (topic_id, user_id, created_at) VALUES (\(bind: id), \(bind: member), \(bind: now.epochMilliseconds))").run()
                }
            }
        }

        let words = WordListRepository(db)
        _ = try await words.add(category: .competitor, term: "茶颜悦色", severity: .warn)
        _ = try await words.add(category: .competitor, term: "喜茶", severity: .warn)
        _ = try await words.add(category: .trafficDiversion, term: "私信领取", severity: .warn)
        _ = try await words.add(category: .banned, term: "最后一波", severity: .warn)

        // The main brand's copy passes the content lead, then compliance.
        if let brand = groups["青禾茶饮"] {
            try await ReviewRepository(db).saveFlow(groupKey: brand, stages: [
                // The owner sits in both stages so the demo's owner can walk an item through review.
                ReviewStage(name: "内容主管", roleKeys: ["manager", "director", "owner"], memberIDs: []),
                ReviewStage(name: "合规审核", roleKeys: ["reviewer", "owner"], memberIDs: []),
            ])
        }
    }
}
