/// One account's numbers: headline figures against the period before, daily
/// curves, and its posts with their 24-hour and 7-day figures.
struct AccountAnalyticsPage {
    struct PostRow {
        var title: String; var url: String?; var href: String; var published: String; var origin: String
        var consumption24h: String; var engagement24h: String; var consumption7d: String; var engagement7d: String; var latest: String; var snapshots: String
    }

    var name: String
    var platform: String
    var picker: PeriodPicker
    var followers: AnalyticsController.Figure
    var net: AnalyticsController.Figure
    var consumption: AnalyticsController.Figure
    var consumptionLabel: String
    var engagement: AnalyticsController.Figure
    var posts: AnalyticsController.Figure
    /// Shown where the account has readers (公众号).
    var readRate: AnalyticsController.Figure?
    var hasData: Bool
    var charts: [ChartBlock]
    var postRows: [PostRow]
    var pagination: Pagination
    var consumptionTitle: String
    var csvHref: String
    var xlsxHref: String
    var importHref: String
    var definitions: [Definition]
    var pulls: Pulls
    var canImport: Bool
    var backfillErrors: [String: String]
    var backfillSummary: String?
    /// The alert a notification led here for, when it is about this account.
    var focusedAlert: AlertsPage.Row?
    /// The account's open and acknowledged alerts, newest first (a few).
    var activeAlerts: [AlertsPage.Row]
    var alertsHref: String
    /// The account's best time to post (heatmap and suggestion).
    var bestTimeHref = ""

    /// Where the account's numbers come from: the pull status, or a word that this platform is fed by files.
    struct Pulls {
        var byAPI: Bool
        var lastSuccess: String
        var lastAttempt: String?
        var lastError: String?
        /// The platform's own words, on hover: they are the platform's, not ours to translate.
        var lastErrorDetail: String?
        var lastErrorAt: String?
        var failing: Bool
        var metricFailures: [String]
        var backfillAction: String
    }
}
