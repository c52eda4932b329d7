extension Migrations {
    /// Only posts MediaOps published have a publish target; the rest (every
    /// post a pull or a file brings) kept a NULL entry each in the target
    /// index, one more index write per imported post for nothing.
    static let m016_posts_target_partial = Migration(version: 16, name: "posts target index partial", statements: [
        "DROP INDEX analytics_posts_target",
        "CREATE INDEX analytics_posts_target ON analytics_posts (target_id) WHERE target_id IS NOT NULL",
    ])
}
