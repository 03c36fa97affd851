// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["SluiceCLI"]),
        .executable(name: "sluice-bench", targets: ["SluiceBench"]),
        .library(name: "SluiceKit", targets: ["SluiceKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/mxcl/Version.git", from: "2.2.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
    ],
    targets: [
        .target(name: "CSluice"),
        .target(
            name: "SluiceKit",
            dependencies: [
                "CSluice",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Version", package: "Version"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // `sluice serve`: the HTTP listener and the service loops. A target of its own so that
        // the engine and its tests build without Hummingbird, NIO and the metrics stack.
        .target(
            name: "SluiceService",
            dependencies: [
                "SluiceKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "SluiceCLI",
            dependencies: [
                "SluiceKit", "SluiceService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "SluiceBench",
            dependencies: [
                "SluiceKit", "CSluice",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Fixtures every test target shares (temporary folders, real git repositories, roots,
        // the process shell, loopback sockets). A plain target on SluiceKit only, so the engine's
        // tests build without the HTTP stack; its API is `package`.
        .target(
            name: "SluiceTestSupport",
            dependencies: [
                "SluiceKit",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/SluiceTestSupport"
        ),
        // The engine: pure parts, reconcile and apply against real git and real files. Builds
        // without Hummingbird, NIO, ServiceLifecycle, metrics and ArgumentParser.
        .testTarget(
            name: "SluiceKitTests",
            dependencies: ["SluiceKit", "SluiceTestSupport", .product(name: "Yams", package: "Yams")]
        ),
        // `sluice serve`: routes in process through HummingbirdTesting, and the real binary for
        // signals and sockets (hence SluiceCLI, which makes SwiftPM build the executable).
        .testTarget(
            name: "SluiceServiceTests",
            dependencies: [
                "SluiceKit", "SluiceService", "SluiceTestSupport", "SluiceCLI",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // End to end through the built `sluice` binary: exit statuses, output, operator flows.
        .testTarget(
            name: "SluiceCLITests",
            dependencies: ["SluiceKit", "SluiceTestSupport", "SluiceCLI"]
        ),
    ]
)
