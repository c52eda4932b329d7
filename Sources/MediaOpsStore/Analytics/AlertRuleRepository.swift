import Foundation
import MediaOpsDomain
import SQLKit

/// The `alert_rules` table. Rows are read strictly: an unknown kind, preset,
/// metric, scope, comparison or seasonality is an unreadable row, never a default.
public struct AlertRuleRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    /// Every rule, oldest first (the presets lead).
    public func all(enabledOnly: Bool = false) async throws -> [AlertRule] {
        let filter: SQLQueryString = enabledOnly ? " WHERE enabled = \(bind: true)" : ""
        return try await db.raw("SELECT * FROM alert_rules" + filter + " ORDER BY created_at, id").all().map(Self.rule(from:))
    }

    public func find(id: String, lock: Bool = false) async throws -> AlertRule? {
        let clause: SQLQueryString = lock ? "\(RowLock.update)" : ""
        return try await db.raw("SELECT * FROM alert_rules WHERE id = \(bind: id)" + clause).first().map(Self.rule(from:))
    }

    public func create(_ rule: AlertRule, createdBy: String?, now: Date) async throws {
        try await db.raw("""
            INSERT INTO alert_rules (id, name, preset_key, kind, metric_key, scope_kind, scope_id, comparison, bound, window_size, seasonality, k,
                percentile, minimum_history, minimum_deviation, minimum_relative_deviation, minimum_volume, cooldown_hours, enabled,
                created_by, created_at, updated_at)
            VALUES (\(bind: rule.id), \(bind: rule.name), \(bind: rule.preset?.rawValue), \(bind: rule.kind.rawValue), \(bind: rule.metric?.key),
                \(bind: rule.scope.kind.rawValue), \(bind: rule.scope.id), \(bind: rule.comparison.rawValue), \(bind: rule.bound), \(bind: rule.window),
                \(bind: rule.seasonality.rawValue), \(bind: rule.k), \(bind: rule.percentile), \(bind: rule.minimumHistory), \(bind: rule.minimumDeviation),
                \(bind: rule.minimumRelativeDeviation), \(bind: rule.minimumVolume), \(bind: rule.cooldownHours), \(bind: rule.enabled),
                \(bind: createdBy), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds))
            """).run()
    }

    /// Writes every editable field; the preset key and creation stay.
    public func update(_ rule: AlertRule, now: Date) async throws {
        try await db.raw("""
            UPDATE alert_rules SET name = \(bind: rule.name), kind = \(bind: rule.kind.rawValue), metric_key = \(bind: rule.metric?.key),
                scope_kind = \(bind: rule.scope.kind.rawValue), scope_id = \(bind: rule.scope.id), comparison = \(bind: rule.comparison.rawValue),
                bound = \(bind: rule.bound), window_size = \(bind: rule.window), seasonality = \(bind: rule.seasonality.rawValue), k = \(bind: rule.k),
                percentile = \(bind: rule.percentile), minimum_history = \(bind: rule.minimumHistory), minimum_deviation = \(bind: rule.minimumDeviation),
                minimum_relative_deviation = \(bind: rule.minimumRelativeDeviation), minimum_volume = \(bind: rule.minimumVolume),
                cooldown_hours = \(bind: rule.cooldownHours), enabled = \(bind: rule.enabled), updated_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: rule.id)
            """).run()
    }

    /// Deletes the rule with its alerts and their histories (alerts mean nothing without their rule).
    public func delete(id: String) async throws {
        try await db.raw("DELETE FROM alert_events WHERE alert_id IN (SELECT id FROM alerts WHERE rule_id = \(bind: id))").run()
        try await db.raw("DELETE FROM alerts WHERE rule_id = \(bind: id)").run()
        try await db.raw("DELETE FROM alert_rules WHERE id = \(bind: id)").run()
    }

    /// Adds each preset the workspace has no rule of yet; returns the ones added.
    /// Run once when a workspace is set up (and by migration 17 for workspaces
    /// that existed before); a preset someone deleted is not brought back
    /// behind their back, because nothing runs this again later.
    @discardableResult
    public func installPresets(createdBy: String?, now: Date) async throws -> [AlertRule] {
        let present = Set(try await db.raw("SELECT preset_key FROM alert_rules WHERE preset_key IS NOT NULL").all().map { try $0.string("preset_key") })
        var added: [AlertRule] = []
        for preset in AlertPreset.allCases where !present.contains(preset.rawValue) {
            let rule = preset.rule(id: Identifier.makeOrdered("alr"))
            try await create(rule, createdBy: createdBy, now: now)
            added.append(rule)
        }
        return added
    }

    static func rule(from row: any SQLRow) throws -> AlertRule {
        let kind = try row.value("kind", as: AlertKind.self)
        let metric: AlertMetric?
        if let key = try row.optionalString("metric_key") {
            guard let known = AlertMetric(key: key) else { throw UnreadableStoredValue(column: "metric_key", value: key) }
            metric = known
        } else {
            metric = nil
        }
        let preset: AlertPreset?
        if let key = try row.optionalString("preset_key") {
            guard let known = AlertPreset(rawValue: key) else { throw UnreadableStoredValue(column: "preset_key", value: key) }
            preset = known
        } else {
            preset = nil
        }
        let scopeKind = try row.value("scope_kind", as: AlertScope.Kind.self)
        let scopeID = try row.optionalString("scope_id")
        guard let scope = AlertScope(kind: scopeKind, id: scopeID) else { throw UnreadableStoredValue(column: "scope_id", value: scopeID ?? "NULL") }
        return AlertRule(
            id: try row.string("id"), name: try row.string("name"), preset: preset, kind: kind, metric: metric, scope: scope,
            comparison: try row.value("comparison", as: AlertComparison.self), bound: try row.optionalDouble("bound"), window: try row.int("window_size"),
            seasonality: try row.value("seasonality", as: AlertSeasonality.self), k: try row.double("k"), percentile: try row.double("percentile"),
            minimumHistory: try row.int("minimum_history"), minimumDeviation: try row.double("minimum_deviation"),
            minimumRelativeDeviation: try row.double("minimum_relative_deviation"), minimumVolume: try row.double("minimum_volume"),
            cooldownHours: try row.int("cooldown_hours"), enabled: try row.bool("enabled"))
    }
}
