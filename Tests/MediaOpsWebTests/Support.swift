import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MediaOpsApp
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import MediaOpsWeb
import NIOCore
import Testing

/// A running app on a fresh database, driven through its router.
struct WebHarness: Sendable {
    let database: Database
    let team: TeamService
    let routeTable: RouteTable
    let client: any TestClientProtocol

    /// The owner created by `setUp`, and a bearer token for them.
    var owner: Member!
    var ownerToken: String!

    var ownerPrincipal: Principal {
        Principal(memberID: owner.id, name: owner.name, roleKeys: owner.roleKeys, permissions: Set(Permission.allCases))
    }

    static func configuration(_ db: TestDatabase) -> Configuration {
        // A data folder of its own (uploaded assets land there), removed after the run.
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("mediaops-web-\(UUID().uuidString.lowercased())").path
        var configuration = Configuration(database: db == .sqlite ? .sqliteMemory : .postgres(url: TestDatabase.postgresURL ?? ""), dataDirectory: dataDirectory)
        configuration.bcryptCost = 4
        configuration.secretKey = "web tests"
        configuration.logLevel = .warning
        return configuration
    }

    /// Runs `body` with an app on a fresh database; with `setUp`, the workspace
    /// and its owner exist already.
    static func run(_ db: TestDatabase, setUp: Bool = true, configure: @Sendable (inout Configuration) -> Void = { _ in },
                    _ body: @escaping @Sendable (WebHarness) async throws -> Void) async throws {
        var configuration = configuration(db)
        configure(&configuration)
        defer { try? FileManager.default.removeItem(atPath: configuration.dataDirectory) }
        try await db.with { [configuration] database in
            let components = try await buildComponents(configuration: configuration, database: database, logger: TestDatabase.logger)
            // The application exactly as `serve` builds it (minus the worker, which tests drive themselves).
            let app = buildApplication(components, logger: TestDatabase.logger)
            let team = components.team
            let table = components.routeTable
            try await app.test(.router) { client in
                var harness = WebHarness(database: database, team: team, routeTable: table, client: client)
                if setUp {
                    harness.owner = try await team.setUp(.init(workspaceName: "青禾茶饮", timeZone: "Asia/Shanghai", locale: "zh-Hans",
                                                               ownerName: "林晓", ownerEmail: "owner@example.com", password: "owner-password"))
                    harness.ownerToken = try await ApiTokenRepository(database.sql).create(userID: harness.owner.id, name: "tests").token
                }
                try await body(harness)
            }
        }
    }

    /// A member holding `roles`, with a fresh API token.
    func member(_ roles: [String], email: String? = nil, name: String = "成员") async throws -> (Member, String) {
        let member = try await team.createMember(.init(email: email ?? "\(roles.joined(separator: "-"))-\(UUID().uuidString.prefix(6))@example.com",
                                                      name: name, roles: roles, password: "member-password"), by: ownerPrincipal)
        return (member, try await token(for: member))
    }

    func token(for member: Member) async throws -> String {
        try await ApiTokenRepository(database.sql).create(userID: member.id, name: "tests").token
    }

    // MARK: Requests

    @discardableResult
    func api(_ method: HTTPRequest.Method, _ uri: String, token: String?, json: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        // Every answer is held to the operation's documented statuses and schema.
        for violation in OpenAPIContract.bundled.violations(method: method.rawValue, path: uri, status: Int(response.status.code),
                                                            contentType: response.headers[.contentType], body: Data(response.body.readableBytesView)) {
            Issue.record("OpenAPI contract: \(violation)")
        }
        return response
    }

    /// Signs in through the login form and returns the session cookie header value.
    func signIn(email: String, password: String) async throws -> BrowserSession {
        let page = try await client.execute(uri: "/login", method: .get)
        let csrfCookie = try #require(page.cookie(named: "mediaops_csrf"))
        let csrf = try #require(page.formToken)
        let response = try await client.execute(
            uri: "/login", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "mediaops_csrf=\(csrfCookie)"],
            body: ByteBuffer(string: "_csrf=\(csrf)&email=\(email.formEncoded)&password=\(password.formEncoded)&next=%2F"))
        #expect(response.status == .seeOther)
        let session = try #require(response.cookie(named: "mediaops_session"))
        return BrowserSession(cookie: "mediaops_session=\(session)", harness: self)
    }
}

/// A signed-in browser: sends the session cookie and the page's CSRF token.
struct BrowserSession: Sendable {
    let cookie: String
    let harness: WebHarness

    func get(_ uri: String) async throws -> TestResponse {
        try await harness.client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
    }

    /// Follows a redirect the way a browser would, carrying its one-time notice.
    func follow(_ response: TestResponse) async throws -> TestResponse {
        let location = try #require(response.location)
        var cookies = cookie
        if let flash = response.cookie(named: "mediaops_flash") { cookies += "; mediaops_flash=\(flash)" }
        return try await harness.client.execute(uri: location, method: .get, headers: [.cookie: cookies])
    }

    /// Posts a form, taking the CSRF token from the page at `from` first.
    func post(_ uri: String, form: [(String, String)], from page: String? = nil, csrf: Bool = true) async throws -> TestResponse {
        var fields = form
        if csrf {
            let token = try #require(try await get(page ?? "/me").formToken)
            fields.insert(("_csrf", token), at: 0)
        }
        let body = fields.map { "\($0.0.formEncoded)=\($0.1.formEncoded)" }.joined(separator: "&")
        return try await harness.client.execute(uri: uri, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                                body: ByteBuffer(string: body))
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var errorField: String? { (json["error"] as? [String: Any])?["field"] as? String }
    var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }

    var location: String? { headers[.location] }

    func cookie(named name: String) -> String? {
        for value in headers[values: .setCookie] where value.hasPrefix("\(name)=") {
            return String(value.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }

    func setCookieHeader(named name: String) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix("\(name)=") }
    }

    /// The first CSRF token in a rendered form.
    var formToken: String? {
        guard let range = text.range(of: "name=\"_csrf\" value=\"") else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "\"" })
    }
}

extension String {
    var formEncoded: String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return addingPercentEncoding(withAllowedCharacters: allowed) ?? self
    }
}
