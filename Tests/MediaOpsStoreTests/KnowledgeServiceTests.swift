import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

/// The knowledge base on both databases: Chinese search (two-character words,
/// longer phrases, mixed Chinese and Latin, tags) with its filters, versions
/// with who changed what, links to content items, templates turned into
/// drafts; training records kept to the people allowed to see them; the
/// assessment standards rewritten and put back.
@Suite("Knowledge store")
struct KnowledgeServiceTests {
    struct Fixture {
        var database: Database
        var team: TeamService
        var owner: Principal
        var content: ContentService
        var knowledge: KnowledgeService
    }

    static func fixture(_ database: Database) async throws -> Fixture {
        let team = StoreFixtures.service(database)
        let (_, owner) = try await StoreFixtures.setUp(team)
        let content = ContentService(database: database)
        return Fixture(database: database, team: team, owner: owner, content: content, knowledge: KnowledgeService.standard(database: database, content: content))
    }

    static func principal(_ member: Member, _ team: TeamService) async throws -> Principal {
        var permissions = Set<Permission>()
        for key in member.roleKeys { permissions.formUnion(BuiltinRole(rawValue: key)?.permissions ?? []) }
        return Principal(memberID: member.id, name: member.name, roleKeys: member.roleKeys, permissions: permissions)
    }

    @discardableResult
    static func write(_ f: Fixture, _ kind: KnowledgeKind, _ title: String, _ body: String, tags: [String] = [], platforms: [Platform] = [],
                      by principal: Principal? = nil) async throws -> KnowledgeEntry {
        try await f.knowledge.create(KnowledgeEntry(id: "", kind: kind, title: title, body: body, tags: tags, platforms: platforms), by: principal ?? f.owner)
    }

    static func titles(_ f: Fixture, _ filter: KnowledgeFilter, sort: KnowledgeSort = .title, descending: Bool = false) async throws -> [String] {
        try await f.knowledge.list(filter: filter, sort: sort, descending: descending, page: PageRequest(page: 1, perPage: 50)).items.map(\.title)
    }

    @Test("search finds two-character Chinese words, longer phrases, mixed Chinese and Latin and tags; filters narrow it; a deleted entry is gone",
          arguments: TestDatabase.available)
    func chineseSearch(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let member = try await f.team.createMember(.init(email: "w@example.com", name: "王雨桐", roles: ["content"], password: "password123"), by: f.owner)
            let writer = try await Self.principal(member, f.team)
            try await Self.write(f, .lesson, "新品首发别只押一条视频", "首发当天只发了一条抖音视频，错过了午高峰。下次追投DOU+。", tags: ["新品", "复盘"], platforms: [.douyin], by: writer)
            try await Self.write(f, .playbook, "社群裂变三步", "邀请 3 人进群领券，机器人统计邀请数。", tags: ["社群", "裂变"], platforms: [.wechatOA])
            try await Self.write(f, .template, "活动规则说明", "活动时间、参与方式、适用渠道。", tags: ["活动"])
            let cold = try await Self.write(f, .creativeNote, "冷启动的点子", "服务号冷启动期可以做节气茶单栏目。", tags: ["灵感"], platforms: [.wechatOA, .xiaohongshu])

            // Two characters: below the trigram index, found by the LIKE path on both databases.
            #expect(try await Self.titles(f, KnowledgeFilter(query: "复盘")) == ["新品首发别只押一条视频"], "a tag's word is searched")
            #expect(try await Self.titles(f, KnowledgeFilter(query: "社群")) == ["社群裂变三步"])
            // Three and more: the index.
            #expect(try await Self.titles(f, KnowledgeFilter(query: "冷启动")) == ["冷启动的点子"])
            #expect(try await Self.titles(f, KnowledgeFilter(query: "错过了午高峰")) == ["新品首发别只押一条视频"])
            // Mixed Chinese and Latin, whatever the case of the letters.
            #expect(try await Self.titles(f, KnowledgeFilter(query: "追投dou+")) == ["新品首发别只押一条视频"])
            #expect(try await Self.titles(f, KnowledgeFilter(query: "抖音视频")) == ["新品首发别只押一条视频"])
            #expect(try await Self.titles(f, KnowledgeFilter(query: "DOU")) == ["新品首发别只押一条视频"])
            // A wildcard typed is a character, not a pattern.
            #expect(try await Self.titles(f, KnowledgeFilter(query: "%")).isEmpty)
            #expect(try await Self.titles(f, KnowledgeFilter(query: "直播")).isEmpty)

            // Filters: kind, a whole tag (any case, never part of one), platform, author; with a search.
            #expect(try await Self.titles(f, KnowledgeFilter(kind: .template)) == ["活动规则说明"])
            #expect(try await Self.titles(f, KnowledgeFilter(tag: "新品")) == ["新品首发别只押一条视频"])
            #expect(try await Self.titles(f, KnowledgeFilter(tag: "新")).isEmpty, "a tag matches whole")
            #expect(try await Self.titles(f, KnowledgeFilter(platform: .wechatOA)) == ["冷启动的点子", "社群裂变三步"].sorted())
            #expect(try await Self.titles(f, KnowledgeFilter(query: "服务号", platform: .xiaohongshu)) == ["冷启动的点子"])
            #expect(try await Self.titles(f, KnowledgeFilter(authorID: member.id)) == ["新品首发别只押一条视频"])
            #expect(try await Self.titles(f, KnowledgeFilter(query: "活动", kind: .lesson)).isEmpty)

            // Sorting and pagination.
            let newest = try await f.knowledge.list(filter: KnowledgeFilter(), sort: .created, descending: true, page: PageRequest(page: 1, perPage: 2))
            #expect(newest.total == 4 && newest.items.map(\.title) == ["冷启动的点子", "活动规则说明"])
            let second = try await f.knowledge.list(filter: KnowledgeFilter(), sort: .created, descending: true, page: PageRequest(page: 2, perPage: 2))
            #expect(second.items.map(\.title) == ["社群裂变三步", "新品首发别只押一条视频"])

            // An edit is searchable at once, and a deleted entry is found no more.
            var edited = cold
            edited.body = "服务号冷启动期：每周一条茶知识。"
            _ = try await f.knowledge.update(edited, expectedVersion: 1, by: f.owner)
            #expect(try await Self.titles(f, KnowledgeFilter(query: "节气茶单")).isEmpty)
            #expect(try await Self.titles(f, KnowledgeFilter(query: "茶知识")) == ["冷启动的点子"])
            try await f.knowledge.delete(id: cold.id, by: f.owner)
            #expect(try await Self.titles(f, KnowledgeFilter(query: "冷启动")).isEmpty)
            let tags = try await f.knowledge.tagCounts().map(\.tag)
            #expect(tags.contains("复盘") && !tags.contains("灵感"))
        }
    }

    @Test("entries are checked field by field; every save is a version naming who changed what; a stale edit is refused; changes are audited",
          arguments: TestDatabase.available)
    func versions(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            do {
                _ = try await f.knowledge.create(KnowledgeEntry(id: "", kind: .lesson, title: " ", body: "", tags: Array(repeating: "标签", count: 1) + (1...12).map { "t\($0)" }),
                                                 by: f.owner)
                Issue.record("an empty entry was saved")
            } catch let errors as ValidationErrors {
                #expect(errors.errors.map(\.field) == ["title", "body", "tags"], "\(errors.errors)")
                #expect(errors.errors.map(\.code) == ["required", "required", "knowledge_too_many_tags"])
            }
            let entry = try await Self.write(f, .lesson, "标题里的数字要兑现", "标题写了 12 个，正文只写了 3 个。", tags: ["标题", "#文案", "标题"])
            #expect(entry.tags == ["标题", "文案"], "a leading # and repeats are dropped")
            let editor = try await f.team.createMember(.init(email: "c@example.com", name: "陈静", roles: ["manager"], password: "password123"), by: f.owner)
            var edited = entry
            edited.body = "标题承诺的，正文要兑现。"
            edited.platforms = [.wechatOA]
            let saved = try await f.knowledge.update(edited, expectedVersion: 1, by: try await Self.principal(editor, f.team))
            #expect(saved.version == 2 && saved.authorID == f.owner.memberID, "the author stays")
            let unchanged = try await f.knowledge.update(saved, expectedVersion: 2, by: f.owner)
            #expect(unchanged.version == 2, "saving nothing new makes no version")
            do {
                _ = try await f.knowledge.update(edited, expectedVersion: 1, by: f.owner)
                Issue.record("a stale edit was saved")
            } catch let error as ConflictError {
                #expect(error.code == "stale_version")
            }
            let revisions = try await f.knowledge.revisions(entryID: entry.id)
            #expect(revisions.map(\.version) == [2, 1])
            #expect(revisions[0].editorName == "陈静" && revisions[0].changedFields == ["body", "platforms"])
            #expect(revisions[1].body == "标题写了 12 个，正文只写了 3 个。" && revisions[1].changedFields.isEmpty)
            let audit = try await AuditRepository(database.sql).list(filter: AuditFilter(entityType: "knowledge_entry", entityID: entry.id),
                                                                     page: PageRequest(page: 1, perPage: 10)).items
            #expect(audit.map(\.action) == [.update, .create])
            #expect(audit[0].changes["platforms"] == ["", "wechat_oa"])
        }
    }

    @Test("an entry links to content items that exist, once each; a content item lists its entries; a template becomes a linked draft",
          arguments: TestDatabase.available)
    func linksAndTemplates(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let item = try await f.content.create(.init(title: "冬日限定：桂花乌龙拿铁回归", body: "<p>回归</p>"), by: f.owner)
            let lesson = try await Self.write(f, .lesson, "新品首发的教训", "多准备几条视频。")
            try await f.knowledge.link(entryID: lesson.id, kind: .content, targetID: item.id, by: f.owner)
            try await f.knowledge.link(entryID: lesson.id, kind: .content, targetID: item.id, by: f.owner)
            #expect(try await f.knowledge.links(entryID: lesson.id).map { $0.target?.title } == ["冬日限定：桂花乌龙拿铁回归"], "linked once")
            #expect(try await f.knowledge.entries(linkedTo: .content, targetID: item.id).map(\.id) == [lesson.id])
            do {
                try await f.knowledge.link(entryID: lesson.id, kind: .content, targetID: "cnt_missing", by: f.owner)
                Issue.record("a link to nothing was saved")
            } catch let error as ValidationError {
                #expect(error.field == "target_id" && error.code == "knowledge_link_target_unknown")
            }
            // A knowledge service built without a resolver for a kind refuses that kind.
            let bare = KnowledgeService(database: database, content: f.content, resolvers: [:])
            await #expect(throws: ValidationError.self) { try await bare.link(entryID: lesson.id, kind: .content, targetID: item.id, by: f.owner) }

            try await f.knowledge.unlink(entryID: lesson.id, kind: .content, targetID: item.id, by: f.owner)
            #expect(try await f.knowledge.entries(linkedTo: .content, targetID: item.id).isEmpty)

            let template = try await Self.write(f, .template, "新品推文模板", "【开头】一句话说清上新了什么。\n\n【互动】留言说说 <你的> 喝法。", tags: ["新品", "推文"])
            let draft = try await f.knowledge.useTemplate(entryID: template.id, by: f.owner)
            #expect(draft.state == .draft && draft.title == "新品推文模板" && draft.tags == ["新品", "推文"])
            #expect(draft.body == "<p>【开头】一句话说清上新了什么。</p><p>【互动】留言说说 &lt;你的&gt; 喝法。</p>", "the text is escaped into paragraphs")
            #expect(try await f.knowledge.entries(linkedTo: .content, targetID: draft.id).map(\.id) == [template.id])
            await #expect(throws: ValidationError.self) { _ = try await f.knowledge.useTemplate(entryID: lesson.id, by: f.owner) }
        }
    }

    @Test("training records: a manager records them for members, never for someone with more power; a member reads only their own; every field checked at once",
          arguments: TestDatabase.available)
    func training(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let service = TrainingService(database: database)
            let managerMember = try await f.team.createMember(.init(email: "m@example.com", name: "陈静", roles: ["manager"], password: "password123"), by: f.owner)
            let writerMember = try await f.team.createMember(.init(email: "w@example.com", name: "刘洋", roles: ["copywriter"], password: "password123"), by: f.owner)
            let otherMember = try await f.team.createMember(.init(email: "o@example.com", name: "赵敏", roles: ["community"], password: "password123"), by: f.owner)
            let directorMember = try await f.team.createMember(.init(email: "d@example.com", name: "周航", roles: ["director"], password: "password123"), by: f.owner)
            let manager = try await Self.principal(managerMember, f.team)
            let writer = try await Self.principal(writerMember, f.team)
            let today = try await service.today().day

            do {
                _ = try await service.create(TrainingRecord(id: "", memberID: writerMember.id, course: "", day: today.adding(days: 3), hours: 0.3, result: .attended,
                                                            score: 80), by: manager)
                Issue.record("a broken record was saved")
            } catch let errors as ValidationErrors {
                #expect(errors.errors.map(\.field) == ["course", "day", "hours", "score"], "\(errors.errors)")
                #expect(errors.errors.map(\.code) == ["required", "training_day_in_future", "training_hours_range", "training_score_without_assessment"])
            }
            let record = try await service.create(TrainingRecord(id: "", memberID: writerMember.id, course: "广告法与内容合规", provider: "公司内训",
                                                                 day: today.adding(days: -2), hours: 1.5, result: .passed, score: 95), by: manager)
            _ = try await service.create(TrainingRecord(id: "", memberID: otherMember.id, course: "社群运营", day: today, hours: 6, result: .pending), by: manager)
            do {
                _ = try await service.create(TrainingRecord(id: "", memberID: directorMember.id, course: "目标管理", day: today, hours: 2, result: .attended), by: manager)
                Issue.record("a manager recorded the director's training")
            } catch let error as PermissionError {
                #expect(error.code == "member_outranks_you")
            }
            // A writer holds kpis.view: their own records only.
            #expect(try await service.records(memberID: writerMember.id, page: PageRequest(), for: writer).items.map(\.id) == [record.id])
            #expect(try await service.record(id: record.id, for: writer).course == "广告法与内容合规")
            await #expect(throws: PermissionError.self) { _ = try await service.records(memberID: otherMember.id, page: PageRequest(), for: writer) }
            await #expect(throws: PermissionError.self) { _ = try await service.records(from: today.adding(days: -30), to: today, for: writer) }
            await #expect(throws: PermissionError.self) {
                _ = try await service.create(TrainingRecord(id: "", memberID: writerMember.id, course: "自己记", day: today, hours: 1, result: .attended), by: writer)
            }
            #expect(try await service.records(from: today.adding(days: -30), to: today, for: manager).count == 2)

            var edited = record
            edited.score = 97
            edited.memberID = otherMember.id
            let saved = try await service.update(edited, by: manager)
            #expect(saved.score == 97 && saved.memberID == writerMember.id, "a record stays with its member")
            try await service.delete(id: record.id, by: manager)
            #expect(try await service.records(memberID: writerMember.id, page: PageRequest(), for: writer).total == 0)
        }
    }

    @Test("a position's assessment standard is rewritten in both languages, checked, audited, and put back to the built-in one",
          arguments: TestDatabase.available)
    func standards(db: TestDatabase) async throws {
        try await db.with { database in
            let f = try await Self.fixture(database)
            let service = TrainingService(database: database)
            let full = Dictionary(uniqueKeysWithValues: AssessmentLevel.allCases.map { ($0, BilingualText(zh: "说明", en: "meaning")) })
            do {
                _ = try await service.saveStandard(AssessmentStandard(roleKey: "copywriter", criteria: [
                    AssessmentCriterion(name: BilingualText(zh: "按时交稿", en: ""), levels: full.filter { $0.key != .improve }),
                ], customized: true), by: f.owner)
                Issue.record("a half-written standard was saved")
            } catch let errors as ValidationErrors {
                #expect(errors.errors.map(\.field) == ["criteria.0.name_en", "criteria.0.improve_zh", "criteria.0.improve_en"], "\(errors.errors)")
            }
            await #expect(throws: NotFoundError.self) {
                _ = try await service.saveStandard(AssessmentStandard(roleKey: "owner", criteria: [AssessmentCriterion(name: BilingualText(zh: "a", en: "a"), levels: full)],
                                                                      customized: true), by: f.owner)
            }
            let saved = try await service.saveStandard(AssessmentStandard(roleKey: "copywriter", criteria: [
                AssessmentCriterion(name: BilingualText(zh: " 按时交稿 ", en: "On-time delivery"), levels: full),
            ], customized: true), by: f.owner)
            let stored = try await service.customStandards()["copywriter"]
            #expect(stored?.criteria == saved.criteria && stored?.criteria.first?.name.zh == "按时交稿" && stored?.customized == true)
            try await service.resetStandard(roleKey: "copywriter", by: f.owner)
            #expect(try await service.customStandards().isEmpty)
            await #expect(throws: NotFoundError.self) { try await service.resetStandard(roleKey: "copywriter", by: f.owner) }
            let audit = try await AuditRepository(database.sql).list(filter: AuditFilter(entityType: "assessment_standard"), page: PageRequest(page: 1, perPage: 10)).items
            #expect(audit.map(\.action) == [.delete, .create])
        }
    }
}
