import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

extension PublishingController {
    func registerPages(_ routes: Routes) {
        routes.get(PublishingPath.queue, .permission(.contentView)) { request, context, identity in
            try await queuePage(request, context, identity)
        }
        routes.post(PublishingPath.freeze, .permission(.settingsManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                _ = try await service.freeze(reason: form["reason"] ?? "", by: identity.principal)
                return pages.redirect(PublishingPath.queue, flash: "flash.publishing_frozen")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await queuePage(request, context, identity, errors: refusal.errors, values: form.values.compactMapValues(\.first), status: refusal.status)
            }
        }
        routes.post(PublishingPath.resume, .permission(.settingsManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                let mode: ResumeMode
                switch form["mode"] ?? "" {
                case "publish_in_order": mode = .publishInOrder
                case "reschedule":
                    let zone = pages.localizer(context).timeZone
                    guard case .some(.some(let at)) = try ContentInputParsing.localDateTime(form["at"], field: "at", zone: zone) else {
                        throw ValidationError(field: "at", code: "required")
                    }
                    mode = .reschedule(at: at)
                case "": throw ValidationError(field: "mode", code: "required")
                default: throw ValidationError(field: "mode", code: "invalid_choice", params: ["choices": "publish_in_order, reschedule"])
                }
                _ = try await service.resume(mode, by: identity.principal)
                return pages.redirect(PublishingPath.queue, flash: "flash.publishing_resumed")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await queuePage(request, context, identity, errors: refusal.errors, values: form.values.compactMapValues(\.first), status: refusal.status)
            }
        }
        routes.get(PublishingPath.target(.key), .permission(.contentView)) { request, context, identity in
            try await targetPage(try await targetDetail(context), errors: FormErrors(), values: [:], request, context, identity)
        }
        routes.post(PublishingPath.targetCancel(.key), .permission(.contentPublish)) { request, context, identity in
            let detail = try await targetDetail(context)
            let form = try await pages.readForm(request, context: context)
            return try await act(detail, form, request, context, identity) {
                _ = try await service.cancel(targetID: detail.target.id, by: identity.principal)
                return "flash.target_cancelled"
            }
        }
        routes.post(PublishingPath.targetReschedule(.key), .permission(.contentPublish)) { request, context, identity in
            let detail = try await targetDetail(context)
            let form = try await pages.readForm(request, context: context)
            return try await act(detail, form, request, context, identity) {
                let zone = pages.localizer(context).timeZone
                guard case .some(.some(let due)) = try ContentInputParsing.localDateTime(form["due_at"], field: "due_at", zone: zone) else {
                    throw ValidationError(field: "due_at", code: "required")
                }
                _ = try await reschedule(detail.target.id, to: due, context: context, identity: identity)
                return "flash.target_rescheduled"
            }
        }
        routes.post(PublishingPath.targetConfirm(.key), .permission(.contentPublish)) { request, context, identity in
            let detail = try await targetDetail(context)
            let form = try await pages.readForm(request, context: context)
            return try await act(detail, form, request, context, identity) {
                let published: Bool
                switch form["published"] ?? "" {
                case "1", "true": published = true
                case "0", "false": published = false
                default: throw ValidationError(field: "published", code: "required")
                }
                let zone = pages.localizer(context).timeZone
                let retryAt: Date?
                if !published, case .some(.some(let date)) = try ContentInputParsing.localDateTime(form["retry_at"], field: "retry_at", zone: zone) {
                    retryAt = date
                } else {
                    retryAt = nil
                }
                _ = try await service.confirm(targetID: detail.target.id, published: published, url: form["url"], retryAt: retryAt,
                                              by: identity.principal)
                if published && detail.target.state == .published { return "flash.target_url_corrected" }
                return published ? "flash.target_confirmed" : "flash.target_requeued"
            }
        }
    }

    /// Runs a change from a target's page (or the queue): on success back where
    /// the form came from with a notice, on a refusal the target page with the reason.
    private func act(_ detail: TargetDetail, _ form: FormData, _ request: Request, _ context: AppRequestContext, _ identity: Identity,
                     _ change: () async throws -> String) async throws -> Response {
        do {
            let flash = try await change()
            let back = form["next"].map(safeNext) ?? PublishingPath.target(.value(detail.target.id)).path
            return pages.redirect(back, flash: flash)
        } catch {
            let refusal = try pages.refusal(error, context)
            let fresh = try await service.detail(id: detail.target.id) ?? detail
            return try await targetPage(fresh, errors: refusal.errors, values: form.values.compactMapValues(\.first), request, context, identity,
                                        status: refusal.status)
        }
    }

    // MARK: Words

    /// A catalog text when the key exists, else the raw value (an engine code the catalogs do not know yet).
    static func known(_ key: String, _ t: Localizer, fallback: String) -> String {
        t.catalogs.string(key, t.locale) != nil ? t.t(key) : fallback
    }

    static func stateName(_ state: TargetState, _ t: Localizer) -> String { t.t("publishing.state_\(state.rawValue)") }

    static func reasonText(_ raw: String, _ t: Localizer) -> String { FailureReasons.sentence(raw, t) }

    /// A logged body as a person reads it: JSON indented with its Chinese as
    /// characters (not \u escapes), form bodies percent-decoded.
    static func readable(_ body: String) -> String {
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("["), let data = trimmed.data(using: .utf8),
           let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
           let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
           let text = String(data: pretty, encoding: .utf8) {
            return text
        }
        if trimmed.contains("%"), !trimmed.contains(" "), let decoded = trimmed.replacingOccurrences(of: "+", with: " ").removingPercentEncoding {
            return decoded
        }
        return body
    }

    static func duration(from start: Date, to end: Date?, _ t: Localizer) -> String {
        guard let end else { return "—" }
        return milliseconds(Int(end.timeIntervalSince(start) * 1_000), t)
    }

    static func milliseconds(_ value: Int, _ t: Localizer) -> String {
        if value < 1_000 { return t.t("publishing.duration_ms", ["n": String(max(0, value))]) }
        return t.t("publishing.duration_s", ["n": String(format: "%.1f", Double(value) / 1_000)])
    }

    /// The next whole hour in the workspace zone, as a datetime-local value.
    static func nextHourValue(_ zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let now = Date()
        let hour = calendar.dateInterval(of: .hour, for: now)?.end ?? now.addingTimeInterval(3_600)
        return ContentInputParsing.localInputValue(hour, zone: zone)
    }

    // MARK: Queue

    func queuePage(_ request: Request, _ context: AppRequestContext, _ identity: Identity, errors: FormErrors = FormErrors(), values: [String: String] = [:],
                   status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let can = identity.permissions.contains
        let isQueue = request.uri.path == PublishingPath.queue.path
        let view = try queueView(isQueue ? request.query("view") : nil)
        let pageRequest = isQueue ? try request.pageRequest(defaultPerPage: 25) : PageRequest(page: 1, perPage: 25)
        let counts = try await service.queueCounts(zone: t.timeZone)
        let result = try await service.queue(view, zone: t.timeZone, limit: pageRequest.perPage, offset: pageRequest.offset)
        let page = Page(items: result.entries, total: result.total, page: pageRequest.page, perPage: pageRequest.perPage)
        var pagination = Pagination(request, page: page, localizer: t)
        if !isQueue {
            // Re-rendered after a refused freeze or resume: links go to the queue, not the form's address.
            let fix = { (href: String) in PublishingPath.queue.path + href.dropFirst(request.uri.path.count) }
            pagination.previous = pagination.previous.map(fix)
            pagination.next = pagination.next.map(fix)
            pagination.pages = pagination.pages.map { Pagination.Link(label: $0.label, href: fix($0.href), current: $0.current) }
        }
        let freeze = try await service.freeze()
        let waiting = try await service.waitingCount()
        let zone = t.timeZone
        let tabs = QueueView.allCases.map { key in
            Tab(key: key.rawValue, label: t.t("publishing.tab_\(key.rawValue)"), count: String(counts[key] ?? 0),
                href: PublishingPath.queue.query(["view": key.rawValue]), active: key == view,
                alert: (counts[key] ?? 0) > 0 && (key == .failed || key == .unconfirmed || key == .manual))
        }
        let rows = result.entries.map { entry in
            let target = entry.target
            return QueueRow(id: target.id, contentID: target.contentID, links: TargetLinks(target), title: entry.contentTitle, account: entry.accountName,
                            platform: t.platformName(target.platform), time: t.dateTime(target.dueAt),
                            state: Self.stateName(target.state, t), stateKey: target.state.rawValue,
                            reason: target.failureReason.map { Self.reasonText($0, t) }, rawReason: target.failureReason,
                            assisted: entry.mode == .assisted, canChange: can(.contentPublish) && target.state == .scheduled,
                            dueValue: ContentInputParsing.localInputValue(target.dueAt, zone: zone), externalURL: target.externalURL,
                            attempts: entry.attempts)
        }
        let model = QueuePage(
            tabs: tabs, view: view.rawValue, viewLabel: t.t("publishing.tab_\(view.rawValue)"), rows: rows,
            empty: t.t("publishing.empty_\(view.rawValue)"), pagination: pagination,
            freeze: freeze.map { FreezeBanner(reason: $0.reason, by: $0.byName, since: t.dateTime($0.since),
                                              waiting: t.t("publishing.frozen_waiting", ["count": String(waiting)])) },
            canFreeze: can(.settingsManage) && freeze == nil, canResume: can(.settingsManage) && freeze != nil,
            canPublish: can(.contentPublish), errors: errors.messages, summary: errors.summary, values: values,
            resumeReschedule: values["mode"] == "reschedule", resumeAt: values["at"] ?? Self.nextHourValue(zone),
            timeZone: zone.identifier, zoneNote: t.t("publishing.zone_note", ["zone": zone.identifier]),
            next: PublishingPath.queue.query(["view": view.rawValue, "page": pageRequest.page > 1 ? String(pageRequest.page) : ""]))
        return pages.render(.publishingQueue, title: t.t("publishing.title"), page: model, request: request, context: context, status: status)
    }

    // MARK: Target

    func targetPage(_ detail: TargetDetail, errors: FormErrors, values: [String: String], _ request: Request, _ context: AppRequestContext, _ identity: Identity,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let can = identity.permissions.contains
        let target = detail.target
        let zone = t.timeZone
        let attempts = try await service.attempts(targetID: target.id).reversed().map { attempt in
            let exchanges = PublishingExchanges.parse(attempt.exchanges).map { exchange in
                ExchangeRow(method: exchange.method, url: exchange.url.removingPercentEncoding ?? exchange.url, status: exchange.status.map(String.init) ?? "—",
                            request: Self.readable(exchange.request), response: Self.readable(exchange.response), error: exchange.error, duration: Self.milliseconds(exchange.milliseconds, t),
                            isNote: exchange.method.isEmpty && exchange.url.isEmpty, failed: exchange.error != nil || (exchange.status ?? 200) >= 400)
            }
            let isReason = ["failed", "unconfirmed", "retrying"].contains(attempt.outcome ?? "")
            return AttemptRow(kind: t.t("publishing.attempt_\(attempt.kind.rawValue)"), worker: attempt.worker ?? "—",
                              started: t.fullDateTime(attempt.startedAt), duration: Self.duration(from: attempt.startedAt, to: attempt.finishedAt, t),
                              outcome: attempt.outcome.map { Self.known("publishing.outcome_\($0)", t, fallback: $0) } ?? t.t("publishing.outcome_running"),
                              outcomeKey: attempt.outcome ?? "running",
                              // Reasons get their plain words; a URL, post id or platform job id is shown as it is.
                              detail: attempt.detail.map { isReason ? Self.reasonText($0, t) : $0 }, rawDetail: isReason ? attempt.detail : nil,
                              exchanges: exchanges, hasExchanges: !exchanges.isEmpty,
                              exchangeCount: t.t("publishing.exchanges_count", ["count": String(exchanges.count)]))
        }
        let assisted = detail.mode == .assisted
        let card = assisted && (target.state == .scheduled || target.state == .publishing) ? try await publishCard(detail, t) : nil
        let model = TargetPage(
            id: target.id, contentID: target.contentID, links: TargetLinks(target), contentTitle: detail.contentTitle, account: detail.accountName, accountID: target.accountID,
            platform: t.platformName(target.platform), state: Self.stateName(target.state, t), stateKey: target.state.rawValue,
            mode: t.t("publishing.mode_\(detail.mode.rawValue)"), assisted: assisted,
            due: t.dateTime(target.dueAt), dueValue: values["due_at"] ?? ContentInputParsing.localInputValue(target.dueAt, zone: zone),
            publishedAt: detail.publishedAt.map(t.fullDateTime), unconfirmedSince: detail.unconfirmedSince.map(t.fullDateTime),
            remindedAt: detail.remindedAt.map(t.fullDateTime), created: t.fullDateTime(target.createdAt), updated: t.fullDateTime(target.updatedAt),
            externalURL: target.externalURL.flatMap { $0.hasPrefix("http://") || $0.hasPrefix("https://") ? $0 : nil },
            externalID: target.externalID, remoteID: detail.remoteID,
            reason: target.failureReason.map { Self.reasonText($0, t) }, rawReason: target.failureReason,
            attemptsCount: detail.attempts, attempts: attempts,
            canPublish: can(.contentPublish), isScheduled: target.state == .scheduled, isUnconfirmed: target.state == .unconfirmed,
            isFailed: target.state == .failed, isPublished: target.state == .published, card: card,
            errors: errors.messages, summary: errors.summary, values: values, timeZone: zone.identifier,
            zoneNote: t.t("publishing.zone_note", ["zone": zone.identifier]), retryValue: values["retry_at"] ?? "")
        return pages.render(.publishTarget, title: detail.contentTitle, page: model, request: request, context: context, status: status)
    }

    /// What a person needs to post an assisted target by hand: the platform's
    /// copy (or the master copy when the item has no variant for it) and the files.
    private func publishCard(_ detail: TargetDetail, _ t: Localizer) async throws -> PublishCard? {
        guard let item = try await dependencies.content.find(id: detail.target.contentID) else { return nil }
        let variant = try await dependencies.content.variants(contentID: item.id).first { $0.platform == detail.target.platform }
        let assets = dependencies.assets
        func link(_ id: String) async throws -> AssetLink? {
            guard let asset = try await assets.find(id: id) else { return nil }
            return AssetLink(name: asset.name, href: ContentPath.assetFile(.value(asset.id)).path, isImage: asset.kind == .image)
        }
        var media: [AssetLink] = []
        for id in variant?.mediaAssetIDs ?? [] where id != item.coverAssetID {
            if let found = try await link(id) { media.append(found) }
        }
        var cover: AssetLink?
        if let id = item.coverAssetID { cover = try await link(id) }
        let title = variant?.title ?? item.title
        let tags = (variant?.tags ?? item.tags).map { "#\($0)" }.joined(separator: " ")
        let postLink = variant?.link ?? ""
        return PublishCard(platformName: t.platformName(detail.target.platform),
                           stepPost: t.t("publishing.step_post", ["platform": t.platformName(detail.target.platform)]), fromVariant: variant != nil,
                           title: title, hasTitle: !title.isEmpty && PlatformLimits.of(detail.target.platform).hasTitle,
                           text: HTMLSanitizer.plainText(variant?.body ?? item.body).trimmingCharacters(in: .whitespacesAndNewlines),
                           tags: tags, hasTags: !tags.isEmpty, link: postLink, hasLink: !postLink.isEmpty,
                           cover: cover, media: media, hasAssets: cover != nil || !media.isEmpty)
    }

    // MARK: The publishing section of a content item's page

    /// The "发布" section of the item page: shown once the item is approved
    /// (or already has targets, or a scheduling attempt was just refused).
    func contentSection(_ item: ContentItem, errors: FormErrors, form: FormData?, context: AppRequestContext, identity: Identity) async throws -> ContentSection? {
        let targets = try await service.targets(contentID: item.id)
        let refused = form != nil && !errors.isEmpty
        guard [.approved, .scheduled, .published].contains(item.state) || !targets.isEmpty || refused else { return nil }
        let t = pages.localizer(context)
        let zone = t.timeZone
        let accounts = try await dependencies.team.accounts(filter: AccountFilter(state: .active), page: PageRequest(page: 1, perPage: 200)).items
        let names = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0.name) })
        var missing: [String: String] = [:]
        for target in targets where names[target.accountID] == nil {
            missing[target.accountID] = try await dependencies.team.account(id: target.accountID)?.name ?? target.accountID
        }
        let live = Set(targets.filter { $0.state != .cancelled }.map(\.accountID))
        let chosen = Set(form?.all("account_ids") ?? [])
        let summary = PublishingSummary.derive(targets.map(\.state))
        let numbers = try await dependencies.analytics.latestByTarget(targets.map(\.id))
        func figures(_ values: [MetricKey: Double], platform: Platform) -> String {
            let key = DerivedMetric.consumptionKey(for: platform)
            var parts: [String] = []
            if let consumption = values[key] ?? values[key == .plays ? .reads : .plays] { parts.append("\(t.t("metric.\(key.rawValue)")) \(t.count(Int(consumption)))") }
            if let engagement = DerivedMetric.engagement(values) { parts.append("\(t.t("analytics.derived.engagement")) \(t.count(Int(engagement)))") }
            if let rate = DerivedMetric.engagementRate(values, platform: platform) { parts.append("\(t.t("analytics.derived.engagement_rate")) " + String(format: "%.1f%%", rate * 100)) }
            return parts.joined(separator: " · ")
        }
        var totalValues: [MetricKey: Double] = [:]
        for values in numbers.values { for (key, value) in values where key.unit == .count { totalValues[key, default: 0] += value } }
        let consumptionTotal = (totalValues[.reads] ?? 0) + (totalValues[.plays] ?? 0)
        let planned = item.plannedAt.flatMap { $0 > Date() ? ContentInputParsing.localInputValue($0, zone: zone) : nil }
        return ContentSection(
            summary: t.t("publishing.summary_\(summary.rawValue)"), summaryKey: summary.rawValue,
            targets: targets.map { target in
                SectionTarget(id: target.id, href: PublishingPath.target(.value(target.id)).path, account: names[target.accountID] ?? missing[target.accountID] ?? target.accountID,
                              platform: t.platformShortName(target.platform), time: t.dateTime(target.dueAt),
                              state: Self.stateName(target.state, t), stateKey: target.state.rawValue,
                              reason: target.failureReason.map { Self.reasonText($0, t) }, externalURL: target.externalURL,
                              numbers: numbers[target.id].map { figures($0, platform: target.platform) })
            },
            hasTargets: !targets.isEmpty,
            canSchedule: identity.permissions.contains(.contentPublish) && (item.state == .approved || item.state == .scheduled),
            accounts: accounts.map { account in
                AccountChoice(id: account.id, name: account.name, platform: t.platformShortName(account.platform),
                              checked: chosen.contains(account.id), taken: live.contains(account.id),
                              // The same rule the scheduler applies: no publishing API, or no credentials to use it.
                              assisted: account.platform.capabilities.contains(.assistedOnly)
                                  || (!account.platform.secretFields.isEmpty && account.credentialKeys.isEmpty),
                              bestTime: t.t("publishing.best_time_of", ["time": PostingTimes.format(PostingTimes.time(for: account))]))
            },
            hasAccounts: !accounts.isEmpty,
            dueValue: form?["due_at"] ?? planned ?? Self.nextHourValue(zone),
            bestTimeChecked: form?["best_time"] == "1",
            timeZone: zone.identifier, zoneNote: t.t("publishing.zone_note", ["zone": zone.identifier]),
            frozen: try await service.freeze() != nil,
            total: numbers.count > 1 ? t.t("publishing.numbers_total", ["consumption": t.count(Int(consumptionTotal)),
                                                                        "engagement": t.count(Int(DerivedMetric.engagement(totalValues) ?? 0)),
                                                                        "count": String(numbers.count)]) : nil)
    }
}
