import Foundation
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
import Testing

@Suite("Store clock")
struct StoreClockTests {
    /// Services read the time from the database handle's clock, so a test (or
    /// a later daily job) can run at a chosen instant without passing `now:`.
    @Test("services stamp and compare with the injected clock", arguments: TestDatabase.available)
    func injectedClock(db: TestDatabase) async throws {
        try await db.with { database in
            let later = Date(timeIntervalSince1970: 4_102_444_800)  // 2100-01-01
            let shifted = database.withClock { later }
            // A job due in a day is not due now, but is due on the shifted clock.
            let queue = JobQueue(database: database)
            _ = try await queue.enqueue(kind: .publish, payload: "x", runAt: Date().addingTimeInterval(86_400))
            #expect(try await queue.claim(owner: "w", limit: 5, lease: 30).isEmpty)
            #expect(try await JobQueue(database: shifted).claim(owner: "w", limit: 5, lease: 30).count == 1)
            // A topic proposed through the shifted handle is created at its time.
            let (_, owner) = try await StoreFixtures.setUp(StoreFixtures.service(database))
            let topic = try await TopicService(database: shifted).propose(.init(title: "百年后的选题"), by: owner)
            #expect(topic.createdAt == later)
            #expect(try await TopicService(database: database).find(id: topic.id)?.createdAt == later)
        }
    }
}
