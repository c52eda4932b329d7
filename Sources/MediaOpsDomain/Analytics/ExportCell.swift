import Foundation

/// One cell of a back-office export file, read the way the back-offices write
/// it: `3,593`, `1.2万`, `12.22%`, `0.0374`, `14.73秒`, `1分20秒`, `01:20`,
/// `¥12.50`, and the placeholders that mean "no value" (`-`, `--`, `数据较少`,
/// an empty cell). A placeholder is absent, never zero.
public enum ExportCell {
    public enum Number: Equatable, Sendable {
        case value(Double)
        /// No value: an empty cell or a placeholder.
        case absent
        /// "<0.1%": below what the back-office reports. Not a number to store;
        /// the import keeps the metric absent and says why.
        case below(Double)
        case invalid(Problem)
    }

    public enum Problem: String, Error, Sendable, CaseIterable {
        case notANumber = "cell_not_a_number"
        case notADuration = "cell_not_a_duration"
        case notADate = "cell_not_a_date"
        case outOfRange = "cell_out_of_range"
    }

    /// Cells that mean "the back-office has no value here".
    public static let placeholders: Set<String> = ["", "-", "--", "—", "——", "–", "/", "数据较少", "暂无", "暂无数据", "null", "NULL", "N/A", "n/a"]

    /// A cell read as a value of `key`'s unit (rates as fractions 0–1,
    /// durations in seconds, money in fen), checked against the key's rules.
    public static func value(_ raw: String, for key: MetricKey) -> Number {
        let parsed: Number
        switch key.unit {
        case .count: parsed = count(raw)
        case .fraction: parsed = fraction(raw)
        case .seconds: parsed = seconds(raw)
        case .fen: parsed = fen(raw)
        }
        guard case .value(let value) = parsed else { return parsed }
        switch key.validated(value) {
        case .success(let stored): return .value(stored)
        case .failure: return .invalid(.outOfRange)
        }
    }

    /// Whether the cell cleans to nothing (`clean(raw).isEmpty`) without
    /// building the cleaned text: every scalar is white space (no-break and
    /// ideographic spaces are). Stops at the first other scalar.
    public static func isBlank(_ raw: String) -> Bool {
        raw.unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }

    public static func clean(_ raw: String) -> String {
        // Most cells are plain ASCII with nothing to trim: returned as they are
        // (an import reads every cell of a 100,000-row file twice).
        var plain = true
        for byte in raw.utf8 where byte < 0x20 || byte > 0x7E { plain = false; break }
        if plain, raw.utf8.first != 0x20, raw.utf8.last != 0x20 { return raw }
        var scalars = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars {
            switch scalar.value {
            // No-break and ideographic spaces are dropped wherever they are.
            case 0x00A0, 0x3000: continue
            // Full-width digits and signs, as some sheets hold them.
            case 0xFF10...0xFF19: scalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
            case 0xFF0E: scalars.append(".")
            case 0xFF05: scalars.append("%")
            case 0xFF0C: scalars.append(",")
            case 0xFF0D: scalars.append("-")
            case 0xFF0B: scalars.append("+")
            case 0xFF1C: scalars.append("<")
            case 0xFF1A: scalars.append(":")
            default: scalars.append(scalar)
            }
        }
        return String(scalars).trimmed
    }

    /// "3,593", "1.2万", "3亿", "+12", "-7".
    public static func count(_ raw: String) -> Number {
        let text = clean(raw)
        if let plain = plainDecimal(text) { return .value(plain) }
        if placeholders.contains(text) { return .absent }
        guard let value = decimal(text) else { return .invalid(.notANumber) }
        return .value(value)
    }

    /// "12.22%", "0.0374", "<0.1%".
    public static func fraction(_ raw: String) -> Number {
        var text = clean(raw)
        if let plain = plainDecimal(text) { return .value(plain) }
        if let last = text.utf8.last, last == UInt8(ascii: "%"), let plain = plainDecimal(text.utf8.dropLast()) { return .value(plain / 100) }
        if placeholders.contains(text) { return .absent }
        var below = false
        if text.hasPrefix("<") { below = true; text.removeFirst() }
        let percent = text.hasSuffix("%")
        if percent { text.removeLast() }
        guard let number = decimal(text) else { return .invalid(.notANumber) }
        let value = percent ? number / 100 : number
        return below ? .below(value) : .value(value)
    }

    /// "14.73秒", "1分20秒", "1分钟", "1小时2分3秒", "01:20", "1:02:03", "80s", "80".
    public static func seconds(_ raw: String) -> Number {
        var text = clean(raw)
        if let plain = plainDecimal(text) { return .value(plain) }
        if placeholders.contains(text) { return .absent }
        if let plain = decimal(text) { return .value(plain) }
        if text.lowercased().hasSuffix("s"), let value = decimal(String(text.dropLast())) { return .value(value) }
        if text.utf8.contains(UInt8(ascii: ":")) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Double($0) }
            guard (2...3).contains(parts.count), parts.allSatisfy({ $0 != nil && $0! >= 0 }) else { return .invalid(.notADuration) }
            let numbers = parts.map { $0! }
            guard numbers.dropFirst().allSatisfy({ $0 < 60 }) else { return .invalid(.notADuration) }
            return .value(numbers.reduce(0) { $0 * 60 + $1 })
        }
        // Chinese units, largest first; each may appear once.
        var total = 0.0
        var matched = false
        for (unit, factor) in [("小时", 3_600.0), ("时", 3_600), ("分钟", 60), ("分", 60), ("秒钟", 1), ("秒", 1)] {
            guard let range = text.range(of: unit) else { continue }
            let number = String(text[..<range.lowerBound])
            guard let value = Double(number), value >= 0 else { return .invalid(.notADuration) }
            total += value * factor
            matched = true
            text = String(text[range.upperBound...])
        }
        guard matched, text.isEmpty else { return .invalid(.notADuration) }
        return .value(total)
    }

    /// Money in fen. "¥12.50", "12.50元" and "12.5 元" are yuan; a bare number is fen.
    public static func fen(_ raw: String) -> Number {
        var text = clean(raw)
        if placeholders.contains(text) { return .absent }
        var yuan = false
        for mark in ["¥", "￥"] where text.hasPrefix(mark) { yuan = true; text.removeFirst() }
        if text.hasSuffix("元") { yuan = true; text.removeLast() }
        text = text.trimmed
        guard let number = decimal(text) else { return .invalid(.notANumber) }
        return .value(yuan ? (number * 100).rounded() : number)
    }

    /// The common cell, read from its bytes: ASCII digits with an optional
    /// leading sign, thousands separators and one decimal point ("3,593",
    /// "-7", "0.0374"); nil for anything else, which `decimal` then reads.
    /// Exact: a mantissa below 2^53 divided by a power of ten up to 10^22 is
    /// correctly rounded (both are exact doubles), so the result is the one
    /// `Double(String)` gives.
    static func plainDecimal(_ text: String) -> Double? { plainDecimal(Substring(text).utf8) }

    static func plainDecimal(_ bytes: Substring.UTF8View) -> Double? {
        var mantissa: UInt64 = 0
        var digits = 0, fractionDigits = 0
        var negative = false, point = false
        var index = bytes.startIndex
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index = bytes.index(after: index)
        }
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard mantissa < 900_719_925_474_099 else { return nil }
                mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
                digits += 1
                if point { fractionDigits += 1 }
            case UInt8(ascii: ","):
                break
            case UInt8(ascii: "."):
                guard !point else { return nil }
                point = true
            default:
                return nil
            }
            index = bytes.index(after: index)
        }
        guard digits > 0, fractionDigits <= 22 else { return nil }
        let magnitude = fractionDigits == 0 ? Double(mantissa) : Double(mantissa) / powersOfTen[fractionDigits]
        return negative ? -magnitude : magnitude
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in (0..<exponent).reduce(1.0) { value, _ in value * 10 } }

    /// A plain decimal with optional sign, thousands separators and 万/亿.
    static func decimal(_ text: String) -> Double? {
        // Byte tests, not Foundation's `contains(_:)` (which bridges through NSString).
        var text = text.utf8.contains(UInt8(ascii: ",")) ? String(text.unicodeScalars.filter { $0 != "," }.map(Character.init)) : text
        var factor = 1.0
        if text.hasSuffix("万") { factor = 10_000; text.removeLast() } else if text.hasSuffix("亿") { factor = 100_000_000; text.removeLast() }
        if text.hasPrefix("+") { text.removeFirst() }
        // Workbooks store some numbers in exponent form ("4.4099999999999999E-2").
        guard !text.isEmpty, text.first != "e", text.first != "E",
              text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "e" || $0 == "E" || $0 == "+") }),
              let value = Double(text), value.isFinite else { return nil }
        return factor == 1 ? value : (value * factor).rounded()
    }

    // MARK: Dates

    /// A publish time or a day as the exports write it: `20220329`,
    /// `2026-05-29`, `2026-05-29 20:00`, `2026/5/29`, `2026/08/07 20:00:05`,
    /// `2026年05月19日15时39分28秒`, `2026年05月29日 12:40:34`, `2026年5月29日`,
    /// or an Excel serial (`46171.83`: days since 1899-12-30, the fraction
    /// being the time of day). A day alone has midnight as its time.
    public static func dateTime(_ raw: String) -> Result<LocalDateTime?, Problem> {
        let text = clean(raw)
        if let numbers = separatedNumbers(text) { return dateTime(numbers) }
        if placeholders.contains(text) { return .success(nil) }
        if let serial = Double(text), text.utf8.contains(UInt8(ascii: ".")) || text.count <= 5 {
            return excelSerial(serial).map { .success($0) } ?? .failure(.notADate)
        }
        if text.count == 8, text.allSatisfy(\.isNumber) {
            let digits = Array(text)
            guard let year = Int(String(digits[0..<4])), let month = Int(String(digits[4..<6])), let day = Int(String(digits[6..<8])),
                  LocalDate.isValid(year: year, month: month, day: day) else { return .failure(.notADate) }
            return .success(LocalDateTime(year: year, month: month, day: day, hour: 0, minute: 0))
        }
        // Turn every form into numbers in order: year month day [hour minute [second]].
        var numbers: [Int] = []
        var current = ""
        for character in text {
            if character.isASCII, character.isNumber { current.append(character); continue }
            guard "-/年月日时分秒点: T".contains(character) else { return .failure(.notADate) }
            if !current.isEmpty { numbers.append(Int(current) ?? -1); current = "" }
        }
        if !current.isEmpty { numbers.append(Int(current) ?? -1) }
        return dateTime(numbers)
    }

    /// Year, month, day [, hour, minute [, second]] as a checked time.
    static func dateTime(_ numbers: [Int]) -> Result<LocalDateTime?, Problem> {
        guard (3...6).contains(numbers.count), numbers.count != 4 else { return .failure(.notADate) }
        let (year, month, day) = (numbers[0], numbers[1], numbers[2])
        let hour = numbers.count > 3 ? numbers[3] : 0
        let minute = numbers.count > 4 ? numbers[4] : 0
        let second = numbers.count > 5 ? numbers[5] : 0
        guard (1_970...9_999).contains(year), LocalDate.isValid(year: year, month: month, day: day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return .failure(.notADate) }
        return .success(LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
    }

    /// The numbers of the common form, read from its bytes: ASCII digits
    /// separated by `-`, `/`, `:`, ` ` or `T`, with at least one separator
    /// ("2026-05-29 20:00", "2026/5/29"); nil for anything else, which the
    /// general reading then takes (Chinese units, serials, `20220329`, and
    /// the placeholders `-`, `--`, `/`). A number stops growing past any date
    /// part's range, where every check refuses it anyway.
    static func separatedNumbers(_ text: String) -> [Int]? {
        var numbers: [Int] = []
        var current = 0, length = 0, separators = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                current = min(current * 10 + Int(byte - UInt8(ascii: "0")), 1_000_000)
                length += 1
            case UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: " "), UInt8(ascii: "T"):
                separators += 1
                if length > 0 { numbers.append(current) }
                current = 0
                length = 0
            default:
                return nil
            }
        }
        if length > 0 { numbers.append(current) }
        guard separators > 0, !numbers.isEmpty else { return nil }
        return numbers
    }

    /// Excel's serial day (the 1900 system; serials before 1970 or after 9999 are refused).
    static func excelSerial(_ serial: Double) -> LocalDateTime? {
        guard serial.isFinite, (25_569...2_958_465).contains(serial) else { return nil }
        let days = serial.rounded(.down)
        var seconds = ((serial - days) * 86_400).rounded()
        var day = Int(days)
        if seconds >= 86_400 { seconds -= 86_400; day += 1 }
        // Serial 25569 is 1970-01-01.
        let date = LocalDate(year: 1970, month: 1, day: 1).adding(days: day - 25_569)
        let total = Int(seconds)
        return LocalDateTime(year: date.year, month: date.month, day: date.day, hour: total / 3_600, minute: total % 3_600 / 60, second: total % 60)
    }
}
