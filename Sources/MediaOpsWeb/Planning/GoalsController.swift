import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Goals and their progress, as pages under `/team/goals…` and as
/// `/api/v1/goals…`. Reading needs `planning.view`; changing a goal needs `planning.manage`.
struct GoalsController {
    let dependencies: PlanningDependencies
    let pages: PageSupport

    var goals: GoalService { dependencies.goals }

    func register(_ routes: Routes) {
        // API
        routes.get("/api/v1/goals", .permission(.planningView)) { _, context, _ in
            let t = pages.localizer(context)
            let today = try await goals.today().day
            var items: [GoalDTO] = []
            for goal in try await goals.goals() { items.append(GoalDTO(goal, progress: try await goals.progress(goal, today: today), t: t)) }
            return try JSONOutput.response(ItemsDTO(items: items))
        }
        routes.post("/api/v1/goals", .permission(.planningManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let created = try await goals.create(try GoalInput.fromJSON(input, base: nil), by: identity.principal)
            return try JSONOutput.response(GoalDTO(created, progress: try await goals.progress(created), t: pages.localizer(context)), status: .created)
        }
        routes.get("/api/v1/goals/{id}", .permission(.planningView)) { _, context, _ in
            let goal = try await goal(context)
            return try JSONOutput.response(GoalDTO(goal, progress: try await goals.progress(goal), t: pages.localizer(context)))
        }
        routes.patch("/api/v1/goals/{id}", .permission(.planningManage)) { request, context, identity in
            let existing = try await goal(context)
            let input = try await JSONInput.read(request, context: context)
            let updated = try await goals.update(try GoalInput.fromJSON(input, base: existing), by: identity.principal)
            return try JSONOutput.response(GoalDTO(updated, progress: try await goals.progress(updated), t: pages.localizer(context)))
        }
        routes.delete("/api/v1/goals/{id}", .permission(.planningManage)) { _, context, identity in
            try await goals.delete(id: try await goal(context).id, by: identity.principal)
            return JSONOutput.noContent()
        }
        routes.get("/api/v1/goals/{id}/progress", .permission(.planningView)) { _, context, _ in
            let goal = try await goal(context)
            return try JSONOutput.response(ProgressDTO(try await goals.progress(goal), t: pages.localizer(context), points: true))
        }

        // Pages
        routes.get(PlanningPath.goals, .permission(.planningView)) { request, context, identity in
            let t = pages.localizer(context)
            let today = try await goals.today().day
            var rows: [GoalsPage.Row] = []
            for goal in try await goals.goals() {
                rows.append(GoalsPage.row(goal, progress: try await goals.progress(goal, today: today), t: t))
            }
            let model = GoalsPage(rows: rows, canManage: identity.permissions.contains(.planningManage))
            return pages.render(.planningGoals, title: t.t("goals.title"), page: model, request: request, context: context)
        }
        routes.get(PlanningPath.goalNew, .permission(.planningManage)) { request, context, _ in
            var values = GoalInput.values(of: nil)
            let today = try await goals.today().day
            // A sensible start: the first of next month, six months, two stages as in the source material.
            let start = YearMonth(today).adding(months: 1).firstDay
            values["start"] = start.description
            values["deadline"] = start.adding(months: 6).adding(days: -1).description
            return try await formPage(nil, values: values, accountIDs: [], groupIDs: [], request, context)
        }
        routes.post(PlanningPath.goals, .permission(.planningManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                let created = try await goals.create(try GoalInput.fromForm(form, base: nil), by: identity.principal)
                return pages.redirect(PlanningPath.goal(.value(created.id)), flash: "flash.goal_created")
            } catch {
                var refusal = try pages.refusal(error, context)
                refusal.errors.remap(GoalInput.formField)
                return try await formPage(nil, values: GoalInput.values(form), accountIDs: form.all("account_ids"), groupIDs: form.all("group_ids"),
                                          errors: refusal.errors, request, context, status: refusal.status)
            }
        }
        routes.get(PlanningPath.goal(.key), .permission(.planningView)) { request, context, identity in
            let t = pages.localizer(context)
            let goal = try await goal(context)
            let progress = try await goals.progress(goal)
            let accounts = try await goals.accounts(of: goal)
            let groups = try await dependencies.team.groups().filter { goal.groupIDs.contains($0.id) }
            let versions = try await dependencies.plans.versions(goalID: goal.id)
            var model = GoalPage.make(goal, progress: progress, accounts: accounts, groups: groups, versions: versions,
                                      canManage: identity.permissions.contains(.planningManage), today: try await goals.today().day, t: t)
            if let knowledge = dependencies.knowledge {
                model.related = try await KnowledgeController.relatedSection(.goal, targetID: goal.id, knowledge: knowledge, identity: identity, t: t)
            }
            return pages.render(.planningGoal, title: goal.name, page: model, request: request, context: context)
        }
        routes.get(PlanningPath.goalEdit(.key), .permission(.planningManage)) { request, context, _ in
            let goal = try await goal(context)
            return try await formPage(goal, values: GoalInput.values(of: goal), accountIDs: goal.accountIDs, groupIDs: goal.groupIDs, request, context)
        }
        routes.post(PlanningPath.goal(.key), .permission(.planningManage)) { request, context, identity in
            let existing = try await goal(context)
            let form = try await pages.readForm(request, context: context)
            do {
                _ = try await goals.update(try GoalInput.fromForm(form, base: existing), by: identity.principal)
                return pages.redirect(PlanningPath.goal(.value(existing.id)), flash: "flash.goal_updated")
            } catch {
                var refusal = try pages.refusal(error, context)
                refusal.errors.remap(GoalInput.formField)
                return try await formPage(existing, values: GoalInput.values(form), accountIDs: form.all("account_ids"), groupIDs: form.all("group_ids"),
                                          errors: refusal.errors, request, context, status: refusal.status)
            }
        }
        routes.post(PlanningPath.goalDelete(.key), .permission(.planningManage)) { request, context, identity in
            let existing = try await goal(context)
            _ = try await pages.readForm(request, context: context)
            try await goals.delete(id: existing.id, by: identity.principal)
            return pages.redirect(PlanningPath.goals, flash: "flash.goal_deleted")
        }
    }

    func goal(_ context: AppRequestContext) async throws -> Goal {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let goal = try await goals.goal(id: id) else {
            throw NotFoundError(entity: "goal")
        }
        return goal
    }

    func formPage(_ goal: Goal?, values: [String: String], accountIDs: [String], groupIDs: [String], errors: FormErrors = FormErrors(),
                  _ request: Request, _ context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        var summary = errors.summary
        if summary == nil, errors.messages.count > 1 { summary = t.t("common.form_errors", ["count": String(errors.messages.count)]) }
        // Audiences only: a webhook has no numbers to reach a goal with (one named already stays, to be unticked).
        let accounts = try await dependencies.team.allAccounts().filter { ($0.state != .retired && $0.platform != .webhook) || accountIDs.contains($0.id) }
        let groups = try await dependencies.team.groups()
        let stages = try await goals.funnelStages()
        let model = GoalFormPage(
            action: goal.map { PlanningPath.goal(.value($0.id)).path } ?? PlanningPath.goals.path,
            backHref: goal.map { PlanningPath.goal(.value($0.id)).path } ?? PlanningPath.goals.path,
            isNew: goal == nil, values: values,
            metrics: GoalMetric.allCases.map { SelectOption(value: $0.rawValue, label: PlanningText.metric($0, t), selected: values["metric"] == $0.rawValue) },
            funnelStages: [SelectOption(value: "", label: t.t("goals.funnel_stage_none"), selected: (values["funnel_stage"] ?? "").isEmpty)]
                + stages.map { SelectOption(value: $0.key, label: PlanningText.funnelStage($0, t), selected: values["funnel_stage"] == $0.key) },
            hasFunnelStages: !stages.isEmpty,
            accounts: accounts.map { GoalFormPage.Choice(id: $0.id, label: $0.name + " · " + t.platformShortName($0.platform), checked: accountIDs.contains($0.id)) },
            groups: groups.map { GoalFormPage.Choice(id: $0.id, label: $0.name, checked: groupIDs.contains($0.id)) },
            stageRows: (0..<GoalInput.formStageRows).map { row in
                GoalFormPage.StageRow(number: row + 1, nameField: "stage_name_\(row)", monthsField: "stage_months_\(row)", targetField: "stage_target_\(row)",
                                      name: values["stage_name_\(row)"] ?? "", months: values["stage_months_\(row)"] ?? "", target: values["stage_target_\(row)"] ?? "",
                                      error: ["stage_name_\(row)", "stage_months_\(row)", "stage_target_\(row)"].compactMap { errors.messages[$0] }.first)
            },
            errors: errors.messages, summary: summary)
        let title = goal.map { t.t("goals.edit_title", ["name": $0.name]) } ?? t.t("goals.new_title")
        return pages.render(.planningGoalForm, title: title, page: model, request: request, context: context, status: status)
    }
}

// MARK: Page models

struct GoalsPage {
    struct Row {
        var name: String
        var href: String
        var metric: String
        var target: String
        var targetExact: String
        var current: String
        var currentExact: String
        var percent: String
        var barWidth: String
        var status: String
        var statusClass: String
        var reason: String
        var deadline: String
        var period: String
    }

    var rows: [Row]
    var canManage: Bool

    static func row(_ goal: Goal, progress: GoalProgress, t: Localizer) -> Row {
        Row(name: goal.name, href: PlanningPath.goal(.value(goal.id)).path, metric: PlanningText.unit(goal, t),
            target: PlanningText.number(goal.target, t), targetExact: PlanningText.exact(goal.target, t),
            current: progress.current.map { PlanningText.number($0, t) } ?? "—", currentExact: progress.current.map { PlanningText.exact($0, t) } ?? "",
            percent: PlanningText.percent(progress.fraction), barWidth: FixedDecimal.text(min(1, progress.fraction) * 100, digits: 1),
            status: PlanningText.status(progress.status, t), statusClass: PlanningText.statusClass(progress.status), reason: PlanningText.goalReason(progress, t),
            deadline: t.day(goal.deadline), period: t.t("goals.period", ["start": t.day(goal.start), "deadline": t.day(goal.deadline)]))
    }
}

struct GoalPage {
    struct Figure { var label: String; var value: String; var exact: String }
    struct StageRow { var number: Int; var name: String; var months: String; var ends: String; var target: String; var targetExact: String; var current: Bool }
    struct VersionRow { var name: String; var href: String; var kind: String; var created: String; var headcount: String }
    struct Legend { var name: String; var colour: String; var dashed: Bool }

    var id: String
    var name: String
    var notes: String?
    var row: GoalsPage.Row
    var figures: [Figure]
    var chart: String
    var legend: [Legend]
    var chartTitle: String
    var stages: [StageRow]
    var accounts: [String]
    /// For a funnel-stage goal: what it counts, in a sentence, and the funnel's page (none once it is deleted).
    struct FunnelLine { var sentence: String; var href: String? }
    var funnel: FunnelLine?
    var versions: [VersionRow]
    var canManage: Bool
    var editHref: String
    var deleteAction: String
    var planHref: String
    var replanHref: String
    var canReplan: Bool
    var hiringHref: String?
    var definitions: [String]
    /// The knowledge entries linked to this goal (相关经验), when the reader may see the knowledge base.
    var related: KnowledgeRelatedSection? = nil

    static func make(_ goal: Goal, progress: GoalProgress, accounts: [Account], groups: [AccountGroup], versions: [PlanVersion], canManage: Bool, today: LocalDate,
                     t: Localizer) -> GoalPage {
        let unit = PlanningText.unit(goal, t)
        let labels = progress.points.map { "\($0.day.month)/\($0.day.day)" }
        let chart = SVGSeriesChart(title: t.t("goals.chart_title", ["metric": unit]), unit: unit, labels: labels,
                                   series: [SVGSeriesChart.Series(name: t.t("goals.series_actual"), dashed: false, values: progress.points.map(\.actual)),
                                            SVGSeriesChart.Series(name: t.t("goals.series_plan"), dashed: true, values: progress.points.map { Optional($0.plan) })],
                                   format: { PlanningText.number($0, t) })
        var figures = [
            Figure(label: t.t("goals.figure_current"), value: progress.current.map { PlanningText.number($0, t) } ?? "—", exact: progress.current.map { PlanningText.exact($0, t) } ?? ""),
            Figure(label: t.t("goals.figure_target"), value: PlanningText.number(goal.target, t), exact: PlanningText.exact(goal.target, t)),
            Figure(label: t.t("goals.figure_plan_today"), value: PlanningText.number(progress.planToday, t), exact: PlanningText.exact(progress.planToday.rounded(), t)),
            Figure(label: t.t("goals.figure_pace", ["days": String(progress.paceDays)]), value: progress.pace.map { PlanningText.number($0, t) } ?? "—", exact: ""),
            Figure(label: t.t("goals.figure_forecast"), value: progress.forecast.map { PlanningText.number($0, t) } ?? "—", exact: progress.forecast.map { PlanningText.exact($0.rounded(), t) } ?? ""),
        ]
        if goal.metric.isLevel { figures.insert(Figure(label: t.t("goals.figure_baseline"), value: PlanningText.number(progress.baseline, t), exact: PlanningText.exact(progress.baseline, t)), at: 0) }
        let stages = zip(goal.stages, goal.stageEnds).enumerated().map { index, pair in
            let start = index == 0 ? goal.start : goal.stageEnds[index - 1].adding(days: 1)
            return StageRow(number: index + 1, name: pair.0.name, months: t.t("goals.stage_months", ["months": String(pair.0.months)]),
                            ends: t.t("goals.period", ["start": t.day(start), "deadline": t.day(pair.1)]),
                            target: PlanningText.number(pair.0.target, t), targetExact: PlanningText.exact(pair.0.target, t), current: start <= today && today <= pair.1)
        }
        let names = accounts.map { $0.name + " · " + t.platformShortName($0.platform) } + groups.map { t.t("goals.group_label", ["name": $0.name]) }
        return GoalPage(
            id: goal.id, name: goal.name, notes: goal.notes.isEmpty ? nil : goal.notes, row: GoalsPage.row(goal, progress: progress, t: t), figures: figures, chart: chart.render(),
            legend: [Legend(name: t.t("goals.series_actual"), colour: chart.colour(0), dashed: false), Legend(name: t.t("goals.series_plan"), colour: chart.colour(1), dashed: true)],
            chartTitle: t.t("goals.chart_title", ["metric": unit]), stages: stages, accounts: names,
            funnel: goal.funnelStage.map { stage in
                FunnelLine(sentence: stage.stageName == nil ? t.t("goals.funnel_stage_gone")
                               : t.t("goals.funnel_sentence", ["stage": stage.stageName ?? "", "funnel": stage.funnelName ?? ""]),
                           href: stage.stageName == nil ? nil : AnalyticsPath.funnel(.value(stage.funnelID)).path)
            },
            versions: versions.map { VersionRow(name: $0.name, href: PlanningPath.plan(.value($0.id)).path, kind: t.t("planner.kind_\($0.kind.rawValue)"),
                                                created: t.dateTime($0.createdAt), headcount: String($0.result.headcount)) },
            canManage: canManage, editHref: PlanningPath.goalEdit(.value(goal.id)).path, deleteAction: PlanningPath.goalDelete(.value(goal.id)).path,
            planHref: PlanningPath.goalPlan(.value(goal.id)).path, replanHref: PlanningPath.goalPlan(.value(goal.id)).query(["actuals": "1"]),
            canReplan: progress.status != .upcoming && progress.status != .achieved,
            hiringHref: versions.first.map { PlanningPath.hiringPlan.query(["plan": $0.id]) },
            definitions: [t.t(goal.metric == .funnelStage ? "goals.definition_funnel_stage" : "goals.definition_level"), t.t("goals.definition_plan"),
                          t.t("goals.definition_pace"), t.t("goals.definition_status")])
    }
}

struct GoalFormPage {
    struct Choice { var id: String; var label: String; var checked: Bool }
    struct StageRow {
        var number: Int
        var nameField: String
        var monthsField: String
        var targetField: String
        var name: String
        var months: String
        var target: String
        var error: String?
    }

    var action: String
    var backHref: String
    var isNew: Bool
    var values: [String: String]
    var metrics: [SelectOption]
    var funnelStages: [SelectOption]
    var hasFunnelStages: Bool
    var accounts: [Choice]
    var groups: [Choice]
    var stageRows: [StageRow]
    var errors: [String: String]
    var summary: String?
}

// MARK: DTOs

struct GoalStageDTO: Encodable {
    var name: String
    var months: Int
    var target: Double
    var ends_on: String
}

struct ProgressDTO: Encodable {
    struct Point: Encodable { var day: String; var plan: Double; var actual: Double? }
    var status: String
    var reason: String
    var baseline: Double
    var current: Double?
    var as_of: String?
    var percent: Double
    var plan_today: Double
    var pace_per_day: Double?
    var pace_days: Int
    var forecast: Double?
    var forecast_day: String?
    var points: [Point]?

    init(_ progress: GoalProgress, t: Localizer, points: Bool = false) {
        status = progress.status.rawValue
        reason = PlanningText.goalReason(progress, t)
        baseline = progress.baseline
        current = progress.current
        as_of = progress.asOf?.description
        percent = (progress.fraction * 1000).rounded() / 10
        plan_today = (progress.planToday * 10).rounded() / 10
        pace_per_day = progress.pace.map { ($0 * 10).rounded() / 10 }
        pace_days = progress.paceDays
        forecast = progress.forecast.map { $0.rounded() }
        forecast_day = progress.forecastDay?.description
        self.points = points ? progress.points.map { Point(day: $0.day.description, plan: ($0.plan * 10).rounded() / 10, actual: $0.actual) } : nil
    }
}

struct GoalDTO: Encodable {
    var id: String
    var name: String
    var metric: String
    /// For a funnel-stage goal: the funnel, the stage (1 = its first) and the stage's name (null once the funnel is gone).
    var funnel_id: String?
    var funnel_position: Int?
    var funnel_stage_name: String?
    var target: Double
    var start: String
    var deadline: String
    var account_ids: [String]
    var group_ids: [String]
    var stages: [GoalStageDTO]
    var notes: String
    var progress: ProgressDTO
    var created_at: Date
    var updated_at: Date

    init(_ goal: Goal, progress: GoalProgress, t: Localizer) {
        id = goal.id
        name = goal.name
        metric = goal.metric.rawValue
        funnel_id = goal.funnelStage?.funnelID
        funnel_position = goal.funnelStage?.position
        funnel_stage_name = goal.funnelStage?.stageName
        target = goal.target
        start = goal.start.description
        deadline = goal.deadline.description
        account_ids = goal.accountIDs
        group_ids = goal.groupIDs
        stages = zip(goal.stages, goal.stageEnds).map { GoalStageDTO(name: $0.name, months: $0.months, target: $0.target, ends_on: $1.description) }
        notes = goal.notes
        self.progress = ProgressDTO(progress, t: t)
        created_at = goal.createdAt
        updated_at = goal.updatedAt
    }
}
