import Foundation
import MediaOpsDomain
import SQLKit

public struct AssetFilter: Sendable, Equatable {
    /// A folder path; its subfolders are included ("品牌" also lists "品牌/2026春季").
    public var folder: String?
    public var kind: AssetKind?
    public var tag: String?
    public var query: String?

    public init(folder: String? = nil, kind: AssetKind? = nil, tag: String? = nil, query: String? = nil) {
        self.folder = folder
        self.kind = kind
        self.tag = tag
        self.query = query
    }
}

public enum AssetSort: String, Sendable, CaseIterable {
    case created, name, size
}

/// A folder or tag with how many assets carry it, for filter menus.
public struct AssetFacet: Sendable, Equatable {
    public var value: String
    public var count: Int

    public init(value: String, count: Int) {
        self.value = value
        self.count = count
    }
}

/// The asset library's table, and the questions other rooms ask about it:
/// which content uses an asset, and which assets a content item may no longer use.
public struct AssetRepository: Sendable {
    let db: any SQLDatabase
    public init(_ db: any SQLDatabase) { self.db = db }

    public func find(id: String) async throws -> Asset? {
        try await db.raw("SELECT * FROM assets WHERE id = \(bind: id)").first().map(asset(from:))
    }

    public func find(sha256: String) async throws -> Asset? {
        try await db.raw("SELECT * FROM assets WHERE sha256 = \(bind: sha256)").first().map(asset(from:))
    }

    public func list(filter: AssetFilter, sort: AssetSort = .created, descending: Bool = true, page: PageRequest) async throws -> Page<Asset> {
        var conditions: [SQLQueryString] = []
        if let folder = filter.folder, !folder.isEmpty {
            conditions.append("(folder = \(bind: folder) OR folder LIKE \(bind: Self.escapeLike(folder) + "/%") ESCAPE '\\')")
        }
        if let kind = filter.kind { conditions.append("kind = \(bind: kind.rawValue)") }
        if let tag = filter.tag, !tag.isEmpty {
            conditions.append("id IN (SELECT asset_id FROM asset_tags WHERE tag = \(bind: tag))")
        }
        if let query = filter.query, !query.isEmpty {
            let pattern = likePattern(query)
            conditions.append("""
                (LOWER(name) LIKE \(bind: pattern) ESCAPE '\\' OR sort_key LIKE \(bind: pattern) ESCAPE '\\'
                OR LOWER(folder) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(tags) LIKE \(bind: pattern) ESCAPE '\\'
                OR LOWER(rights_note) LIKE \(bind: pattern) ESCAPE '\\')
                """)
        }
        let whereClause = whereSQL(conditions)
        let direction = descending ? "DESC" : "ASC"
        let order = switch sort {
        case .created: "created_at \(direction)"
        case .name: "sort_key \(direction)"
        case .size: "byte_size \(direction)"
        }
        let total = try await db.raw("SELECT COUNT(*) AS n FROM assets " + whereClause).first()?.int("n") ?? 0
        let rows = try await db.raw("SELECT * FROM assets " + whereClause
            + " ORDER BY \(unsafeRaw: order), id ASC LIMIT \(bind: page.perPage) OFFSET \(bind: page.offset)").all()
        return Page(items: try rows.map(asset(from:)), total: total, page: page.page, perPage: page.perPage)
    }

    /// Assets whose licence ends between `from` and `through` (both included), soonest first.
    public func expiring(from: LocalDate, through: LocalDate, limit: Int = 200) async throws -> [Asset] {
        try await db.raw("""
            SELECT * FROM assets WHERE licence_expires_on >= \(bind: from.description) AND licence_expires_on <= \(bind: through.description)
            ORDER BY licence_expires_on ASC, sort_key ASC LIMIT \(bind: limit)
            """).all().map(asset(from:))
    }

    /// Assets whose licence ended before `day`, most recently expired first.
    public func expired(before day: LocalDate, limit: Int = 200) async throws -> [Asset] {
        try await db.raw("""
            SELECT * FROM assets WHERE licence_expires_on < \(bind: day.description)
            ORDER BY licence_expires_on DESC, sort_key ASC LIMIT \(bind: limit)
            """).all().map(asset(from:))
    }

    public func folders() async throws -> [AssetFacet] {
        try await db.raw("SELECT folder, COUNT(*) AS n FROM assets WHERE folder <> '' GROUP BY folder").all()
            .map { AssetFacet(value: try $0.string("folder"), count: try $0.int("n")) }
            .sortedByName(\.value)
    }

    public func tags() async throws -> [AssetFacet] {
        try await db.raw("SELECT tag, COUNT(*) AS n FROM asset_tags GROUP BY tag").all()
            .map { AssetFacet(value: try $0.string("tag"), count: try $0.int("n")) }
            .sortedByName(\.value)
    }

    public func create(_ asset: Asset) async throws {
        try await db.raw("""
            INSERT INTO assets (id, name, sort_key, kind, format, mime_type, byte_size, sha256, width, height, folder, tags,
            licence_expires_on, rights_note, uploaded_by, uploaded_by_name, created_at, updated_at)
            VALUES (\(bind: asset.id), \(bind: asset.name), \(bind: SortKey.make(asset.name)), \(bind: asset.kind.rawValue),
            \(bind: asset.format.rawValue), \(bind: asset.mimeType), \(bind: asset.byteSize), \(bind: asset.sha256), \(bind: asset.width),
            \(bind: asset.height), \(bind: asset.folder), \(bind: JSONText.encode(asset.tags)), \(bind: asset.licenceExpiresOn?.description),
            \(bind: asset.rightsNote), \(bind: asset.uploadedBy), \(bind: asset.uploadedByName),
            \(bind: asset.createdAt.epochMilliseconds), \(bind: asset.updatedAt.epochMilliseconds))
            """).run()
        try await setTags(asset.tags, for: asset.id)
    }

    /// Saves the editable metadata; the bytes and what was read from them never change.
    public func update(_ asset: Asset) async throws {
        try await db.raw("""
            UPDATE assets SET name = \(bind: asset.name), sort_key = \(bind: SortKey.make(asset.name)), folder = \(bind: asset.folder),
            tags = \(bind: JSONText.encode(asset.tags)), licence_expires_on = \(bind: asset.licenceExpiresOn?.description),
            rights_note = \(bind: asset.rightsNote), updated_at = \(bind: asset.updatedAt.epochMilliseconds)
            WHERE id = \(bind: asset.id)
            """).run()
        try await setTags(asset.tags, for: asset.id)
    }

    private func setTags(_ tags: [String], for id: String) async throws {
        try await db.raw("DELETE FROM asset_tags WHERE asset_id = \(bind: id)").run()
        for tag in Set(tags) {
            try await db.raw("INSERT INTO asset_tags (asset_id, tag) VALUES (\(bind: id), \(bind: tag))").run()
        }
    }

    // MARK: Usage and rights

    /// The content items that use an asset: as their cover, in a platform
    /// variant's media list, or embedded in the body of the item or a variant
    /// (by its `/assets/<id>/file` address). Each item once, ordered by title.
    public func usage(assetID: String) async throws -> [(contentID: String, title: String)] {
        let embedded = "%" + Self.escapeLike(Asset.filePath(id: assetID)) + "%"
        let listed = "%" + Self.escapeLike("\"\(assetID)\"") + "%"
        let rows = try await db.raw("""
            SELECT id, title FROM content_items
            WHERE cover_asset_id = \(bind: assetID) OR body LIKE \(bind: embedded) ESCAPE '\\'
            UNION
            SELECT c.id, c.title FROM content_variants v JOIN content_items c ON c.id = v.content_id
            WHERE v.media LIKE \(bind: listed) ESCAPE '\\' OR v.body LIKE \(bind: embedded) ESCAPE '\\'
            """).all()
        return try rows.map { (contentID: try $0.string("id"), title: try $0.string("title")) }
            .sorted { $0.contentID < $1.contentID }.sortedByName(\.title)
    }

    /// The ids of every asset a content item refers to, by the same rules as `usage`.
    public func assetIDs(usedBy contentID: String) async throws -> Set<String> {
        var ids = Set<String>()
        if let item = try await db.raw("SELECT body, cover_asset_id FROM content_items WHERE id = \(bind: contentID)").first() {
            if let cover = try item.optionalString("cover_asset_id"), !cover.isEmpty { ids.insert(cover) }
            ids.formUnion(Self.embeddedAssetIDs(in: try item.string("body")))
        }
        for row in try await db.raw("SELECT body, media FROM content_variants WHERE content_id = \(bind: contentID)").all() {
            ids.formUnion(Self.embeddedAssetIDs(in: try row.string("body")))
            ids.formUnion(JSONText.decode([String].self, from: try row.string("media")) ?? [])
        }
        return ids
    }

    /// The assets a content item uses whose licence has expired on `date`'s day
    /// in `timeZone` (the workspace's zone when nil). An approval gate refuses
    /// content that would publish one of these.
    public func expiredAssets(usedBy contentID: String, on date: Date, timeZone: TimeZone? = nil) async throws -> [Asset] {
        let ids = try await assetIDs(usedBy: contentID).filter(Identifier.isPlausible)
        guard !ids.isEmpty else { return [] }
        let zone: TimeZone
        if let timeZone {
            zone = timeZone
        } else {
            zone = try await WorkspaceRepository(db).get().flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(identifier: "Asia/Shanghai")!
        }
        let today = LocalDate(date, timeZone: zone)
        return try await db.raw("""
            SELECT * FROM assets WHERE id IN (\(binds: ids.sorted())) AND licence_expires_on < \(bind: today.description)
            ORDER BY licence_expires_on ASC, sort_key ASC
            """).all().map(asset(from:))
    }

    /// Asset ids in `/assets/<id>/file` addresses inside HTML (relative or absolute URLs).
    static func embeddedAssetIDs(in html: String) -> Set<String> {
        var ids = Set<String>()
        var rest = html[...]
        while let start = rest.range(of: "/assets/") {
            let after = rest[start.upperBound...]
            let id = after.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
            if !id.isEmpty, after.dropFirst(id.count).hasPrefix("/file") { ids.insert(String(id)) }
            rest = after
        }
        return ids
    }

    /// Escapes LIKE wildcards without changing case (ids and folders match exactly).
    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    private func asset(from row: any SQLRow) throws -> Asset {
        let format = try row.value("format", as: FileFormat.self)
        return Asset(
            id: try row.string("id"),
            name: try row.string("name"),
            kind: try row.value("kind", as: AssetKind.self),
            format: format,
            mimeType: try row.string("mime_type"),
            byteSize: try row.decode(column: "byte_size", as: Int64.self),
            sha256: try row.string("sha256"),
            width: try row.decodeNil(column: "width") ? nil : try row.int("width"),
            height: try row.decodeNil(column: "height") ? nil : try row.int("height"),
            folder: try row.string("folder"),
            tags: JSONText.decode([String].self, from: try row.string("tags")) ?? [],
            uploadedBy: try row.optionalString("uploaded_by"),
            uploadedByName: try row.string("uploaded_by_name"),
            licenceExpiresOn: try row.optionalString("licence_expires_on").flatMap(LocalDate.init),
            rightsNote: try row.string("rights_note"),
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at")
        )
    }
}
