/// Every page template, by room (Resources/templates/<room>/<name>.mustache).
/// Pages render through these cases, never a string, and `ViewRenderer.bundled`
/// refuses to start when one has no file: a missing template stops the start
/// instead of rendering an empty 200.
enum PageTemplate: String, CaseIterable, Sendable {
    // Shared
    case error = "shared/error"
    // Team
    case login = "team/login"
    case setup = "team/setup"
    case home = "team/home"
    case search = "team/search"
    case members = "team/members"
    case memberNew = "team/member_new"
    case memberDetail = "team/member_detail"
    case roles = "team/roles"
    case roleForm = "team/role_form"
    case accounts = "team/accounts"
    case accountForm = "team/account_form"
    case groups = "team/groups"
    case settings = "team/settings"
    case me = "team/me"
    case audit = "team/audit"
    // Content
    case contentEditor = "content/editor"
    case contentList = "content/list"
    case contentNew = "content/new"
    case reviewQueue = "content/review"
    case contentVersions = "content/versions"
    case calendar = "content/calendar"
    case compliance = "content/compliance"
    case library = "content/library"
    case topics = "content/topics"
    case topicDetail = "content/topic_detail"
    case assets = "content/assets"
    case assetDetail = "content/asset_detail"
    case assetUpload = "content/asset_upload"
    case notifications = "content/notifications"
    // Publishing
    case publishingQueue = "publishing/queue"
    case accountHealth = "publishing/health"
    case publishTarget = "publishing/target"
    case channels = "publishing/channels"
    case channelEdit = "publishing/channel_edit"
    // Analytics
    case analyticsOverview = "analytics/overview"
    case analyticsAccount = "analytics/account"
    case analyticsPost = "analytics/post"
    case analyticsImports = "analytics/imports"
    case analyticsImport = "analytics/import"
    case analyticsAlerts = "analytics/alerts"
    case analyticsAlert = "analytics/alert"
    case analyticsAlertRules = "analytics/alert_rules"
    case analyticsAlertRule = "analytics/alert_rule"
    case analyticsFunnels = "analytics/funnels"
    case analyticsFunnel = "analytics/funnel"
    case analyticsFunnelForm = "analytics/funnel_form"
    case analyticsSignificance = "analytics/significance"
    case analyticsInsights = "analytics/insights"
    case analyticsBestTime = "analytics/best_time"
    case analyticsReports = "analytics/reports"
    case analyticsReport = "analytics/report"
    case analyticsReportSchedules = "analytics/report_schedules"
    case analyticsReportSchedule = "analytics/report_schedule"
    case analyticsCompetitors = "analytics/competitors"
    case analyticsCompetitor = "analytics/competitor"
    case analyticsCompetitorForm = "analytics/competitor_form"
    // KPIs, scorecards, reviews
    case kpis = "kpis/kpis"
    case kpiForm = "kpis/kpi_form"
    case kpiDetail = "kpis/kpi"
    case scorecards = "kpis/scorecards"
    case scorecard = "kpis/scorecard"
    case scorecardEvidence = "kpis/evidence"
    case reviews = "kpis/reviews"
    case review = "kpis/review"
}

/// The partials pages include (`{{>room/name}}`), and the frame they inherit
/// with `{{<layout}}…{{/layout}}` — the one template at the folder's root,
/// because Mustache's closing tag cannot name a path: checked at start like the pages.
enum PartialTemplate: String, CaseIterable, Sendable {
    case layout = "layout"
    case pagination = "shared/pagination"
    case history = "shared/history"
    case contentMasterFields = "content/master_fields"
    case contentTable = "content/table"
    case finding = "content/finding"
    case publishingRetry = "publishing/retry"
    case publishingSection = "publishing/section"
    case analyticsPeriodPicker = "analytics/period_picker"
    case analyticsReportScheduleFields = "analytics/report_schedule_fields"
    case kpiPeriodPicker = "kpis/period_picker"
}
