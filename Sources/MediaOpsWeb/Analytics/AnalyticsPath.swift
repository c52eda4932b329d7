/// Every page and form target of the 数据 room: the matrix overview, one
/// account's numbers, imports of back-office export files, the
/// significance calculator, and alerts with their rules.
enum AnalyticsPath: PagePath {
    case overview
    case overviewExport
    case account(PathParameter<String>)
    case accountExport(PathParameter<String>)
    case accountBackfill(PathParameter<String>)
    case post(PathParameter<String>)
    case imports
    case importDetail(PathParameter<String>)
    case importColumns(PathParameter<String>)
    case importCommit(PathParameter<String>)
    case importSample(PathParameter<String>)
    case significance
    case alerts
    case alert(PathParameter<String>)
    case alertAction(PathParameter<String>)
    case alertRules
    case alertRuleNew
    case alertRule(PathParameter<String>)
    case alertRuleEnabled(PathParameter<String>)
    case alertRuleDelete(PathParameter<String>)
    case funnels
    case funnelNew
    case funnelSample
    case funnel(PathParameter<String>)
    case funnelEdit(PathParameter<String>)
    case funnelDelete(PathParameter<String>)
    case funnelEvents(PathParameter<String>)
    case insights
    case bestTime
    case bestTimeAdopt

    case reports
    case report(PathParameter<String>)
    case reportRegenerate(PathParameter<String>)
    case reportSummary(PathParameter<String>)
    case reportExport(PathParameter<String>)
    case reportSchedules
    case reportSchedule(PathParameter<String>)
    case reportScheduleToggle(PathParameter<String>)
    case reportScheduleDelete(PathParameter<String>)

    case competitors
    case competitorNew
    case competitorImport
    case competitorSample(PathParameter<String>)
    case competitor(PathParameter<String>)
    case competitorEdit(PathParameter<String>)
    case competitorDelete(PathParameter<String>)
    case competitorDays(PathParameter<String>)
    case competitorDayDelete(PathParameter<String>)

    /// The paths without parameters, which templates reach by case name (`{{paths.analytics.imports}}`).
    static let plain: [AnalyticsPath] = [.overview, .overviewExport, .imports, .significance, .alerts, .alertRules, .alertRuleNew,
                                         .insights, .bestTime, .bestTimeAdopt, .funnels, .funnelNew, .funnelSample, .reports, .reportSchedules,
                                         .competitors, .competitorNew, .competitorImport]

    var path: String {
        switch self {
        case .overview: "/analytics"
        case .overviewExport: "/analytics/export"
        case .account(let id): "/analytics/accounts/" + PathSegment.of(id, "id")
        case .accountExport(let id): AnalyticsPath.account(id).path + "/export"
        case .accountBackfill(let id): AnalyticsPath.account(id).path + "/backfill"
        case .post(let id): "/analytics/posts/" + PathSegment.of(id, "id")
        case .imports: "/analytics/imports"
        case .importDetail(let id): "/analytics/imports/" + PathSegment.of(id, "id")
        case .importColumns(let id): AnalyticsPath.importDetail(id).path + "/columns"
        case .importCommit(let id): AnalyticsPath.importDetail(id).path + "/commit"
        case .importSample(let layout): "/analytics/import-samples/" + PathSegment.of(layout, "layout")
        case .significance: "/analytics/significance"
        case .alerts: "/analytics/alerts"
        case .alert(let id): "/analytics/alerts/" + PathSegment.of(id, "id")
        case .alertAction(let id): AnalyticsPath.alert(id).path + "/action"
        case .alertRules: "/analytics/alert-rules"
        case .alertRuleNew: "/analytics/alert-rules/new"
        case .alertRule(let id): "/analytics/alert-rules/" + PathSegment.of(id, "id")
        case .alertRuleEnabled(let id): AnalyticsPath.alertRule(id).path + "/enabled"
        case .alertRuleDelete(let id): AnalyticsPath.alertRule(id).path + "/delete"
        case .funnels: "/analytics/funnels"
        case .funnelNew: "/analytics/funnels/new"
        case .funnelSample: "/analytics/funnel-samples/events.csv"
        case .funnel(let id): "/analytics/funnels/" + PathSegment.of(id, "id")
        case .funnelEdit(let id): AnalyticsPath.funnel(id).path + "/edit"
        case .funnelDelete(let id): AnalyticsPath.funnel(id).path + "/delete"
        case .funnelEvents(let id): AnalyticsPath.funnel(id).path + "/events"
        case .insights: "/analytics/insights"
        case .bestTime: "/analytics/best-time"
        case .bestTimeAdopt: "/analytics/best-time/adopt"
        case .reports: "/analytics/reports"
        case .report(let id): "/analytics/reports/" + PathSegment.of(id, "id")
        case .reportRegenerate(let id): AnalyticsPath.report(id).path + "/regenerate"
        case .reportSummary(let id): AnalyticsPath.report(id).path + "/summary"
        case .reportExport(let id): AnalyticsPath.report(id).path + "/export"
        case .reportSchedules: "/analytics/report-schedules"
        case .reportSchedule(let id): "/analytics/report-schedules/" + PathSegment.of(id, "id")
        case .reportScheduleToggle(let id): AnalyticsPath.reportSchedule(id).path + "/toggle"
        case .reportScheduleDelete(let id): AnalyticsPath.reportSchedule(id).path + "/delete"
        case .competitors: "/analytics/competitors"
        case .competitorNew: "/analytics/competitors/new"
        case .competitorImport: "/analytics/competitors/import"
        case .competitorSample(let format): "/analytics/competitor-samples/" + PathSegment.of(format, "format")
        case .competitor(let id): "/analytics/competitors/" + PathSegment.of(id, "id")
        case .competitorEdit(let id): AnalyticsPath.competitor(id).path + "/edit"
        case .competitorDelete(let id): AnalyticsPath.competitor(id).path + "/delete"
        case .competitorDays(let id): AnalyticsPath.competitor(id).path + "/days"
        case .competitorDayDelete(let id): AnalyticsPath.competitor(id).path + "/days/delete"
        }
    }
}
