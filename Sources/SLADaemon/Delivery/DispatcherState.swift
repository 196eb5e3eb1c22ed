import SLAEngine
import SLAStore

/// What the dispatcher knows: the lanes, the jobs in flight and the channels that cannot deliver.
actor DispatcherState {
    private(set) var version: String?
    private var lanes: [String: Lane] = [:]
    private var inFlight: Set<Int64> = []
    /// Channels without a notifier, with the reason each job of theirs carries.
    private(set) var unconfigured: [String: String] = [:]
    /// Lanes whose `run` has not returned yet (retired ones included).
    private var live = 0
    private var stopping = false
    /// Rung when the last lane ends after `stopAll`.
    let drained = Doorbell()

    var excluded: Set<Int64> { inFlight }
    private var faults: [DeliveryService.Storage: FaultState] = [:]
    private(set) var channelHealth = ChannelHealth()
    func seedHealth(_ outcomes: [ChannelOutcome]) { channelHealth.seed(outcomes) }
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
    func claim<S: Sequence<OutboxJob>>(_ jobs: S) { for job in jobs { inFlight.insert(job.id) } }
    func release<S: Sequence<Int64>>(_ ids: S) { for id in ids { inFlight.remove(id) } }

    /// An attempt was committed: the job leaves the in-flight set, its channel's health learns the
    /// result (and says whether the channel started failing or delivers again, for the log), and a
    /// write fault, if there was one, ends (returned, to be logged).
    func recorded(_ id: Int64, channel: String, result: DeliveryAttempt.Result, reason: String?,
                  at now: Instant) -> (ended: ScanFault?, transition: ChannelHealth.Transition?) {
        inFlight.remove(id)
        let transition = channelHealth.record(channel: channel, result: result, reason: reason, at: now)
        return (recover(.writes), transition)
    }

    /// The channels whose lanes hold all they may: the next read skips their jobs.
    func fullChannels() async -> Set<String> {
        var full: Set<String> = []
        for (name, lane) in lanes where !(await lane.hasRoom()) { full.insert(name) }
        return full
    }

    func laneStarted() { live += 1 }
    func laneEnded() {
        live -= 1
        if stopping, live == 0 { drained.ring() }
    }

    /// Graceful shutdown: every lane stops starting deliveries; `drained` rings once the last one ends.
    func stopAll() async {
        stopping = true
        for lane in lanes.values { await lane.stop() }
        if live == 0 { drained.ring() }
    }

    var allEnded: Bool { live == 0 }
}
