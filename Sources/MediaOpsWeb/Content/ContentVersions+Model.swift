import Foundation
import MediaOpsDomain

extension ContentController {
    struct VersionRow { var number: Int; var author: String; var at: String; var title: String; var isFrom: Bool; var isTo: Bool }

    struct Segment { var kind: String; var text: String }

    struct VersionsPage {
        var id: String
        var itemHref: String
        var versionsAction: String
        var title: String
        var rows: [VersionRow]
        var from: Int
        var to: Int
        var segments: [Segment]
        var hasDiff: Bool
        var identical: Bool
        var fromOptions: [SelectOption]
        var toOptions: [SelectOption]
    }
}
