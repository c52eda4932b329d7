/// Every page and form target of the publishing room: the queue and its freeze,
/// one target, account health, notification channels and the WeChat callback.
enum PublishingPath: PagePath {
    case queue
    case freeze
    case resume
    case target(PathParameter<String>)
    case targetCancel(PathParameter<String>)
    case targetReschedule(PathParameter<String>)
    case targetConfirm(PathParameter<String>)
    case health
    case healthAccount(PathParameter<String>)
    case channels
    case channel(PathParameter<String>)
    case channelDelete(PathParameter<String>)
    case channelTest(PathParameter<String>)
    case wechatCallback(PathParameter<String>)

    /// The paths without parameters, which templates reach by case name
    /// (`{{paths.publishing.queue}}`); the paths with parameters come in the page model.
    static let plain: [PublishingPath] = [.queue, .freeze, .resume, .health, .channels]

    var path: String {
        switch self {
        case .queue: "/publishing"
        case .freeze: "/publishing/freeze"
        case .resume: "/publishing/resume"
        case .target(let id): "/publishing/targets/" + PathSegment.of(id, "id")
        case .targetCancel(let id): PublishingPath.target(id).path + "/cancel"
        case .targetReschedule(let id): PublishingPath.target(id).path + "/reschedule"
        case .targetConfirm(let id): PublishingPath.target(id).path + "/confirm"
        case .health: "/publishing/health"
        case .healthAccount(let id): "/publishing/health/" + PathSegment.of(id, "id")
        case .channels: "/settings/notifications"
        case .channel(let id): "/settings/notifications/" + PathSegment.of(id, "id")
        case .channelDelete(let id): PublishingPath.channel(id).path + "/delete"
        case .channelTest(let id): PublishingPath.channel(id).path + "/test"
        case .wechatCallback(let account): "/callbacks/wechat/" + PathSegment.of(account, "account")
        }
    }
}
