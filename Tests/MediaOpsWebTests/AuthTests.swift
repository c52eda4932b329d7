import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import NIOCore
import Testing

@Suite("First run, sign-in and sessions")
struct AuthTests {
    @Test("a fresh install sends everyone to /setup, which disappears once used", arguments: TestDatabase.available)
    func firstRun(db: TestDatabase) async throws {
        try await WebHarness.run(db, setUp: false) { app in
            let home = try await app.client.execute(uri: "/team/members", method: .get)
            #expect(home.status == .found)
            #expect(home.location == "/setup")
            let api = try await app.api(.get, "/api/v1/me", token: nil)
            #expect(api.status == .conflict)
            #expect(api.errorCode == "setup_required")
            #expect(try await app.client.execute(uri: "/health", method: .get).status == .ok)

            let form = try await app.client.execute(uri: "/setup", method: .get)
            #expect(form.status == .ok)
            #expect(form.text.contains("Asia/Shanghai"))
            let csrfCookie = try #require(form.cookie(named: "mediaops_csrf"))
            let token = try #require(form.formToken)

            // Without the CSRF token nothing is created.
            let forged = try await app.client.execute(uri: "/setup", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                      body: ByteBuffer(string: "workspace_name=X&name=Y&email=y%40example.com&password=password123"))
            #expect(forged.status == .forbidden)
            #expect(try await MemberRepository(app.database.sql).count() == 0)

            // Bad input re-renders the form with the field named, in Chinese.
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "mediaops_csrf=\(csrfCookie)"]
            let invalid = try await app.client.execute(uri: "/setup", method: .post, headers: headers,
                                                       body: ByteBuffer(string: "_csrf=\(token)&workspace_name=%E9%9D%92%E7%A6%BE&time_zone=Asia%2FShanghai&locale=zh-Hans&name=%E6%9E%97&email=not-an-email&password=password123"))
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.text.contains("请输入有效的邮箱地址"))
            #expect(try await MemberRepository(app.database.sql).count() == 0)

            let created = try await app.client.execute(uri: "/setup", method: .post, headers: headers,
                                                       body: ByteBuffer(string: "_csrf=\(token)&workspace_name=%E9%9D%92%E7%A6%BE&time_zone=Europe%2FBerlin&locale=en&name=Lin&email=Owner%40Example.com&password=password123"))
            #expect(created.status == .seeOther)
            #expect(created.location == "/accounts/new")
            let cookie = try #require(created.setCookieHeader(named: "mediaops_session"))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))  // plain HTTP here; MEDIAOPS_PUBLIC_URL=https://… turns it on

            let workspace = try #require(try await WorkspaceRepository(app.database.sql).get())
            #expect(workspace.timeZone == "Europe/Berlin")
            #expect(workspace.defaultLocale == .en)
            #expect(try await app.client.execute(uri: "/setup", method: .get).status == .notFound)
            let session = try await app.signIn(email: "owner@example.com", password: "password123")
            #expect(try await session.get("/").status == .ok)
        }
    }

    @Test("behind a TLS proxy the session cookie is Secure")
    func secureBehindTLS() async throws {
        try await WebHarness.run(.sqlite) { app in
            let page = try await app.client.execute(uri: "/login", method: .get, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(page.setCookieHeader(named: "mediaops_csrf")?.contains("; Secure") == true)
            let response = try await app.client.execute(
                uri: "/login", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "mediaops_csrf=\(page.cookie(named: "mediaops_csrf") ?? "")",
                          HTTPField.Name("X-Forwarded-Proto")!: "https"],
                body: ByteBuffer(string: "_csrf=\(page.formToken ?? "")&email=owner%40example.com&password=owner-password"))
            let cookie = try #require(response.setCookieHeader(named: "mediaops_session"))
            #expect(cookie.contains("; Secure"))
            #expect(cookie.contains("HttpOnly"))
        }
    }

    @Test("signing in and out through the pages")
    func signInOut() async throws {
        try await WebHarness.run(.sqlite) { app in
            let anonymous = try await app.client.execute(uri: "/accounts", method: .get)
            #expect(anonymous.status == .found)
            #expect(anonymous.location?.hasPrefix("/login?next=") == true)
            let session = try await app.signIn(email: "OWNER@example.com", password: "owner-password")
            let home = try await session.get("/")
            #expect(home.status == .ok)
            #expect(home.text.contains("林晓，你好"))
            let out = try await session.post("/logout", form: [], from: "/")
            #expect(out.status == .seeOther)
            #expect(out.location == "/login")
            #expect(try await session.get("/").status == .found)
        }
    }

    @Test("ten wrong passwords lock the e-mail: 429 with Retry-After, for pages and the API")
    func throttling() async throws {
        try await WebHarness.run(.sqlite) { app in
            for _ in 0..<10 {
                let response = try await app.api(.post, "/api/v1/session", token: nil, json: #"{"email":"owner@example.com","password":"wrong-password"}"#)
                #expect(response.status == .unauthorized)
                #expect(response.errorCode == "invalid_credentials")
            }
            let locked = try await app.api(.post, "/api/v1/session", token: nil, json: #"{"email":"owner@example.com","password":"owner-password"}"#)
            #expect(locked.status == .tooManyRequests)
            #expect(Int(locked.headers[.retryAfter] ?? "") ?? 0 > 800)
            let page = try await app.client.execute(uri: "/login", method: .get)
            let form = "_csrf=\(page.formToken ?? "")&email=owner%40example.com&password=owner-password"
            let lockedPage = try await app.client.execute(uri: "/login", method: .post,
                                                          headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "mediaops_csrf=\(page.cookie(named: "mediaops_csrf") ?? "")"],
                                                          body: ByteBuffer(string: form))
            #expect(lockedPage.status == .tooManyRequests)
            #expect(lockedPage.text.contains("登录失败次数过多"))
            // Another e-mail is unaffected.
            let (other, _) = try await app.member(["content"], email: "other@example.com")
            let fine = try await app.api(.post, "/api/v1/session", token: nil, json: #"{"email":"other@example.com","password":"member-password"}"#)
            #expect(fine.status == .created)
            #expect((fine.json["member"] as? [String: Any])?["id"] as? String == other.id)
        }
    }

    @Test("API sessions: token from e-mail and password, revocable, refused once revoked", arguments: TestDatabase.available)
    func apiSession(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let created = try await app.api(.post, "/api/v1/session", token: nil, json: #"{"email":"owner@example.com","password":"owner-password"}"#)
            #expect(created.status == .created)
            let token = try #require(created.json["token"] as? String)
            let me = try await app.api(.get, "/api/v1/me", token: token)
            #expect(me.status == .ok)
            #expect(me.json["email"] as? String == "owner@example.com")
            #expect((me.json["permissions"] as? [String])?.contains("roles.manage") == true)
            #expect(try await app.api(.delete, "/api/v1/session", token: token).status == .noContent)
            let after = try await app.api(.get, "/api/v1/me", token: token)
            #expect(after.status == .unauthorized)
            #expect(after.errorCode == "invalid_token")
            #expect(try await app.api(.get, "/api/v1/me", token: nil).status == .unauthorized)
            #expect(try await app.api(.get, "/api/v1/me", token: nil, headers: [.authorization: "Basic abc"]).status == .unauthorized)
        }
    }

    @Test("a deactivated member's token and password stop working")
    func deactivated() async throws {
        try await WebHarness.run(.sqlite) { app in
            let (member, token) = try await app.member(["content"], email: "leaver@example.com")
            #expect(try await app.api(.get, "/api/v1/me", token: token).status == .ok)
            let patched = try await app.api(.patch, "/api/v1/members/\(member.id)", token: app.ownerToken, json: #"{"active":false}"#)
            #expect(patched.status == .ok)
            #expect(patched.json["active"] as? Bool == false)
            #expect(try await app.api(.get, "/api/v1/me", token: token).status == .unauthorized)
            let login = try await app.api(.post, "/api/v1/session", token: nil, json: #"{"email":"leaver@example.com","password":"member-password"}"#)
            #expect(login.status == .unauthorized)
        }
    }

    @Test("forms and session-authenticated API calls need the CSRF token")
    func csrf() async throws {
        try await WebHarness.run(.sqlite) { app in
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let forged = try await session.post("/settings", form: [("name", "被篡改"), ("time_zone", "UTC"), ("default_locale", "en")], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(try await WorkspaceRepository(app.database.sql).get()?.name == "青禾茶饮")
            let apiForged = try await app.client.execute(uri: "/api/v1/settings", method: .patch,
                                                         headers: [.cookie: session.cookie, .contentType: "application/json"],
                                                         body: ByteBuffer(string: #"{"name":"被篡改"}"#))
            #expect(apiForged.status == .forbidden)
            #expect(apiForged.errorCode == "csrf_failed")
            let token = try #require(try await session.get("/settings").formToken)
            let allowed = try await app.client.execute(uri: "/api/v1/settings", method: .patch,
                                                       headers: [.cookie: session.cookie, .contentType: "application/json", HTTPField.Name("X-CSRF-Token")!: token],
                                                       body: ByteBuffer(string: #"{"name":"青禾茶饮 2"}"#))
            #expect(allowed.status == .ok)
        }
    }

    @Test("before anyone chooses, the sign-in page speaks the browser's language; a choice wins over it")
    func acceptLanguage() async throws {
        try await WebHarness.run(.sqlite) { app in
            let english = try await app.client.execute(uri: "/login", method: .get, headers: [.acceptLanguage: "en-US,en;q=0.9,zh-CN;q=0.8"])
            #expect(english.text.contains("<html lang=\"en\""))
            #expect(english.text.contains("Sign in with your workspace e-mail and password."))
            let chinese = try await app.client.execute(uri: "/login", method: .get, headers: [.acceptLanguage: "zh-CN,zh;q=0.9"])
            #expect(chinese.text.contains("<html lang=\"zh-CN\""))
            let chosen = try await app.client.execute(uri: "/login", method: .get, headers: [.acceptLanguage: "en-US", .cookie: "mediaops_lang=zh-Hans"])
            #expect(chosen.text.contains("<html lang=\"zh-CN\""))
        }
    }
}
