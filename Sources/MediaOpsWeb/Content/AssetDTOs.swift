import Foundation
import MediaOpsDomain
import MediaOpsStore

// Wire shapes of the asset library's API; property names are the JSON keys.

struct AssetDTO: Encodable {
    struct Uploader: Encodable {
        @Nullable var id: String?
        var name: String
    }

    struct Usage: Encodable {
        var id: String
        var title: String
        var url: String
    }

    var id: String
    var name: String
    var kind: String
    var format: String
    var mime_type: String
    var size: Int64
    var sha256: String
    @Nullable var width: Int?
    @Nullable var height: Int?
    var folder: String
    var tags: [String]
    var uploaded_by: Uploader
    @Nullable var licence_expires_on: String?
    var licence_status: String
    var rights_note: String
    var file_url: String
    var created_at: Date
    var updated_at: Date
    /// Only on the single-asset answer.
    var used_by: [Usage]?

    init(_ asset: Asset, today: LocalDate, usage: [(contentID: String, title: String)]? = nil) {
        id = asset.id
        name = asset.name
        kind = asset.kind.rawValue
        format = asset.format.rawValue
        mime_type = asset.mimeType
        size = asset.byteSize
        sha256 = asset.sha256
        width = asset.width
        height = asset.height
        folder = asset.folder
        tags = asset.tags
        uploaded_by = Uploader(id: asset.uploadedBy, name: asset.uploadedByName)
        licence_expires_on = asset.licenceExpiresOn?.description
        licence_status = asset.licenceStatus(on: today).rawValue
        rights_note = asset.rightsNote
        file_url = "/api/v1/assets/\(asset.id)/file"
        created_at = asset.createdAt
        updated_at = asset.updatedAt
        used_by = usage?.map { Usage(id: $0.contentID, title: $0.title, url: ContentPath.item(.value($0.contentID)).path) }
    }
}
