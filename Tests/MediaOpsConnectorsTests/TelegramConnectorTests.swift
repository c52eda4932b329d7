import Foundation
import MediaOpsConnectors
import MediaOpsDomain
import MediaOpsSandbox
import Testing

/// Telegram against the imitation: channel posts with and without a picture,
/// retry_after, revoked bot tokens, missing chats.
@Suite("Telegram connector against the sandbox")
struct TelegramConnectorTests {
    let connector = TelegramConnector()
    let platform = "telegram"

    @Test("sendMessage posts once and links to t.me/<channel>/<message id>")
    func sendMessage() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        let payload = Fixtures.payload(Fixtures.account(.telegram), cover: nil)
        #expect(await connector.publish(payload, context: harness.context) == .published(externalID: "1", url: "https://t.me/mediaops_news/1"))
        #expect(await connector.publish(payload, context: harness.context) == .published(externalID: "2", url: "https://t.me/mediaops_news/2"))
        let posts = await harness.state.posts(platform: platform)
        #expect(posts.map(\.id) == ["1", "2"])
        #expect(posts.first?.account == "@mediaops_news")
        #expect(posts.first?.text == payload.text)
        #expect(await harness.calls(platform, "sendMessage") == 2)
    }

    @Test("With a cover, sendPhoto carries the text as caption")
    func sendPhoto() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        let payload = Fixtures.payload(Fixtures.account(.telegram))
        guard case .published("1", _) = await connector.publish(payload, context: harness.context) else { Issue.record("published"); return }
        #expect(await harness.calls(platform, "sendPhoto") == 1)
        #expect(await harness.state.posts(platform: platform).map(\.text) == [payload.text])
    }

    @Test("429 is transient with retry_after")
    func rateLimited() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        await harness.state.add(Scenario(platform: platform, kind: .rateLimit, seconds: 17))
        let outcome = await connector.publish(Fixtures.payload(Fixtures.account(.telegram), cover: nil), context: harness.context)
        #expect(outcome == .transient(reason: "rate_limited: Too Many Requests: retry after 17", retryAfter: 17))
        #expect(await harness.state.posts().isEmpty)
    }

    @Test("A revoked or malformed bot token needs reconnecting")
    func revokedToken() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        for token in ["0:revoked", "not-a-token"] {
            let outcome = await connector.publish(Fixtures.payload(Fixtures.account(.telegram, secrets: ["bot_token": token]), cover: nil), context: harness.context)
            #expect(outcome.isReconnect, "\(token): got \(outcome)")
        }
    }

    @Test("A chat that does not exist is permanent")
    func chatNotFound() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        let outcome = await connector.publish(Fixtures.payload(Fixtures.account(.telegram, fields: ["chat_id": "@missing"]), cover: nil), context: harness.context)
        #expect(outcome == .permanent(reason: "Bad Request: chat not found"))
    }

    @Test("A lost answer is unknown (the message went out); a refused connection and a 503 are transient")
    func transportFailures() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        await harness.state.add(Scenario(platform: platform, kind: .slowAfterAccept, seconds: 8, call: "sendMessage"))
        let lost = await connector.publish(Fixtures.payload(Fixtures.account(.telegram), cover: nil), context: harness.context(timeout: 4))
        #expect(lost.isUnknown, "got \(lost)")
        #expect(await harness.state.posts(platform: platform).count == 1)

        let refused = await connector.publish(Fixtures.payload(Fixtures.account(.telegram), cover: nil), context: harness.context(base: closedPortBase))
        #expect(refused.isTransient, "got \(refused)")

        await harness.state.add(Scenario(platform: platform, kind: .unavailable))
        let unavailable = await connector.publish(Fixtures.payload(Fixtures.account(.telegram), cover: nil), context: harness.context)
        #expect(unavailable.isTransient, "got \(unavailable)")
    }

    @Test("The attempt log never holds the bot token, though it is part of every URL")
    func logHasNoSecrets() async throws {
        let harness = try await SandboxHarness.start()
        defer { harness.stop() }
        _ = await connector.publish(Fixtures.payload(Fixtures.account(.telegram)), context: harness.context)
        _ = await connector.publish(Fixtures.payload(Fixtures.account(.telegram), cover: nil), context: harness.context)
        let text = await harness.loggedText()
        #expect(text.contains("/sendPhoto"))
        #expect(text.contains("/sendMessage"))
        #expect(!text.contains(Fixtures.telegramToken))
        #expect(!text.contains("AAHsandbox"))
    }
}
