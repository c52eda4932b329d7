import Foundation
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsStore
import MediaOpsWeb

/// Delivers one `notify` job: one event to one channel (group robot or signed
/// webhook), written to the channel's delivery log. A channel that was paused
/// or deleted since the event was queued is skipped.
public struct NotificationJobHandler: JobHandler {
    public let kind = JobKind.notify
    let channels: NotificationChannelService
    let http: HTTPTransport
    let now: @Sendable () -> Date
    /// MEDIAOPS_PUBLIC_URL: links in messages point into MediaOps only when people can reach it.
    var publicURL: String?

    /// `http` decides, through its `OutboundPolicy`, whether private addresses may be called.
    public init(channels: NotificationChannelService, http: HTTPTransport, now: @escaping @Sendable () -> Date = { Date() }) {
        self.channels = channels
        self.http = http
        self.now = now
    }

    public init(database: Database, secrets: SecretBox, http: HTTPTransport, publicURL: String? = nil) {
        self.init(channels: NotificationChannelService(database: database, secrets: secrets), http: http)
        self.publicURL = publicURL
    }

    /// A path inside MediaOps becomes an absolute link under the public address; without one a
    /// robot message carries no link, since a bare path means nothing in a chat group.
    static func absolute(_ link: String?, publicURL: String?) -> String? {
        guard let link, link.hasPrefix("/") else { return link }
        guard let base = publicURL?.trimmingCharacters(in: CharacterSet(charactersIn: "/")), !base.isEmpty else { return nil }
        return base + link
    }

    public func handle(_ job: Job, worker: String) async throws -> JobResult {
        let delivery: NotificationRouter.Delivery
        do {
            delivery = try NotificationRouter.decode(job.payload)
        } catch {
            return .dead(reason: "unreadable_payload")
        }
        guard let channel = try await channels.find(id: delivery.channelID), channel.active else { return .done }
        let secret = channel.hasSecret ? try await channels.secret(for: channel.id) : nil
        let language = try await Self.workspaceLanguage(channels.database)
        let log = ExchangeLog()
        var event = delivery.event
        event.link = Self.absolute(event.link, publicURL: publicURL)
        if event.kind == .alertFired, let catalogs = Self.catalogs {
            // An alert is told in a sentence with its numbers, under its rule's name; an alert
            // gone since (its rule deleted) leaves no code in the group, only the account.
            let t = Localizer(locale: AppLocale(rawValue: language) ?? .zhHans, catalogs: catalogs)
            let alerts = AlertService(database: channels.database)
            if let id = event.reason.flatMap(AlertService.alertID(fromReason:)), let alert = try await alerts.find(id: id),
               let rule = try await alerts.rule(id: alert.ruleID) {
                event.contentTitle = AlertSentence.ruleName(rule, t: t)
                event.reason = AlertSentence.sentence(alert, rule: rule, t: t)
            } else {
                event.reason = nil
            }
        } else if event.kind == .reportIssued, let catalogs = Self.catalogs {
            // A report is told by its title and headline figures, with the link to the full page.
            let t = Localizer(locale: AppLocale(rawValue: language) ?? .zhHans, catalogs: catalogs)
            if let id = event.reason.flatMap(ReportService.reportID(fromReason:)), let report = try await ReportService(database: channels.database).find(id: id) {
                event.contentTitle = ReportSentence.title(report, t: t)
                event.reason = ReportSentence.headline(report.snapshot, t: t)
            } else {
                event.reason = nil
            }
        } else if let reason = event.reason, !reason.isEmpty, let catalogs = Self.catalogs {
            // A chat group reads the reason's sentence; the raw code stays on the target page.
            event.reason = FailureReasons.sentence(reason, Localizer(locale: AppLocale(rawValue: language) ?? .zhHans, catalogs: catalogs))
        }
        let address = try await channels.address(for: channel.id) ?? channel.url
        let result = await ChannelSender.send(channel.kind, url: address, secret: secret, event: event, language: language,
                                              http: http, log: log, now: now())
        let status = await log.exchanges.last?.status
        let lastAttempt = job.attempts >= job.maxAttempts
        let state: NotificationDelivery.State
        let detail: String?
        let outcome: JobResult
        switch result {
        case .delivered:
            (state, detail, outcome) = (.delivered, nil, .done)
        case .retry(let reason, let after):
            (state, detail, outcome) = (lastAttempt ? .failed : .retrying, reason, .retry(reason: reason, after: after))
        case .failed(let reason):
            (state, detail, outcome) = (.failed, reason, .dead(reason: reason))
        }
        let at = now()
        try await channels.record(NotificationDelivery(
            id: Self.deliveryID(job), channelID: channel.id, event: delivery.event.kind.rawValue, payload: Self.payload(delivery.event),
            state: state, status: status, detail: detail, attempts: max(1, job.attempts), createdAt: job.createdAt, updatedAt: at))
        return outcome
    }

    /// One log row per job, updated as the job tries again.
    static func deliveryID(_ job: Job) -> String { "ntd_" + job.id }

    static func payload(_ event: OutboundEvent) -> String {
        String(decoding: ChannelMessages.webhookBody(event), as: UTF8.self)
    }

    /// Robot messages are written in the workspace's default language (中文 unless changed).
    /// The message catalogs, read once per process.
    static let catalogs = try? Catalogs.bundled()

    static func workspaceLanguage(_ database: Database) async throws -> String {
        try await WorkspaceRepository(database.sql).get()?.defaultLocale.rawValue ?? AppLocale.zhHans.rawValue
    }
}
