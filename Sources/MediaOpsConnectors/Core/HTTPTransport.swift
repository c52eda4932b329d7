import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// One HTTP request a connector makes.
public struct OutboundRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: Data?
    /// A short description of the body for the attempt log (never the secrets; bodies of files are summarised).
    public var bodySummary: String?

    public init(method: String, url: String, headers: [(String, String)] = [], body: Data? = nil, bodySummary: String? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.bodySummary = bodySummary
    }

    public static func json(_ method: String, _ url: String, _ object: Any, headers: [(String, String)] = []) -> OutboundRequest {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return OutboundRequest(method: method, url: url, headers: headers + [("Content-Type", "application/json; charset=utf-8")], body: data)
    }

    public static func form(_ url: String, _ fields: [(String, String)], headers: [(String, String)] = []) -> OutboundRequest {
        OutboundRequest(method: "POST", url: url, headers: headers + [("Content-Type", "application/x-www-form-urlencoded")],
                        body: Data(FormEncoding.encode(fields).utf8))
    }
}

public struct OutboundResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data

    public init(status: Int, headers: [(String, String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Why a request produced no response. The distinction that matters is whether
/// the request was fully sent: before that nothing can have been published.
public enum TransportFailure: Error, Sendable, Equatable {
    /// Failed before the request was completely sent (refused, DNS, TLS, reset while sending).
    case notSent(String)
    /// Sent, then no complete answer (timeout, connection closed): the outcome is unknown.
    case noAnswer(String)
    /// Refused by policy before any connection (a private address without permission).
    case refused(String)
}

/// Outbound HTTP for connectors, robots and webhooks, over AsyncHTTPClient.
/// Tracks whether each request left completely, so callers can tell a safe
/// retry from an unknown outcome.
public struct HTTPTransport: Sendable {
    public var timeout: TimeInterval
    public var policy: OutboundPolicy
    let client: HTTPClient

    public init(timeout: TimeInterval = 30, policy: OutboundPolicy = OutboundPolicy(), client: HTTPClient = HTTPTransport.sharedClient) {
        self.timeout = timeout
        self.policy = policy
        self.client = client
    }

    /// One client for the process, kept for its lifetime. Up to 64 connections
    /// per host (a busy minute sends hundreds of posts to one platform host);
    /// connecting gives up after 5 s, which is still "not sent".
    public static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(5)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Every request passes the outbound policy first: there is no way to dial
    /// around it, so a platform base, an instance URL or a robot address cannot
    /// be aimed at the machines behind MediaOps.
    public func send(_ request: OutboundRequest, log: ExchangeLog?) async throws(TransportFailure) -> OutboundResponse {
        let started = Date()
        if let refusal = policy.refusal(for: request.url) {
            await log?.record(request, status: nil, response: nil, error: refusal, started: started)
            throw .refused(refusal)
        }
        let outcome = await perform(request)
        switch outcome {
        case .success(let response):
            await log?.record(request, status: response.status, response: response.body, error: nil, started: started)
            return response
        case .failure(let failure):
            let message: String
            switch failure {
            case .notSent(let m), .noAnswer(let m), .refused(let m): message = m
            }
            await log?.record(request, status: nil, response: nil, error: message, started: started)
            throw failure
        }
    }

    private func perform(_ request: OutboundRequest) async -> Result<OutboundResponse, TransportFailure> {
        let httpRequest: HTTPClient.Request
        do {
            var headers = HTTPHeaders()
            for (name, value) in request.headers { headers.add(name: name, value: value) }
            if !headers.contains(name: "User-Agent") { headers.add(name: "User-Agent", value: "MediaOps") }
            httpRequest = try HTTPClient.Request(url: request.url, method: HTTPMethod(rawValue: request.method), headers: headers,
                                                 body: request.body.map { .bytes($0) })
        } catch {
            return .failure(.notSent("invalid_url: \(error)"))
        }
        let delegate = CollectingDelegate()
        let task = client.execute(request: httpRequest, delegate: delegate, deadline: .now() + .milliseconds(Int64(timeout * 1_000)))
        do {
            let response = try await task.futureResult.get()
            return .success(response)
        } catch {
            let description = Self.describe(error)
            return .failure(delegate.fullySent ? .noAnswer(description) : .notSent(description))
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "timeout"
            case .connectTimeout: return "connect_timeout"
            case .remoteConnectionClosed: return "connection_closed"
            default: return "\(error)"
            }
        }
        let text = "\(error)"
        if text.localizedCaseInsensitiveContains("refused") { return "connection_refused" }
        return text
    }
}

/// Collects the response and remembers whether the request left in full.
final class CollectingDelegate: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = OutboundResponse
    private struct State {
        var sent = false
        var status = 0
        var headers: [(String, String)] = []
        var body = ByteBuffer()
    }
    private let state = NIOLockedValueBox(State())
    private static let maxBody = 4 * 1_024 * 1_024

    var fullySent: Bool { state.withLockedValue { $0.sent } }

    func didSendRequest(task: HTTPClient.Task<OutboundResponse>) {
        state.withLockedValue { $0.sent = true }
    }

    func didReceiveHead(task: HTTPClient.Task<OutboundResponse>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        state.withLockedValue {
            $0.sent = true
            $0.status = Int(head.status.code)
            $0.headers = head.headers.map { ($0.name, $0.value) }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<OutboundResponse>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        state.withLockedValue {
            var buffer = buffer
            if $0.body.readableBytes < Self.maxBody { $0.body.writeBuffer(&buffer) }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<OutboundResponse>) throws -> OutboundResponse {
        state.withLockedValue { OutboundResponse(status: $0.status, headers: $0.headers, body: Data($0.body.readableBytesView)) }
    }
}

public enum FormEncoding {
    static let allowed: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~")
        return set
    }()

    public static func escape(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    public static func encode(_ fields: [(String, String)]) -> String {
        fields.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }
}

/// A multipart/form-data body (file uploads to WeChat, Weibo, Telegram, Mastodon).
public struct MultipartBody: Sendable {
    public let boundary = "mediaops-" + UUID().uuidString
    public private(set) var data = Data()
    private var parts: [String] = []

    public init() {}

    public mutating func field(_ name: String, _ value: String) {
        data.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        parts.append("\(name)=\(value.prefix(80))")
    }

    public mutating func file(_ name: String, _ file: MediaFile) {
        let safeName = file.filename.replacingOccurrences(of: "\"", with: "")
        data.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(safeName)\"\r\nContent-Type: \(file.contentType)\r\n\r\n".utf8))
        data.append(file.bytes)
        data.append(Data("\r\n".utf8))
        parts.append("\(name)=<\(file.contentType), \(file.bytes.count) bytes>")
    }

    public func request(_ url: String, headers: [(String, String)] = []) -> OutboundRequest {
        var body = data
        body.append(Data("--\(boundary)--\r\n".utf8))
        return OutboundRequest(method: "POST", url: url, headers: headers + [("Content-Type", "multipart/form-data; boundary=\(boundary)")],
                               body: body, bodySummary: "multipart: " + parts.joined(separator: ", "))
    }
}
