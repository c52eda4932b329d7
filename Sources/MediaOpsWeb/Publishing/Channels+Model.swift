import Foundation
import MediaOpsDomain

extension NotificationChannelsController {
    struct Choice {
        var value: String
        var label: String
        var selected: Bool
    }

    struct DeliveryRow {
        var at: String
        var event: String
        var state: String
        var stateLabel: String
        var stateClass: String
        var status: String?
        var detail: String?
        var attempts: Int
    }

    /// Where one channel's page and forms go.
    struct ChannelLinks {
        var href: String
        var testAction: String
        var deleteAction: String

        init(_ id: String) {
            href = PublishingPath.channel(.value(id)).path
            testAction = PublishingPath.channelTest(.value(id)).path
            deleteAction = PublishingPath.channelDelete(.value(id)).path
        }
    }

    struct ChannelRow {
        var id: String
        var links: ChannelLinks
        var name: String
        var kind: String
        var kindLabel: String
        var url: String
        var events: String
        var active: Bool
        var stateLabel: String
        var hasSecret: Bool
        var deliveries: [DeliveryRow]
        var hasDeliveries: Bool
    }

    struct TestBanner {
        var delivered: Bool
        var message: String
        var detail: String?
        var hint: String?
    }

    struct ListPage {
        var rows: [ChannelRow]
        var values: [String: String]
        var errors: [String: String]
        var summary: String?
        var kinds: [Choice]
        var events: [Choice]
        var active: Bool
    }
}
