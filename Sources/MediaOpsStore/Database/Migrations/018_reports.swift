import Foundation
import SQLKit

extension Migrations {
    /// Reports and their schedules. A report's numbers are computed once and
    /// kept as JSON in `snapshot`, so the page shows what was reported after
    /// new data arrives. `schedule_key` ("<schedule id>:<first day>") is unique:
    /// a schedule issues a period once, whatever the number of workers; a
    /// member's report has none (NULLs never collide).
    static let m018_reports = Migration(version: 18, name: "reports", statements: [
        """
        CREATE TABLE report_schedules (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            scope_kind TEXT NOT NULL,
            scope_id TEXT,
            weekday INTEGER,
            day_of_month INTEGER,
            hour INTEGER NOT NULL,
            minute INTEGER NOT NULL,
            enabled BOOLEAN NOT NULL,
            last_period_from TEXT,
            created_by TEXT REFERENCES users(id),
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX report_schedules_created ON report_schedules (created_at, id)",
        """
        CREATE TABLE reports (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            scope_kind TEXT NOT NULL,
            scope_id TEXT,
            period_from TEXT NOT NULL,
            period_to TEXT NOT NULL,
            snapshot TEXT NOT NULL,
            summary TEXT NOT NULL,
            recommendations TEXT NOT NULL,
            issued_by TEXT REFERENCES users(id),
            schedule_id TEXT,
            schedule_key TEXT UNIQUE,
            issued_at BIGINT NOT NULL,
            regenerated_by TEXT REFERENCES users(id),
            regenerated_at BIGINT,
            summary_by TEXT REFERENCES users(id),
            summary_at BIGINT
        )
        """,
        // The history: newest first, all kinds or one.
        "CREATE INDEX reports_issued ON reports (issued_at, id)",
        "CREATE INDEX reports_kind_issued ON reports (kind, issued_at, id)",
    ])
}
