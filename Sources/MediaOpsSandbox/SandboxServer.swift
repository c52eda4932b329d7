import Foundation
import Hummingbird
import Logging
import NIOCore

/// One imitation platform: registers its routes on the sandbox router.
protocol SandboxPlatform: Sendable {
    func register(on router: Router<BasicRequestContext>, state: SandboxState)
}

/// The imitation platforms as one HTTP server: every platform under its real
/// paths (so MEDIAOPS_<PLATFORM>_API_BASE can point any connector at it), plus
/// a control API under `/_sandbox` for scenarios, the clock and what arrived.
public struct SandboxServer: Sendable {
    public let state: SandboxState

    public init(state: SandboxState = SandboxState()) { self.state = state }

    /// Every imitation platform module; each lives in its own file.
    static let platforms: [any SandboxPlatform] = [
        SandboxWeChat(), SandboxMastodon(), SandboxTelegram(), SandboxWebhookReceiver(),
        SandboxRobots(),
        SandboxWeibo(), SandboxDouyin(), SandboxBilibili(), SandboxX(), SandboxFacebook(), SandboxLinkedIn(),
        // Statistics: deterministic numbers that move with the sandbox clock.
        SandboxWeChatMetrics(), SandboxWeiboMetrics(), SandboxDouyinMetrics(), SandboxBilibiliMetrics(), SandboxXMetrics(),
    ]

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        let state = self.state
        router.get("/_sandbox/received") { request, _ -> Response in
            let posts = await state.posts(platform: request.uri.queryParameters.get("platform"))
            return try Self.json(["posts": posts.map { ["platform": $0.platform, "account": $0.account, "id": $0.id, "text": $0.text,
                                                        "idempotency_key": $0.idempotencyKey ?? "", "at": ISO8601DateFormatter().string(from: $0.at)] }])
        }
        router.post("/_sandbox/scenarios") { request, context -> Response in
            let scenario = try await request.decode(as: Scenario.self, context: context)
            await state.add(scenario)
            return Response(status: .noContent)
        }
        router.post("/_sandbox/clock") { request, context -> Response in
            struct Advance: Decodable { var seconds: Double }
            await state.advance(try await request.decode(as: Advance.self, context: context).seconds)
            return Response(status: .noContent)
        }
        router.post("/_sandbox/reset") { _, _ -> Response in
            await state.reset()
            return Response(status: .noContent)
        }
        for platform in Self.platforms { platform.register(on: router, state: state) }
        return router
    }

    /// Starts the server on `host:port` (0 picks a free port) and returns once it
    /// listens. Cancel the returned task to stop it.
    public func start(host: String = "127.0.0.1", port: Int = 0, logLevel: Logger.Level = .critical) async throws -> RunningSandbox {
        var logger = Logger(label: "mediaops.sandbox")
        // Quiet by default: stopping logs a cancellation as an error, which is noise in tests and the demo.
        logger.logLevel = logLevel
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "MediaOps-Sandbox"),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? port) },
                              logger: logger)
        // If the server cannot listen (port taken), the stream ends without a port instead of waiting forever.
        let task = Task {
            defer { continuation.finish() }
            try await app.run()
        }
        var iterator = stream.makeAsyncIterator()
        guard let bound = await iterator.next() else { throw SandboxStartError(host: host, port: port) }
        return RunningSandbox(url: "http://\(host):\(bound)", state: state, task: task)
    }

    static func json(_ object: Any, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

public struct SandboxStartError: Error, CustomStringConvertible {
    public let host: String
    public let port: Int
    public var description: String { "the imitation platforms could not listen on \(host):\(port) (is the port in use?)" }
}

public struct RunningSandbox: Sendable {
    public let url: String
    public let state: SandboxState
    let task: Task<Void, any Error>

    public func stop() { task.cancel() }
}

extension Request {
    /// The whole body (imitation platforms take small requests).
    func bodyData(limit: Int = 16 * 1_024 * 1_024) async throws -> Data {
        Data(try await body.collect(upTo: limit).readableBytesView)
    }

    /// Form fields from an urlencoded body.
    func formFields() async throws -> [String: String] {
        let text = String(decoding: try await bodyData(), as: UTF8.self)
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            if let key = parts.first { fields[key] = parts.count > 1 ? parts[1] : "" }
        }
        return fields
    }

    func jsonBody() async throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: try await bodyData())) as? [String: Any] ?? [:]
    }
}
