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
        // The daemon: SQLite store, HTTP API, service lifecycle, logging and metrics (DESIGN.md's list).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // SMTP with STARTTLS (the email kind) and the signatures' digests. swift-nio is built already
        // (Hummingbird); swift-nio-ssl and swift-crypto were resolved but not built before the email kind:
        // each compiles its own copy of BoringSSL, a minute or two more on a clean 2-core build.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // HTTP delivery (issue 16): the Swift server ecosystem's client on SwiftNIO, with a per-host pool of
        // kept-alive connections; URLSession (libcurl underneath) stays selectable (docs/adr/0018).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // The public action pages' HTML (issue 13): logic-less templates, HTML-escaped by default.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // The rules language: lexer, parser, checker, diagnostics, typed RuleSet. No I/O but the text it is handed.
        // Text for dispatch (issue 17): the one normal form keywords and the classifier compare in, and a small
        // deterministic classifier over character n-grams. Pure: no I/O, no clock.
        .target(name: "SLAClassify"),
        .target(name: "SLARules", dependencies: ["SLAClassify"]),
        // The SLA engine: clocks on working time, escalation ladders, rosters. Pure: takes `now` from its caller.
        .target(name: "SLAEngine", dependencies: ["SLARules", "SLAClassify"]),
        // Text formats around the engine: ticket histories as JSON Lines and CSV, rule tests, incident and drill
        // reports (Markdown, JSON, HTML with SVG). No file access.
        .target(name: "SLAFormats", dependencies: ["SLARules", "SLAEngine", "SLAClassify"]),
        // Action links: compact tokens signed with HMAC-SHA256 (minting, verifying, key rotation). No I/O.
        .target(name: "SLAActions", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // The scan's decision (docs/adr/0030): from the due rows a store read, the firings, holds, breaches,
        // outbox jobs and next-due instants to write. Pure: every store applies the same plan.
        .target(name: "SLAScan", dependencies: ["SLAEngine", "SLAFormats", "SLAActions"]),
        // The durable ticket store (SQLite through GRDB): tickets, events, firings, outbox, audit; and its
        // in-memory twin (the contract tests run both).
        .target(
            name: "SLAStore",
            dependencies: ["SLARules", "SLAEngine", "SLAFormats", "SLAActions", "SLAScan", "CZlib", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // zlib (the system's; Foundation on Linux links it already) for the retention archive's gzip files
        // (docs/adr/0027): a module map, no package.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // libsystemd (sd_notify, the watchdog, sd_journal_sendv) through pkg-config; scripts/install-deps installs it.
        .systemLibrary(name: "CSystemd", path: "Sources/CSystemd", pkgConfig: "libsystemd",
                       providers: [.apt(["libsystemd-dev"])]),
        // A thin Swift layer over it: notify, watchdog interval, the journald and stderr log handlers.
        .target(name: "SystemdSupport", dependencies: ["CSystemd", .product(name: "Logging", package: "swift-log")]),
        // The channels: the Notifier protocol, one type per kind, signatures and escaping. HTTP through
        // Foundation's URLSession; SMTP (email) through SwiftNIO and NIOSSL; digests and HMACs through
        // swift-crypto.
        .target(
            name: "SLANotify",
            dependencies: [
                "SLARules",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // The daemon: the escalation loop, the HTTP API, metrics; wires the store and the engine to the world.
        .target(
            name: "SLADaemon",
            dependencies: [
                "SLARules", "SLAEngine", "SLAFormats", "SLAStore", "SLANotify", "SLAActions",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "slad",
            dependencies: [
                "SLARules",
                "SLAEngine",
                "SLAFormats",
                "SLAStore",
                "SLADaemon",
                "SystemdSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // The operator commands' HTTP client (DaemonClient).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // Swift concurrency on the event loops (Slad.main, docs/adr/0029).
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Benchmarks print figures; they are run by hand in release mode, never as timed tests.
        .executableTarget(name: "slad-bench", dependencies: ["SLARules", "SLAEngine", "SLAFormats", "SLAClassify"]),
        .executableTarget(
            name: "slad-store-bench",
            dependencies: ["SLARules", "SLAEngine", "SLAStore", "SLADaemon", "SLANotify", "SLAActions", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
        ),
        // The hot path end to end (issue 16): drives a real `slad serve` release binary over HTTP and runs its
        // webhook receiver as a second process of itself. Links none of slad's modules: a black box.
        .executableTarget(
            name: "slad-hotpath-bench",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "Logging", package: "swift-log"),
                           // The intake mode's 200 clients at once (a client that costs little next to the daemon).
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio")]
        ),
        // The hot-path benchmark's parsing and arithmetic (/proc, the receiver's arrivals, percentiles).
        .testTarget(name: "HotpathBenchTests", dependencies: ["slad-hotpath-bench"]),
        .testTarget(name: "SLARulesTests", dependencies: ["SLARules"], exclude: ["Golden"]),
        .testTarget(name: "SLAEngineTests", dependencies: ["SLAEngine", "SLAFormats"]),
        .testTarget(name: "SLAStoreTests", dependencies: ["SLAStore", "SLAActions", "SLAScan"]),
        .testTarget(name: "SLAActionsTests", dependencies: ["SLAActions"]),
        .testTarget(name: "SLAClassifyTests", dependencies: ["SLAClassify"]),
        // What several test targets share: the real SMTP server (aiosmtpd) the e-mail tests talk to.
        .target(name: "SLATestSupport", path: "Tests/Support"),
        .testTarget(name: "SLANotifyTests", dependencies: ["SLANotify", "SLARules", "SLATestSupport"]),
        .testTarget(
            name: "SladEndToEndTests",
            dependencies: ["slad", "SLADaemon", "SLATestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "SystemdSupportTests", dependencies: ["SystemdSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "SLAFormatsTests", dependencies: ["SLAFormats", "SLAEngine", "SLARules", "SLAClassify", "SLATestSupport"], exclude: ["Golden"]),
        // The loop and delivery in-process on one ManualClock: backoff, rate windows, reload, shutdown (issue 16).
        .testTarget(
            name: "DaemonVirtualTimeTests",
            dependencies: ["SLADaemon", "SLAStore", "SLAEngine",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
        ),
        // The daemon's parts in-process: the public action pages over real HTTP, with an in-memory desk.
        .testTarget(
            name: "SLADaemonTests",
            dependencies: ["SLADaemon", "SLAActions", "SLATestSupport", "SLAStore", "SLAEngine", "SLARules",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
