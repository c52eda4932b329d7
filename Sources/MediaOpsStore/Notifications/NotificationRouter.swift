import Foundation
import MediaOpsDomain
import SQLKit

/// Fans an event out to the channels routed to receive it: one durable
/// `notify` job per (event, channel), so a robot that is down gets the message
/// later instead of never, and no event is announced twice to one channel.
public struct NotificationRouter: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    public struct Delivery: Codable, Sendable {
        public var channelID: String
        public var event: OutboundEvent
    }

    public func enqueue(_ event: OutboundEvent, on db: (any SQLDatabase)? = nil) async throws {
        let sql = db ?? database.sql
        let subscriptions = try await NotificationChannelRepository(sql).activeSubscriptions()
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        for (channelID, events) in subscriptions {
            guard events.contains(event.kind.rawValue) else { continue }
            let payload = String(decoding: try encoder.encode(Delivery(channelID: channelID, event: event)), as: UTF8.self)
            try await JobQueue(database: database).enqueue(kind: .notify, payload: payload, idempotencyKey: "notify:\(event.id):\(channelID)",
                                                          maxAttempts: 6, on: sql)
        }
    }

    public static func decode(_ payload: String) throws -> Delivery {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(Delivery.self, from: Data(payload.utf8))
    }
}
