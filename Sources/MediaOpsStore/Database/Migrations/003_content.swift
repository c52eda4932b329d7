extension Migrations {
    static let m003_content = Migration(version: 3, name: "content: topics, items, variants, versions, review, word lists, notifications", statements: [
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
    ])
}
