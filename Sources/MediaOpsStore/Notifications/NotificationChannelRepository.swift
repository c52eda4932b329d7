import Foundation
import MediaOpsDomain
import SQLKit

/// Notification channels and their delivery log: every statement on those
/// tables. Addresses and secrets arrive and leave sealed; opening them is the
/// service's business.
public struct NotificationChannelRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public func all() async throws -> [NotificationChannel] {
        try await db.raw("SELECT * FROM notification_channels ORDER BY created_at, id").all().map(Self.channel)
    }

    public func find(id: String) async throws -> NotificationChannel? {
        try await db.raw("SELECT * FROM notification_channels WHERE id = \(bind: id)").first().map(Self.channel)
    }

    /// The sealed secret of a channel, if it has one.
    func sealedSecret(id: String) async throws -> String? {
        try await db.raw("SELECT sealed_secret FROM notification_channels WHERE id = \(bind: id)").first()?.optionalString("sealed_secret")
    }

    /// The sealed address, or for rows written before addresses were sealed the plain one.
    func address(id: String) async throws -> (sealed: String?, plain: String)? {
        guard let row = try await db.raw("SELECT url, sealed_url FROM notification_channels WHERE id = \(bind: id)").first() else { return nil }
        return (try row.optionalString("sealed_url"), try row.string("url"))
    }

    /// Channels whose address is still stored in the clear.
    func unsealed() async throws -> [(id: String, kind: ChannelKind, url: String)] {
        try await db.raw("SELECT id, kind, url FROM notification_channels WHERE sealed_url IS NULL").all().map {
            (try $0.string("id"), try $0.value("kind", as: ChannelKind.self), try $0.string("url"))
        }
    }

    func seal(id: String, sealedURL: String, maskedURL: String) async throws {
        try await db.raw("""
            UPDATE notification_channels SET sealed_url = \(bind: sealedURL), url = \(bind: maskedURL) WHERE id = \(bind: id) AND sealed_url IS NULL
            """).run()
    }

    func insert(_ channel: NotificationChannel, sealedURL: String, sealedSecret: String?) async throws {
        try await db.raw("""
            INSERT INTO notification_channels (id, name, kind, url, sealed_url, sealed_secret, events, active, created_at, updated_at)
            VALUES (\(bind: channel.id), \(bind: channel.name), \(bind: channel.kind.rawValue), \(bind: channel.url), \(bind: sealedURL), \(bind: sealedSecret),
            \(bind: Self.eventsText(channel.events)), \(bind: channel.active), \(bind: channel.createdAt.epochMilliseconds), \(bind: channel.updatedAt.epochMilliseconds))
            """).run()
    }

    /// Saves the visible fields; a sealed secret (`.some(nil)` clears it) and a
    /// new sealed address only when given.
    func update(_ channel: NotificationChannel, sealedSecret: String?? = .none, sealedURL: String? = nil) async throws {
        try await db.raw("""
            UPDATE notification_channels SET name = \(bind: channel.name), kind = \(bind: channel.kind.rawValue), url = \(bind: channel.url),
            events = \(bind: Self.eventsText(channel.events)), active = \(bind: channel.active), updated_at = \(bind: channel.updatedAt.epochMilliseconds)
            WHERE id = \(bind: channel.id)
            """).run()
        if case .some(let value) = sealedSecret {
            try await db.raw("UPDATE notification_channels SET sealed_secret = \(bind: value) WHERE id = \(bind: channel.id)").run()
        }
        if let sealedURL {
            try await db.raw("UPDATE notification_channels SET sealed_url = \(bind: sealedURL) WHERE id = \(bind: channel.id)").run()
        }
    }

    /// Removes the channel and its delivery log.
    func delete(id: String) async throws {
        try await db.raw("DELETE FROM notification_deliveries WHERE channel_id = \(bind: id)").run()
        try await db.raw("DELETE FROM notification_channels WHERE id = \(bind: id)").run()
    }

    // MARK: Delivery log

    /// Writes a delivery row, or updates it when `delivery.id` is already there.
    func save(_ delivery: NotificationDelivery) async throws {
        if try await db.raw("SELECT id FROM notification_deliveries WHERE id = \(bind: delivery.id)").first() != nil {
            try await db.raw("""
                UPDATE notification_deliveries SET state = \(bind: delivery.state.rawValue), status = \(bind: delivery.status),
                detail = \(bind: delivery.detail), attempts = \(bind: delivery.attempts), updated_at = \(bind: delivery.updatedAt.epochMilliseconds)
                WHERE id = \(bind: delivery.id)
                """).run()
        } else {
            try await db.raw("""
                INSERT INTO notification_deliveries (id, channel_id, event, payload, state, status, detail, attempts, created_at, updated_at)
                VALUES (\(bind: delivery.id), \(bind: delivery.channelID), \(bind: delivery.event), \(bind: delivery.payload),
                \(bind: delivery.state.rawValue), \(bind: delivery.status), \(bind: delivery.detail), \(bind: delivery.attempts),
                \(bind: delivery.createdAt.epochMilliseconds), \(bind: delivery.updatedAt.epochMilliseconds))
                """).run()
        }
    }

    /// The latest deliveries of a channel, newest first.
    func deliveries(channelID: String, limit: Int) async throws -> [NotificationDelivery] {
        try await db.raw("""
            SELECT * FROM notification_deliveries WHERE channel_id = \(bind: channelID)
            ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
            """).all().map(Self.delivery)
    }

    /// Active channels and the event kinds each wants (what the router fans out to).
    func activeSubscriptions() async throws -> [(id: String, events: [String])] {
        try await db.raw("SELECT id, events FROM notification_channels WHERE active = \(bind: true)").all().map {
            (try $0.string("id"), try $0.string("events").split(separator: ",").map(String.init))
        }
    }

    // MARK: Rows

    /// Stored as the raw values in declaration order, comma-separated (what the router reads).
    static func eventsText(_ events: Set<OutboundEventKind>) -> String {
        OutboundEventKind.allCases.filter(events.contains).map(\.rawValue).joined(separator: ",")
    }

    static func channel(_ row: any SQLRow) throws -> NotificationChannel {
        NotificationChannel(
            id: try row.string("id"), name: try row.string("name"), kind: try row.value("kind", as: ChannelKind.self),
            url: try row.string("url"), hasSecret: try row.optionalString("sealed_secret") != nil,
            events: Set(try row.string("events").split(separator: ",").compactMap { OutboundEventKind(rawValue: String($0)) }),
            active: try row.bool("active"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }

    static func delivery(_ row: any SQLRow) throws -> NotificationDelivery {
        NotificationDelivery(
            id: try row.string("id"), channelID: try row.string("channel_id"), event: try row.string("event"), payload: try row.string("payload"),
            state: try row.value("state", as: NotificationDelivery.State.self),
            status: try row.decodeNil(column: "status") ? nil : try row.int("status"), detail: try row.optionalString("detail"),
            attempts: try row.int("attempts"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}
