import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// The content library (内容库): finished and reusable pieces by category and
/// tag, searchable in Chinese, each one a template for the next post.
struct LibraryController {
    let dependencies: ContentDependencies
    let pages: PageSupport

    /// What the library holds: published and approved pieces, and templates.
    static let states = ContentState.inLibrary

    func register(_ routes: Routes) {
        routes.get("/api/v1/library", .permission(.contentView)) { request, _ in
            let page = try await search(request)
            return try JSONOutput.response(PageDTO(page) { ContentItemDTO($0) })
        }
        routes.get(ContentPath.library, .permission(.contentView)) { request, context, identity in
            let t = pages.localizer(context)
            let started = ContinuousClock.now
            let page = try await search(request)
            let elapsed = ContinuousClock.now - started
            let names = Dictionary(uniqueKeysWithValues: try await dependencies.team.members().map { ($0.id, $0.name) })
            let category = request.query("category") ?? ""
            let activeTag = request.query("tag") ?? ""
            let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
            let model = LibraryPage(
                cards: page.items.map { item in
                    let plain = HTMLSanitizer.plainText(item.body)
                    return Card(id: item.id, href: ContentPath.item(.value(item.id)).path, duplicateAction: ContentPath.itemDuplicate(.value(item.id)).path, title: item.title, excerpt: item.summary.isEmpty ? String(plain.prefix(80)) : item.summary,
                                category: t.t("content.category_\(item.category.rawValue)"), tags: item.tags, owner: item.ownerID.flatMap { names[$0] } ?? "—",
                                updated: t.dateTime(item.updatedAt), isTemplate: item.isTemplate)
                },
                tabs: [Tab(label: t.t("content.all_categories"), href: Pagination.url(request, ["category": "", "page": "1"]), active: category.isEmpty)]
                    + ContentCategory.allCases.map { Tab(label: t.t("content.category_\($0.rawValue)"), href: Pagination.url(request, ["category": $0.rawValue, "page": "1"]),
                                                         active: $0.rawValue == category) },
                tags: try await dependencies.content.libraryTagCounts(limit: 30).map {
                    Tag(name: $0.tag, count: $0.count, href: Pagination.url(request, ["tag": $0.tag == activeTag ? "" : $0.tag, "page": "1"]), active: $0.tag == activeTag)
                },
                query: request.query("q") ?? "",
                pagination: Pagination(request, page: page, localizer: t),
                canWrite: identity.permissions.contains(.contentWrite),
                searched: request.query("q") != nil,
                searchSummary: t.t("library.search_summary", ["count": Pagination.total(page), "ms": String(format: "%.1f", milliseconds)]))
            return pages.render(.library, title: t.t("library.title"), page: model, request: request, context: context)
        }
    }

    private func search(_ request: Request) async throws -> Page<ContentItem> {
        var filter = ContentFilter(query: request.query("q"), tag: request.query("tag"))
        if let raw = request.query("category") {
            guard let category = ContentCategory(rawValue: raw) else {
                throw ValidationError(field: "category", code: "invalid_choice", params: ["choices": ContentCategory.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            filter.category = category
        }
        if try request.boolQuery("templates") == true {
            filter.templatesOnly = true
        } else {
            filter.states = Self.states
        }
        return try await dependencies.content.list(filter: filter, sort: .updated, descending: true, page: try request.pageRequest(defaultPerPage: 24))
    }
}
