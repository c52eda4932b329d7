extension Migrations {
    /// Imports of back-office export files: each upload with its file (kept
    /// until committed, so a large import can run as a job in any process),
    /// what it recognised and what committing it wrote; and the column
    /// mappings people gave unknown files, remembered by their header row.
    static let m012_metric_imports = Migration(version: 12, name: "metric imports", statements: [
        """
        CREATE TABLE metric_imports (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id),
            filename TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            byte_size BIGINT NOT NULL,
            file_format TEXT NOT NULL,
            sheet TEXT NOT NULL,
            layout TEXT,
            header_row INTEGER NOT NULL,
            columns TEXT NOT NULL,
            state TEXT NOT NULL,
            row_count INTEGER NOT NULL,
            error_count INTEGER NOT NULL,
            values_inserted INTEGER NOT NULL DEFAULT 0,
            values_changed INTEGER NOT NULL DEFAULT 0,
            values_unchanged INTEGER NOT NULL DEFAULT 0,
            posts_created INTEGER NOT NULL DEFAULT 0,
            posts_matched INTEGER NOT NULL DEFAULT 0,
            data_as_of BIGINT NOT NULL,
            failure TEXT,
            created_by TEXT REFERENCES users(id),
            created_at BIGINT NOT NULL,
            committed_at BIGINT
        )
        """,
        // The overview sums each account's metrics over a period and reads each account's last follower count:
        // ranges and seeks of this covering index, never the table.
        "CREATE INDEX account_daily_metrics_series ON account_daily_metrics (account_id, metric, day, value)",
        "CREATE INDEX metric_imports_created ON metric_imports (created_at, id)",
        "CREATE INDEX metric_imports_account_content ON metric_imports (account_id, content_sha256, state)",
        """
        CREATE TABLE metric_import_files (
            import_id TEXT PRIMARY KEY REFERENCES metric_imports(id),
            body_base64 TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE metric_import_mappings (
            header_key TEXT PRIMARY KEY,
            headers TEXT NOT NULL,
            columns TEXT NOT NULL,
            updated_by TEXT REFERENCES users(id),
            updated_at BIGINT NOT NULL
        )
        """,
    ])
}
