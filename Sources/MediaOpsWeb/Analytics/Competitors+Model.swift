import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// How the competitor pages write numbers: counts as 5.2万 / 52K with the exact
/// value on hover, averages whole from 100 and with one decimal below, gaps as words and signs.
enum CompetitorFormat {
    static func count(_ value: Double?, _ t: Localizer) -> String {
        guard let value else { return "—" }
        return t.count(Int(value.rounded()))
    }

    static func average(_ value: Double?, _ t: Localizer) -> String {
        guard let value else { return "—" }
        if value >= 10_000 { return t.count(Int(value.rounded())) }
        if value >= 100 { return t.grouped(Int(value.rounded())) }
        var text = FixedDecimal.text(value, digits: 1)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    static func exact(_ value: Double?, _ t: Localizer) -> String {
        guard let value else { return "" }
        if value.rounded() == value { return t.grouped(Int(value)) }
        return FixedDecimal.text(value, digits: 2)
    }

    static func signed(_ value: Double?, _ t: Localizer) -> String {
        guard let value else { return "—" }
        let text = t.count(Int(abs(value).rounded()))
        return value > 0 ? "+" + text : value < 0 ? "−" + text : "0"
    }

    static func rate(_ value: Double?) -> String? {
        guard let value else { return nil }
        return (value >= 0 ? "+" : "−") + FixedDecimal.text(abs(value) * 100, digits: 1) + "%"
    }

    /// "领先 1.2万" / "落后 340" / "持平": own − competitor.
    static func gap(_ value: Double?, _ t: Localizer, averages: Bool = false) -> String {
        guard let value else { return "—" }
        let size = averages ? average(abs(value), t) : t.count(Int(abs(value).rounded()))
        if abs(value) < 0.05 { return t.t("competitors.gap_even") }
        return t.t(value > 0 ? "competitors.gap_ahead" : "competitors.gap_behind", ["value": size])
    }
}

struct CompetitorsPage {
    enum Sort: String, CaseIterable { case name, followers, growth, engagement, reads }

    struct Row {
        var name: String
        var href: String
        var isOwn: Bool
        var kind: String
        var platform: String
        var group: String
        var followers: String
        var followersExact: String
        var growth: String
        var growthRate: String?
        var posts: String
        var likes: String
        var comments: String
        var reads: String
        var engagement: String
        var followersGap: String
        var engagementGap: String
    }

    struct RowError { var row: String; var column: String; var message: String }
    struct Chart { var title: String; var svg: String; var legend: [SVGSeriesChart.LegendItem] }

    var hasCompetitors: Bool
    var canManage: Bool
    var newHref: String
    var picker: PeriodPicker
    var platforms: [SelectOption]
    var charts: [Chart]
    var hasChartData: Bool
    var rows: [Row]
    var sortLinks: [String: SortLink]
    var pagination: Pagination
    var importAction: String
    var sampleCSV: String
    var sampleXLSX: String
    var rowErrors: [RowError]
    var rowErrorSummary: String?
    var importErrors: [String: String]
    var importSummary: String?
    var ownMissing: Bool
    var definitions: [Definition]

    static func make(benchmark: CompetitorBenchmark, allCompetitors: [Competitor], period: ReportingPeriod, platform: Platform?, sort: Sort,
                     descending: Bool, picker: PeriodPicker, pageRequest: PageRequest, request: Request, canManage: Bool,
                     rowErrors: [CompetitorRowError], importErrors: FormErrors, t: Localizer) -> CompetitorsPage {
        let periodQuery = AnalyticsController.periodQuery(period)
        let query = AnalyticsController.encode(periodQuery)
        let competitorPlatforms = Competitor.platforms.filter { p in allCompetitors.contains { $0.platform == p } }
        let platforms = [SelectOption(value: "", label: t.t("competitors.all_platforms"), selected: platform == nil)]
            + competitorPlatforms.map { SelectOption(value: $0.rawValue, label: t.platformName($0), selected: platform == $0) }
        let gaps = Dictionary(benchmark.gaps.map { ($0.competitorID, $0) }, uniquingKeysWith: { first, _ in first })
        func key(_ entry: CompetitorBenchmark.Entry) -> Double? {
            switch sort {
            case .name: nil
            case .followers: entry.figures.followersEnd
            case .growth: entry.figures.growth
            case .engagement: entry.figures.engagementPerPost
            case .reads: entry.figures.avgReads
            }
        }
        var entries = benchmark.entries
        entries.sort { a, b in
            if a.side != b.side { return a.side == .own }
            if sort == .name { return descending ? a.name > b.name : a.name < b.name }
            // Absent sorts last either way.
            switch (key(a), key(b)) {
            case let (x?, y?): return x == y ? a.name < b.name : (descending ? x > y : x < y)
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.name < b.name
            }
        }
        let total = entries.count
        let slice = Array(entries.dropFirst(pageRequest.offset).prefix(pageRequest.perPage))
        let rows = slice.map { entry in
            let figures = entry.figures
            let gap = gaps[entry.id]
            return Row(
                name: entry.name,
                href: entry.side == .own ? AnalyticsPath.account(.value(entry.id)).path + "?" + query : AnalyticsPath.competitor(.value(entry.id)).path + "?" + query,
                isOwn: entry.side == .own, kind: t.t(entry.side == .own ? "competitors.side_own" : "competitors.side_competitor"),
                platform: t.platformShortName(entry.platform), group: entry.group,
                followers: CompetitorFormat.count(figures.followersEnd, t), followersExact: CompetitorFormat.exact(figures.followersEnd, t),
                growth: CompetitorFormat.signed(figures.growth, t), growthRate: CompetitorFormat.rate(figures.growthRate),
                posts: CompetitorFormat.count(figures.posts, t), likes: CompetitorFormat.average(figures.avgLikes, t),
                comments: CompetitorFormat.average(figures.avgComments, t), reads: CompetitorFormat.average(figures.avgReads, t),
                engagement: CompetitorFormat.average(figures.engagementPerPost, t),
                followersGap: entry.side == .own ? "" : CompetitorFormat.gap(gap?.followers, t),
                engagementGap: entry.side == .own ? "" : CompetitorFormat.gap(gap?.engagementPerPost, t, averages: true))
        }
        var sortLinks: [String: SortLink] = [:]
        for each in Sort.allCases {
            let current = each == sort
            let nextDescending = current ? !descending : each != .name
            var pairs = periodQuery
            if let platform { pairs.append(("platform", platform.rawValue)) }
            pairs += [("sort", each.rawValue), ("dir", nextDescending ? "desc" : "asc")]
            sortLinks[each.rawValue] = SortLink(href: AnalyticsPath.competitors.path + "?" + AnalyticsController.encode(pairs),
                                                ariaSort: current ? (descending ? "descending" : "ascending") : "none",
                                                indicator: current ? (descending ? "↓" : "↑") : "")
        }
        let charts = CompetitorCharts.make(benchmark, period: period, t: t)
        var summary: String?
        if !rowErrors.isEmpty {
            summary = t.t("competitors.import_refused", ["count": String(rowErrors.count)])
        }
        return CompetitorsPage(
            hasCompetitors: !allCompetitors.isEmpty, canManage: canManage,
            newHref: AnalyticsPath.competitorNew.query(["platform": platform?.rawValue ?? ""]), picker: picker, platforms: platforms,
            charts: charts, hasChartData: charts.contains { !$0.legend.isEmpty && $0.svg.contains("<polyline") || $0.svg.contains("<circle") },
            rows: rows, sortLinks: sortLinks,
            pagination: Pagination(request, page: Page(items: slice.map(\.id), total: total, page: pageRequest.page, perPage: pageRequest.perPage), localizer: t),
            importAction: AnalyticsPath.competitorImport.path, sampleCSV: AnalyticsPath.competitorSample(.value("csv")).path,
            sampleXLSX: AnalyticsPath.competitorSample(.value("xlsx")).path,
            rowErrors: rowErrors.prefix(CompetitorsController.rowErrorsShown).map { error in
                RowError(row: String(error.row), column: error.column ?? "—",
                         message: t.error(error.problem.rawValue, params: ["row": String(error.row), "column": error.column ?? "—", "value": error.value]))
            },
            rowErrorSummary: summary, importErrors: importErrors.messages, importSummary: importErrors.summary,
            ownMissing: !allCompetitors.isEmpty && benchmark.own.isEmpty,
            definitions: CompetitorCharts.definitions(t))
    }
}

/// The benchmark's two charts: followers, and likes + comments per post, one line per account.
enum CompetitorCharts {
    static func make(_ benchmark: CompetitorBenchmark, period: ReportingPeriod, t: Localizer) -> [CompetitorsPage.Chart] {
        var days: [LocalDate] = []
        var day = period.from
        while day <= period.to, days.count < ReportingPeriod.maxDays {
            days.append(day)
            day = day.adding(days: 1)
        }
        let labels = days.map { "\($0.month)/\($0.day)" }
        // Own accounts first, then the competitors with the most followers.
        let entries = benchmark.own + benchmark.competitors.sorted { ($0.figures.followersEnd ?? -1) > ($1.figures.followersEnd ?? -1) }
        func chart(_ title: String, unit: String, _ pick: (CompetitorBenchmark.Entry) -> [LocalDate: Double], format: @escaping (Double) -> String) -> CompetitorsPage.Chart {
            let series = entries.filter { !pick($0).isEmpty }.map { entry in
                SVGSeriesChart.Series(name: entry.name, dashed: entry.side == .competitor, values: days.map { pick(entry)[$0] })
            }
            let svgChart = SVGSeriesChart(title: title, unit: unit, labels: labels, series: series, format: format)
            return CompetitorsPage.Chart(title: title, svg: svgChart.render(),
                                         legend: svgChart.legend(own: t.t("competitors.side_own"), competitor: t.t("competitors.side_competitor")))
        }
        return [
            chart(t.t("competitors.chart_followers"), unit: t.t("analytics.unit.people"), \.followersByDay, format: { t.count(Int($0.rounded())) }),
            chart(t.t("competitors.chart_engagement"), unit: t.t("competitors.unit_per_post"), \.engagementByDay, format: { CompetitorFormat.average($0, t) }),
        ]
    }

    static func definitions(_ t: Localizer) -> [Definition] {
        ["followers", "posts", "averages", "engagement", "gap", "own"].map {
            Definition(term: t.t("competitors.def_\($0)_term"), meaning: t.t("competitors.def_\($0)"))
        }
    }
}

struct CompetitorPage {
    struct DayRow {
        var day: String
        var dayValue: String
        var followers: String
        var posts: String
        var likes: String
        var comments: String
        var reads: String
        var source: String
        var enteredBy: String
        var updated: String
        var editHref: String
    }

    struct Figure { var label: String; var value: String; var exact: String; var gap: String }

    var name: String
    var platform: String
    var handle: String
    var group: String
    var url: String?
    var notes: String
    var canManage: Bool
    var editHref: String
    var deleteAction: String
    var backHref: String
    var picker: PeriodPicker
    var figures: [Figure]
    var growthRate: String?
    var charts: [CompetitorsPage.Chart]
    var hasPeriodData: Bool
    var ownMissing: Bool
    var dayAction: String
    var dayDeleteAction: String
    var dayValues: [String: String]
    var dayErrors: [String: String]
    var daySummary: String?
    var maxDay: String
    var dayRows: [DayRow]
    var pagination: Pagination
    var definitions: [Definition]

    static let metricFields: [(CompetitorMetric, String)] = [(.followers, "followers"), (.posts, "posts"), (.avgLikes, "avg_likes"),
                                                              (.avgComments, "avg_comments"), (.avgReads, "avg_reads")]

    static func dayValues(_ form: FormData) -> [String: String] {
        var values: [String: String] = ["day": form["day"] ?? ""]
        for (_, key) in metricFields { values[key] = form[key] ?? "" }
        return values
    }

    static func dayValues(of day: CompetitorDay) -> [String: String] {
        var values = ["day": day.day.description]
        for (metric, key) in metricFields { values[key] = day.values[metric].map(CompetitorService.textValue) ?? "" }
        return values
    }

    static func make(competitor: Competitor, benchmark: CompetitorBenchmark, days: Page<CompetitorDay>, names: [String: String], period: ReportingPeriod,
                     picker: PeriodPicker, request: Request, canManage: Bool, dayValues: [String: String], dayErrors: FormErrors, today: LocalDate,
                     t: Localizer) -> CompetitorPage {
        let entry = benchmark.competitors.first
        let figures = entry?.figures ?? CompetitorFigures()
        let gap = benchmark.gap(for: competitor.id)
        let own = benchmark.ownCombined(competitor.platform)
        /// A figure with its gap to own accounts of the platform (none for posts: more posts is not better or worse).
        func figure(_ key: String, _ value: Double?, gap: Double??, averages: Bool = false, signed: Bool = false) -> Figure {
            let shown = signed ? CompetitorFormat.signed(value, t) : averages ? CompetitorFormat.average(value, t) : CompetitorFormat.count(value, t)
            var line = ""
            if own != nil, let gap { line = t.t("competitors.gap_line", ["gap": CompetitorFormat.gap(gap, t, averages: averages)]) }
            return Figure(label: t.t("competitors.col_\(key)"), value: shown, exact: CompetitorFormat.exact(value, t), gap: line)
        }
        let shown = [
            figure("followers", figures.followersEnd, gap: .some(gap?.followers)),
            figure("growth", figures.growth, gap: .some(gap?.growth), signed: true),
            figure("posts", figures.posts, gap: nil),
            figure("likes", figures.avgLikes, gap: .some(gap?.avgLikes), averages: true),
            figure("comments", figures.avgComments, gap: .some(gap?.avgComments), averages: true),
            figure("reads", figures.avgReads, gap: .some(gap?.avgReads), averages: true),
        ]
        let query = AnalyticsController.encode(AnalyticsController.periodQuery(period))
        let rows = days.items.map { day in
            DayRow(day: t.day(day.day), dayValue: day.day.description,
                   followers: CompetitorFormat.count(day.values[.followers], t), posts: CompetitorFormat.count(day.values[.posts], t),
                   likes: CompetitorFormat.average(day.values[.avgLikes], t), comments: CompetitorFormat.average(day.values[.avgComments], t),
                   reads: CompetitorFormat.average(day.values[.avgReads], t),
                   source: t.t("competitors.source_\(day.source.rawValue)"),
                   enteredBy: day.enteredBy.flatMap { names[$0] } ?? "—", updated: t.dateTime(day.updatedAt),
                   editHref: AnalyticsPath.competitor(.value(competitor.id)).path + "?" + query + "&day=" + day.day.description + "#day-form")
        }
        var summary = dayErrors.summary
        if summary == nil, dayErrors.messages.count > 1 { summary = t.t("common.form_errors", ["count": String(dayErrors.messages.count)]) }
        let url = competitor.url.flatMap { WebAddress($0) != nil ? $0 : nil }
        return CompetitorPage(
            name: competitor.name, platform: t.platformName(competitor.platform), handle: competitor.handle, group: competitor.group, url: url,
            notes: competitor.notes, canManage: canManage, editHref: AnalyticsPath.competitorEdit(.value(competitor.id)).path,
            deleteAction: AnalyticsPath.competitorDelete(.value(competitor.id)).path, backHref: AnalyticsPath.competitors.path + "?" + query,
            picker: picker, figures: shown, growthRate: CompetitorFormat.rate(figures.growthRate),
            charts: CompetitorCharts.make(benchmark, period: period, t: t),
            hasPeriodData: !(entry?.followersByDay.isEmpty ?? true) || figures.avgLikes != nil || figures.posts != nil,
            ownMissing: benchmark.own.isEmpty,
            dayAction: AnalyticsPath.competitorDays(.value(competitor.id)).path, dayDeleteAction: AnalyticsPath.competitorDayDelete(.value(competitor.id)).path,
            dayValues: dayValues, dayErrors: dayErrors.messages, daySummary: summary, maxDay: today.description,
            dayRows: rows, pagination: Pagination(request, page: days, localizer: t), definitions: CompetitorCharts.definitions(t))
    }
}

struct CompetitorFormPage {
    var action: String
    var backHref: String
    var isNew: Bool
    var values: [String: String]
    var platforms: [SelectOption]
    var groupSuggestions: [String]
    var errors: [String: String]
    var summary: String?

    static func values(of competitor: Competitor?) -> [String: String] {
        guard let competitor else { return ["platform": Platform.weibo.rawValue] }
        return ["platform": competitor.platform.rawValue, "name": competitor.name, "handle": competitor.handle, "url": competitor.url ?? "",
                "group": competitor.group, "notes": competitor.notes]
    }

    static func values(_ form: FormData) -> [String: String] {
        var values: [String: String] = [:]
        for key in ["platform", "name", "handle", "url", "group", "notes"] { values[key] = form[key] ?? "" }
        return values
    }
}

extension CompetitorService {
    /// A stored number as a form shows it: whole numbers without decimals.
    static func textValue(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        var text = FixedDecimal.text(value, digits: 4)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

// MARK: API shapes

struct CompetitorDTO: Encodable {
    var id: String
    var platform: String
    var platform_name: String
    var name: String
    var handle: String
    @Nullable var url: String?
    var group: String
    var notes: String
    var created_at: Date
    var updated_at: Date

    init(_ competitor: Competitor, t: Localizer) {
        id = competitor.id
        platform = competitor.platform.rawValue
        platform_name = t.platformName(competitor.platform)
        name = competitor.name
        handle = competitor.handle
        url = competitor.url
        group = competitor.group
        notes = competitor.notes
        created_at = competitor.createdAt
        updated_at = competitor.updatedAt
    }
}

struct CompetitorDayDTO: Encodable {
    var competitor_id: String
    var day: String
    @Nullable var followers: Double?
    @Nullable var posts: Double?
    @Nullable var avg_likes: Double?
    @Nullable var avg_comments: Double?
    @Nullable var avg_reads: Double?
    var source: String
    @Nullable var entered_by: String?
    @Nullable var entered_by_name: String?
    var updated_at: Date

    init(_ day: CompetitorDay, names: [String: String]) {
        competitor_id = day.competitorID
        self.day = day.day.description
        followers = day.values[.followers]
        posts = day.values[.posts]
        avg_likes = day.values[.avgLikes]
        avg_comments = day.values[.avgComments]
        avg_reads = day.values[.avgReads]
        source = day.source.rawValue
        entered_by = day.enteredBy
        entered_by_name = day.enteredBy.flatMap { names[$0] }
        updated_at = day.updatedAt
    }
}

struct ImportSummaryDTO: Encodable {
    var rows: Int
    var competitors: Int
    @Nullable var from: String?
    @Nullable var to: String?

    init(_ summary: CompetitorImportSummary) {
        rows = summary.rows
        competitors = summary.competitors
        from = summary.from?.description
        to = summary.to?.description
    }
}

struct BenchmarkDTO: Encodable {
    struct Gap: Encodable {
        @Nullable var followers: Double?
        @Nullable var growth: Double?
        @Nullable var avg_likes: Double?
        @Nullable var avg_comments: Double?
        @Nullable var avg_reads: Double?
        @Nullable var engagement_per_post: Double?
    }

    struct Entry: Encodable {
        var side: String
        var id: String
        var name: String
        var handle: String
        var platform: String
        var group: String
        @Nullable var followers_start: Double?
        @Nullable var followers_end: Double?
        @Nullable var growth: Double?
        @Nullable var growth_rate: Double?
        @Nullable var posts: Double?
        @Nullable var avg_likes: Double?
        @Nullable var avg_comments: Double?
        @Nullable var avg_reads: Double?
        @Nullable var engagement_per_post: Double?
        @Nullable var gap: Gap?
    }

    var from: String
    var to: String
    @Nullable var platform: String?
    var entries: [Entry]

    init(_ benchmark: CompetitorBenchmark, t: Localizer) {
        from = benchmark.from.description
        to = benchmark.to.description
        platform = benchmark.platform?.rawValue
        let gaps = Dictionary(benchmark.gaps.map { ($0.competitorID, $0) }, uniquingKeysWith: { first, _ in first })
        entries = benchmark.entries.map { entry in
            let f = entry.figures
            let gap = entry.side == .competitor ? gaps[entry.id].map {
                Gap(followers: $0.followers, growth: $0.growth, avg_likes: $0.avgLikes, avg_comments: $0.avgComments, avg_reads: $0.avgReads,
                    engagement_per_post: $0.engagementPerPost)
            } : nil
            return Entry(side: entry.side.rawValue, id: entry.id, name: entry.name, handle: entry.handle, platform: entry.platform.rawValue,
                         group: entry.group, followers_start: f.followersStart, followers_end: f.followersEnd, growth: f.growth,
                         growth_rate: f.growthRate, posts: f.posts, avg_likes: f.avgLikes, avg_comments: f.avgComments, avg_reads: f.avgReads,
                         engagement_per_post: f.engagementPerPost, gap: gap)
        }
    }
}
