import Foundation
import MediaOpsApp
import MediaOpsDomain
import MediaOpsStore

/// A few posters for the demo's asset library — one licence already expired
/// and one running out within the fortnight — with one used as a post's cover.
enum DemoAssets {
    struct Poster { let name: String; let folder: String; let tags: [String]; let colour: (UInt8, UInt8, UInt8); let licenceDays: Int? }

    static let posters: [Poster] = [
        Poster(name: "桂花乌龙拿铁-主视觉.png", folder: "新品/2026冬季", tags: ["主视觉", "新品"], colour: (0xE8, 0xB0, 0x4A), licenceDays: nil),
        Poster(name: "门店-备料间.png", folder: "门店", tags: ["门店", "摄影"], colour: (0x6A, 0x8E, 0x7F), licenceDays: 365),
        Poster(name: "市集快闪-海报.png", folder: "活动/市集", tags: ["活动", "海报"], colour: (0xC8, 0x5A, 0x54), licenceDays: 9),
        Poster(name: "图库-茶园航拍.png", folder: "图库", tags: ["图库", "风景"], colour: (0x4F, 0x7C, 0x3A), licenceDays: -3),
        Poster(name: "瓶装茶-包装对比.png", folder: "零售", tags: ["瓶装茶"], colour: (0x3E, 0x6F, 0xB4), licenceDays: 120),
    ]

    static func load(service: AssetService, database: Database, owner: Principal) async throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd"
        var first: String?
        for poster in posters {
            let spool = try UploadSpool(stagingDirectory: service.storage.stagingDirectory, limit: service.maxBytes)
            try spool.write(SolidColorPNG.make(width: 360, height: 240, red: poster.colour.0, green: poster.colour.1, blue: poster.colour.2))
            let licence = poster.licenceDays.map { formatter.string(from: Date().addingTimeInterval(Double($0) * 86_400)) }
            let result = try await service.upload(try spool.finish(), .init(fileName: poster.name, folder: poster.folder, tags: poster.tags,
                                                                             licenceExpiresOn: licence, rightsNote: poster.licenceDays == nil ? "自有版权" : "图库授权"),
                                                  by: owner)
            if first == nil { first = result.asset.id }
        }
        // The winter launch post uses the key visual as its cover.
        if let cover = first {
            try await database.sql.raw("UPDATE content_items SET cover_asset_id = \(bind: cover) WHERE title LIKE '冬日限定%'").run()
        }
    }
}
