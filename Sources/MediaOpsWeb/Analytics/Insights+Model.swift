import MediaOpsDomain

/// The insights page: the question as a GET form (so the answer is a link to
/// share) and, once asked, each comparison's figures and verdict.
struct InsightsPage {
    /// What the query string held, shown again as it was.
    struct Values {
        var scope: String
        var period: String
        var from: String
        var to: String
        var dimension: String
        var mode: String
        var a: String
        var b: String
        var aPosts: String
        var bPosts: String
        var metric: String
        var test: String

        init(_ query: FormData) {
            scope = query["scope"] ?? ""
            period = query["period"] ?? InsightQuestion.defaultPeriod
            from = query["from"] ?? ""
            to = query["to"] ?? ""
            dimension = query["dimension"] ?? InsightDimension.category.rawValue
            mode = query["comparison"] ?? InsightQuestion.Mode.pair.rawValue
            a = query["group_a"] ?? ""
            b = query["group_b"] ?? ""
            aPosts = query["a_posts"] ?? ""
            bPosts = query["b_posts"] ?? ""
            metric = query["metric"] ?? InsightMetric.default.rawValue
            test = query["test"] ?? SignificanceTest.welch.rawValue
        }
    }

    struct Datalist { var id: String; var options: [String] }
    struct Link { var label: String; var href: String }

    struct Row {
        var aName: String
        var bName: String
        var nA: String
        var nB: String
        var meanA: String
        var meanB: String
        var medianA: String
        var medianB: String
        var difference: String
        var interval: String
        var p: String
        var adjustedP: String
        var significant: Bool
        /// "↑" / "↓" / "?" beside the status: never the colour alone.
        var mark: String
        var status: String
        var verdict: String
        var advice: String?
    }

    struct Result {
        var summary: String
        var notes: [String]
        var rows: [Row]
        var corrected: Bool
        var hasRows: Bool
        /// Said instead of an empty table.
        var empty: String?
    }

    var values: Values
    var scopes: [SelectGroup]
    var periods: [SelectOption]
    var dimensions: [SelectOption]
    var metrics: [SelectOption]
    var tests: [SelectOption]
    var modeEach: Bool
    var lists: [Datalist]
    /// The datalist of the chosen dimension's levels ("" for tags and posts).
    var levelList: String
    var examples: [Link]
    var errors: [String: String]
    var summary: String?
    var result: Result?
    var zone: String
}
