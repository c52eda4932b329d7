import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import SnapshotTesting
import Testing

/// The knowledge base's and training's pages against reviewed snapshots, in
/// both languages, on a small fixed workspace.
@Suite("Pages: knowledge base and training")
struct KnowledgePageTests {
    static func normalise(_ html: String) -> String {
        PageTests.normalise(html)
            .replacingOccurrences(of: #"(kno|trn|cnt)_[0-9a-z]{16}"#, with: "$1_ID", options: .regularExpression)
            .replacingOccurrences(of: #"\d{4}年\d{1,2}月\d{1,2}日"#, with: "DAY", options: .regularExpression)
            .replacingOccurrences(of: #"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b"#, with: "DAY", options: .regularExpression)
            .replacingOccurrences(of: #"year=\d{4}"#, with: "year=YEAR", options: .regularExpression)
            .replacingOccurrences(of: #"\b20\d{2}( 年|：|:| ·)"#, with: "YEAR$1", options: .regularExpression)
            .replacingOccurrences(of: #">20\d{2}<"#, with: ">YEAR<", options: .regularExpression)
    }

    @Test("knowledge and training pages match their snapshots in Chinese and English", arguments: AppLocale.allCases)
    func snapshots(locale: AppLocale) async throws {
        try await WebHarness.run(.sqlite) { app in
            try await PageTests.furnish(app)
            let owner = app.ownerPrincipal
            let member = try #require(try await MemberRepository(app.database.sql).find(email: "wang@example.com"))
            let content = ContentService(database: app.database)
            let knowledge = KnowledgeService.standard(database: app.database, content: content)
            let item = try await content.create(.init(title: "冬日限定：桂花乌龙拿铁回归", body: "<p>回归</p>"), by: owner)
            let lesson = try await knowledge.create(KnowledgeEntry(id: "", kind: .lesson, title: "新品首发别只押一条视频",
                                                                   body: "首发当天只发了一条抖音视频。\n\n下次准备三条，分时段发。", tags: ["新品", "复盘"], platforms: [.douyin]), by: owner)
            _ = try await knowledge.create(KnowledgeEntry(id: "", kind: .template, title: "活动规则说明", body: "活动时间：____", tags: ["活动"]), by: owner)
            try await knowledge.link(entryID: lesson.id, kind: .content, targetID: item.id, by: owner)
            let today = LocalDate(Date(), timeZone: TimeZone(identifier: "Asia/Shanghai")!)
            _ = try await TrainingService(database: app.database).create(TrainingRecord(id: "", memberID: member.id, course: "公众号内容策划进阶", provider: "平台官方课程",
                                                                                        day: LocalDate(year: today.year, month: 1, day: 1), hours: 6, result: .passed, score: 88), by: owner)
            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: locale.rawValue), by: owner)
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            for (name, uri) in [("knowledge-list", "/knowledge"), ("knowledge-entry", "/knowledge/\(lesson.id)"), ("knowledge-form", "/knowledge/new"),
                                ("training-overview", "/team/training"), ("training-member", "/team/training/members/\(member.id)"),
                                ("standards", "/team/training/standards")] {
                let page = try await session.get(uri)
                #expect(page.status == .ok, "\(uri)")
                assertSnapshot(of: Self.normalise(page.text), as: .lines, named: "\(name)-\(locale.rawValue)")
            }
        }
    }
}
