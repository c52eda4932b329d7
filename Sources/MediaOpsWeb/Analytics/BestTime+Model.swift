/// The best-time page: an account picker and period, then the account's
/// weekday × hour heatmap, the suggestion with its evidence, and adopting it.
struct BestTimePage {
    struct Values { var account: String; var period: String; var from: String; var to: String }
    struct HeatCell {
        /// The post count, empty for an empty cell.
        var n: String
        /// 0 (no posts) to 5 (the highest mean): a CSS class, with the figures in `label`.
        var level: Int
        var label: String
    }
    struct HeatRow { var day: String; var cells: [HeatCell] }
    struct HourRow { var hour: String; var n: String; var mean: String; var rest: String; var p: String; var adjustedP: String; var mark: String; var status: String }
    struct Suggestion {
        var significant: Bool
        var mark: String
        var status: String
        var headline: String
        var evidence: String?
        var advice: String?
    }
    struct AccountSection {
        var id: String
        var name: String
        var platform: String
        var total: String
        var hours: [String]
        var rows: [HeatRow]
        var hasPosts: Bool
        var suggestion: Suggestion
        var current: String
        var canAdopt: Bool
        var adoptTime: String
        var canReset: Bool
        var hourRows: [HourRow]
        var hasHourRows: Bool
        var slotsA: [SelectOption]
        var slotsB: [SelectOption]
        var accountHref: String
        /// The period, carried by the adopt form so the hour is computed on the same posts.
        var period: String
        var from: String
        var to: String
    }

    var values: Values
    var accounts: [SelectOption]
    var periods: [SelectOption]
    var range: String
    var account: AccountSection?

    struct OverviewRow { var name: String; var platform: String; var href: String; var posts: String; var suggested: Bool; var mark: String; var status: String; var current: String }
    /// Every account's outcome, when no account is chosen.
    var overview: [OverviewRow] = []
    var hasOverview = false
}
