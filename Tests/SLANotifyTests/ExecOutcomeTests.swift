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
}
