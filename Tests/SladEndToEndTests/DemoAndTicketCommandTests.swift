import Foundation
import GRDB
import Testing

@Suite(.serialized) struct DemoAndTicketCommandTests {
    /// The README's main job: within a minute, escalations of the sample tickets on the console.
    @Test func demoShowsEscalationsOnTheShippedRules() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("slad-demo-\(UUID().uuidString)")
        let output = try Slad.run(["demo", "--state", state.path, "--duration", "15", "--public-port", "0"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("slad demo — daemon on http://127.0.0.1:"))
        #expect(output.stdout.contains("看板 (dashboard): http://127.0.0.1:"), "\(output.stdout)")
        // The hint's command names the binary that ran, which works from a checkout where slad is not on PATH.
        let hint = try #require(output.stdout.split(separator: "\n").first { $0.hasPrefix("Try:") })
        let command = try #require(hint.split(separator: " ").first { $0.hasSuffix("slad") })
        #expect(FileManager.default.isExecutableFile(atPath: String(command)), "\(hint)")
        // Already overdue when opened: the C complaint's 24 h assessment went to the supervisor.
        #expect(output.stdout.contains("[console] → 李娜：【C级投诉超时】2栋 初步评估反馈已超时"), "\(output.stdout)")
        // Falls due 10 s after start: the A complaint's response deadline.
        #expect(output.stdout.contains("[console] → 李娜：【A级投诉超时】3栋2单元1102 首次响应已超时"), "\(output.stdout)")
        #expect(FileManager.default.fileExists(atPath: state.appendingPathComponent("slad.sqlite").path))
        // --public-port 0: the links in the notices and the banner carry the port the action pages bound
        // (the listener logs it), not the 8788 of rules/links.sla.
        let bound = try #require(Self.ports(after: "action pages on http://127.0.0.1:", in: output.stderr).first, "\(output.stderr)")
        let linked = Self.ports(after: " http://127.0.0.1:", in: output.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("接单 ") }.joined(separator: "\n"))
        #expect(!linked.isEmpty, "no action link in the notices: \(output.stdout)")
        #expect(Set(linked) == [bound], "links to \(Set(linked)), pages on \(bound)")
        #expect(output.stdout.contains("(http://127.0.0.1:\(bound)/a/…)"), "\(output.stdout)")
        // The handled samples: a revisit with its score, and DEMO-2 marked as the repeat of DEMO-0 (same flat, same pipe).
        #expect(output.stdout.contains("opened DEMO-0") && output.stdout.contains("opened DEMO-6"), "\(output.stdout)")
        let database = try DatabaseQueue(path: state.appendingPathComponent("slad.sqlite").path)
        #expect(try database.read { try String.fetchOne($0, sql: "SELECT repeat_of FROM ticket WHERE id = 'DEMO-2'") } == "DEMO-0")
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM ticket WHERE repeat_of IS NOT NULL") } == 1)
        #expect(try database.read { try Int.fetchAll($0, sql: "SELECT score FROM ticket_event WHERE kind = 'revisited' ORDER BY ticket_id") } == [4, 5])
        // Handled in time: nothing fired for them.
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM firing WHERE ticket_id IN ('DEMO-0', 'DEMO-6')") } == 0)
    }

    /// Every port number that follows `prefix` in `text`.
    static func ports(after prefix: String, in text: String) -> [Int] {
        text.components(separatedBy: prefix).dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
    }

    @Test func ticketCommandsTalkToTheDaemon() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let server = ["--server", "http://127.0.0.1:\(daemon.port)", "--token-env", "SLAD_TEST_TOKEN"]
        func slad(_ arguments: [String]) throws -> Slad.Output {
            try Slad.run(arguments, environment: ["SLAD_TEST_TOKEN": daemon.token])
        }
        let opened = try slad(["ticket", "open", "--id", "CLI-1", "--kind", "repair", "--building", "5栋", "--text", "水管漏水"] + server)
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(opened.stdout.contains("CLI-1  repair · 5栋  [open, slow]"), "\(opened.stdout)")
        let acked = try slad(["ticket", "ack", "CLI-1", "--note", "已联系", "--by", "duty"] + server)
        #expect(acked.stdout.contains("acknowledged by duty — 已联系"), "\(acked.stdout)")
        #expect(try slad(["ticket", "close", "CLI-1"] + server).status == 0)
        let refused = try slad(["ticket", "resolve", "CLI-1"] + server)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("HTTP 409: kind: a closed ticket cannot be resolved"), "\(refused.stderr)")
        let list = try slad(["ticket", "list", "--state", "closed"] + server)
        #expect(list.stdout.contains("CLI-1") && list.stdout.contains("1 ticket"))
        // A ticket entered late with --created and no id is named after when it came in.
        let late = try slad(["ticket", "open", "--kind", "repair", "--created", "2025-09-22 18:40"] + server)
        #expect(late.status == 0, "\(late.stderr)")
        #expect(late.stdout.hasPrefix("T-20250922-184000-"), "\(late.stdout)")
        let unreachable = try slad(["ticket", "list", "--server", "http://127.0.0.1:1"])
        #expect(unreachable.status == 2)
        #expect(unreachable.stderr.contains("is 'slad serve' running?"))
    }

    @Test func importLoadsJSONLinesOnceAndReportsBadLines() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("slad-import-\(UUID().uuidString).jsonl")
        try """
        {"id": "I1", "kind": "repair", "created": "2025-09-22 10:00"}
        {"id": "I2", "kind": "repair", "created": "2025-09-22 10:05", "events": [{"kind": "acknowledged", "at": "2025-09-22 10:10"}]}
        {"id": "I3", "kind": "repair", "created": "yesterday"}
        """.write(to: file, atomically: true, encoding: .utf8)
        let arguments = ["import", file.path, "--server", "http://127.0.0.1:\(daemon.port)", "--token-env", "SLAD_TEST_TOKEN"]
        let first = try Slad.run(arguments, environment: ["SLAD_TEST_TOKEN": daemon.token])
        #expect(first.status == 1)
        #expect(first.stdout.contains("imported 2 tickets"))
        #expect(first.stderr.contains(":3: error: HTTP 422: created: 'yesterday' is not a time"), "\(first.stderr)")
        let second = try Slad.run(arguments, environment: ["SLAD_TEST_TOKEN": daemon.token])
        #expect(second.stdout.contains("imported 0 tickets, 2 already present (kept as they are), 1 failed"), "\(second.stdout)")
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket") == 2)
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket_event") == 3)
    }
}
