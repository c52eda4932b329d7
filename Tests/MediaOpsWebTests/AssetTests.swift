import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MediaOpsApp
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import NIOCore
import SQLKit
import Testing

@Suite("Asset library")
struct AssetTests {
    /// Runs with a data folder the test knows, to look at what was stored.
    static func run(maxBytes: Int64? = nil, _ body: @escaping @Sendable (WebHarness, URL) async throws -> Void) async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("mediaops-asset-web-\(UUID().uuidString.lowercased())")
        defer { try? FileManager.default.removeItem(at: data) }
        try await WebHarness.run(.sqlite, configure: { configuration in
            configuration.dataDirectory = data.path
            if let maxBytes { configuration.uploadMaxBytes = maxBytes }
        }) { app in
            try await body(app, data.appendingPathComponent("assets"))
        }
    }

    /// Files in the store and files still in its staging folder.
    static func files(_ root: URL) -> (stored: [String], staged: [String]) {
        var stored: [String] = [], staged: [String] = []
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            if url.path.contains("/.incoming/") { staged.append(url.lastPathComponent) } else { stored.append(url.lastPathComponent) }
        }
        return (stored, staged)
    }

    static func today() -> LocalDate { LocalDate(Date(), timeZone: TimeZone(identifier: "Asia/Shanghai")!) }

    @Test("an API upload answers 201; the same bytes again answer 200 with the same asset")
    func apiUpload() async throws {
        try await Self.run { app, root in
            let png = AssetFixtures.png(width: 1, height: 1)
            // The declared type is ignored: the bytes say PNG.
            let form = MultipartForm.file(png, name: "品牌主视觉.png", contentType: "image/gif",
                                          fields: [("folder", "品牌/2026春季"), ("tags", "主视觉，春季"), ("licence_expires_on", "2030-12-31"), ("rights_note", "自有版权")])
            let created = try await app.upload(form, token: app.ownerToken)
            #expect(created.status == .created, "\(created.text)")
            let asset = created.json
            let id = try #require(asset["id"] as? String)
            #expect(id.hasPrefix("ast_"))
            #expect(asset["name"] as? String == "品牌主视觉.png")
            #expect(asset["kind"] as? String == "image" && asset["format"] as? String == "png" && asset["mime_type"] as? String == "image/png")
            #expect(asset["width"] as? Int == 1 && asset["height"] as? Int == 1)
            #expect(asset["size"] as? Int == png.count)
            #expect(asset["folder"] as? String == "品牌/2026春季")
            #expect(asset["tags"] as? [String] == ["主视觉", "春季"])
            #expect(asset["licence_expires_on"] as? String == "2030-12-31" && asset["licence_status"] as? String == "valid")
            #expect((asset["uploaded_by"] as? [String: Any])?["name"] as? String == "林晓")
            #expect(asset["file_url"] as? String == "/api/v1/assets/\(id)/file")

            let again = try await app.upload(.file(png, name: "copy.png"), token: app.ownerToken)
            #expect(again.status == .ok)
            #expect(again.json["id"] as? String == id && again.json["name"] as? String == "品牌主视觉.png")
            let list = try await app.api(.get, "/api/v1/assets", token: app.ownerToken)
            #expect(list.json["total"] as? Int == 1 && list.json["page"] as? Int == 1 && list.json["per_page"] as? Int == 50)
            #expect(Self.files(root).stored.count == 1 && Self.files(root).staged.isEmpty)

            let detail = try await app.api(.get, "/api/v1/assets/\(id)", token: app.ownerToken)
            #expect(detail.json["used_by"] as? [Any] != nil)
            #expect(try await app.api(.get, "/api/v1/assets/ast_missing", token: app.ownerToken).status == .notFound)
        }
    }

    @Test("the upload page posts a multipart form with its CSRF token")
    func pageUpload() async throws {
        try await Self.run { app, root in
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let page = try await browser.get("/assets/upload")
            #expect(page.status == .ok)
            #expect(page.text.contains("enctype=\"multipart/form-data\""))
            #expect(page.text.contains("上传素材"))

            let response = try await browser.upload(.file(AssetFixtures.png(seed: 5), name: "海报.png", fields: [("folder", "活动"), ("tags", "海报")]))
            #expect(response.status == .seeOther)
            let location = try #require(response.location)
            #expect(location.hasPrefix("/assets/ast_"))
            let detail = try await browser.follow(response)
            #expect(detail.status == .ok)
            #expect(detail.text.contains("素材已上传。"))
            #expect(detail.text.contains("海报.png"))
            #expect(detail.text.contains("<img src=\"\(location)/file\""))
            #expect(detail.text.contains("还没有内容使用这个素材。"))

            // Without the token, or with it only after the file, nothing is kept.
            let forged = try await browser.upload(.file(AssetFixtures.png(seed: 6), name: "forged.png"), csrf: false)
            #expect(forged.status == .forbidden)
            var late = MultipartForm.file(AssetFixtures.png(seed: 7), name: "late.png")
            late.field("_csrf", try #require(try await browser.get("/assets/upload").formToken))
            let lateResponse = try await app.client.execute(uri: "/assets", method: .post,
                                                            headers: [.cookie: browser.cookie, .contentType: late.contentType], body: late.body)
            #expect(lateResponse.status == .forbidden)
            #expect(Self.files(root).stored.count == 1 && Self.files(root).staged.isEmpty)

            // A refused file re-renders the form with the reason next to the field.
            let refused = try await browser.upload(.file(AssetFixtures.png(seed: 8), name: "报告.pdf", fields: [("folder", "活动/二期")]))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("文件内容与扩展名“.pdf”不符"))
            #expect(refused.text.contains("value=\"活动/二期\""), "other fields are kept")

            let list = try await browser.get("/assets")
            #expect(list.status == .ok)
            #expect(list.text.contains("海报.png") && list.text.contains("活动（1）"))
        }
    }

    @Test("mislabelled and unknown files are refused with 422 and nothing is stored")
    func refusals() async throws {
        try await Self.run { app, root in
            let cases: [([UInt8], String, String)] = [
                (AssetFixtures.png(), "report.pdf", "file_type_mismatch"),
                (Array("<!doctype html><script>alert(document.cookie)</script>".utf8), "cute-cat.png", "file_type_mismatch"),
                (Array("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".utf8), "logo.png", "file_type_mismatch"),
                (Array("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8), "logo.svg", "unsupported_file_type"),
                (Array("#!/bin/sh\necho hi\n".utf8), "run.sh", "unsupported_file_type"),
            ]
            for (bytes, name, code) in cases {
                let response = try await app.upload(.file(bytes, name: name, contentType: "image/png"), token: app.ownerToken)
                #expect(response.status == .unprocessableContent, "\(name)")
                #expect(response.errorCode == code, "\(name)")
                #expect(response.errorField == "file", "\(name)")
                #expect(response.errorMessage?.isEmpty == false)
            }
            var noFile = MultipartForm()
            noFile.field("folder", "x")
            let missing = try await app.upload(noFile, token: app.ownerToken)
            #expect(missing.status == .unprocessableContent && missing.errorCode == "file_required")
            let json = try await app.api(.post, "/api/v1/assets", token: app.ownerToken, json: "{}")
            #expect(json.status == .unsupportedMediaType && json.errorCode == "multipart_required")
            let cut = try await app.client.execute(uri: "/api/v1/assets", method: .post,
                                                   headers: [.authorization: "Bearer \(app.ownerToken!)", .contentType: MultipartForm.file(AssetFixtures.png(), name: "a.png").contentType],
                                                   body: ByteBuffer(bytes: Array(MultipartForm.file(AssetFixtures.png(), name: "a.png").body.readableBytesView.prefix(150))))
            #expect(cut.status == .badRequest && cut.errorCode == "invalid_multipart")
            #expect(try await app.api(.get, "/api/v1/assets", token: app.ownerToken).json["total"] as? Int == 0)
            #expect(Self.files(root).stored.isEmpty && Self.files(root).staged.isEmpty)
        }
    }

    @Test("an upload over the configured limit answers 413 and stores nothing")
    func tooLarge() async throws {
        try await Self.run(maxBytes: 2048) { app, root in
            let big = AssetFixtures.png(width: 30, height: 30)
            #expect(big.count > 2048)
            let response = try await app.upload(.file(big, name: "big.png"), token: app.ownerToken)
            #expect(response.status == .contentTooLarge)
            #expect(response.errorCode == "file_too_large" && response.errorField == "file")
            #expect(response.errorMessage?.contains("2 KB") == true)
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let page = try await browser.upload(.file(big, name: "big.png"))
            #expect(page.status == .contentTooLarge)
            #expect(page.text.contains("文件超过了 2 KB 的上传上限。"))
            // Under the limit still works.
            #expect(try await app.upload(.file(AssetFixtures.png(), name: "small.png"), token: app.ownerToken).status == .created)
            #expect(Self.files(root).stored.count == 1 && Self.files(root).staged.isEmpty)
        }
    }

    @Test("a file of several megabytes streams through under the default limit")
    func largeUpload() async throws {
        try await Self.run { app, root in
            // A PDF padded to 3 MB: well past the 1 MiB cap on JSON bodies, well under 200 MB.
            let pdf = AssetFixtures.pdf() + [UInt8](repeating: 0x20, count: 3 * 1024 * 1024)
            let response = try await app.upload(.file(pdf, name: "品牌手册.pdf"), token: app.ownerToken)
            #expect(response.status == .created, "\(response.text)")
            #expect(response.json["size"] as? Int == pdf.count && response.json["kind"] as? String == "document")
            let id = try #require(response.json["id"] as? String)
            let file = try await app.api(.get, "/api/v1/assets/\(id)/file", token: app.ownerToken)
            #expect(file.body.readableBytes == pdf.count)
            #expect(Self.files(root).stored.count == 1 && Self.files(root).staged.isEmpty)
        }
    }

    @Test("asset pages render in both languages with no missing text", arguments: AppLocale.allCases)
    func pagesRender(locale: AppLocale) async throws {
        try await Self.run { app, _ in
            let today = Self.today()
            let image = try await app.uploadAsset(AssetFixtures.png(seed: 50), name: "主视觉KV.png",
                                                  fields: [("folder", "品牌/春季"), ("tags", "KV, 春季"), ("licence_expires_on", today.adding(days: 2).description),
                                                           ("rights_note", "摄影师授权")])
            let font = try await app.uploadAsset(AssetFixtures.openTypeFont(), name: "思源黑体.otf",
                                                 fields: [("licence_expires_on", today.adding(days: -2).description)])
            let pdf = try await app.uploadAsset(AssetFixtures.pdf(), name: "品牌简报.pdf")
            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: locale.rawValue), by: app.ownerPrincipal)
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let folder = "品牌".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            for uri in ["/assets", "/assets?kind=image&folder=\(folder)", "/assets?q=nothing-matches", "/assets/upload", "/assets/\(image)", "/assets/\(font)",
                        "/assets/\(pdf)"] {
                let page = try await browser.get(uri)
                #expect(page.status == .ok, "\(uri)")
                if let range = page.text.range(of: #"(?<!code)>\s*[a-z]+\.[a-z_]+\.?[a-z_]*\s*<"#, options: .regularExpression) {
                    Issue.record("\(uri) shows a raw catalog key: \(page.text[range])")
                }
                #expect(!page.text.contains("{"), "\(uri) shows an unfilled placeholder")
                #expect(page.text.contains(locale == .zhHans ? "素材库" : "Asset library"), "\(uri)")
            }
            let list = try await browser.get("/assets")
            #expect(list.text.contains(locale == .zhHans ? "文件夹：品牌/春季" : "Folder: 品牌/春季"))
            #expect(list.text.contains("aria-current=\"page\">\(locale == .zhHans ? "素材库" : "Asset library")</a>"), "the nav marks the library")
        }
    }

    @Test("downloads carry the stored type, nosniff, the right disposition, ETag and ranges")
    func downloads() async throws {
        try await Self.run { app, _ in
            let png = AssetFixtures.png(width: 2, height: 2, seed: 9)
            let image = try await app.uploadAsset(png, name: "海报 终稿.png")
            let response = try await app.api(.get, "/api/v1/assets/\(image)/file", token: app.ownerToken)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "image/png")
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(response.headers[.contentDisposition] == "inline; filename=\"__ __.png\"; filename*=UTF-8''%E6%B5%B7%E6%8A%A5%20%E7%BB%88%E7%A8%BF.png")
            #expect(response.headers[.contentSecurityPolicy]?.contains("sandbox") == true)
            #expect(Array(response.body.readableBytesView) == png)
            let etag = try #require(response.headers[.eTag])

            let cached = try await app.api(.get, "/api/v1/assets/\(image)/file", token: app.ownerToken, headers: [.ifNoneMatch: etag])
            #expect(cached.status == .notModified && cached.body.readableBytes == 0)
            let part = try await app.api(.get, "/api/v1/assets/\(image)/file", token: app.ownerToken, headers: [.range: "bytes=0-7"])
            #expect(part.status == .partialContent)
            #expect(part.headers[.contentRange] == "bytes 0-7/\(png.count)")
            #expect(Array(part.body.readableBytesView) == Array(png.prefix(8)))
            let outside = try await app.api(.get, "/api/v1/assets/\(image)/file", token: app.ownerToken, headers: [.range: "bytes=9999-"])
            #expect(outside.status == .rangeNotSatisfiable && outside.headers[.contentRange] == "bytes */\(png.count)")

            let forced = try await app.api(.get, "/api/v1/assets/\(image)/file?download=1", token: app.ownerToken)
            #expect(forced.headers[.contentDisposition]?.hasPrefix("attachment;") == true)

            let font = try await app.uploadAsset(AssetFixtures.openTypeFont(), name: "SourceHanSans.otf")
            let fontFile = try await app.api(.get, "/api/v1/assets/\(font)/file", token: app.ownerToken)
            #expect(fontFile.headers[.contentType] == "font/otf")
            #expect(fontFile.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"SourceHanSans.otf\"") == true)

            let pdf = try await app.uploadAsset(AssetFixtures.pdf(), name: "品牌手册.pdf")
            let pdfFile = try await app.api(.get, "/api/v1/assets/\(pdf)/file", token: app.ownerToken)
            #expect(pdfFile.headers[.contentType] == "application/pdf")
            #expect(pdfFile.headers[.contentDisposition]?.hasPrefix("inline;") == true)

            // The page address serves the same bytes to a signed-in browser.
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let viaPage = try await browser.get("/assets/\(image)/file")
            #expect(viaPage.status == .ok && Array(viaPage.body.readableBytesView) == png)
        }
    }

    @Test("a viewer can browse the library but cannot upload or edit")
    func viewer() async throws {
        try await Self.run { app, root in
            let id = try await app.uploadAsset(AssetFixtures.png(seed: 11), name: "a.png")
            let (_, token) = try await app.member(["viewer"])
            #expect(try await app.api(.get, "/api/v1/assets", token: token).status == .ok)
            #expect(try await app.api(.get, "/api/v1/assets/\(id)/file", token: token).status == .ok)
            let upload = try await app.upload(.file(AssetFixtures.png(seed: 12), name: "b.png"), token: token)
            #expect(upload.status == .forbidden && upload.errorCode == "forbidden")
            let patch = try await app.api(.patch, "/api/v1/assets/\(id)", token: token, json: #"{"folder":"x"}"#)
            #expect(patch.status == .forbidden)
            #expect(try await app.api(.get, "/api/v1/assets", token: token).json["total"] as? Int == 1)
            #expect(Self.files(root).stored.count == 1 && Self.files(root).staged.isEmpty)
            // A designer may upload.
            let (_, designer) = try await app.member(["designer"])
            #expect(try await app.upload(.file(AssetFixtures.png(seed: 13), name: "c.png"), token: designer).status == .created)
        }
    }

    @Test("uploads and edits are audited")
    func audit() async throws {
        try await Self.run { app, _ in
            let id = try await app.uploadAsset(AssetFixtures.png(seed: 14), name: "kv.png")
            let patch = try await app.api(.patch, "/api/v1/assets/\(id)", token: app.ownerToken,
                                          json: #"{"folder":"活动/双十一","tags":["双十一","KV"],"licence_expires_on":"2031-01-31","rights_note":"摄影师授权"}"#)
            #expect(patch.status == .ok, "\(patch.text)")
            #expect(patch.json["folder"] as? String == "活动/双十一" && patch.json["tags"] as? [String] == ["双十一", "KV"])
            let invalid = try await app.api(.patch, "/api/v1/assets/\(id)", token: app.ownerToken, json: #"{"licence_expires_on":"2031-02-30"}"#)
            #expect(invalid.status == .unprocessableContent && invalid.errorField == "licence_expires_on" && invalid.errorCode == "invalid_date")
            let log = try await app.api(.get, "/api/v1/audit-log?entity_type=asset", token: app.ownerToken)
            let items = try #require(log.json["items"] as? [[String: Any]])
            #expect(items.compactMap { $0["action"] as? String } == ["update", "create"])
            #expect(items.allSatisfy { $0["entity_id"] as? String == id })
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let page = try await browser.get("/assets/\(id)")
            #expect(page.text.contains("修改素材「kv.png」"))
            // Editing through the page form.
            let saved = try await browser.post("/assets/\(id)", form: [("name", "主KV.png"), ("folder", "活动"), ("tags", "KV、主视觉"),
                                                                      ("licence_expires_on", ""), ("rights_note", "")], from: "/assets/\(id)")
            #expect(saved.status == .seeOther)
            let after = try await app.api(.get, "/api/v1/assets/\(id)", token: app.ownerToken)
            #expect(after.json["name"] as? String == "主KV.png" && after.json["tags"] as? [String] == ["KV", "主视觉"])
            #expect(after.json["licence_expires_on"] is NSNull)
            let wrong = try await browser.post("/assets/\(id)", form: [("name", "主KV.png"), ("folder", "../x")], from: "/assets/\(id)")
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("文件夹名称不能包含"))
        }
    }

    @Test("licences ending soon, expired markers, filters and usage")
    func licencesAndUsage() async throws {
        try await Self.run { app, _ in
            let today = Self.today()
            let soon = try await app.uploadAsset(AssetFixtures.png(seed: 20), name: "快到期.png",
                                                 fields: [("licence_expires_on", today.adding(days: 3).description), ("folder", "品牌/2026春季")])
            let expired = try await app.uploadAsset(AssetFixtures.png(seed: 21), name: "已过期.png",
                                                    fields: [("licence_expires_on", today.adding(days: -1).description), ("tags", "旧图")])
            _ = try await app.uploadAsset(AssetFixtures.openTypeFont(), name: "字体.otf", fields: [("folder", "品牌")])

            let expiring = try await app.api(.get, "/api/v1/assets/expiring", token: app.ownerToken)
            #expect((expiring.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [soon])
            #expect((expiring.json["items"] as? [[String: Any]])?.first?["licence_status"] as? String == "expiring")
            let badDays = try await app.api(.get, "/api/v1/assets/expiring?days=400", token: app.ownerToken)
            #expect(badDays.status == .unprocessableContent && badDays.errorField == "days")

            let folder = "品牌".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(try await app.api(.get, "/api/v1/assets?folder=\(folder)", token: app.ownerToken).json["total"] as? Int == 2)
            #expect(try await app.api(.get, "/api/v1/assets?kind=font", token: app.ownerToken).json["total"] as? Int == 1)
            #expect(try await app.api(.get, "/api/v1/assets?kind=poster", token: app.ownerToken).errorField == "kind")
            let tag = "旧图".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(try await app.api(.get, "/api/v1/assets?tag=\(tag)", token: app.ownerToken).json["total"] as? Int == 1)
            let named = try await app.api(.get, "/api/v1/assets?sort=name", token: app.ownerToken)
            #expect((named.json["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["快到期.png", "已过期.png", "字体.otf"])

            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let list = try await browser.get("/assets")
            #expect(list.text.contains("14 天内授权到期"))
            #expect(list.text.contains("还剩 3 天"))
            #expect(list.text.contains("授权已过期"))
            #expect(list.text.contains("status-licence-expired"))

            // Content that uses an asset is listed on its page, with a link.
            let now = Date().epochMilliseconds
            try await app.database.sql.raw("""
                INSERT INTO content_items (id, title, body, summary, tags, category, cover_asset_id, state, owner_id, group_id, topic_id, planned_at,
                version, review_stage, is_template, search_text, created_by, created_at, updated_at)
                VALUES ('cnt_spring', '春季新品上市', \(bind: "<p><img src=\"/assets/\(expired)/file\"></p>"), '', '[]', 'industry', \(bind: soon), 'draft',
                NULL, NULL, NULL, NULL, 1, 0, \(bind: false), '春季新品上市', NULL, \(bind: now), \(bind: now))
                """).run()
            let detail = try await browser.get("/assets/\(soon)")
            #expect(detail.text.contains("<a href=\"/content/cnt_spring\">春季新品上市</a>"))
            #expect(detail.text.contains("授权将于"))
            let api = try await app.api(.get, "/api/v1/assets/\(expired)", token: app.ownerToken)
            #expect((api.json["used_by"] as? [[String: Any]])?.first?["url"] as? String == "/content/cnt_spring")
            #expect(try await AssetRepository(app.database.sql).expiredAssets(usedBy: "cnt_spring", on: Date()).map(\.id) == [expired])
        }
    }

    @Test("the empty library says what it is for and offers the first upload", arguments: AppLocale.allCases)
    func emptyState(locale: AppLocale) async throws {
        try await Self.run { app, _ in
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            _ = try await browser.post("/lang", form: [("locale", locale.rawValue), ("next", "/assets")])
            let page = try await browser.get("/assets")
            #expect(page.status == .ok)
            let expected = locale == .zhHans ? "素材库还是空的" : "The library is empty"
            #expect(page.text.contains(expected))
            #expect(page.text.contains("href=\"/assets/upload\""))
            #expect(!page.text.contains("assets."), "no catalog key shows through")
        }
    }
}
