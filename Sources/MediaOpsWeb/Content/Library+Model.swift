import Foundation
import MediaOpsDomain

extension LibraryController {
    struct Card { var id: String; var href: String; var duplicateAction: String; var title: String; var excerpt: String; var category: String; var tags: [String]; var owner: String; var updated: String; var isTemplate: Bool }

    struct Tab { var label: String; var href: String; var active: Bool }

    struct Tag { var name: String; var count: Int; var href: String; var active: Bool }

    struct LibraryPage {
        var cards: [Card]
        var tabs: [Tab]
        var tags: [Tag]
        var query: String
        var pagination: Pagination
        var canWrite: Bool
        var searched: Bool
        var searchSummary: String
    }
}
