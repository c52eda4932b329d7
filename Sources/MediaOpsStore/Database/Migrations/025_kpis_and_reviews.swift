import Foundation
import MediaOpsDomain
import SQLKit

extension Migrations {
    /// Who manages whom (one manager per member), KPI definitions with their
    /// targets, and performance reviews with their history. A review keeps its
    /// scorecard as JSON once finalized, so its numbers never change afterwards.
    /// The built-in KPIs are written here, so every workspace, old or new, has them.
    static let m025_kpis_and_reviews = Migration(version: 25, name: "reporting lines, KPIs, performance reviews", statements: [
        """
        CREATE TABLE reporting_lines (
            member_id TEXT PRIMARY KEY REFERENCES users(id),
            manager_id TEXT NOT NULL REFERENCES users(id),
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX reporting_lines_manager ON reporting_lines (manager_id)",
        """
        CREATE TABLE kpi_definitions (
            id TEXT PRIMARY KEY,
            name TEXT,
            source TEXT NOT NULL,
            parameters TEXT NOT NULL,
            direction TEXT NOT NULL,
            role_key TEXT,
            weight INTEGER NOT NULL,
            active BOOLEAN NOT NULL,
            builtin BOOLEAN NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE kpi_targets (
            id TEXT PRIMARY KEY,
            kpi_id TEXT NOT NULL REFERENCES kpi_definitions(id),
            period_kind TEXT NOT NULL,
            scope_kind TEXT NOT NULL,
            scope_id TEXT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            updated_at BIGINT NOT NULL,
            UNIQUE (kpi_id, period_kind, scope_kind, scope_id)
        )
        """,
        """
        CREATE TABLE performance_reviews (
            id TEXT PRIMARY KEY,
            member_id TEXT NOT NULL REFERENCES users(id),
            period TEXT NOT NULL,
            state TEXT NOT NULL,
            self_assessment TEXT NOT NULL,
            manager_assessment TEXT NOT NULL,
            manager_comments TEXT NOT NULL,
            rating TEXT,
            assessor_id TEXT REFERENCES users(id),
            scorecard TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            finalized_at BIGINT,
            UNIQUE (member_id, period)
        )
        """,
        "CREATE INDEX performance_reviews_period ON performance_reviews (period, member_id)",
        """
        CREATE TABLE performance_review_events (
            id TEXT PRIMARY KEY,
            review_id TEXT NOT NULL REFERENCES performance_reviews(id),
            step TEXT NOT NULL,
            actor_id TEXT,
            actor_name TEXT NOT NULL,
            at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX performance_review_events_review ON performance_review_events (review_id, at)",
    ], data: { db in
        for definition in KpiDefinition.builtins(now: Date()) {
            try await KpiRepository(db).create(definition)
        }
    })
}
