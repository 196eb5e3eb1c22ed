import Foundation
import Logging
import SLAEngine
import SLAFormats
import SLANotify
import SLARules
import SLAStore

/// What `slad serve` runs with.
public struct DaemonConfiguration: Sendable {
    public var rulePaths: [String] = ["rules"]
    public var stateFolder: String = "/var/lib/slad"
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// The public listener for the action pages (`--public-host`/`--public-port`); nil: off.
    public var publicListener: PublicListenerConfiguration?
    /// The single admin token `default` (`--token-env`/`--token-credential`), already read from its reference.
    public var token: String?
    /// More tokens, each with a name and a role (`--tokens-file`, `--tokens-credential`; Access/).
    public var tokens: [APIToken] = []
    /// Serve reads without a token even off loopback (`--open-reads`).
    public var openReads = false
    /// The longest the loop sleeps between scans, even when nothing is due (the wall clock may jump).
    public var maxInterval: Int = 30
    /// A cap on the loop's sleep below `maxInterval`, in seconds: under a systemd watchdog the loop must
    /// scan at least twice per WatchdogSec, since WATCHDOG=1 is sent after completed scans.
    public var sleepCap: Double?
    /// Test-only: after this many scans the loop hangs (never completes another), to prove the watchdog
    /// stops. Set by `SLAD_TEST_STALL_AFTER_SCANS`.
    public var stallAfterScans: Int?

    /// The longest sleep between scans.
    public var longestSleep: Double { min(Double(maxInterval), sleepCap ?? .infinity) }
    /// Tickets evaluated per scan transaction; more wait for the next scan, which follows at once.
    public var scanLimit: Int = 1000
    /// Largest request body accepted.
    public var maxBodyBytes: Int = 64 * 1024
    /// Print each escalation on standard output as it is recorded (the demo and `--console`).
    public var echoEscalations = false
    /// Retries, backoff, dead-lettering and per-channel concurrency of the outbox's delivery.
    public var delivery = DeliveryPolicy()
    /// Seconds between KPI refreshes (`--kpi-interval`).
    public var kpiInterval: Int = 60
    /// A dead man's switch: this URL is called (GET) every `heartbeatEvery` seconds while healthy.
    public var heartbeatURL: URL?
    public var heartbeatEvery: Int = 300
    /// Seconds between the self-watch's looks (`--watch-every`): the `watch` block's troubles are seen this late at most.
    public var watchEvery: Double = 15
    /// Which HTTP client delivers notices and heartbeats (`--http-client`).
    public var httpClient = HTTPClientChoice.nio
    /// The HTTP forward proxy notices and heartbeats go through (`--egress-proxy`, SLAD_EGRESS_PROXY); nil: direct.
    public var egressProxy: EgressProxy?

    public init() {}
}

/// The rules the daemon runs on, swapped whole on reload. A reload with errors keeps the old rules.
public actor RulesHolder {
    public private(set) var engine: Engine
    public private(set) var version: String
    let paths: [String]
    /// When the running rules were loaded (set by the server at start and by each accepted reload).
    public private(set) var loadedAt: Instant?
    /// The last refused reload, until a reload succeeds (shown in /healthz).
    public private(set) var refusal: ReloadRefusal?
    /// The intake sources' mappings by name (`rules/intake/SOURCE.map`), loaded and swapped with the rules.
    public private(set) var intake: [String: IntakeMapping] = [:]

    public enum LoadFailure: Error, CustomStringConvertible {
        case unreadable(String)
        case invalid(errors: Int, rendered: String)
        case engine(String)

        public var description: String {
            switch self {
            case let .unreadable(reason): reason
            case let .invalid(errors, rendered): "the rules have \(errors) error(s):\n\(rendered)"
            case let .engine(reason): reason
            }
        }
    }

    /// Rules already checked (benchmarks and tests); `reload` then has no files to read.
    public init(engine: Engine, version: String = "fixed") {
        paths = []
        self.engine = engine
        self.version = version
    }

    public init(paths: [String]) throws(LoadFailure) {
        self.paths = paths
        (engine, version) = try Self.load(paths)
        intake = Self.intakeMappings(paths, rules: engine.rules)
    }

    public static func load(_ paths: [String]) throws(LoadFailure) -> (Engine, String) {
        let result: CheckResult
        do {
            (result, _) = try RuleFiles.check(paths)
        } catch {
            throw .unreadable(error.description)
        }
        guard let rules = result.ruleSet else {
            let rendered = result.diagnostics.filter { $0.severity == .error }
                .map { DiagnosticRenderer.text($0, in: result) }.joined(separator: "\n")
            throw .invalid(errors: result.errorCount, rendered: rendered)
        }
        do {
            let engine = try Engine(rules: rules)
            return (engine, version(of: result))
        } catch {
            throw .engine(error.description)
        }
    }

    /// A short fingerprint of the rule text, shown in STATUS and /healthz.
    static func version(of result: CheckResult) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for file in result.files {
            for byte in file.path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            for byte in file.text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        return String(hash, radix: 16).suffix(8).description
    }

    /// The engine and the version of the rules it was built from, read together.
    public var snapshot: (engine: Engine, version: String) { (engine, version) }

    /// Reloads; on failure the old rules stay, the refusal is remembered and the failure is returned.
    public func reload(at now: Instant? = nil) -> LoadFailure? {
        do {
            (engine, version) = try Self.load(paths)
            intake = Self.intakeMappings(paths, rules: engine.rules)
            loadedAt = now ?? loadedAt
            refusal = nil
            return nil
        } catch {
            if let now { refusal = ReloadRefusal(at: now, failure: error) }
            return error
        }
    }

    /// Records when the rules the daemon starts with were loaded.
    public func started(at now: Instant) { loadedAt = now }
}
