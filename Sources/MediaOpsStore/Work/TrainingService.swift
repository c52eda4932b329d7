import Foundation
import MediaOpsDomain
import SQLKit

/// Training records and the assessment standards per position.
///
/// Who sees what: someone holding `reviews.manage` records courses for the
/// members they may act on (never for someone with more power) and reads
/// everyone's; every other member reads only their own. The standards are the
/// workspace's to rewrite (`kpis.manage`); a position nobody rewrote keeps the
/// built-in text, which the web layer reads from its catalogs.
public struct TrainingService: Sendable {
    public let database: Database

    public init(database: Database) { self.database = database }

    /// Records one member may have.
    public static let maxPerMember = 2_000

    public func today() async throws -> (day: LocalDate, zone: TimeZone) {
        let zone = try await WorkspaceRepository(database.sql).get().flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(identifier: "Asia/Shanghai")!
        return (LocalDate(database.now(), timeZone: zone), zone)
    }

    /// Whether `principal` may read `memberID`'s records.
    public static func mayRead(memberID: String, principal: Principal) -> Bool {
        principal.can(.reviewsManage) || (principal.memberID == memberID && principal.can(.kpisView))
    }

    func checkRead(memberID: String, principal: Principal) throws {
        guard Self.mayRead(memberID: memberID, principal: principal) else { throw PermissionError(code: "training_not_yours") }
    }

    public func records(memberID: String, page: PageRequest, for principal: Principal) async throws -> Page<TrainingRecord> {
        try checkRead(memberID: memberID, principal: principal)
        return try await TrainingRepository(database.sql).records(memberID: memberID, page: page)
    }

    public func record(id: String, for principal: Principal) async throws -> TrainingRecord {
        guard let record = try await TrainingRepository(database.sql).find(id: id) else { throw NotFoundError(entity: "training_record") }
        try checkRead(memberID: record.memberID, principal: principal)
        return record
    }

    /// Every record with a day in [from, to]; the team overview (reviews.manage only).
    public func records(from: LocalDate, to: LocalDate, for principal: Principal) async throws -> [TrainingRecord] {
        guard principal.can(.reviewsManage) else { throw PermissionError(code: "training_not_yours") }
        return try await TrainingRepository(database.sql).records(from: from, to: to)
    }

    static func cleaned(_ record: TrainingRecord) -> TrainingRecord {
        var record = record
        record.course = record.course.trimmingCharacters(in: .whitespacesAndNewlines)
        record.provider = record.provider.trimmingCharacters(in: .whitespacesAndNewlines)
        record.notes = record.notes.trimmingCharacters(in: .whitespacesAndNewlines)
        if let asset = record.certificateAssetID?.trimmingCharacters(in: .whitespaces) { record.certificateAssetID = asset.isEmpty ? nil : asset }
        return record
    }

    /// The domain's checks, the member and the certificate existing, and the
    /// recorder's power over the member; every broken field at once.
    /// `today` is read before the transaction: the transaction holds SQLite's one connection.
    func check(_ record: TrainingRecord, today: LocalDate, principal: Principal, db: any SQLDatabase) async throws {
        var errors = record.validationErrors(today: today)
        var member: Member?
        if !record.memberID.isEmpty {
            member = try await MemberRepository(db).find(id: record.memberID)
            if member == nil { errors.insert(ValidationError(field: "member_id", code: "training_member_unknown"), at: 0) }
        }
        if let asset = record.certificateAssetID, try await AssetRepository(db).find(id: asset) == nil {
            errors.append(ValidationError(field: "certificate_asset_id", code: "training_certificate_unknown"))
        }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        guard principal.can(.reviewsManage) else { throw PermissionError(code: "training_not_yours") }
        if let member { try await TeamService.checkMayActOn(member, by: principal, db: db) }
    }

    static func fields(_ record: TrainingRecord) -> [String: String] {
        ["course": record.course, "provider": record.provider, "day": record.day.description, "hours": FixedText.number(record.hours),
         "result": record.result.rawValue, "score": record.score.map(FixedText.number) ?? "", "notes": record.notes,
         "certificate_asset_id": record.certificateAssetID ?? ""]
    }

    public func create(_ draft: TrainingRecord, by principal: Principal, now: Date? = nil) async throws -> TrainingRecord {
        let now = now ?? database.now()
        var record = Self.cleaned(draft)
        record.id = Identifier.makeOrdered("trn")
        record.recordedBy = principal.memberID
        record.createdAt = now
        record.updatedAt = now
        let checked = record
        let today = try await today().day
        return try await database.transaction { db in
            try await check(checked, today: today, principal: principal, db: db)
            let repository = TrainingRepository(db)
            guard try await repository.count(memberID: checked.memberID) < Self.maxPerMember else {
                throw ValidationError(field: "member_id", code: "too_many", params: ["max": String(Self.maxPerMember)])
            }
            try await repository.insert(checked)
            let name = try await MemberRepository(db).find(id: checked.memberID)?.name ?? checked.memberID
            try await Audit.record(db, principal, .create, .trainingRecord, checked.id, label: name + " · " + checked.course,
                                   changes: Self.fields(checked).filter { !$0.value.isEmpty }.mapValues { ["", $0] }, at: now)
            return checked
        }
    }

    /// Changes a record; the member it belongs to stays.
    public func update(_ edited: TrainingRecord, by principal: Principal, now: Date? = nil) async throws -> TrainingRecord {
        let now = now ?? database.now()
        let cleaned = Self.cleaned(edited)
        let today = try await today().day
        return try await database.transaction { db in
            let repository = TrainingRepository(db)
            guard let before = try await repository.find(id: cleaned.id, lock: true) else { throw NotFoundError(entity: "training_record") }
            var record = cleaned
            record.memberID = before.memberID
            record.recordedBy = before.recordedBy
            record.createdAt = before.createdAt
            record.updatedAt = now
            try await check(record, today: today, principal: principal, db: db)
            let changes = ChangeSet(from: Self.fields(before), to: Self.fields(record))
            guard !changes.isEmpty else { return before }
            try await repository.update(record)
            let name = try await MemberRepository(db).find(id: record.memberID)?.name ?? record.memberID
            try await Audit.record(db, principal, .update, .trainingRecord, record.id, label: name + " · " + record.course, changes: changes.changes, at: now)
            return record
        }
    }

    public func delete(id: String, by principal: Principal, now: Date? = nil) async throws {
        let now = now ?? database.now()
        try await database.transaction { db in
            let repository = TrainingRepository(db)
            guard let record = try await repository.find(id: id, lock: true) else { throw NotFoundError(entity: "training_record") }
            guard principal.can(.reviewsManage) else { throw PermissionError(code: "training_not_yours") }
            let member = try await MemberRepository(db).find(id: record.memberID)
            if let member { try await TeamService.checkMayActOn(member, by: principal, db: db) }
            try await repository.delete(id: id)
            try await Audit.record(db, principal, .delete, .trainingRecord, id, label: (member?.name ?? record.memberID) + " · " + record.course, at: now)
        }
    }

    // MARK: Assessment standards

    /// The standards the workspace rewrote, by role key (the rest keep the built-in text).
    public func customStandards() async throws -> [String: AssessmentStandard] { try await TrainingRepository(database.sql).standards() }

    /// Saves a position's standard as the workspace's own.
    /// `label` names the position in the audit log (the reader's word for it).
    public func saveStandard(_ standard: AssessmentStandard, label: String? = nil, by principal: Principal, now: Date? = nil) async throws -> AssessmentStandard {
        let now = now ?? database.now()
        guard let role = BuiltinRole(rawValue: standard.roleKey), AssessmentStandard.positions.contains(role) else { throw NotFoundError(entity: "assessment_standard") }
        var cleaned = standard
        cleaned.criteria = standard.criteria.map { criterion in
            let trim = { (text: BilingualText) in BilingualText(zh: text.zh.trimmingCharacters(in: .whitespacesAndNewlines), en: text.en.trimmingCharacters(in: .whitespacesAndNewlines)) }
            return AssessmentCriterion(name: trim(criterion.name), levels: criterion.levels.mapValues(trim))
        }
        cleaned.customized = true
        cleaned.updatedBy = principal.memberID
        cleaned.updatedAt = now
        let errors = cleaned.validationErrors()
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        let checked = cleaned
        return try await database.transaction { db in
            let repository = TrainingRepository(db)
            let before = try await repository.standard(roleKey: checked.roleKey)
            try await repository.put(checked)
            try await Audit.record(db, principal, before == nil ? .create : .update, .assessmentStandard, checked.roleKey, label: label ?? checked.roleKey,
                                   changes: ChangeSet(from: Self.fields(before), to: Self.fields(checked)).changes, at: now)
            return checked
        }
    }

    /// Goes back to the built-in text for a position.
    public func resetStandard(roleKey: String, label: String? = nil, by principal: Principal, now: Date? = nil) async throws {
        let now = now ?? database.now()
        try await database.transaction { db in
            let repository = TrainingRepository(db)
            guard let before = try await repository.standard(roleKey: roleKey) else { throw NotFoundError(entity: "assessment_standard") }
            try await repository.deleteStandard(roleKey: roleKey)
            try await Audit.record(db, principal, .delete, .assessmentStandard, roleKey, label: label ?? roleKey,
                                   changes: ChangeSet(from: Self.fields(before), to: [:]).changes, at: now)
        }
    }

    static func fields(_ standard: AssessmentStandard?) -> [String: String] {
        var fields: [String: String] = [:]
        for (index, criterion) in (standard?.criteria ?? []).enumerated() {
            fields["criterion_\(index + 1)"] = criterion.name.zh + " / " + criterion.name.en
            for level in AssessmentLevel.allCases {
                fields["criterion_\(index + 1)_\(level.rawValue)"] = (criterion.levels[level]?.zh ?? "") + " / " + (criterion.levels[level]?.en ?? "")
            }
        }
        return fields
    }
}

/// Numbers as audit values and API text: whole ones without a decimal point.
enum FixedText {
    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
