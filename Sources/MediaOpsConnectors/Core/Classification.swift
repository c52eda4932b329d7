import Foundation
import MediaOpsDomain

/// The shared rules for turning HTTP results into publish outcomes. Platform
/// connectors apply their own error codes first and fall back to these.
public enum Classification {
    /// A transport failure: not sent → safe to retry; sent without answer → unknown.
    public static func outcome(_ failure: TransportFailure) -> PublishOutcome {
        switch failure {
        case .notSent(let reason): .transient(reason: reason, retryAfter: nil)
        case .noAnswer(let reason): .unknown(reason: reason)
        case .refused(let reason): .permanent(reason: reason)
        }
    }

    /// Status-level classification for a non-2xx answer (nil for 2xx).
    public static func outcome(status: Int, detail: String, retryAfter: TimeInterval? = nil) -> PublishOutcome? {
        switch status {
        case 200..<300: return nil
        case 429: return .transient(reason: "rate_limited: \(detail)", retryAfter: retryAfter)
        case 401: return .reconnectNeeded(reason: "unauthorized: \(detail)")
        case 500...: return .transient(reason: "server_error \(status): \(detail)", retryAfter: retryAfter)
        default: return .permanent(reason: "rejected \(status): \(detail)")
        }
    }

    /// Seconds from a Retry-After header (delta-seconds form).
    public static func retryAfter(_ response: OutboundResponse) -> TimeInterval? {
        response.header("Retry-After").flatMap { TimeInterval($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// The same mapping for reconciliation calls.
    public static func reconcile(_ failure: TransportFailure) -> ReconcileOutcome {
        switch failure {
        case .notSent(let reason), .noAnswer(let reason): .retryLater(reason: reason, retryAfter: nil)
        case .refused(let reason): .needsHuman(reason: reason)
        }
    }
}

/// Every connector by platform. Assisted platforms have none: people publish them.
public struct ConnectorRegistry: Sendable {
    private let connectors: [Platform: any Connector]

    public init(_ connectors: [any Connector]) {
        self.connectors = Dictionary(connectors.map { ($0.platform, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func connector(for platform: Platform) -> (any Connector)? { connectors[platform] }

    public var platforms: [Platform] { Platform.allCases.filter { connectors[$0] != nil } }
}
