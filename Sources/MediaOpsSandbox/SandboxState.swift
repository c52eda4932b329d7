import Foundation

/// A post an imitation platform accepted: what the tests and the demo assert on.
public struct ReceivedPost: Sendable, Equatable, Codable {
    public var platform: String
    public var account: String
    public var id: String
    public var text: String
    public var idempotencyKey: String?
    public var at: Date

    public init(platform: String, account: String, id: String, text: String, idempotencyKey: String?, at: Date) {
        self.platform = platform
        self.account = account
        self.id = id
        self.text = text
        self.idempotencyKey = idempotencyKey
        self.at = at
    }
}

/// A one-shot behaviour queued for the next matching request, set by a test or
/// through `POST /_sandbox/scenarios`.
public struct Scenario: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// Answer with the platform's error `code` (WeChat errcode, HTTP status elsewhere).
        case error
        /// Answer with the platform's rate-limit error and `seconds` to wait.
        case rateLimit = "rate_limit"
        /// Accept and record the post, then answer only after `seconds` (the client times out after sending).
        case slowAfterAccept = "slow_after_accept"
        /// Answer 503 before accepting anything.
        case unavailable
        /// Expire the account's access token now (WeChat: the next call gets 42001).
        case expireToken = "expire_token"
        /// WeChat: the next submitted job ends in this `code` as publish_status (2, 3, 4).
        case asyncFailure = "async_failure"
        /// Statistics: the next answer of `call` carries `field` under another name
        /// (`<field>_v2`), as when a platform renames a metric.
        case renameField = "rename_field"
    }

    public var platform: String
    public var kind: Kind
    public var code: Int?
    public var seconds: Double?
    /// Which call it applies to ("statuses", "sendMessage", "freepublish/submit", …); nil: the next call on the platform.
    public var call: String?
    /// The answer field a `renameField` scenario renames.
    public var field: String?

    public init(platform: String, kind: Kind, code: Int? = nil, seconds: Double? = nil, call: String? = nil, field: String? = nil) {
        self.platform = platform
        self.kind = kind
        self.code = code
        self.seconds = seconds
        self.call = call
        self.field = field
    }
}

/// Everything the imitation platforms remember. One actor: requests are
/// serialised, which is what makes "exactly once" assertions meaningful.
public actor SandboxState {
    public private(set) var received: [ReceivedPost] = []
    /// Every request by platform and call, rate limits and duplicates included.
    public private(set) var calls: [String: Int] = [:]
    private var scenarios: [Scenario] = []
    /// Seconds added to the wall clock (token lifetimes, WeChat publish jobs).
    public private(set) var clockOffset: TimeInterval = 0
    /// Per-platform scratch space for the platform modules (tokens, drafts, jobs, idempotency keys).
    var store: [String: [String: String]] = [:]
    private var counter = 1_000

    public init() {}

    /// A stopped clock: time moves only by `advance`. A test that asserts what
    /// happens before and after a platform's delay stops it, so a slow machine
    /// (the whole suite on two cores) cannot let the delay pass between two calls.
    private var frozenAt: Date?

    public var now: Date { (frozenAt ?? Date()).addingTimeInterval(clockOffset) }

    public func advance(_ seconds: TimeInterval) { clockOffset += seconds }

    public func freeze() { frozenAt = frozenAt ?? Date() }

    public func add(_ scenario: Scenario) { scenarios.append(scenario) }

    public func reset() {
        received = []
        calls = [:]
        scenarios = []
        clockOffset = 0
        frozenAt = nil
        store = [:]
    }

    /// Takes the first queued scenario for `platform` that applies to `call`.
    public func take(platform: String, call: String) -> Scenario? {
        calls["\(platform) \(call)", default: 0] += 1
        guard let index = scenarios.firstIndex(where: { $0.platform == platform && ($0.call == nil || $0.call == call) }) else { return nil }
        return scenarios.remove(at: index)
    }

    public func record(_ post: ReceivedPost) { received.append(post) }

    public func posts(platform: String? = nil) -> [ReceivedPost] {
        platform.map { p in received.filter { $0.platform == p } } ?? received
    }

    public func nextID() -> Int {
        counter += 1
        return counter
    }

    func get(_ space: String, _ key: String) -> String? { store[space]?[key] }
    func set(_ space: String, _ key: String, _ value: String?) { store[space, default: [:]][key] = value }
    func all(_ space: String) -> [String: String] { store[space] ?? [:] }
}
