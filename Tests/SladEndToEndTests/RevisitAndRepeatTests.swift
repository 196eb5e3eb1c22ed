import Foundation
import Testing

/// Issue 14 through the real daemon: revisit scores over HTTP and `slad ticket revisit`, `repeatOf` on a
/// ticket opened like one closed recently, shown by the API and `slad ticket show`.
@Suite(.serialized) struct RevisitAndRepeatTests {
    static let rules = DaemonProcess.fastRules + "\nrepeats { within 30d }\nsite 翠湖花园 { households 1200 }\n"

    func daemon() throws -> DaemonProcess {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(Self.rules))
        try daemon.start()
        return daemon
    }

    @Test func scoresAreRefusedOrRecordedOverHTTP() throws {
        let daemon = try daemon()
        defer { daemon.signal(SIGKILL) }
        #expect(try daemon.post("/v1/tickets", ["id": "S1", "kind": "repair"]).status == 201)
        #expect(try daemon.post("/v1/tickets/S1/events", ["kind": "resolved"]).status == 200)
        for (body, message) in [
            (["kind": "revisited", "score": 6] as [String: Any], "6 is not a score; expected a whole number from 1 (very dissatisfied) to 5 (very satisfied)"),
            (["kind": "revisited", "score": "5"], "expected a whole number from 1 (very dissatisfied) to 5 (very satisfied), found a string"),
            (["kind": "revisited", "score": 3.5], "expected a whole number"),
            (["kind": "comment", "score": 5, "note": "x"], "only a 'revisited' event carries a score"),
        ] {
            let reply = try daemon.post("/v1/tickets/S1/events", body)
            #expect(reply.status == 422, "\(body): \(reply.object)")
            let error = reply.object["error"] as? [String: Any] ?? reply.object
            #expect(error["field"] as? String == "score", "\(reply.object)")
            #expect((error["message"] as? String ?? "").contains(message), "\(reply.object)")
        }
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket_event WHERE ticket_id = 'S1'") == 2)
        let visited = try daemon.post("/v1/tickets/S1/events", ["kind": "revisited", "score": 4, "note": "地面没清理干净", "actor": "duty"])
        #expect(visited.status == 200, "\(visited.object)")
        let timeline = visited.object["timeline"] as? [[String: Any]] ?? []
        let visit = try #require(timeline.first { $0["kind"] as? String == "revisited" })
        #expect(visit["score"] as? Int == 4 && visit["note"] as? String == "地面没清理干净")
        #expect(try daemon.count("SELECT score FROM ticket_event WHERE ticket_id = 'S1' AND kind = 'revisited'") == 4)
        // A history with a bad score is refused whole, at its field.
        let bad = try daemon.post("/v1/tickets", ["id": "S2", "kind": "repair", "created": "2025-09-22 10:00",
                                                  "events": [["kind": "resolved", "at": "2025-09-22 11:00"],
                                                             ["kind": "revisited", "at": "2025-09-23 10:00", "score": 0]]])
        #expect(bad.status == 422)
        #expect((bad.object["error"] as? [String: Any] ?? bad.object)["field"] as? String == "events[1].score", "\(bad.object)")
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket WHERE id = 'S2'") == 0)
    }

    @Test func aRepeatIsMarkedAndShownByTheCLI() throws {
        let daemon = try daemon()
        defer { daemon.signal(SIGKILL) }
        let server = ["--server", "http://127.0.0.1:\(daemon.port)", "--token-env", "SLAD_TEST_TOKEN"]
        func slad(_ arguments: [String]) throws -> Slad.Output {
            try Slad.run(arguments, environment: ["SLAD_TEST_TOKEN": daemon.token])
        }
        let place = ["--site", "翠湖花园", "--building", "3栋", "--unit", "1102", "--category", "pipe"]
        #expect(try slad(["ticket", "open", "--id", "P1", "--kind", "repair"] + place + server).status == 0)
        #expect(try slad(["ticket", "resolve", "P1"] + server).status == 0)
        // The CLI refuses a bad score before asking the daemon; nothing is recorded.
        let refused = try slad(["ticket", "revisit", "P1", "--score", "9"] + server)
        #expect(refused.status == 64, "\(refused.status) \(refused.stderr)")
        #expect(refused.stderr.contains("--score 9 is not a score; expected a whole number from 1 (very dissatisfied) to 5 (very satisfied)"), "\(refused.stderr)")
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket_event WHERE ticket_id = 'P1' AND kind = 'revisited'") == 0)
        let visited = try slad(["ticket", "revisit", "P1", "--score", "3", "--comment", "修好了但又滴水", "--by", "duty"] + server)
        #expect(visited.status == 0, "\(visited.stderr)")
        #expect(visited.stdout.contains("revisited by duty 满意度 3/5 — 修好了但又滴水"), "\(visited.stdout)")
        #expect(try slad(["ticket", "close", "P1"] + server).status == 0)
        let again = try slad(["ticket", "open", "--id", "P2", "--kind", "repair"] + place + server)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("重复：P1"), "\(again.stdout)")
        let shown = try daemon.request("GET", "/v1/tickets/P2")
        #expect(shown.object["repeatOf"] as? String == "P1")
        let listed = try daemon.request("GET", "/v1/tickets?state=open")
        #expect((listed.object["tickets"] as? [[String: Any]])?.first { $0["id"] as? String == "P2" }?["repeatOf"] as? String == "P1")
        // Another unit is not a repeat, and has no repeatOf at all.
        #expect(try slad(["ticket", "open", "--id", "P3", "--kind", "repair", "--site", "翠湖花园", "--building", "3栋", "--unit", "1201",
                          "--category", "pipe"] + server).status == 0)
        #expect(try daemon.request("GET", "/v1/tickets/P3").object["repeatOf"] == nil)
        let show = try slad(["ticket", "show", "P2"] + server)
        #expect(show.stdout.contains("重复：P1"), "\(show.stdout)")
    }
}
