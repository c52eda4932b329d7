extension Migrations {
    static let m007_publishing_engine = Migration(version: 7, name: "publishing engine: attempts, tokens, freeze, notification channels", statements: [
        "ALTER TABLE publish_targets ADD COLUMN remote_id TEXT",
        "ALTER TABLE publish_targets ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE publish_targets ADD COLUMN mode TEXT NOT NULL DEFAULT 'api'",
        "ALTER TABLE publish_targets ADD COLUMN published_at BIGINT",
        "ALTER TABLE publish_targets ADD COLUMN unconfirmed_since BIGINT",
        "ALTER TABLE publish_targets ADD COLUMN reminded_at BIGINT",
        "CREATE INDEX publish_targets_remote ON publish_targets (platform, remote_id)",
        """
        CREATE TABLE publish_attempts (
            id TEXT PRIMARY KEY,
            target_id TEXT NOT NULL REFERENCES publish_targets(id),
            kind TEXT NOT NULL,
            worker TEXT,
            started_at BIGINT NOT NULL,
            finished_at BIGINT,
            outcome TEXT,
            detail TEXT,
            exchanges TEXT NOT NULL
        )
        """,
        "CREATE INDEX publish_attempts_target ON publish_attempts (target_id, started_at)",
        """
        CREATE TABLE platform_tokens (
            account_id TEXT PRIMARY KEY REFERENCES accounts(id),
            sealed TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "ALTER TABLE accounts ADD COLUMN token_expires_at BIGINT",
        """
        CREATE TABLE publishing_freeze (
            id INTEGER PRIMARY KEY,
            reason TEXT NOT NULL,
            by_id TEXT,
            by_name TEXT NOT NULL,
            since BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE notification_channels (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            url TEXT NOT NULL,
            sealed_secret TEXT,
            events TEXT NOT NULL,
            active BOOLEAN NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE notification_deliveries (
            id TEXT PRIMARY KEY,
            channel_id TEXT NOT NULL REFERENCES notification_channels(id),
            event TEXT NOT NULL,
            payload TEXT NOT NULL,
            state TEXT NOT NULL,
            status INTEGER,
            detail TEXT,
            attempts INTEGER NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX notification_deliveries_channel ON notification_deliveries (channel_id, created_at)",
        // Claims read due jobs in (run_at, id) order straight off an index instead of sorting
        // every due row; expired leases have their own index.
        "DROP INDEX jobs_due",
        "CREATE INDEX jobs_claim ON jobs (state, run_at, id)",
        "CREATE INDEX jobs_lease ON jobs (state, lease_expires_at)",
        // Announcements made once per key (a token warning per account and day).
        "CREATE TABLE announcements (key TEXT PRIMARY KEY, created_at BIGINT NOT NULL)",
    ])
}
