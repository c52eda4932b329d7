import Foundation
import MediaOpsDomain

/// Who may see whose scorecard and review, and who may assess them.
///
/// - a member sees their own (`kpis.view`);
/// - their manager, through the reporting line, sees and assesses them (`reviews.manage`);
/// - the director and the owner (holding both `kpis.manage` and `reviews.manage`) see and assess everyone;
/// - nobody assesses their own review.
///
/// Anyone else is told the scorecard does not exist (404), so its existence leaks nothing.
public enum ScorecardAccess {
    public static func seesEveryone(_ principal: Principal) -> Bool {
        principal.can(.kpisManage) && principal.can(.reviewsManage)
    }

    public static func isManager(_ principal: Principal, of memberID: String, lines: [String: String]) -> Bool {
        guard let me = principal.memberID, principal.can(.reviewsManage) else { return false }
        return lines[memberID] == me
    }

    public static func canView(_ principal: Principal, memberID: String, lines: [String: String]) -> Bool {
        if principal.memberID == memberID { return principal.can(.kpisView) }
        return seesEveryone(principal) || isManager(principal, of: memberID, lines: lines)
    }

    public static func canAssess(_ principal: Principal, memberID: String, lines: [String: String]) -> Bool {
        guard principal.memberID != memberID else { return false }
        return seesEveryone(principal) || isManager(principal, of: memberID, lines: lines)
    }
}

/// The KPI engine: computes each KPI's actual for a member and a period from
/// the data of the other rooms (through their services), with the items it
/// counted, and puts them together into scorecards. A scorecard whose review
/// was finalized is read from the review, never recomputed.
public struct ScorecardService: Sendable {
    public let database: Database
    public let team: TeamService
    public let kpis: KpiService
    public let content: ContentService
    public let publishing: PublishingService
    public let analytics: AnalyticsService
    public let reports: ReportService
    /// The tasks room's completions; nil until an installation connects it.
    public let tasks: (any TaskCompletionSource)?

    public init(database: Database, team: TeamService, kpis: KpiService, content: ContentService, publishing: PublishingService,
                analytics: AnalyticsService, reports: ReportService, tasks: (any TaskCompletionSource)?) {
        self.database = database
        self.team = team
        self.kpis = kpis
        self.content = content
        self.publishing = publishing
        self.analytics = analytics
        self.reports = reports
        self.tasks = tasks
    }

    public func today() async throws -> (day: LocalDate, zone: TimeZone) { try await analytics.today() }

    public func currentPeriod(_ kind: KpiPeriodKind = .month) async throws -> KpiPeriod {
        KpiPeriod.containing(try await today().day, kind: kind)
    }

    // MARK: Visibility

    /// The active members with a scorecard (their roles grant `kpis.view`: a
    /// read-only viewer is not assessed) whose scorecards the principal may see, by name.
    public func visibleMembers(_ principal: Principal) async throws -> [Member] {
        let lines = try await team.reportingLines()
        var visible: [Member] = []
        // Members share a handful of role sets: each set's permissions are read once (Home asks on every visit).
        var assessed: [[String]: Bool] = [:]
        for member in try await team.members() where member.isActive && ScorecardAccess.canView(principal, memberID: member.id, lines: lines) {
            let roles = member.roleKeys.sorted()
            if assessed[roles] == nil { assessed[roles] = try await team.permissions(forRoles: roles).contains(.kpisView) }
            if assessed[roles] == true { visible.append(member) }
        }
        return visible
    }

    /// The member, when the principal may see their scorecard; "not found" otherwise.
    public func visibleMember(_ memberID: String, by principal: Principal) async throws -> Member {
        let lines = try await team.reportingLines()
        guard ScorecardAccess.canView(principal, memberID: memberID, lines: lines), let member = try await team.member(id: memberID) else {
            throw NotFoundError(entity: "scorecard")
        }
        return member
    }

    // MARK: Scorecards

    /// The member's scorecard: frozen from a finalized review, else computed now.
    public func scorecard(member: Member, period: KpiPeriod) async throws -> Scorecard {
        if let review = try await PerformanceReviewRepository(database.sql).find(memberID: member.id, period: period),
           review.state == .finalized, let frozen = review.scorecard {
            return frozen
        }
        return try await compute(member: member, period: period)
    }

    /// Computes the scorecard from the data as it is now.
    public func compute(member: Member, period: KpiPeriod) async throws -> Scorecard {
        let definitions = try await kpis.all().filter { $0.isActive && $0.applies(to: member.roleKeys) }
        let targets = try await kpis.targets()
        let zone = try await today().zone
        var lines: [ScorecardLine] = []
        for definition in definitions {
            let target = KpiTarget.resolve(targets, kpiID: definition.id, periodKind: period.kind, memberID: member.id, roleKeys: member.roleKeys)
            let result = try await self.result(definition, memberID: member.id, period: period, zone: zone)
            lines.append(ScorecardLine(kpiID: definition.id, name: definition.name, source: definition.source, direction: definition.direction,
                                       weight: definition.weight, target: target?.value, actual: result.actual, unavailable: result.unavailable,
                                       evidence: result.evidence))
        }
        return Scorecard(memberID: member.id, period: period, lines: lines, computedAt: database.now())
    }

    /// One KPI's actual for a member and a period, with the items behind it.
    public func result(_ definition: KpiDefinition, memberID: String, period: KpiPeriod, zone given: TimeZone? = nil) async throws -> KpiResult {
        let zone: TimeZone
        if let given { zone = given } else { zone = try await today().zone }
        let (start, stop) = period.interval(in: zone)
        let now = database.now()
        let parameters = definition.parameters.normalized(for: definition.source)
        switch definition.source {
        case .postReads, .postInteractionRate:
            let posts = try await publishing.published(contentOwnerID: memberID, from: start, to: stop, platform: parameters.platform)
            let figures = try await analytics.latestByTarget(posts.map(\.targetID))
            var evidence: [KpiEvidence] = []
            var reads = 0.0, engagement = 0.0, readsBehindRate = 0.0, withReads = 0, withRate = 0
            for post in posts {
                let values = figures[post.targetID]
                let consumption = values.flatMap { Self.consumption($0, platform: post.platform) }
                let engaged = values.flatMap(DerivedMetric.engagement)
                if let consumption { reads += consumption; withReads += 1 }
                if let consumption, let engaged, consumption > 0 { engagement += engaged; readsBehindRate += consumption; withRate += 1 }
                let isRate = definition.source == .postInteractionRate
                evidence.append(KpiEvidence(kind: .post, id: post.targetID, title: post.title, platform: post.platform, at: post.publishedAt,
                                            value: isRate ? engaged : consumption, base: isRate ? consumption : nil))
            }
            if definition.source == .postReads {
                if posts.isEmpty { return KpiResult(actual: 0, evidence: []) }
                return withReads > 0 ? KpiResult(actual: reads, evidence: evidence) : KpiResult(actual: nil, unavailable: .noMetrics, evidence: evidence)
            }
            if posts.isEmpty { return KpiResult(actual: nil, unavailable: .noPosts, evidence: []) }
            return withRate > 0 ? KpiResult(actual: engagement / readsBehindRate * 100, evidence: evidence)
                : KpiResult(actual: nil, unavailable: .noMetrics, evidence: evidence)

        case .piecesOnTime:
            let lead = TimeInterval(parameters.leadHours ?? KpiParameters.defaultLeadHours) * 3_600
            let pieces = try await content.plannedPieces(ownerID: memberID, from: start, to: stop)
            let evidence = pieces.map { piece -> KpiEvidence in
                let due = piece.plannedAt.addingTimeInterval(-lead)
                let timeliness: KpiEvidence.Timeliness
                if let submitted = piece.firstSubmittedAt { timeliness = submitted <= due ? .onTime : .late }
                else { timeliness = due <= now ? .late : .pending }
                return KpiEvidence(kind: .piece, id: piece.contentID, title: piece.title, at: piece.firstSubmittedAt, reference: piece.plannedAt,
                                   timeliness: timeliness)
            }
            return KpiResult.share(evidence)

        case .reportsOnTime:
            let grace = TimeInterval(parameters.graceHours ?? KpiParameters.defaultGraceHours) * 3_600
            let deliveries = try await reports.deliveries(memberID: memberID, periodEndingFrom: period.from, to: period.to)
            let evidence = deliveries.map { delivery -> KpiEvidence in
                // Due by the end of the day the period ended, plus the grace hours.
                let due = KpiPeriod.midnight(delivery.periodTo.adding(days: 1), zone).addingTimeInterval(grace)
                return KpiEvidence(kind: .report, id: delivery.reportID, title: "\(delivery.periodFrom) – \(delivery.periodTo)",
                                   at: delivery.issuedAt, reference: due, timeliness: delivery.issuedAt <= due ? .onTime : .late, detail: delivery.kind.rawValue)
            }
            return KpiResult.share(evidence)

        case .reviewTurnaround:
            let decisions = try await content.reviewDecisions(memberID: memberID, from: start, to: stop)
            var hours: [Double] = []
            let evidence = decisions.map { decision -> KpiEvidence in
                let value = decision.arrivedAt.map { max(0, decision.decidedAt.timeIntervalSince($0)) / 3_600 }
                if let value { hours.append(value) }
                return KpiEvidence(kind: .decision, id: decision.contentID, title: decision.title, at: decision.decidedAt, reference: decision.arrivedAt,
                                   value: value, detail: decision.action)
            }
            guard !hours.isEmpty else { return KpiResult(actual: nil, unavailable: .noDecisions, evidence: evidence) }
            return KpiResult(actual: hours.reduce(0, +) / Double(hours.count), evidence: evidence)

        case .fanRetention, .accountFanGrowth:
            let accounts = try await team.allAccounts(filter: AccountFilter(platform: parameters.platform, ownerID: memberID))
            guard !accounts.isEmpty else { return KpiResult(actual: nil, unavailable: .noOwnedAccounts, evidence: []) }
            let today = try await today().day
            let last = min(period.to, today)
            var evidence: [KpiEvidence] = []
            var lost = 0.0, base = 0.0, growth = 0.0, measured = 0
            for account in accounts {
                // Followers at the start: the last count before the period (up to a month back), else its first day's.
                let daily = last < period.from ? [:] : try await analytics.daily(accountID: account.id, from: period.from.adding(days: -31), to: last)
                let before = daily.filter { $0.key < period.from }.compactMap { day, values in values[.followersTotal].map { (day, $0) } }.max { $0.0 < $1.0 }?.1
                let inside = daily.filter { $0.key >= period.from }
                let firstInside = inside.compactMap { day, values in values[.followersTotal].map { (day, $0) } }.min { $0.0 < $1.0 }?.1
                let lastInside = inside.compactMap { day, values in values[.followersTotal].map { (day, $0) } }.max { $0.0 < $1.0 }?.1
                let start = before ?? firstInside
                if definition.source == .fanRetention {
                    let losses = inside.compactMap { $0.value[.followersLost] }
                    let lostHere = losses.isEmpty ? nil : losses.reduce(0, +)
                    if let start, start > 0, let lostHere { lost += lostHere; base += start; measured += 1 }
                    evidence.append(KpiEvidence(kind: .account, id: account.id, title: account.name, platform: account.platform, value: lostHere, base: start))
                } else {
                    let change: Double? = if let start, let lastInside { lastInside - start } else { nil }
                    if let change { growth += change; measured += 1 }
                    evidence.append(KpiEvidence(kind: .account, id: account.id, title: account.name, platform: account.platform, value: change, base: start))
                }
            }
            guard measured > 0 else { return KpiResult(actual: nil, unavailable: .noMetrics, evidence: evidence) }
            if definition.source == .fanRetention { return KpiResult(actual: max(0, 1 - lost / base) * 100, evidence: evidence) }
            return KpiResult(actual: growth, evidence: evidence)

        case .tasksOnTime:
            guard let tasks else { return KpiResult(actual: nil, unavailable: .tasksNotConnected, evidence: []) }
            let grace = TimeInterval(parameters.graceHours ?? KpiParameters.defaultGraceHours) * 3_600
            let completions = try await tasks.completions(assignee: memberID, from: start, to: stop)
            let evidence = completions.map { task in
                KpiEvidence(kind: .task, id: task.taskID, title: task.title, at: task.completedAt, reference: task.dueAt,
                            timeliness: task.completedAt <= task.dueAt.addingTimeInterval(grace) ? .onTime : .late)
            }
            return KpiResult.share(evidence)
        }
    }

    /// Reads, or plays on video platforms (falling back to the other when the usual one is absent).
    static func consumption(_ values: [MetricKey: Double], platform: Platform) -> Double? {
        let primary = DerivedMetric.consumptionKey(for: platform)
        return values[primary] ?? values[primary == .plays ? .reads : .plays]
    }
}
