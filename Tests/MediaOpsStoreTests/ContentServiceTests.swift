import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

@Suite("Content service")
struct ContentServiceTests {
    struct Fixture {
        let team: TeamService
        let content: ContentService
        let owner: Principal
        let manager: Principal
        let reviewer: Principal
        let writer: Principal
        let groupID: String
    }

    static func fixture(_ database: Database) async throws -> Fixture {
        let team = StoreFixtures.service(database)
        let (_, owner) = try await StoreFixtures.setUp(team)
        func principal(_ role: BuiltinRole, _ email: String) async throws -> Principal {
            let member = try await team.createMember(.init(email: email, name: role.rawValue, roles: [role.rawValue], password: "password123"), by: owner)
            return Principal(memberID: member.id, name: member.name, roleKeys: member.roleKeys, permissions: role.permissions)
        }
        let group = try await team.createGroup(name: "主品牌", description: "", by: owner)
        let content = ContentService(database: database)
        try await content.saveFlow(groupID: group.id, stages: [
            ReviewStage(name: "内容主管", roleKeys: ["manager"], memberIDs: []),
            ReviewStage(name: "合规", roleKeys: ["reviewer"], memberIDs: []),
        ], by: owner)
        return Fixture(team: team, content: content, owner: owner, manager: try await principal(.manager, "m@example.com"),
                       reviewer: try await principal(.reviewer, "r@example.com"), writer: try await principal(.content, "w@example.com"), groupID: group.id)
    }

    @Test("a stale version is refused and nothing is overwritten", arguments: TestDatabase.available)
    func staleVersion(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let item = try await f.content.create(.init(title: "初稿", body: "<p>正文</p>"), by: f.writer)
            let saved = try await f.content.update(id: item.id, .init(title: "同事的修改"), expectedVersion: 1, by: f.manager)
            #expect(saved.version == 2)
            await #expect(throws: ConflictError(code: "stale_version", field: "version", params: ["current": "2", "given": "1"])) {
                _ = try await f.content.update(id: item.id, .init(title: "我的修改"), expectedVersion: 1, by: f.writer)
            }
            #expect(try await ContentRepository(database.sql).find(id: item.id)?.title == "同事的修改")
            #expect(try await ContentRepository(database.sql).versions(contentID: item.id).map(\.version) == [2, 1])
        }
    }

    @Test("bodies are sanitised before they are stored", arguments: TestDatabase.available)
    func sanitised(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let item = try await f.content.create(.init(title: "标题", body: "<p onclick=\"x()\">好<script>alert(1)</script></p>"), by: f.writer)
            #expect(item.body == "<p>好</p>")
            let stored = try await database.sql.raw("SELECT body FROM content_items WHERE id = \(bind: item.id)").first()?.decode(column: "body", as: String.self)
            #expect(stored == "<p>好</p>")
        }
    }

    @Test("two review stages, each only for its own reviewers; editing after approval reopens review", arguments: TestDatabase.available)
    func twoStages(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let item = try await f.content.create(.init(title: "冬季新品上市", body: "<p>桂花乌龙拿铁回归。</p>", groupID: .some(f.groupID)), by: f.writer)
            _ = try await f.content.addVariant(contentID: item.id, platform: .wechatOA, expectedVersion: nil, by: f.writer)
            _ = try await f.content.addVariant(contentID: item.id, platform: .weibo, expectedVersion: nil, by: f.writer)
            await #expect(throws: ConflictError.self) { _ = try await f.content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: f.manager) }
            var current = try await f.content.review(id: item.id, action: .submit, comment: nil, expectedVersion: nil, by: f.writer)
            #expect(current.state == .inReview && current.reviewStage == 0)
            // The queue shows it to the first stage's reviewers only.
            #expect(try await f.content.reviewQueue(for: f.manager).map(\.item.id) == [item.id])
            #expect(try await f.content.reviewQueue(for: f.reviewer).isEmpty)
            #expect(try await f.content.reviewQueue(for: f.writer).isEmpty)
            await #expect(throws: PermissionError(code: "not_in_review_stage", params: ["stage": "内容主管"])) {
                _ = try await f.content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: f.reviewer)
            }
            await #expect(throws: PermissionError(code: "not_a_reviewer")) {
                _ = try await f.content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: f.writer)
            }
            current = try await f.content.review(id: item.id, action: .approve, comment: "可以", expectedVersion: nil, by: f.manager)
            #expect(current.state == .inReview && current.reviewStage == 1)
            #expect(try await f.content.reviewQueue(for: f.reviewer).map(\.stage.name) == ["合规"])
            #expect(try await f.content.reviewQueue(for: f.manager).isEmpty)
            current = try await f.content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: f.reviewer)
            #expect(current.state == .approved)
            // The reviewers of stage 1 were told it waits for them; the author that it passed.
            let writerNotes = try await NotificationRepository(database.sql).list(userID: f.writer.memberID!)
            #expect(writerNotes.contains { $0.kind == "approved" })
            let reviewerNotes = try await NotificationRepository(database.sql).list(userID: f.reviewer.memberID!)
            #expect(reviewerNotes.contains { $0.kind == "review_requested" })

            let edited = try await f.content.update(id: item.id, .init(body: "<p>桂花乌龙拿铁本周回归。</p>"), expectedVersion: nil, by: f.writer)
            #expect(edited.state == .inReview)
            #expect(edited.reviewStage == 0)
            // Moving the slot alone does not reopen review.
            let reapproved = try await f.content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: f.manager)
            let final = try await f.content.review(id: reapproved.id, action: .approve, comment: nil, expectedVersion: nil, by: f.reviewer)
            let moved = try await f.content.plan(id: final.id, at: Date().addingTimeInterval(86_400), by: f.writer)
            #expect(moved.state == .approved)
        }
    }

    @Test("blocking findings stop approval until fixed or overridden with a reason", arguments: TestDatabase.available)
    func complianceGate(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let item = try await f.content.create(.init(title: "年终促销", body: "<p>我们的茶是全网最低价。</p>"), by: f.writer)
            _ = try await f.content.review(id: item.id, action: .submit, comment: nil, expectedVersion: nil, by: f.writer)
            await #expect(throws: ConflictError(code: "compliance_blocked", params: ["count": "1"])) {
                _ = try await f.content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: f.manager)
            }
            await #expect(throws: PermissionError(code: "not_allowed_to_override")) {
                try await f.content.overrideCompliance(id: item.id, reason: "活动价确为最低", by: f.manager)
            }
            await #expect(throws: ValidationError(field: "reason", code: "required")) {
                try await f.content.overrideCompliance(id: item.id, reason: "  ", by: f.owner)
            }
            try await f.content.overrideCompliance(id: item.id, reason: "价格经法务确认，且附有比价说明", by: f.owner)
            let approved = try await f.content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: f.manager)
            #expect(approved.state == .approved)
            let audit = try await AuditRepository(database.sql).list(filter: AuditFilter(entityType: "content", entityID: item.id), page: PageRequest())
            #expect(audit.items.contains { $0.changes["compliance_override"]?.last == "价格经法务确认，且附有比价说明" })
        }
    }

    @Test("a variant over its platform's limit cannot be approved", arguments: TestDatabase.available)
    func limitGate(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let item = try await f.content.create(.init(title: "长文", body: "<p>正文</p>"), by: f.writer)
            _ = try await f.content.addVariant(contentID: item.id, platform: .xiaohongshu, expectedVersion: nil, by: f.writer)
            _ = try await f.content.updateVariant(contentID: item.id, platform: .xiaohongshu, .init(title: String(repeating: "长", count: 21)),
                                                  expectedVersion: nil, by: f.writer)
            _ = try await f.content.review(id: item.id, action: .submit, comment: nil, expectedVersion: nil, by: f.writer)
            await #expect(throws: ConflictError(code: "limits_exceeded", params: ["count": "1"])) {
                _ = try await f.content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: f.manager)
            }
            await #expect(throws: ValidationError(field: "comment", code: "comment_required")) {
                _ = try await f.content.review(id: item.id, action: .requestChanges, comment: "", expectedVersion: nil, by: f.manager)
            }
            let back = try await f.content.review(id: item.id, action: .requestChanges, comment: "小红书标题超过 20 字", expectedVersion: nil, by: f.manager)
            #expect(back.state == .changesRequested)
        }
    }

    @Test("@mentions in comments notify the member named", arguments: TestDatabase.available)
    func mentions(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let item = try await f.content.create(.init(title: "标题"), by: f.writer)
            _ = try await f.content.comment(id: item.id, body: "@r 请看第二段的说法，@nobody 不存在", anchor: "master", rangeStart: 3, rangeEnd: 8, quote: "第二段",
                                            by: f.writer)
            let notes = try await NotificationRepository(database.sql).list(userID: f.reviewer.memberID!)
            #expect(notes.count == 1)
            #expect(notes.first?.kind == "mention")
            #expect(try await ReviewRepository(database.sql).comments(contentID: item.id).first?.rangeEnd == 8)
        }
    }

    @Test("an accepted topic becomes a linked draft exactly once", arguments: TestDatabase.available)
    func topics(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let topics = TopicService(database: database)
            let topic = try await topics.propose(.init(title: "冬至喝什么茶", source: "hot_topic", category: "trending", priority: "high", notes: "结合节气",
                                                       groups: [f.groupID]), by: f.writer)
            await #expect(throws: ConflictError.self) { _ = try await topics.convert(id: topic.id, by: f.writer) }
            #expect(try await topics.toggleVote(id: topic.id, by: f.manager) == (true, 1))
            #expect(try await topics.toggleVote(id: topic.id, by: f.manager) == (false, 0))
            _ = try await topics.decide(id: topic.id, status: .accepted, by: f.manager)
            let item = try await topics.convert(id: topic.id, by: f.writer)
            #expect(item.topicID == topic.id)
            #expect(item.groupID == f.groupID)
            #expect(item.category == .trending)
            #expect(try await topics.find(id: topic.id)?.status == .converted)
            await #expect(throws: ConflictError.self) { _ = try await topics.convert(id: topic.id, by: f.writer) }
        }
    }

    /// Search must answer the same on both databases, for short Chinese words too.
    @Test("Chinese full-text search finds one-, two- and long queries the same way on every database", arguments: TestDatabase.available)
    func search(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let corpus = [
                ("手机壳开箱", "<p>这款手机壳的手感不错。</p>"),
                ("酒店入住体验", "<p>酒店的服务态度很好，性价比高。</p>"),
                ("茶叶储存", "<p>茶叶要密封、避光、防潮。</p>"),
                ("冬季新品", "<p>桂花乌龙拿铁回归，欢迎品尝。</p>"),
                ("Tea Notes", "<p>Oolong and Black tea, 100% leaves.</p>"),
            ]
            var ids: [String: String] = [:]
            for (title, body) in corpus {
                ids[title] = try await f.content.create(.init(title: title, body: body), by: f.writer).id
            }
            let repository = ContentRepository(database.sql)
            func hits(_ query: String) async throws -> Set<String> {
                Set(try await repository.list(filter: ContentFilter(query: query), page: PageRequest(perPage: 50)).items.map(\.title))
            }
            #expect(try await hits("手机") == ["手机壳开箱"])          // two characters: below the trigram size
            #expect(try await hits("茶") == ["茶叶储存"])             // one character
            #expect(try await hits("性价比") == ["酒店入住体验"])      // three: from the trigram index on SQLite
            #expect(try await hits("服务态度很好") == ["酒店入住体验"])
            #expect(try await hits("oolong") == ["Tea Notes"])        // ASCII case-insensitive
            #expect(try await hits("100%") == ["Tea Notes"])          // LIKE wildcards are literal
            #expect(try await hits("咖啡").isEmpty)
            // Editing re-indexes.
            _ = try await f.content.update(id: ids["茶叶储存"]!, .init(body: "<p>咖啡豆也要密封。</p>"), expectedVersion: nil, by: f.writer)
            #expect(try await hits("咖啡") == ["茶叶储存"])
            #expect(try await hits("避光").isEmpty)
        }
    }

    @Test("a word in very many items is counted to the cap and says so; the first page is still the newest hits", arguments: TestDatabase.available)
    func searchCap(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let cap = ContentRepository.searchCountCap
            let now = Date().epochMilliseconds
            // Rows written directly (the service would take minutes for this many), then indexed as a bulk load is.
            for start in stride(from: 0, to: cap + 20, by: 200) {
                let rows: [SQLQueryString] = (start..<min(start + 200, cap + 20)).map { n in
                    let text = "新品 性价比 第\(n)篇"
                    return "(\(bind: String(format: "cnt_cap%06d", n)), \(bind: "第\(n)篇"), '<p>x</p>', '', '', 'industry', NULL, 'published', NULL, NULL, NULL, NULL, 1, 0, \(bind: false), \(bind: text), NULL, \(bind: now + Int64(n)), \(bind: now + Int64(n)))"
                }
                try await database.sql.raw("""
                    INSERT INTO content_items (id, title, body, summary, tags, category, cover_asset_id, state, owner_id, group_id, topic_id, planned_at,
                    version, review_stage, is_template, search_text, created_by, created_at, updated_at) VALUES
                    """ + rows.joined(separator: ", ")).run()
            }
            let repository = ContentRepository(database.sql)
            try await repository.rebuildSearchIndexAndTagCounts()
            _ = try await f.content.create(.init(title: "独一份", body: "<p>只有这一篇写到了乌龙拿铁。</p>"), by: f.writer)
            for query in ["新品", "性价比"] {
                let page = try await repository.list(filter: ContentFilter(query: query), page: PageRequest(page: 1, perPage: 20))
                #expect(page.totalIsCapped && page.total == cap, "\(query)")
                #expect(page.items.first?.title == "第\(cap + 19)篇")
            }
            let rare = try await repository.list(filter: ContentFilter(query: "乌龙拿铁"), page: PageRequest(page: 1, perPage: 20))
            #expect(!rare.totalIsCapped && rare.total == 1 && rare.items.map(\.title) == ["独一份"])
        }
    }

    @Test("the library's tag counts follow every save: tags changed, items entering and leaving the library", arguments: TestDatabase.available)
    func libraryTagCounts(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let repository = ContentRepository(database.sql)
            func counts() async throws -> [String: Int] {
                Dictionary(uniqueKeysWithValues: try await repository.libraryTagCounts(limit: 50).map { ($0.tag, $0.count) })
            }
            let a = try await f.content.create(.init(title: "甲", body: "<p>甲</p>", tags: ["新品", "冬季"]), by: f.owner)
            let b = try await f.content.create(.init(title: "乙", body: "<p>乙</p>", tags: ["新品"]), by: f.owner)
            #expect(try await counts().isEmpty)  // drafts are not in the library
            for id in [a.id, b.id] {
                _ = try await f.content.review(id: id, action: .submit, comment: nil, expectedVersion: nil, by: f.owner)
                _ = try await f.content.review(id: id, action: .approve, comment: nil, expectedVersion: nil, by: f.owner)
            }
            #expect(try await counts() == ["新品": 2, "冬季": 1])
            // Per-state counts answer a list filtered by state without counting rows.
            #expect(try await repository.stateCounts()[.approved] == 2)
            #expect(try await repository.list(filter: ContentFilter(states: [.approved]), page: PageRequest(page: 1, perPage: 1)).total == 2)
            // Editing an approved piece sends it back to review: it leaves the library with its tags.
            _ = try await f.content.update(id: a.id, .init(tags: ["冬季", "门店"]), expectedVersion: nil, by: f.owner)
            #expect(try await repository.find(id: a.id)?.state == .inReview)
            #expect(try await counts() == ["新品": 1])
            let states = try await repository.stateCounts()
            #expect(states[.approved] == 1 && states[.inReview] == 1)
            // Approved again, it comes back with its new tags.
            _ = try await f.content.review(id: a.id, action: .approve, comment: nil, expectedVersion: nil, by: f.owner)
            #expect(try await counts() == ["新品": 1, "冬季": 1, "门店": 1])
        }
    }

    @Test("the review queue pages through items of every flow, oldest first, each at its own stage", arguments: TestDatabase.available)
    func reviewQueuePaging(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            var submitted: [String] = []
            for (index, group) in [nil, f.groupID, nil, f.groupID, nil].enumerated() {
                let item = try await f.content.create(.init(title: "稿件\(index)", body: "<p>正文\(index)</p>", groupID: group.map { .some($0) } ?? .none), by: f.writer)
                _ = try await f.content.review(id: item.id, action: .submit, comment: nil, expectedVersion: nil, by: f.writer)
                submitted.append(item.id)
                try await Task.sleep(for: .milliseconds(5))
            }
            // The manager decides the group's first stage and the default flow's only stage: all five.
            let first = try await f.content.reviewQueue(for: f.manager, page: PageRequest(page: 1, perPage: 2))
            let second = try await f.content.reviewQueue(for: f.manager, page: PageRequest(page: 2, perPage: 2))
            let third = try await f.content.reviewQueue(for: f.manager, page: PageRequest(page: 3, perPage: 2))
            #expect(first.total == 5)
            #expect((first.items + second.items + third.items).map(\.item.id) == submitted)
            #expect(first.items.map(\.stage.name) == ["审核", "内容主管"])
            // The compliance reviewer decides the default flow's stage and the group's second stage, where nothing waits yet.
            let reviewer = try await f.content.reviewQueue(for: f.reviewer, page: PageRequest(page: 1, perPage: 20))
            #expect(reviewer.items.map(\.item.id) == [submitted[0], submitted[2], submitted[4]])
            #expect(try await f.content.reviewQueue(for: f.writer, page: PageRequest(page: 1, perPage: 20)).total == 0)
        }
    }

    @Test("a template is copied with its variants into a new draft", arguments: TestDatabase.available)
    func duplicate(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let item = try await f.content.create(.init(title: "模板", body: "<p>正文</p>", tags: ["模板"], isTemplate: true), by: f.writer)
            _ = try await f.content.addVariant(contentID: item.id, platform: .weibo, expectedVersion: nil, by: f.writer)
            let copy = try await f.content.duplicate(id: item.id, by: f.manager)
            #expect(copy.id != item.id)
            #expect(copy.state == .draft && !copy.isTemplate && copy.tags == ["模板"])
            #expect(try await ContentRepository(database.sql).variants(contentID: copy.id).map(\.platform) == [.weibo])
        }
    }

    @Test("calendar cells: each day's first items in planned order and its full count, days split at their first instant", arguments: TestDatabase.available)
    func plannedByDay(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let dayStart = Date(timeIntervalSince1970: 1_796_140_800)  // 2026-12-02 00:00 Beijing
            let days = (0..<3).map { dayStart.addingTimeInterval(Double($0) * 86_400) }
            let end = dayStart.addingTimeInterval(3 * 86_400)
            // Day 0: five pieces, created out of order; day 1: none; day 2: one at its very first instant.
            for (minute, title) in [(50, "e"), (10, "b"), (40, "d"), (5, "a"), (20, "c")] {
                _ = try await f.content.create(.init(title: title, body: "<p>x</p>", plannedAt: .some(dayStart.addingTimeInterval(Double(minute) * 60))), by: f.writer)
            }
            _ = try await f.content.create(.init(title: "f", body: "<p>x</p>", plannedAt: .some(days[2])), by: f.writer)
            // Outside the range on both sides, and one with no planned time: none of them counts.
            _ = try await f.content.create(.init(title: "before", body: "<p>x</p>", plannedAt: .some(dayStart.addingTimeInterval(-1))), by: f.writer)
            _ = try await f.content.create(.init(title: "after", body: "<p>x</p>", plannedAt: .some(end)), by: f.writer)
            _ = try await f.content.create(.init(title: "unplanned", body: "<p>x</p>"), by: f.writer)

            let titles = Dictionary(uniqueKeysWithValues: try await f.content.list(filter: ContentFilter(), sort: .title, descending: false,
                                                                                   page: PageRequest(page: 1, perPage: 50)).items.map { ($0.id, $0.title) })
            let cells = try await f.content.plannedByDay(filter: ContentFilter(), dayStarts: days, end: end, perDay: 3)
            #expect(cells.map(\.total) == [5, 0, 1])
            #expect(cells.map { $0.ids.compactMap { titles[$0] } } == [["a", "b", "c"], [], ["f"]])

            // The list's filters narrow both the rows and the counts.
            let drafts = try await f.content.plannedByDay(filter: ContentFilter(query: "zzz-none"), dayStarts: days, end: end, perDay: 3)
            #expect(drafts.map(\.total) == [0, 0, 0] && drafts.allSatisfy(\.ids.isEmpty))
        }
    }
}
