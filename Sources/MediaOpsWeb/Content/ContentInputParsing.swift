import Foundation
import MediaOpsDomain
import MediaOpsStore

/// Reading content fields from forms and JSON the same way.
enum ContentInputParsing {
    /// A textarea may hold HTML or plain text; plain text becomes paragraphs.
    static func body(fromForm text: String) -> String {
        text.range(of: #"<[a-zA-Z/][^>]*>"#, options: .regularExpression) != nil ? text : HTMLSanitizer.paragraphs(fromPlainText: text)
    }

    static func tags(fromForm text: String?) -> [String]? {
        text.map { $0.split(whereSeparator: { ",，、 #＃\n".contains($0) }).map(String.init) }
    }

    /// "2026-11-22T20:00" from a datetime-local input, read in the workspace zone
    /// (daylight-saving edges as `LocalDateTime` resolves them).
    static func localDateTime(_ text: String?, field: String, zone: TimeZone) throws -> Date?? {
        guard let text else { return .none }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .some(nil) }
        guard let local = LocalDateTime(trimmed), let date = local.instant(in: zone) else { throw ValidationError(field: field, code: "invalid_date") }
        return .some(date)
    }

    /// An ISO 8601 instant (with offset) from the API, or null to clear.
    static func instant(_ value: String??, field: String) throws -> Date?? {
        switch value {
        case .none: return .none
        case .some(.none): return .some(nil)
        case .some(.some(let text)):
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            guard let date = ISO8601DateFormatter().date(from: text) ?? formatter.date(from: text) else {
                throw ValidationError(field: field, code: "invalid_date")
            }
            return .some(try Validate.instantInRange(date, field: field))
        }
    }

    static func localInputValue(_ date: Date?, zone: TimeZone) -> String {
        guard let date else { return "" }
        return DateFormatters.string(date, pattern: "yyyy-MM-dd'T'HH:mm", locale: "en_US_POSIX", zone: zone)
    }

    static func platform(_ raw: String?, field: String = "platform") throws -> Platform {
        guard let raw, !raw.isEmpty else { throw ValidationError(field: field, code: "required") }
        guard let platform = Platform(rawValue: raw) else {
            throw ValidationError(field: field, code: "invalid_choice", params: ["choices": Platform.allCases.map(\.rawValue).joined(separator: ", ")])
        }
        return platform
    }

    static func version(_ raw: String?) throws -> Int? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let value = Int(raw), value >= 0 else { throw ValidationError(field: "version", code: "invalid_number") }
        return value
    }
}

extension JSONInput {
    func int(_ key: String) throws -> Int? {
        switch object[key] {
        case .none, .null: return nil
        case .number(let value) where value == value.rounded() && abs(value) < 1e12: return Int(value)
        default: throw ValidationError(field: key, code: "invalid_type", params: ["type": "integer"])
        }
    }
}
