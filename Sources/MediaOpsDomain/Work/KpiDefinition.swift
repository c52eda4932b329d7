import Foundation

/// Where a KPI's actual comes from. Every source is computed from data other
/// rooms already hold (posts, reviews, metrics, reports, tasks); nobody types
/// an actual in. Each source names the items it counted, so a scorecard can
/// always show the numbers behind it.
public enum KpiSource: String, CaseIterable, Sendable, Codable {
    /// Reads (plays on video platforms) of the posts the member's content items became, published in the period.
    case postReads = "post_reads"
    /// Engagement ÷ reads (or plays) of those posts, as a percentage.
    case postInteractionRate = "post_interaction_rate"
    /// Share of the member's pieces submitted for review at least `leadHours` before their planned time.
    case piecesOnTime = "pieces_on_time"
    /// Followers kept on the accounts the member owns: 1 − lost ÷ followers at the start.
    case fanRetention = "fan_retention"
    /// Share of the member's reports issued by the day after their period ended (plus `graceHours`).
    case reportsOnTime = "reports_on_time"
    /// Net follower growth of the accounts the member owns.
    case accountFanGrowth = "account_fan_growth"
    /// Mean hours from an item reaching the member's review stage to the member's decision.
    case reviewTurnaround = "review_turnaround"
    /// Share of the member's tasks completed by their due time (plus `graceHours`).
    case tasksOnTime = "tasks_on_time"

    public var unit: KpiUnit {
        switch self {
        case .postReads, .accountFanGrowth: .count
        case .postInteractionRate, .piecesOnTime, .fanRetention, .reportsOnTime, .tasksOnTime: .percent
        case .reviewTurnaround: .hours
        }
    }

    public var defaultDirection: KpiDirection { self == .reviewTurnaround ? .lower : .higher }

    /// Sources about posts or accounts can be narrowed to one platform.
    public var takesPlatform: Bool { [.postReads, .postInteractionRate, .fanRetention, .accountFanGrowth].contains(self) }
    /// Sources judging delivery against a planned time read the lead time.
    public var takesLeadHours: Bool { self == .piecesOnTime }
    /// Sources judging delivery against a due time read the grace period.
    public var takesGraceHours: Bool { self == .reportsOnTime || self == .tasksOnTime }
}

public enum KpiUnit: String, CaseIterable, Sendable, Codable {
    case count, percent, hours
}

public enum KpiDirection: String, CaseIterable, Sendable, Codable {
    case higher, lower
}

/// A source's settings. Only the ones the source reads are kept (`normalized(for:)`).
public struct KpiParameters: Sendable, Equatable, Codable {
    public var platform: Platform?
    public var leadHours: Int?
    public var graceHours: Int?

    public init(platform: Platform? = nil, leadHours: Int? = nil, graceHours: Int? = nil) {
        self.platform = platform
        self.leadHours = leadHours
        self.graceHours = graceHours
    }

    public static let hoursRange = 0...720
    public static let defaultLeadHours = 24
    public static let defaultGraceHours = 24

    /// Drops what the source does not read and fills in defaults for what it does.
    public func normalized(for source: KpiSource) -> KpiParameters {
        KpiParameters(platform: source.takesPlatform ? platform : nil,
                      leadHours: source.takesLeadHours ? (leadHours ?? Self.defaultLeadHours) : nil,
                      graceHours: source.takesGraceHours ? (graceHours ?? Self.defaultGraceHours) : nil)
    }
}

/// A KPI as the director defines it: what it measures (a source with its
/// parameters), which way is better, whom it applies to (a role, or everyone
/// when `roleKey` is nil) and how much it weighs in the scorecard.
public struct KpiDefinition: Sendable, Equatable, Identifiable {
    public var id: String
    /// nil for a built-in KPI nobody renamed: pages show the catalog's name in the reader's language.
    public var name: String?
    public var source: KpiSource
    public var parameters: KpiParameters
    public var direction: KpiDirection
    public var roleKey: String?
    public var weight: Int
    public var isActive: Bool
    public var isBuiltin: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, name: String?, source: KpiSource, parameters: KpiParameters = KpiParameters(), direction: KpiDirection? = nil,
                roleKey: String?, weight: Int, isActive: Bool = true, isBuiltin: Bool = false, createdAt: Date = Date(timeIntervalSince1970: 0),
                updatedAt: Date = Date(timeIntervalSince1970: 0)) {
        self.id = id
        self.name = name
        self.source = source
        self.parameters = parameters.normalized(for: source)
        self.direction = direction ?? source.defaultDirection
        self.roleKey = roleKey
        self.weight = weight
        self.isActive = isActive
        self.isBuiltin = isBuiltin
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public static let weightRange = 1...100
    public static let maxNameLength = 60
    public static let maxCount = 200

    /// Whether the KPI applies to a member holding these roles.
    public func applies(to roleKeys: [String]) -> Bool {
        guard let roleKey else { return true }
        return roleKeys.contains(roleKey)
    }

    /// Every broken field at once.
    public func validationErrors() -> [ValidationError] {
        var errors: [ValidationError] = []
        if let name {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty, !isBuiltin { errors.append(ValidationError(field: "name", code: "required")) }
            if trimmed.count > Self.maxNameLength { errors.append(ValidationError(field: "name", code: "too_long", params: ["max": String(Self.maxNameLength)])) }
        } else if !isBuiltin {
            errors.append(ValidationError(field: "name", code: "required"))
        }
        if !Self.weightRange.contains(weight) {
            errors.append(ValidationError(field: "weight", code: "out_of_range", params: ["min": "1", "max": "100"]))
        }
        for (field, value) in [("lead_hours", parameters.leadHours), ("grace_hours", parameters.graceHours)] {
            if let value, !KpiParameters.hoursRange.contains(value) {
                errors.append(ValidationError(field: field, code: "out_of_range", params: ["min": "0", "max": String(KpiParameters.hoursRange.upperBound)]))
            }
        }
        return errors
    }

    /// The set every workspace starts with, one per seed position (DOMAIN.md),
    /// plus tasks done on time for everyone.
    public static func builtins(now: Date) -> [KpiDefinition] {
        let rows: [(String, KpiSource, String?, Int)] = [
            ("kpi_builtin_content_reads", .postReads, "content", 40),
            ("kpi_builtin_content_interaction", .postInteractionRate, "content", 30),
            ("kpi_builtin_copywriter_on_time", .piecesOnTime, "copywriter", 70),
            ("kpi_builtin_community_retention", .fanRetention, "community", 70),
            ("kpi_builtin_analyst_reports", .reportsOnTime, "analyst", 70),
            ("kpi_builtin_manager_growth", .accountFanGrowth, "manager", 70),
            ("kpi_builtin_reviewer_turnaround", .reviewTurnaround, "reviewer", 70),
            ("kpi_builtin_tasks_on_time", .tasksOnTime, nil, 30),
        ]
        // A millisecond apart, so lists keep this order (they sort by creation).
        return rows.enumerated().map { index, row in
            let created = now.addingTimeInterval(Double(index) / 1_000)
            return KpiDefinition(id: row.0, name: nil, source: row.1, roleKey: row.2, weight: row.3, isBuiltin: true, createdAt: created, updatedAt: created)
        }
    }
}

/// Whom a target is for: everyone holding a role, or one member (which wins over the role's).
public enum KpiTargetScope: Sendable, Hashable {
    case role(String)
    case member(String)

    public var kind: String {
        switch self {
        case .role: "role"
        case .member: "member"
        }
    }

    public var key: String {
        switch self {
        case .role(let key): key
        case .member(let id): id
        }
    }
}

/// What a KPI should reach in one kind of period (a month or a quarter).
public struct KpiTarget: Sendable, Equatable, Identifiable {
    public var id: String
    public var kpiID: String
    public var periodKind: KpiPeriodKind
    public var scope: KpiTargetScope
    public var value: Double
    public var updatedAt: Date

    public init(id: String, kpiID: String, periodKind: KpiPeriodKind, scope: KpiTargetScope, value: Double, updatedAt: Date) {
        self.id = id
        self.kpiID = kpiID
        self.periodKind = periodKind
        self.scope = scope
        self.value = value
        self.updatedAt = updatedAt
    }

    public static let maxValue = 1e12

    /// A target must be a positive finite number (a percentage at most 100).
    public static func check(_ value: Double, unit: KpiUnit, field: String = "value") -> ValidationError? {
        guard value.isFinite, value > 0, value <= maxValue else {
            return ValidationError(field: field, code: "kpi_target_invalid")
        }
        if unit == .percent, value > 100 { return ValidationError(field: field, code: "kpi_target_percent") }
        return nil
    }

    /// The target that holds for a member: their own, else the first of their roles' (in the order given).
    public static func resolve(_ targets: [KpiTarget], kpiID: String, periodKind: KpiPeriodKind, memberID: String, roleKeys: [String]) -> KpiTarget? {
        let mine = targets.filter { $0.kpiID == kpiID && $0.periodKind == periodKind }
        if let own = mine.first(where: { $0.scope == .member(memberID) }) { return own }
        for role in roleKeys { if let target = mine.first(where: { $0.scope == .role(role) }) { return target } }
        return nil
    }
}
