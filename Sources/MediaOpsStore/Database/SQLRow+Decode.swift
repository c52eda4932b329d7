import Foundation
import MediaOpsDomain
import SQLKit

/// Column readers in the store's one representation (instants as epoch milliseconds).
extension SQLRow {
    public func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    public func optionalString(_ column: String) throws -> String? { try decodeNil(column: column) ? nil : decode(column: column, as: String.self) }
    public func int(_ column: String) throws -> Int { try decode(column: column, as: Int.self) }
    public func optionalInt(_ column: String) throws -> Int? { try decodeNil(column: column) ? nil : decode(column: column, as: Int.self) }
    public func bool(_ column: String) throws -> Bool { try decode(column: column, as: Bool.self) }
    public func double(_ column: String) throws -> Double { try decode(column: column, as: Double.self) }
    public func optionalDouble(_ column: String) throws -> Double? { try decodeNil(column: column) ? nil : decode(column: column, as: Double.self) }
    public func date(_ column: String) throws -> Date { Date(epochMilliseconds: try decode(column: column, as: Int64.self)) }
    public func optionalDate(_ column: String) throws -> Date? {
        try decodeNil(column: column) ? nil : Date(epochMilliseconds: decode(column: column, as: Int64.self))
    }
}

/// A stored value no enumeration case matches: written by a newer version or
/// by hand. Reading it as some default state could publish what nobody
/// scheduled, so the read fails instead.
public struct UnreadableStoredValue: Error, Sendable, CustomStringConvertible {
    public var column: String
    public var value: String
    public var description: String { "unreadable stored value \(value) in column \(column)" }
}

extension SQLRow {
    /// A column holding an enumeration's raw value; throws on an unknown one.
    public func value<E: RawRepresentable>(_ column: String, as type: E.Type) throws -> E where E.RawValue == String {
        let raw = try string(column)
        guard let value = E(rawValue: raw) else { throw UnreadableStoredValue(column: column, value: raw) }
        return value
    }

    public func value<E: RawRepresentable>(_ column: String, as type: E.Type) throws -> E where E.RawValue == Int {
        let raw = try int(column)
        guard let value = E(rawValue: raw) else { throw UnreadableStoredValue(column: column, value: String(raw)) }
        return value
    }
}

enum JSONText {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// Escapes LIKE wildcards so a user's search for "100%" matches literally.
func likePattern(_ query: String) -> String {
    let escaped = query.lowercased()
        .replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "%", with: "\\%")
        .replacingOccurrences(of: "_", with: "\\_")
    return "%\(escaped)%"
}

/// "WHERE a AND b …", or nothing when there are no conditions.
func whereSQL(_ conditions: [SQLQueryString]) -> SQLQueryString {
    conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
}
