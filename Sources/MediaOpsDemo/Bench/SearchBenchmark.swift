import Foundation
import Logging
import MediaOpsApp
import MediaOpsDomain
import MediaOpsStore
import SQLKit

/// Measures content search on a large library: fills a database with `items`
/// generated Chinese posts, then times each query kind (1, 2, 3+ characters,
/// ASCII) against a primary-key lookup measured in the same run, reporting
/// medians and ratios because these machines are noisy.
public struct SearchBenchmark {
    public struct Result: Sendable {
        public var query: String
        public var kind: String
        public var medianMilliseconds: Double
        public var p90Milliseconds: Double
        public var hits: Int
        public var ratioToLookup: Double
    }

    public let database: Database
    public let items: Int
    public let runs: Int

    public init(database: Database, items: Int, runs: Int) {
        self.database = database
        self.items = items
        self.runs = runs
    }

    static let words = ["茶叶", "乌龙", "桂花", "拿铁", "门店", "新品", "冬季", "限定", "用户", "故事", "品牌", "活动", "会员", "优惠", "服务", "态度",
                        "性价比", "口感", "香气", "冲泡", "水温", "手机", "酒店", "体验", "包装", "瓶装", "原叶", "市集", "周末", "早餐", "咖啡", "甜度",
                        "少糖", "温暖", "回归", "推荐", "收藏", "评论", "分享", "直播", "短视频", "公众号", "小红书", "抖音", "微博", "运营", "数据", "增长"]
    static let queries: [(String, String)] = [("茶", "1 character"), ("手机", "2 characters"), ("性价比", "3 characters (trigram)"),
                                               ("桂花乌龙", "4 characters (trigram)"), ("独一无二的茶汤", "7 characters, rare"), ("oolong", "ASCII")]

    /// Fills the library with deterministic pseudo-random posts (multi-row inserts).
    public func fill(logger: Logger) async throws {
        var generator = SeededGenerator(seed: 42)
        let now = Date().epochMilliseconds
        let batch = 400
        var made = 0
        while made < items {
            let count = min(batch, items - made)
            let first = made
            try await database.transaction { [generator] tx in
                var generator = generator
                var rows: [SQLQueryString] = []
                for index in 0..<count {
                    let number = first + index
                    let title = (0..<3).map { _ in Self.words[Int(generator.next() % UInt64(Self.words.count))] }.joined()
                    var sentence = (0..<60).map { _ in Self.words[Int(generator.next() % UInt64(Self.words.count))] }.joined(separator: "，")
                    if number % 997 == 0 { sentence += "。独一无二的茶汤" }
                    if number % 131 == 0 { sentence += " Oolong notes" }
                    let body = "<p>\(sentence)。</p>"
                    let search = ContentSearch.searchText(title: title, body: body, summary: "", tags: [])
                    rows.append("(\(bind: String(format: "cnt_bench%011d", number)), \(bind: title), \(bind: body), '', '', 'industry', NULL, 'published', NULL, NULL, NULL, NULL, 1, 0, \(bind: false), \(bind: search), NULL, \(bind: now), \(bind: now))")
                }
                try await tx.raw("""
                    INSERT INTO content_items (id, title, body, summary, tags, category, cover_asset_id, state, owner_id, group_id, topic_id, planned_at,
                    version, review_stage, is_template, search_text, created_by, created_at, updated_at) VALUES
                    """ + rows.joined(separator: ", ")).run()
                return ()
            }
            for _ in 0..<(count * 120) { _ = generator.next() }  // keep batches independent of batch size
            made += count
            if made % 20_000 == 0 { logger.info("filled \(made) items") }
        }
        if database.kind == .sqlite {
            try await database.sql.raw("INSERT INTO content_fts (content_id, text) SELECT id, search_text FROM content_items").run()
        } else {
            try await database.sql.raw("ANALYZE content_items").run()
        }
    }

    public func measure() async throws -> (lookupMilliseconds: Double, results: [Result]) {
        let repository = ContentRepository(database.sql)
        func time(_ body: () async throws -> Void) async throws -> [Double] {
            var samples: [Double] = []
            try await body()  // warm-up
            for _ in 0..<runs {
                let start = ContinuousClock.now
                try await body()
                let elapsed = ContinuousClock.now - start
                samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
            }
            return samples.sorted()
        }
        let lookup = try await time { _ = try await repository.find(id: "cnt_bench00000012345") }
        let lookupMedian = lookup[lookup.count / 2]
        var results: [Result] = []
        for (query, kind) in Self.queries {
            var hits = 0
            let samples = try await time {
                hits = try await repository.list(filter: ContentFilter(query: query), page: PageRequest(page: 1, perPage: 20)).total
            }
            let median = samples[samples.count / 2]
            results.append(Result(query: query, kind: kind, medianMilliseconds: median, p90Milliseconds: samples[min(samples.count - 1, samples.count * 9 / 10)],
                                  hits: hits, ratioToLookup: median / max(lookupMedian, 0.0001)))
        }
        return (lookupMedian, results)
    }
}

/// A small deterministic generator (SplitMix64) so every run builds the same library.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
