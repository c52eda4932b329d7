import Foundation
import Hummingbird
import MediaOpsDomain
import Mustache

/// Renders Mustache templates (Resources/templates) from typed view models.
/// Every page gets `t` (the catalog of its language), `layout` and `page`.
public struct ViewRenderer: Sendable {
    let library: MustacheLibrary
    public let catalogs: Catalogs
    /// Static files (CSS, JS) held in memory: a handful of small files.
    let assets: [String: (contentType: String, body: Data)]

    public static func bundled() async throws -> ViewRenderer {
        guard let resources = Bundle.module.url(forResource: "Resources", withExtension: nil) else { throw CocoaError(.fileNoSuchFile) }
        let library = try await MustacheLibrary(directory: resources.appendingPathComponent("templates").path)
        try checkTemplates(in: library)
        var assets: [String: (String, Data)] = [:]
        let publicDirectory = resources.appendingPathComponent("public")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: publicDirectory.path)) ?? [] where !name.hasPrefix(".") {
            let type = name.hasSuffix(".css") ? "text/css; charset=utf-8" : name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "application/octet-stream"
            assets[name] = (type, try Data(contentsOf: publicDirectory.appendingPathComponent(name)))
        }
        return ViewRenderer(library: library, catalogs: try Catalogs.bundled(), assets: assets)
    }

    /// A page or partial the code names that has no template file.
    public struct MissingTemplate: Error, CustomStringConvertible {
        public var names: [String]
        public var description: String { "missing templates: " + names.joined(separator: ", ") }
    }

    /// Every page and partial must exist before the server answers anything:
    /// the library would otherwise render a missing one as an empty string.
    static func checkTemplates(in library: MustacheLibrary) throws {
        let missing = (PageTemplate.allCases.map(\.rawValue) + PartialTemplate.allCases.map(\.rawValue)).filter { library.getTemplate(named: $0) == nil }
        if !missing.isEmpty { throw MissingTemplate(names: missing) }
    }

    /// The HTML of `template` for this request (every template was checked at start).
    func html(_ template: PageTemplate, page: Any, layout: LayoutModel, locale: AppLocale) -> String {
        let context: [String: Any] = ["t": catalogs.tree(locale), "paths": Self.paths, "layout": Self.lookupTree(layout), "page": Self.lookupTree(page)]
        return library.render(context, withTemplate: template.rawValue) ?? ""
    }

    /// Every room's paths without parameters, by room and case name
    /// (`{{paths.content.new}}`), and the static files pages load. Built once
    /// and never changed: the plain values it holds are safe to share.
    nonisolated(unsafe) static let paths: [String: Any] = {
        func room<Path: PagePath>(_ cases: [Path]) -> [String: String] {
            Dictionary(uniqueKeysWithValues: cases.map { (String(describing: $0), $0.path) })
        }
        let file = { (name: String) in SystemPath.staticFile(.value(name)).path }
        return ["team": room(TeamPath.plain), "content": room(ContentPath.plain), "publishing": room(PublishingPath.plain),
                "analytics": room(AnalyticsPath.plain), "work": room(WorkPath.plain),
                "planning": room(PlanningPath.plain),
                "knowledge": room(KnowledgePath.plain), "training": room(TrainingPath.plain),
                "kpis": room(KpiPath.plain),
                "system": room(SystemPath.plain),
                "files": ["appCSS": file("app.css"), "appJS": file("app.js"), "publishingCSS": file("publishing.css"), "publishingJS": file("publishing.js"), "workJS": file("work.js")]]
    }()

    /// The view model as nested dictionaries and arrays. Mustache reads a struct
    /// by reflecting it again for every name it looks up (and for every frame of
    /// the section stack a name passes through), which made rendering most of a
    /// list page's time; a dictionary answers each lookup by hashing. Each value
    /// is reflected once here. A nil optional becomes an absent key, as before.
    static func lookupTree(_ value: Any) -> Any {
        tree(value) ?? [String: Any]()
    }

    /// One value of the tree, nil for an empty optional. Plain values (also
    /// inside optionals: a cast looks through them) and `MustacheParent`s are
    /// answered by a cast, without a Mirror; only other structs, arrays and
    /// optionals of them are reflected.
    private static func tree(_ value: Any) -> Any? {
        switch value {
        case let text as String: return text
        case let flag as Bool: return flag
        case let number as Int: return number
        case let number as Double: return number
        case let text as Substring: return String(text)
        case let dictionary as [String: String]: return dictionary
        case let dictionary as [String: Any]: return dictionary.compactMapValues(tree)
        // A value that answers Mustache's lookups itself (a large table's rows) is
        // handed over as it is: reflecting it here would cost what it saves.
        case let parent as MustacheParent: return parent
        // So is one that renders itself (a figure's HTML): reflected, it would print as a dictionary.
        case let renderable as MustacheCustomRenderable: return renderable
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .struct?, .class?:
            var fields: [String: Any] = [:]
            fields.reserveCapacity(Int(mirror.children.count))
            for child in mirror.children {
                guard let label = child.label, let field = tree(child.value) else { continue }
                fields[label] = field
            }
            return fields
        case .collection?:
            return mirror.children.compactMap { tree($0.value) }
        case .optional?:
            return mirror.children.first.flatMap { tree($0.value) }
        default:
            return value
        }
    }

    func response(_ template: PageTemplate, page: Any, layout: LayoutModel, locale: AppLocale, status: HTTPResponse.Status = .ok) -> Response {
        let body = html(template, page: page, layout: layout, locale: locale)
        var response = Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func asset(named name: String) -> (contentType: String, body: Data)? { assets[name] }
}
