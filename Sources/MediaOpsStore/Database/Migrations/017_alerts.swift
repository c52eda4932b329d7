import Foundation
import SQLKit

extension Migrations {
    /// Alert rules, the alerts they raise and each alert's history of state
    /// changes. A workspace that exists already gets the two preset rules
    /// here; a new one gets them when it is set up (`TeamService.setUp`).
    ///
    /// `window_size`: `window` is a reserved word in PostgreSQL.
    /// `occasion` is "day:YYYY-MM-DD" or "post:<post id>" (with the instant
    /// the post's judged snapshot was due in `occasion_at`); one alert per
    /// rule, subject and occasion, so evaluating again never raises twice.
    static let m017_alerts = Migration(version: 17, name: "alerts", statements: [
        """
        CREATE TABLE alert_rules (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            preset_key TEXT,
            kind TEXT NOT NULL,
            metric_key TEXT,
            scope_kind TEXT NOT NULL,
            scope_id TEXT,
            comparison TEXT NOT NULL,
            bound DOUBLE PRECISION,
            window_size INTEGER NOT NULL,
            seasonality TEXT NOT NULL,
            k DOUBLE PRECISION NOT NULL,
            percentile DOUBLE PRECISION NOT NULL,
            minimum_history INTEGER NOT NULL,
            minimum_deviation DOUBLE PRECISION NOT NULL,
            minimum_relative_deviation DOUBLE PRECISION NOT NULL,
            minimum_volume DOUBLE PRECISION NOT NULL,
            cooldown_hours INTEGER NOT NULL,
            enabled BOOLEAN NOT NULL,
            created_by TEXT REFERENCES users(id),
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX alert_rules_created ON alert_rules (created_at, id)",
        """
        CREATE TABLE alerts (
            id TEXT PRIMARY KEY,
            rule_id TEXT NOT NULL REFERENCES alert_rules(id),
            subject_key TEXT NOT NULL,
            account_id TEXT REFERENCES accounts(id),
            occasion TEXT NOT NULL,
            occasion_at BIGINT,
            state TEXT NOT NULL,
            evidence TEXT NOT NULL,
            fired_at BIGINT NOT NULL,
            acknowledged_by TEXT REFERENCES users(id),
            acknowledged_at BIGINT,
            resolved_by TEXT REFERENCES users(id),
            resolved_at BIGINT
        )
        """,
        // The alert list: one state, newest first.
        "CREATE INDEX alerts_state_fired ON alerts (state, fired_at, id)",
        // The cool-down's lookup of a rule's last alert for a subject, and the one-alert-per-occasion guard.
        "CREATE INDEX alerts_rule_subject_fired ON alerts (rule_id, subject_key, fired_at, id)",
        "CREATE UNIQUE INDEX alerts_rule_subject_occasion ON alerts (rule_id, subject_key, occasion)",
        """
        CREATE TABLE alert_events (
            id TEXT PRIMARY KEY,
            alert_id TEXT NOT NULL REFERENCES alerts(id),
            from_state TEXT,
            to_state TEXT NOT NULL,
            member_id TEXT REFERENCES users(id),
            at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX alert_events_alert ON alert_events (alert_id, at, id)",
    ], data: { db in
        guard try await db.raw("SELECT 1 AS found FROM workspace").first() != nil else { return }
        try await AlertRuleRepository(db).installPresets(createdBy: nil, now: Date())
    })
}
