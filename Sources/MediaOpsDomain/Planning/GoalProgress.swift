import Foundation

/// How a goal stands.
public enum GoalStatus: String, Sendable, CaseIterable, Codable {
    /// The start is still ahead.
    case upcoming
    /// The covered accounts have no numbers for the metric yet.
    case noData = "no_data"
    case onTrack = "on_track"
    case atRisk = "at_risk"
    case behind
    case achieved
}

/// A sentence about a goal or a plan: a catalog code and its values, phrased in the reader's language.
public struct PlanningReason: Sendable, Equatable, Codable {
    public var code: String
    public var params: [String: String]

    public init(_ code: String, _ params: [String: String] = [:]) {
        self.code = code
        self.params = params
    }
}

/// A goal's progress, computed from the covered accounts' daily numbers.
///
/// Definitions (all days in the workspace zone):
/// - followers are a level: each account's latest total on or before a day
///   (before its first recorded day, its first total), added up over the
///   accounts; the baseline is that level on the start day.
/// - other metrics are counts: the accounts' daily values summed from the start; the baseline is 0.
/// - the plan curve runs linearly within each stage from the previous stage's
///   target (the baseline for the first) to the stage's target on its last day.
/// - pace is the gain per day over the last `paceDays` days up to the latest
///   day with numbers (fewer when the goal is younger); the forecast adds that
///   pace for every day left to the deadline.
/// - status: achieved when the target is reached; behind after the deadline or
///   when the forecast reaches less than `atRiskShare` of the gain still
///   planned; at risk when it reaches at least that much but not the target;
///   on track when the forecast reaches the target.
public struct GoalProgress: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public var day: LocalDate
        public var plan: Double
        public var actual: Double?
    }

    public var baseline: Double
    public var current: Double?
    /// The latest day with numbers.
    public var asOf: LocalDate?
    public var points: [Point]
    /// Where the plan curve stands today (at the deadline once it has passed).
    public var planToday: Double
    public var pace: Double?
    public var paceDays: Int
    public var forecast: Double?
    /// The day the target is reached at the current pace, when it will be.
    public var forecastDay: LocalDate?
    public var status: GoalStatus
    public var reason: PlanningReason

    public static let defaultPaceDays = 30
    /// A forecast reaching at least this share of the remaining planned gain is "at risk", less is "behind".
    public static let atRiskShare = 0.8

    /// Progress toward the target as a fraction (0 when there are no numbers; may exceed 1).
    public var fraction: Double {
        guard let current else { return 0 }
        let span = targetSpan
        return span > 0 ? max(0, (current - baseline) / span) : (current >= target ? 1 : 0)
    }

    public var target: Double
    var targetSpan: Double { target - baseline }

    /// The plan curve's value on a day, from the baseline through each stage's target.
    public static func plan(_ goal: Goal, baseline: Double, on day: LocalDate) -> Double {
        if day <= goal.start { return baseline }
        var from = goal.start, level = baseline
        for (stage, end) in zip(goal.stages, goal.stageEnds) {
            if day <= end {
                let length = Double(max(1, from.days(until: end)))
                return level + (stage.target - level) * Double(from.days(until: day)) / length
            }
            from = end
            level = stage.target
        }
        return goal.target
    }

    /// Each account's daily values of the goal's metric (one dictionary per account) made into the goal's progress on `today`.
    public static func compute(_ goal: Goal, accounts: [[LocalDate: Double]], today: LocalDate, paceDays: Int = defaultPaceDays) -> GoalProgress {
        let isLevel = goal.metric.isLevel
        let sorted = accounts.map { $0.sorted { $0.key < $1.key } }.filter { !$0.isEmpty }
        let lastRecorded = sorted.compactMap { $0.last?.key }.max()

        /// The combined figure on a day; nil before any account has a number on or before it.
        func level(_ day: LocalDate) -> Double? {
            var total = 0.0, any = false
            for series in sorted {
                if let last = series.last(where: { $0.key <= day }) { total += last.value; any = true }
                else if let first = series.first { total += first.value }
            }
            return any ? total : nil
        }
        func running(_ day: LocalDate) -> Double? {
            var total = 0.0, any = false
            for series in sorted { for (key, value) in series where key >= goal.start && key <= day { total += value; any = true } }
            return any ? total : nil
        }
        let baseline: Double = isLevel ? (level(goal.start) ?? sorted.compactMap { $0.first?.value }.reduce(0, +)) : 0
        let lastDay = min(today, goal.deadline)
        // The chart runs from the start to the deadline (about 400 points, the latest day with numbers among them);
        // the actual line stops at the latest day with numbers, never after today.
        let actualUntil = lastRecorded.map { min($0, lastDay) }
        let span = max(0, goal.start.days(until: goal.deadline))
        let step = max(1, span / 400)
        var offsets = Set(stride(from: 0, through: span, by: step))
        offsets.insert(span)
        if let actualUntil, actualUntil >= goal.start { offsets.insert(goal.start.days(until: actualUntil)) }
        var points: [Point] = []
        for offset in offsets.sorted() {
            let day = goal.start.adding(days: offset)
            var actual: Double?
            if let actualUntil, day <= actualUntil { actual = isLevel ? level(day) : (running(day) ?? 0) }
            points.append(Point(day: day, plan: plan(goal, baseline: baseline, on: day), actual: actual))
        }
        let asOf = lastRecorded.map { min($0, lastDay) }.flatMap { $0 >= goal.start || isLevel ? $0 : nil }
        let current: Double? = asOf.flatMap { day in isLevel ? level(day) : running(day) }
        let planToday = plan(goal, baseline: baseline, on: min(today, goal.deadline))
        var progress = GoalProgress(baseline: baseline, current: current, asOf: asOf, points: points, planToday: planToday, pace: nil, paceDays: paceDays,
                                    forecast: nil, forecastDay: nil, status: .noData, reason: PlanningReason("no_data"), target: goal.target)
        func number(_ value: Double) -> String { PlanningNumber.text(value) }

        if today < goal.start {
            progress.status = .upcoming
            progress.reason = PlanningReason("upcoming", ["start": goal.start.description])
            return progress
        }
        guard let asOf, let current else { return progress }
        // Pace over the last days up to the latest number, never before the start.
        let windowStart = max(goal.start, asOf.adding(days: -paceDays))
        let days = windowStart.days(until: asOf)
        if days > 0 {
            let gain: Double
            if isLevel { gain = (level(asOf) ?? current) - (level(windowStart) ?? baseline) }
            else {
                var sum = 0.0
                for series in sorted { for (key, value) in series where key > windowStart && key <= asOf { sum += value } }
                gain = sum
            }
            progress.pace = gain / Double(days)
            progress.paceDays = days
        }
        let left = Double(max(0, asOf.days(until: goal.deadline)))
        if let pace = progress.pace {
            progress.forecast = current + max(pace, 0) * left
            if current < goal.target, pace > 0 {
                let needed = ((goal.target - current) / pace).rounded(.up)
                if needed < 36_500 { progress.forecastDay = asOf.adding(days: Int(needed)) }
            }
        }
        let params: [String: String] = [
            "current": number(current), "target": number(goal.target), "plan": number(planToday),
            "pace": progress.pace.map { number($0) } ?? "—", "days": String(progress.paceDays),
            "forecast": progress.forecast.map(number) ?? "—", "deadline": goal.deadline.description,
            "shortfall": number(max(0, goal.target - (progress.forecast ?? current))),
            "forecast_day": progress.forecastDay?.description ?? "—",
        ]
        if current >= goal.target {
            progress.status = .achieved
            progress.reason = PlanningReason("achieved", params)
        } else if today > goal.deadline {
            progress.status = .behind
            progress.reason = PlanningReason("deadline_missed", params)
        } else if let pace = progress.pace, let forecast = progress.forecast {
            let remaining = goal.target - current
            if forecast >= goal.target {
                progress.status = .onTrack
                progress.reason = PlanningReason("on_track", params)
            } else if pace <= 0 {
                progress.status = .behind
                progress.reason = PlanningReason("stalled", params)
            } else if forecast - current >= remaining * atRiskShare {
                progress.status = .atRisk
                progress.reason = PlanningReason("at_risk", params)
            } else {
                progress.status = .behind
                progress.reason = PlanningReason("behind", params)
            }
        } else {
            // One day of numbers: no pace yet, so the plan curve is the yardstick.
            progress.status = current >= planToday ? .onTrack : .atRisk
            progress.reason = PlanningReason(current >= planToday ? "ahead_of_plan_first_day" : "below_plan_first_day", params)
        }
        return progress
    }
}

/// Numbers in reasons: whole numbers as they are, others with one decimal (a pace of 12.5 a day).
public enum PlanningNumber {
    public static func text(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        let rounded = (value * 10).rounded() / 10
        if rounded.rounded() == rounded, abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return String(format: "%.1f", rounded)
    }
}
