import Foundation
import Testing

/// What a new user of `slad report` tripped over (issue 14's trial), run on the real binary: `--output`,
/// "no data" with its reason on the Los Angeles month, "1 ticket", and readable `--help` at 80 columns.
@Suite struct ReportPresentationTests {
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-present-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func outputWritesTheReportToAFileAndReplacesAnOldOne() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("march.md")
        try "an older report\n".write(to: file, atomically: true, encoding: .utf8)
        let arguments = ["report", "--tickets", "docs/examples/month.jsonl", "--period", "2026-03", "--format", "markdown"]
        let written = try Slad.run(arguments + ["--output", file.path])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.isEmpty)
        let printed = try Slad.run(arguments)
        #expect(try String(contentsOf: file, encoding: .utf8) == printed.stdout)
        // Nothing is left beside it: the temporary file was renamed over the report.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["march.md"])
    }

    @Test func anUnwritableOutputIsRefusedBeforeAnyWorkAndChangesNothing() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("no-such-folder/report.html").path
        let refused = try Slad.run(["report", "--tickets", "docs/examples/month.jsonl", "--period", "2026-03", "--output", missing])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--output: cannot write '\(missing)': the folder '\(folder.path)/no-such-folder' does not exist"),
                "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("no-such-folder").path))
        let intoFolder = try Slad.run(["report", "--tickets", "docs/examples/month.jsonl", "--period", "2026-03", "--output", folder.path])
        #expect(intoFolder.status == 2)
        #expect(intoFolder.stderr.contains("is a folder; name a file in it"), "\(intoFolder.stderr)")
        // Checked first: a broken history behind it is not even read.
        let first = try Slad.run(["report", "--tickets", "no-such.jsonl", "--period", "2026-03", "--output", missing])
        #expect(first.stderr.contains("--output") && !first.stderr.contains("no-such.jsonl"), "\(first.stderr)")
    }

    /// LA 311 closes its requests without resolving them: a revisit rate has no data, and says why.
    @Test func noDataOnTheLAMonthSaysWhy() throws {
        let rules = try Slad.copyOfRules()
        defer { try? FileManager.default.removeItem(at: rules) }
        try FileManager.default.removeItem(at: rules.appendingPathComponent("kpi.sla"))
        try """
        kpi revisit-rate "回访率" {
          measure revisit-rate
          target at-least 90%
        }
        kpi resolution "解决率" {
          measure resolution-rate
          target at-least 95%
          warn below 97%
        }

        """.write(to: rules.appendingPathComponent("kpi.sla"), atomically: true, encoding: .utf8)
        let output = try Slad.run(["report", "--rules", rules.path, "--tickets", ReportCommandTests.la2020,
                                   "--mapping", "rules/mappings/la311-2020.map", "--period", "2020-01"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("10000 tickets from la311-2020-01.csv"))
        #expect(output.stdout.contains("revisit-rate: 无数据：期间内没有已解决（resolved）的工单；只关闭（closed）未解决的不计"), "\(output.stdout)")
        let resolution = try #require(output.stdout.split(separator: "\n").first { $0.hasPrefix("resolution") })
        #expect(resolution.contains("≥ 95%") && resolution.contains("< 97%"), "\(resolution)")
    }

    @Test func oneTicketIsOneTicket() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("one.jsonl")
        try "{\"id\": \"A1\", \"kind\": \"repair\", \"created\": \"2026-03-02 10:00\"}\n".write(to: history, atomically: true, encoding: .utf8)
        let table = try Slad.run(["report", "--tickets", history.path, "--period", "2026-03"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains(", 1 ticket from one.jsonl"), "\(table.stdout)")
        let markdown = try Slad.run(["report", "--tickets", history.path, "--period", "2026-03", "--format", "markdown"])
        #expect(markdown.stdout.contains("· 1 ticket 工单 ·"), "\(markdown.stdout)")
        // Nearby: the same history replayed by `slad simulate`.
        let replay = try Slad.run(["simulate", "--tickets", history.path, "--summary-only"])
        #expect(replay.stdout.contains("Replayed 1 of 1 ticket from \(history.path): "), "\(replay.stdout)")
        #expect(!replay.stdout.contains(" 1 escalations") && !replay.stdout.contains(" 1 tickets"), "\(replay.stdout)")
    }

    /// `--help` at 80 columns: no line wider than the terminal (Chinese counts two), and no paragraph
    /// broken into a long line and a stub by text wrapped twice.
    @Test(arguments: [["serve"], ["demo"], ["report"]])
    func helpReadsAtEightyColumns(_ command: [String]) throws {
        let help = try Slad.run(command + ["--help"], environment: ["COLUMNS": "80"])
        #expect(help.status == 0)
        let lines = help.stdout.components(separatedBy: "\n")
        let discussion = lines.prefix { !$0.hasPrefix("USAGE:") }
        // ArgumentParser's one-line USAGE is its own, not ours to wrap.
        for line in lines where !line.hasPrefix("USAGE:") {
            #expect(Self.width(line) <= 80, "\(Self.width(line)) columns: \(line)")
        }
        for (line, next) in zip(discussion, discussion.dropFirst()) where !line.isEmpty && !next.isEmpty {
            #expect(Self.width(line) >= 50 || next.hasPrefix(" "), "a stub inside a paragraph: '\(line)' before '\(next)'")
            #expect(!line.hasPrefix("  ") || next.hasPrefix(" "), "an example wrapped by the terminal: '\(line)' before '\(next)'")
        }
        if command == ["serve"] {
            #expect(help.stdout.contains("--kpi-interval seconds") && help.stdout.contains("KPI warnings"))
        }
        if command == ["report"] { #expect(help.stdout.contains("--output")) }
    }

    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ((0x2E80...0xFFEF).contains($1.value) ? 2 : 1) }
    }
}
