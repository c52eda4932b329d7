import Foundation
import MediaOpsDomain

/// What a connector needs to know about the account it publishes to. Secrets
/// arrive decrypted only here and never leave in logs (see `ExchangeLog`).
public struct ConnectorAccount: Sendable {
    public var id: String
    public var platform: Platform
    public var name: String
    public var handle: String
    public var fields: [String: String]
    public var secrets: [String: String]

    public init(id: String, platform: Platform, name: String, handle: String, fields: [String: String], secrets: [String: String]) {
        self.id = id
        self.platform = platform
        self.name = name
        self.handle = handle
        self.fields = fields
        self.secrets = secrets
    }
}

/// A file attached to a post (cover image, in-body picture).
public struct MediaFile: Sendable, Equatable {
    public var filename: String
    public var contentType: String
    public var bytes: Data

    public init(filename: String, contentType: String, bytes: Data) {
        self.filename = filename
        self.contentType = contentType
        self.bytes = bytes
    }
}

/// One publication to carry out: the platform variant of a content item.
public struct PublishPayload: Sendable {
    /// The publish target's id. Doubles as the idempotency key sent to platforms that honour one.
    public var targetID: String
    public var title: String
    /// The variant's text as the platform shows it (plain text).
    public var text: String
    /// The master body as sanitised HTML (long-form platforms such as 公众号).
    public var html: String
    public var summary: String
    public var cover: MediaFile?
    /// Pictures inside `html`, keyed by the `src` they have there, for platforms that re-host them (公众号 uploadimg).
    public var inlineImages: [String: MediaFile]
    public var account: ConnectorAccount

    public init(targetID: String, title: String, text: String, html: String, summary: String, cover: MediaFile?,
                inlineImages: [String: MediaFile] = [:], account: ConnectorAccount) {
        self.targetID = targetID
        self.title = title
        self.text = text
        self.html = html
        self.summary = summary
        self.cover = cover
        self.inlineImages = inlineImages
        self.account = account
    }
}

/// How one publish attempt ended, classified so the engine knows whether a retry is safe.
public enum PublishOutcome: Sendable, Equatable {
    /// The post is live.
    case published(externalID: String, url: String?)
    /// The platform accepted the job and finishes it later (WeChat freepublish): ask again with `remoteID`.
    case accepted(remoteID: String)
    /// Nothing was published and trying again later is safe (refused connection, 5xx before acceptance, rate limit).
    case transient(reason: String, retryAfter: TimeInterval?)
    /// Nothing was published and retrying will not help (invalid content, missing rights).
    case permanent(reason: String)
    /// The authorisation is gone: the account needs reconnecting before anything else goes out.
    case reconnectNeeded(reason: String)
    /// The request may have reached the platform but no answer came: never retried blindly.
    case unknown(reason: String)
}

/// What asking the platform about an unconfirmed or accepted publication found.
public enum ReconcileOutcome: Sendable, Equatable {
    case published(externalID: String, url: String?)
    /// Still being processed by the platform: ask again later.
    case pending
    case failed(reason: String)
    /// The platform has no record and sending again cannot duplicate the post
    /// (it honours our idempotency key): publish again.
    case safeToResend
    /// The platform cannot tell: a person must confirm.
    case needsHuman(reason: String)
    /// Asking failed for a passing reason: ask again later.
    case retryLater(reason: String, retryAfter: TimeInterval?)
}

/// One platform client. Connectors are stateless; anything shared between
/// workers (access tokens) lives behind `TokenCache`.
public protocol Connector: Sendable {
    var platform: Platform { get }
    func publish(_ payload: PublishPayload, context: ConnectorContext) async -> PublishOutcome
    /// Asks the platform what became of a publication whose outcome is unknown
    /// (`remoteID` nil) or that the platform accepted for later (`remoteID` set).
    func reconcile(_ payload: PublishPayload, remoteID: String?, context: ConnectorContext) async -> ReconcileOutcome
    /// How long the platform remembers our idempotency key; within it, sending
    /// again after an unknown outcome cannot make a second post. nil: it has none.
    var idempotencyWindow: TimeInterval? { get }
}

extension Connector {
    public var idempotencyWindow: TimeInterval? { nil }

    public func reconcile(_ payload: PublishPayload, remoteID: String?, context: ConnectorContext) async -> ReconcileOutcome {
        .needsHuman(reason: "platform_cannot_tell")
    }
}

/// An access token cached for an account, shared by every worker process.
public struct CachedToken: Sendable, Equatable {
    public var value: String
    public var expiresAt: Date

    public init(value: String, expiresAt: Date) {
        self.value = value
        self.expiresAt = expiresAt
    }
}

/// Where connectors keep access tokens they obtain (the database in production,
/// memory in tests), so all workers share one token per account.
public protocol TokenCache: Sendable {
    func token(accountID: String) async throws -> CachedToken?
    func store(_ token: CachedToken, accountID: String) async throws
    func invalidate(accountID: String, value: String) async throws
}

public actor MemoryTokenCache: TokenCache {
    private var tokens: [String: CachedToken] = [:]
    public init() {}
    public func token(accountID: String) async throws -> CachedToken? { tokens[accountID] }
    public func store(_ token: CachedToken, accountID: String) async throws { tokens[accountID] = token }
    public func invalidate(accountID: String, value: String) async throws {
        if tokens[accountID]?.value == value { tokens[accountID] = nil }
    }
}

/// Everything a connector call may use besides its payload.
public struct ConnectorContext: Sendable {
    public var http: HTTPTransport
    public var tokens: any TokenCache
    public var endpoints: PlatformEndpoints
    public var log: ExchangeLog
    public var now: @Sendable () -> Date

    public init(http: HTTPTransport, tokens: any TokenCache, endpoints: PlatformEndpoints, log: ExchangeLog, now: @escaping @Sendable () -> Date = { Date() }) {
        self.http = http
        self.tokens = tokens
        self.endpoints = endpoints
        self.log = log
        self.now = now
    }
}

/// Platform API base URLs. Each can be overridden by MEDIAOPS_<PLATFORM>_API_BASE
/// (a proxy, or the imitation platforms); an operator-set base is trusted,
/// loopback included.
public struct PlatformEndpoints: Sendable {
    public var overrides: [Platform: String]

    public init(overrides: [Platform: String] = [:]) { self.overrides = overrides }

    /// Reads MEDIAOPS_WECHAT_OA_API_BASE, MEDIAOPS_MASTODON_API_BASE, … from `environment`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> PlatformEndpoints {
        var overrides: [Platform: String] = [:]
        for platform in Platform.allCases {
            if let value = environment[environmentKey(platform)], !value.isEmpty { overrides[platform] = value }
        }
        return PlatformEndpoints(overrides: overrides)
    }

    public static func environmentKey(_ platform: Platform) -> String { "MEDIAOPS_\(platform.rawValue.uppercased())_API_BASE" }

    /// Every platform served from one base (the sandbox's URL).
    public static func all(_ base: String) -> PlatformEndpoints {
        PlatformEndpoints(overrides: Dictionary(uniqueKeysWithValues: Platform.allCases.filter { $0 != .webhook }.map { ($0, base) }))
    }

    public static let defaults: [Platform: String] = [
        .wechatOA: "https://api.weixin.qq.com",
        .weibo: "https://api.weibo.com",
        .douyin: "https://open.douyin.com",
        .bilibili: "https://member.bilibili.com",
        .x: "https://api.x.com",
        .facebook: "https://graph.facebook.com",
        .linkedin: "https://api.linkedin.com",
        .telegram: "https://api.telegram.org",
    ]

    /// The base for `platform`; `accountBase` (a Mastodon instance) is used when no override is set.
    public func base(_ platform: Platform, accountBase: String? = nil) -> String {
        let base = overrides[platform] ?? accountBase ?? Self.defaults[platform] ?? ""
        return base.hasSuffix("/") ? String(base.dropLast()) : base
    }

    public func isOverridden(_ platform: Platform) -> Bool { overrides[platform] != nil }
}
