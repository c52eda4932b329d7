import Foundation
import MediaOpsDomain

/// A goal as a person sends it: through the API as JSON (numbers as numbers,
/// stages as a list of objects), through the form as typed (`5万`, `50,000`,
/// stage rows `stage_name_0` … with empty rows left out). Every broken field at once.
enum GoalInput {
    /// Stage rows the form offers.
    static let formStageRows = 6

    static func fromJSON(_ input: JSONInput, base: Goal?) throws -> Goal {
        var errors: [ValidationError] = []
        var goal = base ?? Goal(id: "new", name: "", metric: .followers, target: 0, start: LocalDate(year: 2000, month: 1, day: 1),
                                deadline: LocalDate(year: 2000, month: 1, day: 1))
        func attempt<T>(_ body: () throws -> T?) -> T? {
            do { return try body() } catch let error as ValidationError { errors.append(error); return nil } catch { return nil }
        }
        if let name = attempt({ try input.string("name") }) { goal.name = name.trimmed }
        else if base == nil, !errors.contains(where: { $0.field == "name" }) { errors.append(ValidationError(field: "name", code: "required")) }
        if let text = attempt({ try input.string("metric") }) {
            if let metric = GoalMetric(rawValue: text) { goal.metric = metric }
            else { errors.append(ValidationError(field: "metric", code: "invalid_choice", params: ["choices": GoalMetric.allCases.map(\.rawValue).joined(separator: ", ")])) }
        } else if base == nil, !errors.contains(where: { $0.field == "metric" }) { errors.append(ValidationError(field: "metric", code: "required")) }
        // A funnel stage: `funnel_id` and `funnel_position` (1 = the funnel's first stage).
        let funnelID = attempt({ try input.string("funnel_id") }), position = attempt({ try input.integer("funnel_position") })
        if let funnelID, let position { goal.funnelStage = GoalFunnelStage(funnelID: funnelID.trimmed, position: position) }
        else if funnelID != nil || position != nil { errors.append(ValidationError(field: "funnel_stage", code: "goal_funnel_stage_unknown")) }
        if let target = attempt({ try input.number("target") }) { goal.target = target }
        else if base == nil, !errors.contains(where: { $0.field == "target" }) { errors.append(ValidationError(field: "target", code: "required")) }
        for field in ["start", "deadline"] {
            if let text = attempt({ try input.string(field) }) {
                if let day = LocalDate(text.trimmed), (2000...9000).contains(day.year) {
                    if field == "start" { goal.start = day } else { goal.deadline = day }
                } else { errors.append(ValidationError(field: field, code: "day_invalid")) }
            } else if base == nil, !errors.contains(where: { $0.field == field }) { errors.append(ValidationError(field: field, code: "required")) }
        }
        if let ids = attempt({ try input.strings("account_ids") }) { goal.accountIDs = ids }
        if let ids = attempt({ try input.strings("group_ids") }) { goal.groupIDs = ids }
        if let notes = attempt({ try input.string("notes") }) { goal.notes = notes.trimmed }
        switch input.object["stages"] {
        case .none, .null:
            if base == nil { goal.stages = [] }
        case .array(let values):
            var stages: [GoalStage] = []
            for (index, value) in values.prefix(Goal.maxStages + 1).enumerated() {
                guard case .object(let object) = value else {
                    errors.append(ValidationError(field: "stages[\(index)]", code: "invalid_type", params: ["type": "object"]))
                    continue
                }
                var stage = GoalStage(name: "", months: 0, target: 0)
                if case .string(let name) = object["name"] {
                    if name.unicodeScalars.contains(where: RequestLimits.isUnwanted) { errors.append(ValidationError(field: "stages[\(index)].name", code: "control_characters")) }
                    stage.name = name.trimmed
                }
                else { errors.append(ValidationError(field: "stages[\(index)].name", code: object["name"] == nil ? "required" : "invalid_type", params: ["type": "string"])) }
                if case .number(let months) = object["months"], months.rounded() == months, abs(months) < 1e6 { stage.months = Int(months) }
                else { errors.append(ValidationError(field: "stages[\(index)].months", code: object["months"] == nil ? "required" : "invalid_type", params: ["type": "integer"])) }
                if case .number(let target) = object["target"], target.isFinite { stage.target = target }
                else { errors.append(ValidationError(field: "stages[\(index)].target", code: object["target"] == nil ? "required" : "invalid_type", params: ["type": "number"])) }
                stages.append(stage)
            }
            goal.stages = stages
        default:
            errors.append(ValidationError(field: "stages", code: "invalid_type", params: ["type": "array"]))
        }
        return try finish(goal, errors)
    }

    static func fromForm(_ form: FormData, base: Goal?) throws -> Goal {
        var errors: [ValidationError] = []
        var goal = base ?? Goal(id: "new", name: "", metric: .followers, target: 0, start: LocalDate(year: 2000, month: 1, day: 1),
                                deadline: LocalDate(year: 2000, month: 1, day: 1))
        goal.name = (form["name"] ?? "").trimmed
        if let metric = GoalMetric(rawValue: form["metric"] ?? "") { goal.metric = metric }
        else { errors.append(ValidationError(field: "metric", code: "required")) }
        let stageKey = (form["funnel_stage"] ?? "").trimmed
        if stageKey.isEmpty { goal.funnelStage = nil }
        else if let stage = GoalFunnelStage(key: stageKey) { goal.funnelStage = stage }
        else { errors.append(ValidationError(field: "funnel_stage", code: "goal_funnel_stage_unknown")) }
        switch ExportCell.count(form["target"] ?? "") {
        case .value(let value): goal.target = value
        case .absent: errors.append(ValidationError(field: "target", code: "required"))
        default: errors.append(ValidationError(field: "target", code: "metric_not_a_number"))
        }
        for field in ["start", "deadline"] {
            let text = (form[field] ?? "").trimmed
            if text.isEmpty { errors.append(ValidationError(field: field, code: "required")) }
            else if let day = LocalDate(text), (2000...9000).contains(day.year) { if field == "start" { goal.start = day } else { goal.deadline = day } }
            else { errors.append(ValidationError(field: field, code: "day_invalid")) }
        }
        goal.accountIDs = form.all("account_ids")
        goal.groupIDs = form.all("group_ids")
        goal.notes = (form["notes"] ?? "").trimmed
        var stages: [GoalStage] = []
        for row in 0..<formStageRows {
            let name = (form["stage_name_\(row)"] ?? "").trimmed, months = (form["stage_months_\(row)"] ?? "").trimmed, target = (form["stage_target_\(row)"] ?? "").trimmed
            if name.isEmpty && months.isEmpty && target.isEmpty { continue }
            let index = stages.count
            var stage = GoalStage(name: name, months: 0, target: 0)
            if let value = Int(months) { stage.months = value } else { errors.append(ValidationError(field: "stages[\(index)].months", code: months.isEmpty ? "required" : "metric_not_a_number")) }
            switch ExportCell.count(target) {
            case .value(let value): stage.target = value
            case .absent: errors.append(ValidationError(field: "stages[\(index)].target", code: "required"))
            default: errors.append(ValidationError(field: "stages[\(index)].target", code: "metric_not_a_number"))
            }
            stages.append(stage)
        }
        goal.stages = stages
        return try finish(goal, errors)
    }

    /// Reading problems first, then the goal's own rules for the fields that were read.
    static func finish(_ goal: Goal, _ reading: [ValidationError]) throws -> Goal {
        var errors = reading
        let unreadable = Set(reading.map(\.field))
        errors += goal.validationErrors().filter { !unreadable.contains($0.field) && !(unreadable.contains("target") && $0.field.hasSuffix(".target")) }
        let order = ["name", "metric", "funnel_stage", "target", "start", "deadline", "accounts", "stages", "notes"]
        func rank(_ field: String) -> Int { order.firstIndex(where: { field == $0 || field.hasPrefix($0 + "[") }) ?? order.count }
        errors.sort { rank($0.field) < rank($1.field) }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        return goal
    }

    /// The form's values of a goal (for editing) or as typed (after a refusal).
    static func values(of goal: Goal?) -> [String: String] {
        guard let goal else { return ["metric": GoalMetric.followers.rawValue] }
        var values = ["name": goal.name, "metric": goal.metric.rawValue, "target": PlanningNumber.text(goal.target), "start": goal.start.description,
                      "deadline": goal.deadline.description, "notes": goal.notes, "funnel_stage": goal.funnelStage?.key ?? ""]
        for (index, stage) in goal.stages.enumerated() {
            values["stage_name_\(index)"] = stage.name
            values["stage_months_\(index)"] = String(stage.months)
            values["stage_target_\(index)"] = PlanningNumber.text(stage.target)
        }
        return values
    }

    static func values(_ form: FormData) -> [String: String] {
        var values: [String: String] = [:]
        for key in ["name", "metric", "funnel_stage", "target", "start", "deadline", "notes"] { values[key] = form[key] ?? "" }
        for row in 0..<formStageRows {
            for key in ["stage_name_", "stage_months_", "stage_target_"] { values[key + String(row)] = form[key + String(row)] ?? "" }
        }
        return values
    }

    /// A stage's form error under the row the person typed it in: `stages[1].target` → `stage_target_1`.
    static func formField(_ field: String) -> String {
        guard field.hasPrefix("stages["), let close = field.firstIndex(of: "]") else { return field }
        let index = field[field.index(field.startIndex, offsetBy: 7)..<close]
        let rest = field[field.index(after: close)...].drop { $0 == "." }
        return rest.isEmpty ? "stages" : "stage_\(rest)_\(index)"
    }
}
