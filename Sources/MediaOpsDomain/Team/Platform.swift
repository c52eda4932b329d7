import Foundation

/// Every platform an account in the matrix can live on. The raw values are the
/// API's enum values and never change.
public enum Platform: String, CaseIterable, Sendable, Codable {
    case wechatOA = "wechat_oa"
    case wechatChannels = "wechat_channels"
    case weibo, douyin, xiaohongshu, bilibili, kuaishou, zhihu, toutiao
    case x, facebook, instagram, linkedin, mastodon, telegram
    case webhook

    /// What MediaOps can do with an account on this platform. One table, read by
    /// the UI, the API and (later) the publishing engine. Sources: PLATFORMS.md §11.
    public var capabilities: PlatformCapabilities {
        switch self {
        case .wechatOA: [.publishByAPI, .metricsByAPI, .commentsByAPI]
        case .weibo: [.publishByAPI, .metricsByAPI, .commentsByAPI]
        case .douyin: [.publishByAPI, .metricsByAPI, .commentsByAPI]
        case .bilibili: [.publishByAPI, .metricsByAPI]
        case .x: [.publishByAPI, .metricsByAPI, .commentsByAPI]
        case .facebook: [.publishByAPI, .metricsByAPI, .commentsByAPI]
        // Instagram's content publishing API needs a Business account behind a Facebook
        // app review; MediaOps has no connector for it, so posts are handed to a person.
        case .instagram: [.assistedOnly, .metricsByAPI, .commentsByAPI]
        case .linkedin: [.publishByAPI, .metricsByAPI, .commentsByAPI]
        case .mastodon: [.publishByAPI, .commentsByAPI]
        case .telegram: [.publishByAPI]
        case .webhook: [.publishByAPI]
        case .wechatChannels, .xiaohongshu, .kuaishou, .zhihu, .toutiao: [.assistedOnly]
        }
    }

    /// Account kinds the platform distinguishes; empty when it has only one.
    public var kinds: [String] {
        switch self {
        case .wechatOA: ["service", "subscription"]
        default: []
        }
    }

    /// Platform-specific fields that are not secret and may be shown.
    public var fields: [PlatformField] {
        switch self {
        // A 公众号 AppID is "wx" and 16 hexadecimal digits (mp.weixin.qq.com › 设置与开发 › 基本配置).
        case .wechatOA: [PlatformField(key: "app_id", required: true, maxLength: 32, format: "wx[0-9a-f]{16}")]
        // A 微博 UID and a B站 mid are numbers.
        case .weibo: [PlatformField(key: "uid", required: false, maxLength: 32, format: "[0-9]{5,20}")]
        case .douyin: [PlatformField(key: "open_id", required: false, maxLength: 64, format: "[A-Za-z0-9_.-]{8,64}")]
        case .bilibili: [PlatformField(key: "mid", required: false, maxLength: 32, format: "[0-9]{1,20}")]
        case .mastodon: [PlatformField(key: "instance_url", required: true, maxLength: 200, isURL: true)]
        // @channelname (5–32 letters, digits or _) or a numeric chat id such as -1001234567890.
        case .telegram: [PlatformField(key: "chat_id", required: true, maxLength: 64, format: "@[A-Za-z][A-Za-z0-9_]{4,31}|-?[0-9]{5,20}")]
        case .facebook: [PlatformField(key: "page_id", required: false, maxLength: 64, format: "[0-9]{5,20}")]
        case .linkedin: [PlatformField(key: "organization_urn", required: false, maxLength: 100, format: "urn:li:organization:[0-9]+")]
        case .webhook: [PlatformField(key: "url", required: true, maxLength: 500, isURL: true)]
        default: []
        }
    }

    /// Secret fields: encrypted at rest, write-only through every interface.
    /// The secrets and account fields the API connector cannot publish without;
    /// an account lacking any of them is published by hand (see `Account.publishingRoute`).
    public var publishingRequirements: (secrets: [String], fields: [String]) {
        switch self {
        case .wechatOA: (["app_secret"], ["app_id"])
        case .weibo, .x, .facebook, .linkedin, .mastodon: (["access_token"], [])
        // Douyin opens publishing to enterprise apps only, for the account's open_id.
        case .douyin: (["access_token"], ["open_id"])
        case .bilibili: (["client_secret", "access_token"], [])
        case .telegram: (["bot_token"], ["chat_id"])
        case .webhook: ([], ["url"])
        case .wechatChannels, .xiaohongshu, .kuaishou, .zhihu, .toutiao, .instagram: ([], [])
        }
    }

    public var secretFields: [String] {
        switch self {
        case .wechatOA: ["app_secret", "callback_token"]
        case .weibo, .douyin, .x, .facebook, .instagram, .linkedin, .mastodon: ["access_token", "refresh_token"]
        case .bilibili: ["client_secret", "access_token", "refresh_token"]
        case .telegram: ["bot_token"]
        case .webhook: ["signing_secret"]
        case .wechatChannels, .xiaohongshu, .kuaishou, .zhihu, .toutiao: []
        }
    }
}

public struct PlatformField: Sendable, Equatable {
    public let key: String
    public let required: Bool
    public let maxLength: Int
    public let isURL: Bool
    /// The shape the platform gives this value (a regular expression over the
    /// whole value), checked when saved; its catalog key is `error.format_<key>`.
    public let format: String?

    public init(key: String, required: Bool, maxLength: Int, isURL: Bool = false, format: String? = nil) {
        self.key = key
        self.required = required
        self.maxLength = maxLength
        self.isURL = isURL
        self.format = format
    }

    /// True when the value has the platform's shape (or no shape is known).
    public func accepts(_ value: String) -> Bool {
        guard let format else { return true }
        return value.range(of: "^(?:" + format + ")$", options: .regularExpression) != nil
    }
}

public struct PlatformCapabilities: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let publishByAPI = PlatformCapabilities(rawValue: 1 << 0)
    public static let metricsByAPI = PlatformCapabilities(rawValue: 1 << 1)
    public static let commentsByAPI = PlatformCapabilities(rawValue: 1 << 2)
    /// No usable publishing API: MediaOps prepares the post and a person publishes it.
    public static let assistedOnly = PlatformCapabilities(rawValue: 1 << 3)

    /// Stable names, in display order, as the API and the catalogs spell them.
    public static let named: [(PlatformCapabilities, String)] = [
        (.publishByAPI, "publish_api"), (.metricsByAPI, "metrics_api"),
        (.commentsByAPI, "comments_api"), (.assistedOnly, "assisted_only"),
    ]

    public var names: [String] { Self.named.filter { contains($0.0) }.map(\.1) }
}

/// Lifecycle of an account in the matrix. Retired accounts stay for history.
public enum AccountState: String, CaseIterable, Sendable, Codable {
    case active, paused
    case reconnectNeeded = "reconnect_needed"
    case retired
}

public struct Account: Sendable, Equatable {
    public var id: String
    public var platform: Platform
    public var name: String
    public var handle: String
    public var kind: String?
    public var fields: [String: String]
    public var ownerID: String?
    public var groupIDs: [String]
    public var state: AccountState
    /// Which secret fields are set; their values never leave the store decrypted except to connectors.
    public var credentialKeys: [String]
    /// The account's own best posting time ("HH:MM"), overriding its platform's default.
    public var bestTime: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, platform: Platform, name: String, handle: String, kind: String?, fields: [String: String], ownerID: String?, groupIDs: [String], state: AccountState, credentialKeys: [String], bestTime: String? = nil, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.platform = platform
        self.name = name
        self.handle = handle
        self.kind = kind
        self.fields = fields
        self.ownerID = ownerID
        self.groupIDs = groupIDs
        self.state = state
        self.credentialKeys = credentialKeys
        self.bestTime = bestTime
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public struct AccountGroup: Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    public var createdAt: Date

    public init(id: String, name: String, description: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.description = description
        self.createdAt = createdAt
    }
}

extension Account {
    /// How the audit log names an account: "青禾茶饮服务号 (wechat_oa/gh_qinghe)".
    public var label: String { "\(name) (\(platform.rawValue)/\(handle))" }
}

extension Platform {
    /// The hosts a post on this platform is found at (a subdomain counts), so a
    /// person confirming "published at <URL>" cannot name another platform's
    /// page. Empty means any host (Mastodon instances, webhooks).
    public var postHosts: [String] {
        switch self {
        case .wechatOA: ["mp.weixin.qq.com"]
        case .wechatChannels: ["weixin.qq.com", "channels.weixin.qq.com"]
        case .weibo: ["weibo.com", "weibo.cn"]
        case .douyin: ["douyin.com", "iesdouyin.com"]
        case .xiaohongshu: ["xiaohongshu.com", "xhslink.com"]
        case .bilibili: ["bilibili.com", "b23.tv"]
        case .kuaishou: ["kuaishou.com", "gifshow.com"]
        case .zhihu: ["zhihu.com"]
        case .toutiao: ["toutiao.com", "toutiaocdn.com"]
        case .x: ["x.com", "twitter.com"]
        case .facebook: ["facebook.com", "fb.com", "fb.watch"]
        case .instagram: ["instagram.com"]
        case .linkedin: ["linkedin.com", "lnkd.in"]
        case .telegram: ["t.me", "telegram.me"]
        case .mastodon, .webhook: []
        }
    }

    /// Whether `host` (lower-case) belongs to this platform.
    public func ownsPostHost(_ host: String) -> Bool {
        postHosts.isEmpty || postHosts.contains { host == $0 || host.hasSuffix("." + $0) }
    }
}

/// How a post to an account goes out: through the platform's API, or handed to
/// a person (the publish card). One answer for the account matrix, the health
/// page and the scheduler, so what a page promises is what scheduling does.
public enum PublishingRoute: String, Sendable, Codable, CaseIterable {
    case api, assisted
}

extension Account {
    /// What the API connector still needs from this account: secret keys
    /// ("credentials.access_token") and fields ("fields.open_id"), in that order.
    public var missingForPublishing: [String] {
        guard !platform.capabilities.contains(.assistedOnly) else { return [] }
        let needs = platform.publishingRequirements
        let secrets = needs.secrets.filter { !credentialKeys.contains($0) }.map { "credentials.\($0)" }
        let fields = needs.fields.filter { (self.fields[$0] ?? "").isEmpty }.map { "fields.\($0)" }
        return secrets + fields
    }

    public var publishingRoute: PublishingRoute {
        platform.capabilities.contains(.assistedOnly) || !missingForPublishing.isEmpty ? .assisted : .api
    }
}
