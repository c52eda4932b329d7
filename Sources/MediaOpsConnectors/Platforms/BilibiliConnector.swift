import Crypto
import Foundation
import MediaOpsDomain

/// Bilibili open platform: a text post (专栏) through
/// `POST /arcopen/fn/article/add` `{title, content, category?}` (PLATFORMS.md §4).
/// Every open-platform call is signed (`BilibiliSignature`) with the app's
/// client id and secret and carries the user's `access-token`. Answers use
/// the `{code, message, data}` envelope with HTTP 200 whatever the outcome.
public struct BilibiliConnector: Connector {
    public let platform = Platform.bilibili
    /// -101 not logged in, -401 unauthenticated, -2 bad access key, -3 signature refused
    /// (the stored client secret no longer matches): all fixed by reconnecting the account.
    static let authErrors: Set<Int> = [-101, -401, -2, -3, -658]
    /// -509 / -799: requests too frequent. Bilibili gives no wait time.
    static let rateErrors: Set<Int> = [-509, -799]
    static let rateWait: TimeInterval = 60
    public init() {}

    public func publish(_ payload: PublishPayload, context: ConnectorContext) async -> PublishOutcome {
        guard let token = payload.account.secrets["access_token"], !token.isEmpty else { return .reconnectNeeded(reason: "missing_credential: access_token") }
        guard let secret = payload.account.secrets["client_secret"], !secret.isEmpty else { return .reconnectNeeded(reason: "missing_credential: client_secret") }
        await context.log.redact([token, secret])
        let clientID = payload.account.fields["client_id"].flatMap { $0.isEmpty ? nil : $0 } ?? payload.account.handle
        guard !clientID.isEmpty else { return .permanent(reason: "missing_field: client_id") }
        var article: [String: Any] = ["title": payload.title, "content": payload.html.isEmpty ? payload.text : payload.html]
        if let category = payload.account.fields["category"].flatMap(Int.init) { article["category"] = category }
        let body = (try? JSONSerialization.data(withJSONObject: article, options: [.sortedKeys])) ?? Data("{}".utf8)
        let signed = BilibiliSignature.headers(clientID: clientID, secret: secret, body: body,
                                               timestamp: String(Int(context.now().timeIntervalSince1970)), nonce: UUID().uuidString)
        let request = OutboundRequest(method: "POST", url: context.endpoints.base(.bilibili) + "/arcopen/fn/article/add",
                                      headers: signed + [("access-token", token), ("Content-Type", "application/json; charset=utf-8"), ("Accept", "application/json")],
                                      body: body)
        do {
            let response = try await context.http.send(request, log: context.log)
            return classify(response)
        } catch {
            return Classification.outcome(error)
        }
    }

    func classify(_ response: OutboundResponse) -> PublishOutcome {
        guard let json = response.json, let code = JSONLenient.int(json["code"]) else {
            return Classification.outcome(status: response.status, detail: String(response.text.prefix(200)), retryAfter: Classification.retryAfter(response))
                ?? .unknown(reason: "unreadable_answer")
        }
        let reason = "bilibili_\(code): \((json["message"] as? String) ?? "")"
        switch code {
        case 0:
            guard let id = ((json["data"] as? [String: Any])?["id"]).flatMap(JSONLenient.string) else { return .unknown(reason: "answer_without_id") }
            return .published(externalID: id, url: "https://www.bilibili.com/read/cv\(id)")
        case _ where Self.authErrors.contains(code): return .reconnectNeeded(reason: reason)
        case _ where Self.rateErrors.contains(code): return .transient(reason: reason, retryAfter: Self.rateWait)
        case -500, -503: return .transient(reason: reason, retryAfter: nil)
        default: return .permanent(reason: reason)
        }
    }
}

/// The open platform's request signature ("接口签名实现标准", version 2.0):
/// `Authorization` is the hex HMAC-SHA256, under the client secret, of the
/// `x-bili-*` headers written as lower-case `name:value` lines, sorted by name
/// and joined with "\n". The body is bound in through `x-bili-content-md5`.
public enum BilibiliSignature {
    public static func headers(clientID: String, secret: String, body: Data, timestamp: String, nonce: String) -> [(String, String)] {
        let bili: [(String, String)] = [
            ("X-Bili-Accesskeyid", clientID),
            ("X-Bili-Content-Md5", contentMD5(body)),
            ("X-Bili-Signature-Method", "HMAC-SHA256"),
            ("X-Bili-Signature-Nonce", nonce),
            ("X-Bili-Signature-Version", "2.0"),
            ("X-Bili-Timestamp", timestamp),
        ]
        return bili + [("Authorization", sign(canonicalString(bili), secret: secret))]
    }

    /// The string that is signed. Headers other than `x-bili-*` are left out.
    public static func canonicalString(_ headers: [(String, String)]) -> String {
        headers
            .map { ($0.0.lowercased(), $0.1) }
            .filter { $0.0.hasPrefix("x-bili-") }
            .sorted { $0.0 < $1.0 }
            .map { "\($0.0):\($0.1)" }
            .joined(separator: "\n")
    }

    public static func sign(_ canonical: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(canonical.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Lower-case hex MD5 of the exact body bytes ("" body for GET hashes the empty string).
    public static func contentMD5(_ body: Data) -> String {
        Insecure.MD5.hash(data: body).map { String(format: "%02x", $0) }.joined()
    }
}
