import Foundation
import MediaOpsDomain
import SQLKit

/// A competitor file that cannot be imported: every row problem, in row order. Nothing was written.
public struct CompetitorImportRefused: Error, Sendable {
    public var errors: [CompetitorRowError]
}

/// What an import wrote.
public struct CompetitorImportSummary: Sendable, Equatable {
    public var rows: Int
    public var competitors: Int
    public var from: LocalDate?
    public var to: LocalDate?
}

/// Competitors and their numbers by day: validated (every broken field at
/// once), audited, and compared with the workspace's own accounts in
/// `benchmark(from:to:platform:)`.
public struct CompetitorService: Sendable {
    public let database: Database

    public init(database: Database) { self.database = database }

    /// The largest competitor file (a year of daily rows for every competitor is far less).
    public static let maxFileBytes = 10 * 1_024 * 1_024
    public static let maxFileRows = 50_000

    public func today() async throws -> (day: LocalDate, zone: TimeZone) { try await AnalyticsService(database: database).today() }

    public func all(platform: Platform? = nil) async throws -> [Competitor] { try await CompetitorRepository(database.sql).all(platform: platform) }

    public func competitor(id: String) async throws -> Competitor? { try await CompetitorRepository(database.sql).find(id: id) }

    // MARK: Competitors

    public func create(_ draft: Competitor, by principal: Principal, now: Date? = nil) async throws -> Competitor {
        let now = now ?? database.now()
        var competitor = Self.cleaned(draft)
        competitor.id = Identifier.makeOrdered("cmp")
        competitor.createdAt = now
        competitor.updatedAt = now
        let checked = competitor
        return try await takenIfRaced(checked) {
            try await database.transaction { db in
                let repository = CompetitorRepository(db)
                try await Self.check(checked, repository: repository)
                guard try await repository.count() < Competitor.maxCount else {
                    throw ValidationError(field: "name", code: "too_many", params: ["max": String(Competitor.maxCount)])
                }
                try await repository.create(checked, createdBy: principal.memberID)
                try await Audit.record(db, principal, .create, .competitor, checked.id, label: checked.name,
                                       changes: Self.fields(checked).mapValues { ["", $0] }, at: now)
                return checked
            }
        }
    }

    /// Two people saving the same handle at once: the second meets the unique
    /// index instead of the check; they are told the handle is taken, not given a 500.
    func takenIfRaced<T>(_ competitor: Competitor, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error where !(error is ValidationError || error is ValidationErrors || error is NotFoundError) {
            if let other = try? await CompetitorRepository(database.sql).find(platform: competitor.platform, handle: competitor.handle), other.id != competitor.id {
                throw ValidationError(field: "handle", code: "competitor_taken")
            }
            throw error
        }
    }

    public func update(_ edited: Competitor, by principal: Principal, now: Date? = nil) async throws -> Competitor {
        let now = now ?? database.now()
        let cleaned = Self.cleaned(edited)
        return try await takenIfRaced(cleaned) { try await updateChecked(cleaned, by: principal, now: now) }
    }

    func updateChecked(_ cleaned: Competitor, by principal: Principal, now: Date) async throws -> Competitor {
        try await database.transaction { db in
            let repository = CompetitorRepository(db)
            guard let before = try await repository.find(id: cleaned.id, lock: true) else { throw NotFoundError(entity: "competitor") }
            var competitor = cleaned
            competitor.createdAt = before.createdAt
            competitor.updatedAt = now
            try await Self.check(competitor, repository: repository)
            let changes = ChangeSet(from: Self.fields(before), to: Self.fields(competitor))
            guard !changes.isEmpty else { return before }
            try await repository.update(competitor)
            try await Audit.record(db, principal, .update, .competitor, competitor.id, label: competitor.name, changes: changes.changes, at: now)
            return competitor
        }
    }

    public func delete(id: String, by principal: Principal, now: Date? = nil) async throws {
        let now = now ?? database.now()
        try await database.transaction { db in
            let repository = CompetitorRepository(db)
            guard let competitor = try await repository.find(id: id, lock: true) else { throw NotFoundError(entity: "competitor") }
            try await repository.delete(id: id)
            try await Audit.record(db, principal, .delete, .competitor, id, label: competitor.name, at: now)
        }
    }

    static func cleaned(_ competitor: Competitor) -> Competitor {
        var competitor = competitor
        competitor.name = competitor.name.trimmingCharacters(in: .whitespacesAndNewlines)
        competitor.handle = competitor.handle.trimmingCharacters(in: .whitespacesAndNewlines)
        if competitor.handle.hasPrefix("@") { competitor.handle.removeFirst() }
        competitor.group = competitor.group.trimmingCharacters(in: .whitespacesAndNewlines)
        competitor.notes = competitor.notes.trimmingCharacters(in: .whitespacesAndNewlines)
        if let url = competitor.url?.trimmingCharacters(in: .whitespaces) { competitor.url = url.isEmpty ? nil : url }
        return competitor
    }

    /// The domain's checks and the handle being free on its platform; every broken field at once.
    static func check(_ competitor: Competitor, repository: CompetitorRepository) async throws {
        var errors = competitor.validationErrors()
        if !Competitor.platforms.contains(competitor.platform) {
            errors.insert(ValidationError(field: "platform", code: "invalid_choice", params: ["choices": Competitor.platforms.map(\.rawValue).joined(separator: ", ")]), at: 0)
        }
        if !errors.contains(where: { $0.field == "handle" }), let other = try await repository.find(platform: competitor.platform, handle: competitor.handle),
           other.id != competitor.id {
            errors.append(ValidationError(field: "handle", code: "competitor_taken"))
        }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
    }

    static func fields(_ competitor: Competitor) -> [String: String] {
        ["platform": competitor.platform.rawValue, "name": competitor.name, "handle": competitor.handle, "url": competitor.url ?? "",
         "group": competitor.group, "notes": competitor.notes]
    }

    // MARK: Days

    public func days(competitorID: String, page: PageRequest) async throws -> Page<CompetitorDay> {
        try await CompetitorRepository(database.sql).days(competitorID: competitorID, page: page)
    }

    public func days(competitorIDs: [String], from: LocalDate, to: LocalDate) async throws -> [CompetitorDay] {
        try await CompetitorRepository(database.sql).days(competitorIDs: competitorIDs, from: from, to: to)
    }

    public func day(competitorID: String, day: LocalDate) async throws -> CompetitorDay? {
        try await CompetitorRepository(database.sql).day(competitorID: competitorID, day: day)
    }

    /// Records one day by hand, replacing what that day held: a metric left
    /// out is absent afterwards. A day with no number at all is refused.
    public func recordDay(competitorID: String, day: LocalDate, values: [CompetitorMetric: Double], by principal: Principal,
                          now: Date? = nil) async throws -> CompetitorDay {
        let now = now ?? database.now()
        let today = try await today().day
        var errors: [ValidationError] = []
        if let problem = CompetitorDayRule.check(day, today: today) { errors.append(problem) }
        for metric in CompetitorMetric.allCases {
            if let value = values[metric], let problem = metric.check(value, field: metric.rawValue) { errors.append(problem) }
        }
        if errors.isEmpty, values.isEmpty { errors.append(ValidationError(field: "followers", code: "competitor_day_empty")) }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ValidationErrors(errors) }
        let record = CompetitorDay(competitorID: competitorID, day: day, values: values, source: .manual, enteredBy: principal.memberID, updatedAt: now)
        return try await database.transaction { db in
            let repository = CompetitorRepository(db)
            guard let competitor = try await repository.find(id: competitorID, lock: true) else { throw NotFoundError(entity: "competitor") }
            let before = try await repository.day(competitorID: competitorID, day: day)
            try await repository.put(record)
            var changes = ChangeSet()
            for metric in CompetitorMetric.allCases {
                changes.record(metric.rawValue, before?.values[metric].map(Self.text), values[metric].map(Self.text))
            }
            try await Audit.record(db, principal, before == nil ? .create : .update, .competitor, competitorID,
                                   label: competitor.name + " · " + day.description, changes: changes.changes, at: now)
            return record
        }
    }

    public func deleteDay(competitorID: String, day: LocalDate, by principal: Principal, now: Date? = nil) async throws {
        let now = now ?? database.now()
        try await database.transaction { db in
            let repository = CompetitorRepository(db)
            guard let competitor = try await repository.find(id: competitorID, lock: true) else { throw NotFoundError(entity: "competitor") }
            guard try await repository.day(competitorID: competitorID, day: day) != nil else { throw NotFoundError(entity: "competitor_day") }
            try await repository.deleteDay(competitorID: competitorID, day: day)
            try await Audit.record(db, principal, .delete, .competitor, competitorID, label: competitor.name + " · " + day.description, at: now)
        }
    }

    static func text(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    // MARK: Import

    /// Imports a CSV (UTF-8, UTF-8 with BOM or GB18030) or XLSX file of
    /// competitors' days. All or nothing: a file with any bad row writes nothing
    /// and every bad row is reported (`CompetitorImportRefused`). A row's empty
    /// cells leave what the day held for those metrics; its numbers replace theirs.
    public func importFile(_ data: Data, by principal: Principal, now: Date? = nil) async throws -> CompetitorImportSummary {
        let now = now ?? database.now()
        guard data.count <= Self.maxFileBytes else { throw ValidationError(field: "file", code: "file_too_large", params: ["max": "10 MB"]) }
        let file: ExportFileReader.File
        do {
            file = try ExportFileReader.read(data)
        } catch let problem as ExportFileReader.Problem {
            throw ValidationError(field: "file", code: problem.rawValue)
        } catch let problem as XLSXReader.Problem {
            throw ValidationError(field: "file", code: problem.rawValue)
        } catch {
            throw ValidationError(field: "file", code: ExportFileReader.Problem.unreadableText.rawValue)
        }
        guard let sheet = file.sheets.first(where: { CompetitorFile.headerRow($0.rows) != nil }) ?? file.sheets.first else {
            throw ValidationError(field: "file", code: ExportFileReader.Problem.empty.rawValue)
        }
        guard sheet.rows.count <= Self.maxFileRows + 10 else { throw ValidationError(field: "file", code: ExportFileReader.Problem.tooManyRows.rawValue) }
        let today = try await today().day
        let known = try await all().map { CompetitorFile.Known(id: $0.id, platform: $0.platform, name: $0.name, handle: $0.handle) }
        let result: CompetitorFile.Result
        do {
            result = try CompetitorFile.read(sheet.rows, competitors: known, today: today)
        } catch {
            throw ValidationError(field: "file", code: error.rawValue)
        }
        guard result.errors.isEmpty else { throw CompetitorImportRefused(errors: result.errors) }
        let rows = result.rows
        try await database.transaction { db in
            let repository = CompetitorRepository(db)
            for row in rows {
                var values = try await repository.day(competitorID: row.competitorID, day: row.day)?.values ?? [:]
                values.merge(row.values) { _, new in new }
                try await repository.put(CompetitorDay(competitorID: row.competitorID, day: row.day, values: values, source: .file,
                                                       enteredBy: principal.memberID, updatedAt: now))
            }
            let names = Dictionary(known.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            for id in Set(rows.map(\.competitorID)).sorted() {
                let mine = rows.filter { $0.competitorID == id }
                let days = mine.map(\.day).sorted()
                try await Audit.record(db, principal, .update, .competitor, id, label: names[id] ?? id,
                                       changes: ["import": ["", "\(mine.count) · \(days.first?.description ?? "") – \(days.last?.description ?? "")"]], at: now)
            }
        }
        let days = rows.map(\.day).sorted()
        return CompetitorImportSummary(rows: rows.count, competitors: Set(rows.map(\.competitorID)).count, from: days.first, to: days.last)
    }

    /// A sample file people can fill in: the workspace's competitors (or two
    /// made-up ones) for the last three days, with the Chinese headers.
    public func sample(xlsx: Bool) async throws -> (filename: String, contentType: String, data: Data) {
        let today = try await today().day
        var names = try await all().prefix(3).map(\.handle)
        if names.isEmpty { names = ["chayue_official", "桥头茶铺"] }
        var rows: [[ExportTable.Cell]] = []
        for back in (1...3).reversed() {
            for (index, name) in names.enumerated() {
                let base = Double(12_000 * (index + 1))
                rows.append([.text(today.adding(days: -back).description), .text(name), .number(base + Double(40 * (4 - back))), .number(Double(1 + index % 2)),
                              .number(Double(180 + 20 * index)), .number(Double(24 + 3 * index)), back == 2 && index == 0 ? .empty : .number(Double(2_400 + 300 * index))])
            }
        }
        let table = ExportTable(sheetName: "竞品数据", header: ["日期", "竞品", "粉丝数", "发文数", "篇均点赞", "篇均评论", "篇均阅读"], rows: rows)
        if xlsx {
            return ("竞品数据-样例.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", try table.xlsx())
        }
        return ("竞品数据-样例.csv", "text/csv; charset=utf-8", table.csv())
    }

    // MARK: Benchmark

    /// Own accounts against competitors over [from, to]; `platform` nil means every platform.
    public func benchmark(from: LocalDate, to: LocalDate, platform: Platform? = nil, competitorIDs: [String]? = nil) async throws -> CompetitorBenchmark {
        let zone = try await today().zone
        var competitors = try await all(platform: platform)
        if let competitorIDs { competitors = competitors.filter { competitorIDs.contains($0.id) } }
        let days = try await self.days(competitorIDs: competitors.map(\.id), from: from, to: to)
        let byCompetitor = Dictionary(grouping: days, by: \.competitorID)
        var entries: [CompetitorBenchmark.Entry] = competitors.map { competitor in
            let mine = byCompetitor[competitor.id] ?? []
            return CompetitorBenchmark.Entry(
                side: .competitor, id: competitor.id, name: competitor.name, handle: competitor.handle, platform: competitor.platform, group: competitor.group,
                figures: CompetitorFigures.of(mine),
                followersByDay: Dictionary(mine.compactMap { day in day.values[.followers].map { (day.day, $0) } }, uniquingKeysWith: { _, last in last }),
                engagementByDay: Dictionary(mine.compactMap { day in day.engagementPerPost.map { (day.day, $0) } }, uniquingKeysWith: { _, last in last }))
        }
        // Own accounts on the platforms in view: those of the competitors' platforms, or the one asked for.
        let platforms = platform.map { Set([$0]) } ?? Set(competitors.map(\.platform))
        let accounts = try await AccountRepository(database.sql).all(filter: AccountFilter()).filter { platforms.contains($0.platform) }
        let ownEntries = try await ownEntries(accounts, from: from, to: to, zone: zone)
        entries = ownEntries + entries
        return CompetitorBenchmark(from: from, to: to, platform: platform, entries: entries)
    }

    func ownEntries(_ accounts: [Account], from: LocalDate, to: LocalDate, zone: TimeZone) async throws -> [CompetitorBenchmark.Entry] {
        guard !accounts.isEmpty else { return [] }
        let reads = AnalyticsReadRepository(database.sql)
        let start = AnalyticsService.instant(from, zone), stop = AnalyticsService.instant(to.adding(days: 1), zone)
        // Read for all the accounts at once (an agency benchmarks hundreds): their follower
        // counts by day, the posts they published in the period, and those posts' snapshots.
        let followersByAccount = try await reads.dailyValues(accountIDs: accounts.map(\.id), key: .followersTotal, from: from, to: to)
        let postsByAccount = try await reads.publishedPosts(accountIDs: accounts.map(\.id), start: start, stop: stop)
        let snapshots = try await reads.snapshots(postIDs: postsByAccount.values.flatMap { $0.map(\.id) })
        var entries: [CompetitorBenchmark.Entry] = []
        for account in accounts {
            let followers = followersByAccount[account.id] ?? [:]
            var published: [String: LocalDate] = [:]
            for post in postsByAccount[account.id] ?? [] { published[post.id] = LocalDate(post.publishedAt, timeZone: zone) }
            let consumption = DerivedMetric.consumptionKey(for: account.platform)
            var posts: [(day: LocalDate, values: [String: Double])] = []
            for (id, day) in published {
                guard let latest = snapshots[id]?.last?.values else { continue }
                var values: [String: Double] = [:]
                values["likes"] = latest[.likes]
                values["comments"] = latest[.comments]
                values["reads"] = latest[consumption] ?? latest[consumption == .plays ? .reads : .plays]
                posts.append((day, values))
            }
            let averages = CompetitorFigures.perPost(posts.map(\.values))
            var figures = CompetitorFigures(avgLikes: averages.likes, avgComments: averages.comments, avgReads: averages.reads)
            figures.posts = Double(published.count)
            if let first = followers.keys.min(), let last = followers.keys.max() {
                figures.followersStart = followers[first]
                figures.followersStartDay = first
                figures.followersEnd = followers[last]
                figures.followersEndDay = last
            }
            var engagement: [LocalDate: Double] = [:]
            for (day, group) in Dictionary(grouping: posts, by: \.day) {
                let perPost = CompetitorFigures.perPost(group.map(\.values))
                if let likes = perPost.likes, let comments = perPost.comments { engagement[day] = likes + comments }
            }
            entries.append(CompetitorBenchmark.Entry(side: .own, id: account.id, name: account.name, handle: account.handle, platform: account.platform,
                                                     group: "", figures: figures, followersByDay: followers, engagementByDay: engagement))
        }
        return entries
    }
}

/// Own accounts against competitors over a period, for the benchmark page,
/// the API and the 竞品 section of reports.
///
/// Definitions: followers are the first and last counts recorded in the
/// period (growth = last − first, when on different days); posts are those
/// published in the period; averages per post are, for own accounts, the mean
/// of each post's latest figures (reads are plays on video platforms) over
/// posts published in the period, and for competitors the recorded daily
/// averages weighted by that day's posts; engagement per post is likes +
/// comments. A gap is own − competitor, against own accounts of the same
/// platform taken together (followers summed, per-post figures averaged over
/// their posts). Nothing absent is counted as zero.
public struct CompetitorBenchmark: Sendable {
    public struct Entry: Sendable {
        public enum Side: String, Sendable { case own, competitor }
        public var side: Side
        public var id: String
        public var name: String
        public var handle: String
        public var platform: Platform
        public var group: String
        public var figures: CompetitorFigures
        public var followersByDay: [LocalDate: Double]
        public var engagementByDay: [LocalDate: Double]
    }

    /// A competitor against own accounts of its platform.
    public struct Gap: Sendable, Equatable {
        public var competitorID: String
        public var followers: Double?
        public var growth: Double?
        public var avgLikes: Double?
        public var avgComments: Double?
        public var avgReads: Double?
        public var engagementPerPost: Double?
    }

    public var from: LocalDate
    public var to: LocalDate
    public var platform: Platform?
    /// Own accounts first, then competitors (by platform and name).
    public var entries: [Entry]

    public var own: [Entry] { entries.filter { $0.side == .own } }
    public var competitors: [Entry] { entries.filter { $0.side == .competitor } }

    /// Own accounts of one platform taken together: followers and growth
    /// summed over accounts that have them, per-post figures weighted by each
    /// account's posts.
    public func ownCombined(_ platform: Platform) -> CompetitorFigures? {
        let mine = own.filter { $0.platform == platform }
        guard !mine.isEmpty else { return nil }
        var combined = CompetitorFigures()
        let ends = mine.compactMap(\.figures.followersEnd)
        combined.followersEnd = ends.isEmpty ? nil : ends.reduce(0, +)
        let postCounts = mine.compactMap(\.figures.posts)
        combined.posts = postCounts.isEmpty ? nil : postCounts.reduce(0, +)
        func weighted(_ pick: (CompetitorFigures) -> Double?) -> Double? {
            var sum = 0.0, weight = 0.0
            for entry in mine {
                guard let value = pick(entry.figures), let posts = entry.figures.posts, posts > 0 else { continue }
                sum += value * posts
                weight += posts
            }
            return weight > 0 ? sum / weight : nil
        }
        combined.avgLikes = weighted(\.avgLikes)
        combined.avgComments = weighted(\.avgComments)
        combined.avgReads = weighted(\.avgReads)
        return combined
    }

    /// Growth of own accounts of one platform taken together (accounts with a growth in the period).
    public func ownGrowth(_ platform: Platform) -> Double? {
        let growths = own.filter { $0.platform == platform }.compactMap(\.figures.growth)
        return growths.isEmpty ? nil : growths.reduce(0, +)
    }

    /// Each competitor against own accounts of its platform (own − competitor).
    public var gaps: [Gap] {
        competitors.map { entry in
            let mine = ownCombined(entry.platform)
            func gap(_ own: Double?, _ theirs: Double?) -> Double? {
                guard let own, let theirs else { return nil }
                return own - theirs
            }
            return Gap(competitorID: entry.id, followers: gap(mine?.followersEnd, entry.figures.followersEnd),
                       growth: gap(ownGrowth(entry.platform), entry.figures.growth),
                       avgLikes: gap(mine?.avgLikes, entry.figures.avgLikes), avgComments: gap(mine?.avgComments, entry.figures.avgComments),
                       avgReads: gap(mine?.avgReads, entry.figures.avgReads), engagementPerPost: gap(mine?.engagementPerPost, entry.figures.engagementPerPost))
        }
    }

    public func gap(for competitorID: String) -> Gap? { gaps.first { $0.competitorID == competitorID } }
}
