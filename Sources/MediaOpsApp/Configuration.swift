import Foundation
import Logging
import MediaOpsConnectors
import MediaOpsStore

/// Every setting in one place: command-line flags win, then MEDIAOPS_*
/// environment variables, then defaults that make a first run just work.
public struct Configuration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    public var database: DatabaseLocation
    /// Where the SQLite file and the key file live by default.
    public var dataDirectory: String = "./mediaops-data"
    /// Key material for encrypting platform credentials. Without it a key file is created.
    public var secretKey: String?
    public var bcryptCost: UInt8 = 12
    public var logLevel: Logger.Level = .info
    /// The address people use to reach MediaOps; an https URL marks cookies Secure.
    public var publicURL: String?
    /// The largest asset upload accepted, in bytes (MEDIAOPS_UPLOAD_MAX_MB, default 200 MB).
    public var uploadMaxBytes: Int64 = 200 * 1024 * 1024
    /// Platform API bases overridden by MEDIAOPS_<PLATFORM>_API_BASE (proxies, the sandbox).
    public var endpoints = PlatformEndpoints()
    /// Lets robots, outbound webhooks and webhook accounts reach private and
    /// loopback addresses (MEDIAOPS_ALLOW_PRIVATE_ADDRESSES=true). Off by default.
    public var allowPrivateAddresses = false
    /// How many jobs one worker runs at once (MEDIAOPS_WORKER_CONCURRENCY).
    public var workerConcurrency = 32
    /// Seconds to wait for a platform's answer before the outcome counts as unknown (MEDIAOPS_PUBLISH_TIMEOUT).
    public var publishTimeout: TimeInterval = 30
    /// Seconds a worker holds a claimed job before another may take it over (MEDIAOPS_JOB_LEASE);
    /// live jobs renew it every third of that, so it only matters when a worker dies.
    public var jobLease: TimeInterval = 60
    /// The imitation platforms this process started (`serve --demo`); trusted like an operator-set base.
    public var sandboxURL: String?

    public static let version = "0.1.0"

    public init(database: DatabaseLocation? = nil, dataDirectory: String = "./mediaops-data") {
        self.dataDirectory = dataDirectory
        self.database = database ?? .sqliteFile(path: (dataDirectory as NSString).appendingPathComponent("mediaops.sqlite"))
    }

    public enum Problem: Error, CustomStringConvertible {
        case invalid(name: String, value: String, expected: String)

        public var description: String {
            switch self {
            case .invalid(let name, let value, let expected): "\(name)=\(value) is not valid: expected \(expected)."
            }
        }
    }

    /// Resolves flags (nil when not given) over the environment over defaults.
    public static func resolve(host: String? = nil, port: Int? = nil, database: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Configuration {
        let dataDirectory = environment["MEDIAOPS_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./mediaops-data"
        let databaseValue = database ?? environment["MEDIAOPS_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        var configuration = Configuration(database: databaseValue.map(DatabaseLocation.init(parsing:)), dataDirectory: dataDirectory)
        configuration.host = host ?? environment["MEDIAOPS_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        if let port {
            configuration.port = port
        } else if let raw = environment["MEDIAOPS_PORT"], !raw.isEmpty {
            guard let value = Int(raw), (1...65535).contains(value) else { throw Problem.invalid(name: "MEDIAOPS_PORT", value: raw, expected: "a port from 1 to 65535") }
            configuration.port = value
        }
        configuration.secretKey = environment["MEDIAOPS_SECRET_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        if let raw = environment["MEDIAOPS_BCRYPT_COST"], !raw.isEmpty {
            guard let value = UInt8(raw), (4...31).contains(value) else { throw Problem.invalid(name: "MEDIAOPS_BCRYPT_COST", value: raw, expected: "a number from 4 to 31") }
            configuration.bcryptCost = value
        }
        if let raw = environment["MEDIAOPS_LOG_LEVEL"], !raw.isEmpty {
            guard let level = Logger.Level(rawValue: raw.lowercased()) else {
                throw Problem.invalid(name: "MEDIAOPS_LOG_LEVEL", value: raw, expected: "trace, debug, info, notice, warning, error or critical")
            }
            configuration.logLevel = level
        }
        configuration.publicURL = environment["MEDIAOPS_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let raw = environment["MEDIAOPS_UPLOAD_MAX_MB"], !raw.isEmpty {
            guard let value = Int64(raw), (1...100_000).contains(value) else {
                throw Problem.invalid(name: "MEDIAOPS_UPLOAD_MAX_MB", value: raw, expected: "a number of megabytes from 1 to 100000")
            }
            configuration.uploadMaxBytes = value * 1024 * 1024
        }
        configuration.endpoints = PlatformEndpoints.fromEnvironment(environment)
        if let raw = environment["MEDIAOPS_ALLOW_PRIVATE_ADDRESSES"], !raw.isEmpty {
            guard let value = ["true": true, "1": true, "yes": true, "false": false, "0": false, "no": false][raw.lowercased()] else {
                throw Problem.invalid(name: "MEDIAOPS_ALLOW_PRIVATE_ADDRESSES", value: raw, expected: "true or false")
            }
            configuration.allowPrivateAddresses = value
        }
        if let raw = environment["MEDIAOPS_WORKER_CONCURRENCY"], !raw.isEmpty {
            guard let value = Int(raw), (1...512).contains(value) else {
                throw Problem.invalid(name: "MEDIAOPS_WORKER_CONCURRENCY", value: raw, expected: "a number from 1 to 512")
            }
            configuration.workerConcurrency = value
        }
        if let raw = environment["MEDIAOPS_PUBLISH_TIMEOUT"], !raw.isEmpty {
            guard let value = Double(raw), (1...600).contains(value) else {
                throw Problem.invalid(name: "MEDIAOPS_PUBLISH_TIMEOUT", value: raw, expected: "seconds from 1 to 600")
            }
            configuration.publishTimeout = value
        }
        if let raw = environment["MEDIAOPS_JOB_LEASE"], !raw.isEmpty {
            guard let value = Double(raw), (3...3_600).contains(value) else {
                throw Problem.invalid(name: "MEDIAOPS_JOB_LEASE", value: raw, expected: "seconds from 3 to 3600")
            }
            configuration.jobLease = value
        }
        return configuration
    }

    /// Sends every platform without an explicit MEDIAOPS_<PLATFORM>_API_BASE to the imitation platforms at `url`.
    public mutating func useSandbox(_ url: String) {
        var overrides = PlatformEndpoints.all(url).overrides
        for (platform, base) in endpoints.overrides { overrides[platform] = base }
        endpoints = PlatformEndpoints(overrides: overrides)
        sandboxURL = url
    }

    /// The outbound HTTP transport: operator-set API bases are trusted as they are.
    public var outbound: HTTPTransport {
        HTTPTransport(timeout: publishTimeout, policy: OutboundPolicy(allowPrivate: allowPrivateAddresses, trustedBases: Array(endpoints.overrides.values) + [sandboxURL].compactMap { $0 }))
    }

    /// The key file sits beside the SQLite database (or in the data folder for PostgreSQL).
    public var keyFilePath: String {
        if case .sqliteFile(let path) = database {
            let directory = (path as NSString).deletingLastPathComponent
            return ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent("secret.key")
        }
        return (dataDirectory as NSString).appendingPathComponent("secret.key")
    }

    public var secureCookies: Bool { publicURL?.lowercased().hasPrefix("https://") ?? false }

    /// Where the asset library keeps its files (named by their SHA-256).
    public var assetsDirectory: String { (dataDirectory as NSString).appendingPathComponent("assets") }

    public func secretBox() throws -> SecretBox {
        if let secretKey { return SecretBox(keyMaterial: secretKey) }
        if case .sqliteMemory = database { return SecretBox(keyMaterial: TokenHasher.newToken(prefix: "")) }
        return try SecretBox.loadOrCreateKeyFile(at: keyFilePath)
    }
}
