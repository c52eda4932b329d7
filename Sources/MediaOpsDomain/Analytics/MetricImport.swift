import Foundation

/// One upload of a back-office export file into one account's numbers:
/// previewed first (nothing written), then committed whole or not at all.
public struct MetricImport: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable, Codable {
        /// Read and checked; nothing written yet.
        case previewed
        /// Committed by a person and waiting for the worker (large files).
        case queued
        case running
        case committed
        /// The write failed and left nothing behind; the reason is kept.
        case failed
    }

    public var id: String
    public var accountID: String
    public var filename: String
    public var contentSHA256: String
    public var byteSize: Int
    /// `csv_utf8`, `csv_utf8_bom`, `csv_gb18030` or `xlsx`.
    public var fileFormat: String
    public var sheet: String
    /// The known layout recognised (or chosen); nil for a file mapped by hand.
    public var layout: ExportLayout?
    public var headerRow: Int
    /// Column index → role.
    public var columns: [Int: ExportColumn]
    public var state: State
    public var rowCount: Int
    public var errorCount: Int
    public var summary: MetricWriteSummary
    public var postsCreated: Int
    public var postsMatched: Int
    /// The moment the file's post totals are taken to describe: the upload of
    /// the first import of the same bytes, so importing a file again changes nothing.
    public var dataAsOf: Date
    /// Why a committed write failed (a code with a sentence in both languages).
    public var failure: String?
    public var createdBy: String?
    public var createdAt: Date
    public var committedAt: Date?

    public init(id: String, accountID: String, filename: String, contentSHA256: String, byteSize: Int, fileFormat: String, sheet: String,
                layout: ExportLayout?, headerRow: Int, columns: [Int: ExportColumn], state: State, rowCount: Int, errorCount: Int,
                summary: MetricWriteSummary = MetricWriteSummary(), postsCreated: Int = 0, postsMatched: Int = 0, dataAsOf: Date,
                failure: String? = nil, createdBy: String?, createdAt: Date, committedAt: Date? = nil) {
        self.id = id
        self.accountID = accountID
        self.filename = filename
        self.contentSHA256 = contentSHA256
        self.byteSize = byteSize
        self.fileFormat = fileFormat
        self.sheet = sheet
        self.layout = layout
        self.headerRow = headerRow
        self.columns = columns
        self.state = state
        self.rowCount = rowCount
        self.errorCount = errorCount
        self.summary = summary
        self.postsCreated = postsCreated
        self.postsMatched = postsMatched
        self.dataAsOf = dataAsOf
        self.failure = failure
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.committedAt = committedAt
    }

    /// Columns as stored: `{"0":"title","3":"metric:reads"}` (kept columns are left out).
    public static func encode(_ columns: [Int: ExportColumn]) -> String {
        let object = Dictionary(uniqueKeysWithValues: columns.compactMap { column, role -> (String, String)? in
            if case .kept = role { return nil }
            return (String(column), role.key)
        })
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Columns read back; `headers` names the kept ones.
    public static func decode(_ text: String, headers: [String]) -> [Int: ExportColumn] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: String] else { return [:] }
        var columns: [Int: ExportColumn] = [:]
        for (index, header) in headers.enumerated() where !header.trimmingCharacters(in: .whitespaces).isEmpty {
            columns[index] = .kept(ExportLayout.normalised(header))
        }
        for (key, value) in object {
            guard let index = Int(key), index >= 0, let role = ExportColumn(key: value, header: index < headers.count ? headers[index] : "") else { continue }
            columns[index] = role
        }
        return columns
    }
}

/// A post found in a file without the platform's id: the key it is stored
/// under, from its address where the address carries one, else from its title
/// and publish time, so importing the same file again finds the same post.
public enum ImportedPostIdentity {
    /// 公众号 article addresses carry `mid` and `idx`; other query parameters
    /// (`sn`, `chksm`, `scene`) vary between copies of the same link.
    public static func platformID(fromURL url: String) -> String? {
        guard let components = URLComponents(string: url), let host = components.host?.lowercased() else { return nil }
        let items = Dictionary((components.queryItems ?? []).compactMap { item in item.value.map { (item.name, $0) } }, uniquingKeysWith: { first, _ in first })
        if host.hasSuffix("mp.weixin.qq.com"), let mid = items["mid"], let idx = items["idx"] { return "\(mid)_\(idx)" }
        // Short links (mp.weixin.qq.com/s/AbC…), 抖音/B站/小红书 paths: the last path segment.
        if let last = components.path.split(separator: "/").last, last.count >= 6 { return "\(host)/\(last)" }
        return nil
    }

    public static func fallbackID(title: String, publishedAt: LocalDateTime?) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0" + String(value) : String(value) }
        let moment = publishedAt.map { String($0.year) + two($0.month) + two($0.day) + two($0.hour) + two($0.minute) } ?? "-"
        // FNV-1a over the title: short, stable across runs and processes.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in title.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return "import:\(moment):\(String(hash, radix: 16))"
    }
}
