import Foundation
import MediaOpsDomain
import MediaOpsStore

// Wire shapes of the content API (snake_case keys on purpose).

struct ContentItemDTO: Encodable {
    var id: String
    var title: String
    var body: String
    var summary: String
    var tags: [String]
    var category: String
    @Nullable var cover_asset_id: String?
    var state: String
    @Nullable var owner_id: String?
    @Nullable var group_id: String?
    @Nullable var topic_id: String?
    @Nullable var planned_at: Date?
    var version: Int
    var review_stage: Int
    var is_template: Bool
    var created_at: Date
    var updated_at: Date
    var variants: [ContentVariantDTO]?
    var check: ContentCheckDTO?

    init(_ item: ContentItem, variants: [ContentVariant]? = nil, check: ContentCheck? = nil) {
        id = item.id
        title = item.title
        body = item.body
        summary = item.summary
        tags = item.tags
        category = item.category.rawValue
        cover_asset_id = item.coverAssetID
        state = item.state.rawValue
        owner_id = item.ownerID
        group_id = item.groupID
        topic_id = item.topicID
        planned_at = item.plannedAt
        version = item.version
        review_stage = item.reviewStage
        is_template = item.isTemplate
        created_at = item.createdAt
        updated_at = item.updatedAt
        self.variants = variants.map { $0.map { ContentVariantDTO($0) } }
        self.check = check.map(ContentCheckDTO.init)
    }
}

struct ContentVariantDTO: Encodable {
    var id: String
    var platform: String
    var title: String
    var body: String
    var tags: [String]
    var link: String
    var media_asset_ids: [String]
    var updated_at: Date
    var limits: LimitsDTO

    init(_ variant: ContentVariant) {
        id = variant.id
        platform = variant.platform.rawValue
        title = variant.title
        body = variant.body
        tags = variant.tags
        link = variant.link
        media_asset_ids = variant.mediaAssetIDs
        updated_at = variant.updatedAt
        limits = LimitsDTO(PlatformLimits.of(variant.platform), measure: variant.measure)
    }
}

struct LimitsDTO: Encodable {
    var counting: String
    @Nullable var title_max: Int?
    @Nullable var body_max: Int?
    @Nullable var tags_max: Int?
    @Nullable var images_max: Int?
    var title_length: Int
    var body_length: Int
    var violations: [LimitViolation]

    init(_ limits: PlatformLimits, measure: VariantMeasure) {
        counting = limits.counting.rawValue
        title_max = limits.titleMax
        body_max = limits.bodyMax
        tags_max = limits.tagsMax
        images_max = limits.imagesMax
        title_length = limits.counting.count(measure.title)
        body_length = limits.counting.count(measure.bodyText)
        violations = limits.violations(measure)
    }
}

struct FindingDTO: Encodable {
    @Nullable var field: String?
    var start: Int
    var end: Int
    var term: String
    var category: String
    @Nullable var article: String?
    var severity: String
    var suggestion: String
    var rule: String

    init(_ finding: ComplianceFinding, field: String?, locale: AppLocale) {
        self.field = field
        start = finding.start
        end = finding.end
        term = finding.term
        category = finding.category.rawValue
        article = finding.article
        severity = finding.severity.rawValue
        suggestion = locale == .zhHans ? finding.suggestionZh : finding.suggestionEn
        rule = finding.ruleID
    }
}

struct ContentCheckDTO: Encodable {
    struct Part: Encodable {
        var anchor: String
        var findings: [FindingDTO]
        var violations: [LimitViolation]
    }
    var blocking: Int
    var warnings: Int
    var limit_violations: Int
    var parts: [Part]

    init(_ check: ContentCheck) { self.init(check, locale: .zhHans) }

    init(_ check: ContentCheck, locale: AppLocale) {
        blocking = check.blocking
        warnings = check.warnings
        limit_violations = check.violationCount
        parts = check.parts.map { part in
            Part(anchor: part.anchor, findings: part.findings.map { FindingDTO($0.finding, field: $0.field, locale: locale) }, violations: part.violations)
        }
    }
}

struct ReviewCommentDTO: Encodable {
    var id: String
    @Nullable var author_id: String?
    var author_name: String
    var body: String
    var anchor: String
    @Nullable var range_start: Int?
    @Nullable var range_end: Int?
    var quote: String
    var created_at: Date

    init(_ comment: ReviewComment) {
        id = comment.id
        author_id = comment.authorID
        author_name = comment.authorName
        body = comment.body
        anchor = comment.anchor
        range_start = comment.rangeStart
        range_end = comment.rangeEnd
        quote = comment.quote
        created_at = comment.at
    }
}

struct VersionDTO: Encodable {
    var version: Int
    @Nullable var author_id: String?
    var author_name: String
    var created_at: Date
    var title: String

    init(_ version: ContentVersion) {
        self.version = version.version
        author_id = version.authorID
        author_name = version.authorName
        created_at = version.createdAt
        title = version.snapshot.title
    }
}

struct DiffDTO: Encodable {
    struct Segment: Encodable { var kind: String; var text: String }
    var from: Int
    var to: Int
    var segments: [Segment]
}

struct TopicDTO: Encodable {
    var id: String
    var title: String
    var source: String
    var category: String
    var priority: String
    @Nullable var owner_id: String?
    var notes: String
    var status: String
    var groups: [String]
    @Nullable var content_id: String?
    var votes: Int
    var created_at: Date
    var updated_at: Date

    init(_ topic: Topic) {
        id = topic.id
        title = topic.title
        source = topic.source.rawValue
        category = topic.category.rawValue
        priority = topic.priority.key
        owner_id = topic.ownerID
        notes = topic.notes
        status = topic.status.rawValue
        groups = topic.groupIDs
        content_id = topic.contentID
        votes = topic.votes
        created_at = topic.createdAt
        updated_at = topic.updatedAt
    }
}

struct NotificationDTO: Encodable {
    var id: String
    var kind: String
    var title: String
    var body: String
    var link: String
    /// The code behind the body, e.g. a publishing failure reason.
    @Nullable var detail: String?
    var created_at: Date
    @Nullable var read_at: Date?

    init(_ notification: AppNotification) {
        detail = notification.detail
        id = notification.id
        kind = notification.kind
        title = notification.title
        body = notification.body
        link = notification.link
        created_at = notification.createdAt
        read_at = notification.readAt
    }
}
