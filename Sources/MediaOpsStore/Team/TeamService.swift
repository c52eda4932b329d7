import Foundation
import Logging
import MediaOpsDomain
import SQLKit

/// The use cases of the workspace-and-team room. Pages, the JSON API and the CLI
/// all call these, so a rule (who may grant which role, what an account needs)
/// is written once and every change is validated, transactional and audited.
public struct TeamService: Sendable {
    public let database: Database
    public let secrets: SecretBox
    public let hasher: PasswordHasher

    public init(database: Database, secrets: SecretBox, hasher: PasswordHasher) {
        self.database = database
        self.secrets = secrets
        self.hasher = hasher
    }

    // MARK: Setup

    public struct SetupInput: Sendable {
        public var workspaceName: String?
        public var timeZone: String?
        public var locale: String?
        public var ownerName: String?
        public var ownerEmail: String?
        public var password: String?

        public init(workspaceName: String?, timeZone: String?, locale: String?, ownerName: String?, ownerEmail: String?, password: String?) {
            self.workspaceName = workspaceName
            self.timeZone = timeZone
            self.locale = locale
            self.ownerName = ownerName
            self.ownerEmail = ownerEmail
            self.password = password
        }
    }

    /// First run: creates the workspace and its owner together, or nothing.
    public func setUp(_ input: SetupInput) async throws -> Member {
        let name = try Validate.requiredText(input.workspaceName, field: "workspace_name", max: 60)
        let zone = try Validate.timeZone(input.timeZone?.isEmpty == false ? input.timeZone : "Asia/Shanghai")
        let locale = try Validate.locale(input.locale?.isEmpty == false ? input.locale : AppLocale.zhHans.rawValue)
        let ownerName = try Validate.requiredText(input.ownerName, field: "name", max: 60)
        let email = try Validate.email(input.ownerEmail)
        let password = try Validate.password(input.password)
        let hash = try await hasher.hash(password)
        return try await database.transaction { db in
            guard try await MemberRepository(db).count() == 0 else { throw ConflictError(code: "already_set_up") }
            let now = database.now()
            if try await WorkspaceRepository(db).get() == nil {
                try await WorkspaceRepository(db).create(Workspace(name: name, timeZone: zone, defaultLocale: locale, createdAt: now))
            } else {
                try await WorkspaceRepository(db).update(Workspace(name: name, timeZone: zone, defaultLocale: locale, createdAt: now))
            }
            let owner = Member(id: Identifier.make("mem"), email: email, name: ownerName, roleKeys: [BuiltinRole.owner.rawValue],
                               locale: locale, isActive: true, createdAt: now, updatedAt: now)
            try await MemberRepository(db).create(owner, passwordHash: hash)
            let principal = Principal(memberID: owner.id, name: owner.name, roleKeys: owner.roleKeys, permissions: Set(Permission.allCases))
            try await Self.audit(db, principal, .create, .workspace, "default", name, [:])
            try await Self.audit(db, principal, .create, .member, owner.id, "\(ownerName) <\(email)>", [:])
            // The analytics room's ready-made alert rules, once per workspace.
            try await AlertService.installPresets(on: db, by: principal, now: now)
            return owner
        }
    }

    // MARK: Workspace settings

    public func updateWorkspace(name: String?, timeZone: String?, locale: String?, by principal: Principal) async throws -> Workspace {
        try await database.transaction { db in
            let repository = WorkspaceRepository(db)
            guard var workspace = try await repository.get() else { throw NotFoundError(entity: "workspace") }
            let before = workspace
            if let name { workspace.name = try Validate.requiredText(name, field: "name", max: 60) }
            if let timeZone { workspace.timeZone = try Validate.timeZone(timeZone) }
            if let locale { workspace.defaultLocale = try Validate.locale(locale, field: "default_locale") }
            var changes = ChangeSet()
            changes.record("name", before.name, workspace.name)
            changes.record("time_zone", before.timeZone, workspace.timeZone)
            changes.record("default_locale", before.defaultLocale.rawValue, workspace.defaultLocale.rawValue)
            guard !changes.isEmpty else { return workspace }
            try await repository.update(workspace)
            try await Self.audit(db, principal, .update, .workspace, "default", workspace.name, changes.changes)
            return workspace
        }
    }

    // MARK: Members

    public struct NewMember: Sendable {
        public var email: String?
        public var name: String?
        public var roles: [String]?
        public var password: String?
        public var locale: String?

        public init(email: String?, name: String?, roles: [String]?, password: String?, locale: String? = nil) {
            self.email = email
            self.name = name
            self.roles = roles
            self.password = password
            self.locale = locale
        }
    }

    public func createMember(_ input: NewMember, by principal: Principal) async throws -> Member {
        let email = try Validate.email(input.email)
        let name = try Validate.requiredText(input.name, field: "name", max: 60)
        let password = try Validate.password(input.password)
        let locale = try input.locale.flatMap { $0.isEmpty ? nil : try Validate.locale($0) }
        let hash = try await hasher.hash(password)
        return try await database.transaction { db in
            let roles = try await Self.checkRoles(input.roles ?? [], granting: [], by: principal, db: db)
            let members = MemberRepository(db)
            if try await members.find(email: email) != nil {
                throw ConflictError(code: "email_taken", field: "email")
            }
            let now = database.now()
            let member = Member(id: Identifier.make("mem"), email: email, name: name, roleKeys: MemberRepository.ordered(roles),
                                locale: locale, isActive: true, createdAt: now, updatedAt: now)
            try await members.create(member, passwordHash: hash)
            try await Self.audit(db, principal, .create, .member, member.id, member.label,
                                 ["roles": ["", member.roleKeys.joined(separator: ",")]])
            return member
        }
    }

    public struct MemberChanges: Sendable {
        public var name: String?
        public var roles: [String]?
        public var active: Bool?
        public var password: String?
        public var locale: String?

        public init(name: String? = nil, roles: [String]? = nil, active: Bool? = nil, password: String? = nil, locale: String? = nil) {
            self.name = name
            self.roles = roles
            self.active = active
            self.password = password
            self.locale = locale
        }
    }

    public func updateMember(id: String, _ input: MemberChanges, by principal: Principal) async throws -> Member {
        // One's own password changes only with the current one (`changeOwnPassword`): a borrowed
        // session or token must not be enough to take the account over, nor end every other sign-in.
        if input.password != nil && id == principal.memberID {
            throw ValidationError(field: "password", code: "own_password_needs_current")
        }
        let name = try input.name.map { try Validate.requiredText($0, field: "name", max: 60) }
        let password = try input.password.map { try Validate.password($0) }
        let locale = try input.locale.flatMap { $0.isEmpty ? nil : try Validate.locale($0) }
        let hash: String? = if let password { try await hasher.hash(password) } else { nil }
        return try await database.transaction { db in
            let members = MemberRepository(db)
            guard var member = try await members.find(id: id) else { throw NotFoundError(entity: "member") }
            try await Self.checkMayActOn(member, by: principal, db: db)
            let before = member
            var changes = ChangeSet()
            if let name { member.name = name }
            if let locale { member.locale = locale }
            if let roles = input.roles {
                member.roleKeys = MemberRepository.ordered(try await Self.checkRoles(roles, granting: before.roleKeys, by: principal, db: db))
                // Taking a role away needs the same power as giving it.
                for removed in Set(before.roleKeys).subtracting(member.roleKeys) {
                    if let role = try await RoleRepository(db).find(key: removed), !principal.mayGrant(role) {
                        throw ValidationError(field: "roles", code: "role_not_grantable", params: ["role": removed])
                    }
                }
            }
            if let active = input.active {
                if !active && principal.memberID == id { throw ConflictError(code: "cannot_deactivate_self", field: "active") }
                member.isActive = active
            }
            let ownerKey = BuiltinRole.owner.rawValue
            if before.isActive && before.roleKeys.contains(ownerKey) && (!member.isActive || !member.roleKeys.contains(ownerKey)) {
                guard try await members.countActive(withRole: ownerKey) > 1 else { throw ConflictError(code: "last_owner") }
            }
            changes.record("name", before.name, member.name)
            changes.record("locale", before.locale?.rawValue, member.locale?.rawValue)
            changes.record("roles", before.roleKeys.joined(separator: ","), member.roleKeys.joined(separator: ","))
            changes.record("active", String(before.isActive), String(member.isActive))
            if hash != nil { changes.recordSecret("password", set: true) }
            guard !changes.isEmpty else { return member }
            try await members.update(member)
            if let hash {
                try await members.setPassword(hash: hash, for: id)
            }
            if !member.isActive || hash != nil {
                // A deactivated member or a reset password ends every open session
                // and every API token: whoever held the old password or a token
                // made with it is signed out everywhere.
                try await SessionRepository(db).deleteAll(userID: id)
                try await ApiTokenRepository(db).revokeAll(userID: id)
            }
            try await Self.audit(db, principal, .update, .member, id, member.label, changes.changes)
            return try await members.find(id: id) ?? member
        }
    }

    /// A member changing their own password must know the current one. Every
    /// other session and API token of the member ends; the credential making
    /// the change (`keepSession` or `keepToken`) goes on working.
    public func changeOwnPassword(memberID: String, current: String?, new: String?, keepSession token: String?, keepToken: String? = nil) async throws {
        let newPassword = try Validate.password(new, field: "new_password")
        guard let member = try await MemberRepository(database.sql).find(id: memberID),
              let stored = try await MemberRepository(database.sql).passwordHash(email: member.email)
        else { throw NotFoundError(entity: "member") }
        guard let current, try await hasher.verify(current, hash: stored.hash) else {
            throw ValidationError(field: "current_password", code: "wrong_password")
        }
        let hash = try await hasher.hash(newPassword)
        try await database.transaction { db in
            try await MemberRepository(db).setPassword(hash: hash, for: memberID)
            try await SessionRepository(db).deleteAll(userID: memberID, except: token)
            try await ApiTokenRepository(db).revokeAll(userID: memberID, except: keepToken)
            let principal = Principal(memberID: member.id, name: member.name, roleKeys: member.roleKeys, permissions: [])
            var changes = ChangeSet()
            changes.recordSecret("password", set: true)
            try await Self.audit(db, principal, .update, .member, memberID, member.label, changes.changes)
        }
    }

    // MARK: Personal API tokens

    /// The longest a token may live; "never" is nil.
    public static let maxTokenDays = 3_650

    /// A new personal token (shown once). `expiresInDays` nil means it never expires.
    public func createToken(memberID: String, name: String?, expiresInDays: Int?, by principal: Principal, now: Date? = nil) async throws -> (token: String, record: ApiToken) {
        let now = now ?? database.now()
        let name = try Validate.requiredText(name, field: "name", max: 60)
        let days = try expiresInDays.map { try Validate.integer($0, field: "expires_in_days", in: 1...Self.maxTokenDays) }
        let expiresAt = days.map { now.addingTimeInterval(Double($0) * 86_400) }
        return try await database.transaction { db in
            let created = try await ApiTokenRepository(db).create(userID: memberID, name: name, expiresAt: expiresAt, now: now)
            try await Self.audit(db, principal, .create, .apiToken, created.record.id, name,
                                 expiresAt.map { ["expires_at": ["", ISO8601DateFormatter().string(from: $0)]] } ?? [:])
            return created
        }
    }

    /// A sign-in through the API: a token that lasts as long as a browser session
    /// would (not audited, like a browser sign-in).
    public func openAPISession(memberID: String, now: Date? = nil) async throws -> String {
        let now = now ?? database.now()
        return try await ApiTokenRepository(database.sql).create(userID: memberID, name: "API session",
                                                          expiresAt: now.addingTimeInterval(SessionRepository.lifetime), now: now).token
    }

    /// Members revoke only their own tokens; someone else's id is "not found".
    public func revokeToken(id: String, memberID: String, by principal: Principal) async throws {
        try await database.transaction { db in
            let tokens = ApiTokenRepository(db)
            guard let token = try await tokens.find(id: id), token.userID == memberID else { throw NotFoundError(entity: "api_token") }
            guard token.revokedAt == nil else { return }
            try await tokens.revoke(id: id)
            try await Self.audit(db, principal, .delete, .apiToken, id, token.name, [:])
        }
    }

    /// Refuses a change to another member who holds more power than the principal.
    /// Checked inside the transaction, against the roles as stored, so a role
    /// granted a moment ago counts.
    static func checkMayActOn(_ member: Member, by principal: Principal, db: any SQLDatabase) async throws {
        guard principal.memberID != member.id else { return }
        let held = try await RoleRepository(db).permissions(for: member.roleKeys)
        guard principal.mayActOn(memberRoles: member.roleKeys, permissions: held) else {
            throw PermissionError(code: "member_outranks_you")
        }
    }

    /// Resolves role keys, refusing unknown ones and ones the principal may not grant.
    /// Roles the member already holds may stay even if the principal could not grant them.
    static func checkRoles(_ keys: [String], granting existing: [String], by principal: Principal, db: any SQLDatabase) async throws -> [String] {
        let unique = Array(Set(keys.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }))
        guard !unique.isEmpty else { throw ValidationError(field: "roles", code: "roles_required") }
        let repository = RoleRepository(db)
        for key in unique {
            guard let role = try await repository.find(key: key) else {
                throw ValidationError(field: "roles", code: "unknown_role", params: ["role": key])
            }
            if !existing.contains(key) && !principal.mayGrant(role) {
                throw ValidationError(field: "roles", code: "role_not_grantable", params: ["role": key])
            }
        }
        return unique
    }

    // MARK: Roles

    public struct RoleInput: Sendable {
        public var key: String?
        public var name: String?
        public var description: String?
        public var permissions: [String]?

        public init(key: String?, name: String?, description: String?, permissions: [String]?) {
            self.key = key
            self.name = name
            self.description = description
            self.permissions = permissions
        }
    }

    public func createRole(_ input: RoleInput, by principal: Principal) async throws -> Role {
        let key = (input.key ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard !key.isEmpty else { throw ValidationError(field: "key", code: "required") }
        guard Role.isValidCustomKey(key) else { throw ValidationError(field: "key", code: "invalid_role_key") }
        let name = try Validate.requiredText(input.name, field: "name", max: 40)
        let description = try Validate.optionalText(input.description, field: "description", max: 200)
        let permissions = try Self.parsePermissions(input.permissions ?? [])
        // A role is power handed out later: nobody defines one with more than they hold.
        guard principal.isOwner || permissions.isSubset(of: principal.permissions) else {
            throw ValidationError(field: "permissions", code: "permission_not_grantable")
        }
        let role = Role(key: key, name: name, description: description, permissions: permissions, isBuiltin: false)
        return try await database.transaction { db in
            guard try await RoleRepository(db).find(key: key) == nil else { throw ConflictError(code: "role_taken", field: "key") }
            try await RoleRepository(db).create(role)
            try await Self.audit(db, principal, .create, .role, key, "\(name) (\(key))",
                                 ["permissions": ["", permissions.map(\.rawValue).sorted().joined(separator: ",")]])
            return role
        }
    }

    public func updateRole(key: String, _ input: RoleInput, by principal: Principal) async throws -> Role {
        if BuiltinRole(rawValue: key) != nil { throw ConflictError(code: "builtin_role_readonly") }
        let name = try input.name.map { try Validate.requiredText($0, field: "name", max: 40) }
        let description = try input.description.map { try Validate.optionalText($0, field: "description", max: 200) }
        let permissions = try input.permissions.map { try Self.parsePermissions($0) }
        return try await database.transaction { db in
            guard var role = try await RoleRepository(db).find(key: key) else { throw NotFoundError(entity: "role") }
            let before = role
            if let name { role.name = name }
            if let description { role.description = description }
            if let permissions {
                // Widening a role one holds would widen one's own power; narrowing it
                // takes power from its other holders. Both need the power concerned.
                guard principal.isOwner || before.permissions.union(permissions).isSubset(of: principal.permissions) else {
                    throw ValidationError(field: "permissions", code: "permission_not_grantable")
                }
                role.permissions = permissions
            }
            var changes = ChangeSet()
            changes.record("name", before.name, role.name)
            changes.record("description", before.description, role.description)
            changes.record("permissions", before.permissions.map(\.rawValue).sorted().joined(separator: ","),
                           role.permissions.map(\.rawValue).sorted().joined(separator: ","))
            guard !changes.isEmpty else { return role }
            try await RoleRepository(db).update(role)
            try await Self.audit(db, principal, .update, .role, key, "\(role.name ?? key) (\(key))", changes.changes)
            return role
        }
    }

    public func deleteRole(key: String, by principal: Principal) async throws {
        if BuiltinRole(rawValue: key) != nil { throw ConflictError(code: "builtin_role_readonly") }
        try await database.transaction { db in
            guard try await RoleRepository(db).find(key: key) != nil else { throw NotFoundError(entity: "role") }
            let holders = try await MemberRepository(db).countHolders(ofRole: key)
            guard holders == 0 else { throw ConflictError(code: "role_in_use", params: ["count": String(holders)]) }
            try await RoleRepository(db).delete(key: key)
            try await Self.audit(db, principal, .delete, .role, key, key, [:])
        }
    }

    static func parsePermissions(_ keys: [String]) throws -> Set<Permission> {
        switch Permission.parse(keys) {
        case .success(let set):
            guard !set.isEmpty else { throw ValidationError(field: "permissions", code: "permissions_required") }
            return set
        case .failure(let unknown):
            throw ValidationError(field: "permissions", code: "unknown_permission", params: ["permission": unknown.key])
        }
    }

    // MARK: Audit

    static func audit(_ db: any SQLDatabase, _ principal: Principal, _ action: AuditAction, _ entity: AuditEntity, _ id: String,
                      _ label: String, _ changes: [String: [String]]) async throws {
        try await Audit.record(db, principal, action, entity, id, label: label, changes: changes)
    }
}
