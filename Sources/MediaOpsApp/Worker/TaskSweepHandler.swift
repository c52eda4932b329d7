import Foundation
import Logging
import MediaOpsStore

/// Every minute, sends the task reminders that came due and makes the
/// instances of recurring tasks whose time has come. Like the report sweep,
/// each one-minute slot's job has its own idempotency key, so several workers
/// queue one; and each reminder and occurrence is claimed once in the store,
/// so a sweep run twice changes nothing the second time.
struct TaskSweepHandler: JobHandler {
    let tasks: TaskService
    let logger: Logger
    var kind: JobKind { JobKind.taskSweep }
    static let interval: TimeInterval = 60

    static func enqueue(database: Database, at date: Date) async throws {
        let bucket = Int(date.timeIntervalSince1970 / interval)
        try await JobQueue(database: database).enqueue(kind: JobKind.taskSweep, payload: String(bucket), runAt: date,
                                                       idempotencyKey: "task-sweep:\(bucket)", maxAttempts: 3)
    }

    func handle(_ job: Job, worker: String) async throws -> JobResult {
        do {
            let summary = try await tasks.sweep()
            if summary != TaskSweepSummary() {
                logger.info("task sweep", metadata: ["due_soon": "\(summary.dueSoon)", "overdue": "\(summary.overdue)", "created": "\(summary.created)"])
            }
        } catch {
            // One bad task must not stop the next sweep.
            logger.error("task sweep failed", metadata: ["error": "\(String(reflecting: error))"])
        }
        let next = (Double(Int(Date().timeIntervalSince1970 / Self.interval)) + 1) * Self.interval
        try await Self.enqueue(database: tasks.database, at: Date(timeIntervalSince1970: next))
        return .done
    }
}
