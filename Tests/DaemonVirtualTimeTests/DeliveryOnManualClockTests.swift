import Foundation
import SLADaemon
import SLAStore
import Testing

/// Delivery on virtual time: the real dispatcher, lanes, webhook notifier (over real HTTP to an
/// in-process receiver) and SQLite outbox, with every wait on one `ManualClock`. Minutes of backoff and
/// rate windows pass in a moment; each arrival is stamped with the virtual time it reached the receiver.
@Suite(.serialized) struct DeliveryOnManualClockTests {
    static func rules(port: Int, channels: String, via: String) -> String {
        """
        calendar cn { timezone Asia/Shanghai; workdays mon-fri }
        person duty "值班员" { phone "+8613800000009" }
        team desk { members duty; supervisor duty; manager duty }
        \(channels.replacingOccurrences(of: "PORT", with: "\(port)"))
        policy fast "快速" { when kind = complaint; team desk
          clock respond "响应" within 1m until acknowledged
          escalate { at respond notify supervisor via \(via) } }
        """
    }

    /// A receiver serving for the length of `body`, and a daemon whose rules have `channels` (PORT the
    /// receiver's port) and one policy escalating via `via`, its arrivals stamped on the daemon's clock.
    static func withDaemon(channels: String, via: String, _ body: @Sendable (HookReceiver, VirtualDaemon) async throws -> Void) async throws {
        let receiver = HookReceiver(clock: ManualClock(start: 0))
        try await receiver.serve { port in
            let daemon = try VirtualDaemon(rules: rules(port: port, channels: channels, via: via))
            receiver.use(daemon.clock)
            try await body(receiver, daemon)
        }
    }

    static let limitedAndGood = """
        channel limited webhook { url "http://127.0.0.1:PORT/ok/limited"; rate 3 }
        channel good webhook { url "http://127.0.0.1:PORT/ok/good" }
        """

    /// A receiver that fails eight times: the retries wait 2, 4, 8 … 256 s (the backoff doubling, no
    /// jitter), never less, about nine minutes in all; the key is delivered once.
    @Test func retriesBackOffByDoublingWaitsOnVirtualTime() async throws {
        try await Self.withDaemon(channels: #"channel flaky webhook { url "http://127.0.0.1:PORT/fail/8/a" }"#, via: "flaky") { receiver, daemon in
            try await daemon.run { daemon in
                try await daemon.open("B1")
                try await daemon.advance(until: { receiver.delivered("/fail/8/a").count == 1 }, limit: 900, what: "the ninth attempt")
            }
            let arrivals = receiver.all
            #expect(arrivals.count == 9 && arrivals.filter { $0.status == 200 }.count == 1, "\(arrivals.map(\.status))")
            #expect(Set(arrivals.map(\.key)).count == 1, "every retry carries the same idempotency key")
            for (index, pair) in zip(arrivals, arrivals.dropFirst()).enumerated() {
                let wait = pair.1.at - pair.0.at, backoff = 2 * pow(2, Double(index))
                #expect(wait >= backoff && wait <= backoff + 5, "retry \(index + 1) waited \(wait) s, backoff \(backoff) s")
            }
            let sent = try await daemon.outbox(channel: "flaky", state: "sent")
            #expect(sent.count == 1 && sent.first?.attempts == 9)
        }
    }

    /// With the default policy (its shortest jitter), a receiver down for ten minutes — connections
    /// refused — gets every notification exactly once when it returns, and nothing is dead-lettered.
    @Test func aReceiverDownForTenMinutesGetsEveryNotificationOnceWithTheDefaultPolicy() async throws {
        let receiver = HookReceiver(clock: ManualClock(start: 0))
        let port = try await receiver.serve { $0 }   // a free port; nothing listens on it now
        var policy = DeliveryPolicy()
        policy.jitter = { 0.5 }
        let daemon = try VirtualDaemon(rules: Self.rules(port: port, channels: #"channel hook webhook { url "http://127.0.0.1:PORT/ok/hook" }"#,
                                                         via: "hook"), policy: policy)
        receiver.use(daemon.clock)
        try await daemon.run { daemon in
            for index in 1...5 { try await daemon.open("R\(index)", age: 60) }
            try await daemon.advance(until: { daemon.clock.uptime() >= 600 }, step: 1, limit: 700, what: "ten minutes")
            #expect(try await daemon.outbox(channel: "hook", state: "pending").allSatisfy { $0.attempts >= 5 })
            #expect(try await daemon.outbox(channel: "hook", state: "dead").isEmpty)
            try await receiver.serve(port: port) { _ in
                try await daemon.advance(until: { try await daemon.outbox(channel: "hook", state: "sent").count == 5 },
                                         step: 1, limit: 600, what: "every notice, once the receiver is back")
            }
        }
        let delivered = receiver.delivered("/ok/hook")
        #expect(delivered.count == 5 && Set(delivered.map(\.key)).count == 5, "\(delivered.map(\.key))")
        #expect(try await daemon.outbox(channel: "hook", state: "dead").isEmpty)
    }

    /// A 429 with `Retry-After: 120` pauses the channel: the job is tried again no sooner, and a job that
    /// falls due during the pause waits for its end too.
    @Test func retryAfterPausesTheWholeChannel() async throws {
        try await Self.withDaemon(channels: #"channel slow webhook { url "http://127.0.0.1:PORT/throttle/120/a" }"#, via: "slow") { receiver, daemon in
            try await daemon.run { daemon in
                try await daemon.open("P1")
                try await daemon.advance(until: { receiver.all.count == 1 }, limit: 120, what: "the first attempt")
                try await daemon.advance(until: { true }, limit: 1, what: "a moment")
                try await daemon.open("P2")   // due a minute later, well inside the pause
                try await daemon.advance(until: { receiver.delivered("/throttle/120/a").count >= 1 }, limit: 300, what: "the retry",
                                         detail: { "\(receiver.all.map { "\($0.key.suffix(4)) \($0.status) at \($0.at)" })" })
                try await daemon.advance(until: { receiver.all.count == 4 }, limit: 300, what: "P2's retry")
            }
            let arrivals = receiver.all
            let first = try #require(arrivals.first)
            #expect(first.status == 429)
            let retry = try #require(arrivals.first { $0.key == first.key && $0.status == 200 })
            #expect(retry.at - first.at >= 120, "tried again \(retry.at - first.at) s after Retry-After: 120")
            let other = try #require(arrivals.first { $0.key != first.key })
            #expect(other.at - first.at >= 120, "a job of the paused channel started \(other.at - first.at) s into a 120 s pause")
        }
    }

    /// A channel with `rate 3`: five notices at once, three go now and two a minute later; an unlimited
    /// channel beside it is not held up by them.
    @Test func theRateWindowHoldsTheRestForAMinuteAndOtherChannelsGoOn() async throws {
        try await Self.withDaemon(channels: Self.limitedAndGood, via: "limited, good") { receiver, daemon in
            // The window opens when the lane starts its first job, not when that request arrives (on a
            // loaded machine the clock may step while it is in flight): the exact lower bound is from before.
            let opened = try await daemon.run { daemon in
                let opened = daemon.clock.uptime()
                for index in 1...5 { try await daemon.open("W\(index)") }
                try await daemon.advance(until: { receiver.delivered("/ok/limited").count == 5 }, limit: 300, what: "all five")
                return opened
            }
            let limited = receiver.delivered("/ok/limited").map(\.at), good = receiver.delivered("/ok/good").map(\.at)
            let start = try #require(limited.first)
            #expect(limited.prefix(3).allSatisfy { $0 - start < 3 })
            #expect(limited.suffix(2).allSatisfy { $0 - opened >= 60 && $0 - start < 66 }, "\(limited.map { $0 - opened })")
            #expect(good.count == 5 && good.allSatisfy { $0 - start < 3 }, "\(good.map { $0 - start })")
            #expect(Set(receiver.all.map(\.key)).count == 10)
        }
    }

    /// A reload builds the lanes anew, but the rate window carries over: three sent before it still count.
    @Test func aReloadKeepsTheRateWindow() async throws {
        try await Self.withDaemon(channels: Self.limitedAndGood, via: "limited, good") { receiver, daemon in
            let file = daemon.folder.appendingPathComponent("rules/rules.sla")
            let text = try String(contentsOf: file, encoding: .utf8)
            let opened = try await daemon.run { daemon in
                let opened = daemon.clock.uptime()
                for index in 1...3 { try await daemon.open("L\(index)") }
                try await daemon.advance(until: { receiver.delivered("/ok/limited").count == 3 }, limit: 120, what: "the first three")
                let before = await daemon.rules.version
                try (text + "\n# reloaded\n").write(to: file, atomically: true, encoding: .utf8)
                #expect(await daemon.rules.reload(at: daemon.clock.now()) == nil)
                #expect(await daemon.rules.version != before)
                daemon.delivery.poke()
                for index in 4...6 { try await daemon.open("L\(index)", age: 60) }   // due at once
                try await daemon.advance(until: { receiver.delivered("/ok/limited").count == 6 }, limit: 300, what: "the three after the reload")
                return opened
            }
            let limited = receiver.delivered("/ok/limited").map(\.at), good = receiver.delivered("/ok/good").map(\.at)
            #expect(limited[3] - opened >= 60 && limited[3] - limited[0] < 66, "a lane after the reload sent within the old window: \(limited.map { $0 - opened })")
            #expect(good.count == 6 && good[5] - limited[0] < 5, "the unlimited channel did not wait: \(good)")
        }
    }

    /// Graceful shutdown does not wait for a rate window: the waiting jobs stay pending in the outbox.
    @Test func shutdownLeavesWaitingJobsPendingWithoutWaitingForTheirTurn() async throws {
        try await Self.withDaemon(channels: #"channel limited webhook { url "http://127.0.0.1:PORT/ok/limited"; rate 3 }"#, via: "limited") { receiver, daemon in
            let stoppedAfter = try await daemon.run { daemon in
                for index in 1...5 { try await daemon.open("S\(index)") }
                try await daemon.advance(until: { receiver.delivered("/ok/limited").count == 3 }, limit: 120, what: "the first three")
                await daemon.stop()
                return try await daemon.advance(until: { daemon.stopped }, limit: 30, what: "the stop")
            }
            #expect(stoppedAfter < 5, "the stop waited \(stoppedAfter) s of virtual time")
            #expect(receiver.all.count == 3)
            #expect(try await daemon.outbox(channel: "limited", state: "sent").count == 3)
            #expect(try await daemon.outbox(channel: "limited", state: "pending").count == 2)
        }
    }

    /// A delivery that hangs at shutdown gets `drainSeconds` (5) of the clock; then it is cancelled and
    /// its job stays pending, to be sent again with the same key after a restart.
    @Test func shutdownGivesAHangingDeliveryFiveSecondsThenLeavesItPending() async throws {
        try await Self.withDaemon(channels: #"channel stuck webhook { url "http://127.0.0.1:PORT/hang/a"; timeout 20s }"#, via: "stuck") { receiver, daemon in
            let stoppedAfter = try await daemon.run { daemon in
                try await daemon.open("H1")
                try await daemon.advance(until: { receiver.all.count == 1 }, limit: 120, what: "the request")
                await daemon.stop()
                try await daemon.settle()
                #expect(!daemon.stopped, "a delivery in flight gets its drain time")
                return try await daemon.advance(until: { daemon.stopped }, step: 0.25, limit: 30, what: "the stop",
                                                patience: .milliseconds(100))
            }
            #expect(stoppedAfter >= 5 && stoppedAfter < 10, "stopped \(stoppedAfter) s after the drain began")
            #expect(try await daemon.outbox(channel: "stuck", state: "pending").count == 1)
            #expect(try await daemon.outbox(channel: "stuck", state: "sent").isEmpty)
        }
    }
}
