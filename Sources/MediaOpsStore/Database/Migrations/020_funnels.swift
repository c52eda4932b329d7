import Foundation
import SQLKit

extension Migrations {
    /// Funnels, their stages (by position, 1-based) and the events imported
    /// for stages fed by files of leads or orders. An event is kept once per
    /// funnel stage and fingerprint, so importing the same file again adds nothing.
    static let m020_funnels = Migration(version: 20, name: "funnels", statements: [
        """
        CREATE TABLE funnels (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT NOT NULL,
            scope_kind TEXT NOT NULL,
            scope_id TEXT,
            created_by TEXT REFERENCES users(id),
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX funnels_created ON funnels (created_at, id)",
        """
        CREATE TABLE funnel_stages (
            funnel_id TEXT NOT NULL REFERENCES funnels(id),
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            source TEXT NOT NULL,
            PRIMARY KEY (funnel_id, position)
        )
        """,
        """
        CREATE TABLE funnel_events (
            id TEXT PRIMARY KEY,
            funnel_id TEXT NOT NULL REFERENCES funnels(id),
            position INTEGER NOT NULL,
            day TEXT NOT NULL,
            account_id TEXT REFERENCES accounts(id),
            campaign TEXT NOT NULL,
            amount_fen DOUBLE PRECISION,
            fingerprint TEXT NOT NULL,
            imported_by TEXT REFERENCES users(id),
            imported_at BIGINT NOT NULL
        )
        """,
        "CREATE UNIQUE INDEX funnel_events_fingerprint ON funnel_events (funnel_id, position, fingerprint)",
        // A stage's counts over a period, by day or by account.
        "CREATE INDEX funnel_events_stage_day ON funnel_events (funnel_id, position, day)",
    ])
}
