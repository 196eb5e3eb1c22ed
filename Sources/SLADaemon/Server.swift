import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SLAActions
import SLAEngine
import SLAStore
import UnixSignals

/// Assembles and runs the daemon: rules, store, escalation loop, HTTP API, SIGHUP reloads; SIGTERM and
/// SIGINT shut it down gracefully (the scan in flight commits or rolls back whole).
public enum Server {
    public struct Hooks: Sendable {
        /// Called once the rules are checked, the store is open and migrated, and the listener is bound.
        /// The server accepts connections only after it returns: start any client work in a new task.
        public var ready: @Sendable (_ port: Int) async -> Void = { _ in }
        /// Called once the public listener (the action pages) is bound, with its port.
        public var publicReady: @Sendable (_ port: Int) async -> Void = { _ in }
        /// After each scan.
        public var scanned: @Sendable (ScanSummary) async -> Void = { _ in }
        /// After each failed scan (the loop backs off and tries again).
        public var scanFailed: @Sendable (ScanFault) async -> Void = { _ in }
        public var reloading: @Sendable () async -> Void = {}
        public var reloaded: @Sendable (_ failure: String?) async -> Void = { _ in }
        /// When graceful shutdown begins (SIGTERM/SIGINT), before the services wind down.
        public var stopping: @Sendable () async -> Void = {}
        /// Before start-up steps that may take long (opening and migrating the store, re-evaluating every
        /// open ticket): systemd's EXTEND_TIMEOUT_USEC hooks in here.
        public var starting: @Sendable (_ step: String) async -> Void = { _ in }
        /// Once, before the listener starts: the desk behind the action links (the public pages mount it).
        public var desk: @Sendable (_ desk: LinkDesk) async -> Void = { _ in }
        public init() {}
    }

    /// Refusals to start; each has its own exit code.
    public struct StartFailure: Error, CustomStringConvertible {
        public let description: String
        public let exitCode: Int32
    }

    public static func run(_ configuration: DaemonConfiguration, logger: Logger, clock: any WallClock = SystemClock(),
                           metrics: DaemonMetrics?, hooks: Hooks = Hooks(), actionDesk: ActionDeskFactory? = nil) async throws {
        let rules: RulesHolder
        do {
            rules = try RulesHolder(paths: configuration.rulePaths)
        } catch {
            throw StartFailure(description: "cannot start: \(error)", exitCode: 78)   // EX_CONFIG
        }
        let store: SQLiteTicketStore
        await hooks.starting("opening and migrating the store")
        do {
            store = try SQLiteTicketStore.open(folder: configuration.stateFolder, exclusive: true)
        } catch {
            throw StartFailure(description: "cannot start: \(error)", exitCode: error.exitCode)
        }
        await rules.started(at: clock.now())
        let links = LinkConfiguration(store: store, logger: logger, baseURL: configuration.publicListener?.linkBaseURL)
        links.configure(await rules.engine.rules)
        // What the public action pages call (issue 13): reads the rules at each call, the keys from the store.
        let desk = LinkDesk(store: store, rules: rules, logger: logger)
        await hooks.desk(desk)
        let version = await rules.version
        logger.info("state in \(store.path); rules \(version) from \(configuration.rulePaths.joined(separator: ", "))")
        let transport = configuration.httpClient.transport(proxy: configuration.egressProxy)
        let delivery = DeliveryService(store: store, rules: rules, clock: clock, policy: configuration.delivery, logger: logger,
                                       echo: configuration.echoEscalations, transport: transport)
        let loop = EscalationLoop(store: store, rules: rules, clock: clock, configuration: configuration, metrics: metrics,
                                  logger: logger, delivery: delivery, onScan: hooks.scanned,
                                  onFailure: hooks.scanFailed)
        // Tickets that fell due while slad was down are found through the next-due index. Only when the
        // rules changed since the last run must every open ticket be looked at again.
        if try await store.meta("rules_version") != version {
            await hooks.starting("re-evaluating open tickets for rules \(version)")
            let count = try await store.reevaluateAll(engine: await rules.engine, now: clock.now())
            try await store.setMeta("rules_version", version)
            logger.info("rules changed since the last run: \(count) open tickets re-evaluated")
        }
        let kpis = KPIService(store: store, rules: rules, clock: clock, interval: configuration.kpiInterval, logger: logger)
        var api = API(store: store, rules: rules, clock: clock, loop: loop, metrics: metrics, configuration: configuration)
        api.kpis = { await kpis.snapshot }
        api.links = links
        api.logger = logger
        let watchStatus = SelfWatchStatus()
        let selfWatch = SelfWatchService(loop: loop, store: store, rules: rules, clock: clock, stateFolder: configuration.stateFolder,
                                         every: configuration.watchEvery, status: watchStatus, logger: logger)
        api.selfWatch = watchStatus
        let app = Application(
            router: api.router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "slad"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                logger.notice("listening on http://\(configuration.host):\(port)")
                logger.notice("看板 (dashboard) on http://\(configuration.host):\(port)/dashboard")
                await hooks.ready(port)
            },
            logger: logger
        )
        let pages = try await publicPages(configuration, store: store, rules: rules, clock: clock, logger: logger, hooks: hooks,
                                          actionDesk: actionDesk, linkDesk: desk)
        let heartbeat = configuration.heartbeatURL.map {
            HeartbeatService(url: $0, every: configuration.heartbeatEvery, loop: loop, rules: rules, clock: clock, transport: transport, logger: logger)
        }
        let reload = ReloadService(rules: rules, store: store, loop: loop, clock: clock, logger: logger, hooks: hooks, links: links)
        let group = ServiceGroup(configuration: .init(
            // The last service hears of a graceful shutdown first: StoppingNotice tells the hook at once.
            services: [.init(service: app)] + pages.map { .init(service: $0) }
                + [.init(service: loop), .init(service: delivery), .init(service: kpis), .init(service: selfWatch)] + (heartbeat.map { [ServiceGroupConfiguration.ServiceConfiguration(service: $0)] } ?? [])
                + [.init(service: reload), .init(service: StoppingNotice(hooks: hooks))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try await group.run()
        // Every service has stopped: nothing writes any more. The log goes into the database file, so the
        // file stands alone (a copy of slad.sqlite without its -wal holds every ticket; docs/operations.md).
        do {
            try store.checkpoint()
            logger.info("database checkpointed: \(store.path) stands alone")
        } catch {
            logger.warning("the database could not be checkpointed at shutdown (its -wal file still holds recent commits): \(error)")
        }
    }
}

extension Server {
    /// The public listener's service, when `--public-port` is set: the action pages, asking the store's
    /// `LinkDesk` (or the desk a factory makes, for tests that bring their own).
    static func publicPages(_ configuration: DaemonConfiguration, store: SQLiteTicketStore, rules: RulesHolder, clock: any WallClock,
                            logger: Logger, hooks: Hooks, actionDesk: ActionDeskFactory?, linkDesk: LinkDesk) async throws -> [any Service] {
        guard let settings = configuration.publicListener else { return [] }
        let desk: any ActionDesk
        if let actionDesk {
            do {
                desk = try await actionDesk(ActionDeskParts(store: store, rules: rules, clock: clock, logger: logger))
            } catch {
                throw StartFailure(description: "cannot start the action pages: \(error)", exitCode: 78)   // EX_CONFIG
            }
        } else {
            desk = linkDesk
        }
        return [PublicListener.service(settings, desk: desk, clock: clock, logger: logger, onRunning: { port in
            logger.notice("action pages on http://\(settings.host):\(port)/a/ (public listener)")
            await hooks.publicReady(port)
        })]
    }
}

/// Calls the `stopping` hook as soon as graceful shutdown begins (systemd's STOPPING=1).
struct StoppingNotice: Service {
    let hooks: Server.Hooks

    func run() async throws {
        try? await gracefulShutdown()
        await hooks.stopping()
    }
}

/// Reloads the rules on SIGHUP. Rules with errors are refused and logged; the old ones keep running.
struct ReloadService: Service {
    let rules: RulesHolder
    let store: any TicketStore
    let loop: EscalationLoop
    let clock: any WallClock
    let logger: Logger
    let hooks: Server.Hooks
    var links: LinkConfiguration?

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await withGracefulShutdownHandler {
            for await _ in signals.cancelOnGracefulShutdown() {
                await hooks.reloading()
                if let failure = await rules.reload(at: clock.now()) {
                    logger.error("reload refused, the previous rules keep running: \(failure)")
                    await hooks.reloaded("reload refused: \(failure)")
                    continue
                }
                links?.configure(await rules.engine.rules)
                let count = (try? await store.reevaluateAll(engine: await rules.engine, now: clock.now())) ?? 0
                let version = await rules.version
                try? await store.setMeta("rules_version", version)
                logger.notice("rules reloaded (\(version)); \(count) open tickets re-evaluated")
                await loop.status.recheckCalendars()
                loop.poke()
                await hooks.reloaded(nil)
            }
        } onGracefulShutdown: {}
    }
}
