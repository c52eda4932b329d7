import Foundation
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsSandbox
import Testing

/// Mastodon against the imitation: media processing, the Idempotency-Key, rate
/// limits with an ISO 8601 reset, revoked tokens.
@Suite("Mastodon connector against the sandbox")
struct MastodonConnectorTests {
    let connector = MastodonConnector()
    let platform = "mastodon"

    @Test("A status with a picture: upload 202, one 206 poll, then 200, posted once with our idempotency key")
    func publishWithMedia() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        let payload = Fixtures.payload(Fixtures.account(.mastodon))
        let outcome = await connector.publish(payload, context: harness.context)
        guard case .published(let id, let url) = outcome else { Issue.record("expected published, got \(outcome)"); return }
        let owner = try #require(await harness.state.posts().first?.account)
        #expect(url == "\(harness.url)/@\(owner)/\(id)")
        #expect(await harness.calls(platform, "media") == 1)
        #expect(await harness.calls(platform, "media/get") == 2)
        let posts = await harness.state.posts(platform: platform)
        #expect(posts.count == 1)
        #expect(posts.first?.id == id)
        #expect(posts.first?.text == payload.text)
        #expect(posts.first?.idempotencyKey == payload.targetID)
        // The token is not what the sandbox shows as the account.
        #expect(posts.first?.account.contains(Fixtures.mastodonToken) == false)
    }

    @Test("Sending again with the same target id answers the same status and posts nothing new")
    func idempotentResend() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        let payload = Fixtures.payload(Fixtures.account(.mastodon), cover: nil)
        let first = await connector.publish(payload, context: harness.context)
        let second = await connector.publish(payload, context: harness.context)
        guard case .published = first else { Issue.record("expected published, got \(first)"); return }
        #expect(first == second)
        #expect(await harness.state.posts(platform: platform).count == 1)
        #expect(await connector.reconcile(payload, remoteID: nil, context: harness.context) == .safeToResend)
    }

    @Test("429 is transient with the delay from X-RateLimit-Reset")
    func rateLimited() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        await harness.state.add(Scenario(platform: platform, kind: .rateLimit, seconds: 120, call: "statuses"))
        let outcome = await connector.publish(Fixtures.payload(Fixtures.account(.mastodon), cover: nil), context: harness.context)
        #expect(outcome.isTransient, "got \(outcome)")
        let retry = try #require(outcome.retryAfter)
        #expect(retry > 110 && retry <= 120)
        #expect(await harness.state.posts().isEmpty)
    }

    @Test("A rate-limited upload is transient too")
    func uploadRateLimited() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        await harness.state.add(Scenario(platform: platform, kind: .rateLimit, seconds: 30, call: "media"))
        let outcome = await connector.publish(Fixtures.payload(Fixtures.account(.mastodon)), context: harness.context)
        #expect(outcome.isTransient, "got \(outcome)")
        #expect(await harness.calls(platform, "statuses") == 0)
    }

    @Test("A lost answer is unknown; resending after it finished returns the same status and posts once")
    func timeoutThenResend() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        await harness.state.add(Scenario(platform: platform, kind: .slowAfterAccept, seconds: 8, call: "statuses"))
        let payload = Fixtures.payload(Fixtures.account(.mastodon), cover: nil)
        let lost = await connector.publish(payload, context: harness.context(timeout: 4))
        #expect(lost.isUnknown, "got \(lost)")
        try await Task.sleep(for: .milliseconds(2_500))  // the slow answer has gone out by now

        let again = await connector.publish(payload, context: harness.context)
        let posts = await harness.state.posts(platform: platform)
        #expect(posts.count == 1)
        #expect(again == .published(externalID: try #require(posts.first?.id), url: "\(harness.url)/@\(posts[0].account)/\(posts[0].id)"))
        #expect(await harness.calls(platform, "statuses") == 2)
    }

    @Test("A revoked token needs reconnecting")
    func revokedToken() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        let outcome = await connector.publish(Fixtures.payload(Fixtures.account(.mastodon, secrets: ["access_token": "revoked"])), context: harness.context)
        #expect(outcome.isReconnect, "got \(outcome)")
        #expect(outcome.reason.contains("The access token was revoked"))
    }

    @Test("Validation failures are permanent: blank text, over 500 characters")
    func validation() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        let blank = await connector.publish(Fixtures.payload(Fixtures.account(.mastodon), text: "  ", cover: nil), context: harness.context)
        #expect(blank.isPermanent)
        #expect(blank.reason.contains("Text can't be blank"))
        let long = await connector.publish(Fixtures.payload(Fixtures.account(.mastodon), text: String(repeating: "a", count: 501), cover: nil),
                                           context: harness.context)
        #expect(long.isPermanent)
        #expect(long.reason.contains("500"))
        #expect(await harness.state.posts().isEmpty)
    }

    @Test("A refused connection and a 503 are transient")
    func transportFailures() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        let refused = await connector.publish(Fixtures.payload(Fixtures.account(.mastodon), cover: nil), context: harness.context(base: closedPortBase))
        #expect(refused.isTransient, "got \(refused)")
        await harness.state.add(Scenario(platform: platform, kind: .unavailable))
        let unavailable = await connector.publish(Fixtures.payload(Fixtures.account(.mastodon), cover: nil), context: harness.context)
        #expect(unavailable.isTransient, "got \(unavailable)")
    }

    @Test("The attempt log never holds the access token")
    func logHasNoSecrets() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        _ = await connector.publish(Fixtures.payload(Fixtures.account(.mastodon)), context: harness.context)
        let text = await harness.loggedText()
        #expect(text.contains("/api/v1/statuses"))
        #expect(!text.contains(Fixtures.mastodonToken))
    }
}
