import Foundation
import MediaOpsDomain
import SQLKit

extension TeamService {
    // MARK: Account groups

    public func createGroup(name: String?, description: String?, by principal: Principal) async throws -> AccountGroup {
        let name = try Validate.requiredText(name, field: "name", max: 40)
        let description = try Validate.optionalText(description, field: "description", max: 200)
        return try await database.transaction { db in
            guard try await AccountGroupRepository(db).find(name: name) == nil else { throw ConflictError(code: "group_taken", field: "name") }
            let group = AccountGroup(id: Identifier.make("grp"), name: name, description: description, createdAt: database.now())
            try await AccountGroupRepository(db).create(group)
            try await Self.audit(db, principal, .create, .accountGroup, group.id, name, [:])
            return group
        }
    }

    public func updateGroup(id: String, name: String?, description: String?, by principal: Principal) async throws -> AccountGroup {
        let name = try name.map { try Validate.requiredText($0, field: "name", max: 40) }
        let description = try description.map { try Validate.optionalText($0, field: "description", max: 200) }
        return try await database.transaction { db in
            let groups = AccountGroupRepository(db)
            guard var group = try await groups.find(id: id) else { throw NotFoundError(entity: "account_group") }
            let before = group
            if let name {
                if let other = try await groups.find(name: name), other.id != id { throw ConflictError(code: "group_taken", field: "name") }
                group.name = name
            }
            if let description { group.description = description }
            var changes = ChangeSet()
            changes.record("name", before.name, group.name)
            changes.record("description", before.description, group.description)
            guard !changes.isEmpty else { return group }
            try await groups.update(group)
            try await Self.audit(db, principal, .update, .accountGroup, id, group.name, changes.changes)
            return group
        }
    }

    public func deleteGroup(id: String, by principal: Principal) async throws {
        try await database.transaction { db in
            guard let group = try await AccountGroupRepository(db).find(id: id) else { throw NotFoundError(entity: "account_group") }
            try await AccountGroupRepository(db).delete(id: id)
            try await Self.audit(db, principal, .delete, .accountGroup, id, group.name, [:])
        }
    }

    // MARK: Accounts

    /// Input for creating an account or changing one; nil means "not given".
    public struct AccountInput: Sendable {
        public var platform: String?
        public var name: String?
        public var handle: String?
        public var kind: String?
        public var fields: [String: String]?
        public var groups: [String]?
        public var ownerID: String??
        public var state: String?
        /// Secret values to set; an empty string clears that secret.
        public var credentials: [String: String]?
        /// "HH:MM" best posting time; an empty string returns to the platform default.
        public var bestTime: String?

        public init(platform: String? = nil, name: String? = nil, handle: String? = nil, kind: String? = nil, fields: [String: String]? = nil,
                    groups: [String]? = nil, ownerID: String?? = .none, state: String? = nil, credentials: [String: String]? = nil, bestTime: String? = nil) {
            self.platform = platform
            self.name = name
            self.handle = handle
            self.kind = kind
            self.fields = fields
            self.groups = groups
            self.ownerID = ownerID
            self.state = state
            self.credentials = credentials
            self.bestTime = bestTime
        }
    }

    public func createAccount(_ input: AccountInput, by principal: Principal) async throws -> Account {
        guard let raw = input.platform, !raw.isEmpty else { throw ValidationError(field: "platform", code: "required") }
        guard let platform = Platform(rawValue: raw) else {
            throw ValidationError(field: "platform", code: "invalid_choice", params: ["choices": Platform.allCases.map(\.rawValue).joined(separator: ", ")])
        }
        let now = database.now()
        var account = Account(id: Identifier.make("acc"), platform: platform, name: "", handle: "", kind: nil, fields: [:], ownerID: nil,
                              groupIDs: [], state: .active, credentialKeys: [], createdAt: now, updatedAt: now)
        try Self.apply(input, to: &account, creating: true)
        let secrets = try Self.checkCredentials(input.credentials ?? [:], platform: platform)
        let merged = secrets.filter { !$0.value.isEmpty }
        account.credentialKeys = merged.keys.sorted()
        let sealed = merged.isEmpty ? nil : try self.secrets.seal(merged)
        return try await database.transaction { [account] db in
            var account = account
            try await Self.resolveReferences(input, into: &account, db: db, by: principal)
            if try await AccountRepository(db).findDuplicate(platform: platform, handle: account.handle, excluding: nil) != nil {
                throw ConflictError(code: "account_taken", field: "handle")
            }
            try await AccountRepository(db).create(account, sealedCredentials: sealed)
            var changes = ChangeSet()
            for key in account.credentialKeys { changes.recordSecret("credentials.\(key)", set: true) }
            try await Self.audit(db, principal, .create, .account, account.id, account.label, changes.changes)
            return account
        }
    }

    public func updateAccount(id: String, _ input: AccountInput, by principal: Principal) async throws -> Account {
        if let platform = input.platform, !platform.isEmpty {
            // Moving an account between platforms would orphan its credentials and history.
            guard let current = try await AccountRepository(database.sql).find(id: id) else { throw NotFoundError(entity: "account") }
            if platform != current.platform.rawValue { throw ValidationError(field: "platform", code: "platform_immutable") }
        }
        return try await database.transaction { db in
            let accounts = AccountRepository(db)
            guard var account = try await accounts.find(id: id) else { throw NotFoundError(entity: "account") }
            let before = account
            try Self.apply(input, to: &account, creating: false)
            try await Self.resolveReferences(input, into: &account, db: db, by: principal)
            if account.handle.lowercased() != before.handle.lowercased() || (before.state == .retired && account.state != .retired),
               try await accounts.findDuplicate(platform: account.platform, handle: account.handle, excluding: id) != nil {
                throw ConflictError(code: "account_taken", field: "handle")
            }
            var changes = ChangeSet()
            changes.record("name", before.name, account.name)
            changes.record("handle", before.handle, account.handle)
            changes.record("kind", before.kind, account.kind)
            changes.record("owner_id", before.ownerID, account.ownerID)
            changes.record("state", before.state.rawValue, account.state.rawValue)
            changes.record("groups", before.groupIDs.sorted().joined(separator: ","), account.groupIDs.sorted().joined(separator: ","))
            changes.record("best_time", before.bestTime, account.bestTime)
            for key in Set(before.fields.keys).union(account.fields.keys).sorted() {
                changes.record("fields.\(key)", before.fields[key], account.fields[key])
            }
            var sealed: String?? = .none
            if let given = input.credentials, !given.isEmpty {
                let checked = try Self.checkCredentials(given, platform: account.platform)
                var current = try await accounts.sealedCredentials(id: id).map { try self.secrets.open($0) } ?? [:]
                for (key, value) in checked {
                    if value.isEmpty {
                        if current.removeValue(forKey: key) != nil { changes.recordSecret("credentials.\(key)", set: false) }
                    } else {
                        current[key] = value
                        changes.recordSecret("credentials.\(key)", set: true)
                    }
                }
                account.credentialKeys = current.keys.sorted()
                sealed = .some(current.isEmpty ? nil : try self.secrets.seal(current))
            }
            guard !changes.isEmpty else { return account }
            try await accounts.update(account, sealedCredentials: sealed)
            // A new token replaces the old one: its expiry is no longer known and
            // every warning about the old one is settled.
            let renewed = (input.credentials ?? [:]).contains { !$0.value.isEmpty && ["access_token", "bot_token", "app_secret", "client_secret"].contains($0.key) }
            if renewed {
                try await accounts.clearTokenExpiry(id: id)
                try await TokenHealthService.settleWarnings(accountID: id, db: db, now: database.now())
                if account.state == .reconnectNeeded { account.state = .active }
            }
            try await Self.audit(db, principal, .update, .account, id, account.label, changes.changes)
            return try await accounts.find(id: id) ?? account
        }
    }

    /// Retiring keeps the account and its history; it only leaves the active matrix.
    public func retireAccount(id: String, by principal: Principal) async throws -> Account {
        try await updateAccount(id: id, AccountInput(state: AccountState.retired.rawValue), by: principal)
    }

    /// The decrypted credentials, for connectors only: never for a page or API response.
    public func credentials(accountID: String) async throws -> [String: String] {
        guard let sealed = try await AccountRepository(database.sql).sealedCredentials(id: accountID) else { return [:] }
        return try secrets.open(sealed)
    }

    /// Applies the input in form order and reports every broken rule at once.
    static func apply(_ input: AccountInput, to account: inout Account, creating: Bool) throws {
        let platform = account.platform
        var collector = ValidationCollector()
        if creating || input.name != nil, let name = try collector.check({ try Validate.requiredText(input.name, field: "name", max: 60) }) { account.name = name }
        if creating || input.handle != nil, let handle = try collector.check({ try Validate.requiredText(input.handle, field: "handle", max: 100) }) {
            account.handle = handle
        }
        if !platform.kinds.isEmpty {
            if creating || input.kind != nil {
                let kind = (input.kind ?? "").trimmingCharacters(in: .whitespaces)
                if kind.isEmpty {
                    collector.add(ValidationError(field: "kind", code: "required"))
                } else if !platform.kinds.contains(kind) {
                    collector.add(ValidationError(field: "kind", code: "invalid_choice", params: ["choices": platform.kinds.joined(separator: ", ")]))
                } else {
                    account.kind = kind
                }
            }
        } else if let kind = input.kind, !kind.isEmpty {
            collector.add(ValidationError(field: "kind", code: "not_applicable"))
        }
        if creating || input.fields != nil {
            let given = input.fields ?? [:]
            let known = Set(platform.fields.map(\.key))
            for unknown in given.keys.sorted() where !known.contains(unknown) {
                collector.add(ValidationError(field: "fields.\(unknown)", code: "unknown_field"))
            }
            var fields = creating ? [:] : account.fields
            for field in platform.fields {
                let fieldName = "fields.\(field.key)"
                let value = (given[field.key] ?? (creating ? "" : fields[field.key] ?? "")).trimmingCharacters(in: .whitespacesAndNewlines)
                if value.isEmpty {
                    if field.required { collector.add(ValidationError(field: fieldName, code: "required")) }
                    fields.removeValue(forKey: field.key)
                } else if value.count > field.maxLength {
                    collector.add(ValidationError(field: fieldName, code: "too_long", params: ["max": String(field.maxLength)]))
                } else if field.isURL {
                    if let url = try collector.check({ try Validate.url(value, field: fieldName) }) { fields[field.key] = url }
                } else if !field.accepts(value) {
                    collector.add(ValidationError(field: fieldName, code: "format_\(field.key)"))
                } else {
                    fields[field.key] = value
                }
            }
            account.fields = fields
        }
        if let state = input.state {
            if let parsed = AccountState(rawValue: state) {
                if creating && parsed == .retired {
                    collector.add(ValidationError(field: "state", code: "invalid_choice", params: ["choices": "active, paused"]))
                } else {
                    account.state = parsed
                }
            } else {
                collector.add(ValidationError(field: "state", code: "invalid_choice", params: ["choices": AccountState.allCases.map(\.rawValue).joined(separator: ", ")]))
            }
        }
        if let time = input.bestTime {
            let trimmed = time.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                account.bestTime = nil
            } else if let parsed = PostingTimes.parse(trimmed) {
                account.bestTime = PostingTimes.format(parsed)
            } else {
                collector.add(ValidationError(field: "best_time", code: "invalid_time"))
            }
        }
        try collector.finish()
    }

    static func checkCredentials(_ credentials: [String: String], platform: Platform) throws -> [String: String] {
        let allowed = Set(platform.secretFields)
        for (key, value) in credentials.sorted(by: { $0.key < $1.key }) {
            guard allowed.contains(key) else { throw ValidationError(field: "credentials.\(key)", code: "unknown_field") }
            guard value.count <= 4096 else { throw ValidationError(field: "credentials.\(key)", code: "too_long", params: ["max": "4096"]) }
        }
        return credentials.mapValues { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// Turns group names or ids into ids (creating groups named for the first time)
    /// and checks the owner is an active member.
    static func resolveReferences(_ input: AccountInput, into account: inout Account, db: any SQLDatabase, by principal: Principal) async throws {
        if let groups = input.groups {
            let repository = AccountGroupRepository(db)
            var ids: [String] = []
            for raw in groups {
                let reference = raw.trimmingCharacters(in: .whitespaces)
                guard !reference.isEmpty else { continue }
                if let group = try await repository.find(id: reference) {
                    ids.append(group.id)
                } else if let group = try await repository.find(name: reference) {
                    ids.append(group.id)
                } else {
                    guard reference.count <= 40 else { throw ValidationError(field: "groups", code: "too_long", params: ["max": "40"]) }
                    let group = AccountGroup(id: Identifier.make("grp"), name: reference, description: "", createdAt: Date())
                    try await repository.create(group)
                    try await audit(db, principal, .create, .accountGroup, group.id, reference, [:])
                    ids.append(group.id)
                }
            }
            account.groupIDs = Array(Set(ids)).sorted()
        }
        if case .some(let owner) = input.ownerID {
            if let owner, !owner.isEmpty {
                guard let member = try await MemberRepository(db).find(id: owner), member.isActive else {
                    throw ValidationError(field: "owner_id", code: "unknown_member")
                }
                account.ownerID = member.id
            } else {
                account.ownerID = nil
            }
        }
    }
}

extension TeamService {
    /// One decrypted credential of an account (e.g. the 公众号 callback token
    /// that signs the platform's callbacks). Never shown or logged.
    public func credential(_ key: String, accountID: String) async throws -> String? {
        guard let sealed = try await AccountRepository(database.sql).sealedCredentials(id: accountID) else { return nil }
        return try secrets.open(sealed)[key]
    }
}
