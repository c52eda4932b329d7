import Foundation

/// Where an idea for a post came from (选题来源).
public enum TopicSource: String, CaseIterable, Sendable, Codable {
    case hotTopic = "hot_topic"          // 热点
    case userQuestion = "user_question"  // 用户问题
    case productPoint = "product_point"  // 产品卖点
    case campaign                        // 活动
    case other
}

/// A topic's fate in the pool.
public enum TopicStatus: String, CaseIterable, Sendable, Codable {
    case proposed, accepted, parked, rejected
    /// Turned into a content item.
    case converted
}

public enum TopicPriority: Int, CaseIterable, Sendable, Codable {
    case low = 1, normal = 2, high = 3, urgent = 4

    public var key: String {
        switch self {
        case .low: "low"
        case .normal: "normal"
        case .high: "high"
        case .urgent: "urgent"
        }
    }

    public init?(key: String) {
        guard let match = Self.allCases.first(where: { $0.key == key }) else { return nil }
        self = match
    }
}

public struct Topic: Sendable, Equatable {
    public var id: String
    public var title: String
    public var source: TopicSource
    public var category: ContentCategory
    public var priority: TopicPriority
    public var ownerID: String?
    public var notes: String
    public var status: TopicStatus
    public var groupIDs: [String]
    public var contentID: String?
    public var votes: Int
    public var createdBy: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, title: String, source: TopicSource, category: ContentCategory, priority: TopicPriority, ownerID: String?, notes: String,
                status: TopicStatus, groupIDs: [String], contentID: String?, votes: Int, createdBy: String?, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.title = title
        self.source = source
        self.category = category
        self.priority = priority
        self.ownerID = ownerID
        self.notes = notes
        self.status = status
        self.groupIDs = groupIDs
        self.contentID = contentID
        self.votes = votes
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Which decisions are open from each status; converting needs an accepted topic.
    public static func canMove(from status: TopicStatus, to next: TopicStatus) -> Bool {
        switch (status, next) {
        case (.proposed, .accepted), (.proposed, .parked), (.proposed, .rejected): true
        case (.parked, .accepted), (.parked, .rejected), (.parked, .proposed): true
        case (.accepted, .parked), (.accepted, .rejected), (.accepted, .converted): true
        case (.rejected, .proposed): true
        default: false
        }
    }
}
