import Foundation
import MediaOpsDomain
import SQLKit

/// One message to one channel as the delivery log keeps it.
public struct NotificationDelivery: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        case delivered
        /// Not delivered yet; the job tries again.
        case retrying
        case failed
    }

    public var id: String
    public var channelID: String
    /// The event kind ("target.failed").
    public var event: String
    /// The event as JSON.
    public var payload: String
    public var state: State
    /// The HTTP status of the last answer, if one came.
    public var status: Int?
    public var detail: String?
    public var attempts: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, channelID: String, event: String, payload: String, state: State, status: Int?, detail: String?, attempts: Int,
                createdAt: Date, updatedAt: Date) {
        self.id = id
        self.channelID = channelID
        self.event = event
        self.payload = payload
        self.state = state
        self.status = status
        self.detail = detail
        self.attempts = attempts
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The notification channels (group robots and outbound webhooks) and their
/// delivery log. Like the team service: validate, change in a transaction,
/// audit. A channel's secret goes in sealed and never comes back out, except
/// through `secret(for:)` for the sender.
public struct NotificationChannelService: Sendable {
    public let database: Database
    let secrets: SecretBox

    public init(database: Database, secrets: SecretBox) {
        self.database = database
        self.secrets = secrets
    }

    public static let entityType = AuditEntity.notificationChannel.rawValue
    public static let maxURLLength = 500
    public static let maxSecretLength = 500
    /// How many deliveries the log shows per channel.
    public static let deliveryLogLimit = 50

    /// Input for creating or changing a channel; nil means "not given".
    public struct ChannelInput: Sendable {
        public var name: String?
        public var kind: String?
        public var url: String?
        /// The signing secret; an empty string clears it, nil keeps it.
        public var secret: String?
        public var events: [String]?
        public var active: Bool?

        public init(name: String? = nil, kind: String? = nil, url: String? = nil, secret: String? = nil, events: [String]? = nil, active: Bool? = nil) {
            self.name = name
            self.kind = kind
            self.url = url
            self.secret = secret
            self.events = events
            self.active = active
        }
    }

    // MARK: Reading

    public func list() async throws -> [NotificationChannel] {
        try await database.sql.raw("SELECT * FROM notification_channels ORDER BY created_at, id").all().map(Self.channel)
    }

    public func find(id: String) async throws -> NotificationChannel? {
        try await Self.find(id: id, on: database.sql)
    }

    static func find(id: String, on db: any SQLDatabase) async throws -> NotificationChannel? {
        try await db.raw("SELECT * FROM notification_channels WHERE id = \(bind: id)").first().map(Self.channel)
    }

    /// The decrypted secret, for the sender only: never for a page or API response.
    public func secret(for channelID: String) async throws -> String? {
        let row = try await database.sql.raw("SELECT sealed_secret FROM notification_channels WHERE id = \(bind: channelID)").first()
        guard let sealed = try row?.optionalString("sealed_secret") else { return nil }
        return try secrets.open(sealed)["secret"]
    }

    /// The full address with its key, for the sender only. Rows written before
    /// addresses were sealed still hold it in `url`.
    public func address(for channelID: String) async throws -> String? {
        guard let row = try await database.sql.raw("SELECT url, sealed_url FROM notification_channels WHERE id = \(bind: channelID)").first() else { return nil }
        guard let sealed = try row.optionalString("sealed_url") else { return try row.string("url") }
        return try secrets.open(sealed)["url"]
    }

    /// Seals the addresses of channels saved before they were sealed (run at start).
    public func sealLegacyAddresses() async throws {
        for row in try await database.sql.raw("SELECT id, kind, url FROM notification_channels WHERE sealed_url IS NULL").all() {
            let url = try row.string("url")
            let kind = try row.value("kind", as: ChannelKind.self)
            try await database.sql.raw("""
                UPDATE notification_channels SET sealed_url = \(bind: try secrets.seal(["url": url])), url = \(bind: kind.maskedAddress(url))
                WHERE id = \(bind: try row.string("id")) AND sealed_url IS NULL
                """).run()
        }
    }

    // MARK: Changing

    public func create(_ input: ChannelInput, by principal: Principal) async throws -> NotificationChannel {
        let name = try Validate.requiredText(input.name, field: "name", max: 60)
        let kind = try Self.kind(input.kind)
        let url = try Self.url(input.url)
        let events = try Self.events(input.events ?? [])
        let secret = try Self.secret(input.secret)
        let sealed = try secret.map { try secrets.seal(["secret": $0]) }
        // The address carries the robot's key: sealed like any credential, shown masked.
        let sealedURL = try secrets.seal(["url": url])
        let now = Date()
        let channel = NotificationChannel(id: Identifier.make("nch"), name: name, kind: kind, url: kind.maskedAddress(url), hasSecret: sealed != nil,
                                          events: events, active: input.active ?? true, createdAt: now, updatedAt: now)
        return try await database.transaction { db in
            try await db.raw("""
                INSERT INTO notification_channels (id, name, kind, url, sealed_url, sealed_secret, events, active, created_at, updated_at)
                VALUES (\(bind: channel.id), \(bind: channel.name), \(bind: channel.kind.rawValue), \(bind: channel.url), \(bind: sealedURL), \(bind: sealed),
                \(bind: Self.eventsText(events)), \(bind: channel.active), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds))
                """).run()
            var changes = ChangeSet()
            changes.record("kind", nil, kind.rawValue)
            changes.record("events", nil, Self.eventsText(events))
            if sealed != nil { changes.recordSecret("secret", set: true) }
            try await Self.audit(db, principal, .create, channel.id, name, changes.changes)
            return channel
        }
    }

    public func update(id: String, _ input: ChannelInput, by principal: Principal) async throws -> NotificationChannel {
        let name = try input.name.map { try Validate.requiredText($0, field: "name", max: 60) }
        let kind = try input.kind.map { try Self.kind($0) }
        let events = try input.events.map { try Self.events($0) }
        let secret = try input.secret.map { try Self.secret($0) }
        // .none: keep; .some(nil): clear; .some(value): set.
        let sealed: String?? = try secret.map { value in try value.map { try secrets.seal(["secret": $0]) } }
        return try await database.transaction { db in
            guard var channel = try await Self.find(id: id, on: db) else { throw NotFoundError(entity: Self.entityType) }
            let before = channel
            if let name { channel.name = name }
            if let kind { channel.kind = kind }
            // The form shows the masked address; sending it back unchanged keeps the stored one.
            var newAddress: String?
            if let raw = input.url, raw.trimmingCharacters(in: .whitespaces) != before.url {
                let url = try Self.url(raw)
                newAddress = url
                channel.url = channel.kind.maskedAddress(url)
            } else if kind != nil {
                channel.url = channel.kind.maskedAddress(before.url)
            }
            if let events { channel.events = events }
            if let active = input.active { channel.active = active }
            var changes = ChangeSet()
            changes.record("name", before.name, channel.name)
            changes.record("kind", before.kind.rawValue, channel.kind.rawValue)
            changes.record("url", before.url, channel.url)
            changes.record("events", Self.eventsText(before.events), Self.eventsText(channel.events))
            changes.record("active", String(before.active), String(channel.active))
            if case .some(let value) = sealed {
                if value != nil {
                    changes.recordSecret("secret", set: true)
                } else if before.hasSecret {
                    changes.recordSecret("secret", set: false)
                }
                channel.hasSecret = value != nil
            }
            guard !changes.isEmpty else { return before }
            let now = Date()
            channel.updatedAt = now
            try await db.raw("""
                UPDATE notification_channels SET name = \(bind: channel.name), kind = \(bind: channel.kind.rawValue), url = \(bind: channel.url),
                events = \(bind: Self.eventsText(channel.events)), active = \(bind: channel.active), updated_at = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: id)
                """).run()
            if case .some(let value) = sealed {
                try await db.raw("UPDATE notification_channels SET sealed_secret = \(bind: value) WHERE id = \(bind: id)").run()
            }
            if let newAddress {
                try await db.raw("UPDATE notification_channels SET sealed_url = \(bind: try secrets.seal(["url": newAddress])) WHERE id = \(bind: id)").run()
            }
            try await Self.audit(db, principal, .update, id, channel.name, changes.changes)
            return channel
        }
    }

    /// Removes the channel and its delivery log. Queued messages for it are
    /// dropped when the worker finds the channel gone.
    public func delete(id: String, by principal: Principal) async throws {
        try await database.transaction { db in
            guard let channel = try await Self.find(id: id, on: db) else { throw NotFoundError(entity: Self.entityType) }
            try await db.raw("DELETE FROM notification_deliveries WHERE channel_id = \(bind: id)").run()
            try await db.raw("DELETE FROM notification_channels WHERE id = \(bind: id)").run()
            try await Self.audit(db, principal, .delete, id, channel.name, [:])
        }
    }

    // MARK: Delivery log

    /// Writes a delivery row, or updates it when `delivery.id` is already there
    /// (the same job trying again).
    public func record(_ delivery: NotificationDelivery) async throws {
        try await database.transaction { db in
            let exists = try await db.raw("SELECT id FROM notification_deliveries WHERE id = \(bind: delivery.id)").first() != nil
            if exists {
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
    }

    /// The latest deliveries of a channel, newest first.
    public func deliveries(channelID: String, limit: Int = NotificationChannelService.deliveryLogLimit) async throws -> [NotificationDelivery] {
        try await database.sql.raw("""
            SELECT * FROM notification_deliveries WHERE channel_id = \(bind: channelID)
            ORDER BY created_at DESC, id DESC LIMIT \(bind: max(1, min(limit, Self.deliveryLogLimit)))
            """).all().map(Self.delivery)
    }

    // MARK: Rules

    static func kind(_ raw: String?) throws -> ChannelKind {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { throw ValidationError(field: "kind", code: "required") }
        guard let kind = ChannelKind(rawValue: raw) else {
            throw ValidationError(field: "kind", code: "invalid_choice", params: ["choices": ChannelKind.allCases.map(\.rawValue).joined(separator: ", ")])
        }
        return kind
    }

    static func url(_ raw: String?) throws -> String {
        let url = try Validate.requiredText(raw, field: "url", max: maxURLLength)
        return try Validate.url(url, field: "url")
    }

    static func events(_ raw: [String]) throws -> Set<OutboundEventKind> {
        var events: Set<OutboundEventKind> = []
        for value in raw {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let event = OutboundEventKind(rawValue: trimmed) else {
                throw ValidationError(field: "events", code: "invalid_choice",
                                      params: ["choices": OutboundEventKind.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            events.insert(event)
        }
        guard !events.isEmpty else { throw ValidationError(field: "events", code: "events_required") }
        return events
    }

    /// nil for an empty secret (none, or clear it).
    static func secret(_ raw: String?) throws -> String? {
        let secret = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard secret.count <= maxSecretLength else { throw ValidationError(field: "secret", code: "too_long", params: ["max": String(maxSecretLength)]) }
        return secret.isEmpty ? nil : secret
    }

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

    static func audit(_ db: any SQLDatabase, _ principal: Principal, _ action: AuditAction, _ id: String, _ summary: String,
                      _ changes: [String: [String]]) async throws {
        try await Audit.record(db, principal, action, .notificationChannel, id, label: summary, changes: changes)
    }
}
