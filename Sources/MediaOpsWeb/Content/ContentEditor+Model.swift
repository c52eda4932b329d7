import Foundation
import MediaOpsDomain

extension ContentController {
    struct FindingRow {
        var field: String
        var term: String
        var category: String
        var article: String?
        var severity: String
        var blocking: Bool
        var suggestion: String
        var context: String
    }

    struct ViolationRow { var message: String }

    struct VariantSection {
        var platform: String
        var action: String
        var deleteAction: String
        var platformName: String
        var shortName: String
        var title: String
        var body: String
        var bodyText: String
        var tags: String
        var link: String
        var hasTitle: Bool
        var titleMax: String
        var bodyMax: String
        var counting: String
        var titleLength: Int
        var bodyLength: Int
        var findings: [FindingRow]
        var violations: [ViolationRow]
        var previewParagraphs: [String]
        var previewClass: String
    }

    /// `comment` is nil when none was left: an empty string is truthy in Mustache
    /// and printed "提交审核：" with nothing after the colon.
    struct ReviewEventRow { var at: String; var who: String; var action: String; var comment: String? }

    struct CommentRow { var author: String; var at: String; var body: String; var anchor: String; var quote: String }

    struct StageRow { var name: String; var approvers: String; var current: Bool; var done: Bool }

    /// Where the editor's links and forms go.
    struct EditorLinks {
        var item: String
        var versions: String
        var duplicate: String
        var review: String
        var override: String
        var variants: String
        var comments: String
        var schedule: String
        var topic: String?

        init(_ content: ContentItem) {
            let id = PathParameter.value(content.id)
            item = ContentPath.item(id).path
            versions = ContentPath.itemVersions(id).path
            duplicate = ContentPath.itemDuplicate(id).path
            review = ContentPath.itemReview(id).path
            override = ContentPath.itemOverride(id).path
            variants = ContentPath.itemVariants(id).path
            comments = ContentPath.itemComments(id).path
            schedule = ContentPath.itemSchedule(id).path
            topic = content.topicID.map { ContentPath.topic(.value($0)).path }
        }
    }

    struct EditorPage {
        var id: String
        var version: Int
        var values: [String: String]
        var errors: [String: String]
        /// Things worth a second look that do not stop a save (a planned time already past).
        var fieldWarnings: [String: String]
        var summary: String?
        var state: String
        var stateKey: String
        var categories: [SelectOption]
        var groups: [SelectOption]
        var owners: [SelectOption]
        var covers: [SelectOption]
        var coverURL: String?
        var timeZone: String
        var masterFindings: [FindingRow]
        var blocking: Int
        var warnings: Int
        var violations: Int
        var clean: Bool
        var variants: [VariantSection]
        var addablePlatforms: [SelectOption]
        var canWrite: Bool
        /// Comments are writes: people who write or review content make them.
        var canComment: Bool
        var canSubmit: Bool
        var canWithdraw: Bool
        var canDecide: Bool
        /// Shown to the reviewer of every stage, not only the last, while blocking findings stand
        /// without a recorded override (nil otherwise: a zero count is truthy in Mustache).
        var blockingAtStage: String?
        /// Why a reviewer cannot act on this stage, and who can.
        var decideHint: String?
        var canOverride: Bool
        var overridden: Bool
        var stages: [StageRow]
        var events: [ReviewEventRow]
        var comments: [CommentRow]
        var anchors: [SelectOption]
        var isTemplate: Bool
        var links: EditorLinks
        /// The "发布" section (targets and the schedule form), once the item is approved.
        var publishing: PublishingController.ContentSection?
        /// The "相关经验" section: knowledge entries linked to the item.
        var related: KnowledgeRelatedSection? = nil
    }
}
