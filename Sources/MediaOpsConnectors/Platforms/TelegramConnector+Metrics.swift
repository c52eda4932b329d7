import Foundation
import MediaOpsDomain

/// Telegram: the Bot API gives a channel's member count (`getChatMemberCount`)
/// and no post numbers at all, so posts have no snapshots.
extension TelegramConnector: MetricsConnector {
    public func pullAccount(_ account: ConnectorAccount, from: LocalDate, to: LocalDate, context: ConnectorContext) async -> MetricPullResult {
        guard let token = account.secrets["bot_token"], !token.isEmpty else { return MetricPullResult(failure: PullFailure(.auth, "missing_credential: bot_token")) }
        guard let chat = account.fields["chat_id"], !chat.isEmpty else { return MetricPullResult(failure: PullFailure(.permanent, "missing_field: chat_id")) }
        await context.log.redact([token])
        var result = MetricPullResult()
        let request = OutboundRequest.json("POST", context.endpoints.base(.telegram) + "/bot\(token)/getChatMemberCount", ["chat_id": chat])
        let response: OutboundResponse
        switch await MetricCall.send(request, context: context) {
        case .failure(let failure): return MetricPullResult(failure: failure)
        case .success(let answer): response = answer
        }
        let json = response.json
        guard json?["ok"] as? Bool == true else {
            let description = (json?["description"] as? String) ?? String(response.text.prefix(160))
            let code = JSONLenient.int(json?["error_code"]) ?? response.status
            switch code {
            case 429:
                let retry = ((json?["parameters"] as? [String: Any])?["retry_after"]).flatMap(JSONLenient.int).map(TimeInterval.init)
                result.failure = PullFailure(.rateLimited, "telegram_429: \(description)", retryAfter: retry ?? 30)
            case 401, 403, 404: result.failure = PullFailure(.auth, "telegram_\(code): \(description)")
            case 500...: result.failure = PullFailure(.transient, "telegram_\(code): \(description)")
            default: result.failure = PullFailure(.permanent, "telegram_\(code): \(description)")
            }
            return result
        }
        let index = result.keep("getChatMemberCount", response.text)
        let values = MetricFieldMapper([.init("result", .followersTotal)]).read(json ?? [:], endpoint: "getChatMemberCount", into: &result)
        result.daily.append(DailyValues(day: to, values: values, payload: index))
        return result
    }

    public func pullPosts(_ account: ConnectorAccount, posts: [MetricPostRef], context: ConnectorContext) async -> MetricPullResult {
        MetricPullResult(failure: PullFailure(.unsupported, "the Telegram Bot API has no post statistics"))
    }
}
