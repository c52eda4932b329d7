import Foundation
import MediaOpsDomain

extension PublishingController {
    struct ExchangeRow {
        var method: String
        var url: String
        var status: String
        var request: String
        var response: String
        var error: String?
        var duration: String
        var isNote: Bool
        var failed: Bool
    }

    struct AttemptRow {
        var kind: String
        var worker: String
        var started: String
        var duration: String
        var outcome: String
        var outcomeKey: String
        var detail: String?
        /// The engine's own words, when `detail` is their plain-language reading.
        var rawDetail: String?
        var exchanges: [ExchangeRow]
        var hasExchanges: Bool
        var exchangeCount: String
    }

    struct AssetLink { var name: String; var href: String; var isImage: Bool }

    struct PublishCard {
        var platformName: String
        var stepPost: String
        var fromVariant: Bool
        var title: String
        var hasTitle: Bool
        var text: String
        var tags: String
        var hasTags: Bool
        var link: String
        var hasLink: Bool
        var cover: AssetLink?
        var media: [AssetLink]
        var hasAssets: Bool
    }

    struct TargetPage {
        var id: String
        var contentID: String
        var links: TargetLinks
        var contentTitle: String
        var account: String
        var accountID: String
        var platform: String
        var state: String
        var stateKey: String
        var mode: String
        var assisted: Bool
        var due: String
        var dueValue: String
        var publishedAt: String?
        var unconfirmedSince: String?
        var remindedAt: String?
        var created: String
        var updated: String
        var externalURL: String?
        var externalID: String?
        var remoteID: String?
        var reason: String?
        var rawReason: String?
        var attemptsCount: Int
        var attempts: [AttemptRow]
        var canPublish: Bool
        var isScheduled: Bool
        var isUnconfirmed: Bool
        var isFailed: Bool
        /// Published: the post's URL can still be corrected.
        var isPublished: Bool
        var card: PublishCard?
        var errors: [String: String]
        var summary: String?
        var values: [String: String]
        var timeZone: String
        var zoneNote: String
        var retryValue: String
    }
}
