import Foundation
import MediaOpsDomain

extension TopicsController {
    struct Row {
        var id: String
        var href: String
        var title: String
        var source: String
        var category: String
        var priority: String
        var priorityKey: String
        var status: String
        var statusKey: String
        var owner: String
        var votes: Int
        var groups: [String]
    }

    struct ListPage {
        var rows: [Row]
        var statuses: [SelectOption]
        var sources: [SelectOption]
        var query: String
        var pagination: Pagination
        var canPropose: Bool
        var values: [String: String]
        var errors: [String: String]
        var summary: String?
        var formSources: [SelectOption]
        var formCategories: [SelectOption]
        var formPriorities: [SelectOption]
        var formOwners: [SelectOption]
        var formGroups: [SelectOption]
        var filtered: Bool
    }
}
