import Foundation
import MediaOpsDomain

extension MembersController {
    struct RoleChip { var key: String; var name: String }

    struct MemberRow {
        var id: String
        var name: String
        var email: String
        var roles: [RoleChip]
        var active: Bool
        var created: String
        var href: String
        var passwordAction: String
        var deactivateAction: String
        var reactivateAction: String

        init(_ member: Member, roleNames: [String: String], t: Localizer) {
            id = member.id
            name = member.name
            email = member.email
            roles = member.roleKeys.map { RoleChip(key: $0, name: roleNames[$0] ?? $0) }
            active = member.isActive
            created = t.dateTime(member.createdAt)
            href = TeamPath.member(.value(member.id)).path
            passwordAction = TeamPath.memberPassword(.value(member.id)).path
            deactivateAction = TeamPath.memberDeactivate(.value(member.id)).path
            reactivateAction = TeamPath.memberReactivate(.value(member.id)).path
        }
    }

    struct ListPage {
        var rows: [MemberRow]
        var total: Int
        var totalText: String
        var query: String
        var roleOptions: [SelectOption]
        var statusOptions: [SelectOption]
        var sortLinks: [String: Pagination.SortLink]
        var pagination: Pagination
        var canManage: Bool
        var filtered: Bool
    }
}
