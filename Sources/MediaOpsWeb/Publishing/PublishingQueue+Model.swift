import Foundation
import MediaOpsDomain

extension PublishingController {
    struct Tab { var key: String; var label: String; var count: String; var href: String; var active: Bool; var alert: Bool }

    /// Where one target's page and forms go (and its piece of content).
    struct TargetLinks {
        var target: String
        var content: String
        var reschedule: String
        var cancel: String
        var confirm: String

        init(_ target: PublishTarget) {
            let id = PathParameter.value(target.id)
            self.target = PublishingPath.target(id).path
            content = ContentPath.item(.value(target.contentID)).path
            reschedule = PublishingPath.targetReschedule(id).path
            cancel = PublishingPath.targetCancel(id).path
            confirm = PublishingPath.targetConfirm(id).path
        }
    }

    struct QueueRow {
        var id: String
        var contentID: String
        var links: TargetLinks
        var title: String
        var account: String
        var platform: String
        var time: String
        var state: String
        var stateKey: String
        var reason: String?
        var rawReason: String?
        var assisted: Bool
        var canChange: Bool
        var dueValue: String
        var externalURL: String?
        var attempts: Int
    }

    struct FreezeBanner { var reason: String; var by: String; var since: String; var waiting: String }

    struct QueuePage {
        var tabs: [Tab]
        var view: String
        var viewLabel: String
        var rows: [QueueRow]
        var empty: String
        var pagination: Pagination
        var freeze: FreezeBanner?
        var canFreeze: Bool
        var canResume: Bool
        var canPublish: Bool
        var errors: [String: String]
        var summary: String?
        var values: [String: String]
        var resumeReschedule: Bool
        var resumeAt: String
        var timeZone: String
        var zoneNote: String
        var next: String
    }
}
