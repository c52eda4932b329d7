import Foundation
import MediaOpsDomain

extension ContentController {
    struct Row {
        var id: String
        var href: String
        var title: String
        var state: String
        var stateKey: String
        var category: String
        var owner: String
        var planned: String
        var updated: String
        var tags: [String]
        var isTemplate: Bool

        init(_ item: ContentItem, ownerName: String?, t: Localizer) {
            id = item.id
            href = ContentPath.item(.value(item.id)).path
            title = item.title
            state = t.t("content.state_\(item.state.rawValue)")
            stateKey = item.state.rawValue
            category = t.t("content.category_\(item.category.rawValue)")
            owner = ownerName ?? "—"
            planned = item.plannedAt.map(t.dateTime) ?? "—"
            updated = t.dateTime(item.updatedAt)
            tags = item.tags
            isTemplate = item.isTemplate
        }
    }

    struct ListPage {
        var rows: [Row]
        var query: String
        var states: [SelectOption]
        var categories: [SelectOption]
        var groups: [SelectOption]
        var owners: [SelectOption]
        var sort: [String: Pagination.SortLink]
        var pagination: Pagination
        var canWrite: Bool
        var filtered: Bool
    }
}
