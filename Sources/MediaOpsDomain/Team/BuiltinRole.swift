/// The roles every workspace starts with: the owner plus the positions of a
/// new-media team (DOMAIN.md). Their permission sets are fixed in code so that an
/// upgrade can widen them as new rooms arrive; custom roles live in the database.
public enum BuiltinRole: String, CaseIterable, Sendable {
    case owner, director, manager, content, copywriter, community, campaign
    case analyst, designer, tech, channel, pr, reviewer, viewer

    public var permissions: Set<Permission> {
        let reader: Set<Permission> = [.membersView, .accountsView, .contentView, .analyticsView]
        let writer = reader.union([.contentWrite])
        switch self {
        case .owner:
            return Set(Permission.allCases)
        case .director:
            // Sees and steers everything except redefining what roles mean.
            return Set(Permission.allCases).subtracting([.rolesManage])
        case .manager:
            return writer.union([.accountsManage, .auditView, .contentApprove, .contentPublish, .complianceManage, .analyticsImport, .analyticsManage])
        case .tech:
            // Looks after the accounts' back-office settings and integrations.
            return reader.union([.accountsManage, .auditView, .analyticsImport])
        case .content, .campaign:
            // Operators run their accounts: they publish what was approved and feed in their numbers.
            return writer.union([.contentPublish, .analyticsImport])
        case .copywriter, .designer:
            return writer
        case .reviewer:
            // Clears the review queue and keeps the word lists; writes no copy.
            return reader.union([.contentApprove, .complianceManage])
        case .channel:
            // Channel operators publish on the platforms they look after.
            return reader.union([.contentPublish])
        case .analyst:
            // Analysts keep the numbers complete (imports, pulls and backfills) and
            // turn them into alerts, funnels, benchmarks and reports.
            return reader.union([.analyticsImport, .analyticsManage])
        case .community, .pr:
            return reader
        case .viewer:
            return reader
        }
    }
}
