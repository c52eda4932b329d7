/// The roles every workspace starts with: the owner plus the positions of a
/// new-media team (DOMAIN.md). Their permission sets are fixed in code so that an
/// upgrade can widen them as new rooms arrive; custom roles live in the database.
public enum BuiltinRole: String, CaseIterable, Sendable {
    case owner, director, manager, content, copywriter, community, campaign
    case analyst, designer, tech, channel, pr, reviewer, viewer

    public var permissions: Set<Permission> {
        switch self {
        case .owner:
            return Set(Permission.allCases)
        case .director:
            // Sees and steers everything except redefining what roles mean.
            return Set(Permission.allCases).subtracting([.rolesManage])
        case .manager:
            return [.membersView, .accountsView, .accountsManage, .auditView]
        case .tech:
            // Looks after the accounts' back-office settings and integrations.
            return [.membersView, .accountsView, .accountsManage, .auditView]
        case .content, .copywriter, .community, .campaign, .analyst, .designer, .channel, .pr, .reviewer:
            return [.membersView, .accountsView]
        case .viewer:
            return [.membersView, .accountsView]
        }
    }
}
