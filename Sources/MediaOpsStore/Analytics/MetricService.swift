import Foundation
import MediaOpsDomain

/// Writing and reading the metric store: values are checked against their
/// key's unit (a fraction above 1, a negative count, a fractional count are
/// refused with the key named), the account must exist, and each batch is
/// written in one transaction, so a refused batch leaves nothing behind.
public struct MetricService: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// One account's values for one day (a day in the workspace's zone).
    public func recordDaily(accountID: String, day: LocalDate, values: [MetricKey: Double], provenance: MetricProvenance,
                            now: Date? = nil) async throws -> MetricWriteSummary {
        let now = now ?? database.now()
        let checked = try Self.check(values)
        return try await database.transaction { db in
            guard try await AccountRepository(db).find(id: accountID) != nil else { throw ValidationError(field: "account_id", code: "unknown_account") }
            return try await MetricRepository(db).recordDaily(accountID: accountID, day: day, values: checked, provenance: provenance, now: now)
        }
    }

    /// A post identified by the platform's id, and one snapshot of its values
    /// (captured at `provenance.capturedAt`). The post is made when first seen.
    public struct PostReference: Sendable {
        public var accountID: String
        public var platformPostID: String
        public var targetID: String?
        public var title: String
        public var url: String?
        public var publishedAt: Date?

        public init(accountID: String, platformPostID: String, targetID: String? = nil, title: String, url: String? = nil, publishedAt: Date? = nil) {
            self.accountID = accountID
            self.platformPostID = platformPostID
            self.targetID = targetID
            self.title = title
            self.url = url
            self.publishedAt = publishedAt
        }
    }

    public func recordSnapshot(_ reference: PostReference, values: [MetricKey: Double], provenance: MetricProvenance,
                               now: Date? = nil) async throws -> (post: AnalyticsPost, summary: MetricWriteSummary) {
        let now = now ?? database.now()
        let checked = try Self.check(values)
        let platformPostID = reference.platformPostID.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !platformPostID.isEmpty else { throw ValidationError(field: "platform_post_id", code: "required") }
        guard platformPostID.count <= 200 else { throw ValidationError(field: "platform_post_id", code: "too_long", params: ["max": "200"]) }
        return try await database.transaction { db in
            guard try await AccountRepository(db).find(id: reference.accountID) != nil else {
                throw ValidationError(field: "account_id", code: "unknown_account")
            }
            let metrics = MetricRepository(db)
            let post = try await metrics.post(accountID: reference.accountID, platformPostID: platformPostID, targetID: reference.targetID,
                                              title: String(reference.title.prefix(200)), url: reference.url, publishedAt: reference.publishedAt, now: now)
            return (post, try await metrics.recordSnapshot(post: post, values: checked, provenance: provenance, now: now))
        }
    }

    /// Keeps a platform's raw answer for the values pulled from it.
    public func savePayload(accountID: String, endpoint: String, body: String, fetchedAt: Date) async throws -> String {
        try await MetricRepository(database.sql).savePayload(accountID: accountID, endpoint: endpoint, body: body, fetchedAt: fetchedAt)
    }

    // MARK: Reads

    public func daily(accountID: String, from: LocalDate, to: LocalDate, keys: [MetricKey] = []) async throws -> [LocalDate: [MetricKey: MetricValue]] {
        try await MetricRepository(database.sql).daily(accountID: accountID, from: from, to: to, keys: keys)
    }

    public func posts(accountID: String, limit: Int = 100) async throws -> [AnalyticsPost] {
        try await MetricRepository(database.sql).posts(accountID: accountID, limit: limit)
    }

    public func snapshots(postID: String) async throws -> [(capturedAt: Date, hoursSincePublish: Double?, values: [MetricKey: MetricValue])] {
        try await MetricRepository(database.sql).snapshots(postID: postID)
    }

    public func changes(accountID: String, day: LocalDate) async throws -> [MetricChange] {
        try await MetricRepository(database.sql).changes(accountID: accountID, day: day)
    }

    public func changes(postID: String, capturedAt: Date) async throws -> [MetricChange] {
        try await MetricRepository(database.sql).changes(postID: postID, capturedAt: capturedAt)
    }

    /// Every value checked against its unit; all the broken ones are reported, in key order.
    static func check(_ values: [MetricKey: Double]) throws -> [MetricKey: Double] {
        // Most rows are whole: checked in place, without sorting (an import checks 100,000 of them).
        var stored = values
        var refused = false
        for (key, value) in values {
            switch key.validated(value) {
            case .success(let checked): if checked != value { stored[key] = checked }
            case .failure: refused = true
            }
        }
        if !refused { return stored }
        // Every problem named, in key order.
        var problems: [ValidationError] = []
        var checked: [MetricKey: Double] = [:]
        for (key, value) in values.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            switch key.validated(value) {
            case .success(let stored): checked[key] = stored
            case .failure(let problem): problems.append(ValidationError(field: "values.\(key.rawValue)", code: problem.rawValue))
            }
        }
        if problems.count == 1 { throw problems[0] }
        if !problems.isEmpty { throw ValidationErrors(problems) }
        return checked
    }
}
