import Foundation
import MediaOpsDomain
import Testing

@Suite("Pull schedule")
struct PullScheduleTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    struct AvailabilityCase: Sendable, CustomStringConvertible {
        var platform: Platform
        var zone: TimeZone
        var day: LocalDate
        var expected: String
        var description: String { "\(platform.rawValue) \(zone.identifier) \(day)" }
    }

    @Test("yesterday becomes available at the platform's time, after the workspace day has ended", arguments: [
        // 公众号: 08:00 Beijing the next day, plus the 15-minute margin.
        AvailabilityCase(platform: .wechatOA, zone: shanghai, day: LocalDate(year: 2026, month: 11, day: 30), expected: "2026-12-01T00:15:00Z"),
        AvailabilityCase(platform: .douyin, zone: shanghai, day: LocalDate(year: 2026, month: 11, day: 30), expected: "2026-12-01T02:15:00Z"),
        AvailabilityCase(platform: .bilibili, zone: shanghai, day: LocalDate(year: 2026, month: 11, day: 30), expected: "2026-12-01T04:15:00Z"),
        // Live counters: read as the workspace day ends.
        AvailabilityCase(platform: .mastodon, zone: shanghai, day: LocalDate(year: 2026, month: 11, day: 30), expected: "2026-11-30T16:15:00Z"),
        AvailabilityCase(platform: .x, zone: berlin, day: LocalDate(year: 2026, month: 11, day: 30), expected: "2026-11-30T23:15:00Z"),
        // A Berlin day ends at 07:00 Beijing on the next Beijing day: 公众号 has it complete only the morning after.
        AvailabilityCase(platform: .wechatOA, zone: berlin, day: LocalDate(year: 2026, month: 11, day: 30), expected: "2026-12-02T00:15:00Z"),
        // DST: New York's 2026-03-08 has 23 hours; the day still ends at local midnight (04:00Z).
        AvailabilityCase(platform: .telegram, zone: newYork, day: LocalDate(year: 2026, month: 3, day: 8), expected: "2026-03-09T04:15:00Z"),
        AvailabilityCase(platform: .telegram, zone: newYork, day: LocalDate(year: 2026, month: 3, day: 7), expected: "2026-03-08T05:15:00Z"),
    ])
    func availability(_ example: AvailabilityCase) {
        #expect(PullSchedule.availableAt(example.day, platform: example.platform, workspaceZone: example.zone) == Self.instant(example.expected))
    }

    @Test("the latest available day moves at 08:15 Beijing for 公众号")
    func latestDay() {
        let before = Self.instant("2026-12-01T00:10:00Z")  // 08:10 Beijing
        let after = Self.instant("2026-12-01T00:20:00Z")
        #expect(PullSchedule.latestAvailableDay(platform: .wechatOA, workspaceZone: Self.shanghai, now: before) == LocalDate(year: 2026, month: 11, day: 29))
        #expect(PullSchedule.latestAvailableDay(platform: .wechatOA, workspaceZone: Self.shanghai, now: after) == LocalDate(year: 2026, month: 11, day: 30))
    }

    @Test("ranges are cut into the platform's span", arguments: [
        (1, 7, 7, ["1...7"]),
        (1, 8, 7, ["1...7", "8...8"]),
        (1, 20, 7, ["1...7", "8...14", "15...20"]),
        (5, 5, 1, ["5...5"]),
        (9, 3, 7, []),
    ] as [(Int, Int, Int, [String])])
    func split(from: Int, to: Int, span: Int, expected: [String]) {
        let ranges = PullSchedule.split(from: LocalDate(year: 2026, month: 1, day: from), to: LocalDate(year: 2026, month: 1, day: to), maxSpan: span)
        #expect(ranges.map { "\($0.lowerBound.day)...\($0.upperBound.day)" } == expected)
        #expect(ranges.allSatisfy { $0.lowerBound.days(until: $0.upperBound) < span })
    }

    @Test("a backfill is clamped to what each platform still has")
    func backfill() {
        let latest = LocalDate(year: 2026, month: 3, day: 31)
        let wechat = PullSchedule.backfillRanges(platform: .wechatOA, from: LocalDate(year: 2026, month: 3, day: 1), to: LocalDate(year: 2026, month: 4, day: 10), latest: latest)
        #expect(wechat.count == 5 && wechat.last?.upperBound == latest && wechat.first?.lowerBound == LocalDate(year: 2026, month: 3, day: 1))
        #expect(PullSchedule.backfillRanges(platform: .wechatOA, from: LocalDate(year: 2014, month: 11, day: 25), to: LocalDate(year: 2014, month: 12, day: 3), latest: latest)
                .first?.lowerBound == LocalDate(year: 2014, month: 12, day: 1))
        let douyin = PullSchedule.backfillRanges(platform: .douyin, from: LocalDate(year: 2026, month: 1, day: 1), to: latest, latest: latest)
        #expect(douyin == [LocalDate(year: 2026, month: 3, day: 2)...latest])
        #expect(PullSchedule.backfillRanges(platform: .weibo, from: LocalDate(year: 2026, month: 1, day: 1), to: latest, latest: latest).isEmpty)
    }

    @Test("snapshots at 1 h, 24 h, 72 h, 7 d and 30 d while the platform still changes the post")
    func snapshots() {
        let published = Self.instant("2026-05-01T12:00:00Z")
        #expect(PullSchedule.snapshotTimes(publishedAt: published, platform: .weibo).map { PullSchedule.label($0.offset) } == ["1h", "24h", "72h", "7d", "30d"])
        #expect(PullSchedule.snapshotTimes(publishedAt: published, platform: .wechatOA).last?.at == Self.instant("2026-05-31T12:00:00Z"))
        #expect(PullSchedule.snapshotTimes(publishedAt: published, platform: .telegram).isEmpty)
    }

    @Test("fields map to metrics one by one: a missing, unreadable or impossible one fails alone")
    func mapper() {
        let mapper = MetricFieldMapper([
            .init("read_user", .readers), .init("like_user", .likes), .init("share_user", .sharers),
            .init("read_finish_rate", .completionRate, transform: MetricFieldMapper.fraction), .init("comment_count", .comments),
        ])
        var result = MetricPullResult()
        let values = mapper.read(["read_user": "3,593", "like_user": NSNull(), "share_user": "n/a", "read_finish_rate": 41.5, "comment_count": -3],
                                 endpoint: "datacube/x", into: &result)
        #expect(values == [.readers: 3_593, .completionRate: 0.415])
        #expect(result.failures.map(\.reason) == [.missing, .unreadable, .invalid])
        #expect(result.failures.map(\.key) == [.likes, .sharers, .comments])
        #expect(MetricField.read("12.5%") == .value(0.125) && MetricField.read(nil) == .missing)
    }
}
