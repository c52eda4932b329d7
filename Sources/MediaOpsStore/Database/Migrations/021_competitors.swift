import Foundation
import SQLKit

extension Migrations {
    /// Competitor accounts the analysts follow and their public numbers by
    /// day. A metric nobody recorded is NULL (absent, never zero); numbers are
    /// DOUBLE PRECISION like the metric store's, days `YYYY-MM-DD` in the
    /// workspace zone, instants UTC epoch milliseconds.
    static let m021_competitors = Migration(version: 21, name: "competitors", statements: [
        """
        CREATE TABLE competitors (
            id TEXT PRIMARY KEY,
            platform TEXT NOT NULL,
            name TEXT NOT NULL,
            handle TEXT NOT NULL,
            handle_key TEXT NOT NULL,
            url TEXT,
            group_label TEXT NOT NULL,
            notes TEXT NOT NULL,
            created_by TEXT REFERENCES users(id),
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        // One competitor per handle and platform, whatever the case of its letters.
        "CREATE UNIQUE INDEX competitors_platform_handle ON competitors (platform, handle_key)",
        """
        CREATE TABLE competitor_days (
            competitor_id TEXT NOT NULL REFERENCES competitors(id),
            day TEXT NOT NULL,
            followers DOUBLE PRECISION,
            posts DOUBLE PRECISION,
            avg_likes DOUBLE PRECISION,
            avg_comments DOUBLE PRECISION,
            avg_reads DOUBLE PRECISION,
            source TEXT NOT NULL,
            entered_by TEXT REFERENCES users(id),
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (competitor_id, day)
        )
        """,
    ])
}
