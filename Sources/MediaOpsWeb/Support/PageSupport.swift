import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// What every page controller needs: the renderer, the frame of the page,
/// form reading with its CSRF check, and redirects that carry a notice.
struct PageSupport: Sendable {
    let renderer: ViewRenderer
    /// Marks cookies Secure; on when the server is reached over TLS.
    let secureCookies: Bool

    static let flashCookie = "mediaops_flash"

    func localizer(_ context: AppRequestContext) -> Localizer {
        let zone = context.workspace.flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(identifier: "Asia/Shanghai")!
        return Localizer(locale: context.locale, catalogs: renderer.catalogs, timeZone: zone)
    }

    func render(_ template: PageTemplate, title: String, page: Any, request: Request, context: AppRequestContext,
                status: HTTPResponse.Status = .ok) -> Response {
        let flash = request.cookies[Self.flashCookie]?.value
        let layout = self.layout(title: title, request: request, context: context, flash: flash)
        var response = renderer.response(template, page: page, layout: layout, locale: context.locale, status: status)
        if flash != nil {
            response.setCookie(Cookie(name: Self.flashCookie, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        }
        if context.identity == nil, context.anonymousCSRF == nil, let token = layout.csrf.isEmpty ? nil : layout.csrf {
            response.setCookie(Cookie(name: IdentityMiddleware.csrfCookie, value: token, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        }
        return response
    }

    func errorPage(status: HTTPResponse.Status, message: String, request: Request, context: AppRequestContext) -> Response {
        let t = localizer(context)
        let page = ErrorPageModel(status: status.code, heading: status == .notFound ? t.t("errors.not_found_title")
                                    : status == .forbidden ? t.t("errors.forbidden_title")
                                    : status.code >= 500 ? t.t("errors.server_title") : t.t("errors.request_title"),
                                  message: message, requestID: context.requestID, signedIn: context.identity != nil)
        return render(.error, title: page.heading, page: page, request: request, context: context, status: status)
    }

    /// A refused change (a 4xx the user can fix) as the field errors and status
    /// its form re-renders with; anything else is rethrown for the error page.
    func refusal(_ error: any Error, _ context: AppRequestContext) throws -> (errors: FormErrors, status: HTTPResponse.Status) {
        guard let appError = AppError.from(error), appError.status.code < 500 else { throw error }
        return (FormErrors(appError, localizer: localizer(context)), appError.status)
    }

    /// Reads a submitted form and checks its CSRF token against the session (or,
    /// before sign-in, against the CSRF cookie).
    func readForm(_ request: Request, context: AppRequestContext) async throws -> FormData {
        let form = try await FormData.read(request)
        let expected = context.identity?.csrfToken ?? context.anonymousCSRF ?? ""
        guard TokenHasher.constantTimeEquals(form["_csrf"] ?? "", expected) else { throw AppError.csrf }
        return form
    }

    /// 303 to `location`, with a one-time notice (a catalog key) for the next page.
    func redirect(_ location: String, flash: String? = nil) -> Response {
        var response = Response.redirect(to: location, type: .normal)
        if let flash {
            response.setCookie(Cookie(name: Self.flashCookie, value: flash, maxAge: 60, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        }
        return response
    }

    /// 303 to a page of a room.
    func redirect(_ page: some PagePath, flash: String? = nil) -> Response { redirect(page.path, flash: flash) }

    /// When two entries match the path (/content and /content/review), only the
    /// longer one stays highlighted.
    static func mostSpecific(_ items: [LayoutModel.NavItem]) -> [LayoutModel.NavItem] {
        guard let best = items.filter(\.active).max(by: { $0.href.count < $1.href.count }) else { return items }
        return items.map { item in
            var item = item
            item.active = item.href == best.href
            return item
        }
    }

    func layout(title: String, request: Request, context: AppRequestContext, flash: String?) -> LayoutModel {
        let t = localizer(context)
        let path = request.uri.path
        var nav: [LayoutModel.NavItem] = []
        if let identity = context.identity {
            let can = identity.permissions.contains
            func item(_ key: String, _ href: String, _ children: [LayoutModel.NavItem] = []) -> LayoutModel.NavItem {
                // One highlighted item: the page's own entry. A room whose child is the
                // page is shown open, not highlighted as well.
                if !children.isEmpty {
                    return LayoutModel.NavItem(label: t.t(key), href: href, active: false, open: children.contains { $0.active }, children: children, hasSubnav: true)
                }
                let active = href == TeamPath.home.path ? path == href : (path == href || path.hasPrefix(href + "/"))
                return LayoutModel.NavItem(label: t.t(key), href: href, active: active, open: false, children: [], hasSubnav: false)
            }
            nav.append(item("nav.home", TeamPath.home.path))
            /// An entry shown when the member may open it.
            func entry(_ shown: Bool, _ key: String, _ href: String) -> (key: String, href: String)? { shown ? (key, href) : nil }
            let rooms: [(key: String, entries: [(key: String, href: String)?])] = [
                ("nav.team", [
                    entry(can(.membersView), "nav.members", TeamPath.members.path),
                    entry(can(.membersView), "nav.roles", TeamPath.roles.path),
                    entry(can(.accountsView), "nav.accounts", TeamPath.accounts.path),
                    entry(can(.accountsView), "nav.groups", TeamPath.groups.path),
                    entry(can(.kpisView), "nav.kpis", KpiPath.kpis.path),
                    entry(can(.kpisView), "nav.scorecards", KpiPath.scorecards.path),
                    entry(can(.kpisView), "nav.reviews", KpiPath.reviews.path),
                    // Training: the team overview for those who assess, one's own record for everyone else.
                    entry(can(.reviewsManage), "nav.training", TrainingPath.overview.path),
                    entry(!can(.reviewsManage) && can(.kpisView), "nav.my_training", TrainingPath.member(.value(identity.member.id)).path),
                    entry(can(.knowledgeView), "nav.standards", TrainingPath.standards.path),
                ]),
                // 规划: from the goal to the team that reaches it, and what HR is handed.
                ("nav.planning", [
                    entry(can(.planningView), "nav.planning_goals", PlanningPath.goals.path),
                    entry(can(.planningView), "nav.planning_plans", PlanningPath.plans.path),
                    entry(can(.planningView), "nav.planning_positions", PlanningPath.positions.path),
                    entry(can(.planningView), "nav.planning_hiring", PlanningPath.hiringPlan.path),
                ]),
                ("nav.content_room", [
                    entry(can(.contentView), "nav.topics", ContentPath.topics.path),
                    entry(can(.contentView), "nav.content", ContentPath.list.path),
                    entry(can(.contentView), "nav.review", ContentPath.reviewQueue.path),
                    entry(can(.contentView), "nav.calendar", ContentPath.calendar.path),
                    entry(can(.contentView), "nav.publishing", PublishingPath.queue.path),
                    entry(can(.contentView), "nav.library", ContentPath.library.path),
                    entry(can(.contentView), "nav.assets", ContentPath.assets.path),
                    entry(can(.contentView), "nav.compliance", ContentPath.compliance.path),
                ]),
                // Reading first (overview, reports), then watching (alerts, funnels, competitors),
                // then asking questions of the data, and feeding it last.
                ("nav.analytics", [
                    entry(can(.analyticsView), "nav.analytics_overview", AnalyticsPath.overview.path),
                    entry(can(.analyticsView), "nav.analytics_reports", AnalyticsPath.reports.path),
                    entry(can(.analyticsView), "nav.analytics_alerts", AnalyticsPath.alerts.path),
                    entry(can(.analyticsView), "nav.analytics_alert_rules", AnalyticsPath.alertRules.path),
                    entry(can(.analyticsView), "nav.analytics_funnels", AnalyticsPath.funnels.path),
                    entry(can(.analyticsView), "nav.analytics_competitors", AnalyticsPath.competitors.path),
                    entry(can(.analyticsView), "nav.analytics_insights", AnalyticsPath.insights.path),
                    entry(can(.analyticsView), "nav.analytics_best_time", AnalyticsPath.bestTime.path),
                    entry(can(.analyticsView), "nav.analytics_significance", AnalyticsPath.significance.path),
                    entry(can(.analyticsView), "nav.analytics_imports", AnalyticsPath.imports.path),
                ]),
                // The board is the room's front page; a task's own page (/tasks/…) opens the list's entry.
                ("nav.work", [
                    entry(can(.tasksView), "nav.work_board", WorkPath.board.path),
                    entry(can(.tasksView), "nav.work_list", WorkPath.list.path),
                    entry(can(.tasksView), "nav.work_recurring", WorkPath.recurring.path),
                    entry(can(.knowledgeView), "nav.knowledge", KnowledgePath.list.path),
                ]),
                ("nav.settings", [
                    entry(can(.settingsManage), "nav.workspace", TeamPath.settings.path),
                    entry(can(.auditView), "nav.audit", TeamPath.audit.path),
                ]),
            ]
            // A room shows when the member may open one of its pages; it leads to the first.
            for room in rooms {
                let children = Self.mostSpecific(room.entries.compactMap { $0 }.map { item($0.key, $0.href) })
                if let first = children.first { nav.append(item(room.key, first.href, children)) }
            }
        }
        let other: AppLocale = context.locale == .zhHans ? .en : .zhHans
        let csrf = context.csrfToken.isEmpty ? TokenHasher.newToken(prefix: "") : context.csrfToken
        let member = context.identity?.member
        return LayoutModel(
            title: title,
            htmlLang: context.locale == .zhHans ? "zh-CN" : "en",
            workspaceName: context.workspace?.name ?? "MediaOps",
            user: member.map { LayoutModel.UserChip(name: $0.name, email: $0.email, initial: String($0.name.prefix(1)).uppercased()) },
            nav: nav,
            csrf: csrf,
            flash: flash.flatMap { key in key.hasPrefix("flash.") ? t.t(key) : nil },
            switchLocale: other.rawValue,
            switchLocaleLabel: other == .en ? "English" : "简体中文",
            currentPath: path + (request.uri.query.map { "?\($0)" } ?? ""),
            searchQuery: request.uri.path == TeamPath.search.path ? (request.query("q") ?? "") : "",
            unread: context.unreadNotifications > 0 ? String(context.unreadNotifications) : nil,
            // The publishing page shows the freeze in full; every other page carries a strip.
            freezeReason: path.hasPrefix(PublishingPath.queue.path) ? nil : context.publishingFreezeReason,
            maxBodyBytes: RequestLimits.maxBodyBytes,
            tooLargeMessage: t.t("error.too_large", ["max": RequestLimits.maxBodyLabel])
        )
    }
}

/// Localized field errors for a form, keyed by field name, ready for templates.
struct FormErrors {
    private(set) var messages: [String: String] = [:]
    var summary: String?

    init() {}

    init(_ error: AppError, localizer: Localizer) {
        for each in error.all.isEmpty ? [error] : error.all {
            let message = localizer.error(each.code, field: each.field, params: each.params)
            if let field = each.field {
                // "fields.app_id" → "fields_app_id" so a template can reach it with dots.
                let key = field.replacingOccurrences(of: ".", with: "_")
                if messages[key] == nil { messages[key] = message }
            } else if summary == nil {
                summary = message
            }
        }
        if error.all.count > 1, summary == nil {
            summary = localizer.t("common.form_errors", ["count": String(error.all.count)])
        }
    }

    var isEmpty: Bool { messages.isEmpty && summary == nil }

    /// Renames field keys (e.g. a service's stage index to the form's slot).
    mutating func remap(_ transform: (String) -> String) {
        messages = Dictionary(messages.map { (transform($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}
