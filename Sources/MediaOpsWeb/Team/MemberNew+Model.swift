import Foundation
import MediaOpsDomain

extension MembersController {
    struct RoleCheckbox {
        var key: String
        var name: String
        var description: String
        var checked: Bool
        var disabled: Bool
    }

    struct NewPage {
        var values: [String: String]
        var errors: [String: String]
        var summary: String?
        var roles: [RoleCheckbox]
        var locales: [SelectOption]
        var minPassword: Int
    }
}
