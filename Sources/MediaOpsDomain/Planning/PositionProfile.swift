import Foundation

/// A position's profile (岗位画像): what the person does, what they must bring,
/// what they are judged by and whom they work with. Every built-in position
/// has a default in both catalogs (`profile.<role>.*`); a workspace's edits are
/// stored as written and can be reset to the default.
public struct PositionProfile: Sendable, Equatable {
    public var role: BuiltinRole
    public var duties: String
    public var requirements: String
    public var kpis: String
    public var worksWith: String
    /// False while the profile is the catalog's default.
    public var isEdited: Bool
    public var updatedAt: Date?

    public init(role: BuiltinRole, duties: String, requirements: String, kpis: String, worksWith: String, isEdited: Bool, updatedAt: Date? = nil) {
        self.role = role
        self.duties = duties
        self.requirements = requirements
        self.kpis = kpis
        self.worksWith = worksWith
        self.isEdited = isEdited
        self.updatedAt = updatedAt
    }

    /// The positions with a profile: every built-in role but the owner (the
    /// workspace's administrator) and the read-only viewer, who are not positions one hires for.
    public static let roles: [BuiltinRole] = BuiltinRole.allCases.filter { $0 != .owner && $0 != .viewer }

    public static let fields = ["duties", "requirements", "kpis", "works_with"]
    public static let maxText = 4_000

    public func validationErrors() -> [ValidationError] {
        var errors: [ValidationError] = []
        for (field, text) in zip(Self.fields, [duties, requirements, kpis, worksWith]) {
            if text.isEmpty { errors.append(ValidationError(field: field, code: "required")) }
            else if text.count > Self.maxText { errors.append(ValidationError(field: field, code: "too_long", params: ["max": String(Self.maxText)])) }
        }
        return errors
    }
}

/// A saved plan: its inputs, the parameters used and the result, under a name.
public struct PlanVersion: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// Planned from the goal's stages.
        case plan
        /// Re-planned from the real pace and the real team.
        case replan
    }

    public var id: String
    public var goalID: String
    public var name: String
    public var kind: Kind
    public var input: PlanInput
    public var result: PlanResult
    public var createdBy: String?
    public var createdAt: Date

    public init(id: String, goalID: String, name: String, kind: Kind, input: PlanInput, result: PlanResult, createdBy: String?, createdAt: Date) {
        self.id = id
        self.goalID = goalID
        self.name = name
        self.kind = kind
        self.input = input
        self.result = result
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    public static let maxName = 80
    /// Versions one goal keeps.
    public static let maxPerGoal = 200
}

/// Two versions side by side: people per role per stage position, and the change.
public struct PlanComparison: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var role: PlannedRole
        public var left: [Int]
        public var right: [Int]
        public var leftPeak: Int
        public var rightPeak: Int
        public var change: Int { rightPeak - leftPeak }
    }

    public var stageCount: Int
    public var rows: [Row]

    public static func of(_ left: PlanResult, _ right: PlanResult) -> PlanComparison {
        let count = max(left.stages.count, right.stages.count)
        let rows = PlannedRole.allCases.map { role in
            let a = left.role(role), b = right.role(role)
            func padded(_ values: [Int]) -> [Int] { values + Array(repeating: 0, count: max(0, count - values.count)) }
            return Row(role: role, left: padded(a?.perStage ?? []), right: padded(b?.perStage ?? []), leftPeak: a?.peak ?? 0, rightPeak: b?.peak ?? 0)
        }
        return PlanComparison(stageCount: count, rows: rows)
    }
}
