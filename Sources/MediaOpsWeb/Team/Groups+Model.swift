import Foundation
import MediaOpsDomain

extension AccountsController {
    struct GroupRow {
        var id: String
        var name: String
        var description: String
        var count: Int
        var action: String
        var accountsHref: String
        var deleteAction: String

        init(_ group: AccountGroup, count: Int) {
            id = group.id
            name = group.name
            description = group.description
            self.count = count
            action = TeamPath.group(.value(group.id)).path
            accountsHref = TeamPath.accounts.query(["group": group.id])
            deleteAction = TeamPath.groupDelete(.value(group.id)).path
        }
    }

    struct GroupsPage {
        var rows: [GroupRow]
        var values: [String: String]
        var errors: [String: String]
        var summary: String?
        var canManage: Bool
    }
}
