import Foundation
import MediaOpsDomain
import MediaOpsStore

// Wire shapes of the JSON API. Property names are the snake_case JSON keys on
// purpose: these types exist only to be encoded.

struct MemberDTO: Encodable {
    var id: String
    var email: String
    var name: String
    var roles: [String]
    var locale: String?
    var active: Bool
    var created_at: Date
    var updated_at: Date

    init(_ member: Member) {
        id = member.id
        email = member.email
        name = member.name
        roles = member.roleKeys
        locale = member.locale?.rawValue
        active = member.isActive
        created_at = member.createdAt
        updated_at = member.updatedAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(email, forKey: .email)
        try container.encode(name, forKey: .name)
        try container.encode(roles, forKey: .roles)
        try container.encode(locale, forKey: .locale)  // explicit null, as documented
        try container.encode(active, forKey: .active)
        try container.encode(created_at, forKey: .created_at)
        try container.encode(updated_at, forKey: .updated_at)
    }
    enum CodingKeys: String, CodingKey { case id, email, name, roles, locale, active, created_at, updated_at }
}

struct MeDTO: Encodable {
    var member: MemberDTO
    var permissions: [String]

    func encode(to encoder: any Encoder) throws {
        try member.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(permissions, forKey: .permissions)
    }
    enum CodingKeys: String, CodingKey { case permissions }
}

struct RoleDTO: Encodable {
    var key: String
    var name: String
    var description: String
    var permissions: [String]
    var builtin: Bool
    var member_count: Int

    init(_ role: Role, memberCount: Int, localizer: Localizer) {
        key = role.key
        name = localizer.roleName(role)
        description = localizer.roleDescription(role)
        permissions = Permission.allCases.filter(role.permissions.contains).map(\.rawValue)
        builtin = role.isBuiltin
        member_count = memberCount
    }
}

struct PermissionDTO: Encodable {
    var key: String
    var description: String
}

struct PlatformDTO: Encodable {
    struct Field: Encodable {
        var key: String
        var required: Bool
        var max_length: Int
        var is_url: Bool
    }
    var key: String
    var name: String
    var short_name: String
    var capabilities: [String]
    var kinds: [String]
    var fields: [Field]
    var secret_fields: [String]

    init(_ platform: Platform, localizer: Localizer) {
        key = platform.rawValue
        name = localizer.platformName(platform)
        short_name = localizer.platformShortName(platform)
        capabilities = platform.capabilities.names
        kinds = platform.kinds
        fields = platform.fields.map { Field(key: $0.key, required: $0.required, max_length: $0.maxLength, is_url: $0.isURL) }
        secret_fields = platform.secretFields
    }
}

struct GroupRefDTO: Encodable {
    var id: String
    var name: String
}

struct AccountDTO: Encodable {
    var id: String
    var platform: String
    var name: String
    var handle: String
    var kind: String?
    var fields: [String: String]
    var owner_id: String?
    var groups: [GroupRefDTO]
    var state: String
    var capabilities: [String]
    var credentials_set: [String]
    var best_time: String
    var created_at: Date
    var updated_at: Date

    init(_ account: Account, groups: [String: AccountGroup]) {
        id = account.id
        platform = account.platform.rawValue
        name = account.name
        handle = account.handle
        kind = account.kind
        fields = account.fields
        owner_id = account.ownerID
        self.groups = account.groupIDs.compactMap { groups[$0] }.map { GroupRefDTO(id: $0.id, name: $0.name) }
        state = account.state.rawValue
        capabilities = account.platform.capabilities.names
        credentials_set = account.credentialKeys
        best_time = account.bestTime ?? PostingTimes.format(PostingTimes.defaultTime(for: account.platform))
        created_at = account.createdAt
        updated_at = account.updatedAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(platform, forKey: .platform)
        try container.encode(name, forKey: .name)
        try container.encode(handle, forKey: .handle)
        try container.encode(kind, forKey: .kind)
        try container.encode(fields, forKey: .fields)
        try container.encode(owner_id, forKey: .owner_id)
        try container.encode(groups, forKey: .groups)
        try container.encode(state, forKey: .state)
        try container.encode(capabilities, forKey: .capabilities)
        try container.encode(credentials_set, forKey: .credentials_set)
        try container.encode(best_time, forKey: .best_time)
        try container.encode(created_at, forKey: .created_at)
        try container.encode(updated_at, forKey: .updated_at)
    }
    enum CodingKeys: String, CodingKey {
        case id, platform, name, handle, kind, fields, owner_id, groups, state, capabilities, credentials_set, best_time, created_at, updated_at
    }
}

struct AccountGroupDTO: Encodable {
    var id: String
    var name: String
    var description: String
    var account_count: Int
    var created_at: Date

    init(_ group: AccountGroup, count: Int) {
        id = group.id
        name = group.name
        description = group.description
        account_count = count
        created_at = group.createdAt
    }
}

struct AuditEntryDTO: Encodable {
    var id: String
    var at: Date
    var actor_id: String?
    var actor_name: String
    var action: String
    var entity_type: String
    var entity_id: String
    var summary: String
    var changes: [String: [String]]

    init(_ entry: AuditEntry) {
        id = entry.id
        at = entry.at
        actor_id = entry.actorID
        actor_name = entry.actorName
        action = entry.action.rawValue
        entity_type = entry.entityType
        entity_id = entry.entityID
        summary = entry.summary
        changes = entry.changes
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(at, forKey: .at)
        try container.encode(actor_id, forKey: .actor_id)
        try container.encode(actor_name, forKey: .actor_name)
        try container.encode(action, forKey: .action)
        try container.encode(entity_type, forKey: .entity_type)
        try container.encode(entity_id, forKey: .entity_id)
        try container.encode(summary, forKey: .summary)
        try container.encode(changes, forKey: .changes)
    }
    enum CodingKeys: String, CodingKey { case id, at, actor_id, actor_name, action, entity_type, entity_id, summary, changes }
}

struct ApiTokenDTO: Encodable {
    var id: String
    var name: String
    var prefix: String
    var created_at: Date
    var last_used_at: Date?
    var revoked_at: Date?
    var token: String?

    init(_ token: ApiToken, secret: String? = nil) {
        id = token.id
        name = token.name
        prefix = token.prefix
        created_at = token.createdAt
        last_used_at = token.lastUsedAt
        revoked_at = token.revokedAt
        self.token = secret
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(prefix, forKey: .prefix)
        try container.encode(created_at, forKey: .created_at)
        try container.encode(last_used_at, forKey: .last_used_at)
        try container.encode(revoked_at, forKey: .revoked_at)
        if let token { try container.encode(token, forKey: .token) }
    }
    enum CodingKeys: String, CodingKey { case id, name, prefix, created_at, last_used_at, revoked_at, token }
}

struct SettingsDTO: Encodable {
    var name: String
    var time_zone: String
    var default_locale: String

    init(_ workspace: Workspace) {
        name = workspace.name
        time_zone = workspace.timeZone
        default_locale = workspace.defaultLocale.rawValue
    }
}
