import Foundation
import MediaOpsDomain
import MediaOpsStore

/// A training record as the API shows it.
struct TrainingRecordDTO: Encodable {
    var id: String
    var member_id: String
    @Nullable var member_name: String?
    var course: String
    var provider: String
    var day: String
    var hours: Double
    var result: String
    var result_name: String
    @Nullable var score: Double?
    var notes: String
    @Nullable var certificate_asset_id: String?
    @Nullable var recorded_by: String?
    var created_at: Date
    var updated_at: Date

    init(_ record: TrainingRecord, names: [String: String], t: Localizer) {
        id = record.id
        member_id = record.memberID
        member_name = names[record.memberID]
        course = record.course
        provider = record.provider
        day = record.day.description
        hours = record.hours
        result = record.result.rawValue
        result_name = t.t("training.result_\(record.result.rawValue)")
        score = record.score
        notes = record.notes
        certificate_asset_id = record.certificateAssetID
        recorded_by = record.recordedBy
        created_at = record.createdAt
        updated_at = record.updatedAt
    }
}

struct AssessmentStandardDTO: Encodable {
    struct Text: Encodable { var zh: String; var en: String }
    struct Level: Encodable { var level: String; var label: String; var meaning: Text }
    struct Criterion: Encodable { var name: Text; var levels: [Level] }

    var role: String
    var role_name: String
    var customized: Bool
    var criteria: [Criterion]
    @Nullable var updated_at: Date?

    init(_ standard: AssessmentStandard, t: Localizer) {
        role = standard.roleKey
        role_name = t.t("role.\(standard.roleKey).name")
        customized = standard.customized
        criteria = standard.criteria.map { criterion in
            Criterion(name: Text(zh: criterion.name.zh, en: criterion.name.en), levels: AssessmentLevel.allCases.map { level in
                let text = criterion.levels[level] ?? BilingualText(zh: "", en: "")
                return Level(level: level.rawValue, label: t.t("standards.level_\(level.rawValue)"), meaning: Text(zh: text.zh, en: text.en))
            })
        }
        updated_at = standard.updatedAt
    }
}

/// Who trained in what in one year: a row per active member, with their courses.
struct TrainingOverviewPage {
    struct Course { var name: String; var day: String; var result: String; var href: String }
    struct Row {
        var name: String
        var href: String
        var roles: String
        var courses: [Course]
        var count: String
        var hours: String
        var passed: String
    }
    struct YearLink { var label: String; var href: String; var active: Bool }

    var year: String
    var years: [YearLink]
    var rows: [Row]
    var totalLine: String
    var hasRecords: Bool
    var newHref: String
    var standardsHref: String

    static func make(records: [TrainingRecord], members: [Member], roles: [Role], year: Int, thisYear: Int, t: Localizer) -> TrainingOverviewPage {
        let byMember = Dictionary(grouping: records, by: \.memberID)
        let rows = members.map { member in
            let mine = (byMember[member.id] ?? []).sorted { $0.day > $1.day }
            let hours = mine.reduce(0) { $0 + $1.hours }
            return Row(
                name: member.name, href: TrainingPath.member(.value(member.id)).path,
                roles: t.list(member.roleKeys.compactMap { key in roles.first { $0.key == key }.map(t.roleName) }),
                courses: mine.map { Course(name: $0.course, day: t.day($0.day), result: t.t("training.result_\($0.result.rawValue)"),
                                           href: TrainingPath.record(.value($0.id)).path) },
                count: String(mine.count), hours: FixedNumber.text(hours),
                passed: String(mine.filter { $0.result == .passed }.count))
        }.sorted { ($0.courses.isEmpty ? 1 : 0, $0.name) < ($1.courses.isEmpty ? 1 : 0, $1.name) }
        let hours = records.reduce(0) { $0 + $1.hours }
        let trained = Set(records.map(\.memberID)).count
        return TrainingOverviewPage(
            year: String(year),
            years: (max(2000, thisYear - 3)...thisYear).reversed().map { value in
                YearLink(label: t.t("training.year_label", ["year": String(value)]), href: TrainingPath.overview.query(["year": String(value)]), active: value == year)
            },
            rows: rows,
            totalLine: t.t("training.total_line", ["courses": String(records.count), "members": String(trained), "hours": FixedNumber.text(hours), "year": String(year)]),
            hasRecords: !records.isEmpty, newHref: TrainingPath.new.path, standardsHref: TrainingPath.standards.path)
    }
}

/// One member's training: every course, the year's hours, and (for managers) the way to record more.
struct TrainingMemberPage {
    struct Row {
        var course: String
        var provider: String
        var day: String
        var hours: String
        var result: String
        var resultKey: String
        var score: String
        var notes: String
        var certificate: String?
        var certificateHref: String?
        var recordedBy: String
        var editHref: String
    }

    var memberName: String
    var rows: [Row]
    var hasRows: Bool
    var summary: String
    var pagination: Pagination
    var canManage: Bool
    var isSelf: Bool
    var newHref: String
    var standardsHref: String
    var overviewHref: String

    static func make(member: Member, page: Page<TrainingRecord>, names: [String: String], assets: [String: String], address: PageAddress,
                     canManage: Bool, isSelf: Bool, today: LocalDate, t: Localizer) -> TrainingMemberPage {
        let thisYear = page.items.filter { $0.day.year == today.year }
        return TrainingMemberPage(
            memberName: member.name,
            rows: page.items.map { record in
                Row(course: record.course, provider: record.provider, day: t.day(record.day), hours: t.t("training.hours_value", ["hours": FixedNumber.text(record.hours)]),
                    result: t.t("training.result_\(record.result.rawValue)"), resultKey: record.result.rawValue,
                    score: record.score.map(FixedNumber.text) ?? "—", notes: record.notes,
                    certificate: record.certificateAssetID.map { assets[$0] ?? t.t("training.certificate_gone") },
                    certificateHref: record.certificateAssetID.flatMap { assets[$0] == nil ? nil : ContentPath.asset(.value($0)).path },
                    recordedBy: record.recordedBy.flatMap { names[$0] } ?? "—", editHref: TrainingPath.record(.value(record.id)).path)
            },
            hasRows: !page.items.isEmpty,
            summary: t.t("training.member_summary", ["total": String(page.total), "year": String(today.year), "count": String(thisYear.count),
                                                    "hours": FixedNumber.text(thisYear.reduce(0) { $0 + $1.hours })]),
            pagination: Pagination(address, page: page, localizer: t), canManage: canManage, isSelf: isSelf,
            newHref: TrainingPath.new.query(["member": member.id]), standardsHref: TrainingPath.standards.path, overviewHref: TrainingPath.overview.path)
    }
}

struct TrainingFormPage {
    var action: String
    var backHref: String
    var isNew: Bool
    var memberName: String?
    var values: [String: String]
    var members: [SelectOption]
    var results: [SelectOption]
    var assets: [SelectOption]
    var errors: [String: String]
    var summary: String?
    var deleteAction: String?
    var deleteConfirm: String
}

/// Every position's standard, in the reader's language.
struct StandardsPage {
    struct Level { var label: String; var meaning: String }
    struct Criterion { var name: String; var levels: [Level] }
    struct Position { var key: String; var name: String; var criteria: [Criterion]; var status: String; var editHref: String }

    var positions: [Position]
    var canManage: Bool
    var levelLabels: [String]

    static func make(_ standards: [AssessmentStandard], canManage: Bool, names: [String: String], t: Localizer) -> StandardsPage {
        let zh = t.locale == .zhHans
        return StandardsPage(positions: standards.map { standard in
            Position(key: standard.roleKey, name: t.t("role.\(standard.roleKey).name"),
                     criteria: standard.criteria.map { criterion in
                         Criterion(name: zh ? criterion.name.zh : criterion.name.en, levels: AssessmentLevel.allCases.map { level in
                             Level(label: t.t("standards.level_\(level.rawValue)"), meaning: (zh ? criterion.levels[level]?.zh : criterion.levels[level]?.en) ?? "")
                         })
                     },
                     status: standard.customized
                        ? t.t("standards.customized", ["who": standard.updatedBy.flatMap { names[$0] } ?? "—", "at": standard.updatedAt.map(t.dateTime) ?? ""])
                        : t.t("standards.builtin"),
                     editHref: TrainingPath.standard(.value(standard.roleKey)).path)
        }, canManage: canManage, levelLabels: AssessmentLevel.allCases.map { t.t("standards.level_\($0.rawValue)") })
    }
}

/// A position's standard in both languages, criterion by criterion (a blank one to add).
struct StandardFormPage {
    struct Field { var name: String; var id: String; var label: String; var value: String; var error: String?; var multiline: Bool }
    struct Block { var heading: String; var fields: [Field] }

    var roleName: String
    var action: String
    var resetAction: String
    var customized: Bool
    var blocks: [Block]
    var summary: String?
    var criteriaError: String?

    static func make(role: BuiltinRole, standard: AssessmentStandard, criteria: [AssessmentCriterion], errors: FormErrors, summary: String?,
                     t: Localizer) -> StandardFormPage {
        let count = min(AssessmentStandard.maxCriteria, criteria.count + 1)
        let blocks = (0..<count).map { index -> Block in
            let criterion = index < criteria.count ? criteria[index] : nil
            var fields: [Field] = []
            for (language, label) in [("zh", t.t("standards.in_chinese")), ("en", t.t("standards.in_english"))] {
                let name = TrainingInput.key(index, "name", language)
                fields.append(Field(name: name, id: name, label: t.t("standards.criterion_name", ["language": label]),
                                    value: (language == "zh" ? criterion?.name.zh : criterion?.name.en) ?? "",
                                    error: errors.messages["criteria_\(index)_name_\(language)"], multiline: false))
            }
            for level in AssessmentLevel.allCases {
                for (language, label) in [("zh", t.t("standards.in_chinese")), ("en", t.t("standards.in_english"))] {
                    let name = TrainingInput.key(index, level.rawValue, language)
                    let text = criterion?.levels[level]
                    fields.append(Field(name: name, id: name, label: t.t("standards.level_meaning", ["level": t.t("standards.level_\(level.rawValue)"), "language": label]),
                                        value: (language == "zh" ? text?.zh : text?.en) ?? "",
                                        error: errors.messages["criteria_\(index)_\(level.rawValue)_\(language)"], multiline: true))
                }
            }
            return Block(heading: criterion == nil ? t.t("standards.new_criterion") : t.t("standards.criterion_number", ["number": String(index + 1)]), fields: fields)
        }
        return StandardFormPage(roleName: t.t("role.\(role.rawValue).name"), action: TrainingPath.standard(.value(role.rawValue)).path,
                                resetAction: TrainingPath.standardReset(.value(role.rawValue)).path, customized: standard.customized, blocks: blocks,
                                summary: summary, criteriaError: errors.messages["criteria"])
    }
}
