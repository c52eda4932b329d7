extension Migrations {
    /// The metric store: every number analytics ever saw, with where and when
    /// it came from. Values replaced by a later pull or file are kept in
    /// `metric_changes`, so no number silently disappears.
    static let m011_metric_store = Migration(version: 11, name: "metric store", statements: [
        """
        CREATE TABLE analytics_posts (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id),
            platform_post_id TEXT NOT NULL,
            target_id TEXT REFERENCES publish_targets(id),
            title TEXT NOT NULL,
            url TEXT,
            published_at BIGINT,
            origin TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            UNIQUE (account_id, platform_post_id)
        )
        """,
        "CREATE INDEX analytics_posts_account_published ON analytics_posts (account_id, published_at, id)",
        "CREATE INDEX analytics_posts_target ON analytics_posts (target_id)",
        """
        CREATE TABLE metric_payloads (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id),
            endpoint TEXT NOT NULL,
            body TEXT NOT NULL,
            fetched_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE account_daily_metrics (
            account_id TEXT NOT NULL REFERENCES accounts(id),
            day TEXT NOT NULL,
            metric TEXT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            source TEXT NOT NULL,
            import_id TEXT,
            payload_id TEXT REFERENCES metric_payloads(id),
            entered_by TEXT,
            captured_at BIGINT NOT NULL,
            PRIMARY KEY (account_id, day, metric)
        )
        """,
        """
        CREATE TABLE post_metric_snapshots (
            post_id TEXT NOT NULL REFERENCES analytics_posts(id),
            captured_at BIGINT NOT NULL,
            hours_since_publish DOUBLE PRECISION,
            metric TEXT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            source TEXT NOT NULL,
            import_id TEXT,
            payload_id TEXT REFERENCES metric_payloads(id),
            entered_by TEXT,
            PRIMARY KEY (post_id, captured_at, metric)
        )
        """,
        """
        CREATE TABLE metric_changes (
            id TEXT PRIMARY KEY,
            subject TEXT NOT NULL,
            subject_id TEXT NOT NULL,
            moment TEXT NOT NULL,
            metric TEXT NOT NULL,
            old_value DOUBLE PRECISION NOT NULL,
            new_value DOUBLE PRECISION NOT NULL,
            old_source TEXT NOT NULL,
            new_source TEXT NOT NULL,
            changed_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX metric_changes_subject ON metric_changes (subject, subject_id, moment, changed_at)",
    ])
}
