import Foundation

public enum AuditAction: String, CaseIterable, Sendable, Codable {
    case create, update, delete
}

/// The kinds of thing the audit log records changes to. Each has a label in
/// both catalogs (`audit.entity_<raw value>`); the completeness test derives
/// its keys from this list.
public enum AuditEntity: String, CaseIterable, Sendable, Codable {
    case workspace, member, role, account, asset, content, topic, publishing
    case apiToken = "api_token"
    case accountGroup = "account_group"
    case notificationChannel = "notification_channel"
    case reviewFlow = "review_flow"
    case publishTarget = "publish_target"
    case wordList = "word_list"
    case metricImport = "metric_import"
    case alertRule = "alert_rule"
    case funnel
    case alert
    case report
    case reportSchedule = "report_schedule"
    case competitor
    case goal
    case planVersion = "plan_version"
    case plannerParameters = "planner_parameters"
    case positionProfile = "position_profile"
    case task
    case knowledgeEntry = "knowledge_entry"
    case trainingRecord = "training_record"
    case assessmentStandard = "assessment_standard"
}

/// One recorded change: who did what to which thing, when, and what changed.
public struct AuditEntry: Sendable, Equatable {
    public var id: String
    public var at: Date
    public var actorID: String?
    public var actorName: String
    public var action: AuditAction
    public var entityType: String
    public var entityID: String
    public var summary: String
    /// Field → [before, after]; secrets appear only as "(set)" / "(cleared)".
    public var changes: [String: [String]]

    public init(id: String, at: Date, actorID: String?, actorName: String, action: AuditAction, entityType: String, entityID: String, summary: String, changes: [String: [String]]) {
        self.id = id
        self.at = at
        self.actorID = actorID
        self.actorName = actorName
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.summary = summary
        self.changes = changes
    }
}

/// Builds the before/after record of an update from two snapshots of a thing.
public struct ChangeSet: Sendable {
    public private(set) var changes: [String: [String]] = [:]
    public init() {}

    /// Every field whose value differs between two snapshots of a thing's settings
    /// (a field only one of them has counts as changed from or to "").
    public init(from old: [String: String], to new: [String: String]) {
        for key in Set(old.keys).union(new.keys).sorted() { record(key, old[key], new[key]) }
    }

    public mutating func record(_ field: String, _ before: String?, _ after: String?) {
        guard before != after else { return }
        changes[field] = [before ?? "", after ?? ""]
    }

    public mutating func recordSecret(_ field: String, set: Bool) {
        changes[field] = ["", set ? "(set)" : "(cleared)"]
    }

    public var isEmpty: Bool { changes.isEmpty }
    public var fieldNames: String { changes.keys.sorted().joined(separator: ", ") }
}
