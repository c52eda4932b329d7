import Foundation
import MediaOpsDomain
import MediaOpsStore

/// The source material's example on the demo's service account: 5 万 more
/// followers in six months, in an initial-users stage and a brand-promotion
/// stage. It started three months ago, so its progress comes from the demo's
/// metrics (the account grows far slower than the plan: the goal is behind). Three
/// versions are saved: the plan made at the start, a variant with the channel
/// manager joining early, and a re-plan from the real pace and team.
enum DemoPlanning {
    static func load(database: Database, team: TeamService, owner: Principal, directorID: String?, now: Date = Date()) async throws {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let today = LocalDate(now, timeZone: zone)
        guard let account = try await team.allAccounts().first(where: { $0.handle == "gh_qinghe_fw" }) else { return }
        let goals = GoalService(database: database, team: team, analytics: AnalyticsService(database: database))
        let plans = PlanService(database: database, goals: goals, team: team)
        let start = YearMonth(today).adding(months: -3).firstDay
        let director = directorID.map { Principal(memberID: $0, name: "周航", roleKeys: ["director"], permissions: BuiltinRole.director.permissions) } ?? owner
        let startInstant = now.addingTimeInterval(-Double(start.days(until: today)) * 86_400)
        // "5 万粉丝" as the source material means it: fifty thousand more followers than the account had at the start
        // (the demo's service account already has more than 5 万), 1.5 万 of them in the initial-users stage.
        let draft = Goal(id: "", name: "服务号半年涨粉 5 万", metric: .followers, target: 1, start: start, deadline: start.adding(months: 6).adding(days: -1),
                         accountIDs: [account.id], stages: [])
        let baseline = (try await goals.progress(draft, today: start).baseline / 1_000).rounded() * 1_000
        let goal = try await goals.create(Goal(id: "", name: draft.name, metric: .followers, target: baseline + 50_000, start: start, deadline: draft.deadline,
                                               accountIDs: [account.id],
                                               stages: [GoalStage(name: "初始用户期", months: 3, target: baseline + 15_000),
                                                        GoalStage(name: "品牌推广期", months: 3, target: baseline + 50_000)],
                                               notes: "按 1+1+2+1+1 组建推广小组：渠道经理在品牌推广期到岗。"),
                                          by: director, now: startInstant.addingTimeInterval(-86_400 * 7))
        _ = try await plans.save(goalID: goal.id, name: "初版规划", by: director, now: startInstant.addingTimeInterval(-86_400 * 6), today: start.adding(days: -6))
        _ = try await plans.save(goalID: goal.id, name: "渠道经理提前到岗", overrides: PlannerParameters([.shareChannelInitial: 0.2, .shareCampaignInitial: 0.3]),
                                 by: director, now: startInstant.addingTimeInterval(-86_400 * 5), today: start.adding(days: -5))
        _ = try await plans.save(goalID: goal.id, name: "按实际进度重新规划", fromActuals: true, by: director, now: now.addingTimeInterval(-3_600), today: today)

        // A goal on orders: the 下单 stage of the demo's enquiry funnel, this quarter and the next month.
        if let funnel = try await FunnelService(database: database).all().first(where: { $0.name == "私信咨询转化" }),
           let position = funnel.stages.firstIndex(where: { $0.name == "下单" }).map({ $0 + 1 }) {
            let ordersStart = YearMonth(today).adding(months: -1).firstDay
            _ = try await goals.create(Goal(id: "", name: "三个月私信下单 9000 单", metric: .funnelStage, target: 9_000, start: ordersStart,
                                            deadline: ordersStart.adding(months: 3).adding(days: -1),
                                            stages: [GoalStage(name: "会员日预热", months: 1, target: 2_800), GoalStage(name: "年货季放量", months: 2, target: 9_000)],
                                            funnelStage: GoalFunnelStage(funnelID: funnel.id, position: position),
                                            notes: "私信咨询里约三成下单；年货季前把客服话术和下单链接准备好。"),
                                       by: director, now: now.addingTimeInterval(-86_400 * 30))
        }
    }
}
