import Foundation
import MediaOpsDomain
import SQLKit

/// A goal as a link picker lists it.
public struct GoalOption: Sendable, Equatable {
    public var id: String
    public var name: String
}

/// Goals: validated (every broken field at once), audited, and their progress
/// computed on read from the covered accounts' daily numbers, which come
/// through the 数据 room's `AnalyticsService` (so a new day's numbers show the
/// next time the goal is read).
///
/// Other rooms link to goals through `goal(id:)`, `exists(id:)` and `options()`.
public struct GoalService: Sendable {
    public let database: Database
    public let team: TeamService
    public let analytics: AnalyticsService

    public init(database: Database, team: TeamService, analytics: AnalyticsService) {
        self.database = database
        self.team = team
        self.analytics = analytics
    }

    public func today() async throws -> (day: LocalDate, zone: TimeZone) { try await analytics.today() }

    // MARK: Public reads for other rooms

    public func goal(id: String) async throws -> Goal? { try await GoalRepository(database.sql).find(id: id) }

    public func exists(id: String) async throws -> Bool { try await GoalRepository(database.sql).exists(id: id) }

    /// Every goal's id and name, by name, for pickers that link to a goal.
    public func options() async throws -> [GoalOption] {
        try await GoalRepository(database.sql).names().map { GoalOption(id: $0.id, name: $0.name) }
    }

    /// The id and name of each of these goals that exists, for links from other rooms.
    public func options(ids: [String]) async throws -> [GoalOption] {
        try await GoalRepository(database.sql).names(ids: ids).map { GoalOption(id: $0.id, name: $0.name) }
    }

    public func goals() async throws -> [Goal] { try await GoalRepository(database.sql).all() }

    /// Every stage of every funnel, named, for the goal form's choice of a funnel stage.
    public func funnelStages() async throws -> [GoalFunnelStage] {
        try await funnels.all().flatMap { funnel in
            funnel.stages.enumerated().map { GoalFunnelStage(funnelID: funnel.id, position: $0.offset + 1, stageName: $0.element.name, funnelName: funnel.name) }
        }
    }

    // MARK: Changes

    public func create(_ draft: Goal, by principal: Principal, now: Date? = nil) async throws -> Goal {
        let now = now ?? database.now()
        var goal = Self.cleaned(draft)
        goal.id = Identifier.makeOrdered("goal")
        goal.createdAt = now
        goal.updatedAt = now
        let checked = try await check(goal)
        return try await database.transaction { db in
            let repository = GoalRepository(db)
            guard try await repository.count() < Goal.maxCount else {
                throw ValidationError(field: "name", code: "too_many", params: ["max": String(Goal.maxCount)])
            }
            try await repository.create(checked, createdBy: principal.memberID)
            try await Audit.record(db, principal, .create, .goal, checked.id, label: checked.name, changes: Self.fields(checked).mapValues { ["", $0] }, at: now)
            return checked
        }
    }

    public func update(_ edited: Goal, by principal: Principal, now: Date? = nil) async throws -> Goal {
        let now = now ?? database.now()
        let cleaned = try await check(Self.cleaned(edited))
        return try await database.transaction { db in
            let repository = GoalRepository(db)
            guard let before = try await repository.find(id: cleaned.id, lock: true) else { throw NotFoundError(entity: "goal") }
            var goal = cleaned
            goal.createdAt = before.createdAt
            goal.updatedAt = now
            let changes = ChangeSet(from: Self.fields(before), to: Self.fields(goal))
            guard !changes.isEmpty else { return before }
            try await repository.update(goal)
            try await Audit.record(db, principal, .update, .goal, goal.id, label: goal.name, changes: changes.changes, at: now)
            return goal
        }
    }

    /// Deletes the goal with its saved plan versions.
    public func delete(id: String, by principal: Principal, now: Date? = nil) async throws {
        let now = now ?? database.now()
        try await database.transaction { db in
            let repository = GoalRepository(db)
            guard let goal = try await repository.find(id: id, lock: true) else { throw NotFoundError(entity: "goal") }
            try await repository.delete(id: id)
            try await Audit.record(db, principal, .delete, .goal, id, label: goal.name, at: now)
        }
    }

    static func cleaned(_ goal: Goal) -> Goal {
        var goal = goal
        // Only a funnel-stage goal names a stage.
        if goal.metric != .funnelStage { goal.funnelStage = nil }
        goal.name = goal.name.trimmingCharacters(in: .whitespacesAndNewlines)
        goal.notes = goal.notes.trimmingCharacters(in: .whitespacesAndNewlines)
        goal.accountIDs = Array(NSOrderedSet(array: goal.accountIDs.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })) as? [String] ?? []
        goal.groupIDs = Array(NSOrderedSet(array: goal.groupIDs.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })) as? [String] ?? []
        for index in goal.stages.indices { goal.stages[index].name = goal.stages[index].name.trimmingCharacters(in: .whitespacesAndNewlines) }
        return goal
    }

    /// The goal's own rules, and every account, group and funnel stage it names
    /// existing; the goal with its funnel stage named.
    func check(_ goal: Goal) async throws -> Goal {
        var goal = goal
        var errors = goal.validationErrors()
        if goal.metric == .funnelStage, let stage = goal.funnelStage {
            if let funnel = try await funnels.find(id: stage.funnelID), funnel.stages.indices.contains(stage.position - 1) {
                goal.funnelStage?.stageName = funnel.stages[stage.position - 1].name
                goal.funnelStage?.funnelName = funnel.name
            } else {
                errors.append(ValidationError(field: "funnel_stage", code: "goal_funnel_stage_unknown"))
            }
        }
        if !errors.contains(where: { $0.field == "accounts" }) {
            let accounts = Set(try await team.allAccounts().map(\.id))
            let groups = Set(try await team.groups().map(\.id))
            if goal.accountIDs.contains(where: { !accounts.contains($0) }) || goal.groupIDs.contains(where: { !groups.contains($0) }) {
                errors.append(ValidationError(field: "accounts", code: "goal_unknown_account"))
            }
        }
        let order = ["name", "metric", "funnel_stage", "target", "start", "deadline", "accounts", "stages"]
        errors.sort { (order.firstIndex(of: $0.field) ?? 8) < (order.firstIndex(of: $1.field) ?? 8) }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        return goal
    }

    static func fields(_ goal: Goal) -> [String: String] {
        var fields = ["name": goal.name, "metric": goal.metric.rawValue, "target": PlanningNumber.text(goal.target), "start": goal.start.description,
                      "deadline": goal.deadline.description, "notes": goal.notes,
                      "accounts": goal.accountIDs.joined(separator: ","), "groups": goal.groupIDs.joined(separator: ",")]
        // Named as the history shows it.
        fields["funnel_stage"] = goal.funnelStage.map { [$0.stageName, $0.funnelName].compactMap { $0 }.joined(separator: " · ") } ?? ""
        fields["stages"] = goal.stages.map { "\($0.name)/\($0.months)/\(PlanningNumber.text($0.target))" }.joined(separator: "; ")
        return fields
    }

    // MARK: Progress

    /// The funnels a funnel-stage goal counts from, through the 数据 room's service.
    var funnels: FunnelService { FunnelService(database: database) }

    /// The accounts a goal covers: those it names and those of the groups it
    /// names; for a funnel stage, the funnel's. Webhooks are publishing targets,
    /// not audiences: they have no numbers and nobody runs them, so the planner
    /// must not count them as accounts to staff.
    public func accounts(of goal: Goal) async throws -> [Account] {
        if goal.metric == .funnelStage {
            guard let stage = goal.funnelStage, let funnel = try await funnels.find(id: stage.funnelID) else { return [] }
            return try await funnels.accounts(of: funnel).filter { $0.platform != .webhook }
        }
        let groups = Set(goal.groupIDs), named = Set(goal.accountIDs)
        return try await team.allAccounts().filter { $0.platform != .webhook && (named.contains($0.id) || !groups.isDisjoint(with: $0.groupIDs)) }
    }

    /// The goal's progress today (days in the workspace zone), read fresh from the metric store.
    public func progress(_ goal: Goal, today requested: LocalDate? = nil) async throws -> GoalProgress {
        let today: LocalDate
        if let requested { today = requested } else { today = try await self.today().day }
        // Levels need the last count before the start as the baseline.
        let from = goal.metric.isLevel ? goal.start.adding(days: -60) : goal.start
        let to = min(today, goal.deadline)
        var series: [[LocalDate: Double]] = []
        if from <= to, goal.metric == .funnelStage {
            // One series: the stage's count a day, over the funnel's accounts.
            if let stage = goal.funnelStage, let funnel = try await funnels.find(id: stage.funnelID) {
                series.append(try await funnels.dailyCounts(funnel, stage: stage.position - 1, from: from, to: to))
            }
        } else if from <= to, let key = goal.metric.metricKey {
            for account in try await accounts(of: goal) {
                let daily = try await analytics.daily(accountID: account.id, from: from, to: to)
                series.append(daily.compactMapValues { $0[key] })
            }
        }
        return GoalProgress.compute(goal, accounts: series, today: today)
    }
}
