import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import MediaOpsWeb
import Testing

/// Every role against every route: a role without the route's permission gets
/// 403 "forbidden"; a role with it never does. Routes are read from the router's
/// own table, so a new route cannot escape the check.
@Suite("Role × route permission matrix")
struct PermissionMatrixTests {
    @Test("each built-in role reaches exactly the routes its permissions allow", arguments: TestDatabase.available)
    func matrix(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let (target, _) = try await app.member(["content"], email: "target@example.com", name: "目标成员")
            let account = try await app.team.createAccount(.init(platform: "weibo", name: "微博", handle: "matrix", groups: ["矩阵"]), by: app.ownerPrincipal)
            let group = try #require(account.groupIDs.first)
            _ = try await app.team.createRole(.init(key: "matrix_role", name: "矩阵", description: nil, permissions: ["members.view"]), by: app.ownerPrincipal)
            let records = app.routeTable.records
            #expect(records.count > 60)

            var checked = 0
            for role in BuiltinRole.allCases {
                let (member, _) = try await app.member([role.rawValue])
                let permissions = role.permissions
                for record in records {
                    let token = try await app.token(for: member)
                    let tokenRecord = try await ApiTokenRepository(app.database.sql).create(userID: member.id, name: "victim")
                    let path = record.path
                        .replacingOccurrences(of: "/api/v1/members/{id}", with: "/api/v1/members/\(target.id)")
                        .replacingOccurrences(of: "/team/members/{id}", with: "/team/members/\(target.id)")
                        .replacingOccurrences(of: "/api/v1/accounts/{id}", with: "/api/v1/accounts/\(account.id)")
                        .replacingOccurrences(of: "/accounts/groups/{id}", with: "/accounts/groups/\(group)")
                        .replacingOccurrences(of: "/accounts/{id}", with: "/accounts/\(account.id)")
                        .replacingOccurrences(of: "/api/v1/account-groups/{id}", with: "/api/v1/account-groups/\(group)")
                        .replacingOccurrences(of: "{key}", with: "matrix_role")
                        .replacingOccurrences(of: "/me/tokens/{id}", with: "/me/tokens/\(tokenRecord.record.id)")
                        .replacingOccurrences(of: "{name}", with: "app.css")
                    #expect(!path.contains("{"), "unsubstituted parameter in \(path)")
                    let body: String? = record.method == .get || record.method == .delete ? nil : "{}"
                    let response = try await app.api(record.method, path, token: token, json: body, headers: [.accept: "application/json"])
                    let deniedForPermission = response.status == .forbidden && response.errorCode == "forbidden"
                    switch record.access {
                    case .anyone, .signedIn:
                        #expect(!deniedForPermission, "\(role) \(record.method) \(path) → \(response.status)")
                    case .permission(let permission):
                        #expect(deniedForPermission == !permissions.contains(permission),
                                "\(role) \(record.method) \(path) needs \(permission.rawValue) → \(response.status) \(response.errorCode ?? "")")
                    }
                    #expect(response.status.code < 500, "\(role) \(record.method) \(path) → \(response.status)")
                    checked += 1
                }
            }
            #expect(checked == records.count * BuiltinRole.allCases.count)
        }
    }

    @Test("without a sign-in, API routes answer 401 and pages send to the sign-in page")
    func anonymous() async throws {
        try await WebHarness.run(.sqlite) { app in
            for record in app.routeTable.records where record.access != .anyone {
                let path = record.path.replacingOccurrences(of: "{id}", with: "x_1").replacingOccurrences(of: "{key}", with: "k")
                let response = try await app.api(record.method, path, token: nil)
                if path.hasPrefix("/api/") {
                    #expect(response.status == .unauthorized, "\(record.method) \(path)")
                    #expect(response.errorCode == "unauthorized")
                } else {
                    #expect(response.status == .found, "\(record.method) \(path)")
                    #expect(response.location?.hasPrefix("/login") == true)
                }
            }
        }
    }

    @Test("a viewer can read but every change is refused with 403")
    func viewer() async throws {
        try await WebHarness.run(.sqlite) { app in
            let (_, token) = try await app.member(["viewer"])
            #expect(try await app.api(.get, "/api/v1/accounts", token: token).status == .ok)
            #expect(try await app.api(.get, "/api/v1/members", token: token).status == .ok)
            for (method, uri, body) in [
                (HTTPRequest.Method.post, "/api/v1/accounts", #"{"platform":"weibo","name":"x","handle":"y"}"#),
                (.post, "/api/v1/members", #"{"email":"v@example.com","name":"v","roles":["viewer"],"password":"password123"}"#),
                (.post, "/api/v1/account-groups", #"{"name":"x"}"#),
                (.post, "/api/v1/roles", #"{"key":"abc","name":"x","permissions":["members.view"]}"#),
                (.patch, "/api/v1/settings", #"{"name":"x"}"#),
            ] {
                let response = try await app.api(method, uri, token: token, json: body)
                #expect(response.status == .forbidden, "\(method) \(uri)")
                #expect(response.errorCode == "forbidden")
            }
            #expect(try await AccountRepository(app.database.sql).list(filter: AccountFilter(), page: PageRequest()).total == 0)
        }
    }
}
