// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for Sluice's parsers (spec/lifecycle.md, "Fuzzing"). A package of its own so
// that `swift build` and `swift test` of Sluice never build them. Build and run with
// `scripts/fuzz/run [seconds]`, which passes `-sanitize=fuzzer -parse-as-library` to every
// Swift target (so the parsers in SluiceKit are instrumented too) and a debug configuration (so
// `@testable import` reaches the internal decoders).
let sluiceKit: Target.Dependency = .product(name: "SluiceKit", package: "Sluice")

let package = Package(
    name: "SluiceFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Sluice", path: ".."),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(name: "FuzzManifest", dependencies: ["FuzzDriver", sluiceKit]),
        .executableTarget(name: "FuzzConfig", dependencies: ["FuzzDriver", sluiceKit]),
        .executableTarget(name: "FuzzStamp", dependencies: ["FuzzDriver", sluiceKit, .product(name: "Yams", package: "Yams")]),
        .executableTarget(name: "FuzzRecord", dependencies: ["FuzzDriver", sluiceKit, .product(name: "Yams", package: "Yams")]),
        .executableTarget(name: "FuzzVersionRange", dependencies: ["FuzzDriver", sluiceKit]),
        // WebhookEvent.swift and ServiceError.swift of SluiceService, compiled here through links:
        // linking SluiceService itself would build Hummingbird, NIO and the metrics stack with the
        // fuzzer's instrumentation for two files that need only Foundation and SluiceKit.
        .executableTarget(name: "FuzzWebhook", dependencies: ["FuzzDriver", sluiceKit]),
    ]
)
