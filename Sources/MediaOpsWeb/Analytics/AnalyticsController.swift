import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// The 数据 room's dashboards: the matrix overview (every account against the
/// period before), one account's curves and posts, their CSV/XLSX exports and
/// the API behind them.
struct AnalyticsController {
    let dependencies: AnalyticsDependencies
    let pages: PageSupport

    var analytics: AnalyticsService { dependencies.analytics }

    enum SortKey: String, CaseIterable { case name, followers, net, posts, consumption, engagement }

    func register(_ routes: Routes) {
        // API
        routes.get("/api/v1/analytics/overview", .permission(.analyticsView)) { request, _ in
            let report = try await overview(request)
            return try JSONOutput.response(OverviewDTO(report))
        }
        routes.get("/api/v1/analytics/accounts/{id}/daily", .permission(.analyticsView)) { request, context in
            let account = try await account(context)
            let period = try await period(request)
            let days = try await analytics.daily(accountID: account.id, from: period.from, to: period.to)
            return try JSONOutput.response(DailyDTO(account_id: account.id, from: period.from.description, to: period.to.description,
                                                    days: days.keys.sorted().map { DailyDTO.Day(day: $0.description, metrics: Self.keyed(days[$0]!)) }))
        }
        routes.get("/api/v1/analytics/accounts/{id}/posts", .permission(.analyticsView)) { request, context in
            let account = try await account(context)
            let page = try await analytics.posts(accountID: account.id, page: try request.pageRequest(defaultPerPage: 20))
            return try JSONOutput.response(PageDTO(page) { PostMetricsDTO($0) })
        }
        routes.get("/api/v1/analytics/posts/{id}", .permission(.analyticsView)) { _, context in
            guard let post = try await analytics.post(id: try context.parameters.require("id")) else { throw NotFoundError(entity: "post") }
            let snapshots = try await analytics.snapshots(postID: post.id)
            return try JSONOutput.response(PostSnapshotsDTO(post: post, snapshots: snapshots))
        }

        routes.get("/api/v1/analytics/accounts/{id}/pull-status", .permission(.analyticsView)) { _, context in
            let account = try await account(context)
            return try JSONOutput.response(PullStatusDTO(accountID: account.id, status: try await dependencies.pulls.status(accountID: account.id)))
        }
        routes.post("/api/v1/analytics/accounts/{id}/backfill", .permission(.analyticsImport)) { request, context, _ in
            let account = try await account(context)
            let input = try await JSONInput.read(request, context: context)
            let (from, to) = try Self.range(from: try input.string("from"), to: try input.string("to"))
            let ranges = try await dependencies.pulls.backfill(accountID: account.id, from: from, to: to)
            return try JSONOutput.response(BackfillDTO(account_id: account.id, ranges: ranges.map { .init(from: $0.lowerBound.description, to: $0.upperBound.description) }),
                                           status: .accepted)
        }

        // Pages
        routes.post(AnalyticsPath.accountBackfill(.key), .permission(.analyticsImport)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            let account = try await account(context)
            do {
                let (from, to) = try Self.range(from: form["from"], to: form["to"])
                _ = try await dependencies.pulls.backfill(accountID: account.id, from: from, to: to)
                return pages.redirect(AnalyticsPath.account(.value(account.id)).fragment("pulls"), flash: "flash.backfill_queued")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await accountPage(request, context: context, backfillErrors: refusal.errors, status: refusal.status)
            }
        }
        routes.get(AnalyticsPath.overview, .permission(.analyticsView)) { request, context, _ in
            try await overviewPage(request, context: context)
        }
        routes.get(AnalyticsPath.overviewExport, .permission(.analyticsView)) { request, context, _ in
            let report = try await overview(request)
            let t = pages.localizer(context)
            return try download(overviewTable(report, t), name: "overview-\(report.period.from)-\(report.period.to)", request: request)
        }
        routes.get(AnalyticsPath.account(.key), .permission(.analyticsView)) { request, context, _ in
            try await accountPage(request, context: context)
        }
        routes.get(AnalyticsPath.post(.key), .permission(.analyticsView)) { request, context, _ in
            try await postPage(request, context: context)
        }
        routes.get(AnalyticsPath.accountExport(.key), .permission(.analyticsView)) { request, context, _ in
            let account = try await account(context)
            let period = try await period(request)
            let days = try await analytics.daily(accountID: account.id, from: period.from, to: period.to)
            let t = pages.localizer(context)
            let keys = MetricKey.allCases.filter { key in days.values.contains { $0[key] != nil } }
            var rows: [[ExportTable.Cell]] = []
            var day = period.from
            while day <= period.to {
                let values = days[day] ?? [:]
                rows.append([.text(day.description)] + keys.map { key in values[key].map { .number($0) } ?? .empty })
                day = day.adding(days: 1)
            }
            let table = ExportTable(sheetName: account.name, header: [t.t("analytics.account.col_day")] + keys.map { t.t("metric.\($0.rawValue)") }, rows: rows)
            return try download(table, name: "\(account.handle)-\(period.from)-\(period.to)", request: request)
        }
    }

    // MARK: Reading the request

    func account(_ context: AppRequestContext) async throws -> Account {
        guard let account = try await dependencies.team.account(id: try context.parameters.require("id")) else { throw NotFoundError(entity: "account") }
        return account
    }

    func period(_ request: Request) async throws -> ReportingPeriod {
        let today = try await analytics.today().day
        return try ReportingPeriod.parse(period: request.query("period"), month: request.query("month"), from: request.query("from"),
                                         to: request.query("to"), today: today)
    }

    struct OverviewRow {
        var account: Account
        var groups: [AccountGroup]
        var current: AccountPeriodTotals
        var previous: AccountPeriodTotals
    }

    struct OverviewReport {
        var period: ReportingPeriod
        var rows: [OverviewRow]
        var groups: [AccountGroup]
        var groupFilter: String?
        var platformFilter: Platform?
        var sort: SortKey
        var descending: Bool
    }

    func overview(_ request: Request) async throws -> OverviewReport {
        let period = try await period(request)
        let zone = try await analytics.today().zone
        var platform: Platform?
        if let raw = request.query("platform") {
            guard let parsed = Platform(rawValue: raw) else {
                throw ValidationError(field: "platform", code: "invalid_choice", params: ["choices": Platform.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            platform = parsed
        }
        let groupFilter = request.query("group").flatMap { $0.isEmpty ? nil : $0 }
        var sort = SortKey.name
        if let raw = request.query("sort") {
            guard let parsed = SortKey(rawValue: raw) else {
                throw ValidationError(field: "sort", code: "invalid_choice", params: ["choices": SortKey.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            sort = parsed
        }
        let direction = request.query("dir")
        if let direction, direction != "asc", direction != "desc" {
            throw ValidationError(field: "dir", code: "invalid_choice", params: ["choices": "asc, desc"])
        }
        let descending = direction == "desc" || (direction == nil && sort != .name)
        // Webhooks are publishing targets, not audiences: they have no numbers to show.
        let accounts = try await dependencies.team.allAccounts(filter: AccountFilter(platform: platform, groupID: groupFilter)).filter { $0.platform != .webhook }
        let groups = try await dependencies.team.groups()
        let byID = Dictionary(uniqueKeysWithValues: groups.map { ($0.id, $0) })
        let ids = accounts.map(\.id)
        let both = try await analytics.totals(accountIDs: ids, periods: [(period.from, period.to), (period.previous.from, period.previous.to)], zone: zone,
                                              keys: AnalyticsService.overviewKeys)
        let (current, previous) = (both[0], both[1])
        var rows = accounts.map { account in
            OverviewRow(account: account, groups: account.groupIDs.compactMap { byID[$0] },
                        current: current[account.id] ?? AccountPeriodTotals(accountID: account.id),
                        previous: previous[account.id] ?? AccountPeriodTotals(accountID: account.id))
        }
        func value(_ row: OverviewRow) -> Double? {
            switch sort {
            case .name: nil
            case .followers: row.current.followers
            case .net: row.current.followersNet
            case .posts: Double(row.current.posts)
            case .consumption: row.current.consumption(row.account.platform)
            case .engagement: row.current.engagementRate(row.account.platform)
            }
        }
        rows.sort { a, b in
            if sort == .name { return descending ? a.account.name > b.account.name : a.account.name < b.account.name }
            // Accounts without the number sort last either way.
            switch (value(a), value(b)) {
            case (nil, nil): return a.account.name < b.account.name
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?): return x == y ? a.account.name < b.account.name : (descending ? x > y : x < y)
            }
        }
        return OverviewReport(period: period, rows: rows, groups: groups, groupFilter: groupFilter, platformFilter: platform, sort: sort, descending: descending)
    }

    // MARK: Formatting

    static func keyed(_ values: [MetricKey: Double]) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) })
    }

    static func percent(_ fraction: Double?) -> String? {
        fraction.map { (FixedDecimal.text($0 * 100, digits: 1) + "%") }
    }

    /// A number with its change against the previous period: the arrow and the
    /// sign carry the direction, never the colour alone.
    /// Written to HTML once, here, with every text escaped: a table of 500
    /// accounts shows 2,500 of them, and a partial per figure was most of its
    /// rendering time.
    struct Figure {
        var html: String

        init(text: String, exact: String, change: String?, trend: String) {
            var html = "<span title=\"\(HTMLEscape.attribute(exact))\">\(HTMLEscape.text(text))</span>"
            if let change { html += " <small class=\"trend trend-\(trend)\">\(HTMLEscape.text(change))</small>" }
            self.html = html
        }
    }

    static func countFigure(_ value: Double?, previous: Double?, t: Localizer, signed: Bool = false) -> Figure {
        guard let value else { return Figure(text: "—", exact: t.t("analytics.no_data"), change: nil, trend: "none") }
        let rounded = Int(value.rounded())
        var text = t.count(rounded)
        if signed, rounded > 0 { text = "+" + text }
        let previousText = previous.map { t.grouped(Int($0.rounded())) } ?? "—"
        let exact = t.t("analytics.exact", ["value": t.grouped(rounded), "previous": previousText])
        guard let previous else { return Figure(text: text, exact: exact, change: nil, trend: "none") }
        if previous == value { return Figure(text: text, exact: exact, change: "→ " + t.t("analytics.flat"), trend: "flat") }
        if previous == 0 || signed {
            let delta = Int((value - previous).rounded())
            return Figure(text: text, exact: exact, change: (delta > 0 ? "▲ +" : "▼ ") + t.count(delta), trend: delta > 0 ? "up" : "down")
        }
        let ratio = (value - previous) / abs(previous)
        return Figure(text: text, exact: exact, change: (ratio > 0 ? "▲ +" : "▼ ") + (FixedDecimal.text(ratio * 100, digits: 1) + "%"), trend: ratio > 0 ? "up" : "down")
    }

    static func rateFigure(_ value: Double?, previous: Double?, t: Localizer) -> Figure {
        guard let value else { return Figure(text: "—", exact: t.t("analytics.no_data"), change: nil, trend: "none") }
        let exact = t.t("analytics.exact", ["value": (FixedDecimal.text(value * 100, digits: 2) + "%"), "previous": percent(previous) ?? "—"])
        guard let previous else { return Figure(text: percent(value)!, exact: exact, change: nil, trend: "none") }
        let points = (value - previous) * 100
        if abs(points) < 0.05 { return Figure(text: percent(value)!, exact: exact, change: "→ " + t.t("analytics.flat"), trend: "flat") }
        return Figure(text: percent(value)!, exact: exact, change: (points > 0 ? "▲ +" : "▼ ") + t.t("analytics.points", ["value": FixedDecimal.text(points, digits: 1)]),
                      trend: points > 0 ? "up" : "down")
    }

    // MARK: Pages

    func periodPicker(_ request: Request, _ period: ReportingPeriod, path: String, t: Localizer) -> PeriodPicker {
        let kinds = ReportingPeriod.Kind.allCases.map { kind in
            SelectOption(value: kind.rawValue, label: t.t("analytics.period.\(kind.rawValue)"), selected: kind == period.kind)
        }
        let keep = ["group", "platform", "sort", "dir"].compactMap { name in request.query(name).map { HiddenField(name: name, value: $0) } }
        return PeriodPicker(action: path, kinds: kinds, month: String(period.from.description.prefix(7)), from: period.from.description, to: period.to.description,
                            range: t.t("analytics.period.range", ["from": t.day(period.from), "to": t.day(period.to), "days": String(period.days),
                                                                     "zone": t.timeZone.identifier]),
                            previous: t.t("analytics.period.previous", ["from": t.day(period.previous.from), "to": t.day(period.previous.to)]),
                            hidden: keep)
    }

    func overviewPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let t = pages.localizer(context)
        let report: OverviewReport
        do {
            report = try await overview(request)
        } catch let error as ValidationError {
            return pages.errorPage(status: .unprocessableContent, message: t.error(error.code, field: error.field, params: error.params), request: request, context: context)
        }
        // The same for every row of a platform or of the page: worked out once, not 500 times.
        let periodQuery = "?" + Self.encode(Self.periodQuery(report.period))
        var platformLabels: [Platform: (name: String, consumption: String)] = [:]
        func row(_ row: OverviewRow) -> OverviewPage.Row {
            let platform = row.account.platform
            let labels = platformLabels[platform] ?? {
                let labels = (t.platformShortName(platform), t.t("metric.\(DerivedMetric.consumptionKey(for: platform).rawValue)"))
                platformLabels[platform] = labels
                return labels
            }()
            return OverviewPage.Row(
                name: row.account.name, href: AnalyticsPath.account(.value(row.account.id)).path + periodQuery,
                platform: labels.name,
                followers: Self.countFigure(row.current.followers, previous: row.previous.followers, t: t),
                net: Self.countFigure(row.current.followersNet, previous: row.previous.followersNet, t: t, signed: true),
                posts: Self.countFigure(Double(row.current.posts), previous: Double(row.previous.posts), t: t),
                consumption: Self.countFigure(row.current.consumption(platform), previous: row.previous.consumption(platform), t: t),
                consumptionLabel: labels.consumption,
                engagement: Self.rateFigure(row.current.engagementRate(platform), previous: row.previous.engagementRate(platform), t: t))
        }
        /// A group's roll-up: sums of its accounts, and engagement over everything they were read or played.
        func rollUp(_ rows: [OverviewRow]) -> OverviewPage.Total {
            func sum(_ pick: (OverviewRow) -> Double?) -> Double? {
                let values = rows.compactMap(pick)
                return values.isEmpty ? nil : values.reduce(0, +)
            }
            // Over the accounts that have both sides: an account without engagement
            // numbers makes the total neither lower nor zero.
            func rate(_ pick: (OverviewRow) -> AccountPeriodTotals) -> Double? {
                var engagement = 0.0, consumption = 0.0, counted = false
                for row in rows {
                    guard let part = DerivedMetric.engagement(pick(row).sums), let read = pick(row).consumption(row.account.platform) else { continue }
                    engagement += part
                    consumption += read
                    counted = true
                }
                return counted && consumption > 0 ? engagement / consumption : nil
            }
            return OverviewPage.Total(
                followers: Self.countFigure(sum { $0.current.followers }, previous: sum { $0.previous.followers }, t: t),
                net: Self.countFigure(sum { $0.current.followersNet }, previous: sum { $0.previous.followersNet }, t: t, signed: true),
                posts: Self.countFigure(sum { Double($0.current.posts) }, previous: sum { Double($0.previous.posts) }, t: t),
                consumption: Self.countFigure(sum { $0.current.consumption($0.account.platform) }, previous: sum { $0.previous.consumption($0.account.platform) }, t: t),
                engagement: Self.rateFigure(rate { $0.current }, previous: rate { $0.previous }, t: t))
        }
        var sections: [OverviewPage.Section] = []
        for group in report.groups where report.groupFilter == nil || report.groupFilter == group.id {
            let members = report.rows.filter { $0.account.groupIDs.contains(group.id) }
            if !members.isEmpty { sections.append(OverviewPage.Section(title: group.name, rows: members.map(row), total: rollUp(members))) }
        }
        let ungrouped = report.rows.filter { $0.account.groupIDs.isEmpty }
        if !ungrouped.isEmpty, report.groupFilter == nil {
            sections.append(OverviewPage.Section(title: t.t("analytics.overview.ungrouped"), rows: ungrouped.map(row), total: rollUp(ungrouped)))
        }
        let base = Self.periodQuery(report.period) + [("group", report.groupFilter ?? ""), ("platform", report.platformFilter?.rawValue ?? "")]
        func sortLink(_ key: SortKey) -> SortLink {
            let active = report.sort == key
            let nextDescending = active ? !report.descending : key != .name
            let pairs = base + [("sort", key.rawValue), ("dir", nextDescending ? "desc" : "asc")]
            return SortLink(href: AnalyticsPath.overview.path + "?" + Self.encode(pairs),
                            ariaSort: active ? (report.descending ? "descending" : "ascending") : "none",
                            indicator: active ? (report.descending ? "↓" : "↑") : "")
        }
        let exportQuery = Self.encode(base + [("sort", report.sort.rawValue), ("dir", report.descending ? "desc" : "asc")])
        let model = OverviewPage(
            picker: periodPicker(request, report.period, path: AnalyticsPath.overview.path, t: t),
            sections: sections, accountCount: t.t("analytics.overview.count", ["count": String(report.rows.count)]),
            groups: [SelectOption(value: "", label: t.t("analytics.overview.all_groups"), selected: report.groupFilter == nil)]
                + report.groups.map { SelectOption(value: $0.id, label: $0.name, selected: $0.id == report.groupFilter) },
            platforms: [SelectOption(value: "", label: t.t("analytics.overview.all_platforms"), selected: report.platformFilter == nil)]
                + Platform.allCases.filter { $0 != .webhook }.map { SelectOption(value: $0.rawValue, label: t.platformShortName($0), selected: $0 == report.platformFilter) },
            sort: OverviewPage.Sorts(name: sortLink(.name), followers: sortLink(.followers), net: sortLink(.net), posts: sortLink(.posts),
                                     consumption: sortLink(.consumption), engagement: sortLink(.engagement)),
            csvHref: AnalyticsPath.overviewExport.path + "?" + exportQuery + "&format=csv",
            xlsxHref: AnalyticsPath.overviewExport.path + "?" + exportQuery + "&format=xlsx",
            definitions: Self.definitions(t))
        return pages.render(.analyticsOverview, title: t.t("analytics.overview.title"), page: model, request: request, context: context)
    }

    static func definitions(_ t: Localizer) -> [Definition] {
        DerivedMetric.allCases.map { Definition(term: t.t("analytics.derived.\($0.rawValue)"), meaning: t.t("analytics.derived.\($0.rawValue)_help")) }
    }

    static func periodQuery(_ period: ReportingPeriod) -> [(String, String)] {
        switch period.kind {
        case .month: [("period", "month"), ("month", String(period.from.description.prefix(7)))]
        case .custom: [("period", "custom"), ("from", period.from.description), ("to", period.to.description)]
        default: [("period", period.kind.rawValue)]
        }
    }

    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.filter { !$0.1.isEmpty }.map { PathSegment.queryEscape($0.0) + "=" + PathSegment.queryEscape($0.1) }.joined(separator: "&")
    }

    func overviewTable(_ report: OverviewReport, _ t: Localizer) -> ExportTable {
        let header = ["analytics.overview.col_account", "analytics.overview.col_platform", "analytics.overview.col_groups", "analytics.overview.col_followers",
                      "analytics.overview.col_net", "analytics.overview.col_net_previous", "analytics.overview.col_posts", "analytics.overview.col_posts_previous",
                      "analytics.overview.col_consumption", "analytics.overview.col_consumption_previous", "analytics.overview.col_engagement",
                      "analytics.overview.col_engagement_previous"].map { t.t($0) }
        func number(_ value: Double?) -> ExportTable.Cell { value.map { .number($0) } ?? .empty }
        let rows: [[ExportTable.Cell]] = report.rows.map { row in
            let platform = row.account.platform
            return [.text(row.account.name), .text(t.platformShortName(platform)), .text(row.groups.map(\.name).joined(separator: "、")),
                    number(row.current.followers), number(row.current.followersNet), number(row.previous.followersNet),
                    .number(Double(row.current.posts)), .number(Double(row.previous.posts)),
                    number(row.current.consumption(platform)), number(row.previous.consumption(platform)),
                    number(row.current.engagementRate(platform)), number(row.previous.engagementRate(platform))]
        }
        return ExportTable(sheetName: t.t("analytics.overview.title"), header: header, rows: rows)
    }

    /// The table as `?format=csv` (default) or `xlsx`.
    func download(_ table: ExportTable, name: String, request: Request) throws -> Response {
        let format = request.query("format") ?? "csv"
        let safeName = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }.prefix(80))
        let body: Data
        let type: String
        switch format {
        case "csv":
            body = table.csv()
            type = "text/csv; charset=utf-8"
        case "xlsx":
            body = try table.xlsx()
            type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        default:
            throw ValidationError(field: "format", code: "invalid_choice", params: ["choices": "csv, xlsx"])
        }
        let ascii = safeName.unicodeScalars.allSatisfy(\.isASCII) ? safeName : "export"
        let encoded = safeName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ascii
        return Response(status: .ok, headers: [.contentType: type,
                                               .contentDisposition: "attachment; filename=\"\(ascii).\(format)\"; filename*=UTF-8''\(encoded).\(format)"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A backfill range from two `YYYY-MM-DD` days, each named when missing or malformed.
    static func range(from: String?, to: String?) throws -> (LocalDate, LocalDate) {
        var problems: [ValidationError] = []
        let start = from.flatMap { LocalDate($0.trimmingCharacters(in: .whitespaces)) }
        let end = to.flatMap { LocalDate($0.trimmingCharacters(in: .whitespaces)) }
        if start == nil { problems.append(ValidationError(field: "from", code: (from ?? "").isEmpty ? "required" : "invalid_date")) }
        if end == nil { problems.append(ValidationError(field: "to", code: (to ?? "").isEmpty ? "required" : "invalid_date")) }
        if problems.count == 1 { throw problems[0] }
        if !problems.isEmpty { throw ValidationErrors(problems) }
        guard let start, let end, start.year >= 2000, end.year <= 9_000 else { throw ValidationError(field: "from", code: "invalid_date") }
        guard start.days(until: end) < ReportingPeriod.maxDays else { throw ValidationError(field: "to", code: "range_too_long", params: ["max": String(ReportingPeriod.maxDays)]) }
        return (start, end)
    }

    func pullStatus(_ account: Account, t: Localizer) async throws -> AccountAnalyticsPage.Pulls {
        let status = try await dependencies.pulls.status(accountID: account.id)
        let byAPI = account.platform.capabilities.contains(.metricsByAPI) || [.mastodon, .telegram].contains(account.platform)
        return AccountAnalyticsPage.Pulls(
            byAPI: byAPI,
            lastSuccess: status?.lastSuccessAt.map(t.dateTime) ?? t.t("analytics_pull.never"),
            lastAttempt: status.map { t.dateTime($0.lastAttemptAt) },
            lastError: status?.lastError.map { PullReasons.sentence(code: $0.code, t) },
            lastErrorDetail: status?.lastError?.detail,
            lastErrorAt: status?.lastError.map { t.dateTime($0.at) },
            failing: status?.isFailing ?? false,
            metricFailures: (status?.metricFailures ?? []).map { "\(t.t("metric.\($0.key.rawValue)"))：\(PullReasons.sentence($0.reason, t))" },
            backfillAction: AnalyticsPath.accountBackfill(.value(account.id)).path)
    }

    /// One post: its numbers at every snapshot, as a curve over the hours since
    /// publishing and as a table with where each number came from.
    func postPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let t = pages.localizer(context)
        guard let post = try await analytics.post(id: try context.parameters.require("id")) else { throw NotFoundError(entity: "post") }
        let account = try await dependencies.team.account(id: post.accountID)
        let platform = account?.platform ?? .wechatOA
        let key = DerivedMetric.consumptionKey(for: platform)
        let snapshots = try await analytics.snapshots(postID: post.id)
        func age(_ hours: Double?) -> String {
            guard let hours else { return "—" }
            return hours < 48 ? t.t("analytics.post.hours", ["count": String(Int(hours.rounded()))]) : t.t("analytics.post.days", ["count": String(Int((hours / 24).rounded()))])
        }
        let values = snapshots.map { snapshot in snapshot.values.mapValues(\.value) }
        let keys = MetricKey.allCases.filter { key in values.contains { $0[key] != nil } }
        let chart = SVGLineChart(title: t.t("metric.\(key.rawValue)"), unit: t.t("analytics.unit.times"),
                                 points: snapshots.map { SVGLineChart.Point(label: age($0.hoursSincePublish), value: $0.values[key]?.value) },
                                 format: { t.count(Int($0.rounded())) }).render()
        let rows = snapshots.map { snapshot in
            PostAnalyticsPage.Row(captured: t.dateTime(snapshot.capturedAt), age: age(snapshot.hoursSincePublish),
                                  values: keys.map { key in snapshot.values[key].map { Self.format($0.value, key, t) } ?? "—" },
                                  engagementRate: Self.percent(DerivedMetric.engagementRate(snapshot.values.mapValues(\.value), platform: platform)) ?? "—",
                                  source: Set(snapshot.values.values.map(\.provenance.source)).map { t.t("analytics.source.\($0.rawValue)") }.sorted().joined(separator: "、"))
        }
        let model = PostAnalyticsPage(
            title: post.title.isEmpty ? t.t("analytics.account.untitled") : post.title, url: post.url,
            accountName: account?.name ?? post.accountID, accountHref: AnalyticsPath.account(.value(post.accountID)).path,
            published: post.publishedAt.map(t.dateTime) ?? "—", origin: t.t("analytics.origin.\(post.origin.rawValue)"),
            chart: snapshots.isEmpty ? nil : chart, columns: keys.map { t.t("metric.\($0.rawValue)") }, rows: rows)
        return pages.render(.analyticsPost, title: model.title, page: model, request: request, context: context)
    }

    /// A value in its unit: counts as 5.2万 / 52K (or in full, `exact`, for a
    /// sentence), rates as percentages, seconds, money in yuan.
    static func format(_ value: Double, _ key: MetricKey, _ t: Localizer) -> String { format(value, unit: key.unit, t) }

    static func format(_ value: Double, unit: MetricUnit, _ t: Localizer, exact: Bool = false) -> String {
        switch unit {
        case .count: exact ? t.grouped(Int(value.rounded())) : t.count(Int(value.rounded()))
        case .fraction: (FixedDecimal.text(value * 100, digits: 1) + "%")
        case .seconds: t.t("analytics.unit.seconds_value", ["value": FixedDecimal.text(value, digits: 1)])
        case .fen: "¥" + FixedDecimal.text(value / 100, digits: 2)
        }
    }

    func accountPage(_ request: Request, context: AppRequestContext, backfillErrors: FormErrors = FormErrors(),
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let account = try await account(context)
        let period: ReportingPeriod
        do {
            period = try await self.period(request)
        } catch let error as ValidationError {
            return pages.errorPage(status: .unprocessableContent, message: t.error(error.code, field: error.field, params: error.params), request: request, context: context)
        }
        let zone = try await analytics.today().zone
        let days = try await analytics.daily(accountID: account.id, from: period.from, to: period.to)
        let both = try await analytics.totals(accountIDs: [account.id], periods: [(period.from, period.to), (period.previous.from, period.previous.to)], zone: zone)
        let current = both[0][account.id] ?? AccountPeriodTotals(accountID: account.id)
        let previous = both[1][account.id] ?? AccountPeriodTotals(accountID: account.id)
        let platform = account.platform
        let consumptionKey = DerivedMetric.consumptionKey(for: platform)
        var labels: [(LocalDate, String)] = []
        var day = period.from
        while day <= period.to {
            labels.append((day, String(format: "%d/%d", day.month, day.day)))
            day = day.adding(days: 1)
        }
        func series(_ pick: ([MetricKey: Double]) -> Double?) -> [SVGLineChart.Point] {
            labels.map { SVGLineChart.Point(label: $0.1, value: days[$0.0].flatMap(pick)) }
        }
        let countFormat: (Double) -> String = { t.count(Int($0.rounded())) }
        let charts = [
            ChartBlock(title: t.t("metric.followers_total"), svg: SVGLineChart(title: t.t("metric.followers_total"), unit: t.t("analytics.unit.people"),
                                                                            points: series { $0[.followersTotal] }, format: countFormat).render()),
            ChartBlock(title: t.t("metric.followers_net"), svg: SVGLineChart(title: t.t("metric.followers_net"), unit: t.t("analytics.unit.people"),
                                                                          points: series { $0[.followersNet] }, format: countFormat).render()),
            ChartBlock(title: t.t("metric.\(consumptionKey.rawValue)"), svg: SVGLineChart(title: t.t("metric.\(consumptionKey.rawValue)"), unit: t.t("analytics.unit.times"),
                                                                                        points: series { $0[consumptionKey] }, format: countFormat).render()),
            ChartBlock(title: t.t("analytics.derived.engagement_rate"), svg: SVGLineChart(title: t.t("analytics.derived.engagement_rate"), unit: "%",
                                                                                       points: series { DerivedMetric.engagementRate($0, platform: platform).map { $0 * 100 } },
                                                                                       format: { FixedDecimal.text($0, digits: 1) }).render()),
        ]
        let postsPage = try await analytics.posts(accountID: account.id, page: try request.pageRequest(defaultPerPage: 20))
        let posts = postsPage.items.map { summary in
            AccountAnalyticsPage.PostRow(
                title: summary.post.title.isEmpty ? t.t("analytics.account.untitled") : summary.post.title, url: summary.post.url,
                href: AnalyticsPath.post(.value(summary.post.id)).path,
                published: summary.post.publishedAt.map(t.dateTime) ?? "—",
                origin: t.t("analytics.origin.\(summary.post.origin.rawValue)"),
                consumption24h: summary.at24h.flatMap { $0[consumptionKey] }.map { t.count(Int($0)) } ?? "—",
                engagement24h: Self.percent(summary.at24h.flatMap { DerivedMetric.engagementRate($0, platform: platform) }) ?? "—",
                consumption7d: summary.at7d.flatMap { $0[consumptionKey] }.map { t.count(Int($0)) } ?? "—",
                engagement7d: Self.percent(summary.at7d.flatMap { DerivedMetric.engagementRate($0, platform: platform) }) ?? "—",
                latest: summary.latest.flatMap { $0[consumptionKey] }.map { t.count(Int($0)) } ?? "—",
                snapshots: String(summary.snapshotCount))
        }
        let query = Self.encode(Self.periodQuery(period))
        let alerts = try await accountAlerts(account, focus: request.query("alert"), t: t)
        var model = AccountAnalyticsPage(
            name: account.name, platform: t.platformName(platform),
            picker: periodPicker(request, period, path: AnalyticsPath.account(.value(account.id)).path, t: t),
            followers: Self.countFigure(current.followers, previous: previous.followers, t: t),
            net: Self.countFigure(current.followersNet, previous: previous.followersNet, t: t, signed: true),
            consumption: Self.countFigure(current.consumption(platform), previous: previous.consumption(platform), t: t),
            consumptionLabel: t.t("metric.\(consumptionKey.rawValue)"),
            engagement: Self.rateFigure(current.engagementRate(platform), previous: previous.engagementRate(platform), t: t),
            posts: Self.countFigure(Double(current.posts), previous: Double(previous.posts), t: t),
            readRate: current.sums[.readers] == nil ? nil
                : Self.rateFigure(DerivedMetric.readRate(readers: current.sums[.readers], days: period.days, followers: current.followers),
                                  previous: DerivedMetric.readRate(readers: previous.sums[.readers], days: period.previous.days, followers: previous.followers), t: t),
            hasData: !days.isEmpty, charts: charts, postRows: posts, pagination: Pagination(request, page: postsPage, localizer: t),
            consumptionTitle: t.t("metric.\(consumptionKey.rawValue)"),
            csvHref: AnalyticsPath.accountExport(.value(account.id)).path + "?" + query + "&format=csv",
            xlsxHref: AnalyticsPath.accountExport(.value(account.id)).path + "?" + query + "&format=xlsx",
            importHref: AnalyticsPath.imports.query(["account_id": account.id]),
            definitions: Self.definitions(t),
            pulls: try await pullStatus(account, t: t), canImport: context.identity?.permissions.contains(.analyticsImport) ?? false,
            backfillErrors: backfillErrors.messages, backfillSummary: backfillErrors.summary,
            focusedAlert: alerts.focused, activeAlerts: alerts.active, alertsHref: AnalyticsPath.alerts.query(["account_id": account.id]))
        model.bestTimeHref = AnalyticsPath.bestTime.query(["account": account.id])
        return pages.render(.analyticsAccount, title: account.name, page: model, request: request, context: context, status: status)
    }
}


extension AnalyticsController {
    /// How many of an account's active alerts its page lists.
    static let accountAlertsShown = 5

    /// The alert a link named (only when it is this account's) and the account's active alerts.
    func accountAlerts(_ account: Account, focus: String?, t: Localizer) async throws -> (focused: AlertsPage.Row?, active: [AlertsPage.Row]) {
        let directory = AlertDirectory(rules: Dictionary(try await dependencies.alerts.rules().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
                                       accounts: [account.id: account], members: [:], funnels: [:])
        var focused: AlertsPage.Row?
        if let id = focus, Identifier.isPlausible(id), let alert = try await dependencies.alerts.find(id: id), alert.accountID == account.id {
            focused = AlertsPage.Row(alert, directory, t: t, actions: [])
        }
        let active = try await dependencies.alerts.list(AlertFilter(states: [.open, .acknowledged], accountID: account.id),
                                                        page: PageRequest(page: 1, perPage: Self.accountAlertsShown))
        return (focused, active.items.map { AlertsPage.Row($0, directory, t: t, actions: []) })
    }
}

struct HiddenField { var name: String; var value: String }

struct PeriodPicker {
    var action: String
    var kinds: [SelectOption]
    var month: String
    var from: String
    var to: String
    var range: String
    var previous: String
    var hidden: [HiddenField]
}

struct SortLink { var href: String; var ariaSort: String; var indicator: String }
struct Definition { var term: String; var meaning: String }
struct ChartBlock { var title: String; var svg: String }

// MARK: API shapes

struct OverviewDTO: Encodable {
    struct Totals: Encodable {
        @Nullable var followers: Double?
        @Nullable var followers_net: Double?
        var posts: Int
        @Nullable var reads: Double?
        @Nullable var plays: Double?
        @Nullable var engagement: Double?
        @Nullable var engagement_rate: Double?

        init(_ totals: AccountPeriodTotals, platform: Platform) {
            followers = totals.followers
            followers_net = totals.followersNet
            posts = totals.posts
            reads = totals.sums[.reads]
            plays = totals.sums[.plays]
            engagement = DerivedMetric.engagement(totals.sums)
            engagement_rate = totals.engagementRate(platform)
        }
    }

    struct Row: Encodable {
        var account_id: String
        var name: String
        var platform: String
        var group_ids: [String]
        var current: Totals
        var previous: Totals
    }

    var from: String
    var to: String
    var previous_from: String
    var previous_to: String
    var accounts: [Row]

    init(_ report: AnalyticsController.OverviewReport) {
        from = report.period.from.description
        to = report.period.to.description
        previous_from = report.period.previous.from.description
        previous_to = report.period.previous.to.description
        accounts = report.rows.map { row in
            Row(account_id: row.account.id, name: row.account.name, platform: row.account.platform.rawValue, group_ids: row.account.groupIDs,
                current: Totals(row.current, platform: row.account.platform), previous: Totals(row.previous, platform: row.account.platform))
        }
    }
}

struct DailyDTO: Encodable {
    struct Day: Encodable { var day: String; var metrics: [String: Double] }
    var account_id: String
    var from: String
    var to: String
    var days: [Day]
}

struct AnalyticsPostDTO: Encodable {
    var id: String
    var account_id: String
    var platform_post_id: String
    @Nullable var target_id: String?
    var title: String
    @Nullable var url: String?
    @Nullable var published_at: Date?
    var origin: String

    init(_ post: AnalyticsPost) {
        id = post.id
        account_id = post.accountID
        platform_post_id = post.platformPostID
        target_id = post.targetID
        title = post.title
        url = post.url
        published_at = post.publishedAt
        origin = post.origin.rawValue
    }
}

struct PostMetricsDTO: Encodable {
    var post: AnalyticsPostDTO
    @Nullable var at_24h: [String: Double]?
    @Nullable var at_7d: [String: Double]?
    @Nullable var latest: [String: Double]?
    var snapshots: Int

    init(_ summary: PostMetricsSummary) {
        post = AnalyticsPostDTO(summary.post)
        at_24h = summary.at24h.map(AnalyticsController.keyed)
        at_7d = summary.at7d.map(AnalyticsController.keyed)
        latest = summary.latest.map(AnalyticsController.keyed)
        snapshots = summary.snapshotCount
    }
}

struct PostSnapshotsDTO: Encodable {
    struct Snapshot: Encodable {
        var captured_at: Date
        @Nullable var hours_since_publish: Double?
        var metrics: [String: Double]
        var sources: [String: String]
    }

    var post: AnalyticsPostDTO
    var snapshots: [Snapshot]

    init(post: AnalyticsPost, snapshots: [(capturedAt: Date, hoursSincePublish: Double?, values: [MetricKey: MetricValue])]) {
        self.post = AnalyticsPostDTO(post)
        self.snapshots = snapshots.map { snapshot in
            Snapshot(captured_at: snapshot.capturedAt, hours_since_publish: snapshot.hoursSincePublish,
                     metrics: Dictionary(uniqueKeysWithValues: snapshot.values.map { ($0.key.rawValue, $0.value.value) }),
                     sources: Dictionary(uniqueKeysWithValues: snapshot.values.map { ($0.key.rawValue, $0.value.provenance.source.rawValue) }))
        }
    }
}

struct PullStatusDTO: Encodable {
    struct Failure: Encodable { var metric: String; var reason: String }
    var account_id: String
    @Nullable var last_attempt_at: Date?
    @Nullable var last_success_at: Date?
    @Nullable var last_error_code: String?
    @Nullable var last_error_detail: String?
    @Nullable var last_error_at: Date?
    var failing: Bool
    var metric_failures: [Failure]
    var offline_endpoints: [String]

    init(accountID: String, status: MetricPullStatus?) {
        account_id = accountID
        last_attempt_at = status?.lastAttemptAt
        last_success_at = status?.lastSuccessAt
        last_error_code = status?.lastError?.code
        last_error_detail = status?.lastError?.detail
        last_error_at = status?.lastError?.at
        failing = status?.isFailing ?? false
        metric_failures = (status?.metricFailures ?? []).map { Failure(metric: $0.key.rawValue, reason: $0.reason.rawValue) }
        offline_endpoints = status?.offlineEndpoints ?? []
    }
}

struct BackfillDTO: Encodable {
    struct Range: Encodable { var from: String; var to: String }
    var account_id: String
    var ranges: [Range]
}
