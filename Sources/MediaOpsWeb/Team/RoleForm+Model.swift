import Foundation
import MediaOpsDomain

extension RolesController {
    struct PermissionOption {
        var key: String
        var label: String
        var checked: Bool
    }

    struct FormPage {
        var isNew: Bool
        var editable: Bool
        var builtin: Bool
        var displayName: String
        var values: [String: String]
        var errors: [String: String]
        var summary: String?
        var permissions: [PermissionOption]
        var action: String
        var deleteAction: String?
    }
}
