import Foundation
import MediaOpsDomain

extension MembersController {
    struct AccountLink { var href: String; var name: String; var platform: String }

    struct DetailPage {
        var member: MemberRow
        var locale: String
        var errors: [String: String]
        var summary: String?
        var roles: [RoleCheckbox]
        var canManage: Bool
        var isSelf: Bool
        var accounts: [AccountLink]
        var history: [AuditRow]
        var showHistory: Bool
        var minPassword: Int
    }
}
