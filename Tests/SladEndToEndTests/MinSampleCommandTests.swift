import Foundation
import Testing

/// `min sample` through the real binary: `slad check` names the file, line and column of a bad minimum,
/// and `slad report` shows a KPI whose sample is short of its minimum with its value and 样本不足.
@Suite struct MinSampleCommandTests {
    @Test func checkNamesTheLineOfABadMinimum() throws {
        let folder = try Slad.copyOfRules()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("kpi.sla")
        let text = try String(contentsOf: file, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // satisfaction's minimum made 0; open-tickets given one it cannot have.
        let satisfaction = try #require(lines.firstIndex { $0.hasPrefix("kpi satisfaction ") })
        let minimum = try #require(lines[satisfaction...].firstIndex { $0.hasPrefix("  min sample ") })
        lines[minimum] = "  min sample 0"
        let open = try #require(lines.firstIndex { $0.hasPrefix("kpi open-tickets ") })
        lines.insert("  min sample 5", at: open + 2)
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)

        let output = try Slad.run(["check", "--today", "2026-06-01", folder.path])
        let all = output.stdout + output.stderr
        #expect(output.status != 0)
        #expect(all.contains("kpi.sla:\(minimum + 1):14: error: a kpi's minimum sample must be between 1 and 1000000, not 0 [E115]"), "\(all)")
        #expect(all.contains("hint: write 'min sample 1' or more"))
        #expect(all.contains("kpi.sla:\(open + 3):3: error: 'min sample' does not apply to 'open': "), "\(all)")
        #expect(all.contains("[E133]") && all.contains("2 errors"), "\(all)")
    }

    @Test func reportShowsAShortSampleWithItsValue() throws {
        let folder = try Slad.copyOfRules()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The LA month has 10,000 requests: a minimum of 20,000 is not reached, one of 10,000 is.
        try """
        kpi e2e-short "解决率（样本不足）" {
          measure resolution-rate
          target at-least 95%
          min sample 20000
        }
        kpi e2e-enough "解决率（样本足够）" {
          measure resolution-rate
          target at-least 95%
          min sample 10000
        }
        """.write(to: folder.appendingPathComponent("e2e-kpi.sla"), atomically: true, encoding: .utf8)
        let output = try Slad.run(["report", "--rules", folder.path, "--tickets", ReportCommandTests.la2020,
                                   "--mapping", "rules/mappings/la311-2020.map", "--period", "2020-01"])
        #expect(output.status == 0, "\(output.stderr)")
        let lines = output.stdout.split(separator: "\n")
        let short = try #require(lines.first { $0.hasPrefix("e2e-short ") })
        #expect(short.contains("96.8%") && short.hasSuffix("small sample 样本不足 (10000/20000)"), "\(short)")
        let enough = try #require(lines.first { $0.hasPrefix("e2e-enough ") })
        #expect(enough.contains("96.8%") && enough.hasSuffix("ok 达标"), "\(enough)")
    }
}
