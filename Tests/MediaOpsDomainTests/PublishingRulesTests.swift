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
