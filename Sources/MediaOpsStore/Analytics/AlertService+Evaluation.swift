import Foundation
import MediaOpsDomain
import Logging
import SQLKit

extension AlertService {
    // MARK: Daily series

    /// Judges `day` of each account's daily series with every enabled
    /// daily-series rule whose scope covers the account, and raises the alerts
    /// the cool-down lets through. Evaluating the same day again raises
    /// nothing new, so this can run after every pull and import. Funnel rules
    /// are not judged here: the store keeps no funnel stage counts yet.
    @discardableResult
    public func evaluate(accountIDs: [String], through day: LocalDate, now: Date? = nil) async throws -> [Alert] {
        let now = now ?? database.now()
        let rules = try await AlertRuleRepository(database.sql).all(enabledOnly: true).filter { $0.kind.input == .dailySeries && $0.isValid }
        guard !rules.isEmpty else { return [] }
        var raised: [Alert] = []
        for accountID in Set(accountIDs).sorted() {
            guard let account = try await AccountRepository(database.sql).find(id: accountID) else { continue }
            let covering = rules.filter { $0.scope.covers(account) }
            guard !covering.isEmpty else { continue }
            let values = try await dailyValues(account: account, rules: covering, from: day.adding(days: -(Self.lookback(covering))), to: day)
            for rule in covering {
                guard let metric = rule.metric else { continue }
                let evaluation = rule.evaluate(series: Self.series(metric, values, platform: account.platform), on: day)
                guard evaluation.fired else { continue }
                if let alert = try await raise(rule, account: account, occasion: .day(day), evidence: evaluation.evidence, now: now) { raised.append(alert) }
            }
        }
        return raised
    }

    // MARK: Posts

    /// Judges one post on its 24-hour snapshot against the account's earlier
    /// posts' 24-hour values, with every enabled post rule covering its
    /// account. A post without a 24-hour figure (or without a publish time) is not judged.
    @discardableResult
    public func evaluate(postID: String, now: Date? = nil) async throws -> [Alert] {
        let now = now ?? database.now()
        let rules = try await AlertRuleRepository(database.sql).all(enabledOnly: true).filter { $0.kind.input == .posts && $0.isValid }
        guard !rules.isEmpty else { return [] }
        let analytics = AnalyticsService(database: database)
        guard let post = try await analytics.post(id: postID), let publishedAt = post.publishedAt,
              let account = try await AccountRepository(database.sql).find(id: post.accountID) else { return [] }
        let covering = rules.filter { $0.scope.covers(account) }
        guard !covering.isEmpty else { return [] }
        let own = try await analytics.snapshots(postID: postID).map { (hours: $0.hoursSincePublish, values: $0.values.mapValues(\.value)) }
        guard let at24h = AnalyticsService.summary(post, own).at24h else { return [] }
        let earlier = try await earlierPosts(accountID: account.id, before: post, count: covering.map(\.window).max() ?? 0)
        var raised: [Alert] = []
        for rule in covering {
            guard let metric = rule.metric else { continue }
            let evaluation = rule.evaluate(post: Self.value(metric, at24h, platform: account.platform),
                                           earlierPosts: earlier.map { $0.at24h.flatMap { Self.value(metric, $0, platform: account.platform) } })
            guard evaluation.fired else { continue }
            let due = publishedAt.addingTimeInterval(Double(AlertRule.postAgeHours) * 3_600)
            if let alert = try await raise(rule, account: account, occasion: .post(id: post.id, at: due), evidence: evaluation.evidence, now: now) {
                raised.append(alert)
            }
        }
        return raised
    }

    /// Up to `count` posts of the account published before `post`, oldest first, with their 24-hour figures.
    func earlierPosts(accountID: String, before post: AnalyticsPost, count: Int) async throws -> [PostMetricsSummary] {
        guard count > 0, let publishedAt = post.publishedAt else { return [] }
        let analytics = AnalyticsService(database: database)
        var found: [PostMetricsSummary] = []
        var page = 1
        while found.count < count {
            let batch = try await analytics.posts(accountID: accountID, page: PageRequest(page: page, perPage: PageRequest.maxPerPage))
            for summary in batch.items where summary.post.id != post.id {
                guard let other = summary.post.publishedAt, (other, summary.post.id) < (publishedAt, post.id) else { continue }
                found.append(summary)
            }
            if batch.items.count < PageRequest.maxPerPage || page >= 20 { break }
            page += 1
        }
        return Array(found.prefix(count).reversed())
    }

    // MARK: Preview

    /// What `rule` would have raised over the `days` days through `day` for
    /// each account its scope covers (those not retired), by account id, or
    /// for a funnel rule each step of each funnel it covers, by the step's
    /// subject key ("funnel:<id>:<stage>"); nothing
    /// is written. The rule is checked first (every broken field at once).
    public func preview(rule: AlertRule, through day: LocalDate, days: Int = AlertRule.previewDays, now: Date? = nil) async throws -> [String: AlertPreview] {
        try await Self.check(rule, db: database.sql)
        let span = min(max(days, AlertRule.previewDaysRange.lowerBound), AlertRule.previewDaysRange.upperBound)
        var result: [String: AlertPreview] = [:]
        for account in try await rule.kind.input == .funnelStage ? [] : coveredAccounts(rule.scope) {
            switch rule.kind.input {
            case .dailySeries:
                guard let metric = rule.metric else { continue }
                let values = try await dailyValues(account: account, rules: [rule], from: day.adding(days: -(span + Self.lookback([rule]))), to: day)
                result[account.id] = rule.preview(series: Self.series(metric, values, platform: account.platform), through: day, days: span)
            case .posts:
                guard let metric = rule.metric else { continue }
                let posts = try await allPosts(accountID: account.id).compactMap { summary -> AlertPost? in
                    guard let published = summary.post.publishedAt else { return nil }
                    return AlertPost(id: summary.post.id, publishedAt: published, value: summary.at24h.flatMap { Self.value(metric, $0, platform: account.platform) })
                }
                result[account.id] = rule.preview(posts: posts, through: now ?? database.now(), days: span)
            case .funnelStage:
                break
            }
        }
        if rule.kind.input == .funnelStage {
            // Keyed by the step: "funnel:<id>:<stage>".
            let funnels = FunnelService(database: database)
            for funnel in try await funnels.all() where Self.covers(rule.scope, funnel) {
                for stage in 0..<max(0, funnel.stages.count - 1) {
                    let counts = try await funnels.dailyStageCounts(funnel, stage: stage, from: day.adding(days: -(span + Self.lookback([rule]))), to: day)
                    result[AlertSubject.funnelStage(funnelID: funnel.id, stage: stage).key] = rule.preview(funnel: counts, through: day, days: span)
                }
            }
        }
        return result
    }

    /// The accounts a scope takes in: every account that is not retired. A
    /// paused account, or one waiting to be reconnected, still has numbers
    /// (imported, or pulled before), and a fall in them still matters.
    func coveredAccounts(_ scope: AlertScope) async throws -> [Account] {
        if case .account(let id) = scope { return try await AccountRepository(database.sql).find(id: id).map { [$0] } ?? [] }
        let filter = AccountFilter(groupID: scope.kind == .group ? scope.id : nil)
        return try await AccountRepository(database.sql).all(filter: filter).filter(scope.covers)
    }

    func allPosts(accountID: String) async throws -> [PostMetricsSummary] {
        let analytics = AnalyticsService(database: database)
        var posts: [PostMetricsSummary] = []
        var page = 1
        while page <= 50 {
            let batch = try await analytics.posts(accountID: accountID, page: PageRequest(page: page, perPage: PageRequest.maxPerPage))
            posts += batch.items
            if batch.items.count < PageRequest.maxPerPage { break }
            page += 1
        }
        return posts
    }

    // MARK: Raising

    /// What an alert is raised about: an account, or one step of a funnel.
    struct Target {
        var subject: AlertSubject
        var accountID: String?
        /// The notification's title: the account's or the funnel's name.
        var title: String
        var platform: String?
        var funnelID: String?

        static func account(_ account: Account) -> Target {
            Target(subject: .account(account.id), accountID: account.id, title: account.name, platform: account.platform.rawValue)
        }

        /// Titled with the funnel and its step ("私信咨询转化 · 私信咨询 → 下单"), so a robot's message says which step.
        static func funnelStep(_ funnel: Funnel, stage: Int) -> Target {
            let step = funnel.stages.indices.contains(stage + 1) ? " · \(funnel.stages[stage].name) → \(funnel.stages[stage + 1].name)" : ""
            return Target(subject: .funnelStage(funnelID: funnel.id, stage: stage), accountID: nil, title: funnel.name + step, platform: nil, funnelID: funnel.id)
        }

        func link(alertID: String) -> String {
            if let funnelID { return AlertService.funnelLink(alertID: alertID, funnelID: funnelID) }
            return AlertService.link(alertID: alertID, accountID: accountID)
        }
    }

    func raise(_ rule: AlertRule, account: Account, occasion: AlertOccasion, evidence: AlertEvidence, now: Date) async throws -> Alert? {
        try await raise(rule, target: .account(account), occasion: occasion, evidence: evidence, now: now)
    }

    /// Raises an alert unless the rule already did for this occasion or the
    /// cool-down holds it back; the rule's row is locked so two evaluations of
    /// one rule decide one after the other.
    func raise(_ rule: AlertRule, target: Target, occasion: AlertOccasion, evidence: AlertEvidence, now: Date) async throws -> Alert? {
        let subject = target.subject.key
        return try await database.transaction { db in
            guard let current = try await AlertRuleRepository(db).find(id: rule.id, lock: true), current.enabled else { return nil }
            let alerts = AlertRepository(db)
            guard try await !alerts.exists(ruleID: rule.id, subjectKey: subject, occasion: occasion) else { return nil }
            let last = try await alerts.last(ruleID: rule.id, subjectKey: subject)
            guard AlertCooldown.decide(occasion, last: last?.lastFiring, cooldownHours: current.cooldownHours) == .raise else { return nil }
            // At the store's precision (milliseconds), so the alert returned is the alert read back.
            let alert = Alert(id: Identifier.makeOrdered("alt"), ruleID: rule.id, subjectKey: subject, accountID: target.accountID, occasion: occasion,
                              evidence: evidence, firedAt: Date(epochMilliseconds: now.epochMilliseconds))
            guard try await alerts.insert(alert) else { return nil }
            let link = target.link(alertID: alert.id)
            let recipients = try await MemberRepository(db).all().filter { $0.isActive && !Self.recipientRoles.isDisjoint(with: $0.roleKeys) }
            for member in recipients.sorted(by: { $0.id < $1.id }) {
                // The title is the account or funnel; the body the rule's own name (empty for a preset, whose
                // catalog name the page shows from `detail`, the preset key).
                try await NotificationRepository(db).add(userID: member.id, kind: Self.notificationKind, title: target.title, body: current.name,
                                                         link: link, detail: current.preset?.rawValue ?? current.kind.rawValue)
            }
            // And to the robots and webhooks subscribed to alerts, in the same commit.
            try await NotificationRouter(database: database).enqueue(
                OutboundEvent(kind: .alertFired, contentTitle: current.name.isEmpty ? nil : current.name, accountName: target.title,
                              platform: target.platform, reason: Self.reason(alertID: alert.id), link: link),
                on: db)
            return alert
        }
    }

    // MARK: Funnels

    /// Judges `day` of every step of every funnel a funnel rule covers (the
    /// rule's scope: all funnels, or those over that group or account).
    @discardableResult
    public func evaluateFunnels(through day: LocalDate, now: Date? = nil) async throws -> [Alert] {
        let now = now ?? database.now()
        let rules = try await AlertRuleRepository(database.sql).all(enabledOnly: true).filter { $0.kind.input == .funnelStage && $0.isValid }
        guard !rules.isEmpty else { return [] }
        let funnels = FunnelService(database: database)
        var raised: [Alert] = []
        for funnel in try await funnels.all() {
            let covering = rules.filter { Self.covers($0.scope, funnel) }
            guard !covering.isEmpty else { continue }
            let from = day.adding(days: -Self.lookback(covering))
            for stage in 0..<max(0, funnel.stages.count - 1) {
                let counts = try await funnels.dailyStageCounts(funnel, stage: stage, from: from, to: day)
                for rule in covering {
                    let evaluation = rule.evaluate(funnel: counts, on: day)
                    guard evaluation.fired else { continue }
                    if let alert = try await raise(rule, target: .funnelStep(funnel, stage: stage), occasion: .day(day), evidence: evaluation.evidence, now: now) {
                        raised.append(alert)
                    }
                }
            }
        }
        return raised
    }

    /// A funnel rule's scope takes in every funnel, or the funnels over exactly that group or account.
    static func covers(_ scope: AlertScope, _ funnel: Funnel) -> Bool {
        scope == .allAccounts || scope == funnel.scope
    }

    // MARK: Series

    /// The days a set of rules looks back before the judged day.
    static func lookback(_ rules: [AlertRule]) -> Int {
        (rules.map { $0.kind.usesHistory ? $0.window : 1 }.max() ?? 1) + 1
    }

    func dailyValues(account: Account, rules: [AlertRule], from: LocalDate, to: LocalDate) async throws -> [LocalDate: [MetricKey: Double]] {
        let keys = Set(rules.compactMap(\.metric).flatMap { Self.storedKeys($0, platform: account.platform) })
        guard !keys.isEmpty else { return [:] }
        return try await MetricService(database: database).daily(accountID: account.id, from: from, to: to, keys: keys.sorted { $0.rawValue < $1.rawValue })
            .mapValues { $0.mapValues(\.value) }
    }

    /// The stored metrics a metric is read or computed from.
    public static func storedKeys(_ metric: AlertMetric, platform: Platform) -> [MetricKey] {
        switch metric {
        case .stored(let key): [key]
        case .consumption: [DerivedMetric.consumptionKey(for: platform)]
        case .derived(.engagement): DerivedMetric.engagementParts
        case .derived(.engagementRate): DerivedMetric.engagementParts + [.reads, .plays]
        case .derived(.readRate): [.readers, .followersTotal]
        }
    }

    /// A metric's value from one day's (or one snapshot's) stored values; nil when it cannot be had.
    static func value(_ metric: AlertMetric, _ values: [MetricKey: Double], platform: Platform) -> Double? {
        switch metric {
        case .stored(let key): values[key]
        case .consumption: values[DerivedMetric.consumptionKey(for: platform)]
        case .derived(.engagement): DerivedMetric.engagement(values)
        case .derived(.engagementRate): DerivedMetric.engagementRate(values, platform: platform)
        case .derived(.readRate): DerivedMetric.readRate(readers: values[.readers], days: 1, followers: values[.followersTotal])
        }
    }

    static func series(_ metric: AlertMetric, _ values: [LocalDate: [MetricKey: Double]], platform: Platform) -> [LocalDate: Double] {
        values.compactMapValues { value(metric, $0, platform: platform) }
    }
}

extension AlertService {
    /// New numbers have been stored (an import, a pull, a funnel file): the
    /// rules judge the accounts' days through `day`, each of `postIDs`, and the
    /// funnels. The numbers stay stored whatever happens here, so a failure is
    /// not the caller's failure — but it is logged with what was being judged,
    /// never swallowed; the hourly sweep judges the same days again.
    public func judgeNewNumbers(accountIDs: [String], through day: LocalDate?, postIDs: [String] = [], now: Date, after source: String) async {
        func attempt(_ what: String, _ body: () async throws -> Void) async {
            do { try await body() } catch {
                database.logger.error("alert rules could not judge new numbers",
                                      metadata: ["after": .string(source), "judging": .string(what), "error": .string(String(describing: error))])
            }
        }
        if let day {
            if !accountIDs.isEmpty {
                await attempt("accounts through \(day)") { _ = try await evaluate(accountIDs: accountIDs, through: day, now: now) }
            }
            await attempt("funnels through \(day)") { _ = try await evaluateFunnels(through: day, now: now) }
        }
        for postID in postIDs {
            await attempt("post \(postID)") { _ = try await evaluate(postID: postID, now: now) }
        }
    }
}
