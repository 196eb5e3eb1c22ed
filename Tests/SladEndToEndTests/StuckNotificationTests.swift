import Foundation
import Testing

/// With SLAD_SMS_TOKEN unset, SMS jobs cannot go out: every one says why, in the API, `slad outbox list`,
/// `slad ticket show` and /healthz, and waits with a next attempt in the future (issue 12, item 6).
@Suite(.serialized) struct StuckNotificationTests {
    static let rules = """
    calendar cn { timezone Asia/Shanghai; workdays mon-fri }
    person duty "值班员" { phone "+8613800000009" }
    channel sms sms-http { url "http://127.0.0.1:9/send"; token env SLAD_SMS_TOKEN }
    policy fast "快速" {
      when kind = complaint
      clock respond "响应" within 1s until acknowledged
      escalate { at respond notify person duty via sms }
    }
    plan lift "电梯困人" {
      level II
      when kind = incident and category = lift-trapped
      drill via sms
      step comfort "安抚" within 1m owner person duty via sms
    }
    """

    @Test func jobsOfAnUnconfiguredChannelSayWhy() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(Self.rules), environment: ["SLAD_SMS_TOKEN": ""])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        _ = try daemon.post("/v1/tickets", ["id": "S1", "kind": "complaint"])
        try daemon.waitFor("the job to say why", seconds: 20) {
            try daemon.count("SELECT COUNT(*) FROM outbox WHERE last_error IS NOT NULL") == 1
        }
        let expected = "channel sms is not configured: 'token' comes from the environment variable SLAD_SMS_TOKEN, which is not set"
        let job = try #require((try daemon.request("GET", "/v1/outbox?state=pending").object["jobs"] as? [[String: Any]])?.first)
        #expect((job["lastError"] as? String)?.hasPrefix(expected) == true, "\(job)")
        #expect(job["attempts"] as? Int == 0)
        #expect(job["to"] as? [String] == ["值班员 +8613800000009"])
        let next = try #require((job["nextAttempt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
        #expect(next > Date(), "the next attempt \(next) is in the past")

        let server = ["--server", "http://127.0.0.1:\(daemon.port)"]
        let list = try Slad.run(["outbox", "list"] + server)
        #expect(list.stdout.contains("to 值班员 +8613800000009"), "\(list.stdout)")
        #expect(list.stdout.contains("why: \(expected)"), "\(list.stdout)")
        let show = try Slad.run(["ticket", "show", "S1"] + server)
        #expect(show.stdout.contains("↳ sms → 值班员 +8613800000009: pending for"), "\(show.stdout)")
        #expect(show.stdout.contains(expected), "\(show.stdout)")

        let health = try daemon.request("GET", "/healthz").object
        let channels = try #require(health["channelsNotConfigured"] as? [[String: Any]])
        #expect(channels.first?["channel"] as? String == "sms")
        #expect((channels.first?["reason"] as? String)?.hasPrefix(expected) == true)
        #expect(daemon.stderr.contains("channel sms cannot deliver: \(expected)"), "\(daemon.stderr)")
    }

    /// The drill report showed every notice pending with no reason; now each row and the summary say why.
    @Test func aDrillReportSaysWhyItsNoticesArePending() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(Self.rules), environment: ["SLAD_SMS_TOKEN": ""])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        #expect(try daemon.post("/v1/incidents", ["id": "D1", "plan": "lift", "drill": true]).status == 201)
        try daemon.waitFor("the notices to say why", seconds: 20) {
            try daemon.count("SELECT COUNT(*) FROM outbox WHERE subject = 'incident' AND last_error IS NOT NULL") >= 1
        }
        let url = URL(string: "http://127.0.0.1:\(daemon.port)/v1/incidents/D1/report?format=markdown")!
        let markdown = try String(contentsOf: url, encoding: .utf8)
        #expect(markdown.contains("待发送 pending: channel sms is not configured"), "\(markdown)")
        #expect(markdown.contains("未送达原因 Why not sent"), "\(markdown)")
    }
}
