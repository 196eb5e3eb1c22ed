import Foundation
import Testing

/// `slad ticket pause` says which clocks paused and which kept running, and why (issue 12, item 5); times
/// without an offset are read in the rules' zone, whatever the host's (item 9).
@Suite(.serialized) struct PauseAnswerTests {
    static let rules = """
    calendar cn { timezone Asia/Shanghai; workdays mon-fri }
    person duty "值班员" { phone "+8613800000009" }
    channel console log {}
    policy complaint-a "A级投诉" {
      when kind = complaint
      clock respond "首次响应" within 2h until acknowledged
      pause while status = waiting-customer
      escalate { at respond notify person duty via console }
    }
    policy repair "报修" {
      when kind = repair
      clock respond "响应" within 2h until acknowledged
      escalate { at respond notify person duty via console }
    }
    """

    func daemon(environment: [String: String] = [:]) throws -> DaemonProcess {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(Self.rules), environment: environment)
        try daemon.start()
        return daemon
    }

    func slad(_ daemon: DaemonProcess, _ arguments: [String], environment: [String: String] = [:]) throws -> Slad.Output {
        try Slad.run(arguments + ["--server", "http://127.0.0.1:\(daemon.port)", "--token-env", "SLAD_TEST_TOKEN"],
                     environment: environment.merging(["SLAD_TEST_TOKEN": daemon.token]) { $1 })
    }

    @Test func aPauseThePolicyDoesNotNameSaysTheClocksKeepRunning() throws {
        let daemon = try daemon()
        defer { daemon.signal(SIGKILL) }
        _ = try daemon.post("/v1/tickets", ["id": "P1", "kind": "complaint"])
        let parts = try slad(daemon, ["ticket", "pause", "P1", "--reason", "waiting-parts"])
        #expect(parts.status == 0, "\(parts.stderr)")
        #expect(parts.stdout.contains("pause (waiting-parts): no clock paused; still running respond"), "\(parts.stdout)")
        #expect(parts.stdout.contains("respond 首次响应: running — policy complaint-a pauses only while status = waiting-customer; "
            + "status waiting-parts does not match, so the clock keeps running"), "\(parts.stdout)")
        _ = try daemon.post("/v1/tickets/P1/events", ["kind": "resumed"])
        let customer = try daemon.post("/v1/tickets/P1/events", ["kind": "paused", "status": "waiting-customer"])
        let pause = try #require(customer.object["pause"] as? [String: Any])
        let clock = try #require((pause["clocks"] as? [[String: Any]])?.first)
        #expect(clock["state"] as? String == "paused")
        #expect(clock["reason"] as? String == "policy complaint-a pauses while status = waiting-customer, and the status is waiting-customer")
    }

    @Test func aPolicyWithoutPauseWhileStopsOnlyForAPlainPause() throws {
        let daemon = try daemon()
        defer { daemon.signal(SIGKILL) }
        _ = try daemon.post("/v1/tickets", ["id": "R1", "kind": "repair"])
        let customer = try slad(daemon, ["ticket", "pause", "R1", "--reason", "waiting-customer"])
        #expect(customer.stdout.contains("policy repair has no 'pause while'"), "\(customer.stdout)")
        _ = try daemon.post("/v1/tickets/R1/events", ["kind": "resumed"])
        let plain = try slad(daemon, ["ticket", "pause", "R1"])
        #expect(plain.stdout.contains("pause (paused): paused respond"), "\(plain.stdout)")
        let help = try Slad.run(["ticket", "pause", "--help"])
        #expect(help.stdout.contains("the policy decides which clocks stop"), "\(help.stdout)")
        #expect(!help.stdout.contains("Pause the clocks"))
    }

    /// On a UTC host, '18:40' and '2026-12-01 18:40' are 18:40 in the rules' zone (Asia/Shanghai).
    @Test func timesWithoutAnOffsetAreReadInTheRulesZone() throws {
        let utc = ["TZ": "UTC"]
        let daemon = try daemon(environment: utc)
        defer { daemon.signal(SIGKILL) }
        let opened = try slad(daemon, ["ticket", "open", "--id", "Z1", "--kind", "repair", "--created", "2026-12-01 18:40"], environment: utc)
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(try daemon.request("GET", "/v1/tickets/Z1").object["created"] as? String == "2026-12-01T18:40:00+08:00")
        let today = try slad(daemon, ["ticket", "open", "--id", "Z2", "--kind", "repair", "--created", "18:40"], environment: utc)
        #expect(today.status == 0, "\(today.stderr)")
        let created = try #require(try daemon.request("GET", "/v1/tickets/Z2").object["created"] as? String)
        #expect(created.hasSuffix("T18:40:00+08:00"), "\(created)")
        let help = try Slad.run(["ticket", "open", "--help"], environment: utc)
        #expect(help.stdout.contains("rules' time zone"), "\(help.stdout)")
    }
}
