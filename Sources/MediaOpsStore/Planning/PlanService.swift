import Foundation
import MediaOpsDomain
import SQLKit

/// A plan computed for a goal, not yet saved.
public struct ComputedPlan: Sendable {
    public var kind: PlanVersion.Kind
    public var input: PlanInput
    public var result: PlanResult
    /// The parameters in force: the workspace's, with this run's overrides on top.
    public var parameters: PlannerParameters
}

/// The planner around goals: the workspace's parameters, plans computed from a
/// goal (or re-planned from its real pace and the real team), saved versions
/// compared side by side, and the position profiles HR is handed.
public struct PlanService: Sendable {
    public let database: Database
    public let goals: GoalService
    public let team: TeamService

    public init(database: Database, goals: GoalService, team: TeamService) {
        self.database = database
        self.goals = goals
        self.team = team
    }

    // MARK: Parameters

    /// The workspace's overrides (the defaults where it has none).
    public func parameters() async throws -> PlannerParameters { try await PlanRepository(database.sql).parameters() }

    /// Replaces the workspace's overrides; values equal to the default are dropped. Every broken value at once.
    public func saveParameters(_ parameters: PlannerParameters, by principal: Principal, now: Date? = nil) async throws -> PlannerParameters {
        let now = now ?? database.now()
        let errors = parameters.validationErrors()
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        return try await database.transaction { db in
            let repository = PlanRepository(db)
            let before = try await repository.parameters()
            try await repository.replaceParameters(parameters, by: principal.memberID, at: now)
            let after = try await repository.parameters()
            var changes = ChangeSet()
            for parameter in PlannerParameter.allCases {
                changes.record(parameter.rawValue, PlanningNumber.text(before[parameter]), PlanningNumber.text(after[parameter]))
            }
            if !changes.isEmpty {
                try await Audit.record(db, principal, .update, .plannerParameters, "workspace", label: "planner", changes: changes.changes, at: now)
            }
            return after
        }
    }

    // MARK: Plans

    /// Members holding each planned role now (active members only).
    public func currentTeam() async throws -> [PlannedRole: Int] {
        var team: [PlannedRole: Int] = [:]
        for member in try await self.team.members() where member.isActive {
            for role in PlannedRole.allCases where member.roleKeys.contains(role.rawValue) { team[role, default: 0] += 1 }
        }
        return team
    }

    /// A plan for the goal with the workspace's parameters and `overrides` on
    /// top. `fromActuals` re-plans the months left from the goal's real pace
    /// (output per piece of work scaled by actual against planned gain so far)
    /// and compares the need with the members holding each role.
    public func compute(goal: Goal, overrides: PlannerParameters = PlannerParameters(), fromActuals: Bool = false, today requested: LocalDate? = nil) async throws -> ComputedPlan {
        let today: LocalDate
        if let requested { today = requested } else { today = try await goals.today().day }
        let parameters = try await self.parameters().merging(overrides)
        let progress = try await goals.progress(goal, today: today)
        let platforms = try await goals.accounts(of: goal).map(\.platform)
        if fromActuals {
            var efficiency = 1.0
            if let current = progress.current, let asOf = progress.asOf {
                let planned = GoalProgress.plan(goal, baseline: progress.baseline, on: asOf) - progress.baseline
                if planned > 0 { efficiency = (current - progress.baseline) / planned }
            }
            let from = max(today, goal.start)
            let input = try PlanInput.make(goal: goal, current: progress.current, baseline: progress.baseline, today: today, accountPlatforms: platforms,
                                           parameters: parameters, remainingFrom: from, efficiency: efficiency, team: try await currentTeam())
            return ComputedPlan(kind: .replan, input: input, result: try Planner.plan(input), parameters: parameters)
        }
        // A plan from the stages: the goal's own baseline, whatever has happened since.
        let input = try PlanInput.make(goal: goal, current: today < goal.start ? nil : progress.current, baseline: progress.baseline, today: today,
                                       accountPlatforms: platforms, parameters: parameters)
        return ComputedPlan(kind: .plan, input: input, result: try Planner.plan(input), parameters: parameters)
    }

    public func versions(goalID: String) async throws -> [PlanVersion] { try await PlanRepository(database.sql).versions(goalID: goalID) }

    public func version(id: String) async throws -> PlanVersion? { try await PlanRepository(database.sql).version(id: id) }

    public func latestVersion() async throws -> PlanVersion? { try await PlanRepository(database.sql).latestVersion() }

    public func allVersions() async throws -> [PlanVersion] { try await PlanRepository(database.sql).allVersions() }

    /// Computes and saves a version under a name.
    public func save(goalID: String, name: String, overrides: PlannerParameters = PlannerParameters(), fromActuals: Bool = false, by principal: Principal,
                     now: Date? = nil, today: LocalDate? = nil) async throws -> PlanVersion {
        let now = now ?? database.now()
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { throw ValidationError(field: "name", code: "required") }
        if name.count > PlanVersion.maxName { throw ValidationError(field: "name", code: "too_long", params: ["max": String(PlanVersion.maxName)]) }
        guard let goal = try await goals.goal(id: goalID) else { throw NotFoundError(entity: "goal") }
        let plan = try await compute(goal: goal, overrides: overrides, fromActuals: fromActuals, today: today)
        let version = PlanVersion(id: Identifier.makeOrdered("plan"), goalID: goal.id, name: name, kind: plan.kind, input: plan.input, result: plan.result,
                                  createdBy: principal.memberID, createdAt: now)
        return try await database.transaction { db in
            guard try await GoalRepository(db).find(id: goal.id, lock: true) != nil else { throw NotFoundError(entity: "goal") }
            let repository = PlanRepository(db)
            guard try await repository.versionCount(goalID: goal.id) < PlanVersion.maxPerGoal else {
                throw ValidationError(field: "name", code: "too_many", params: ["max": String(PlanVersion.maxPerGoal)])
            }
            try await repository.create(version)
            var changes: [String: [String]] = ["name": ["", name], "kind": ["", version.kind.rawValue], "goal": ["", goal.name],
                                               "headcount": ["", String(version.result.headcount)]]
            for (key, value) in plan.parameters.overrides.sorted(by: { $0.key < $1.key }) { changes["param." + key] = ["", PlanningNumber.text(value)] }
            try await Audit.record(db, principal, .create, .planVersion, version.id, label: goal.name + " · " + name, changes: changes, at: now)
            return version
        }
    }

    public func deleteVersion(id: String, by principal: Principal, now: Date? = nil) async throws {
        let now = now ?? database.now()
        try await database.transaction { db in
            let repository = PlanRepository(db)
            guard let version = try await repository.version(id: id) else { throw NotFoundError(entity: "plan_version") }
            try await repository.deleteVersion(id: id)
            try await Audit.record(db, principal, .delete, .planVersion, id, label: version.name, at: now)
        }
    }

    // MARK: Position profiles

    /// The workspace's edited profiles; a role without one shows the catalog's default.
    public func editedProfiles() async throws -> [BuiltinRole: PositionProfile] { try await PlanRepository(database.sql).profiles() }

    public func editedProfile(role: BuiltinRole) async throws -> PositionProfile? { try await PlanRepository(database.sql).profile(role: role) }

    /// Stores a profile as written. `before` is what the page showed (the default when not yet edited), for the audit entry.
    public func saveProfile(_ profile: PositionProfile, before: PositionProfile, by principal: Principal, now: Date? = nil) async throws -> PositionProfile {
        let now = now ?? database.now()
        var profile = profile
        profile.duties = profile.duties.trimmingCharacters(in: .whitespacesAndNewlines)
        profile.requirements = profile.requirements.trimmingCharacters(in: .whitespacesAndNewlines)
        profile.kpis = profile.kpis.trimmingCharacters(in: .whitespacesAndNewlines)
        profile.worksWith = profile.worksWith.trimmingCharacters(in: .whitespacesAndNewlines)
        guard PositionProfile.roles.contains(profile.role) else { throw NotFoundError(entity: "position") }
        let errors = profile.validationErrors()
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        profile.isEdited = true
        profile.updatedAt = now
        let saved = profile
        return try await database.transaction { db in
            try await PlanRepository(db).putProfile(saved, by: principal.memberID, at: now)
            let changes = ChangeSet(from: Self.fields(before), to: Self.fields(saved))
            try await Audit.record(db, principal, .update, .positionProfile, saved.role.rawValue, label: saved.role.rawValue, changes: changes.changes, at: now)
            return saved
        }
    }

    /// Drops the workspace's edit: the catalog's default shows again.
    public func resetProfile(role: BuiltinRole, by principal: Principal, now: Date? = nil) async throws {
        let now = now ?? database.now()
        try await database.transaction { db in
            let repository = PlanRepository(db)
            guard try await repository.profile(role: role) != nil else { return }
            try await repository.deleteProfile(role: role)
            try await Audit.record(db, principal, .delete, .positionProfile, role.rawValue, label: role.rawValue, at: now)
        }
    }

    static func fields(_ profile: PositionProfile) -> [String: String] {
        ["duties": profile.duties, "requirements": profile.requirements, "kpis": profile.kpis, "works_with": profile.worksWith]
    }
}
