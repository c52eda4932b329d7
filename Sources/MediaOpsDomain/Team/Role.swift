/// A role as members see it: built in (named by the locale catalogs) or custom
/// (named by the owner who defined it).
public struct Role: Sendable, Equatable {
    public var key: String
    /// Only set for custom roles; built-in roles take their names from the catalogs.
    public var name: String?
    public var description: String?
    public var permissions: Set<Permission>
    public var isBuiltin: Bool

    public init(key: String, name: String?, description: String?, permissions: Set<Permission>, isBuiltin: Bool) {
        self.key = key
        self.name = name
        self.description = description
        self.permissions = permissions
        self.isBuiltin = isBuiltin
    }

    public init(builtin: BuiltinRole) {
        self.init(key: builtin.rawValue, name: nil, description: nil, permissions: builtin.permissions, isBuiltin: true)
    }

    public static let builtins: [Role] = BuiltinRole.allCases.map(Role.init(builtin:))

    /// Custom role keys are lowercase ASCII so they read well in URLs and API payloads,
    /// and may not shadow a built-in role.
    public static func isValidCustomKey(_ key: String) -> Bool {
        guard (2...40).contains(key.count), BuiltinRole(rawValue: key) == nil else { return false }
        guard let first = key.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }
}
