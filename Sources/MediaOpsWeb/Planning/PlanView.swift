import Foundation
import MediaOpsDomain
import MediaOpsStore

/// A plan as the planner page, a saved version and the API show it: the
/// parameters beside the result, every number with its reason.
struct PlanView {
    struct LeverRow { var name: String; var share: String; var gain: String; var units: String; var unit: String; var yield: String; var reason: String }
    struct StageView { var number: Int; var name: String; var months: String; var period: String; var gain: String; var gainExact: String; var gainPerMonth: String; var levers: [LeverRow] }
    struct Cell { var count: String; var changed: Bool }
    struct RoleRow { var role: String; var roleKey: String; var cells: [Cell]; var peak: String; var joinBy: String; var stage: String; var reasons: [String]; var needed: Bool }
    struct HireRow { var role: String; var ordinal: String; var joinBy: String; var stage: String }
    struct GapRow { var sentence: String; var overdue: Bool }
    struct ParameterRow {
        var key: String
        var field: String
        var name: String
        var value: String
        var unit: String
        var defaultValue: String
        var source: String
        var overridden: Bool
        var error: String?
        var step: String
    }
    struct ParameterGroup { var title: String; var rows: [ParameterRow] }

    var stages: [StageView]
    var stageHeaders: [String]
    var roles: [RoleRow]
    var hires: [HireRow]
    var gaps: [GapRow]
    var isReplan: Bool
    var noGaps: Bool
    var headcount: String
    var summary: String
    var efficiency: String?
    var parameters: [ParameterGroup]

    static func leverUnit(_ lever: PlanLever, _ t: Localizer) -> String { t.t("planner.units_\(lever.rawValue)") }

    static func make(input: PlanInput, result: PlanResult, parameters: PlannerParameters, workspace: PlannerParameters, unit unitName: String,
                     errors: [String: String] = [:], t: Localizer) -> PlanView {
        let stages = result.stages.enumerated().map { index, stage in
            StageView(number: index + 1, name: stage.name, months: t.t("goals.stage_months", ["months": String(stage.months)]),
                      period: stage.months == 1 ? PlanningText.month(stage.firstMonth, t)
                          : t.t("planner.month_range", ["from": PlanningText.month(stage.firstMonth, t), "to": PlanningText.month(stage.lastMonth, t)]),
                      gain: PlanningText.number(stage.gain, t), gainExact: PlanningText.exact(stage.gain.rounded(), t),
                      gainPerMonth: PlanningText.number(stage.gainPerMonth, t),
                      levers: stage.levers.map { lever in
                          LeverRow(name: t.t("planner.lever_\(lever.lever.rawValue)"), share: PlanningText.percent(lever.share),
                                   gain: PlanningText.number(lever.gainPerMonth, t), units: PlanningText.number(lever.unitsPerMonth, t),
                                   unit: leverUnit(lever.lever, t), yield: PlanningText.number(lever.yield, t),
                                   reason: PlanningText.reason(PlanningReason(lever.reason.code, lever.reason.params.merging(["metric": unitName]) { $1 }), t, prefix: "planner.reason"))
                      })
        }
        let roles = result.roles.map { plan in
            RoleRow(role: PlanningText.roleName(plan.role.builtinRole, t), roleKey: plan.role.rawValue,
                    cells: plan.perStage.map { Cell(count: String($0), changed: false) }, peak: String(plan.peak),
                    joinBy: plan.joinBy.map { PlanningText.month($0, t) } ?? "—", stage: plan.stage.map { result.stages[$0].name } ?? "—",
                    reasons: plan.reasons.enumerated().map { index, reason in
                        (result.stages.count > 1 ? result.stages[index].name + t.t("common.colon") : "") + PlanningText.roleReason(reason, role: plan.role, t)
                    }, needed: plan.peak > 0)
        }
        let hires = result.hires.map { hire in
            HireRow(role: PlanningText.roleName(hire.role.builtinRole, t), ordinal: t.t("planner.hire_ordinal", ["n": String(hire.ordinal)]),
                    joinBy: PlanningText.month(hire.joinBy, t), stage: result.stages[hire.stage].name)
        }.sorted { $0.joinBy < $1.joinBy }
        let gaps = (result.gaps ?? []).map { gap in
            GapRow(sentence: t.t(gap.overdue ? "planner.gap_overdue" : "planner.gap",
                                 ["count": String(gap.missing), "role": PlanningText.roleName(gap.role.builtinRole, t), "month": PlanningText.month(gap.joinBy, t),
                                  "have": String(gap.have), "needed": String(gap.needed)]),
                   overdue: gap.overdue)
        }
        let people = result.roles.filter { $0.peak > 0 }.map { t.t("planner.summary_role", ["role": PlanningText.roleName($0.role.builtinRole, t), "count": String($0.peak)]) }
        return PlanView(
            stages: stages, stageHeaders: result.stages.map(\.name), roles: roles, hires: hires, gaps: gaps, isReplan: result.gaps != nil,
            noGaps: result.gaps?.isEmpty ?? false, headcount: t.t("planner.headcount", ["count": String(result.headcount)]),
            summary: t.list(people),
            efficiency: result.gaps == nil ? nil : t.t("planner.efficiency", ["percent": PlanningText.percent(result.efficiency)]),
            parameters: parameterGroups(parameters, workspace: workspace, unit: unitName, errors: errors, t: t))
    }

    static func parameterGroups(_ parameters: PlannerParameters, workspace: PlannerParameters, unit: String?, errors: [String: String],
                                t: Localizer) -> [ParameterGroup] {
        let unitName = unit ?? t.t("goals.metric_followers")
        return PlannerParameter.Group.allCases.map { group in
            ParameterGroup(title: t.t("planner.group_\(group.rawValue)"), rows: PlannerParameter.allCases.filter { $0.group == group }.map { parameter in
                ParameterRow(key: parameter.rawValue, field: "p_" + parameter.rawValue, name: t.t("planner.param.\(parameter.rawValue).name"),
                             value: PlanningText.parameterValue(parameter, parameters[parameter]),
                             unit: t.t("planner.unit_\(parameter.unit.rawValue)", ["metric": unitName]),
                             defaultValue: parameter.unit == .share ? PlanningText.parameterValue(parameter, parameter.defaultValue)
                                 : PlanningText.number(parameter.defaultValue, t),
                             source: t.t("planner.param.\(parameter.rawValue).source"),
                             overridden: parameters[parameter] != parameter.defaultValue || workspace.isOverridden(parameter),
                             error: errors["p_" + parameter.rawValue] ?? errors[parameter.rawValue],
                             step: parameter.isWhole ? "1" : "any")
            })
        }
    }

    /// Overrides typed into the parameter boxes (`p_<key>`; shares in percent). An empty box keeps the workspace's value.
    static func overrides(_ value: (String) -> String?) throws -> PlannerParameters {
        var parameters = PlannerParameters()
        var errors: [ValidationError] = []
        for parameter in PlannerParameter.allCases {
            guard let raw = value("p_" + parameter.rawValue)?.trimmed, !raw.isEmpty else { continue }
            switch ExportCell.count(raw) {
            case .value(let number): parameters[parameter] = parameter.unit == .share ? number / 100 : number
            case .absent: continue
            default: errors.append(ValidationError(field: parameter.rawValue, code: "metric_not_a_number"))
            }
        }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        return parameters
    }

    /// Overrides sent as JSON: `{"fans_per_deal": 800, …}`, shares as fractions.
    static func overrides(json value: JSONValue?) throws -> PlannerParameters {
        var parameters = PlannerParameters()
        switch value {
        case .none, .null: return parameters
        case .object(let object):
            var errors: [ValidationError] = []
            for (key, item) in object.sorted(by: { $0.key < $1.key }) {
                guard let parameter = PlannerParameter(rawValue: key) else { errors.append(ValidationError(field: "parameters." + key, code: "plan_parameter_unknown")); continue }
                guard case .number(let number) = item, number.isFinite else {
                    errors.append(ValidationError(field: "parameters." + key, code: "invalid_type", params: ["type": "number"]))
                    continue
                }
                parameters[parameter] = number
            }
            if errors.count == 1 { throw errors[0] }
            if !errors.isEmpty { throw ValidationErrors(errors) }
            return parameters
        default:
            throw ValidationError(field: "parameters", code: "invalid_type", params: ["type": "object"])
        }
    }
}

// MARK: DTOs

struct ParameterDTO: Encodable {
    var key: String
    var value: Double
    var default_value: Double
    var unit: String
    var group: String
    var overridden: Bool

    static func all(_ parameters: PlannerParameters) -> [ParameterDTO] {
        PlannerParameter.allCases.map {
            ParameterDTO(key: $0.rawValue, value: parameters[$0], default_value: $0.defaultValue, unit: $0.unit.rawValue, group: $0.group.rawValue,
                         overridden: parameters.isOverridden($0) && parameters[$0] != $0.defaultValue)
        }
    }
}

struct PlanDTO: Encodable {
    struct Lever: Encodable { var lever: String; var share: Double; var gain_per_month: Double; var units_per_month: Double; var yield: Double; var reason: String }
    struct Stage: Encodable { var name: String; var months: Int; var first_month: String; var last_month: String; var gain: Double; var gain_per_month: Double; var levers: [Lever] }
    struct Role: Encodable { var role: String; var per_stage: [Int]; var peak: Int; var join_by: String?; var stage: Int?; var reasons: [String] }
    struct Hire: Encodable { var role: String; var ordinal: Int; var join_by: String; var stage: Int }
    struct Gap: Encodable { var role: String; var needed: Int; var have: Int; var missing: Int; var join_by: String; var overdue: Bool; var sentence: String }

    var kind: String
    var first_month: String
    var headcount: Int
    var efficiency: Double
    var accounts: Int
    var parameters: [ParameterDTO]
    var stages: [Stage]
    var roles: [Role]
    var hires: [Hire]
    var gaps: [Gap]?

    init(kind: PlanVersion.Kind, input: PlanInput, result: PlanResult, t: Localizer) {
        func r(_ value: Double) -> Double { (value * 100).rounded() / 100 }
        self.kind = kind.rawValue
        first_month = result.firstMonth.description
        headcount = result.headcount
        efficiency = r(result.efficiency)
        accounts = input.accounts
        parameters = ParameterDTO.all(input.parameters)
        stages = result.stages.map { stage in
            Stage(name: stage.name, months: stage.months, first_month: stage.firstMonth.description, last_month: stage.lastMonth.description, gain: r(stage.gain),
                  gain_per_month: r(stage.gainPerMonth), levers: stage.levers.map {
                      Lever(lever: $0.lever.rawValue, share: $0.share, gain_per_month: r($0.gainPerMonth), units_per_month: r($0.unitsPerMonth), yield: r($0.yield),
                            reason: PlanningText.reason($0.reason, t, prefix: "planner.reason"))
                  })
        }
        roles = result.roles.map { plan in
            Role(role: plan.role.rawValue, per_stage: plan.perStage, peak: plan.peak, join_by: plan.joinBy?.description, stage: plan.stage,
                 reasons: plan.reasons.map { PlanningText.roleReason($0, role: plan.role, t) })
        }
        hires = result.hires.map { Hire(role: $0.role.rawValue, ordinal: $0.ordinal, join_by: $0.joinBy.description, stage: $0.stage) }
        gaps = result.gaps?.map { gap in
            Gap(role: gap.role.rawValue, needed: gap.needed, have: gap.have, missing: gap.missing, join_by: gap.joinBy.description, overdue: gap.overdue,
                sentence: t.t(gap.overdue ? "planner.gap_overdue" : "planner.gap",
                              ["count": String(gap.missing), "role": PlanningText.roleName(gap.role.builtinRole, t), "month": PlanningText.month(gap.joinBy, t),
                               "have": String(gap.have), "needed": String(gap.needed)]))
        }
    }
}

struct PlanVersionDTO: Encodable {
    var id: String
    var goal_id: String
    var name: String
    var kind: String
    var created_at: Date
    var created_by: String?
    var plan: PlanDTO

    init(_ version: PlanVersion, t: Localizer) {
        id = version.id
        goal_id = version.goalID
        name = version.name
        kind = version.kind.rawValue
        created_at = version.createdAt
        created_by = version.createdBy
        plan = PlanDTO(kind: version.kind, input: version.input, result: version.result, t: t)
    }
}
