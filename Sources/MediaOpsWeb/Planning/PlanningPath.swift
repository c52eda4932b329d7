/// Every page and form target of the 规划 room: goals and their progress, the
/// planner with its saved versions, the workspace's parameters, position
/// profiles and the hiring plan HR is handed.
enum PlanningPath: PagePath {
    case goals
    case goalNew
    case goal(PathParameter<String>)
    case goalEdit(PathParameter<String>)
    case goalDelete(PathParameter<String>)
    case goalPlan(PathParameter<String>)
    case goalPlans(PathParameter<String>)
    case plans
    case plan(PathParameter<String>)
    case planDelete(PathParameter<String>)
    case planCompare
    case parameters
    case positions
    case position(PathParameter<String>)
    case positionReset(PathParameter<String>)
    case hiringPlan
    case hiringPlanExport(PathParameter<String>)

    /// The paths without parameters, which templates reach by case name (`{{paths.planning.goals}}`).
    static let plain: [PlanningPath] = [.goals, .goalNew, .plans, .planCompare, .parameters, .positions, .hiringPlan]

    var path: String {
        switch self {
        case .goals: "/team/goals"
        case .goalNew: "/team/goals/new"
        case .goal(let id): "/team/goals/" + PathSegment.of(id, "id")
        case .goalEdit(let id): PlanningPath.goal(id).path + "/edit"
        case .goalDelete(let id): PlanningPath.goal(id).path + "/delete"
        case .goalPlan(let id): PlanningPath.goal(id).path + "/plan"
        case .goalPlans(let id): PlanningPath.goal(id).path + "/plans"
        case .plans: "/team/plans"
        case .plan(let id): "/team/plans/" + PathSegment.of(id, "id")
        case .planDelete(let id): PlanningPath.plan(id).path + "/delete"
        case .planCompare: "/team/plans/compare"
        case .parameters: "/team/plans/parameters"
        case .positions: "/team/positions"
        case .position(let role): "/team/positions/" + PathSegment.of(role, "role")
        case .positionReset(let role): PlanningPath.position(role).path + "/reset"
        case .hiringPlan: "/team/hiring-plan"
        case .hiringPlanExport(let format): "/team/hiring-plan/export." + PathSegment.of(format, "format")
        }
    }
}
