import Foundation
import SQLKit

extension Migrations {
    /// The knowledge base (经验沉淀) with its versions and links to other
    /// rooms' things, members' training records, and the workspace's own
    /// assessment standards per position. Tags and platforms are stored as
    /// "\u{1F}a\u{1F}b\u{1F}" like content tags, so one LIKE finds a whole one;
    /// days are `YYYY-MM-DD` in the workspace zone, instants UTC epoch milliseconds.
    static let m024_knowledge = Migration(version: 24, name: "knowledge", statements: [
        """
        CREATE TABLE knowledge_entries (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            tags TEXT NOT NULL,
            platforms TEXT NOT NULL,
            author_id TEXT REFERENCES users(id),
            version INTEGER NOT NULL,
            search_text TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX knowledge_entries_updated ON knowledge_entries (updated_at)",
        """
        CREATE TABLE knowledge_revisions (
            entry_id TEXT NOT NULL REFERENCES knowledge_entries(id),
            version INTEGER NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            tags TEXT NOT NULL,
            platforms TEXT NOT NULL,
            editor_id TEXT,
            editor_name TEXT NOT NULL,
            changed_fields TEXT NOT NULL,
            saved_at BIGINT NOT NULL,
            PRIMARY KEY (entry_id, version)
        )
        """,
        """
        CREATE TABLE knowledge_links (
            entry_id TEXT NOT NULL REFERENCES knowledge_entries(id),
            kind TEXT NOT NULL,
            target_id TEXT NOT NULL,
            created_by TEXT,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (entry_id, kind, target_id)
        )
        """,
        // A content item's page asks for the entries linked to it.
        "CREATE INDEX knowledge_links_target ON knowledge_links (kind, target_id)",
        """
        CREATE TABLE training_records (
            id TEXT PRIMARY KEY,
            member_id TEXT NOT NULL REFERENCES users(id),
            course TEXT NOT NULL,
            provider TEXT NOT NULL,
            day TEXT NOT NULL,
            hours DOUBLE PRECISION NOT NULL,
            result TEXT NOT NULL,
            score DOUBLE PRECISION,
            notes TEXT NOT NULL,
            certificate_asset_id TEXT,
            recorded_by TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX training_records_member ON training_records (member_id, day)",
        "CREATE INDEX training_records_day ON training_records (day)",
        """
        CREATE TABLE assessment_standards (
            role_key TEXT PRIMARY KEY,
            criteria TEXT NOT NULL,
            updated_by TEXT,
            updated_at BIGINT NOT NULL
        )
        """,
    ], sqliteOnly: [
        // The content library's search, over entries: trigram FTS5 for three or more characters.
        "CREATE VIRTUAL TABLE knowledge_fts USING fts5(entry_id UNINDEXED, text, tokenize='trigram')",
    ], postgresOptional: [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX knowledge_entries_search_trgm ON knowledge_entries USING gin (LOWER(search_text) gin_trgm_ops)",
    ])
}
