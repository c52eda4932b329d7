/// Why a row of a target's attempt log was written. The raw value is what the
/// `publish_attempts.kind` column holds and the catalog key suffix
/// (`publishing.attempt_<raw>`), so the attempt log can always name it.
public enum AttemptKind: String, Sendable, Codable, CaseIterable {
    /// The worker sent the post through the platform's API.
    case publish
    /// The worker handed an assisted target to its owner to post by hand.
    case handover
    /// A person asked for a failed or unconfirmed target to be sent again.
    case resend
    /// The worker asked the platform what became of an earlier send.
    case reconcile
    /// The platform told us the outcome (a callback or webhook).
    case callback
    /// A person confirmed by hand that the post is live.
    case manual
}
