import MediaOpsDomain

/// Every page and form target of KPIs, scorecards and performance reviews
/// (under 团队), and the reporting-line form on a member's page.
enum KpiPath: PagePath {
    case kpis
    case kpiNew
    case kpi(PathParameter<String>)
    case kpiEdit(PathParameter<String>)
    case kpiDelete(PathParameter<String>)
    case kpiTargets(PathParameter<String>)
    case kpiTargetDelete(PathParameter<String>, PathParameter<String>)
    case scorecards
    case scorecard(PathParameter<String>)
    case scorecardEvidence(PathParameter<String>, PathParameter<String>)
    case reviews
    case review(PathParameter<String>, PathParameter<String>)
    case reviewSelf(PathParameter<String>, PathParameter<String>)
    case reviewAssess(PathParameter<String>, PathParameter<String>)
    case reviewFinalize(PathParameter<String>, PathParameter<String>)
    case memberManager(PathParameter<String>)

    /// The paths without parameters, which templates reach by case name (`{{paths.kpis.scorecards}}`).
    static let plain: [KpiPath] = [.kpis, .kpiNew, .scorecards, .reviews]

    var path: String {
        switch self {
        case .kpis: "/team/kpis"
        case .kpiNew: "/team/kpis/new"
        case .kpi(let id): "/team/kpis/" + PathSegment.of(id, "id")
        case .kpiEdit(let id): KpiPath.kpi(id).path + "/edit"
        case .kpiDelete(let id): KpiPath.kpi(id).path + "/delete"
        case .kpiTargets(let id): KpiPath.kpi(id).path + "/targets"
        case .kpiTargetDelete(let id, let target): KpiPath.kpi(id).path + "/targets/" + PathSegment.of(target, "targetID") + "/delete"
        case .scorecards: "/team/scorecards"
        case .scorecard(let member): "/team/scorecards/" + PathSegment.of(member, "memberID")
        case .scorecardEvidence(let member, let kpi): KpiPath.scorecard(member).path + "/kpis/" + PathSegment.of(kpi, "kpiID")
        case .reviews: "/team/reviews"
        case .review(let member, let period): "/team/reviews/" + PathSegment.of(member, "memberID") + "/" + PathSegment.of(period, "period")
        case .reviewSelf(let member, let period): KpiPath.review(member, period).path + "/self"
        case .reviewAssess(let member, let period): KpiPath.review(member, period).path + "/assess"
        case .reviewFinalize(let member, let period): KpiPath.review(member, period).path + "/finalize"
        case .memberManager(let id): "/team/members/" + PathSegment.of(id, "id") + "/manager"
        }
    }
}
