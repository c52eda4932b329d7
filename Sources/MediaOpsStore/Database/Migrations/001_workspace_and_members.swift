extension Migrations {
    static let m001_workspace_and_members = Migration(version: 1, name: "workspace, members, roles, sessions, tokens", statements: [
        """
        CREATE TABLE workspace (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            time_zone TEXT NOT NULL,
            default_locale TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE users (
            id TEXT PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            sort_key TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            locale TEXT,
            active BOOLEAN NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE custom_roles (
            key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT NOT NULL,
            permissions TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE user_roles (
            user_id TEXT NOT NULL REFERENCES users(id),
            role_key TEXT NOT NULL,
            PRIMARY KEY (user_id, role_key)
        )
        """,
        "CREATE INDEX user_roles_role ON user_roles (role_key)",
        """
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users(id),
            csrf_token TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX sessions_user ON sessions (user_id)",
        """
        CREATE TABLE api_tokens (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users(id),
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            token_prefix TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            last_used_at BIGINT,
            revoked_at BIGINT
        )
        """,
        "CREATE INDEX api_tokens_user ON api_tokens (user_id)",
        """
        CREATE TABLE login_failures (
            id TEXT PRIMARY KEY,
            email TEXT NOT NULL,
            at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX login_failures_email_at ON login_failures (email, at)",
        """
        CREATE TABLE login_locks (
            email TEXT PRIMARY KEY,
            locked_until BIGINT NOT NULL
        )
        """,
    ])
}
