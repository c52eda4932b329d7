import Foundation
import MediaOpsDomain

extension AssetsController {
    struct Fact { var label: String; var value: String }

    struct TagLink { var name: String; var href: String }

    struct UsageRow { var href: String; var title: String }

    struct DetailPage {
        var id: String
        var action: String
        var name: String
        var kind: String
        var kindKey: String
        var fileURL: String
        var downloadURL: String
        var embedPath: String
        var isImage: Bool
        var isVideo: Bool
        var isAudio: Bool
        var isPDF: Bool
        var facts: [Fact]
        var folder: String?
        var folderHref: String?
        var tags: [TagLink]
        var hasTags: Bool
        var licence: Marker?
        /// The licence date is already past: the file should not be used until renewed.
        var licenceExpired: Bool
        var rightsNote: String?
        var usage: [UsageRow]
        var hasUsage: Bool
        var values: [String: String]
        var errors: [String: String]
        var summary: String?
        var canEdit: Bool
        var folders: [String]
        var history: [AuditRow]
        var showHistory: Bool
    }
}
