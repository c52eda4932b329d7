import Foundation
import MediaOpsStore

/// Commits one large export-file import (`metric_import`). The write is one
/// transaction, so a worker that dies mid-way leaves nothing, and the job is
/// taken over and runs it again; an import already committed is left alone.
public struct MetricImportJobHandler: JobHandler {
    public let kind = JobKind.metricImport
    let imports: ImportService

    public init(imports: ImportService) { self.imports = imports }

    public func handle(_ job: Job, worker: String) async throws -> JobResult {
        do {
            guard let record = try await imports.runQueued(id: job.payload) else { return .dead(reason: "import_not_found") }
            return record.state == .committed ? .done : .dead(reason: record.failure ?? "import_write_failed")
        } catch {
            // The import has recorded why and told the uploader; retrying a refused batch cannot help.
            return .dead(reason: String(describing: error).prefix(200).description)
        }
    }
}
