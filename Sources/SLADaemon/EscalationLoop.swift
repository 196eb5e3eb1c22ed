import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import SLAEngine
import SLARules
import SLAStore

/// The escalation loop: sleeps until the earliest next-due instant (or `maxInterval`), scans the due
/// tickets in one transaction, hands the console/log outbox rows to their sink, and goes round again.
/// New events wake it early. On graceful shutdown it finishes the transaction in flight and returns.
public final class EscalationLoop: Service, Sendable {
    let store: any TicketStore
    let rules: RulesHolder
    let clock: any WallClock
    let configuration: DaemonConfiguration
    let metrics: DaemonMetrics?
    let logger: Logger
    let doorbell = Doorbell()
    let status: LoopStatus
    /// Told after each completed scan (systemd's watchdog and STATUS hook in here).
    let onScan: @Sendable (ScanSummary) async -> Void
    /// Told after each failed scan: the loop is alive but cannot scan (STATUS= says so; the watchdog is
    /// still pinged, so systemd does not restart a loop that only waits for its disk).
    let onFailure: @Sendable (ScanFault) async -> Void
    /// Delivers the outbox; told after each scan that wrote rows. Without one (the store benchmark),
    /// the loop delivers `log` rows itself.
    let delivery: DeliveryService?

    public init(store: any TicketStore, rules: RulesHolder, clock: any WallClock, configuration: DaemonConfiguration,
                metrics: DaemonMetrics?, logger: Logger, delivery: DeliveryService? = nil,
                onScan: @escaping @Sendable (ScanSummary) async -> Void = { _ in },
                onFailure: @escaping @Sendable (ScanFault) async -> Void = { _ in }) {
        self.onFailure = onFailure
        self.delivery = delivery
        self.store = store
        self.rules = rules
        self.clock = clock
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        status = LoopStatus()
        self.onScan = onScan
    }

    /// The instant (seconds on the clock) by which the loop will look again at the latest: +∞ until it
    /// has planned its first sleep. Raised to the longest sleep before the loop reads the earliest due
    /// instant, so a ticket committed after that read still finds a bound it can compare against.
    private let plannedLook = NIOLockedValueBox(Double.infinity)

    /// Statistics (open, overdue, outbox) for the scan summary, read at most every `statisticsEvery`
    /// seconds: they count whole tables, and at a million tickets that costs more than the scan.
    /// `/metrics` reads its own on each scrape.
    private let statisticsCache = NIOLockedValueBox<(stats: StoreStatistics, at: Double)?>(nil)
    static let statisticsEvery = 5.0

    /// Makes the loop look again now (an incident opened, a channel was reloaded, shutdown).
    public func poke() { doorbell.ring() }

    /// A ticket was created or changed and its earliest deadline is now `nextDue`: wakes the loop only
    /// when that is before the loop's planned look, so a stream of new tickets whose deadlines lie
    /// hours ahead does not cost a scan each.
    public func poke(nextDue: Instant?) {
        guard let nextDue else { return }
        if Double(nextDue.seconds) < plannedLook.withLockedValue({ $0 }) { doorbell.ring() }
    }

    public var lastSummary: ScanSummary? { get async { await status.last } }

    /// Set while scans fail; nil once one succeeds.
    public var fault: ScanFault? { get async { await status.fault } }

    /// Set while the API's writes fail for storage (a full disk refuses new tickets before any scan has
    /// something to write); nil once one succeeds.
    public var writeFault: ScanFault? { get async { await status.writeFault } }

    /// An API write failed on storage: logged once per change of state.
    func writeFailed(_ error: any Error) async {
        let (fault, changed) = await status.writeFailed(error, at: clock.now())
        if changed {
            logger.error("API writes failing: \(fault.code): \(fault.message); requests are answered 503 with Retry-After",
                         metadata: ["fault": "\(fault.code)", "error": "\(error)"])
        }
    }

    /// An API write worked: the end of a write fault, if there was one, is logged.
    func writeWorked() async {
        guard let ended = await status.writeRecovered() else { return }
        logger.notice("API writes work again after \(ended.failures) refused since \(ended.since)", metadata: ["fault": "\(ended.code)"])
    }

    public func run() async throws {
        logger.info("escalation loop started")
        await withGracefulShutdownHandler {
            await self.loop()
        } onGracefulShutdown: {
            self.poke()
        }
        logger.info("escalation loop stopped")
    }

    private func loop() async {
        var scans = 0
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            if let stall = configuration.stallAfterScans, scans >= stall {
                // Test-only: a loop that hangs, as a deadlocked one would (only cancellation ends it).
                logger.warning("test switch: the escalation loop stalls after \(stall) scans")
                while !Task.isCancelled { try? await clock.sleep(seconds: 3600) }
                return
            }
            scans += 1
            var more = false
            do {
                more = try await scanOnce()
                // API writes failed on storage: a small write here tells when they would work again, so
                // /healthz recovers without waiting for a client to try.
                if await status.writeFault != nil {
                    if (try? await store.setMeta("write_probe", "\(clock.now().seconds)")) != nil { await writeWorked() }
                }
                if let ended = await status.recovered() {
                    logger.notice("scans work again after \(ended.failures) failed attempt\(ended.failures == 1 ? "" : "s") since \(ended.since)",
                                  metadata: ["fault": "\(ended.code)"])
                }
            } catch {
                if Task.isCancelled { break }   // stopped mid-scan: the transaction rolled back whole; not a fault
                // Back off, and log once per change of state, not once per attempt: a full disk must not
                // flood the journal. Everything accepted stays in the store and escalates, late, once it clears.
                let (fault, changed) = await status.failed(error, at: clock.now())
                if changed {
                    logger.error("scans failing: \(fault.code): \(fault.message); retrying with backoff up to 60 s",
                                 metadata: ["fault": "\(fault.code)", "error": "\(error)"])
                }
                await onFailure(fault)
                await doorbell.wait(seconds: fault.backoff(), clock: clock)
                continue
            }
            if more { continue }
            // Sleep until the due second begins (not a whole second from now), or the longest interval.
            let now = clock.preciseNow()
            var sleepSeconds = configuration.longestSleep
            plannedLook.withLockedValue { $0 = now + sleepSeconds }   // before the read: see `plannedLook`
            if let due = try? await store.earliestDue() { sleepSeconds = max(0, min(sleepSeconds, Double(due.seconds) - now)) }
            if sleepSeconds <= 0 { continue }
            plannedLook.withLockedValue { $0 = now + sleepSeconds }
            // Wait for the deadline or a poke, whichever comes first.
            await doorbell.wait(seconds: sleepSeconds, clock: clock)
            if Task.isShuttingDownGracefully { break }
        }
    }

    /// One scan. Returns true when the limit was reached and more tickets may be due.
    @discardableResult
    public func scanOnce() async throws -> Bool {
        let engine = await rules.engine
        let now = clock.now()
        let started = ContinuousClock.now
        let report = try await store.scan(engine: engine, now: now, limit: configuration.scanLimit)
        let elapsed = ContinuousClock.now - started   // the scan's own cost, not the clock's time
        for fired in report.fired where fired.subject == .incident {
            logger.notice("incident \(fired.ticketID): \(fired.firing.step.replacingOccurrences(of: ":", with: " ")) → \(fired.people.joined(separator: ", "))",
                          metadata: ["incident_id": "\(fired.ticketID)", "plan": "\(fired.firing.plan ?? fired.firing.policy)"])
        }
        if report.held > 0 {
            logger.info("held \(report.held) escalation\(report.held == 1 ? "" : "s") of tickets that an open incident explains")
        }
        for fired in report.fired where fired.subject == .ticket {
            var metadata: Logger.Metadata = ["ticket_id": "\(fired.ticketID)", "policy": "\(fired.firing.policy)",
                                             "step": "\(fired.firing.step)", "repeat": "\(fired.firing.repeatIndex)"]
            if fired.lateness > 60 { metadata["late_seconds"] = "\(fired.lateness)" }
            logger.notice("escalation: \(fired.firing.policy) \(fired.firing.step) → \(fired.people.joined(separator: ", "))", metadata: metadata)
        }
        for problem in report.unreached {
            logger.warning("cannot reach: \(problem.reason)", metadata: ["ticket_id": "\(problem.ticket)", "step": "\(problem.step)"])
        }
        if let delivery {
            if report.outboxRows > 0 { delivery.poke() }
        } else {
            try await deliverLocal(now: now)
        }
        let stats = try await statistics()
        if let metrics {
            metrics.firings.increment(by: Int64(report.fired.count))
            metrics.breaches.increment(by: Int64(report.breaches))
            metrics.scanDuration.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
            metrics.lastScan.record(now.seconds)
            metrics.record(stats)
            metrics.heldEscalations.increment(by: Int64(report.held))
        }
        let summary = ScanSummary(at: now, evaluated: report.evaluated, fired: report.fired.count,
                                  open: stats.openByPolicy.values.reduce(0, +), overdue: stats.overdue,
                                  outboxPending: stats.outboxByState["pending"] ?? 0,
                                  duration: elapsed, rulesVersion: await rules.version,
                                  dueInstants: report.fired.map(\.dueAt))
        await status.record(summary)
        for gap in await status.calendarGaps(engine: engine, at: now) {
            logger.warning("\(gap.message); \(gap.remedy)",
                           metadata: ["calendar": "\(gap.calendar)", "year": "\(gap.year)",
                                      "data_until": "\(gap.dataUntil.map(\.description) ?? "none")"])
        }
        await onScan(summary)
        return report.evaluated >= configuration.scanLimit
    }

    /// The store's statistics, read again when the last read is `statisticsEvery` seconds old.
    private func statistics() async throws -> StoreStatistics {
        let uptime = clock.uptime()
        if let cached = statisticsCache.withLockedValue({ $0 }), uptime - cached.at < Self.statisticsEvery { return cached.stats }
        let stats = try await store.statistics()
        statisticsCache.withLockedValue { $0 = (stats, uptime) }
        return stats
    }

    /// Without a delivery service, the `log` channel kind is delivered by the loop itself: to its log, and
    /// to standard output when escalations are echoed. Other kinds wait in the outbox.
    func deliverLocal(now: Instant) async throws {
        let jobs = try await store.outbox(state: "pending", limit: 500).filter { $0.channelKind == "log" }
        for job in jobs {
            let people = job.recipients.map { $0.name ?? $0.person }.joined(separator: "、")
            let line = "[\(job.channel)] → \(people.isEmpty ? "（无人）" : people)：\(job.message)"
            logger.info("\(line)", metadata: ["ticket_id": "\(job.ticketID)", "channel": "\(job.channel)"])
            if configuration.echoEscalations {
                print(line)
                fflush(nil)
            }
            try await store.markOutbox(job.id, sent: true, error: nil, now: now)
        }
    }
}

public struct ScanSummary: Sendable {
    public let at: Instant
    public let evaluated: Int
    public let fired: Int
    public let open: Int
    public let overdue: Int
    public let outboxPending: Int
    public let duration: Swift.Duration
    public let rulesVersion: String
    /// The due instant of each step fired in this scan.
    public let dueInstants: [Instant]

    /// One line for systemd's STATUS= and the log.
    public var statusLine: String {
        let ms = Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000
        return "\(open) open, \(overdue) overdue, \(outboxPending) in outbox, last scan \(String(format: "%.1f", ms)) ms, rules \(rulesVersion)"
    }
}

actor LoopStatus {
    var last: ScanSummary?
    private var faults = FaultState()
    var fault: ScanFault? { faults.fault }

    /// One more failed scan. `changed`: the failing began, or its kind changed (worth one log line).
    func failed(_ error: any Error, at now: Instant) -> (fault: ScanFault, changed: Bool) { faults.failed(error, at: now) }

    /// A scan worked: the fault that ended, if there was one.
    func recovered() -> ScanFault? { faults.recovered() }

    private var writes = FaultState()
    var writeFault: ScanFault? { writes.fault }
    func writeFailed(_ error: any Error, at now: Instant) -> (fault: ScanFault, changed: Bool) { writes.failed(error, at: now) }
    func writeRecovered() -> ScanFault? { writes.recovered() }

    /// Says at start, and once a day, when a calendar's holiday data runs out.
    var calendarWatch = CalendarDataWatch()
    func record(_ summary: ScanSummary) { last = summary }
    func calendarGaps(engine: Engine, at now: Instant) -> [CalendarDataGap] { calendarWatch.check(engine, at: now) }
    /// After a reload: the next scan looks at the new rules' calendars at once.
    func recheckCalendars() { calendarWatch.reset() }
}
