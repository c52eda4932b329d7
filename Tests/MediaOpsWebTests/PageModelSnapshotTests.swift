import Foundation
import MediaOpsDomain
import MediaOpsStore
@testable import MediaOpsWeb
import SnapshotTesting
import Testing

/// Pages rendered straight from their models: no database, no server, no
/// request. A template or catalog change shows up here as a snapshot diff in
/// milliseconds; `PageTests` walks the same pages through the running app.
@Suite("Page models render without a database")
struct PageModelSnapshotTests {
    static func layout(_ t: Localizer, title: String, signedIn: Bool) -> LayoutModel {
        let nav = signedIn ? [
            LayoutModel.NavItem(label: t.t("nav.home"), href: "/", active: false, open: false, children: [], hasSubnav: false),
            LayoutModel.NavItem(label: t.t("nav.content"), href: "/content", active: true, open: false, children: [], hasSubnav: false),
        ] : []
        return LayoutModel(title: title, htmlLang: t.locale.rawValue, workspaceName: "青禾茶饮 · 新媒体中心",
                           user: signedIn ? .init(name: "林晓", email: "lin@example.com", initial: "林") : nil,
                           nav: nav, csrf: "CSRF", flash: nil, switchLocale: t.locale == .zhHans ? "en" : "zh-Hans",
                           switchLocaleLabel: t.t("locale.\(t.locale == .zhHans ? "en" : "zh-Hans")"), currentPath: "/content",
                           searchQuery: "", unread: signedIn ? "3" : nil, freezeReason: nil, maxBodyBytes: 8 << 20, tooLargeMessage: t.t("error.too_large"))
    }

    @Test("sign-in, first-run setup and error pages render from their models in both languages", arguments: AppLocale.allCases)
    func renderFromModels(locale: AppLocale) async throws {
        let renderer = try await ViewRenderer.bundled()
        let t = Localizer(locale: locale, catalogs: renderer.catalogs)

        let login = renderer.html(.login, page: AuthController.LoginPage(email: "lin@example.com", next: "/content", error: t.t("error.invalid_credentials")),
                                  layout: Self.layout(t, title: t.t("login.title"), signedIn: false), locale: locale)
        #expect(login.contains(#"value="lin@example.com""#) && login.contains(t.t("error.invalid_credentials")))
        assertSnapshot(of: login, as: .lines, named: "login-\(locale.rawValue)")

        let setup = renderer.html(.setup, page: AuthController.SetupPage(
            values: ["workspace_name": "青禾茶饮", "email": "not-an-email"], errors: ["email": t.t("error.invalid_email")],
            summary: t.t("error.generic"),
            // A fixed list: the real one carries today's UTC offsets, which move with daylight saving.
            timeZones: [SelectGroup(label: "常用时区", options: [SelectOption(value: "Asia/Shanghai", label: "北京时间（UTC+8）", selected: true),
                                                              SelectOption(value: "Europe/London", label: "伦敦", selected: false)])],
            locales: AppLocale.allCases.map { SelectOption(value: $0.rawValue, label: t.t("locale.\($0.rawValue)"), selected: $0 == locale) }),
            layout: Self.layout(t, title: t.t("setup.title"), signedIn: false), locale: locale)
        #expect(setup.contains(t.t("error.invalid_email")) && setup.contains("Asia/Shanghai"))
        assertSnapshot(of: setup, as: .lines, named: "setup-\(locale.rawValue)")

        let error = renderer.html(.error, page: ErrorPageModel(status: 404, heading: t.t("errors.not_found_title"), message: t.t("error.not_found"),
                                                               requestID: "req_fixed", signedIn: true),
                                  layout: Self.layout(t, title: t.t("errors.not_found_title"), signedIn: true), locale: locale)
        #expect(error.contains("req_fixed") && error.contains("林晓"))
        assertSnapshot(of: error, as: .lines, named: "error-\(locale.rawValue)")
    }

    /// A fixed instant: 2026-12-02 10:30 in Beijing.
    static let noon = Date(timeIntervalSince1970: 1_796_178_600)

    static func item(_ id: String, _ title: String, state: ContentState, owner: String?, tags: [String] = [], template: Bool = false) -> ContentItem {
        ContentItem(id: id, title: title, body: "<p>正文</p>", summary: "", tags: tags, category: .productInsight, coverAssetID: nil, state: state,
                    ownerID: owner, groupID: nil, topicID: nil, plannedAt: state == .draft ? nil : noon, version: 1, reviewStage: 0,
                    isTemplate: template, createdBy: nil, createdAt: noon, updatedAt: noon)
    }

    @Test("list pages render rows, filters, sort links and pagination from their models in both languages", arguments: AppLocale.allCases)
    func listPagesFromModels(locale: AppLocale) async throws {
        let renderer = try await ViewRenderer.bundled()
        let t = Localizer(locale: locale, catalogs: renderer.catalogs)

        // Page 2 of a filtered content list: the links keep the filter.
        let address = PageAddress(path: ContentPath.list.path, query: "state=draft&q=%E6%98%A5%E8%8C%B6&page=2")
        let items = [Self.item("cnt_a", "春茶上新：明前龙井", state: .draft, owner: "mem_1", tags: ["春茶", "上新"]),
                     Self.item("cnt_b", "春茶冷泡指南", state: .scheduled, owner: nil, template: true)]
        let page = Page(items: items, total: 52, page: 2, perPage: 25)
        let content = ContentController.ListPage(
            rows: items.map { ContentController.Row($0, ownerName: $0.ownerID == nil ? nil : "林晓", t: t) }, query: "春茶",
            states: ContentState.allCases.map { SelectOption(value: $0.rawValue, label: t.t("content.state_\($0.rawValue)"), selected: $0 == .draft) },
            categories: [], groups: [], owners: [SelectOption(value: "mem_1", label: "林晓", selected: false)],
            sort: Pagination.sortLinks(address, keys: ContentSort.allCases.map(\.rawValue), current: ContentSort.updated.rawValue, descending: true),
            pagination: Pagination(address, page: page, localizer: t), canWrite: true, filtered: true)
        let contentHTML = renderer.html(.contentList, page: content, layout: Self.layout(t, title: t.t("content.title"), signedIn: true), locale: locale)
        #expect(contentHTML.contains(#"href="/content/cnt_a""#) && contentHTML.contains("春茶上新：明前龙井"))
        #expect(contentHTML.contains("page=3&amp;q=%E6%98%A5%E8%8C%B6&amp;state=draft"), "the next link keeps the filter")
        #expect(contentHTML.contains(t.t("content.state_scheduled")) && contentHTML.contains("#春茶"))
        assertSnapshot(of: contentHTML, as: .lines, named: "content-list-\(locale.rawValue)")

        let members = [Member(id: "mem_1", email: "lin@example.com", name: "林晓", roleKeys: ["content", "reviewer"], locale: nil, isActive: true,
                              createdAt: Self.noon, updatedAt: Self.noon),
                       Member(id: "mem_2", email: "zhao@example.com", name: "赵敏", roleKeys: ["community"], locale: .en, isActive: false,
                              createdAt: Self.noon, updatedAt: Self.noon)]
        let roleNames = ["content": t.t("role.content.name"), "reviewer": t.t("role.reviewer.name"), "community": t.t("role.community.name")]
        let memberAddress = PageAddress(path: TeamPath.members.path, query: "status=all")
        let list = MembersController.ListPage(
            rows: members.map { MembersController.MemberRow($0, roleNames: roleNames, t: t) }, total: 2,
            totalText: t.t("common.total", ["count": "2"]), query: "",
            roleOptions: [], statusOptions: ["active", "inactive", "all"].map { SelectOption(value: $0, label: t.t("members.status_\($0)"), selected: $0 == "all") },
            sortLinks: Pagination.sortLinks(memberAddress, keys: MemberSort.allCases.map(\.rawValue), current: MemberSort.name.rawValue, descending: false),
            pagination: Pagination(memberAddress, page: Page(items: members, total: 2, page: 1, perPage: 25), localizer: t), canManage: true, filtered: false)
        let membersHTML = renderer.html(.members, page: list, layout: Self.layout(t, title: t.t("members.title"), signedIn: true), locale: locale)
        #expect(membersHTML.contains(#"href="/team/members/mem_2""#) && membersHTML.contains("赵敏"))
        #expect(membersHTML.contains(t.t("role.reviewer.name")))
        assertSnapshot(of: membersHTML, as: .lines, named: "members-\(locale.rawValue)")
    }
}

@Suite("Catalog placeholders")
struct PlaceholderFillTests {
    @Test("placeholders are filled once, unknown ones and unclosed braces stay as written, values are not scanned again")
    func fill() {
        #expect(Localizer.fill("{a} 和 {b}", ["a": "甲", "b": "乙"]) == "甲 和 乙")
        #expect(Localizer.fill("{a}{a}", ["a": "x"]) == "xx")
        #expect(Localizer.fill("{unknown} {a}", ["a": "{b}", "b": "no"]) == "{unknown} {b}")
        #expect(Localizer.fill("open { brace {a}", ["a": "1"]) == "open { brace {a}")
        #expect(Localizer.fill("tail {", [:]) == "tail {")
        #expect(Localizer.fill("{a} tail {", ["a": "1"]) == "1 tail {")
        #expect(Localizer.fill("已写入 {written} / {total} 行。", ["written": "5,000", "total": "1.2万"]) == "已写入 5,000 / 1.2万 行。")
    }

    @Test("text is escaped byte by byte: the five characters in any text, everything else as it is")
    func escape() {
        #expect(HTMLEscape.text("青禾 <b>\"新品\"</b> & '春茶'") == "青禾 &lt;b&gt;&quot;新品&quot;&lt;/b&gt; &amp; &#39;春茶&#39;")
        #expect(HTMLEscape.text("纯文本 😀 e\u{301}") == "纯文本 😀 e\u{301}")
        // A combining mark does not hide a character that must be escaped.
        #expect(HTMLEscape.text("<\u{301}script>") == "&lt;\u{301}script&gt;")
    }

    @Test("counts are grouped by thousands in either sign")
    func grouped() throws {
        let t = Localizer(locale: .zhHans, catalogs: try Catalogs.bundled())
        #expect([0, 7, 999, 1_000, 35_930, -1_234_567].map(t.grouped) == ["0", "7", "999", "1,000", "35,930", "-1,234,567"])
    }
}
