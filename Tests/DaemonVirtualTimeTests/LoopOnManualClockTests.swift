import Foundation
import SLADaemon
import Testing

/// The escalation loop on virtual time: it sleeps until the due second (or its longest interval), so a
/// deadline ten minutes away fires at that second, once, after a handful of scans, in no real time.
@Suite struct LoopOnManualClockTests {
    @Test func aDeadlineTenMinutesAwayFiresAtItsSecondOnce() async throws {
        let receiver = HookReceiver(clock: ManualClock(start: 0))
        try await receiver.serve { port in
            let rules = """
            calendar cn { timezone Asia/Shanghai; workdays mon-fri }
            person duty "值班员" { phone "+8613800000009" }
            team desk { members duty; supervisor duty; manager duty }
            channel hook webhook { url "http://127.0.0.1:\(port)/ok/hook" }
            policy fast "快速" { when kind = complaint; team desk
              clock respond "响应" within 10m until acknowledged
              escalate { at respond notify supervisor via hook } }
            """
            let daemon = try VirtualDaemon(rules: rules)
            receiver.use(daemon.clock)
            let opened = daemon.clock.uptime()
            try await daemon.run { daemon in
                try await daemon.open("T1")
                try await daemon.advance(until: { receiver.all.count == 1 }, step: 5, limit: 900, what: "the escalation")
                try await daemon.advance(until: { daemon.clock.uptime() - opened > 700 }, step: 5, limit: 900, what: "a while longer")
            }
            let arrivals = receiver.all
            #expect(arrivals.count == 1, "fired once: \(arrivals.count) requests")
            let late = try #require(arrivals.first).at - opened
            #expect(late >= 600 && late < 610, "fired \(late) s after the ticket opened (due at 600)")
            #expect(daemon.scans >= 20 && daemon.scans < 60, "\(daemon.scans) scans in 700 s: the loop sleeps until due, up to 30 s")
        }
    }
}
