import Foundation
import MediaOpsDomain

extension RolesController {
    struct PermissionCell { var granted: Bool; var label: String }

    struct RoleRow {
        var key: String
        var href: String
        var name: String
        var description: String
        var builtin: Bool
        var members: Int
        var cells: [PermissionCell]
    }

    struct RolesPage {
        var rows: [RoleRow]
        var permissions: [String]
        var canManage: Bool
    }
}
