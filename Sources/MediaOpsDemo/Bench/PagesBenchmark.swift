import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import MediaOpsApp
import MediaOpsDomain
import MediaOpsStore
import NIOCore
import SQLKit

/// Measures the list pages and list APIs a team opens all day on a large
/// workspace: the demo workspace plus `items` generated content items (in every
/// state, with owners, tags, groups and planned times), publish targets, audit
/// entries and assets. It starts the real application on loopback, signs in as
/// the owner and times each page one request at a time (p50/p95), then serves
/// `/content` and `/health` to several connections at once (requests per
/// second). `/health` is the baseline measured in the same run.
public struct PagesBenchmark {
    public struct PageResult: Sendable {
        public var path: String
        public var p50: Double
        public var p95: Double
        public var bytes: Int
        public var ratioToHealth: Double
    }

    public struct Throughput: Sendable {
        public var path: String
        public var requestsPerSecond: Double
        public var errors: Int
    }

    public struct Report: Sendable {
        public var database: String
        public var items: Int
        public var fillSeconds: Double
        public var pages: [PageResult]
        public var throughput: [Throughput]
    }

    public let configuration: Configuration
    public let items: Int
    public let runs: Int
    public let connections: Int
    public let seconds: Double
    public let logger: Logger

    public init(configuration: Configuration, items: Int, runs: Int, connections: Int, seconds: Double, logger: Logger) {
        self.configuration = configuration
        self.items = items
        self.runs = runs
        self.connections = connections
        self.seconds = seconds
        self.logger = logger
    }

    public func run() async throws -> Report {
        let database = try await openDatabase(configuration, logger: logger)
        do {
            let report = try await run(on: database)
            await database.close()
            return report
        } catch {
            await database.close()
            throw error
        }
    }

    private func run(on database: Database) async throws -> Report {
        guard try await database.sql.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self) == 0 else {
            throw BenchmarkError("The benchmark database must be empty.")
        }
        let components = try await buildComponents(configuration: configuration, database: database, logger: logger)
        let fillStart = ContinuousClock.now
        _ = try await DemoWorkspace.load(components: components)
        try await PagesDataSet(database: database, items: items).fill(logger: logger)
        let fillSeconds = (ContinuousClock.now - fillStart).seconds
        guard let owner = try await MemberRepository(database.sql).find(email: DemoWorkspace.ownerEmail) else {
            throw BenchmarkError("The demo owner is missing.")
        }
        let session = try await SessionRepository(database.sql).create(userID: owner.id).token

        let app = buildApplication(components, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            defer { group.cancelAll() }
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let report = try await measure(client: client, session: session, database: database, fillSeconds: fillSeconds)
                try await client.shutdown()
                return report
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    /// The pages and list APIs the issue names, with the month of the calendar
    /// and the queries of the library chosen to hit many rows.
    static func paths(month: String) -> [String] {
        [
            "/health",
            "/",
            "/content",
            "/content?sort=title&page=50",
            "/content?state=published&page=3",
            "/content/library",
            "/content/library?q=" + "茶".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!,
            "/content/library?q=" + "性价比".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!,
            "/content/library?q=" + "独一无二的茶汤".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!,
            "/calendar?month=" + month,
            "/publishing",
            "/content/review",
            "/settings/audit",
            "/assets",
            "/search?q=" + "林".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!,
            "/api/v1/content",
            "/api/v1/library?q=" + "手机".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!,
            "/api/v1/targets",
            "/api/v1/audit-log",
            "/api/v1/assets",
        ]
    }

    private func measure(client: HTTPClient, session: String, database: Database, fillSeconds: Double) async throws -> Report {
        let base = "http://\(configuration.host):\(configuration.port)"
        // Wait for the listener.
        var ready = false
        for _ in 0..<200 {
            if (try? await Self.get(client, base + "/health", session: nil)) != nil { ready = true; break }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard ready else { throw BenchmarkError("The application did not start on \(base).") }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM"
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        let month = formatter.string(from: Date())

        var samples: [String: [Double]] = [:]
        var sizes: [String: Int] = [:]
        let paths = Self.paths(month: month)
        for path in paths {  // warm-up, and every page must answer 200
            let (status, bytes) = try await Self.get(client, base + path, session: session)
            guard status == 200 else { throw BenchmarkError("\(path) answered \(status).") }
            sizes[path] = bytes
        }
        // Interleaved rounds, so a slow moment of the machine falls on every page alike.
        for _ in 0..<runs {
            for path in paths {
                let start = ContinuousClock.now
                _ = try await Self.get(client, base + path, session: session)
                samples[path, default: []].append((ContinuousClock.now - start).milliseconds)
            }
        }
        let healthMedian = Self.percentile(samples["/health"] ?? [], 0.5)
        let pages = paths.map { path in
            let sorted = (samples[path] ?? []).sorted()
            let p50 = Self.percentile(sorted, 0.5)
            return PageResult(path: path, p50: p50, p95: Self.percentile(sorted, 0.95), bytes: sizes[path] ?? 0, ratioToHealth: p50 / max(healthMedian, 0.0001))
        }
        var throughput: [Throughput] = []
        for path in ["/health", "/content"] {
            throughput.append(try await load(client: client, url: base + path, session: session, path: path))
        }
        return Report(database: database.kind.rawValue, items: items, fillSeconds: fillSeconds, pages: pages, throughput: throughput)
    }

    /// `connections` loops, each sending the next request when the last one
    /// answered, for `seconds`.
    private func load(client: HTTPClient, url: String, session: String, path: String) async throws -> Throughput {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let started = ContinuousClock.now
        let counts = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var done = 0
                    var errors = 0
                    while ContinuousClock.now < deadline {
                        let status = (try? await Self.get(client, url, session: session))?.status ?? 0
                        if status == 200 { done += 1 } else { errors += 1 }
                    }
                    return (done, errors)
                }
            }
            var total = (0, 0)
            for try await (done, errors) in group { total.0 += done; total.1 += errors }
            return total
        }
        let elapsed = (ContinuousClock.now - started).seconds
        return Throughput(path: path, requestsPerSecond: Double(counts.0) / max(elapsed, 0.001), errors: counts.1)
    }

    private static func get(_ client: HTTPClient, _ url: String, session: String?) async throws -> (status: Int, bytes: Int) {
        var request = HTTPClientRequest(url: url)
        if let session { request.headers.add(name: "Cookie", value: "mediaops_session=\(session)") }
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return (Int(response.status.code), body.readableBytes)
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
    }
}

extension Duration {
    var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}

/// The generated workspace behind the page benchmark: deterministic, inserted
/// in multi-row statements.
struct PagesDataSet {
    let database: Database
    let items: Int

    static let tags = ["新品", "冬季限定", "门店", "会员日", "直播", "用户故事", "干货", "茶知识", "联名", "促销", "品牌", "探店", "测评", "节日", "早餐",
                       "下午茶", "打卡", "福利", "抽奖", "幕后", "招聘", "公益", "环保", "包装", "口味", "配方", "产地", "茶园", "手作", "周边",
                       "小红书", "公众号", "视频号", "抖音", "微博", "B站", "海外", "英文", "活动复盘", "数据"]

    func fill(logger: Logger) async throws {
        let sql = database.sql
        let members = try await sql.raw("SELECT id FROM users ORDER BY id").all().map { try $0.decode(column: "id", as: String.self) }
        let groups = try await sql.raw("SELECT id FROM account_groups ORDER BY id").all().map { try $0.decode(column: "id", as: String.self) }
        let accounts = try await sql.raw("SELECT id, platform FROM accounts ORDER BY id").all().map {
            (try $0.decode(column: "id", as: String.self), try $0.decode(column: "platform", as: String.self))
        }
        var generator = SeededGenerator(seed: 7)
        func pick<T>(_ values: [T]) -> T { values[Int(generator.next() % UInt64(values.count))] }
        let now = Date().epochMilliseconds
        let day: Int64 = 86_400_000
        let states: [(ContentState, Int)] = [(.published, 55), (.approved, 10), (.scheduled, 10), (.draft, 15), (.inReview, 5), (.changesRequested, 5)]
        let categories = ContentCategory.allCases.map(\.rawValue)
        var made = 0
        var targets: [SQLQueryString] = []
        while made < items {
            let count = min(400, items - made)
            var rows: [SQLQueryString] = []
            for index in 0..<count {
                let number = made + index
                let title = (0..<3).map { _ in pick(SearchBenchmark.words) }.joined()
                var sentence = (0..<60).map { _ in pick(SearchBenchmark.words) }.joined(separator: "，")
                if number % 997 == 0 { sentence += "。独一无二的茶汤" }
                let body = "<p>\(sentence)。</p>"
                let tags = (0..<Int(generator.next() % 4)).map { _ in pick(Self.tags) }
                let uniqueTags = Array(NSOrderedSet(array: tags)) as? [String] ?? []
                var roll = Int(generator.next() % 100)
                var state = ContentState.published
                for (candidate, share) in states { if roll < share { state = candidate; break }; roll -= share }
                let updated = now - Int64(generator.next() % UInt64(730 * day))
                let planned: Int64? = state == .draft && number % 3 == 0 ? nil : now + Int64(generator.next() % UInt64(360 * day)) - 180 * day
                let id = String(format: "cnt_page%011d", number)
                let search = ContentSearch.searchText(title: title, body: body, summary: "", tags: uniqueTags)
                let tagText = uniqueTags.isEmpty ? "" : "\u{1F}" + uniqueTags.joined(separator: "\u{1F}") + "\u{1F}"
                rows.append("(\(bind: id), \(bind: title), \(bind: body), '', \(bind: tagText), \(bind: pick(categories)), NULL, \(bind: state.rawValue), \(bind: pick(members)), \(bind: pick(groups)), NULL, \(bind: planned), 1, \(bind: state == .inReview ? 1 : 0), \(bind: number % 500 == 0), \(bind: search), \(bind: pick(members)), \(bind: updated - 3 * day), \(bind: updated))")
                if state == .scheduled || (state == .published && number % 3 == 0), let planned {
                    let (account, platform) = pick(accounts)
                    let targetState = state == .scheduled ? "scheduled" : (number % 50 == 0 ? "failed" : "published")
                    targets.append("(\(bind: "tgt_page" + String(number)), \(bind: id), \(bind: account), \(bind: platform), \(bind: planned), \(bind: targetState), \(bind: updated), \(bind: updated), 'api')")
                }
            }
            try await database.transaction { [rows, targets] tx in
                try await tx.raw("""
                    INSERT INTO content_items (id, title, body, summary, tags, category, cover_asset_id, state, owner_id, group_id, topic_id, planned_at,
                    version, review_stage, is_template, search_text, created_by, created_at, updated_at) VALUES
                    """ + rows.joined(separator: ", ")).run()
                if !targets.isEmpty {
                    try await tx.raw("INSERT INTO publish_targets (id, content_id, account_id, platform, due_at, state, created_at, updated_at, mode) VALUES "
                                     + targets.joined(separator: ", ")).run()
                }
                return ()
            }
            targets.removeAll(keepingCapacity: true)
            made += count
            if made % 20_000 == 0 { logger.notice("filled \(made) items") }
        }
        // An audit entry per item, as a year of work leaves behind.
        var written = 0
        while written < items {
            let count = min(500, items - written)
            let rows: [SQLQueryString] = (0..<count).map { index in
                let number = written + index
                return "(\(bind: String(format: "aud_page%011d", number)), \(bind: now - Int64(number) * 60_000), \(bind: members[number % members.count]), '林晓', 'update', 'content', \(bind: String(format: "cnt_page%011d", number)), '', \(bind: #"{"state":["draft","in_review"]}"#))"
            }
            try await sql.raw("INSERT INTO audit_log (id, at, actor_id, actor_name, action, entity_type, entity_id, summary, changes) VALUES " + rows.joined(separator: ", ")).run()
            written += count
        }
        // A library of a few thousand assets (rows only; the list pages do not open files).
        let assets = max(1, items / 30)
        var added = 0
        while added < assets {
            let count = min(500, assets - added)
            let rows: [SQLQueryString] = (0..<count).map { index in
                let number = added + index
                let name = "素材\(number).jpg"
                return "(\(bind: String(format: "ast_page%09d", number)), \(bind: name), \(bind: name), 'image', 'jpeg', 'image/jpeg', 120000, \(bind: String(format: "%064d", number)), 1080, 1080, \(bind: ["", "门店", "新品", "活动"][number % 4]), '', NULL, '', NULL, '郑楠', \(bind: now - Int64(number) * 3_600_000), \(bind: now - Int64(number) * 3_600_000))"
            }
            try await sql.raw("""
                INSERT INTO assets (id, name, sort_key, kind, format, mime_type, byte_size, sha256, width, height, folder, tags, licence_expires_on,
                rights_note, uploaded_by, uploaded_by_name, created_at, updated_at) VALUES
                """ + rows.joined(separator: ", ")).run()
            added += count
        }
        try await ContentRepository(sql).rebuildSearchIndexAndTagCounts()
    }
}
