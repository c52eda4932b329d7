/// The roles every workspace starts with: the owner plus the positions of a
/// new-media team (DOMAIN.md). Their permission sets are fixed in code so that an
/// upgrade can widen them as new rooms arrive; custom roles live in the database.
public enum BuiltinRole: String, CaseIterable, Sendable {
    case owner, director, manager, content, copywriter, community, campaign
    case analyst, designer, tech, channel, pr, reviewer, viewer

    public var permissions: Set<Permission> {
        // Everyone on the team sees the goals, the tasks and the knowledge base,
        // works on tasks and adds what they learned; viewers (a boss, a client) only read.
        let reader: Set<Permission> = [.membersView, .accountsView, .contentView, .analyticsView,
                                       .planningView, .tasksView, .knowledgeView]
        let teammate = reader.union([.tasksWrite, .knowledgeWrite, .kpisView])
        let writer = teammate.union([.contentWrite])
        switch self {
        case .owner:
            return Set(Permission.allCases)
        case .director:
            // Sees and steers everything except redefining what roles mean.
            return Set(Permission.allCases).subtracting([.rolesManage])
        case .manager:
            // Runs the team day to day: keeps its tasks and assesses the members it manages.
            return writer.union([.accountsManage, .auditView, .contentApprove, .contentPublish, .complianceManage, .analyticsImport, .analyticsManage,
                                 .tasksManage, .reviewsManage])
        case .tech:
            // Looks after the accounts' back-office settings and integrations.
            return teammate.union([.accountsManage, .auditView, .analyticsImport])
        case .content, .campaign:
            // Operators run their accounts: they publish what was approved and feed in their numbers.
            return writer.union([.contentPublish, .analyticsImport])
        case .copywriter, .designer:
            return writer
        case .reviewer:
            // Clears the review queue and keeps the word lists; writes no copy.
            return teammate.union([.contentApprove, .complianceManage])
        case .channel:
            // Channel operators publish on the platforms they look after.
            return teammate.union([.contentPublish])
        case .analyst:
            // Analysts keep the numbers complete (imports, pulls and backfills) and
            // turn them into alerts, funnels, benchmarks and reports.
            return teammate.union([.analyticsImport, .analyticsManage])
        case .community, .pr:
            return teammate
        case .viewer:
            return reader
        }
    }
}
