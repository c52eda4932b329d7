/// The matrix overview: every account, by group, against the period before.
struct OverviewPage {
    struct Row {
        var name: String; var href: String; var platform: String
        var followers: AnalyticsController.Figure; var net: AnalyticsController.Figure; var posts: AnalyticsController.Figure
        var consumption: AnalyticsController.Figure; var consumptionLabel: String; var engagement: AnalyticsController.Figure
    }
    struct Total {
        var followers: AnalyticsController.Figure; var net: AnalyticsController.Figure; var posts: AnalyticsController.Figure
        var consumption: AnalyticsController.Figure; var engagement: AnalyticsController.Figure
    }
    struct Section { var title: String; var rows: [Row]; var total: Total }
    struct Sorts { var name: SortLink; var followers: SortLink; var net: SortLink; var posts: SortLink; var consumption: SortLink; var engagement: SortLink }

    var picker: PeriodPicker
    var sections: [Section]
    var accountCount: String
    var groups: [SelectOption]
    var platforms: [SelectOption]
    var sort: Sorts
    var csvHref: String
    var xlsxHref: String
    var definitions: [Definition]
}
