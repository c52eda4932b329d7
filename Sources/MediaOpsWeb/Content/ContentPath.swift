import MediaOpsDomain

/// Every page and form target of the content room: the list, the editor and
/// its forms, review, the library, the calendar, compliance, topics, assets and
/// the notification inbox.
enum ContentPath: PagePath {
    case list
    case new
    case reviewQueue
    case library
    case item(PathParameter<String>)
    case itemSchedule(PathParameter<String>)
    case itemVariants(PathParameter<String>)
    case itemVariant(PathParameter<String>, PathParameter<Platform>)
    case itemVariantDelete(PathParameter<String>, PathParameter<Platform>)
    case itemReview(PathParameter<String>)
    case itemOverride(PathParameter<String>)
    case itemComments(PathParameter<String>)
    case itemDuplicate(PathParameter<String>)
    case itemVersions(PathParameter<String>)
    case calendar
    case calendarMove
    case calendarCSV
    case calendarFeed
    case calendarFeedFile(PathParameter<String>)
    case compliance
    case complianceCheck
    case complianceWords
    case complianceWordDelete(PathParameter<String>)
    case complianceFlows
    case topics
    case topic(PathParameter<String>)
    case topicDecision(PathParameter<String>)
    case topicVote(PathParameter<String>)
    case topicComments(PathParameter<String>)
    case topicConvert(PathParameter<String>)
    case assets
    case assetUpload
    case asset(PathParameter<String>)
    case assetFile(PathParameter<String>)
    case notifications
    case notificationsRead

    /// The paths without parameters, which templates reach by case name
    /// (`{{paths.content.list}}`); the paths with parameters come in the page model.
    static let plain: [ContentPath] = [.list, .new, .reviewQueue, .library, .calendar, .calendarMove, .calendarCSV, .calendarFeed, .compliance, .complianceCheck, .complianceWords, .complianceFlows, .topics, .assets, .assetUpload, .notifications, .notificationsRead]

    var path: String {
        switch self {
        case .list: "/content"
        case .new: "/content/new"
        case .reviewQueue: "/content/review"
        case .library: "/content/library"
        case .item(let id): "/content/" + PathSegment.of(id, "id")
        case .itemSchedule(let id): ContentPath.item(id).path + "/schedule"
        case .itemVariants(let id): ContentPath.item(id).path + "/variants"
        case .itemVariant(let id, let platform): ContentPath.itemVariants(id).path + "/" + PathSegment.of(platform, "platform")
        case .itemVariantDelete(let id, let platform): ContentPath.itemVariant(id, platform).path + "/delete"
        case .itemReview(let id): ContentPath.item(id).path + "/review"
        case .itemOverride(let id): ContentPath.item(id).path + "/override"
        case .itemComments(let id): ContentPath.item(id).path + "/comments"
        case .itemDuplicate(let id): ContentPath.item(id).path + "/duplicate"
        case .itemVersions(let id): ContentPath.item(id).path + "/versions"
        case .calendar: "/calendar"
        case .calendarMove: "/calendar/move"
        case .calendarCSV: "/calendar.csv"
        case .calendarFeed: "/calendar/feed"
        case .calendarFeedFile(let file): "/calendar/feed/" + PathSegment.of(file, "file")
        case .compliance: "/compliance"
        case .complianceCheck: "/compliance/check"
        case .complianceWords: "/compliance/words"
        case .complianceWordDelete(let id): "/compliance/words/" + PathSegment.of(id, "id") + "/delete"
        case .complianceFlows: "/compliance/flows"
        case .topics: "/topics"
        case .topic(let id): "/topics/" + PathSegment.of(id, "id")
        case .topicDecision(let id): ContentPath.topic(id).path + "/decision"
        case .topicVote(let id): ContentPath.topic(id).path + "/vote"
        case .topicComments(let id): ContentPath.topic(id).path + "/comments"
        case .topicConvert(let id): ContentPath.topic(id).path + "/convert"
        case .assets: "/assets"
        case .assetUpload: "/assets/upload"
        case .asset(let id): "/assets/" + PathSegment.of(id, "id")
        case .assetFile(let id): ContentPath.asset(id).path + "/file"
        case .notifications: "/notifications"
        case .notificationsRead: "/notifications/read"
        }
    }
}
