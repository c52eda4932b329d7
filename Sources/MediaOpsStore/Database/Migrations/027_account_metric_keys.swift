import Foundation
import MediaOpsDomain
import SQLKit

extension Migrations {
    /// The metric keys each account has ever had a daily value for. A 公众号
    /// has no plays and a video account no reads, and most accounts have a few
    /// of the engagement keys: the overview reads each key an account has
    /// with three index seeks, so knowing which ones it has skips the rest
    /// (more than half of the seeks at agency size). Kept by the one place every
    /// daily write goes through (`MetricRepository.refreshRunningTotals`);
    /// a key is never removed, so a stale one costs a seek, never a number.
    static let m027_account_metric_keys = Migration(version: 27, name: "account metric keys", statements: [
        """
        CREATE TABLE account_metric_keys (
            account_id TEXT NOT NULL REFERENCES accounts(id),
            metric TEXT NOT NULL,
            PRIMARY KEY (account_id, metric)
        )
        """,
        "INSERT INTO account_metric_keys (account_id, metric) SELECT DISTINCT account_id, metric FROM account_daily_metrics",
    ])
}
