/// Every page and form target of the team room: sign-in, home and search,
/// members, roles, accounts and groups, workspace settings and the audit log,
/// and the member's own page.
enum TeamPath: PagePath {
    case home
    case search
    case setup
    case login
    case logout
    case members
    case memberNew
    case member(PathParameter<String>)
    case memberDeactivate(PathParameter<String>)
    case memberReactivate(PathParameter<String>)
    case memberPassword(PathParameter<String>)
    case roles
    case roleNew
    case role(PathParameter<String>)
    case roleDelete(PathParameter<String>)
    case accounts
    case accountNew
    case account(PathParameter<String>)
    case accountRetire(PathParameter<String>)
    case groups
    case group(PathParameter<String>)
    case groupDelete(PathParameter<String>)
    case settings
    case audit
    case me
    case mePassword
    case meTokens
    case meTokenRevoke(PathParameter<String>)

    /// The paths without parameters, which templates reach by case name
    /// (`{{paths.team.home}}`); the paths with parameters come in the page model.
    static let plain: [TeamPath] = [.home, .search, .setup, .login, .logout, .members, .memberNew, .roles, .roleNew, .accounts, .accountNew, .groups, .settings, .audit, .me, .mePassword, .meTokens]

    var path: String {
        switch self {
        case .home: "/"
        case .search: "/search"
        case .setup: "/setup"
        case .login: "/login"
        case .logout: "/logout"
        case .members: "/team/members"
        case .memberNew: "/team/members/new"
        case .member(let id): "/team/members/" + PathSegment.of(id, "id")
        case .memberDeactivate(let id): TeamPath.member(id).path + "/deactivate"
        case .memberReactivate(let id): TeamPath.member(id).path + "/reactivate"
        case .memberPassword(let id): TeamPath.member(id).path + "/password"
        case .roles: "/team/roles"
        case .roleNew: "/team/roles/new"
        case .role(let key): "/team/roles/" + PathSegment.of(key, "key")
        case .roleDelete(let key): TeamPath.role(key).path + "/delete"
        case .accounts: "/accounts"
        case .accountNew: "/accounts/new"
        case .account(let id): "/accounts/" + PathSegment.of(id, "id")
        case .accountRetire(let id): TeamPath.account(id).path + "/retire"
        case .groups: "/accounts/groups"
        case .group(let id): "/accounts/groups/" + PathSegment.of(id, "id")
        case .groupDelete(let id): TeamPath.group(id).path + "/delete"
        case .settings: "/settings"
        case .audit: "/settings/audit"
        case .me: "/me"
        case .mePassword: "/me/password"
        case .meTokens: "/me/tokens"
        case .meTokenRevoke(let id): "/me/tokens/" + PathSegment.of(id, "id") + "/revoke"
        }
    }
}
