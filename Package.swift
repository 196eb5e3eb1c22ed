// swift-tools-version: 6.0
import PackageDescription

// Dependencies are kept deliberate: every package here costs build minutes on a 2-core CI machine.
// The rules language is pure Swift (see DESIGN.md: the parser is written by hand).
let package = Package(
    name: "slad",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "slad", targets: ["slad"]),
        .library(name: "SLARules", targets: ["SLARules"]),
        .library(name: "SLAEngine", targets: ["SLAEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The rules language: lexer, parser, checker, diagnostics, typed RuleSet. No I/O but the text it is handed.
        .target(name: "SLARules"),
        // The SLA engine: clocks on working time, escalation ladders, rosters. Pure: takes `now` from its caller.
        .target(name: "SLAEngine", dependencies: ["SLARules"]),
        // Text formats around the engine: ticket histories as JSON Lines and CSV, rule tests. No file access.
        .target(name: "SLAFormats", dependencies: ["SLARules", "SLAEngine"]),
        .executableTarget(
            name: "slad",
            dependencies: [
                "SLARules",
                "SLAEngine",
                "SLAFormats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks print figures; they are run by hand in release mode, never as timed tests.
        .executableTarget(name: "slad-bench", dependencies: ["SLARules", "SLAEngine", "SLAFormats"]),
        .testTarget(name: "SLARulesTests", dependencies: ["SLARules"], exclude: ["Golden"]),
        .testTarget(name: "SLAEngineTests", dependencies: ["SLAEngine", "SLAFormats"]),
        .testTarget(name: "SLAFormatsTests", dependencies: ["SLAFormats", "SLAEngine", "SLARules"]),
        .testTarget(name: "SladEndToEndTests", dependencies: ["slad"]),
    ],
    swiftLanguageModes: [.v6]
)
