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
        var assets: [String: (String, Data)] = [:]
        let publicDirectory = resources.appendingPathComponent("public")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: publicDirectory.path)) ?? [] where !name.hasPrefix(".") {
            let type = name.hasSuffix(".css") ? "text/css; charset=utf-8" : name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "application/octet-stream"
            assets[name] = (type, try Data(contentsOf: publicDirectory.appendingPathComponent(name)))
        }
        return ViewRenderer(library: library, catalogs: try Catalogs.bundled(), assets: assets)
    }

    /// The HTML of `template` for this request.
    public func html(_ template: String, page: Any, layout: LayoutModel, locale: AppLocale) -> String {
        let context: [String: Any] = ["t": catalogs.tree(locale), "layout": layout, "page": page]
        return library.render(context, withTemplate: template) ?? ""
    }

    public func response(_ template: String, page: Any, layout: LayoutModel, locale: AppLocale, status: HTTPResponse.Status = .ok) -> Response {
        let body = html(template, page: page, layout: layout, locale: locale)
        var response = Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func asset(named name: String) -> (contentType: String, body: Data)? { assets[name] }
}

/// What the shared frame of every page needs.
public struct LayoutModel: Sendable {
    public struct NavItem: Sendable {
        public var label: String
        public var href: String
        public var active: Bool
        public var children: [NavItem]
        /// Stored, not computed: templates read values through reflection.
        public var hasSubnav: Bool
    }

    public struct UserChip: Sendable {
        public var name: String
        public var email: String
        public var initial: String
    }

    public var title: String
    public var htmlLang: String
    public var workspaceName: String
    public var user: UserChip?
    public var nav: [NavItem]
    public var csrf: String
    public var flash: String?
    public var switchLocale: String
    public var switchLocaleLabel: String
    public var currentPath: String
    public var searchQuery: String
    /// Unread count as text, nil when there is none (so templates can test for it).
    public var unread: String?
    /// The server's body limit, so the page can stop an oversized form before
    /// it is sent (and what was typed stays in the editor).
    public var maxBodyBytes: Int
    public var tooLargeMessage: String
}
