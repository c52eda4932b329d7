import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsApp
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import MediaOpsWeb
import NIOCore
import Testing

/// The trust rules, each as a class of requests rather than one example:
/// who may change whom, numbers from outside, what a password change ends,
/// throttling under concurrency, who may write, and review integrity.
@Suite("Security and integrity through the router")
struct SecurityTests {
    // MARK: Nobody acts on more than they hold

    /// Every kind of change to another member, in the API and on the page forms.
    static let memberChanges: [(label: String, json: String, form: (path: String, fields: [(String, String)]))] = [
        ("password", #"{"password":"taken-over-1"}"#, ("password", [("password", "taken-over-1")])),
        ("deactivate", #"{"active":false}"#, ("deactivate", [])),
        ("name", #"{"name":"改名"}"#, ("", [("name", "改名"), ("roles", "owner")])),
        ("roles", #"{"roles":["viewer"]}"#, ("", [("name", "原名"), ("roles", "viewer")])),
        ("locale", #"{"locale":"en"}"#, ("", [("name", "原名"), ("roles", "owner")])),
    ]

    @Test("a member manager cannot change anyone holding more power: every kind of change, API and forms", arguments: TestDatabase.available)
    func memberPower(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let owner = app.ownerPrincipal
            _ = try await app.team.createRole(.init(key: "hr", name: "人事", description: nil, permissions: ["members.view", "members.manage"]), by: owner)
            // (actor roles, victim roles): the actor lacks part of the victim's power.
            let cases: [([String], [String])] = [(["director"], ["owner"]), (["hr"], ["content"]), (["hr"], ["director"]), (["hr"], ["owner"])]
            for (actorRoles, victimRoles) in cases {
                let (actor, token) = try await app.member(actorRoles, email: "actor-\(actorRoles[0])-\(victimRoles[0])@example.com")
                for change in Self.memberChanges {
                    let (victim, _) = try await app.member(victimRoles, email: "victim-\(victimRoles[0])-\(change.label)-\(UUID().uuidString.prefix(4))@example.com", name: "原名")
                    let before = try #require(try await MemberRepository(app.database.sql).find(id: victim.id))
                    let api = try await app.api(.patch, "/api/v1/members/\(victim.id)", token: token, json: change.json)
                    #expect(api.status == .forbidden, "\(actorRoles) → \(victimRoles) \(change.label): \(api.status)")
                    #expect(api.errorCode == "member_outranks_you")
                    let session = try await app.signIn(email: actor.email, password: "member-password")
                    let path = "/team/members/\(victim.id)" + (change.form.path.isEmpty ? "" : "/\(change.form.path)")
                    let page = try await session.post(path, form: change.form.fields, from: "/team/members/\(victim.id)")
                    #expect(page.status == .forbidden, "form \(actorRoles) → \(victimRoles) \(change.label): \(page.status)")
                    let after = try #require(try await MemberRepository(app.database.sql).find(id: victim.id))
                    #expect(after == before, "\(change.label) changed the member")
                    // The old password still signs the victim in: nothing was reset.
                    #expect(try await app.api(.post, "/api/v1/session", token: nil,
                                              json: #"{"email":"\#(victim.email)","password":"member-password"}"#).status == .created)
                }
            }
            // Someone holding at least the member's power may change them.
            let (_, directorToken) = try await app.member(["director"])
            let (writer, _) = try await app.member(["content"])
            #expect(try await app.api(.patch, "/api/v1/members/\(writer.id)", token: directorToken, json: #"{"name":"新名字"}"#).status == .ok)
            // And the owner may change another owner.
            let (secondOwner, _) = try await app.member(["owner"])
            #expect(try await app.api(.patch, "/api/v1/members/\(secondOwner.id)", token: app.ownerToken, json: #"{"active":false}"#).status == .ok)
        }
    }

    @Test("a member who manages roles cannot define or widen a role beyond their own power", arguments: TestDatabase.available)
    func rolePower(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            _ = try await app.team.createRole(.init(key: "role_admin", name: "角色管理", description: nil, permissions: ["roles.manage", "members.view"]), by: app.ownerPrincipal)
            let (_, token) = try await app.member(["role_admin"])
            // Widening the role it holds would hand itself everything.
            let widen = try await app.api(.patch, "/api/v1/roles/role_admin", token: token, json: #"{"permissions":["roles.manage","members.view","members.manage","settings.manage"]}"#)
            #expect(widen.status == .unprocessableContent)
            #expect(widen.errorCode == "permission_not_grantable")
            #expect(try await RoleRepository(app.database.sql).find(key: "role_admin")?.permissions == [.rolesManage, .membersView])
            let create = try await app.api(.post, "/api/v1/roles", token: token, json: #"{"key":"all_power","name":"全部","permissions":["members.manage"]}"#)
            #expect(create.status == .unprocessableContent)
            #expect(try await RoleRepository(app.database.sql).find(key: "all_power") == nil)
            // Within its own power it may.
            #expect(try await app.api(.post, "/api/v1/roles", token: token, json: #"{"key":"readers","name":"读者","permissions":["members.view"]}"#).status == .created)
        }
    }

    // MARK: Numbers from outside

    @Test("every listing bounds its page number: huge pages answer 422 naming the field, never 500", arguments: TestDatabase.available)
    func boundedPages(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let listings = app.routeTable.records.filter { $0.method == .get && !$0.path.contains("{") }
            #expect(listings.count > 20)
            for record in listings {
                for value in ["9223372036854775807", "-9223372036854775808", "99999999999999999999", "100001", "1e9"] {
                    let response = try await app.api(.get, "\(record.path)?page=\(value)&per_page=\(value)", token: app.ownerToken)
                    #expect(response.status.code < 500, "\(record.path) page=\(value) → \(response.status)")
                }
            }
            let content = try await app.api(.get, "/api/v1/content?page=9223372036854775807", token: app.ownerToken)
            #expect(content.status == .unprocessableContent)
            #expect(content.errorField == "page")
            #expect(try await app.api(.get, "/api/v1/content?page=100000", token: app.ownerToken).status == .ok)
        }
    }

    @Test("addresses are checked in full when saved: port range, user info, numeric hosts, private targets")
    func addressesOnSave() async throws {
        try await WebHarness.run(.sqlite) { app in
            for url in ["http://example.com:99999/h", "http://example.com:0/h", "http://a@example.com/h", "http://2130706433/h",
                        "http://[::ffff:7f00:1]/h", "http://[0:0:0:0:0:0:0:1]/h", "http://127.0.0.1:9/h", "javascript:alert(1)"] {
                let channel = try await app.api(.post, "/api/v1/notification-channels", token: app.ownerToken,
                                                json: #"{"name":"x","kind":"webhook","url":"\#(url)","events":["target.failed"]}"#)
                #expect(channel.status == .unprocessableContent, "\(url) → \(channel.status)")
                #expect(channel.errorField == "url")
                let account = try await app.api(.post, "/api/v1/accounts", token: app.ownerToken,
                                                json: #"{"platform":"mastodon","name":"M","handle":"m\#(UUID().uuidString.prefix(6))","fields":{"instance_url":"\#(url)"}}"#)
                #expect(account.status == .unprocessableContent, "mastodon \(url) → \(account.status)")
                #expect(account.errorField == "fields.instance_url")
            }
            #expect(try await NotificationChannelService(database: app.database, secrets: app.team.secrets).list().isEmpty)
        }
    }

    @Test("robot keys are sealed: the stored and shown address hides the key, the sender gets the whole address")
    func robotKeysSealed() async throws {
        try await WebHarness.run(.sqlite, configure: { $0.allowPrivateAddresses = true }) { app in
            let key = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
            let created = try await app.api(.post, "/api/v1/notification-channels", token: app.ownerToken,
                                            json: #"{"name":"企微群","kind":"wecom","url":"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=\#(key)","events":["target.failed"]}"#)
            #expect(created.status == .created, "\(created.text)")
            #expect(!created.text.contains(key))
            let id = try #require(created.json["id"] as? String)
            let row = try #require(try await app.database.sql.raw("SELECT url, sealed_url FROM notification_channels WHERE id = \(bind: id)").first())
            #expect(try !row.string("url").contains(key))
            #expect(try !(row.optionalString("sealed_url") ?? "").contains(key))
            let service = NotificationChannelService(database: app.database, secrets: app.team.secrets)
            #expect(try await service.address(for: id) == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=\(key)")
            // Saving the form with the masked address shown keeps the key.
            let shown = try #require(created.json["url"] as? String)
            #expect(try await app.api(.patch, "/api/v1/notification-channels/\(id)", token: app.ownerToken, json: #"{"url":"\#(shown)","name":"改名"}"#).status == .ok)
            #expect(try await service.address(for: id) == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=\(key)")
        }
    }

    // MARK: Tokens end with the password

    @Test("a password reset or change ends the member's tokens and other sessions; tokens may expire", arguments: TestDatabase.available)
    func tokensFollowPasswords(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let (member, token) = try await app.member(["content"], email: "writer@example.com")
            #expect(try await app.api(.get, "/api/v1/me", token: token).status == .ok)
            // Reset by someone allowed to.
            #expect(try await app.api(.patch, "/api/v1/members/\(member.id)", token: app.ownerToken, json: #"{"password":"reset-password-1"}"#).status == .ok)
            #expect(try await app.api(.get, "/api/v1/me", token: token).status == .unauthorized)

            // A change of one's own password keeps the credential making it, ends the rest.
            let first = try await app.token(for: member)
            let second = try await app.token(for: member)
            let browser = try await app.signIn(email: member.email, password: "reset-password-1")
            let change = try await app.api(.patch, "/api/v1/me", token: first, json: #"{"current_password":"reset-password-1","new_password":"changed-password-2"}"#)
            #expect(change.status == .ok, "\(change.text)")
            #expect(try await app.api(.get, "/api/v1/me", token: first).status == .ok)
            #expect(try await app.api(.get, "/api/v1/me", token: second).status == .unauthorized)
            #expect(try await browser.get("/me").status == .found)  // the browser session was signed out

            // Expiry: a token made to last 1 day works, and stops once its day is over.
            let created = try await app.api(.post, "/api/v1/me/tokens", token: first, json: #"{"name":"CI","expires_in_days":1}"#)
            #expect(created.status == .created)
            #expect(created.json["expires_at"] is String)
            let short = try #require(created.json["token"] as? String)
            #expect(try await app.api(.get, "/api/v1/me", token: short).status == .ok)
            try await app.database.sql.raw("UPDATE api_tokens SET expires_at = \(bind: Date().addingTimeInterval(-1).epochMilliseconds) WHERE name = 'CI'").run()
            #expect(try await app.api(.get, "/api/v1/me", token: short).status == .unauthorized)
            for bad in ["0", "3651", "-1", "1.5", "\"30\""] {
                let refused = try await app.api(.post, "/api/v1/me/tokens", token: first, json: #"{"name":"x","expires_in_days":\#(bad)}"#)
                #expect(refused.status == .unprocessableContent, "expires_in_days \(bad)")
                #expect(refused.errorField == "expires_in_days")
            }
            // The profile page shows each token's expiry.
            let session = try await app.signIn(email: member.email, password: "changed-password-2")
            let page = try await session.get("/me")
            #expect(page.text.contains("有效期至"))
            #expect(page.text.contains("已过期"))
        }
    }

    // MARK: Throttling

    @Test("fifty parallel wrong passwords: at most ten are checked, the rest get 429", arguments: TestDatabase.available)
    func throttleUnderConcurrency(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await app.api(.post, "/api/v1/session", token: nil, json: #"{"email":"owner@example.com","password":"wrong-password"}"#).status
                    }
                }
                var all: [HTTPResponse.Status] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(statuses.filter { $0 == .unauthorized }.count <= 10)
            #expect(statuses.filter { $0 == .tooManyRequests }.count >= 40)
            // Locked now, even with the right password.
            #expect(try await app.api(.post, "/api/v1/session", token: nil, json: #"{"email":"owner@example.com","password":"owner-password"}"#).status == .tooManyRequests)
        }
    }

    // MARK: Read-only means read-only

    @Test("roles that neither write nor review cannot comment, vote or move content through review", arguments: ["viewer", "community", "analyst", "pr", "tech"])
    func readOnlyRoles(role: String) async throws {
        try await WebHarness.run(.sqlite) { app in
            let item = try await ContentService(database: app.database).create(.init(title: "只读测试", body: "<p>正文</p>"), by: app.ownerPrincipal)
            let topic = try await TopicService(database: app.database).propose(.init(title: "只读选题"), by: app.ownerPrincipal)
            let (member, token) = try await app.member([role])
            for (path, body) in [("/api/v1/content/\(item.id)/comments", #"{"body":"@林晓 看看"}"#), ("/api/v1/topics/\(topic.id)/comments", #"{"body":"好"}"#),
                                 ("/api/v1/topics/\(topic.id)/vote", "{}"), ("/api/v1/content/\(item.id)/review", #"{"action":"submit"}"#)] {
                let response = try await app.api(.post, path, token: token, json: body)
                #expect(response.status == .forbidden, "\(role) POST \(path) → \(response.status)")
            }
            let session = try await app.signIn(email: member.email, password: "member-password")
            #expect(try await session.post("/topics/\(topic.id)/comments", form: [("body", "好")], from: "/topics/\(topic.id)").status == .forbidden)
            #expect(try await session.post("/content/\(item.id)/comments", form: [("body", "好")], from: "/content/\(item.id)").status == .forbidden)
            #expect(try await ReviewRepository(app.database.sql).comments(contentID: item.id).isEmpty)
            #expect(try await TopicService(database: app.database).comments(topicID: topic.id).isEmpty)
            // The pages offer no comment or vote form to them.
            #expect(!(try await session.get("/topics/\(topic.id)")).text.contains("/topics/\(topic.id)/comments"))
            #expect(!(try await session.get("/content/\(item.id)")).text.contains("/content/\(item.id)/comments"))
        }
    }

    // MARK: Server errors found by fuzzing

    @Test("topic filters, search syntax and control characters never give a server error", arguments: TestDatabase.available)
    func filtersAndSearch(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            _ = try await TopicService(database: app.database).propose(.init(title: "春季新品选题"), by: app.ownerPrincipal)
            for query in ["status=proposed", "owner=\(app.owner.id)", "group=grp_x", "q=%E6%98%A5%E5%AD%A3", "q=a%22b", "status=accepted&q=x&owner=y&group=z"] {
                let response = try await app.api(.get, "/api/v1/topics?\(query)", token: app.ownerToken)
                #expect(response.status == .ok, "topics?\(query) → \(response.status) \(response.text.prefix(200))")
            }
            let filtered = try await app.api(.get, "/api/v1/topics?status=proposed&q=%E6%98%A5%E5%AD%A3", token: app.ownerToken)
            #expect(filtered.json["total"] as? Int == 1)
            // A GET form sends a space as "+": "冬季 选题" must find the topic of that title.
            _ = try await TopicService(database: app.database).propose(.init(title: "冬季 选题 A+B"), by: app.ownerPrincipal)
            #expect(try await app.api(.get, "/api/v1/topics?q=%E5%86%AC%E5%AD%A3+%E9%80%89%E9%A2%98", token: app.ownerToken).json["total"] as? Int == 1)
            #expect(try await app.api(.get, "/api/v1/topics?q=A%2BB", token: app.ownerToken).json["total"] as? Int == 1)
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            #expect(try await session.get("/topics?status=proposed&q=%E6%98%A5").status == .ok)
            for q in ["%00", "abc%00def", "%22", "a%22%20OR%20b", "NEAR(a%20b)", "*", "%5E%E6%98%A5", "a:b", "(((", "%01%02%03", "-x", "col:val*"] {
                for path in ["/api/v1/content?q=\(q)", "/api/v1/library?q=\(q)", "/library?q=\(q)", "/search?q=\(q)", "/api/v1/topics?q=\(q)"] {
                    let response = path.hasPrefix("/api/") ? try await app.api(.get, path, token: app.ownerToken) : try await session.get(path)
                    #expect(response.status.code < 500, "\(path) → \(response.status)")
                }
            }
            let nul = try await app.api(.post, "/api/v1/content", token: app.ownerToken, json: #"{"title":"a\u0000b"}"#)
            #expect(nul.status == .unprocessableContent)
            #expect(nul.errorField == "title")
        }
    }

    @Test("bodies up to the documented limit are read; above it, 413 in the user's language")
    func bodyLimit() async throws {
        try await WebHarness.run(.sqlite) { app in
            // A 秀米-sized article: 150,000 Chinese characters, ~1.3 MB once form-encoded.
            let body = String(repeating: "秀米排版的长文。", count: 18_750)
            let created = try await app.api(.post, "/api/v1/content", token: app.ownerToken,
                                            json: #"{"title":"长文","body":"<p>\#(body)</p>"}"#)
            #expect(created.status == .created, "\(created.status) \(created.text.prefix(200))")
            let id = try #require(created.json["id"] as? String)
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let version = try #require(try await ContentRepository(app.database.sql).find(id: id)).version
            let saved = try await session.post("/content/\(id)", form: [("version", String(version)), ("title", "长文"), ("body", body + "再加一句。")], from: "/content/\(id)")
            #expect(saved.status.code < 400, "\(saved.status)")
            let huge = String(repeating: "字", count: 2_000_000)
            let tooBig = try await app.api(.post, "/api/v1/content", token: app.ownerToken, json: #"{"title":"x","body":"\#(huge)"}"#)
            #expect(tooBig.status == .contentTooLarge)
            #expect(tooBig.errorMessage?.contains("4 MB") == true)
            let page = try await session.post("/content/\(id)", form: [("version", String(version + 1)), ("title", "x"), ("body", huge)], from: "/content/\(id)")
            #expect(page.status == .contentTooLarge)
            #expect(page.text.contains("太大"))
            // The page carries the limit so its script stops an oversized form before sending.
            #expect(try await session.get("/content/\(id)").text.contains("data-max-body=\"\(RequestLimits.maxBodyBytes)\""))
        }
    }

    // MARK: One secret box

    @Test("with :memory: and no key, what the team room seals the engine and the sender can open")
    func oneSecretBox() async throws {
        var configuration = WebHarness.configuration(.sqlite)
        configuration.secretKey = nil
        defer { try? FileManager.default.removeItem(atPath: configuration.dataDirectory) }
        try await TestDatabase.sqlite.with { [configuration] database in
            let components = try await buildComponents(configuration: configuration, database: database, logger: TestDatabase.logger)
            let owner = try await components.team.setUp(.init(workspaceName: "密钥", timeZone: "Asia/Shanghai", locale: "zh-Hans",
                                                               ownerName: "林", ownerEmail: "o@example.com", password: "owner-password"))
            let principal = Principal(memberID: owner.id, name: owner.name, roleKeys: owner.roleKeys, permissions: Set(Permission.allCases))
            let account = try await components.team.createAccount(.init(platform: "weibo", name: "微博", handle: "key", credentials: ["access_token": "sealed-by-team"]), by: principal)
            #expect(try await components.engine.tokens.credentials(accountID: account.id)["access_token"] == "sealed-by-team")
            let channel = try await NotificationChannelService(database: database, secrets: components.team.secrets)
                .create(.init(name: "群", kind: "wecom", url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-123456789", events: ["target.failed"]), by: principal)
            #expect(try await NotificationChannelService(database: database, secrets: components.secrets).address(for: channel.id)?.hasSuffix("k-123456789") == true)
        }
    }

    // MARK: Redirects and links

    @Test("sign-in redirects only to local paths", arguments: [
        "/%09/evil.example/x", "/%5Cevil.example", "//evil.example", "/%0D%0A/evil.example", "https://evil.example", "/\\evil.example", "%2F%2Fevil.example",
    ])
    func openRedirect(next: String) async throws {
        try await WebHarness.run(.sqlite) { app in
            let page = try await app.client.execute(uri: "/login?next=\(next)", method: .get)
            let csrfCookie = try #require(page.cookie(named: "mediaops_csrf"))
            let csrf = try #require(page.formToken)
            let response = try await app.client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "mediaops_csrf=\(csrfCookie)"],
                body: ByteBuffer(string: "_csrf=\(csrf)&email=owner%40example.com&password=owner-password&next=\(next.replacingOccurrences(of: "\\", with: "%5C"))"))
            #expect(response.status == .seeOther)
            #expect(response.location == "/", "\(next) → \(response.location ?? "")")
        }
    }
}
