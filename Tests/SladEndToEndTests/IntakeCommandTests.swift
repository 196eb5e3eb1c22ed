import Foundation
import Testing

/// The intake mapping outside the webhook (issue 17): `slad check` reports a broken mapping at its file,
/// line and column (E138) and a reload with one is refused; `slad import --mapping` backfills another
/// system's export through the same mapping (JSON Lines or one array), making the same ticket ids; the
/// API and the CLI read RFC 3339 times with fractional seconds.
@Suite(.serialized) struct IntakeCommandTests {
    static func rulesWithMapping(_ mapping: String) throws -> URL {
        let folder = try DaemonProcess.makeRules(IntakeEndToEndTests.rules)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("intake"), withIntermediateDirectories: true)
        try mapping.write(to: folder.appendingPathComponent("intake/hotline.map"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test func checkReportsABrokenMappingAtItsLineAndColumn() throws {
        let broken = IntakeEndToEndTests.mapping.replacingOccurrences(of: "status \"已完成\" = resolved", with: "status \"已完成\" = resovled")
            .replacingOccurrences(of: "secret      = env SLAD_INTAKE_HOTLINE", with: "secret      = hunter2")
        let folder = try Self.rulesWithMapping(broken)
        let output = try Slad.run(["check", folder.path])
        #expect(output.status == 1, "\(output.stdout)")
        let file = folder.appendingPathComponent("intake/hotline.map").path
        #expect(output.stdout.contains("\(file):3:15: error: a secret is a reference, never the secret itself"), "\(output.stdout)")
        #expect(output.stdout.contains("\(file):27:16: error: 'resovled' is not an event (did you mean 'resolved'?)"), "\(output.stdout)")
        #expect(output.stdout.contains("[E138]") && output.stdout.contains("2 errors"), "\(output.stdout)")
        // The shipped example mapping passes.
        #expect(!(try Slad.run(["check", "rules"]).stdout.contains("E138")))
    }

    @Test func aReloadWithABrokenMappingKeepsTheOldOnes() throws {
        let folder = try Self.rulesWithMapping(IntakeEndToEndTests.mapping)
        let daemon = try DaemonProcess(rules: folder, environment: ["SLAD_INTAKE_HOTLINE": IntakeEndToEndTests.secret])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        try "id = \n".write(to: folder.appendingPathComponent("intake/hotline.map"), atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        try daemon.waitFor("the refused reload", seconds: 10) { daemon.stderr.contains("reload refused") }
        #expect(daemon.stderr.contains("hotline.map:1:6: error: 'id' needs a value after '='"), "\(daemon.stderr)")
        let now = IntakeEndToEndTests.iso(Date())
        let body = IntakeEndToEndTests.payload(order: "R-1", status: "待受理", created: now, updated: now)
        let stamp = String(Int(Date().timeIntervalSince1970))
        let reply = try daemon.request("POST", "/v1/intake/hotline", body: body, token: "", headers: [
            "X-Hotline-Timestamp": stamp, "X-Hotline-Delivery": "r-1",
            "X-Hotline-Signature": try IntakeEndToEndTests.sign(body, timestamp: stamp),
        ])
        #expect(reply.status == 201, "the old mapping still serves: \(reply.text)")
    }

    @Test func importBackfillsAnExportThroughTheMapping() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(IntakeEndToEndTests.rules))
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-intake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let mapping = folder.appendingPathComponent("hotline.map")
        try IntakeEndToEndTests.mapping.write(to: mapping, atomically: true, encoding: .utf8)
        let created = "2026-12-01T02:00:00.125Z", done = "2026-12-01T03:30:00.500Z"
        func line(_ order: String, _ status: String, type: String = "报修", updated: String = done) -> String {
            String(decoding: IntakeEndToEndTests.payload(order: order, status: status, created: created, updated: updated, type: type), as: UTF8.self)
        }
        let lines = folder.appendingPathComponent("export.jsonl")
        try [line("E-1", "已完成"), line("E-2", "待受理"), line("E-3", "挂起"), "{oops", line("E-4", "已受理", type: "投诉")]
            .joined(separator: "\n").write(to: lines, atomically: true, encoding: .utf8)
        let arguments = ["import", lines.path, "--mapping", mapping.path, "--server", "http://127.0.0.1:\(daemon.port)", "--token-env", "SLAD_TEST_TOKEN"]
        let first = try Slad.run(arguments, environment: ["SLAD_TEST_TOKEN": daemon.token])
        #expect(first.status == 1)
        #expect(first.stdout.contains("imported 3 tickets, 2 failed"), "\(first.stdout) \(first.stderr)")
        #expect(first.stderr.contains(":3: error: data.workOrder.status: status '挂起' is not mapped"), "\(first.stderr)")
        #expect(first.stderr.contains(":4: error: not valid JSON"), "\(first.stderr)")
        let resolved = try daemon.request("GET", "/v1/tickets/hotline-E-1")
        #expect(resolved.object["status"] as? String == "resolved" && resolved.object["created"] as? String == "2026-12-01T10:00:00+08:00", "\(resolved.text)")
        #expect((resolved.object["clocks"] as? [[String: Any]])?.first?["state"] as? String == "met", "\(resolved.text)")
        #expect(try daemon.request("GET", "/v1/tickets/hotline-E-4").object["grade"] as? String == "B")
        // An array of payloads; the tickets already there are kept.
        let array = folder.appendingPathComponent("export.json")
        try "[\(line("E-1", "已完成")), \(line("E-5", "待受理"))]".write(to: array, atomically: true, encoding: .utf8)
        var again = arguments
        again[1] = array.path
        let second = try Slad.run(again, environment: ["SLAD_TEST_TOKEN": daemon.token])
        #expect(second.status == 0 && second.stdout.contains("imported 1 ticket, 1 already present"), "\(second.stdout) \(second.stderr)")
    }

    @Test func theAPIAndTheCommandLineReadFractionalSeconds() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let created = IntakeEndToEndTests.iso(Date().addingTimeInterval(-30))
        let reply = try daemon.post("/v1/tickets", ["id": "F1", "kind": "repair", "created": created])
        #expect(reply.status == 201, "\(reply.text)")
        let event = try daemon.post("/v1/tickets/F1/events", ["kind": "acknowledged", "at": IntakeEndToEndTests.iso(Date())])
        #expect(event.status == 200, "\(event.text)")
        let rules = daemon.rules.path
        let history = FileManager.default.temporaryDirectory.appendingPathComponent("slad-f-\(UUID().uuidString).jsonl")
        try #"{"id":"H1","kind":"complaint","created":"2026-12-02T20:50:17.940Z"}"#.write(to: history, atomically: true, encoding: .utf8)
        let explain = try Slad.run(["explain", history.path, "--rules", rules, "--at", "2026-12-02T20:50:18.500Z"])
        #expect(explain.status == 0, "\(explain.stdout) \(explain.stderr)")
        let simulate = try Slad.run(["simulate", "--rules", rules, "--tickets", history.path, "--until", "2026-12-03T05:00:00.000+08:00"])
        #expect(simulate.status == 0, "\(simulate.stdout) \(simulate.stderr)")
    }
}
