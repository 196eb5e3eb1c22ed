import Foundation
import Testing

/// `slad simulate` run as an operator would: the shipped rules, the sample month, the city 311 exports.
@Suite struct SimulateCommandTests {
    /// The city 311 exports, beside the clone (`../shared/data/311/`).
    static let data311 = Slad.root.deletingLastPathComponent().appendingPathComponent("shared/data/311")

    /// Splits one CSV line (RFC 4180 quoting, no line breaks inside fields).
    static func fields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            if character == "\"" {
                if quoted, let next = iterator.next() {
                    if next == "\"" { current.append("\"") } else {
                        quoted = false
                        if next == "," { fields.append(current); current = "" } else { current.append(next) }
                    }
                } else {
                    quoted.toggle()
                }
            } else if character == ",", !quoted {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-simulate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    // MARK: The sample month

    /// Each escalation of the hand-written tickets M-001 … M-007 (docs/simulate.md walks through them),
    /// worked out from the shipped rules' limits, not copied from the output.
    @Test func sampleMonthFiresWhatTheLimitsSay() throws {
        let output = try Slad.run(["simulate", "--rules", "rules", "--tickets", "docs/examples/month.jsonl", "--format", "csv"])
        #expect(output.status == 0, "\(output.stderr)")
        let rows = output.stdout.split(separator: "\n").map(Self.fields)
        #expect(rows.first == ["time", "ticket", "policy", "step", "clock", "repeat", "due", "late", "lateness_seconds",
                               "targets", "recipients", "channels", "fallback", "unreached"])
        let handWritten = rows.dropFirst().filter { $0[1] < "M-008" }.map { row in
            "\(row[0]) \(row[1]) \(row[3]) #\(row[5]) late=\(row[7]) to=\(row[10]) via=\(row[11])"
                + (row[12].isEmpty ? "" : " fallback=\(row[12])")
        }
        #expect(handWritten == [
            // M-001: every clock stopped in time — nothing fires.
            // M-002: grade A, 2 h to respond from 09:00 → 11:00; acknowledged 12:30. Warned 30 min before,
            // the supervisor of the assignee's team (customer-service: li-na) at 11:00, the manager (zhou-min)
            // an hour later; the next repeat (13:00) never comes.
            "2026-03-02T10:30:00+08:00 M-002 respond - 30m #0 late=no to=zhang-wei via=sms; console",
            "2026-03-02T11:00:00+08:00 M-002 respond #0 late=no to=li-na via=sms; ops; console",
            "2026-03-02T12:00:00+08:00 M-002 respond + 1h #0 late=no to=zhou-min via=sms; ops; console",
            // M-003: urgent repair, 30 min from 22:00 → 22:30. The on-call roster rotates daily at 08:30 from
            // 2026-01-05 (wang-qiang, zhao-lei, chen-gang): 3 March is day 57, 57 mod 3 = 0 → wang-qiang.
            // The supervisor (engineering: chen-gang) at 22:30 and every 15 min until acknowledged at 22:50.
            "2026-03-03T22:20:00+08:00 M-003 respond - 10m #0 late=no to=wang-qiang via=sms; console",
            "2026-03-03T22:30:00+08:00 M-003 respond #0 late=no to=chen-gang via=sms; ops; console",
            "2026-03-03T22:45:00+08:00 M-003 respond #1 late=no to=chen-gang via=sms; ops; console",
            // Resolved 4 March 10:00 and closed, but never visited: closing does not stop the return-visit
            // clock (7 days from the resolution), so customer service's team is told on 11 March 10:00.
            "2026-03-11T10:00:00+08:00 M-003 revisit #0 late=no to=zhang-wei; liu-yang via=console",
            // M-004: regular repair closed after 6 h (limit 2 h from 09:00). 75 % of 2 h is 10:30. It came
            // without an assignee: the routes give '楼道灯不亮' (水电) to plumbing-oncall, rotating daily at
            // 08:30 from 2026-01-05 (wang-qiang, zhao-lei): 4 March is day 58, even → wang-qiang.
            "2026-03-04T10:30:00+08:00 M-004 75% of close #0 late=no to=wang-qiang via=sms; console",
            "2026-03-04T11:00:00+08:00 M-004 close #0 late=no to=chen-gang via=ops; console",
            // Resolved 14:00, closed, never visited: the return visit is overdue 7 days later.
            "2026-03-11T14:00:00+08:00 M-004 revisit #0 late=no to=zhang-wei; liu-yang via=console",
            // M-005: an enquiry at 17:30 on a Friday is due by the end of that working day, 18:00; the
            // warning an hour before (17:00) is already past and goes out at once, late.
            "2026-03-06T17:30:00+08:00 M-005 answer - 1h #0 late=yes to=liu-yang via=console",
            "2026-03-06T18:00:00+08:00 M-005 answer #0 late=no to=li-na via=ops; console",
            // M-006: grade B, 8 h from 09:00, but waiting for the resident 10:00–20:00: 1 h used before the
            // pause, 7 h after it → 03:00; the warning an hour before fires at 02:00; acknowledged 02:30.
            "2026-03-10T02:00:00+08:00 M-006 respond - 1h #0 late=no to=liu-yang via=sms; console",
            // M-007: graded C, regraded A at 13:00 — the A ladder (10:30, 11:00, 12:00 and the 13:00 repeat)
            // is all due and fires at once; the two repeats are folded into one.
            "2026-03-11T13:00:00+08:00 M-007 respond - 30m #0 late=yes to=zhang-wei via=sms; console",
            "2026-03-11T13:00:00+08:00 M-007 respond #0 late=yes to=li-na via=sms; ops; console",
            "2026-03-11T13:00:00+08:00 M-007 respond + 1h #1 late=yes to=zhou-min via=sms; ops; console",
        ])
        #expect(output.stderr.contains("Replayed 120 of 120 tickets"), "\(output.stderr)")
    }

    @Test func valuesTheRulesRefuseAreWarnedAboutAndReplayed() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("slad-values-\(UUID().uuidString).jsonl")
        try """
        {"id": "V1", "kind": "complaint", "grade": "D", "created": "2026-03-02 09:00"}
        {"id": "V2", "kind": "repair", "priority": "rush", "assignee": "刘洋", "created": "2026-03-02 09:00"}
        """.write(to: file, atomically: true, encoding: .utf8)
        let output = try Slad.run(["simulate", "--tickets", file.path, "--summary-only"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("\(file.path):1: warning: 'D' is not a grade the rules declare (1 ticket, line 1); expected one of A, B, C"),
                "\(output.stderr)")
        #expect(output.stderr.contains("\(file.path):2: warning: '刘洋' is not a person in the rules (1 ticket, line 2); did you mean liu-yang (刘洋)?"),
                "\(output.stderr)")
        #expect(output.stdout.contains("Replayed 2 of 2 tickets"), "\(output.stdout)")
        #expect(!(try Slad.run(["simulate", "--tickets", "docs/examples/month.jsonl", "--summary-only"]).stderr.contains("warning")),
                "the sample month uses only declared values")
    }

    @Test func sampleMonthAsJSONLinesHasEscalationsAndASummary() throws {
        let output = try Slad.run(["simulate", "--tickets", "docs/examples/month.jsonl", "--format", "jsonl"])
        #expect(output.status == 0, "\(output.stderr)")
        let records = try Self.jsonLines(output.stdout)
        let escalations = records.filter { $0["type"] as? String == "escalation" }
        let totals = try #require(records.last)
        #expect(totals["type"] as? String == "totals")
        #expect(totals["rows"] as? Int == 120)
        #expect(totals["replayed"] as? Int == 120)
        #expect(totals["escalations"] as? Int == escalations.count)
        let policies = records.filter { $0["type"] as? String == "policy" }
        #expect(policies.reduce(0) { $0 + ($1["tickets"] as? Int ?? 0) } + (totals["unmatched"] as? Int ?? 0) == 120)
        #expect(policies.reduce(0) { $0 + ($1["escalations"] as? Int ?? 0) } == escalations.count)
        // M-002's response clock was breached, M-001's met: both are in complaint-a's count.
        let complaintA = try #require(policies.first { $0["policy"] as? String == "complaint-a" })
        let respond = try #require((complaintA["clocks"] as? [[String: Any]])?.first { $0["clock"] as? String == "respond" })
        #expect((respond["met"] as? Int ?? 0) >= 1)
        #expect((respond["breached"] as? Int ?? 0) >= 2)
        let first = try #require(escalations.first)
        #expect(first["deliveries"] is [[String: Any]])
    }

    @Test func tableShowsTheLadderAndTheSummary() throws {
        let output = try Slad.run(["simulate", "--rules", "rules", "--tickets", "docs/examples/month.jsonl"])
        #expect(output.status == 0, "\(output.stderr)")
        let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("TIME") == true)
        #expect(lines.contains { $0.hasPrefix("2026-03-02 11:00  M-002") && $0.contains("li-na") })
        #expect(lines.contains { $0.hasPrefix("2026-03-06 17:30  M-005") && $0.contains("late 30m") })
        #expect(output.stdout.contains("Replayed 120 of 120 tickets from docs/examples/month.jsonl"))
        #expect(lines.contains { $0.hasPrefix("POLICY") && $0.contains("KEPT") })
    }

    @Test func untilCutsTheReplayShort() throws {
        let output = try Slad.run(["simulate", "--tickets", "docs/examples/month.jsonl", "--format", "csv",
                                   "--until", "2026-03-02 11:59"])
        #expect(output.status == 0, "\(output.stderr)")
        let times = output.stdout.split(separator: "\n").dropFirst().map { Self.fields($0)[0] }
        #expect(!times.isEmpty)
        #expect(times.allSatisfy { $0 <= "2026-03-02T11:59:00+08:00" })
        #expect(output.stderr.contains("Not replayed"))
    }

    // MARK: The city 311 exports

    @Test(arguments: [("la311-2020-01.csv", "la311-2020.map"), ("la311-2017-12.csv", "la311-2017.map"),
                      ("nyc311-sample.csv", "nyc311.map")])
    func cityExportsReplayWithTheirMapping(file: String, mapping: String) throws {
        let path = Self.data311.appendingPathComponent(file).path
        let output = try Slad.run(["simulate", "--rules", "rules", "--tickets", path, "--mapping", "rules/mappings/\(mapping)",
                                   "--format", "jsonl", "--summary-only"])
        #expect(output.status == 0, "\(output.stderr)")
        let records = try Self.jsonLines(output.stdout)
        let totals = try #require(records.last)
        // Every data row is accounted for: replayed, rejected or skipped.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let dataRows = text.split(whereSeparator: \.isNewline).count - 1
        let rows = try #require(totals["rows"] as? Int)
        #expect(rows == dataRows)
        let replayed = try #require(totals["replayed"] as? Int)
        #expect(replayed + (totals["rejected"] as? Int ?? -1) + (totals["skipped"] as? Int ?? -1) == rows)
        #expect(replayed > rows / 2)
        #expect((totals["escalations"] as? Int ?? 0) > 0)
        #expect(records.contains { $0["type"] as? String == "policy" && $0["policy"] as? String == "repair-regular" })
    }

    /// The rows of the 2017 export that close before they open, counted independently of slad.
    @Test func closedBeforeCreatedRowsAreCountedWithLineNumbers() throws {
        let path = Self.data311.appendingPathComponent("la311-2017-12.csv").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "America/Los_Angeles")
        formatter.dateFormat = "MM/dd/yyyy hh:mm:ss a"
        var expectedLines: [Int] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().dropFirst() where !line.isEmpty {
            let fields = Self.fields(line)   // CreatedDate and ClosedDate come before any quoted field
            if let created = formatter.date(from: fields[1]), let closed = formatter.date(from: fields[12]), closed < created {
                expectedLines.append(index + 1)
            }
        }
        #expect(!expectedLines.isEmpty)
        let output = try Slad.run(["simulate", "--tickets", path, "--mapping", "rules/mappings/la311-2017.map", "--summary-only"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("Rejected rows: \(expectedLines.count) of 9999"), "\(output.stdout)")
        let examples = expectedLines.prefix(5).map(String.init).joined(separator: ", ")
        #expect(output.stdout.contains("ClosedDate before CreatedDate  ") && output.stdout.contains("(lines \(examples)"), "\(output.stdout)")
    }

    // MARK: Bad rows and bad input

    static let mapping = """
    id = No
    created = Opened
    closed = Closed
    category = Type
    time format = M/D/YY H:MM
    time zone = Asia/Shanghai
    map "Leak" = repair priority=urgent
    default = enquiry
    """

    @Test func badRowsAreCountedPerReasonAndTheRestReplayed() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.mapping.write(to: folder.appendingPathComponent("export.map"), atomically: true, encoding: .utf8)
        try """
        No,Opened,Closed,Type
        1,3/2/26 9:00,3/2/26 9:20,Leak
        2,3/2/26 9:00,3/1/26 9:20,Leak
        3,,3/2/26 9:20,Leak
        4,3/2/26 25:00,,Leak
        5,3/2/26 9:00,3/2/26 9:10,Question
        6,3/2/26 9:00,not yet,Leak
        """.write(to: folder.appendingPathComponent("export.csv"), atomically: true, encoding: .utf8)
        let output = try Slad.run(["simulate", "--tickets", folder.appendingPathComponent("export.csv").path,
                                   "--mapping", folder.appendingPathComponent("export.map").path, "--summary-only"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("Replayed 2 of 6 tickets"), "\(output.stdout)")
        #expect(output.stdout.contains("Rejected rows: 4 of 6"))
        for (reason, line) in [("Closed before Opened", 3), ("no creation time (Opened empty)", 4),
                               ("unreadable time in Opened", 5), ("unreadable time in Closed", 7)] {
            #expect(output.stdout.split(separator: "\n").contains {
                $0.contains(reason) && $0.hasSuffix("(line \(line))")
            }, "\(reason) on line \(line): \(output.stdout)")
        }
    }

    func runOn(csv: String, mapping: String = SimulateCommandTests.mapping) throws -> (Slad.Output, URL) {
        let folder = try Self.temporaryFolder()
        try mapping.write(to: folder.appendingPathComponent("export.map"), atomically: true, encoding: .utf8)
        try csv.write(to: folder.appendingPathComponent("export.csv"), atomically: true, encoding: .utf8)
        let output = try Slad.run(["simulate", "--tickets", folder.appendingPathComponent("export.csv").path,
                                   "--mapping", folder.appendingPathComponent("export.map").path])
        return (output, folder)
    }

    @Test func malformedCSVNamesFileLineAndColumn() throws {
        let (output, folder) = try runOn(csv: "No,Opened,Closed,Type\n1,3/2/26 9:00,,Leak\n2,\"3/2/26 9:00,,Leak\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(output.status == 1)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("\(folder.path)/export.csv:3:3: error: a quoted field is never closed"), "\(output.stderr)")
    }

    @Test func mappingErrorsNameTheMappingFileLineAndColumn() throws {
        let (output, folder) = try runOn(csv: "No,Opened,Closed,Type\n", mapping: Self.mapping.replacingOccurrences(of: "closed = Closed", with: "closd = Closed"))
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(output.status == 1)
        #expect(output.stderr.contains("\(folder.path)/export.map:3:1: error: unknown key 'closd'; did you mean 'closed'?"), "\(output.stderr)")
        let (missing, folder2) = try runOn(csv: "No,Opened,Shut,Type\n1,3/2/26 9:00,,Leak\n")
        defer { try? FileManager.default.removeItem(at: folder2) }
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("\(folder2.path)/export.map:3:10: error: column 'Closed' is not in the CSV header"), "\(missing.stderr)")
    }

    @Test func malformedJSONLinesNameFileLineAndField() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = #"{"id":"A","kind":"complaint","grade":"A","created":"2026-03-02 09:00"}"#
        for (line, expected) in [(#"{"id":"B","kind":"complaint","created":"2026-03-02 09:00""#, ":2: error: not valid JSON"),
                                 (#"{"id":"B","kind":"complaint","created":"2026-03-02 09:00","events":[{"kind":"acked","at":"2026-03-02 10:00"}]}"#,
                                  ":2: error: events[0].kind: 'acked' is not an event"),
                                 (#"{"id":"B","kind":"complaint","creatd":"2026-03-02 09:00"}"#, ":2: error: creatd: unknown field (did you mean 'created'?)")] {
            let file = folder.appendingPathComponent("tickets.jsonl")
            try "\(good)\n\(line)\n".write(to: file, atomically: true, encoding: .utf8)
            let output = try Slad.run(["simulate", "--tickets", file.path])
            #expect(output.status == 1)
            #expect(output.stderr.contains(file.path + expected), "\(output.stderr)")
        }
    }

    @Test func unreadableFilesExitTwoAndMisuseExitsOne() throws {
        let missing = try Slad.run(["simulate", "--tickets", "/nonexistent/tickets.jsonl"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read '/nonexistent/tickets.jsonl'"))
        let noMapping = try Slad.run(["simulate", "--tickets", Self.data311.appendingPathComponent("nyc311-sample.csv").path])
        #expect(noMapping.status == 1)
        #expect(noMapping.stderr.contains("--mapping"))
        let noRules = try Slad.run(["simulate", "--rules", "/nonexistent/rules", "--tickets", "docs/examples/month.jsonl"])
        #expect(noRules.status == 2)
        let badUntil = try Slad.run(["simulate", "--tickets", "docs/examples/month.jsonl", "--until", "soon"])
        #expect(badUntil.status == 1)
        #expect(badUntil.stderr.contains("--until"))
    }

    @Test func brokenRulesExitOne() throws {
        let folder = try Slad.copyOfRules()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "policy broken { clock respond within 2x until acknowledged }\n".write(to: folder.appendingPathComponent("zz.sla"), atomically: true, encoding: .utf8)
        let output = try Slad.run(["simulate", "--rules", folder.path, "--tickets", "docs/examples/month.jsonl"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("zz.sla:1:"))
        #expect(output.stdout.isEmpty)
    }

    @Test func helpDescribesInputsOutputsAndExitStatus() throws {
        let output = try Slad.run(["simulate", "--help"])
        #expect(output.status == 0)
        for word in ["--rules", "--tickets", "--mapping", "--format", "--until", "--horizon", "--zone", "--summary-only",
                     "JSON Lines", "docs/simulate.md", "Exit status"] {
            #expect(output.stdout.contains(word), "\(word)")
        }
    }
}
