extension Migrations {
    /// A post's snapshot becomes one row per capture, its values together in
    /// one column (a JSON object of canonical key → number), instead of one
    /// row per metric. A capture always comes whole from one pull or one file,
    /// so its provenance is the row's; a file of 100,000 posts writes 100,000
    /// snapshot rows instead of 800,000, which is what lets an import run near
    /// the speed of a plain bulk load. Replaced values still go to
    /// `metric_changes` one metric at a time.
    static let m015_post_snapshot_rows = Migration(version: 15, name: "post snapshot rows", statements: [
        """
        CREATE TABLE post_snapshots (
            post_id TEXT NOT NULL REFERENCES analytics_posts(id),
            captured_at BIGINT NOT NULL,
            hours_since_publish DOUBLE PRECISION,
            metric_values TEXT NOT NULL,
            source TEXT NOT NULL,
            import_id TEXT,
            payload_id TEXT REFERENCES metric_payloads(id),
            entered_by TEXT,
            PRIMARY KEY (post_id, captured_at)
        )
        """,
    ], sqliteOnly: [
        """
        INSERT INTO post_snapshots (post_id, captured_at, hours_since_publish, metric_values, source, import_id, payload_id, entered_by)
        SELECT post_id, captured_at, MAX(hours_since_publish), json_group_object(metric, value), MAX(source), MAX(import_id), MAX(payload_id), MAX(entered_by)
        FROM post_metric_snapshots GROUP BY post_id, captured_at
        """,
        "DROP TABLE post_metric_snapshots",
    ], postgresOnly: [
        """
        INSERT INTO post_snapshots (post_id, captured_at, hours_since_publish, metric_values, source, import_id, payload_id, entered_by)
        SELECT post_id, captured_at, MAX(hours_since_publish), json_object_agg(metric, value)::text, MAX(source), MAX(import_id), MAX(payload_id), MAX(entered_by)
        FROM post_metric_snapshots GROUP BY post_id, captured_at
        """,
        "DROP TABLE post_metric_snapshots",
    ])
}
