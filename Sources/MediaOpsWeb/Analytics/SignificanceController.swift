import Foundation
import Hummingbird
import MediaOpsDomain

/// The significance calculator: is group A different from group B, and how
/// sure can we be? `POST /api/v1/analytics/significance` for integrations and
/// the page `/analytics/significance` for people. A computation with no data
/// and no writes: it needs a sign-in and `analytics.view` like the room's
/// other reads, and its form carries a CSRF token like every form.
struct SignificanceController {
    let pages: PageSupport

    func register(_ routes: Routes) {
        routes.post("/api/v1/analytics/significance", .permission(.analyticsView)) { request, context, _ in
            let input = try await JSONInput.read(request, context: context)
            let question = try SignificanceQuestion.read(input)
            let t = pages.localizer(context)
            let report = try SignificanceReport(question, result: try question.run(), t: t)
            return try JSONOutput.response(SignificanceDTO(report, t: t))
        }

        routes.get(AnalyticsPath.significance, .permission(.analyticsView)) { request, context, _ in
            page(request, context: context, values: .empty)
        }
        routes.post(AnalyticsPath.significance, .permission(.analyticsView)) { request, context, _ in
            let form = try await pages.readForm(request, context: context)
            let values = SignificancePage.Values(form)
            let t = pages.localizer(context)
            do {
                let question = try SignificanceQuestion.read(form)
                let report = try SignificanceReport(question, result: try question.run(), t: t)
                return page(request, context: context, values: values, report: report)
            } catch let error as ValidationError where Self.aboutBothGroups.contains(error.code) {
                // Said of both groups: above the form, not beside group A.
                var errors = FormErrors()
                errors.summary = t.error(error.code, params: error.params)
                return page(request, context: context, values: values, errors: errors, status: .unprocessableContent)
            } catch {
                let refusal = try pages.refusal(error, context)
                return page(request, context: context, values: values, errors: refusal.errors, status: refusal.status)
            }
        }
    }

    /// Refusals the engine names group A for that are about the two groups together.
    static let aboutBothGroups: Set<String> = [
        SignificanceInputError.Problem.zeroVariance.rawValue, SignificanceInputError.Problem.allValuesIdentical.rawValue,
        SignificanceQuestion.Problem.notComputable.rawValue,
    ]

    /// The statistic's symbol, the same in every language.
    static func symbol(_ test: SignificanceTest) -> String {
        switch test {
        case .welch: "t"
        case .mannWhitney: "U"
        case .twoProportions: "χ²"
        }
    }

    func page(_ request: Request, context: AppRequestContext, values: SignificancePage.Values, report: SignificanceReport? = nil,
              errors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) -> Response {
        let t = pages.localizer(context)
        let chosen = SignificanceTest(rawValue: values.test) ?? .welch
        let tests = SignificanceTest.allCases.map { test in
            SignificancePage.TestOption(value: test.rawValue, label: t.t("analytics.significance.test.\(test.rawValue)"),
                                        help: t.t("analytics.significance.test.\(test.rawValue)_help"), checked: test == chosen)
        }
        let model = SignificancePage(tests: tests, values: values, errors: errors.messages, summary: errors.summary,
                                     result: report.map { Self.result($0, t) })
        return pages.render(.analyticsSignificance, title: t.t("analytics.significance.title"), page: model, request: request, context: context, status: status)
    }

    static func result(_ report: SignificanceReport, _ t: Localizer) -> SignificancePage.Result {
        let result = report.result
        let isSamples = report.test != .twoProportions
        let groups = [report.a, report.b].map { group in
            SignificancePage.GroupRow(
                name: group.name, n: t.grouped(group.n),
                mean: group.mean.map { report.level($0, t) } ?? "—",
                median: group.median.map { report.level($0, t) } ?? "—",
                successes: group.successes.map(t.grouped) ?? "—", trials: t.grouped(group.n),
                rate: group.proportion.map(SignificanceReport.percent) ?? "—")
        }
        let range = { (low: Double?, high: Double?, format: (Double) -> String) -> String in
            guard let low, let high else { return t.t("analytics.significance.no_interval") }
            return t.t("analytics.significance.range", ["low": format(low), "high": format(high)])
        }
        var facts = [
            SignificancePage.Fact(term: t.t("analytics.significance.fact.test"), value: t.t("analytics.significance.test.\(report.test.rawValue)")),
            SignificancePage.Fact(term: report.sentence("analytics.significance.fact.difference_\(report.test.rawValue)", t),
                                  value: Self.signed(report.difference(result.difference, t), result.difference)),
            SignificancePage.Fact(term: t.t("analytics.significance.fact.interval"),
                                  value: range(result.ciLow, result.ciHigh) { report.difference($0, t) }),
        ]
        if let relative = report.relative {
            facts.append(SignificancePage.Fact(
                term: report.sentence("analytics.significance.fact.relative", t),
                value: t.t("analytics.significance.relative_value", [
                    "value": Self.signed(SignificanceReport.percent(relative.value), relative.value),
                    "range": range(relative.low, relative.high, SignificanceReport.percent)])))
        }
        facts.append(SignificancePage.Fact(term: t.t("analytics.significance.fact.statistic"),
                                           value: "\(Self.symbol(report.test)) = \(SignificanceReport.number(report.statistic, t))"))
        if report.test == .welch, let df = result.degreesOfFreedom {
            facts.append(SignificancePage.Fact(term: t.t("analytics.significance.fact.df"), value: SignificanceReport.number(df, t)))
        }
        facts.append(SignificancePage.Fact(term: t.t("analytics.significance.fact.p"), value: SignificanceReport.pValue(result.pValue)))
        return SignificancePage.Result(
            significant: report.significant,
            status: t.t(report.significant ? "analytics.significance.status_significant" : "analytics.significance.status_insufficient"),
            mark: report.significant ? "✓" : "?",
            verdict: report.verdict(t), advice: report.advice(t), isSamples: isSamples, groups: groups, facts: facts)
    }

    /// "+2.5" for a positive difference: the sign says the direction.
    static func signed(_ text: String, _ value: Double) -> String {
        value > 0 && !text.hasPrefix("+") ? "+" + text : text
    }
}
