/// The report history with the form that issues one.
struct ReportsPage {
    struct Row { var href: String; var title: String; var kind: String; var scope: String; var period: String; var by: String; var when: String }

    var rows: [Row]
    var pagination: Pagination
    var kinds: [SelectOption]
    var filterKinds: [SelectOption]
    var scopes: [SelectOption]
    var canManage: Bool
    var schedulesHref: String
    var date: String
    var month: String
    var errors: [String: String]
    var summary: String?
    var zoneNote: String
    var filtered: Bool
}

/// One issued report, as it prints on A4.
struct ReportPage {
    struct Kpi { var label: String; var help: String?; var figure: AnalyticsController.Figure; var previous: String }
    struct PostRow { var title: String; var href: String; var account: String; var published: String; var consumption24h: String; var rate24h: String
                     var consumption7d: String; var rate7d: String }
    struct AlertRow { var when: String; var account: String; var sentence: String }

    var title: String
    var kind: String
    var scope: String
    var period: String
    var previousPeriod: String
    var accounts: String
    var issued: String
    var regenerated: String?
    var edited: String?
    var kpis: [Kpi]
    var hasKpis: Bool
    var charts: [ChartBlock]
    var hasCharts: Bool
    var hasChartData: Bool
    var posts: Bool
    var topPosts: [PostRow]
    var hasTopPosts: Bool
    var bottomPosts: [PostRow]
    var hasBottomPosts: Bool
    var postsNote: String
    var alertsSection: Bool
    var alerts: [AlertRow]
    var hasAlerts: Bool
    var alertsMore: String?
    var summarySection: Bool
    var summary: String?
    var recommendations: String?
    var canManage: Bool
    var summaryAction: String
    var regenerateAction: String
    var csvHref: String
    var xlsxHref: String
    var historyHref: String
    var values: TextValues
    var errors: [String: String]
    var errorSummary: String?
    var maxLength: String
    var consumptionLabel: String

    struct TextValues { var summary: String; var recommendations: String }
}

/// The schedules with the form that adds one.
struct ReportSchedulesPage {
    struct Row { var kind: String; var scope: String; var when: String; var next: String; var state: String; var enabled: Bool; var editHref: String
                 var toggleAction: String; var toggleLabel: String; var deleteAction: String; var deleteConfirm: String }

    var rows: [Row]
    var form: ScheduleForm
    var canManage: Bool
    var reportsHref: String
    var zoneNote: String
}

/// The fields of a schedule's form (new or edit), with what was typed and every error.
struct ScheduleForm {
    var action: String
    var submit: String
    var kinds: [SelectOption]
    var scopes: [SelectOption]
    var weekdays: [SelectOption]
    var dayOfMonth: String
    var time: String
    var enabled: Bool
    var errors: [String: String]
    var summary: String?
}

/// One schedule's edit page.
struct ReportSchedulePage {
    var form: ScheduleForm
    var schedulesHref: String
    var zoneNote: String
}
