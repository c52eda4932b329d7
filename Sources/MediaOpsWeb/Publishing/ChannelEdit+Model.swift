import Foundation
import MediaOpsDomain

extension NotificationChannelsController {
    struct EditPage {
        var id: String
        var links: ChannelLinks
        var name: String
        var values: [String: String]
        var errors: [String: String]
        var summary: String?
        var kinds: [Choice]
        var events: [Choice]
        var active: Bool
        var hasSecret: Bool
        var deliveries: [DeliveryRow]
        var hasDeliveries: Bool
        var test: TestBanner?
    }
}
