import Foundation
import Hummingbird
import MediaOpsDomain

/// The address a list page was asked for: its path and query. Links that
/// keep the filters are built from it, so a page model can be made (and
/// tested) without a request.
struct PageAddress {
    var path: String
    var query: FormData

    init(path: String, query: String = "") {
        self.path = path
        self.query = FormData(query)
    }

    init(_ request: Request) {
        self.init(path: request.uri.path, query: request.uri.query ?? "")
    }
}

/// Previous/next links and "page 2 of 5 · 120 in all" for a table, keeping the
/// other query parameters (filters and sort) so a view stays shareable.
struct Pagination {
    struct Link { var label: String; var href: String; var current: Bool }

    var summary: String
    var previous: String?
    var next: String?
    var pages: [Link]
    var needed: Bool

    init<Item>(_ request: Request, page: Page<Item>, localizer t: Localizer) {
        self.init(PageAddress(request), page: page, localizer: t)
    }

    init<Item>(_ request: PageAddress, page: Page<Item>, localizer t: Localizer) {
        summary = t.t("common.page_summary", ["page": String(page.page), "pages": String(page.pageCount), "total": Self.total(page)])
        previous = page.page > 1 ? Self.url(request, ["page": String(page.page - 1)]) : nil
        next = page.page < page.pageCount ? Self.url(request, ["page": String(page.page + 1)]) : nil
        let window = max(1, page.page - 3)...min(page.pageCount, max(1, page.page - 3) + 6)
        pages = window.map { Link(label: String($0), href: Self.url(request, ["page": String($0)]), current: $0 == page.page) }
        needed = page.pageCount > 1
    }

    /// "12,345", or "1,000+" when the count stopped at its cap.
    static func total<Item>(_ page: Page<Item>) -> String {
        var digits = String(page.total)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        let text = digits + grouped
        return page.totalIsCapped ? text + "+" : text
    }

    struct SortLink { var href: String; var indicator: String; var ariaSort: String }

    /// For each sortable column: the link that sorts by it (toggling the order
    /// when it is already the sort) and the arrow to show.
    static func sortLinks(_ request: Request, keys: [String], current: String, descending: Bool) -> [String: SortLink] {
        sortLinks(PageAddress(request), keys: keys, current: current, descending: descending)
    }

    static func sortLinks(_ request: PageAddress, keys: [String], current: String, descending: Bool) -> [String: SortLink] {
        var links: [String: SortLink] = [:]
        for key in keys {
            let active = key == current
            let order = active && !descending ? "desc" : "asc"
            links[key] = SortLink(href: url(request, ["sort": key, "order": order, "page": "1"]),
                                  indicator: active ? (descending ? "↓" : "↑") : "",
                                  ariaSort: active ? (descending ? "descending" : "ascending") : "none")
        }
        return links
    }

    /// The current URL with some query parameters replaced.
    static func url(_ request: Request, _ replacing: [String: String]) -> String {
        url(PageAddress(request), replacing)
    }

    static func url(_ address: PageAddress, _ replacing: [String: String]) -> String {
        // Read and written the way forms encode queries, so a filter with a space
        // (or a literal "+") survives from page to page.
        var pairs: [(String, String)] = []
        for (key, values) in address.query.values.sorted(by: { $0.key < $1.key }) {
            if let replacement = replacing[key] { pairs.append((key, replacement)); continue }
            for value in values { pairs.append((key, value)) }
        }
        for (key, value) in replacing.sorted(by: { $0.key < $1.key }) where address.query[key] == nil { pairs.append((key, value)) }
        guard !pairs.isEmpty else { return address.path }
        return address.path + "?" + pairs.map { Self.escape($0.0) + "=" + Self.escape($0.1) }.joined(separator: "&")
    }

    private static let unreserved: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~")
        return set
    }()

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
