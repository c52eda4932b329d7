import Foundation
import MediaOpsDomain

extension AssetsController {
    struct Marker { var key: String; var label: String }

    struct AssetCard {
        var id: String
        var href: String
        var fileURL: String
        var name: String
        var kind: String
        var kindKey: String
        var format: String
        var size: String
        var dimensions: String?
        var folder: String?
        var tags: [String]
        var preview: Bool
        var licence: Marker?
        var hasTags: Bool
    }

    struct ExpiringRow {
        var href: String
        var name: String
        var date: String
        var remaining: String
    }

    struct ListPage {
        var cards: [AssetCard]
        var query: String
        var folderOptions: [SelectOption]
        var kindOptions: [SelectOption]
        var tagOptions: [SelectOption]
        var pagination: Pagination
        var expiring: [ExpiringRow]
        var hasExpiring: Bool
        var hasCards: Bool
        var expiringTitle: String
        var expiredCount: Int
        var expiredNote: String?
        var canUpload: Bool
        var filtered: Bool
        var uploadHref: String
    }
}
