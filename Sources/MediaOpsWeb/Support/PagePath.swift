import Foundation

/// A value in a page path. The route is registered with `.key` (the router's
/// `{name}`), a link is made with `.value(…)`: one spelling of each path serves
/// both, as SwiftPackageIndex-Server's `SiteURL` does.
enum PathParameter<Value: Sendable>: Sendable {
    case key
    case value(Value)
}

/// A page (or form target) of one room. Each room spells its paths once, in its
/// `<Room>Path` enumeration; controllers register routes, redirect and build
/// their page models' links from it, so no path is written out anywhere else.
protocol PagePath: Sendable {
    /// The path: a link when every parameter is a value, the router's pattern
    /// when they are keys.
    var path: String { get }
}

extension PagePath {
    /// The path with a fragment (`#section`).
    func fragment(_ anchor: String) -> String { path + "#" + anchor }

    /// The path with a query built the way forms encode one; pairs with an
    /// empty value are left out.
    func query(_ pairs: KeyValuePairs<String, String>) -> String {
        let kept = pairs.filter { !$0.value.isEmpty }
        guard !kept.isEmpty else { return path }
        return path + "?" + kept.map { PathSegment.queryEscape($0.key) + "=" + PathSegment.queryEscape($0.value) }.joined(separator: "&")
    }
}

/// How a parameter is written into a path.
enum PathSegment {
    /// `{name}` for a key; the value escaped as one path segment.
    static func of<Value: RawRepresentable>(_ parameter: PathParameter<Value>, _ name: String) -> String where Value.RawValue == String {
        switch parameter {
        case .key: "{\(name)}"
        case .value(let value): escape(value.rawValue)
        }
    }

    static func of(_ parameter: PathParameter<String>, _ name: String) -> String {
        switch parameter {
        case .key: "{\(name)}"
        case .value(let value): escape(value)
        }
    }

    private static let segmentCharacters: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~")
        return set
    }()

    static func escape(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? text }
    static func queryEscape(_ text: String) -> String { escape(text) }
}
