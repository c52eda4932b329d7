import Foundation
import MediaOpsDomain

/// The workspace's own word lists (banned, sensitive, competitors, diversion
/// terms): adding and removing terms, each change audited.
public struct WordListService: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    public func all() async throws -> [WordListEntry] {
        try await WordListRepository(database.sql).all()
    }

    public func add(category: String?, term: String?, severity: String?, by principal: Principal) async throws -> WordListEntry {
        guard let raw = category, !raw.isEmpty else { throw ValidationError(field: "category", code: "required") }
        guard let parsed = ComplianceCategory(rawValue: raw), WordListRepository.categories.contains(parsed) else {
            throw ValidationError(field: "category", code: "invalid_choice", params: ["choices": WordListRepository.categories.map(\.rawValue).joined(separator: ", ")])
        }
        let term = try Validate.requiredText(term, field: "term", max: 40)
        var level = ComplianceSeverity.warn
        if let severity, !severity.isEmpty {
            guard let parsedLevel = ComplianceSeverity(rawValue: severity) else {
                throw ValidationError(field: "severity", code: "invalid_choice", params: ["choices": "block, warn"])
            }
            level = parsedLevel
        }
        let chosen = level
        return try await database.transaction { db in
            let repository = WordListRepository(db)
            if try await repository.exists(category: parsed, term: term) { throw ConflictError(code: "term_exists", field: "term") }
            let entry = try await repository.add(category: parsed, term: term, severity: chosen)
            try await Audit.record(db, principal, .create, .wordList, entry.id, label: term,
                                   changes: ["word_list": ["", parsed.rawValue], "severity": ["", chosen.rawValue]])
            return entry
        }
    }

    public func remove(id: String, by principal: Principal) async throws {
        try await database.transaction { db in
            guard Identifier.isPlausible(id), let entry = try await WordListRepository(db).find(id: id) else { throw NotFoundError(entity: "word_list") }
            try await WordListRepository(db).delete(id: id)
            try await Audit.record(db, principal, .delete, .wordList, id, label: entry.term,
                                   changes: ["word_list": [entry.category.rawValue, ""], "severity": [entry.severity.rawValue, ""]])
        }
    }
}
