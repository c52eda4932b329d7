import Foundation

/// Why a row of a competitor file cannot be imported; each has a sentence in
/// both languages, said with the row number and the column.
public enum CompetitorRowProblem: String, Error, Sendable, CaseIterable {
    case notANumber = "competitor_row_not_a_number"
    case negative = "competitor_row_negative"
    case notWhole = "competitor_row_not_whole"
    case tooLarge = "competitor_row_too_large"
    case notADate = "competitor_row_not_a_date"
    case missingDate = "competitor_row_missing_date"
    case futureDate = "competitor_row_future_date"
    case missingCompetitor = "competitor_row_missing_competitor"
    case unknownCompetitor = "competitor_row_unknown_competitor"
    /// The handle or name fits competitors on two platforms, and the file has no platform column.
    case ambiguousCompetitor = "competitor_row_ambiguous_competitor"
    case unknownPlatform = "competitor_row_unknown_platform"
    /// The same competitor and day twice in one file.
    case duplicate = "competitor_row_duplicate"
    /// A row with a day and a competitor but no number at all.
    case noNumbers = "competitor_row_no_numbers"
}

/// A row that cannot be imported: its number as a spreadsheet shows it (the
/// first row is 1), the column's header as written, the cell, and why.
public struct CompetitorRowError: Sendable, Equatable {
    public var row: Int
    public var column: String?
    public var value: String
    public var problem: CompetitorRowProblem

    public init(row: Int, column: String?, value: String, problem: CompetitorRowProblem) {
        self.row = row
        self.column = column
        self.value = value
        self.problem = problem
    }
}

/// Why a whole file cannot be read, before any row.
public enum CompetitorFileProblem: String, Error, Sendable, CaseIterable {
    /// No header row with a date column and a competitor column.
    case missingColumns = "competitor_file_missing_columns"
    /// A date and a competitor column but no metric column.
    case noMetricColumn = "competitor_file_no_metric_column"
    case noRows = "competitor_file_no_rows"
}

/// A competitor file read against the competitors the workspace follows:
/// columns `date`, `competitor` (handle or name), optionally `platform`, and
/// any of the metrics, with Chinese or English headers. Cells are read with
/// the back-office cell rules (`3,593`, `1.2万`; `-`, `--` and empty cells are
/// absent, never zero). Every problem of every row is collected; a file with
/// any is not imported at all.
public enum CompetitorFile {
    public enum Role: Equatable, Sendable {
        case date, competitor, platform
        case metric(CompetitorMetric)
    }

    public static let dateHeaders = ["日期", "date", "day", "统计日期", "时间"]
    public static let competitorHeaders = ["竞品", "竞品账号", "账号", "账号名", "账号名称", "名称", "competitor", "account", "handle", "name"]
    public static let platformHeaders = ["平台", "platform"]

    static func normalised(_ header: String) -> String {
        ExportCell.clean(header).lowercased().unicodeScalars.filter { $0 != " " && $0 != "_" && $0 != "-" }.map(String.init).joined()
    }

    /// The role of a header, if it has one.
    public static func role(of header: String) -> Role? {
        let key = normalised(header)
        guard !key.isEmpty else { return nil }
        func matches(_ list: [String]) -> Bool { list.contains { normalised($0) == key } }
        if matches(dateHeaders) { return .date }
        if matches(competitorHeaders) { return .competitor }
        if matches(platformHeaders) { return .platform }
        for metric in CompetitorMetric.allCases where matches(metric.headers) { return .metric(metric) }
        return nil
    }

    /// A platform as a file may write it: its key (`weibo`) or its Chinese or English names.
    public static func platform(_ raw: String) -> Platform? {
        let text = normalised(raw)
        if let platform = Platform(rawValue: text), platform != .webhook { return platform }
        let names: [String: Platform] = [
            "公众号": .wechatOA, "微信公众号": .wechatOA, "wechat": .wechatOA, "wechatofficialaccount": .wechatOA,
            "视频号": .wechatChannels, "微信视频号": .wechatChannels, "wechatchannels": .wechatChannels,
            "微博": .weibo, "新浪微博": .weibo, "抖音": .douyin, "小红书": .xiaohongshu, "rednote": .xiaohongshu,
            "b站": .bilibili, "哔哩哔哩": .bilibili, "快手": .kuaishou, "知乎": .zhihu, "头条": .toutiao, "今日头条": .toutiao,
        ]
        return names[text]
    }

    /// A competitor a row can name.
    public struct Known: Sendable {
        public var id: String
        public var platform: Platform
        public var name: String
        public var handle: String
        public init(id: String, platform: Platform, name: String, handle: String) {
            self.id = id
            self.platform = platform
            self.name = name
            self.handle = handle
        }
    }

    public struct Row: Sendable, Equatable {
        public var row: Int
        public var competitorID: String
        public var day: LocalDate
        public var values: [CompetitorMetric: Double]
    }

    public struct Result: Sendable, Equatable {
        public var rows: [Row] = []
        public var errors: [CompetitorRowError] = []
    }

    /// The header row: the first of the first 10 rows with a date and a competitor column.
    public static func headerRow(_ rows: [[String]]) -> Int? {
        for index in rows.indices.prefix(10) {
            let roles = rows[index].compactMap(role(of:))
            if roles.contains(.date), roles.contains(.competitor) { return index }
        }
        return nil
    }

    /// Reads the rows of a sheet. Throws a `CompetitorFileProblem` when the
    /// file as a whole cannot be read; row problems are in the result.
    public static func read(_ rows: [[String]], competitors: [Known], today: LocalDate) throws(CompetitorFileProblem) -> Result {
        guard let headerIndex = headerRow(rows) else { throw .missingColumns }
        let header = rows[headerIndex]
        var columns: [(index: Int, role: Role)] = []
        for (index, cell) in header.enumerated() {
            guard let role = role(of: cell), !columns.contains(where: { $0.role == role }) else { continue }
            columns.append((index, role))
        }
        guard columns.contains(where: { if case .metric = $0.role { true } else { false } }) else { throw .noMetricColumn }
        func name(_ index: Int) -> String { header[index].trimmed }

        var byHandle: [String: [Known]] = [:], byName: [String: [Known]] = [:]
        for known in competitors {
            byHandle[normalisedKey(known.handle), default: []].append(known)
            byName[normalisedKey(known.name), default: []].append(known)
        }

        var result = Result()
        var seen: [String: Int] = [:]
        var dataRows = 0
        for index in rows.indices where index > headerIndex {
            let cells = rows[index]
            let number = index + 1
            func cell(_ column: Int) -> String { column < cells.count ? cells[column] : "" }
            if cells.allSatisfy({ ExportCell.clean($0).isEmpty }) { continue }
            dataRows += 1
            var errors: [CompetitorRowError] = []
            var day: LocalDate?
            var platform: Platform?
            var platformUnreadable = false
            var competitorText = ""
            var competitorColumn = 0
            var values: [CompetitorMetric: Double] = [:]
            for (column, role) in columns {
                let raw = cell(column)
                switch role {
                case .date:
                    switch ExportCell.dateTime(raw) {
                    case .success(let value?):
                        let date = LocalDate(year: value.year, month: value.month, day: value.day)
                        if date > today { errors.append(CompetitorRowError(row: number, column: name(column), value: raw, problem: .futureDate)) }
                        else { day = date }
                    case .success(nil): errors.append(CompetitorRowError(row: number, column: name(column), value: raw, problem: .missingDate))
                    case .failure: errors.append(CompetitorRowError(row: number, column: name(column), value: String(raw.prefix(40)), problem: .notADate))
                    }
                case .competitor:
                    competitorText = ExportCell.clean(raw)
                    competitorColumn = column
                case .platform:
                    let text = ExportCell.clean(raw)
                    if !text.isEmpty {
                        if let found = Self.platform(text) { platform = found }
                        else {
                            platformUnreadable = true
                            errors.append(CompetitorRowError(row: number, column: name(column), value: String(text.prefix(40)), problem: .unknownPlatform))
                        }
                    }
                case .metric(let metric):
                    switch ExportCell.count(raw) {
                    case .absent: break
                    case .value(let value):
                        if let problem = check(value, metric) {
                            errors.append(CompetitorRowError(row: number, column: name(column), value: String(raw.prefix(40)), problem: problem))
                        } else {
                            values[metric] = value
                        }
                    case .below, .invalid:
                        errors.append(CompetitorRowError(row: number, column: name(column), value: String(raw.prefix(40)), problem: .notANumber))
                    }
                }
            }
            var competitor: Known?
            if competitorText.isEmpty {
                errors.append(CompetitorRowError(row: number, column: name(competitorColumn), value: "", problem: .missingCompetitor))
            } else {
                let key = normalisedKey(competitorText.hasPrefix("@") ? String(competitorText.dropFirst()) : competitorText)
                var candidates = byHandle[key] ?? []
                if candidates.isEmpty { candidates = byName[normalisedKey(competitorText)] ?? [] }
                if let platform { candidates = candidates.filter { $0.platform == platform } }
                if candidates.count == 1 { competitor = candidates[0] }
                else if !platformUnreadable {
                    errors.append(CompetitorRowError(row: number, column: name(competitorColumn), value: String(competitorText.prefix(40)),
                                                     problem: candidates.isEmpty ? .unknownCompetitor : .ambiguousCompetitor))
                }
            }
            if errors.isEmpty, values.isEmpty {
                errors.append(CompetitorRowError(row: number, column: nil, value: "", problem: .noNumbers))
            }
            if errors.isEmpty, let competitor, let day {
                let key = competitor.id + "|" + day.description
                if let first = seen[key] {
                    errors.append(CompetitorRowError(row: number, column: nil, value: "\(day) · \(first)", problem: .duplicate))
                } else {
                    seen[key] = number
                    result.rows.append(Row(row: number, competitorID: competitor.id, day: day, values: values))
                }
            }
            result.errors += errors
        }
        guard dataRows > 0 else { throw .noRows }
        return result
    }

    static func normalisedKey(_ text: String) -> String { ExportCell.clean(text).lowercased() }

    static func check(_ value: Double, _ metric: CompetitorMetric) -> CompetitorRowProblem? {
        switch metric.check(value, field: metric.rawValue)?.code {
        case nil: nil
        case "metric_negative": .negative
        case "metric_not_whole": .notWhole
        case "out_of_range": .tooLarge
        default: .notANumber
        }
    }
}
