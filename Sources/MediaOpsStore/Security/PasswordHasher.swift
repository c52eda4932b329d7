import HummingbirdBcrypt
import NIOPosix

/// Bcrypt on a background thread pool: a hash takes a quarter of a second by
/// design and must not stall the event loop serving other requests.
public struct PasswordHasher: Sendable {
    public let cost: UInt8
    /// The hash of a random string nobody knows: sign-in checks it when the
    /// e-mail is unknown, so a miss takes as long as a wrong password.
    public let decoyHash: String

    public init(cost: UInt8 = 12) {
        self.cost = cost
        self.decoyHash = Bcrypt.hash(TokenHasher.newToken(prefix: ""), cost: cost)
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
