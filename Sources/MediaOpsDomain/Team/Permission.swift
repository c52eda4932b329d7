/// What a member may do. Every page and API route names exactly one permission,
/// so a role × route matrix test can prove the rules hold everywhere.
public enum Permission: String, CaseIterable, Sendable, Codable, Hashable {
    case membersView = "members.view"
    case membersManage = "members.manage"
    case rolesManage = "roles.manage"
    case accountsView = "accounts.view"
    case accountsManage = "accounts.manage"
    case auditView = "audit.view"
    case settingsManage = "settings.manage"
    case contentView = "content.view"
    case contentWrite = "content.write"
    case contentApprove = "content.approve"
    /// Schedule, publish, cancel and confirm publications; mark assisted posts published.
    case contentPublish = "content.publish"
    case complianceOverride = "compliance.override"
    case complianceManage = "compliance.manage"
    /// Read the 数据 room: dashboards, account numbers, imports.
    case analyticsView = "analytics.view"
    /// Feed the metric store: import export files, start pulls and backfills.
    case analyticsImport = "analytics.import"
    /// Set up the room's analysis and act on what it finds: alert rules,
    /// acknowledging and resolving alerts, funnels, competitors, and issuing reports.
    case analyticsManage = "analytics.manage"
    /// Read goals, their progress and plans, position profiles and the hiring plan.
    case planningView = "planning.view"
    /// Set goals and their stages, run the planner, save plan versions, edit the
    /// productivity model and position profiles.
    case planningManage = "planning.manage"
    /// Read the team's tasks.
    case tasksView = "tasks.view"
    /// Create tasks, work on and comment on them.
    case tasksWrite = "tasks.write"
    /// Edit, reassign, delete and bulk-change anyone's tasks; keep recurring tasks.
    case tasksManage = "tasks.manage"
    /// Read the knowledge base (经验沉淀) and the assessment standards.
    case knowledgeView = "knowledge.view"
    /// Write lessons, playbooks, creative notes and templates.
    case knowledgeWrite = "knowledge.write"
    /// Read one's own KPIs and scorecards (others' need reviews.manage and a line to them).
    case kpisView = "kpis.view"
    /// Define KPIs, their targets and weights, and the assessment standards per position.
    case kpisManage = "kpis.manage"
    /// Assess the members one manages: scorecards, performance reviews, training records.
    case reviewsManage = "reviews.manage"

    /// Permissions that only change what a member can read. A role built only from
    /// these can never write anything, which is what "viewer" promises.
    public var isReadOnly: Bool {
        switch self {
        case .membersView, .accountsView, .auditView, .contentView, .analyticsView,
             .planningView, .tasksView, .knowledgeView, .kpisView: true
        default: false
        }
    }

    /// Parses a list of permission keys, naming the first unknown one.
    public static func parse(_ keys: [String]) -> Result<Set<Permission>, UnknownPermission> {
        var result = Set<Permission>()
        for key in keys {
            guard let permission = Permission(rawValue: key) else { return .failure(UnknownPermission(key: key)) }
            result.insert(permission)
        }
        return .success(result)
    }

    public struct UnknownPermission: Error, Sendable { public let key: String }
}
