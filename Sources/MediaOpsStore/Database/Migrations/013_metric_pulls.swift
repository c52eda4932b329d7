extension Migrations {
    /// Pull status per account: when MediaOps last asked the platform, when it
    /// last got numbers, the last error as a code with the platform's words,
    /// and the metrics the last pull could not fill (JSON list), so a renamed
    /// metric shows on its own instead of failing the account.
    static let m013_metric_pulls = Migration(version: 13, name: "metric pulls", statements: [
        """
        CREATE TABLE metric_pull_status (
            account_id TEXT PRIMARY KEY REFERENCES accounts(id),
            last_attempt_at BIGINT NOT NULL,
            last_success_at BIGINT,
            last_error_code TEXT,
            last_error_detail TEXT,
            last_error_at BIGINT,
            metric_failures TEXT NOT NULL,
            offline_endpoints TEXT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
    ])
}
