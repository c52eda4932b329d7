import Foundation
import MediaOpsDomain
import SQLKit

/// The `goals`, `goal_stages` and `goal_scope` tables. Rows are read strictly:
/// an unknown metric, scope kind or unreadable day is an unreadable row, never a default.
public struct GoalRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    enum ScopeKind: String { case account, group }

    public func all() async throws -> [Goal] {
        let rows = try await db.raw("SELECT * FROM goals ORDER BY deadline, name, id").all()
        return try await assemble(rows)
    }

    public func count() async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM goals").first().map { try $0.int("n") } ?? 0
    }

    public func find(id: String, lock: Bool = false) async throws -> Goal? {
        let clause: SQLQueryString = lock ? "\(RowLock.update)" : ""
        let rows = try await db.raw("SELECT * FROM goals WHERE id = \(bind: id)" + clause).all()
        return try await assemble(rows).first
    }

    public func exists(id: String) async throws -> Bool {
        try await db.raw("SELECT id FROM goals WHERE id = \(bind: id)").first() != nil
    }

    /// Ids and names only, by name: for pickers that link to a goal.
    public func names() async throws -> [(id: String, name: String)] {
        try await db.raw("SELECT id, name FROM goals ORDER BY name, id").all().map { (try $0.string("id"), try $0.string("name")) }
    }

    /// Ids and names of these goals (those that exist), for links from other rooms.
    public func names(ids: [String]) async throws -> [(id: String, name: String)] {
        guard !ids.isEmpty else { return [] }
        let list = ids.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        return try await db.raw("SELECT id, name FROM goals WHERE id IN (" + list + ")").all().map { (try $0.string("id"), try $0.string("name")) }
    }

    public func create(_ goal: Goal, createdBy: String?) async throws {
        try await db.raw("""
            INSERT INTO goals (id, name, metric, target, start_day, deadline, notes, created_by, created_at, updated_at, funnel_id, funnel_position)
            VALUES (\(bind: goal.id), \(bind: goal.name), \(bind: goal.metric.rawValue), \(bind: goal.target), \(bind: goal.start.description),
                \(bind: goal.deadline.description), \(bind: goal.notes), \(bind: createdBy), \(bind: goal.createdAt.epochMilliseconds),
                \(bind: goal.updatedAt.epochMilliseconds), \(bind: goal.funnelStage?.funnelID), \(bind: goal.funnelStage?.position))
            """).run()
        try await writeParts(goal)
    }

    public func update(_ goal: Goal) async throws {
        try await db.raw("""
            UPDATE goals SET name = \(bind: goal.name), metric = \(bind: goal.metric.rawValue), target = \(bind: goal.target),
                start_day = \(bind: goal.start.description), deadline = \(bind: goal.deadline.description), notes = \(bind: goal.notes),
                updated_at = \(bind: goal.updatedAt.epochMilliseconds), funnel_id = \(bind: goal.funnelStage?.funnelID),
                funnel_position = \(bind: goal.funnelStage?.position)
            WHERE id = \(bind: goal.id)
            """).run()
        try await db.raw("DELETE FROM goal_stages WHERE goal_id = \(bind: goal.id)").run()
        try await db.raw("DELETE FROM goal_scope WHERE goal_id = \(bind: goal.id)").run()
        try await writeParts(goal)
    }

    /// Deletes the goal with its stages, scope and plan versions.
    public func delete(id: String) async throws {
        try await db.raw("DELETE FROM plan_versions WHERE goal_id = \(bind: id)").run()
        try await db.raw("DELETE FROM goal_stages WHERE goal_id = \(bind: id)").run()
        try await db.raw("DELETE FROM goal_scope WHERE goal_id = \(bind: id)").run()
        try await db.raw("DELETE FROM goals WHERE id = \(bind: id)").run()
    }

    func writeParts(_ goal: Goal) async throws {
        for (position, stage) in goal.stages.enumerated() {
            try await db.raw("""
                INSERT INTO goal_stages (goal_id, position, name, months, target)
                VALUES (\(bind: goal.id), \(bind: position), \(bind: stage.name), \(bind: stage.months), \(bind: stage.target))
                """).run()
        }
        for (kind, ids) in [(ScopeKind.account, goal.accountIDs), (.group, goal.groupIDs)] {
            for id in Set(ids).sorted() {
                try await db.raw("INSERT INTO goal_scope (goal_id, kind, ref_id) VALUES (\(bind: goal.id), \(bind: kind.rawValue), \(bind: id))").run()
            }
        }
    }

    func assemble(_ rows: [any SQLRow]) async throws -> [Goal] {
        var goals = try rows.map(Self.goal(from:))
        guard !goals.isEmpty else { return [] }
        let ids = goals.map { "\(bind: $0.id)" as SQLQueryString }.joined(separator: ", ")
        let stageRows = try await db.raw("SELECT * FROM goal_stages WHERE goal_id IN (" + ids + ") ORDER BY goal_id, position").all()
        let scopeRows = try await db.raw("SELECT * FROM goal_scope WHERE goal_id IN (" + ids + ") ORDER BY goal_id, kind, ref_id").all()
        var stages: [String: [GoalStage]] = [:]
        for row in stageRows {
            stages[try row.string("goal_id"), default: []].append(GoalStage(name: try row.string("name"), months: try row.int("months"), target: try row.double("target")))
        }
        var accounts: [String: [String]] = [:], groups: [String: [String]] = [:]
        for row in scopeRows {
            let goal = try row.string("goal_id"), ref = try row.string("ref_id")
            switch try row.value("kind", as: ScopeKind.self) {
            case .account: accounts[goal, default: []].append(ref)
            case .group: groups[goal, default: []].append(ref)
            }
        }
        // A funnel stage's name and its funnel's, as they are now.
        let funnelIDs = Set(goals.compactMap { $0.funnelStage?.funnelID })
        var stageNames: [GoalFunnelStage: (stage: String, funnel: String)] = [:]
        if !funnelIDs.isEmpty {
            let list = funnelIDs.sorted().map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            let query: SQLQueryString = "SELECT s.funnel_id, s.position, s.name AS stage_name, f.name AS funnel_name "
                + "FROM funnel_stages s JOIN funnels f ON f.id = s.funnel_id WHERE s.funnel_id IN (" + list + ")"
            for row in try await db.raw(query).all() {
                stageNames[GoalFunnelStage(funnelID: try row.string("funnel_id"), position: try row.int("position"))] =
                    (try row.string("stage_name"), try row.string("funnel_name"))
            }
        }
        for index in goals.indices {
            let id = goals[index].id
            if let stage = goals[index].funnelStage, let names = stageNames[stage] {
                goals[index].funnelStage?.stageName = names.stage
                goals[index].funnelStage?.funnelName = names.funnel
            }
            goals[index].stages = stages[id] ?? []
            goals[index].accountIDs = accounts[id] ?? []
            goals[index].groupIDs = groups[id] ?? []
        }
        return goals
    }

    static func day(_ row: any SQLRow, _ column: String) throws -> LocalDate {
        let text = try row.string(column)
        guard let day = LocalDate(text) else { throw UnreadableStoredValue(column: column, value: text) }
        return day
    }

    static func goal(from row: any SQLRow) throws -> Goal {
        var funnelStage: GoalFunnelStage?
        if let funnel = try row.optionalString("funnel_id"), let position = try row.optionalInt("funnel_position") {
            funnelStage = GoalFunnelStage(funnelID: funnel, position: position)
        }
        return Goal(id: try row.string("id"), name: try row.string("name"), metric: try row.value("metric", as: GoalMetric.self), target: try row.double("target"),
                    start: try day(row, "start_day"), deadline: try day(row, "deadline"), funnelStage: funnelStage, notes: try row.string("notes"),
                    createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}

/// `plan_versions`, `planner_parameters` and `position_profiles`.
public struct PlanRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    // MARK: Versions

    /// A goal's versions, newest first.
    public func versions(goalID: String) async throws -> [PlanVersion] {
        try await db.raw("SELECT * FROM plan_versions WHERE goal_id = \(bind: goalID) ORDER BY created_at DESC, id DESC").all().map(Self.version(from:))
    }

    public func versionCount(goalID: String) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM plan_versions WHERE goal_id = \(bind: goalID)").first().map { try $0.int("n") } ?? 0
    }

    /// The newest version of any goal.
    public func latestVersion() async throws -> PlanVersion? {
        try await db.raw("SELECT * FROM plan_versions ORDER BY created_at DESC, id DESC LIMIT 1").first().map(Self.version(from:))
    }

    /// Every version's id, name and goal, newest first (for the hiring plan's picker).
    public func allVersions() async throws -> [PlanVersion] {
        try await db.raw("SELECT * FROM plan_versions ORDER BY created_at DESC, id DESC LIMIT 500").all().map(Self.version(from:))
    }

    public func version(id: String) async throws -> PlanVersion? {
        try await db.raw("SELECT * FROM plan_versions WHERE id = \(bind: id)").first().map(Self.version(from:))
    }

    public func create(_ version: PlanVersion) async throws {
        let input = String(decoding: try Self.encoder.encode(version.input), as: UTF8.self)
        let result = String(decoding: try Self.encoder.encode(version.result), as: UTF8.self)
        try await db.raw("""
            INSERT INTO plan_versions (id, goal_id, name, kind, input_json, result_json, created_by, created_at)
            VALUES (\(bind: version.id), \(bind: version.goalID), \(bind: version.name), \(bind: version.kind.rawValue), \(bind: input), \(bind: result),
                \(bind: version.createdBy), \(bind: version.createdAt.epochMilliseconds))
            """).run()
    }

    public func deleteVersion(id: String) async throws {
        try await db.raw("DELETE FROM plan_versions WHERE id = \(bind: id)").run()
    }

    static func version(from row: any SQLRow) throws -> PlanVersion {
        let inputText = try row.string("input_json"), resultText = try row.string("result_json")
        guard let input = try? JSONDecoder().decode(PlanInput.self, from: Data(inputText.utf8)) else { throw UnreadableStoredValue(column: "input_json", value: String(inputText.prefix(80))) }
        guard let result = try? JSONDecoder().decode(PlanResult.self, from: Data(resultText.utf8)) else { throw UnreadableStoredValue(column: "result_json", value: String(resultText.prefix(80))) }
        return PlanVersion(id: try row.string("id"), goalID: try row.string("goal_id"), name: try row.string("name"),
                           kind: try row.value("kind", as: PlanVersion.Kind.self), input: input, result: result,
                           createdBy: try row.optionalString("created_by"), createdAt: try row.date("created_at"))
    }

    // MARK: Parameters

    /// The workspace's overrides of the defaults.
    public func parameters() async throws -> PlannerParameters {
        var parameters = PlannerParameters()
        for row in try await db.raw("SELECT key, value FROM planner_parameters").all() {
            let key = try row.value("key", as: PlannerParameter.self)
            parameters[key] = try row.double("value")
        }
        return parameters
    }

    /// Replaces the overrides: a value equal to its default is not stored.
    public func replaceParameters(_ parameters: PlannerParameters, by memberID: String?, at now: Date) async throws {
        try await db.raw("DELETE FROM planner_parameters").run()
        for parameter in PlannerParameter.allCases where parameters.isOverridden(parameter) && parameters[parameter] != parameter.defaultValue {
            try await db.raw("""
                INSERT INTO planner_parameters (key, value, updated_by, updated_at)
                VALUES (\(bind: parameter.rawValue), \(bind: parameters[parameter]), \(bind: memberID), \(bind: now.epochMilliseconds))
                """).run()
        }
    }

    // MARK: Profiles

    /// The workspace's edited profiles by role.
    public func profiles() async throws -> [BuiltinRole: PositionProfile] {
        var result: [BuiltinRole: PositionProfile] = [:]
        for row in try await db.raw("SELECT * FROM position_profiles").all() {
            let profile = try Self.profile(from: row)
            result[profile.role] = profile
        }
        return result
    }

    public func profile(role: BuiltinRole) async throws -> PositionProfile? {
        try await db.raw("SELECT * FROM position_profiles WHERE role_key = \(bind: role.rawValue)").first().map(Self.profile(from:))
    }

    public func putProfile(_ profile: PositionProfile, by memberID: String?, at now: Date) async throws {
        try await db.raw("DELETE FROM position_profiles WHERE role_key = \(bind: profile.role.rawValue)").run()
        try await db.raw("""
            INSERT INTO position_profiles (role_key, duties, requirements, kpis, works_with, updated_by, updated_at)
            VALUES (\(bind: profile.role.rawValue), \(bind: profile.duties), \(bind: profile.requirements), \(bind: profile.kpis), \(bind: profile.worksWith),
                \(bind: memberID), \(bind: now.epochMilliseconds))
            """).run()
    }

    public func deleteProfile(role: BuiltinRole) async throws {
        try await db.raw("DELETE FROM position_profiles WHERE role_key = \(bind: role.rawValue)").run()
    }

    static func profile(from row: any SQLRow) throws -> PositionProfile {
        PositionProfile(role: try row.value("role_key", as: BuiltinRole.self), duties: try row.string("duties"), requirements: try row.string("requirements"),
                        kpis: try row.string("kpis"), worksWith: try row.string("works_with"), isEdited: true, updatedAt: try row.date("updated_at"))
    }
}
