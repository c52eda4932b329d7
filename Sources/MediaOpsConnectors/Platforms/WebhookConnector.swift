import Crypto
import Foundation
import MediaOpsDomain

/// A custom webhook "account": the post is delivered as a signed JSON POST to
/// the account's URL. The receiver checks `X-MediaOps-Signature`
/// (`sha256=` + hex HMAC-SHA256 of "<timestamp>.<body>" under the signing
/// secret) and may use `X-MediaOps-Delivery` to drop a repeat.
public struct WebhookConnector: Connector {
    public let platform = Platform.webhook
    public init() {}

    public func publish(_ payload: PublishPayload, context: ConnectorContext) async -> PublishOutcome {
        guard let url = payload.account.fields["url"], !url.isEmpty else { return .permanent(reason: "missing_field: url") }
        let body: [String: Any] = [
            "event": "content.publish", "delivery_id": payload.targetID, "title": payload.title, "text": payload.text,
            "html": payload.html, "summary": payload.summary,
            "account": ["id": payload.account.id, "name": payload.account.name, "handle": payload.account.handle],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        let secret = payload.account.secrets["signing_secret"] ?? ""
        await context.log.redact([secret])
        let timestamp = String(Int(context.now().timeIntervalSince1970))
        var headers = [("Content-Type", "application/json; charset=utf-8"), ("X-MediaOps-Delivery", payload.targetID),
                       ("Idempotency-Key", payload.targetID), ("X-MediaOps-Timestamp", timestamp)]
        if !secret.isEmpty { headers.append(("X-MediaOps-Signature", WebhookSignature.sign(body: data, timestamp: timestamp, secret: secret))) }
        let request = OutboundRequest(method: "POST", url: url, headers: headers, body: data)
        do {
            let response = try await context.http.send(request, log: context.log)
            if let failure = Classification.outcome(status: response.status, detail: String(response.text.prefix(200)), retryAfter: Classification.retryAfter(response)) {
                return failure
            }
            let json = response.json
            let id = (json?["id"] as? String) ?? (json?["id"] as? Int).map(String.init) ?? payload.targetID
            return .published(externalID: id, url: json?["url"] as? String)
        } catch {
            return Classification.outcome(error)
        }
    }
}

public enum WebhookSignature {
    public static func sign(body: Data, timestamp: String, secret: String) -> String {
        var message = Data(timestamp.utf8)
        message.append(Data(".".utf8))
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    public static func verify(body: Data, timestamp: String, secret: String, signature: String) -> Bool {
        let expected = Array(sign(body: body, timestamp: timestamp, secret: secret).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
