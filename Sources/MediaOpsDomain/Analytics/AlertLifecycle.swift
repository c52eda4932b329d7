import Foundation

/// Where an alert is: raised, seen by someone, or dealt with.
public enum AlertState: String, CaseIterable, Sendable, Codable {
    case open, acknowledged, resolved

    /// Open or acknowledged: nobody has said it is over.
    public var isActive: Bool { self != .resolved }
}

/// What a member does to an alert.
public enum AlertAction: String, CaseIterable, Sendable, Codable {
    case acknowledge, resolve
}

/// The alert state machine: open → acknowledged → resolved, or open →
/// resolved directly. A resolved alert stays resolved; if the condition comes
/// back, the rule raises a new alert. Every other move is refused with 409.
public enum AlertTransition {
    public static func apply(_ action: AlertAction, to state: AlertState) throws(ConflictError) -> AlertState {
        switch (action, state) {
        case (.acknowledge, .open): return .acknowledged
        case (.resolve, .open), (.resolve, .acknowledged): return .resolved
        default:
            throw ConflictError(code: "invalid_transition", field: "action", params: ["action": action.rawValue, "state": state.rawValue])
        }
    }

    /// The actions allowed from `state`, for the buttons an alert shows.
    public static func actions(from state: AlertState) -> [AlertAction] {
        AlertAction.allCases.filter { (try? apply($0, to: state)) != nil }
    }
}

/// What an alert is about within its rule: one account (for the daily
/// metric kinds, and for posts, so a cool-down can limit an account's post
/// alerts), or one stage of a funnel. `key` is its stable text form.
public enum AlertSubject: Sendable, Hashable {
    case account(String)
    case funnelStage(funnelID: String, stage: Int)

    public var key: String {
        switch self {
        case .account(let id): "account:\(id)"
        case .funnelStage(let funnelID, let stage): "funnel:\(funnelID):\(stage)"
        }
    }
}

/// What a firing is of: a day of data (daily kinds and funnels) or a post.
/// Two firings of the same occasion are the same firing, however often the
/// rule is evaluated (after each pull, each import and daily).
public enum AlertOccasion: Sendable, Hashable {
    case day(LocalDate)
    /// The post, and the instant its judged snapshot was due (published + 24 h).
    case post(id: String, at: Date)

    func isSame(as other: AlertOccasion) -> Bool {
        switch (self, other) {
        case (.day(let a), .day(let b)): a == b
        case (.post(let a, _), .post(let b, _)): a == b
        default: false
        }
    }

    /// Hours from `other` to `self` (negative when `other` is later). Days are
    /// 24 hours apart whatever the zone's clock did, so "once a day" holds
    /// across a DST change and whatever time of day the pull ran.
    func hours(since other: AlertOccasion) -> Double? {
        switch (self, other) {
        case (.day(let a), .day(let b)): Double(a.dayNumber - b.dayNumber) * 24
        case (.post(_, let a), .post(_, let b)): a.timeIntervalSince(b) / 3_600
        default: nil
        }
    }
}

/// The last alert a rule raised for a subject.
public struct AlertLastFiring: Sendable, Equatable {
    public var occasion: AlertOccasion
    public var state: AlertState

    public init(occasion: AlertOccasion, state: AlertState) {
        self.occasion = occasion
        self.state = state
    }
}

/// Why a firing did not raise an alert.
public enum AlertSuppression: String, CaseIterable, Sendable, Codable {
    /// The last alert was for this very day or post.
    case duplicate
    /// The last alert is still open or acknowledged and less than the cool-down ago.
    case coolingDown = "cooling_down"
}

public enum AlertDecision: Sendable, Equatable {
    /// Raise a new alert (and notify).
    case raise
    case suppress(AlertSuppression)
}

/// Deduplication: whether a new firing of a rule for a subject raises an
/// alert, given the last alert it raised for that subject.
public enum AlertCooldown {
    /// - The same day or post as the last alert: a duplicate, whatever its state.
    /// - The last alert resolved: a new alert — someone said it was over, and
    ///   it is happening again.
    /// - The last alert still open or acknowledged, less than `cooldownHours`
    ///   before (in either direction, for a late import of an earlier day):
    ///   cooling down.
    /// - Otherwise a new alert.
    public static func decide(_ occasion: AlertOccasion, last: AlertLastFiring?, cooldownHours: Int) -> AlertDecision {
        guard let last else { return .raise }
        if occasion.isSame(as: last.occasion) { return .suppress(.duplicate) }
        guard last.state.isActive, let hours = occasion.hours(since: last.occasion) else { return .raise }
        return abs(hours) < Double(cooldownHours) ? .suppress(.coolingDown) : .raise
    }
}
