/// Who is acting: a signed-in member, a member's API token, or the operator at
/// the command line. Carried into every change so the audit log can name them.
public struct Principal: Sendable, Equatable {
    public var memberID: String?
    public var name: String
    public var roleKeys: [String]
    public var permissions: Set<Permission>

    public init(memberID: String?, name: String, roleKeys: [String], permissions: Set<Permission>) {
        self.memberID = memberID
        self.name = name
        self.roleKeys = roleKeys
        self.permissions = permissions
    }

    /// The operator running a CLI command on the server itself.
    public static let commandLine = Principal(memberID: nil, name: "CLI", roleKeys: [BuiltinRole.owner.rawValue], permissions: Set(Permission.allCases))

    public var isOwner: Bool { roleKeys.contains(BuiltinRole.owner.rawValue) }

    public func can(_ permission: Permission) -> Bool { permissions.contains(permission) }

    /// Nobody hands out more power than they hold, and only an owner makes owners.
    public func mayGrant(_ role: Role) -> Bool {
        if role.key == BuiltinRole.owner.rawValue { return isOwner }
        return role.permissions.isSubset(of: permissions)
    }

    /// Nobody changes another member (password, e-mail, name, roles, active flag)
    /// who holds power they lack: otherwise a manager could reset an owner's
    /// password and sign in as the owner. Only an owner acts on an owner.
    public func mayActOn(memberRoles roleKeys: [String], permissions memberPermissions: Set<Permission>) -> Bool {
        if roleKeys.contains(BuiltinRole.owner.rawValue) { return isOwner }
        return memberPermissions.isSubset(of: permissions)
    }
}
