import Foundation
import Hummingbird
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsStore

/// Notification channels: group robots (企业微信, 钉钉, 飞书) and signed
/// webhooks, which events each receives, a test send and the delivery log.
struct NotificationChannelsController {
    let dependencies: PublishingDependencies
    let pages: PageSupport

    var service: NotificationChannelService {
        dependencies.channels
    }

    func register(_ routes: Routes) {
        let access = Access.permission(.settingsManage)

        // MARK: API
        routes.get("/api/v1/notification-channels", access) { _, _ in
            try JSONOutput.response(ItemsDTO(items: try await service.list().map(NotificationChannelDTO.init)))
        }
        routes.post("/api/v1/notification-channels", access) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let channel = try await service.create(try checkedDestination(try channelInput(input)), by: identity.principal)
            return try JSONOutput.response(NotificationChannelDTO(channel), status: .created)
        }
        routes.get("/api/v1/notification-channels/{id}", access) { _, context in
            try JSONOutput.response(NotificationChannelDTO(try await channel(context)))
        }
        routes.patch("/api/v1/notification-channels/{id}", access) { request, context, identity in
            let current = try await channel(context)
            let input = try await JSONInput.read(request, context: context)
            let updated = try await service.update(id: current.id, try checkedDestination(try channelInput(input), current: current), by: identity.principal)
            return try JSONOutput.response(NotificationChannelDTO(updated))
        }
        routes.delete("/api/v1/notification-channels/{id}", access) { _, context, identity in
            try await service.delete(id: try await channel(context).id, by: identity.principal)
            return JSONOutput.noContent()
        }
        routes.post("/api/v1/notification-channels/{id}/test", access) { request, context in
            let outcome = try await sendTest(try await channel(context), request: request, context: context)
            return try JSONOutput.response(TestResultDTO(outcome))
        }
        routes.get("/api/v1/notification-channels/{id}/deliveries", access) { _, context in
            let channel = try await channel(context)
            return try JSONOutput.response(ItemsDTO(items: try await service.deliveries(channelID: channel.id).map(DeliveryDTO.init)))
        }

        // MARK: Pages
        routes.get(PublishingPath.channels, access) { request, context in
            try await listPage(values: [:], events: Set(OutboundEventKind.allCases), active: true, errors: FormErrors(), request, context)
        }
        routes.post(PublishingPath.channels, access) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                let channel = try await service.create(try checkedDestination(formInput(form, creating: true)), by: identity.principal)
                return pages.redirect(PublishingPath.channel(.value(channel.id)), flash: "flash.channel_created")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await listPage(values: visibleValues(form), events: Set(form.all("events").compactMap(OutboundEventKind.init(rawValue:))),
                                          active: form.has("active"), errors: refusal.errors, request, context, status: refusal.status)
            }
        }
        routes.get(PublishingPath.channel(.key), access) { request, context in
            let channel = try await channel(context)
            return try await editPage(channel, values: values(of: channel), events: channel.events, active: channel.active, errors: FormErrors(),
                                      test: nil, request, context)
        }
        routes.post(PublishingPath.channel(.key), access) { request, context, identity in
            let channel = try await channel(context)
            let form = try await pages.readForm(request, context: context)
            do {
                _ = try await service.update(id: channel.id, try checkedDestination(formInput(form, creating: false), current: channel), by: identity.principal)
                return pages.redirect(PublishingPath.channel(.value(channel.id)), flash: "flash.channel_updated")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await editPage(channel, values: visibleValues(form), events: Set(form.all("events").compactMap(OutboundEventKind.init(rawValue:))),
                                          active: form.has("active"), errors: refusal.errors, test: nil, request, context, status: refusal.status)
            }
        }
        routes.post(PublishingPath.channelDelete(.key), access) { request, context, identity in
            let channel = try await channel(context)
            _ = try await pages.readForm(request, context: context)
            try await service.delete(id: channel.id, by: identity.principal)
            return pages.redirect(PublishingPath.channels, flash: "flash.channel_deleted")
        }
        routes.post(PublishingPath.channelTest(.key), access) { request, context in
            let channel = try await channel(context)
            _ = try await pages.readForm(request, context: context)
            let outcome = try await sendTest(channel, request: request, context: context)
            let t = pages.localizer(context)
            let banner: TestBanner
            switch outcome.result {
            case .delivered:
                banner = TestBanner(delivered: true, message: t.t("channels.test_delivered"), detail: nil, hint: nil)
            case .retry(let reason, _), .failed(let reason):
                banner = TestBanner(delivered: false, message: t.t("channels.test_failed"), detail: reason,
                                    hint: reason == "private_address" ? t.t("channels.private_hint") : nil)
            }
            return try await editPage(channel, values: values(of: channel), events: channel.events, active: channel.active, errors: FormErrors(),
                                      test: banner, request, context)
        }
    }

    // MARK: Test send

    struct TestOutcome {
        var result: ChannelSendResult
        var status: Int?
        var delivery: NotificationDelivery
    }

    /// Sends a sample "authorisation expiring" message now, in the workspace's
    /// language, and writes it to the channel's delivery log.
    private func sendTest(_ channel: NotificationChannel, request: Request, context: AppRequestContext) async throws -> TestOutcome {
        let language = context.workspace?.defaultLocale ?? .zhHans
        let t = Localizer(locale: language, catalogs: pages.renderer.catalogs)
        var link: String?
        if let host = request.head.authority, !host.isEmpty {
            link = (pages.secureCookies ? "https://" : "http://") + host + PublishingPath.channel(.value(channel.id)).path
        }
        let event = OutboundEvent(kind: .tokenExpiring, accountName: t.t("channels.sample_account"), platform: Platform.weibo.rawValue,
                                  reason: t.t("channels.sample_reason"), link: link)
        let secret = channel.hasSecret ? try await service.secret(for: channel.id) : nil
        // A person is waiting for the answer: do not wait as long as a worker would.
        var http = dependencies.outbound
        http.timeout = min(http.timeout, 10)
        let log = ExchangeLog()
        let address = try await service.address(for: channel.id) ?? channel.url
        let result = await ChannelSender.send(channel.kind, url: address, secret: secret, event: event, language: language.rawValue, http: http, log: log)
        let status = await log.exchanges.last?.status
        let now = Date()
        let state: NotificationDelivery.State
        let detail: String?
        switch result {
        case .delivered: (state, detail) = (.delivered, nil)
        // A test is not tried again.
        case .retry(let reason, _), .failed(let reason): (state, detail) = (.failed, reason)
        }
        let delivery = NotificationDelivery(id: Identifier.makeOrdered("ntd"), channelID: channel.id, event: event.kind.rawValue,
                                            payload: String(decoding: ChannelMessages.webhookBody(event), as: UTF8.self), state: state,
                                            status: status, detail: detail, attempts: 1, createdAt: now, updatedAt: now)
        try await service.record(delivery)
        return TestOutcome(result: result, status: status, delivery: delivery)
    }

    // MARK: Input

    private func channelInput(_ input: JSONInput) throws -> NotificationChannelService.ChannelInput {
        // The secret: absent keeps it, null or "" clears it.
        let secret: String?
        switch try input.nullableString("secret") {
        case .none: secret = nil
        case .some(let value): secret = value ?? ""
        }
        return NotificationChannelService.ChannelInput(name: try input.string("name"), kind: try input.string("kind"), url: try input.string("url"),
                                                       secret: secret, events: try input.strings("events"), active: try input.bool("active"))
    }

    private func formInput(_ form: FormData, creating: Bool) -> NotificationChannelService.ChannelInput {
        // A blank secret box keeps the secret, unless "clear" is ticked.
        let given = form["secret"] ?? ""
        let secret: String? = !given.isEmpty ? given : (!creating && form.has("clear_secret") ? "" : nil)
        return NotificationChannelService.ChannelInput(name: form["name"] ?? "", kind: form["kind"] ?? "", url: form["url"] ?? "", secret: secret,
                                                       events: form.all("events"), active: form.has("active"))
    }

    private func visibleValues(_ form: FormData) -> [String: String] {
        // The secret is never echoed back into a page.
        form.values.compactMapValues(\.first).filter { $0.key != "secret" && $0.key != "_csrf" }
    }

    private func values(of channel: NotificationChannel) -> [String: String] {
        ["name": channel.name, "kind": channel.kind.rawValue, "url": channel.url]
    }

    private func channel(_ context: AppRequestContext) async throws -> NotificationChannel {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let channel = try await service.find(id: id) else {
            throw AppError.notFound
        }
        return channel
    }

    private func kindChoices(_ selected: String?, _ t: Localizer) -> [Choice] {
        ChannelKind.allCases.map { Choice(value: $0.rawValue, label: t.t("channels.kind_\($0.rawValue)"), selected: $0.rawValue == (selected ?? "wecom")) }
    }

    private func eventChoices(_ checked: Set<OutboundEventKind>, _ t: Localizer) -> [Choice] {
        OutboundEventKind.allCases.map { Choice(value: $0.rawValue, label: eventLabel($0.rawValue, t), selected: checked.contains($0)) }
    }

    private func eventLabel(_ raw: String, _ t: Localizer) -> String {
        OutboundEventKind(rawValue: raw) != nil ? t.t("channels.event_" + raw.replacingOccurrences(of: ".", with: "_")) : raw
    }

    private func deliveryRow(_ delivery: NotificationDelivery, _ t: Localizer) -> DeliveryRow {
        DeliveryRow(at: t.dateTime(delivery.createdAt), event: eventLabel(delivery.event, t), state: delivery.state.rawValue,
                    stateLabel: t.t("channels.delivery_\(delivery.state.rawValue)"),
                    stateClass: delivery.state == .delivered ? "status-ok" : delivery.state == .retrying ? "status-warn" : "status-block", status: delivery.status.map(String.init),
                    detail: delivery.detail, attempts: delivery.attempts)
    }

    /// The URL without the credentials robots carry in it (key, access_token, the 飞书 hook token).
    /// A robot or webhook address passes the outbound policy when saved (the
    /// refusal is shown beside the field); the sender checks it again.
    private func checkedDestination(_ input: NotificationChannelService.ChannelInput, current: NotificationChannel? = nil) throws -> NotificationChannelService.ChannelInput {
        guard let url = input.url?.trimmingCharacters(in: .whitespaces), !url.isEmpty, url != current?.url else { return input }
        if let refusal = dependencies.outbound.policy.refusalOnSave(for: url) {
            throw ValidationError(field: "url", code: refusal)
        }
        return input
    }

    /// Stored channels already hold the masked form; masking again is harmless.
    static func maskedURL(_ url: String, kind: ChannelKind) -> String { kind.maskedAddress(url) }

    private func listPage(values: [String: String], events: Set<OutboundEventKind>, active: Bool, errors: FormErrors,
                          _ request: Request, _ context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        var rows: [ChannelRow] = []
        for channel in try await service.list() {
            let deliveries = try await service.deliveries(channelID: channel.id, limit: 3).map { deliveryRow($0, t) }
            rows.append(ChannelRow(
                id: channel.id, links: ChannelLinks(channel.id), name: channel.name, kind: channel.kind.rawValue, kindLabel: t.t("channels.kind_\(channel.kind.rawValue)"),
                url: Self.maskedURL(channel.url, kind: channel.kind),
                events: t.list(OutboundEventKind.allCases.filter(channel.events.contains).map { eventLabel($0.rawValue, t) }),
                active: channel.active, stateLabel: t.t(channel.active ? "channels.state_active" : "channels.state_paused"),
                hasSecret: channel.hasSecret, deliveries: deliveries, hasDeliveries: !deliveries.isEmpty))
        }
        let model = ListPage(rows: rows, values: values, errors: errors.messages, summary: errors.summary,
                             kinds: kindChoices(values["kind"], t), events: eventChoices(events, t), active: active)
        return pages.render(.channels, title: t.t("channels.title"), page: model, request: request, context: context, status: status)
    }

    private func editPage(_ channel: NotificationChannel, values: [String: String], events: Set<OutboundEventKind>, active: Bool, errors: FormErrors,
                          test: TestBanner?, _ request: Request, _ context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let deliveries = try await service.deliveries(channelID: channel.id).map { deliveryRow($0, t) }
        let model = EditPage(id: channel.id, links: ChannelLinks(channel.id), name: channel.name, values: values, errors: errors.messages, summary: errors.summary,
                             kinds: kindChoices(values["kind"] ?? channel.kind.rawValue, t), events: eventChoices(events, t), active: active,
                             hasSecret: channel.hasSecret, deliveries: deliveries, hasDeliveries: !deliveries.isEmpty, test: test)
        return pages.render(.channelEdit, title: channel.name, page: model, request: request, context: context, status: status)
    }
}

// MARK: Wire shapes

/// A channel as the API shows it. The secret is write-only: only whether one is set.
struct NotificationChannelDTO: Encodable {
    var id: String
    var name: String
    var kind: String
    var url: String
    var has_secret: Bool
    var events: [String]
    var active: Bool
    var created_at: Date
    var updated_at: Date

    init(_ channel: NotificationChannel) {
        id = channel.id
        name = channel.name
        kind = channel.kind.rawValue
        url = channel.url
        has_secret = channel.hasSecret
        events = OutboundEventKind.allCases.filter(channel.events.contains).map(\.rawValue)
        active = channel.active
        created_at = channel.createdAt
        updated_at = channel.updatedAt
    }
}

struct DeliveryDTO: Encodable {
    var id: String
    var channel_id: String
    var event: String
    var state: String
    @Nullable var status: Int?
    @Nullable var detail: String?
    var attempts: Int
    var created_at: Date
    var updated_at: Date

    init(_ delivery: NotificationDelivery) {
        id = delivery.id
        channel_id = delivery.channelID
        event = delivery.event
        state = delivery.state.rawValue
        status = delivery.status
        detail = delivery.detail
        attempts = delivery.attempts
        created_at = delivery.createdAt
        updated_at = delivery.updatedAt
    }
}

struct TestResultDTO: Encodable {
    var delivered: Bool
    /// delivered, retry (a passing failure) or failed.
    var result: String
    @Nullable var reason: String?
    @Nullable var status: Int?
    var delivery: DeliveryDTO

    init(_ outcome: NotificationChannelsController.TestOutcome) {
        delivered = outcome.result == .delivered
        switch outcome.result {
        case .delivered:
            result = "delivered"
            reason = nil
        case .retry(let why, _):
            result = "retry"
            reason = why
        case .failed(let why):
            result = "failed"
            reason = why
        }
        status = outcome.status
        delivery = DeliveryDTO(outcome.delivery)
    }
}
