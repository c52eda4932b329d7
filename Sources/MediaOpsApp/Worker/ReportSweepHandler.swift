import Foundation
import Logging
import MediaOpsStore

/// Every five minutes, issues the scheduled reports that are due (周报 on
/// Monday at 09:00 goes out by 09:05). The job of each five-minute slot has its
/// own idempotency key, so several workers queue one; a report is issued once
/// per period however many sweeps see it due (see `ReportService.issueDue`).
struct ReportSweepHandler: JobHandler {
    let reports: ReportService
    let logger: Logger
    var kind: JobKind { JobKind.reportSweep }
    static let interval: TimeInterval = 300

    static func enqueue(database: Database, at date: Date) async throws {
        let bucket = Int(date.timeIntervalSince1970 / interval)
        try await JobQueue(database: database).enqueue(kind: JobKind.reportSweep, payload: String(bucket), runAt: date,
                                                       idempotencyKey: "report-sweep:\(bucket)", maxAttempts: 3)
    }

    func handle(_ job: Job, worker: String) async throws -> JobResult {
        do {
            try await reports.issueDue()
        } catch {
            // One bad schedule must not stop the next sweep.
            logger.error("issuing scheduled reports failed", metadata: ["error": "\(String(reflecting: error))"])
        }
        let next = (Double(Int(Date().timeIntervalSince1970 / Self.interval)) + 1) * Self.interval
        try await Self.enqueue(database: reports.database, at: Date(timeIntervalSince1970: next))
        return .done
    }
}
