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
            let fixtures = try await MatrixFixtures.make(app)
            let records = app.routeTable.records
            #expect(records.count > 60)

            var checked = 0
            for role in BuiltinRole.allCases {
                let (member, _) = try await app.member([role.rawValue])
                let permissions = role.permissions
                for record in records {
                    let token = try await app.token(for: member)
                    let tokenRecord = try await ApiTokenRepository(app.database.sql).create(userID: member.id, name: "victim")
                    let path = fixtures.substitute(record.path, tokenID: tokenRecord.record.id)
                    #expect(!path.contains("{"), "unsubstituted parameter in \(path)")
                    let body: String? = record.method == .get || record.method == .delete ? nil : "{}"
                    let response = try await app.api(record.method, path, token: token, json: body, headers: [.accept: "application/json"])
                    let deniedForPermission = response.status == .forbidden && response.errorCode == "forbidden"
                    switch record.access {
                    case .anyone, .signedIn:
                        #expect(!deniedForPermission, "\(role) \(record.method) \(path) → \(response.status)")
                    case .permission, .anyOf:
                        #expect(deniedForPermission == !record.access.admits(permissions),
                                "\(role) \(record.method) \(path) needs \(record.access) → \(response.status) \(response.errorCode ?? "")")
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
                    .replacingOccurrences(of: "{layout}", with: "k").replacingOccurrences(of: "{format}", with: "csv")
                    .replacingOccurrences(of: "{day}", with: "2026-01-01").replacingOccurrences(of: "{role}", with: "channel")
                    .replacingOccurrences(of: "{item}", with: "x_1").replacingOccurrences(of: "{asset}", with: "x_1")
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

/// One real thing of every kind a route can name, so every route in the table
/// can be called with ids that exist.
struct MatrixFixtures {
    var values: [(prefix: String, id: String)]

    static func make(_ app: WebHarness) async throws -> MatrixFixtures {
        let owner = app.ownerPrincipal
        let (target, _) = try await app.member(["content"], email: "target@example.com", name: "目标成员")
        let account = try await app.team.createAccount(.init(platform: "weibo", name: "微博", handle: "matrix", groups: ["矩阵"]), by: owner)
        _ = try await app.team.createRole(.init(key: "matrix_role", name: "矩阵", description: nil, permissions: ["members.view"]), by: owner)
        let content = try await ContentService(database: app.database).create(.init(title: "矩阵内容", body: "<p>正文</p>"), by: owner)
        _ = try await ContentService(database: app.database).addVariant(contentID: content.id, platform: .weibo, expectedVersion: nil, by: owner)
        let topic = try await TopicService(database: app.database).propose(.init(title: "矩阵选题"), by: owner)
        let word = try await WordListRepository(app.database.sql).add(category: .competitor, term: "某竞品", severity: .warn)
        let asset = try await app.uploadAsset(AssetFixtures.png(seed: 200), name: "矩阵.png")
        // An approved item scheduled on the account, so publishing routes have a target to name.
        let scheduled = try await ContentService(database: app.database).create(.init(title: "矩阵发布", body: "<p>正文</p>"), by: owner)
        _ = try await ContentService(database: app.database).review(id: scheduled.id, action: .submit, comment: nil, expectedVersion: nil, by: owner)
        _ = try await ContentService(database: app.database).review(id: scheduled.id, action: .approve, comment: nil, expectedVersion: nil, by: owner)
        let publishTarget = try await PublishingService(database: app.database)
            .schedule(contentID: scheduled.id, accountIDs: [account.id], at: Date().addingTimeInterval(86_400), by: owner)[0]
        // A loopback webhook: the default outbound policy refuses it, so test sends never leave the machine.
        let channel = try await NotificationChannelService(database: app.database, secrets: app.team.secrets)
            .create(.init(name: "矩阵通知", kind: "webhook", url: "http://127.0.0.1:9/matrix", events: ["target.failed"]), by: owner)
        // A goal with a saved plan, so the planning routes name real ones.
        let goals = GoalService(database: app.database, team: app.team, analytics: AnalyticsService(database: app.database))
        let goal = try await goals.create(Goal(id: "", name: "矩阵目标", metric: .followers, target: 50_000, start: LocalDate(year: 2099, month: 1, day: 1),
                                               deadline: LocalDate(year: 2099, month: 6, day: 30), accountIDs: [account.id],
                                               stages: [GoalStage(name: "一期", months: 6, target: 50_000)]), by: owner)
        let plan = try await PlanService(database: app.database, goals: goals, team: app.team).save(goalID: goal.id, name: "矩阵规划", by: owner)
        // A task made by the owner: a teammate's rights on it are per task (403 with its own code, not the route's "forbidden").
        let task = try await app.api(.post, "/api/v1/tasks", token: app.ownerToken, json: #"{"title":"矩阵任务","checklist":["一步"]}"#)
        let taskID = task.json["id"] as? String ?? "x_unknown"
        let rule = try await app.api(.post, "/api/v1/task-recurrences", token: app.ownerToken,
                                     json: #"{"title":"矩阵周报","frequency":"weekly","weekdays":[1],"time":"09:00"}"#)
        // A knowledge entry and a training record of the target member.
        let entry = try await KnowledgeService.standard(database: app.database, content: ContentService(database: app.database))
            .create(KnowledgeEntry(id: "", kind: .template, title: "矩阵模板", body: "正文"), by: owner)
        let training = try await TrainingService(database: app.database).create(
            TrainingRecord(id: "", memberID: target.id, course: "矩阵课程", day: LocalDate(year: 2026, month: 1, day: 5), hours: 1, result: .attended), by: owner)
        return MatrixFixtures(values: [
            ("/api/v1/goals/", goal.id), ("/team/goals/", goal.id), ("/api/v1/plans/", plan.id), ("/team/plans/", plan.id),
            ("/api/v1/tasks/", taskID), ("/tasks/recurring/", rule.json["id"] as? String ?? "x_unknown"), ("/tasks/", taskID),
            ("/api/v1/task-recurrences/", rule.json["id"] as? String ?? "x_unknown"),
            ("/api/v1/knowledge/", entry.id), ("/knowledge/", entry.id),
            ("/api/v1/training/records/", training.id), ("/team/training/records/", training.id),
            ("/api/v1/training/members/", target.id), ("/team/training/members/", target.id),
            ("/api/v1/members/", target.id), ("/team/members/", target.id),
            ("/api/v1/accounts/", account.id), ("/accounts/groups/", account.groupIDs[0]), ("/accounts/", account.id),
            ("/api/v1/account-groups/", account.groupIDs[0]),
            ("/api/v1/content/", content.id), ("/content/", content.id),
            ("/api/v1/topics/", topic.id), ("/topics/", topic.id),
            ("/api/v1/compliance/word-lists/", word.id), ("/compliance/words/", word.id),
            ("/api/v1/assets/", asset), ("/assets/", asset),
            ("/api/v1/targets/", publishTarget.id), ("/publishing/targets/", publishTarget.id),
            ("/api/v1/notification-channels/", channel.id), ("/settings/notifications/", channel.id),
        ])
    }

    func substitute(_ path: String, tokenID: String) -> String {
        var result = path
        if result.contains("/me/tokens/{id}") { result = result.replacingOccurrences(of: "{id}", with: tokenID) }
        for (prefix, id) in values where result.hasPrefix(prefix + "{id}") || result.hasPrefix(prefix + "{file}") {
            result = result.replacingOccurrences(of: prefix + "{id}", with: prefix + id)
            break
        }
        return result
            .replacingOccurrences(of: "{account}", with: "x_unknown")
            .replacingOccurrences(of: "{key}", with: "matrix_role")
            .replacingOccurrences(of: "{platform}", with: "weibo")
            .replacingOccurrences(of: "{layout}", with: "channels_videos")
            .replacingOccurrences(of: "{name}", with: "app.css")
            .replacingOccurrences(of: "{file}", with: "nothing.ics")
            .replacingOccurrences(of: "{position}", with: "1")
            .replacingOccurrences(of: "{format}", with: "csv")
            .replacingOccurrences(of: "{day}", with: "2026-01-01")
            .replacingOccurrences(of: "{role}", with: "channel")
            .replacingOccurrences(of: "{item}", with: "x_unknown")
            .replacingOccurrences(of: "{asset}", with: "x_unknown")
            .replacingOccurrences(of: "{kind}", with: "content")
            .replacingOccurrences(of: "{target_id}", with: "x_unknown")
            .replacingOccurrences(of: "{id}", with: "x_unknown")
    }
}
