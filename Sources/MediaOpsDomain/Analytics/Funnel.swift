import Foundation

/// Where a funnel stage's daily count comes from: a stored metric summed over
/// the funnel's accounts (曝光 = impressions, 阅读 = reads, 阅读原文 =
/// link clicks), or events the team imports (a file of leads or orders: 私信咨询, 下单).
public enum FunnelStageSource: Sendable, Hashable {
    case metric(MetricKey)
    case events

    /// "metric:<key>" or "events".
    public var key: String {
        switch self {
        case .metric(let metric): "metric:" + metric.rawValue
        case .events: "events"
        }
    }

    public init?(key: String) {
        if key == "events" { self = .events; return }
        guard key.hasPrefix("metric:"), let metric = MetricKey(rawValue: String(key.dropFirst(7))) else { return nil }
        self = .metric(metric)
    }

    /// The metrics a stage may count: things that happen a number of times a
    /// day (not levels such as the follower total, not rates, not money).
    public static let metrics: [MetricKey] = MetricKey.allCases.filter {
        $0.unit == .count && ![.followersTotal, .followersNet, .followersLost].contains($0)
    }
}

public struct FunnelStage: Sendable, Equatable {
    public var name: String
    public var source: FunnelStageSource

    public init(name: String, source: FunnelStageSource) {
        self.name = name
        self.source = source
    }
}

/// A named sequence of stages (曝光 → 阅读 → 阅读原文 → 私信咨询 → 下单) over an
/// account, a group or every account. Each stage's count is summed over the
/// funnel's accounts; conversion from one stage to the next is the later
/// count over the earlier one, for a day or a period.
public struct Funnel: Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    public var description: String
    public var scope: AlertScope
    public var stages: [FunnelStage]

    public init(id: String, name: String, description: String = "", scope: AlertScope = .allAccounts, stages: [FunnelStage]) {
        self.id = id
        self.name = name
        self.description = description
        self.scope = scope
        self.stages = stages
    }

    public static let nameMaxLength = 60
    public static let descriptionMaxLength = 500
    public static let stageNameMaxLength = 30
    public static let stageCount = 2...8

    /// Every broken rule by field: `name`, `description`, `scope`, `stages`
    /// (`funnel_too_few_stages`, `funnel_too_many_stages`), and per stage
    /// `stages.N.name` (`required`, `too_long`, `funnel_stage_duplicate`) and
    /// `stages.N.source` (`funnel_stage_metric_invalid`), N counting from 1.
    public func validationErrors() -> [ValidationError] {
        var errors: [ValidationError] = []
        do { _ = try Validate.requiredText(name, field: "name", max: Self.nameMaxLength) } catch { errors.append(error) }
        do { _ = try Validate.optionalText(description, field: "description", max: Self.descriptionMaxLength) } catch { errors.append(error) }
        switch scope {
        case .account(let id) where !Identifier.isPlausible(id): errors.append(ValidationError(field: "scope", code: "unknown_account"))
        case .group(let id) where !Identifier.isPlausible(id): errors.append(ValidationError(field: "scope", code: "unknown_group"))
        default: break
        }
        if stages.count < Self.stageCount.lowerBound {
            errors.append(ValidationError(field: "stages", code: "funnel_too_few_stages", params: ["min": String(Self.stageCount.lowerBound)]))
        } else if stages.count > Self.stageCount.upperBound {
            errors.append(ValidationError(field: "stages", code: "funnel_too_many_stages", params: ["max": String(Self.stageCount.upperBound)]))
        }
        var seen: Set<String> = []
        for (index, stage) in stages.enumerated() {
            let field = "stages.\(index + 1)"
            do {
                let name = try Validate.requiredText(stage.name, field: field + ".name", max: Self.stageNameMaxLength)
                if !seen.insert(name.lowercased()).inserted {
                    errors.append(ValidationError(field: field + ".name", code: "funnel_stage_duplicate", params: ["name": name]))
                }
            } catch {
                errors.append(error)
            }
            if case .metric(let metric) = stage.source, !FunnelStageSource.metrics.contains(metric) {
                errors.append(ValidationError(field: field + ".source", code: "funnel_stage_metric_invalid"))
            }
        }
        return errors
    }

    /// Conversions between consecutive stages, from the stages' counts (nil
    /// where a count is absent): the later count over the earlier one; nil
    /// when the earlier count is absent or zero.
    public static func conversions(_ counts: [Double?]) -> [Double?] {
        guard counts.count > 1 else { return [] }
        return (0..<(counts.count - 1)).map { index in
            guard let entered = counts[index], let advanced = counts[index + 1], entered > 0 else { return nil }
            return advanced / entered
        }
    }

    /// From the first stage to the last.
    public static func overall(_ counts: [Double?]) -> Double? {
        guard let first = counts.first ?? nil, let last = counts.last ?? nil, first > 0, counts.count > 1 else { return nil }
        return last / first
    }
}

/// One imported event (a lead, an order) for a funnel stage.
public struct FunnelEvent: Sendable, Equatable {
    public var day: LocalDate
    public var accountID: String?
    public var campaign: String
    /// Money in fen; nil when the file gives none.
    public var amount: Double?
    /// What makes the event itself: the file's id for it, or its cells and
    /// its place among identical rows, so importing the same file again adds nothing.
    public var fingerprint: String

    public init(day: LocalDate, accountID: String?, campaign: String, amount: Double?, fingerprint: String) {
        self.day = day
        self.accountID = accountID
        self.campaign = campaign
        self.amount = amount
        self.fingerprint = fingerprint
    }
}

/// A file of leads or orders read into events: a header row naming the
/// columns (Chinese or English), then one row per event. Every broken row is
/// reported with its row and column; an event file is written whole or not at all.
public enum FunnelEventFile {
    public enum Column: String, CaseIterable, Sendable {
        case day, account, campaign, amount, id

        /// Header words that name the column, compared without case or spaces.
        public var headers: [String] {
            switch self {
            case .day: ["日期", "时间", "下单时间", "创建时间", "提交时间", "咨询时间", "date", "day", "time", "created_at", "created"]
            case .account: ["账号", "来源账号", "账号名称", "账号id", "平台账号", "account", "source_account", "account_id", "handle"]
            case .campaign: ["活动", "渠道", "来源活动", "活动名称", "campaign", "utm_campaign", "source"]
            case .amount: ["金额", "订单金额", "实付金额", "成交金额", "amount", "revenue", "value"]
            case .id: ["编号", "订单号", "订单编号", "线索编号", "线索id", "id", "order_id", "lead_id"]
            }
        }
    }

    public struct RowError: Sendable, Equatable {
        /// 1-based row of the file.
        public var row: Int
        public var column: Column?
        public var value: String
        /// `cell_not_a_date`, `cell_not_a_number`, `cell_out_of_range`, `funnel_event_unknown_account`, `funnel_event_day_missing`.
        public var code: String
    }

    public struct Reading: Sendable, Equatable {
        public var events: [FunnelEvent]
        public var errors: [RowError]
        /// 1-based header row.
        public var headerRow: Int
    }

    public enum Problem: String, Error, Sendable {
        /// No row in the first ten names a date column.
        case noHeader = "funnel_event_no_header"
        case noRows = "funnel_event_no_rows"
        case tooManyRows = "funnel_event_too_many_rows"
    }

    public static let maxRows = 100_000
    /// Errors listed; the rest are counted.
    public static let maxErrorsListed = 200

    /// Reads `rows`. An account cell is matched to `accounts` by id, handle or
    /// name (in that order); with no account column every event is the
    /// funnel's as a whole.
    public static func read(_ rows: [[String]], accounts: [Account]) throws(Problem) -> Reading {
        guard let headerIndex = rows.prefix(10).firstIndex(where: { columns(of: $0)[.day] != nil }) else { throw .noHeader }
        let found = columns(of: rows[headerIndex])
        let body = rows[(headerIndex + 1)...].enumerated().filter { !$0.element.allSatisfy { $0.trimmed.isEmpty } }
        guard !body.isEmpty else { throw .noRows }
        guard body.count <= maxRows else { throw .tooManyRows }
        var byID: [String: String] = [:], byHandle: [String: String] = [:], byName: [String: String] = [:]
        for account in accounts {
            byID[account.id] = account.id
            byHandle[account.handle.lowercased()] = account.id
            byName[account.name] = account.id
        }
        var events: [FunnelEvent] = []
        var errors: [RowError] = []
        var occurrences: [String: Int] = [:]
        for (offset, cells) in body {
            let row = headerIndex + offset + 2
            func cell(_ column: Column) -> String { found[column].flatMap { $0 < cells.count ? cells[$0].trimmed : nil } ?? "" }
            var broken = false
            var day: LocalDate?
            switch ExportCell.dateTime(cell(.day)) {
            case .success(let value?): day = LocalDate(year: value.year, month: value.month, day: value.day)
            case .success(nil): errors.append(RowError(row: row, column: .day, value: "", code: "funnel_event_day_missing")); broken = true
            case .failure(let problem): errors.append(RowError(row: row, column: .day, value: String(cell(.day).prefix(40)), code: problem.rawValue)); broken = true
            }
            var accountID: String?
            let accountText = cell(.account)
            if !accountText.isEmpty {
                accountID = byID[accountText] ?? byHandle[accountText.lowercased()] ?? byName[accountText]
                if accountID == nil { errors.append(RowError(row: row, column: .account, value: String(accountText.prefix(40)), code: "funnel_event_unknown_account")); broken = true }
            }
            var amount: Double?
            // An order file's bare amounts are yuan ("128.00"), unlike the back-offices' fen.
            let amountText = ExportCell.clean(cell(.amount))
            let amountCell: ExportCell.Number = ExportCell.placeholders.contains(amountText) ? .absent
                : ExportCell.fen(amountText.hasPrefix("¥") || amountText.hasPrefix("￥") || amountText.hasSuffix("元") ? amountText : "¥" + amountText)
            switch amountCell {
            case .value(let fen) where fen >= 0 && fen <= 1e13: amount = fen
            case .value: errors.append(RowError(row: row, column: .amount, value: String(cell(.amount).prefix(40)), code: ExportCell.Problem.outOfRange.rawValue)); broken = true
            case .absent: amount = nil
            case .below, .invalid: errors.append(RowError(row: row, column: .amount, value: String(cell(.amount).prefix(40)), code: ExportCell.Problem.notANumber.rawValue)); broken = true
            }
            let campaign = String(cell(.campaign).prefix(100))
            guard !broken, let day else { continue }
            let id = cell(.id)
            let content = [day.description, accountID ?? "", campaign, amount.map { String($0) } ?? ""].joined(separator: "\u{1F}")
            var fingerprint: String
            if id.isEmpty {
                let seen: Int = occurrences[content, default: 0]
                occurrences[content] = seen + 1
                fingerprint = "row:" + content + "\u{1F}" + String(seen)
            } else {
                fingerprint = "id:" + String(id.prefix(100))
            }
            fingerprint = String(fingerprint.prefix(300))
            events.append(FunnelEvent(day: day, accountID: accountID, campaign: campaign, amount: amount, fingerprint: fingerprint))
        }
        return Reading(events: events, errors: errors, headerRow: headerIndex + 1)
    }

    /// Which column holds what, by its header.
    static func columns(of header: [String]) -> [Column: Int] {
        var found: [Column: Int] = [:]
        for (index, cell) in header.enumerated() {
            let text = cell.trimmed.lowercased().replacingOccurrences(of: " ", with: "")
            guard !text.isEmpty else { continue }
            for column in Column.allCases where found[column] == nil && column.headers.contains(text) { found[column] = index; break }
        }
        return found
    }
}
