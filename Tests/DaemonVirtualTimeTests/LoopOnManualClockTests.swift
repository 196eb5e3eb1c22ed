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

    /// A new ticket wakes the loop only when its first deadline comes before the loop's planned look:
    /// a stream of tickets due hours ahead costs no scan each (at a million tickets a scan and its
    /// statistics cost more than the create).
    @Test func aNewTicketWakesTheLoopOnlyWhenDueBeforeItsNextLook() async throws {
        let rules = """
        calendar cn { timezone Asia/Shanghai; workdays mon-fri }
        person duty "值班员" { phone "+8613800000009" }
        team desk { members duty; supervisor duty; manager duty }
        channel log log {}
        policy fast "快速" { when kind = complaint; team desk
          clock respond "响应" within 10m until acknowledged
          escalate { at respond notify supervisor via log } }
        """
        let daemon = try VirtualDaemon(rules: rules)
        try await daemon.run { daemon in
            try await daemon.advance(until: { daemon.scans >= 1 }, limit: 5, what: "the first scan")
            try await daemon.settle(milliseconds: 200)
            let before = daemon.scans
            try await daemon.open("T1")             // due in 10 minutes: after the loop's next look (≤ 30 s)
            try await daemon.open("T2")
            try await daemon.settle(milliseconds: 300)
            #expect(daemon.scans == before, "tickets due in 10 minutes woke the loop: \(daemon.scans - before) scans")
            try await daemon.open("T3", age: 700)   // already past its deadline: wakes it at once
            try await daemon.advance(until: { daemon.scans > before }, step: 0.001, limit: 0.01, what: "a scan for an overdue ticket")
            let fired = try await daemon.store.outbox(state: nil, limit: 10).map(\.ticketID)
            #expect(fired == ["T3"], "the overdue ticket fired without the clock moving: \(fired)")
        }
    }
}
