import Foundation
import MediaOpsDomain

/// A post whose numbers are asked for: the platform's id and, where the
/// platform files posts by day (公众号 by publish date), when it went out;
/// its title for a platform whose statistics name a post by another id than
/// its publish call answered (公众号: `msgid` against `article_id`).
public struct MetricPostRef: Sendable, Equatable {
    public var platformPostID: String
    public var publishedAt: Date?
    public var title: String?

    public init(platformPostID: String, publishedAt: Date?, title: String? = nil) {
        self.platformPostID = platformPostID
        self.publishedAt = publishedAt
        self.title = title
    }
}

/// The statistics side of a platform client. Calls go through the same
/// `HTTPTransport` (and its outbound policy) and token cache as publishing.
/// A pull never throws: whatever came back is in the result, each metric that
/// could not be read is a failure of its own, and `failure` says why nothing
/// usable came back when that is the case.
public protocol MetricsConnector: Sendable {
    var platform: Platform { get }
    /// The account's daily numbers for `from`…`to` (days in the platform's
    /// calendar). Platforms with live counters only give today's figures,
    /// which are filed under `to`. Posts found on the way (published outside
    /// MediaOps) come back in `posts`.
    func pullAccount(_ account: ConnectorAccount, from: LocalDate, to: LocalDate, context: ConnectorContext) async -> MetricPullResult
    /// The current numbers of these posts.
    func pullPosts(_ account: ConnectorAccount, posts: [MetricPostRef], context: ConnectorContext) async -> MetricPullResult
}

/// Every metrics connector by platform.
public struct MetricsConnectorRegistry: Sendable {
    private let connectors: [Platform: any MetricsConnector]

    public init(_ connectors: [any MetricsConnector]) {
        self.connectors = Dictionary(connectors.map { ($0.platform, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func connector(for platform: Platform) -> (any MetricsConnector)? { connectors[platform] }

    public var platforms: [Platform] { Platform.allCases.filter { connectors[$0] != nil } }

    public static let standard = MetricsConnectorRegistry([
        WeChatOAConnector(), WeiboConnector(), DouyinConnector(), BilibiliConnector(), MastodonConnector(), XConnector(), TelegramConnector(),
    ])
}

/// The shared reading of a statistics call's HTTP outcome. Reads change
/// nothing on the platform, so every transport failure is safe to retry.
enum MetricCall {
    static func send(_ request: OutboundRequest, context: ConnectorContext) async -> Result<OutboundResponse, PullFailure> {
        do {
            return .success(try await context.http.send(request, log: context.log))
        } catch {
            switch error {
            case .notSent(let reason), .noAnswer(let reason): return .failure(PullFailure(.transient, reason))
            // A name that does not resolve may resolve later (DNS, a network coming back); other refusals are the policy's final word.
            case .refused(let reason): return .failure(PullFailure(reason == "unresolvable_host" ? .transient : .permanent, reason))
            }
        }
    }

    /// A failure for a non-2xx answer that carries no platform code (nil for 2xx).
    static func status(_ response: OutboundResponse, retryAfter: TimeInterval? = nil) -> PullFailure? {
        let detail = "HTTP \(response.status): \(response.text.prefix(160))"
        switch response.status {
        case 200..<300: return nil
        case 429: return PullFailure(.rateLimited, detail, retryAfter: retryAfter ?? Classification.retryAfter(response) ?? 60)
        case 401, 403: return PullFailure(.auth, detail)
        case 500...: return PullFailure(.transient, detail, retryAfter: retryAfter)
        default: return PullFailure(.permanent, detail)
        }
    }

    /// "yyyy-MM-dd" and "yyyyMMdd" dates; a number of epoch seconds or milliseconds is read in `zone`.
    static func day(_ raw: Any?, zone: TimeZone = PullSchedule.beijing) -> LocalDate? {
        if let text = raw as? String {
            if let day = LocalDate(text) { return day }
            if text.count == 8, let number = Int(text) { return LocalDate(year: number / 10_000, month: number / 100 % 100, day: number % 100) }
        }
        if let number = JSONLenient.int(raw) {
            let seconds = number > 100_000_000_000 ? TimeInterval(number) / 1_000 : TimeInterval(number)
            return LocalDate(Date(timeIntervalSince1970: seconds), timeZone: zone)
        }
        return nil
    }

    /// Ids in batches of at most `chunk` (the platform's limit) whose comma-joined
    /// text stays within `budget` characters: the outbound policy refuses URLs
    /// over 2,048, and 100 nineteen-digit X ids would exceed it.
    static func ids(_ posts: [MetricPostRef], chunk: Int, budget: Int = 1_800) -> [[String]] {
        var batches: [[String]] = []
        var current: [String] = []
        var length = 0
        for id in posts.map(\.platformPostID) {
            if !current.isEmpty, current.count == chunk || length + id.utf8.count + 1 > budget {
                batches.append(current)
                current = []
                length = 0
            }
            current.append(id)
            length += id.utf8.count + 1
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// Query text with the ids joined by literal commas (the platforms split on them; encoding them triples their cost).
    static func idList(_ ids: [String]) -> String { ids.map(FormEncoding.escape).joined(separator: ",") }
}
