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
        var line: ReportingLine
    }

    /// The member's manager and, for people who manage members, the choices to change it.
    struct ReportingLine {
        var managerName: String?
        var managerHref: String?
        var options: [SelectOption]
        var action: String
    }
}
