import Foundation
import MediaOpsDomain

extension TopicsController {
    struct CommentRow { var author: String; var at: String; var body: String }

    struct DetailPage {
        var topic: Row
        var notes: String
        var contentHref: String?
        var voteAction: String
        var convertAction: String
        var decisionAction: String
        var commentsAction: String
        var errors: [String: String]
        var summary: String?
        var comments: [CommentRow]
        var voted: Bool
        var canDecide: Bool
        var canConvert: Bool
        /// Votes and comments are writes: only people who write or review content make them.
        var canContribute: Bool
        var decisions: [SelectOption]
        var created: String
    }
}
