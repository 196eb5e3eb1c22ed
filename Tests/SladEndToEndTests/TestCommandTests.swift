import Foundation
import Testing

/// `slad test` as an operator runs it: the shipped rule tests, and test files written to break.
@Suite struct TestCommandTests {
    /// A temporary folder holding a copy of the shipped rules, with `tests/` inside it for test files.
    static func workspace() throws -> URL {
        let folder = try Slad.copyOfRules()
        try? FileManager.default.removeItem(at: folder.appendingPathComponent("tests"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("tests"), withIntermediateDirectories: true)
        return folder
    }

    static let passing = """
    # Uses the folder above this file's (the copy of rules/) by default.
    test "A级投诉：超时后才响应"
      ticket T1 kind=complaint grade=A assignee=zhang-wei at 2025-09-22 10:00
      event T1 acknowledged at 2025-09-22 12:30 by li-na
      event T1 assessed at 2025-09-22 16:00
      run until 2025-09-22 18:00
      expect 2025-09-22 11:30 T1 "respond - 30m" notify zhang-wei via sms, console
      expect 2025-09-22 12:00 T1 respond notify li-na via sms, ops, console
      expect 2025-09-22 12:30 T1 clock respond breached

    test "电梯困人：维保超时到场"
      incident E1 elevator-trapped level II at 2026-03-03 14:00
      confirm E1 comfort at 2026-03-03 14:03
      confirm E1 dispatch at 2026-03-03 14:04
      confirm E1 supervise at 2026-03-03 14:30
      confirm E1 arrive at 2026-03-03 14:40
      confirm E1 release at 2026-03-03 14:50
      run until 2026-03-03 16:00
      expect 2026-03-03 14:00 E1 assigned comfort notify liu-yang via sms, ops
      expect 2026-03-03 14:00 E1 assigned dispatch notify wang-qiang via sms, ops
      expect 2026-03-03 14:00 E1 assigned arrive notify wang-qiang via sms, ops
      expect 2026-03-03 14:00 E1 assigned release notify wang-qiang via sms, ops
      expect 2026-03-03 14:00 E1 assigned supervise notify chen-gang via sms
      expect 2026-03-03 14:30 E1 overdue arrive notify zhou-min via sms, ops
    """

    @Test func theShippedRuleTestsPass() throws {
        let output = try Slad.run(["test", "rules/tests"])
        #expect(output.status == 0, "\(output.stdout)")
        #expect(!output.stdout.contains("FAIL"), "\(output.stdout)")
        let last = output.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let files = try FileManager.default.contentsOfDirectory(atPath: Slad.root.appendingPathComponent("rules/tests").path)
            .filter { $0.hasSuffix(".slatest") }
        #expect(files.contains("kpis.slatest"))
        #expect(last.hasPrefix("ok: ") && last.hasSuffix(" tests in \(files.count) files"), "\(last)")
    }

    @Test func theDefaultPathIsRulesTests() throws {
        let output = try Slad.run(["test"])
        #expect(output.status == 0, "\(output.stdout)")
        #expect(output.stdout.contains("ok   rules/tests/complaints.slatest ("), "\(output.stdout)")
    }

    @Test func aPassingFileUsesTheFolderAboveIt() throws {
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.passing.write(to: folder.appendingPathComponent("tests/pass.slatest"), atomically: true, encoding: .utf8)
        let output = try Slad.run(["test", "tests"], in: folder)
        #expect(output.status == 0, "\(output.stdout)")
        #expect(output.stdout == "ok   tests/pass.slatest (2 tests)\nok: 2 tests in 1 file\n")
        // --filter runs only the tests whose name contains the text; -v prints what fired.
        let filtered = try Slad.run(["test", "--filter", "电梯", "-v", "tests"], in: folder)
        #expect(filtered.status == 0)
        #expect(filtered.stdout.contains("ok   tests/pass.slatest:11: test \"电梯困人：维保超时到场\"\n    expect 2026-03-03 14:00 E1 assigned comfort notify liu-yang via sms, ops\n"),
                "\(filtered.stdout)")
        #expect(filtered.stdout.hasSuffix("ok: 1 test in 1 file\n"), "\(filtered.stdout)")
    }

    @Test func aFailingTestShowsExpectedAgainstGotAndExitsOne() throws {
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let failing = Self.passing
            .replacingOccurrences(of: "12:00 T1 respond notify li-na via sms, ops, console", with: "12:00 T1 respond notify li-na via sms, console")
            .replacingOccurrences(of: "  expect 2026-03-03 14:30 E1 overdue arrive notify zhou-min via sms, ops", with: "  # (the overdue arrive notice is left out)")
            .replacingOccurrences(of: "clock respond breached", with: "clock respond met")
            .replacingOccurrences(of: "14:00 E1 assigned supervise", with: "14:05 E1 assigned supervise")
            + "\n  expect 2026-03-03 15:00 E1 overdue release notify zhou-min via sms, ops\n"
        try failing.write(to: folder.appendingPathComponent("tests/fail.slatest"), atomically: true, encoding: .utf8)
        let output = try Slad.run(["test", "tests/fail.slatest"], in: folder)
        #expect(output.status == 1)
        #expect(output.stdout == """
        FAIL tests/fail.slatest:2: test "A级投诉：超时后才响应"
          tests/fail.slatest:8: fired with other recipients
            - expect 2025-09-22 12:00 T1 respond notify li-na via sms, console
            + expect 2025-09-22 12:00 T1 respond notify li-na via sms, ops, console
          tests/fail.slatest:9: state differs
            - expect 2025-09-22 12:30 T1 clock respond met
            + expect 2025-09-22 12:30 T1 clock respond breached
          fired, in full:
            expect 2025-09-22 11:30 T1 "respond - 30m" notify zhang-wei via sms, console
            expect 2025-09-22 12:00 T1 respond notify li-na via sms, ops, console

        FAIL tests/fail.slatest:11: test "电梯困人：维保超时到场"
          tests/fail.slatest:23: fired at another time
            - expect 2026-03-03 14:05 E1 assigned supervise notify chen-gang via sms
            + expect 2026-03-03 14:00 E1 assigned supervise notify chen-gang via sms
          tests/fail.slatest:25: expected, did not fire
            - expect 2026-03-03 15:00 E1 overdue release notify zhou-min via sms, ops
          fired, not expected
            + expect 2026-03-03 14:30 E1 overdue arrive notify zhou-min via sms, ops
          fired, in full:
            expect 2026-03-03 14:00 E1 assigned comfort notify liu-yang via sms, ops
            expect 2026-03-03 14:00 E1 assigned dispatch notify wang-qiang via sms, ops
            expect 2026-03-03 14:00 E1 assigned arrive notify wang-qiang via sms, ops
            expect 2026-03-03 14:00 E1 assigned release notify wang-qiang via sms, ops
            expect 2026-03-03 14:00 E1 assigned supervise notify chen-gang via sms
            expect 2026-03-03 14:30 E1 overdue arrive notify zhou-min via sms, ops

        FAIL tests/fail.slatest (2 of 2 tests failed)

        FAIL: 2 of 2 tests failed in 1 file

        """)
    }

    @Test func aBrokenFileIsReportedWithFileLineAndColumnAndExitsOne() throws {
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.passing.write(to: folder.appendingPathComponent("tests/a-pass.slatest"), atomically: true, encoding: .utf8)
        try """
        test "坏的"
          ticket T1 kind=complaint grade=A at 2025-09-22 10:00
          evnt T1 acknowledged at 2025-09-22 11:00
          run until 2025-09-22 18:00
          expect 2025-09-22 12:00 T1 respond notify li-na via smss
        """.write(to: folder.appendingPathComponent("tests/b-broken.slatest"), atomically: true, encoding: .utf8)
        let output = try Slad.run(["test", "tests"], in: folder)
        #expect(output.status == 1)
        #expect(output.stdout == """
        ok   tests/a-pass.slatest (2 tests)
        tests/b-broken.slatest:3:3: error: unknown statement 'evnt'
            3 |   evnt T1 acknowledged at 2025-09-22 11:00
              |   ^~~~
              = hint: did you mean 'event'?

        FAIL tests/b-broken.slatest (not run: the file has errors)

        FAIL: 1 file with errors in 2 files

        """)
        // Once the syntax is right, names are checked against the rules.
        let text = try String(contentsOf: folder.appendingPathComponent("tests/b-broken.slatest"), encoding: .utf8)
        try text.replacingOccurrences(of: "evnt", with: "event").write(to: folder.appendingPathComponent("tests/b-broken.slatest"), atomically: true, encoding: .utf8)
        let second = try Slad.run(["test", "tests/b-broken.slatest"], in: folder)
        #expect(second.status == 1)
        #expect(second.stdout.hasPrefix("""
        tests/b-broken.slatest:5:55: error: unknown channel 'smss'
            5 |   expect 2025-09-22 12:00 T1 respond notify li-na via smss
              |                                                       ^~~~
              = hint: did you mean 'sms'?
        """), "\(second.stdout)")
    }

    @Test func brokenRulesStopTheTestsThatUseThem() throws {
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.passing.write(to: folder.appendingPathComponent("tests/pass.slatest"), atomically: true, encoding: .utf8)
        let complaints = folder.appendingPathComponent("complaints.sla")
        try (try String(contentsOf: complaints, encoding: .utf8)).replacingOccurrences(of: "via sms, ops, console using overdue repeat", with: "via smss, ops, console using overdue repeat")
            .write(to: complaints, atomically: true, encoding: .utf8)
        let output = try Slad.run(["test", "tests"], in: folder)
        #expect(output.status == 1)
        #expect(output.stdout.contains("complaints.sla:"), "\(output.stdout)")
        #expect(output.stdout.contains("error: unknown channel 'smss' [E102]"))
        #expect(output.stdout.contains("the rules in '.' have errors; fix them first ('slad check .')"), "\(output.stdout)")
        #expect(output.stdout.hasSuffix("FAIL tests/pass.slatest (not run: the rules in '.' have errors)\n\nFAIL: 1 file with errors in 1 file\n"),
                "\(output.stdout)")
    }

    @Test func theRulesStatementAndOptionChooseTheRules() throws {
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let elsewhere = folder.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try ("rules ../nowhere\n" + Self.passing).write(to: elsewhere.appendingPathComponent("t.slatest"), atomically: true, encoding: .utf8)
        let missing = try Slad.run(["test", "elsewhere"], in: folder)
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("elsewhere/t.slatest:1:7: error: the rules for this file cannot be read"), "\(missing.stdout)")
        #expect(missing.stdout.contains("cannot read 'nowhere': no such file or directory"), "\(missing.stdout)")
        #expect(missing.stdout.contains("FAIL elsewhere/t.slatest (not run: its rules cannot be read)"), "\(missing.stdout)")
        let overridden = try Slad.run(["test", "--rules", ".", "elsewhere"], in: folder)
        #expect(overridden.status == 0, "\(overridden.stdout)")
        try ("rules ..\n" + Self.passing).write(to: elsewhere.appendingPathComponent("t.slatest"), atomically: true, encoding: .utf8)
        #expect(try Slad.run(["test", "elsewhere/t.slatest"], in: folder).status == 0)
    }

    @Test func anUnreadablePathExitsTwo() throws {
        let output = try Slad.run(["test", "/nonexistent/slad-tests"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("cannot read '/nonexistent/slad-tests': no such file or directory"))
    }

    @Test func aFolderWithoutTestsFails() throws {
        let output = try Slad.run(["test", "docs"])
        #expect(output.status == 1)
        #expect(output.stdout.contains("no test files (*.slatest) in docs"))
    }

    @Test func helpDescribesTheFormatAndExitStatus() throws {
        let output = try Slad.run(["test", "--help"])
        #expect(output.status == 0)
        for text in ["run until", "expect", "--rules", "--filter", "--verbose", "Exit status", "docs/testing-rules.md"] {
            #expect(output.stdout.contains(text), "\(text)")
        }
        #expect(try Slad.run(["--help"]).stdout.contains("test"))
    }

    /// docs/testing-rules.md shows `slad test` on the shipped tests: its counts are what the command prints,
    /// and its failure example counts the tests of the file it quotes.
    @Test func theGuideShowsTheRealCounts() throws {
        let output = try Slad.run(["test", "rules/tests"])
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        let guide = try String(contentsOf: Slad.root.appendingPathComponent("docs/testing-rules.md"), encoding: .utf8)
        let printed = output.stdout.split(separator: "\n").filter { $0.hasPrefix("ok") }
        #expect(!printed.isEmpty)
        for line in printed {
            #expect(guide.contains(line + "\n"), "docs/testing-rules.md does not show '\(line)'")
        }
        let complaints = try #require(printed.first { $0.contains("complaints.slatest") })
        let count = complaints.split(separator: "(").last?.split(separator: " ").first ?? ""
        #expect(guide.contains("FAIL rules/tests/complaints.slatest (1 of \(count) tests failed)"))
    }
}
