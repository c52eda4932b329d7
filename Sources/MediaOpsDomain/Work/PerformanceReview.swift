import Foundation

/// Where a performance review stands. The member writes a self-assessment,
/// their manager (or the director) assesses and rates, then finalizes, which
/// freezes the scorecard. Each state has a sentence in both catalogs.
public enum PerformanceReviewState: String, CaseIterable, Sendable, Codable {
    case draft
    case selfAssessed = "self_assessed"
    case assessed
    case finalized
}

/// The final rating, S best to D. Each level has a name and a sentence in both catalogs.
public enum PerformanceRating: String, CaseIterable, Sendable, Codable {
    case s = "S", a = "A", b = "B", c = "C", d = "D"

    /// The level a weighted score points to, offered to the assessor as a
    /// suggestion (the assessor decides): S from 110, A from 100, B from 85, C from 70.
    public static func suggested(score: Double?) -> PerformanceRating? {
        guard let score else { return nil }
        switch score {
        case 110...: return .s
        case 100..<110: return .a
        case 85..<100: return .b
        case 70..<85: return .c
        default: return .d
        }
    }
}

/// What was done to a review; its history lists these.
public enum PerformanceReviewStep: String, CaseIterable, Sendable, Codable {
    case opened
    case selfAssessed = "self_assessed"
    case assessed
    case finalized
}

public struct PerformanceReview: Sendable, Equatable, Identifiable {
    public var id: String
    public var memberID: String
    public var period: KpiPeriod
    public var state: PerformanceReviewState
    public var selfAssessment: String
    public var managerAssessment: String
    public var managerComments: String
    public var rating: PerformanceRating?
    public var assessorID: String?
    /// The scorecard as it stood when the review was finalized.
    public var scorecard: Scorecard?
    public var createdAt: Date
    public var updatedAt: Date
    public var finalizedAt: Date?

    public init(id: String, memberID: String, period: KpiPeriod, state: PerformanceReviewState = .draft, selfAssessment: String = "",
                managerAssessment: String = "", managerComments: String = "", rating: PerformanceRating? = nil, assessorID: String? = nil,
                scorecard: Scorecard? = nil, createdAt: Date, updatedAt: Date, finalizedAt: Date? = nil) {
        self.id = id
        self.memberID = memberID
        self.period = period
        self.state = state
        self.selfAssessment = selfAssessment
        self.managerAssessment = managerAssessment
        self.managerComments = managerComments
        self.rating = rating
        self.assessorID = assessorID
        self.scorecard = scorecard
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.finalizedAt = finalizedAt
    }

    public static let maxTextLength = 5_000

    /// The member writes (or rewrites) their self-assessment until the manager has assessed.
    public var acceptsSelfAssessment: Bool { state == .draft || state == .selfAssessed }
    /// The assessor assesses once the member has written theirs, and may revise until finalized.
    public var acceptsAssessment: Bool { state == .selfAssessed || state == .assessed }
    public var canFinalize: Bool { state == .assessed }
}

/// A review that waits for someone's step, and which step.
public struct WaitingReview: Sendable, Equatable {
    public enum Action: String, Sendable, CaseIterable { case selfAssess = "self_assess", assess, finalize }
    public var memberID: String
    public var period: KpiPeriod
    public var action: Action

    public init(memberID: String, period: KpiPeriod, action: Action) {
        self.memberID = memberID
        self.period = period
        self.action = action
    }
}

public struct PerformanceReviewEntry: Sendable, Equatable {
    public var step: PerformanceReviewStep
    public var actorID: String?
    public var actorName: String
    public var at: Date

    public init(step: PerformanceReviewStep, actorID: String?, actorName: String, at: Date) {
        self.step = step
        self.actorID = actorID
        self.actorName = actorName
        self.at = at
    }
}
