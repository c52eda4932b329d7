import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

/// The team room's rules, on every database the project supports.
private struct Boom: Error {}

@Suite("Team service")
struct TeamServiceTests {
    @Test("PostgreSQL is exercised wherever CI runs")
    func postgresConfiguredInCI() {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            #expect(TestDatabase.postgresURL != nil, "CI must set MEDIAOPS_TEST_POSTGRES_URL so the PostgreSQL path is tested")
        }
    }

    @Test("a new SQLite database file, and its WAL, are readable by their owner only")
    func sqliteFileMode() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mediaops-mode-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = (directory as NSString).appendingPathComponent("m.sqlite")
        let database = try await Database.open(.sqliteFile(path: path), logger: TestDatabase.logger)
        try await Migrations.run(on: database, logger: TestDatabase.logger)
        for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
            #expect(mode & 0o077 == 0, "\(file) has mode \(String(mode, radix: 8))")
        }
        await database.close()
    }

    @Test("migrations are recorded once and re-running them changes nothing", arguments: TestDatabase.available)
    func migrations(db: TestDatabase) async throws {
        try await db.with { database in
            let again = try await Migrations.run(on: database, logger: TestDatabase.logger)
            #expect(again.isEmpty)
            let versions = try await database.sql.raw("SELECT version FROM schema_migrations ORDER BY version").all().map { try $0.decode(column: "version", as: Int.self) }
            #expect(versions == Migrations.all.map(\.version))
        }
    }

    @Test("setup creates the workspace and its owner once", arguments: TestDatabase.available)
    func setup(db: TestDatabase) async throws {
        try await db.with { database in
            let team = StoreFixtures.service(database)
            let (owner, _) = try await StoreFixtures.setUp(team)
            #expect(owner.roleKeys == ["owner"])
            let workspace = try await WorkspaceRepository(database.sql).get()
            #expect(workspace?.name == "测试工作区")
            #expect(workspace?.timeZone == "Asia/Shanghai")
            await #expect(throws: ConflictError(code: "already_set_up")) {
                _ = try await team.setUp(.init(workspaceName: "Again", timeZone: nil, locale: nil, ownerName: "X", ownerEmail: "x@example.com", password: "password123"))
            }
        }
    }

    @Test("members: created with roles, listed by pinyin, paginated, never duplicated", arguments: TestDatabase.available)
    func members(db: TestDatabase) async throws {
        try await db.with { database in
            let team = StoreFixtures.service(database)
            let (_, owner) = try await StoreFixtures.setUp(team)
            for (name, email) in [("张伟", "zw@example.com"), ("阿强", "aq@example.com"), ("王芳", "wf@example.com"), ("Bob", "bob@example.com")] {
                _ = try await team.createMember(.init(email: email, name: name, roles: ["content"], password: "password123"), by: owner)
            }
            await #expect(throws: ConflictError(code: "email_taken", field: "email")) {
                _ = try await team.createMember(.init(email: "ZW@example.com", name: "重复", roles: ["content"], password: "password123"), by: owner)
            }
            let repository = MemberRepository(database.sql)
            let first = try await repository.list(filter: MemberFilter(roleKey: "content"), page: PageRequest(page: 1, perPage: 3))
            #expect(first.total == 4)
            #expect(first.items.map(\.name) == ["阿强", "Bob", "王芳"])
            let second = try await repository.list(filter: MemberFilter(roleKey: "content"), page: PageRequest(page: 2, perPage: 3))
            #expect(second.items.map(\.name) == ["张伟"])
            let byPinyin = try await repository.list(filter: MemberFilter(query: "zhang"), page: PageRequest())
            #expect(byPinyin.items.map(\.name) == ["张伟"])
        }
    }

    @Test("role grants are limited to the granter's own permissions", arguments: TestDatabase.available)
    func grants(db: TestDatabase) async throws {
        try await db.with { database in
            let team = StoreFixtures.service(database)
            let (_, owner) = try await StoreFixtures.setUp(team)
            let manager = try await team.createMember(.init(email: "m@example.com", name: "经理", roles: ["manager"], password: "password123"), by: owner)
            let managerPrincipal = Principal(memberID: manager.id, name: manager.name, roleKeys: ["manager"], permissions: BuiltinRole.manager.permissions)
            await #expect(throws: ValidationError(field: "roles", code: "role_not_grantable", params: ["role": "director"])) {
                _ = try await team.createMember(.init(email: "d@example.com", name: "D", roles: ["director"], password: "password123"), by: managerPrincipal)
            }
            await #expect(throws: ValidationError(field: "roles", code: "unknown_role", params: ["role": "astronaut"])) {
                _ = try await team.createMember(.init(email: "a@example.com", name: "A", roles: ["astronaut"], password: "password123"), by: owner)
            }
            // Nothing was half-written by the refused requests.
            #expect(try await MemberRepository(database.sql).count() == 2)
        }
    }

    @Test("the last active owner can be neither deactivated nor demoted", arguments: TestDatabase.available)
    func lastOwner(db: TestDatabase) async throws {
        try await db.with { database in
            let team = StoreFixtures.service(database)
            let (ownerMember, owner) = try await StoreFixtures.setUp(team)
            await #expect(throws: ConflictError(code: "cannot_deactivate_self", field: "active")) {
                _ = try await team.updateMember(id: ownerMember.id, .init(active: false), by: owner)
            }
            await #expect(throws: ConflictError(code: "last_owner")) {
                _ = try await team.updateMember(id: ownerMember.id, .init(roles: ["director"]), by: .commandLine)
            }
            let second = try await team.createMember(.init(email: "o2@example.com", name: "二号", roles: ["owner"], password: "password123"), by: owner)
            let demoted = try await team.updateMember(id: ownerMember.id, .init(roles: ["director"]), by: Principal(memberID: second.id, name: "二号", roleKeys: ["owner"], permissions: Set(Permission.allCases)))
            #expect(demoted.roleKeys == ["director"])
        }
    }

    @Test("deactivation ends sessions and revokes API tokens", arguments: TestDatabase.available)
    func deactivation(db: TestDatabase) async throws {
        try await db.with { database in
            let team = StoreFixtures.service(database)
            let (_, owner) = try await StoreFixtures.setUp(team)
            let member = try await team.createMember(.init(email: "c@example.com", name: "小陈", roles: ["content"], password: "password123"), by: owner)
            let (sessionToken, _) = try await SessionRepository(database.sql).create(userID: member.id)
            let (apiToken, _) = try await ApiTokenRepository(database.sql).create(userID: member.id, name: "script")
            _ = try await team.updateMember(id: member.id, .init(active: false), by: owner)
            #expect(try await SessionRepository(database.sql).find(token: sessionToken) == nil)
            #expect(try await ApiTokenRepository(database.sql).authenticate(token: apiToken) == nil)
            #expect(try await MemberRepository(database.sql).find(id: member.id)?.isActive == false)
        }
    }

    @Test("credentials are sealed at rest and only their keys are visible", arguments: TestDatabase.available)
    func credentials(db: TestDatabase) async throws {
        try await db.with { database in
            let team = StoreFixtures.service(database)
            let (_, owner) = try await StoreFixtures.setUp(team)
            let account = try await team.createAccount(.init(platform: "wechat_oa", name: "服务号", handle: "gh_test", kind: "service",
                                                             fields: ["app_id": "wx0123456789abcdef"], groups: ["品牌A"], credentials: ["app_secret": "s3cr3t-value"]), by: owner)
            #expect(account.credentialKeys == ["app_secret"])
            let stored = try await AccountRepository(database.sql).sealedCredentials(id: account.id) ?? ""
            #expect(stored.hasPrefix("v1:"))
            #expect(!stored.contains("s3cr3t-value"))
            #expect(try await team.credentials(accountID: account.id) == ["app_secret": "s3cr3t-value"])
            // A blank value clears the secret.
            let cleared = try await team.updateAccount(id: account.id, .init(credentials: ["app_secret": ""]), by: owner)
            #expect(cleared.credentialKeys.isEmpty)
            // The audit log says a secret changed, never its value.
            let entries = try await AuditRepository(database.sql).list(filter: AuditFilter(entityType: "account"), page: PageRequest())
            #expect(entries.total == 2)
            #expect(!entries.items.contains { "\($0.changes)".contains("s3cr3t") })
            #expect(entries.items.first?.changes["credentials.app_secret"] == ["", "(cleared)"])
        }
    }

    @Test("accounts: platform rules, groups by name, duplicates refused, retire keeps history", arguments: TestDatabase.available)
    func accounts(db: TestDatabase) async throws {
        try await db.with { database in
            let team = StoreFixtures.service(database)
            let (_, owner) = try await StoreFixtures.setUp(team)
            await #expect(throws: ValidationError(field: "fields.app_id", code: "required")) {
                _ = try await team.createAccount(.init(platform: "wechat_oa", name: "X", handle: "gh_x", kind: "service"), by: owner)
            }
            await #expect(throws: ValidationError(field: "kind", code: "invalid_choice", params: ["choices": "service, subscription"])) {
                _ = try await team.createAccount(.init(platform: "wechat_oa", name: "X", handle: "gh_x", kind: "enterprise", fields: ["app_id": "wx0123456789abcdef"]), by: owner)
            }
            await #expect(throws: ValidationError(field: "credentials.password", code: "unknown_field")) {
                _ = try await team.createAccount(.init(platform: "weibo", name: "微博", handle: "wb", credentials: ["password": "x"]), by: owner)
            }
            let weibo = try await team.createAccount(.init(platform: "weibo", name: "官方微博", handle: "brand", groups: ["品牌A", "品牌B"]), by: owner)
            #expect(weibo.groupIDs.count == 2)
            #expect(try await AccountGroupRepository(database.sql).all().map(\.name).sorted() == ["品牌A", "品牌B"])
            await #expect(throws: ConflictError(code: "account_taken", field: "handle")) {
                _ = try await team.createAccount(.init(platform: "weibo", name: "重复", handle: "BRAND"), by: owner)
            }
            let retired = try await team.retireAccount(id: weibo.id, by: owner)
            #expect(retired.state == .retired)
            let live = try await AccountRepository(database.sql).list(filter: AccountFilter(), page: PageRequest())
            #expect(live.total == 0)
            let all = try await AccountRepository(database.sql).list(filter: AccountFilter(includeRetired: true), page: PageRequest())
            #expect(all.total == 1)
            // The handle is free again once its account is retired.
            _ = try await team.createAccount(.init(platform: "weibo", name: "新微博", handle: "brand"), by: owner)
        }
    }

    @Test("ten attempts within fifteen minutes are checked; the eleventh is locked out for fifteen minutes", arguments: TestDatabase.available)
    func throttle(db: TestDatabase) async throws {
        try await db.with { database in
            let throttle = LoginThrottle(database.sql)
            let start = Date()
            for minute in 0..<10 {
                #expect(try await throttle.reserveAttempt(email: "x@example.com", now: start.addingTimeInterval(Double(minute) * 60)) == .proceed)
            }
            let eleventh = start.addingTimeInterval(10 * 60)
            #expect(try await throttle.reserveAttempt(email: "X@example.com", now: eleventh) == .locked(until: Date(epochMilliseconds: eleventh.addingTimeInterval(15 * 60).epochMilliseconds)))
            // Still locked a minute later, and the attempt is refused without counting toward anything new.
            guard case .locked = try await throttle.reserveAttempt(email: "x@example.com", now: eleventh.addingTimeInterval(60)) else {
                Issue.record("expected a lock"); return
            }
            #expect(try await throttle.lockedUntil(email: "x@example.com", now: eleventh.addingTimeInterval(15 * 60 + 1)) == nil)
            #expect(try await throttle.reserveAttempt(email: "x@example.com", now: eleventh.addingTimeInterval(15 * 60 + 1)) == .proceed)
            #expect(try await throttle.reserveAttempt(email: "other@example.com", now: eleventh) == .proceed)
        }
    }

    @Test("50 concurrent attempts: exactly ten are checked, the rest locked", arguments: TestDatabase.available)
    func throttleUnderConcurrency(db: TestDatabase) async throws {
        try await db.with { database in
            let throttle = LoginThrottle(database.sql)
            let decisions = try await withThrowingTaskGroup(of: LoginThrottle.Decision.self) { group in
                for _ in 0..<50 { group.addTask { try await throttle.reserveAttempt(email: "race@example.com") } }
                var all: [LoginThrottle.Decision] = []
                for try await decision in group { all.append(decision) }
                return all
            }
            #expect(decisions.filter { $0 == .proceed }.count == 10)
        }
    }

    @Test("a failed transaction leaves nothing behind", arguments: TestDatabase.available)
    func rollback(db: TestDatabase) async throws {
        try await db.with { database in
            await #expect(throws: Boom.self) {
                try await database.transaction { tx in
                    try await AccountGroupRepository(tx).create(AccountGroup(id: "grp_rollback", name: "临时", description: "", createdAt: Date()))
                    throw Boom()
                }
            }
            let found = try await AccountGroupRepository(database.sql).find(id: "grp_rollback")
            #expect(found == nil)
        }
    }

    @Test("the audit log filters by actor, object, action and time", arguments: TestDatabase.available)
    func audit(db: TestDatabase) async throws {
        try await db.with { database in
            let team = StoreFixtures.service(database)
            let (ownerMember, owner) = try await StoreFixtures.setUp(team)
            let group = try await team.createGroup(name: "海外", description: "", by: owner)
            _ = try await team.updateGroup(id: group.id, name: "海外市场", description: nil, by: owner)
            try await team.deleteGroup(id: group.id, by: owner)
            let repository = AuditRepository(database.sql)
            let groupEntries = try await repository.list(filter: AuditFilter(entityType: "account_group"), page: PageRequest())
            #expect(groupEntries.items.map(\.action) == [.delete, .update, .create])
            #expect(groupEntries.items[1].changes["name"] == ["海外", "海外市场"])
            #expect(try await repository.list(filter: AuditFilter(actorID: ownerMember.id, action: .delete), page: PageRequest()).total == 1)
            #expect(try await repository.list(filter: AuditFilter(from: Date().addingTimeInterval(3600)), page: PageRequest()).total == 0)
        }
    }

    @Test("secret boxes need the same key to open", arguments: ["passphrase", "2Z3o8XtqTdTz7nO0lmWm9XH2n2V4QyJ0b2FkcmVzc2VkIQ=="])
    func secretBox(key: String) throws {
        let sealed = try SecretBox(keyMaterial: key).seal(["token": "值"])
        #expect(try SecretBox(keyMaterial: key).open(sealed) == ["token": "值"])
        #expect(throws: (any Error).self) { try SecretBox(keyMaterial: key + "x").open(sealed) }
    }

    @Test("the key file is created with mode 0600 and reused")
    func keyFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("secret.key").path
        let sealed = try SecretBox.loadOrCreateKeyFile(at: path).seal(["a": "b"])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try SecretBox.loadOrCreateKeyFile(at: path).open(sealed) == ["a": "b"])
    }
}
