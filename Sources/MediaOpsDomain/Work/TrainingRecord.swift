import Foundation

/// How a training ended.
public enum TrainingResult: String, CaseIterable, Sendable, Codable {
    /// Passed the course's assessment.
    case passed
    /// Took the assessment and did not pass it.
    case failed
    /// Attended a course that has no assessment.
    case attended
    /// The assessment has not been marked yet.
    case pending
}

/// A course a member took: recorded by whoever assesses them, read by the member.
public struct TrainingRecord: Sendable, Equatable {
    public var id: String
    public var memberID: String
    public var course: String
    public var provider: String
    /// The day the course ended, in the workspace's calendar.
    public var day: LocalDate
    public var hours: Double
    public var result: TrainingResult
    /// The assessment's score out of 100, when it gives one.
    public var score: Double?
    public var notes: String
    /// A scan or photo of the certificate in the asset library.
    public var certificateAssetID: String?
    public var recordedBy: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, memberID: String, course: String, provider: String = "", day: LocalDate, hours: Double, result: TrainingResult,
                score: Double? = nil, notes: String = "", certificateAssetID: String? = nil, recordedBy: String? = nil,
                createdAt: Date = Date(timeIntervalSince1970: 0), updatedAt: Date = Date(timeIntervalSince1970: 0)) {
        self.id = id
        self.memberID = memberID
        self.course = course
        self.provider = provider
        self.day = day
        self.hours = hours
        self.result = result
        self.score = score
        self.notes = notes
        self.certificateAssetID = certificateAssetID
        self.recordedBy = recordedBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public static let maxCourse = 120
    public static let maxProvider = 80
    public static let maxNotes = 2_000
    /// A single course longer than this is a typo (a year of full-time study is ~2,000 hours).
    public static let maxHours = 1_000.0

    /// Every broken field at once, in the form's order. `today` bounds the day:
    /// a course is recorded once it has ended.
    public func validationErrors(today: LocalDate) -> [ValidationError] {
        var errors: [ValidationError] = []
        if memberID.isEmpty { errors.append(ValidationError(field: "member_id", code: "required")) }
        if course.isEmpty { errors.append(ValidationError(field: "course", code: "required")) }
        else if course.count > Self.maxCourse { errors.append(ValidationError(field: "course", code: "too_long", params: ["max": String(Self.maxCourse)])) }
        if provider.count > Self.maxProvider { errors.append(ValidationError(field: "provider", code: "too_long", params: ["max": String(Self.maxProvider)])) }
        if day.year < 2000 { errors.append(ValidationError(field: "day", code: "day_invalid")) }
        else if day > today { errors.append(ValidationError(field: "day", code: "training_day_in_future")) }
        if !hours.isFinite || hours <= 0 || hours > Self.maxHours || (hours * 2).rounded() != hours * 2 {
            errors.append(ValidationError(field: "hours", code: "training_hours_range", params: ["max": "1000"]))
        }
        if let score {
            if !score.isFinite || score < 0 || score > 100 { errors.append(ValidationError(field: "score", code: "out_of_range", params: ["min": "0", "max": "100"])) }
            else if result == .attended || result == .pending { errors.append(ValidationError(field: "score", code: "training_score_without_assessment")) }
        }
        if notes.count > Self.maxNotes { errors.append(ValidationError(field: "notes", code: "too_long", params: ["max": String(Self.maxNotes)])) }
        return errors
    }
}

/// The levels every assessment standard grades a criterion on, best first.
public enum AssessmentLevel: String, CaseIterable, Sendable, Codable {
    case excellent
    case good
    case qualified
    case improve
}

/// A text kept in both of the workspace's languages.
public struct BilingualText: Sendable, Equatable, Codable {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }
}

/// One thing a position is assessed on, and what each level of it means.
public struct AssessmentCriterion: Sendable, Equatable, Codable {
    public var name: BilingualText
    public var levels: [AssessmentLevel: BilingualText]

    public init(name: BilingualText, levels: [AssessmentLevel: BilingualText]) {
        self.name = name
        self.levels = levels
    }

    public static let maxName = 60
    public static let maxLevel = 300
}

/// A position's assessment standard (岗位考核标准): the criteria its holders
/// are assessed on. Each built-in position starts with a standard written
/// for it; a workspace rewrites it to suit itself.
public struct AssessmentStandard: Sendable, Equatable {
    public var roleKey: String
    public var criteria: [AssessmentCriterion]
    /// False while the workspace still uses the built-in text.
    public var customized: Bool
    public var updatedBy: String?
    public var updatedAt: Date?

    public init(roleKey: String, criteria: [AssessmentCriterion], customized: Bool, updatedBy: String? = nil, updatedAt: Date? = nil) {
        self.roleKey = roleKey
        self.criteria = criteria
        self.customized = customized
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }

    public static let maxCriteria = 8

    /// The positions that have a standard: every built-in role that is a job on the team.
    public static let positions: [BuiltinRole] = BuiltinRole.allCases.filter { $0 != .owner && $0 != .viewer }

    /// Every broken field at once; fields are named `criteria.<index>.name_zh`, `criteria.<index>.<level>_en` ….
    public func validationErrors() -> [ValidationError] {
        var errors: [ValidationError] = []
        if criteria.isEmpty { errors.append(ValidationError(field: "criteria", code: "assessment_no_criteria")) }
        if criteria.count > Self.maxCriteria { errors.append(ValidationError(field: "criteria", code: "assessment_too_many_criteria", params: ["max": String(Self.maxCriteria)])) }
        for (index, criterion) in criteria.prefix(Self.maxCriteria).enumerated() {
            for (suffix, text) in [("zh", criterion.name.zh), ("en", criterion.name.en)] {
                let field = "criteria.\(index).name_\(suffix)"
                if text.isEmpty { errors.append(ValidationError(field: field, code: "required")) }
                else if text.count > AssessmentCriterion.maxName { errors.append(ValidationError(field: field, code: "too_long", params: ["max": String(AssessmentCriterion.maxName)])) }
            }
            for level in AssessmentLevel.allCases {
                let text = criterion.levels[level] ?? BilingualText(zh: "", en: "")
                for (suffix, value) in [("zh", text.zh), ("en", text.en)] {
                    let field = "criteria.\(index).\(level.rawValue)_\(suffix)"
                    if value.isEmpty { errors.append(ValidationError(field: field, code: "required")) }
                    else if value.count > AssessmentCriterion.maxLevel { errors.append(ValidationError(field: field, code: "too_long", params: ["max": String(AssessmentCriterion.maxLevel)])) }
                }
            }
        }
        return errors
    }
}
