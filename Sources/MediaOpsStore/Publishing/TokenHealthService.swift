import Foundation
import MediaOpsDomain
import SQLKit

/// How an account's authorisation stands.
public enum TokenStatus: String, Sendable, CaseIterable {
    /// The platform's grant does not run out (app secrets, bot tokens) or no expiry is known.
    case noExpiry = "no_expiry"
    case ok
    /// Runs out within the warning window (7 days).
    case expiring
    case expired
    /// Someone has to sign in again on the platform (expired, revoked, or refused by it).
    case reconnectNeeded = "reconnect_needed"
    /// A secret the API needs was never entered: posts go to a person until it is.
    case missingCredentials = "missing_credentials"
}

public struct AccountHealth: Sendable {
    public var account: Account
    public var tokenExpiresAt: Date?
    public var status: TokenStatus
    /// Scheduled posts on this account due after its authorisation runs out.
    public var atRisk: [QueueEntry]
}

/// Token health: expiry per account, the reconnect-needed state, and the
/// 7-day warning that lists the scheduled posts at risk.
public struct TokenHealthService: Sendable {
    public static let warningWindow: TimeInterval = 7 * 86_400
    let database: Database

    public init(database: Database) { self.database = database }

    public func health(now: Date? = nil) async throws -> [AccountHealth] {
        let now = now ?? database.now()
        let accounts = try await AccountRepository(database.sql).list(filter: AccountFilter(), page: PageRequest(page: 1, perPage: 200)).items
        let expiry = try await AccountRepository(database.sql).tokenExpiries()
        let scheduled = try await PublishTargetRepository(database.sql).scheduledEntries()
        var byAccount: [String: [QueueEntry]] = [:]
        for entry in scheduled { byAccount[entry.target.accountID, default: []].append(entry) }
        return accounts.map { account in
            let expiresAt = expiry[account.id]
            var status = Self.status(state: account.state, expiresAt: expiresAt, now: now)
            if status == .ok || status == .noExpiry, account.missingForPublishing.contains(where: { $0.hasPrefix("credentials.") }) {
                status = .missingCredentials
            }
            let pending = byAccount[account.id] ?? []
            let atRisk: [QueueEntry] = switch status {
            case .expired, .reconnectNeeded: pending
            case .expiring: pending.filter { due in expiresAt.map { due.target.dueAt >= $0 } ?? false }
            default: []
            }
            return AccountHealth(account: account, tokenExpiresAt: expiresAt, status: status, atRisk: atRisk)
        }
    }

    public static func status(state: AccountState, expiresAt: Date?, now: Date) -> TokenStatus {
        if state == .reconnectNeeded { return .reconnectNeeded }
        guard let expiresAt else { return .noExpiry }
        if expiresAt <= now { return .expired }
        if expiresAt.timeIntervalSince(now) <= warningWindow { return .expiring }
        return .ok
    }

    /// Records when an account's authorisation runs out (nil: it does not).
    public func setExpiry(accountID: String, expiresAt: Date?, by principal: Principal, now: Date? = nil) async throws -> Account {
        let now = now ?? database.now()
        return try await database.transaction { db in
            guard let account = try await AccountRepository(db).find(id: accountID), account.state != .retired else { throw NotFoundError(entity: "account") }
            try await AccountRepository(db).setTokenExpiry(id: accountID, expiresAt, at: now)
            // A renewed authorisation clears the reconnect flag and the warnings about it.
            if let expiresAt, expiresAt > now { try await Self.settleWarnings(accountID: accountID, db: db, now: now) }
            try await Audit.record(db, principal, .update, .account, accountID, label: account.label,
                                   changes: ["token_expires_at": ["", Audit.instant(expiresAt)]], at: now)
            return try await AccountRepository(db).find(id: accountID) ?? account
        }
    }

    /// The periodic check: lapsed authorisations become reconnect-needed, and
    /// accounts within the window are announced once a day with the posts at risk.
    @discardableResult
    public func check(now: Date? = nil, link: String? = nil) async throws -> (expired: Int, warned: Int) {
        let now = now ?? database.now()
        var expired = 0
        var warned = 0
        let day = Int(now.timeIntervalSince1970 / 86_400)
        for health in try await health(now: now) where health.account.state != .paused {
            switch health.status {
            case .expired:
                try await AccountRepository(database.sql).markReconnectNeeded(id: health.account.id, at: now)
                expired += 1
                try await announce(health, day: day, link: link)
            case .expiring:
                warned += 1
                try await announce(health, day: day, link: link)
            default:
                continue
            }
        }
        return (expired, warned)
    }

    /// Where a token warning points: the account's row on the health page.
    public static func healthLink(accountID: String) -> String { "/publishing/health#\(accountID)" }

    /// A renewed authorisation settles every warning about it: the reconnect flag
    /// and the unread in-app warnings. (Robot messages already sent stay sent.)
    static func settleWarnings(accountID: String, db: any SQLDatabase, now: Date) async throws {
        try await AccountRepository(db).clearReconnectNeeded(id: accountID)
        try await NotificationRepository(db).markRead(kind: PublishingService.notificationKind(.tokenExpiring), link: healthLink(accountID: accountID), now: now)
    }

    private func announce(_ health: AccountHealth, day: Int, link: String?) async throws {
        let titles = health.atRisk.prefix(5).map(\.contentTitle).joined(separator: "、")
        let reason = health.atRisk.isEmpty ? nil : "\(health.atRisk.count): \(titles)"
        // One event id per account and day: a second check the same day announces nothing new.
        let event = OutboundEvent(id: "tok-\(health.account.id)-\(day)", kind: .tokenExpiring, at: health.tokenExpiresAt ?? database.now(), contentTitle: nil,
                                  accountName: health.account.name, platform: health.account.platform.rawValue, targetID: nil, reason: reason, url: nil,
                                  link: link ?? "/publishing/health")
        try await database.transaction { db in
            guard try await NotificationRepository(db).claimAnnouncement(key: event.id, at: database.now()) else { return }
            try await NotificationRouter(database: database).enqueue(event, on: db)
            if let owner = health.account.ownerID {
                try await NotificationRepository(db).add(userID: owner, kind: PublishingService.notificationKind(.tokenExpiring), title: health.account.name,
                                                         body: reason ?? health.account.label, link: Self.healthLink(accountID: health.account.id))
            }
        }
    }
}
