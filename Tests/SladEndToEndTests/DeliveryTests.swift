import Foundation
import SLADaemon
import Testing

/// The delivery service against a real loopback receiver: retries, Retry-After, permanent errors with a
/// fallback, a stalled channel, a rate limit, and exactly one delivery per idempotency key.
@Suite(.serialized) struct DeliveryTests {
    static func rules(port: Int) -> String {
        """
        calendar cn { timezone Asia/Shanghai; workdays mon-fri }
        person duty "值班员" { phone "+8613800000009" }
        team desk { members duty; supervisor duty; manager duty }
        channel console log {}
        channel good webhook { url "http://127.0.0.1:\(port)/ok/good"; secret env HOOK_SECRET }
        channel flaky webhook { url "http://127.0.0.1:\(port)/flaky/a"; secret env HOOK_SECRET }
        channel throttled webhook { url "http://127.0.0.1:\(port)/throttle/a"; secret env HOOK_SECRET }
        channel stalled webhook { url "http://127.0.0.1:\(port)/stall/a"; secret env HOOK_SECRET; timeout 30s }
        channel refused webhook { url "http://127.0.0.1:\(port)/bad/a"; secret env HOOK_SECRET; fallback console }
        channel limited webhook { url "http://127.0.0.1:\(port)/ok/limited"; secret env HOOK_SECRET; rate 3 }
        policy fast "快速" {
          when kind = complaint
          team desk
          clock respond "响应" within 1s until acknowledged
          escalate {
            at respond notify supervisor via good, flaky, throttled, stalled, refused, limited
          }
        }
        """
    }

    // A receiver down for ten minutes with the default policy, the rate window across a reload, backoff,
    // Retry-After and shutdown run on virtual time in-process: Tests/DaemonVirtualTimeTests.

    @Test func everyNotificationArrivesOnceAndChannelsDoNotWaitForEachOther() throws {
        let secret = "hook-secret-\(UUID().uuidString)"
        let receiver = try Receiver(secret: secret)
        defer { receiver.stop() }
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(Self.rules(port: receiver.port)),
                                       extra: ["--retry-base", "1", "--retry-max", "2", "--max-attempts", "6"],
                                       environment: ["HOOK_SECRET": secret])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let count = 5
        for index in 1...count {
            let reply = try daemon.post("/v1/tickets", ["id": "D\(index)", "kind": "complaint", "text": "漏水 @all <at user_id=\"all\">"])
            #expect(reply.status == 201, "\(reply.object)")
        }
        // The good channel is done while the stalled one still hangs on its first requests.
        try daemon.waitFor("the good channel", seconds: 30) {
            try daemon.count("SELECT COUNT(*) FROM outbox WHERE channel = 'good' AND state = 'sent'") == count
        }
        #expect(receiver.delivered("/ok/good").count == count)
        #expect(try daemon.count("SELECT COUNT(*) FROM delivery_attempt WHERE channel = 'stalled'") == 0)
        // Retries after 503s and after a 429 with Retry-After: each key delivered exactly once.
        try daemon.waitFor("the flaky and throttled channels", seconds: 40) {
            receiver.delivered("/flaky/a").count == count && receiver.delivered("/throttle/a").count == count
        }
        for path in ["/ok/good", "/flaky/a", "/throttle/a"] {
            #expect(receiver.delivered(path).values.allSatisfy { $0 == 1 }, "\(path): \(receiver.delivered(path))")
        }
        #expect(receiver.requests.filter { $0.path == "/flaky/a" && $0.status == 503 }.count == 2 * count)
        #expect(receiver.requests.allSatisfy { $0.status != 401 && $0.status != 422 }, "a signature or body did not verify")
        // A permanent 400 is not retried: dead after one attempt, and the fallback channel is told.
        try daemon.waitFor("the fallback", seconds: 20) {
            try daemon.count("SELECT COUNT(*) FROM outbox WHERE channel = 'console' AND state = 'sent' AND message LIKE '【投递失败】%'") == count
        }
        #expect(try daemon.count("SELECT COUNT(*) FROM outbox WHERE channel = 'refused' AND state = 'dead' AND attempts = 1") == count)
        #expect(receiver.requests.filter { $0.path == "/bad/a" }.count == count)
        // The rate limit: 3 a minute, the rest wait their turn.
        #expect(receiver.delivered("/ok/limited").count == 3)
        #expect(try daemon.count("SELECT COUNT(*) FROM outbox WHERE channel = 'limited' AND state = 'pending'") == count - 3)
        // Nothing was dead-lettered but the refused channel's jobs.
        #expect(try daemon.count("SELECT COUNT(*) FROM outbox WHERE state = 'dead' AND channel != 'refused'") == 0)
        // Every attempt is in the ticket's timeline.
        let ticket = try daemon.request("GET", "/v1/tickets/D1")
        let deliveries = (ticket.object["timeline"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "delivery" }
        #expect(deliveries.contains { $0["channel"] as? String == "flaky" && $0["result"] as? String == "retry" })
        #expect(deliveries.contains { $0["channel"] as? String == "refused" && $0["result"] as? String == "dead" })
        #expect(deliveries.contains { $0["channel"] as? String == "good" && $0["result"] as? String == "sent" })
        // The operator commands: list the dead, retry one (it fails again, for good), drop a waiting one.
        let server = ["--server", "http://127.0.0.1:\(daemon.port)", "--token-env", "SLAD_TEST_TOKEN"]
        func slad(_ arguments: [String]) throws -> Slad.Output {
            try Slad.run(arguments, environment: ["SLAD_TEST_TOKEN": daemon.token])
        }
        let dead = try slad(["outbox", "list", "--state", "dead"] + server)
        #expect(dead.status == 0)
        #expect(dead.stdout.split(separator: "\n").filter { $0.contains("refused") }.count == count, "\(dead.stdout)")
        let deadID = try daemon.count("SELECT MIN(id) FROM outbox WHERE channel = 'refused'")
        #expect(try slad(["outbox", "retry", "\(deadID)", "--by", "duty"] + server).stdout.contains("pending"))
        try daemon.waitFor("the retried job", seconds: 20) {
            try daemon.count("SELECT attempts FROM outbox WHERE id = \(deadID) AND state = 'dead'") == 2
        }
        let waiting = try daemon.count("SELECT MAX(id) FROM outbox WHERE channel = 'limited' AND state = 'pending'")
        #expect(try slad(["outbox", "drop", "\(waiting)"] + server).stdout.contains("dead"))
        #expect(try slad(["outbox", "retry", "\(try daemon.count("SELECT MIN(id) FROM outbox WHERE state = 'sent'"))"] + server).status == 1)
        #expect(try daemon.count("SELECT COUNT(*) FROM audit WHERE action IN ('outbox.retry', 'outbox.drop')") == 2)
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
    }
}
