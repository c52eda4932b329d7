import Foundation

/// How often a recurring task comes back.
public enum RecurrenceFrequency: String, Sendable, CaseIterable, Codable {
    case daily
    /// On the chosen weekdays.
    case weekly
    /// On one day of the month.
    case monthly
}

/// The rule of a recurring task: on which days, at which wall-clock time in
/// the workspace's zone (周报 every Monday at 09:00). The time is kept as a
/// wall-clock time, not an interval, so 09:00 stays 09:00 across a
/// daylight-saving change; a time the change skips falls the length of the
/// jump later (02:30 → 03:30), as `LocalDateTime` places it.
public struct RecurrenceRule: Sendable, Equatable {
    public var frequency: RecurrenceFrequency
    /// 1 (Monday) … 7 (Sunday); weekly rules only.
    public var weekdays: Set<Int>
    /// 1 … 31; a month without that day uses its last day. Monthly rules only.
    public var dayOfMonth: Int?
    public var hour: Int
    public var minute: Int

    public init(frequency: RecurrenceFrequency, weekdays: Set<Int> = [], dayOfMonth: Int? = nil, hour: Int, minute: Int) {
        self.frequency = frequency
        self.weekdays = weekdays
        self.dayOfMonth = dayOfMonth
        self.hour = hour
        self.minute = minute
    }

    public func validationErrors() -> [ValidationError] {
        var errors: [ValidationError] = []
        switch frequency {
        case .weekly:
            if weekdays.isEmpty { errors.append(ValidationError(field: "weekdays", code: "required")) }
            else if !weekdays.allSatisfy({ (1...7).contains($0) }) {
                errors.append(ValidationError(field: "weekdays", code: "out_of_range", params: ["min": "1", "max": "7"]))
            }
        case .monthly:
            if let dayOfMonth { if !(1...31).contains(dayOfMonth) { errors.append(ValidationError(field: "day_of_month", code: "out_of_range", params: ["min": "1", "max": "31"])) } }
            else { errors.append(ValidationError(field: "day_of_month", code: "required")) }
        case .daily:
            break
        }
        if !(0...23).contains(hour) || !(0...59).contains(minute) { errors.append(ValidationError(field: "time", code: "invalid_time")) }
        return errors
    }

    /// Whether the rule comes due on `day`.
    public func runs(on day: LocalDate) -> Bool {
        switch frequency {
        case .daily: return true
        case .weekly: return weekdays.contains(day.isoWeekday)
        case .monthly:
            let wanted = dayOfMonth ?? 1
            let last = day.endOfMonth.day
            return day.day == min(wanted, last)
        }
    }

    /// The instant of the rule's time on `day` in `zone`.
    public func instant(on day: LocalDate, zone: TimeZone) -> Date? {
        LocalDateTime(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute).instant(in: zone)
    }

    /// The occurrences in (after, through], oldest first, at most `limit`.
    public func occurrences(after: Date, through: Date, zone: TimeZone, limit: Int = 400) -> [Occurrence] {
        guard through > after else { return [] }
        var result: [Occurrence] = []
        // A day before `after` too: its wall-clock time may still lie after it in UTC.
        var day = LocalDate(after, timeZone: zone).adding(days: -1)
        let last = LocalDate(through, timeZone: zone).adding(days: 1)
        while day <= last, result.count < limit {
            if runs(on: day), let at = instant(on: day, zone: zone), at > after, at <= through {
                result.append(Occurrence(day: day, at: at))
            }
            day = day.adding(days: 1)
        }
        return result
    }

    /// The first occurrence after `now` (within about 13 months).
    public func next(after now: Date, zone: TimeZone) -> Occurrence? {
        let today = LocalDate(now, timeZone: zone)
        for ahead in -1...400 {
            let day = today.adding(days: ahead)
            if runs(on: day), let at = instant(on: day, zone: zone), at > now { return Occurrence(day: day, at: at) }
        }
        return nil
    }

    /// One coming-due of the rule: the local day it belongs to and its instant.
    /// The day names the occurrence (the idempotency key), so the same
    /// occurrence seen by two sweeps, or twice over a DST change, is one task.
    public struct Occurrence: Sendable, Equatable {
        public var day: LocalDate
        public var at: Date
    }
}

/// A task that comes back: the template of each instance and its rule.
public struct RecurringTask: Sendable, Equatable {
    public var id: String
    public var title: String
    public var description: String
    public var priority: TaskPriority
    public var assigneeID: String?
    public var labels: [String]
    /// The steps every instance starts with.
    public var checklist: [String]
    public var rule: RecurrenceRule
    /// Each instance is due this many minutes after it is created.
    public var dueAfterMinutes: Int
    public var active: Bool
    public var creatorID: String?
    /// The last occurrence that made an instance (none before the rule was saved).
    public var lastOccurrenceAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String = "", title: String, description: String = "", priority: TaskPriority = .normal, assigneeID: String? = nil,
                labels: [String] = [], checklist: [String] = [], rule: RecurrenceRule, dueAfterMinutes: Int = 480, active: Bool = true,
                creatorID: String? = nil, lastOccurrenceAt: Date? = nil,
                createdAt: Date = Date(timeIntervalSince1970: 0), updatedAt: Date = Date(timeIntervalSince1970: 0)) {
        self.id = id
        self.title = title
        self.description = description
        self.priority = priority
        self.assigneeID = assigneeID
        self.labels = labels
        self.checklist = checklist
        self.rule = rule
        self.dueAfterMinutes = dueAfterMinutes
        self.active = active
        self.creatorID = creatorID
        self.lastOccurrenceAt = lastOccurrenceAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public static let dueAfterRange = 0...43_200
    public static let maxCount = 200

    public func validationErrors() -> [ValidationError] {
        var errors = WorkTask(title: title, description: description, labels: labels,
                              checklist: checklist.enumerated().map { ChecklistItem(id: "c\($0.offset)", text: $0.element, position: $0.offset) })
            .validationErrors()
        errors += rule.validationErrors()
        if !Self.dueAfterRange.contains(dueAfterMinutes) {
            errors.append(ValidationError(field: "due_after_minutes", code: "out_of_range",
                                          params: ["min": String(Self.dueAfterRange.lowerBound), "max": String(Self.dueAfterRange.upperBound)]))
        }
        return errors
    }

    /// The key of one occurrence: the rule and the local day it belongs to.
    public func occurrenceKey(_ occurrence: RecurrenceRule.Occurrence) -> String { "\(id):\(occurrence.day.description)" }
}
