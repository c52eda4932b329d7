import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Best time to post, per account: a weekday × hour heatmap of its own posts'
/// 24-hour engagement rate (workspace zone, n in every cell), the suggested
/// hour where the data show one (`BestTimeSuggestion`), and adopting it as
/// the account's posting time (the time the calendar plans the account's
/// posts at). Reading needs `analytics.view`; adopting changes the account
/// and needs `analytics.manage`, audited through the team service like every
/// change to an account.
struct BestTimeController {
    let dependencies: AnalyticsDependencies
    let pages: PageSupport

    var analytics: AnalyticsService { dependencies.analytics }

    func register(_ routes: Routes) {
        routes.get("/api/v1/analytics/accounts/{id}/best-time", .permission(.analyticsView)) { request, context, _ in
            guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let account = try await dependencies.team.account(id: id),
                  account.platform != .webhook else { throw NotFoundError(entity: "account") }
            let (today, zone) = try await analytics.today()
            let period = try Self.period(request.query("period"), from: request.query("from"), to: request.query("to"), today: today)
            let posts = try await posts(account, period: period, zone: zone)
            return try JSONOutput.response(BestTimeDTO(account: account, period: period, zone: zone, heatmap: PostingHeatmap(posts, zone: zone),
                                                       suggestion: BestTimeSuggestion(posts, zone: zone)))
        }
        routes.get(AnalyticsPath.bestTime, .permission(.analyticsView)) { request, context, _ in
            try await page(request, context: context)
        }
        routes.post(AnalyticsPath.bestTimeAdopt, .permission(.analyticsManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            let t = pages.localizer(context)
            guard let id = form["account"], id.unicodeScalars.count <= 64, let account = try await dependencies.team.account(id: id),
                  account.platform != .webhook else {
                return pages.errorPage(status: .unprocessableContent, message: t.error(InsightQuestion.Problem.unknownScope.rawValue, field: "account"),
                                       request: request, context: context)
            }
            let back = AnalyticsPath.bestTime.query(["account": account.id, "period": form["period"] ?? "", "from": form["from"] ?? "", "to": form["to"] ?? ""])
            if form["action"] == "reset" {
                _ = try await dependencies.team.updateAccount(id: account.id, TeamService.AccountInput(bestTime: ""), by: identity.principal)
                return pages.redirect(back, flash: "flash.best_time_reset")
            }
            // The hour is computed again here, never taken from the form: only what the data show can be adopted.
            let (today, zone) = try await analytics.today()
            let period: ReportingPeriod
            do {
                period = try Self.period(form["period"], from: form["from"], to: form["to"], today: today)
            } catch let error as ValidationError {
                return pages.errorPage(status: .unprocessableContent, message: t.error(error.code, field: error.field, params: error.params), request: request, context: context)
            }
            let posts = try await posts(account, period: period, zone: zone)
            guard let hour = BestTimeSuggestion(posts, zone: zone).hour else {
                return pages.errorPage(status: .unprocessableContent, message: t.t("analytics.best_time.nothing_to_adopt"), request: request, context: context)
            }
            _ = try await dependencies.team.updateAccount(id: account.id, TeamService.AccountInput(bestTime: PostingTimes.format((hour, 0))), by: identity.principal)
            return pages.redirect(back, flash: "flash.best_time_adopted")
        }
    }

    static func period(_ kind: String?, from: String?, to: String?, today: LocalDate) throws -> ReportingPeriod {
        let kind = kind.flatMap { $0.isEmpty ? nil : $0 } ?? InsightQuestion.defaultPeriod
        if kind == ReportingPeriod.Kind.month.rawValue {
            throw ValidationError(field: "period", code: "invalid_choice", params: ["choices": "7d, 30d, 90d, custom"])
        }
        return try ReportingPeriod.parse(period: kind, month: nil, from: from.flatMap { $0.isEmpty ? nil : $0 }, to: to.flatMap { $0.isEmpty ? nil : $0 }, today: today)
    }

    /// Accounts listed on the overview (each is one read of its posts).
    static let overviewLimit = 200

    func posts(_ account: Account, period: ReportingPeriod, zone: TimeZone) async throws -> [InsightPost] {
        let (start, stop) = InsightsController.instants(period, zone: zone)
        return try await analytics.insightPosts(accounts: [account.id: account.platform], start: start, stop: stop).posts
    }

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let t = pages.localizer(context)
        let (today, zone) = try await analytics.today()
        let accounts = try await dependencies.team.allAccounts().filter { $0.platform != .webhook }
        let values = BestTimePage.Values(account: request.query("account") ?? "", period: request.query("period") ?? InsightQuestion.defaultPeriod,
                                         from: request.query("from") ?? "", to: request.query("to") ?? "")
        let period: ReportingPeriod
        do {
            period = try Self.period(request.query("period"), from: request.query("from"), to: request.query("to"), today: today)
        } catch let error as ValidationError {
            return pages.errorPage(status: .unprocessableContent, message: t.error(error.code, field: error.field, params: error.params), request: request, context: context)
        }
        var selected: Account?
        if !values.account.isEmpty {
            guard let found = accounts.first(where: { $0.id == values.account }) else {
                return pages.errorPage(status: .unprocessableContent, message: t.error(InsightQuestion.Problem.unknownScope.rawValue, field: "account"),
                                       request: request, context: context)
            }
            selected = found
        }
        let options = [SelectOption(value: "", label: t.t("analytics.best_time.all_accounts"), selected: selected == nil)]
            + accounts.map { SelectOption(value: $0.id, label: "\(t.platformShortName($0.platform)) · \($0.name)", selected: $0.id == values.account) }
        let periods = ["7d", "30d", "90d", "custom"].map { SelectOption(value: $0, label: t.t("analytics.period.\($0)"), selected: values.period == $0) }
        var model = BestTimePage(values: values, accounts: options, periods: periods, range: t.t("analytics.best_time.range", [
            "from": t.day(period.from), "to": t.day(period.to), "zone": t.timeZone.identifier]), account: nil)
        if let account = selected {
            let posts = try await posts(account, period: period, zone: zone)
            model.account = Self.section(account, posts: posts, period: period, zone: zone, t: t,
                                         canAdopt: context.identity?.permissions.contains(.analyticsManage) == true)
        } else {
            // Every account at a glance, one read each (the workspace's accounts are bounded by the account matrix).
            for account in accounts.prefix(Self.overviewLimit) {
                let posts = try await posts(account, period: period, zone: zone)
                let suggestion = BestTimeSuggestion(posts, zone: zone)
                let current = account.bestTime ?? PostingTimes.format(PostingTimes.defaultTime(for: account.platform))
                let status: String
                switch suggestion.outcome {
                case .suggested(let hour, _): status = t.t("analytics.best_time.suggested", ["time": PostingTimes.format((hour, 0))])
                case .tooFewPosts: status = t.t("analytics.best_time.overview_too_few", ["min": String(BestTimeSuggestion.minimumPosts)])
                case .tooFewHours: status = t.t("analytics.best_time.overview_one_hour")
                case .notSignificant: status = t.t("analytics.best_time.overview_no_difference")
                }
                model.overview.append(BestTimePage.OverviewRow(
                    name: account.name, platform: t.platformShortName(account.platform),
                    href: AnalyticsPath.bestTime.query(["account": account.id, "period": values.period, "from": values.from, "to": values.to]),
                    posts: t.grouped(posts.filter { InsightMetric.engagementRate24h.value($0) != nil }.count), suggested: suggestion.hour != nil,
                    mark: suggestion.hour != nil ? "✓" : "?", status: status, current: current))
            }
            model.hasOverview = !model.overview.isEmpty
        }
        return pages.render(.analyticsBestTime, title: t.t("analytics.best_time.title"), page: model, request: request, context: context)
    }

    static func section(_ account: Account, posts: [InsightPost], period: ReportingPeriod, zone: TimeZone, t: Localizer, canAdopt: Bool) -> BestTimePage.AccountSection {
        let heatmap = PostingHeatmap(posts, zone: zone)
        let suggestion = BestTimeSuggestion(posts, zone: zone)
        let weekdays = (1...7).map { t.t("analytics.insights.weekday.\($0)") }
        let rows = heatmap.rows.enumerated().map { day, cells in
            BestTimePage.HeatRow(day: weekdays[day], cells: cells.map { cell in
                let mean = cell.mean.map(SignificanceReport.percent)
                let level: Int
                if let value = cell.mean, let top = heatmap.highest, top > 0 { level = max(1, min(5, Int((value / top * 5).rounded(.up)))) } else { level = 0 }
                let label = t.t("analytics.best_time.cell", ["day": weekdays[day], "hour": String(format: "%02d:00", cell.hour), "n": String(cell.n),
                                                             "mean": mean ?? "—"])
                return BestTimePage.HeatCell(n: cell.n > 0 ? String(cell.n) : "", level: level, label: label)
            })
        }
        // Hour by hour, the comparisons the suggestion rests on.
        let hourRows = suggestion.comparisons.map { row -> BestTimePage.HourRow in
            let hour = Int(row.a) ?? 0
            return BestTimePage.HourRow(
                hour: String(format: "%02d:00", hour), n: t.grouped(row.nA), mean: row.meanA.map(SignificanceReport.percent) ?? "—",
                rest: row.meanB.map(SignificanceReport.percent) ?? "—", p: row.result.map { SignificanceReport.pValue($0.pValue) } ?? "—",
                adjustedP: row.adjustedP.map(SignificanceReport.pValue) ?? "—", mark: InsightsController.mark(row),
                status: t.t(row.significant ? "analytics.significance.status_significant" : "analytics.significance.status_insufficient"))
        }
        let current = account.bestTime ?? PostingTimes.format(PostingTimes.defaultTime(for: account.platform))
        let currentText = account.bestTime != nil
            ? t.t("analytics.best_time.current_own", ["time": current])
            : t.t("analytics.best_time.current_default", ["time": current, "platform": t.platformShortName(account.platform)])
        var summary = BestTimePage.Suggestion(significant: false, mark: "?", status: t.t("analytics.significance.status_insufficient"), headline: "", evidence: nil, advice: nil)
        var adoptTime: String?
        switch suggestion.outcome {
        case .suggested(let hour, let evidence):
            let time = PostingTimes.format((hour, 0))
            summary.significant = true
            summary.mark = "✓"
            summary.status = t.t("analytics.significance.status_significant")
            summary.headline = t.t("analytics.best_time.suggested", ["time": time])
            summary.evidence = evidenceSentence(evidence, t: t)
            if time != current { adoptTime = time } else { summary.advice = t.t("analytics.best_time.already") }
        case .tooFewPosts(let have):
            summary.headline = t.t("analytics.best_time.too_few_posts", ["have": t.grouped(have), "min": String(BestTimeSuggestion.minimumPosts)])
        case .tooFewHours(let hours):
            summary.headline = t.t("analytics.best_time.too_few_hours", ["hours": String(hours), "min": String(BestTimeSuggestion.minimumPerHour)])
        case .notSignificant(let best):
            summary.headline = t.t("analytics.best_time.not_significant")
            if let best {
                summary.evidence = evidenceSentence(best, t: t)
                if let required = best.requiredPerGroup, required > InsightReport.negligibleAbove {
                    summary.advice = t.t("analytics.insights.advice_negligible", ["required": t.grouped(InsightReport.negligibleAbove)])
                } else if let required = best.requiredPerGroup, let more = best.additionalPerGroup {
                    summary.advice = more == 0
                        ? t.t("analytics.insights.advice_enough", ["required": t.grouped(required)])
                        : t.t("analytics.best_time.advice_more", ["hour": String(format: "%02d:00", Int(best.a) ?? 0), "count": t.grouped(more),
                                                                  "required": t.grouped(required)])
                }
            }
        }
        let slots = (0..<24).map { String(format: "%02d:00", $0) }
        return BestTimePage.AccountSection(
            id: account.id, name: account.name, platform: t.platformName(account.platform), total: t.t("analytics.best_time.total", ["n": t.grouped(heatmap.total)]),
            hours: (0..<24).map { String(format: "%02d", $0) }, rows: rows, hasPosts: heatmap.total > 0, suggestion: summary, current: currentText,
            canAdopt: canAdopt && adoptTime != nil, adoptTime: adoptTime ?? "", canReset: canAdopt && account.bestTime != nil,
            hourRows: hourRows, hasHourRows: !hourRows.isEmpty, slotsA: slots.enumerated().map { SelectOption(value: String($0.offset), label: $0.element, selected: $0.offset == (suggestion.hour ?? 21)) },
            slotsB: slots.enumerated().map { SelectOption(value: String($0.offset), label: $0.element, selected: $0.offset == (Int(current.prefix(2)) ?? 20)) },
            accountHref: AnalyticsPath.account(.value(account.id)).path, period: period.kind.rawValue,
            from: period.kind == .custom ? period.from.description : "", to: period.kind == .custom ? period.to.description : "")
    }

    /// "21 点发布的帖子的平均值比其他时段高 38%（…，p = 0.002，n = 24 / 80）。", on the Holm-adjusted p.
    static func evidenceSentence(_ row: InsightComparisonResult, t: Localizer) -> String? {
        let question = InsightQuestion(scope: .workspace, period: ReportingPeriod(kind: .last90, from: LocalDate(year: 2000, month: 1, day: 1), to: LocalDate(year: 2000, month: 1, day: 1)),
                                       dimension: .hour, mode: .each, comparison: .eachAgainstRest, metric: .engagementRate24h, test: .welch)
        return InsightReport.row(row, question: question, t: t, aName: t.t("analytics.best_time.at_hour", ["hour": row.a]), bName: t.t("analytics.best_time.other_hours")).verdict
    }
}

// MARK: API

struct BestTimeDTO: Encodable {
    struct Cell: Encodable {
        /// 1 = Monday … 7 = Sunday.
        var weekday: Int
        var hour: Int
        var n: Int
        @Nullable var mean_engagement_rate: Double?
    }
    struct Hour: Encodable {
        var hour: Int
        var n: Int
        var n_rest: Int
        @Nullable var mean: Double?
        @Nullable var mean_rest: Double?
        @Nullable var p_value: Double?
        @Nullable var adjusted_p: Double?
        var significant: Bool
    }

    var account_id: String
    var from: String
    var to: String
    var time_zone: String
    var posts: Int
    /// Weekday × hour, Monday first, hour 0 first; only cells with posts.
    var cells: [Cell]
    /// `suggested`, `too_few_posts`, `too_few_hours` or `not_significant`.
    var outcome: String
    /// The suggested hour (0–23) in the workspace zone.
    @Nullable var suggested_hour: Int?
    /// Each hour with enough posts against the account's other posts (Welch, Holm-corrected).
    var hours: [Hour]
    /// The account's posting time now: its own, or null for the platform's default.
    @Nullable var current_best_time: String?

    init(account: Account, period: ReportingPeriod, zone: TimeZone, heatmap: PostingHeatmap, suggestion: BestTimeSuggestion) {
        account_id = account.id
        from = period.from.description
        to = period.to.description
        time_zone = zone.identifier
        posts = heatmap.total
        cells = heatmap.rows.joined().filter { $0.n > 0 }.map { Cell(weekday: $0.weekday, hour: $0.hour, n: $0.n, mean_engagement_rate: $0.mean) }
        switch suggestion.outcome {
        case .suggested: outcome = "suggested"
        case .tooFewPosts: outcome = "too_few_posts"
        case .tooFewHours: outcome = "too_few_hours"
        case .notSignificant: outcome = "not_significant"
        }
        suggested_hour = suggestion.hour
        hours = suggestion.comparisons.map { comparison in
            Hour(hour: Int(comparison.a) ?? -1, n: comparison.nA, n_rest: comparison.nB, mean: comparison.meanA, mean_rest: comparison.meanB,
                 p_value: comparison.result?.pValue, adjusted_p: comparison.adjustedP, significant: comparison.significant)
        }
        current_best_time = account.bestTime
    }
}
