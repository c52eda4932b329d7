import Foundation

/// An absolute http(s) URL taken apart once, strictly, so that saving it and
/// dialling it read the same scheme, host and port. Foundation's parsers are
/// lenient in ways that matter here: a port above 65535 passed `URL(string:)`
/// and trapped deep in the HTTP client, and a user-info part (`http://a@b/`)
/// made a string-prefix check see one host while the client dialled another.
public struct WebAddress: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: String, Sendable { case http, https }

    public let scheme: Scheme
    /// Lower-cased; an IPv6 literal without its brackets.
    public let host: String
    public let port: Int
    /// The text the address was read from, trimmed.
    public let text: String

    public var isIPv6Literal: Bool { host.contains(":") }
    /// Scheme, host and port: what decides where a request goes.
    public var origin: String { "\(scheme.rawValue)://\(isIPv6Literal ? "[\(host)]" : host):\(port)" }
    public var description: String { text }

    public static let maxLength = 2_048

    public init?(_ raw: String) {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.utf8.count <= Self.maxLength else { return nil }
        // Control characters, spaces and backslashes are read differently by
        // browsers, Foundation and the HTTP client: refuse them anywhere.
        guard !text.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || $0 == "\\" }) else { return nil }
        guard let separator = text.range(of: "://") else { return nil }
        guard let scheme = Scheme(rawValue: text[..<separator.lowerBound].lowercased()) else { return nil }
        let afterScheme = text[separator.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        // User info has no place in an address MediaOps dials, and it is the
        // classic way to make one host look like another.
        guard !authority.contains("@"), !authority.isEmpty else { return nil }

        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }), host.contains(":") else { return nil }
        } else {
            if let colon = authority.lastIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            } else {
                host = authority
            }
            guard !host.isEmpty, !host.contains(":"), !host.hasPrefix("."), !host.hasPrefix("-"),
                  !host.contains(".."),
                  host.unicodeScalars.allSatisfy({ scalar in
                      scalar.value > 0x7F || CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "." || scalar == "_"
                  })
            else { return nil }
        }
        var port = scheme == .https ? 443 : 80
        if let portText {
            guard (1...5).contains(portText.count), portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber),
                  let value = Int(portText), (1...65_535).contains(value) else { return nil }
            port = value
        }
        // The HTTP client parses with Foundation: it must agree the address is whole.
        guard URL(string: text)?.host != nil else { return nil }
        self.scheme = scheme
        self.host = host.lowercased().hasSuffix(".") ? String(host.lowercased().dropLast()) : host.lowercased()
        self.port = port
        self.text = text
        guard !self.host.isEmpty else { return nil }
        // `127.1`, `0x7f000001`, `2130706433`: C resolvers read these as addresses,
        // other parsers as names. An address is written as a dotted quad or not at all.
        if looksNumeric && !isCanonicalIPv4 { return nil }
    }

    /// True when every label is a number in some base (`127.1`, `0x7f.1`,
    /// `2130706433`, `0177.0.0.1`): C resolvers read these as IPv4 addresses,
    /// so the policy must treat them as literals, not names.
    public var looksNumeric: Bool {
        guard !isIPv6Literal else { return false }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            let lower = label.lowercased()
            if lower.hasPrefix("0x") { return lower.dropFirst(2).allSatisfy(\.isHexDigit) }
            return !label.isEmpty && label.allSatisfy { $0.isASCII && $0.isNumber }
        }
    }

    /// A canonical dotted quad (four decimal parts, no leading zeros, each ≤ 255).
    public var isCanonicalIPv4: Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            guard let value = Int(part), (0...255).contains(value), part.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            return part == "0" || !part.hasPrefix("0")
        }
    }
}

/// Links that stay on this site. Browsers drop tabs and newlines inside a URL
/// and read a backslash as a slash, so `/\evil.example` and `/<TAB>/evil.example`
/// both mean `//evil.example`, another host. A path is local only when it
/// starts with one slash and holds none of those characters.
public enum LocalPath {
    public static func isLocal(_ value: String) -> Bool {
        guard value.hasPrefix("/"), value.utf8.count < 2_000 else { return false }
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" || $0 == " " }) else { return false }
        let second = value.dropFirst().first
        return second != "/"
    }

    /// `value` when it is a local path, otherwise "/".
    public static func safe(_ value: String?) -> String {
        guard let value, isLocal(value) else { return "/" }
        return value
    }
}

extension WebAddress {
    /// An http(s) link safe to store and show as a link (a platform's post URL,
    /// a confirmation URL): nil for `javascript:` and every other scheme.
    public static func link(_ raw: String?) -> String? {
        guard let raw, let address = WebAddress(raw) else { return nil }
        return address.text
    }
}
