import Foundation
import MediaOpsDomain
import MediaOpsStore

/// A training record as a person sends it (JSON or the form), and a position's
/// assessment standard from its form. Every broken field at once.
enum TrainingInput {
    protocol Source {
        func text(_ key: String) throws -> String?
        func number(_ key: String) throws -> Double??
        func has(_ key: String) -> Bool
    }

    struct JSONSource: Source {
        let input: JSONInput
        func text(_ key: String) throws -> String? { try input.string(key) }
        func has(_ key: String) -> Bool { input.has(key) }
        /// nil: absent; .some(nil): sent as null.
        func number(_ key: String) throws -> Double?? {
            switch input.object[key] {
            case .none: return .none
            case .null: return .some(nil)
            case .number(let value): return .some(value)
            default: throw ValidationError(field: key, code: "invalid_type", params: ["type": "number"])
            }
        }
    }

    struct FormSource: Source {
        let form: FormData
        func text(_ key: String) throws -> String? { form[key] }
        func has(_ key: String) -> Bool { form.has(key) }
        func number(_ key: String) throws -> Double?? {
            guard let raw = form[key] else { return .none }
            // Full-width digits (１．５) are how a Chinese input method often types them.
            let text = String(String.UnicodeScalarView(raw.trimmed.unicodeScalars.map { scalar in
                (0xFF10...0xFF19).contains(scalar.value) || scalar.value == 0xFF0E ? Unicode.Scalar(scalar.value - 0xFEE0)! : scalar
            }))
            if text.isEmpty { return .some(nil) }
            guard let value = Double(text), value.isFinite else { throw ValidationError(field: key, code: "invalid_number") }
            return .some(value)
        }
    }

    static func record(_ source: some Source, base: TrainingRecord?, today: LocalDate) throws -> TrainingRecord {
        var errors: [ValidationError] = []
        func attempt<T>(_ body: () throws -> T?) -> T? {
            do { return try body() } catch let error as ValidationError { errors.append(error); return nil } catch { return nil }
        }
        var record = base ?? TrainingRecord(id: "new", memberID: "", course: "", day: LocalDate(year: 1970, month: 1, day: 1), hours: 0, result: .attended)
        if base == nil { record.memberID = (attempt { try source.text("member_id") } ?? "").trimmed }
        // A record stays with its member; an edit that sends one is still held to its type.
        else { _ = attempt { try source.text("member_id") } }
        if let course = attempt({ try source.text("course") }) { record.course = course }
        if let provider = attempt({ try source.text("provider") }) { record.provider = provider }
        if let text = attempt({ try source.text("day") })?.trimmed {
            if let day = LocalDate(text), day.year <= 9_000 { record.day = day } else { errors.append(ValidationError(field: "day", code: text.isEmpty ? "required" : "day_invalid")) }
        } else if base == nil, !errors.contains(where: { $0.field == "day" }) {
            errors.append(ValidationError(field: "day", code: "required"))
        }
        if let hours = attempt({ try source.number("hours") }) {
            if let hours { record.hours = hours } else { errors.append(ValidationError(field: "hours", code: "required")) }
        } else if base == nil, !errors.contains(where: { $0.field == "hours" }) {
            errors.append(ValidationError(field: "hours", code: "required"))
        }
        if let text = attempt({ try source.text("result") })?.trimmed {
            if let result = TrainingResult(rawValue: text) { record.result = result }
            else {
                errors.append(ValidationError(field: "result", code: text.isEmpty ? "required" : "invalid_choice",
                                              params: ["choices": TrainingResult.allCases.map(\.rawValue).joined(separator: ", ")]))
            }
        } else if base == nil, !errors.contains(where: { $0.field == "result" }) {
            errors.append(ValidationError(field: "result", code: "required"))
        }
        if let score = attempt({ try source.number("score") }) { record.score = score }
        if let notes = attempt({ try source.text("notes") }) { record.notes = notes }
        if source.has("certificate_asset_id") {
            let asset = (attempt { try source.text("certificate_asset_id") } ?? "").trimmed
            record.certificateAssetID = asset.isEmpty ? nil : asset
        }
        let unreadable = Set(errors.map(\.field))
        errors += record.validationErrors(today: today).filter { !unreadable.contains($0.field) }
        let order = ["member_id", "course", "provider", "day", "hours", "result", "score", "notes", "certificate_asset_id"]
        errors.sort { (order.firstIndex(of: $0.field) ?? 99) < (order.firstIndex(of: $1.field) ?? 99) }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        return record
    }

    static func values(of record: TrainingRecord?, memberID: String?, today: LocalDate) -> [String: String] {
        guard let record else {
            return ["member_id": memberID ?? "", "day": today.description, "hours": "", "result": TrainingResult.passed.rawValue]
        }
        return ["member_id": record.memberID, "course": record.course, "provider": record.provider, "day": record.day.description,
                "hours": FixedNumber.text(record.hours), "result": record.result.rawValue, "score": record.score.map(FixedNumber.text) ?? "",
                "notes": record.notes, "certificate_asset_id": record.certificateAssetID ?? ""]
    }

    static func values(_ form: FormData) -> [String: String] {
        var values: [String: String] = [:]
        for key in ["member_id", "course", "provider", "day", "hours", "result", "score", "notes", "certificate_asset_id"] { values[key] = form[key] ?? "" }
        return values
    }

    // MARK: Standards

    /// Form fields of criterion `index`: `c<index>_name_zh`, `c<index>_excellent_en` ….
    static func key(_ index: Int, _ part: String, _ language: String) -> String { "c\(index)_\(part)_\(language)" }

    /// The criteria typed into the form; a criterion left wholly blank is dropped.
    static func criteria(_ form: FormData) -> [AssessmentCriterion] {
        var criteria: [AssessmentCriterion] = []
        for index in 0..<AssessmentStandard.maxCriteria {
            func text(_ part: String, _ language: String) -> String { (form[key(index, part, language)] ?? "").trimmed }
            let name = BilingualText(zh: text("name", "zh"), en: text("name", "en"))
            var levels: [AssessmentLevel: BilingualText] = [:]
            for level in AssessmentLevel.allCases { levels[level] = BilingualText(zh: text(level.rawValue, "zh"), en: text(level.rawValue, "en")) }
            let blank = name.zh.isEmpty && name.en.isEmpty && levels.values.allSatisfy { $0.zh.isEmpty && $0.en.isEmpty }
            if !blank { criteria.append(AssessmentCriterion(name: name, levels: levels)) }
        }
        return criteria
    }

    /// The API's `criteria`: `[{"name": {"zh", "en"}, "levels": {"excellent": {"zh", "en"}, …}}]`.
    static func criteria(_ input: JSONInput) throws -> [AssessmentCriterion] {
        guard case .array(let items)? = input.object["criteria"] else {
            if input.object["criteria"] == nil { throw ValidationError(field: "criteria", code: "required") }
            throw ValidationError(field: "criteria", code: "invalid_type", params: ["type": "array"])
        }
        guard items.count <= AssessmentStandard.maxCriteria else {
            throw ValidationError(field: "criteria", code: "assessment_too_many_criteria", params: ["max": String(AssessmentStandard.maxCriteria)])
        }
        func bilingual(_ value: JSONValue?, field: String) throws -> BilingualText {
            guard case .object(let object)? = value, case .string(let zh)? = object["zh"], case .string(let en)? = object["en"] else {
                throw ValidationError(field: field, code: "invalid_type", params: ["type": "{zh, en}"])
            }
            for text in [zh, en] where text.unicodeScalars.contains(where: RequestLimits.isUnwanted) {
                throw ValidationError(field: field, code: "control_characters")
            }
            return BilingualText(zh: zh, en: en)
        }
        return try items.enumerated().map { index, item in
            guard case .object(let object) = item else { throw ValidationError(field: "criteria.\(index)", code: "invalid_type", params: ["type": "object"]) }
            let name = try bilingual(object["name"], field: "criteria.\(index).name")
            guard case .object(let levelObject)? = object["levels"] else {
                throw ValidationError(field: "criteria.\(index).levels", code: "invalid_type", params: ["type": "object"])
            }
            var levels: [AssessmentLevel: BilingualText] = [:]
            for (key, value) in levelObject {
                guard let level = AssessmentLevel(rawValue: key) else {
                    throw ValidationError(field: "criteria.\(index).levels", code: "invalid_choice",
                                          params: ["choices": AssessmentLevel.allCases.map(\.rawValue).joined(separator: ", ")])
                }
                levels[level] = try bilingual(value, field: "criteria.\(index).levels.\(key)")
            }
            return AssessmentCriterion(name: name, levels: levels)
        }
    }
}

/// Hours and scores as people write them: whole ones without a decimal point.
enum FixedNumber {
    static func text(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return FixedDecimal.text(value, digits: 1)
    }
}

/// The built-in assessment standards, read from the catalogs in both
/// languages (`standard_default.<role>.c<n>.name`, `….excellent` …), so a
/// translator keeps them beside every other sentence of the product.
enum AssessmentDefaults {
    static let criteriaPerRole = 3

    static func standard(_ role: BuiltinRole, catalogs: Catalogs) -> AssessmentStandard {
        let criteria = (1...criteriaPerRole).compactMap { number -> AssessmentCriterion? in
            let base = "standard_default.\(role.rawValue).c\(number)"
            func text(_ part: String) -> BilingualText? {
                guard let zh = catalogs.string("\(base).\(part)", .zhHans), let en = catalogs.string("\(base).\(part)", .en) else { return nil }
                return BilingualText(zh: zh, en: en)
            }
            guard let name = text("name") else { return nil }
            var levels: [AssessmentLevel: BilingualText] = [:]
            for level in AssessmentLevel.allCases { levels[level] = text(level.rawValue) }
            return AssessmentCriterion(name: name, levels: levels)
        }
        return AssessmentStandard(roleKey: role.rawValue, criteria: criteria, customized: false)
    }

    /// Every position's standard: the workspace's own where it wrote one, the built-in one elsewhere.
    static func all(custom: [String: AssessmentStandard], catalogs: Catalogs) -> [AssessmentStandard] {
        AssessmentStandard.positions.map { custom[$0.rawValue] ?? standard($0, catalogs: catalogs) }
    }
}
