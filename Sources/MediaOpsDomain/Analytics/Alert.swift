import Foundation

/// One alert a rule raised: what it is about (`subjectKey`, and the account),
/// the day or post it fired on, where it is in its lifecycle, and the numbers
/// behind it.
public struct Alert: Sendable, Equatable, Identifiable {
    public var id: String
    public var ruleID: String
    /// `AlertSubject.key`: "account:<id>" or "funnel:<id>:<stage>".
    public var subjectKey: String
    public var accountID: String?
    public var occasion: AlertOccasion
    public var state: AlertState
    public var evidence: AlertEvidence
    public var firedAt: Date
    public var acknowledgedBy: String?
    public var acknowledgedAt: Date?
    public var resolvedBy: String?
    public var resolvedAt: Date?

    public init(id: String, ruleID: String, subjectKey: String, accountID: String?, occasion: AlertOccasion, state: AlertState = .open,
                evidence: AlertEvidence, firedAt: Date, acknowledgedBy: String? = nil, acknowledgedAt: Date? = nil,
                resolvedBy: String? = nil, resolvedAt: Date? = nil) {
        self.id = id
        self.ruleID = ruleID
        self.subjectKey = subjectKey
        self.accountID = accountID
        self.occasion = occasion
        self.state = state
        self.evidence = evidence
        self.firedAt = firedAt
        self.acknowledgedBy = acknowledgedBy
        self.acknowledgedAt = acknowledgedAt
        self.resolvedBy = resolvedBy
        self.resolvedAt = resolvedAt
    }

    /// What the cool-down compares a new firing with.
    public var lastFiring: AlertLastFiring { AlertLastFiring(occasion: occasion, state: state) }
}

/// One step in an alert's history: raised (`from` nil, no member), acknowledged or resolved.
public struct AlertEvent: Sendable, Equatable {
    public var alertID: String
    public var from: AlertState?
    public var to: AlertState
    public var memberID: String?
    public var at: Date

    public init(alertID: String, from: AlertState?, to: AlertState, memberID: String?, at: Date) {
        self.alertID = alertID
        self.from = from
        self.to = to
        self.memberID = memberID
        self.at = at
    }
}

extension AlertScope {
    /// Whether the scope takes in `account` (each account is judged on its own series).
    public func covers(_ account: Account) -> Bool {
        switch self {
        case .account(let id): account.id == id
        case .group(let id): account.groupIDs.contains(id)
        case .allAccounts: true
        }
    }
}
