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

    public func list() async throws -> [NotificationChannel] { try await NotificationChannelRepository(database.sql).all() }

    public func find(id: String) async throws -> NotificationChannel? { try await NotificationChannelRepository(database.sql).find(id: id) }

    /// The decrypted secret, for the sender only: never for a page or API response.
    public func secret(for channelID: String) async throws -> String? {
        guard let sealed = try await NotificationChannelRepository(database.sql).sealedSecret(id: channelID) else { return nil }
        return try secrets.open(sealed)["secret"]
    }

    /// The full address with its key, for the sender only. Rows written before
    /// addresses were sealed still hold it in `url`.
    public func address(for channelID: String) async throws -> String? {
        guard let stored = try await NotificationChannelRepository(database.sql).address(id: channelID) else { return nil }
        guard let sealed = stored.sealed else { return stored.plain }
        return try secrets.open(sealed)["url"]
    }

    /// Seals the addresses of channels saved before they were sealed (run at start).
    public func sealLegacyAddresses() async throws {
        let channels = NotificationChannelRepository(database.sql)
        for legacy in try await channels.unsealed() {
            try await channels.seal(id: legacy.id, sealedURL: try secrets.seal(["url": legacy.url]), maskedURL: legacy.kind.maskedAddress(legacy.url))
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
        let now = database.now()
        let channel = NotificationChannel(id: Identifier.make("nch"), name: name, kind: kind, url: kind.maskedAddress(url), hasSecret: sealed != nil,
                                          events: events, active: input.active ?? true, createdAt: now, updatedAt: now)
        return try await database.transaction { db in
            try await NotificationChannelRepository(db).insert(channel, sealedURL: sealedURL, sealedSecret: sealed)
            var changes = ChangeSet()
            changes.record("kind", nil, kind.rawValue)
            changes.record("events", nil, NotificationChannelRepository.eventsText(events))
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
            let channels = NotificationChannelRepository(db)
            guard var channel = try await channels.find(id: id) else { throw NotFoundError(entity: Self.entityType) }
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
            changes.record("events", NotificationChannelRepository.eventsText(before.events), NotificationChannelRepository.eventsText(channel.events))
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
            let now = database.now()
            channel.updatedAt = now
            try await channels.update(channel, sealedSecret: sealed, sealedURL: try newAddress.map { try secrets.seal(["url": $0]) })
            try await Self.audit(db, principal, .update, id, channel.name, changes.changes)
            return channel
        }
    }

    /// Removes the channel and its delivery log. Queued messages for it are
    /// dropped when the worker finds the channel gone.
    public func delete(id: String, by principal: Principal) async throws {
        try await database.transaction { db in
            let channels = NotificationChannelRepository(db)
            guard let channel = try await channels.find(id: id) else { throw NotFoundError(entity: Self.entityType) }
            try await channels.delete(id: id)
            try await Self.audit(db, principal, .delete, id, channel.name, [:])
        }
    }

    // MARK: Delivery log

    /// Writes a delivery row, or updates it when `delivery.id` is already there
    /// (the same job trying again).
    public func record(_ delivery: NotificationDelivery) async throws {
        try await database.transaction { db in try await NotificationChannelRepository(db).save(delivery) }
    }

    /// The latest deliveries of a channel, newest first.
    public func deliveries(channelID: String, limit: Int = NotificationChannelService.deliveryLogLimit) async throws -> [NotificationDelivery] {
        try await NotificationChannelRepository(database.sql).deliveries(channelID: channelID, limit: max(1, min(limit, Self.deliveryLogLimit)))
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

    static func audit(_ db: any SQLDatabase, _ principal: Principal, _ action: AuditAction, _ id: String, _ summary: String,
                      _ changes: [String: [String]]) async throws {
        try await Audit.record(db, principal, action, .notificationChannel, id, label: summary, changes: changes)
    }
}
