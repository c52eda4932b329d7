import Foundation
import MediaOpsWeb

/// Checks API answers against the operation the OpenAPI document describes:
/// the status must be one the operation lists, and the body must match that
/// response's schema. Every call the tests make through `WebHarness.api` goes
/// through it, so a field renamed in a DTO, a status nobody documented or a
/// write-only secret echoed back fails the test that caused it.
struct OpenAPIContract: Sendable {
    /// The served document, parsed once per test process.
    static let bundled: OpenAPIContract = {
        do {
            return try OpenAPIContract(data: OpenAPIDocument.bundled().data)
        } catch {
            fatalError("the bundled OpenAPI document does not parse: \(error)")
        }
    }()

    private let document: JSONValue
    private let operations: [(method: String, segments: [String], operation: JSONValue)]

    init(data: Data) throws {
        document = try JSONDecoder().decode(JSONValue.self, from: data)
        var operations: [(String, [String], JSONValue)] = []
        for (path, item) in document["paths"]?.object ?? [:] {
            for (method, operation) in item.object ?? [:] where ["get", "post", "put", "patch", "delete"].contains(method) {
                operations.append((method.uppercased(), path.split(separator: "/").map(String.init), operation))
            }
        }
        // Literal segments before parameters, so /targets/expiring wins over /targets/{id}.
        self.operations = operations.sorted { $0.1.filter { $0.hasPrefix("{") }.count < $1.1.filter { $0.hasPrefix("{") }.count }
    }

    /// The operation that serves `method path`, if the document has one.
    func operation(method: String, path: String) -> JSONValue? {
        let segments = path.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "/").map(String.init) } ?? []
        return operations.first { candidate in
            candidate.method == method && candidate.segments.count == segments.count
                && zip(candidate.segments, segments).allSatisfy { template, actual in template.hasPrefix("{") || template == actual }
        }?.operation
    }

    /// What is wrong with this answer; empty when it is what the document promises.
    /// Calls to paths the document does not describe are not judged here (the
    /// route agreement test covers those).
    func violations(method: String, path: String, status: Int, contentType: String?, body: Data) -> [String] {
        guard let operation = operation(method: method, path: path) else { return [] }
        let where_ = "\(method) \(path) → \(status)"
        guard let responses = operation["responses"]?.object else { return ["\(where_): the operation lists no responses"] }
        guard var response = responses[String(status)] ?? responses["default"] else {
            return ["\(where_): status \(status) is not documented (documented: \(responses.keys.sorted().joined(separator: ", ")))"]
        }
        if let resolved = resolve(response) { response = resolved }
        guard let schema = response["content"]?["application/json"]?["schema"] else {
            return body.isEmpty || status == 204 ? [] : (contentType?.hasPrefix("application/json") == true ? ["\(where_): a JSON body where none is documented"] : [])
        }
        guard contentType?.hasPrefix("application/json") == true else { return ["\(where_): content type \(contentType ?? "none"), JSON documented"] }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: body) else { return ["\(where_): the body is not JSON"] }
        return validate(value, against: schema, at: "$").map { "\(where_): \($0)" }
    }

    // MARK: Schemas

    private func resolve(_ value: JSONValue) -> JSONValue? {
        guard let reference = value["$ref"]?.string, reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for part in reference.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
        return node
    }

    /// The subset of JSON Schema (2020-12, as OpenAPI 3.1 uses it) the document
    /// is written in; an unknown keyword is ignored, as the standard says.
    private func validate(_ value: JSONValue, against schema: JSONValue, at path: String) -> [String] {
        if let target = resolve(schema) { return validate(value, against: target, at: path) }
        var problems: [String] = []
        if let allOf = schema["allOf"]?.array {
            for part in allOf { problems += validate(value, against: part, at: path) }
        }
        for keyword in ["oneOf", "anyOf"] {
            if let options = schema[keyword]?.array {
                let passing = options.filter { validate(value, against: $0, at: path).isEmpty }.count
                if keyword == "oneOf" ? passing != 1 : passing == 0 { problems.append("\(path): matches \(passing) of the \(keyword) options") }
            }
        }
        if let types = schema["type"].map({ $0.array?.compactMap(\.string) ?? [$0.string].compactMap { $0 } }), !types.isEmpty {
            guard types.contains(where: { value.isOfType($0) }) else {
                return problems + ["\(path): \(value.typeName) where \(types.joined(separator: " or ")) is documented"]
            }
        }
        if let options = schema["enum"]?.array, !options.contains(value) {
            problems.append("\(path): \(value.description) is not one of the documented values")
        }
        if let constant = schema["const"], constant != value { problems.append("\(path): \(value.description) is not \(constant.description)") }
        switch value {
        case .string(let string):
            let length = string.unicodeScalars.count
            if let min = schema["minLength"]?.number, Double(length) < min { problems.append("\(path): shorter than \(Int(min))") }
            if let max = schema["maxLength"]?.number, Double(length) > max { problems.append("\(path): longer than \(Int(max))") }
            if let pattern = schema["pattern"]?.string, string.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(path): \"\(string)\" does not match \(pattern)")
            }
            if schema["format"]?.string == "date-time", ISO8601DateFormatter().date(from: string) == nil,
               Self.fractionalInstant().date(from: string) == nil {
                problems.append("\(path): \"\(string)\" is not an RFC 3339 instant")
            }
        case .number(let number):
            if let min = schema["minimum"]?.number, number < min { problems.append("\(path): \(number) below \(min)") }
            if let max = schema["maximum"]?.number, number > max { problems.append("\(path): \(number) above \(max)") }
        case .array(let items):
            if let min = schema["minItems"]?.number, Double(items.count) < min { problems.append("\(path): fewer than \(Int(min)) items") }
            if let max = schema["maxItems"]?.number, Double(items.count) > max { problems.append("\(path): more than \(Int(max)) items") }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { problems += validate(item, against: itemSchema, at: "\(path)[\(index)]") }
            }
        case .object(let fields):
            let properties = schema["properties"]?.object ?? [:]
            for name in schema["required"]?.array?.compactMap(\.string) ?? [] where fields[name] == nil {
                problems.append("\(path): required property \(name) is missing")
            }
            for (name, field) in fields.sorted(by: { $0.key < $1.key }) {
                if let propertySchema = properties[name] {
                    let resolved = resolve(propertySchema) ?? propertySchema
                    if resolved["writeOnly"]?.bool == true { problems.append("\(path).\(name): a write-only property was returned") }
                    problems += validate(field, against: propertySchema, at: "\(path).\(name)")
                } else if let additional = schema["additionalProperties"] {
                    if additional.bool == false { problems.append("\(path): undocumented property \(name)") }
                    else if additional.object != nil { problems += validate(field, against: additional, at: "\(path).\(name)") }
                }
            }
        case .bool, .null:
            break
        }
        return problems
    }

    private static func fractionalInstant() -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}

/// What the contract asks of a value read by the app's own `JSONValue`.
extension JSONValue: CustomStringConvertible {
    public subscript(key: String) -> JSONValue? { object?[key] }

    var object: [String: JSONValue]? { if case .object(let value) = self { value } else { nil } }
    var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    var string: String? { if case .string(let value) = self { value } else { nil } }
    var number: Double? { if case .number(let value) = self { value } else { nil } }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }

    func isOfType(_ type: String) -> Bool {
        switch (type, self) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array), ("object", .object): true
        case ("integer", .number(let value)): value.rounded() == value
        default: false
        }
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): String(value)
        case .number(let value): String(value)
        case .string(let value): "\"\(value)\""
        case .array(let values): "[\(values.count) items]"
        case .object(let fields): "{\(fields.keys.sorted().joined(separator: ", "))}"
        }
    }
}
