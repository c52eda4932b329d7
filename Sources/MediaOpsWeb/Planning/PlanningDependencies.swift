import MediaOpsStore

/// What the 规划 room uses: goals (and through them the metric store's daily
/// numbers), the planner's versions, parameters and profiles, and the team's
/// members and accounts for pickers and the real team.
public struct PlanningDependencies: Sendable {
    public var team: TeamService
    public var goals: GoalService
    public var plans: PlanService
    /// The goal page lists the knowledge entries linked to the goal (相关经验).
    public var knowledge: KnowledgeService?

    public init(team: TeamService, goals: GoalService, plans: PlanService, knowledge: KnowledgeService? = nil) {
        self.team = team
        self.goals = goals
        self.plans = plans
        self.knowledge = knowledge
    }
}

/// The 规划 room's routes.
enum PlanningRoutes {
    static func register(_ routes: Routes, _ dependencies: PlanningDependencies, pages: PageSupport) {
        GoalsController(dependencies: dependencies, pages: pages).register(routes)
        PlansController(dependencies: dependencies, pages: pages).register(routes)
        PositionsController(dependencies: dependencies, pages: pages).register(routes)
    }
}
