import MediaOpsConnectors
import MediaOpsStore

/// What the publishing room — schedule, queue, targets, account health,
/// platform callbacks and notification channels — uses.
public struct PublishingDependencies: Sendable {
    /// Accounts, their owners and credentials (the callback token).
    public var team: TeamService
    /// The items being published and their variants, read through the content room.
    public var content: ContentService
    /// The files a manual publish card offers for download.
    public var assets: AssetService
    public var publishing: PublishingService
    public var tokenHealth: TokenHealthService
    public var channels: NotificationChannelService
    /// Robots and webhooks are tested through the one outbound policy.
    public var outbound: HTTPTransport
    /// Each published target's latest numbers, read through the analytics room.
    public var analytics: AnalyticsService

    public init(team: TeamService, content: ContentService, assets: AssetService, publishing: PublishingService, tokenHealth: TokenHealthService,
                channels: NotificationChannelService, outbound: HTTPTransport, analytics: AnalyticsService) {
        self.team = team
        self.content = content
        self.assets = assets
        self.publishing = publishing
        self.tokenHealth = tokenHealth
        self.channels = channels
        self.outbound = outbound
        self.analytics = analytics
    }
}
