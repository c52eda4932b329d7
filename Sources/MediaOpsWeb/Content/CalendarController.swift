import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// The content calendar (排期表): week and month views in the workspace time
/// zone, moving items between slots, CSV export and a per-member iCalendar feed.
struct CalendarController {
    let dependencies: ContentDependencies
    let pages: PageSupport

    struct Query {
        var view: CalendarRange.View
        var range: CalendarRange
        var filter: ContentFilter
        var accountID: String?
    }

    func register(_ routes: Routes) {
        routes.get("/api/v1/calendar", .permission(.contentView)) { request, context in
            let query = try parse(request, context: context)
            let items = try await items(query)
            struct Entry: Encodable { var id: String; var title: String; var state: String; var category: String; var planned_at: Date?; var platforms: [String] }
            struct Body: Encodable { var view: String; var time_zone: String; var from: Date; var to: Date; var items: [Entry] }
            let platforms = try await platformsByItem(items.map(\.id))
            return try JSONOutput.response(Body(
                view: query.view.rawValue, time_zone: pages.localizer(context).timeZone.identifier, from: query.range.days.first ?? query.range.anchor,
                to: query.range.end,
                items: items.map { Entry(id: $0.id, title: $0.title, state: $0.state.rawValue, category: $0.category.rawValue, planned_at: $0.plannedAt,
                                         platforms: platforms[$0.id] ?? []) }))
        }
        routes.get(ContentPath.calendar, .permission(.contentView)) { request, context, identity in try await calendarPage(request, context, identity) }
        routes.post(ContentPath.calendarMove, .permission(.contentWrite)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            let zone = pages.localizer(context).timeZone
            guard let id = form["id"], Identifier.isPlausible(id), try await dependencies.content.find(id: id) != nil else {
                throw AppError.notFound
            }
            let back = safeNext(form["next"])
            // A refusal (bad time, published item) is shown on the error page in the member's language.
            let planned = try ContentInputParsing.localDateTime(form["planned_at"], field: "planned_at", zone: zone)
            _ = try await dependencies.content.plan(id: id, at: planned ?? nil, by: identity.principal)
            return pages.redirect(back, flash: "flash.content_moved")
        }
        routes.get(ContentPath.calendarCSV, .permission(.contentView)) { request, context in
            let t = pages.localizer(context)
            let query = try parse(request, context: context)
            let items = try await items(query)
            let platforms = try await platformsByItem(items.map(\.id))
            let names = Dictionary(uniqueKeysWithValues: try await dependencies.team.members().map { ($0.id, $0.name) })
            let groups = Dictionary(uniqueKeysWithValues: try await dependencies.team.groups().map { ($0.id, $0.name) })
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = t.timeZone
            formatter.dateFormat = "yyyy-MM-dd HH:mm"
            var lines = [[t.t("calendar.csv_time"), t.t("field.title"), t.t("field.state"), t.t("content.category"), t.t("field.groups"),
                          t.t("field.owner_id"), t.t("calendar.csv_platforms"), "id"].map(csvField).joined(separator: ",")]
            for item in items {
                lines.append([item.plannedAt.map(formatter.string(from:)) ?? "", item.title, t.t("content.state_\(item.state.rawValue)"),
                              t.t("content.category_\(item.category.rawValue)"), item.groupID.flatMap { groups[$0] } ?? "",
                              item.ownerID.flatMap { names[$0] } ?? "",
                              (platforms[item.id] ?? []).compactMap(Platform.init(rawValue:)).map(t.platformShortName).joined(separator: " "), item.id]
                    .map(csvField).joined(separator: ","))
            }
            // A byte-order mark lets Excel open UTF-8 Chinese text correctly.
            let body = "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
            var response = Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
            response.headers[.contentDisposition] = "attachment; filename=\"mediaops-calendar.csv\""
            return response
        }
        routes.post(ContentPath.calendarFeed, .signedIn) { request, context, identity in
            _ = try await pages.readForm(request, context: context)
            let token = try await dependencies.content.rotateCalendarFeed(userID: identity.member.id)
            let t = pages.localizer(context)
            return try await calendarPage(request, context, identity, newFeed: ContentPath.calendarFeedFile(.value(token + ".ics")).path, title: t.t("calendar.title"))
        }
        routes.get(ContentPath.calendarFeedFile(.key), .anyone) { request, context in
            guard let file = context.parameters.get("file"), file.hasSuffix(".ics"),
                  let memberID = try await dependencies.content.calendarFeedMember(token: String(file.dropLast(4))),
                  let member = try await dependencies.team.member(id: memberID), member.isActive,
                  try await dependencies.team.permissions(forRoles: member.roleKeys).contains(.contentView)
            else { throw AppError.notFound }
            return try await feed(for: member, request: request, context: context)
        }
    }

    private func csvField(_ value: String) -> String {
        // Cells starting with = + - @ are neutralised so a spreadsheet never runs them as formulas.
        var text = value
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private func parse(_ request: Request, context: AppRequestContext) throws -> Query {
        let zone = pages.localizer(context).timeZone
        var view = CalendarRange.View.month
        if let raw = request.query("view") {
            guard let parsed = CalendarRange.View(rawValue: raw) else { throw ValidationError(field: "view", code: "invalid_choice", params: ["choices": "week, month"]) }
            view = parsed
        }
        var anchor = Date()
        if let raw = request.query("date") {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = zone
            formatter.dateFormat = "yyyy-MM-dd"
            guard let date = formatter.date(from: raw) else { throw ValidationError(field: "date", code: "invalid_date") }
            anchor = date
        }
        let range = CalendarRange(view: view, containing: anchor, timeZone: zone)
        var filter = ContentFilter(ownerID: request.query("owner"), groupID: request.query("group"))
        if let raw = request.query("state") {
            guard let state = ContentState(rawValue: raw) else {
                throw ValidationError(field: "state", code: "invalid_choice", params: ["choices": ContentState.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            filter.states = [state]
        }
        if let raw = request.query("category") {
            guard let category = ContentCategory(rawValue: raw) else {
                throw ValidationError(field: "category", code: "invalid_choice", params: ["choices": ContentCategory.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            filter.category = category
        }
        filter.plannedFrom = range.days.first
        filter.plannedTo = range.end
        return Query(view: view, range: range, filter: filter, accountID: request.query("account"))
    }

    /// Items planned in the range. An account filter keeps items of the
    /// account's groups that have a variant for its platform.
    private func items(_ query: Query) async throws -> [ContentItem] {
        var all: [ContentItem] = []
        var page = 1
        while true {
            let batch = try await dependencies.content.list(filter: query.filter, sort: .planned, descending: false,
                                                                                 page: PageRequest(page: page, perPage: 200))
            all += batch.items
            if batch.items.count < 200 || all.count >= 2_000 { break }
            page += 1
        }
        guard let accountID = query.accountID, !accountID.isEmpty else { return all }
        guard let account = try await dependencies.team.account(id: accountID) else { throw ValidationError(field: "account", code: "unknown_account") }
        let platforms = try await platformsByItem(all.map(\.id))
        return all.filter { item in
            (platforms[item.id] ?? []).contains(account.platform.rawValue) && (item.groupID == nil || account.groupIDs.contains(item.groupID!))
        }
    }

    private func platformsByItem(_ ids: [String]) async throws -> [String: [String]] {
        try await dependencies.content.platforms(contentIDs: ids).mapValues { $0.map(\.rawValue) }
    }

    // MARK: Page

    private func calendarPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity, newFeed: String? = nil, title: String? = nil) async throws -> Response {
        let t = pages.localizer(context)
        let zone = t.timeZone
        let query = try parse(request, context: context)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        // Formatters come from the shared cache: making one costs more than the
        // hundreds of dates a month formats with it.
        let isoString = { (date: Date) in DateFormatters.string(date, pattern: "yyyy-MM-dd", locale: "en_US_POSIX", zone: zone) }
        // A busy library plans hundreds of pieces a day: each cell shows the first
        // few and says how many more there are, so the month stays one light page.
        let perDay = query.view == .month ? Self.entriesPerMonthCell : Self.entriesPerWeekCell
        let items: [ContentItem]
        var dayTotals: [String: Int] = [:]
        if let accountID = query.accountID, !accountID.isEmpty {
            items = try await self.items(query)
            for item in items { if let planned = item.plannedAt { dayTotals[isoString(planned), default: 0] += 1 } }
        } else {
            let days = try await dependencies.content.plannedByDay(filter: query.filter, dayStarts: query.range.days, end: query.range.end, perDay: perDay)
            for (start, day) in zip(query.range.days, days) { dayTotals[isoString(start)] = day.total }
            items = try await dependencies.content.find(ids: days.flatMap(\.ids))
        }
        let platforms = try await platformsByItem(items.map(\.id))
        let timeString = { (date: Date) in DateFormatters.string(date, pattern: "HH:mm", locale: "en_US_POSIX", zone: zone) }
        let labelLocale = t.locale == .zhHans ? "zh_CN" : "en_GB"
        let labelString = { (date: Date) in DateFormatters.string(date, pattern: t.locale == .zhHans ? "M月d日" : "d MMM", locale: labelLocale, zone: zone) }
        let headingString = { (date: Date) in DateFormatters.string(date, pattern: t.locale == .zhHans ? "yyyy年M月" : "MMMM yyyy", locale: labelLocale, zone: zone) }
        let anchorMonth = calendar.component(.month, from: query.range.anchor)
        let todayISO = isoString(Date())
        var byDay: [String: [ContentItem]] = [:]
        for item in items { if let planned = item.plannedAt { byDay[isoString(planned), default: []].append(item) } }
        let weekdaySymbols = t.locale == .zhHans ? ["周一", "周二", "周三", "周四", "周五", "周六", "周日"] : ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let days: [Day] = query.range.days.map { day in
            let iso = isoString(day)
            let weekdayIndex = (calendar.component(.weekday, from: day) + 5) % 7
            let entries = (byDay[iso] ?? []).prefix(perDay).map { item in
                Entry(id: item.id, href: ContentPath.item(.value(item.id)).path, title: item.title, time: item.plannedAt.map(timeString) ?? "",
                      state: t.t("content.state_\(item.state.rawValue)"), stateKey: item.state.rawValue,
                      platforms: (platforms[item.id] ?? []).compactMap(Platform.init(rawValue:)).map(t.platformShortName),
                      plannedValue: ContentInputParsing.localInputValue(item.plannedAt, zone: zone))
            }
            let hidden = (dayTotals[iso] ?? 0) - entries.count
            return Day(label: labelString(day), weekday: weekdaySymbols[weekdayIndex], iso: iso, isToday: iso == todayISO,
                       outside: query.view == .month && calendar.component(.month, from: day) != anchorMonth, entries: Array(entries), hasEntries: !entries.isEmpty,
                       more: hidden > 0 ? t.t("calendar.more", ["count": String(hidden)]) : nil,
                       moreHref: Self.dayListLink(iso, filter: query.filter))
        }
        let weeks = stride(from: 0, to: days.count, by: 7).map { Week(days: Array(days[$0..<min($0 + 7, days.count)])) }
        let previous = query.range.shifted(by: -1, timeZone: zone)
        let next = query.range.shifted(by: 1, timeZone: zone)
        let accounts = try await dependencies.team.accounts(filter: AccountFilter(), page: PageRequest(page: 1, perPage: 200)).items
        let heading: String
        if query.view == .month {
            heading = headingString(query.range.anchor)
        } else {
            heading = "\(labelString(query.range.days.first!)) – \(labelString(query.range.days.last!))"
        }
        let option = SelectOption.init
        let model = CalendarPage(
            heading: heading, weeks: weeks, isMonth: query.view == .month, weekdays: weekdaySymbols,
            previous: Pagination.url(request, ["date": isoString(previous.anchor)]),
            next: Pagination.url(request, ["date": isoString(next.anchor)]),
            today: Pagination.url(request, ["date": todayISO]),
            weekLink: Pagination.url(request, ["view": "week"]), monthLink: Pagination.url(request, ["view": "month"]),
            csvLink: ContentPath.calendarCSV.path + (request.uri.query.map { "?" + $0 } ?? ""),
            timeZone: zone.identifier,
            groups: [option("", t.t("accounts.all_groups"), query.filter.groupID == nil)]
                + (try await dependencies.team.groups()).map { option($0.id, $0.name, $0.id == query.filter.groupID) },
            accounts: [option("", t.t("calendar.all_accounts"), query.accountID == nil)]
                + accounts.map { option($0.id, "\(t.platformShortName($0.platform)) · \($0.name)", $0.id == query.accountID) },
            owners: [option("", t.t("accounts.all_owners"), query.filter.ownerID == nil)]
                + (try await dependencies.team.members()).filter(\.isActive).map { option($0.id, $0.name, $0.id == query.filter.ownerID) },
            states: [option("", t.t("content.all_states"), query.filter.states.isEmpty)]
                + ContentState.allCases.map { option($0.rawValue, t.t("content.state_\($0.rawValue)"), query.filter.states == [$0]) },
            categories: [option("", t.t("content.all_categories"), query.filter.category == nil)]
                + ContentCategory.allCases.map { option($0.rawValue, t.t("content.category_\($0.rawValue)"), $0 == query.filter.category) },
            bestTimes: bestTimes(accounts: accounts, t: t),
            canMove: identity.permissions.contains(.contentWrite),
            // The month's cells stay light (a busy month has a hundred and more entries):
            // pieces are moved from the week view or their editor.
            canMoveInCell: query.view == .week && identity.permissions.contains(.contentWrite),
            currentPath: request.uri.path + (request.uri.query.map { "?\($0)" } ?? ""),
            newFeed: newFeed, hasFeed: try await dependencies.content.hasCalendarFeed(userID: identity.member.id),
            total: dayTotals.values.reduce(0, +))
        return pages.render(.calendar, title: title ?? t.t("calendar.title"), page: model, request: request, context: context)
    }

    static let entriesPerMonthCell = 4
    static let entriesPerWeekCell = 12

    /// The content list filtered to one planned day and the calendar's own filters.
    static func dayListLink(_ iso: String, filter: ContentFilter) -> String {
        ContentPath.list.query(["planned_on": iso, "sort": "planned", "order": "asc", "group": filter.groupID ?? "", "owner": filter.ownerID ?? "",
                                "category": filter.category?.rawValue ?? "", "state": filter.states.map(\.rawValue).joined(separator: ",")])
    }

    /// Each platform of the matrix with its posting time: an account's own time when set.
    private func bestTimes(accounts: [Account], t: Localizer) -> [BestTime] {
        var seen = Set<Platform>()
        var rows: [BestTime] = []
        for account in accounts where !seen.contains(account.platform) {
            seen.insert(account.platform)
            rows.append(BestTime(platform: t.platformShortName(account.platform),
                                 time: PostingTimes.format(PostingTimes.defaultTime(for: account.platform)), overridden: false))
        }
        for account in accounts where account.bestTime != nil {
            rows.append(BestTime(platform: "\(t.platformShortName(account.platform)) · \(account.name)", time: account.bestTime!, overridden: true))
        }
        return rows
    }

    // MARK: iCalendar

    private func feed(for member: Member, request: Request, context: AppRequestContext) async throws -> Response {
        // The feed speaks the member's language, whoever's calendar app fetches it.
        var context = context
        if let locale = member.locale { context.locale = locale }
        let t = pages.localizer(context)
        var filter = ContentFilter()
        filter.plannedFrom = Date().addingTimeInterval(-60 * 86_400)
        filter.plannedTo = Date().addingTimeInterval(180 * 86_400)
        let items = try await dependencies.content.list(filter: filter, sort: .planned, descending: false, page: PageRequest(page: 1, perPage: 200)).items
        let stamp = Self.icsDate(Date())
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//MediaOps//Content calendar//ZH", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:MediaOps 排期表"]
        for item in items {
            guard let planned = item.plannedAt else { continue }
            lines += ["BEGIN:VEVENT", "UID:\(item.id)@mediaops", "DTSTAMP:\(stamp)", "DTSTART:\(Self.icsDate(planned))",
                      "DTEND:\(Self.icsDate(planned.addingTimeInterval(30 * 60)))", "SUMMARY:\(Self.icsText(item.title))",
                      "DESCRIPTION:\(Self.icsText("\(t.t("content.state_\(item.state.rawValue)")) · \(t.t("content.category_\(item.category.rawValue)"))"))", "STATUS:\(item.state == .approved || item.state == .scheduled || item.state == .published ? "CONFIRMED" : "TENTATIVE")",
                      "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        let body = lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
        var response = Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
        response.headers[.cacheControl] = "private, max-age=300"
        return response
    }

    static func icsDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// RFC 5545 TEXT: backslash, semicolon and comma escaped; every line break
    /// (CRLF, LF or a bare CR) becomes "\\n"; other control characters are
    /// dropped, since a bare CR would end the property for some readers.
    static func icsText(_ text: String) -> String {
        var out = ""
        var previousCR = false
        for scalar in text.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousCR { out += "\\n" }
            case "\t": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// RFC 5545 lines are at most 75 octets; longer ones continue after CRLF + space,
    /// never splitting a UTF-8 character.
    static func fold(_ line: String) -> String {
        var out = ""
        var count = 0
        for character in line {
            let size = String(character).utf8.count
            if count + size > 75 {
                out += "\r\n "
                count = 1
            }
            out.append(character)
            count += size
        }
        return out
    }
}
