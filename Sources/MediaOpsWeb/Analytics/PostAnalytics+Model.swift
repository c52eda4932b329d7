/// One post's snapshots: a curve over the hours since publishing and a table
/// of every capture with its source.
struct PostAnalyticsPage {
    struct Row { var captured: String; var age: String; var values: [String]; var engagementRate: String; var source: String }

    var title: String
    var url: String?
    var accountName: String
    var accountHref: String
    var published: String
    var origin: String
    var chart: String?
    var columns: [String]
    var rows: [Row]
}
