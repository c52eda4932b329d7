import Foundation
import MediaOpsDomain

extension PublishingController {
    struct SectionTarget {
        var id: String
        var href: String
        var account: String
        var platform: String
        var time: String
        var state: String
        var stateKey: String
        var reason: String?
        var externalURL: String?
        /// The post's latest numbers ("阅读 3,593 · 互动率 4.4%"), once analytics has them.
        var numbers: String?
    }

    struct AccountChoice {
        var id: String
        var name: String
        var platform: String
        var checked: Bool
        var taken: Bool
        var assisted: Bool
        /// Its posting time ("最佳 20:00"): adopted from its numbers, else its platform's default.
        var bestTime: String
    }

    struct ContentSection {
        var summary: String
        var summaryKey: String
        var targets: [SectionTarget]
        var hasTargets: Bool
        var canSchedule: Bool
        var accounts: [AccountChoice]
        var hasAccounts: Bool
        var dueValue: String
        var bestTimeChecked: Bool
        var timeZone: String
        var zoneNote: String
        var frozen: Bool
        /// The item's numbers over every platform it was published on.
        var total: String?
    }
}
