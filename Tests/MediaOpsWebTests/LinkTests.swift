import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
@testable import MediaOpsWeb
import Testing

/// Every address a page offers — links, form targets, images — is built from
/// the rooms' path enumerations; these tests walk the pages a member can reach
/// and check that each address is a route the router knows, with the method
/// the page uses.
@Suite("Links")
struct LinkTests {
    /// A workspace with one of everything that has its own page.
    static func furnish(_ app: WebHarness) async throws {
        let owner = app.ownerPrincipal
        let writer = try await app.team.createMember(.init(email: "lin@example.com", name: "林晓", roles: ["content"], password: "password123"), by: owner)
        let account = try await app.team.createAccount(.init(platform: "weibo", name: "青禾茶饮官方微博", handle: "qinghetea", groups: ["青禾茶饮"],
                                                             ownerID: .some(writer.id)), by: owner)
        _ = account
        let content = ContentService(database: app.database)
        let item = try await content.create(.init(title: "春茶上新", body: "<p>正文</p>", plannedAt: .some(Date())), by: owner)
        _ = try await content.addVariant(contentID: item.id, platform: .weibo, expectedVersion: nil, by: owner)
        _ = try await content.comment(id: item.id, body: "请改标题", anchor: "master", rangeStart: nil, rangeEnd: nil, quote: "", by: owner)
        _ = try await TopicService(database: app.database).propose(.init(title: "春茶选题"), by: owner)
        _ = try await app.uploadAsset(AssetFixtures.png(seed: 9), name: "春茶海报.png", fields: [("folder", "春季"), ("tags", "海报")])
        _ = try await NotificationChannelService(database: app.database, secrets: app.team.secrets).create(
            .init(name: "值班群", kind: "webhook", url: "https://hooks.example.com/mediaops", secret: nil, events: ["target.failed"]), by: owner)
    }

    /// One address found on a page, and how the page uses it.
    struct Address: Hashable {
        var method: HTTPRequest.Method
        var path: String
        var query: String?
    }

    /// The local addresses a page offers: `href` and `src` are fetched with GET,
    /// a form goes with its method (GET when it names none).
    static func addresses(in html: String) -> [Address] {
        var found: [Address] = []
        func add(_ method: HTTPRequest.Method, _ raw: String) {
            let value = raw.replacingOccurrences(of: "&amp;", with: "&")
            guard value.hasPrefix("/"), !value.hasPrefix("//") else { return }
            let withoutFragment = value.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let parts = withoutFragment.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            found.append(Address(method: method, path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : nil))
        }
        for match in html.matches(of: #/<(?:a|link|img|script)\b[^>]*?\b(?:href|src)="([^"]*)"/#) {
            add(.get, String(match.output.1))
        }
        for match in html.matches(of: #/<form\b([^>]*)>/#) {
            let attributes = String(match.output.1)
            guard let action = attributes.firstMatch(of: #/\baction="([^"]*)"/#) else { continue }
            let method: HTTPRequest.Method = attributes.contains(#"method="post""#) ? .post : .get
            add(method, String(action.output.1))
        }
        return found
    }

    /// Whether a registered route answers `method` at `path`: `{name}` stands
    /// for any one segment.
    static func isRouted(_ address: Address, in table: RouteTable) -> Bool {
        let segments = address.path.split(separator: "/", omittingEmptySubsequences: false)
        return table.records.contains { record in
            guard record.method == address.method else { return false }
            let pattern = record.path.split(separator: "/", omittingEmptySubsequences: false)
            guard pattern.count == segments.count else { return false }
            return zip(pattern, segments).allSatisfy { expected, actual in
                (expected.hasPrefix("{") && expected.hasSuffix("}") && !actual.isEmpty) || expected == actual
            }
        }
    }

    @Test("every link, image and form on every page the owner reaches goes to a registered route", arguments: AppLocale.allCases)
    func everyAddressIsRouted(locale: AppLocale) async throws {
        try await WebHarness.run(.sqlite) { app in
            try await Self.furnish(app)
            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: locale.rawValue), by: app.ownerPrincipal)
            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            var queue = ["/"]
            var visited = Set<String>()
            var unrouted: [String: String] = [:]
            // Pages are followed by path: the same page with another filter or
            // page number offers the same addresses.
            while let next = queue.first, visited.count < 200 {
                queue.removeFirst()
                let path = String(next.split(separator: "?", maxSplits: 1)[0])
                guard visited.insert(path).inserted else { continue }
                let page = try await session.get(next)
                #expect(page.status == .ok, "\(next) answered \(page.status)")
                guard page.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                for address in Self.addresses(in: page.text) {
                    if !Self.isRouted(address, in: app.routeTable) { unrouted["\(address.method) \(address.path)"] = next }
                    let followable = address.method == .get && !address.path.hasPrefix("/static/") && !address.path.hasSuffix("/file")
                        && !address.path.hasSuffix(".csv") && !visited.contains(address.path)
                    if followable { queue.append(address.path + (address.query.map { "?" + $0 } ?? "")) }
                }
            }
            #expect(unrouted.isEmpty, "addresses no route answers (address: page): \(unrouted)")
            // The walk reached the pages with parameters, not only the lists.
            for room in ["/content/", "/topics/", "/assets/", "/accounts/", "/team/members/", "/team/roles/", "/settings/notifications/"] {
                #expect(visited.contains { $0.hasPrefix(room) && $0.count > room.count + 4 }, "no page under \(room) was reached")
            }
        }
    }

    @Test("the path enumerations spell what the router and the content bodies use")
    func pathsAgree() {
        #expect(ContentPath.assetFile(.value("ast_0123456789abcdef")).path == Asset.filePath(id: "ast_0123456789abcdef"))
        #expect(ContentPath.item(.key).path == "/content/{id}")
        #expect(ContentPath.itemVariantDelete(.key, .key).path == "/content/{id}/variants/{platform}/delete")
        #expect(ContentPath.itemVariant(.value("cnt_1"), .value(.wechatOA)).path == "/content/cnt_1/variants/wechat_oa")
        // A value is one segment: it cannot add a segment or a query of its own.
        #expect(ContentPath.item(.value("a b/c?d")).path == "/content/a%20b%2Fc%3Fd")
        #expect(ContentPath.list.query(["planned_on": "2026-12-09", "group": "", "state": "draft,in_review"])
                == "/content?planned_on=2026-12-09&state=draft%2Cin_review")
        #expect(TeamPath.login.query(["next": "/content?q=茶"]) == "/login?next=%2Fcontent%3Fq%3D%E8%8C%B6")
        // Templates reach the plain paths by case name.
        let content = ViewRenderer.paths["content"] as? [String: String]
        #expect(content?["reviewQueue"] == "/content/review")
        #expect((ViewRenderer.paths["team"] as? [String: String])?["home"] == "/")
    }

    @Test("every path a template names exists, and no template spells a path itself")
    func templatesUseThePathTree() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/MediaOpsWeb/Resources/templates")
        let files = try #require(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".mustache") }
        #expect(files.count > 30)
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: #/\{\{paths\.([a-zA-Z]+)\.([a-zA-Z]+)\}\}/#) {
                let room = ViewRenderer.paths[String(match.output.1)] as? [String: String]
                #expect(room?[String(match.output.2)] != nil, "\(file) names \(match.output.0), which is no path")
            }
            if let literal = text.firstMatch(of: #/(?:href|action|src)="\//#) {
                Issue.record("\(file) spells a path: \(text[literal.range.lowerBound...].prefix(60))")
            }
        }
    }

    @Test("an address with a link that no route answers is caught")
    func detectorCatchesUnroutedAddresses() async throws {
        try await WebHarness.run(.sqlite) { app in
            let html = #"<a href="/content/cnt_1">x</a><form method="post" action="/content/cnt_1/nowhere"></form><img src="/assets/ast_1/file">"#
            let addresses = Self.addresses(in: html)
            #expect(addresses.count == 3)
            #expect(addresses.filter { !Self.isRouted($0, in: app.routeTable) }.map(\.path) == ["/content/cnt_1/nowhere"])
        }
    }
}
