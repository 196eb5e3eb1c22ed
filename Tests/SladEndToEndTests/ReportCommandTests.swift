import Foundation
import Testing

/// `slad report --tickets` run as an operator would, and checked against an independent count
/// (scripts/kpi-count.py, which shares no code with slad) on a month of the Los Angeles 311 export.
@Suite struct ReportCommandTests {
    static let la2020 = SimulateCommandTests.data311.appendingPathComponent("la311-2020-01.csv").path

    /// KPIs the independent count knows, over the shipped policies (rules/repairs.sla).
    static let countedKPIs = """
    kpi e2e-resolution "解决率" {
      measure resolution-rate
    }
    kpi e2e-complete "维修24小时完成率" {
      measure on-time complete
      when kind = repair
    }
    kpi e2e-close "常规维修2小时关闭率" {
      measure on-time close
      when kind = repair
    }
    kpi e2e-median "维修用时中位数" {
      measure median time-to complete
      when kind = repair
    }

    """

    /// The shipped rules plus `countedKPIs`, in a temporary folder.
    static func rulesWithCountedKPIs() throws -> URL {
        let folder = try Slad.copyOfRules()
        try countedKPIs.write(to: folder.appendingPathComponent("e2e-kpi.sla"), atomically: true, encoding: .utf8)
        return folder
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func laMonthAgreesWithAnIndependentCount() throws {
        let rules = try Self.rulesWithCountedKPIs()
        defer { try? FileManager.default.removeItem(at: rules) }
        let output = try Slad.run(["report", "--rules", rules.path, "--tickets", Self.la2020, "--mapping", "rules/mappings/la311-2020.map",
                                   "--period", "2020-01", "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let report = try Self.json(output.stdout)
        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        script.arguments = ["python3", "scripts/kpi-count.py", Self.la2020, "rules/mappings/la311-2020.map", "2020-01"]
        script.currentDirectoryURL = Slad.root
        let pipe = Pipe()
        script.standardOutput = pipe
        try script.run()
        let counted = try Self.json(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        script.waitUntilExit()
        #expect(script.terminationStatus == 0)

        #expect(report["tickets"] as? Int == counted["tickets"] as? Int)
        #expect(report["zone"] as? String == "America/Los_Angeles")
        let period = try #require(report["period"] as? [String: Any])
        #expect(period["start"] as? String == "2020-01-01T00:00:00-08:00")
        #expect(period["end"] as? String == "2020-02-01T00:00:00-08:00")
        let kpis = try #require(report["kpis"] as? [[String: Any]])
        func overall(_ name: String) throws -> [String: Any] {
            let kpi = try #require(kpis.first { $0["kpi"] as? String == name }, "no \(name) in the report")
            return try #require(kpi["overall"] as? [String: Any])
        }
        for (name, key) in [("e2e-resolution", "resolution"), ("e2e-complete", "onTimeComplete"), ("e2e-close", "onTimeClose")] {
            let mine = try overall(name)
            let theirs = try #require(counted[key] as? [String: Any])
            #expect(mine["sample"] as? Int == theirs["sample"] as? Int, "\(name) sample")
            #expect(mine["count"] as? Int == theirs["count"] as? Int, "\(name) count")
            let sample = try #require(theirs["sample"] as? Int)
            #expect(sample > 1000, "\(name): a month of LA 311 has thousands")
            let share = Double(theirs["count"] as! Int) / Double(sample)
            #expect(abs((mine["value"] as? Double ?? -1) - share) < 0.000_001, "\(name) value")
        }
        #expect(try overall("e2e-median")["value"] as? Int == counted["medianComplete"] as? Int)
    }

    @Test func everyFormatOfTheLAMonth() throws {
        let rules = try Self.rulesWithCountedKPIs()
        defer { try? FileManager.default.removeItem(at: rules) }
        func run(_ format: String, by: String? = nil) throws -> String {
            let output = try Slad.run(["report", "--rules", rules.path, "--tickets", Self.la2020, "--mapping", "rules/mappings/la311-2020.map",
                                       "--from", "2020-01-06", "--to", "2020-01-19", "--format", format] + (by.map { ["--by", $0] } ?? []))
            #expect(output.status == 0, "\(format): \(output.stderr)")
            return output.stdout
        }
        let table = try run("table")
        #expect(table.hasPrefix("KPI report 指标报告 2020-01-06 – 2020-01-19 (America/Los_Angeles)"))
        #expect(table.contains("e2e-complete"))
        #expect(try run("csv").hasPrefix("kpi,title,group_by,group,value,display,"))
        #expect(try run("markdown").contains("| e2e-close | 常规维修2小时关闭率 |"))
        let html = try run("html", by: "team")
        #expect(html.contains("<svg class=\"kpi-trend\" data-kpi=\"e2e-complete\""))
        #expect(html.contains("data-by=\"team\""))   // the repair policies' team: engineering
        #expect(!html.contains("<script"))
    }

    @Test func rulesWithoutKPIsSayWhatToAdd() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "calendar cn { timezone Asia/Shanghai }\n".write(to: folder.appendingPathComponent("a.sla"), atomically: true, encoding: .utf8)
        let output = try Slad.run(["report", "--rules", folder.path, "--tickets", "docs/examples/month.jsonl", "--period", "2026-03"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("define no kpi"), "\(output.stderr)")
        #expect(output.stderr.contains("kpi repair-24h"))
        #expect(output.stdout.isEmpty)
    }

    @Test(arguments: [
        (["--period", "2026-13"], "--period: '2026-13' is not a month; write YYYY-MM"),
        (["--period", "March"], "--period: 'March' is not a month"),
        (["--from", "2026-03-10", "--to", "2026-03-01"], "--to 2026-03-01 is before --from 2026-03-10"),
        (["--from", "2026-03-10"], "--from and --to go together"),
        (["--from", "2026-3-1", "--to", "2026-03-10"], "--from: '2026-3-1' is not a date; write YYYY-MM-DD"),
        (["--period", "2026-03", "--from", "2026-03-01", "--to", "2026-03-02"], "exclude each other"),
        ([], "say which period to report"),
    ])
    func badPeriodsAreRefusedBeforeAnythingIsRead(arguments: [String], message: String) throws {
        let output = try Slad.run(["report", "--tickets", "docs/examples/month.jsonl"] + arguments)
        #expect(output.status == 1)
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }

    @Test func aMissingFileIsNamed() throws {
        let output = try Slad.run(["report", "--tickets", "no-such-history.jsonl", "--period", "2026-03"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("cannot read 'no-such-history.jsonl': no such file"), "\(output.stderr)")
        let mapping = try Slad.run(["report", "--tickets", Self.la2020, "--mapping", "nope.map", "--period", "2020-01"])
        #expect(mapping.status == 2)
        #expect(mapping.stderr.contains("cannot read 'nope.map'"))
    }

    @Test func helpNamesThePeriodAndTheFormats() throws {
        let output = try Slad.run(["report", "--help"])
        #expect(output.status == 0)
        for word in ["--tickets", "--mapping", "--period", "--from", "--to", "--by", "--format", "table, csv, json, markdown or html", "docs/kpi.md"] {
            #expect(output.stdout.contains(word), "\(word)")
        }
    }
}
