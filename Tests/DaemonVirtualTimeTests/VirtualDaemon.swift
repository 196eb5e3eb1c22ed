import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import SLADaemon
import SLAEngine
import SLAStore
import Testing

/// slad's escalation loop and delivery service in-process, on a real SQLite file, the real rules loader
/// and notifiers, and one `ManualClock` for every "now" and every sleep. A test moves time itself:
/// five minutes of backoff or an hour's rate window take no real time. Real time passes only while the
/// daemon's tasks do their work between two steps of the clock (an HTTP request, a commit).
final class VirtualDaemon: Sendable {
    let clock: ManualClock
    let folder: URL
    let store: SQLiteTicketStore
    let rules: RulesHolder
    let loop: EscalationLoop
    let delivery: DeliveryService
    private let services: ServiceGroup
    private let state = NIOLockedValueBox((scans: 0, stopped: false))

    static let start = Instant(seconds: 1_800_000_000)   // 2027-01-15 08:00 UTC

    init(rules text: String, policy: DeliveryPolicy = VirtualDaemon.policy, start: Instant = VirtualDaemon.start) throws {
        clock = ManualClock(start: start)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-virtual-\(UUID().uuidString)")
        let rulesFolder = folder.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rulesFolder, withIntermediateDirectories: true)
        try text.write(to: rulesFolder.appendingPathComponent("rules.sla"), atomically: true, encoding: .utf8)
        rules = try RulesHolder(paths: [rulesFolder.path])
        store = try SQLiteTicketStore.open(folder: folder.appendingPathComponent("state").path)
        var configuration = DaemonConfiguration()
        configuration.stateFolder = folder.appendingPathComponent("state").path
        configuration.delivery = policy
        // SLAD_VIRTUAL_LOG=1 shows the daemon's log on standard error while a test runs.
        let logger = ProcessInfo.processInfo.environment["SLAD_VIRTUAL_LOG"] == nil
            ? Logger(label: "slad-virtual", factory: { _ in SwiftLogNoOpLogHandler() })
            : Logger(label: "slad-virtual", factory: { StreamLogHandler.standardError(label: $0) })
        delivery = DeliveryService(store: store, rules: rules, clock: clock, policy: policy, logger: logger, echo: false)
        let state = self.state
        loop = EscalationLoop(store: store, rules: rules, clock: clock, configuration: configuration, metrics: nil, logger: logger,
                              delivery: delivery, onScan: { _ in state.withLockedValue { $0.scans += 1 } })
        services = ServiceGroup(configuration: .init(services: [.init(service: loop), .init(service: delivery)], logger: logger))
    }

    /// A short retry policy with no jitter: every wait is exactly base·2^(attempt-1).
    static var policy: DeliveryPolicy {
        var policy = DeliveryPolicy()
        policy.jitter = { 1 }
        return policy
    }

    var scans: Int { state.withLockedValue { $0.scans } }
    var stopped: Bool { state.withLockedValue { $0.stopped } }

    /// Runs the loop and delivery for the length of `body`, then shuts them down gracefully (moving the
    /// clock on while they wind down, as a real drain would see time pass) and waits until they have.
    @discardableResult
    func run<T: Sendable>(_ body: @Sendable (VirtualDaemon) async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await self.services.run()
                self.state.withLockedValue { $0.stopped = true }
            }
            let result: T
            do {
                result = try await body(self)
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
            await stop()
            try await advance(until: { self.stopped }, limit: 60, what: "the daemon to stop")
            try await group.waitForAll()
            return result
        }
    }

    /// Begins a graceful shutdown (as SIGTERM would).
    func stop() async { await services.triggerGracefulShutdown() }

    /// Opens a complaint created `age` seconds before the clock's now, and tells the loop its first
    /// deadline, as the API does.
    func open(_ id: String, kind: String = "complaint", age: Int = 0) async throws {
        let engine = await rules.engine
        let ticket = Ticket(id: id, fields: TicketFields(kind: kind), createdAt: clock.now() - age)
        let (stored, _) = try await store.create(ticket, idempotencyKey: nil, actor: nil, engine: engine, now: clock.now())
        loop.poke(nextDue: stored.nextDue)
    }

    /// Moves the clock on, a step at a time, until `condition` holds; between steps the daemon's tasks
    /// get a moment of real time to do what the new time allows. Returns the virtual seconds that passed.
    /// A step never jumps past the next sleeper's wake-up, so nothing wakes later than it would for real.
    /// Lower bounds on virtual time are exact when measured from before the daemon could act (not from an
    /// arrival: under load a step may come while a request is in flight); an upper bound
    /// needs a little room, since on a loaded machine a step may come before all the work of the last.
    @discardableResult
    func advance(until condition: @Sendable () async throws -> Bool, step: Double = 0.5, limit: Double,
                 what: String, detail: @Sendable () -> String = { "" }, patience: Duration = .seconds(1),
                 sourceLocation: SourceLocation = #_sourceLocation) async throws -> Double {
        let begin = clock.uptime()
        while true {
            if try await condition() { return clock.uptime() - begin }
            guard clock.uptime() - begin < limit else {
                Issue.record("\(what): not after \(limit) s of virtual time (now \(clock.uptime())) \(detail())", sourceLocation: sourceLocation)
                throw VirtualTimeOut()
            }
            try await quiet(patience: patience)
            if try await condition() { return clock.uptime() - begin }
            let next = clock.nextWake.map { max(0.001, $0 - clock.uptime()) } ?? step
            clock.advance(by: min(step, next))
        }
    }

    /// Waits (in real time, briefly) until what the present time allows is done: no delivery running and
    /// the set of sleepers on the clock unchanged for a few milliseconds. A delivery that hangs is given
    /// up on after `patience`, so that the clock can still move (its timeout, a drain's deadline).
    func quiet(patience: Duration) async throws {
        let begin = ContinuousClock.now
        var last = -1, calm = 0
        while ContinuousClock.now - begin < patience {
            try await Task.sleep(for: .milliseconds(2))
            let sleepers = clock.sleepers
            if delivery.deliveriesRunning == 0, sleepers == last {
                calm += 1
                if calm >= 2 { return }
            } else {
                calm = 0
            }
            last = sleepers
        }
    }

    /// Lets real time pass for the daemon's tasks without moving the clock: what is possible now happens.
    func settle(milliseconds: Int = 300) async throws {
        try await Task.sleep(for: .milliseconds(milliseconds))
    }

    func outbox(channel: String, state: String) async throws -> [OutboxJob] {
        try await store.outbox(state: state, limit: 10_000).filter { $0.channel == channel }
    }

    struct VirtualTimeOut: Error {}

    deinit { try? FileManager.default.removeItem(at: folder) }
}
