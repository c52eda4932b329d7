extension Migrations {
    /// List pages stay fast on a large library: every list order has an index
    /// that ends in the row id (the tie-breaker), and the library's tag counts
    /// are kept in a table instead of being counted from every row's tags.
    static let m009_list_performance = Migration(version: 9, name: "list performance: order indexes, library tag and state counts", statements: [
        "CREATE INDEX content_items_updated ON content_items (updated_at, id)",
        "CREATE INDEX content_items_created ON content_items (created_at, id)",
        "CREATE INDEX content_items_title ON content_items (title, id)",
        "CREATE INDEX content_items_planned_id ON content_items (planned_at, id)",
        "DROP INDEX content_items_planned",
        "CREATE INDEX content_items_owner ON content_items (owner_id, updated_at)",
        "CREATE INDEX content_items_group ON content_items (group_id, updated_at)",
        // The review queue reads its light rows (stage, group) from the index alone.
        "CREATE INDEX content_items_review_queue ON content_items (state, updated_at, id, review_stage, group_id)",
        "CREATE INDEX audit_log_at_id ON audit_log (at, id)",
        "CREATE INDEX publish_targets_updated ON publish_targets (updated_at, id)",
        // The queue's shelves: failed and unconfirmed newest first, published by publish time, assisted by due time.
        "CREATE INDEX publish_targets_state_updated ON publish_targets (state, updated_at)",
        "CREATE INDEX publish_targets_state_published ON publish_targets (state, published_at)",
        "CREATE INDEX publish_targets_mode ON publish_targets (mode, state, due_at)",
        "CREATE TABLE library_tag_counts (tag TEXT PRIMARY KEY, items INTEGER NOT NULL)",
        "CREATE TABLE content_state_counts (state TEXT PRIMARY KEY, items INTEGER NOT NULL)",
    ], data: { db in try await ContentRepository.recountDerivedCounts(on: db) })
}
