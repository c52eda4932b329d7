import Foundation
import MediaOpsApp
import MediaOpsDomain
import MediaOpsStore
import SQLKit

/// Who reports to whom in the demo team, targets for the built-in KPIs, and
/// last month's reviews finished: self-assessed, assessed by the manager and
/// finalized, so their scorecards are frozen from the demo's own numbers.
/// This month's scorecards stay live. Targets are round figures near what each
/// position reached last month, so achievements read like a real team's.
enum DemoKpis {
    /// Member → manager (by e-mail).
    static let lines: [(String, String)] = [
        ("zhouhang@mediaops.local", DemoWorkspace.ownerEmail),
        ("chenjing@mediaops.local", "zhouhang@mediaops.local"),
        ("wangyutong@mediaops.local", "chenjing@mediaops.local"),
        ("liuyang@mediaops.local", "chenjing@mediaops.local"),
        ("zhaomin@mediaops.local", "chenjing@mediaops.local"),
        ("sunhao@mediaops.local", "chenjing@mediaops.local"),
        ("wujia@mediaops.local", "zhouhang@mediaops.local"),
        ("zhengnan@mediaops.local", "chenjing@mediaops.local"),
        ("huanglei@mediaops.local", "zhouhang@mediaops.local"),
        ("hechang@mediaops.local", "chenjing@mediaops.local"),
        ("maxiao@mediaops.local", "zhouhang@mediaops.local"),
    ]

    /// Whose last month is finalized, with their own words and their manager's.
    static let finished: [(email: String, selfText: String, assessment: String, comments: String)] = [
        ("wangyutong@mediaops.local", "服务号和视频号按排期发完了，春茶系列的阅读比预期好；两篇稿子因为改动大晚了一天。",
         "内容节奏稳定，阅读量接近目标。稿件定稿要再提前，给审核留出余量。", "下月试一组用户故事，看互动率能否提升。"),
        ("liuyang@mediaops.local", "本月交了全部约稿，其中新品文案返工了一次。", "交付整体准时，文案质量稳定。", "返工的原因写进创意笔记，避免重复。"),
        ("wujia@mediaops.local", "周报全部按时发出，月报晚了半天。", "报表及时，结论清楚，建议被采纳了两条。", "月报的数据核对流程再提前一天。"),
    ]

    static func load(components: AppComponents) async throws {
        let team = components.team
        let database = components.database
        let kpis = KpiService(database: database)
        let scorecards = ScorecardService(database: database, team: team, kpis: kpis, content: ContentService(database: database),
                                          publishing: PublishingService(database: database), analytics: AnalyticsService(database: database),
                                          reports: ReportService(database: database), tasks: components.tasks)
        let services = (kpis: kpis, scorecards: scorecards, reviews: PerformanceReviewService(database: database, scorecards: scorecards))
        let members = try await team.members()
        func member(_ email: String) -> Member? { members.first { $0.email == email } }
        guard let owner = member(DemoWorkspace.ownerEmail) else { return }
        let ownerPrincipal = Principal(memberID: owner.id, name: owner.name, roleKeys: owner.roleKeys, permissions: Set(Permission.allCases))
        for (email, managerEmail) in lines {
            guard let who = member(email), let manager = member(managerEmail) else { continue }
            _ = try await team.setManager(memberID: who.id, managerID: manager.id, by: ownerPrincipal)
        }
        let lastMonth = try await services.scorecards.currentPeriod(.month).previous
        if let reviewer = member("chenjing@mediaops.local") {
            try await reviewHistory(database: database, reviewer: reviewer, since: lastMonth.interval(in: TimeZone(identifier: "Asia/Shanghai")!).start)
        }
        let definitions = try await services.kpis.all()
        // Targets near last month's actual of the position's members (a round number a little above it).
        for definition in definitions where definition.source != .tasksOnTime {
            guard let role = definition.roleKey else { continue }
            var actuals: [Double] = []
            for holder in members where holder.isActive && holder.roleKeys.contains(role) {
                if let actual = try await services.scorecards.result(definition, memberID: holder.id, period: lastMonth).actual { actuals.append(actual) }
            }
            let target = Self.target(for: definition, around: actuals.isEmpty ? nil : actuals.reduce(0, +) / Double(actuals.count))
            _ = try await services.kpis.setTarget(kpiID: definition.id, periodKind: .month, scope: .role(role), value: target, by: ownerPrincipal)
            _ = try await services.kpis.setTarget(kpiID: definition.id, periodKind: .quarter, scope: .role(role),
                                                  value: definition.source.unit == .count ? target * 3 : target, by: ownerPrincipal)
        }
        if let tasks = definitions.first(where: { $0.source == .tasksOnTime }) {
            _ = try await services.kpis.setTarget(kpiID: tasks.id, periodKind: .month, scope: .role(BuiltinRole.content.rawValue), value: 90, by: ownerPrincipal)
        }
        let managers = try await team.reportingLines()
        for entry in finished {
            guard let who = member(entry.email), let managerID = managers[who.id], let manager = members.first(where: { $0.id == managerID }) else { continue }
            let self_ = Principal(memberID: who.id, name: who.name, roleKeys: who.roleKeys, permissions: try await team.permissions(forRoles: who.roleKeys))
            let assessor = Principal(memberID: manager.id, name: manager.name, roleKeys: manager.roleKeys,
                                     permissions: try await team.permissions(forRoles: manager.roleKeys))
            _ = try await services.reviews.writeSelfAssessment(memberID: who.id, period: lastMonth, text: entry.selfText, by: self_)
            let score = try await services.scorecards.compute(member: who, period: lastMonth).score
            let rating = PerformanceRating.suggested(score: score) ?? .b
            _ = try await services.reviews.assess(memberID: who.id, period: lastMonth, assessment: entry.assessment, comments: entry.comments,
                                                  rating: rating.rawValue, by: assessor)
            _ = try await services.reviews.finalize(memberID: who.id, period: lastMonth, by: assessor)
        }
        // This month is under way: the content operator has started her self-assessment.
        if let wang = member("wangyutong@mediaops.local") {
            let principal = Principal(memberID: wang.id, name: wang.name, roleKeys: wang.roleKeys, permissions: try await team.permissions(forRoles: wang.roleKeys))
            _ = try await services.reviews.writeSelfAssessment(memberID: wang.id, period: lastMonth.next,
                                                               text: "本月目标：服务号阅读稳住，视频号每周三条。进行中，月底补充。", by: principal)
        }
    }

    /// The demo's published pieces went out without a review trail; from last
    /// month on, each was submitted by its owner some hours before its planned
    /// time (a few too late) and approved by the reviewer a few hours later,
    /// so pieces on time and review turnaround have something to count.
    static func reviewHistory(database: Database, reviewer: Member, since: Date) async throws {
        let rows = try await database.sql.raw("""
            SELECT c.id, c.owner_id, c.planned_at, u.name FROM content_items c JOIN users u ON u.id = c.owner_id
            WHERE c.state = 'published' AND c.planned_at >= \(bind: since.epochMilliseconds) ORDER BY c.planned_at, c.id
            """).all()
        var seed: UInt64 = 20_261_201
        func next() -> Double {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(seed >> 11) / Double(1 << 53)
        }
        var events: [(id: String, content: String, member: String, name: String, action: String, at: Date)] = []
        // Nobody approves their own piece: the reviewer's own posts keep no trail.
        for row in rows where try row.string("owner_id") != reviewer.id {
            let planned = try row.date("planned_at")
            // Mostly a day or two ahead; one in six only hours before.
            let lead = next() < 1.0 / 6 ? 4 + next() * 14 : 26 + next() * 40
            let submitted = planned.addingTimeInterval(-lead * 3_600)
            let decided = submitted.addingTimeInterval((1 + next() * 15) * 3_600)
            let content = try row.string("id")
            events.append((Identifier.makeOrdered("rev"), content, try row.string("owner_id"), try row.string("name"), "submit", submitted))
            events.append((Identifier.makeOrdered("rev"), content, reviewer.id, reviewer.name, "approve", decided))
        }
        let written = events
        try await database.transaction { db in
            for event in written {
                try await db.raw("""
                    INSERT INTO review_events (id, content_id, version, stage, member_id, member_name, action, comment, created_at)
                    VALUES (\(bind: event.id), \(bind: event.content), 1, 0, \(bind: event.member), \(bind: event.name), \(bind: event.action), '',
                        \(bind: event.at.epochMilliseconds))
                    """).run()
            }
        }
    }

    /// A round target a little above `actual` (below it for lower-is-better), or a sensible default.
    static func target(for definition: KpiDefinition, around actual: Double?) -> Double {
        switch definition.source.unit {
        case .percent:
            guard let actual else { return 90 }
            if definition.source == .postInteractionRate { return max(0.5, (actual * 1.1 * 10).rounded() / 10) }
            return min(100, max(50, (actual / 5).rounded(.up) * 5))
        case .hours:
            guard let actual, actual > 0 else { return 24 }
            return max(1, (actual * 0.9).rounded())
        case .count:
            guard let actual, actual > 0 else { return definition.source == .accountFanGrowth ? 1_000 : 10_000 }
            let magnitude = pow(10, floor(log10(actual * 1.1)) - 1)
            return max(1, ((actual * 1.1) / magnitude).rounded() * magnitude)
        }
    }
}
