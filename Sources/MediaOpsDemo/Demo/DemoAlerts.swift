import Foundation
import MediaOpsDomain
import MediaOpsStore
import SQLKit

/// The demo's alert rules and the alerts they raised over the past year,
/// found by running each rule over the generated numbers exactly as the
/// preview does (so every alert is one the rule really raises), then
/// handled the way a team would: older alerts acknowledged and resolved by
/// the analyst, the latest still open.
enum DemoAlerts {
    /// Alerts newer than this many days are still being handled.
    static let recentDays = 14

    static func load(database: Database, owner: Principal, analystID: String?, now: Date = Date()) async throws {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let yesterday = LocalDate(now, timeZone: zone).adding(days: -1)
        let service = AlertService(database: database)
        // A workspace set up through the demo's own path gets the ready-made rules too.
        try await AlertRuleRepository(database.sql).installPresets(createdBy: owner.memberID, now: now)
        let mainAccount = try await AccountRepository(database.sql).all(filter: AccountFilter()).first { $0.handle == "gh_qinghe_dy" }
        var drafts = [
            AlertRule(id: "", name: "新增粉丝异常波动", kind: .anomaly, metric: .stored(.followersNew), scope: .allAccounts),
        ]
        if let mainAccount {
            drafts.append(AlertRule(id: "", name: "茶研社推文 24 小时阅读偏低", kind: .postUnderperforming, metric: .consumption, scope: .account(mainAccount.id),
                                    percentile: 10))
        }
        for draft in drafts { _ = try await service.createRule(draft, by: owner, now: now.addingTimeInterval(-400 * 86_400)) }

        var raised: [Alert] = []
        for rule in try await service.rules() where rule.enabled {
            let preview = try await service.preview(rule: rule, through: yesterday, days: AlertRule.previewDaysRange.upperBound, now: now)
            // Keyed by account id, or for a funnel rule by the step's subject key.
            for (key, result) in preview {
                let isFunnelStep = key.hasPrefix("funnel:")
                let accountID: String? = isFunnelStep ? nil : key
                let subject = isFunnelStep ? key : AlertSubject.account(key).key
                for firing in result.alerts {
                    let firedAt: Date = switch firing.occasion {
                    // A day's numbers land the next morning.
                    case .day(let day): LocalDateTime(year: day.year, month: day.month, day: day.day, hour: 9, minute: 30).instant(in: zone)!.addingTimeInterval(86_400)
                    case .post(_, let due): due.addingTimeInterval(600)
                    }
                    guard firedAt < now else { continue }
                    raised.append(Alert(id: Identifier.makeOrdered("alt"), ruleID: rule.id, subjectKey: subject, accountID: accountID,
                                        occasion: firing.occasion, evidence: firing.evaluation.evidence, firedAt: Date(epochMilliseconds: firedAt.epochMilliseconds)))
                }
            }
        }
        let recent = now.addingTimeInterval(-Double(recentDays) * 86_400)
        let ordered = raised.sorted { ($0.firedAt, $0.id) < ($1.firedAt, $1.id) }
        // Each rule's latest recent alert is still open: nobody has got to it yet.
        var newest: [String: String] = [:]
        for alert in ordered where alert.firedAt >= recent { newest[alert.ruleID] = alert.id }
        let stillOpen = Set(newest.values)
        let handler = analystID ?? owner.memberID
        try await database.transaction { db in
            let alerts = AlertRepository(db)
            for alert in ordered {
                guard try await alerts.insert(alert), let handler else { continue }
                if alert.firedAt < recent {
                    let acknowledged = alert.firedAt.addingTimeInterval(40 * 60)
                    try await alerts.transition(alert, to: .acknowledged, memberID: handler, at: acknowledged)
                    var seen = alert
                    seen.state = .acknowledged
                    try await alerts.transition(seen, to: .resolved, memberID: handler, at: acknowledged.addingTimeInterval(5 * 3_600))
                } else if !stillOpen.contains(alert.id) {
                    try await alerts.transition(alert, to: .acknowledged, memberID: handler, at: alert.firedAt.addingTimeInterval(25 * 60))
                }
            }
        }
    }
}
