import Foundation

/// Which destinations user-entered URLs (robots, outbound webhooks, webhook
/// accounts) may reach. Private, loopback and link-local addresses are refused
/// unless the operator allows them, so a member cannot aim MediaOps at the
/// machines behind it. Bases the operator configured are trusted as they are.
public struct OutboundPolicy: Sendable {
    public var allowPrivate: Bool
    public var trustedPrefixes: [String]

    public init(allowPrivate: Bool = false, trustedPrefixes: [String] = []) {
        self.allowPrivate = allowPrivate
        self.trustedPrefixes = trustedPrefixes
    }

    /// nil when `url` may be called; otherwise a reason code.
    public func refusal(for url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else { return "invalid_url" }
        if trustedPrefixes.contains(where: { !$0.isEmpty && url.hasPrefix($0) }) { return nil }
        if allowPrivate { return nil }
        let addresses = Self.resolve(host)
        if addresses.isEmpty { return "unresolvable_host" }
        if addresses.contains(where: Self.isPrivate) { return "private_address" }
        return nil
    }

    static func resolve(_ host: String) -> [String] {
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        if Self.isLiteral(bare) { return [bare] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(bare, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var pointer: UnsafeMutablePointer<addrinfo>? = first
        while let info = pointer {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                addresses.append(String(cString: buffer))
            }
            pointer = info.pointee.ai_next
        }
        return addresses
    }

    static func isLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// Loopback, RFC 1918, CGNAT, link-local, unspecified, and their IPv6 kin (incl. IPv4-mapped).
    public static func isPrivate(_ address: String) -> Bool {
        let lower = address.lowercased()
        if lower.hasPrefix("::ffff:") { return isPrivate(String(lower.dropFirst(7))) }
        if lower.contains(":") {
            return lower == "::1" || lower == "::" || lower.hasPrefix("fe8") || lower.hasPrefix("fe9") || lower.hasPrefix("fea") || lower.hasPrefix("feb")
                || lower.hasPrefix("fc") || lower.hasPrefix("fd")
        }
        let parts = lower.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 4 else { return true }
        switch (parts[0], parts[1]) {
        case (0, _), (10, _), (127, _): return true
        case (169, 254): return true
        case (172, 16...31): return true
        case (192, 168): return true
        case (100, 64...127): return true
        default: return false
        }
    }
}
