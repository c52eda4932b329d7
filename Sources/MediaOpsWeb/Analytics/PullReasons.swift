import Foundation
import MediaOpsDomain

/// Statistics pull failures in plain language: a whole-pull failure kind or a
/// per-metric reason picks its catalog sentence (`analytics_pull.reason.<code>`);
/// the platform's own words stay beside it as the detail.
public enum PullReasons {
    public static func sentence(_ kind: PullFailureKind, _ t: Localizer) -> String { t.t("analytics_pull.reason.\(kind.rawValue)") }

    public static func sentence(_ reason: MetricFailureReason, _ t: Localizer) -> String { t.t("analytics_pull.reason.\(reason.rawValue)") }

    /// The sentence of a stored status's last error code (unknown codes read as a refusal).
    public static func sentence(code: String, _ t: Localizer) -> String {
        sentence(PullFailureKind(rawValue: code) ?? .permanent, t)
    }

    /// Every catalog key these sentences use, for the completeness test.
    public static var catalogKeys: [String] {
        PullFailureKind.allCases.map { "analytics_pull.reason.\($0.rawValue)" } + MetricFailureReason.allCases.map { "analytics_pull.reason.\($0.rawValue)" }
            + ["pull_range_backwards", "pull_backfill_unsupported", "pull_range_unavailable"].map { "error.\($0)" }
    }
}
