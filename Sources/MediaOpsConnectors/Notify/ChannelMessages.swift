import Crypto
import Foundation
import MediaOpsDomain

/// One announcement as people read it, before it is shaped for a robot: a
/// heading, labelled lines and a link back into MediaOps.
public struct ChannelMessage: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var label: String
        public var value: String
    }

    public enum Tone: String, Sendable, Equatable {
        case good, warning, failure, neutral
    }

    /// "发布失败" / "Publishing failed".
    public var title: String
    public var tone: Tone
    public var lines: [Line]
    /// The published post (target.published).
    public var postURL: String?
    public var postLabel: String
    /// Back into MediaOps.
    public var link: String?
    public var linkLabel: String
    public var language: String
}

/// Builds the bodies and signatures of group-robot messages (企业微信, 钉钉,
/// 飞书) and signed event webhooks. Pure: no clock, no network.
public enum ChannelMessages {
    /// 企业微信 robot markdown is limited to 4096 bytes.
    public static let wecomMarkdownLimit = 4_096
    public static let brand = "MediaOps"

    // MARK: Message text

    /// The message for `event` in `language` ("zh-Hans" by default; "en").
    public static func message(for event: OutboundEvent, language: String) -> ChannelMessage {
        let english = isEnglish(language)
        func say(_ zh: String, _ en: String) -> String { english ? en : zh }
        let title: String
        let tone: ChannelMessage.Tone
        switch event.kind {
        case .targetPublished: title = say("发布成功", "Published"); tone = .good
        case .targetFailed: title = say("发布失败", "Publishing failed"); tone = .failure
        case .targetUnconfirmed: title = say("发布结果待确认", "Publication unconfirmed"); tone = .warning
        case .tokenExpiring: title = say("账号授权即将过期", "Account authorisation expiring"); tone = .warning
        case .manualDue: title = say("到点需手动发布", "Manual post due"); tone = .neutral
        case .alertFired: title = say("数据预警", "Metric alert"); tone = .warning
        case .reportIssued: title = say("数据报告已生成", "Report issued"); tone = .neutral
        case .taskDue: title = say("任务即将到期", "Task due soon"); tone = .warning
        case .taskOverdue: title = say("任务已逾期", "Task overdue"); tone = .failure
        case .taskMentioned: title = say("任务评论中提到了你", "Mentioned in a task"); tone = .neutral
        }
        var lines: [ChannelMessage.Line] = []
        func add(_ zh: String, _ en: String, _ value: String?) {
            guard let value = value.map(singleLine), !value.isEmpty else { return }
            lines.append(ChannelMessage.Line(label: say(zh, en), value: value))
        }
        switch event.kind {
        case .alertFired: add("规则", "Rule", event.contentTitle)
        case .reportIssued: add("报告", "Report", event.contentTitle)
        case .taskDue, .taskOverdue, .taskMentioned: add("任务", "Task", event.contentTitle)
        default: add("内容", "Content", event.contentTitle)
        }
        let platform = event.platform.map { platformName($0, english: english) }
        let account: String?
        switch (event.accountName.map(singleLine).flatMap { $0.isEmpty ? nil : $0 }, platform) {
        case (let name?, let platform?): account = english ? "\(name) (\(platform))" : "\(name)（\(platform)）"
        case (let name?, nil): account = name
        case (nil, let platform?): account = platform
        case (nil, nil): account = nil
        }
        switch event.kind {
        case .taskDue, .taskOverdue: add("负责人", "Assignee", event.accountName)
        case .taskMentioned: add("提到", "Mentioned", event.accountName)
        default: add("账号", "Account", account)
        }
        switch event.kind {
        case .taskDue, .taskOverdue: add("截止时间", "Due", event.reason)
        case .taskMentioned: add("评论", "Comment", event.reason)
        case .alertFired: add("情况", "What happened", event.reason)
        case .reportIssued: add("概要", "Headline figures", event.reason)
        default: add("原因", "Reason", event.reason)
        }
        return ChannelMessage(title: title, tone: tone, lines: lines, postURL: event.url.flatMap { $0.isEmpty ? nil : $0 },
                              postLabel: say("查看帖子", "View post"), link: event.link.flatMap { $0.isEmpty ? nil : $0 },
                              linkLabel: event.kind == .reportIssued ? say("查看完整报告", "Open the full report") : say("在 MediaOps 中查看", "Open in MediaOps"), language: english ? "en" : "zh-Hans")
    }

    /// Plain text: the heading, one line per fact, then the links.
    public static func plainText(_ message: ChannelMessage) -> String {
        var out = [heading(message)]
        out += message.lines.map { "\($0.label)\(colon(message))\($0.value)" }
        if let url = message.postURL { out.append("\(message.postLabel)\(colon(message))\(url)") }
        if let link = message.link { out.append("\(message.linkLabel)\(colon(message))\(link)") }
        return out.joined(separator: "\n")
    }

    /// "【MediaOps】发布失败" / "[MediaOps] Publishing failed". The brand is always
    /// there, so robots guarded by a keyword ("MediaOps") accept the message.
    public static func heading(_ message: ChannelMessage) -> String {
        message.language == "en" ? "[\(brand)] \(message.title)" : "【\(brand)】\(message.title)"
    }

    // MARK: 企业微信

    /// `{"msgtype":"markdown","markdown":{"content":…}}`, content ≤ 4096 bytes.
    public static func wecomBody(_ message: ChannelMessage) -> [String: Any] {
        let color: String
        switch message.tone {
        case .good: color = "info"
        case .warning, .failure: color = "warning"
        case .neutral: color = "comment"
        }
        var lines = ["**\(brand)** <font color=\"\(color)\">\(message.title)</font>"]
        lines += message.lines.map { "> \($0.label)\(colon(message))<font color=\"comment\">\(markdownText($0.value))</font>" }
        var links: [String] = []
        if let url = message.postURL { links.append("[\(message.postLabel)](\(url))") }
        if let link = message.link { links.append("[\(message.linkLabel)](\(link))") }
        if !links.isEmpty { lines.append(links.joined(separator: "　")) }
        let content = truncate(lines.joined(separator: "\n"), bytes: wecomMarkdownLimit)
        return ["msgtype": "markdown", "markdown": ["content": content]]
    }

    // MARK: 钉钉

    /// `{"msgtype":"markdown","markdown":{"title":…,"text":…}}`.
    public static func dingtalkBody(_ message: ChannelMessage) -> [String: Any] {
        let color: String
        switch message.tone {
        case .good: color = "#1F8A4C"
        case .warning: color = "#D46B08"
        case .failure: color = "#D9363E"
        case .neutral: color = "#595959"
        }
        var lines = ["#### \(brand) <font color=\(color)>\(message.title)</font>", ""]
        lines += message.lines.map { "- \($0.label)\(colon(message))\(markdownText($0.value))" }
        var links: [String] = []
        if let url = message.postURL { links.append("[\(message.postLabel)](\(url))") }
        if let link = message.link { links.append("[\(message.linkLabel)](\(link))") }
        if !links.isEmpty { lines += ["", links.joined(separator: "　")] }
        return ["msgtype": "markdown", "markdown": ["title": heading(message), "text": truncate(lines.joined(separator: "\n"), bytes: 20_000)]]
    }

    /// base64(HMAC-SHA256(key: secret, message: "<timestamp>\n<secret>")), not yet URL-encoded.
    public static func dingtalkSign(secret: String, timestampMillis: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestampMillis)\n\(secret)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// The robot URL with `timestamp` and `sign` appended when a secret is set.
    public static func dingtalkURL(_ url: String, secret: String?, timestampMillis: Int64) -> String {
        guard let secret, !secret.isEmpty else { return url }
        let separator = url.contains("?") ? "&" : "?"
        return url + separator + "timestamp=\(timestampMillis)&sign=" + FormEncoding.escape(dingtalkSign(secret: secret, timestampMillis: timestampMillis))
    }

    // MARK: 飞书

    /// base64(HMAC-SHA256(key: "<timestamp>\n<secret>", message: empty)).
    public static func feishuSign(secret: String, timestamp: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(), using: SymmetricKey(data: Data("\(timestamp)\n\(secret)".utf8)))
        return Data(mac).base64EncodedString()
    }

    /// An interactive card (coloured header, the facts, link buttons), with
    /// `timestamp` (seconds) and `sign` when a secret is set.
    public static func feishuBody(_ message: ChannelMessage, secret: String?, timestamp: Int64) -> [String: Any] {
        let template: String
        switch message.tone {
        case .good: template = "green"
        case .warning: template = "orange"
        case .failure: template = "red"
        case .neutral: template = "blue"
        }
        var elements: [[String: Any]] = []
        if !message.lines.isEmpty {
            let text = message.lines.map { "**\($0.label)**\(colon(message))\(markdownText($0.value))" }.joined(separator: "\n")
            elements.append(["tag": "div", "text": ["tag": "lark_md", "content": text]])
        }
        var buttons: [[String: Any]] = []
        if let url = message.postURL {
            buttons.append(["tag": "button", "type": "default", "url": url, "text": ["tag": "plain_text", "content": message.postLabel]])
        }
        if let link = message.link {
            buttons.append(["tag": "button", "type": "primary", "url": link, "text": ["tag": "plain_text", "content": message.linkLabel]])
        }
        if !buttons.isEmpty { elements.append(["tag": "action", "actions": buttons]) }
        var body: [String: Any] = [
            "msg_type": "interactive",
            "card": [
                "config": ["wide_screen_mode": true],
                "header": ["template": template, "title": ["tag": "plain_text", "content": heading(message)]],
                "elements": elements,
            ] as [String: Any],
        ]
        if let secret, !secret.isEmpty {
            body["timestamp"] = String(timestamp)
            body["sign"] = feishuSign(secret: secret, timestamp: timestamp)
        }
        return body
    }

    // MARK: Webhooks

    /// The event as JSON: snake_case keys, ISO 8601 instant, every key present (null when unset).
    public static func webhookBody(_ event: OutboundEvent) -> Data {
        func value(_ text: String?) -> Any { text ?? NSNull() }
        let object: [String: Any] = [
            "id": event.id, "kind": event.kind.rawValue, "at": ISO8601DateFormatter().string(from: event.at),
            "content_title": value(event.contentTitle), "account_name": value(event.accountName), "platform": value(event.platform),
            "target_id": value(event.targetID), "reason": value(event.reason), "url": value(event.url), "link": value(event.link),
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    /// X-MediaOps-Event, -Delivery (the event id, stable across retries), -Timestamp
    /// and, with a secret, -Signature (the scheme of `WebhookSignature`).
    public static func webhookHeaders(_ event: OutboundEvent, body: Data, secret: String?, timestamp: Int64) -> [(String, String)] {
        var headers = [("Content-Type", "application/json; charset=utf-8"), ("X-MediaOps-Event", event.kind.rawValue),
                       ("X-MediaOps-Delivery", event.id), ("Idempotency-Key", event.id), ("X-MediaOps-Timestamp", String(timestamp))]
        if let secret, !secret.isEmpty {
            headers.append(("X-MediaOps-Signature", WebhookSignature.sign(body: body, timestamp: String(timestamp), secret: secret)))
        }
        return headers
    }

    // MARK: The request

    /// The complete request for a channel of `kind` at `url`.
    public static func request(_ kind: ChannelKind, url: String, secret: String?, event: OutboundEvent, language: String, now: Date) -> OutboundRequest {
        let message = message(for: event, language: language)
        let seconds = Int64(now.timeIntervalSince1970)
        switch kind {
        case .wecom:
            return jsonRequest(url, wecomBody(message))
        case .dingtalk:
            return jsonRequest(dingtalkURL(url, secret: secret, timestampMillis: Int64((now.timeIntervalSince1970 * 1_000).rounded(.down))),
                               dingtalkBody(message))
        case .feishu:
            return jsonRequest(url, feishuBody(message, secret: secret, timestamp: seconds))
        case .webhook:
            let body = webhookBody(event)
            return OutboundRequest(method: "POST", url: url, headers: webhookHeaders(event, body: body, secret: secret, timestamp: seconds), body: body)
        }
    }

    static func jsonRequest(_ url: String, _ object: [String: Any]) -> OutboundRequest {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return OutboundRequest(method: "POST", url: url, headers: [("Content-Type", "application/json; charset=utf-8")], body: data)
    }

    // MARK: Helpers

    static func isEnglish(_ language: String) -> Bool { language.lowercased().hasPrefix("en") }

    static func colon(_ message: ChannelMessage) -> String { message.language == "en" ? ": " : "：" }

    static func singleLine(_ text: String) -> String {
        text.components(separatedBy: .newlines).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Keeps user text from closing the robot's <font> tags or opening its own.
    /// (Robot markdown has no escape character, so other marks are left alone.)
    static func markdownText(_ text: String) -> String {
        text.replacingOccurrences(of: "<", with: "‹").replacingOccurrences(of: ">", with: "›")
    }

    /// Cuts `text` to at most `bytes` UTF-8 bytes on a character boundary, marking the cut with "…".
    static func truncate(_ text: String, bytes limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        let ellipsis = "…"
        var out = ""
        var used = 0
        for character in text {
            let size = String(character).utf8.count
            if used + size + ellipsis.utf8.count > limit { break }
            out.append(character)
            used += size
        }
        return out + ellipsis
    }

    static let platformNames: [String: (zh: String, en: String)] = [
        "wechat_oa": ("微信公众号", "WeChat Official Account"), "wechat_channels": ("微信视频号", "WeChat Channels"),
        "weibo": ("新浪微博", "Weibo"), "douyin": ("抖音", "Douyin"), "xiaohongshu": ("小红书", "Xiaohongshu (RED)"),
        "bilibili": ("哔哩哔哩", "Bilibili"), "kuaishou": ("快手", "Kuaishou"), "zhihu": ("知乎", "Zhihu"), "toutiao": ("今日头条", "Toutiao"),
        "x": ("X", "X"), "facebook": ("Facebook 主页", "Facebook Page"), "instagram": ("Instagram", "Instagram"),
        "linkedin": ("LinkedIn", "LinkedIn"), "mastodon": ("Mastodon", "Mastodon"), "telegram": ("Telegram 频道", "Telegram channel"),
        "webhook": ("自定义 Webhook", "Custom webhook"),
    ]

    static func platformName(_ key: String, english: Bool) -> String {
        guard let names = platformNames[key] else { return key }
        return english ? names.en : names.zh
    }
}

/// How sending one message to a channel ended.
public enum ChannelSendResult: Sendable, Equatable {
    case delivered
    /// Nothing was delivered, or we cannot tell; try again (after `after` seconds if given).
    case retry(reason: String, after: TimeInterval?)
    /// Trying again will not help (bad key, signature or keyword, private address).
    case failed(reason: String)
}

/// Sends one announcement to one channel and reads the robot's answer.
public enum ChannelSender {
    public static func send(_ kind: ChannelKind, url: String, secret: String?, event: OutboundEvent, language: String,
                            http: HTTPTransport, log: ExchangeLog?, now: Date = Date()) async -> ChannelSendResult {
        await log?.redact(kind.credentials(in: url) + [secret ?? ""])
        let request = ChannelMessages.request(kind, url: url, secret: secret, event: event, language: language, now: now)
        let response: OutboundResponse
        do {
            // The URL was typed by a member: the transport's policy decides whether
            // a private or loopback address may be called.
            response = try await http.send(request, log: log)
        } catch {
            switch error {
            case .refused(let reason):
                // A failed name lookup may pass; a private or malformed address will not.
                return reason == "unresolvable_host" ? .retry(reason: reason, after: nil) : .failed(reason: reason)
            case .notSent(let reason): return .retry(reason: "not_sent: \(reason)", after: nil)
            case .noAnswer(let reason): return .retry(reason: "no_answer: \(reason)", after: nil)
            }
        }
        return classify(kind, response)
    }

    /// Reads a robot's or webhook receiver's answer.
    public static func classify(_ kind: ChannelKind, _ response: OutboundResponse) -> ChannelSendResult {
        let status = response.status
        let detail = String(response.text.prefix(200))
        switch status {
        case 429: return .retry(reason: "rate_limited: HTTP 429", after: Classification.retryAfter(response) ?? 60)
        case 500...: return .retry(reason: "server_error: HTTP \(status)", after: Classification.retryAfter(response))
        case 200..<300: break
        default: return .failed(reason: "rejected: HTTP \(status) \(detail)".trimmingCharacters(in: .whitespaces))
        }
        guard kind != .webhook else { return .delivered }
        guard let json = response.json else { return .failed(reason: "unreadable_answer: \(detail)") }
        switch kind {
        case .wecom:
            let code = JSONLenient.int(json["errcode"]) ?? -2
            let message = json["errmsg"] as? String ?? ""
            switch code {
            case 0: return .delivered
            case 45009: return .retry(reason: "rate_limited: errcode 45009 \(message)", after: 60)
            case -1: return .retry(reason: "robot_busy: errcode -1 \(message)", after: nil)
            case 93000: return .failed(reason: "invalid_key: errcode 93000 \(message)")
            default: return .failed(reason: "errcode \(code): \(message)")
            }
        case .dingtalk:
            let code = JSONLenient.int(json["errcode"]) ?? -2
            let message = json["errmsg"] as? String ?? ""
            switch code {
            case 0: return .delivered
            case 130101: return .retry(reason: "rate_limited: errcode 130101 \(message)", after: 60)
            case -1: return .retry(reason: "robot_busy: errcode -1 \(message)", after: nil)
            case 310000: return .failed(reason: "sign_or_keyword: errcode 310000 \(message)")
            case 300001: return .failed(reason: "invalid_token: errcode 300001 \(message)")
            default: return .failed(reason: "errcode \(code): \(message)")
            }
        case .feishu:
            let code = JSONLenient.int(json["code"]) ?? JSONLenient.int(json["StatusCode"]) ?? -2
            let message = (json["msg"] as? String) ?? (json["StatusMessage"] as? String) ?? ""
            switch code {
            case 0: return .delivered
            case 9499, 11232: return .retry(reason: "rate_limited: code \(code) \(message)", after: 60)
            case 19021: return .failed(reason: "sign_mismatch: code 19021 \(message)")
            case 19024: return .failed(reason: "keyword_mismatch: code 19024 \(message)")
            default: return .failed(reason: "code \(code): \(message)")
            }
        case .webhook:
            return .delivered
        }
    }

}
