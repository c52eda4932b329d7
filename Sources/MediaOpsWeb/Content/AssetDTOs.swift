import Foundation
import MediaOpsDomain
import MediaOpsStore

// Wire shapes of the asset library's API; property names are the JSON keys.

struct AssetDTO: Encodable {
    struct Uploader: Encodable {
        var id: String?
        var name: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
        }
        enum CodingKeys: String, CodingKey { case id, name }
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
    var width: Int?
    var height: Int?
    var folder: String
    var tags: [String]
    var uploaded_by: Uploader
    var licence_expires_on: String?
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
        used_by = usage?.map { Usage(id: $0.contentID, title: $0.title, url: "/content/\($0.contentID)") }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(format, forKey: .format)
        try container.encode(mime_type, forKey: .mime_type)
        try container.encode(size, forKey: .size)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(width, forKey: .width)  // explicit null when unknown, as documented
        try container.encode(height, forKey: .height)
        try container.encode(folder, forKey: .folder)
        try container.encode(tags, forKey: .tags)
        try container.encode(uploaded_by, forKey: .uploaded_by)
        try container.encode(licence_expires_on, forKey: .licence_expires_on)
        try container.encode(licence_status, forKey: .licence_status)
        try container.encode(rights_note, forKey: .rights_note)
        try container.encode(file_url, forKey: .file_url)
        try container.encode(created_at, forKey: .created_at)
        try container.encode(updated_at, forKey: .updated_at)
        try container.encodeIfPresent(used_by, forKey: .used_by)
    }
    enum CodingKeys: String, CodingKey {
        case id, name, kind, format, mime_type, size, sha256, width, height, folder, tags, uploaded_by, licence_expires_on, licence_status,
             rights_note, file_url, created_at, updated_at, used_by
    }
}
