import ArgumentParser
import Foundation
import Logging
import SLADaemon
import SLANotify
import SystemdSupport

/// `slad serve`: the daemon.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the daemon: watch tickets, escalate overdue ones, serve the HTTP API.",
        discussion: """
        Checks the rules (refusing to start when they have errors), opens the SQLite database in the state \
        folder (creating and migrating it), binds the HTTP API (127.0.0.1:8080 by default; docs/api.md) \
        and runs the escalation loop. SIGHUP reloads the rules: rules with errors are refused and the old \
        ones keep running. Intake mappings in the rules folder's intake/ (rules/intake/SOURCE.map, \
        docs/intake.md) are loaded and reloaded with the rules; POST /v1/intake/SOURCE takes that system's \
        webhook, authenticated by the source's own secret (env NAME or credential NAME in the mapping). SIGTERM and SIGINT finish the transaction in flight, give deliveries in flight \
        5 s to end (one still running stays pending and is sent again, with the same key, after a restart) \
        and exit 0.

        KPIs (docs/kpi.md): every --kpi-interval seconds (default 60) the rules' 'kpi' blocks are computed \
        again over their windows. The result is the dashboard (看板) at /dashboard on the API listener \
        (docs/dashboard.md), the slad_kpi series in /metrics, and the KPI warnings: when a KPI, or one of \
        its sites, teams or people, crosses its 'warn' or 'target' line, the people its 'notify' line \
        names are told through the outbox, reminded 'every' while it stays across, and told once when it \
        recovers. A shorter interval shows changes sooner; the escalation loop never waits for it.

        Self-watch (docs/operations.md, "Self-alerts"): every --watch-every seconds (default 15) slad looks \
        at itself — scans or writes failing, channels down, the outbox backing up, calendars running out, \
        disk space, clock jumps, a refused reload — and the rules' 'watch' block names who is told, once \
        per trouble and once when it is over, straight through its channels (not the outbox). /healthz \
        answers 503 while scans, writes or delivery fail, a channel is stalled or a reload was refused.

        Under systemd (Type=notify, docs/operations.md) it sends READY=1 once listening, STATUS= after \
        each scan, WATCHDOG=1 after completed scans when WatchdogSec= is set, RELOADING=1 and READY=1 \
        around a reload and STOPPING=1 at shutdown, and logs to the journal with structured fields \
        (TICKET_ID, POLICY, STEP, …); elsewhere it logs to standard error with <N> priority prefixes.

        --public-port N opens a second listener for the action pages of notices' links (GET, HEAD and \
        POST /a/TOKEN and nothing else; docs/actions.md), on --public-host (127.0.0.1 by default: \
        publish it through a reverse proxy with TLS). Off by default; 0 picks a free port (printed when \
        listening).

        Tokens are given by reference, never on the command line (docs/security.md). --tokens-file PATH or \
        --tokens-credential NAME (a systemd credential, $CREDENTIALS_DIRECTORY/NAME) reads a file of lines \
        'NAME ROLE TOKEN' or 'NAME ROLE sha256:HEX', ROLE one of read (GETs: dashboards, Grafana, /metrics), \
        operate (tickets, events, incidents) or admin (also the outbox's retry and drop); a bad file stops \
        the start with file:line:col. --token-env NAME / --token-credential NAME give one admin token named \
        'default'. Reads need a token too unless --host is loopback (127.0.0.0/8, ::1, localhost); \
        --open-reads serves them to anyone who can reach the port, on purpose, and logs a warning at start. \
        /healthz is always open (liveness; no personal data). Each write is logged with its token's name.

        Egress (docs/operations.md, "Egress"): the unit allows only loopback (IPAddressAllow=localhost), and \
        IPAddressAllow= cannot name a vendor's hostname. --egress-proxy http://HOST:PORT (or the environment \
        variable SLAD_EGRESS_PROXY, as /etc/default/slad sets it for the unit) sends every notice's and \
        heartbeat's HTTP(S) request through that forward proxy (a CONNECT tunnel to each host), so the \
        unit need allow only the proxy's address. http://USER:PASSWORD@HOST:PORT authenticates to it \
        (Basic); keep that in the environment file, not on the command line. Only with --http-client nio.

        Exit status: 0 after a clean shutdown; 78 when the rules have errors; 73 when the state folder \
        cannot be written; 75 when another slad runs on the same state folder or the database is locked; \
        65 when the database is from a newer slad; 74 when it cannot be read; 64 for a bad option.
        """
    )

    @Option(help: "Rule files or folders (\(RulesLocation.help)).")
    var rules: [String] = ["rules"]

    @Option(help: "The state folder holding slad.sqlite.")
    var state: String = "/var/lib/slad"

    @Option(help: "Address to bind the HTTP API to.")
    var host: String = "127.0.0.1"

    @Option(help: "Port of the HTTP API; 0 picks a free one (printed when listening).")
    var port: Int = 8080

    @Option(help: "Address to bind the public action pages to (with --public-port).")
    var publicHost: String?

    @Option(help: "Port of the public action pages (/a/TOKEN); 0 picks a free one. Off when not given.")
    var publicPort: Int?

    @Option(help: "Environment variable holding the bearer token for writes.")
    var tokenEnv: String?

    @Option(help: "systemd credential holding the bearer token for writes.")
    var tokenCredential: String?

    @Option(help: "File of API tokens, one 'NAME ROLE TOKEN' or 'NAME ROLE sha256:HEX' a line (roles: read, operate, admin).")
    var tokensFile: String?

    @Option(help: "systemd credential holding the tokens file.")
    var tokensCredential: String?

    @Flag(help: "Serve reads (GETs) without a token even when --host is not loopback. Logs a warning at start.")
    var openReads = false

    @Option(help: "Longest sleep between scans, in seconds.")
    var maxInterval: Int = 30

    @Flag(help: "Also print each escalation sent on a log channel, and each self-alert through one, to standard output.")
    var console = false

    @Option(help: "Delivery attempts before a notification is dead-lettered.")
    var maxAttempts: Int = 15

    @Option(help: "Age, in seconds, past which a failing notification is dead-lettered.")
    var maxAge: Int = 24 * 3600

    @Option(help: "Seconds before the first retry; each next retry waits about twice as long.")
    var retryBase: Double = 2

    @Option(help: "Longest wait between retries, in seconds.")
    var retryMax: Double = 300

    @Option(help: "Seconds between KPI refreshes: the dashboard, /metrics' slad_kpi and the KPI warnings follow the tickets this late at most.")
    var kpiInterval: Int = 60

    @Option(help: "Environment variable holding a dead man's switch URL (an uptime monitor): called (GET) every --heartbeat-every seconds while /healthz shows no problem, so silence raises the alarm elsewhere.")
    var heartbeatURLEnv: String?

    @Option(help: "Seconds between heartbeats.")
    var heartbeatEvery: Int = 300

    @Option(help: "The HTTP client that delivers notices and heartbeats: nio (AsyncHTTPClient, kept-alive connections per host) or urlsession (Foundation, libcurl).")
    var httpClient: String = HTTPClientChoice.nio.rawValue

    @Option(help: ArgumentHelp("An HTTP forward proxy for notices and heartbeats, http://HOST:PORT ($SLAD_EGRESS_PROXY when set; direct when neither is).",
                               valueName: "url"))
    var egressProxy: String?

    @Option(help: "Seconds between the self-watch's looks at scans, delivery, the outbox, calendars, disk and clock (the rules' watch block says who is told).")
    var watchEvery: Double = 15

    func run() async throws {
        var configuration = DaemonConfiguration()
        configuration.rulePaths = RulesLocation.resolve(rules)
        configuration.stateFolder = state
        configuration.host = host
        configuration.port = port
        configuration.publicListener = try Self.publicListener(host: publicHost, port: publicPort)
        if let pages = configuration.publicListener, pages.port != 0, pages.port == port {
            throw ValidationError("--public-port \(pages.port) is the API's --port too: the action pages need a port of their own")
        }
        configuration.maxInterval = max(1, maxInterval)
        configuration.echoEscalations = console
        guard kpiInterval >= 1 else { throw ValidationError("--kpi-interval must be at least 1 second") }
        configuration.kpiInterval = kpiInterval
        guard watchEvery >= 1, watchEvery <= 3600 else { throw ValidationError("--watch-every takes 1 to 3600 seconds") }
        configuration.watchEvery = watchEvery
        guard let client = HTTPClientChoice(rawValue: httpClient) else {
            throw ValidationError("--http-client \(httpClient): expected one of \(HTTPClientChoice.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        configuration.httpClient = client
        configuration.egressProxy = try Self.egressProxy(option: egressProxy, environment: ProcessInfo.processInfo.environment)
        if configuration.egressProxy != nil, client != .nio {
            throw ValidationError("--egress-proxy (or SLAD_EGRESS_PROXY) needs --http-client nio: urlsession's libcurl reads https_proxy from the environment instead")
        }
        if let name = heartbeatURLEnv {
            guard let text = ProcessInfo.processInfo.environment[name], !text.isEmpty else {
                throw ValidationError("--heartbeat-url-env \(name): the environment variable is not set or empty")
            }
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw ValidationError("--heartbeat-url-env \(name): not an http(s) URL (the value is not shown: it may hold the monitor's key)")
            }
            guard heartbeatEvery >= 1 else { throw ValidationError("--heartbeat-every must be at least 1 second") }
            configuration.heartbeatURL = url
            configuration.heartbeatEvery = heartbeatEvery
        }
        guard maxAttempts >= 1, maxAge >= 1, retryBase > 0, retryMax >= retryBase else {
            throw ValidationError("--max-attempts, --max-age and --retry-base must be positive and --retry-max at least --retry-base")
        }
        configuration.delivery.maxAttempts = maxAttempts
        configuration.delivery.maxAgeSeconds = maxAge
        configuration.delivery.baseDelay = retryBase
        configuration.delivery.maxDelay = retryMax
        configuration.token = try Self.token(env: tokenEnv, credential: tokenCredential)
        configuration.tokens = try Self.tokens(file: tokensFile, credential: tokensCredential)
        configuration.openReads = openReads
        if let problem = configuration.accessProblem { throw ValidationError(problem) }
        if let stall = ProcessInfo.processInfo.environment["SLAD_TEST_STALL_AFTER_SCANS"].flatMap(Int.init) {
            configuration.stallAfterScans = stall
        }
        let notifier = SystemdNotifier()
        configuration.sleepCap = notifier.sleepCap
        try await Self.serve(configuration, hooks: notifier.hooks())
    }

    /// `--egress-proxy`, else SLAD_EGRESS_PROXY; an empty value (the environment file's default) is no proxy.
    static func egressProxy(option: String?, environment: [String: String]) throws -> EgressProxy? {
        let text = option ?? environment["SLAD_EGRESS_PROXY"] ?? ""
        if text.trimmingCharacters(in: .whitespaces).isEmpty { return nil }
        do {
            return try EgressProxy(parsing: text)
        } catch {
            throw ValidationError(option != nil ? "--egress-proxy: \(error)" : "SLAD_EGRESS_PROXY: \(error)")
        }
    }

    static func publicListener(host: String?, port: Int?) throws -> PublicListenerConfiguration? {
        guard let port else {
            if host != nil { throw ValidationError("--public-host needs --public-port (the public listener is off without it)") }
            return nil
        }
        guard (0...65535).contains(port) else { throw ValidationError("--public-port must be 0 to 65535 (0 picks a free port)") }
        return PublicListenerConfiguration(host: host ?? "127.0.0.1", port: port)
    }

    static func token(env: String?, credential: String?) throws -> String? {
        if let env {
            guard let value = ProcessInfo.processInfo.environment[env], !value.isEmpty else {
                throw ValidationError("--token-env \(env): the environment variable is not set or empty")
            }
            return value
        }
        if let credential {
            guard let folder = ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"],
                  let data = FileManager.default.contents(atPath: folder + "/" + credential) else {
                throw ValidationError("--token-credential \(credential): no such credential (is LoadCredential= set in the unit?)")
            }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return nil
    }

    /// The tokens file's tokens (`--tokens-file` or `--tokens-credential`), checked whole.
    static func tokens(file: String?, credential: String?) throws -> [APIToken] {
        if file != nil, credential != nil { throw ValidationError("give --tokens-file or --tokens-credential, not both") }
        let path: String
        if let file {
            path = file
        } else if let credential {
            guard let folder = ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"] else {
                throw ValidationError("--tokens-credential \(credential): no credentials (is LoadCredential= set in the unit?)")
            }
            path = folder + "/" + credential
        } else {
            return []
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError(file != nil ? "--tokens-file \(path): cannot read the file"
                                  : "--tokens-credential \(credential ?? ""): cannot read \(path) (is LoadCredential= set in the unit?)")
        }
        do {
            return try TokensFile.parse(String(decoding: data, as: UTF8.self), file: path)
        } catch {
            throw ValidationError("the tokens file has errors; slad does not start:\n\(error.description)")
        }
    }

    static func serve(_ configuration: DaemonConfiguration, hooks: Server.Hooks = Server.Hooks()) async throws {
        // The journal with structured fields when stderr is the journal (under systemd), else stderr lines
        // with <N> priority prefixes.
        let target = SystemdLogging.target(environment: ProcessInfo.processInfo.environment)
        LoggingSystem.bootstrap { label in SystemdLogging.handler(label: label, target: target) }
        let logger = Logger(label: "slad")
        if Systemd.listenFDs() > 0 {
            logger.warning("sockets were passed (socket activation) but slad binds its own listener; see docs/adr/0001-no-socket-activation.md")
        }
        logger.info("\(configuration.accessSummary)")
        if let warning = configuration.openReadsWarning { logger.warning("\(warning)") }
        if let proxy = configuration.egressProxy { logger.info("notices and heartbeats go through the egress proxy \(proxy)") }
        let metrics = DaemonMetrics.bootstrap()
        do {
            try await Server.run(configuration, logger: logger, metrics: metrics, hooks: hooks)
        } catch let failure as Server.StartFailure {
            Systemd.notify([.status(failure.description)])
            // Through the logger: under systemd one journal record with its priority, also when the
            // description (broken rules) runs over several lines.
            logger.critical("slad \(failure.description)")   // "slad cannot start: …"
            throw ExitCode(failure.exitCode)
        }
    }
}
