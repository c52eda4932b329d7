// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "MediaOps",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mediaops", targets: ["mediaops"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing.git", from: "1.19.7"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        .executableTarget(
            name: "mediaops",
            dependencies: [
                "MediaOpsApp", "MediaOpsDemo", "MediaOpsWeb", "MediaOpsStore", "MediaOpsDomain", "MediaOpsConnectors", "MediaOpsSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The demo workspace and the benchmarks: they start the imitation
        // platforms, so only the CLI links them, never the application itself.
        .target(
            name: "MediaOpsDemo",
            dependencies: [
                "MediaOpsApp", "MediaOpsWeb", "MediaOpsStore", "MediaOpsDomain", "MediaOpsConnectors", "MediaOpsSandbox",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "MediaOpsApp",
            dependencies: [
                "MediaOpsWeb", "MediaOpsStore", "MediaOpsDomain", "MediaOpsConnectors",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .target(
            name: "MediaOpsWeb",
            dependencies: [
                "MediaOpsStore", "MediaOpsDomain", "MediaOpsConnectors",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "MediaOpsStore",
            dependencies: [
                "MediaOpsDomain",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "MediaOpsDomain"),
        // Platform clients, group robots and outbound webhooks: pure HTTP, no database.
        .target(
            name: "MediaOpsConnectors",
            dependencies: [
                "MediaOpsDomain",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Imitation platform servers (`mediaops sandbox`, the demo and the connector tests).
        .target(
            name: "MediaOpsSandbox",
            dependencies: [
                "MediaOpsDomain",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // Shared by the test targets: temporary SQLite and PostgreSQL databases.
        .target(
            name: "MediaOpsTestSupport",
            dependencies: ["MediaOpsStore", "MediaOpsDomain", .product(name: "Logging", package: "swift-log"), .product(name: "SQLKit", package: "sql-kit"),
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            path: "Tests/MediaOpsTestSupport"
        ),
        // Vectors/ holds the scripts that produced the significance and alert tests' expected numbers (documentation, never run).
        .testTarget(name: "MediaOpsDomainTests", dependencies: ["MediaOpsDomain"], exclude: ["Vectors"]),
        .testTarget(
            name: "MediaOpsConnectorsTests",
            dependencies: ["MediaOpsConnectors", "MediaOpsSandbox", "MediaOpsDomain", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .testTarget(name: "MediaOpsStoreTests", dependencies: ["MediaOpsStore", "MediaOpsDomain", "MediaOpsTestSupport", .product(name: "SQLKit", package: "sql-kit")]),
        .testTarget(
            name: "MediaOpsWebTests",
            dependencies: [
                "MediaOpsApp", "MediaOpsWeb", "MediaOpsStore", "MediaOpsDomain", "MediaOpsTestSupport", "MediaOpsConnectors", "MediaOpsSandbox",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            exclude: ["__Snapshots__"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
