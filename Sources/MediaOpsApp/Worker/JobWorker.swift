import Foundation
import Logging
import NIOConcurrencyHelpers
import MediaOpsStore
import ServiceLifecycle

/// The job worker: claims due jobs in batches, runs them concurrently with
/// their handlers, keeps their leases alive, and records each result.
/// `serve` runs one in-process; `mediaops worker` runs only this. On SQLite a
/// worker first takes the queue's `WorkerLease`, so a second one refuses.
public final class JobWorker: Service, Sendable {
    public struct Options: Sendable {
        public var name: String
        public var concurrency: Int
        public var lease: TimeInterval
        public var idlePoll: TimeInterval
        /// The in-process worker of `serve` waits for a SQLite queue another worker holds instead of refusing.
        public var waitIfQueueHeld: Bool
        public init(name: String = JobWorker.defaultName(), concurrency: Int = 32, lease: TimeInterval = 120, idlePoll: TimeInterval = 0.25,
                    waitIfQueueHeld: Bool = false) {
            self.name = name
            self.waitIfQueueHeld = waitIfQueueHeld
            self.concurrency = concurrency
            self.lease = lease
            self.idlePoll = idlePoll
        }
    }

    public enum StartError: Error, CustomStringConvertible {
        case queueHeld(by: String)
        public var description: String {
            switch self {
            case .queueHeld(let holder):
                "Another worker (\(holder)) already holds the job queue of this SQLite database. SQLite allows one worker at a time; stop it first, or move to PostgreSQL to run several."
            }
        }
    }

    public static let queueLeaseName = "job-queue"

    let database: Database
    let handlers: [JobKind: any JobHandler]
    public let options: Options
    let logger: Logger
    let publishing: PublishingService
    private let frozenCache = NIOLockedValueBox<(frozen: Bool, at: Date)?>(nil)

    /// Runs once when the worker has the queue (the engine queues its periodic checks here).
    let onStart: @Sendable () async throws -> Void

    public init(database: Database, handlers: [any JobHandler], options: Options = Options(), logger: Logger,
                onStart: @escaping @Sendable () async throws -> Void = {}) {
        self.onStart = onStart
        self.database = database
        self.handlers = Dictionary(handlers.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.options = options
        self.logger = logger
        self.publishing = PublishingService(database: database)
    }

    public static func defaultName() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(6))"
    }

    /// Takes the SQLite queue lease (always succeeds on PostgreSQL).
    public func acquireQueue() async throws {
        guard database.kind == .sqlite else { return }
        let lease = WorkerLease(database.sql)
        guard try await lease.acquire(name: Self.queueLeaseName, owner: options.name, ttl: 30) else {
            throw StartError.queueHeld(by: try await lease.holder(name: Self.queueLeaseName) ?? "?")
        }
    }

    public func run() async throws {
        if options.waitIfQueueHeld {
            var warned = false
            while true {
                do {
                    try await acquireQueue()
                    break
                } catch let error as StartError {
                    if !warned { logger.warning("\(error.description) This server will publish once it is free.") }
                    warned = true
                    try await Task.sleep(for: .seconds(10))
                }
            }
        } else {
            try await acquireQueue()
        }
        do { try await onStart() } catch { logger.error("worker start-up step failed", metadata: ["error": "\(String(reflecting: error))"]) }
        logger.info("worker started", metadata: ["worker": "\(options.name)", "concurrency": "\(options.concurrency)"])
        try await cancelWhenGracefulShutdown {
            try await self.loop()
        }
        if database.kind == .sqlite { try? await WorkerLease(database.sql).release(name: Self.queueLeaseName, owner: options.name) }
        logger.info("worker stopped", metadata: ["worker": "\(options.name)"])
    }

    /// Claims and runs batches until cancelled. On SQLite the queue lease is
    /// renewed beside the batches, so a slow batch never lets it lapse.
    public func loop() async throws {
        let renewal = Task {
            guard database.kind == .sqlite else { return }
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(10))
                try await acquireQueue()
            }
        }
        defer { renewal.cancel() }
        let running = NIOLockedValueBox<Set<String>>([])
        let queue = JobQueue(database: database)
        // Live jobs keep their leases; a dead worker's run out and others take over.
        let heartbeat = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(options.lease / 3))
                for id in running.withLockedValue({ $0 }) { try? await queue.heartbeat(id: id, owner: options.name, lease: options.lease) }
            }
        }
        defer { heartbeat.cancel() }
        // Slots refill as soon as any job ends, so one slow platform never holds up the rest.
        await withTaskGroup(of: String?.self) { group in
            var timerPending = false
            while !Task.isCancelled {
                let inFlight = running.withLockedValue { $0.count }
                let free = options.concurrency - inFlight
                var claimed: [Job] = []
                // Claim in handfuls: a claim per finished job would cost a queue scan per job.
                if free > 0, inFlight == 0 || free >= max(1, options.concurrency / 4) {
                    do {
                        claimed = try await claim(limit: free, queue: queue)
                    } catch is CancellationError {
                        break
                    } catch {
                        logger.error("claiming jobs failed", metadata: ["error": "\(String(reflecting: error))"])
                    }
                }
                for job in claimed {
                    running.withLockedValue { _ = $0.insert(job.id) }
                    group.addTask {
                        await self.execute(job, queue: queue)
                        return job.id
                    }
                }
                // Wait for a job to end or for the next look at the queue, whichever comes first.
                if claimed.count < free || claimed.isEmpty {
                    if !timerPending {
                        timerPending = true
                        let pause = options.idlePoll
                        group.addTask {
                            try? await Task.sleep(for: .milliseconds(Int(pause * 1_000)))
                            return nil
                        }
                    }
                    guard let finished = await group.next() else { break }
                    if let id = finished { running.withLockedValue { _ = $0.remove(id) } } else { timerPending = false }
                }
            }
            group.cancelAll()
        }
    }

    /// Claims up to `limit` due jobs of the kinds this worker handles (publish jobs wait during a freeze).
    func claim(limit: Int, queue: JobQueue, now: Date = Date(), freshFreeze: Bool = false) async throws -> [Job] {
        var kinds = Array(handlers.keys)
        if try await isFrozen(fresh: freshFreeze) { kinds.removeAll { $0 == JobKind.publish } }
        return try await queue.claim(owner: options.name, limit: limit, lease: options.lease, kinds: kinds, now: now)
    }

    /// Whether publishing is frozen, read at most once a second.
    func isFrozen(fresh: Bool = false) async throws -> Bool {
        let now = Date()
        if !fresh, let cached = frozenCache.withLockedValue({ $0 }), now.timeIntervalSince(cached.at) < 1 { return cached.frozen }
        let frozen = try await publishing.freeze() != nil
        frozenCache.withLockedValue { $0 = (frozen, now) }
        return frozen
    }

    /// Claims one batch and runs it to the end. Returns how many jobs ran.
    @discardableResult
    public func runOnce(now: Date = Date()) async throws -> Int {
        let queue = JobQueue(database: database)
        let jobs = try await claim(limit: options.concurrency, queue: queue, now: now, freshFreeze: true)
        guard !jobs.isEmpty else { return 0 }
        let heartbeat = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(options.lease / 3))
                for job in jobs { try? await queue.heartbeat(id: job.id, owner: options.name, lease: options.lease) }
            }
        }
        defer { heartbeat.cancel() }
        await withTaskGroup(of: Void.self) { group in
            for job in jobs {
                group.addTask { await self.execute(job, queue: queue) }
            }
        }
        return jobs.count
    }

    func execute(_ job: Job, queue: JobQueue) async {
        guard let handler = handlers[job.kind] else {
            _ = try? await queue.fail(id: job.id, owner: options.name, error: "no handler for \(job.kind.rawValue)", retryable: false)
            return
        }
        do {
            switch try await handler.handle(job, worker: options.name) {
            case .done:
                try await queue.complete(id: job.id, owner: options.name)
            case .retry(let reason, let after):
                try await queue.fail(id: job.id, owner: options.name, error: reason, retryable: true, retryAfter: after)
            case .dead(let reason):
                try await queue.fail(id: job.id, owner: options.name, error: reason, retryable: false)
            case .postpone(let reason, let after):
                try await queue.postpone(id: job.id, owner: options.name, reason: reason, until: Date().addingTimeInterval(after))
            }
        } catch {
            logger.error("job failed", metadata: ["job": "\(job.id)", "kind": "\(job.kind.rawValue)", "error": "\(String(reflecting: error))"])
            _ = try? await queue.fail(id: job.id, owner: options.name, error: String(describing: error), retryable: true)
        }
    }
}
