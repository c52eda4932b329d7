import Foundation
import MediaOpsDomain
import MediaOpsSandbox
import MediaOpsStore

/// The demo's funnel: reads across the matrix, then enquiries by private
/// message, then orders, with four months of imported enquiries and orders.
/// About a third of enquiries order; two days ago fewer did, which the
/// ready-made drop-off rule catches.
enum DemoFunnels {
    static let days = 120

    static func load(database: Database, owner: Principal, now: Date = Date()) async throws {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let yesterday = LocalDate(now, timeZone: zone).adding(days: -1)
        let service = FunnelService(database: database)
        let funnel = try await service.create(Funnel(id: "", name: "私信咨询转化", description: "公众号、微博等图文账号的阅读，带来多少私信咨询，又有多少咨询下单。",
                                                     scope: .allAccounts,
                                                     stages: [FunnelStage(name: "阅读", source: .metric(.reads)), FunnelStage(name: "私信咨询", source: .events),
                                                              FunnelStage(name: "下单", source: .events)]),
                                              by: owner, now: now.addingTimeInterval(-Double(days + 1) * 86_400))
        let accounts = try await AccountRepository(database.sql).all(filter: AccountFilter()).filter { [.wechatOA, .weibo, .xiaohongshu].contains($0.platform) }
        var random = DemoMetrics.Random("funnel")
        var leads: [FunnelEvent] = [], orders: [FunnelEvent] = []
        let campaigns = ["冬季新品试饮", "会员日", "门店开业", ""]
        for back in 0..<days {
            let day = yesterday.adding(days: -back)
            let weekly = 1 + 0.2 * sin(Double(day.dayNumber) * 2 * .pi / 7)
            let count = Int(random.around(300 * weekly, spread: 0.15).rounded())
            // Two days ago a payment page broke for an afternoon: far fewer enquiries ordered.
            let share = back == 1 ? 0.12 : random.around(0.32, spread: 0.12)
            for index in 0..<count {
                let account = accounts.isEmpty ? nil : accounts[Int(random.next() * Double(accounts.count)) % accounts.count]
                let campaign = campaigns[Int(random.next() * Double(campaigns.count)) % campaigns.count]
                leads.append(FunnelEvent(day: day, accountID: account?.id, campaign: campaign, amount: nil, fingerprint: "demo:\(day):\(index)"))
                if random.next() < share {
                    let amount = [2_900, 3_800, 5_800, 8_800, 12_800][Int(random.next() * 5) % 5]
                    orders.append(FunnelEvent(day: day, accountID: account?.id, campaign: campaign, amount: Double(amount), fingerprint: "demo:\(day):\(index)"))
                }
            }
        }
        let (allLeads, allOrders) = (leads, orders)
        try await database.transaction { db in
            _ = try await FunnelRepository(db).insertEvents(allLeads, funnelID: funnel.id, position: 2, importedBy: owner.memberID, now: now)
            _ = try await FunnelRepository(db).insertEvents(allOrders, funnelID: funnel.id, position: 3, importedBy: owner.memberID, now: now)
        }
    }
}
