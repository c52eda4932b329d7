import Foundation

/// The OpenAPI document served at /openapi.json. Each room describes its own
/// operations and schemas in `Resources/openapi/<room>.json`; `base.json` holds
/// the document's head and what every room shares (security schemes, the error
/// envelope, common parameters and responses). They are merged once at start.
/// A path, schema, parameter or response named by two files stops the start
/// instead of one silently replacing the other.
public struct OpenAPIDocument: Sendable {
    /// The merged document, as served.
    public let data: Data

    public struct Conflict: Error, CustomStringConvertible {
        public var section: String
        public var name: String
        public var files: [String]
        public var description: String { "OpenAPI \(section) \(name) is defined in both \(files.joined(separator: " and "))" }
    }

    public static func bundled() throws -> OpenAPIDocument {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: nil, subdirectory: "Resources") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try merged(directory: url)
    }

    /// `base.json` first, then every other file of the folder in name order.
    public static func merged(directory: URL) throws -> OpenAPIDocument {
        let rooms = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") && $0 != "base.json" }
            .sorted()
        var document = try object(directory.appendingPathComponent("base.json"))
        var origin: [String: String] = [:]
        var paths = document["paths"] as? [String: Any] ?? [:]
        var components = document["components"] as? [String: Any] ?? [:]
        var tags = document["tags"] as? [Any] ?? []
        for name in paths.keys { origin["path \(name)"] = "base.json" }
        for (section, entries) in components { for name in (entries as? [String: Any] ?? [:]).keys { origin["\(section) \(name)"] = "base.json" } }
        for file in rooms {
            let room = try object(directory.appendingPathComponent(file))
            for (name, value) in room["paths"] as? [String: Any] ?? [:] {
                if let first = origin["path \(name)"] { throw Conflict(section: "path", name: name, files: [first, file]) }
                origin["path \(name)"] = file
                paths[name] = value
            }
            for (section, entries) in room["components"] as? [String: Any] ?? [:] {
                var merged = components[section] as? [String: Any] ?? [:]
                for (name, value) in entries as? [String: Any] ?? [:] {
                    if let first = origin["\(section) \(name)"] { throw Conflict(section: section, name: name, files: [first, file]) }
                    origin["\(section) \(name)"] = file
                    merged[name] = value
                }
                components[section] = merged
            }
            tags += room["tags"] as? [Any] ?? []
        }
        document["paths"] = paths
        document["components"] = components
        document["tags"] = tags
        return OpenAPIDocument(data: try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    private static func object(_ url: URL) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
        }
        return object
    }
}
