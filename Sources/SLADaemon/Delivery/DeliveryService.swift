import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import SLAEngine
import SLANotify
import SLARules
import SLAStore

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
    /// Deliveries started and not yet recorded.
    let running = NIOLockedValueBox(0)

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

    /// Deliveries under way now: sent or being sent, their attempt not yet recorded.
    public var deliveriesRunning: Int { running.withLockedValue { $0 } }

    /// Look at the outbox now (after a scan wrote rows, or an operator retried a job).
    public func poke() { doorbell.ring() }

    /// Runs the dispatcher, the lanes with their deliveries, and the attempt recorder, all as child tasks.
    /// On graceful shutdown the lanes start nothing new; deliveries in flight get `drainSeconds` to end
    /// and be recorded, and the recorder writes what it holds before `run` returns.
    public func run() async throws {
        logger.info("delivery started")
        // A channel that dead-lettered before a restart is still in trouble until a notice gets through.
        if let outcomes = try? await store.channelOutcomes() { await state.seedHealth(outcomes) }
        await withDiscardingTaskGroup { services in
            services.addTask { await self.recorder.run() }
            await self.dispatchAndDeliver()
            await self.recorder.close()
        }
        logger.info("delivery stopped")
    }

    /// The dispatcher's loop in this task; every lane a child task of it.
    private func dispatchAndDeliver() async {
        do {
            try await withThrowingDiscardingTaskGroup { lanes in
                await withGracefulShutdownHandler {
                    while !Task.isCancelled, !Task.isShuttingDownGracefully {
                        let outcome: Dispatch
                        do {
                            outcome = try await self.dispatchOnce()
                            await self.recovered(.reads)
                        } catch {
                            let fault = await self.failed(error, doing: .reads)
                            await self.doorbell.wait(seconds: fault.backoff(), clock: self.clock)
                            continue
                        }
                        for lane in outcome.started {
                            await self.state.laneStarted()
                            lanes.addTask {
                                await lane.run(send: { job, lane in
                                    self.running.withLockedValue { $0 += 1 }
                                    return await self.send(job, lane: lane)
                                }, record: { sent in
                                    await self.record(sent)
                                    self.running.withLockedValue { $0 -= 1 }
                                })
                                await self.state.laneEnded()
                            }
                        }
                        if !outcome.more { await self.doorbell.wait(seconds: self.policy.pollInterval, clock: self.clock) }
                    }
                } onGracefulShutdown: {
                    self.poke()
                }
                await self.state.stopAll()
                lanes.addTask {
                    await self.state.drained.wait(seconds: self.policy.drainSeconds, clock: self.clock)
                    if await !self.state.allEnded { throw DrainTimedOut() }
                }
            }
        } catch {
            logger.warning("delivery: deliveries still running after \(policy.drainSeconds) s were cancelled; their notices stay pending and are sent again, with the same key, after a restart")
        }
    }

    struct DrainTimedOut: Error {}

    /// What one look at the outbox did: lanes it made (to be run), and whether to look again at once.
    struct Dispatch {
        var started: [Lane] = []
        var more = false
    }

    /// Hands due jobs to their lanes, as many as each has room for; makes new lanes when the rules changed.
    func dispatchOnce() async throws -> Dispatch {
        var outcome = Dispatch()
        let version = await rules.version
        if await state.version != version {
            let engine = await rules.engine
            var unconfigured: [String: String] = [:]
            let lanes = makeLanes(engine.rules, unconfigured: &unconfigured)
            await state.reset(version: version, lanes: lanes, unconfigured: unconfigured)
            outcome.started = Array(lanes.values)
        }
        let excluded = await state.excluded
        let full = await state.fullChannels()
        let now = clock.now()
        let jobs = try await store.dueOutbox(now: now, limit: policy.batch, excluding: excluded, skippingChannels: full)
        var byChannel: [String: [OutboxJob]] = [:]
        var order: [String] = []
        for job in jobs {
            if byChannel[job.channel] == nil { order.append(job.channel) }
            byChannel[job.channel, default: []].append(job)
        }
        for channel in order {
            let jobs = byChannel[channel] ?? []
            guard let lane = await state.lane(channel) else {
                // Nothing can be tried: say why on every such job of the channel, and look again later.
                let reason = await state.unconfigured[channel] ?? UnconfiguredChannel.removed(channel)
                try await store.holdOutbox(channel: channel, reason: reason, until: now + policy.unconfiguredRecheck, now: now)
                continue
            }
            // Claimed before the lane can start (and release) any of them.
            await state.claim(jobs)
            let taken = await lane.enqueue(jobs[...])
            if taken < jobs.count { await state.release(jobs.dropFirst(taken).map(\.id)) }
        }
        // A full read may leave more due (for lanes with room, or for any once room is back).
        outcome.more = jobs.count >= policy.batch
        return outcome
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
                    logger.warning("channel \(channel.name) cannot deliver: \(reason); its notifications wait in the outbox",
                                   metadata: ["channel": "\(channel.name)", "reason": "\(reason)"])
                    continue
                }
            }
            let perMinute = channel.ratePerMinute ?? notifier.defaultPerMinute
            let concurrency = notifier.defaultPerMinute == nil ? policy.concurrency : 1
            let fallback = channel.fallback.flatMap { name in rules.channels[name].map { (name, $0.kind.rawValue) } }
            let machine = LaneMachine<OutboxJob>(concurrency: concurrency, perMinute: perMinute, capacity: policy.laneCapacity,
                                                 unrecorded: concurrency == 1 ? 1 : policy.unrecorded)
            let doorbell = self.doorbell
            lanes[channel.name] = Lane(channel: channel.name, notifier: notifier, machine: machine, fallback: fallback, clock: clock,
                                       roomBack: { doorbell.ring() })
        }
        return lanes
    }

    /// Set while delivery cannot read or write the outbox; nil once it can.
    public var fault: ScanFault? { get async { await state.fault } }

    /// Channels that dead-lettered a notice and delivered none since, or whose attempts have failed for
    /// `failingFor` seconds without one delivered (`/healthz`'s `delivery_stalled`).
    public func stalledChannels(at now: Instant, failingFor: Int = 600) async -> [StalledChannel] {
        await state.channelHealth.stalled(at: now, failingFor: failingFor)
    }
}
