extension Migrations {
    static let m002_accounts_and_audit = Migration(version: 2, name: "account matrix and audit log", statements: [
        """
        CREATE TABLE account_groups (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            description TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE accounts (
            id TEXT PRIMARY KEY,
            platform TEXT NOT NULL,
            name TEXT NOT NULL,
            handle TEXT NOT NULL,
            sort_key TEXT NOT NULL,
            kind TEXT,
            fields TEXT NOT NULL,
            owner_id TEXT REFERENCES users(id),
            state TEXT NOT NULL,
            credentials TEXT,
            credential_keys TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX accounts_platform ON accounts (platform, handle)",
        """
        CREATE TABLE account_group_links (
            account_id TEXT NOT NULL REFERENCES accounts(id),
            group_id TEXT NOT NULL REFERENCES account_groups(id),
            PRIMARY KEY (account_id, group_id)
        )
        """,
        "CREATE INDEX account_group_links_group ON account_group_links (group_id)",
        """
        CREATE TABLE audit_log (
            id TEXT PRIMARY KEY,
            at BIGINT NOT NULL,
            actor_id TEXT,
            actor_name TEXT NOT NULL,
            action TEXT NOT NULL,
            entity_type TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            summary TEXT NOT NULL,
            changes TEXT NOT NULL
        )
        """,
        "CREATE INDEX audit_log_at ON audit_log (at)",
        "CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id)",
    ])
}
