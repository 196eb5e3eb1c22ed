@testable import SLADaemon
import SLAEngine
import SLAStore
import Testing

/// When a channel counts as stalled for /healthz (and down for the self-watch: the same rule): a notice
/// dead-lettered and none delivered since, or attempts failing for ten minutes (or the watch's `channel
/// down for`) with none delivered; a delivery ends both.
struct ChannelHealthTests {
    let t0 = Instant(seconds: 1_790_000_000)

    @Test func failingForTenMinutesWithoutADeliveryIsStalledAndADeliveryEndsIt() {
        var health = ChannelHealth()
        health.record(channel: "sms", result: .retry, reason: "HTTP 503", at: t0)
        health.record(channel: "sms", result: .retry, reason: "HTTP 502", at: t0 + 300)
        #expect(health.stalled(at: t0 + 599).isEmpty)
        let stalled = health.stalled(at: t0 + 600)
        #expect(stalled == [StalledChannel(channel: "sms", deadLetters: 0, failingSince: t0, deadLetteredAt: nil, lastReason: "HTTP 502")])
        // The watch's `channel down for` sets the threshold, so /healthz and the self-alert agree.
        #expect(health.stalled(at: t0 + 30, failingFor: 30).first?.since == t0)
        health.record(channel: "sms", result: .sent, reason: nil, at: t0 + 700)
        #expect(health.stalled(at: t0 + 800).isEmpty)
    }

    @Test func aDeadLetterStallsTheChannelUntilANoticeGetsThrough() {
        var health = ChannelHealth()
        health.record(channel: "robot", result: .dead, reason: "errcode 93000", at: t0)
        health.record(channel: "robot", result: .dead, reason: "errcode 93000", at: t0 + 1800)
        #expect(health.stalled(at: t0 + 1900).first?.deadLetters == 2)
        #expect(health.stalled(at: t0 + 3600).first?.deadLetters == 1)
        // An hour later nothing got through: still stalled (nothing was fixed), though no dead letter is recent.
        #expect(health.stalled(at: t0 + 9000).first?.deadLetteredAt == t0 + 1800)
        health.record(channel: "robot", result: .sent, reason: nil, at: t0 + 9000)
        #expect(health.stalled(at: t0 + 9000).isEmpty)
        // Another channel's trouble is its own.
        health.record(channel: "mail", result: .sent, reason: nil, at: t0 + 5400)
        #expect(health.stalled(at: t0 + 9000).isEmpty)
    }

    @Test func aDeadLetterBeforeARestartIsStillATrouble() {
        var health = ChannelHealth()
        health.seed([ChannelOutcome(channel: "robot", lastSent: t0, lastDead: t0 + 60),
                     ChannelOutcome(channel: "mail", lastSent: t0 + 60, lastDead: t0)])
        #expect(health.stalled(at: t0 + 86_400).map(\.channel) == ["robot"])
        #expect(health.troubles().map(\.channel) == ["robot"])
    }
}

/// What the self-watch sees of a channel: failing since when, and a dead letter not yet followed by a delivery.
struct ChannelTroublesTests {
    let t0 = Instant(seconds: 1_790_000_000)

    @Test func aDeadLetterStaysATroubleUntilANoticeGetsThrough() {
        var health = ChannelHealth()
        health.record(channel: "robot", result: .dead, reason: "errcode 93000", at: t0)
        health.record(channel: "sms", result: .retry, reason: "HTTP 503", at: t0 + 10)
        #expect(health.troubles() == [
            ChannelTrouble(channel: "robot", failingSince: nil, deadLetteredAt: t0, lastReason: "errcode 93000"),
            ChannelTrouble(channel: "sms", failingSince: t0 + 10, deadLetteredAt: nil, lastReason: "HTTP 503"),
        ])
        health.record(channel: "robot", result: .sent, reason: nil, at: t0 + 7200)
        health.record(channel: "sms", result: .sent, reason: nil, at: t0 + 20)
        #expect(health.troubles().isEmpty)
    }

    /// The log's transitions: one "is failing" per channel when its first attempt fails after a delivery
    /// (not one per notice), one "delivers again" with the count when it gets through; channels apart.
    @Test func aChannelStartsFailingOnceAndDeliversAgainOnceWithTheCount() {
        var health = ChannelHealth()
        #expect(health.record(channel: "sms", result: .sent, reason: nil, at: t0) == nil)
        #expect(health.record(channel: "sms", result: .retry, reason: "HTTP 503", at: t0 + 1) == .startedFailing)
        #expect(health.record(channel: "sms", result: .retry, reason: "HTTP 503", at: t0 + 2) == nil)
        #expect(health.record(channel: "mail", result: .retry, reason: "TLS", at: t0 + 2) == .startedFailing)
        #expect(health.record(channel: "sms", result: .dead, reason: "gave up", at: t0 + 3) == nil)
        #expect(health.record(channel: "sms", result: .sent, reason: nil, at: t0 + 4) == .deliversAgain(afterFailures: 3))
        #expect(health.record(channel: "sms", result: .sent, reason: nil, at: t0 + 5) == nil)
        #expect(health.record(channel: "sms", result: .retry, reason: "HTTP 503", at: t0 + 6) == .startedFailing)
    }
}
