import Foundation

/// A rule a piece of input broke. `code` is a catalog key suffix (`error.<code>`)
/// so the web layer can say it in the user's language; `field` names the input.
public struct ValidationError: Error, Sendable, Equatable {
    public var field: String
    public var code: String
    public var params: [String: String]

    public init(field: String, code: String, params: [String: String] = [:]) {
        self.field = field
        self.code = code
        self.params = params
    }
}

/// Every rule a piece of input broke, in the order of its fields, so a person
/// fixes them all in one go instead of one per submit.
public struct ValidationErrors: Error, Sendable, Equatable {
    public var errors: [ValidationError]
    public init(_ errors: [ValidationError]) { self.errors = errors }
}

/// Runs a form's checks one after another and keeps every broken rule.
public struct ValidationCollector: Sendable {
    public private(set) var errors: [ValidationError] = []

    public init() {}

    /// The check's value, or nil when it broke a rule (which is kept). Other
    /// errors are not input mistakes and pass through.
    public mutating func check<T>(_ body: () throws -> T) throws -> T? {
        do {
            return try body()
        } catch let error as ValidationError {
            errors.append(error)
            return nil
        } catch let error as ValidationErrors {
            errors.append(contentsOf: error.errors)
            return nil
        }
    }

    public mutating func add(_ error: ValidationError) { errors.append(error) }

    /// Throws what was collected: the one error alone, several together.
    public func finish() throws {
        if errors.count == 1 { throw errors[0] }
        if errors.count > 1 { throw ValidationErrors(errors) }
    }
}

/// A request that is well formed but conflicts with the current state (HTTP 409).
public struct ConflictError: Error, Sendable, Equatable {
    public var code: String
    public var field: String?
    public var params: [String: String]

    public init(code: String, field: String? = nil, params: [String: String] = [:]) {
        self.code = code
        self.field = field
        self.params = params
    }
}

/// The thing asked for does not exist (HTTP 404).
public struct NotFoundError: Error, Sendable, Equatable {
    public var entity: String
    public init(entity: String) { self.entity = entity }
}

/// Shared input rules, so the API, the forms and the CLI refuse the same things
/// with the same words.
public enum Validate {
    /// Trims and checks a required text's length in characters (grapheme clusters,
    /// which is how a person counts 中文 as well as Latin text).
    public static func requiredText(_ value: String?, field: String, max: Int) throws(ValidationError) -> String {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ValidationError(field: field, code: "required") }
        guard trimmed.count <= max else { throw ValidationError(field: field, code: "too_long", params: ["max": String(max)]) }
        return trimmed
    }

    public static func optionalText(_ value: String?, field: String, max: Int) throws(ValidationError) -> String {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= max else { throw ValidationError(field: field, code: "too_long", params: ["max": String(max)]) }
        return trimmed
    }

    /// Lower-cased, trimmed e-mail with one "@", a dot in the domain and no spaces.
    public static func email(_ value: String?, field: String = "email") throws(ValidationError) -> String {
        let email = try requiredText(value, field: field, max: 254).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !email.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," })
        else { throw ValidationError(field: field, code: "invalid_email") }
        return email
    }

    /// Instants from outside stay within years 1970–9999: later code turns them
    /// into epoch milliseconds and calendar components, which trap far beyond.
    public static func instantInRange(_ date: Date, field: String) throws(ValidationError) -> Date {
        guard date.timeIntervalSince1970 >= 0, date.timeIntervalSince1970 < 253_402_300_800 else {
            throw ValidationError(field: field, code: "invalid_date")
        }
        return date
    }

    /// A whole number from outside within a range, so arithmetic on it cannot overflow.
    public static func integer(_ value: Int, field: String, in range: ClosedRange<Int>) throws(ValidationError) -> Int {
        guard range.contains(value) else {
            throw ValidationError(field: field, code: "out_of_range",
                                  params: ["min": String(range.lowerBound), "max": String(range.upperBound)])
        }
        return value
    }

    public static let minimumPasswordLength = 8

    public static func password(_ value: String?, field: String = "password") throws(ValidationError) -> String {
        guard let value, !value.isEmpty else { throw ValidationError(field: field, code: "required") }
        guard value.count >= minimumPasswordLength else {
            throw ValidationError(field: field, code: "password_too_short", params: ["min": String(minimumPasswordLength)])
        }
        // bcrypt reads at most 72 bytes; refuse longer input rather than silently ignore its tail.
        guard value.utf8.count <= 72 else { throw ValidationError(field: field, code: "password_too_long", params: ["max": "72"]) }
        return value
    }

    public static func timeZone(_ value: String?, field: String = "time_zone") throws(ValidationError) -> String {
        let identifier = try requiredText(value, field: field, max: 64)
        guard TimeZone(identifier: identifier) != nil, identifier.contains("/") || identifier == "UTC" else {
            throw ValidationError(field: field, code: "invalid_time_zone")
        }
        return identifier
    }

    public static func locale(_ value: String?, field: String = "locale") throws(ValidationError) -> AppLocale {
        guard let value, !value.isEmpty else { throw ValidationError(field: field, code: "required") }
        guard let locale = AppLocale(rawValue: value) ?? AppLocale(loose: value) else {
            throw ValidationError(field: field, code: "invalid_choice", params: ["choices": AppLocale.allCases.map(\.rawValue).joined(separator: ", ")])
        }
        return locale
    }

    /// An absolute http(s) URL with a host and a valid port, no user info and no
    /// control characters (see `WebAddress`): the same reading the server dials with.
    public static func url(_ value: String, field: String) throws(ValidationError) -> String {
        guard let address = WebAddress(value) else { throw ValidationError(field: field, code: "invalid_url") }
        return address.text
    }
}

/// The member may use the route but not take this action on this thing, e.g.
/// approving outside their review stage (HTTP 403 with a specific code).
public struct PermissionError: Error, Sendable, Equatable {
    public var code: String
    public var params: [String: String]

    public init(code: String, params: [String: String] = [:]) {
        self.code = code
        self.params = params
    }
}
