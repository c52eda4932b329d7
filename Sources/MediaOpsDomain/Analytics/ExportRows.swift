import Foundation

extension ExportColumn {
    /// The column's role as stored in a remembered mapping and sent by forms
    /// and the API: `metric:reads`, `day`, `title`, `published_at`, `url`,
    /// `post_id`; a kept column is `ignore`.
    public var key: String {
        switch self {
        case .metric(let metric): "metric:\(metric.rawValue)"
        case .day: "day"
        case .title: "title"
        case .publishedAt: "published_at"
        case .url: "url"
        case .postID: "post_id"
        case .kept: "ignore"
        }
    }

    /// The role a key names, or nil for an unknown key. `ignore` keeps the
    /// column under its header.
    public init?(key: String, header: String) {
        switch key {
        case "day": self = .day
        case "title": self = .title
        case "published_at": self = .publishedAt
        case "url": self = .url
        case "post_id": self = .postID
        case "ignore", "": self = .kept(header)
        default:
            guard key.hasPrefix("metric:"), let metric = MetricKey(rawValue: String(key.dropFirst(7))) else { return nil }
            self = .metric(metric)
        }
    }

    /// Every role a person can give a column, in the order a mapping form lists them.
    public static var choices: [ExportColumn] {
        [.kept(""), .day, .title, .publishedAt, .url, .postID] + MetricKey.allCases.map { .metric($0) }
    }
}

/// Why a row of an export file cannot be imported. Each has a sentence in
/// both languages; the row number and the column go with it.
public enum ImportRowProblem: String, Error, Sendable, CaseIterable {
    case notANumber = "cell_not_a_number"
    case notADuration = "cell_not_a_duration"
    case notADate = "cell_not_a_date"
    case outOfRange = "cell_out_of_range"
    /// A row of a daily file without its day.
    case missingDay = "import_row_missing_day"
    /// The same day twice in one daily file: which one is right cannot be told.
    case duplicateDay = "import_row_duplicate_day"
    /// A row of a post file with neither a title nor the platform's id.
    case missingPost = "import_row_missing_post"
    /// The same post twice in one file.
    case duplicatePost = "import_row_duplicate_post"

    init(_ cell: ExportCell.Problem) {
        switch cell {
        case .notANumber: self = .notANumber
        case .notADuration: self = .notADuration
        case .notADate: self = .notADate
        case .outOfRange: self = .outOfRange
        }
    }
}

/// Why a mapping cannot be used, before any row is read.
public enum ImportMappingProblem: String, Error, Sendable, CaseIterable {
    /// Neither a day column (one row per day) nor a title, link or id column (one row per post).
    case needsDayOrPost = "import_mapping_needs_day_or_post"
    case noMetric = "import_mapping_no_metric"
    /// A day column and post columns together: a file is one or the other.
    case dayAndPost = "import_mapping_day_and_post"
}

/// A row that cannot be imported: its number as a spreadsheet shows it (the
/// first row is 1), the column's header, the cell as written and the reason.
public struct ImportRowError: Sendable, Equatable {
    public var row: Int
    public var column: String?
    public var value: String
    public var problem: ImportRowProblem

    public init(row: Int, column: String?, value: String, problem: ImportRowProblem) {
        self.row = row
        self.column = column
        self.value = value
        self.problem = problem
    }
}

/// Something the import leaves out on purpose and says so: a value the
/// back-office only gives as a bound ("<0.1%"), a totals row.
public struct ImportRowNote: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case belowThreshold = "import_note_below_threshold"
        case totalsRow = "import_note_totals_row"
    }

    public var row: Int
    public var column: String?
    public var value: String
    public var kind: Kind

    public init(row: Int, column: String?, value: String, kind: Kind) {
        self.row = row
        self.column = column
        self.value = value
        self.kind = kind
    }
}

/// One row of a daily file: the account's values for one day.
public struct ImportedDay: Sendable, Equatable {
    public var row: Int
    public var day: LocalDate
    public var values: [MetricKey: Double]
}

/// One row of a post file: a post as the back-office describes it, and its values.
public struct ImportedPost: Sendable, Equatable {
    public var row: Int
    public var title: String
    public var publishedAt: LocalDateTime?
    public var url: String?
    public var platformPostID: String?
    public var values: [MetricKey: Double]
}

/// The rows of an export file read against a mapping: every importable row,
/// every row error and every note. Nothing is written from a file with errors.
public struct ExportRows: Sendable, Equatable {
    public enum Kind: String, Sendable { case daily, posts }

    public var kind: Kind
    public var days: [ImportedDay] = []
    public var posts: [ImportedPost] = []
    public var errors: [ImportRowError] = []
    public var notes: [ImportRowNote] = []
    /// Data rows seen (blank rows and totals rows not counted).
    public var rowCount: Int { days.count + posts.count + Set(errors.map(\.row)).count }

    /// The kind of file a mapping describes, or why it describes none.
    public static func kind(of columns: [Int: ExportColumn]) -> Result<Kind, ImportMappingProblem> {
        let roles = Set(columns.values)
        let hasDay = roles.contains(.day)
        let hasPost = roles.contains(.title) || roles.contains(.postID) || roles.contains(.url)
        guard roles.contains(where: { if case .metric = $0 { true } else { false } }) else { return .failure(.noMetric) }
        if hasDay && hasPost { return .failure(.dayAndPost) }
        if hasDay { return .success(.daily) }
        if hasPost { return .success(.posts) }
        return .failure(.needsDayOrPost)
    }

    /// Words a totals row starts with; it repeats the other rows and is not a post or a day.
    static let totalsWords: Set<String> = ["合计", "总计", "汇总", "总和", "Total", "TOTAL", "total", "Sum"]
    /// A cell longer than this cannot clean to a totals word, even padded with spaces.
    static let totalsCellBytes = 48

    /// Whether a cell may hold a line break (`Character.isNewline`): a byte
    /// 0x0A–0x0D, or the lead byte of NEL (C2 85) or of the line and paragraph
    /// separators (E2 80 A8/A9). Most titles hold none and are not walked
    /// character by character.
    static func mayHoldLineBreak(_ text: String) -> Bool {
        text.utf8.contains { (0x0A...0x0D).contains($0) || $0 == 0xC2 || $0 == 0xE2 }
    }

    /// Reads the rows below `headerRow` with `columns` (column index → role).
    public static func read(_ rows: [[String]], headerRow: Int, columns: [Int: ExportColumn]) -> Result<ExportRows, ImportMappingProblem> {
        let kind: Kind
        switch Self.kind(of: columns) {
        case .success(let found): kind = found
        case .failure(let problem): return .failure(problem)
        }
        let header = headerRow < rows.count ? rows[headerRow] : []
        func name(_ column: Int) -> String? { column < header.count ? header[column].trimmed : nil }
        var result = ExportRows(kind: kind)
        var seenDays: [LocalDate: Int] = [:]
        var seenPosts: Set<ExactText> = []
        let ordered = columns.sorted { $0.key < $1.key }

        for index in rows.indices where index > headerRow {
            let cells = rows[index]
            let rowNumber = index + 1
            func cell(_ column: Int) -> String { column < cells.count ? cells[column] : "" }
            guard let first = cells.first(where: { !ExportCell.isBlank($0) }) else { continue }
            // The longest totals word is a few bytes; a long first cell (a title) is not one.
            if first.utf8.count <= Self.totalsCellBytes, totalsWords.contains(ExportCell.clean(first)) {
                result.notes.append(ImportRowNote(row: rowNumber, column: nil, value: ExportCell.clean(first), kind: .totalsRow))
                continue
            }
            var values: [MetricKey: Double] = [:]
            var rowErrors: [ImportRowError] = []
            var day: LocalDate?
            var title = ""
            var publishedAt: LocalDateTime?
            var url: String?
            var postID: String?
            for (column, role) in ordered {
                let raw = cell(column)
                switch role {
                case .metric(let key):
                    switch ExportCell.value(raw, for: key) {
                    case .value(let value): values[key] = value
                    case .absent: break
                    case .below: result.notes.append(ImportRowNote(row: rowNumber, column: name(column), value: raw, kind: .belowThreshold))
                    case .invalid(let problem): rowErrors.append(ImportRowError(row: rowNumber, column: name(column), value: raw, problem: ImportRowProblem(problem)))
                    }
                case .day:
                    switch ExportCell.dateTime(raw) {
                    case .success(let moment): day = moment?.date
                    case .failure(let problem): rowErrors.append(ImportRowError(row: rowNumber, column: name(column), value: raw, problem: ImportRowProblem(problem)))
                    }
                case .publishedAt:
                    switch ExportCell.dateTime(raw) {
                    case .success(let moment): publishedAt = moment
                    case .failure(let problem): rowErrors.append(ImportRowError(row: rowNumber, column: name(column), value: raw, problem: ImportRowProblem(problem)))
                    }
                case .title:
                    // Titles arrive multi-line (a 抖音 title with its hashtags): one line each, trimmed.
                    title = Self.mayHoldLineBreak(raw)
                        ? raw.split(whereSeparator: \.isNewline).map(\.trimmed).filter { !$0.isEmpty }.joined(separator: " ") : raw.trimmed
                case .url:
                    let text = raw.trimmed
                    url = text.isEmpty || ExportCell.placeholders.contains(text) ? nil : String(text.prefix(2_000))
                case .postID:
                    let text = raw.trimmed
                    postID = text.isEmpty || ExportCell.placeholders.contains(text) ? nil : String(text.prefix(200))
                case .kept:
                    break
                }
            }
            switch kind {
            case .daily:
                if day == nil, !rowErrors.contains(where: { $0.problem == .notADate }) {
                    rowErrors.append(ImportRowError(row: rowNumber, column: columns.first(where: { $0.value == .day }).flatMap { name($0.key) },
                                                    value: "", problem: .missingDay))
                }
                if let day, let first = seenDays[day] {
                    rowErrors.append(ImportRowError(row: rowNumber, column: nil, value: "\(day) · \(first)", problem: .duplicateDay))
                }
                if rowErrors.isEmpty, let day {
                    seenDays[day] = rowNumber
                    result.days.append(ImportedDay(row: rowNumber, day: day, values: values))
                }
            case .posts:
                if title.isEmpty, postID == nil, url == nil {
                    rowErrors.append(ImportRowError(row: rowNumber, column: nil, value: "", problem: .missingPost))
                }
                let identity = ExactText(postID.map { "id:" + $0 } ?? url.map { "url:" + $0 }
                                         ?? "title:" + title + "|" + (publishedAt.map { "\($0.year)-\($0.month)-\($0.day)" } ?? ""))
                if rowErrors.isEmpty, seenPosts.contains(identity) {
                    rowErrors.append(ImportRowError(row: rowNumber, column: nil, value: String(title.prefix(40)), problem: .duplicatePost))
                }
                if rowErrors.isEmpty {
                    seenPosts.insert(identity)
                    result.posts.append(ImportedPost(row: rowNumber, title: title.utf8.count <= 200 ? title : String(title.prefix(200)), publishedAt: publishedAt, url: url,
                                                     platformPostID: postID, values: values))
                }
            }
            result.errors.append(contentsOf: rowErrors)
        }
        return .success(result)
    }
}
