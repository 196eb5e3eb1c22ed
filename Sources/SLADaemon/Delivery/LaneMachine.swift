/// A channel lane's decisions, and nothing else: which job to start now, until when to wait, or that
/// there is nothing to do. No clock, no task, no I/O: the lane asks it with the time of its clock, so
/// every rule here (concurrency, the rate window, a receiver's pause, a reload's handover) is tested
/// on numbers alone.
///
/// A delivery holds its place in `concurrency` while it is on the wire: once the receiver has answered,
/// the slot is free for the next request while the attempt waits for its commit (`answered()`, then
/// `finished(answered: true)`). Answered deliveries whose attempt is not yet committed are bounded too
/// (`unrecorded`, wire included), so a disk that cannot take the records stops the lane after that many
/// sends instead of letting it send on with nothing written (docs/adr/0029).
struct LaneMachine<Job: Sendable>: Sendable {
    /// Deliveries on the wire at once.
    let concurrency: Int
    /// Deliveries started and not yet recorded, on the wire or answered: at least `concurrency`.
    let unrecorded: Int
    /// Deliveries started in any `window` seconds; nil: no limit.
    let perMinute: Int?
    /// The length of the rate window (a minute).
    let window: Double
    /// Jobs the lane holds (waiting and running) before it asks the dispatcher for no more.
    let capacity: Int

    private var queue: [Job] = []
    private var head = 0
    /// On the wire: started, not yet answered.
    private(set) var running = 0
    /// Answered, their attempt not yet committed.
    private(set) var settling = 0
    /// Start instants within the window, oldest first (on the lane clock's uptime).
    private(set) var started: [Double] = []
    private(set) var pausedUntil: Double?
    private(set) var stopped = false

    init(concurrency: Int, perMinute: Int?, capacity: Int, unrecorded: Int? = nil, window: Double = 60) {
        self.concurrency = max(1, concurrency)
        self.unrecorded = max(self.concurrency, unrecorded ?? self.concurrency)
        self.perMinute = perMinute.map { max(1, $0) }
        self.capacity = max(1, capacity)
        self.window = window
    }

    enum Decision: Sendable {
        /// Start this job now (it counts as running until `finished()`).
        case start(Job)
        /// Nothing may start before this instant (the rate window or a pause); ask again then.
        case wait(until: Double)
        /// Nothing to start: ask again when a job arrives or one finishes.
        case idle
        /// Retired or stopped, and nothing runs any more: the lane is done.
        case done
    }

    /// Jobs waiting their turn.
    var waiting: Int { queue.count - head }
    /// Jobs the dispatcher may still hand to this lane.
    var room: Int { stopped ? 0 : max(0, capacity - waiting - running - settling) }

    mutating func enqueue(_ job: Job) { queue.append(job) }

    /// What to do at `now`. Starting a job is recorded in the rate window at once.
    mutating func next(at now: Double) -> Decision {
        if stopped { return running + settling == 0 ? .done : .idle }
        guard running < concurrency, running + settling < unrecorded, head < queue.count else { return .idle }
        if let pausedUntil {
            if pausedUntil > now { return .wait(until: pausedUntil) }
            self.pausedUntil = nil
        }
        if let perMinute {
            started.removeAll { now - $0 >= window }
            if started.count >= perMinute { return .wait(until: started[0] + window) }
            started.append(now)
        }
        let job = queue[head]
        head += 1
        if head > 1024, head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        running += 1
        return .start(job)
    }

    /// The receiver answered a job started by `next` (or the attempt failed on the wire): its slot on the
    /// wire is free, its record still to be committed.
    mutating func answered() {
        running = max(0, running - 1)
        settling += 1
    }

    /// A job started by `next` ended: its attempt is recorded (`answered`: after `answered()`), or it ended
    /// without an answer to record (cancelled on the wire).
    mutating func finished(answered: Bool = false) {
        if answered { settling = max(0, settling - 1) } else { running = max(0, running - 1) }
    }

    /// The receiver asked for a pause (Retry-After, a vendor's "too fast"): nothing starts before `until`.
    mutating func pause(until: Double) {
        if pausedUntil.map({ $0 < until }) ?? true { pausedUntil = until }
    }

    /// Graceful shutdown: nothing more starts; the lane is done once the running jobs end and are recorded.
    mutating func stop() { stopped = true }

    /// What a lane passes to the one that replaces it on a reload.
    struct Handover: Sendable {
        let waiting: [Job]
        let started: [Double]
        let pausedUntil: Double?
    }

    /// Stops starting jobs (those running finish) and gives up the queue, the rate window and the pause.
    mutating func retire() -> Handover {
        stopped = true
        let waiting = Array(queue[head...])
        queue = []
        head = 0
        return Handover(waiting: waiting, started: started, pausedUntil: pausedUntil)
    }

    /// Takes over a retired lane's queue (ahead of its own), rate window and pause.
    mutating func adopt(_ handover: Handover) {
        started = (handover.started + started).sorted()
        if let until = handover.pausedUntil { pause(until: until) }
        queue.replaceSubrange(head..<head, with: handover.waiting)
    }
}
