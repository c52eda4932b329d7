import Foundation
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsSandbox
import Testing

/// Outbound webhooks against the sandbox receiver: signature, dedup by delivery
/// id, refusals, and the address policy for user-entered URLs.
@Suite("Webhook connector against the sandbox receiver")
struct WebhookConnectorTests {
    let connector = WebhookConnector()
    let platform = "webhook"

    func account(_ harness: SandboxHarness, receiver: String = "crm", secret: String? = Fixtures.webhookSecret) -> ConnectorAccount {
        Fixtures.account(.webhook, fields: ["url": "\(harness.url)/_sandbox/webhook/\(receiver)"],
                         secrets: secret.map { ["signing_secret": $0] } ?? [:])
    }

    @Test("A signed delivery is recorded once; the receiver's copy verifies with the secret")
    func deliver() async throws {
        let harness = try await SandboxHarness.start(trustSandbox: true)
        defer { harness.stop() }
        let payload = Fixtures.payload(account(harness), cover: nil)
        let outcome = await connector.publish(payload, context: harness.context)
        guard case .published(let id, let url) = outcome else { Issue.record("expected published, got \(outcome)"); return }
        #expect(url == "\(harness.url)/_sandbox/webhook/crm/\(id)")
        let posts = await harness.state.posts(platform: platform)
        #expect(posts.count == 1)
        #expect(posts.first?.account == "crm")
        #expect(posts.first?.idempotencyKey == payload.targetID)
        #expect(posts.first?.text == payload.text)

        let stored = try #require(try await harness.control("GET", "/_sandbox/webhook/crm/\(id)").json)
        let raw = Data(try #require(stored["raw_body"] as? String).utf8)
        let timestamp = try #require(stored["timestamp"] as? String)
        let signature = try #require(stored["signature"] as? String)
        #expect(WebhookSignature.verify(body: raw, timestamp: timestamp, secret: Fixtures.webhookSecret, signature: signature))
        #expect(!WebhookSignature.verify(body: raw, timestamp: timestamp, secret: "another-secret", signature: signature))
        #expect((stored["body"] as? [String: Any])?["delivery_id"] as? String == payload.targetID)
    }

    @Test("A repeat delivery answers the first id and records nothing")
    func repeatDelivery() async throws {
        let harness = try await SandboxHarness.start(trustSandbox: true)
        defer { harness.stop() }
        let payload = Fixtures.payload(account(harness), cover: nil)
        let first = await connector.publish(payload, context: harness.context)
        let second = await connector.publish(payload, context: harness.context)
        guard case .published = first else { Issue.record("expected published, got \(first)"); return }
        #expect(first == second)
        #expect(await harness.state.posts(platform: platform).count == 1)
    }

    @Test("Without a secret there is no signature, and the delivery still goes through")
    func unsigned() async throws {
        let harness = try await SandboxHarness.start(trustSandbox: true)
        defer { harness.stop() }
        guard case .published(let id, _) = await connector.publish(Fixtures.payload(account(harness, secret: nil), cover: nil), context: harness.context) else {
            Issue.record("published"); return
        }
        let stored = try #require(try await harness.control("GET", "/_sandbox/webhook/crm/\(id)").json)
        #expect(stored["signature"] is NSNull)
    }

    @Test("A receiver that rejects is permanent; 429 is transient with Retry-After; 503 is transient")
    func refusals() async throws {
        let harness = try await SandboxHarness.start(trustSandbox: true)
        defer { harness.stop() }
        let rejected = await connector.publish(Fixtures.payload(account(harness, receiver: "fail-crm"), cover: nil), context: harness.context)
        #expect(rejected.isPermanent, "got \(rejected)")
        #expect(rejected.reason.contains("rejected by receiver"))

        await harness.state.add(Scenario(platform: platform, kind: .rateLimit, seconds: 42, call: "crm"))
        let limited = await connector.publish(Fixtures.payload(account(harness), cover: nil), context: harness.context)
        #expect(limited.isTransient)
        #expect(limited.retryAfter == 42)

        await harness.state.add(Scenario(platform: platform, kind: .unavailable))
        #expect(await connector.publish(Fixtures.payload(account(harness), cover: nil), context: harness.context).isTransient)
        #expect(await harness.state.posts().isEmpty)
    }

    @Test("A lost answer is unknown; a refused connection is transient")
    func transportFailures() async throws {
        let harness = try await SandboxHarness.start(timeout: 4, trustSandbox: true)
        defer { harness.stop() }
        await harness.state.add(Scenario(platform: platform, kind: .slowAfterAccept, seconds: 8, call: "crm"))
        let lost = await connector.publish(Fixtures.payload(account(harness), cover: nil), context: harness.context)
        #expect(lost.isUnknown, "got \(lost)")
        #expect(await harness.state.posts(platform: platform).count == 1)

        var refusedAccount = account(harness)
        refusedAccount.fields["url"] = closedPortBase + "/hook"
        let refusedContext = ConnectorContext(http: HTTPTransport(timeout: 1, policy: OutboundPolicy(trustedBases: [closedPortBase + "/"])),
                                              tokens: MemoryTokenCache(), endpoints: .all(harness.url), log: ExchangeLog())
        let refused = await connector.publish(Fixtures.payload(refusedAccount, cover: nil), context: refusedContext)
        #expect(refused.isTransient, "got \(refused)")
    }

    @Test("A user-entered loopback URL is refused by the address policy before any connection")
    func privateAddressRefused() async throws {
        let harness = try await SandboxHarness.start(trustSandbox: false)
        defer { harness.stop() }
        let outcome = await connector.publish(Fixtures.payload(account(harness), cover: nil), context: harness.context)
        #expect(outcome == .permanent(reason: "private_address"))
        #expect(await harness.state.calls.isEmpty)
    }

    @Test("The attempt log never holds the signing secret")
    func logHasNoSecrets() async throws {
        let harness = try await SandboxHarness.start(trustSandbox: true)
        defer { harness.stop() }
        _ = await connector.publish(Fixtures.payload(account(harness), cover: nil), context: harness.context)
        let text = await harness.loggedText()
        #expect(text.contains("/_sandbox/webhook/crm"))
        #expect(!text.contains(Fixtures.webhookSecret))
    }
}
