import Foundation
import MediaOpsDomain

/// The one rule for every address the server dials: robots, outbound webhooks,
/// webhook accounts, Mastodon instances and platform API bases alike.
///
/// The URL is parsed strictly (`WebAddress`: scheme, host, port range, no user
/// info); bases the operator configured are trusted when scheme, host and port
/// are equal as parsed (never by string prefix); anything else must resolve only
/// to public addresses, compared as bytes so that every notation of an address
/// (IPv4-mapped, long-form IPv6, NAT64, 6to4, decimal/octal/hex IPv4) is caught.
public struct OutboundPolicy: Sendable {
    public var allowPrivate: Bool
    public private(set) var trustedOrigins: Set<String>

    public init(allowPrivate: Bool = false, trustedBases: [String] = []) {
        self.allowPrivate = allowPrivate
        self.trustedOrigins = Set(trustedBases.compactMap { WebAddress($0)?.origin })
    }

    /// nil when `url` may be called; otherwise a reason code
    /// (`invalid_url`, `unresolvable_host`, `private_address`).
    public func refusal(for url: String) -> String? {
        guard let address = WebAddress(url) else { return "invalid_url" }
        if trustedOrigins.contains(address.origin) { return nil }
        // Resolvers read `127.1` or `0x7f000001` as addresses; the HTTP client
        // may or may not. Such hosts are refused rather than guessed at.
        if address.looksNumeric && !address.isCanonicalIPv4 { return "invalid_url" }
        if allowPrivate { return nil }
        let addresses = Self.resolve(address.host)
        if addresses.isEmpty { return "unresolvable_host" }
        if addresses.contains(where: { !$0.isPublic }) { return "private_address" }
        return nil
    }

    /// The refusal to give when an address is saved: a malformed or internal one.
    /// A host that does not resolve right now may resolve later (or only on the
    /// server's network); that is said when dialling, not when saving.
    public func refusalOnSave(for url: String) -> String? {
        guard let refusal = refusal(for: url), refusal != "unresolvable_host" else { return nil }
        return refusal
    }

    /// Every address `host` resolves to (a literal resolves to itself). Answers
    /// are kept for a minute: `getaddrinfo` blocks its thread, and a busy minute
    /// publishes hundreds of posts to the same few platform hosts.
    static func resolve(_ host: String) -> [IPAddress] {
        if let literal = IPAddress(literal: host) { return [literal] }
        if let cached = ResolverCache.shared.lookup(host) { return cached }
        let addresses = lookUp(host)
        if !addresses.isEmpty { ResolverCache.shared.store(host, addresses) }
        return addresses
    }

    private static func lookUp(_ host: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var pointer: UnsafeMutablePointer<addrinfo>? = first
        while let info = pointer {
            if let address = info.pointee.ai_addr, let parsed = IPAddress(sockaddr: address) { addresses.append(parsed) }
            pointer = info.pointee.ai_next
        }
        return addresses
    }
}

/// Recent answers of the system resolver, per host, for a minute.
final class ResolverCache: @unchecked Sendable {
    static let shared = ResolverCache()
    static let lifetime: TimeInterval = 60
    private let lock = NSLock()
    private var entries: [String: (at: Date, addresses: [IPAddress])] = [:]

    func lookup(_ host: String, now: Date = Date()) -> [IPAddress]? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[host], now.timeIntervalSince(entry.at) < Self.lifetime else { return nil }
        return entry.addresses
    }

    func store(_ host: String, _ addresses: [IPAddress], now: Date = Date()) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count > 1_000 { entries.removeAll() }
        entries[host] = (now, addresses)
    }
}

/// An IPv4 or IPv6 address as its bytes.
struct IPAddress: Sendable, Equatable {
    var bytes: [UInt8]

    init?(literal text: String) {
        let bare = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        var v4 = in_addr()
        if inet_pton(AF_INET, bare, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, bare, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    init?(sockaddr pointer: UnsafeMutablePointer<sockaddr>) {
        switch Int32(pointer.pointee.sa_family) {
        case AF_INET:
            bytes = pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                var address = sin.pointee.sin_addr
                return withUnsafeBytes(of: &address) { Array($0) }
            }
        case AF_INET6:
            bytes = pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                var address = sin6.pointee.sin6_addr
                return withUnsafeBytes(of: &address) { Array($0) }
            }
        default: return nil
        }
    }

    /// Reachable on the public internet: not loopback, private, shared (CGNAT),
    /// link-local, unspecified, multicast, reserved or documentation space, and
    /// no IPv6 form that embeds such an IPv4 address.
    var isPublic: Bool {
        if bytes.count == 4 { return Self.isPublicV4(bytes) }
        guard bytes.count == 16 else { return false }
        let b = bytes
        let firstTenZero = b[0..<10].allSatisfy { $0 == 0 }
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated; also :: and ::1)
        if firstTenZero && b[10] == 0xFF && b[11] == 0xFF { return Self.isPublicV4(Array(b[12..<16])) }
        if b[0..<12].allSatisfy({ $0 == 0 }) { return false }
        // 64:ff9b::/96 NAT64 and 64:ff9b:1::/48 local NAT64
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B {
            if b[4..<12].allSatisfy({ $0 == 0 }) { return Self.isPublicV4(Array(b[12..<16])) }
            return false
        }
        // 2002::/16 6to4 embeds an IPv4 address in bytes 2–5
        if b[0] == 0x20 && b[1] == 0x02 { return Self.isPublicV4(Array(b[2..<6])) }
        if b[0] == 0xFF { return false }                       // multicast
        if b[0] == 0xFE && (b[1] & 0xC0) == 0x80 { return false } // fe80::/10 link-local
        if b[0] == 0xFE && (b[1] & 0xC0) == 0xC0 { return false } // fec0::/10 site-local
        if (b[0] & 0xFE) == 0xFC { return false }              // fc00::/7 unique local
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8 { return false } // documentation
        if b[0] == 0x01 && b[1..<8].allSatisfy({ $0 == 0 }) { return false } // 100::/64 discard
        return true
    }

    static func isPublicV4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1], b[2]) {
        case (0, _, _), (10, _, _), (127, _, _): return false
        case (169, 254, _): return false
        case (172, 16...31, _): return false
        case (192, 168, _): return false
        case (100, 64...127, _): return false
        case (192, 0, 0), (192, 0, 2), (198, 51, 100), (203, 0, 113): return false
        case (198, 18...19, _): return false
        case (224...255, _, _): return false
        default: return true
        }
    }
}
