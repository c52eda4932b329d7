import MediaOpsDomain

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
    var funnelsSection: Bool
    var funnels: [FunnelBlock]
    var hasFunnels: Bool
    var competitorsSection: Bool
    var competitors: [CompetitorRow]
    var hasCompetitors: Bool
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

    struct FunnelStep { var name: String; var count: String; var previous: String; var conversion: String; var previousConversion: String }
    struct FunnelBlock { var name: String; var href: String; var steps: [FunnelStep]; var overall: String; var previousOverall: String }
    struct CompetitorRow { var name: String; var platform: String; var followers: String; var growth: String; var engagement: String
                           var ownFollowers: String; var ownGrowth: String; var ownEngagement: String }

    static func funnelBlocks(_ funnels: [ReportFunnel], t: Localizer) -> [FunnelBlock] {
        func count(_ value: Double?) -> String { value.map { t.grouped(Int($0.rounded())) } ?? "—" }
        func percent(_ value: Double?) -> String { value.map { FixedDecimal.text($0 * 100, digits: 1) + "%" } ?? "—" }
        return funnels.map { funnel in
            let conversions = funnel.conversions, earlier = funnel.previousConversions
            let steps = funnel.stages.enumerated().map { index, name in
                FunnelStep(name: name, count: count(index < funnel.counts.count ? funnel.counts[index] : nil),
                           previous: count(index < funnel.previousCounts.count ? funnel.previousCounts[index] : nil),
                           conversion: index < conversions.count ? percent(conversions[index]) : "",
                           previousConversion: index < earlier.count ? percent(earlier[index]) : "")
            }
            return FunnelBlock(name: funnel.name, href: AnalyticsPath.funnel(.value(funnel.id)).path, steps: steps, overall: percent(funnel.overall),
                               previousOverall: percent(funnel.previousOverall))
        }
    }

    static func competitorRows(_ competitors: [ReportCompetitor], t: Localizer) -> [CompetitorRow] {
        func count(_ value: Double?) -> String { value.map { t.grouped(Int($0.rounded())) } ?? "—" }
        func signed(_ value: Double?) -> String { value.map { ($0 > 0 ? "+" : "") + t.grouped(Int($0.rounded())) } ?? "—" }
        func decimal(_ value: Double?) -> String { value.map { FixedDecimal.text($0, digits: 1) } ?? "—" }
        return competitors.map {
            CompetitorRow(name: $0.name, platform: t.platformShortName($0.platform), followers: count($0.followers), growth: signed($0.growth),
                          engagement: decimal($0.engagementPerPost), ownFollowers: count($0.ownFollowers), ownGrowth: signed($0.ownGrowth),
                          ownEngagement: decimal($0.ownEngagementPerPost))
        }
    }
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
