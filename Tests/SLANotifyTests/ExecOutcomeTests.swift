import Foundation
import SLANotify
import SLARules
import Testing

/// The `exec` kind's exits: 0 delivered, 75 retried, anything else permanent, with what the program
/// said on standard error in the reason (the operator's only clue when a modem script fails).
struct ExecOutcomeTests {
    func notifier(_ script: String) throws -> ExecNotifier {
        let channel = try #require(try channels(#"channel siren exec { command "/bin/sh", "-c", "\#(script)" }"#)["siren"])
        return try ExecNotifier(channel: channel, secrets: SecretResolver(environment: [:]), transport: FakeTransport())
    }

    let notice = Notice(idempotencyKey: "k", ticketID: "T1", channel: "siren", recipients: [], text: "停水", createdAt: 0)

    @Test func aFailingProgramSaysWhyInTheReason() async throws {
        let failing = try notifier("cat > /dev/null; echo 'modem not responding' >&2; echo 'on /dev/ttyUSB0' >&2; exit 3")
        #expect(await failing.deliver(notice, now: Date()) == .permanent(reason: "/bin/sh exited 3: modem not responding on /dev/ttyUSB0"))
        let busy = try notifier("cat > /dev/null; echo busy >&2; exit 75")
        #expect(await busy.deliver(notice, now: Date()) == .retry(reason: "/bin/sh exited 75 (try again later): busy", after: nil))
        let quiet = try notifier("cat > /dev/null; exit 1")
        #expect(await quiet.deliver(notice, now: Date()) == .permanent(reason: "/bin/sh exited 1"))
        #expect(await (try notifier("cat > /dev/null")).deliver(notice, now: Date()) == .delivered)
    }

    /// slad ignores SIGPIPE, and an ignored signal stays ignored across exec: the program must start with
    /// every standard signal at its default (its SigIgn mask, read from /proc), as under a shell.
    @Test func theProgramStartsWithNoSignalIgnored() async throws {
        signal(SIGPIPE, SIG_IGN)   // as the daemon runs
        let probe = try notifier("cat > /dev/null; grep SigIgn /proc/self/status >&2; exit 1")
        guard case let .permanent(reason) = await probe.deliver(notice, now: Date()) else {
            Issue.record("the probe exits 1")
            return
        }
        let hex = try #require(reason.split(separator: "\t").last.map { $0.trimmingCharacters(in: .whitespaces) }, "\(reason)")
        let ignored = try #require(UInt64(hex, radix: 16), "\(reason)")
        #expect(ignored & (1 << (SIGPIPE - 1)) == 0, "SIGPIPE ignored in the program: \(reason)")
        // 32 and 33 are the C library's own (threads), which no program can take back: the standard ones only.
        #expect(ignored & 0x7FFF_FFFF == 0, "signals ignored in the program: \(reason)")
    }
}
