import Crypto
import Foundation
import MediaOpsDomain

/// 公众号: pictures in the body re-hosted with `media/uploadimg`, the cover as
/// permanent material (`material/add_material`), then `draft/add` and
/// `freepublish/submit`. WeChat finishes publishing later: the submit answer is
/// a `publish_id`, and completion comes from polling `freepublish/get` or the
/// PUBLISHJOBFINISH event (see `WeChatCallback`).
///
/// The access token comes from `stable_token`, is cached per account in the
/// shared `TokenCache` until shortly before it expires, and is refreshed once
/// when WeChat answers 40001/40014/42001.
public struct WeChatOAConnector: Connector {
    public let platform = Platform.wechatOA
    /// Refresh this long before WeChat's stated expiry.
    static let refreshMargin: TimeInterval = 300
    static let tokenErrors: Set<Int> = [40001, 40014, 42001]
    public init() {}

    public func publish(_ payload: PublishPayload, context: ConnectorContext) async -> PublishOutcome {
        guard payload.account.fields["app_id"]?.isEmpty == false else { return .permanent(reason: "missing_field: app_id") }
        guard payload.account.secrets["app_secret"]?.isEmpty == false else { return .reconnectNeeded(reason: "missing_credential: app_secret") }
        let session = Session(connector: self, payload: payload, context: context)
        do {
            var html = payload.html
            for (src, image) in payload.inlineImages.sorted(by: { $0.key < $1.key }) where html.contains(src) {
                var form = MultipartBody()
                form.file("media", image)
                let answer = try await session.call(path: "/cgi-bin/media/uploadimg", form: form)
                guard let url = answer["url"] as? String else { return .permanent(reason: "uploadimg_without_url") }
                html = html.replacingOccurrences(of: src, with: url)
            }
            guard let cover = payload.cover else { return .permanent(reason: "wechat_cover_required") }
            var coverForm = MultipartBody()
            coverForm.file("media", cover)
            let material = try await session.call(path: "/cgi-bin/material/add_material", query: [("type", "image")], form: coverForm)
            guard let thumb = material["media_id"] as? String else { return .permanent(reason: "add_material_without_media_id") }
            let article: [String: Any] = [
                "article_type": "news", "title": payload.title, "content": html, "digest": String(payload.summary.prefix(120)),
                "thumb_media_id": thumb, "need_open_comment": 1, "only_fans_can_comment": 0,
            ]
            let draft = try await session.call(path: "/cgi-bin/draft/add", json: ["articles": [article]])
            guard let draftID = draft["media_id"] as? String else { return .permanent(reason: "draft_without_media_id") }
            // From here on a lost answer may mean a published article: no blind retries.
            let submitted = try await session.call(path: "/cgi-bin/freepublish/submit", json: ["media_id": draftID], decisive: true)
            guard let publishID = JSONLenient.string(submitted["publish_id"]) else { return .unknown(reason: "submit_without_publish_id") }
            return .accepted(remoteID: publishID)
        } catch let failure as WeChatFailure {
            return failure.outcome
        } catch {
            return .unknown(reason: "\(error)")
        }
    }

    public func reconcile(_ payload: PublishPayload, remoteID: String?, context: ConnectorContext) async -> ReconcileOutcome {
        guard let publishID = remoteID else { return .needsHuman(reason: "wechat_submit_unanswered") }
        let session = Session(connector: self, payload: payload, context: context)
        do {
            let answer = try await session.call(path: "/cgi-bin/freepublish/get", json: ["publish_id": publishID])
            return Self.status(answer)
        } catch let failure as WeChatFailure {
            switch failure.outcome {
            case .transient(let reason, let retry): return .retryLater(reason: reason, retryAfter: retry)
            case .unknown(let reason): return .retryLater(reason: reason, retryAfter: nil)
            case .permanent(let reason), .reconnectNeeded(let reason): return .needsHuman(reason: reason)
            default: return .retryLater(reason: "unexpected", retryAfter: nil)
            }
        } catch {
            return .retryLater(reason: "\(error)", retryAfter: nil)
        }
    }

    /// Maps a `freepublish/get` answer or a PUBLISHJOBFINISH event to an outcome.
    /// The article URL sits inside `article_detail.item[]`, not at the top level.
    public static func status(_ answer: [String: Any]) -> ReconcileOutcome {
        guard let status = JSONLenient.int(answer["publish_status"]) else { return .retryLater(reason: "no_publish_status", retryAfter: nil) }
        switch status {
        case 0:
            let items = (answer["article_detail"] as? [String: Any])?["item"] as? [[String: Any]]
            let url = items?.first?["article_url"] as? String
            return .published(externalID: JSONLenient.string(answer["article_id"]) ?? JSONLenient.string(answer["publish_id"]) ?? "", url: url)
        case 1: return .pending
        case 2: return .failed(reason: "wechat_publish_status_2")
        case 3: return .failed(reason: "wechat_publish_status_3")
        case 4: return .failed(reason: "wechat_publish_status_4")
        case 5: return .failed(reason: "wechat_publish_status_5")
        case 6: return .failed(reason: "wechat_publish_status_6")
        default: return .failed(reason: "wechat_publish_status_\(status)")
        }
    }


    /// One publish's calls, sharing the token and retrying once on a token error.
    struct Session {
        let connector: WeChatOAConnector
        let payload: PublishPayload
        let context: ConnectorContext
        var base: String { context.endpoints.base(.wechatOA) }

        func call(path: String, query: [(String, String)] = [], form: MultipartBody? = nil, json: [String: Any]? = nil, decisive: Bool = false) async throws -> [String: Any] {
            var refreshed = false
            while true {
                let token = try await accessToken(forceRefresh: false)
                let url = base + path + "?" + FormEncoding.encode([("access_token", token.value)] + query)
                let request = form.map { $0.request(url) } ?? OutboundRequest.json("POST", url, json ?? [:])
                let response: OutboundResponse
                do {
                    response = try await context.http.send(request, log: context.log)
                } catch {
                    throw WeChatFailure.transport(error, decisive: decisive)
                }
                guard let answer = response.json else {
                    if response.status >= 500 { throw WeChatFailure.outcome(.transient(reason: "server_error \(response.status)", retryAfter: nil)) }
                    throw WeChatFailure.outcome(decisive ? .unknown(reason: "unreadable_answer") : .transient(reason: "unreadable_answer", retryAfter: nil))
                }
                let code = JSONLenient.int(answer["errcode"]) ?? 0
                if code == 0 { return answer }
                if WeChatOAConnector.tokenErrors.contains(code), !refreshed {
                    refreshed = true
                    try? await context.tokens.invalidate(accountID: payload.account.id, value: token.value)
                    await context.log.note("access_token rejected (\(code)); refreshing once")
                    continue
                }
                throw WeChatFailure.outcome(WeChatOAConnector.classify(code: code, message: answer["errmsg"] as? String ?? ""))
            }
        }

        func accessToken(forceRefresh: Bool) async throws -> CachedToken {
            let now = context.now()
            if !forceRefresh, let cached = try? await context.tokens.token(accountID: payload.account.id),
               cached.expiresAt.timeIntervalSince(now) > WeChatOAConnector.refreshMargin {
                await context.log.redact([cached.value])
                return cached
            }
            let appID = payload.account.fields["app_id"] ?? ""
            let secret = payload.account.secrets["app_secret"] ?? ""
            await context.log.redact([secret])
            let request = OutboundRequest.json("POST", base + "/cgi-bin/stable_token",
                                               ["grant_type": "client_credential", "appid": appID, "secret": secret, "force_refresh": false])
            let response: OutboundResponse
            do {
                response = try await context.http.send(request, log: context.log)
            } catch {
                throw WeChatFailure.transport(error, decisive: false)
            }
            guard let answer = response.json else { throw WeChatFailure.outcome(.transient(reason: "token_unreadable", retryAfter: nil)) }
            if let value = answer["access_token"] as? String, !value.isEmpty {
                let lifetime = TimeInterval(JSONLenient.int(answer["expires_in"]) ?? 7_200)
                let token = CachedToken(value: value, expiresAt: now.addingTimeInterval(lifetime))
                await context.log.redact([value])
                try? await context.tokens.store(token, accountID: payload.account.id)
                return token
            }
            let code = JSONLenient.int(answer["errcode"]) ?? -1
            let message = answer["errmsg"] as? String ?? ""
            if [40001, 40013, 40125, 40164, 41004].contains(code) {
                throw WeChatFailure.outcome(.reconnectNeeded(reason: "wechat_\(code): \(message)"))
            }
            throw WeChatFailure.outcome(WeChatOAConnector.classify(code: code, message: message))
        }
    }

    static func classify(code: Int, message: String) -> PublishOutcome {
        let reason = "wechat_\(code): \(message)"
        switch code {
        case -1, 45009, 45011: return .transient(reason: reason, retryAfter: code == 45009 ? 3_600 : 60)
        case 40001, 40014, 42001, 41001: return .reconnectNeeded(reason: reason)
        case 48001: return .permanent(reason: reason)
        default: return .permanent(reason: reason)
        }
    }
}

enum WeChatFailure: Error {
    case outcome(PublishOutcome)

    static func transport(_ error: any Error, decisive: Bool) -> WeChatFailure {
        guard let failure = error as? TransportFailure else { return .outcome(.transient(reason: "\(error)", retryAfter: nil)) }
        return .outcome(decisive ? Classification.outcome(failure) : Classification.preparatory(failure))
    }

    var outcome: PublishOutcome {
        switch self { case .outcome(let outcome): outcome }
    }
}

/// The PUBLISHJOBFINISH push. WeChat signs callbacks with
/// sha1(sort(token, timestamp, nonce)); the token is the account's `callback_token`.
public enum WeChatCallback {
    public static func signature(token: String, timestamp: String, nonce: String) -> String {
        let joined = [token, timestamp, nonce].sorted().joined()
        return Insecure.SHA1.hash(data: Data(joined.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public static func verify(token: String, timestamp: String, nonce: String, signature: String) -> Bool {
        let expected = Array(Self.signature(token: token, timestamp: timestamp, nonce: nonce).utf8)
        let given = Array(signature.lowercased().utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    public struct PublishEvent: Sendable, Equatable {
        public var publishID: String
        public var outcome: ReconcileOutcome
    }

    /// Reads a PUBLISHJOBFINISH event from the XML WeChat posts; nil for other events.
    public static func parse(xml: String) -> PublishEvent? {
        guard value("Event", in: xml) == "PUBLISHJOBFINISH", let publishID = value("publish_id", in: xml),
              let status = value("publish_status", in: xml).flatMap(Int.init) else { return nil }
        var answer: [String: Any] = ["publish_id": publishID, "publish_status": status]
        if let article = value("article_id", in: xml) { answer["article_id"] = article }
        if let url = value("article_url", in: xml) { answer["article_detail"] = ["item": [["article_url": url]]] }
        return PublishEvent(publishID: publishID, outcome: WeChatOAConnector.status(answer))
    }

    /// The text of the first `<name>` element, CDATA unwrapped.
    static func value(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"), let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex) else { return nil }
        var text = String(xml[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("<![CDATA["), text.hasSuffix("]]>") { text = String(text.dropFirst(9).dropLast(3)) }
        return text
    }
}
