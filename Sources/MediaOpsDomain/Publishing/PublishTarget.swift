import Foundation

/// Where one (content item, account) publication is. Scheduled targets can be
/// moved or cancelled; once publishing starts only the engine moves them.
public enum TargetState: String, CaseIterable, Sendable, Codable {
    case scheduled, publishing, published, failed
    /// The request was sent but the answer never came: never retried blindly,
    /// reconciled by asking the platform or by a person.
    case unconfirmed
    case cancelled

    public var isOpen: Bool { self == .scheduled }
    public var isFinal: Bool { self == .published || self == .cancelled }
}

/// One publication of a content item on one account.
public struct PublishTarget: Sendable, Equatable {
    public var id: String
    public var contentID: String
    public var accountID: String
    public var platform: Platform
    public var dueAt: Date
    public var state: TargetState
    public var externalID: String?
    public var externalURL: String?
    public var failureReason: String?
    public var jobID: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, contentID: String, accountID: String, platform: Platform, dueAt: Date, state: TargetState, externalID: String?,
                externalURL: String?, failureReason: String?, jobID: String?, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.contentID = contentID
        self.accountID = accountID
        self.platform = platform
        self.dueAt = dueAt
        self.state = state
        self.externalID = externalID
        self.externalURL = externalURL
        self.failureReason = failureReason
        self.jobID = jobID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// An item's publishing state, derived from its targets (never stored twice).
public enum PublishingSummary: String, Sendable, Codable {
    case none, scheduled, publishing, published
    case partiallyPublished = "partially_published"
    case failed
    case needsAttention = "needs_attention"

    public static func derive(_ states: [TargetState]) -> PublishingSummary {
        let live = states.filter { $0 != .cancelled }
        guard !live.isEmpty else { return .none }
        if live.allSatisfy({ $0 == .published }) { return .published }
        if live.contains(.publishing) { return .publishing }
        if live.contains(.unconfirmed) { return .needsAttention }
        let published = live.filter { $0 == .published }.count
        if live.contains(.failed) { return published > 0 ? .partiallyPublished : .failed }
        return published > 0 ? .partiallyPublished : .scheduled
    }
}
