import Foundation
import MediaOpsDomain
import MediaOpsStore

/// One audit entry as the tables show it.
struct AuditRow {
    var at: String
    var actor: String
    var action: String
    var actionKey: String
    var entityType: String
    var entityID: String
    var summary: String
    /// "修改成员「王雨桐 <wang@example.com>」", phrased in the reader's language.
    var sentence: String
    var changes: [Change]

    struct Change { var field: String; var before: String; var after: String }

    init(_ entry: AuditEntry, labels: AuditLabels) {
        let t = labels.t
        at = t.fullDateTime(entry.at)
        actor = entry.actorName
        action = t.t("audit.action_\(entry.action.rawValue)")
        actionKey = entry.action.rawValue
        let entity = AuditEntity(rawValue: entry.entityType)
        entityType = entity.map { t.t("audit.entity_\($0.rawValue)") } ?? entry.entityType
        entityID = entry.entityID
        // A ready-made alert rule keeps no name of its own: its entries carry the preset's key, said here in words.
        if entity == .alertRule, let preset = AlertPreset(rawValue: entry.summary) {
            summary = t.t("analytics.alert.preset_title_\(preset.rawValue)")
        } else {
            summary = entry.summary
        }
        sentence = summary.isEmpty
            ? t.t("audit.sentence_unlabelled", ["action": action, "entity": entityType])
            : t.t("audit.sentence", ["action": action, "entity": entityType, "label": summary])
        changes = entry.changes.keys.sorted().map { field in
            Change(field: labels.field(field, entity: entity),
                   before: labels.value(entry.changes[field]?.first ?? "", field: field, entity: entity),
                   after: labels.value(entry.changes[field]?.last ?? "", field: field, entity: entity))
        }
    }
}

/// Turns the audit log's stored codes into the words the pages use: field names
/// per kind of thing, states and categories through their labels, member and
/// group ids as names, instants in the workspace's zone, secrets as set/cleared.
struct AuditLabels {
    let t: Localizer
    var members: [String: String] = [:]
    var groups: [String: String] = [:]

    /// Labels for a page of entries: names are read once.
    static func load(_ t: Localizer, team: TeamService) async throws -> AuditLabels {
        AuditLabels(t: t, members: Dictionary(try await team.members().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first }),
                    groups: Dictionary(try await team.groups().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first }))
    }

    func field(_ field: String, entity: AuditEntity?) -> String {
        if let entity, let label = t.optional("audit.field_\(entity.rawValue)_\(field)") { return label }
        if let label = t.optional("audit.field_\(field)") { return label }
        return t.fieldLabel(field)
    }

    func value(_ raw: String, field: String, entity: AuditEntity?) -> String {
        if raw.isEmpty { return "—" }
        if raw == "(set)" { return t.t("audit.value_set") }
        if raw == "(cleared)" { return t.t("audit.value_cleared") }
        if raw == "true" || raw == "false" { return t.t(raw == "true" ? "audit.value_yes" : "audit.value_no") }
        let list = { (prefix: String) in
            raw.split(separator: ",").map { self.t.optional(prefix + $0) ?? String($0) }.joined(separator: self.t.t("common.list_separator"))
        }
        switch field {
        case "due_at", "planned_at", "token_expires_at", "moved_to", "expires_at":
            if let date = ISO8601DateFormatter().date(from: raw) { return t.dateTime(date) }
            return raw
        case "owner_id", "assignee_id": return members[raw] ?? raw
        case "task_status": return t.optional("tasks.status_\(raw)") ?? raw
        case "links" where entity == .task:
            // "content:春季新品推文" one a line → "内容：春季新品推文".
            return raw.split(separator: "\n").map { line in
                let parts = line.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2, let kind = t.optional("tasks.link_\(parts[0])") else { return String(line) }
                return kind + t.t("common.colon") + parts[1]
            }.joined(separator: t.t("common.list_separator"))
        case "labels" where entity == .task:
            return raw.split(separator: ",").map(String.init).joined(separator: t.t("common.list_separator"))
        case "task_priority": return t.optional("tasks.priority_\(raw)") ?? raw
        case "metric" where entity == .goal: return t.optional("goals.metric_\(raw)") ?? raw
        case "groups", "group_id": return raw.split(separator: ",").map { groups[String($0)] ?? String($0) }.joined(separator: t.t("common.list_separator"))
        case "roles": return raw.split(separator: ",").map { t.optional("role.\($0).name") ?? String($0) }.joined(separator: t.t("common.list_separator"))
        case "permissions": return list("permission.")
        case "events": return list("channels.event_")
        case "severity": return list("compliance.severity_")
        case "word_list": return list("compliance.category_")
        case "locale", "default_locale": return t.optional("locale.\(raw)") ?? raw
        case "asset_kind": return list("asset.kind_")
        case "priority": return t.optional("topics.priority_\(raw)") ?? raw
        case "source": return t.optional("topics.source_\(raw)") ?? raw
        case "status": return t.optional("topics.status_\(raw)") ?? raw
        case "category": return t.optional("content.category_\(raw)") ?? raw
        case "platform": return Platform(rawValue: raw).map(t.platformShortName) ?? raw
        case "platforms": return raw.split(separator: ",").map { text in
            let key = text.trimmingCharacters(in: .whitespaces)
            return Platform(rawValue: key).map(t.platformShortName) ?? key
        }.joined(separator: t.t("common.list_separator"))
        case "result" where entity == .trainingRecord: return t.optional("training.result_\(raw)") ?? raw
        // KPIs, targets and reviews.
        case "data_source": return t.optional("kpis.source.\(raw).name") ?? raw
        case "direction": return t.optional("kpis.direction.\(raw)") ?? raw
        case "period_kind": return t.optional("kpis.period_kind.\(raw)") ?? raw
        case "review_state": return t.optional("reviews.state.\(raw)") ?? raw
        case "rating": return t.optional("reviews.rating.\(raw).name") ?? raw
        case "role": return t.optional("role.\(raw).name") ?? raw
        case "scope":
            if raw.hasPrefix("role:") { return t.optional("role.\(raw.dropFirst(5)).name") ?? String(raw.dropFirst(5)) }
            if raw.hasPrefix("member:") { return members[String(raw.dropFirst(7))] ?? String(raw.dropFirst(7)) }
            return raw
        case "state":
            switch entity {
            case .content: return t.optional("content.state_\(raw)") ?? raw
            case .account: return t.optional("account.state_\(raw)") ?? raw
            case .publishTarget: return t.optional("publishing.state_\(raw)") ?? raw
            default: return raw
            }
        case "kind":
            switch entity {
            case .account: return t.optional("account.kind_\(raw)") ?? raw
            case .notificationChannel: return t.optional("channels.kind_\(raw)") ?? raw
            case .knowledgeEntry: return t.optional("knowledge.kind_\(raw)") ?? raw
            default: return raw
            }
        default: return raw
        }
    }
}
