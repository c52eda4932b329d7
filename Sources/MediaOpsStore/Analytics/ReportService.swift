import Foundation
import MediaOpsDomain
import SQLKit

/// Daily, weekly and monthly reports: issuing computes the numbers once and
/// stores them with the report (the page never recomputes them); regenerating
/// recomputes them and keeps the analyst's words; schedules issue reports when
/// due, once per period, and announce them to the subscribed robots and
/// webhooks. Every change is audited.
public struct ReportService: Sendable {
    public let database: Database

    public init(database: Database) { self.database = database }

    /// The reason a `report.issued` event carries: the report, which the worker
    /// turns into a short summary in the workspace's language.
    public static func reason(reportID: String) -> String { "report:" + reportID }
    public static func reportID(fromReason reason: String) -> String? { reason.hasPrefix("report:") ? String(reason.dropFirst(7)) : nil }
    public static func link(reportID: String) -> String { "/analytics/reports/\(reportID)" }

    // MARK: Reads

    public func find(id: String) async throws -> Report? { try await ReportRepository(database.sql).find(id: id) }

    public func list(kind: ReportKind?, page: PageRequest) async throws -> Page<Report> {
        try await ReportRepository(database.sql).list(kind: kind, page: page)
    }

    public func schedules() async throws -> [ReportSchedule] { try await ReportScheduleRepository(database.sql).all() }

    public func schedule(id: String) async throws -> ReportSchedule? { try await ReportScheduleRepository(database.sql).find(id: id) }

    /// The workspace's zone and today in it.
    public func today() async throws -> (day: LocalDate, zone: TimeZone) { try await AnalyticsService(database: database).today() }

    // MARK: Issuing

    /// The period a member asks for: the latest full one of `kind`, or the one
    /// holding `date` (`YYYY-MM-DD`), or for a monthly report the month `month`
    /// (`YYYY-MM`). A period that has not ended yet is refused, naming the field.
    public static func choosePeriod(kind: ReportKind, date: String?, month: String?, today: LocalDate) throws -> ReportPeriod {
        let date = date?.trimmed.nilIfEmpty, month = month?.trimmed.nilIfEmpty
        if let month {
            guard kind == .monthly else { throw ValidationError(field: "month", code: "report_month_needs_monthly") }
            guard month.count == 7, let first = LocalDate(month + "-01"), first.year >= 2000 else { throw ValidationError(field: "month", code: "invalid_month") }
            let period = ReportKind.monthly.period(containing: first, endingBefore: today)
            guard period.from == first else { throw ValidationError(field: "month", code: "report_period_not_over") }
            return period
        }
        if let date {
            guard let day = LocalDate(date), day.year >= 2000 else { throw ValidationError(field: "date", code: "invalid_date") }
            let period = kind.period(containing: day, endingBefore: today)
            guard period.from <= day, day <= period.to else { throw ValidationError(field: "date", code: "report_period_not_over") }
            return period
        }
        return kind.latestPeriod(today: today)
    }

    /// Issues a report for `period` now, by a member.
    public func issue(kind: ReportKind, scope: ReportScope, period: ReportPeriod, by principal: Principal, now: Date? = nil) async throws -> Report {
        let now = Self.stamp(now ?? database.now())
        try await Self.checkScope(scope, db: database.sql)
        let snapshot = try await compute(scope: scope, period: period)
        let report = Report(id: Identifier.makeOrdered("rep"), kind: kind, scope: scope, snapshot: snapshot, issuedBy: principal.memberID, scheduleID: nil, issuedAt: now)
        return try await database.transaction { db in
            _ = try await ReportRepository(db).insert(report, scheduleKey: nil)
            try await Audit.record(db, principal, .create, .report, report.id, label: Self.label(report),
                                   changes: ["kind": ["", kind.rawValue], "scope": ["", Self.scopeText(scope)],
                                             "period": ["", "\(period.from)…\(period.to)"]], at: now)
            return report
        }
    }

    /// Recomputes a report's numbers from the data as it is now; the summary and recommendations stay.
    public func regenerate(id: String, by principal: Principal, now: Date? = nil) async throws -> Report {
        let now = Self.stamp(now ?? database.now())
        guard let before = try await find(id: id) else { throw NotFoundError(entity: "report") }
        let snapshot = try await compute(scope: before.scope, period: before.period)
        return try await database.transaction { db in
            let reports = ReportRepository(db)
            guard var report = try await reports.find(id: id, lock: true) else { throw NotFoundError(entity: "report") }
            try await reports.replaceSnapshot(id: id, snapshot, by: principal.memberID, at: now)
            report.snapshot = snapshot
            report.regeneratedBy = principal.memberID
            report.regeneratedAt = now
            try await Audit.record(db, principal, .update, .report, id, label: Self.label(report), changes: ["snapshot": ["", "regenerated"]], at: now)
            return report
        }
    }

    /// The analyst's summary and recommendations (plain text, each at most `ReportText.maxLength`).
    public func updateText(id: String, summary: String, recommendations: String, by principal: Principal, now: Date? = nil) async throws -> Report {
        let now = Self.stamp(now ?? database.now())
        let summary = summary.trimmed, recommendations = recommendations.trimmed
        let errors = [ReportText.check(summary, field: "summary"), ReportText.check(recommendations, field: "recommendations")].compactMap { $0 }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        return try await database.transaction { db in
            let reports = ReportRepository(db)
            guard var report = try await reports.find(id: id, lock: true) else { throw NotFoundError(entity: "report") }
            var changes = ChangeSet()
            changes.record("summary", report.summary, summary)
            changes.record("recommendations", report.recommendations, recommendations)
            guard !changes.isEmpty else { return report }
            try await reports.updateText(id: id, summary: summary, recommendations: recommendations, by: principal.memberID, at: now)
            report.summary = summary
            report.recommendations = recommendations
            report.summaryBy = principal.memberID
            report.summaryAt = now
            try await Audit.record(db, principal, .update, .report, id, label: Self.label(report), changes: changes.changes, at: now)
            return report
        }
    }

    // MARK: Schedules

    public func createSchedule(_ draft: ReportSchedule, by principal: Principal, now: Date? = nil) async throws -> ReportSchedule {
        let now = Self.stamp(now ?? database.now())
        var schedule = Self.normalised(draft)
        schedule.id = Identifier.makeOrdered("rsc")
        // A new schedule starts with its next due time: made on a Wednesday, a
        // weekly one does not issue last week's report at once.
        schedule.lastPeriodFrom = schedule.latestDue(atOrBefore: now, zone: try await today().zone)?.period.from
        let checked = schedule
        return try await database.transaction { db in
            try await Self.check(checked, db: db)
            try await ReportScheduleRepository(db).create(checked, createdBy: principal.memberID, now: now)
            try await Audit.record(db, principal, .create, .reportSchedule, checked.id, label: try await Self.label(checked, db: db),
                                   changes: Self.fields(checked).mapValues { ["", $0] }, at: now)
            return checked
        }
    }

    /// Replaces a schedule's settings; what it issued last stays, so a change never issues a period twice.
    public func updateSchedule(_ edited: ReportSchedule, by principal: Principal, now: Date? = nil) async throws -> ReportSchedule {
        let now = Self.stamp(now ?? database.now())
        return try await database.transaction { db in
            let schedules = ReportScheduleRepository(db)
            guard let before = try await schedules.find(id: edited.id, lock: true) else { throw NotFoundError(entity: "report_schedule") }
            var schedule = Self.normalised(edited)
            schedule.lastPeriodFrom = before.lastPeriodFrom
            try await Self.check(schedule, db: db)
            let changes = ChangeSet(from: Self.fields(before), to: Self.fields(schedule))
            guard !changes.isEmpty else { return before }
            try await schedules.update(schedule, now: now)
            try await Audit.record(db, principal, .update, .reportSchedule, schedule.id, label: try await Self.label(schedule, db: db), changes: changes.changes, at: now)
            return schedule
        }
    }

    public func deleteSchedule(id: String, by principal: Principal, now: Date? = nil) async throws {
        let now = Self.stamp(now ?? database.now())
        try await database.transaction { db in
            let schedules = ReportScheduleRepository(db)
            guard let schedule = try await schedules.find(id: id, lock: true) else { throw NotFoundError(entity: "report_schedule") }
            try await schedules.delete(id: id)
            try await Audit.record(db, principal, .delete, .reportSchedule, id, label: try await Self.label(schedule, db: db), at: now)
        }
    }

    /// Issues every enabled schedule's due period not issued yet, and queues
    /// its announcement to the robots and webhooks subscribed to `report.issued`.
    /// The schedule's row is locked while its report is made and the unique
    /// `schedule_key` backs it up: several workers issue a period once.
    @discardableResult
    public func issueDue(now: Date? = nil) async throws -> [Report] {
        let now = Self.stamp(now ?? database.now())
        let zone = try await today().zone
        var issued: [Report] = []
        var firstFailure: (any Error)?
        for candidate in try await schedules() {
            guard let period = candidate.duePeriod(at: now, zone: zone) else { continue }
            // A scope whose account or group is gone is skipped, not retried every sweep with an error.
            guard (try? await Self.checkScope(candidate.scope, db: database.sql)) != nil else { continue }
            // One schedule failing does not hold back the others; the sweep reports it after them.
            do {
                if let made = try await issue(candidate, period: period, zone: zone, now: now) { issued.append(made) }
            } catch {
                firstFailure = firstFailure ?? error
            }
        }
        if let firstFailure { throw firstFailure }
        return issued
    }

    /// Issues `period` of a schedule unless another sweep did first.
    func issue(_ candidate: ReportSchedule, period: ReportPeriod, zone: TimeZone, now: Date) async throws -> Report? {
        let snapshot = try await compute(scope: candidate.scope, period: period)
        return try await database.transaction { db in
            let schedules = ReportScheduleRepository(db)
            guard var schedule = try await schedules.find(id: candidate.id, lock: true), schedule.enabled,
                  schedule.duePeriod(at: now, zone: zone) == period else { return nil }
            let report = Report(id: Identifier.makeOrdered("rep"), kind: schedule.kind, scope: schedule.scope, snapshot: snapshot,
                                issuedBy: nil, scheduleID: schedule.id, issuedAt: now)
            let inserted = try await ReportRepository(db).insert(report, scheduleKey: "\(schedule.id):\(period.from)")
            schedule.lastPeriodFrom = period.from
            try await schedules.update(schedule, now: now)
            guard inserted else { return nil }
            try await NotificationRouter(database: database).enqueue(
                OutboundEvent(kind: .reportIssued, at: now, contentTitle: snapshot.scopeName, reason: Self.reason(reportID: report.id),
                              link: Self.link(reportID: report.id)), on: db)
            return report
        }
    }

    // MARK: Computing

    /// The report's numbers for `scope` over `period`, from the metric store as it is now.
    public func compute(scope: ReportScope, period: ReportPeriod) async throws -> ReportSnapshot {
        let sql = database.sql
        let analytics = AnalyticsService(database: database)
        let zone = try await analytics.today().zone
        let accounts: [Account]
        let scopeName: String
        switch scope {
        case .workspace:
            accounts = try await AccountRepository(sql).all(filter: AccountFilter())
            scopeName = try await WorkspaceRepository(sql).get()?.name ?? ""
        case .group(let id):
            guard let group = try await AccountGroupRepository(sql).find(id: id) else { throw NotFoundError(entity: "account_group") }
            accounts = try await AccountRepository(sql).all(filter: AccountFilter(groupID: id))
            scopeName = group.name
        case .account(let id):
            guard let account = try await AccountRepository(sql).find(id: id) else { throw NotFoundError(entity: "account") }
            accounts = [account]
            scopeName = account.name
        }
        // Webhooks are publishing targets, not audiences: they have no numbers.
        let audience = accounts.filter { $0.platform != .webhook }
        let ids = audience.map(\.id)
        let previous = period.previous
        let both = try await analytics.totals(accountIDs: ids, periods: [(period.from, period.to), (previous.from, previous.to)], zone: zone)
        let current = Self.figures(audience, both[0])
        let before = Self.figures(audience, both[1])

        let reads = ReportReadRepository(sql)
        let sums = try await reads.dailySums(accountIDs: ids, from: period.from, to: period.to, keys: [.followersTotal] + DerivedMetric.engagementParts)
        var days: [ReportDay] = []
        var day = period.from
        while day <= period.to {
            let values = sums[day] ?? [:]
            days.append(ReportDay(day: day, followers: values[.followersTotal], engagement: DerivedMetric.engagement(values)))
            day = day.adding(days: 1)
        }

        let start = AnalyticsService.instant(period.from, zone), stop = AnalyticsService.instant(period.to.adding(days: 1), zone)
        let byID = Dictionary(uniqueKeysWithValues: audience.map { ($0.id, $0) })
        let posts = try await reads.posts(accountIDs: ids, start: start, stop: stop).compactMap { summary -> ReportPost? in
            guard let account = byID[summary.post.accountID] else { return nil }
            let key = DerivedMetric.consumptionKey(for: account.platform)
            return ReportPost(id: summary.post.id, title: summary.post.title, url: summary.post.url, accountID: account.id, accountName: account.name,
                              platform: account.platform, publishedAt: summary.post.publishedAt,
                              consumption24h: summary.at24h?[key], engagementRate24h: summary.at24h.flatMap { DerivedMetric.engagementRate($0, platform: account.platform) },
                              consumption7d: summary.at7d?[key], engagementRate7d: summary.at7d.flatMap { DerivedMetric.engagementRate($0, platform: account.platform) })
        }
        let ranked = ReportPost.ranked(posts, count: ReportSnapshot.postListSize)

        let funnels = FunnelService(database: database)
        let allFunnels = try await funnels.all()
        let funnelsByID = Dictionary(allFunnels.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var alerts: [ReportAlert] = []
        var alertTotal = 0
        for alert in try await reads.alerts(start: start, stop: stop) {
            // The workspace's report takes every alert, a funnel's included; a group's or an account's only its accounts'.
            if scope != .workspace { guard let account = alert.accountID, byID[account] != nil else { continue } }
            alertTotal += 1
            guard alerts.count < ReportSnapshot.alertLimit else { continue }
            var day: LocalDate?, postID: String?
            switch alert.occasion {
            case .day(let judged): day = judged
            case .post(let id, _): postID = id
            }
            // A funnel step's alert ("funnel:<id>:<step>") keeps the step's names as they are now.
            var step: ReportFunnelStep?
            let subject = alert.subjectKey.split(separator: ":").map(String.init)
            if subject.count == 3, subject[0] == "funnel", let funnel = funnelsByID[subject[1]], let index = Int(subject[2]),
               funnel.stages.indices.contains(index), funnel.stages.indices.contains(index + 1) {
                step = ReportFunnelStep(funnelID: funnel.id, funnelName: funnel.name, from: funnel.stages[index].name, to: funnel.stages[index + 1].name)
            }
            alerts.append(ReportAlert(id: alert.id, ruleID: alert.ruleID, accountID: alert.accountID, accountName: alert.accountID.flatMap { byID[$0]?.name },
                                      firedAt: alert.firedAt, day: day, postID: postID, evidence: alert.evidence, funnelStep: step))
        }
        // The funnels over this scope: every funnel for the workspace, a group's or an account's own funnels.
        var reportFunnels: [ReportFunnel] = []
        for funnel in allFunnels where Self.covers(scope, funnel.scope) {
            let figures = try await funnels.figures(funnel, periods: [(period.from, period.to), (previous.from, previous.to)], zone: zone)
            reportFunnels.append(ReportFunnel(id: funnel.id, name: funnel.name, stages: funnel.stages.map(\.name), counts: figures[0].counts,
                                              previousCounts: figures[1].counts))
        }
        // The competitors: of the account's platform for an account's report, else all of them, each beside the own accounts of its platform.
        var platform: Platform?
        if case .account = scope { platform = audience.first?.platform }
        let benchmark = try await CompetitorService(database: database).benchmark(from: period.from, to: period.to, platform: platform)
        let competitors = benchmark.competitors.map { entry in
            let own = benchmark.ownCombined(entry.platform)
            return ReportCompetitor(id: entry.id, name: entry.name, platform: entry.platform, followers: entry.figures.followersEnd, growth: entry.figures.growth,
                                    posts: entry.figures.posts, engagementPerPost: entry.figures.engagementPerPost, ownFollowers: own?.followersEnd,
                                    ownGrowth: benchmark.ownGrowth(entry.platform), ownEngagementPerPost: own?.engagementPerPost)
        }
        return ReportSnapshot(period: period, previousPeriod: previous, scopeName: scopeName, accountCount: audience.count, current: current, previous: before,
                              days: days, topPosts: ranked.top, bottomPosts: ranked.bottom, rankedPosts: posts.filter { $0.rankingRate != nil }.count,
                              alerts: alerts, alertTotal: alertTotal, funnels: reportFunnels, competitors: competitors)
    }

    /// Whether a report of `scope` takes in a funnel over `funnelScope`.
    static func covers(_ scope: ReportScope, _ funnelScope: AlertScope) -> Bool {
        switch scope {
        case .workspace: true
        case .group(let id): funnelScope == .group(id)
        case .account(let id): funnelScope == .account(id)
        }
    }

    /// The scope's roll-up: sums of its accounts, and engagement over what the accounts that have both were read or played.
    static func figures(_ accounts: [Account], _ totals: [String: AccountPeriodTotals]) -> ReportFigures {
        var figures = ReportFigures()
        func add(_ value: Double?, to field: inout Double?) { if let value { field = (field ?? 0) + value } }
        var rated: (engagement: Double, consumption: Double) = (0, 0)
        for account in accounts {
            guard let total = totals[account.id] else { continue }
            add(total.followers, to: &figures.followers)
            add(total.followersNet, to: &figures.followersNet)
            figures.posts += total.posts
            add(total.sums[.reads], to: &figures.reads)
            add(total.sums[.plays], to: &figures.plays)
            let consumption = total.consumption(account.platform), engagement = DerivedMetric.engagement(total.sums)
            add(consumption, to: &figures.consumption)
            add(engagement, to: &figures.engagement)
            if let consumption, let engagement, consumption > 0 {
                rated.engagement += engagement
                rated.consumption += consumption
            }
        }
        figures.engagementRate = rated.consumption > 0 ? rated.engagement / rated.consumption : nil
        return figures
    }

    // MARK: Checks and audit text

    static func checkScope(_ scope: ReportScope, db: any SQLDatabase) async throws {
        switch scope {
        case .workspace: break
        case .group(let id):
            if try await AccountGroupRepository(db).find(id: id) == nil { throw ValidationError(field: "scope_id", code: "unknown_group") }
        case .account(let id):
            if try await AccountRepository(db).find(id: id) == nil { throw ValidationError(field: "scope_id", code: "unknown_account") }
        }
    }

    static func check(_ schedule: ReportSchedule, db: any SQLDatabase) async throws {
        var errors = schedule.validationErrors()
        do { try await checkScope(schedule.scope, db: db) } catch let error as ValidationError { errors.insert(error, at: 0) }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
    }

    /// Only the fields the kind uses are kept (a weekly schedule has no day of the month).
    static func normalised(_ schedule: ReportSchedule) -> ReportSchedule {
        var schedule = schedule
        if schedule.kind != .weekly { schedule.weekday = nil }
        if schedule.kind != .monthly { schedule.dayOfMonth = nil }
        return schedule
    }

    /// Instants are stored to the millisecond: the report returned equals the one read back.
    static func stamp(_ date: Date) -> Date { Date(epochMilliseconds: date.epochMilliseconds) }

    static func scopeText(_ scope: ReportScope) -> String { [scope.kind.rawValue, scope.id].compactMap { $0 }.joined(separator: ":") }

    /// What the audit log names a report by: its scope and days ("青禾茶饮 2026-11-30 – 2026-12-06").
    static func label(_ report: Report) -> String { "\(report.snapshot.scopeName) \(report.period.from) – \(report.period.to)" }

    /// What the audit log names a schedule by: its scope's name and time of day.
    static func label(_ schedule: ReportSchedule, db: any SQLDatabase) async throws -> String {
        let name: String
        switch schedule.scope {
        case .workspace: name = try await WorkspaceRepository(db).get()?.name ?? ""
        case .group(let id): name = try await AccountGroupRepository(db).find(id: id)?.name ?? id
        case .account(let id): name = try await AccountRepository(db).find(id: id)?.name ?? id
        }
        return "\(name) · \(fields(schedule)["time"] ?? "")"
    }

    static func fields(_ schedule: ReportSchedule) -> [String: String] {
        var fields = ["kind": schedule.kind.rawValue, "scope": scopeText(schedule.scope), "enabled": String(schedule.enabled),
                      "time": String(format: "%02d:%02d", schedule.hour, schedule.minute)]
        if let weekday = schedule.weekday { fields["weekday"] = String(weekday) }
        if let day = schedule.dayOfMonth { fields["day_of_month"] = String(day) }
        return fields
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
