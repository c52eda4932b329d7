import Foundation
import MediaOpsDomain
import Testing

@Suite("Export cells")
struct ExportCellTests {
    static func number(_ cell: ExportCell.Number) -> Double? {
        if case .value(let value) = cell { return value }
        return nil
    }

    @Test("numbers as the back-offices write them", arguments: [
        ("3,593", MetricKey.reads, 3_593.0), ("1.2万", .plays, 12_000), ("3亿", .impressions, 300_000_000), ("  42 ", .likes, 42),
        ("+12", .followersNet, 12), ("-7", .followersNet, -7), ("１２３", .comments, 123),
        ("12.22%", .completionRate, 0.1222), ("0.0374", .deliveryReadRate, 0.0374), ("4.41％", .coverCTR, 0.0441), ("100%", .completionRate, 1),
        ("14.73秒", .avgWatchSeconds, 14.73), ("1分20秒", .avgWatchSeconds, 80), ("2分钟", .avgWatchSeconds, 120), ("1小时2分3秒", .avgWatchSeconds, 3_723),
        ("01:20", .avgWatchSeconds, 80), ("1:02:03", .avgWatchSeconds, 3_723), ("80s", .avgWatchSeconds, 80), ("80", .avgWatchSeconds, 80),
        ("1880", .tipsFen, 1_880), ("¥18.80", .tipsFen, 1_880), ("18.8元", .tipsFen, 1_880),
    ] as [(String, MetricKey, Double)])
    func numbers(raw: String, key: MetricKey, expected: Double) throws {
        let value = try #require(Self.number(ExportCell.value(raw, for: key)), "\(raw) as \(key)")
        #expect(abs(value - expected) < 1e-9, "\(raw) as \(key) read as \(value)")
    }

    @Test("placeholders are no value, never zero", arguments: ["", "-", "--", "—", "数据较少", "暂无数据", " ", "N/A"])
    func placeholders(raw: String) {
        for key in [MetricKey.reads, .completionRate, .avgWatchSeconds, .tipsFen] {
            #expect(ExportCell.value(raw, for: key) == .absent, "\(raw) as \(key)")
        }
    }

    @Test("what cannot be a value is named, and a threshold is not taken for a number")
    func refusals() {
        #expect(ExportCell.value("<0.1%", for: .completionRate) == .below(0.001))
        #expect(ExportCell.value("abc", for: .reads) == .invalid(.notANumber))
        #expect(ExportCell.value("1.5", for: .reads) == .invalid(.outOfRange))       // half a read
        #expect(ExportCell.value("-3", for: .likes) == .invalid(.outOfRange))        // only the net change may be negative
        #expect(ExportCell.value("120%", for: .completionRate) == .invalid(.outOfRange))
        #expect(ExportCell.value("12.22", for: .completionRate) == .invalid(.outOfRange))  // a percentage without its sign
        #expect(ExportCell.value("1分80秒秒", for: .avgWatchSeconds) == .invalid(.notADuration))
        #expect(ExportCell.value("1:75", for: .avgWatchSeconds) == .invalid(.notADuration))
        #expect(ExportCell.value("1,2,3.4.5", for: .reads) == .invalid(.notANumber))
    }

    @Test("publish times in every form the exports use", arguments: [
        ("20220329", LocalDateTime(year: 2022, month: 3, day: 29, hour: 0, minute: 0)),
        ("2026-05-29", LocalDateTime(year: 2026, month: 5, day: 29, hour: 0, minute: 0)),
        ("2026-05-29 20:00", LocalDateTime(year: 2026, month: 5, day: 29, hour: 20, minute: 0)),
        ("2026/5/29", LocalDateTime(year: 2026, month: 5, day: 29, hour: 0, minute: 0)),
        ("2026/08/07 20:00:05", LocalDateTime(year: 2026, month: 8, day: 7, hour: 20, minute: 0, second: 5)),
        ("2026年05月19日15时39分28秒", LocalDateTime(year: 2026, month: 5, day: 19, hour: 15, minute: 39, second: 28)),
        ("2026年05月29日 12:40:34", LocalDateTime(year: 2026, month: 5, day: 29, hour: 12, minute: 40, second: 34)),
        ("2026年5月29日", LocalDateTime(year: 2026, month: 5, day: 29, hour: 0, minute: 0)),
        // Excel serials: 46171 is 2026-05-29; .8333… is 20:00.
        ("46171", LocalDateTime(year: 2026, month: 5, day: 29, hour: 0, minute: 0)),
        ("46171.833333333336", LocalDateTime(year: 2026, month: 5, day: 29, hour: 20, minute: 0)),
    ] as [(String, LocalDateTime)])
    func dates(raw: String, expected: LocalDateTime) throws {
        #expect(try ExportCell.dateTime(raw).get() == expected, "\(raw)")
    }

    @Test("impossible dates are refused, an empty date is no date")
    func badDates() throws {
        for raw in ["20260230", "2026-13-01", "2026/2/30", "2026年05月19日25时", "昨天", "2026-05", "12"] {
            #expect(throws: ExportCell.Problem.notADate, "\(raw)") { try ExportCell.dateTime(raw).get() }
        }
        #expect(try ExportCell.dateTime("--").get() == nil)
    }
}

/// The byte-level readings of the common cells (plain decimals, dates with
/// ASCII separators) give exactly what the general reading gives.
@Suite("Export cells: the fast readings")
struct ExportCellFastReadingTests {
    @Test("a plain decimal reads to the same double as Double(String), bit for bit")
    func decimalsExact() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let whole = String(UInt64.random(in: 0...9_999_999_999, using: &generator))
            let fractionDigits = Int.random(in: 0...6, using: &generator)
            let fraction = fractionDigits == 0 ? "" : "." + String((0..<fractionDigits).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
            let sign = ["", "+", "-"].randomElement(using: &generator)!
            let plain = whole + fraction
            // Thousands separators as the back-offices write them.
            var grouped = ""
            for (index, character) in whole.enumerated() {
                if index > 0, (whole.count - index) % 3 == 0 { grouped.append(",") }
                grouped.append(character)
            }
            let expected = Double(sign == "-" ? "-" + plain : plain)!
            for text in [sign + plain, sign + grouped + fraction] {
                guard case .value(let value) = ExportCell.count(text) else { Issue.record("\(text) not read"); continue }
                #expect(value.bitPattern == expected.bitPattern, "\(text) read as \(value), Double gives \(expected)")
            }
            let percent = plain + "%"
            guard case .value(let rate) = ExportCell.fraction(percent) else { Issue.record("\(percent) not read"); continue }
            #expect(rate.bitPattern == (Double(plain)! / 100).bitPattern, "\(percent) read as \(rate)")
        }
    }

    @Test("numbers beyond the fast reading still read", arguments: [
        ("12345678901234567890", 12_345_678_901_234_567_890.0), ("0.12345678901234567890123", 0.12345678901234567890123), ("1e3", 1_000), (".5", 0.5),
    ] as [(String, Double)])
    func longNumbers(text: String, expected: Double) {
        #expect(ExportCell.count(text) == .value(expected))
    }

    @Test("dates with ASCII separators, and the placeholders made of separators", arguments: [
        ("2026-05-29 20:00", LocalDateTime(year: 2026, month: 5, day: 29, hour: 20, minute: 0) as LocalDateTime?),
        ("2026/5/29", LocalDateTime(year: 2026, month: 5, day: 29, hour: 0, minute: 0)),
        ("2026-05-29T08:07:06", LocalDateTime(year: 2026, month: 5, day: 29, hour: 8, minute: 7, second: 6)),
        ("00002026-05-29", LocalDateTime(year: 2026, month: 5, day: 29, hour: 0, minute: 0)),
        ("-", nil), ("--", nil), ("/", nil),
    ])
    func dates(text: String, expected: LocalDateTime?) throws {
        #expect(try ExportCell.dateTime(text).get() == expected)
    }

    @Test("dates the fast reading refuses are refused", arguments: ["2026-13-01", "2026-02-30", "2026-05-29 24:00", "99999999999-01-01", "2026-05", "2026-05-29 20", "-5"])
    func badDates(text: String) {
        #expect(throws: ExportCell.Problem.notADate) { try ExportCell.dateTime(text).get() }
    }
}

@Suite("Local instants")
struct LocalInstantsTests {
    @Test("many times of one zone give what instant(in:) gives, across clock changes", arguments: ["Asia/Shanghai", "America/New_York", "Europe/London", "America/Santiago"])
    func sameInstants(zoneName: String) throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        var instants = LocalInstants(zone: zone)
        // Shanghai kept summer time from 1986 to 1991; the others change twice a year.
        for year in [1988, 2026] {
            var day = LocalDate(year: year, month: 1, day: 1)
            while day.year == year {
                for (hour, minute) in [(0, 0), (0, 30), (1, 30), (2, 30), (3, 0), (12, 0), (23, 59)] {
                    let time = LocalDateTime(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute, second: 7)
                    #expect(instants.instant(time) == time.instant(in: zone), "\(zoneName) \(day) \(hour):\(minute)")
                }
                day = day.adding(days: 1)
            }
        }
    }
}

@Suite("Exact text keys")
struct ExactTextTests {
    @Test("equal by their bytes, and hashed so")
    func bytes() {
        #expect(ExactText("季度复盘") == ExactText("季度" + "复盘"))
        #expect(ExactText("季度复盘") != ExactText("季度复"))
        #expect(Set([ExactText("作品1"), ExactText("作品1"), ExactText("作品2")]).count == 2)
        // "é" precomposed and decomposed are one String but two keys: an export's own bytes are its identity.
        #expect("\u{E9}" == "e\u{301}")
        #expect(ExactText("\u{E9}") != ExactText("e\u{301}"))
    }
}
