import Foundation
import Logging
import ServiceLifecycle
import SLAEngine
import SLANotify
import SLARules
import SLAStore

/// Watches slad itself (issue 15): every `every` seconds it looks at the scans, delivery, the outbox, the
/// calendars, the state folder's disk and the clock, and tells the rules' `watch` people about each
/// trouble once, and once more when it is over. Without a `watch` block it only looks (the log and
/// `/healthz` still say what is wrong).
public struct SelfWatchService: Service {
    let loop: EscalationLoop
    let store: any TicketStore
    let rules: RulesHolder
    let clock: any WallClock
    let stateFolder: String
    let every: Double
    let status: SelfWatchStatus
    let logger: Logger

    public init(loop: EscalationLoop, store: any TicketStore, rules: RulesHolder, clock: any WallClock, stateFolder: String,
                every: Double, status: SelfWatchStatus = SelfWatchStatus(), logger: Logger) {
        self.loop = loop
        self.store = store
        self.rules = rules
        self.clock = clock
        self.stateFolder = stateFolder
        self.every = max(0.2, every)
        self.status = status
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown { await self.watch() }
    }

    private func watch() async {
        var watch: SelfWatch?
        var notifiers: SelfAlertNotifiers?
        var sender = SelfAlertSender(logger: logger)
        var lastLook: (wall: Double, monotonic: Double)?
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let engine = await rules.engine
            let version = await rules.version
            let wall = clock.preciseNow(), monotonic = clock.uptime()
            if let settings = engine.rules.watch {
                if watch?.settings != settings {
                    // New rules: the troubles already raised stay raised (no second alert for the same trouble).
                    watch = SelfWatch(settings: settings, zone: engine.displayZone, active: watch?.active ?? [:])
                }
                if notifiers?.version != version {
                    let reloaded = notifiers != nil
                    notifiers = SelfAlertNotifiers(version: version, rules: engine.rules, secrets: loop.delivery?.secrets ?? SecretResolver(),
                                                   transport: loop.delivery?.transport ?? AsyncHTTPTransport(),
                                                   echo: loop.delivery?.echo ?? loop.configuration.echoEscalations, logger: logger)
                    if reloaded { await sender.resendUnheard(settings: settings, notifiers: notifiers!, engine: engine, now: wall) }
                }
                var seen = await observe(engine: engine, now: clock.now())
                if let lastLook {
                    seen.clockJump = Int((wall - lastLook.wall - (monotonic - lastLook.monotonic)).rounded())
                }
                let alerts = watch!.look(seen)
                for alert in alerts {
                    if alert.kind == .raised {
                        logger.error("self-watch: \(alert.title)", metadata: ["trouble": "\(alert.key)"])
                    } else {
                        logger.notice("self-watch: \(alert.title)", metadata: ["trouble": "\(alert.key)"])
                    }
                    await sender.send(alert, settings: settings, notifiers: notifiers!, engine: engine, now: wall)
                }
                await sender.retry(notifiers: notifiers!, engine: engine, now: wall)
                await status.set(watch!.active, told: sender.told)
            } else if watch != nil {
                watch = nil
                await status.set([:], told: [:])
            }
            lastLook = (wall, monotonic)
            try? await clock.sleep(seconds: every)
        }
    }

    /// What the watch sees now. Each part that cannot be read is left unknown.
    func observe(engine: Engine, now: Instant) async -> WatchObservation {
        var seen = WatchObservation(now: now)
        let faults = [await loop.fault, await loop.delivery?.fault, await loop.writeFault].compactMap { $0 }
        seen.storageFault = faults.min { $0.since < $1.since }
        if let line = engine.rules.watch?.channelDownFor {
            seen.channels = await loop.delivery?.stalledChannels(at: now, failingFor: line) ?? []
        }
        seen.outbox = try? await store.outboxBacklog()
        seen.calendarGaps = engine.rules.calendarDataGaps(today: engine.today(at: now))
        if let refusal = await rules.refusal { seen.refusal = (refusal, await rules.version) }
        if let attributes = try? FileManager.default.attributesOfFileSystem(forPath: stateFolder),
           let free = (attributes[.systemFreeSize] as? NSNumber)?.intValue, let total = (attributes[.systemSize] as? NSNumber)?.intValue {
            seen.disk = (free, total)
        }
        return seen
    }
}

/// The troubles the self-watch has raised, for `/healthz`.
public actor SelfWatchStatus {
    private var active: [String: Instant] = [:]
    private var told: [String: Set<String>] = [:]

    public init() {}

    func set(_ active: [String: Instant], told: [String: Set<String>]) {
        self.active = active
        self.told = told
    }

    var snapshot: (active: [String: Instant], told: [String: Set<String>]) { (active, told) }

    /// `/healthz`'s `watch`: each trouble raised, since when, and the channels that carried it.
    static func troubles(_ snapshot: (active: [String: Instant], told: [String: Set<String>]), zone: ZoneTable) -> [HealthAnswer.Trouble] {
        snapshot.active.keys.sorted().map { key in
            HealthAnswer.Trouble(trouble: key, since: zone.format(snapshot.active[key]!), told: (snapshot.told[key] ?? []).sorted())
        }
    }
}
