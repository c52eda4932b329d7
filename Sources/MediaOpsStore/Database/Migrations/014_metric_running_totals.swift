extension Migrations {
    /// Running totals on the daily metrics: each row also holds the sum of its
    /// account's values of that metric up to and including its day. The sum
    /// over any period is then the running total at its last day minus the one
    /// before its first day — two index seeks instead of a range of days, so
    /// the matrix overview costs the same for 7 days as for a year.
    /// `MetricRepository` keeps them right in the transaction of every write.
    static let m014_metric_running_totals = Migration(version: 14, name: "metric running totals", statements: [
        "ALTER TABLE account_daily_metrics ADD COLUMN running_total DOUBLE PRECISION",
        """
        UPDATE account_daily_metrics SET running_total = r.total
        FROM (SELECT account_id, metric, day,
                     SUM(value) OVER (PARTITION BY account_id, metric ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS total
              FROM account_daily_metrics) AS r
        WHERE account_daily_metrics.account_id = r.account_id AND account_daily_metrics.metric = r.metric AND account_daily_metrics.day = r.day
        """,
        // The series index now covers the running total too: a period's sum never reads the table.
        "DROP INDEX account_daily_metrics_series",
        "CREATE INDEX account_daily_metrics_series ON account_daily_metrics (account_id, metric, day, value, running_total)",
    ])
}
