import Foundation
import MediaOpsDomain

extension AccountsController {
    struct Chip { var label: String; var key: String }

    struct AccountRow {
        var id: String
        var href: String
        var name: String
        var handle: String
        var platform: String
        var platformKey: String
        var kind: String?
        var groups: [String]
        var owner: String?
        var state: String
        var stateKey: String
        var capabilities: [Chip]
    }

    struct ListPage {
        var rows: [AccountRow]
        var query: String
        var platformOptions: [SelectOption]
        var groupOptions: [SelectOption]
        var stateOptions: [SelectOption]
        var ownerOptions: [SelectOption]
        var sort: [String: Pagination.SortLink]
        var pagination: Pagination
        var canManage: Bool
        var filtered: Bool
        var total: Int
    }
}
