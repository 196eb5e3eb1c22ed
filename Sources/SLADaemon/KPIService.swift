import Logging
import ServiceLifecycle
import SLAEngine
import SLARules
import SLAStore

/// Keeps the KPIs current (issue 14): every `interval` it reads the tickets changed since its last look,
/// refreshes their facts, computes every KPI of the rules (`KPICalculator`), keeps the snapshot the 看板,
/// `/metrics` and the reports read, and acts on the KPI warnings (`KPIAlarm`): alarms stored and notices
/// enqueued through the outbox in one transaction.
///
/// It runs beside the escalation loop, never inside a scan: a scan costs the same with or without KPIs.
/// The facts of the tickets the windows can need (created within `lookbackDays`, or still open) stay in
/// memory, so a refresh reads only what changed (docs/kpi.md, "How the daemon keeps them").
public actor KPIService: Service {
    let store: SQLiteTicketStore
    let rules: RulesHolder
    let clock: any WallClock
    let logger: Logger
    /// Seconds between refreshes.
    let interval: Int
    private(set) var current = KPISnapshot.empty
    /// The facts, in an array the KPIs read in place (a refresh copies nothing), and where each ticket's are.
    private var facts: [TicketFacts] = []
    private var slots: [String: Int] = [:]
    /// The facts' sites, teams and assignees as keys (kept, and started again, with the facts).
    private var groups = KPIGroupIndex()
    private var watermark: Int?
    /// The day (since the epoch) the facts were last pruned.
    private var prunedDay: Int?
    /// The rules the facts were made with; other rules (a reload) make them again.
    private var factsVersion: String?
    private var faults = FaultState()

    public init(store: SQLiteTicketStore, rules: RulesHolder, clock: any WallClock, interval: Int = 60, logger: Logger) {
        self.store = store
        self.rules = rules
        self.clock = clock
        self.interval = max(1, interval)
        self.logger = logger
    }

    /// The last computed KPIs (`KPISnapshot.empty` before the first refresh).
    public var snapshot: KPISnapshot { current }

    /// Ends at graceful shutdown: the wait between refreshes is cancelled (a refresh in flight is a
    /// read and one write transaction, committed or rolled back whole).
    public nonisolated func run() async throws {
        try? await cancelWhenGracefulShutdown { await self.loop() }
    }

    private func loop() async {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await refresh(now: clock.now())
                if let ended = faults.recovered() {
                    logger.notice("KPI refresh works again after \(ended.failures) failed attempt\(ended.failures == 1 ? "" : "s")")
                }
            } catch {
                // Once per change of state, not once a minute while a disk stays full.
                let (fault, changed) = faults.failed(error, at: clock.now())
                if changed { logger.error("KPI refresh failing: \(fault.code): \(fault.message)", metadata: ["error": "\(error)"]) }
            }
            try? await clock.sleep(seconds: Double(interval))
        }
    }

    /// One refresh at `now`: facts of changed tickets, every KPI, the warnings. Returns the snapshot.
    @discardableResult
    public func refresh(now: Instant) async throws -> KPISnapshot {
        let (engine, version) = await rules.snapshot
        guard !engine.rules.kpis.isEmpty else {
            current = KPISnapshot(computedAt: now, tiles: [])
            return current
        }
        let isFirst = version != factsVersion
        if isFirst {
            facts = []
            slots = [:]
            groups = KPIGroupIndex()
            watermark = nil
            factsVersion = version
        }
        let createdSince = now - Self.lookbackDays(engine.rules.kpis) * 86_400
        let changed = try await store.kpiTickets(updatedSince: watermark, createdSince: createdSince.seconds)
        for ticket in changed.tickets {
            let made = groups.interned(TicketFacts.make(ticket: ticket, at: now, engine: engine))
            if let slot = slots[ticket.id] {
                facts[slot] = made
            } else {
                slots[ticket.id] = facts.count
                facts.append(made)
            }
        }
        if let newest = changed.watermark { watermark = max(watermark ?? newest, newest) }
        // Facts that fell out of every window are dropped once a day: the lookback keeps a month of slack
        // past the trend, so a day's delay changes no value, and a refresh need not rebuild the dictionary.
        if prunedDay != now.seconds / 86_400 {
            facts.removeAll { $0.createdAt < createdSince && !$0.isOpen(at: now) }
            slots = Dictionary(uniqueKeysWithValues: facts.enumerated().map { ($1.id, $0) })
            prunedDay = now.seconds / 86_400
        }
        let calculator = KPICalculator(engine: engine, groups: groups)
        current = calculator.snapshot(over: facts, now: now)
        let written = try await alarms(current, engine: engine, now: now)
        if isFirst {
            logger.info("KPIs: \(current.tiles.count) computed over \(facts.count) tickets; refreshed every \(interval) s")
        }
        if written > 0 { logger.notice("KPI warnings: \(written) notice(s) enqueued") }
        return current
    }

    /// Days of history the windows and the 30-day trend can need.
    static func lookbackDays(_ kpis: [KPI]) -> Int {
        let longest = kpis.map { kpi in
            switch kpi.window {
            case let .rolling(days): days
            case .month: 31
            case .week: 7
            }
        }.max() ?? 30
        return longest + 31
    }

    /// The warning rules over every group of every KPI that has a line; only what changed is written.
    private func alarms(_ snapshot: KPISnapshot, engine: Engine, now: Instant) async throws -> Int {
        let stored = try await store.kpiAlarms()
        var outcomes: [KPIAlarmOutcome] = []
        for (kpi, tile) in zip(engine.rules.kpis, snapshot.tiles) {
            for value in KPIAlarm.watched(kpi, overall: tile.overall, groups: tile.groups) {
                let previous = stored[kpi.name]?[value.group ?? ""]
                let next = KPIAlarm.next(kpi: kpi, value: value, state: previous?.state, previousSequence: previous?.sequence ?? 0, now: now)
                let changed = next.notice != nil || next.state?.level != previous?.state?.level || (next.state == nil) != (previous?.state == nil)
                guard changed else { continue }
                outcomes.append(KPIAlarmOutcome(kpi: kpi, value: value, state: next.state, previous: previous, notice: next.notice))
            }
        }
        return try await store.recordKPIAlarms(outcomes, engine: engine, now: now)
    }
}
