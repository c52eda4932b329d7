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

    /// NUL and other control characters (tab and line breaks aside) never mean
    /// anything in a form and break search syntax and PostgreSQL text: dropped.
    private static func decode(_ text: String) -> String {
        RequestLimits.clean(text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text)
    }

    /// Reads a form body of at most `RequestLimits.maxBodyBytes`; above that, 413
    /// (a pasted 秀米/135 article runs to hundreds of kilobytes once encoded).
    static func read(_ request: Request) async throws -> FormData {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: RequestLimits.maxBodyBytes)
        } catch {
            throw AppError(.contentTooLarge, "too_large", params: ["max": RequestLimits.maxBodyLabel])
        }
        return FormData(String(buffer: buffer))
    }
}

/// The size of request bodies the server reads (uploads have their own limit).
public enum RequestLimits {
    /// 4 MiB: a 200,000-character Chinese body is about 600 KB as UTF-8 and
    /// three times that percent-encoded in a form.
    public static let maxBodyBytes = 4 << 20
    public static let maxBodyLabel = "4 MB"

    /// Removes C0 control characters except tab, CR and LF, and DEL.
    public static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnwanted) else { return text }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: text.unicodeScalars.filter { !isUnwanted($0) })
        return String(out)
    }

    static func isUnwanted(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0x7F
    }
}
