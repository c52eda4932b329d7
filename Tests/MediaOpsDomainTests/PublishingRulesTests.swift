import Foundation
import MediaOpsDomain
import Testing

@Suite("Publishing state")
struct PublishingRulesTests {
    @Test("an item's publishing state is derived from its targets", arguments: [
        ([TargetState](), PublishingSummary.none),
        ([.cancelled], .none),
        ([.scheduled, .scheduled], .scheduled),
        ([.published, .published, .cancelled], .published),
        ([.published, .scheduled], .partiallyPublished),
        ([.published, .failed], .partiallyPublished),
        ([.failed, .scheduled], .failed),
        ([.publishing, .published], .publishing),
        ([.unconfirmed, .published], .needsAttention),
    ])
    func derive(states: [TargetState], expected: PublishingSummary) {
        #expect(PublishingSummary.derive(states) == expected)
    }

    @Test("only scheduled targets may be moved or cancelled")
    func open() {
        #expect(TargetState.scheduled.isOpen)
        #expect(TargetState.allCases.filter(\.isOpen) == [.scheduled])
        #expect(TargetState.allCases.filter(\.isFinal) == [.published, .cancelled])
    }
}

@Suite("Wall-clock times across daylight saving")
struct LocalDateTimeTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    let formatter = ISO8601DateFormatter()

    func utc(_ text: String) -> String? { LocalDateTime(text)?.instant(in: berlin).map(formatter.string) }

    @Test("a time the clocks skip moves forward by the jump; a repeated time means its first occurrence")
    func edges() {
        // 29 March 2026: 02:00 CET jumps to 03:00 CEST.
        #expect(utc("2026-03-29T01:30") == "2026-03-29T00:30:00Z")
        #expect(utc("2026-03-29T02:30") == "2026-03-29T01:30:00Z")
        #expect(utc("2026-03-29T03:30") == "2026-03-29T01:30:00Z")
        #expect(utc("2026-03-29T09:00") == "2026-03-29T07:00:00Z")
        // 25 October 2026: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
        #expect(utc("2026-10-25T02:30") == "2026-10-25T00:30:00Z")
        #expect(utc("2026-10-25T03:30") == "2026-10-25T02:30:00Z")
        // Shanghai has no daylight saving: eight hours ahead all year.
        #expect(LocalDateTime("2026-03-29T02:30")?.instant(in: TimeZone(identifier: "Asia/Shanghai")!).map(formatter.string) == "2026-03-28T18:30:00Z")
    }

    @Test("malformed or impossible times are refused")
    func refused() {
        for text in ["", "2026-02-31T10:00", "2026-13-01T10:00", "2026-01-01T24:00", "2026-01-01", "明天 10:00", "2026-01-01T10:60"] {
            #expect(LocalDateTime(text)?.instant(in: berlin) == nil, "\(text)")
        }
        #expect(LocalDateTime("2026-01-01 10:00:30") == LocalDateTime(year: 2026, month: 1, day: 1, hour: 10, minute: 0, second: 30))
    }
}
