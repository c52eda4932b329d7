import Foundation
import MediaOpsDomain
import SQLKit

/// Funnels: set up and changed with every broken field named at once and
/// audited; events (leads, orders) imported for a stage from a file, all or
/// nothing; and each stage's count, the conversion between stages and the
/// drop-off, for a period beside the one before it, in total and by account.
public struct FunnelService: Sendable {
    public let database: Database

    public init(database: Database) { self.database = database }

    // MARK: Funnels

    public func all() async throws -> [Funnel] { try await FunnelRepository(database.sql).all() }

    public func find(id: String) async throws -> Funnel? { try await FunnelRepository(database.sql).find(id: id) }

    public func create(_ draft: Funnel, by principal: Principal, now: Date? = nil) async throws -> Funnel {
        let now = now ?? database.now()
        var funnel = Self.normalised(draft)
        funnel.id = Identifier.makeOrdered("fnl")
        let checked = funnel
        return try await database.transaction { db in
            try await Self.check(checked, db: db)
            try await FunnelRepository(db).create(checked, createdBy: principal.memberID, now: now)
            try await Audit.record(db, principal, .create, .funnel, checked.id, label: checked.name, changes: Self.fields(checked).mapValues { ["", $0] }, at: now)
            return checked
        }
    }

    public func update(_ edited: Funnel, by principal: Principal, now: Date? = nil) async throws -> Funnel {
        let now = now ?? database.now()
        let funnel = Self.normalised(edited)
        return try await database.transaction { db in
            let repository = FunnelRepository(db)
            guard let before = try await repository.find(id: funnel.id, lock: true) else { throw NotFoundError(entity: "funnel") }
            try await Self.check(funnel, db: db)
            let changes = ChangeSet(from: Self.fields(before), to: Self.fields(funnel))
            guard !changes.isEmpty else { return before }
            try await repository.update(funnel, now: now)
            try await Audit.record(db, principal, .update, .funnel, funnel.id, label: funnel.name, changes: changes.changes, at: now)
            return funnel
        }
    }

    /// Deletes a funnel with its imported events.
    public func delete(id: String, by principal: Principal, now: Date? = nil) async throws {
        let now = now ?? database.now()
        try await database.transaction { db in
            let repository = FunnelRepository(db)
            guard let funnel = try await repository.find(id: id, lock: true) else { throw NotFoundError(entity: "funnel") }
            try await repository.delete(id: id)
            try await Audit.record(db, principal, .delete, .funnel, id, label: funnel.name, at: now)
        }
    }

    static func normalised(_ funnel: Funnel) -> Funnel {
        var funnel = funnel
        funnel.name = funnel.name.trimmed
        funnel.description = funnel.description.trimmed
        funnel.stages = funnel.stages.map { FunnelStage(name: $0.name.trimmed, source: $0.source) }
        return funnel
    }

    static func check(_ funnel: Funnel, db: any SQLDatabase) async throws {
        var errors = funnel.validationErrors()
        if !errors.contains(where: { $0.field == "scope" }) {
            switch funnel.scope {
            case .account(let id):
                if try await AccountRepository(db).find(id: id) == nil { errors.append(ValidationError(field: "scope", code: "unknown_account")) }
            case .group(let id):
                if try await AccountGroupRepository(db).find(id: id) == nil { errors.append(ValidationError(field: "scope", code: "unknown_group")) }
            case .allAccounts:
                break
            }
        }
        guard errors.isEmpty else { throw ValidationErrors(errors) }
    }

    static func fields(_ funnel: Funnel) -> [String: String] {
        var fields = ["name": funnel.name, "description": funnel.description,
                      "scope": [funnel.scope.kind.rawValue, funnel.scope.id].compactMap { $0 }.joined(separator: ":")]
        for (index, stage) in funnel.stages.enumerated() { fields["stage_\(index + 1)"] = stage.name + " · " + stage.source.key }
        return fields
    }

    // MARK: Events

    public struct ImportOutcome: Sendable, Equatable {
        /// Events in the file.
        public var rows: Int
        /// Events new to the stage.
        public var added: Int
        /// Events the stage had already (the same file imported again).
        public var known: Int { rows - added }
        public var latestDay: LocalDate?
    }

    /// Events refused because rows are broken: every broken row, nothing written.
    public struct RowErrors: Error, Sendable, Equatable {
        public var errors: [FunnelEventFile.RowError]
        public var total: Int
    }

    public static let maxBytes = 20 << 20

    /// How many events each event stage holds, by position (1-based).
    public func eventCounts(_ funnel: Funnel) async throws -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for (index, stage) in funnel.stages.enumerated() where stage.source == .events {
            counts[index + 1] = try await FunnelRepository(database.sql).eventCount(funnelID: funnel.id, position: index + 1)
        }
        return counts
    }

    /// Imports a file of events for stage `position` (1-based), which must
    /// count events. A file with any broken row writes nothing.
    public func importEvents(funnelID: String, position: Int, data: Data, by principal: Principal, now: Date? = nil) async throws -> ImportOutcome {
        let now = now ?? database.now()
        guard let funnel = try await find(id: funnelID) else { throw NotFoundError(entity: "funnel") }
        guard funnel.stages.indices.contains(position - 1), funnel.stages[position - 1].source == .events else {
            throw ValidationError(field: "stage", code: "funnel_stage_not_events")
        }
        guard data.count <= Self.maxBytes else { throw ValidationError(field: "file", code: "file_too_large", params: ["max": "20 MB"]) }
        let file: ExportFileReader.File
        do {
            file = try ExportFileReader.read(data)
        } catch let problem as ExportFileReader.Problem {
            throw ValidationError(field: "file", code: problem.rawValue)
        } catch let problem as XLSXReader.Problem {
            throw ValidationError(field: "file", code: problem.rawValue)
        }
        let accounts = try await AccountRepository(database.sql).all(filter: AccountFilter(includeRetired: true))
        let reading: FunnelEventFile.Reading
        do {
            reading = try FunnelEventFile.read(file.sheets.first?.rows ?? [], accounts: accounts)
        } catch {
            throw ValidationError(field: "file", code: error.rawValue, params: ["max": String(FunnelEventFile.maxRows)])
        }
        guard reading.errors.isEmpty else {
            throw RowErrors(errors: Array(reading.errors.prefix(FunnelEventFile.maxErrorsListed)), total: reading.errors.count)
        }
        let events = reading.events
        let added = try await database.transaction { db in
            let added = try await FunnelRepository(db).insertEvents(events, funnelID: funnelID, position: position, importedBy: principal.memberID, now: now)
            try await Audit.record(db, principal, .update, .funnel, funnelID, label: funnel.name,
                                   changes: ["events_\(position)": ["", String(added)]], at: now)
            return added
        }
        let latest = events.map(\.day).max()
        // New data lands: the funnel rules judge it (a failure here never undoes the import).
        await AlertService(database: database).judgeNewNumbers(accountIDs: [], through: latest, now: now, after: "funnel events \(funnelID)")
        return ImportOutcome(rows: events.count, added: added, latestDay: latest)
    }

    // MARK: Figures

    /// One stage over a period.
    public struct StageFigures: Sendable, Equatable {
        public var count: Double?
        /// Imported events' money, fen (event stages only).
        public var amount: Double?
    }

    /// A funnel's stages over a period, in total and by account.
    public struct PeriodFigures: Sendable, Equatable {
        public var total: [StageFigures]
        /// By account id; events without an account appear only in the total.
        public var byAccount: [String: [StageFigures]]

        public var counts: [Double?] { total.map(\.count) }
    }

    /// The accounts a funnel's metric stages sum over: its scope's accounts, retired ones left out.
    public func accounts(of funnel: Funnel) async throws -> [Account] {
        let repository = AccountRepository(database.sql)
        switch funnel.scope {
        case .account(let id): return try await repository.find(id: id).map { [$0] } ?? []
        case .group(let id): return try await repository.all(filter: AccountFilter(groupID: id))
        case .allAccounts: return try await repository.all(filter: AccountFilter())
        }
    }

    /// Each stage's count (and amount) over each period.
    public func figures(_ funnel: Funnel, periods: [(from: LocalDate, to: LocalDate)], zone: TimeZone) async throws -> [PeriodFigures] {
        let accounts = try await accounts(of: funnel)
        let ids = accounts.map(\.id)
        let sums = ids.isEmpty ? Array(repeating: [:], count: periods.count)
            : try await AnalyticsService(database: database).totals(accountIDs: ids, periods: periods, zone: zone)
        var result: [PeriodFigures] = []
        for (index, period) in periods.enumerated() {
            var total: [StageFigures] = []
            var byAccount: [String: [StageFigures]] = Dictionary(uniqueKeysWithValues: ids.map { ($0, []) })
            for (stageIndex, stage) in funnel.stages.enumerated() {
                switch stage.source {
                case .metric(let key):
                    var sum: Double?
                    for id in ids {
                        let value = sums[index][id]?.sums[key]
                        byAccount[id]?.append(StageFigures(count: value, amount: nil))
                        if let value { sum = (sum ?? 0) + value }
                    }
                    total.append(StageFigures(count: sum, amount: nil))
                case .events:
                    let events = try await FunnelRepository(database.sql).eventTotals(funnelID: funnel.id, position: stageIndex + 1, from: period.from, to: period.to)
                    var count = 0.0
                    var amount: Double?
                    for (_, value) in events {
                        count += value.count
                        if let money = value.amount { amount = (amount ?? 0) + money }
                    }
                    for id in ids {
                        let own = events[id]
                        byAccount[id]?.append(StageFigures(count: own?.count ?? 0, amount: own?.amount))
                    }
                    // No event at all in the period is a count of zero: the file says what happened.
                    total.append(StageFigures(count: count, amount: amount))
                }
            }
            result.append(PeriodFigures(total: total, byAccount: byAccount))
        }
        return result
    }

    /// One stage's count a day over [from, to] (index 0 = the first stage): its
    /// imported events, or its metric summed over the funnel's accounts. A day
    /// without any is absent.
    public func dailyCounts(_ funnel: Funnel, stage index: Int, from: LocalDate, to: LocalDate, accounts given: [Account]? = nil) async throws -> [LocalDate: Double] {
        guard funnel.stages.indices.contains(index) else { return [:] }
        switch funnel.stages[index].source {
        case .events:
            return try await FunnelRepository(database.sql).dailyEventCounts(funnelID: funnel.id, position: index + 1, from: from, to: to, accountIDs: nil)
        case .metric(let key):
            var sums: [LocalDate: Double] = [:]
            let accounts: [Account]
            if let given { accounts = given } else { accounts = try await self.accounts(of: funnel) }
            for account in accounts {
                for (day, values) in try await MetricService(database: database).daily(accountID: account.id, from: from, to: to, keys: [key]) {
                    if let value = values[key]?.value { sums[day, default: 0] += value }
                }
            }
            return sums
        }
    }

    /// The daily counts of stage `index` (entered) and the next one (advanced)
    /// over [from, to], summed over the funnel's accounts, for the drop-off alert.
    public func dailyStageCounts(_ funnel: Funnel, stage index: Int, from: LocalDate, to: LocalDate) async throws -> [LocalDate: FunnelStageCounts] {
        guard funnel.stages.indices.contains(index), funnel.stages.indices.contains(index + 1) else { return [:] }
        let accounts = try await accounts(of: funnel)
        let entered = try await dailyCounts(funnel, stage: index, from: from, to: to, accounts: accounts)
        let advanced = try await dailyCounts(funnel, stage: index + 1, from: from, to: to, accounts: accounts)
        var counts: [LocalDate: FunnelStageCounts] = [:]
        // A day is a day of the funnel when its upper stage has a count; an event stage with none that day counted zero.
        let eventsBelow = funnel.stages[index + 1].source == .events
        for (day, value) in entered {
            guard let next = advanced[day] ?? (eventsBelow ? 0 : nil) else { continue }
            counts[day] = FunnelStageCounts(entered: value, advanced: next)
        }
        return counts
    }
}
