import Foundation
import MediaOpsDomain
import Testing

@Suite("Funnels: stages, conversions and event files")
struct FunnelTests {
    static let accounts = [
        Account(id: "acc_aaaaaaaaaaaa", platform: .wechatOA, name: "青禾茶研社", handle: "gh_qinghe", kind: nil, fields: [:], ownerID: nil, groupIDs: [],
                state: .active, credentialKeys: [], createdAt: Date(), updatedAt: Date()),
    ]

    @Test("conversion is the later count over the earlier; an absent or zero earlier count gives none")
    func conversions() {
        #expect(Funnel.conversions([1_000, 250, 50]) == [0.25, 0.2])
        #expect(Funnel.conversions([0, 10, nil, 5]) == [nil, nil, nil])
        #expect(Funnel.overall([1_000, 250, 50]) == 0.05)
        #expect(Funnel.overall([nil, 3]) == nil && Funnel.overall([7]) == nil)
    }

    @Test("a funnel needs 2–8 named stages, distinct names and count metrics")
    func validation() {
        let ok = Funnel(id: "fnl_x", name: "私信转化", stages: [FunnelStage(name: "阅读", source: .metric(.reads)), FunnelStage(name: "下单", source: .events)])
        #expect(ok.validationErrors().isEmpty)
        var bad = ok
        bad.name = " "
        bad.stages = [FunnelStage(name: "阅读", source: .metric(.reads))]
        #expect(bad.validationErrors().map(\.code) == ["required", "funnel_too_few_stages"])
        bad.stages = [FunnelStage(name: "阅读", source: .metric(.completionRate)), FunnelStage(name: "阅读", source: .events)]
        let codes = bad.validationErrors().map { "\($0.field) \($0.code)" }
        #expect(codes.contains("stages.1.source funnel_stage_metric_invalid") && codes.contains("stages.2.name funnel_stage_duplicate"), "\(codes)")
        bad.stages = Array(repeating: FunnelStage(name: "x", source: .events), count: 9).enumerated().map { FunnelStage(name: "第\($0.offset)步", source: $0.element.source) }
        #expect(bad.validationErrors().contains { $0.code == "funnel_too_many_stages" })
        #expect(FunnelStageSource(key: "metric:reads") == .metric(.reads) && FunnelStageSource(key: "events") == .events && FunnelStageSource(key: "metric:nope") == nil)
        #expect(!FunnelStageSource.metrics.contains(.followersTotal) && FunnelStageSource.metrics.contains(.linkClicks))
    }

    @Test("an order file: Chinese headers, yuan amounts, accounts by name or handle; identical rows stay two orders; an id makes re-imports exact")
    func eventFile() throws {
        let rows = [["订单导出"], ["下单时间", "来源账号", "活动", "实付金额", "订单号"],
                    ["2026-11-30 20:15", "青禾茶研社", "冬季新品", "128.00", ""],
                    ["2026/11/30", "gh_qinghe", "冬季新品", "128.00", ""],
                    ["2026年12月1日", "", "", "¥9.9", "A-1"],
                    ["", "", "", "", ""]]
        let reading = try FunnelEventFile.read(rows, accounts: Self.accounts)
        #expect(reading.errors.isEmpty && reading.headerRow == 2)
        #expect(reading.events.count == 3)
        #expect(reading.events[0].amount == 12_800 && reading.events[0].accountID == "acc_aaaaaaaaaaaa")
        #expect(reading.events[0].fingerprint != reading.events[1].fingerprint, "two identical orders are two orders")
        #expect(reading.events[2].fingerprint == "id:A-1" && reading.events[2].accountID == nil && reading.events[2].amount == 990)
        #expect(reading.events[2].day == LocalDate(year: 2026, month: 12, day: 1))
        // The same file read again gives the same fingerprints.
        #expect(try FunnelEventFile.read(rows, accounts: Self.accounts).events.map(\.fingerprint) == reading.events.map(\.fingerprint))
    }

    @Test("broken rows are each named with their row and column")
    func brokenRows() throws {
        let rows = [["date", "account", "amount"], ["2026-13-01", "x", "1"], ["", "", "abc"], ["2026-11-02", "nobody", "-5"]]
        let reading = try FunnelEventFile.read(rows, accounts: Self.accounts)
        let found = reading.errors.map { "\($0.row) \($0.column?.rawValue ?? "") \($0.code)" }
        #expect(found == ["2 day cell_not_a_date", "2 account funnel_event_unknown_account", "3 day funnel_event_day_missing", "3 amount cell_not_a_number",
                          "4 account funnel_event_unknown_account", "4 amount cell_out_of_range"], "\(found)")
        #expect(throws: FunnelEventFile.Problem.noHeader) { try FunnelEventFile.read([["a", "b"], ["1", "2"]], accounts: []) }
        #expect(throws: FunnelEventFile.Problem.noRows) { try FunnelEventFile.read([["日期"]], accounts: []) }
    }
}
