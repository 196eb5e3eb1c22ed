import SLAEngine
import SLAStore

/// A channel that is not getting notices through: `/healthz` answers 503 with `delivery_stalled`.
/// The same rule as the self-watch's `channel_down`, so that the two never disagree.
public struct StalledChannel: Sendable, Hashable {
    public let channel: String
    /// Dead letters in the last hour (for the message).
    public let deadLetters: Int
    /// Attempts have failed since then, none delivered, for at least the threshold; nil otherwise.
    public let failingSince: Instant?
    /// The last dead letter, when no notice got through after it.
    public let deadLetteredAt: Instant?
    public let lastReason: String?

    /// Since when the channel is stalled.
    public var since: Instant? { [failingSince, deadLetteredAt].compactMap { $0 }.min() }
}

/// Per channel, what its recent attempts came to, kept in memory by delivery (seeded at start from the
/// outbox's last dead letter and delivery per channel): since when attempts fail without a success, and
/// whether a notice dead-lettered since the last delivery.
struct ChannelHealth: Sendable {
    /// How long attempts may fail, none delivered, before the channel counts as stalled.
    static let failingFor = 600
    static let deadWindow = 3600
    private var dead: [String: [Instant]] = [:]
    private var failingSince: [String: Instant] = [:]
    private var lastReason: [String: String] = [:]
    /// The last dead letter and the last delivery, per channel: a dead letter after the last delivery
    /// keeps the channel in trouble for the self-watch until a notice gets through again.
    private var lastDead: [String: Instant] = [:]
    private var lastSent: [String: Instant] = [:]

    /// What the outbox says of each channel when delivery starts: a dead letter after the last delivery
    /// stays a trouble across a restart, until a notice gets through.
    mutating func seed(_ outcomes: [ChannelOutcome]) {
        for outcome in outcomes {
            if let sent = outcome.lastSent { lastSent[outcome.channel] = sent }
            if let dead = outcome.lastDead, outcome.lastSent.map({ $0 <= dead }) ?? true {
                lastDead[outcome.channel] = dead
                self.dead[outcome.channel, default: []].append(dead)
                lastReason[outcome.channel] = "a notice dead-lettered before slad started (slad outbox list --state dead)"
            }
        }
    }

    /// Failed attempts since the channel last delivered (for the log's "delivers again" line).
    private var failures: [String: Int] = [:]

    /// What an attempt changed for its channel's log: the first failure after a delivery (one warning line
    /// for the channel, not one per notice), or the first delivery after failures.
    enum Transition: Equatable, Sendable {
        case startedFailing
        case deliversAgain(afterFailures: Int)
    }

    @discardableResult
    mutating func record(channel: String, result: DeliveryAttempt.Result, reason: String?, at now: Instant) -> Transition? {
        var transition: Transition?
        switch result {
        case .sent:
            if let failed = failures.removeValue(forKey: channel), failed > 0 { transition = .deliversAgain(afterFailures: failed) }
        case .retry, .dead:
            if failures[channel, default: 0] == 0 { transition = .startedFailing }
            failures[channel, default: 0] += 1
        }
        switch result {
        case .sent:
            failingSince[channel] = nil
            lastSent[channel] = now
        case .retry:
            if failingSince[channel] == nil { failingSince[channel] = now }
        case .dead:
            dead[channel, default: []].append(now)
            lastDead[channel] = now
        }
        if result != .sent, let reason { lastReason[channel] = reason }
        dead[channel]?.removeAll { now - $0 >= Self.deadWindow }
        return transition
    }

    /// The channels that dead-lettered a notice and delivered none since, or whose attempts have failed
    /// for `failingFor` seconds with none delivered (the watch's `channel down for`, else ten minutes).
    func stalled(at now: Instant, failingFor: Int = Self.failingFor) -> [StalledChannel] {
        troubles().compactMap { trouble in
            let failing = trouble.failingSince.flatMap { now - $0 >= failingFor ? $0 : nil }
            guard failing != nil || trouble.deadLetteredAt != nil else { return nil }
            let recent = dead[trouble.channel]?.filter { now - $0 < Self.deadWindow }.count ?? 0
            return StalledChannel(channel: trouble.channel, deadLetters: recent, failingSince: failing,
                                  deadLetteredAt: trouble.deadLetteredAt, lastReason: trouble.lastReason)
        }
    }

    /// Each channel that has had trouble: since when its attempts fail (none delivered), and whether it
    /// dead-lettered a notice since its last delivery.
    func troubles() -> [ChannelTrouble] {
        Set(failingSince.keys).union(lastDead.keys).sorted().compactMap { channel in
            let deadSinceSent = lastDead[channel].map { dead in lastSent[channel].map { $0 <= dead } ?? true } ?? false
            guard failingSince[channel] != nil || deadSinceSent else { return nil }
            return ChannelTrouble(channel: channel, failingSince: failingSince[channel],
                                  deadLetteredAt: deadSinceSent ? lastDead[channel] : nil, lastReason: lastReason[channel])
        }
    }
}

/// One channel's failing and dead letters, before the threshold (`ChannelHealth.troubles`).
struct ChannelTrouble: Sendable, Hashable {
    let channel: String
    let failingSince: Instant?
    /// The last dead letter, when none was delivered after it.
    let deadLetteredAt: Instant?
    let lastReason: String?
}
