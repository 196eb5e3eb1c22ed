@testable import SLADaemon
import SLAEngine
import SLAStore
import Testing

/// When a channel counts as stalled for /healthz: dead letters in the last hour, or attempts failing for
/// ten minutes with none delivered; a delivery ends the failing, and dead letters age out after an hour.
struct ChannelHealthTests {
    let t0 = Instant(seconds: 1_790_000_000)

    @Test func failingForTenMinutesWithoutADeliveryIsStalledAndADeliveryEndsIt() {
        var health = ChannelHealth()
        health.record(channel: "sms", result: .retry, reason: "HTTP 503", at: t0)
        health.record(channel: "sms", result: .retry, reason: "HTTP 502", at: t0 + 300)
        #expect(health.stalled(at: t0 + 599).isEmpty)
        let stalled = health.stalled(at: t0 + 600)
        #expect(stalled == [StalledChannel(channel: "sms", deadLetters: 0, failingSince: t0, lastReason: "HTTP 502")])
        health.record(channel: "sms", result: .sent, reason: nil, at: t0 + 700)
        #expect(health.stalled(at: t0 + 800).isEmpty)
    }

    @Test func deadLettersCountForAnHour() {
        var health = ChannelHealth()
        health.record(channel: "robot", result: .dead, reason: "errcode 93000", at: t0)
        health.record(channel: "robot", result: .dead, reason: "errcode 93000", at: t0 + 1800)
        #expect(health.stalled(at: t0 + 1900).first?.deadLetters == 2)
        #expect(health.stalled(at: t0 + 3600).first?.deadLetters == 1)
        #expect(health.stalled(at: t0 + 5400).isEmpty)
        // Another channel's trouble is its own.
        health.record(channel: "mail", result: .sent, reason: nil, at: t0 + 5400)
        #expect(health.stalled(at: t0 + 5400).isEmpty)
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
}
