import Foundation
import MediaOpsApp
import MediaOpsDomain
import MediaOpsSandbox
import MediaOpsStore
import SQLKit

/// A realistic demo: a tea-drinks brand's new-media team with its account
/// matrix, so a new user sees a lived-in workspace on the first start.
public enum DemoWorkspace {
    public static let ownerEmail = "demo@mediaops.local"
    public static let password = "mediaops-demo"

    public enum Outcome: Equatable, Sendable {
        case loaded(members: Int, accounts: Int)
        case skippedNotEmpty
    }

    struct Person { let email: String; let name: String; let roles: [BuiltinRole] }

    static let people: [Person] = [
        Person(email: ownerEmail, name: "林晓", roles: [.owner]),
        Person(email: "zhouhang@mediaops.local", name: "周航", roles: [.director]),
        Person(email: "chenjing@mediaops.local", name: "陈静", roles: [.manager, .reviewer]),
        Person(email: "wangyutong@mediaops.local", name: "王雨桐", roles: [.content]),
        Person(email: "liuyang@mediaops.local", name: "刘洋", roles: [.copywriter]),
        Person(email: "zhaomin@mediaops.local", name: "赵敏", roles: [.community]),
        Person(email: "sunhao@mediaops.local", name: "孙浩", roles: [.campaign]),
        Person(email: "wujia@mediaops.local", name: "吴佳", roles: [.analyst]),
        Person(email: "zhengnan@mediaops.local", name: "郑楠", roles: [.designer]),
        Person(email: "huanglei@mediaops.local", name: "黄磊", roles: [.tech]),
        Person(email: "hechang@mediaops.local", name: "何畅", roles: [.channel]),
        Person(email: "maxiao@mediaops.local", name: "马骁", roles: [.pr]),
        Person(email: "gaozong@mediaops.local", name: "高远", roles: [.viewer]),
    ]

    struct DemoAccount {
        let platform: Platform
        let name: String
        let handle: String
        let kind: String?
        let fields: [String: String]
        let groups: [String]
        let owner: String
        let state: AccountState
        let secrets: [String: String]
    }

    static let groups: [(String, String)] = [
        ("青禾茶饮", "主品牌：门店与新品"),
        ("青禾零售", "瓶装茶与电商产品线"),
        ("海外", "面向海外用户的账号"),
    ]

    static let accounts: [DemoAccount] = [
        DemoAccount(platform: .wechatOA, name: "青禾茶饮服务号", handle: "gh_qinghe_fw", kind: "service", fields: ["app_id": "wx5f1c2d3e4a6b7c80"],
                    groups: ["青禾茶饮"], owner: "wangyutong@mediaops.local", state: .active, secrets: ["app_secret": "sandbox-secret", "callback_token": "demo-callback-token"]),
        DemoAccount(platform: .wechatOA, name: "青禾茶研社", handle: "gh_qinghe_dy", kind: "subscription", fields: ["app_id": "wx0a9b8c7d6e5f4a31"],
                    groups: ["青禾茶饮"], owner: "liuyang@mediaops.local", state: .active, secrets: ["app_secret": "sandbox-secret", "callback_token": "demo-callback-token"]),
        DemoAccount(platform: .wechatChannels, name: "青禾茶饮视频号", handle: "qinghe_video", kind: nil, fields: [:],
                    groups: ["青禾茶饮"], owner: "wangyutong@mediaops.local", state: .active, secrets: [:]),
        DemoAccount(platform: .weibo, name: "青禾茶饮官方微博", handle: "qinghetea", kind: nil, fields: ["uid": "7321456890"],
                    groups: ["青禾茶饮"], owner: "chenjing@mediaops.local", state: .reconnectNeeded, secrets: ["access_token": "demo-token-not-real"]),
        DemoAccount(platform: .douyin, name: "青禾茶饮", handle: "qinghe_douyin", kind: nil, fields: ["open_id": "sandbox-open-id-qinghe"],
                    groups: ["青禾茶饮"], owner: "sunhao@mediaops.local", state: .active, secrets: ["access_token": "sandbox-douyin-token"]),
        DemoAccount(platform: .xiaohongshu, name: "青禾小茶馆", handle: "qinghe_xhs", kind: nil, fields: [:],
                    groups: ["青禾茶饮", "青禾零售"], owner: ownerEmail, state: .active, secrets: [:]),
        DemoAccount(platform: .bilibili, name: "青禾茶饮B站", handle: "qinghe_bili", kind: nil, fields: ["mid": "3493118724"],
                    groups: ["青禾茶饮"], owner: "zhengnan@mediaops.local", state: .active,
                    secrets: ["access_token": "sandbox-bili-token", "client_secret": "sandbox-secret"]),
        DemoAccount(platform: .kuaishou, name: "青禾瓶装茶", handle: "qinghe_ks", kind: nil, fields: [:],
                    groups: ["青禾零售"], owner: "sunhao@mediaops.local", state: .active, secrets: [:]),
        DemoAccount(platform: .zhihu, name: "青禾茶研究所", handle: "qinghe-lab", kind: nil, fields: [:],
                    groups: ["青禾零售"], owner: "liuyang@mediaops.local", state: .active, secrets: [:]),
        DemoAccount(platform: .toutiao, name: "青禾茶饮头条号", handle: "qinghe_tt", kind: nil, fields: [:],
                    groups: ["青禾零售"], owner: "hechang@mediaops.local", state: .paused, secrets: [:]),
        DemoAccount(platform: .x, name: "Qinghe Tea", handle: "qinghetea_global", kind: nil, fields: [:],
                    groups: ["海外"], owner: "maxiao@mediaops.local", state: .active, secrets: ["access_token": "sandbox-x-token"]),
        DemoAccount(platform: .mastodon, name: "Qinghe Tea", handle: "qinghe@mastodon.social", kind: nil, fields: ["instance_url": "https://mastodon.social"],
                    groups: ["海外"], owner: "maxiao@mediaops.local", state: .active, secrets: ["access_token": "sandbox-mastodon-token"]),
        DemoAccount(platform: .telegram, name: "Qinghe Tea News", handle: "qinghe_news", kind: nil, fields: ["chat_id": "@qinghe_news"],
                    groups: ["海外"], owner: "huanglei@mediaops.local", state: .active, secrets: ["bot_token": "700100:sandbox-demo-bot"]),
        DemoAccount(platform: .webhook, name: "官网内容中心", handle: "site-cms", kind: nil, fields: ["url": "https://www.example.com/hooks/mediaops"],
                    groups: ["青禾茶饮"], owner: ownerEmail, state: .active, secrets: ["signing_secret": "demo-signing-secret"]),
    ]

    /// Loads the demo and its asset library (the files are stored once the data is in).
    /// With `sandbox` (serve --demo) the demo also gets a publishing plan that runs against the imitation platforms.
    public static func load(components: AppComponents, sandbox: RunningSandbox? = nil) async throws -> Outcome {
        let outcome = try await load(into: components.database, team: components.team)
        if case .loaded = outcome, let owner = try await MemberRepository(components.database.sql).find(email: ownerEmail) {
            let principal = Principal(memberID: owner.id, name: owner.name, roleKeys: owner.roleKeys, permissions: Set(Permission.allCases))
            try await DemoAssets.load(service: components.assets, database: components.database, owner: principal)
            try await DemoMetrics.load(database: components.database, owner: principal)
            try await DemoFunnels.load(database: components.database, owner: principal)
            let analyst = try await MemberRepository(components.database.sql).find(email: "wujia@mediaops.local")
            try await DemoAlerts.load(database: components.database, owner: principal, analystID: analyst?.id)
            try await DemoCompetitors.load(database: components.database, owner: principal, analystID: analyst?.id)
            try await DemoReports.load(database: components.database)
            let director = try await MemberRepository(components.database.sql).find(email: "zhouhang@mediaops.local")
            try await DemoPlanning.load(database: components.database, team: components.team, owner: principal, directorID: director?.id)
            try await DemoKnowledge.load(database: components.database, content: ContentService(database: components.database), owner: principal)
            if let sandbox { try await DemoPublishing.load(components: components, sandbox: sandbox, owner: principal) }
            try await DemoTasks.load(components: components)
            try await DemoKnowledge.linkWork(components: components, owner: principal)
            // Last: scorecards are computed from everything above, tasks done on time included.
            try await DemoKpis.load(components: components)
        }
        return outcome
    }

    /// Loads the demo into an empty database, all in one transaction.
    public static func load(into database: Database, team: TeamService) async throws -> Outcome {
        // One bcrypt for everyone: hashing thirteen times would slow the first start for nothing.
        let hash = try await team.hasher.hash(password)
        let secrets = team.secrets
        return try await database.transaction { db in
            guard try await MemberRepository(db).count() == 0 else { return .skippedNotEmpty }
            let now = Date()
            if try await WorkspaceRepository(db).get() == nil {
                try await WorkspaceRepository(db).create(Workspace(name: "青禾茶饮 · 新媒体中心", timeZone: "Asia/Shanghai", defaultLocale: .zhHans, createdAt: now))
            }
            var ids: [String: String] = [:]
            for (index, person) in people.enumerated() {
                let created = now.addingTimeInterval(Double(index - people.count) * 86_400)
                let member = Member(id: Identifier.make("mem"), email: person.email, name: person.name, roleKeys: person.roles.map(\.rawValue),
                                    locale: nil, isActive: true, createdAt: created, updatedAt: created)
                try await MemberRepository(db).create(member, passwordHash: hash)
                ids[person.email] = member.id
            }
            var groupIDs: [String: String] = [:]
            for (name, description) in groups {
                let group = AccountGroup(id: Identifier.make("grp"), name: name, description: description, createdAt: now)
                try await AccountGroupRepository(db).create(group)
                groupIDs[name] = group.id
            }
            for demo in accounts {
                let account = Account(id: Identifier.make("acc"), platform: demo.platform, name: demo.name, handle: demo.handle, kind: demo.kind,
                                      fields: demo.fields, ownerID: ids[demo.owner], groupIDs: demo.groups.compactMap { groupIDs[$0] },
                                      state: demo.state, credentialKeys: demo.secrets.keys.sorted(), createdAt: now, updatedAt: now)
                try await AccountRepository(db).create(account, sealedCredentials: demo.secrets.isEmpty ? nil : try secrets.seal(demo.secrets))
            }
            let owner = Principal(memberID: ids[ownerEmail], name: people[0].name, roleKeys: ["owner"], permissions: Set(Permission.allCases))
            try await DemoContent.load(db: db, members: ids, groups: groupIDs, owner: owner)
            try await AuditRepository(db).record(AuditEntry(
                id: Identifier.makeOrdered("aud"), at: now, actorID: nil, actorName: "CLI", action: .create, entityType: "workspace", entityID: "default",
                summary: "青禾茶饮 · 新媒体中心", changes: ["demo": ["", "\(people.count) members, \(accounts.count) accounts"]]))
            return .loaded(members: people.count, accounts: accounts.count)
        }
    }
}
