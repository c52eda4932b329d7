extension Migrations {
    static let m004_asset_library = Migration(version: 4, name: "asset library", statements: [
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
    ])
}
