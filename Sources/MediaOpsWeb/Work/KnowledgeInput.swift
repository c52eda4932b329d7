import Foundation
import MediaOpsDomain
import MediaOpsStore

/// An entry as a person sends it: through the API as JSON (tags and platforms
/// as lists), through the form as typed (tags separated by commas, 、 or
/// spaces; platforms as ticked boxes). Every broken field at once.
enum KnowledgeInput {
    static func kindError() -> ValidationError {
        ValidationError(field: "kind", code: "invalid_choice", params: ["choices": KnowledgeKind.allCases.map(\.rawValue).joined(separator: ", ")])
    }

    static func platformError(_ field: String = "platforms") -> ValidationError {
        ValidationError(field: field, code: "invalid_choice", params: ["choices": KnowledgeEntry.platformChoices.map(\.rawValue).joined(separator: ", ")])
    }

    static func finish(_ entry: KnowledgeEntry, errors: [ValidationError]) throws -> KnowledgeEntry {
        var errors = errors
        let unreadable = Set(errors.map(\.field))
        let cleaned = KnowledgeService.cleaned(entry)
        errors += cleaned.validationErrors().filter { !unreadable.contains($0.field) }
        let order = ["kind", "title", "body", "tags", "platforms", "version"]
        errors.sort { (order.firstIndex(of: $0.field) ?? 9) < (order.firstIndex(of: $1.field) ?? 9) }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        return cleaned
    }

    /// The API's body; `base` is the stored entry for a PATCH (what is not sent stays).
    static func json(_ input: JSONInput, base: KnowledgeEntry?) throws -> (entry: KnowledgeEntry, version: Int?) {
        var errors: [ValidationError] = []
        var entry = base ?? KnowledgeEntry(id: "new", kind: .lesson, title: "", body: "")
        func attempt<T>(_ body: () throws -> T?) -> T? {
            do { return try body() } catch let error as ValidationError { errors.append(error); return nil } catch { return nil }
        }
        if let text = attempt({ try input.string("kind") }) {
            if let kind = KnowledgeKind(rawValue: text) { entry.kind = kind } else { errors.append(kindError()) }
        } else if base == nil, !errors.contains(where: { $0.field == "kind" }) {
            errors.append(ValidationError(field: "kind", code: "required"))
        }
        if let title = attempt({ try input.string("title") }) { entry.title = title }
        if let body = attempt({ try input.string("body") }) { entry.body = body }
        if let tags = attempt({ try input.strings("tags") }) { entry.tags = tags }
        if let platforms = attempt({ try input.strings("platforms") }) {
            var parsed: [Platform] = []
            for value in platforms {
                if let platform = Platform(rawValue: value), platform != .webhook { parsed.append(platform) } else { errors.append(platformError()); break }
            }
            entry.platforms = parsed
        }
        var version: Int?
        if let number = attempt({ try input.integer("version") }) {
            if number < 1 || number > 1_000_000 { errors.append(ValidationError(field: "version", code: "out_of_range", params: ["min": "1", "max": "1000000"])) }
            else { version = number }
        }
        return (try finish(entry, errors: errors), version)
    }

    /// The page's form; `base` is the stored entry when editing.
    static func form(_ form: FormData, base: KnowledgeEntry?) throws -> (entry: KnowledgeEntry, version: Int?) {
        var errors: [ValidationError] = []
        var entry = base ?? KnowledgeEntry(id: "new", kind: .lesson, title: "", body: "")
        let kindText = (form["kind"] ?? "").trimmed
        if kindText.isEmpty { errors.append(ValidationError(field: "kind", code: "required")) }
        else if let kind = KnowledgeKind(rawValue: kindText) { entry.kind = kind } else { errors.append(kindError()) }
        entry.title = form["title"] ?? ""
        entry.body = form["body"] ?? ""
        entry.tags = KnowledgeEntry.parseTags(form["tags"] ?? "")
        var platforms: [Platform] = []
        for value in form.all("platforms") where !value.isEmpty {
            if let platform = Platform(rawValue: value), platform != .webhook { platforms.append(platform) } else { errors.append(platformError()); break }
        }
        entry.platforms = platforms
        let version = form["version"].flatMap { Int($0.trimmed) }
        return (try finish(entry, errors: errors), version)
    }

    /// What the form shows: the typed values after a refusal, the stored ones otherwise.
    static func values(of entry: KnowledgeEntry?) -> [String: String] {
        guard let entry else { return ["kind": KnowledgeKind.lesson.rawValue] }
        return ["kind": entry.kind.rawValue, "title": entry.title, "body": entry.body, "tags": entry.tags.joined(separator: "，"),
                "version": String(entry.version)]
    }

    static func values(_ form: FormData) -> [String: String] {
        ["kind": form["kind"] ?? "", "title": form["title"] ?? "", "body": form["body"] ?? "", "tags": form["tags"] ?? "", "version": form["version"] ?? ""]
    }
}
