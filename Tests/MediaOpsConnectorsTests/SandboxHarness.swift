import Foundation
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsSandbox
import Testing

/// A running sandbox and the connector context pointed at it, one per test so
/// tests can run in parallel without seeing each other's posts or scenarios.
struct SandboxHarness: Sendable {
    let sandbox: RunningSandbox
    let context: ConnectorContext
    let tokens: MemoryTokenCache
    let log: ExchangeLog

    var state: SandboxState { sandbox.state }
    var url: String { sandbox.url }

    /// `timeout` is the transport's; `trustSandbox` lets user-entered URLs (webhook accounts) reach it.
    /// The default is generous: these tests check how an answer is read, and the
    /// whole suite on two cores (or beside a release build) can take over 2 s to
    /// answer an ordinary call. A test about a lost answer sets a short timeout itself.
    static func start(timeout: TimeInterval = 15, trustSandbox: Bool = true) async throws -> SandboxHarness {
        let sandbox = try await SandboxServer().start()
        let tokens = MemoryTokenCache()
        let log = ExchangeLog()
        let policy = trustSandbox ? OutboundPolicy(trustedBases: [sandbox.url + "/"]) : OutboundPolicy()
        let context = ConnectorContext(http: HTTPTransport(timeout: timeout, policy: policy), tokens: tokens, endpoints: .all(sandbox.url), log: log)
        return SandboxHarness(sandbox: sandbox, context: context, tokens: tokens, log: log)
    }

    func stop() { sandbox.stop() }

    /// The same sandbox with another transport timeout, token cache or log.
    func context(timeout: TimeInterval? = nil, tokens: (any TokenCache)? = nil, log: ExchangeLog? = nil, base: String? = nil) -> ConnectorContext {
        // Another base is an operator-set API base, which the app trusts as configured.
        let policy = base.map { OutboundPolicy(allowPrivate: context.http.policy.allowPrivate, trustedBases: [$0, sandbox.url]) } ?? context.http.policy
        return ConnectorContext(http: HTTPTransport(timeout: timeout ?? context.http.timeout, policy: policy), tokens: tokens ?? self.tokens,
                         endpoints: .all(base ?? sandbox.url), log: log ?? self.log)
    }

    /// A sandbox control call (`/_sandbox/...`), through the same transport the connectors use.
    @discardableResult
    func control(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> OutboundResponse {
        let request = body.map { OutboundRequest.json(method, url + path, $0) } ?? OutboundRequest(method: method, url: url + path)
        return try await HTTPTransport(timeout: 5, policy: OutboundPolicy(trustedBases: [url])).send(request, log: nil)
    }

    /// Everything the attempt log kept, as one text to search for secrets.
    func loggedText(_ log: ExchangeLog? = nil) async -> String {
        await (log ?? self.log).exchanges.map { [$0.method, $0.url, $0.request, $0.response, $0.error ?? ""].joined(separator: "\n") }.joined(separator: "\n---\n")
    }

    func calls(_ platform: String, _ call: String) async -> Int {
        await state.calls["\(platform) \(call)"] ?? 0
    }

    /// Waits (up to `seconds`) until the sandbox has recorded `count` posts on `platform`.
    func waitForPosts(_ platform: String, count: Int, seconds: Double = 5) async -> [ReceivedPost] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let posts = await state.posts(platform: platform)
            if posts.count >= count { return posts }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return await state.posts(platform: platform)
    }
}

enum Fixtures {
    /// Starts like a PNG: the sandboxes look at the magic bytes as the platforms do.
    static let png = MediaFile(filename: "cover.png", contentType: "image/png",
                               bytes: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 0x42, count: 256))
    static let jpeg = MediaFile(filename: "inline.jpg", contentType: "image/jpeg",
                                bytes: Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]) + Data(repeating: 0x17, count: 256))

    static let wechatSecret = "sandbox-secret-7c1e9a"
    static let mastodonToken = "mastodon-token-5b2f8d"
    static let telegramToken = "123456789:AAHsandbox-Bot_token42"
    static let webhookSecret = "whsec-sandbox-3e7d1f"

    static func account(_ platform: Platform, fields: [String: String] = [:], secrets: [String: String]? = nil) -> ConnectorAccount {
        switch platform {
        case .wechatOA:
            return ConnectorAccount(id: "acct-wechat", platform: .wechatOA, name: "MediaOps 公众号", handle: "gh_mediaops",
                                    fields: ["app_id": "wx5c3a1b2d4e6f7081"].merging(fields) { $1 }, secrets: secrets ?? ["app_secret": wechatSecret])
        case .mastodon:
            return ConnectorAccount(id: "acct-mastodon", platform: .mastodon, name: "MediaOps", handle: "@mediaops@mastodon.example",
                                    fields: ["instance_url": "https://mastodon.example"].merging(fields) { $1 }, secrets: secrets ?? ["access_token": mastodonToken])
        case .telegram:
            return ConnectorAccount(id: "acct-telegram", platform: .telegram, name: "MediaOps News", handle: "@mediaops_news",
                                    fields: ["chat_id": "@mediaops_news"].merging(fields) { $1 }, secrets: secrets ?? ["bot_token": telegramToken])
        default:
            return ConnectorAccount(id: "acct-webhook", platform: .webhook, name: "CRM", handle: "crm",
                                    fields: fields, secrets: secrets ?? ["signing_secret": webhookSecret])
        }
    }

    static func payload(_ account: ConnectorAccount, targetID: String = UUID().uuidString.lowercased(), text: String = "Spring launch: the new line is here.",
                        cover: MediaFile? = png, inline: Bool = false) -> PublishPayload {
        PublishPayload(targetID: targetID, title: "Spring launch", text: text,
                       html: inline ? "<p>Spring launch</p><p><img src=\"/assets/inline-1\"></p>" : "<p>Spring launch</p>",
                       summary: "The new line is here.", cover: cover, inlineImages: inline ? ["/assets/inline-1": jpeg] : [:], account: account)
    }
}

extension PublishOutcome {
    var isTransient: Bool { if case .transient = self { true } else { false } }
    var isPermanent: Bool { if case .permanent = self { true } else { false } }
    var isUnknown: Bool { if case .unknown = self { true } else { false } }
    var isReconnect: Bool { if case .reconnectNeeded = self { true } else { false } }
    var reason: String {
        switch self {
        case .transient(let reason, _), .permanent(let reason), .reconnectNeeded(let reason), .unknown(let reason): reason
        case .published(let id, _): "published \(id)"
        case .accepted(let id): "accepted \(id)"
        }
    }
    var retryAfter: TimeInterval? { if case .transient(_, let retry) = self { retry } else { nil } }
}

/// A port nothing listens on: connecting is refused before anything is sent.
let closedPortBase = "http://127.0.0.1:1"
