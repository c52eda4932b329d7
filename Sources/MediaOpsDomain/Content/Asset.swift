import Foundation

/// What an asset is for, which decides how it is shown and served: images,
/// video, audio and documents open in the browser; fonts and design templates
/// are downloaded.
public enum AssetKind: String, CaseIterable, Sendable, Codable {
    case image, video, audio, font, template, document

    /// Served inline (the browser shows it) rather than as a download.
    public var opensInline: Bool {
        switch self {
        case .image, .video, .audio, .document: true
        case .font, .template: false
        }
    }
}

/// Whether an asset's licence still covers it on a given day.
public enum LicenceStatus: String, Sendable, CaseIterable {
    /// No expiry recorded (owned outright, or not tracked).
    case unlimited
    case valid
    /// Expires within the warning window (the expiry day itself included).
    case expiring
    case expired
}

/// One file in the asset library (素材库). The bytes live in an `AssetStorage`
/// under `sha256`, so identical uploads share one stored file and one row.
public struct Asset: Sendable, Equatable {
    public var id: String
    /// The file name as uploaded (or as renamed since); shown and used for downloads.
    public var name: String
    public var kind: AssetKind
    public var format: FileFormat
    public var mimeType: String
    public var byteSize: Int64
    /// Lowercase hex SHA-256 of the bytes; also the storage key.
    public var sha256: String
    public var width: Int?
    public var height: Int?
    /// A slash-separated path such as "品牌/2026春季"; empty for the top level.
    public var folder: String
    public var tags: [String]
    public var uploadedBy: String?
    public var uploadedByName: String
    /// The last day the licence covers; nil when it does not expire.
    public var licenceExpiresOn: LocalDate?
    public var rightsNote: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, name: String, kind: AssetKind, format: FileFormat, mimeType: String, byteSize: Int64, sha256: String,
                width: Int?, height: Int?, folder: String, tags: [String], uploadedBy: String?, uploadedByName: String,
                licenceExpiresOn: LocalDate?, rightsNote: String, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.kind = kind
        self.format = format
        self.mimeType = mimeType
        self.byteSize = byteSize
        self.sha256 = sha256
        self.width = width
        self.height = height
        self.folder = folder
        self.tags = tags
        self.uploadedBy = uploadedBy
        self.uploadedByName = uploadedByName
        self.licenceExpiresOn = licenceExpiresOn
        self.rightsNote = rightsNote
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The address content bodies use to embed the asset; usage detection looks for it.
    public static func filePath(id: String) -> String { "/assets/\(id)/file" }

    /// A licence covers its expiry day; it has expired from the next day on.
    public func licenceStatus(on today: LocalDate, warningDays: Int = 14) -> LicenceStatus {
        guard let expiry = licenceExpiresOn else { return .unlimited }
        if expiry < today { return .expired }
        if expiry <= today.adding(days: warningDays) { return .expiring }
        return .valid
    }

    /// The name for a download: the stored name, with the format's extension
    /// added when the name lacks it, so a saved file opens with the right program.
    public var downloadName: String {
        let ext = (name as NSString).pathExtension.lowercased()
        if format.extensions.contains(ext) { return name }
        return name + "." + format.primaryExtension
    }

    // MARK: Input rules

    /// Trims a file name to its last path component (browsers on Windows may
    /// send "C:\fakepath\a.png"), without control characters, at most 200 characters.
    public static func cleanFileName(_ raw: String?) -> String {
        var name = (raw ?? "").replacingOccurrences(of: "\\", with: "/")
        if let last = name.split(separator: "/").last { name = String(last) } else { name = "" }
        name = String(name.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.map(Character.init))
        name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.count > 200 {
            let ext = (name as NSString).pathExtension
            let keep = 200 - (ext.isEmpty ? 0 : ext.count + 1)
            name = String(name.prefix(keep)) + (ext.isEmpty ? "" : "." + ext)
        }
        return name
    }

    /// A display name given by a person: required, at most 200 characters, no slashes.
    public static func validateName(_ value: String?, field: String = "name") throws(ValidationError) -> String {
        let name = try Validate.requiredText(value, field: field, max: 200)
        guard !name.contains("/"), !name.contains("\\"),
              !name.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) })
        else { throw ValidationError(field: field, code: "invalid_name") }
        return name
    }

    /// Normalises a folder path: segments trimmed, empty ones dropped ("品牌//春季/" → "品牌/春季").
    /// At most 8 levels of 40 characters each; no backslashes or control characters.
    public static func normalizeFolder(_ value: String?, field: String = "folder") throws(ValidationError) -> String {
        let raw = value ?? ""
        if raw.contains("\\") || raw.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) {
            throw ValidationError(field: field, code: "invalid_folder")
        }
        let segments = raw.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard segments.count <= 8 else { throw ValidationError(field: field, code: "folder_too_deep", params: ["max": "8"]) }
        for segment in segments {
            guard segment.count <= 40 else { throw ValidationError(field: field, code: "too_long", params: ["max": "40"]) }
            guard segment != "." && segment != ".." else { throw ValidationError(field: field, code: "invalid_folder") }
        }
        return segments.joined(separator: "/")
    }

    /// Splits tags typed in one box, on ASCII or Chinese commas and 、.
    public static func splitTags(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" || $0 == ";" || $0 == "；" }).map(String.init)
    }

    /// Trimmed, without blanks or duplicates (case-insensitive, first spelling kept);
    /// at most 20 tags of 30 characters.
    public static func normalizeTags(_ values: [String], field: String = "tags") throws(ValidationError) -> [String] {
        var seen = Set<String>()
        var tags: [String] = []
        for value in values {
            let tag = value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !tag.isEmpty else { continue }
            guard tag.count <= 30 else { throw ValidationError(field: field, code: "tag_too_long", params: ["max": "30"]) }
            guard !tag.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
                throw ValidationError(field: field, code: "invalid_tag")
            }
            if seen.insert(tag.lowercased()).inserted { tags.append(tag) }
        }
        guard tags.count <= 20 else { throw ValidationError(field: field, code: "too_many_tags", params: ["max": "20"]) }
        return tags
    }

    /// An optional YYYY-MM-DD date; blank means none.
    public static func parseLicenceDate(_ value: String?, field: String = "licence_expires_on") throws(ValidationError) -> LocalDate? {
        let text = (value ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        guard let date = LocalDate(text) else { throw ValidationError(field: field, code: "invalid_date") }
        return date
    }
}
