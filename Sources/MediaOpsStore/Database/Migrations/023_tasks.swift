import Foundation
import SQLKit

extension Migrations {
    /// The team's tasks (任务): the task with its checklist, labels, links to
    /// things other rooms own, attached library assets and comments; the
    /// reminders already sent (one per task, kind and due instant) and the
    /// recurring rules with the occurrence each instance came from. Instants
    /// are UTC epoch milliseconds; a recurring rule's time is wall-clock
    /// in the workspace zone.
    static let m023_tasks = Migration(version: 23, name: "tasks", statements: [
        """
        CREATE TABLE task_recurrences (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            description TEXT NOT NULL,
            priority TEXT NOT NULL,
            assignee_id TEXT REFERENCES users(id),
            labels TEXT NOT NULL,
            checklist TEXT NOT NULL,
            frequency TEXT NOT NULL,
            weekdays TEXT NOT NULL,
            day_of_month INTEGER,
            hour INTEGER NOT NULL,
            minute INTEGER NOT NULL,
            due_after_minutes INTEGER NOT NULL,
            active BOOLEAN NOT NULL,
            created_by TEXT REFERENCES users(id),
            last_occurrence_at BIGINT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE tasks (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            description TEXT NOT NULL,
            status TEXT NOT NULL,
            priority TEXT NOT NULL,
            priority_rank INTEGER NOT NULL,
            assignee_id TEXT REFERENCES users(id),
            created_by TEXT REFERENCES users(id),
            due_at BIGINT,
            remind_before_minutes INTEGER NOT NULL,
            recurrence_id TEXT REFERENCES task_recurrences(id),
            occurrence_key TEXT,
            completed_at BIGINT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        // One instance per occurrence of a recurring rule, whatever races.
        "CREATE UNIQUE INDEX tasks_occurrence ON tasks (occurrence_key)",
        "CREATE INDEX tasks_assignee_status ON tasks (assignee_id, status)",
        "CREATE INDEX tasks_status_due ON tasks (status, due_at)",
        "CREATE INDEX tasks_completed ON tasks (completed_at)",
        """
        CREATE TABLE task_checklist_items (
            id TEXT PRIMARY KEY,
            task_id TEXT NOT NULL REFERENCES tasks(id),
            text TEXT NOT NULL,
            done BOOLEAN NOT NULL,
            position INTEGER NOT NULL
        )
        """,
        "CREATE INDEX task_checklist_task ON task_checklist_items (task_id, position)",
        """
        CREATE TABLE task_labels (
            task_id TEXT NOT NULL REFERENCES tasks(id),
            label TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (task_id, label)
        )
        """,
        "CREATE INDEX task_labels_label ON task_labels (label)",
        """
        CREATE TABLE task_links (
            task_id TEXT NOT NULL REFERENCES tasks(id),
            kind TEXT NOT NULL,
            target_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (task_id, kind, target_id)
        )
        """,
        "CREATE INDEX task_links_target ON task_links (kind, target_id)",
        """
        CREATE TABLE task_attachments (
            task_id TEXT NOT NULL REFERENCES tasks(id),
            asset_id TEXT NOT NULL,
            added_by TEXT REFERENCES users(id),
            added_at BIGINT NOT NULL,
            PRIMARY KEY (task_id, asset_id)
        )
        """,
        """
        CREATE TABLE task_comments (
            id TEXT PRIMARY KEY,
            task_id TEXT NOT NULL REFERENCES tasks(id),
            author_id TEXT REFERENCES users(id),
            author_name TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX task_comments_task ON task_comments (task_id, created_at)",
        """
        CREATE TABLE task_reminders (
            task_id TEXT NOT NULL REFERENCES tasks(id),
            kind TEXT NOT NULL,
            due_at BIGINT NOT NULL,
            sent_at BIGINT NOT NULL,
            PRIMARY KEY (task_id, kind, due_at)
        )
        """,
    ])
}
