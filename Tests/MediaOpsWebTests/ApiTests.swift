import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import Testing

@Suite("JSON API")
struct ApiTests {
    @Test("members: create, list with filters and pages, change roles, reset password", arguments: TestDatabase.available)
    func members(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let created = try await app.api(.post, "/api/v1/members", token: app.ownerToken,
                                            json: #"{"email":"Wang@Example.com","name":"王雨桐","roles":["content","copywriter"],"password":"password123"}"#)
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["email"] as? String == "wang@example.com")
            #expect(created.json["roles"] as? [String] == ["content", "copywriter"])
            #expect(created.json["password"] == nil)
            #expect(created.json["password_hash"] == nil)
            #expect(created.json["locale"] is NSNull)  // unset values are null, never missing

            let duplicate = try await app.api(.post, "/api/v1/members", token: app.ownerToken,
                                              json: #"{"email":"wang@example.com","name":"另一个","roles":["content"],"password":"password123"}"#)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.errorField == "email")

            let list = try await app.api(.get, "/api/v1/members?role=content&per_page=1", token: app.ownerToken)
            #expect(list.status == .ok)
            #expect(list.json["total"] as? Int == 1)
            #expect(list.json["per_page"] as? Int == 1)
            #expect(((list.json["items"] as? [[String: Any]])?.first?["id"] as? String) == id)
            let search = try await app.api(.get, "/api/v1/members?q=wang", token: app.ownerToken)
            #expect(search.json["total"] as? Int == 1)

            let patched = try await app.api(.patch, "/api/v1/members/\(id)", token: app.ownerToken, json: #"{"roles":["reviewer"],"name":"王雨桐（审核）"}"#)
            #expect(patched.status == .ok)
            #expect(patched.json["roles"] as? [String] == ["reviewer"])
            #expect(try await app.api(.patch, "/api/v1/members/\(id)", token: app.ownerToken, json: #"{"password":"new-password-1"}"#).status == .ok)
            let login = try await app.api(.post, "/api/v1/session", token: nil, json: #"{"email":"wang@example.com","password":"new-password-1"}"#)
            #expect(login.status == .created)
            // One's own password needs the current one (PATCH /api/v1/me): refused here, and the token goes on working.
            let ownerID = try #require(try await app.api(.get, "/api/v1/me", token: app.ownerToken).json["id"] as? String)
            let own = try await app.api(.patch, "/api/v1/members/\(ownerID)", token: app.ownerToken, json: #"{"password":"taken-over-1"}"#)
            #expect(own.status == .unprocessableContent && own.errorCode == "own_password_needs_current" && own.errorField == "password")
            #expect(try await app.api(.get, "/api/v1/me", token: app.ownerToken).status == .ok)
            #expect(try await app.api(.get, "/api/v1/members/\(id)", token: app.ownerToken).json["name"] as? String == "王雨桐（审核）")
            #expect(try await app.api(.get, "/api/v1/members/mem_doesnotexist00", token: app.ownerToken).status == .notFound)
        }
    }

    @Test("accounts: credentials go in and never come out; DELETE retires", arguments: TestDatabase.available)
    func accounts(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let body = #"{"platform":"wechat_oa","name":"青禾茶饮服务号","handle":"gh_qinghe","kind":"service","fields":{"app_id":"wx1234567890abcdef"},"groups":["青禾茶饮"],"credentials":{"app_secret":"very-secret-value"}}"#
            let created = try await app.api(.post, "/api/v1/accounts", token: app.ownerToken, json: body)
            #expect(created.status == .created)
            #expect(!created.text.contains("very-secret-value"))
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["credentials_set"] as? [String] == ["app_secret"])
            #expect(created.json["capabilities"] as? [String] == ["publish_api", "metrics_api", "comments_api"])
            #expect((created.json["groups"] as? [[String: Any]])?.first?["name"] as? String == "青禾茶饮")
            #expect((created.json["fields"] as? [String: String])?["app_id"] == "wx1234567890abcdef")

            let fetched = try await app.api(.get, "/api/v1/accounts/\(id)", token: app.ownerToken)
            #expect(!fetched.text.contains("very-secret-value"))
            let list = try await app.api(.get, "/api/v1/accounts?platform=wechat_oa", token: app.ownerToken)
            #expect(list.json["total"] as? Int == 1)
            #expect(!list.text.contains("very-secret-value"))
            let groups = try await app.api(.get, "/api/v1/account-groups", token: app.ownerToken)
            #expect(((groups.json["items"] as? [[String: Any]])?.first?["account_count"] as? Int) == 1)

            let renamed = try await app.api(.patch, "/api/v1/accounts/\(id)", token: app.ownerToken, json: #"{"name":"青禾服务号","state":"paused"}"#)
            #expect(renamed.status == .ok)
            #expect(renamed.json["state"] as? String == "paused")
            #expect(renamed.json["credentials_set"] as? [String] == ["app_secret"])
            let moved = try await app.api(.patch, "/api/v1/accounts/\(id)", token: app.ownerToken, json: #"{"platform":"weibo"}"#)
            #expect(moved.status == .unprocessableContent)
            #expect(moved.errorField == "platform")

            let retired = try await app.api(.delete, "/api/v1/accounts/\(id)", token: app.ownerToken)
            #expect(retired.status == .ok)
            #expect(retired.json["state"] as? String == "retired")
            #expect(try await app.api(.get, "/api/v1/accounts", token: app.ownerToken).json["total"] as? Int == 0)
            #expect(try await app.api(.get, "/api/v1/accounts?include_retired=true", token: app.ownerToken).json["total"] as? Int == 1)
            #expect(try await app.api(.get, "/api/v1/accounts/\(id)", token: app.ownerToken).status == .ok)

            // Every platform of the matrix can be added.
            let platforms = try await app.api(.get, "/api/v1/platforms", token: app.ownerToken)
            #expect((platforms.json["items"] as? [[String: Any]])?.count == Platform.allCases.count)
        }
    }

    @Test("every change made through the API is in the audit log", arguments: TestDatabase.available)
    func audit(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let group = try await app.api(.post, "/api/v1/account-groups", token: app.ownerToken, json: #"{"name":"海外","description":"海外账号"}"#)
            let groupID = try #require(group.json["id"] as? String)
            _ = try await app.api(.patch, "/api/v1/account-groups/\(groupID)", token: app.ownerToken, json: #"{"name":"海外市场"}"#)
            #expect(try await app.api(.delete, "/api/v1/account-groups/\(groupID)", token: app.ownerToken).status == .noContent)
            _ = try await app.api(.post, "/api/v1/roles", token: app.ownerToken, json: #"{"key":"intern","name":"实习生","permissions":["accounts.view"]}"#)
            _ = try await app.api(.patch, "/api/v1/settings", token: app.ownerToken, json: #"{"time_zone":"Europe/Berlin"}"#)

            let log = try await app.api(.get, "/api/v1/audit-log?entity_type=account_group", token: app.ownerToken)
            let entries = try #require(log.json["items"] as? [[String: Any]])
            #expect(entries.map { $0["action"] as? String } == ["delete", "update", "create"])
            #expect(entries.allSatisfy { $0["actor_name"] as? String == "林晓" && $0["actor_id"] as? String == app.owner.id })
            #expect((entries[1]["changes"] as? [String: [String]])?["name"] == ["海外", "海外市场"])
            let roleLog = try await app.api(.get, "/api/v1/audit-log?entity_type=role&action=create", token: app.ownerToken)
            #expect(roleLog.json["total"] as? Int == 1)
            let settingsLog = try await app.api(.get, "/api/v1/audit-log?entity_type=workspace&action=update", token: app.ownerToken)
            #expect(((settingsLog.json["items"] as? [[String: Any]])?.first?["changes"] as? [String: [String]])?["time_zone"] == ["Asia/Shanghai", "Europe/Berlin"])
            let future = try await app.api(.get, "/api/v1/audit-log?from=2999-01-01T00:00:00Z", token: app.ownerToken)
            #expect(future.json["total"] as? Int == 0)
            #expect(try await app.api(.get, "/api/v1/audit-log?from=yesterday", token: app.ownerToken).errorField == "from")
        }
    }

    @Test("custom roles: created from permissions, granted, and protected while in use")
    func customRoles() async throws {
        try await WebHarness.run(.sqlite) { app in
            let created = try await app.api(.post, "/api/v1/roles", token: app.ownerToken,
                                            json: #"{"key":"intern","name":"实习生","description":"只看账号","permissions":["accounts.view","members.view"]}"#)
            #expect(created.status == .created)
            #expect(created.json["builtin"] as? Bool == false)
            let (member, token) = try await app.member(["intern"])
            #expect(try await app.api(.get, "/api/v1/accounts", token: token).status == .ok)
            #expect(try await app.api(.post, "/api/v1/account-groups", token: token, json: #"{"name":"x"}"#).status == .forbidden)
            let inUse = try await app.api(.delete, "/api/v1/roles/intern", token: app.ownerToken)
            #expect(inUse.status == .conflict)
            #expect(inUse.errorCode == "role_in_use")
            _ = try await app.api(.patch, "/api/v1/members/\(member.id)", token: app.ownerToken, json: #"{"roles":["viewer"]}"#)
            #expect(try await app.api(.delete, "/api/v1/roles/intern", token: app.ownerToken).status == .noContent)
            let builtin = try await app.api(.patch, "/api/v1/roles/director", token: app.ownerToken, json: #"{"permissions":["members.view"]}"#)
            #expect(builtin.status == .conflict)
            let roles = try await app.api(.get, "/api/v1/roles", token: app.ownerToken)
            #expect((roles.json["items"] as? [[String: Any]])?.count == BuiltinRole.allCases.count)
            // Names follow the caller's language.
            _ = try await app.api(.patch, "/api/v1/me", token: app.ownerToken, json: #"{"locale":"en"}"#)
            let english = try await app.api(.get, "/api/v1/roles/director", token: app.ownerToken)
            #expect(english.json["name"] as? String == "Director")
        }
    }

    /// Bad input of every kind gets a 4xx JSON error naming the field, never a 500,
    /// and nothing is written.
    @Test("bad input is refused with a 4xx and the field named", arguments: [
        ("POST", "/api/v1/members", "{not json", 400, "invalid_json", nil),
        ("POST", "/api/v1/members", "[1,2]", 400, "json_object_expected", nil),
        ("POST", "/api/v1/members", "", 400, "invalid_json", nil),
        ("POST", "/api/v1/members", #"{"email":"a@example.com","name":"A","roles":"content","password":"password123"}"#, 422, "invalid_type", "roles"),
        ("POST", "/api/v1/members", #"{"email":42,"name":"A","roles":["content"],"password":"password123"}"#, 422, "invalid_type", "email"),
        ("POST", "/api/v1/members", #"{"name":"A","roles":["content"],"password":"password123"}"#, 422, "required", "email"),
        ("POST", "/api/v1/members", #"{"email":"a@example.com","roles":["content"],"password":"password123"}"#, 422, "required", "name"),
        ("POST", "/api/v1/members", #"{"email":"a@example.com","name":"A","roles":[],"password":"password123"}"#, 422, "roles_required", "roles"),
        ("POST", "/api/v1/members", #"{"email":"a@example.com","name":"A","roles":["pilot"],"password":"password123"}"#, 422, "unknown_role", "roles"),
        ("POST", "/api/v1/members", #"{"email":"a@example.com","name":"A","roles":["content"],"password":"short"}"#, 422, "password_too_short", "password"),
        ("POST", "/api/v1/members", #"{"email":"a@example.com","name":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","roles":["content"],"password":"password123"}"#, 422, "too_long", "name"),
        ("POST", "/api/v1/members", #"{"email":"a@example.com","name":"A","roles":["content"],"password":"password123","locale":"fr"}"#, 422, "invalid_choice", "locale"),
        ("POST", "/api/v1/accounts", #"{"platform":"myspace","name":"A","handle":"a"}"#, 422, "invalid_choice", "platform"),
        ("POST", "/api/v1/accounts", #"{"name":"A","handle":"a"}"#, 422, "required", "platform"),
        ("POST", "/api/v1/accounts", #"{"platform":"weibo","name":"A","handle":"a","credentials":{"access_token":7}}"#, 422, "invalid_type", "credentials.access_token"),
        ("POST", "/api/v1/accounts", #"{"platform":"weibo","name":"A","handle":"a","groups":"x"}"#, 422, "invalid_type", "groups"),
        ("POST", "/api/v1/accounts", #"{"platform":"weibo","name":"A","handle":"a","owner_id":"mem_nobody0000000"}"#, 422, "unknown_member", "owner_id"),
        ("POST", "/api/v1/accounts", #"{"platform":"mastodon","name":"A","handle":"a","fields":{"instance_url":"javascript:alert(1)"}}"#, 422, "invalid_url", "fields.instance_url"),
        ("POST", "/api/v1/accounts", #"{"platform":"weibo","name":"A","handle":"a","state":"frozen"}"#, 422, "invalid_choice", "state"),
        ("POST", "/api/v1/roles", #"{"key":"Bad Key","name":"x","permissions":["members.view"]}"#, 422, "invalid_role_key", "key"),
        ("POST", "/api/v1/roles", #"{"key":"ok_key","name":"x","permissions":["members.fly"]}"#, 422, "unknown_permission", "permissions"),
        ("PATCH", "/api/v1/settings", #"{"time_zone":"Mars/Base"}"#, 422, "invalid_time_zone", "time_zone"),
        ("PATCH", "/api/v1/settings", #"{"default_locale":true}"#, 422, "invalid_type", "default_locale"),
        ("PATCH", "/api/v1/members/mem_nobody0000000", #"{"name":"x"}"#, 404, "not_found", nil),
        ("PATCH", "/api/v1/accounts/acc_nobody0000000", #"{"name":"x"}"#, 404, "not_found", nil),
        ("DELETE", "/api/v1/account-groups/grp_nobody0000000", nil, 404, "not_found", nil),
        ("GET", "/api/v1/roles/astronaut", nil, 404, "not_found", nil),
        ("GET", "/api/v1/members?per_page=0", nil, 422, "out_of_range", "per_page"),
        ("GET", "/api/v1/members?page=abc", nil, 422, "invalid_number", "page"),
        ("GET", "/api/v1/members?sort=salary", nil, 422, "invalid_choice", "sort"),
        ("GET", "/api/v1/accounts?state=frozen", nil, 422, "invalid_choice", "state"),
        ("GET", "/api/v1/audit-log?action=explode", nil, 422, "invalid_choice", "action"),
        ("GET", "/api/v1/nothing-here", nil, 404, "not_found", nil),
        ("PUT", "/api/v1/members", #"{}"#, 404, "not_found", nil),
        // The OpenAPI document's request schemas are enforced: a misspelt field and a null
        // where a value is promised are refused, not ignored.
        ("POST", "/api/v1/members", #"{"email":"a@example.com","name":"A","roles":["content"],"password":"password123","rolez":["owner"]}"#, 422, "unknown_property", "rolez"),
        ("POST", "/api/v1/content", #"{"title":"春茶","titel":"春茶"}"#, 422, "unknown_property", "titel"),
        ("POST", "/api/v1/content", #"{"title":null}"#, 422, "null_not_allowed", "title"),
        ("PATCH", "/api/v1/settings", #"{"time_zone":null}"#, 422, "null_not_allowed", "time_zone"),
        ("POST", "/api/v1/compliance/check", #"{"text":"全网最低","platform":null}"#, 422, "null_not_allowed", "platform"),
        // A typed query parameter given empty is refused, not read as "no filter".
        ("GET", "/api/v1/assets?kind=", nil, 422, "empty_value", "kind"),
        ("GET", "/api/v1/calendar?date=", nil, 422, "empty_value", "date"),
        ("GET", "/api/v1/notifications?unread=", nil, 422, "empty_value", "unread"),
        ("GET", "/api/v1/members?page=", nil, 422, "empty_value", "page"),
    ] as [(String, String, String?, Int, String, String?)])
    func badInput(method: String, uri: String, body: String?, status: Int, code: String, field: String?) async throws {
        try await WebHarness.run(.sqlite) { app in
            let before = try await AuditRepository(app.database.sql).list(filter: AuditFilter(), page: PageRequest()).total
            let response = try await app.api(HTTPRequest.Method(method)!, uri, token: app.ownerToken, json: body)
            #expect(response.status.code == status, "\(method) \(uri): \(response.text)")
            #expect(response.errorCode == code)
            #expect(response.errorField == field)
            #expect(!(response.errorMessage ?? "").isEmpty)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let after = try await AuditRepository(app.database.sql).list(filter: AuditFilter(), page: PageRequest()).total
            #expect(before == after, "nothing may be written by a refused request")
        }
    }

    @Test("error messages follow the caller's language")
    func localisedErrors() async throws {
        try await WebHarness.run(.sqlite) { app in
            let zh = try await app.api(.post, "/api/v1/account-groups", token: app.ownerToken, json: #"{"description":"x"}"#)
            #expect(zh.errorMessage == "请填写名称。")
            _ = try await app.api(.patch, "/api/v1/me", token: app.ownerToken, json: #"{"locale":"en"}"#)
            let en = try await app.api(.post, "/api/v1/account-groups", token: app.ownerToken, json: #"{"description":"x"}"#)
            #expect(en.errorMessage == "Name is required.")
        }
    }

    @Test("personal API tokens: shown once, listed without the secret, revocable")
    func tokens() async throws {
        try await WebHarness.run(.sqlite) { app in
            let created = try await app.api(.post, "/api/v1/me/tokens", token: app.ownerToken, json: #"{"name":"数据看板"}"#)
            #expect(created.status == .created)
            let secret = try #require(created.json["token"] as? String)
            let id = try #require(created.json["id"] as? String)
            #expect(try await app.api(.get, "/api/v1/me", token: secret).status == .ok)
            let list = try await app.api(.get, "/api/v1/me/tokens", token: app.ownerToken)
            #expect(!list.text.contains(secret))
            #expect(try await app.api(.delete, "/api/v1/me/tokens/\(id)", token: app.ownerToken).status == .noContent)
            #expect(try await app.api(.get, "/api/v1/me", token: secret).status == .unauthorized)
            // Someone else's token id is simply not found.
            let (_, other) = try await app.member(["content"])
            let foreign = try await app.api(.post, "/api/v1/me/tokens", token: other, json: #"{"name":"mine"}"#)
            let foreignID = try #require(foreign.json["id"] as? String)
            #expect(try await app.api(.delete, "/api/v1/me/tokens/\(foreignID)", token: app.ownerToken).status == .notFound)
        }
    }

    @Test("health, metrics and the API document need no sign-in", arguments: TestDatabase.available)
    func system(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let health = try await app.api(.get, "/health", token: nil)
            #expect(health.status == .ok)
            #expect(health.json["status"] as? String == "ok")
            #expect(health.json["database"] as? String == (db == .sqlite ? "sqlite" : "postgresql"))
            #expect((health.json["version"] as? String)?.isEmpty == false)
            _ = try await app.api(.get, "/api/v1/me", token: app.ownerToken)
            let metrics = try await app.api(.get, "/metrics", token: nil)
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains("hb_requests"))
            let document = try await app.api(.get, "/openapi.json", token: nil)
            #expect(document.json["openapi"] as? String == "3.1.0")
        }
    }

    @Test("unknown pages get a page, unknown API paths get JSON")
    func notFound() async throws {
        try await WebHarness.run(.sqlite) { app in
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let page = try await session.get("/no/such/page")
            #expect(page.status == .notFound)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains("页面不存在"))
            let api = try await app.api(.get, "/api/v1/no/such", token: app.ownerToken)
            #expect(api.status == .notFound)
            #expect(api.errorCode == "not_found")
        }
    }
}
