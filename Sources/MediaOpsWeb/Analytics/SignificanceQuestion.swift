import Foundation
import MediaOpsDomain

/// What the significance calculator was asked, read from the API's JSON or
/// the page's form: one test, its two groups, and the names the verdict
/// gives them. Reading collects every broken rule (field by field) before
/// throwing, so a form shows them all at once and the API lists them.
struct SignificanceQuestion: Sendable, Equatable {
    enum Groups: Sendable, Equatable {
        case samples(a: [Double], b: [Double])
        case counts(aSuccesses: Int, aTrials: Int, bSuccesses: Int, bTrials: Int)
    }

    var test: SignificanceTest
    var groups: Groups
    /// Names for the verdict; nil means "A 组" / "Group A".
    var aName: String?
    var bName: String?
    /// Both groups were pasted as percentages ("6.9%"), so their figures are
    /// shown as percentages and differences in percentage points (the page).
    var percent = false

    /// The longest group name, in Unicode scalars (as JSON Schema's maxLength counts).
    static let maxNameLength = 40
    static let sampleFields = ["a", "b"]
    static let countFields = ["a_successes", "a_trials", "b_successes", "b_trials"]

    /// The calculator's own refusals, beside the engine's `SignificanceInputError.Problem`s.
    enum Problem: String, CaseIterable {
        /// An item that is not a number (`position`, `value`).
        case notANumber = "significance_not_a_number"
        /// A sample that is not a JSON list.
        case notAList = "significance_not_a_list"
        /// A count that is not a whole number.
        case notACount = "significance_not_a_count"
        /// A field of the other kind of test (API).
        case fieldNotForTest = "significance_field_not_for_test"
        /// Some values of a pasted group with %, some without (page).
        case mixedPercent = "significance_mixed_percent"
        /// A result with a NaN (field "a"): should not happen within the engine's bounds.
        case notComputable = "significance_not_computable"
    }

    /// Runs the chosen test; input the engine refuses becomes a validation error naming its field.
    func run() throws -> SignificanceResult {
        do {
            switch groups {
            case .samples(let a, let b):
                return test == .welch ? try Significance.welch(a, b) : try Significance.mannWhitney(a, b)
            case .counts(let aSuccesses, let aTrials, let bSuccesses, let bTrials):
                return try Significance.twoProportions(aSuccesses: aSuccesses, aTrials: aTrials, bSuccesses: bSuccesses, bTrials: bTrials)
            }
        } catch {
            throw error.refusal
        }
    }

    // MARK: The API's JSON

    /// Reads `{"test", "a", "b"}` or `{"test", "a_successes", "a_trials",
    /// "b_successes", "b_trials"}` (plus optional `a_name`, `b_name`). Fields
    /// of the other kind of test are refused, so a mixed-up request is not
    /// answered as if half of it had not been sent.
    static func read(_ input: JSONInput) throws -> SignificanceQuestion {
        var collector = ValidationCollector()
        let test = try collector.check { () throws -> SignificanceTest in
            guard let raw = input.object["test"] else { throw ValidationError(field: "test", code: "required") }
            guard case .string(let text) = raw, let test = SignificanceTest(rawValue: text) else {
                throw ValidationError(field: "test", code: "invalid_choice", params: ["choices": SignificanceTest.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            return test
        }
        let aName = try collector.check { try name(input.string("a_name"), field: "a_name") } ?? nil
        let bName = try collector.check { try name(input.string("b_name"), field: "b_name") } ?? nil
        guard let test else {
            try collector.finish()
            throw ValidationError(field: "test", code: "required")
        }
        let groups: Groups?
        if test == .twoProportions {
            for field in sampleFields where input.has(field) { collector.add(ValidationError(field: field, code: Problem.fieldNotForTest.rawValue)) }
            var counts: [Int?] = []
            for field in countFields { counts.append(try collector.check { try count(input.object[field], field: field) }) }
            groups = try proportions(counts, collector: &collector)
        } else {
            for field in countFields where input.has(field) { collector.add(ValidationError(field: field, code: Problem.fieldNotForTest.rawValue)) }
            let a = try collector.check { try sample(input.object["a"], field: "a") }
            let b = try collector.check { try sample(input.object["b"], field: "b") }
            groups = a.flatMap { a in b.map { .samples(a: a, b: $0) } }
        }
        try collector.finish()
        guard let groups else { throw ValidationError(field: "test", code: "required") }
        return SignificanceQuestion(test: test, groups: groups, aName: aName, bName: bName)
    }

    /// A JSON list of numbers, checked as the engine will check it.
    static func sample(_ value: JSONValue?, field: String) throws -> [Double] {
        guard let value else { throw ValidationError(field: field, code: "required") }
        guard case .array(let items) = value else { throw ValidationError(field: field, code: Problem.notAList.rawValue) }
        // The engine would refuse it anyway; stop before reading 4 MB of numbers.
        if items.count > Significance.maximumValues { throw SignificanceInputError(field: field, problem: .tooManyValues).refusal }
        var values: [Double] = []
        values.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard case .number(let number) = item else {
                throw ValidationError(field: field, code: Problem.notANumber.rawValue, params: ["position": String(index + 1), "value": describe(item)])
            }
            values.append(number)
        }
        try check(values, field: field)
        return values
    }

    /// A JSON whole number ≥ 0 (5.0 counts as 5). Counts beyond what the engine
    /// takes are clamped just past its limit, so its own checks name them.
    static func count(_ value: JSONValue?, field: String) throws -> Int {
        guard let value else { throw ValidationError(field: field, code: "required") }
        guard case .number(let number) = value, number.isFinite, number.rounded(.towardZero) == number else {
            throw ValidationError(field: field, code: Problem.notACount.rawValue)
        }
        return clampedCount(number)
    }

    // MARK: The page's form

    /// Reads the calculator's form. Unlike the API it ignores the fields of the
    /// test not chosen: the form always sends both sets.
    static func read(_ form: FormData) throws -> SignificanceQuestion {
        var collector = ValidationCollector()
        let rawTest = form["test"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let test = try collector.check { () throws -> SignificanceTest in
            guard !rawTest.isEmpty else { throw ValidationError(field: "test", code: "required") }
            guard let test = SignificanceTest(rawValue: rawTest) else {
                throw ValidationError(field: "test", code: "invalid_choice", params: ["choices": SignificanceTest.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            return test
        }
        let aName = try collector.check { try name(form["a_name"], field: "a_name") } ?? nil
        let bName = try collector.check { try name(form["b_name"], field: "b_name") } ?? nil
        var groups: Groups?
        var percent = false
        switch test {
        case .twoProportions?:
            var counts: [Int?] = []
            for field in countFields { counts.append(try collector.check { try count(text: form[field] ?? "", field: field) }) }
            groups = try proportions(counts, collector: &collector)
        case .welch?, .mannWhitney?:
            let a = try collector.check { try sample(text: form["a"] ?? "", field: "a") }
            let b = try collector.check { try sample(text: form["b"] ?? "", field: "b") }
            groups = a.flatMap { a in b.map { .samples(a: a.values, b: $0.values) } }
            percent = a?.percent == true && b?.percent == true
        case nil:
            groups = nil
        }
        try collector.finish()
        guard let test, let groups else { throw ValidationError(field: "test", code: "required") }
        return SignificanceQuestion(test: test, groups: groups, aName: aName, bName: bName, percent: percent)
    }

    /// Numbers pasted into a text box: one per line (a column copied from Excel
    /// or WPS), or separated by spaces, tabs, semicolons, 、 or ，.
    ///
    /// A comma is the one ambiguous character: "3,593" is how back-offices
    /// write 3593, and "12,15,18" is a list. When the values are already
    /// separated by something else (line breaks, spaces, tabs …), a comma
    /// followed by exactly three digits inside a number is a thousands
    /// separator ("3,593" = 3593, "1,234.5" = 1234.5) and any other comma
    /// separates values; when a whole box is one run of text with only commas
    /// between values, every comma separates. "12.5%" is 0.125, and a group
    /// must write all its values with % or none of them. Full-width digits and
    /// signs (１２．５％) are read as their ASCII forms.
    static func values(text: String, field: String) throws -> [Double] {
        try pasted(text: text, field: field).values
    }

    /// The numbers of a text box, and whether they were written as percentages.
    static func pasted(text: String, field: String) throws -> (values: [Double], percent: Bool) {
        var text = text
        for separator in ["，", "、", "；", ";"] { text = text.replacingOccurrences(of: separator, with: "\n") }
        text = text.precomposedStringWithCompatibilityMapping.replacingOccurrences(of: "\u{2212}", with: "-")
        let runs = text.split(whereSeparator: { $0.isWhitespace })
        var tokens: [Substring] = []
        for run in runs {
            var trimmed = run
            while trimmed.first == "," { trimmed = trimmed.dropFirst() }
            while trimmed.last == "," { trimmed = trimmed.dropLast() }
            if runs.count > 1, trimmed.contains(","), hasThousandsSeparators(trimmed) {
                tokens.append(Substring(trimmed.replacingOccurrences(of: ",", with: "")))
            } else {
                tokens.append(contentsOf: run.split(separator: ","))
            }
            // Past the engine's limit the count is all that matters.
            if tokens.count > Significance.maximumValues { throw SignificanceInputError(field: field, problem: .tooManyValues).refusal }
        }
        var values: [Double] = []
        values.reserveCapacity(tokens.count)
        var percents = 0
        for (index, token) in tokens.enumerated() {
            let isPercent = token.hasSuffix("%")
            let digits = isPercent ? token.dropLast() : token
            guard isDecimal(digits), let number = Double(digits) else {
                throw ValidationError(field: field, code: Problem.notANumber.rawValue, params: ["position": String(index + 1), "value": String(token.prefix(24))])
            }
            if isPercent { percents += 1 }
            values.append(isPercent ? number / 100 : number)
        }
        if percents > 0, percents < values.count { throw ValidationError(field: field, code: Problem.mixedPercent.rawValue) }
        return (values, percents > 0)
    }

    static func sample(text: String, field: String) throws -> (values: [Double], percent: Bool) {
        let sample = try pasted(text: text, field: field)
        if sample.values.isEmpty { throw ValidationError(field: field, code: "required") }
        try check(sample.values, field: field)
        return sample
    }

    /// A count typed into a box: "3,593", "3 593" and full-width digits are fine.
    static func count(text: String, field: String) throws -> Int {
        var digits = text.precomposedStringWithCompatibilityMapping.replacingOccurrences(of: "\u{2212}", with: "-")
        digits.removeAll { $0 == "," || $0.isWhitespace }
        if digits.isEmpty { throw ValidationError(field: field, code: "required") }
        let isDigits = { (text: Substring) in !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        if digits.hasPrefix("-"), isDigits(digits.dropFirst()) { throw SignificanceInputError(field: field, problem: .negativeCount).refusal }
        if digits.hasPrefix("+") { digits.removeFirst() }
        guard isDigits(digits[...]), let number = Double(digits) else { throw ValidationError(field: field, code: Problem.notACount.rawValue) }
        return clampedCount(number)
    }

    // MARK: Pieces

    /// A plain decimal: optional sign, digits with an optional point, an
    /// optional exponent ("-12", "3.5", ".5", "1e3"). Not "inf", "nan" or hex,
    /// which `Double(_:)` would also take.
    static func isDecimal(_ text: Substring) -> Bool {
        var bytes = text.utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
        let whole = bytes.prefix(while: isDigit)
        bytes = bytes.dropFirst(whole.count)
        var fraction = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            fraction = bytes.prefix(while: isDigit).count
            bytes = bytes.dropFirst(fraction)
        }
        guard whole.count + fraction > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            let exponent = bytes.prefix(while: isDigit).count
            guard exponent > 0 else { return false }
            bytes = bytes.dropFirst(exponent)
        }
        return bytes.isEmpty
    }

    /// "3,593", "-1,234,567.5", "12,345%": one to three digits, then groups of
    /// a comma and exactly three digits, then an optional fraction and %.
    static func hasThousandsSeparators(_ text: Substring) -> Bool {
        var rest = text
        if rest.hasSuffix("%") { rest = rest.dropLast() }
        if let point = rest.firstIndex(of: ".") {
            let fraction = rest[rest.index(after: point)...]
            guard !fraction.isEmpty, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            rest = rest[..<point]
        }
        if rest.hasPrefix("-") || rest.hasPrefix("+") { rest = rest.dropFirst() }
        let groups = rest.split(separator: ",", omittingEmptySubsequences: false)
        guard groups.count > 1, (1...3).contains(groups[0].count) else { return false }
        return groups.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } } && groups.dropFirst().allSatisfy { $0.count == 3 }
    }

    /// A group's name: trimmed, empty means the default, at most 40 characters.
    static func name(_ raw: String?, field: String) throws -> String? {
        guard let trimmed = raw?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        guard raw!.unicodeScalars.count <= maxNameLength else { throw ValidationError(field: field, code: "too_long", params: ["max": String(maxNameLength)]) }
        return trimmed
    }

    static func check(_ values: [Double], field: String) throws {
        do { try Significance.validate(values, field: field) } catch { throw error.refusal }
    }

    static func check(successes: Int, trials: Int, group: String) throws {
        do { try Significance.validate(successes: successes, trials: trials, group: group) } catch { throw error.refusal }
    }

    /// A whole number as an Int, clamped to −1 … maximumTrials + 1 so that the
    /// engine's checks (negative, too many trials, more successes than trials) name it.
    static func clampedCount(_ number: Double) -> Int {
        Int(min(max(number, -1), Double(Significance.maximumTrials + 1)))
    }

    /// Four counts read (nil where one was refused) into groups, after the
    /// engine's checks of each group, so both groups' mistakes show at once.
    static func proportions(_ counts: [Int?], collector: inout ValidationCollector) throws -> Groups? {
        var groups: Groups?
        for (group, successes, trials) in [("a", counts[0], counts[1]), ("b", counts[2], counts[3])] {
            guard let successes, let trials else { continue }
            _ = try collector.check { try check(successes: successes, trials: trials, group: group) }
        }
        if let aSuccesses = counts[0], let aTrials = counts[1], let bSuccesses = counts[2], let bTrials = counts[3] {
            groups = .counts(aSuccesses: aSuccesses, aTrials: aTrials, bSuccesses: bSuccesses, bTrials: bTrials)
        }
        return groups
    }

    /// A JSON value as an error message may quote it.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): String(number)
        case .string(let text): String(text.unicodeScalars.filter { !RequestLimits.isUnwanted($0) }.map(Character.init).prefix(24))
        case .array: "[…]"
        case .object: "{…}"
        }
    }
}

extension SignificanceInputError {
    /// The engine's refusal as the web layer's validation error: the field, the
    /// problem's code, and the figures its sentence quotes (a 1-based position,
    /// limits written with thousands separators).
    var refusal: ValidationError {
        var params: [String: String] = [:]
        if let index { params["position"] = String(index + 1) }
        switch problem {
        case .tooFewValues: params["min"] = String(Significance.minimumValues)
        case .tooManyValues: params["max"] = Self.grouped(Significance.maximumValues)
        case .tooManyTrials: params["max"] = Self.grouped(Significance.maximumTrials)
        default: break
        }
        return ValidationError(field: field, code: problem.rawValue, params: params)
    }

    /// 100000 → "100,000", as both languages write it.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        return String(digits.enumerated().flatMap { index, digit in index > 0 && (digits.count - index) % 3 == 0 ? [",", digit] : [digit] })
    }
}
