import Foundation
import MediaOpsDomain

/// A KPI definition or a target as a person sends it: through the API as JSON,
/// through the form as typed. Every broken field at once.
enum KpiInput {
    protocol Source {
        func text(_ key: String) throws -> String?
        func integer(_ key: String) throws -> Int?
        func number(_ key: String) throws -> Double?
        func flag(_ key: String) throws -> Bool?
        func has(_ key: String) -> Bool
    }

    struct JSONSource: Source {
        let input: JSONInput
        func text(_ key: String) throws -> String? { try input.string(key) }
        func integer(_ key: String) throws -> Int? { try input.integer(key) }
        func number(_ key: String) throws -> Double? { try input.number(key) }
        func flag(_ key: String) throws -> Bool? { try input.bool(key) }
        func has(_ key: String) -> Bool { input.has(key) }
    }

    struct FormSource: Source {
        let form: FormData
        func text(_ key: String) throws -> String? { form[key] }
        func integer(_ key: String) throws -> Int? {
            guard let text = form[key]?.trimmed, !text.isEmpty else { return nil }
            guard let value = Int(Self.halfWidth(text)) else { throw ValidationError(field: key, code: "not_a_whole_number") }
            return value
        }
        func number(_ key: String) throws -> Double? {
            guard let text = form[key]?.trimmed, !text.isEmpty else { return nil }
            let cleaned = Self.halfWidth(text).replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "%", with: "")
            var multiplier = 1.0
            var digits = cleaned
            if digits.hasSuffix("万") { multiplier = 10_000; digits.removeLast() }
            guard let value = Double(digits.trimmed), value.isFinite else { throw ValidationError(field: key, code: "kpi_target_invalid") }
            return value * multiplier
        }
        // A checkbox: present means on; the form sends `active_present` so an unticked box reads as off.
        func flag(_ key: String) throws -> Bool? { form.has(key + "_present") || form.has(key) ? form.has(key) : nil }
        func has(_ key: String) -> Bool { form.has(key) }

        static func halfWidth(_ text: String) -> String {
            String(text.unicodeScalars.map { scalar in
                (0xFF10...0xFF19).contains(scalar.value) ? Character(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!) : Character(scalar)
            })
        }
    }

    static let order = ["name", "data_source", "role", "direction", "weight", "platform", "lead_hours", "grace_hours", "active"]

    static func definition(_ source: some Source, base: KpiDefinition?) throws -> KpiDefinition {
        var errors: [ValidationError] = []
        func attempt<T>(_ body: () throws -> T?) -> T? {
            do { return try body() } catch let error as ValidationError { errors.append(error); return nil } catch { return nil }
        }
        var definition = base ?? KpiDefinition(id: "new", name: "", source: .postReads, roleKey: nil, weight: 10)
        let sourceText = attempt { try source.text("data_source") }?.trimmed
        if let sourceText, !sourceText.isEmpty || base == nil {
            if let parsed = KpiSource(rawValue: sourceText) {
                if parsed != definition.source, base != nil, !source.has("direction") { definition.direction = parsed.defaultDirection }
                definition.source = parsed
            } else if sourceText.isEmpty {
                errors.append(ValidationError(field: "data_source", code: "required"))
            } else {
                errors.append(ValidationError(field: "data_source", code: "invalid_choice", params: ["choices": KpiSource.allCases.map(\.rawValue).joined(separator: ", ")]))
            }
        } else if base == nil, !errors.contains(where: { $0.field == "data_source" }) {
            errors.append(ValidationError(field: "data_source", code: "required"))
        }
        if let name = attempt({ try source.text("name") }) {
            let trimmed = name.trimmed
            definition.name = trimmed.isEmpty && definition.isBuiltin ? nil : trimmed
        }
        if source.has("role") {
            let role = attempt { try source.text("role") }?.trimmed ?? ""
            definition.roleKey = role.isEmpty ? nil : role
        }
        if let direction = attempt({ try source.text("direction") })?.trimmed, !direction.isEmpty {
            if let parsed = KpiDirection(rawValue: direction) { definition.direction = parsed } else {
                errors.append(ValidationError(field: "direction", code: "invalid_choice", params: ["choices": "higher, lower"]))
            }
        } else if base == nil {
            definition.direction = definition.source.defaultDirection
        }
        if let weight = attempt({ try source.integer("weight") }) { definition.weight = weight }
        else if base == nil, !errors.contains(where: { $0.field == "weight" }) { errors.append(ValidationError(field: "weight", code: "required")) }
        if source.has("platform") {
            let text = attempt { try source.text("platform") }?.trimmed ?? ""
            if text.isEmpty { definition.parameters.platform = nil }
            else if let platform = Platform(rawValue: text) { definition.parameters.platform = platform }
            else { errors.append(ValidationError(field: "platform", code: "invalid_choice", params: ["choices": Platform.allCases.map(\.rawValue).joined(separator: ", ")])) }
        }
        if source.has("lead_hours") { definition.parameters.leadHours = attempt { try source.integer("lead_hours") } }
        if source.has("grace_hours") { definition.parameters.graceHours = attempt { try source.integer("grace_hours") } }
        if let active = attempt({ try source.flag("active") }) { definition.isActive = active }
        // Range checks on the raw parameters, before defaults fill the empty ones.
        let unreadable = Set(errors.map(\.field))
        errors += definition.validationErrors().filter { !unreadable.contains($0.field) }
        definition.parameters = definition.parameters.normalized(for: definition.source)
        errors.sort { (order.firstIndex(of: $0.field) ?? 99) < (order.firstIndex(of: $1.field) ?? 99) }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        return definition
    }

    /// A target: period kind, scope (`role:<key>` or `member:<id>`, or the API's `role`/`member_id`) and value.
    static func target(_ source: some Source) throws -> (KpiPeriodKind, KpiTargetScope, Double) {
        var errors: [ValidationError] = []
        var kind: KpiPeriodKind?
        var scope: KpiTargetScope?
        var value: Double?
        do {
            let text = try source.text("period_kind")?.trimmed ?? ""
            if text.isEmpty { errors.append(ValidationError(field: "period_kind", code: "required")) }
            else if let parsed = KpiPeriodKind(rawValue: text) { kind = parsed }
            else { errors.append(ValidationError(field: "period_kind", code: "invalid_choice", params: ["choices": "month, quarter"])) }
        } catch let error as ValidationError { errors.append(error) }
        do {
            let role = try source.text("role")?.trimmed ?? ""
            let member = try source.text("member_id")?.trimmed ?? ""
            let combined = try source.text("scope")?.trimmed ?? ""
            if !role.isEmpty, member.isEmpty { scope = .role(role) }
            else if !member.isEmpty, role.isEmpty { scope = .member(member) }
            else if combined.hasPrefix("role:"), combined.count > 5 { scope = .role(String(combined.dropFirst(5))) }
            else if combined.hasPrefix("member:"), combined.count > 7 { scope = .member(String(combined.dropFirst(7))) }
            else { errors.append(ValidationError(field: "scope", code: "kpi_target_scope")) }
        } catch let error as ValidationError { errors.append(error) }
        do {
            if let number = try source.number("value") { value = number } else { errors.append(ValidationError(field: "value", code: "required")) }
        } catch let error as ValidationError { errors.append(error) }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        return (kind!, scope!, value!)
    }
}
