import Foundation
import MediaOpsDomain

/// A rule as a person sends it, read into an `AlertRule`: through the API in
/// the store's units (rates and relative changes as fractions, money in fen),
/// or through the form in the units people type (percentages, yuan). Every
/// field that cannot be read is named at once, together with what the
/// domain's own checks then find.
enum AlertRuleInput {
    /// The fields of a rule, in the order a form shows them (and errors are listed).
    static let fields = ["name", "kind", "metric", "scope", "comparison", "bound", "window", "seasonality", "minimum_history", "k",
                         "percentile", "minimum_deviation", "minimum_relative_deviation", "minimum_volume", "cooldown_hours", "enabled"]

    /// Where a rule's values come from.
    protocol Source {
        func text(_ key: String) throws -> String?
        /// A number as sent, in the source's units.
        func number(_ key: String) throws -> Double?
        func integer(_ key: String) throws -> Int?
        func flag(_ key: String) throws -> Bool?
        /// A number sent for `field` in the store's units.
        func stored(_ value: Double, _ field: String, kind: AlertKind, metric: AlertMetric?) -> Double
    }

    /// The rule `source` describes. `base` is the rule being edited: what the
    /// source leaves out stays as it was (for the same kind), or takes the new
    /// kind's default when the kind changes.
    /// `provisionalName` stands in for a missing name (a preview need not be named).
    static func read(_ source: some Source, base: AlertRule?, provisionalName: String? = nil) throws -> AlertRule {
        var errors: [ValidationError] = []
        func attempt<T>(_ body: () throws -> T?) -> T? {
            do { return try body() } catch let error as ValidationError { errors.append(error); return nil } catch { return nil }
        }

        var kind = base?.kind
        if let text = attempt({ try source.text("kind") }) {
            if let parsed = AlertKind(rawValue: text.trimmed) {
                kind = parsed
            } else {
                errors.append(ValidationError(field: "kind", code: "alert_kind_invalid", params: ["choices": AlertKind.allCases.map(\.rawValue).joined(separator: ", ")]))
            }
        } else if base == nil, !errors.contains(where: { $0.field == "kind" }) {
            errors.append(ValidationError(field: "kind", code: "alert_kind_required"))
        }
        let chosenKind = kind ?? .threshold
        let sameKind = base?.kind == chosenKind

        var rule = AlertRule(id: base?.id ?? "new", name: base?.name ?? "", preset: base?.preset, kind: chosenKind,
                             metric: chosenKind.input == .funnelStage ? nil : base?.metric, scope: base?.scope ?? .allAccounts,
                             enabled: base?.enabled ?? true)
        if let base, sameKind { rule = base }

        if let name = attempt({ try source.text("name") }) { rule.name = name.trimmed }

        if chosenKind.input == .funnelStage {
            rule.metric = nil
        } else if let key = attempt({ try source.text("metric") }) {
            let key = key.trimmed
            if key.isEmpty {
                rule.metric = nil
            } else if let metric = AlertMetric(key: key) {
                rule.metric = metric
            } else {
                errors.append(ValidationError(field: "metric", code: "invalid_choice", params: ["choices": chosenKind.allowedMetrics.map(\.key).joined(separator: ", ")]))
            }
        }

        if let kindText = attempt({ try source.text("scope") })?.trimmed {
            let id = attempt({ try source.text("scope_id") })?.trimmed
            if let scopeKind = AlertScope.Kind(rawValue: kindText) {
                if let scope = AlertScope(kind: scopeKind, id: id?.isEmpty == false ? id : nil) {
                    rule.scope = scope
                } else {
                    errors.append(ValidationError(field: "scope_id", code: "required"))
                }
            } else {
                errors.append(ValidationError(field: "scope", code: "invalid_choice", params: ["choices": AlertScope.Kind.allCases.map(\.rawValue).joined(separator: ", ")]))
            }
        }

        if let text = attempt({ try source.text("comparison") })?.trimmed, !text.isEmpty {
            if let comparison = AlertComparison(rawValue: text) {
                rule.comparison = comparison
            } else {
                errors.append(ValidationError(field: "comparison", code: "invalid_choice", params: ["choices": chosenKind.comparisons.map(\.rawValue).joined(separator: ", ")]))
            }
        }
        if let text = attempt({ try source.text("seasonality") })?.trimmed, !text.isEmpty {
            if let seasonality = AlertSeasonality(rawValue: text) {
                rule.seasonality = seasonality
            } else {
                errors.append(ValidationError(field: "seasonality", code: "invalid_choice", params: ["choices": AlertSeasonality.allCases.map(\.rawValue).joined(separator: ", ")]))
            }
        }

        func scaled(_ field: String) -> Double? {
            attempt({ try source.number(field) }).map { source.stored($0, field, kind: chosenKind, metric: rule.metric) }
        }
        if Self.clears(source, "bound") { rule.bound = nil } else if let bound = scaled("bound") { rule.bound = bound }
        if let k = scaled("k") { rule.k = k }
        if let percentile = scaled("percentile") { rule.percentile = percentile }
        if let deviation = scaled("minimum_deviation") { rule.minimumDeviation = deviation }
        if let relative = scaled("minimum_relative_deviation") { rule.minimumRelativeDeviation = relative }
        if let volume = scaled("minimum_volume") { rule.minimumVolume = volume }
        if let window = attempt({ try source.integer("window") }) { rule.window = window }
        if let history = attempt({ try source.integer("minimum_history") }) { rule.minimumHistory = history }
        if let hours = attempt({ try source.integer("cooldown_hours") }) { rule.cooldownHours = hours }
        if let enabled = attempt({ try source.flag("enabled") }) { rule.enabled = enabled }

        // A setting the kind does not use is not judged by the domain, but one sent must still make sense.
        let unused: [(String, Bool, Double?, ClosedRange<Double>)] = [
            ("window", !chosenKind.usesHistory, (try? source.integer("window")).flatMap { $0 }.map(Double.init), 3...365),
            ("minimum_history", !chosenKind.usesHistory, (try? source.integer("minimum_history")).flatMap { $0 }.map(Double.init), 1...365),
            ("k", chosenKind != .anomaly, (try? source.number("k")).flatMap { $0 }, AlertRule.kRange),
            ("percentile", chosenKind != .postUnderperforming, (try? source.number("percentile")).flatMap { $0 }, AlertRule.percentileRange),
            ("minimum_deviation", chosenKind != .anomaly, (try? source.number("minimum_deviation")).flatMap { $0 }, 0...AlertRule.maxMagnitude),
            ("minimum_relative_deviation", chosenKind != .anomaly,
             (try? source.number("minimum_relative_deviation")).flatMap { $0 }.map { source.stored($0, "minimum_relative_deviation", kind: chosenKind, metric: rule.metric) },
             0...AlertRule.maxRelative),
            ("minimum_volume", chosenKind != .funnelDropOff, (try? source.number("minimum_volume")).flatMap { $0 }, 0...AlertRule.maxMagnitude),
        ]
        for (field, isUnused, value, range) in unused where isUnused && !errors.contains(where: { $0.field == field }) {
            guard let value, !range.contains(value) else { continue }
            errors.append(ValidationError(field: field, code: "out_of_range", params: ["min": AlertRule.text(range.lowerBound), "max": AlertRule.text(range.upperBound)]))
        }
        if rule.name.isEmpty, rule.preset == nil, let provisionalName { rule.name = provisionalName }
        // The domain's checks, for the fields that could be read.
        let unreadable = Set(errors.map(\.field))
        errors += rule.validationErrors().filter { !unreadable.contains($0.field) }
        guard errors.isEmpty else { throw ValidationErrors(Self.ordered(errors)) }
        return rule
    }

    /// Whether the source says the field is to be emptied (sent as null or a blank box).
    static func clears(_ source: some Source, _ field: String) -> Bool {
        if let json = source as? JSONSource { return json.input.object[field] == .null }
        if let form = source as? FormSource { return form.form.has(field) && (form.form[field] ?? "").trimmed.isEmpty }
        return false
    }

    /// Errors in the form's field order.
    static func ordered(_ errors: [ValidationError]) -> [ValidationError] {
        func rank(_ error: ValidationError) -> Int {
            let field = error.field == "scope_id" ? "scope" : error.field
            return fields.firstIndex(of: field) ?? fields.count
        }
        return errors.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    // MARK: Sources

    /// The API: numbers are JSON numbers in the store's units.
    struct JSONSource: Source {
        let input: JSONInput
        func text(_ key: String) throws -> String? { try input.string(key) }
        func number(_ key: String) throws -> Double? { try input.number(key) }
        func integer(_ key: String) throws -> Int? { try input.integer(key) }
        func flag(_ key: String) throws -> Bool? { try input.bool(key) }
        func stored(_ value: Double, _ field: String, kind: AlertKind, metric: AlertMetric?) -> Double { value }
    }

    /// The form: numbers typed as people write them (全角 digits, thousands
    /// separators, a % sign), in the units the form's labels name.
    struct FormSource: Source {
        let form: FormData

        func text(_ key: String) throws -> String? {
            if key == "scope" || key == "scope_id" { return scopeParts?[key == "scope" ? 0 : 1] }
            return form[key]
        }

        /// The form's one scope box holds "all_accounts", "group:<id>" or "account:<id>".
        var scopeParts: [String]? {
            guard let value = form["scope"]?.trimmed, !value.isEmpty else { return nil }
            let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
            return [parts[0], parts.count > 1 ? parts[1] : ""]
        }

        func number(_ key: String) throws -> Double? {
            guard let raw = form[key] else { return nil }
            let text = Self.normalised(raw)
            guard !text.isEmpty else { return nil }
            guard let value = Double(text), value.isFinite else { throw ValidationError(field: key, code: "metric_not_a_number") }
            return value
        }

        func integer(_ key: String) throws -> Int? {
            guard let value = try number(key) else { return nil }
            guard value.rounded() == value, abs(value) < 1e9 else { throw ValidationError(field: key, code: "not_a_whole_number") }
            return Int(value)
        }

        func flag(_ key: String) throws -> Bool? { key == "enabled" ? form.has("enabled") : nil }

        func stored(_ value: Double, _ field: String, kind: AlertKind, metric: AlertMetric?) -> Double {
            AlertRuleForm.unit(field, kind: kind, metric: metric).stored(value)
        }

        /// "１，２００" → "1200", "−5" → "-5", "20%" → "20".
        static func normalised(_ raw: String) -> String {
            var out = ""
            for scalar in raw.unicodeScalars {
                switch scalar.value {
                case 0xFF10...0xFF19: out.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
                case 0x2212, 0xFF0D: out.append("-")
                case 0xFF0B: out.append("+")
                case 0xFF0E, 0x3002: out.append(".")
                case 0x2C, 0xFF0C, 0x25, 0xFF05, 0x20, 0x3000, 0x09: continue
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out
        }
    }
}

/// The units the rule form shows a number in, and how they relate to the store's.
enum AlertRuleForm {
    enum Unit {
        /// As stored.
        case plain
        /// A fraction shown as a percentage (0.2 → 20 %).
        case percent
        /// fen shown as yuan.
        case yuan

        /// The stored value of a number typed in this unit. Dividing by 100
        /// (not multiplying by 0.01) keeps "20" % exactly 0.2.
        func stored(_ value: Double) -> Double {
            switch self {
            case .plain: value
            case .percent: value / 100
            case .yuan: value * 100
            }
        }

        /// A stored value in this unit.
        func shown(_ value: Double) -> Double {
            switch self {
            case .plain: value
            case .percent: value * 100
            case .yuan: value / 100
            }
        }
    }

    static func unit(_ field: String, kind: AlertKind, metric: AlertMetric?) -> Unit {
        let metricUnit: Unit = switch metric?.unit {
        case .fraction: .percent
        case .fen: .yuan
        default: .plain
        }
        switch field {
        case "bound":
            switch kind {
            case .relativeToBaseline, .funnelDropOff: return .percent
            case .threshold, .dayOverDayChange, .anomaly, .postUnderperforming: return metricUnit
            }
        case "minimum_deviation": return metricUnit
        case "minimum_relative_deviation": return .percent
        default: return .plain
        }
    }

    /// A stored number as the form shows it.
    static func display(_ value: Double?, _ field: String, kind: AlertKind, metric: AlertMetric?) -> String {
        guard let value else { return "" }
        let shown = unit(field, kind: kind, metric: metric).shown(value)
        if shown.rounded() == shown, abs(shown) < 1e15 { return String(Int64(shown)) }
        // Up to 6 decimals, without trailing zeros.
        var text = FixedDecimal.text(shown, digits: 6)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A refusal's limits in the units the form shows ("0 到 100" for a percentage, not "0 到 1").
    static func displayed(_ errors: [ValidationError], kind: AlertKind, metric: AlertMetric?) -> [ValidationError] {
        errors.map { error in
            let field = error.field
            guard error.code == "out_of_range", unit(field, kind: kind, metric: metric) != .plain else { return error }
            var error = error
            for key in ["min", "max"] {
                if let text = error.params[key], let value = Double(text) { error.params[key] = display(value, field, kind: kind, metric: metric) }
            }
            return error
        }
    }
}
