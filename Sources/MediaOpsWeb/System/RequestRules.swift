import Foundation
import MediaOpsDomain

/// What the OpenAPI document says a request may hold, per operation: the JSON
/// body's properties, which of them may be null, and whether others are
/// refused; and which query parameters are typed (a number, a boolean, a date,
/// one of a list), so that an empty `?kind=` is refused instead of read as
/// "no filter". `JSONInput.read` and the route wrapper apply the rules of the
/// route they serve, so a misspelt field ("titel"), a null where the document
/// promises a value or an empty typed parameter is a 422 naming the field, not
/// silently ignored. Read once at start from the same document
/// `/openapi.json` serves, so the two cannot disagree.
struct RequestRules: Sendable {
    struct Body: Sendable, Equatable {
        /// Property → whether null is allowed.
        var properties: [String: Bool]
        /// `additionalProperties: false`: a property not listed is refused.
        var closed: Bool
    }

    private var bodies: [String: Body] = [:]
    private var typedQueries: [String: Set<String>] = [:]

    static func key(_ method: String, _ path: String) -> String { method.uppercased() + " " + path }

    func body(method: String, path: String) -> Body? { bodies[Self.key(method, path)] }

    /// The operation's query parameters that cannot be empty: anything but a free string.
    func typedQueryParameters(method: String, path: String) -> Set<String> { typedQueries[Self.key(method, path)] ?? [] }

    init(document data: Data) throws {
        guard let document = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        func resolve(_ schema: [String: Any]) -> [String: Any] {
            guard let reference = schema["$ref"] as? String, reference.hasPrefix("#/components/schemas/") else { return schema }
            let name = String(reference.dropFirst("#/components/schemas/".count))
            return (schemas[name] as? [String: Any]).map(resolve) ?? schema
        }
        func allowsNull(_ schema: [String: Any]) -> Bool {
            let schema = resolve(schema)
            if schema["nullable"] as? Bool == true { return true }
            if let types = schema["type"] as? [Any] { return types.contains { $0 as? String == "null" } }
            if let type = schema["type"] as? String { return type == "null" }
            if let parts = schema["allOf"] as? [[String: Any]] { return parts.allSatisfy(allowsNull) }
            for combinator in ["oneOf", "anyOf"] {
                if let options = schema[combinator] as? [[String: Any]], options.contains(where: allowsNull) { return true }
            }
            // No type at all: anything, null included.
            return schema["type"] == nil && schema["oneOf"] == nil && schema["anyOf"] == nil && schema["properties"] == nil && schema["enum"] == nil
        }
        /// A value an empty text cannot be: a number, a boolean, a date, an enumeration.
        func isTyped(_ schema: [String: Any]) -> Bool {
            let schema = resolve(schema)
            if schema["enum"] != nil || schema["format"] != nil || schema["pattern"] != nil { return true }
            if let type = schema["type"] as? String { return type != "string" }
            if let parts = schema["allOf"] as? [[String: Any]] { return parts.contains(where: isTyped) }
            return false
        }
        let sharedParameters = (document["components"] as? [String: Any])?["parameters"] as? [String: Any] ?? [:]
        func parameter(_ raw: Any) -> [String: Any]? {
            guard let parameter = raw as? [String: Any] else { return nil }
            if let reference = parameter["$ref"] as? String, reference.hasPrefix("#/components/parameters/") {
                return sharedParameters[String(reference.dropFirst("#/components/parameters/".count))] as? [String: Any]
            }
            return parameter
        }
        for (path, item) in document["paths"] as? [String: Any] ?? [:] {
            for (method, operation) in item as? [String: Any] ?? [:] {
                guard let operation = operation as? [String: Any] else { continue }
                let parameters = ((item as? [String: Any])?["parameters"] as? [Any] ?? []) + (operation["parameters"] as? [Any] ?? [])
                let typed = parameters.compactMap(parameter).filter { $0["in"] as? String == "query" && isTyped($0["schema"] as? [String: Any] ?? [:]) }
                    .compactMap { $0["name"] as? String }
                if !typed.isEmpty { typedQueries[Self.key(method, path)] = Set(typed) }
                guard
                      let content = (operation["requestBody"] as? [String: Any])?["content"] as? [String: Any],
                      let json = (content["application/json"] as? [String: Any])?["schema"] as? [String: Any] else { continue }
                let schema = resolve(json)
                guard let properties = schema["properties"] as? [String: Any] else { continue }
                var rules: [String: Bool] = [:]
                for (name, property) in properties { rules[name] = allowsNull(property as? [String: Any] ?? [:]) }
                bodies[Self.key(method, path)] = Body(properties: rules, closed: schema["additionalProperties"] as? Bool == false)
            }
        }
    }

    init() {}

    /// The first typed query parameter given with an empty value, in name order.
    static func checkQuery(_ query: FormData, typed: Set<String>) -> ValidationError? {
        for name in typed.sorted() where query.has(name) && query.all(name).contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            return ValidationError(field: name, code: "empty_value")
        }
        return nil
    }

    /// The first broken rule of `object`, in field-name order.
    static func check(_ object: [String: JSONValue], against body: Body) -> ValidationError? {
        for name in object.keys.sorted() {
            guard let allowsNull = body.properties[name] else {
                if body.closed { return ValidationError(field: name, code: "unknown_property") }
                continue
            }
            if object[name] == .null, !allowsNull { return ValidationError(field: name, code: "null_not_allowed") }
        }
        return nil
    }
}
