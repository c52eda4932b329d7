import Foundation
import MediaOpsDomain

/// The locale catalogs: one folder per room under Resources/locales
/// (`team/zh-Hans.json`, `content/en.json` …, plus `shared/` for the words every
/// room uses), each file nested JSON objects of strings, read once at start and
/// merged. Keys are dotted paths ("members.title"); each message is whole, with
/// named placeholders ("{count}"), never glued together. A key defined by two
/// rooms stops the start: which one would win would depend on the file order.
public final class Catalogs: @unchecked Sendable {
    // Immutable after init, so sharing across tasks is safe.
    private let trees: [AppLocale: [String: Any]]
    private let flat: [AppLocale: [String: String]]

    public struct DuplicateKey: Error, CustomStringConvertible {
        public var key: String
        public var files: [String]
        public var description: String { "catalog key \(key) is defined in both \(files.joined(separator: " and "))" }
    }

    public init(directory: URL) throws {
        let rooms = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { !$0.hasPrefix(".") }
            .filter { (try? directory.appendingPathComponent($0).resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
            .sorted()
        guard !rooms.isEmpty else { throw CocoaError(.fileNoSuchFile) }
        var trees: [AppLocale: [String: Any]] = [:]
        var flat: [AppLocale: [String: String]] = [:]
        for locale in AppLocale.allCases {
            var merged: [String: String] = [:]
            var origin: [String: String] = [:]
            for room in rooms {
                let file = "\(room)/\(locale.rawValue).json"
                let data = try Data(contentsOf: directory.appendingPathComponent(file))
                guard let tree = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                    throw CocoaError(.fileReadCorruptFile)
                }
                for (key, value) in Self.flatten(tree) {
                    if let first = origin[key] { throw DuplicateKey(key: key, files: [first, file]) }
                    merged[key] = value
                    origin[key] = file
                }
            }
            flat[locale] = merged
            trees[locale] = Self.tree(merged)
        }
        self.trees = trees
        self.flat = flat
    }

    /// Dotted keys back into nested objects, as the templates read them (`t.members.title`).
    static func tree(_ flat: [String: String]) -> [String: Any] {
        var root: [String: Any] = [:]
        func insert(_ parts: ArraySlice<Substring>, _ value: String, into node: inout [String: Any]) {
            let head = String(parts.first!)
            if parts.count == 1 { node[head] = value; return }
            var child = node[head] as? [String: Any] ?? [:]
            insert(parts.dropFirst(), value, into: &child)
            node[head] = child
        }
        for (key, value) in flat { insert(key.split(separator: ".")[...], value, into: &root) }
        return root
    }

    public static func bundled() throws -> Catalogs {
        guard let url = Bundle.module.url(forResource: "locales", withExtension: nil, subdirectory: "Resources") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Catalogs(directory: url)
    }

    /// Every key of a locale, for the completeness test.
    public func keys(_ locale: AppLocale) -> Set<String> { Set(flat[locale]?.keys ?? [:].keys) }

    public func tree(_ locale: AppLocale) -> [String: Any] { trees[locale] ?? [:] }

    public func string(_ key: String, _ locale: AppLocale) -> String? { flat[locale]?[key] }

    static func flatten(_ tree: [String: Any], prefix: String = "") -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in tree {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            if let string = value as? String { out[path] = string }
            else if let child = value as? [String: Any] { out.merge(flatten(child, prefix: path)) { $1 } }
        }
        return out
    }
}

/// Strings and formats for one request's language and the workspace's time zone.
public struct Localizer: Sendable {
    public let locale: AppLocale
    public let catalogs: Catalogs
    public let timeZone: TimeZone

    public init(locale: AppLocale, catalogs: Catalogs, timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!) {
        self.locale = locale
        self.catalogs = catalogs
        self.timeZone = timeZone
    }

    /// The message for `key` with `{name}` placeholders filled. A missing key
    /// shows itself, which the catalog test turns into a failure.
    public func t(_ key: String, _ params: [String: String] = [:]) -> String {
        let text = catalogs.string(key, locale) ?? key
        return params.isEmpty ? text : Self.fill(text, params)
    }

    /// `{name}` placeholders filled in one pass (a dashboard fills thousands);
    /// a value is never scanned again, so a `{…}` inside it stays as it is.
    static func fill(_ template: String, _ params: [String: String]) -> String {
        var out = ""
        out.reserveCapacity(template.utf8.count + 16)
        // Found by their bytes: `{` and `}` are ASCII, so their places are
        // character boundaries, and no character is walked on the way.
        let bytes = template.utf8
        var copied = bytes.startIndex, index = bytes.startIndex
        while index < bytes.endIndex {
            guard bytes[index] == UInt8(ascii: "{"), let close = bytes[index...].firstIndex(of: UInt8(ascii: "}")) else {
                index = bytes.index(after: index)
                continue
            }
            out += template[copied..<index]
            if let value = params[String(template[bytes.index(after: index)..<close])] { out += value } else { out += template[index...close] }
            index = bytes.index(after: close)
            copied = index
        }
        out += template[copied...]
        return out
    }

    /// The message for `key` when the catalog has one (labels for stored codes
    /// that may come from a newer or older version).
    public func optional(_ key: String) -> String? {
        catalogs.string(key, locale) != nil ? t(key) : nil
    }

    /// The localized sentence for an error code, e.g. "error.required".
    public func error(_ code: String, field: String? = nil, params: [String: String] = [:]) -> String {
        var params = params
        if let field, params["field"] == nil { params["field"] = fieldLabel(field) }
        let key = "error.\(code)"
        return catalogs.string(key, locale) != nil ? t(key, params) : t("error.generic")
    }

    /// A human name for an API field ("fields.app_id" → "AppID").
    public func fieldLabel(_ field: String) -> String {
        let key = "field.\(field.replacingOccurrences(of: ".", with: "_"))"
        if catalogs.string(key, locale) != nil { return t(key) }
        let last = field.split(separator: ".").last.map(String.init) ?? field
        let short = "field.\(last)"
        return catalogs.string(short, locale) != nil ? t(short) : field
    }

    public func roleName(_ role: Role) -> String {
        role.isBuiltin ? t("role.\(role.key).name") : (role.name ?? role.key)
    }

    public func roleDescription(_ role: Role) -> String {
        role.isBuiltin ? t("role.\(role.key).description") : (role.description ?? "")
    }

    /// Names listed the way the language lists them: 甲、乙 / A, B.
    public func list(_ items: [String]) -> String {
        items.joined(separator: t("common.list_separator"))
    }

    /// A review stage's name; the built-in single stage is named by the catalogs.
    public func stageName(_ stage: ReviewStage) -> String {
        ReviewFlow.standard.stages.contains(stage) ? t("content.default_stage") : stage.name
    }

    public func platformName(_ platform: Platform) -> String { t("platform.\(platform.rawValue).name") }
    public func platformShortName(_ platform: Platform) -> String { t("platform.\(platform.rawValue).short") }

    // MARK: Formats (UI.md: "11月22日 周日 20:00" / "Sun 22 Nov, 20:00")

    public func dateTime(_ date: Date) -> String {
        locale == .zhHans
            ? DateFormatters.string(date, pattern: "M月d日 EEE HH:mm", locale: "zh_CN", zone: timeZone)
            : DateFormatters.string(date, pattern: "EEE d MMM, HH:mm", locale: "en_GB", zone: timeZone)
    }

    /// A calendar day as people write it: "2026年9月8日" / "8 Sep 2026".
    public func day(_ day: LocalDate) -> String {
        locale == .zhHans ? "\(day.year)年\(day.month)月\(day.day)日"
            : "\(day.day) \(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][day.month - 1]) \(day.year)"
    }

    public func fullDateTime(_ date: Date) -> String {
        locale == .zhHans
            ? DateFormatters.string(date, pattern: "yyyy年M月d日 HH:mm:ss", locale: "zh_CN", zone: timeZone)
            : DateFormatters.string(date, pattern: "d MMM yyyy, HH:mm:ss", locale: "en_GB", zone: timeZone)
    }

    /// Large counts as 万/亿 in Chinese and K/M in English; exact below ten thousand.
    public func count(_ value: Int) -> String {
        let magnitude = abs(value)
        func trimmed(_ number: Double) -> String {
            let text = FixedDecimal.text(number, digits: 1)
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        }
        switch locale {
        case .zhHans:
            if magnitude >= 100_000_000 { return trimmed(Double(value) / 100_000_000) + "亿" }
            if magnitude >= 10_000 { return trimmed(Double(value) / 10_000) + "万" }
        case .en:
            if magnitude >= 1_000_000 { return trimmed(Double(value) / 1_000_000) + "M" }
            if magnitude >= 10_000 { return trimmed(Double(value) / 1_000) + "K" }
        }
        return grouped(value)
    }

    /// "35,930": thousands separated by commas, as both languages write them.
    /// Written out by hand: a NumberFormatter made per call cost a dashboard of
    /// 500 accounts a tenth of a second.
    public func grouped(_ value: Int) -> String {
        let digits = Array(String(value.magnitude).utf8)
        var out: [UInt8] = value < 0 ? [UInt8(ascii: "-")] : []
        out.reserveCapacity(digits.count + digits.count / 3 + 1)
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(UInt8(ascii: ",")) }
            out.append(digit)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Date formatters by pattern, locale and zone, made once. Making a formatter
/// costs far more than using it (ICU builds its symbol tables each time): a
/// list page formats a hundred dates, and making one per date was a quarter of
/// its time. Formatting runs under the lock, as formatters are not safe to
/// share between threads on every platform.
public enum DateFormatters {
    private final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var formatters: [String: DateFormatter] = [:]
    }
    private static let cache = Cache()

    public static func string(_ date: Date, pattern: String, locale: String, zone: TimeZone) -> String {
        let key = pattern + "|" + locale + "|" + zone.identifier
        cache.lock.lock()
        defer { cache.lock.unlock() }
        let formatter: DateFormatter
        if let cached = cache.formatters[key] {
            formatter = cached
        } else {
            formatter = DateFormatter()
            formatter.locale = Locale(identifier: locale)
            formatter.timeZone = zone
            formatter.dateFormat = pattern
            if cache.formatters.count > 256 { cache.formatters.removeAll() }
            cache.formatters[key] = formatter
        }
        return formatter.string(from: date)
    }
}
