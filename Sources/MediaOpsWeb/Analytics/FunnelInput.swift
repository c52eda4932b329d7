import Foundation
import MediaOpsDomain

/// A funnel as a person sends it: through the API (`stages` a list of
/// `{"name", "source"}`) or through the form (rows `stage_N_name` and
/// `stage_N_source`, blank rows left out).
enum FunnelInput {
    /// Rows the form offers.
    static let formRows = Funnel.stageCount.upperBound

    static func read(_ input: JSONInput, base: Funnel?) throws -> Funnel {
        var errors: [ValidationError] = []
        var funnel = base ?? Funnel(id: "new", name: "", stages: [])
        do { if let name = try input.string("name") { funnel.name = name } } catch let error as ValidationError { errors.append(error) }
        do { if let description = try input.string("description") { funnel.description = description } } catch let error as ValidationError { errors.append(error) }
        do {
            if let kind = try input.string("scope") {
                guard let scopeKind = AlertScope.Kind(rawValue: kind.trimmed) else {
                    throw ValidationError(field: "scope", code: "invalid_choice", params: ["choices": AlertScope.Kind.allCases.map(\.rawValue).joined(separator: ", ")])
                }
                guard let scope = AlertScope(kind: scopeKind, id: try input.string("scope_id")?.trimmed) else { throw ValidationError(field: "scope_id", code: "required") }
                funnel.scope = scope
            }
        } catch let error as ValidationError { errors.append(error) }
        if let value = input.object["stages"] {
            guard case .array(let items) = value else { throw ValidationErrors(errors + [ValidationError(field: "stages", code: "invalid_type", params: ["type": "array"])]) }
            var stages: [FunnelStage] = []
            for (index, item) in items.prefix(Funnel.stageCount.upperBound + 1).enumerated() {
                let field = "stages.\(index + 1)"
                guard case .object(let object) = item, case .string(let name)? = object["name"] else {
                    errors.append(ValidationError(field: field + ".name", code: "required"))
                    continue
                }
                guard case .string(let sourceKey)? = object["source"], let source = FunnelStageSource(key: sourceKey.trimmed) else {
                    errors.append(ValidationError(field: field + ".source", code: "funnel_stage_metric_invalid"))
                    continue
                }
                stages.append(FunnelStage(name: name, source: source))
            }
            if items.count > Funnel.stageCount.upperBound {
                errors.append(ValidationError(field: "stages", code: "funnel_too_many_stages", params: ["max": String(Funnel.stageCount.upperBound)]))
            } else if errors.allSatisfy({ !$0.field.hasPrefix("stages") }) {
                funnel.stages = stages
            }
        } else if base == nil {
            errors.append(ValidationError(field: "stages", code: "funnel_too_few_stages", params: ["min": String(Funnel.stageCount.lowerBound)]))
        }
        let unreadable = Set(errors.map(\.field))
        errors += funnel.validationErrors().filter { !unreadable.contains($0.field) && !(unreadable.contains("stages") && $0.field.hasPrefix("stages")) }
        guard errors.isEmpty else { throw ValidationErrors(errors) }
        return funnel
    }

    static func read(_ form: FormData, base: Funnel?) throws -> Funnel {
        var funnel = base ?? Funnel(id: "new", name: "", stages: [])
        var errors: [ValidationError] = []
        funnel.name = form["name"] ?? ""
        funnel.description = form["description"] ?? ""
        if let value = form["scope"]?.trimmed, !value.isEmpty {
            let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
            if let kind = AlertScope.Kind(rawValue: parts[0]), let scope = AlertScope(kind: kind, id: parts.count > 1 ? parts[1] : nil) {
                funnel.scope = scope
            } else {
                errors.append(ValidationError(field: "scope", code: "invalid_choice", params: ["choices": AlertScope.Kind.allCases.map(\.rawValue).joined(separator: ", ")]))
            }
        }
        var stages: [FunnelStage] = []
        for row in 1...formRows {
            let name = (form["stage_\(row)_name"] ?? "").trimmed
            let sourceKey = (form["stage_\(row)_source"] ?? "").trimmed
            guard !name.isEmpty || !sourceKey.isEmpty else { continue }
            let field = "stages.\(stages.count + 1)"
            guard let source = FunnelStageSource(key: sourceKey) else {
                errors.append(ValidationError(field: field + ".source", code: "funnel_stage_metric_invalid"))
                stages.append(FunnelStage(name: name, source: .events))
                continue
            }
            stages.append(FunnelStage(name: name, source: source))
        }
        funnel.stages = stages
        let unreadable = Set(errors.map(\.field))
        errors += funnel.validationErrors().filter { !unreadable.contains($0.field) }
        guard errors.isEmpty else { throw ValidationErrors(errors) }
        return funnel
    }

    /// Stage fields named in words ("第 2 步的名称"), for the API's messages and the form.
    static func named(_ error: any Error, t: Localizer) -> any Error {
        func name(_ error: ValidationError) -> ValidationError {
            let parts = error.field.split(separator: ".")
            guard parts.count == 3, parts[0] == "stages", let step = Int(parts[1]) else { return error }
            var named = error
            named.params["field"] = t.t("analytics.funnels.stage_field_\(parts[2])", ["step": String(step)])
            return named
        }
        switch error {
        case let errors as ValidationErrors: return ValidationErrors(errors.errors.map(name))
        case let single as ValidationError: return name(single)
        default: return error
        }
    }
}
