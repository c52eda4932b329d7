import Foundation
import MediaOpsDomain

/// What the team room's pages and API read: members, roles and account groups.
/// Controllers ask the service instead of building repositories, so the room's
/// tables are read in one place.
extension TeamService {
    public func members() async throws -> [Member] { try await MemberRepository(database.sql).all() }

    public func members(filter: MemberFilter, sort: MemberSort = .name, descending: Bool = false, page: PageRequest) async throws -> Page<Member> {
        try await MemberRepository(database.sql).list(filter: filter, sort: sort, descending: descending, page: page)
    }

    public func member(id: String) async throws -> Member? { try await MemberRepository(database.sql).find(id: id) }

    public func member(email: String) async throws -> Member? { try await MemberRepository(database.sql).find(email: email) }

    public func memberCount() async throws -> Int { try await MemberRepository(database.sql).count() }

    /// How many members hold the role.
    public func holderCount(ofRole key: String) async throws -> Int { try await MemberRepository(database.sql).countHolders(ofRole: key) }

    public func roles() async throws -> [Role] { try await RoleRepository(database.sql).all() }

    public func role(key: String) async throws -> Role? { try await RoleRepository(database.sql).find(key: key) }

    /// Everything the roles give together.
    public func permissions(forRoles keys: [String]) async throws -> Set<Permission> { try await RoleRepository(database.sql).permissions(for: keys) }

    public func groups() async throws -> [AccountGroup] { try await AccountGroupRepository(database.sql).all() }

    /// Every account in the matrix that is not retired (a matrix holds hundreds at most).
    public func allAccounts() async throws -> [Account] { try await allAccounts(filter: AccountFilter()) }

    /// Accounts per group id.
    public func groupAccountCounts() async throws -> [String: Int] { try await AccountGroupRepository(database.sql).accountCounts() }
}

extension TeamService {
    /// The workspace, once it has been set up.
    public func workspace() async throws -> Workspace? { try await WorkspaceRepository(database.sql).get() }

    /// Whether first-run setup has happened (someone can sign in).
    public func isSetUp() async throws -> Bool { try await MemberRepository(database.sql).count() > 0 }

    public func accounts(filter: AccountFilter, sort: AccountSort = .name, descending: Bool = false, page: PageRequest) async throws -> Page<Account> {
        try await AccountRepository(database.sql).list(filter: filter, sort: sort, descending: descending, page: page)
    }

    public func account(id: String) async throws -> Account? { try await AccountRepository(database.sql).find(id: id) }

    /// Every account matching `filter`, page by page (dashboards that show the whole matrix).
    public func allAccounts(filter: AccountFilter) async throws -> [Account] { try await AccountRepository(database.sql).all(filter: filter) }

    public func group(id: String) async throws -> AccountGroup? { try await AccountGroupRepository(database.sql).find(id: id) }
}

extension TeamService {
    /// How many accounts are in each state (Home's matrix summary).
    public func accountCountsByState() async throws -> [AccountState: Int] { try await AccountRepository(database.sql).countByState() }
}
