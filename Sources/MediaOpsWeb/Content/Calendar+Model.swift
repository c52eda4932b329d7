import Foundation
import MediaOpsDomain

extension CalendarController {
    struct Entry {
        var id: String
        var href: String
        var title: String
        var time: String
        var state: String
        var stateKey: String
        var platforms: [String]
        var plannedValue: String
    }

    struct Day {
        var label: String
        var weekday: String
        var iso: String
        var isToday: Bool
        var outside: Bool
        var entries: [Entry]
        var hasEntries: Bool
        /// "还有 12 条" when the day holds more than a cell shows, linking to the day's list.
        var more: String?
        var moreHref: String
    }

    struct Week { var days: [Day] }

    struct BestTime { var platform: String; var time: String; var overridden: Bool }

    struct CalendarPage {
        var heading: String
        var weeks: [Week]
        var isMonth: Bool
        var weekdays: [String]
        var previous: String
        var next: String
        var today: String
        var weekLink: String
        var monthLink: String
        var csvLink: String
        var timeZone: String
        var groups: [SelectOption]
        var accounts: [SelectOption]
        var owners: [SelectOption]
        var states: [SelectOption]
        var categories: [SelectOption]
        var bestTimes: [BestTime]
        var canMove: Bool
        var canMoveInCell: Bool
        var currentPath: String
        var newFeed: String?
        var hasFeed: Bool
        var total: Int
    }
}
