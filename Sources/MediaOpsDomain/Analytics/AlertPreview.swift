import Foundation

/// One post as the post rule sees it.
public struct AlertPost: Sendable, Equatable {
    public var id: String
    public var publishedAt: Date
    /// The value `AlertRule.postAgeHours` after publishing; nil when that snapshot is absent.
    public var value: Double?

    public init(id: String, publishedAt: Date, value: Double?) {
        self.id = id
        self.publishedAt = publishedAt
        self.value = value
    }
}

public struct AlertPreviewFiring: Sendable, Equatable {
    public var occasion: AlertOccasion
    public var evaluation: AlertEvaluation
}

/// What a rule would have done over a past period: "would have fired 3
/// times: …". Nobody acknowledges or resolves alerts in a preview, so every
/// alert stays open and the cool-down applies between them.
public struct AlertPreview: Sendable, Equatable {
    /// The alerts it would have raised, oldest first.
    public var alerts: [AlertPreviewFiring]
    /// Firings the cool-down would have swallowed.
    public var suppressed: [AlertPreviewFiring]
    /// Days or posts judged (fired or quiet).
    public var judged: Int
    /// Days or posts not judged, by reason.
    public var skipped: [AlertSkipReason: Int]

    public init(alerts: [AlertPreviewFiring] = [], suppressed: [AlertPreviewFiring] = [], judged: Int = 0, skipped: [AlertSkipReason: Int] = [:]) {
        self.alerts = alerts
        self.suppressed = suppressed
        self.judged = judged
        self.skipped = skipped
    }

    public var count: Int { alerts.count }

    mutating func record(_ evaluation: AlertEvaluation, occasion: AlertOccasion, cooldownHours: Int, last: inout AlertLastFiring?) {
        switch evaluation.outcome {
        case .skipped(let reason):
            skipped[reason, default: 0] += 1
        case .quiet:
            judged += 1
        case .fired:
            judged += 1
            let firing = AlertPreviewFiring(occasion: occasion, evaluation: evaluation)
            switch AlertCooldown.decide(occasion, last: last, cooldownHours: cooldownHours) {
            case .raise:
                alerts.append(firing)
                last = AlertLastFiring(occasion: occasion, state: .open)
            case .suppress:
                suppressed.append(firing)
            }
        }
    }
}

extension AlertRule {
    /// The days a preview looks back by default.
    public static let previewDays = 90
    public static let previewDaysRange = 1...365

    /// Runs the rule over the `days` days ending with `lastDay`, oldest first,
    /// each day judged only on itself and the days before it.
    public func preview(series: [LocalDate: Double], through lastDay: LocalDate, days: Int = previewDays) -> AlertPreview {
        previewDays(through: lastDay, days: days, input: .dailySeries) { day in
            evaluateDaily(on: day, value: Self.lookup(series, before: day))
        }
    }

    /// The same for a funnel stage's counts.
    public func preview(funnel: [LocalDate: FunnelStageCounts], through lastDay: LocalDate, days: Int = previewDays) -> AlertPreview {
        previewDays(through: lastDay, days: days, input: .funnelStage) { day in
            let base = day.dayNumber
            return evaluateFunnel(on: day) { funnel[LocalDate(dayNumber: base - $0)] }
        }
    }

    /// The same for an account's posts: every post published in the `days`
    /// days up to `through` (oldest first), each judged against the posts
    /// published before it.
    public func preview(posts: [AlertPost], through: Date, days: Int = previewDays) -> AlertPreview {
        let span = Double(min(max(days, Self.previewDaysRange.lowerBound), Self.previewDaysRange.upperBound)) * 86_400
        let ordered = posts.sorted { ($0.publishedAt, $0.id) < ($1.publishedAt, $1.id) }
        let judged = ordered.indices.filter { ordered[$0].publishedAt > through.addingTimeInterval(-span) && ordered[$0].publishedAt <= through }
        var preview = AlertPreview()
        guard kind.input == .posts, isValid else {
            preview.skipped[kind.input == .posts ? .invalidRule : .wrongInput] = judged.count
            return preview
        }
        var last: AlertLastFiring?
        for index in judged {
            let post = ordered[index]
            let evaluation = evaluate(post: post.value, earlierPosts: ordered[..<index].map(\.value))
            let due = post.publishedAt.addingTimeInterval(Double(Self.postAgeHours) * 3_600)
            preview.record(evaluation, occasion: .post(id: post.id, at: due), cooldownHours: cooldownHours, last: &last)
        }
        return preview
    }

    private func previewDays(through lastDay: LocalDate, days: Int, input: AlertInput, evaluate: (LocalDate) -> AlertEvaluation) -> AlertPreview {
        let count = min(max(days, Self.previewDaysRange.lowerBound), Self.previewDaysRange.upperBound)
        var preview = AlertPreview()
        guard kind.input == input, isValid else {
            preview.skipped[kind.input == input ? .invalidRule : .wrongInput] = count
            return preview
        }
        var last: AlertLastFiring?
        let end = lastDay.dayNumber
        for number in (end - count + 1)...end {
            let day = LocalDate(dayNumber: number)
            preview.record(evaluate(day), occasion: .day(day), cooldownHours: cooldownHours, last: &last)
        }
        return preview
    }
}
