import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A receiver for MediaOps' own outbound webhooks ("custom webhook" accounts):
/// `POST /_sandbox/webhook/{name}`, the URL a webhook account points at.
///
/// What it does, and why:
/// * **Dedup on `X-MediaOps-Delivery`** (or `Idempotency-Key`): a repeat delivery
///   answers 200 with the id of the first and records nothing — what a well-behaved
///   receiver does, so resending after a lost answer is harmless.
/// * **Answers `{"id","url"}`**, the url being `GET /_sandbox/webhook/{name}/{id}`,
///   which shows the delivery as it arrived (headers, raw body, signature) so a
///   test can verify the signature with the secret it knows.
/// * **The signature**: the receiver cannot know the secret, but when
///   `X-MediaOps-Signature` is present it must be `sha256=<64 hex>` next to an
///   `X-MediaOps-Timestamp`, else 401.
/// * **Failing receivers**: names starting "fail" answer 400
///   `{"error":"rejected by receiver"}` (a permanent refusal); scenarios give 503,
///   429 with `Retry-After`, any status, or a slow answer after accepting.
///
/// Scenario `call` names are the receiver names (the `{name}` in the path).
struct SandboxWebhookReceiver: SandboxPlatform {
    static let platform = "webhook"

    // Scratch spaces in `SandboxState`.
    static let deliveries = "webhook.deliveries"  // "name|id" → Delivery
    static let keys = "webhook.keys"              // "name|delivery key" → id

    static let deliveryHeader = HTTPField.Name("X-MediaOps-Delivery")!
    static let idempotencyHeader = HTTPField.Name("Idempotency-Key")!
    static let signatureHeader = HTTPField.Name("X-MediaOps-Signature")!
    static let timestampHeader = HTTPField.Name("X-MediaOps-Timestamp")!

    func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        router.post("/_sandbox/webhook/{name}") { request, context -> Response in
            try await Self.receive(request, name: context.parameters.get("name") ?? "", state: state)
        }
        router.get("/_sandbox/webhook/{name}/{id}") { _, context -> Response in
            let key = "\(context.parameters.get("name") ?? "")|\(context.parameters.get("id") ?? "")"
            guard let delivery = await state.load(Delivery.self, Self.deliveries, key) else {
                return try SandboxServer.json(["error": "no such delivery"], status: .notFound)
            }
            return try SandboxServer.json(delivery.json)
        }
    }

    /// One delivery as it arrived.
    struct Delivery: Codable {
        var id: String
        var name: String
        var deliveryKey: String?
        var timestamp: String?
        var signature: String?
        var contentType: String?
        var rawBody: String
        var receivedAt: Date

        var json: [String: Any] {
            ["id": id, "name": name, "delivery_id": deliveryKey ?? NSNull(), "timestamp": timestamp ?? NSNull(), "signature": signature ?? NSNull(),
             "content_type": contentType ?? NSNull(), "raw_body": rawBody, "received_at": ISO8601DateFormatter().string(from: receivedAt),
             "body": (try? JSONSerialization.jsonObject(with: Data(rawBody.utf8))) ?? NSNull()]
        }
    }

    static func receive(_ request: Request, name: String, state: SandboxState) async throws -> Response {
        let scenario = await state.take(platform: platform, call: name)
        switch scenario?.kind {
        case .unavailable:
            return try SandboxServer.json(["error": "receiver unavailable"], status: .serviceUnavailable)
        case .error:
            let code = scenario?.code ?? 500
            return try SandboxServer.json(["error": "scenario error \(code)"], status: HTTPResponse.Status(code: code, reasonPhrase: "Scenario"))
        case .rateLimit:
            let seconds = Int((scenario?.seconds ?? 30).rounded(.up))
            return try SandboxServer.json(["error": "slow down"], status: .tooManyRequests, headers: [.retryAfter: String(seconds)])
        default: break
        }
        if name.hasPrefix("fail") { return try SandboxServer.json(["error": "rejected by receiver"], status: .badRequest) }

        let data = try await request.bodyData()
        guard let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return try SandboxServer.json(["error": "body is not a JSON object"], status: .badRequest)
        }
        let signature = request.headers[signatureHeader]
        let timestamp = request.headers[timestampHeader]
        if let signature {
            guard signature.hasPrefix("sha256="), signature.count == 71, signature.dropFirst(7).allSatisfy(\.isHexDigit),
                  let timestamp, !timestamp.isEmpty, timestamp.allSatisfy(\.isNumber) else {
                return try SandboxServer.json(["error": "malformed signature"], status: .unauthorized)
            }
        }
        let key = request.headers[deliveryHeader] ?? request.headers[idempotencyHeader]
        let text = (body["text"] as? String) ?? (body["title"] as? String) ?? ""
        let raw = String(decoding: data, as: UTF8.self)
        let contentType = request.headers[.contentType]
        // Dedup, store and record in one step: two racing repeats still make one delivery.
        let id = await state.atomically { s -> String in
            if let key, let seen = s.get(keys, "\(name)|\(key)") { return seen }
            let id = "dlv_\(s.nextID())"
            if let key { s.set(keys, "\(name)|\(key)", id) }
            s.save(Delivery(id: id, name: name, deliveryKey: key, timestamp: timestamp, signature: signature, contentType: contentType,
                            rawBody: raw, receivedAt: s.now), deliveries, "\(name)|\(id)")
            s.record(ReceivedPost(platform: platform, account: name, id: id, text: text, idempotencyKey: key, at: s.now))
            return id
        }
        if scenario?.kind == .slowAfterAccept { try? await Task.sleep(for: .seconds(scenario?.seconds ?? 3)) }
        return try SandboxServer.json(["id": id, "url": "\(request.sandboxOrigin)/_sandbox/webhook/\(name)/\(id)"])
    }
}
