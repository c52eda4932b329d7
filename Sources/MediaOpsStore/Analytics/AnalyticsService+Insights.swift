import Foundation
import MediaOpsDomain
import SQLKit

extension AnalyticsService {
    /// The posts of these accounts published in [start, stop), newest first, at
    /// most `limit` (`truncated` says when there were more), each with its 24-hour
    /// and 7-day figures and — for posts MediaOps published — its content item's
    /// category, tags, cover and length (through the content and publishing
    /// rooms' repositories).
    public func insightPosts(accounts: [String: Platform], start: Date, stop: Date, limit: Int = Insights.maximumPosts) async throws -> (posts: [InsightPost], truncated: Bool) {
        guard !accounts.isEmpty, limit > 0 else { return ([], false) }
        let ids = accounts.keys.sorted()
        var rows: [AnalyticsPost] = []
        // In pieces of 500 accounts (bind limits); each piece newest first, then merged and cut.
        for offset in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[offset..<min(ids.count, offset + 500)])
            let found = try await database.sql.raw("""
                SELECT * FROM analytics_posts WHERE account_id IN (\(binds: chunk))
                AND published_at >= \(bind: start.epochMilliseconds) AND published_at < \(bind: stop.epochMilliseconds)
                ORDER BY published_at DESC, id DESC LIMIT \(bind: limit + 1)
                """).all().map(MetricRepository.post(from:))
            rows.append(contentsOf: found)
        }
        rows.sort { ($0.publishedAt ?? .distantPast, $0.id) > ($1.publishedAt ?? .distantPast, $1.id) }
        let truncated = rows.count > limit
        if truncated { rows = Array(rows.prefix(limit)) }

        let reads = AnalyticsReadRepository(database.sql)
        var snapshots: [String: [(hours: Double?, values: [MetricKey: Double])]] = [:]
        for offset in stride(from: 0, to: rows.count, by: 500) {
            let chunk = rows[offset..<min(rows.count, offset + 500)].map(\.id)
            snapshots.merge(try await reads.snapshots(postIDs: chunk)) { $1 }
        }
        let targetIDs = rows.compactMap(\.targetID)
        let contentByTarget = try await PublishTargetRepository(database.sql).contentIDs(targetIDs: targetIDs)
        let items = try await ContentRepository(database.sql).find(ids: Array(Set(contentByTarget.values)))
        let itemByID = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return (rows.compactMap { post -> InsightPost? in
            guard let published = post.publishedAt, let platform = accounts[post.accountID] else { return nil }
            let summary = Self.summary(post, snapshots[post.id] ?? [])
            let item = post.targetID.flatMap { contentByTarget[$0] }.flatMap { itemByID[$0] }
            return InsightPost(id: post.id, accountID: post.accountID, platform: platform, publishedAt: published, title: post.title,
                               category: item?.category, tags: item?.tags ?? [], hasCover: item.map { $0.coverAssetID != nil },
                               length: item.map { Self.textLength(title: $0.title, html: $0.body) }, at24h: summary.at24h, at7d: summary.at7d)
        }, truncated)
    }

    /// Characters a reader sees: the title and the body without its markup.
    static func textLength(title: String, html: String) -> Int {
        var count = 0
        var inTag = false
        for character in html {
            if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag && !character.isWhitespace { count += 1 }
        }
        return title.filter { !$0.isWhitespace }.count + count
    }
}
