import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Tested insights: two groups of posts (by category, tag, format, platform,
/// hour, weekday, length, cover, or hand-picked) compared on a metric with
/// the significance engine, Holm-corrected when many are compared at once.
/// The page is a GET form, so an insight is a link that can be shared; the
/// API is `POST /api/v1/analytics/insights`. A computation with no writes:
/// `analytics.view`.
struct InsightsController {
    let dependencies: AnalyticsDependencies
    let pages: PageSupport

    var analytics: AnalyticsService { dependencies.analytics }

    func register(_ routes: Routes) {
        routes.post("/api/v1/analytics/insights", .permission(.analyticsView)) { request, context, _ in
            let input = try await JSONInput.read(request, context: context)
            let (today, zone) = try await analytics.today()
            let question = try InsightQuestion.read(json: input, today: today, catalogs: pages.renderer.catalogs)
            let field = input.has("account_id") ? "account_id" : "group_id"
            let report = try await run(question, scopeField: field, zone: zone, t: pages.localizer(context))
            return try JSONOutput.response(InsightDTO(report))
        }
        routes.get(AnalyticsPath.insights, .permission(.analyticsView)) { request, context, _ in
            try await page(request, context: context)
        }
    }

    /// The accounts of a scope (webhooks have no audience, so no posts to compare) and its name.
    func accounts(_ scope: InsightQuestion.Scope, field: String, t: Localizer) async throws -> (accounts: [String: Platform], name: String) {
        let unknown = ValidationError(field: field, code: InsightQuestion.Problem.unknownScope.rawValue)
        switch scope {
        case .workspace:
            let all = try await dependencies.team.allAccounts().filter { $0.platform != .webhook }
            return (Dictionary(all.map { ($0.id, $0.platform) }, uniquingKeysWith: { a, _ in a }), t.t("analytics.insights.scope_workspace"))
        case .group(let id):
            guard let group = try await dependencies.team.groups().first(where: { $0.id == id }) else { throw unknown }
            let all = try await dependencies.team.allAccounts(filter: AccountFilter(groupID: id)).filter { $0.platform != .webhook }
            return (Dictionary(all.map { ($0.id, $0.platform) }, uniquingKeysWith: { a, _ in a }), group.name)
        case .account(let id):
            guard id.unicodeScalars.count <= 64, let account = try await dependencies.team.account(id: id), account.platform != .webhook else { throw unknown }
            return ([account.id: account.platform], account.name)
        }
    }

    func run(_ question: InsightQuestion, scopeField: String, zone: TimeZone, t: Localizer) async throws -> InsightReport {
        let (accounts, name) = try await accounts(question.scope, field: scopeField, t: t)
        let (start, stop) = Self.instants(question.period, zone: zone)
        let (posts, truncated) = try await analytics.insightPosts(accounts: accounts, start: start, stop: stop)
        return InsightReport(question, scopeName: name, posts: posts, truncated: truncated, zone: zone, t: t)
    }

    static func instants(_ period: ReportingPeriod, zone: TimeZone) -> (Date, Date) {
        func start(_ day: LocalDate) -> Date {
            LocalDateTime(year: day.year, month: day.month, day: day.day, hour: 0, minute: 0).instant(in: zone) ?? Date(timeIntervalSince1970: 0)
        }
        return (start(period.from), start(period.to.adding(days: 1)))
    }

    // MARK: The page

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let t = pages.localizer(context)
        let query = request.formQuery
        let values = InsightsPage.Values(query)
        let (today, zone) = try await analytics.today()
        // Only a submitted question is answered; the bare page is the form.
        guard query["dimension"] != nil else { return try await render(request, context: context, values: values, today: today) }
        do {
            let question = try InsightQuestion.read(query: query, today: today, catalogs: pages.renderer.catalogs)
            let report = try await run(question, scopeField: "scope", zone: zone, t: t)
            return try await render(request, context: context, values: values, today: today, report: report)
        } catch {
            let refusal = try pages.refusal(error, context)
            return try await render(request, context: context, values: values, today: today, errors: refusal.errors, status: refusal.status)
        }
    }

    func render(_ request: Request, context: AppRequestContext, values: InsightsPage.Values, today: LocalDate, report: InsightReport? = nil,
                errors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let groups = try await dependencies.team.groups()
        let accounts = try await dependencies.team.allAccounts().filter { $0.platform != .webhook }
        let scopes = [SelectGroup(label: t.t("analytics.insights.scope_workspace"),
                                  options: [SelectOption(value: "", label: t.t("analytics.insights.scope_workspace"), selected: values.scope.isEmpty)]),
                      SelectGroup(label: t.t("analytics.insights.scope_groups"),
                                  options: groups.map { SelectOption(value: "group:\($0.id)", label: $0.name, selected: values.scope == "group:\($0.id)") }),
                      SelectGroup(label: t.t("analytics.insights.scope_accounts"),
                                  options: accounts.map { SelectOption(value: "account:\($0.id)", label: "\(t.platformShortName($0.platform)) · \($0.name)",
                                                                       selected: values.scope == "account:\($0.id)") })].filter { !$0.options.isEmpty }
        let periods = ["7d", "30d", "90d", "custom"].map { SelectOption(value: $0, label: t.t("analytics.period.\($0)"), selected: values.period == $0) }
        let dimensions = InsightDimension.allCases.map {
            SelectOption(value: $0.rawValue, label: t.t("analytics.insights.dimension.\($0.rawValue)"), selected: values.dimension == $0.rawValue)
        }
        let metrics = InsightMetric.allCases.map { SelectOption(value: $0.rawValue, label: t.t("analytics.insights.metric.\($0.rawValue)"), selected: values.metric == $0.rawValue) }
        let tests = [SignificanceTest.welch, .mannWhitney].map {
            SelectOption(value: $0.rawValue, label: t.t("analytics.significance.test.\($0.rawValue)"), selected: values.test == $0.rawValue)
        }
        let lists = InsightDimension.allCases.compactMap { dimension -> InsightsPage.Datalist? in
            guard let levels = dimension.fixedLevels else { return nil }
            return InsightsPage.Datalist(id: "levels-\(dimension.rawValue)", options: levels.map { InsightReport.name($0, dimension: dimension, t: t) })
        }
        let dimension = InsightDimension(rawValue: values.dimension) ?? .category
        let period = values.period
        let examples: [InsightsPage.Link] = [
            .init(label: t.t("analytics.insights.example.emotional_vs_industry"),
                  href: AnalyticsPath.insights.query(["dimension": "category", "comparison": "pair", "group_a": "emotional", "group_b": "industry", "period": period])),
            .init(label: t.t("analytics.insights.example.each_category"), href: AnalyticsPath.insights.query(["dimension": "category", "comparison": "each", "period": period])),
            .init(label: t.t("analytics.insights.example.each_weekday"), href: AnalyticsPath.insights.query(["dimension": "weekday", "comparison": "each", "period": period])),
            .init(label: t.t("analytics.insights.example.each_hour"), href: AnalyticsPath.insights.query(["dimension": "hour", "comparison": "each", "period": period])),
            .init(label: t.t("analytics.insights.example.cover"),
                  href: AnalyticsPath.insights.query(["dimension": "cover", "comparison": "pair", "group_a": "with", "group_b": "without", "period": period])),
        ]
        // The level boxes show what was typed; a code from a shared link reads as its label.
        var shown = values
        if let levels = dimension.fixedLevels {
            if levels.contains(shown.a) { shown.a = InsightReport.name(shown.a, dimension: dimension, t: t) }
            if levels.contains(shown.b) { shown.b = InsightReport.name(shown.b, dimension: dimension, t: t) }
        }
        let model = InsightsPage(values: shown, scopes: scopes, periods: periods, dimensions: dimensions, metrics: metrics, tests: tests,
                                 modeEach: values.mode == "each", lists: lists, levelList: dimension.fixedLevels == nil ? "" : "levels-\(dimension.rawValue)",
                                 examples: examples, errors: errors.messages, summary: errors.summary, result: report.map { Self.result($0, t: t) },
                                 zone: t.timeZone.identifier)
        return pages.render(.analyticsInsights, title: t.t("analytics.insights.title"), page: model, request: request, context: context, status: status)
    }

    /// ↑ / ↓ for a significant difference (the direction beside the word, never the colour alone), ? otherwise.
    static func mark(_ comparison: InsightComparisonResult) -> String {
        guard comparison.significant, let difference = comparison.result?.difference else { return "?" }
        return difference > 0 ? "↑" : "↓"
    }

    static func result(_ report: InsightReport, t: Localizer) -> InsightsPage.Result {
        let question = report.question
        let format = { (value: Double?) -> String in
            guard let value else { return "—" }
            return question.metric.isRate ? SignificanceReport.percent(value) : SignificanceReport.number(value, t)
        }
        let rows = report.rows.map { row -> InsightsPage.Row in
            let c = row.comparison
            let difference: String
            let interval: String
            if let r = c.result, let report = row.report {
                difference = SignificanceController.signed(report.difference(r.difference, t), r.difference)
                if let low = r.ciLow, let high = r.ciHigh {
                    interval = t.t("analytics.significance.range", ["low": report.difference(low, t), "high": report.difference(high, t)])
                } else {
                    interval = t.t("analytics.significance.no_interval")
                }
            } else {
                difference = "—"
                interval = "—"
            }
            return InsightsPage.Row(
                aName: row.aName, bName: row.bName, nA: t.grouped(c.nA), nB: t.grouped(c.nB), meanA: format(c.meanA), meanB: format(c.meanB),
                medianA: format(c.medianA), medianB: format(c.medianB), difference: difference, interval: interval,
                p: c.result.map { SignificanceReport.pValue($0.pValue) } ?? "—",
                adjustedP: c.adjustedP.map(SignificanceReport.pValue) ?? "—",
                significant: c.significant, mark: Self.mark(c),
                status: t.t(c.significant ? "analytics.significance.status_significant" : "analytics.significance.status_insufficient"),
                verdict: row.verdict, advice: row.advice)
        }
        let test = t.t("analytics.significance.test.\(question.test.rawValue)")
        let scope = t.t("analytics.insights.summary", [
            "scope": report.scopeName, "from": t.day(question.period.from), "to": t.day(question.period.to),
            "metric": t.t("analytics.insights.metric.\(question.metric.rawValue)"), "test": test,
            "posts": t.grouped(report.postsRead), "valued": t.grouped(report.postsWithMetric)])
        var notes: [String] = []
        if report.corrected { notes.append(t.t("analytics.insights.holm_note", ["count": String(report.rows.filter { $0.report != nil }.count)])) }
        if report.postsWithoutTrait > 0 {
            notes.append(t.t("analytics.insights.without_trait", ["count": t.grouped(report.postsWithoutTrait),
                                                                  "dimension": t.t("analytics.insights.dimension.\(question.dimension.rawValue)")]))
        }
        if report.truncated { notes.append(t.t("analytics.insights.truncated", ["max": t.grouped(Insights.maximumPosts)])) }
        return InsightsPage.Result(summary: scope, notes: notes, rows: rows, corrected: report.corrected, hasRows: !rows.isEmpty,
                                   empty: rows.isEmpty ? t.t(report.postsWithMetric == 0 ? "analytics.insights.empty_no_posts" : "analytics.insights.empty_no_groups",
                                                             ["min": String(Insights.minimumPerGroup)]) : nil)
    }
}
