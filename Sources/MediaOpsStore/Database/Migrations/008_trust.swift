extension Migrations {
    static let m008_trust = Migration(version: 8, name: "trust: atomic login throttle, token expiry, sealed robot addresses", statements: [
        // One row per e-mail counted by a single upsert (see LoginThrottle); replaces
        // the failure log, whose check-then-count lost to concurrent guesses.
        """
        CREATE TABLE login_attempts (
            email TEXT PRIMARY KEY,
            window_start BIGINT NOT NULL,
            attempts INTEGER NOT NULL,
            locked_until BIGINT
        )
        """,
        "DROP TABLE login_failures",
        "DROP TABLE login_locks",
        "ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT",
        // Robot and webhook addresses carry their keys (WeCom ?key=, DingTalk access_token,
        // Feishu hook id): the whole address is sealed like other secrets; `url` keeps a
        // display form with the key masked.
        "ALTER TABLE notification_channels ADD COLUMN sealed_url TEXT",
    ])
}
