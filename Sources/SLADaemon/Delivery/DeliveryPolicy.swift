import Foundation

/// How hard delivery tries before it gives up on a job, and how much it holds at once.
public struct DeliveryPolicy: Sendable {
    /// Attempts before a job is dead-lettered (the first try counts).
    public var maxAttempts = 15
    /// A job older than this is dead-lettered at its next failure, whatever its attempts.
    public var maxAgeSeconds = 24 * 3600
    /// The first retry waits about this long; each next one twice as long, up to `maxDelay`.
    public var baseDelay: Double = 2
    public var maxDelay: Double = 300
    /// Deliveries on the wire at once on one channel (robots: 1, to keep their order).
    public var concurrency = 8
    /// Deliveries of one channel sent and not yet recorded (on the wire or waiting for their commit): the
    /// receiver's answers wait for the next group commit without holding the wire, and a disk that cannot
    /// take the records stops a lane after this many.
    public var unrecorded = 256
    /// The dispatcher looks at the outbox at least this often.
    public var pollInterval: Double = 1
    /// Jobs read from the outbox at once.
    public var batch = 500
    /// Jobs one lane holds (waiting and running); the dispatcher hands it more once half are done. This
    /// bounds the memory and the in-flight set whatever the size of the outbox.
    public var laneCapacity = 1000
    /// At most this many finished attempts are committed in one transaction (group commit); 1 commits
    /// each attempt on its own.
    public var recordBatch = 256
    /// A job whose channel cannot deliver (a secret missing) says why and is looked at again this often.
    public var unconfiguredRecheck = 60
    /// On graceful shutdown, deliveries in flight get this long to end and be recorded; any still running
    /// then is cancelled, and its job, still pending, is sent again (with the same key) after a restart.
    public var drainSeconds: Double = 5
    /// The jitter of a retry's wait, between half and all of it (tests pin it).
    public var jitter: @Sendable () -> Double = { Double.random(in: 0.5...1) }

    public init() {}

    /// Exponential backoff with jitter: between half and all of base·2^(attempt-1), capped.
    public func delay(afterAttempt attempt: Int, retryAfter: Double?, random: Double? = nil) -> Double {
        if let retryAfter { return min(max(retryAfter, 0), maxDelay * 4) }
        let exponential = min(maxDelay, baseDelay * pow(2, Double(max(0, attempt - 1))))
        return max(1, exponential * (random ?? jitter()))
    }
}
