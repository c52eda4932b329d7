import Mustache

// The overview renders a row per account (500 in an agency's matrix) with a
// dozen lookups each. Without these, every lookup reflects the whole row with
// `Mirror` and filters its children by name, which was most of the page's
// rendering time; a switch on the name gives the same values.

extension OverviewPage.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "href": self.href
        case "platform": self.platform
        case "followers": self.followers
        case "net": self.net
        case "posts": self.posts
        case "consumption": self.consumption
        case "consumptionLabel": self.consumptionLabel
        case "engagement": self.engagement
        default: nil
        }
    }
}

extension OverviewPage.Total: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "followers": self.followers
        case "net": self.net
        case "posts": self.posts
        case "consumption": self.consumption
        case "engagement": self.engagement
        default: nil
        }
    }
}

extension OverviewPage.Section: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "rows": self.rows
        case "total": self.total
        default: nil
        }
    }
}

// A figure renders its HTML in one lookup wherever it is shown (`{{{followers}}}`,
// `{{{.}}}` inside its own section): a name like `followers.html` is split and
// looked up twice, five figures a row.
extension AnalyticsController.Figure: MustacheCustomRenderable {
    var renderText: String { html }
    var isNull: Bool { false }
}
