import Foundation
import Hummingbird
import MediaOpsDomain

/// A JSON value read exactly as sent, so a wrong type can be named precisely
/// ("roles must be a list") instead of failing a whole Decodable. Booleans stay
/// apart from numbers (JSONSerialization gives both as NSNumber on Linux); the
/// tests' response contract reads answers with it too.
public enum JSONValue: Decodable, Sendable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }
}

/// The object body of an API request with typed, field-naming accessors.
struct JSONInput: Sendable {
    let object: [String: JSONValue]

    static func read(_ request: Request, context: AppRequestContext) async throws -> JSONInput {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw AppError(.contentTooLarge, "too_large", params: ["max": RequestLimits.maxBodyLabel])
        }
        guard buffer.readableBytes > 0 else { throw AppError(.badRequest, "invalid_json") }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
        } catch {
            throw AppError(.badRequest, "invalid_json")
        }
        guard case .object(let object) = value else { throw AppError(.badRequest, "json_object_expected") }
        if let rules = context.bodyRules, let broken = RequestRules.check(object, against: rules) { throw broken }
        return JSONInput(object: object)
    }

    func has(_ key: String) -> Bool { object[key] != nil }

    /// A string, or nil when absent or null.
    func string(_ key: String) throws -> String? {
        switch object[key] {
        case .none, .null: return nil
        case .string(let value):
            // NUL and other control characters break search syntax and PostgreSQL text.
            guard !value.unicodeScalars.contains(where: RequestLimits.isUnwanted) else {
                throw ValidationError(field: key, code: "control_characters")
            }
            return value
        default: throw ValidationError(field: key, code: "invalid_type", params: ["type": "string"])
        }
    }

    /// Distinguishes "absent" (.none) from "null" (.some(nil)), for clearable fields.
    func nullableString(_ key: String) throws -> String?? {
        switch object[key] {
        case .none: return .none
        case .null: return .some(nil)
        case .string: return .some(try string(key))
        default: throw ValidationError(field: key, code: "invalid_type", params: ["type": "string"])
        }
    }

    func bool(_ key: String) throws -> Bool? {
        switch object[key] {
        case .none, .null: return nil
        case .bool(let value): return value
        default: throw ValidationError(field: key, code: "invalid_type", params: ["type": "boolean"])
        }
    }

    /// A finite number, or nil when absent or null.
    func number(_ key: String) throws -> Double? {
        switch object[key] {
        case .none, .null: return nil
        case .number(let value) where value.isFinite: return value
        default: throw ValidationError(field: key, code: "invalid_type", params: ["type": "number"])
        }
    }

    /// A whole number that fits an `Int`, or nil when absent or null.
    func integer(_ key: String) throws -> Int? {
        switch object[key] {
        case .none, .null: return nil
        case .number(let value) where value.isFinite && value.rounded(.towardZero) == value && abs(value) < 1e15: return Int(value)
        default: throw ValidationError(field: key, code: "invalid_type", params: ["type": "integer"])
        }
    }

    func strings(_ key: String) throws -> [String]? {
        switch object[key] {
        case .none, .null: return nil
        case .array(let values):
            return try values.map { value in
                guard case .string(let string) = value else { throw ValidationError(field: key, code: "invalid_type", params: ["type": "array of strings"]) }
                guard !string.unicodeScalars.contains(where: RequestLimits.isUnwanted) else { throw ValidationError(field: key, code: "control_characters") }
                return string
            }
        default: throw ValidationError(field: key, code: "invalid_type", params: ["type": "array of strings"])
        }
    }

    func stringMap(_ key: String) throws -> [String: String]? {
        switch object[key] {
        case .none, .null: return nil
        case .object(let values):
            var out: [String: String] = [:]
            for (name, value) in values {
                switch value {
                case .string(let string): out[name] = string
                case .null: out[name] = ""
                default: throw ValidationError(field: "\(key).\(name)", code: "invalid_type", params: ["type": "string"])
                }
            }
            return out
        default: throw ValidationError(field: key, code: "invalid_type", params: ["type": "object"])
        }
    }
}

/// JSON responses: snake_case DTOs, ISO 8601 instants, sorted keys for stable output.
enum JSONOutput {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func noContent() -> Response { Response(status: .noContent) }
}

/// `{"items": …, "total": …, "page": …, "per_page": …}`
struct PageDTO<Item: Encodable>: Encodable {
    var items: [Item]
    var total: Int
    var page: Int
    var per_page: Int
    /// Present (true) when `total` is a floor: searches count up to a cap.
    var total_capped: Bool?

    init(items: [Item], total: Int, page: Int, per_page: Int, total_capped: Bool? = nil) {
        self.items = items
        self.total = total
        self.page = page
        self.per_page = per_page
        self.total_capped = total_capped
    }

    /// One page of stored things, each turned into its API shape.
    init<Stored>(_ page: Page<Stored>, _ transform: (Stored) throws -> Item) rethrows {
        self.init(items: try page.items.map(transform), total: page.total, page: page.page, per_page: page.perPage,
                  total_capped: page.totalIsCapped ? true : nil)
    }
}

struct ItemsDTO<Item: Encodable>: Encodable {
    var items: [Item]
}

struct ErrorDTO: Encodable {
    struct Detail: Encodable {
        var code: String
        var message: String
        @Nullable var field: String?
    }
    struct Body: Encodable {
        var code: String
        var message: String
        @Nullable var field: String?
        /// Every broken rule, in field order, when there are several.
        var errors: [Detail]?
    }
    var error: Body
}

extension Request {
    /// The query string read as an HTML form sends it: "+" is a space (a GET
    /// form encodes "冬季 选题" as "冬季+选题"), "%2B" a plus; control characters dropped.
    var formQuery: FormData { FormData(uri.query ?? "") }

    /// Query parameter helper: trimmed, nil when empty.
    func query(_ name: String) -> String? {
        guard let value = formQuery[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// page/per_page from the query, refusing nonsense with 422 naming the parameter.
    func pageRequest(defaultPerPage: Int = 50) throws -> PageRequest {
        var page = 1, perPage = defaultPerPage
        if let raw = query("page") {
            guard let value = Int(raw) else { throw ValidationError(field: "page", code: "invalid_number") }
            guard (1...PageRequest.maxPage).contains(value) else {
                throw ValidationError(field: "page", code: "out_of_range", params: ["min": "1", "max": String(PageRequest.maxPage)])
            }
            page = value
        }
        if let raw = query("per_page") {
            guard let value = Int(raw), (1...PageRequest.maxPerPage).contains(value) else {
                throw ValidationError(field: "per_page", code: "out_of_range", params: ["min": "1", "max": String(PageRequest.maxPerPage)])
            }
            perPage = value
        }
        return PageRequest(page: page, perPage: perPage)
    }

    /// Reads a sort key from the allowed set, and the order (asc/desc); without
    /// an order the listing's own default applies (newest first for content).
    func sort<S: RawRepresentable & CaseIterable>(_ type: S.Type, default value: S, descendingByDefault: Bool = false) throws -> (S, Bool)
        where S.RawValue == String {
        var sort = value
        if let raw = query("sort") {
            guard let parsed = S(rawValue: raw) else {
                throw ValidationError(field: "sort", code: "invalid_choice", params: ["choices": S.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            sort = parsed
        }
        var descending = descendingByDefault
        if let order = query("order") {
            guard order == "asc" || order == "desc" else { throw ValidationError(field: "order", code: "invalid_choice", params: ["choices": "asc, desc"]) }
            descending = order == "desc"
        }
        return (sort, descending)
    }

    func boolQuery(_ name: String) throws -> Bool? {
        guard let raw = query(name) else { return nil }
        switch raw.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw ValidationError(field: name, code: "invalid_type", params: ["type": "boolean"])
        }
    }
}

/// An optional that is written as `null` when empty instead of being left out,
/// so every API object has the same keys whether a value is set or not.
/// (Synthesised Encodable skips nil optionals; this wrapper is the one place
/// that changes that.)
@propertyWrapper
struct Nullable<Value: Encodable>: Encodable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value = wrappedValue { try container.encode(value) } else { try container.encodeNil() }
    }
}
