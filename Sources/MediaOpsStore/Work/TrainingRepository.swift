import Foundation
import MediaOpsDomain
import SQLKit

/// The `training_records` and `assessment_standards` tables. Rows are read
/// strictly: an unknown result or level is an unreadable row, never a default.
public struct TrainingRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    public func find(id: String, lock: Bool = false) async throws -> TrainingRecord? {
        let clause: SQLQueryString = lock ? "\(RowLock.update)" : ""
        return try await db.raw("SELECT * FROM training_records WHERE id = \(bind: id)" + clause).first().map(Self.record(from:))
    }

    /// One member's records, the latest course first.
    public func records(memberID: String, page: PageRequest) async throws -> Page<TrainingRecord> {
        let total = try await db.raw("SELECT COUNT(*) AS n FROM training_records WHERE member_id = \(bind: memberID)").first()?.int("n") ?? 0
        let rows = try await db.raw("""
            SELECT * FROM training_records WHERE member_id = \(bind: memberID) ORDER BY day DESC, created_at DESC, id DESC
            LIMIT \(bind: page.perPage) OFFSET \(bind: page.offset)
            """).all()
        return Page(items: try rows.map(Self.record(from:)), total: total, page: page.page, perPage: page.perPage)
    }

    /// Every record with a day in [from, to], oldest first (bounded: a year of a large team is far less).
    public func records(from: LocalDate, to: LocalDate, limit: Int = 20_000) async throws -> [TrainingRecord] {
        try await db.raw("""
            SELECT * FROM training_records WHERE day >= \(bind: from.description) AND day <= \(bind: to.description)
            ORDER BY day, created_at, id LIMIT \(bind: limit)
            """).all().map(Self.record(from:))
    }

    public func count(memberID: String) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM training_records WHERE member_id = \(bind: memberID)").first()?.int("n") ?? 0
    }

    public func insert(_ record: TrainingRecord) async throws {
        try await db.raw("""
            INSERT INTO training_records (id, member_id, course, provider, day, hours, result, score, notes, certificate_asset_id, recorded_by, created_at, updated_at)
            VALUES (\(bind: record.id), \(bind: record.memberID), \(bind: record.course), \(bind: record.provider), \(bind: record.day.description),
                \(bind: record.hours), \(bind: record.result.rawValue), \(bind: record.score), \(bind: record.notes), \(bind: record.certificateAssetID),
                \(bind: record.recordedBy), \(bind: record.createdAt.epochMilliseconds), \(bind: record.updatedAt.epochMilliseconds))
            """).run()
    }

    public func update(_ record: TrainingRecord) async throws {
        try await db.raw("""
            UPDATE training_records SET course = \(bind: record.course), provider = \(bind: record.provider), day = \(bind: record.day.description),
                hours = \(bind: record.hours), result = \(bind: record.result.rawValue), score = \(bind: record.score), notes = \(bind: record.notes),
                certificate_asset_id = \(bind: record.certificateAssetID), updated_at = \(bind: record.updatedAt.epochMilliseconds)
            WHERE id = \(bind: record.id)
            """).run()
    }

    public func delete(id: String) async throws {
        try await db.raw("DELETE FROM training_records WHERE id = \(bind: id)").run()
    }

    static func record(from row: any SQLRow) throws -> TrainingRecord {
        let text = try row.string("day")
        guard let day = LocalDate(text) else { throw UnreadableStoredValue(column: "day", value: text) }
        return TrainingRecord(id: try row.string("id"), memberID: try row.string("member_id"), course: try row.string("course"),
                              provider: try row.string("provider"), day: day, hours: try row.double("hours"),
                              result: try row.value("result", as: TrainingResult.self), score: try row.optionalDouble("score"), notes: try row.string("notes"),
                              certificateAssetID: try row.optionalString("certificate_asset_id"), recordedBy: try row.optionalString("recorded_by"),
                              createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }

    // MARK: Assessment standards

    /// The standards the workspace wrote, by role key.
    public func standards() async throws -> [String: AssessmentStandard] {
        var result: [String: AssessmentStandard] = [:]
        for row in try await db.raw("SELECT * FROM assessment_standards").all() {
            let standard = try Self.standard(from: row)
            result[standard.roleKey] = standard
        }
        return result
    }

    public func standard(roleKey: String) async throws -> AssessmentStandard? {
        try await db.raw("SELECT * FROM assessment_standards WHERE role_key = \(bind: roleKey)").first().map(Self.standard(from:))
    }

    public func put(_ standard: AssessmentStandard) async throws {
        try await db.raw("DELETE FROM assessment_standards WHERE role_key = \(bind: standard.roleKey)").run()
        try await db.raw("""
            INSERT INTO assessment_standards (role_key, criteria, updated_by, updated_at)
            VALUES (\(bind: standard.roleKey), \(bind: Self.encode(standard.criteria)), \(bind: standard.updatedBy),
                \(bind: (standard.updatedAt ?? Date()).epochMilliseconds))
            """).run()
    }

    public func deleteStandard(roleKey: String) async throws {
        try await db.raw("DELETE FROM assessment_standards WHERE role_key = \(bind: roleKey)").run()
    }

    /// Criteria as stored: `[{"name": {"zh","en"}, "levels": {"excellent": {"zh","en"}, …}}]`.
    struct StoredCriterion: Codable {
        var name: BilingualText
        var levels: [String: BilingualText]
    }

    static func encode(_ criteria: [AssessmentCriterion]) -> String {
        JSONText.encode(criteria.map { criterion in
            StoredCriterion(name: criterion.name, levels: Dictionary(uniqueKeysWithValues: criterion.levels.map { ($0.key.rawValue, $0.value) }))
        })
    }

    static func standard(from row: any SQLRow) throws -> AssessmentStandard {
        let text = try row.string("criteria")
        guard let stored = JSONText.decode([StoredCriterion].self, from: text) else { throw UnreadableStoredValue(column: "criteria", value: String(text.prefix(80))) }
        let criteria = try stored.map { criterion in
            var levels: [AssessmentLevel: BilingualText] = [:]
            for (key, value) in criterion.levels {
                guard let level = AssessmentLevel(rawValue: key) else { throw UnreadableStoredValue(column: "criteria", value: key) }
                levels[level] = value
            }
            return AssessmentCriterion(name: criterion.name, levels: levels)
        }
        return AssessmentStandard(roleKey: try row.string("role_key"), criteria: criteria, customized: true, updatedBy: try row.optionalString("updated_by"),
                                  updatedAt: try row.date("updated_at"))
    }
}
