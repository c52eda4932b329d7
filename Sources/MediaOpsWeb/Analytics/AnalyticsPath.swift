/// Every page and form target of the 数据 room: the matrix overview, one
/// account's numbers, imports of back-office export files, and the
/// significance calculator.
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
    case reports
    case report(PathParameter<String>)
    case reportRegenerate(PathParameter<String>)
    case reportSummary(PathParameter<String>)
    case reportExport(PathParameter<String>)
    case reportSchedules
    case reportSchedule(PathParameter<String>)
    case reportScheduleToggle(PathParameter<String>)
    case reportScheduleDelete(PathParameter<String>)

    /// The paths without parameters, which templates reach by case name (`{{paths.analytics.imports}}`).
    static let plain: [AnalyticsPath] = [.overview, .overviewExport, .imports, .significance, .reports, .reportSchedules]

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
        case .reports: "/analytics/reports"
        case .report(let id): "/analytics/reports/" + PathSegment.of(id, "id")
        case .reportRegenerate(let id): AnalyticsPath.report(id).path + "/regenerate"
        case .reportSummary(let id): AnalyticsPath.report(id).path + "/summary"
        case .reportExport(let id): AnalyticsPath.report(id).path + "/export"
        case .reportSchedules: "/analytics/report-schedules"
        case .reportSchedule(let id): "/analytics/report-schedules/" + PathSegment.of(id, "id")
        case .reportScheduleToggle(let id): AnalyticsPath.reportSchedule(id).path + "/toggle"
        case .reportScheduleDelete(let id): AnalyticsPath.reportSchedule(id).path + "/delete"
        }
    }
}
