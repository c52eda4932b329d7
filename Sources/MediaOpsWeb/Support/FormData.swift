import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body. Repeated names (checkboxes)
/// keep every value.
public struct FormData: Sendable {
    public private(set) var values: [String: [String]] = [:]

    public init(_ body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(String(parts[0]))
            let value = parts.count > 1 ? Self.decode(String(parts[1])) : ""
            values[name, default: []].append(value)
        }
    }

    public subscript(_ name: String) -> String? { values[name]?.first }

    public func all(_ name: String) -> [String] { values[name] ?? [] }

    public func has(_ name: String) -> Bool { values[name] != nil }

    private static func decode(_ text: String) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text
    }

    /// Reads a form body of at most 256 KiB.
    static func read(_ request: Request) async throws -> FormData {
        var request = request
        let buffer = try await request.collectBody(upTo: 256 * 1024)
        return FormData(String(buffer: buffer))
    }
}
