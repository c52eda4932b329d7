import Foundation
import Logging
import SQLKit

/// The ordered ledger of schema changes. Never edit a shipped migration: add the
/// next number. Statements use only types both databases read the same way:
/// TEXT, BIGINT (instants as UTC epoch milliseconds), INTEGER, BOOLEAN.
public enum Migrations {
    public struct Migration: Sendable {
        public let version: Int
        public let name: String
        public let statements: [String]
        /// Dialect-specific statements, run after the shared ones.
        public var sqliteOnly: [String] = []
        public var postgresOnly: [String] = []
        /// PostgreSQL statements that may fail without harm (an extension the
        /// database user may not create); each runs behind a savepoint.
        public var postgresOptional: [String] = []
    }

    public static let all: [Migration] = [
        Migration(version: 1, name: "workspace, members, roles, sessions, tokens", statements: [
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
        ]),
        Migration(version: 2, name: "account matrix and audit log", statements: [
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
        ]),
        Migration(version: 3, name: "content: topics, items, variants, versions, review, word lists, notifications", statements: [
            """
            CREATE TABLE topics (
                id TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                source TEXT NOT NULL,
                category TEXT NOT NULL,
                priority INTEGER NOT NULL,
                owner_id TEXT REFERENCES users(id),
                notes TEXT NOT NULL,
                status TEXT NOT NULL,
                content_id TEXT,
                created_by TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX topics_status ON topics (status, priority)",
            "CREATE TABLE topic_groups (topic_id TEXT NOT NULL REFERENCES topics(id), group_id TEXT NOT NULL, PRIMARY KEY (topic_id, group_id))",
            "CREATE TABLE topic_votes (topic_id TEXT NOT NULL REFERENCES topics(id), user_id TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (topic_id, user_id))",
            """
            CREATE TABLE topic_comments (
                id TEXT PRIMARY KEY,
                topic_id TEXT NOT NULL REFERENCES topics(id),
                author_id TEXT,
                author_name TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX topic_comments_topic ON topic_comments (topic_id, created_at)",
            """
            CREATE TABLE content_items (
                id TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                summary TEXT NOT NULL,
                tags TEXT NOT NULL,
                category TEXT NOT NULL,
                cover_asset_id TEXT,
                state TEXT NOT NULL,
                owner_id TEXT REFERENCES users(id),
                group_id TEXT,
                topic_id TEXT,
                planned_at BIGINT,
                version INTEGER NOT NULL,
                review_stage INTEGER NOT NULL,
                is_template BOOLEAN NOT NULL,
                search_text TEXT NOT NULL,
                created_by TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX content_items_planned ON content_items (planned_at)",
            "CREATE INDEX content_items_state ON content_items (state, updated_at)",
            """
            CREATE TABLE content_variants (
                id TEXT PRIMARY KEY,
                content_id TEXT NOT NULL REFERENCES content_items(id),
                platform TEXT NOT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                tags TEXT NOT NULL,
                link TEXT NOT NULL,
                media TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                UNIQUE (content_id, platform)
            )
            """,
            """
            CREATE TABLE content_versions (
                id TEXT PRIMARY KEY,
                content_id TEXT NOT NULL REFERENCES content_items(id),
                version INTEGER NOT NULL,
                snapshot TEXT NOT NULL,
                author_id TEXT,
                author_name TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                UNIQUE (content_id, version)
            )
            """,
            "CREATE TABLE review_flows (group_key TEXT PRIMARY KEY, stages TEXT NOT NULL, updated_at BIGINT NOT NULL)",
            """
            CREATE TABLE review_events (
                id TEXT PRIMARY KEY,
                content_id TEXT NOT NULL REFERENCES content_items(id),
                version INTEGER NOT NULL,
                stage INTEGER NOT NULL,
                member_id TEXT,
                member_name TEXT NOT NULL,
                action TEXT NOT NULL,
                comment TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX review_events_content ON review_events (content_id, created_at)",
            """
            CREATE TABLE review_comments (
                id TEXT PRIMARY KEY,
                content_id TEXT NOT NULL REFERENCES content_items(id),
                author_id TEXT,
                author_name TEXT NOT NULL,
                body TEXT NOT NULL,
                anchor TEXT NOT NULL,
                range_start INTEGER,
                range_end INTEGER,
                quote TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX review_comments_content ON review_comments (content_id, created_at)",
            """
            CREATE TABLE notifications (
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users(id),
                kind TEXT NOT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                link TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                read_at BIGINT
            )
            """,
            "CREATE INDEX notifications_user ON notifications (user_id, read_at, created_at)",
            """
            CREATE TABLE word_lists (
                id TEXT PRIMARY KEY,
                category TEXT NOT NULL,
                term TEXT NOT NULL,
                severity TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                UNIQUE (category, term)
            )
            """,
            """
            CREATE TABLE compliance_overrides (
                id TEXT PRIMARY KEY,
                content_id TEXT NOT NULL REFERENCES content_items(id),
                version INTEGER NOT NULL,
                member_id TEXT,
                member_name TEXT NOT NULL,
                reason TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "ALTER TABLE accounts ADD COLUMN best_time TEXT",
            "CREATE TABLE calendar_feeds (user_id TEXT PRIMARY KEY REFERENCES users(id), token_hash TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL)",
        ], sqliteOnly: [
            // Trigram full-text index: substring search that works for Chinese (3+ characters).
            "CREATE VIRTUAL TABLE content_fts USING fts5(content_id UNINDEXED, text, tokenize='trigram')",
        ], postgresOptional: [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "CREATE INDEX content_items_search_trgm ON content_items USING gin (LOWER(search_text) gin_trgm_ops)",
        ]),
        Migration(version: 4, name: "asset library", statements: [
            // One row per distinct file: sha256 is both the dedupe rule and the storage key.
            """
            CREATE TABLE assets (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                sort_key TEXT NOT NULL,
                kind TEXT NOT NULL,
                format TEXT NOT NULL,
                mime_type TEXT NOT NULL,
                byte_size BIGINT NOT NULL,
                sha256 TEXT NOT NULL UNIQUE,
                width INTEGER,
                height INTEGER,
                folder TEXT NOT NULL,
                tags TEXT NOT NULL,
                licence_expires_on TEXT,
                rights_note TEXT NOT NULL,
                uploaded_by TEXT REFERENCES users(id),
                uploaded_by_name TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX assets_folder ON assets (folder)",
            "CREATE INDEX assets_kind_created ON assets (kind, created_at)",
            "CREATE INDEX assets_created ON assets (created_at)",
            // YYYY-MM-DD text: text order is date order on both databases.
            "CREATE INDEX assets_licence ON assets (licence_expires_on)",
            "CREATE TABLE asset_tags (asset_id TEXT NOT NULL REFERENCES assets(id), tag TEXT NOT NULL, PRIMARY KEY (asset_id, tag))",
            "CREATE INDEX asset_tags_tag ON asset_tags (tag)",
            "CREATE INDEX content_items_cover ON content_items (cover_asset_id)",
        ]),
        Migration(version: 5, name: "durable job queue", statements: [
            """
            CREATE TABLE jobs (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL,
                idempotency_key TEXT UNIQUE,
                state TEXT NOT NULL,
                run_at BIGINT NOT NULL,
                attempts INTEGER NOT NULL,
                max_attempts INTEGER NOT NULL,
                lease_owner TEXT,
                lease_expires_at BIGINT,
                last_error TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX jobs_due ON jobs (state, run_at)",
            "CREATE TABLE worker_leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at BIGINT NOT NULL)",
        ]),
        Migration(version: 6, name: "publish targets", statements: [
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
        ]),
        Migration(version: 7, name: "publishing engine: attempts, tokens, freeze, notification channels", statements: [
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
        ]),
        Migration(version: 8, name: "trust: atomic login throttle, token expiry, sealed robot addresses", statements: [
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
        ]),
    ]

    /// Applies every migration not yet in `schema_migrations`, each in its own
    /// transaction. On PostgreSQL an advisory lock keeps two starting processes
    /// from migrating at once.
    @discardableResult
    public static func run(on database: Database, logger: Logger) async throws -> [Int] {
        try await database.sql.raw("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at BIGINT NOT NULL
            )
            """).run()
        if database.kind == .postgresql {
            return try await database.withConnection { connection in
                try await connection.raw("SELECT pg_advisory_lock(72616601)").run()
                do {
                    let applied = try await applyPending(connection: connection, logger: logger)
                    try await connection.raw("SELECT pg_advisory_unlock(72616601)").run()
                    return applied
                } catch {
                    try? await connection.raw("SELECT pg_advisory_unlock(72616601)").run()
                    throw error
                }
            }
        }
        return try await database.withConnection { connection in
            try await applyPending(connection: connection, logger: logger)
        }
    }

    private static func applyPending(connection: any SQLDatabase, logger: Logger) async throws -> [Int] {
        let done = Set(try await connection.raw("SELECT version FROM schema_migrations").all().map { try $0.decode(column: "version", as: Int.self) })
        var applied: [Int] = []
        for migration in all where !done.contains(migration.version) {
            try await connection.raw(SQLQueryString(connection.dialect.name == "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN")).run()
            do {
                let isSQLite = connection.dialect.name == "sqlite"
                for statement in migration.statements + (isSQLite ? migration.sqliteOnly : migration.postgresOnly) {
                    try await connection.raw(SQLQueryString(statement)).run()
                }
                if !isSQLite {
                    for (index, statement) in migration.postgresOptional.enumerated() {
                        let savepoint = "optional_" + String(index)
                        try await connection.raw(SQLQueryString("SAVEPOINT " + savepoint)).run()
                        do {
                            try await connection.raw(SQLQueryString(statement)).run()
                            try await connection.raw(SQLQueryString("RELEASE SAVEPOINT " + savepoint)).run()
                        } catch {
                            try await connection.raw(SQLQueryString("ROLLBACK TO SAVEPOINT " + savepoint)).run()
                            logger.warning("optional migration step skipped", metadata: ["statement": "\(statement)", "error": "\(String(reflecting: error))"])
                        }
                    }
                }
                try await connection.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Date().epochMilliseconds))").run()
                try await connection.raw("COMMIT").run()
            } catch {
                try? await connection.raw("ROLLBACK").run()
                throw error
            }
            logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            applied.append(migration.version)
        }
        return applied
    }
}
