import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// 工作台: what needs the member's attention today, and a global search.
struct HomeController {
    let dependencies: TeamDependencies
    let pages: PageSupport

    /// Each goal still running (or not yet started), its status and progress, nearest deadline first.
    static func goalCards(_ goals: GoalService, t: Localizer) async throws -> [GoalCard] {
        let today = try await goals.today().day
        var cards: [GoalCard] = []
        for goal in try await goals.goals() where goal.deadline >= today {
            let progress = try await goals.progress(goal, today: today)
            cards.append(GoalCard(name: goal.name, href: PlanningPath.goal(.value(goal.id)).path, status: PlanningText.status(progress.status, t),
                                  statusClass: PlanningText.statusClass(progress.status), percent: PlanningText.percent(progress.fraction),
                                  barWidth: FixedDecimal.text(min(1, progress.fraction) * 100, digits: 1), reason: PlanningText.goalReason(progress, t)))
            if cards.count == 8 { break }
        }
        return cards
    }

    func register(_ routes: Routes) {
        routes.get(TeamPath.home, .signedIn) { request, context, identity in
            let t = pages.localizer(context)
            let identity = identity
            let can = identity.permissions.contains
            var stats: [Stat] = []
            var attention: [AttentionRow] = []
            var mine: [AttentionRow] = []
            if can(.membersView) {
                let active = try await dependencies.team.members(filter: MemberFilter(active: true), page: PageRequest(page: 1, perPage: 1)).total
                stats.append(Stat(label: t.t("home.stat_members"), value: t.count(active), exact: t.grouped(active), href: TeamPath.members.path))
            }
            if can(.accountsView) {
                let byState = try await dependencies.team.accountCountsByState()
                let live = (byState[.active] ?? 0) + (byState[.paused] ?? 0) + (byState[.reconnectNeeded] ?? 0)
                stats.append(Stat(label: t.t("home.stat_accounts"), value: t.count(live), exact: t.grouped(live), href: TeamPath.accounts.path))
                stats.append(Stat(label: t.t("home.stat_reconnect"), value: t.count(byState[.reconnectNeeded] ?? 0),
                                  exact: t.grouped(byState[.reconnectNeeded] ?? 0), href: TeamPath.accounts.query(["state": AccountState.reconnectNeeded.rawValue])))
                for state in [AccountState.reconnectNeeded, .paused] {
                    for account in try await dependencies.team.accounts(filter: AccountFilter(state: state), page: PageRequest(page: 1, perPage: 10)).items {
                        attention.append(AttentionRow(href: TeamPath.account(.value(account.id)).path, name: account.name, platform: t.platformShortName(account.platform),
                                                      reason: t.t("account.state_\(state.rawValue)")))
                    }
                }
                for account in try await dependencies.team.accounts(filter: AccountFilter(ownerID: identity.member.id), page: PageRequest(page: 1, perPage: 20)).items {
                    mine.append(AttentionRow(href: TeamPath.account(.value(account.id)).path, name: account.name, platform: t.platformShortName(account.platform),
                                             reason: t.t("account.state_\(account.state.rawValue)")))
                }
            }
            let auditLabels = try await AuditLabels.load(t, team: dependencies.team)
            let recent = can(.auditView)
                ? try await dependencies.team.auditLog(AuditFilter(), page: PageRequest(page: 1, perPage: 8)).items.map { AuditRow($0, labels: auditLabels) }
                : []
            // The content that needs this member today: their review queue, today's
            // planned posts, and their own drafts sent back for changes.
            var toReview: [ContentRow] = []
            var dueToday: [ContentRow] = []
            var sentBack: [ContentRow] = []
            if can(.contentView) {
                func row(_ item: ContentItem, _ detail: String) -> ContentRow {
                    ContentRow(href: ContentPath.item(.value(item.id)).path, title: item.title, detail: detail, state: t.t("content.state_\(item.state.rawValue)"), stateKey: item.state.rawValue)
                }
                toReview = try await dependencies.content.reviewQueue(for: identity.principal, limit: 50).map { row($0.item, t.stageName($0.stage)) }
                // Today in the workspace zone: from its midnight to the next (a calendar day, DST included).
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = t.timeZone
                let start = calendar.startOfDay(for: Date())
                let end = calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400)
                dueToday = try await dependencies.content.list(filter: ContentFilter(plannedFrom: start, plannedTo: end), sort: .planned, descending: false,
                                                     page: PageRequest(page: 1, perPage: 20)).items
                    .map { row($0, $0.plannedAt.map(t.dateTime) ?? "") }
                sentBack = try await dependencies.content.list(filter: ContentFilter(states: [.changesRequested], ownerID: identity.member.id),
                                                     page: PageRequest(page: 1, perPage: 10)).items.map { row($0, t.dateTime($0.updatedAt)) }
                stats.insert(Stat(label: t.t("home.stat_review"), value: t.count(toReview.count), exact: t.grouped(toReview.count), href: ContentPath.reviewQueue.path), at: 0)
                stats.insert(Stat(label: t.t("home.stat_today"), value: t.count(dueToday.count), exact: t.grouped(dueToday.count), href: HomePage.calendarWeek), at: 1)
            }
            var shortcuts: [Shortcut] = []
            if can(.contentWrite) { shortcuts.append(Shortcut(label: t.t("content.new"), href: ContentPath.new.path)) }
            if can(.accountsManage) { shortcuts.append(Shortcut(label: t.t("home.shortcut_add_account"), href: TeamPath.accountNew.path)) }
            if can(.membersManage) { shortcuts.append(Shortcut(label: t.t("home.shortcut_invite"), href: TeamPath.memberNew.path)) }
            shortcuts.append(Shortcut(label: t.t("home.shortcut_tokens"), href: TeamPath.me.path))
            var model = HomePage(greeting: t.t("home.greeting", ["name": identity.member.name]), today: t.dateTime(Date()),
                                 stats: stats, attention: attention, mine: mine, recent: recent, shortcuts: shortcuts,
                                 canSeeAccounts: can(.accountsView), canSeeAudit: can(.auditView), canSeeContent: can(.contentView),
                                 toReview: toReview, dueToday: dueToday, sentBack: sentBack)
            if can(.planningView), let goals = dependencies.goals {
                model.goals = try await Self.goalCards(goals, t: t)
                model.hasGoals = !model.goals.isEmpty
            }
            // Member names for the task and review cards, read once when either shows.
            let names = can(.tasksView) || can(.kpisView)
                ? Dictionary(try await dependencies.team.members().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first }) : [:]
            if let tasks = dependencies.tasks, can(.tasksView) {
                // The member's open work by due date, and what the team let slip.
                let now = Date()
                var open = TaskFilter(assigneeID: identity.member.id)
                open.openOnly = true
                model.canSeeTasks = true
                model.myTasks = try await tasks.list(open, sort: .due, page: PageRequest(page: 1, perPage: 10)).items
                    .map { TaskCard($0, names: names, now: now, identity: identity, t: t) }
                model.overdueTasks = try await tasks.list(TaskFilter(dueBefore: now, openOnly: true), sort: .due, page: PageRequest(page: 1, perPage: 10)).items
                    .map { TaskCard($0, names: names, now: now, identity: identity, t: t) }
            }
            if let reviews = dependencies.reviews, can(.kpisView) {
                let text = KpiText(t: t)
                model.canSeeReviews = true
                model.reviews = try await reviews.waiting(for: identity.principal).prefix(10).map { waiting in
                    ReviewRow(href: KpiPath.review(.value(waiting.memberID), .value(waiting.period.description)).path,
                              name: waiting.memberID == identity.member.id ? t.t("reviews.home_yourself") : names[waiting.memberID] ?? t.t("tasks.former_member"),
                              period: text.period(waiting.period), action: t.t("reviews.home_action_\(waiting.action.rawValue)"))
                }
            }
            return pages.render(.home, title: t.t("nav.home"), page: model, request: request, context: context)
        }

        routes.get(TeamPath.search, .signedIn) { request, context, identity in
            let t = pages.localizer(context)
            let identity = identity
            let can = identity.permissions.contains
            let query = (request.query("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            var groups: [Group] = []
            func group(_ kind: String, _ hits: [Hit], total: Int, capped: Bool = false, listHref: String?) {
                guard !hits.isEmpty else { return }
                let more = total > hits.count ? t.t("search.more", ["count": capped ? "\(total)+" : String(total)]) : nil
                groups.append(Group(kind: t.t("search.kind_\(kind)"), hits: hits, more: more, moreHref: more == nil ? nil : listHref))
            }
            let limit = 8
            if !query.isEmpty {
                // People and accounts are few: matched in memory, so pinyin works typed
                // without spaces ("linxiao") or as initials ("lx").
                let matcher = PinyinMatcher(query)
                if can(.membersView) {
                    let members = try await dependencies.team.members().filter { matcher.matches($0.name) || matcher.matches($0.email) }
                    group("member", members.prefix(limit).map { Hit(title: $0.name, detail: $0.email, href: TeamPath.member(.value($0.id)).path) },
                          total: members.count, listHref: TeamPath.members.query(["q": query]))
                }
                if can(.accountsView) {
                    let accounts = try await dependencies.team.allAccounts().filter { matcher.matches($0.name) || matcher.matches($0.handle) }
                    group("account", accounts.prefix(limit).map {
                        Hit(title: $0.name, detail: "\(t.platformShortName($0.platform)) · \($0.handle)", href: TeamPath.account(.value($0.id)).path)
                    }, total: accounts.count, listHref: TeamPath.accounts.query(["q": query]))
                }
                if can(.contentView) {
                    // Titles and bodies through the library's search; a one- or two-character
                    // word cannot use the trigram index, so for those titles are searched here
                    // and "see all" runs the full search on the content list.
                    let content: Page<ContentItem>
                    if query.count >= 3 {
                        content = try await dependencies.content.list(filter: ContentFilter(query: query), page: PageRequest(page: 1, perPage: limit))
                    } else {
                        let titled = try await dependencies.content.titleMatches(query, limit: limit + 1)
                        content = Page(items: Array(titled.prefix(limit)), total: titled.count, page: 1, perPage: limit)
                    }
                    group("content", content.items.map { item in
                        Hit(title: item.title, detail: t.t("content.state_\(item.state.rawValue)") + " · " + String(HTMLSanitizer.plainText(item.body).prefix(60)),
                            href: ContentPath.item(.value(item.id)).path)
                    }, total: content.total > limit ? content.total : content.items.count, capped: content.totalIsCapped || content.total > limit && query.count < 3,
                       listHref: ContentPath.list.query(["q": query]))
                    let topics = try await dependencies.topics.list(filter: TopicFilter(query: query), page: PageRequest(page: 1, perPage: limit))
                    group("topic", topics.items.map { Hit(title: $0.title, detail: t.t("topics.status_\($0.status.rawValue)"), href: ContentPath.topic(.value($0.id)).path) },
                          total: topics.total, listHref: ContentPath.topics.query(["q": query]))
                    let assets = try await dependencies.assets.list(filter: AssetFilter(query: query), page: PageRequest(page: 1, perPage: limit))
                    group("asset", assets.items.map { Hit(title: $0.name, detail: t.t("asset.kind_\($0.kind.rawValue)"), href: ContentPath.asset(.value($0.id)).path) },
                          total: assets.total, listHref: ContentPath.assets.query(["q": query]))
                }
            }
            let count = groups.reduce(0) { $0 + $1.hits.count }
            let model = SearchPage(query: query, groups: groups, searched: !query.isEmpty,
                                   summary: t.t("search.summary", ["count": String(count), "query": query]))
            return pages.render(.search, title: t.t("search.title"), page: model, request: request, context: context)
        }
    }
}
