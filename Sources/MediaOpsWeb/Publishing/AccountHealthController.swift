import Foundation
import Hummingbird
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsStore

/// Account health: whose authorisation runs out when, which accounts need
/// reconnecting, and which scheduled posts that puts at risk. Also the WeChat
/// callback that reports finished publish jobs (PUBLISHJOBFINISH).
struct AccountHealthController {
    let dependencies: PublishingDependencies
    let pages: PageSupport

    var health: TokenHealthService { dependencies.tokenHealth }

    func register(_ routes: Routes) {
        routes.get("/api/v1/publishing/health", .permission(.accountsView)) { _, _ in
            try JSONOutput.response(ItemsDTO(items: try await health.health().map(AccountHealthDTO.init)))
        }
        routes.patch("/api/v1/accounts/{id}/token-expiry", .permission(.accountsManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            guard input.has("expires_at") else { throw ValidationError(field: "expires_at", code: "required") }
            let expiresAt = try ContentInputParsing.instant(try input.nullableString("expires_at"), field: "expires_at") ?? nil
            let account = try await health.setExpiry(accountID: try context.parameters.require("id"), expiresAt: expiresAt, by: identity.principal)
            let entry = try await health.health().first { $0.account.id == account.id }
            return try JSONOutput.response(try entry.map(AccountHealthDTO.init) ?? { throw NotFoundError(entity: "account") }())
        }
        routes.get(PublishingPath.health, .permission(.accountsView)) { request, context, identity in
            try await page(request, context: context, identity: identity)
        }
        routes.post(PublishingPath.healthAccount(.key), .permission(.accountsManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            let zone = pages.localizer(context).timeZone
            do {
                let raw = form["expires_on"]?.trimmingCharacters(in: .whitespaces) ?? ""
                var expiresAt: Date?
                if !raw.isEmpty {
                    guard let day = LocalDate(raw) else { throw ValidationError(field: "expires_on", code: "invalid_date") }
                    var calendar = Calendar(identifier: .gregorian)
                    calendar.timeZone = zone
                    // An authorisation "until" a day lasts to that day's end in the workspace zone.
                    expiresAt = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 23, minute: 59, second: 59))
                }
                _ = try await health.setExpiry(accountID: try context.parameters.require("id"), expiresAt: expiresAt, by: identity.principal)
                return pages.redirect(PublishingPath.health, flash: "flash.token_expiry_saved")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await page(request, context: context, identity: identity, errors: refusal.errors, status: refusal.status)
            }
        }
        // WeChat pushes PUBLISHJOBFINISH here; the URL is configured in the 公众号 back office.
        routes.get(PublishingPath.wechatCallback(.key), .anyone) { request, context in
            let account = try context.parameters.require("account")
            guard try await verifyWeChat(request, accountID: account) else { return Response(status: .forbidden) }
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: request.uri.queryParameters.get("echostr") ?? "")))
        }
        routes.post(PublishingPath.wechatCallback(.key), .anyone) { request, context in
            let account = try context.parameters.require("account")
            guard try await verifyWeChat(request, accountID: account) else { return Response(status: .forbidden) }
            let xml = String(decoding: Data(try await request.body.collect(upTo: 256 * 1_024).readableBytesView), as: UTF8.self)
            if let event = WeChatCallback.parse(xml: xml) { try await apply(event, accountID: account) }
            // WeChat expects "success" (or an empty body) and retries otherwise.
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "success")))
        }
    }

    /// The callback signs with the account's callback token: sha1(sort(token, timestamp, nonce)).
    func verifyWeChat(_ request: Request, accountID: String) async throws -> Bool {
        let query = request.uri.queryParameters
        guard let account = try await dependencies.team.account(id: accountID), account.platform == .wechatOA,
              let token = try await dependencies.team.credential("callback_token", accountID: accountID),
              let signature = query.get("signature"), let timestamp = query.get("timestamp"), let nonce = query.get("nonce") else { return false }
        return WeChatCallback.verify(token: token, timestamp: timestamp, nonce: nonce, signature: signature)
    }

    func apply(_ event: WeChatCallback.PublishEvent, accountID: String) async throws {
        let result: AttemptResult
        switch event.outcome {
        case .published(let id, let url): result = .published(externalID: id, url: url)
        case .failed(let reason): result = .failed(reason: reason, reconnect: false)
        default: return
        }
        try await dependencies.publishing.applyCallback(platform: .wechatOA, remoteID: event.publishID, accountID: accountID, result: result)
    }

    func page(_ request: Request, context: AppRequestContext, identity: Identity, errors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let entries = try await health.health()
        let canManage = identity.permissions.contains(.accountsManage)
        let dayFormatter = DateFormatter()
        dayFormatter.locale = Locale(identifier: "en_US_POSIX")
        dayFormatter.timeZone = t.timeZone
        dayFormatter.dateFormat = "yyyy-MM-dd"
        let rows = entries.map { entry in
            let risks = entry.atRisk.map { Risk(title: $0.contentTitle, link: PublishingPath.target(.value($0.target.id)).path, due: t.dateTime($0.target.dueAt)) }
            return Row(id: entry.account.id, accountHref: TeamPath.account(.value(entry.account.id)).path,
                       action: PublishingPath.healthAccount(.value(entry.account.id)).path, name: entry.account.name, platform: t.platformName(entry.account.platform),
                       status: t.t("health.status_\(entry.status.rawValue)"), statusKey: entry.status.rawValue,
                       expires: entry.tokenExpiresAt.map(t.dateTime) ?? t.t("health.no_expiry"),
                       expiresValue: entry.tokenExpiresAt.map(dayFormatter.string) ?? "", risks: risks, riskCount: risks.count, hasRisks: !risks.isEmpty, canManage: canManage,
                       attention: [.expiring, .expired, .reconnectNeeded, .missingCredentials].contains(entry.status))
        }
        let monthFormatter = DateFormatter()
        monthFormatter.locale = Locale(identifier: t.locale == .en ? "en_US" : "zh_CN")
        monthFormatter.timeZone = t.timeZone
        monthFormatter.dateFormat = t.locale == .en ? "MMMM yyyy" : "yyyy年M月"
        var months: [(Date, String, [Row])] = []
        for (entry, row) in zip(entries, rows) {
            guard let expires = entry.tokenExpiresAt else { continue }
            let label = monthFormatter.string(from: expires)
            if let index = months.firstIndex(where: { $0.1 == label }) { months[index].2.append(row) } else { months.append((expires, label, [row])) }
        }
        let calendar = months.sorted { $0.0 < $1.0 }.map { Month(label: $0.1, rows: $0.2) }
        let warnings = rows.filter(\.attention)
        let model = HealthPage(warnings: warnings, rows: rows, calendar: calendar, hasWarnings: !warnings.isEmpty, formError: errors.summary ?? errors.messages.values.first)
        return pages.render(.accountHealth, title: t.t("health.title"), page: model, request: request, context: context, status: status)
    }
}

struct AccountHealthDTO: Encodable {
    var account_id: String
    var name: String
    var platform: String
    var account_state: String
    @Nullable var token_expires_at: Date?
    var status: String
    var scheduled_at_risk: [String]

    init(_ health: AccountHealth) {
        account_id = health.account.id
        name = health.account.name
        platform = health.account.platform.rawValue
        account_state = health.account.state.rawValue
        token_expires_at = health.tokenExpiresAt
        status = health.status.rawValue
        scheduled_at_risk = health.atRisk.map(\.target.id)
    }
}
