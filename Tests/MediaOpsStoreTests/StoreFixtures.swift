import Foundation
import MediaOpsDomain
import MediaOpsStore

/// What every store suite starts from: the team service and a workspace with its owner.
enum StoreFixtures {
    static func service(_ database: Database) -> TeamService {
        TeamService(database: database, secrets: SecretBox(keyMaterial: "test key material"), hasher: PasswordHasher(cost: 4))
    }

    static func setUp(_ team: TeamService) async throws -> (Member, Principal) {
        let owner = try await team.setUp(.init(workspaceName: "测试工作区", timeZone: "Asia/Shanghai", locale: "zh-Hans",
                                               ownerName: "林晓", ownerEmail: "owner@example.com", password: "correct horse"))
        return (owner, Principal(memberID: owner.id, name: owner.name, roleKeys: owner.roleKeys, permissions: Set(Permission.allCases)))
    }
}
