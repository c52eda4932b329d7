import Foundation
import MediaOpsDomain

/// Telegram: a bot posts to a channel (`sendMessage`, or `sendPhoto` with the
/// cover as the picture and the text as caption).
public struct TelegramConnector: Connector {
    public let platform = Platform.telegram
    static let captionLimit = 1_024
    public init() {}

    public func publish(_ payload: PublishPayload, context: ConnectorContext) async -> PublishOutcome {
        guard let token = payload.account.secrets["bot_token"], !token.isEmpty else { return .reconnectNeeded(reason: "missing_credential: bot_token") }
        guard let chat = payload.account.fields["chat_id"], !chat.isEmpty else { return .permanent(reason: "missing_field: chat_id") }
        await context.log.redact([token])
        let base = context.endpoints.base(.telegram) + "/bot\(token)"
        let request: OutboundRequest
        if let cover = payload.cover, payload.text.count <= Self.captionLimit {
            var form = MultipartBody()
            form.field("chat_id", chat)
            form.field("caption", payload.text)
            form.file("photo", cover)
            request = form.request(base + "/sendPhoto")
        } else {
            request = .json("POST", base + "/sendMessage", ["chat_id": chat, "text": payload.text])
        }
        do {
            let response = try await context.http.send(request, log: context.log)
            let json = response.json
            if json?["ok"] as? Bool == true, let result = json?["result"] as? [String: Any], let messageID = JSONLenient.int(result["message_id"]) {
                let username = ((result["chat"] as? [String: Any])?["username"] as? String) ?? (chat.hasPrefix("@") ? String(chat.dropFirst()) : nil)
                return .published(externalID: String(messageID), url: username.map { "https://t.me/\($0)/\(messageID)" })
            }
            let code = JSONLenient.int(json?["error_code"]) ?? response.status
            let description = (json?["description"] as? String) ?? String(response.text.prefix(200))
            switch code {
            case 429:
                let retry = ((json?["parameters"] as? [String: Any])?["retry_after"]).flatMap(JSONLenient.int).map(TimeInterval.init)
                return .transient(reason: "rate_limited: \(description)", retryAfter: retry)
            case 401, 404:
                // The Bot API answers an unknown or malformed token with 404 "Not Found" (the token is part of the path).
                return .reconnectNeeded(reason: "bot_token_rejected: \(description)")
            case 403: return .reconnectNeeded(reason: "bot_not_allowed: \(description)")
            case 500...: return .transient(reason: "server_error: \(description)", retryAfter: nil)
            case 200..<300: return .unknown(reason: "unreadable_answer")
            default: return .permanent(reason: description)
            }
        } catch {
            return Classification.outcome(error)
        }
    }

}
