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
    @Nullable var locale: String?
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
    @Nullable var kind: String?
    var fields: [String: String]
    @Nullable var owner_id: String?
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
    @Nullable var actor_id: String?
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
}

struct ApiTokenDTO: Encodable {
    var id: String
    var name: String
    var prefix: String
    var created_at: Date
    @Nullable var last_used_at: Date?
    @Nullable var revoked_at: Date?
    @Nullable var expires_at: Date?
    /// Only in the response that creates the token.
    var token: String?

    init(_ token: ApiToken, secret: String? = nil) {
        id = token.id
        name = token.name
        prefix = token.prefix
        created_at = token.createdAt
        last_used_at = token.lastUsedAt
        revoked_at = token.revokedAt
        expires_at = token.expiresAt
        self.token = secret
    }
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
