import Foundation
import MediaOpsDomain
import SQLKit

public struct AccountFilter: Sendable, Equatable {
    public var platform: Platform?
    public var groupID: String?
    public var state: AccountState?
    public var ownerID: String?
    public var query: String?
    /// Retired accounts are hidden unless asked for by state.
    public var includeRetired: Bool

    public init(platform: Platform? = nil, groupID: String? = nil, state: AccountState? = nil, ownerID: String? = nil, query: String? = nil, includeRetired: Bool = false) {
        self.platform = platform
        self.groupID = groupID
        self.state = state
        self.ownerID = ownerID
        self.query = query
        self.includeRetired = includeRetired
    }
}

public enum AccountSort: String, Sendable, CaseIterable {
    case name, platform, state, created
}

/// The account matrix. Credentials are stored sealed; this repository never
/// returns them, only which keys are set.
public struct AccountRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    public func find(id: String) async throws -> Account? {
        guard let row = try await db.raw("SELECT * FROM accounts WHERE id = \(bind: id)").first() else { return nil }
        return try await account(from: row)
    }

    /// Accounts with this handle (on any platform), oldest first: how the
    /// command line names an account.
    public func find(handle: String) async throws -> [Account] {
        try await accounts(from: try await db.raw("SELECT * FROM accounts WHERE handle = \(bind: handle) ORDER BY created_at, id").all())
    }

    /// Every account matching `filter`, read a page at a time (the whole matrix:
    /// dashboards, pull scheduling, the alert sweep).
    public func all(filter: AccountFilter) async throws -> [Account] {
        var result: [Account] = []
        var page = 1
        while true {
            let batch = try await list(filter: filter, page: PageRequest(page: page, perPage: PageRequest.maxPerPage))
            result += batch.items
            guard batch.items.count == PageRequest.maxPerPage, page < PageRequest.maxPage else { return result }
            page += 1
        }
    }

    public func list(filter: AccountFilter, sort: AccountSort = .name, descending: Bool = false, page: PageRequest) async throws -> Page<Account> {
        var conditions: [SQLQueryString] = []
        if let platform = filter.platform { conditions.append("platform = \(bind: platform.rawValue)") }
        if let state = filter.state {
            conditions.append("state = \(bind: state.rawValue)")
        } else if !filter.includeRetired {
            conditions.append("state <> 'retired'")
        }
        if let owner = filter.ownerID, !owner.isEmpty { conditions.append("owner_id = \(bind: owner)") }
        if let group = filter.groupID, !group.isEmpty {
            conditions.append("id IN (SELECT account_id FROM account_group_links WHERE group_id = \(bind: group))")
        }
        if let query = filter.query, !query.isEmpty {
            let pattern = likePattern(query)
            conditions.append("(LOWER(name) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(handle) LIKE \(bind: pattern) ESCAPE '\\' OR sort_key LIKE \(bind: pattern) ESCAPE '\\')")
        }
        let whereClause = whereSQL(conditions)
        let direction = descending ? "DESC" : "ASC"
        let order = switch sort {
        case .name: "sort_key \(direction)"
        case .platform: "platform \(direction), sort_key ASC"
        case .state: "state \(direction), sort_key ASC"
        case .created: "created_at \(direction)"
        }
        let total = try await db.raw("SELECT COUNT(*) AS n FROM accounts " + whereClause).first()?.int("n") ?? 0
        let rows = try await db.raw("SELECT * FROM accounts " + whereClause + " ORDER BY \(unsafeRaw: order), id ASC LIMIT \(bind: page.perPage) OFFSET \(bind: page.offset)").all()
        return Page(items: try await accounts(from: rows), total: total, page: page.page, perPage: page.perPage)
    }

    /// Another live account on the same platform with the same handle, if any.
    public func findDuplicate(platform: Platform, handle: String, excluding id: String?) async throws -> Account? {
        let rows = try await db.raw("""
            SELECT * FROM accounts WHERE platform = \(bind: platform.rawValue) AND LOWER(handle) = \(bind: handle.lowercased())
            AND state <> 'retired'
            """).all()
        for row in rows where try row.string("id") != id { return try await account(from: row) }
        return nil
    }

    public func countByState() async throws -> [AccountState: Int] {
        var result: [AccountState: Int] = [:]
        for row in try await db.raw("SELECT state, COUNT(*) AS n FROM accounts GROUP BY state").all() {
            if let state = AccountState(rawValue: try row.string("state")) { result[state] = try row.int("n") }
        }
        return result
    }

    /// When each account's authorisation runs out, for accounts that said.
    public func tokenExpiries() async throws -> [String: Date] {
        var expiry: [String: Date] = [:]
        for row in try await db.raw("SELECT id, token_expires_at FROM accounts WHERE token_expires_at IS NOT NULL").all() {
            expiry[try row.string("id")] = try row.optionalDate("token_expires_at")
        }
        return expiry
    }

    /// Records when the authorisation runs out (nil: it does not).
    public func setTokenExpiry(id: String, _ expiresAt: Date?, at now: Date) async throws {
        try await db.raw("UPDATE accounts SET token_expires_at = \(bind: expiresAt?.epochMilliseconds), updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)").run()
    }

    /// An active account whose authorisation the platform refused or that lapsed.
    public func markReconnectNeeded(id: String, at now: Date) async throws {
        try await db.raw("UPDATE accounts SET state = 'reconnect_needed', updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id) AND state = 'active'").run()
    }

    /// A renewed authorisation makes a reconnect-needed account active again.
    public func clearReconnectNeeded(id: String) async throws {
        try await db.raw("UPDATE accounts SET state = 'active' WHERE id = \(bind: id) AND state = 'reconnect_needed'").run()
    }

    /// Forgets when the authorisation runs out (a new token was entered).
    public func clearTokenExpiry(id: String) async throws {
        try await db.raw("UPDATE accounts SET token_expires_at = NULL WHERE id = \(bind: id)").run()
    }

    public func create(_ account: Account, sealedCredentials: String?) async throws {
        try await db.raw("""
            INSERT INTO accounts (id, platform, name, handle, sort_key, kind, fields, owner_id, state, credentials, credential_keys, created_at, updated_at)
            VALUES (\(bind: account.id), \(bind: account.platform.rawValue), \(bind: account.name), \(bind: account.handle),
            \(bind: SortKey.make(account.name)), \(bind: account.kind), \(bind: JSONText.encode(account.fields)), \(bind: account.ownerID),
            \(bind: account.state.rawValue), \(bind: sealedCredentials), \(bind: account.credentialKeys.sorted().joined(separator: ",")),
            \(bind: account.createdAt.epochMilliseconds), \(bind: account.updatedAt.epochMilliseconds))
            """).run()
        try await setGroups(account.groupIDs, for: account.id)
        if account.bestTime != nil {
            try await db.raw("UPDATE accounts SET best_time = \(bind: account.bestTime) WHERE id = \(bind: account.id)").run()
        }
    }

    /// Updates the visible fields; `sealedCredentials` replaces the stored secrets only when given.
    public func update(_ account: Account, sealedCredentials: String?? = .none) async throws {
        try await db.raw("""
            UPDATE accounts SET name = \(bind: account.name), handle = \(bind: account.handle), sort_key = \(bind: SortKey.make(account.name)),
            kind = \(bind: account.kind), fields = \(bind: JSONText.encode(account.fields)), owner_id = \(bind: account.ownerID),
            state = \(bind: account.state.rawValue), credential_keys = \(bind: account.credentialKeys.sorted().joined(separator: ",")),
            best_time = \(bind: account.bestTime), updated_at = \(bind: Date().epochMilliseconds) WHERE id = \(bind: account.id)
            """).run()
        if case .some(let sealed) = sealedCredentials {
            try await db.raw("UPDATE accounts SET credentials = \(bind: sealed) WHERE id = \(bind: account.id)").run()
        }
        try await setGroups(account.groupIDs, for: account.id)
    }

    /// The sealed credentials, for the code that must decrypt them (connectors, credential edits).
    public func sealedCredentials(id: String) async throws -> String? {
        try await db.raw("SELECT credentials FROM accounts WHERE id = \(bind: id)").first()?.optionalString("credentials")
    }

    private func setGroups(_ groupIDs: [String], for id: String) async throws {
        try await db.raw("DELETE FROM account_group_links WHERE account_id = \(bind: id)").run()
        for group in Set(groupIDs) {
            try await db.raw("INSERT INTO account_group_links (account_id, group_id) VALUES (\(bind: id), \(bind: group))").run()
        }
    }

    /// Rows as accounts, with every row's groups read in one statement (not one per account).
    private func accounts(from rows: [any SQLRow]) async throws -> [Account] {
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.string("id") }
        var groups: [String: [String]] = [:]
        let list = ids.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        for link in try await db.raw("SELECT account_id, group_id FROM account_group_links WHERE account_id IN (" + list + ") ORDER BY group_id").all() {
            groups[try link.string("account_id"), default: []].append(try link.string("group_id"))
        }
        return try rows.map { try account(from: $0, groups: groups[try $0.string("id")] ?? []) }
    }

    private func account(from row: any SQLRow) async throws -> Account {
        try await accounts(from: [row])[0]
    }

    private func account(from row: any SQLRow, groups: [String]) throws -> Account {
        let id = try row.string("id")
        let keys = try row.string("credential_keys").split(separator: ",").map(String.init)
        // Most accounts have no extra fields: no JSON decoder for "{}" (an agency lists hundreds).
        let fieldsText = try row.string("fields")
        return Account(
            id: id,
            platform: try row.value("platform", as: Platform.self),
            name: try row.string("name"),
            handle: try row.string("handle"),
            kind: try row.optionalString("kind"),
            fields: fieldsText == "{}" ? [:] : JSONText.decode([String: String].self, from: fieldsText) ?? [:],
            ownerID: try row.optionalString("owner_id"),
            groupIDs: groups,
            state: try row.value("state", as: AccountState.self),
            credentialKeys: keys,
            bestTime: try row.optionalString("best_time"),
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at")
        )
    }
}
