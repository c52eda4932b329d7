import Foundation
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsStore

// Wire shapes of the publishing API (snake_case keys on purpose).

/// One publication of an item on one account.
struct PublishTargetDTO: Encodable {
    var id: String
    var content_id: String
    var account_id: String
    var platform: String
    var due_at: Date
    var state: String
    @Nullable var external_id: String?
    @Nullable var external_url: String?
    @Nullable var failure_reason: String?
    /// "api" or "assisted" (posted by a person from a publish card).
    var mode: String
    var attempts_count: Int

    init(_ target: PublishTarget, mode: PublishingRoute, attempts: Int) {
        id = target.id
        content_id = target.contentID
        account_id = target.accountID
        platform = target.platform.rawValue
        due_at = target.dueAt
        state = target.state.rawValue
        external_id = target.externalID
        external_url = target.externalURL
        failure_reason = target.failureReason
        self.mode = mode.rawValue
        attempts_count = attempts
    }

    init(_ detail: TargetDetail) {
        self.init(detail.target, mode: detail.mode, attempts: detail.attempts)
    }
}

/// A line of the publishing queue: the target with the names around it.
struct QueueItemDTO: Encodable {
    var id: String
    var content_id: String
    var content_title: String
    var account_id: String
    var account_name: String
    var platform: String
    var due_at: Date
    var state: String
    @Nullable var external_id: String?
    @Nullable var external_url: String?
    @Nullable var failure_reason: String?
    var mode: String
    var attempts_count: Int

    init(_ entry: QueueEntry) {
        self.init(entry.target, contentTitle: entry.contentTitle, accountName: entry.accountName, mode: entry.mode, attempts: entry.attempts)
    }

    init(_ target: PublishTarget, contentTitle: String, accountName: String, mode: PublishingRoute, attempts: Int) {
        id = target.id
        content_id = target.contentID
        content_title = contentTitle
        account_id = target.accountID
        account_name = accountName
        platform = target.platform.rawValue
        due_at = target.dueAt
        state = target.state.rawValue
        external_id = target.externalID
        external_url = target.externalURL
        failure_reason = target.failureReason
        self.mode = mode.rawValue
        attempts_count = attempts
    }
}

/// One request/response of an attempt, secrets already redacted.
struct ExchangeDTO: Encodable {
    var method: String
    var url: String
    @Nullable var status: Int?
    var request: String
    var response: String
    @Nullable var error: String?
    var milliseconds: Int

    init(_ exchange: Exchange) {
        method = exchange.method
        url = exchange.url
        status = exchange.status
        request = exchange.request
        response = exchange.response
        error = exchange.error
        milliseconds = exchange.milliseconds
    }
}

struct PublishAttemptDTO: Encodable {
    var id: String
    var kind: String
    @Nullable var worker: String?
    var started_at: Date
    @Nullable var finished_at: Date?
    @Nullable var outcome: String?
    @Nullable var detail: String?
    var exchanges: [ExchangeDTO]

    init(_ attempt: PublishAttempt) {
        id = attempt.id
        kind = attempt.kind.rawValue
        worker = attempt.worker
        started_at = attempt.startedAt
        finished_at = attempt.finishedAt
        outcome = attempt.outcome
        detail = attempt.detail
        exchanges = PublishingExchanges.parse(attempt.exchanges).map(ExchangeDTO.init)
    }
}

/// A target with everything known about it, and its attempt log: the queue
/// line's fields, then what only the detail carries, in one JSON object.
struct TargetDetailDTO: Encodable {
    var line: QueueItemDTO
    @Nullable var remote_id: String?
    @Nullable var published_at: Date?
    @Nullable var unconfirmed_since: Date?
    var attempts: [PublishAttemptDTO]

    enum CodingKeys: String, CodingKey { case remote_id, published_at, unconfirmed_since, attempts }

    init(_ detail: TargetDetail, attempts: [PublishAttempt]) {
        line = QueueItemDTO(detail.target, contentTitle: detail.contentTitle, accountName: detail.accountName, mode: detail.mode, attempts: detail.attempts)
        remote_id = detail.remoteID
        published_at = detail.publishedAt
        unconfirmed_since = detail.unconfirmedSince
        self.attempts = attempts.map(PublishAttemptDTO.init)
    }

    func encode(to encoder: any Encoder) throws {
        try line.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(_remote_id, forKey: .remote_id)
        try container.encode(_published_at, forKey: .published_at)
        try container.encode(_unconfirmed_since, forKey: .unconfirmed_since)
        try container.encode(attempts, forKey: .attempts)
    }
}

struct TargetsDTO: Encodable {
    var targets: [PublishTargetDTO]
}

struct ContentTargetsDTO: Encodable {
    /// none, scheduled, publishing, published, partially_published, failed, needs_attention
    var summary: String
    var targets: [PublishTargetDTO]
}

struct FreezeDTO: Encodable {
    var frozen: Bool
    @Nullable var reason: String?
    /// Name of the member who froze publishing.
    @Nullable var by: String?
    @Nullable var since: Date?
    /// Targets that fell due and wait for the freeze to lift.
    var waiting: Int

    init(_ freeze: PublishingFreeze?, waiting: Int) {
        frozen = freeze != nil
        reason = freeze?.reason
        by = freeze?.byName
        since = freeze?.since
        self.waiting = waiting
    }
}

struct ResumeDTO: Encodable {
    var frozen: Bool
    /// How many waiting targets were released (published in order or moved).
    var released: Int
}

/// The attempt log keeps each attempt's exchanges as a JSON array.
enum PublishingExchanges {
    static func parse(_ text: String) -> [Exchange] {
        guard let data = text.data(using: .utf8), let exchanges = try? JSONDecoder().decode([Exchange].self, from: data) else { return [] }
        return exchanges
    }
}
