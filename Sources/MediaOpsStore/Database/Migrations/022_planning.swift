import Foundation
import SQLKit

extension Migrations {
    /// Goals with their stages and covered accounts, saved plan versions,
    /// the workspace's planner parameter overrides and its edited position
    /// profiles. Targets are DOUBLE PRECISION like the metric store's numbers,
    /// days `YYYY-MM-DD` in the workspace zone, instants UTC epoch milliseconds.
    /// A plan version keeps its input and result as JSON: it is a snapshot that
    /// must read back exactly as it was computed, whatever the model becomes.
    static let m022_planning = Migration(version: 22, name: "planning", statements: [
        """
        CREATE TABLE goals (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            metric TEXT NOT NULL,
            target DOUBLE PRECISION NOT NULL,
            start_day TEXT NOT NULL,
            deadline TEXT NOT NULL,
            notes TEXT NOT NULL,
            created_by TEXT REFERENCES users(id),
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE goal_stages (
            goal_id TEXT NOT NULL REFERENCES goals(id),
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            months INTEGER NOT NULL,
            target DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (goal_id, position)
        )
        """,
        """
        CREATE TABLE goal_scope (
            goal_id TEXT NOT NULL REFERENCES goals(id),
            kind TEXT NOT NULL,
            ref_id TEXT NOT NULL,
            PRIMARY KEY (goal_id, kind, ref_id)
        )
        """,
        """
        CREATE TABLE plan_versions (
            id TEXT PRIMARY KEY,
            goal_id TEXT NOT NULL REFERENCES goals(id),
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            input_json TEXT NOT NULL,
            result_json TEXT NOT NULL,
            created_by TEXT REFERENCES users(id),
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX plan_versions_goal ON plan_versions (goal_id, created_at)",
        """
        CREATE TABLE planner_parameters (
            key TEXT PRIMARY KEY,
            value DOUBLE PRECISION NOT NULL,
            updated_by TEXT REFERENCES users(id),
            updated_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE position_profiles (
            role_key TEXT PRIMARY KEY,
            duties TEXT NOT NULL,
            requirements TEXT NOT NULL,
            kpis TEXT NOT NULL,
            works_with TEXT NOT NULL,
            updated_by TEXT REFERENCES users(id),
            updated_at BIGINT NOT NULL
        )
        """,
    ])
}
