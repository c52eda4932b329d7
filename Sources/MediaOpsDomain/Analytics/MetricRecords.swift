import Foundation

/// Where a batch of values came from and when it was seen: every stored value
/// keeps this, so a number can always be traced to its pull, file or person.
public struct MetricProvenance: Sendable, Equatable {
    public var source: MetricSource
    /// The import the values came from (file imports).
    public var importID: String?
    /// The raw platform answer kept for an API pull.
    public var payloadID: String?
    /// The member who typed them (manual entry).
    public var enteredBy: String?
    public var capturedAt: Date

    public init(source: MetricSource, importID: String? = nil, payloadID: String? = nil, enteredBy: String? = nil, capturedAt: Date) {
        self.source = source
        self.importID = importID
        self.payloadID = payloadID
        self.enteredBy = enteredBy
        self.capturedAt = capturedAt
    }
}

/// One stored metric value with its provenance.
public struct MetricValue: Sendable, Equatable {
    public var key: MetricKey
    public var value: Double
    public var provenance: MetricProvenance

    public init(key: MetricKey, value: Double, provenance: MetricProvenance) {
        self.key = key
        self.value = value
        self.provenance = provenance
    }
}

/// A post as analytics knows it: one published piece on one account, whether
/// MediaOps published it (its publish target) or it was found in a pull or a
/// file (an external post), so an account's history is complete.
public struct AnalyticsPost: Sendable, Equatable {
    public enum Origin: String, Sendable, CaseIterable { case mediaops, external }

    public var id: String
    public var accountID: String
    /// The platform's id of the post (msgid, mid, aweme id, bvid …).
    public var platformPostID: String
    public var targetID: String?
    public var title: String
    public var url: String?
    public var publishedAt: Date?
    public var origin: Origin

    public init(id: String, accountID: String, platformPostID: String, targetID: String?, title: String, url: String?, publishedAt: Date?, origin: Origin) {
        self.id = id
        self.accountID = accountID
        self.platformPostID = platformPostID
        self.targetID = targetID
        self.title = title
        self.url = url
        self.publishedAt = publishedAt
        self.origin = origin
    }
}

/// What one write of metric values did: values new to the store, values that
/// replaced a different earlier one (each kept in the change history), and
/// values equal to what was stored (nothing written).
public struct MetricWriteSummary: Sendable, Equatable {
    public var inserted = 0
    public var changed = 0
    public var unchanged = 0

    public init(inserted: Int = 0, changed: Int = 0, unchanged: Int = 0) {
        self.inserted = inserted
        self.changed = changed
        self.unchanged = unchanged
    }

    public static func + (lhs: MetricWriteSummary, rhs: MetricWriteSummary) -> MetricWriteSummary {
        MetricWriteSummary(inserted: lhs.inserted + rhs.inserted, changed: lhs.changed + rhs.changed, unchanged: lhs.unchanged + rhs.unchanged)
    }
}

/// A replaced value: what was stored, what replaced it, and from where.
public struct MetricChange: Sendable, Equatable {
    public var key: MetricKey
    public var oldValue: Double
    public var newValue: Double
    public var oldSource: MetricSource
    public var newSource: MetricSource
    public var changedAt: Date

    public init(key: MetricKey, oldValue: Double, newValue: Double, oldSource: MetricSource, newSource: MetricSource, changedAt: Date) {
        self.key = key
        self.oldValue = oldValue
        self.newValue = newValue
        self.oldSource = oldSource
        self.newSource = newSource
        self.changedAt = changedAt
    }
}
