import Foundation
import Logging
import ServiceLifecycle
import SLAEngine
import SLANotify
import SLARules
import SLAStore

/// How hard delivery tries before it gives up on a job.
public struct DeliveryPolicy: Sendable {
    /// Attempts before a job is dead-lettered (the first try counts).
    public var maxAttempts = 15
    /// A job older than this is dead-lettered at its next failure, whatever its attempts.
    public var maxAgeSeconds = 24 * 3600
    /// The first retry waits about this long; each next one twice as long, up to `maxDelay`.
    public var baseDelay: Double = 2
    public var maxDelay: Double = 300
    /// Deliveries in flight at once on one channel (robots: 1, to keep their order).
    public var concurrency = 8
    /// The dispatcher looks at the outbox at least this often.
    public var pollInterval: Double = 1
    public var batch = 500
    /// At most this many finished attempts are committed in one transaction (group commit); 1 commits
    /// each attempt on its own.
    public var recordBatch = 256
    /// A job whose channel cannot deliver (a secret missing) says why and is looked at again this often.
    public var unconfiguredRecheck = 60

    public init() {}

    /// Exponential backoff with jitter: between half and all of base·2^(attempt-1), capped.
    public func delay(afterAttempt attempt: Int, retryAfter: Double?, random: Double = Double.random(in: 0.5...1)) -> Double {
        if let retryAfter { return min(max(retryAfter, 0), maxDelay * 4) }
        let exponential = min(maxDelay, baseDelay * pow(2, Double(max(0, attempt - 1))))
        return max(1, exponential * random)
    }
}

/// Delivers the outbox. A dispatcher hands due jobs to one lane per channel; each lane has its own
/// concurrency and rate limit, so a slow, throttled or dead channel only ever delays itself. Every
/// attempt is recorded; a job is retried with backoff on timeouts, 5xx and 429 (honouring Retry-After),
/// dead-lettered on a permanent error, after `maxAttempts` or past `maxAgeSeconds`, and then its
/// channel's `fallback` is told through the outbox.
public final class DeliveryService: Service, Sendable {
    let store: any TicketStore
    let rules: RulesHolder
    let clock: any WallClock
    let policy: DeliveryPolicy
    let logger: Logger
    let echo: Bool
    let transport: any HTTPTransport
    let secrets: SecretResolver
    let doorbell = Doorbell()
    let state = DispatcherState()
    let recorder: AttemptRecorder

    public init(store: any TicketStore, rules: RulesHolder, clock: any WallClock, policy: DeliveryPolicy, logger: Logger,
                echo: Bool, transport: any HTTPTransport = AsyncHTTPTransport(), secrets: SecretResolver = SecretResolver()) {
        self.store = store
        self.rules = rules
        self.clock = clock
        self.policy = policy
        self.logger = logger
        self.echo = echo
        self.transport = transport
        self.secrets = secrets
        recorder = AttemptRecorder(store: store, batch: policy.recordBatch)
    }

    /// Channels that cannot deliver under the running rules, with the reason their jobs carry.
    public var unconfiguredChannels: [String: String] { get async { await state.unconfigured } }

    /// Look at the outbox now (after a scan wrote rows, or an operator retried a job).
    public func poke() {
        let doorbell = self.doorbell
        Task { await doorbell.ring() }
    }

    public func run() async throws {
        logger.info("delivery started")
        // A channel that dead-lettered before a restart is still in trouble until a notice gets through.
        if let outcomes = try? await store.channelOutcomes() { await state.seedHealth(outcomes) }
        await withGracefulShutdownHandler {
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                var full = false
                do {
                    full = try await self.dispatchOnce()
                    await self.recovered(.reads)
                } catch {
                    let fault = await self.failed(error, doing: .reads)
                    await self.doorbell.wait(seconds: fault.backoff())
                    continue
                }
                if full { continue }
                await self.doorbell.wait(seconds: self.policy.pollInterval)
            }
            await self.state.drain(seconds: 5)
        } onGracefulShutdown: {
            self.poke()
        }
        logger.info("delivery stopped")
    }

    /// Hands every due job to its lane. Returns true when the batch was full.
    @discardableResult
    func dispatchOnce() async throws -> Bool {
        let version = await rules.version
        if await state.version != version {
            let engine = await rules.engine
            var unconfigured: [String: String] = [:]
            let lanes = makeLanes(engine.rules, unconfigured: &unconfigured)
            await state.reset(version: version, lanes: lanes, unconfigured: unconfigured)
        }
        let excluded = await state.excluded
        let now = clock.now()
        let jobs = try await store.dueOutbox(now: now, limit: policy.batch, excluding: excluded)
        var held: Set<String> = []
        for job in jobs {
            guard let lane = await state.lane(job.channel) else {
                // Nothing can be tried: say why on every such job of the channel, and look again later.
                if held.insert(job.channel).inserted {
                    let reason = await state.unconfigured[job.channel] ?? UnconfiguredChannel.removed(job.channel)
                    try await store.holdOutbox(channel: job.channel, reason: reason, until: now + policy.unconfiguredRecheck, now: now)
                }
                continue
            }
            await state.claim(job.id)
            await lane.enqueue(job)
        }
        return jobs.count >= policy.batch
    }

    /// One lane per channel whose notifier could be made. A channel whose secret is missing, or whose kind
    /// this build cannot deliver, keeps its jobs pending, each with the reason (and logs it once per reload).
    func makeLanes(_ rules: RuleSet, unconfigured: inout [String: String]) -> [String: Lane] {
        var lanes: [String: Lane] = [:]
        for channel in rules.channels.values {
            let notifier: any Notifier
            if channel.kind == .log {
                let logger = self.logger, echo = self.echo
                notifier = LogNotifier { line, notice in
                    // Action links are credentials: the log gets the line without them (the journal is
                    // read by more people than the notice's recipients); only the console echo shows them.
                    logger.info("\(LogNotifier.line(for: notice, links: false))",
                                metadata: ["ticket_id": "\(notice.ticketID)", "channel": "\(notice.channel)"])
                    if echo {
                        print(line)
                        fflush(nil)
                    }
                }
            } else {
                do {
                    notifier = try NotifierRegistry.make(channel, secrets: secrets, transport: transport)
                } catch {
                    let reason = UnconfiguredChannel.reason(channel, error)
                    unconfigured[channel.name] = reason
                    logger.warning("channel cannot deliver; its notifications wait in the outbox",
                                   metadata: ["channel": "\(channel.name)", "reason": "\(reason)"])
                    continue
                }
            }
            let perMinute = channel.ratePerMinute ?? notifier.defaultPerMinute
            let concurrency = notifier.defaultPerMinute == nil ? policy.concurrency : 1
            let fallback = channel.fallback.flatMap { name in rules.channels[name].map { (name, $0.kind.rawValue) } }
            lanes[channel.name] = Lane(channel: channel.name, notifier: notifier, perMinute: perMinute, concurrency: concurrency,
                                       fallback: fallback, service: self)
        }
        return lanes
    }

    /// One attempt of one job, recorded.
    func attempt(_ job: OutboxJob, notifier: any Notifier, lane: Lane, fallback: (name: String, kind: String)?) async {
        let started = ContinuousClock.now
        let notice = Self.notice(for: job)
        let outcome = await notifier.deliver(notice, now: Date(timeIntervalSince1970: clock.preciseNow()))
        let elapsed = ContinuousClock.now - started
        let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        let now = clock.now()
        let attemptNumber = job.attempts + 1
        let record: DeliveryAttempt
        var dead: String?
        switch outcome {
        case .delivered:
            record = DeliveryAttempt(outboxID: job.id, result: .sent, detail: nil, nextAttempt: nil, durationMilliseconds: milliseconds)
        case let .permanent(reason):
            dead = reason
            record = DeliveryAttempt(outboxID: job.id, result: .dead, detail: reason, nextAttempt: nil, durationMilliseconds: milliseconds)
        case let .retry(reason, after):
            if let after { await lane.pause(seconds: after) }
            if attemptNumber >= policy.maxAttempts || now.seconds - job.createdAt.seconds >= policy.maxAgeSeconds {
                dead = "\(reason) (gave up after \(attemptNumber) attempts)"
                record = DeliveryAttempt(outboxID: job.id, result: .dead, detail: dead, nextAttempt: nil, durationMilliseconds: milliseconds)
            } else {
                let delay = policy.delay(afterAttempt: attemptNumber, retryAfter: after)
                let next = Instant(seconds: Int((clock.preciseNow() + delay).rounded(.up)))
                record = DeliveryAttempt(outboxID: job.id, result: .retry, detail: reason, nextAttempt: next, durationMilliseconds: milliseconds)
            }
        }
        // The notice went out: until its attempt is written the job stays claimed, so that a disk that
        // cannot take the record (full, read-only) never makes the outbox offer it again to be sent twice.
        while true {
            do {
                try await recorder.record(record, now: now)
                DaemonMetrics.deliveryAttempt(channel: job.channel, result: record.result.rawValue)
                await state.recordHealth(channel: job.channel, result: record.result, reason: record.detail, at: now)
                await recovered(.writes)
                break
            } catch {
                let fault = await failed(error, doing: .writes)
                guard !Task.isCancelled else { return }
                try? await Task.sleep(for: .seconds(fault.backoff()))
            }
        }
        do {
            if let dead {
                logger.error("delivery dead-lettered", metadata: ["ticket_id": "\(job.ticketID)", "channel": "\(job.channel)",
                                                                   "outbox_id": "\(job.id)", "reason": "\(dead)"])
                if let fallback, !job.message.hasPrefix(Self.fallbackMark) {
                    let text = "\(Self.fallbackMark)通道 \(job.channel) 未能送达（\(dead.prefix(120))）：\(job.message)"
                    try await store.enqueueFallback(for: job, channel: fallback.name, kind: fallback.kind, message: text, now: now)
                    poke()
                }
            } else if case let .retry(reason, _) = outcome {
                logger.warning("delivery will be retried", metadata: ["ticket_id": "\(job.ticketID)", "channel": "\(job.channel)",
                                                                      "outbox_id": "\(job.id)", "attempt": "\(attemptNumber)", "reason": "\(reason)"])
            }
        } catch {
            logger.error("delivery: recording an attempt failed: \(error)")
        }
        await state.release(job.id)
    }

    static let fallbackMark = "【投递失败】"

    /// Set while delivery cannot read or write the outbox; nil once it can.
    public var fault: ScanFault? { get async { await state.fault } }

    /// Channels that dead-lettered a notice and delivered none since, or whose attempts have failed for
    /// `failingFor` seconds without one delivered (`/healthz`'s `delivery_stalled`).
    public func stalledChannels(at now: Instant, failingFor: Int = 600) async -> [StalledChannel] {
        await state.channelHealth.stalled(at: now, failingFor: failingFor)
    }

    /// Reading the outbox, or writing the attempts: on a full disk reads still work while writes fail,
    /// so each has its own state (one would otherwise end the other's at every poll).
    enum Storage: String { case reads = "reading the outbox", writes = "recording deliveries" }

    /// A failure of the outbox's storage: one log line when the failing starts or changes kind.
    func failed(_ error: any Error, doing what: Storage) async -> ScanFault {
        let (fault, changed) = await state.fail(what, error, at: clock.now())
        if changed {
            logger.error("delivery failing (\(what.rawValue)): \(fault.code): \(fault.message); retrying with backoff, no notice sent twice",
                         metadata: ["fault": "\(fault.code)", "error": "\(error)"])
        }
        return fault
    }

    func recovered(_ what: Storage) async {
        guard let ended = await state.recover(what) else { return }
        logger.notice("delivery works again (\(what.rawValue)) after \(ended.failures) failed attempt\(ended.failures == 1 ? "" : "s") since \(ended.since)",
                      metadata: ["fault": "\(ended.code)"])
    }

    /// What a notifier is handed for an outbox job: its text, title, recipients and action links.
    public static func notice(for job: OutboxJob) -> Notice {
        Notice(idempotencyKey: "slad-\(job.firingID)-\(job.id)", ticketID: job.ticketID, channel: job.channel,
               recipients: job.recipients.map { .init(person: $0.person, name: $0.name, address: $0.address) },
               text: job.message, createdAt: job.createdAt.seconds, title: job.title,
               actions: job.actions.map { NoticeAction(person: $0.person, name: $0.name, label: $0.label, url: $0.url) },
               actionsAt: job.actionsAt)
    }
}

/// What the dispatcher knows: the lanes, the jobs in flight and the channels that cannot deliver.
actor DispatcherState {
    private(set) var version: String?
    private var lanes: [String: Lane] = [:]
    private var inFlight: Set<Int64> = []
    /// Channels without a notifier, with the reason each job of theirs carries.
    private(set) var unconfigured: [String: String] = [:]

    var excluded: Set<Int64> { inFlight }
    private var faults: [DeliveryService.Storage: FaultState] = [:]
    private(set) var channelHealth = ChannelHealth()
    func seedHealth(_ outcomes: [ChannelOutcome]) { channelHealth.seed(outcomes) }
    func recordHealth(channel: String, result: DeliveryAttempt.Result, reason: String?, at now: Instant) {
        channelHealth.record(channel: channel, result: result, reason: reason, at: now)
    }
    var fault: ScanFault? { faults[.writes]?.fault ?? faults[.reads]?.fault }
    func fail(_ what: DeliveryService.Storage, _ error: any Error, at now: Instant) -> (fault: ScanFault, changed: Bool) {
        faults[what, default: FaultState()].failed(error, at: now)
    }
    func recover(_ what: DeliveryService.Storage) -> ScanFault? { faults[what]?.recovered() }

    /// New rules, new lanes. A channel that stays keeps its rate-limit window, its pause and its waiting
    /// jobs, so a reload never lets a robot receive more than its limit or lose its place in the queue.
    func reset(version: String, lanes: [String: Lane], unconfigured: [String: String]) async {
        for (name, old) in self.lanes {
            let handover = await old.retire()
            if let lane = lanes[name] {
                await lane.adopt(handover)
            } else {
                for job in handover.waiting { inFlight.remove(job.id) }   // the channel is gone: pending again
            }
        }
        self.version = version
        self.lanes = lanes
        self.unconfigured = unconfigured
    }

    func lane(_ channel: String) -> Lane? { lanes[channel] }
    func claim(_ id: Int64) { inFlight.insert(id) }
    func release(_ id: Int64) { inFlight.remove(id) }

    /// Waits (briefly) for the deliveries in flight to be recorded.
    func drain(seconds: Double) async {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        for lane in lanes.values { await lane.stop() }
        while !inFlight.isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// One channel's queue: at most `concurrency` deliveries at once and at most `perMinute` started in any
/// sixty seconds; the rest wait their turn here, never in another channel's way.
actor Lane {
    let channel: String
    let notifier: any Notifier
    let perMinute: Int?
    let concurrency: Int
    let fallback: (name: String, kind: String)?
    let service: DeliveryService
    private var queue: [OutboxJob] = []
    private var head = 0
    private var running = 0
    private var started: [ContinuousClock.Instant] = []
    private var pausedUntil: ContinuousClock.Instant?
    private var wakeScheduled = false
    private var stopped = false

    init(channel: String, notifier: any Notifier, perMinute: Int?, concurrency: Int, fallback: (name: String, kind: String)?,
         service: DeliveryService) {
        self.channel = channel
        self.notifier = notifier
        self.perMinute = perMinute
        self.concurrency = max(1, concurrency)
        self.fallback = fallback
        self.service = service
    }

    func enqueue(_ job: OutboxJob) {
        queue.append(job)
        pump()
    }

    func stop() { stopped = true }

    /// What a lane passes to the one that replaces it on a reload.
    struct Handover: Sendable {
        let waiting: [OutboxJob]
        let started: [ContinuousClock.Instant]
        let pausedUntil: ContinuousClock.Instant?
    }

    /// Stops starting deliveries (those running finish) and gives up the queue and the rate window.
    func retire() -> Handover {
        stopped = true
        let waiting = Array(queue[head...])
        queue = []
        head = 0
        return Handover(waiting: waiting, started: started, pausedUntil: pausedUntil)
    }

    func adopt(_ handover: Handover) {
        started = (handover.started + started).sorted()
        if let until = handover.pausedUntil, pausedUntil.map({ $0 < until }) ?? true { pausedUntil = until }
        queue.insert(contentsOf: handover.waiting, at: head)
        pump()
    }

    /// The receiver asked for a pause (Retry-After, a vendor's "too fast"): nothing starts before it ends.
    func pause(seconds: Double) {
        let until = ContinuousClock.now + .milliseconds(Int64(min(seconds, 3600) * 1000))
        if pausedUntil.map({ $0 < until }) ?? true { pausedUntil = until }
    }

    private func pump() {
        while !stopped, running < concurrency, head < queue.count {
            let now = ContinuousClock.now
            if let pausedUntil, pausedUntil > now {
                scheduleWake(at: pausedUntil)
                return
            }
            if let perMinute {
                started.removeAll { now - $0 >= .seconds(60) }
                if started.count >= perMinute {
                    scheduleWake(at: started[0] + .seconds(60))
                    return
                }
                started.append(now)
            }
            let job = queue[head]
            head += 1
            if head > 1024, head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            running += 1
            let notifier = self.notifier, service = self.service, fallback = self.fallback
            Task {
                await service.attempt(job, notifier: notifier, lane: self, fallback: fallback)
                await self.finished()
            }
        }
    }

    private func finished() {
        running -= 1
        pump()
    }

    private func scheduleWake(at instant: ContinuousClock.Instant) {
        guard !wakeScheduled else { return }
        wakeScheduled = true
        Task {
            try? await Task.sleep(until: instant + .milliseconds(5), clock: .continuous)
            self.woke()
        }
    }

    private func woke() {
        wakeScheduled = false
        pump()
    }
}
