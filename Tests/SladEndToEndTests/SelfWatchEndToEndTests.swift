import Foundation
import Testing

/// The self-watch with the real binary (issue 15, item 2): a channel that dead-letters raises a
/// self-alert through the watch's `exec` channel (never through itself), still after a restart, and an
/// all-clear once a notice gets through it again; /healthz says the same at every step.
@Suite(.serialized) struct SelfWatchEndToEndTests {
    @Test func aChannelDownIsToldThroughAnotherChannelAndClearedWhenItWorksAgain() throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let siren = try SirenFile()
        func rules(_ path: String) -> String {
            """
            calendar cn { timezone Asia/Shanghai; workdays mon-fri }
            person duty "值班员" { phone "+8613800000009" }
            team desk { members duty; supervisor duty; manager duty }
            channel hook webhook { url "http://127.0.0.1:\(receiver.port)/\(path)/hook" }
            \(siren.channel)
            policy fast "快速" { when kind = complaint; team desk
              clock respond "响应" within 1s until acknowledged
              escalate { at respond notify supervisor via hook } }
            watch {
              notify person duty via siren, hook
              channel down for 10s
            }
            """
        }
        let folder = try DaemonProcess.makeRules(rules("bad"))
        let daemon = try DaemonProcess(rules: folder, extra: ["--watch-every", "1"])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        // The receiver refuses with 400: the notice is dead-lettered at once, the channel is in trouble.
        #expect(try daemon.post("/v1/tickets", ["id": "C1", "kind": "complaint"]).status == 201)
        try daemon.waitFor("the self-alert", seconds: 30) { siren.alerts.contains { $0.id.hasPrefix("slad-watch-channel_down:hook-") } }
        let raised = try #require(siren.alerts.first { $0.id.hasPrefix("slad-watch-channel_down:hook-") })
        #expect(raised.id.hasSuffix("-raised") && raised.text.contains("channel_down:hook") && raised.text.contains("HTTP 400"), "\(raised)")
        #expect(raised.recipients == ["duty"])
        // /healthz shows it once the self-watch has recorded whom it told (just after sending).
        try daemon.waitFor("the trouble in /healthz", seconds: 10) {
            ((try daemon.request("GET", "/healthz").object["watch"] as? [[String: Any]])?.first?["told"] as? [String]) != nil
        }
        let health = try daemon.request("GET", "/healthz").object
        let watched = try #require((health["watch"] as? [[String: Any]])?.first)
        #expect(watched["trouble"] as? String == "channel_down:hook" && watched["told"] as? [String] == ["siren"], "\(watched)")
        // /healthz says the same, by the same rule.
        let stalled = try daemon.request("GET", "/healthz")
        #expect(stalled.status == 503 && ((stalled.object["problems"] as? [[String: Any]])?.first?["channel"] as? String) == "hook", "\(stalled.text)")
        // Never through the channel in trouble itself.
        #expect(!receiver.requests.contains { $0.key.hasPrefix("slad-watch") }, "\(receiver.requests)")
        // Restarted, slad still knows the channel dead-lettered and nothing got through since.
        daemon.signal(SIGKILL)
        daemon.process.waitUntilExit()
        let restarted = try DaemonProcess(rules: folder, state: daemon.state, extra: ["--watch-every", "1"])
        try restarted.start()
        defer { restarted.signal(SIGKILL) }
        #expect(try restarted.request("GET", "/healthz").status == 503)
        try restarted.waitFor("the self-alert again", seconds: 30) { siren.alerts.filter { $0.id.hasPrefix("slad-watch-channel_down:hook-") }.count == 2 }
        // Fixed: the next notice gets through, and the all-clear follows, once.
        try rules("ok").write(to: folder.appendingPathComponent("rules.sla"), atomically: true, encoding: .utf8)
        restarted.signal(SIGHUP)
        try restarted.waitFor("the reload", seconds: 10) { restarted.stderr.contains("rules reloaded") }
        #expect(try restarted.post("/v1/tickets", ["id": "C2", "kind": "complaint"]).status == 201)
        try restarted.waitFor("the all-clear", seconds: 30) { siren.alerts.contains { $0.id.hasSuffix("-cleared") } }
        Thread.sleep(forTimeInterval: 3)
        let alerts = siren.alerts.filter { $0.id.hasPrefix("slad-watch-channel_down:hook-") }
        #expect(alerts.map { $0.id.hasSuffix("-raised") ? "raised" : "cleared" } == ["raised", "raised", "cleared"], "\(alerts)")
        #expect(alerts.last?.text.contains("已解除") == true)
        let healthy = try restarted.request("GET", "/healthz")
        #expect(healthy.status == 200 && healthy.object["watch"] == nil, "the all-clear and /healthz agree: \(healthy.text)")
        #expect(!receiver.requests.contains { $0.key.hasPrefix("slad-watch") })
    }
}

/// An `exec` channel whose program appends each notice's JSON to a file: the watch's local channel.
struct SirenFile {
    struct Alert: CustomStringConvertible {
        let id: String
        let text: String
        let recipients: [String]
        var description: String { "\(id): \(text)" }
    }

    let file: URL

    init() throws {
        file = FileManager.default.temporaryDirectory.appendingPathComponent("slad-siren-\(UUID().uuidString).jsonl")
        FileManager.default.createFile(atPath: file.path, contents: nil)
    }

    /// `channel siren exec { … }`: /bin/sh appends standard input and a newline to the file.
    var channel: String {
        #"channel siren exec { command "/bin/sh", "-c", "cat >> \#(file.path); echo >> \#(file.path)" }"#
    }

    var alerts: [Alert] {
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let id = object["id"] as? String else { return nil }
            let recipients = (object["recipients"] as? [[String: Any]] ?? []).compactMap { $0["person"] as? String }
            return Alert(id: id, text: object["text"] as? String ?? "", recipients: recipients)
        }
    }
}
