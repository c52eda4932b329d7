import Foundation

/// One request and its answer as the attempt log keeps it: summaries only,
/// secrets redacted.
public struct Exchange: Sendable, Equatable, Codable {
    public var method: String
    public var url: String
    public var status: Int?
    public var request: String
    public var response: String
    public var error: String?
    public var milliseconds: Int

    public init(method: String, url: String, status: Int?, request: String, response: String, error: String?, milliseconds: Int) {
        self.method = method
        self.url = url
        self.status = status
        self.request = request
        self.response = response
        self.error = error
        self.milliseconds = milliseconds
    }
}

/// Collects the exchanges of one attempt. Connectors register every secret they
/// use (`redact`) before sending; query parameters that carry credentials are
/// masked whatever their value.
public actor ExchangeLog {
    public private(set) var exchanges: [Exchange] = []
    private var secrets: Set<String> = []
    static let summaryLimit = 600
    static let secretParameters: Set<String> = ["access_token", "secret", "appsecret", "app_secret", "client_secret", "token", "refresh_token", "sign", "signature"]

    public init() {}

    public func redact(_ values: [String]) {
        for value in values where value.count >= 4 { secrets.insert(value) }
    }

    func record(_ request: OutboundRequest, status: Int?, response: Data?, error: String?, started: Date) {
        let requestText = request.bodySummary ?? request.body.map { String(decoding: $0.prefix(4_096), as: UTF8.self) } ?? ""
        exchanges.append(Exchange(
            method: request.method, url: clean(maskQuery(request.url)), status: status,
            request: clean(requestText), response: clean(response.map { String(decoding: $0.prefix(4_096), as: UTF8.self) } ?? ""),
            error: error.map(clean), milliseconds: Int(Date().timeIntervalSince(started) * 1_000)))
    }

    /// Adds a note that is not an HTTP exchange (a decision the connector took).
    public func note(_ text: String) {
        exchanges.append(Exchange(method: "", url: "", status: nil, request: clean(text), response: "", error: nil, milliseconds: 0))
    }

    private func clean(_ text: String) -> String {
        var text = text
        for secret in secrets { text = text.replacingOccurrences(of: secret, with: "***") }
        text = Self.maskJSONSecrets(text)
        return text.count > Self.summaryLimit ? String(text.prefix(Self.summaryLimit)) + "…" : text
    }

    private func maskQuery(_ url: String) -> String {
        guard var components = URLComponents(string: url), let items = components.queryItems else { return url }
        components.queryItems = items.map { Self.secretParameters.contains($0.name.lowercased()) ? URLQueryItem(name: $0.name, value: "***") : $0 }
        return components.string ?? url
    }

    /// Masks `"access_token":"…"`-style members in JSON bodies the platform returns (new tokens).
    static func maskJSONSecrets(_ text: String) -> String {
        var text = text
        for key in ["access_token", "refresh_token", "secret", "client_secret"] {
            let pattern = "\"\(key)\"\\s*:\\s*\"[^\"]*\""
            text = text.replacingOccurrences(of: pattern, with: "\"\(key)\":\"***\"", options: .regularExpression)
        }
        return text
    }
}
