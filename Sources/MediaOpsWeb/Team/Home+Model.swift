import Foundation
import MediaOpsDomain

extension HomeController {
    struct Stat { var label: String; var value: String; var exact: String; var href: String? }

    struct AttentionRow { var href: String; var name: String; var platform: String; var reason: String }

    struct Shortcut { var label: String; var href: String }

    struct HomePage {
        var greeting: String
        var today: String
        var stats: [Stat]
        var attention: [AttentionRow]
        var mine: [AttentionRow]
        var recent: [AuditRow]
        var shortcuts: [Shortcut]
        var canSeeAccounts: Bool
        var canSeeAudit: Bool
        var canSeeContent: Bool
        var toReview: [ContentRow]
        var dueToday: [ContentRow]
        var sentBack: [ContentRow]
        /// Each open goal with its status and progress (planning.view).
        var goals: [GoalCard] = []
        var hasGoals = false
        /// The member's open tasks, and the team's overdue ones.
        var canSeeTasks = false
        var myTasks: [TaskCard] = []
        var overdueTasks: [TaskCard] = []
        var myTasksHref = WorkPath.list.query(["assignee": "me", "status": "open"])
        var overdueHref = WorkPath.list.query(["due": "overdue"])
        var weekHref = HomePage.calendarWeek
        /// The performance reviews waiting for this member's step (kpis.view).
        var canSeeReviews = false
        var reviews: [ReviewRow] = []
        var reviewsHref = KpiPath.reviews.path
        static let calendarWeek = ContentPath.calendar.query(["view": "week"])
    }

    struct GoalCard { var name: String; var href: String; var status: String; var statusClass: String; var percent: String; var barWidth: String; var reason: String }

    struct ReviewRow { var href: String; var name: String; var period: String; var action: String }

    struct ContentRow { var href: String; var title: String; var detail: String; var state: String; var stateKey: String }
}
