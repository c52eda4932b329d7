/// What a queued job does. The raw value is what the `jobs.kind` column holds,
/// so a case, once shipped, keeps its raw value; a new room adds its cases here.
public enum JobKind: String, Sendable, Codable, CaseIterable {
    /// Send one publish target to its platform (or hand it to its owner).
    case publish
    /// Ask the platform what became of a send whose outcome is unknown.
    case reconcile
    /// Remind the owner of an assisted target that it is still waiting.
    case assistedReminder = "assisted_reminder"
    /// Deliver one event to one notification channel.
    case notify
    /// The daily look at every account's platform token.
    case tokenCheck = "token_check"
    /// Commit a large export-file import (analytics).
    case metricImport = "metric_import"
    /// One account's daily statistics pull for one day, after the platform has it.
    case metricPull = "metric_pull"
    /// One post's numbers at one age (1 h, 24 h, 72 h, 7 d, 30 d after publishing).
    case metricSnapshot = "metric_snapshot"
    /// One span-sized piece of a backfill of an account's past days.
    case metricBackfill = "metric_backfill"
    /// The look every few minutes at the report schedules: issues the reports that are due.
    case reportSweep = "report_sweep"
    /// The look every minute at the tasks: reminders due and recurring tasks to make.
    case taskSweep = "task_sweep"
}
