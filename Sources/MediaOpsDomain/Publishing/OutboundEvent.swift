import Foundation

/// Events the publishing engine announces to group robots and outbound webhooks.
public enum OutboundEventKind: String, CaseIterable, Sendable, Codable {
    case targetPublished = "target.published"
    case targetFailed = "target.failed"
    case targetUnconfirmed = "target.unconfirmed"
    case tokenExpiring = "token.expiring"
    case manualDue = "manual.due"
    /// An analytics alert rule fired (the reason names the alert; the worker writes its sentence).
    case alertFired = "alert.fired"
    /// A report was issued on a schedule (the reason names the report; the worker writes its headline figures).
    case reportIssued = "report.issued"
    /// A task is due soon (the member's reminder lead before its due time).
    case taskDue = "task.due"
    /// A task passed its due time while still open.
    case taskOverdue = "task.overdue"
    /// Someone @mentioned a member in a task's comment.
    case taskMentioned = "task.mentioned"
}

/// One announcement, with what a robot message or webhook body needs.
public struct OutboundEvent: Sendable, Equatable, Codable {
    public var id: String
    public var kind: OutboundEventKind
    public var at: Date
    public var contentTitle: String?
    public var accountName: String?
    public var platform: String?
    public var targetID: String?
    public var reason: String?
    public var url: String?
    /// A link back into MediaOps (absolute when MEDIAOPS_PUBLIC_URL is set).
    public var link: String?

    public init(id: String = Identifier.makeOrdered("evt"), kind: OutboundEventKind, at: Date = Date(), contentTitle: String? = nil, accountName: String? = nil,
                platform: String? = nil, targetID: String? = nil, reason: String? = nil, url: String? = nil, link: String? = nil) {
        self.id = id
        self.kind = kind
        self.at = at
        self.contentTitle = contentTitle
        self.accountName = accountName
        self.platform = platform
        self.targetID = targetID
        self.reason = reason
        self.url = url
        self.link = link
    }
}

/// Where announcements go: a group robot or a signed webhook.
public enum ChannelKind: String, CaseIterable, Sendable, Codable {
    case wecom, dingtalk, feishu, webhook
}

public struct NotificationChannel: Sendable, Equatable {
    public var id: String
    public var name: String
    public var kind: ChannelKind
    public var url: String
    public var hasSecret: Bool
    public var events: Set<OutboundEventKind>
    public var active: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, name: String, kind: ChannelKind, url: String, hasSecret: Bool, events: Set<OutboundEventKind>, active: Bool, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.kind = kind
        self.url = url
        self.hasSecret = hasSecret
        self.events = events
        self.active = active
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension ChannelKind {
    /// The parts of a robot or webhook address that are its key: WeCom's `key=`,
    /// DingTalk's `access_token=`, a `token=`/`secret=`/`sig=` query value, Feishu's hook id in
    /// the path, and any long random-looking path segment of a plain webhook.
    public func credentials(in url: String) -> [String] {
        guard let components = URLComponents(string: url) else { return [] }
        let secretNames: Set<String> = ["key", "access_token", "token", "secret", "sign", "sig", "signature", "apikey", "api_key"]
        var values = (components.queryItems ?? []).filter { secretNames.contains($0.name.lowercased()) }.compactMap(\.value).filter { !$0.isEmpty }
        for segment in components.path.split(separator: "/").map(String.init) {
            let randomLooking = segment.count >= 16 && segment.contains(where: \.isNumber) && segment.contains(where: \.isLetter)
            if randomLooking || (self == .feishu && components.path.contains("/hook/") && segment == components.path.split(separator: "/").last.map(String.init)) {
                values.append(segment)
            }
        }
        return values
    }

    /// The address as pages and the API show it: each key cut to its first four characters and `****`.
    public func maskedAddress(_ url: String) -> String {
        var masked = url
        for credential in credentials(in: url).sorted(by: { $0.count > $1.count }) where credential.count >= 4 {
            // ASCII, so the shown form is still a valid URI (the API documents it as one).
            masked = masked.replacingOccurrences(of: credential, with: String(credential.prefix(4)) + "****")
        }
        return masked
    }
}
