import Foundation
import MediaOpsDomain

/// What the OpenAPI document says a JSON request body may hold, per operation:
/// its properties, which of them may be null, and whether others are refused.
/// `JSONInput.read` applies the rules of the route it serves, so a misspelt
/// field ("titel") or a null where the document promises a value is a 422
/// naming the field, not silently ignored. Read once at start from the same
/// document `/openapi.json` serves, so the two cannot disagree.
struct RequestBodyRules: Sendable {
    struct Body: Sendable, Equatable {
        /// Property → whether null is allowed.
        var properties: [String: Bool]
        /// `additionalProperties: false`: a property not listed is refused.
        var closed: Bool
    }

    private var bodies: [String: Body] = [:]

    static func key(_ method: String, _ path: String) -> String { method.uppercased() + " " + path }

    func body(method: String, path: String) -> Body? { bodies[Self.key(method, path)] }

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
            for combinator in ["oneOf", "anyOf"] {
                if let options = schema[combinator] as? [[String: Any]], options.contains(where: allowsNull) { return true }
            }
            // No type at all: anything, null included.
            return schema["type"] == nil && schema["oneOf"] == nil && schema["anyOf"] == nil && schema["properties"] == nil
        }
        for (path, item) in document["paths"] as? [String: Any] ?? [:] {
            for (method, operation) in item as? [String: Any] ?? [:] {
                guard let operation = operation as? [String: Any],
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
