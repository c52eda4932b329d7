import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

@Suite("Alert store")
struct AlertServiceTests {
    struct Fixture {
        var database: Database
        var owner: Principal
        var ownerID: String
        var account: Account
        var alerts: AlertService
        var metrics: MetricService
    }

    static func fixture(_ database: Database) async throws -> Fixture {
        let team = StoreFixtures.service(database)
        let (member, owner) = try await StoreFixtures.setUp(team)
        let account = try await team.createAccount(.init(platform: "weibo", name: "青禾茶饮官方微博", handle: "qinghetea"), by: owner)
        return Fixture(database: database, owner: owner, ownerID: member.id, account: account, alerts: AlertService(database: database),
                       metrics: MetricService(database: database))
    }

    static let start = LocalDate(year: 2026, month: 11, day: 1)
    static let pulled = MetricProvenance(source: .apiPull, capturedAt: Date(timeIntervalSince1970: 1_796_086_800))

    static func followersRule(_ f: Fixture) async throws -> AlertRule {
        try #require(try await f.alerts.rules().first { $0.preset == .followersDrop })
    }

    static func net(_ f: Fixture, _ offset: Int, _ value: Double) async throws {
        _ = try await f.metrics.recordDaily(accountID: f.account.id, day: start.adding(days: offset), values: [.followersNet: value], provenance: pulled)
    }

    @Test("a new workspace has the two preset rules, once: installing again adds nothing", arguments: TestDatabase.available)
    func presetsOnce(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let rules = try await f.alerts.rules()
            #expect(rules.compactMap(\.preset).sorted { $0.rawValue < $1.rawValue } == [.followersDrop, .funnelDropOff])
            #expect(rules.allSatisfy { $0.enabled && $0.name.isEmpty })
            let followers = try #require(rules.first { $0.preset == .followersDrop })
            #expect(followers.kind == .threshold && followers.metric == .stored(.followersNet) && followers.bound == -500 && followers.scope == .allAccounts)
            let added = try await AlertRuleRepository(database.sql).installPresets(createdBy: nil, now: Date())
            #expect(added.isEmpty)
            #expect(try await f.alerts.rules().count == 2)
            // They come with the workspace, like the built-in roles: not in the audit log a new home page shows.
            let log = try await StoreFixtures.service(database).auditLog(AuditFilter(entityType: AuditEntity.alertRule.rawValue), page: PageRequest())
            #expect(log.total == 0)
        }
    }

    @Test("a rule is refused with every broken field at once, the scope checked against the accounts", arguments: TestDatabase.available)
    func validationByField(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let draft = AlertRule(id: "", name: "  ", kind: .threshold, metric: nil, scope: .account(Identifier.make("acc")), bound: nil, cooldownHours: 1_000)
            let error = await #expect(throws: ValidationErrors.self) { try await f.alerts.createRule(draft, by: f.owner) }
            #expect(error?.errors.map(\.field) == ["name", "scope", "metric", "bound", "cooldown_hours"])
            #expect(error?.errors.first { $0.field == "scope" }?.code == "unknown_account")
            let group = AlertRule(id: "", name: "分组", kind: .threshold, metric: .stored(.reads), scope: .group(Identifier.make("grp")), bound: 10)
            let groupError = await #expect(throws: ValidationErrors.self) { try await f.alerts.createRule(group, by: f.owner) }
            #expect(groupError?.errors.map(\.code) == ["unknown_group"])
            #expect(try await f.alerts.rules().count == 2)

            let valid = AlertRule(id: "", name: "阅读量过低", kind: .threshold, metric: .stored(.reads), scope: .account(f.account.id), bound: 100)
            let created = try await f.alerts.createRule(valid, by: f.owner)
            #expect(try await f.alerts.rule(id: created.id) == created)
            var broken = created
            broken.window = 0
            broken.kind = .relativeToBaseline
            let updateError = await #expect(throws: ValidationErrors.self) { try await f.alerts.updateRule(broken, by: f.owner) }
            #expect(updateError?.errors.map(\.field) == ["window"])
            #expect(try await f.alerts.disable(id: created.id, by: f.owner).enabled == false)
            #expect(try await f.alerts.rule(id: created.id)?.enabled == false)
            try await f.alerts.deleteRule(id: created.id, by: f.owner)
            #expect(try await f.alerts.rule(id: created.id) == nil)
        }
    }

    @Test("followers falling by 501 in a day fire the preset, by 499 not; the owner is notified in the app", arguments: TestDatabase.available)
    func thresholdFires(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            try await Self.net(f, 0, -499)
            #expect(try await f.alerts.evaluate(accountIDs: [f.account.id], through: Self.start).isEmpty)
            try await Self.net(f, 1, -501)
            let raised = try await f.alerts.evaluate(accountIDs: [f.account.id], through: Self.start.adding(days: 1))
            #expect(raised.count == 1)
            let alert = try #require(raised.first)
            #expect(alert.occasion == .day(Self.start.adding(days: 1)) && alert.state == .open && alert.accountID == f.account.id)
            #expect(alert.evidence.observed == -501 && alert.evidence.bound == -500)
            #expect(try await f.alerts.find(id: alert.id) == alert)
            // Evaluating the same day again (another pull, an import) raises nothing new.
            #expect(try await f.alerts.evaluate(accountIDs: [f.account.id], through: Self.start.adding(days: 1)).isEmpty)
            #expect(try await f.alerts.list(state: .open, page: PageRequest()).items.map(\.id) == [alert.id])

            let inbox = try await NotificationRepository(database.sql).list(userID: f.ownerID)
            let notice = try #require(inbox.first { $0.kind == AlertService.notificationKind })
            #expect(notice.link == AlertService.link(alertID: alert.id, accountID: f.account.id) && notice.title == f.account.name && notice.detail == AlertPreset.followersDrop.rawValue)
        }
    }

    @Test("the cool-down holds back a firing the next day; once the alert is resolved the next firing raises a new one", arguments: TestDatabase.available)
    func cooldown(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            var rule = try await Self.followersRule(f)
            rule.cooldownHours = 72
            _ = try await f.alerts.updateRule(rule, by: f.owner)
            for (offset, value) in [(0, -600.0), (1, -700.0), (2, -800.0)] { try await Self.net(f, offset, value) }
            let first = try await f.alerts.evaluate(accountIDs: [f.account.id], through: Self.start)
            #expect(first.count == 1)
            #expect(try await f.alerts.evaluate(accountIDs: [f.account.id], through: Self.start.adding(days: 1)).isEmpty)
            _ = try await f.alerts.resolve(id: try #require(first.first).id, by: f.owner)
            let again = try await f.alerts.evaluate(accountIDs: [f.account.id], through: Self.start.adding(days: 2))
            #expect(again.map(\.occasion) == [.day(Self.start.adding(days: 2))])
            #expect(try await f.alerts.list(state: nil, page: PageRequest()).items.map(\.id) == again.map(\.id) + first.map(\.id))
        }
    }

    @Test("acknowledge then resolve, each with a history row; an action the state does not allow is a conflict", arguments: TestDatabase.available)
    func transitions(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            try await Self.net(f, 0, -900)
            let alert = try #require(try await f.alerts.evaluate(accountIDs: [f.account.id], through: Self.start).first)
            let acknowledged = try await f.alerts.acknowledge(id: alert.id, by: f.owner)
            #expect(acknowledged.state == .acknowledged && acknowledged.acknowledgedBy == f.ownerID && acknowledged.acknowledgedAt != nil)
            let resolved = try await f.alerts.resolve(id: alert.id, by: f.owner)
            #expect(resolved.state == .resolved && resolved.resolvedBy == f.ownerID)
            let conflict = await #expect(throws: ConflictError.self) { try await f.alerts.acknowledge(id: alert.id, by: f.owner) }
            #expect(conflict?.code == "invalid_transition")
            let history = try await f.alerts.history(alertID: alert.id)
            #expect(history.map(\.from) == [nil, .open, .acknowledged] && history.map(\.to) == [.open, .acknowledged, .resolved])
            #expect(history.map(\.memberID) == [nil, f.ownerID, f.ownerID])
            #expect(try await f.alerts.list(state: .open, page: PageRequest()).total == 0)
            // Resolving settles the alert's in-app notifications.
            #expect(try await NotificationRepository(database.sql).list(userID: f.ownerID, unreadOnly: true).allSatisfy { $0.kind != AlertService.notificationKind })
            await #expect(throws: NotFoundError.self) { try await f.alerts.resolve(id: "alt_missing", by: f.owner) }
        }
    }

    @Test("a preview runs the rule over 90 days of each covered account without writing anything", arguments: TestDatabase.available)
    func preview(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let falls: Set<Int> = [10, 11, 50, 95]
            let rows = (0..<100).map { offset in
                MetricRepository.DailyRow(accountID: f.account.id, day: Self.start.adding(days: offset), key: .followersNet, value: falls.contains(offset) ? -650 : 12)
            }
            try await database.transaction { db in try await MetricRepository(db).insertGenerated(daily: rows, provenance: Self.pulled) }
            let rule = try await Self.followersRule(f)
            // Days 10–99: day 95 and days 10, 11 (24 hours apart, so the 24-hour cool-down lets both through) and 50.
            let result = try await f.alerts.preview(rule: rule, through: Self.start.adding(days: 99))
            let preview = try #require(result[f.account.id])
            #expect(preview.count == 4 && preview.judged == 90)
            var strict = rule
            strict.cooldownHours = 48
            #expect(try await f.alerts.preview(rule: strict, through: Self.start.adding(days: 99))[f.account.id]?.count == 3)
            #expect(try await f.alerts.list(state: nil, page: PageRequest()).total == 0)
            #expect(try await NotificationRepository(database.sql).list(userID: f.ownerID).allSatisfy { $0.kind != AlertService.notificationKind })
        }
    }

    @Test("a pull that brings a fall evaluates the account's latest day", arguments: TestDatabase.available)
    func pullEvaluates(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            var result = MetricPullResult()
            result.payloads = [RawPayload(endpoint: "users/counts", body: "{}")]
            result.daily = [DailyValues(day: Self.start, values: [.followersNet: -520], payload: 0),
                            DailyValues(day: Self.start.adding(days: 1), values: [.followersNet: -610], payload: 0)]
            try await MetricPullService(database: database).record(accountID: f.account.id, result: result)
            let open = try await f.alerts.list(state: .open, page: PageRequest()).items
            #expect(open.map(\.occasion) == [.day(Self.start.adding(days: 1))])
        }
    }

    @Test("a post whose 24-hour reads fall below the 25th percentile of the account's earlier posts fires; an ordinary one does not",
          arguments: TestDatabase.available)
    func postRule(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let rule = try await f.alerts.createRule(AlertRule(id: "", name: "帖子表现不佳", kind: .postUnderperforming, metric: .stored(.reads),
                                                               scope: .account(f.account.id)), by: f.owner)
            let first = Date(timeIntervalSince1970: 1_793_500_000)
            func post(_ index: Int, reads: Double) async throws -> AnalyticsPost {
                let published = first.addingTimeInterval(Double(index) * 86_400)
                let reference = MetricService.PostReference(accountID: f.account.id, platformPostID: "wb\(index)", title: "第\(index)条", publishedAt: published)
                let captured = MetricProvenance(source: .apiPull, capturedAt: published.addingTimeInterval(24 * 3_600))
                return try await f.metrics.recordSnapshot(reference, values: [.reads: reads], provenance: captured).post
            }
            for index in 0..<12 { _ = try await post(index, reads: Double(1_000 + index * 10)) }
            let weak = try await post(12, reads: 300)
            let raised = try await f.alerts.evaluate(postID: weak.id)
            #expect(raised.map(\.ruleID) == [rule.id])
            #expect(raised.first?.evidence.observed == 300 && raised.first?.evidence.historyCount == 12)
            #expect(try await f.alerts.evaluate(postID: weak.id).isEmpty)
            let ordinary = try await post(13, reads: 1_080)
            #expect(try await f.alerts.evaluate(postID: ordinary.id).isEmpty)
        }
    }

    @Test("a stored alert or rule with an unknown state or kind is unreadable, never a default", arguments: TestDatabase.available)
    func unknownStoredValues(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            try await Self.net(f, 0, -900)
            let alert = try #require(try await f.alerts.evaluate(accountIDs: [f.account.id], through: Self.start).first)
            try await database.sql.raw("UPDATE alerts SET state = 'snoozed' WHERE id = \(bind: alert.id)").run()
            await #expect(throws: UnreadableStoredValue.self) { try await f.alerts.find(id: alert.id) }
            await #expect(throws: UnreadableStoredValue.self) { try await f.alerts.list(state: nil, page: PageRequest()) }
            let rule = try await Self.followersRule(f)
            try await database.sql.raw("UPDATE alert_rules SET kind = 'sideways' WHERE id = \(bind: rule.id)").run()
            await #expect(throws: UnreadableStoredValue.self) { try await f.alerts.rule(id: rule.id) }
        }
    }
}
