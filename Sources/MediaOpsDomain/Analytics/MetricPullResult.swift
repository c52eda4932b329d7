import Foundation

/// Why a whole pull gave nothing usable. Each kind tells the job what to do
/// next: wait for the platform, wait for the quota, reconnect, or stop.
public enum PullFailureKind: String, CaseIterable, Sendable, Codable {
    /// The platform has not produced the day yet (公众号 before 08:00 Beijing, a too-fresh day): ask again later.
    case notYetAvailable = "pull_not_yet_available"
    /// The endpoint answered that it is offline (公众号 47009) and no fallback answered either.
    case apiOffline = "pull_api_offline"
    /// The range is longer than the platform allows in one call (the connector splits ranges, so this is a bug or a changed limit).
    case spanExceeded = "pull_span_exceeded"
    /// A quota or rate limit: try again after `retryAfter`.
    case rateLimited = "pull_rate_limited"
    /// The authorisation is gone or lacks the data permission: the account needs reconnecting.
    case auth = "pull_auth"
    /// A passing failure (network, 5xx, system busy): retry with backoff.
    case transient = "pull_transient"
    /// The platform refused the request for good (bad parameter, unknown account).
    case permanent = "pull_permanent"
    /// MediaOps has no API pull for this platform (import its back-office files instead).
    case unsupported = "pull_unsupported"

    /// Whether trying the same pull again later can succeed.
    public var isRetryable: Bool {
        switch self {
        case .notYetAvailable, .rateLimited, .transient: true
        case .apiOffline, .spanExceeded, .auth, .permanent, .unsupported: false
        }
    }
}

/// A whole-pull failure: the kind, the platform's own words, and how long to wait.
public struct PullFailure: Error, Sendable, Equatable {
    public var kind: PullFailureKind
    /// The platform's code and message ("wechat_45009: api freq out of limit").
    public var detail: String
    public var retryAfter: TimeInterval?

    public init(_ kind: PullFailureKind, _ detail: String, retryAfter: TimeInterval? = nil) {
        self.kind = kind
        self.detail = detail
        self.retryAfter = retryAfter
    }
}

/// Why one metric has no value in a pull while the others do.
public enum MetricFailureReason: String, CaseIterable, Sendable, Codable {
    /// The field the metric is read from is not in the answer (renamed or dropped by the platform).
    case missing = "metric_missing"
    /// The field is there but is not a number.
    case unreadable = "metric_unreadable"
    /// The number cannot be the metric's value (a negative count, a rate above 100 %).
    case invalid = "metric_invalid"
    /// The endpoint that gives the metric is offline (公众号 47009) and no fallback gives it.
    case apiOffline = "metric_api_offline"
    /// The endpoint that gives the metric failed while others answered.
    case endpointFailed = "metric_endpoint_failed"
}

/// One metric that a pull could not fill, recorded on its own so the others still count.
public struct MetricFailure: Sendable, Equatable, Codable {
    public var key: MetricKey
    public var reason: MetricFailureReason
    /// The platform call it should have come from ("datacube/getbizsummary").
    public var endpoint: String
    /// The field or the platform's words.
    public var detail: String

    public init(key: MetricKey, reason: MetricFailureReason, endpoint: String, detail: String) {
        self.key = key
        self.reason = reason
        self.endpoint = endpoint
        self.detail = detail
    }
}

/// A platform's answer as received, kept with the values read from it.
public struct RawPayload: Sendable, Equatable {
    public var endpoint: String
    public var body: String

    public init(endpoint: String, body: String) {
        self.endpoint = endpoint
        self.body = body
    }
}

/// One account day's values from one answer.
public struct DailyValues: Sendable, Equatable {
    public var day: LocalDate
    public var values: [MetricKey: Double]
    /// Index into `MetricPullResult.payloads`.
    public var payload: Int

    public init(day: LocalDate, values: [MetricKey: Double], payload: Int) {
        self.day = day
        self.values = values
        self.payload = payload
    }
}

/// One post's values as the platform reports them now.
public struct PostSnapshotValues: Sendable, Equatable {
    public var platformPostID: String
    public var title: String
    public var url: String?
    public var publishedAt: Date?
    public var values: [MetricKey: Double]
    /// Index into `MetricPullResult.payloads`.
    public var payload: Int
    /// The id the post was asked for by, when the statistics name it by
    /// another (a 公众号 post MediaOps published is asked for by its
    /// `article_id` and found by title under its `msgid`).
    public var requestedAs: String?

    public init(platformPostID: String, title: String = "", url: String? = nil, publishedAt: Date? = nil, values: [MetricKey: Double], payload: Int,
                requestedAs: String? = nil) {
        self.platformPostID = platformPostID
        self.title = title
        self.url = url
        self.publishedAt = publishedAt
        self.values = values
        self.payload = payload
        self.requestedAs = requestedAs
    }
}

/// Everything one pull brought back: values by day and by post, the metrics
/// it could not fill (each with its reason), the raw answers, and — when
/// nothing usable came back — why. A value the platform did not give is
/// absent; a failed call never becomes zeros.
public struct MetricPullResult: Sendable, Equatable {
    public var daily: [DailyValues] = []
    public var posts: [PostSnapshotValues] = []
    public var failures: [MetricFailure] = []
    public var payloads: [RawPayload] = []
    /// Endpoints that answered "offline" and were replaced by a fallback (kept for the status).
    public var offlineEndpoints: [String] = []
    public var failure: PullFailure?

    public init() {}

    public init(failure: PullFailure) { self.failure = failure }

    /// Adds an answer and returns its index for the values read from it.
    public mutating func keep(_ endpoint: String, _ body: String) -> Int {
        payloads.append(RawPayload(endpoint: endpoint, body: body))
        return payloads.count - 1
    }

    public mutating func fail(_ keys: [MetricKey], _ reason: MetricFailureReason, endpoint: String, detail: String) {
        for key in keys where !failures.contains(where: { $0.key == key && $0.endpoint == endpoint }) {
            failures.append(MetricFailure(key: key, reason: reason, endpoint: endpoint, detail: detail))
        }
    }

    /// Whether any value came back.
    public var hasValues: Bool { daily.contains { !$0.values.isEmpty } || posts.contains { !$0.values.isEmpty } }

    /// Values of `day` merged across answers (later answers win), for reading and tests.
    public func values(on day: LocalDate) -> [MetricKey: Double] {
        daily.filter { $0.day == day }.reduce(into: [:]) { $0.merge($1.values) { _, new in new } }
    }

    /// The latest values of one post, for reading and tests.
    public func values(post platformPostID: String) -> [MetricKey: Double]? {
        posts.last { $0.platformPostID == platformPostID }?.values
    }

    /// Another pull's findings added to this one (a pull made of several calls).
    public mutating func merge(_ other: MetricPullResult) {
        let offset = payloads.count
        payloads += other.payloads
        daily += other.daily.map { DailyValues(day: $0.day, values: $0.values, payload: $0.payload + offset) }
        posts += other.posts.map {
            PostSnapshotValues(platformPostID: $0.platformPostID, title: $0.title, url: $0.url, publishedAt: $0.publishedAt, values: $0.values, payload: $0.payload + offset,
                               requestedAs: $0.requestedAs)
        }
        failures += other.failures
        offlineEndpoints += other.offlineEndpoints
        failure = failure ?? other.failure
    }
}

/// Reading numbers out of platform answers: numbers or numeric strings,
/// "12.5%" as 0.125. Anything else is unreadable, and a missing field is
/// missing — never 0.
public enum MetricField {
    public enum Reading: Equatable, Sendable {
        case value(Double)
        case missing
        case unreadable(String)
    }

    public static func read(_ raw: Any?) -> Reading {
        switch raw {
        case nil, is NSNull: return .missing
        case let bool as Bool where type(of: raw!) == Bool.self:
            // A boolean is not a metric, whatever number it bridges to.
            return .unreadable("\(bool)")
        case let int as Int: return .value(Double(int))
        case let double as Double: return .value(double)
        case let number as NSNumber: return .value(number.doubleValue)
        case let text as String:
            let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
            if trimmed.hasSuffix("%"), let number = Double(trimmed.dropLast()) { return .value(number / 100) }
            if let number = Double(trimmed) { return .value(number) }
            return .unreadable(text)
        default:
            return .unreadable("\(raw!)")
        }
    }
}

/// Maps one answer object's fields to metric keys, recording each missing,
/// unreadable or impossible field as that metric's failure and keeping going.
public struct MetricFieldMapper: Sendable {
    public struct Field: Sendable {
        public var name: String
        public var key: MetricKey
        /// Applied to the raw number (minutes → seconds, percent → fraction).
        public var transform: @Sendable (Double) -> Double

        public init(_ name: String, _ key: MetricKey, transform: @escaping @Sendable (Double) -> Double = { $0 }) {
            self.name = name
            self.key = key
            self.transform = transform
        }
    }

    public var fields: [Field]
    public init(_ fields: [Field]) { self.fields = fields }

    /// Rates some platforms give as percentages (4.41) and others as fractions (0.0441).
    public static let fraction: @Sendable (Double) -> Double = { $0 > 1 ? $0 / 100 : $0 }

    public func read(_ object: [String: Any], endpoint: String, into result: inout MetricPullResult) -> [MetricKey: Double] {
        var values: [MetricKey: Double] = [:]
        for field in fields {
            switch MetricField.read(object[field.name]) {
            case .missing:
                result.fail([field.key], .missing, endpoint: endpoint, detail: field.name)
            case .unreadable(let text):
                result.fail([field.key], .unreadable, endpoint: endpoint, detail: "\(field.name)=\(text.prefix(40))")
            case .value(let raw):
                let value = field.transform(raw)
                switch field.key.validated(value) {
                case .success(let stored): values[field.key] = stored
                case .failure(let problem): result.fail([field.key], .invalid, endpoint: endpoint, detail: "\(field.name)=\(raw) (\(problem.rawValue))")
                }
            }
        }
        return values
    }
}

/// Where an account's statistics pulls stand: what people see beside its numbers.
public struct MetricPullStatus: Sendable, Equatable {
    public struct LastError: Sendable, Equatable {
        /// A `PullFailureKind` raw value: the catalog picks the sentence from it.
        public var code: String
        /// The platform's own words.
        public var detail: String
        public var at: Date

        public init(code: String, detail: String, at: Date) {
            self.code = code
            self.detail = detail
            self.at = at
        }
    }

    public var accountID: String
    public var lastAttemptAt: Date
    public var lastSuccessAt: Date?
    public var lastError: LastError?
    /// The metrics the latest pull could not fill, each with its reason.
    public var metricFailures: [MetricFailure]
    /// Endpoints that answered "api offline" in the latest pull.
    public var offlineEndpoints: [String]

    public init(accountID: String, lastAttemptAt: Date, lastSuccessAt: Date?, lastError: LastError?, metricFailures: [MetricFailure], offlineEndpoints: [String]) {
        self.accountID = accountID
        self.lastAttemptAt = lastAttemptAt
        self.lastSuccessAt = lastSuccessAt
        self.lastError = lastError
        self.metricFailures = metricFailures
        self.offlineEndpoints = offlineEndpoints
    }

    /// Whether the last thing that happened was an error (an older error after a success is history).
    public var isFailing: Bool {
        guard let lastError else { return false }
        return lastSuccessAt.map { lastError.at > $0 } ?? true
    }
}
