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

    public func health(now: Date = Date()) async throws -> [AccountHealth] {
        let accounts = try await AccountRepository(database.sql).list(filter: AccountFilter(), page: PageRequest(page: 1, perPage: 200)).items
        let expiries = try await database.sql.raw("SELECT id, token_expires_at FROM accounts WHERE token_expires_at IS NOT NULL").all()
        var expiry: [String: Date] = [:]
        for row in expiries { expiry[try row.string("id")] = try row.optionalDate("token_expires_at") }
        let scheduled = try await database.sql.raw("""
            SELECT t.*, c.title AS content_title, a.name AS account_name FROM publish_targets t
            JOIN content_items c ON c.id = t.content_id JOIN accounts a ON a.id = t.account_id
            WHERE t.state = 'scheduled' ORDER BY t.due_at, t.id
            """).all()
        var byAccount: [String: [QueueEntry]] = [:]
        for row in scheduled {
            let entry = QueueEntry(target: try PublishingService.target(from: row), contentTitle: try row.string("content_title"),
                                   accountName: try row.string("account_name"), mode: try row.value("mode", as: PublishingRoute.self), attempts: try row.int("attempts"))
            byAccount[entry.target.accountID, default: []].append(entry)
        }
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
    public func setExpiry(accountID: String, expiresAt: Date?, by principal: Principal, now: Date = Date()) async throws -> Account {
        try await database.transaction { db in
            guard let account = try await AccountRepository(db).find(id: accountID), account.state != .retired else { throw NotFoundError(entity: "account") }
            try await db.raw("UPDATE accounts SET token_expires_at = \(bind: expiresAt?.epochMilliseconds), updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: accountID)").run()
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
    public func check(now: Date = Date(), link: String? = nil) async throws -> (expired: Int, warned: Int) {
        var expired = 0
        var warned = 0
        let day = Int(now.timeIntervalSince1970 / 86_400)
        for health in try await health(now: now) where health.account.state != .paused {
            switch health.status {
            case .expired:
                try await database.sql.raw("UPDATE accounts SET state = 'reconnect_needed', updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: health.account.id) AND state = 'active'").run()
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
        try await db.raw("UPDATE accounts SET state = 'active' WHERE id = \(bind: accountID) AND state = 'reconnect_needed'").run()
        try await NotificationRepository(db).markRead(kind: PublishingService.notificationKind(.tokenExpiring), link: healthLink(accountID: accountID), now: now)
    }

    private func announce(_ health: AccountHealth, day: Int, link: String?) async throws {
        let titles = health.atRisk.prefix(5).map(\.contentTitle).joined(separator: "、")
        let reason = health.atRisk.isEmpty ? nil : "\(health.atRisk.count): \(titles)"
        // One event id per account and day: a second check the same day announces nothing new.
        let event = OutboundEvent(id: "tok-\(health.account.id)-\(day)", kind: .tokenExpiring, at: health.tokenExpiresAt ?? Date(), contentTitle: nil,
                                  accountName: health.account.name, platform: health.account.platform.rawValue, targetID: nil, reason: reason, url: nil,
                                  link: link ?? "/publishing/health")
        try await database.transaction { db in
            let fresh = try await db.raw("""
                INSERT INTO announcements (key, created_at) VALUES (\(bind: event.id), \(bind: Date().epochMilliseconds)) ON CONFLICT (key) DO NOTHING RETURNING key
                """).all()
            guard !fresh.isEmpty else { return }
            try await NotificationRouter(database: database).enqueue(event, on: db)
            if let owner = health.account.ownerID {
                try await NotificationRepository(db).add(userID: owner, kind: PublishingService.notificationKind(.tokenExpiring), title: health.account.name,
                                                         body: reason ?? health.account.label, link: Self.healthLink(accountID: health.account.id))
            }
        }
    }
}
