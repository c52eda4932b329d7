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
    case insights
    case bestTime
    case bestTimeAdopt

    /// The paths without parameters, which templates reach by case name (`{{paths.analytics.imports}}`).
    static let plain: [AnalyticsPath] = [.overview, .overviewExport, .imports, .significance, .insights, .bestTime, .bestTimeAdopt]

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
        case .insights: "/analytics/insights"
        case .bestTime: "/analytics/best-time"
        case .bestTimeAdopt: "/analytics/best-time/adopt"
        }
    }
}
