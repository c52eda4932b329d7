import Foundation

/// How far each running import has written, for its page's progress bar.
/// An import writes in one transaction, so nothing it writes is visible
/// before the commit: the count is kept beside it. In this process's memory
/// always (SQLite runs one process: its pages read beside the import's open
/// transaction, but its one writer is the import's until the commit), and on
/// PostgreSQL also in `metric_imports.rows_written` through another
/// connection, so a page served by another process sees it.
public final class ImportProgress: @unchecked Sendable {
    public static let shared = ImportProgress()
    private let lock = NSLock()
    private var entries: [String: (written: Int, total: Int)] = [:]

    public func report(importID: String, written: Int, total: Int) {
        lock.withLock { entries[importID] = (min(written, total), total) }
    }

    public func current(importID: String) -> (written: Int, total: Int)? {
        lock.withLock { entries[importID] }
    }

    public func finish(importID: String) {
        _ = lock.withLock { entries.removeValue(forKey: importID) }
    }
}
