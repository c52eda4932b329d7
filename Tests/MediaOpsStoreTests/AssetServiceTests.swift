import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import SQLKit
import Testing

/// The asset library's rules on every database: one stored copy per distinct
/// file, nothing left behind by a refused upload, licence listings, and which
/// content uses an asset.
@Suite("Asset service")
struct AssetServiceTests {
    /// A database with a workspace and its owner, a storage folder of its own, and the service.
    struct Fixture: Sendable {
        let database: Database
        let storage: LocalAssetStorage
        let service: AssetService
        let owner: Principal
    }

    static func run(_ db: TestDatabase, maxBytes: Int64 = 1 << 20, _ body: @escaping @Sendable (Fixture) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mediaops-assets-\(UUID().uuidString.lowercased())")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await db.with { database in
            let team = TeamService(database: database, secrets: SecretBox(keyMaterial: "test key material"), hasher: PasswordHasher(cost: 4))
            let owner = try await team.setUp(.init(workspaceName: "素材测试", timeZone: "Asia/Shanghai", locale: "zh-Hans",
                                                   ownerName: "林晓", ownerEmail: "owner@example.com", password: "correct horse"))
            let storage = try LocalAssetStorage(directory: folder)
            let principal = Principal(memberID: owner.id, name: owner.name, roleKeys: owner.roleKeys, permissions: Set(Permission.allCases))
            try await body(Fixture(database: database, storage: storage, service: AssetService(database: database, storage: storage, maxBytes: maxBytes),
                                   owner: principal))
        }
    }

    /// Receives bytes the way a request does: in pieces, through the spool.
    static func stage(_ bytes: [UInt8], _ fixture: Fixture, limit: Int64 = 1 << 20) throws -> StagedUpload {
        let spool = try UploadSpool(stagingDirectory: fixture.storage.stagingDirectory, limit: limit)
        try spool.write(bytes.prefix(bytes.count / 2))
        try spool.write(bytes.dropFirst(bytes.count / 2))
        return try spool.finish()
    }

    static func upload(_ bytes: [UInt8], name: String, _ fixture: Fixture, folder: String? = nil, tags: [String]? = nil,
                       licence: String? = nil) async throws -> AssetService.UploadResult {
        try await fixture.service.upload(try stage(bytes, fixture), .init(fileName: name, folder: folder, tags: tags, licenceExpiresOn: licence),
                                         by: fixture.owner)
    }

    /// Stored files (not counting uploads still being received).
    static func storedFiles(_ fixture: Fixture) -> [String] {
        let root = fixture.storage.directory
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        var files: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true, !url.path.contains("/.incoming/") {
                files.append(url.lastPathComponent)
            }
        }
        return files
    }

    static func staged(_ fixture: Fixture) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: fixture.storage.stagingDirectory.path)) ?? []
    }

    static func rowCount(_ fixture: Fixture) async throws -> Int {
        try await fixture.database.sql.raw("SELECT COUNT(*) AS n FROM assets").first()?.decode(column: "n", as: Int.self) ?? -1
    }

    @Test("an upload is stored once under its SHA-256; the same bytes again return the existing asset", arguments: TestDatabase.available)
    func dedupe(db: TestDatabase) async throws {
        try await Self.run(db) { fixture in
            let png = AssetFixtures.png(width: 2, height: 3, seed: 1)
            let first = try await Self.upload(png, name: "品牌主视觉.png", fixture, folder: "品牌/2026春季", tags: ["主视觉", "春季"])
            #expect(first.created)
            #expect(first.asset.kind == .image && first.asset.format == .png && first.asset.mimeType == "image/png")
            #expect(first.asset.width == 2 && first.asset.height == 3)
            #expect(first.asset.byteSize == Int64(png.count))
            #expect(first.asset.folder == "品牌/2026春季" && first.asset.tags == ["主视觉", "春季"])
            #expect(Self.storedFiles(fixture) == [first.asset.sha256])
            let stored = try #require(try await fixture.storage.get(key: first.asset.sha256))
            #expect(Array(try await stored.collect()) == png)

            let again = try await Self.upload(png, name: "另一个名字.png", fixture, folder: "别处")
            #expect(!again.created)
            #expect(again.asset == first.asset, "the existing asset comes back unchanged")
            #expect(try await Self.rowCount(fixture) == 1)
            #expect(Self.storedFiles(fixture).count == 1)
            #expect(Self.staged(fixture).isEmpty)
            let audit = try await AuditRepository(fixture.database.sql).list(filter: AuditFilter(entityType: "asset"), page: PageRequest())
            #expect(audit.items.map(\.action) == [.create])
            #expect(audit.items.first?.entityID == first.asset.id && audit.items.first?.summary == "品牌主视觉.png")
        }
    }

    @Test("a refused upload leaves no row, no stored file and no staged file", arguments: TestDatabase.available)
    func refusals(db: TestDatabase) async throws {
        try await Self.run(db, maxBytes: 4096) { fixture in
            let png = AssetFixtures.png(seed: 2)
            await #expect(throws: ValidationError(field: "file", code: "file_type_mismatch", params: ["extension": "pdf", "detected": "png"])) {
                _ = try await Self.upload(png, name: "报告.pdf", fixture)
            }
            await #expect(throws: ValidationError(field: "file", code: "file_type_mismatch", params: ["extension": "png"])) {
                _ = try await Self.upload(Array("<html><script>alert(1)</script></html>".utf8), name: "cat.png", fixture)
            }
            await #expect(throws: ValidationError(field: "file", code: "unsupported_file_type")) {
                _ = try await Self.upload(Array("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8), name: "logo.svg", fixture)
            }
            await #expect(throws: ValidationError(field: "licence_expires_on", code: "invalid_date")) {
                _ = try await Self.upload(png, name: "a.png", fixture, licence: "2026-02-30")
            }
            await #expect(throws: ValidationError(field: "file", code: "file_empty")) {
                _ = try await Self.upload([], name: "empty.png", fixture)
            }
            // Larger than the service's limit, though the spool let it through.
            await #expect(throws: UploadTooLarge(limit: 4096)) {
                _ = try await Self.upload(AssetFixtures.png(width: 40, height: 40), name: "big.png", fixture)
            }
            // The spool stops at its limit and removes what it wrote.
            let spool = try UploadSpool(stagingDirectory: fixture.storage.stagingDirectory, limit: 10)
            #expect(throws: UploadTooLarge(limit: 10)) { try spool.write([UInt8](repeating: 1, count: 11)) }
            // The insert fails (the uploader is not a member): the stored file is removed again.
            let stranger = Principal(memberID: "mem_nobody", name: "nobody", roleKeys: [], permissions: Set(Permission.allCases))
            await #expect(throws: (any Error).self) {
                _ = try await fixture.service.upload(try Self.stage(png, fixture), .init(fileName: "a.png"), by: stranger)
            }
            #expect(try await Self.rowCount(fixture) == 0)
            #expect(Self.storedFiles(fixture).isEmpty)
            #expect(Self.staged(fixture).isEmpty)
            #expect(try await AuditRepository(fixture.database.sql).list(filter: AuditFilter(entityType: "asset"), page: PageRequest()).total == 0)
        }
    }

    @Test("licences ending soon and licences already expired are listed apart", arguments: TestDatabase.available)
    func expiry(db: TestDatabase) async throws {
        try await Self.run(db) { fixture in
            let today = try await fixture.service.today()
            let offsets: [(String, Int?)] = [("过期.png", -1), ("今天.png", 0), ("十三天.png", 13), ("十四天.png", 14), ("十五天.png", 15), ("长期.png", nil)]
            for (index, (name, offset)) in offsets.enumerated() {
                _ = try await Self.upload(AssetFixtures.png(seed: UInt8(10 + index)), name: name, fixture,
                                          licence: offset.map { today.adding(days: $0).description })
            }
            #expect(try await fixture.service.expiring(withinDays: 14).map(\.name) == ["今天.png", "十三天.png", "十四天.png"])
            #expect(try await fixture.service.expiring(withinDays: 0).map(\.name) == ["今天.png"])
            #expect(try await AssetRepository(fixture.database.sql).expired(before: today).map(\.name) == ["过期.png"])
        }
    }

    static func insertContent(_ database: Database, id: String, title: String, body: String = "<p>正文</p>", cover: String? = nil) async throws {
        let now = Date().epochMilliseconds
        try await database.sql.raw("""
            INSERT INTO content_items (id, title, body, summary, tags, category, cover_asset_id, state, owner_id, group_id, topic_id, planned_at,
            version, review_stage, is_template, search_text, created_by, created_at, updated_at)
            VALUES (\(bind: id), \(bind: title), \(bind: body), '', '[]', 'industry', \(bind: cover), 'draft', NULL, NULL, NULL, NULL,
            1, 0, \(bind: false), \(bind: title), NULL, \(bind: now), \(bind: now))
            """).run()
    }

    static func insertVariant(_ database: Database, contentID: String, platform: String, body: String = "<p>短文</p>", media: [String] = []) async throws {
        let json = "[" + media.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        try await database.sql.raw("""
            INSERT INTO content_variants (id, content_id, platform, title, body, tags, link, media, updated_at)
            VALUES (\(bind: "var_\(UUID().uuidString.prefix(8).lowercased())"), \(bind: contentID), \(bind: platform), '', \(bind: body), '[]', '',
            \(bind: json), \(bind: Date().epochMilliseconds))
            """).run()
    }

    @Test("usage is found through covers, variant media and embedded addresses", arguments: TestDatabase.available)
    func usage(db: TestDatabase) async throws {
        try await Self.run(db) { fixture in
            let today = try await fixture.service.today()
            let cover = try await Self.upload(AssetFixtures.png(seed: 30), name: "封面.png", fixture).asset
            let embedded = try await Self.upload(AssetFixtures.png(seed: 31), name: "插图.png", fixture,
                                                 licence: today.adding(days: -3).description).asset
            let listed = try await Self.upload(AssetFixtures.png(seed: 32), name: "九宫格.png", fixture,
                                               licence: today.adding(days: -1).description).asset
            let unused = try await Self.upload(AssetFixtures.png(seed: 33), name: "闲置.png", fixture,
                                               licence: today.adding(days: -10).description).asset
            try await Self.insertContent(fixture.database, id: "cnt_spring", title: "春季新品上市", cover: cover.id)
            try await Self.insertContent(fixture.database, id: "cnt_story", title: "用户故事：一杯茶",
                                         body: "<p>开头</p><img src=\"/assets/\(embedded.id)/file\" alt=\"\">")
            try await Self.insertContent(fixture.database, id: "cnt_weibo", title: "微博九宫格")
            try await Self.insertVariant(fixture.database, contentID: "cnt_weibo", platform: "weibo", media: [listed.id, cover.id])
            try await Self.insertVariant(fixture.database, contentID: "cnt_weibo", platform: "xiaohongshu",
                                         body: "<p><img src=\"https://ops.example.com/assets/\(embedded.id)/file\"></p>")

            let repository = AssetRepository(fixture.database.sql)
            #expect(try await repository.usage(assetID: cover.id).map(\.contentID).sorted() == ["cnt_spring", "cnt_weibo"])
            #expect(try await repository.usage(assetID: embedded.id).map(\.contentID).sorted() == ["cnt_story", "cnt_weibo"])
            #expect(try await repository.usage(assetID: listed.id).map { $0.title } == ["微博九宫格"])
            #expect(try await repository.usage(assetID: unused.id).isEmpty)
            // An id that is a prefix of another, or with LIKE wildcards, matches nothing else.
            #expect(try await repository.usage(assetID: String(cover.id.dropLast())).isEmpty)
            #expect(try await repository.usage(assetID: "ast_%").isEmpty)

            #expect(try await repository.expiredAssets(usedBy: "cnt_spring", on: Date()).isEmpty)
            #expect(try await repository.expiredAssets(usedBy: "cnt_story", on: Date()).map(\.id) == [embedded.id])
            #expect(try await repository.expiredAssets(usedBy: "cnt_weibo", on: Date()).map(\.id) == [embedded.id, listed.id])
            // Four days ago neither licence had run out.
            #expect(try await repository.expiredAssets(usedBy: "cnt_weibo", on: Date().addingTimeInterval(-4 * 86_400)).isEmpty)
            #expect(try await repository.expiredAssets(usedBy: "cnt_missing", on: Date()).isEmpty)
        }
    }

    @Test("metadata edits are validated, saved with their tags and audited", arguments: TestDatabase.available)
    func edits(db: TestDatabase) async throws {
        try await Self.run(db) { fixture in
            let asset = try await Self.upload(AssetFixtures.png(seed: 40), name: "kv.png", fixture, tags: ["旧标签"]).asset
            let updated = try await fixture.service.update(id: asset.id, .init(name: "主KV.png", folder: "活动/双十一", tags: ["双十一", "KV"],
                                                                              licenceExpiresOn: .some("2027-01-31"), rightsNote: "摄影师授权，限中国大陆"),
                                                        by: fixture.owner)
            #expect(updated.name == "主KV.png" && updated.folder == "活动/双十一" && updated.tags == ["双十一", "KV"])
            #expect(updated.licenceExpiresOn?.description == "2027-01-31")
            let repository = AssetRepository(fixture.database.sql)
            #expect(try await repository.find(id: asset.id) == updated)
            #expect(try await repository.list(filter: AssetFilter(tag: "双十一"), page: PageRequest()).items.map(\.id) == [asset.id])
            #expect(try await repository.list(filter: AssetFilter(tag: "旧标签"), page: PageRequest()).total == 0)
            #expect(try await repository.list(filter: AssetFilter(folder: "活动"), page: PageRequest()).total == 1)
            #expect(try await repository.list(filter: AssetFilter(folder: "活"), page: PageRequest()).total == 0)
            #expect(try await repository.list(filter: AssetFilter(query: "zhu"), page: PageRequest()).total == 1, "pinyin search")
            #expect(try await repository.list(filter: AssetFilter(kind: .video), page: PageRequest()).total == 0)
            #expect(try await repository.tags() == [AssetFacet(value: "KV", count: 1), AssetFacet(value: "双十一", count: 1)])

            await #expect(throws: ValidationError(field: "folder", code: "invalid_folder")) {
                _ = try await fixture.service.update(id: asset.id, .init(folder: "../x"), by: fixture.owner)
            }
            await #expect(throws: NotFoundError(entity: "asset")) {
                _ = try await fixture.service.update(id: "ast_missing", .init(folder: "x"), by: fixture.owner)
            }
            let cleared = try await fixture.service.update(id: asset.id, .init(licenceExpiresOn: .some(nil)), by: fixture.owner)
            #expect(cleared.licenceExpiresOn == nil)
            // Saving the same values again records nothing.
            _ = try await fixture.service.update(id: asset.id, .init(folder: "活动/双十一"), by: fixture.owner)
            let audit = try await AuditRepository(fixture.database.sql).list(filter: AuditFilter(entityType: "asset", entityID: asset.id), page: PageRequest())
            #expect(audit.items.map(\.action) == [.update, .update, .create])
            #expect(audit.items[1].changes["folder"] == ["", "活动/双十一"])
            #expect(audit.items[1].changes["tags"] == ["旧标签", "双十一, KV"])
        }
    }

    @Test("local storage reads ranges and refuses keys that are not digests")
    func storage() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mediaops-storage-\(UUID().uuidString.lowercased())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let storage = try LocalAssetStorage(directory: folder)
        let key = String(repeating: "ab", count: 32)
        let bytes = Data((0..<1000).map { UInt8($0 % 251) })
        #expect(try await storage.put(key: key, data: bytes))
        #expect(try await storage.put(key: key, data: bytes) == false, "the same key is kept once")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("ab/\(key)").path))
        #expect(try await storage.size(key: key) == 1000)
        let part = try #require(try await storage.get(key: key, range: 10...19))
        #expect(part.size == 10 && part.totalSize == 1000)
        #expect(try await part.collect() == bytes[10...19])
        await #expect(throws: InvalidRange(range: 995...1000, size: 1000)) { _ = try await storage.get(key: key, range: 995...1000) }
        await #expect(throws: InvalidStorageKey(key: "../../etc/passwd")) { _ = try await storage.get(key: "../../etc/passwd") }
        #expect(try await storage.get(key: String(repeating: "0", count: 64)) == nil)
        try await storage.delete(key: key)
        #expect(try await storage.size(key: key) == nil)
    }
}

@Suite("Asset licences and approval")
struct AssetApprovalGateTests {
    @Test("content using an asset whose licence has expired cannot be approved", arguments: TestDatabase.available)
    func expiredLicenceBlocksApproval(db: TestDatabase) async throws {
        try await AssetServiceTests.run(db) { fixture in
            let uploaded = try await AssetServiceTests.upload(AssetFixtures.png(seed: 77), name: "过期海报.png", fixture, licence: "2020-01-31")
            let content = ContentService(database: fixture.database)
            let item = try await content.create(.init(title: "海报推文", body: "<p>正文</p><img src=\"/assets/\(uploaded.asset.id)/file\" alt=\"海报\">"),
                                                by: fixture.owner)
            _ = try await content.review(id: item.id, action: .submit, comment: nil, expectedVersion: nil, by: fixture.owner)
            await #expect(throws: ConflictError(code: "asset_licence_expired", params: ["assets": "过期海报.png"])) {
                _ = try await content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: fixture.owner)
            }
            // Renewing the licence lifts the block.
            _ = try await fixture.service.update(id: uploaded.asset.id, .init(licenceExpiresOn: .some("2099-12-31")), by: fixture.owner)
            let approved = try await content.review(id: item.id, action: .approve, comment: nil, expectedVersion: nil, by: fixture.owner)
            #expect(approved.state == .approved)
        }
    }
}
