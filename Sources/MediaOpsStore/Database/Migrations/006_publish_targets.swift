extension Migrations {
    static let m006_publish_targets = Migration(version: 6, name: "publish targets", statements: [
        """
        CREATE TABLE publish_targets (
            id TEXT PRIMARY KEY,
            content_id TEXT NOT NULL REFERENCES content_items(id),
            account_id TEXT NOT NULL REFERENCES accounts(id),
            platform TEXT NOT NULL,
            due_at BIGINT NOT NULL,
            state TEXT NOT NULL,
            external_id TEXT,
            external_url TEXT,
            failure_reason TEXT,
            job_id TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX publish_targets_content ON publish_targets (content_id)",
        "CREATE INDEX publish_targets_due ON publish_targets (state, due_at)",
    ])
}
