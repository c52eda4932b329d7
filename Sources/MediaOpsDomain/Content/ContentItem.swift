import Foundation

/// Where a piece of content is in its life. Scheduled and published belong to
/// the publishing engine; the content room moves items up to approved.
public enum ContentState: String, CaseIterable, Sendable, Codable {
    case draft
    case inReview = "in_review"
    case changesRequested = "changes_requested"
    case approved
    case scheduled
    case published

    /// What the content library (内容库) holds: finished pieces, besides templates.
    public static let inLibrary: [ContentState] = [.approved, .scheduled, .published]
}

/// The content library's shelves (内容库分类).
public enum ContentCategory: String, CaseIterable, Sendable, Codable {
    case industry        // 行业干货
    case userStory = "user_story"      // 用户故事
    case productInsight = "product_insight"  // 产品解读
    case trending        // 热点借势
    case emotional       // 情感共鸣
    case campaign        // 活动推广
    case announcement    // 品牌公告
}

public struct ContentItem: Sendable, Equatable {
    public var id: String
    public var title: String
    /// Sanitised HTML.
    public var body: String
    public var summary: String
    public var tags: [String]
    public var category: ContentCategory
    public var coverAssetID: String?
    public var state: ContentState
    public var ownerID: String?
    /// The account group whose review flow applies.
    public var groupID: String?
    public var topicID: String?
    /// The calendar slot, when planned.
    public var plannedAt: Date?
    /// Incremented on every save; a save naming an older version is refused.
    public var version: Int
    /// Index of the review stage the item waits in while in review.
    public var reviewStage: Int
    public var isTemplate: Bool
    /// In the content library: a finished piece or a template.
    public var isInLibrary: Bool { isTemplate || ContentState.inLibrary.contains(state) }
    public var createdBy: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, title: String, body: String, summary: String, tags: [String], category: ContentCategory, coverAssetID: String?,
                state: ContentState, ownerID: String?, groupID: String?, topicID: String?, plannedAt: Date?, version: Int, reviewStage: Int,
                isTemplate: Bool, createdBy: String?, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.title = title
        self.body = body
        self.summary = summary
        self.tags = tags
        self.category = category
        self.coverAssetID = coverAssetID
        self.state = state
        self.ownerID = ownerID
        self.groupID = groupID
        self.topicID = topicID
        self.plannedAt = plannedAt
        self.version = version
        self.reviewStage = reviewStage
        self.isTemplate = isTemplate
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The copy for one platform, generated from the master and then edited on its own.
public struct ContentVariant: Sendable, Equatable {
    public var id: String
    public var contentID: String
    public var platform: Platform
    public var title: String
    public var body: String
    public var tags: [String]
    public var link: String
    public var mediaAssetIDs: [String]
    public var updatedAt: Date

    public init(id: String, contentID: String, platform: Platform, title: String, body: String, tags: [String], link: String,
                mediaAssetIDs: [String], updatedAt: Date) {
        self.id = id
        self.contentID = contentID
        self.platform = platform
        self.title = title
        self.body = body
        self.tags = tags
        self.link = link
        self.mediaAssetIDs = mediaAssetIDs
        self.updatedAt = updatedAt
    }

    /// A first draft for `platform` from the master copy: the title cut to the
    /// platform's limit, and for short-text platforms the summary (or the start
    /// of the body) as the post text.
    public static func generate(from item: ContentItem, platform: Platform, id: String, now: Date = Date()) -> ContentVariant {
        let limits = PlatformLimits.of(platform)
        let title = limits.hasTitle ? String(item.title.prefix(limits.titleMax ?? item.title.count)) : ""
        var body = item.body
        if let max = limits.bodyMax, max < 3_000 {
            // Short-text platforms get plain text: the title (where the platform has no
            // title field), the summary as a lead, then the body as far as the limit allows.
            let plain = HTMLSanitizer.plainText(item.body)
            let core = item.summary.isEmpty || plain.hasPrefix(item.summary) ? plain : item.summary + "\n" + plain
            var text = limits.hasTitle ? core : "【\(item.title)】" + core
            if limits.counting.count(text) > max {
                while limits.counting.count(text + "…") > max, !text.isEmpty { text.removeLast() }
                text += "…"
            }
            body = HTMLSanitizer.paragraphs(fromPlainText: text)
        }
        let tags = limits.tagsMax.map { Array(item.tags.prefix($0)) } ?? item.tags
        return ContentVariant(id: id, contentID: item.id, platform: platform, title: title, body: body, tags: tags, link: "",
                              mediaAssetIDs: [], updatedAt: now)
    }

    public var measure: VariantMeasure {
        VariantMeasure(title: title, bodyText: HTMLSanitizer.plainText(body), tags: tags, imageCount: mediaAssetIDs.count)
    }
}

/// One stage of a review flow: who may approve at this step.
public struct ReviewStage: Sendable, Equatable, Codable {
    public var name: String
    public var roleKeys: [String]
    public var memberIDs: [String]

    public init(name: String, roleKeys: [String], memberIDs: [String]) {
        self.name = name
        self.roleKeys = roleKeys
        self.memberIDs = memberIDs
    }

    public func admits(memberID: String, roleKeys held: [String]) -> Bool {
        memberIDs.contains(memberID) || !Set(roleKeys).isDisjoint(with: held)
    }
}

/// The ordered stages an item of an account group passes before it is approved.
public struct ReviewFlow: Sendable, Equatable {
    public var groupID: String?
    public var stages: [ReviewStage]

    public init(groupID: String?, stages: [ReviewStage]) {
        self.groupID = groupID
        self.stages = stages
    }

    /// Used when a group defines no flow: one stage for the people who approve.
    public static let standard = ReviewFlow(groupID: nil, stages: [
        ReviewStage(name: "审核", roleKeys: ["owner", "director", "manager", "reviewer"], memberIDs: []),
    ])
}

/// What a member does to an item's review state.
public enum ReviewAction: String, Sendable, CaseIterable {
    case submit, approve
    case requestChanges = "request_changes"
    case withdraw
}

/// The review state machine. Every move not listed is refused with 409.
public enum ReviewTransition {
    public struct Outcome: Sendable, Equatable {
        public var state: ContentState
        public var stage: Int

        public init(state: ContentState, stage: Int) {
            self.state = state
            self.stage = stage
        }
    }

    public static func apply(_ action: ReviewAction, state: ContentState, stage: Int, stageCount: Int) throws(ConflictError) -> Outcome {
        switch (action, state) {
        case (.submit, .draft), (.submit, .changesRequested):
            return Outcome(state: .inReview, stage: 0)
        case (.approve, .inReview):
            let next = stage + 1
            return next >= max(1, stageCount) ? Outcome(state: .approved, stage: next) : Outcome(state: .inReview, stage: next)
        case (.requestChanges, .inReview):
            return Outcome(state: .changesRequested, stage: 0)
        case (.withdraw, .inReview), (.withdraw, .changesRequested):
            return Outcome(state: .draft, stage: 0)
        default:
            throw ConflictError(code: "invalid_transition", field: "action", params: ["action": action.rawValue, "state": state.rawValue])
        }
    }

    /// A change to what will be published, once any stage has approved it,
    /// sends the item back to the first stage: approved, scheduled and
    /// (partly) published items, and items in review past the first stage.
    public static func afterEdit(state: ContentState) -> ContentState {
        switch state {
        case .approved, .scheduled, .published: .inReview
        default: state
        }
    }

    /// Whether an edit to the copy must restart review from the first stage.
    public static func editRestartsReview(state: ContentState, stage: Int) -> Bool {
        afterEdit(state: state) != state || (state == .inReview && stage > 0)
    }
}

extension ContentState {
    /// The states in which the current copy is the one reviewers approved, so
    /// the engine may send it. Anything else holds the item's targets.
    public var isPublishable: Bool { self == .approved || self == .scheduled || self == .published }
}
