import Foundation
import MediaOpsDomain
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
}
