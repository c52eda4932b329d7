import Foundation
import MediaOpsStore

/// How a job handler finished with one job.
public enum JobResult: Sendable, Equatable {
    case done
    /// Try again after the backoff (or `after` seconds if longer), until attempts run out.
    case retry(reason: String, after: TimeInterval?)
    /// Give up: the job goes to the dead letters with the reason.
    case dead(reason: String)
    /// Not yet (e.g. the item waits to be approved again): look again after
    /// `after` seconds without spending an attempt.
    case postpone(reason: String, after: TimeInterval)
}

/// Carries out one kind of job. The worker claims, heartbeats and records the
/// result; handlers only do the work.
public protocol JobHandler: Sendable {
    var kind: JobKind { get }
    func handle(_ job: Job, worker: String) async throws -> JobResult
}
