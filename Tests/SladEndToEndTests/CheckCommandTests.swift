import Foundation
import Testing

/// Runs the real `slad` binary, as an operator would.
struct Slad {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL {
        // The test bundle sits beside the executable in the build folder.
        let beside = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("slad")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return Bundle.main.bundleURL.appendingPathComponent("slad")
    }

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs slad (or `executable`, such as runuser in front of slad) with `arguments`.
    static func run(_ arguments: [String], in directory: URL = root, environment: [String: String] = [:],
                    executable: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A fresh copy of the shipped rules in a temporary folder, to break on purpose.
    static func copyOfRules() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-e2e-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: root.appendingPathComponent("rules"), to: folder)
        return folder
    }
}

@Suite struct CheckCommandTests {
    @Test func shippedRulesAreClean() throws {
        // As of a date inside the shipped calendar data (from December 2026 on, W012 says 2027 is missing).
        let output = try Slad.run(["check", "--today", "2026-06-01", "rules"])
        #expect(output.status == 0, "\(output.stdout)")
        #expect(output.stdout.hasPrefix("ok: "), "\(output.stdout)")
        #expect(!output.stdout.contains("warning"))
    }

    @Test func defaultPathIsRules() throws {
        let output = try Slad.run(["check"])
        #expect(output.status == 0)
        // Every rule file under rules/, however many the shipped rules hold.
        let files = try FileManager.default.contentsOfDirectory(atPath: Slad.root.appendingPathComponent("rules").path).filter { $0.hasSuffix(".sla") }
        // And the intake mappings beside them (rules/intake/*.map, checked with the rules).
        let mappings = try FileManager.default.contentsOfDirectory(atPath: Slad.root.appendingPathComponent("rules/intake").path).filter { $0.hasSuffix(".map") }
        #expect(files.contains("kpi.sla") && mappings.contains("hotline.map"))
        #expect(output.stdout.contains("\(files.count + mappings.count) files"), "\(output.stdout)")
    }

    @Test func brokenFilesReportEveryErrorWithFileAndLine() throws {
        let folder = try Slad.copyOfRules()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Garbage at a line, an unterminated string, a misspelt reference, a file duplicated under another name.
        var complaints = try String(contentsOf: folder.appendingPathComponent("complaints.sla"), encoding: .utf8)
        var lines = complaints.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.insert("  %%% 乱码 garbage", at: 11)
        complaints = lines.joined(separator: "\n").replacingOccurrences(of: "via sms, ops, console using overdue repeat", with: "via smss, ops, console using overdue repeat")
        try complaints.write(to: folder.appendingPathComponent("complaints.sla"), atomically: true, encoding: .utf8)
        var repairs = try String(contentsOf: folder.appendingPathComponent("repairs.sla"), encoding: .utf8)
        repairs = repairs.replacingOccurrences(of: "\"维修完成\" within 24h until resolved           # [manual] 24-hour",
                                               with: "\"维修完成 within 24h until resolved           # [manual] 24-hour")
        try repairs.write(to: folder.appendingPathComponent("repairs.sla"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: folder.appendingPathComponent("enquiries.sla"),
                                         to: folder.appendingPathComponent("enquiries-copy.sla"))
        let output = try Slad.run(["check", folder.path])
        #expect(output.status == 1)
        let path = folder.path
        #expect(output.stdout.contains("\(path)/complaints.sla:12:3: error: unexpected characters '%%%' [E001]"), "\(output.stdout)")
        #expect(output.stdout.contains("\(path)/complaints.sla:12:7: error: unknown statement '乱码' in a policy [E003]"))
        #expect(output.stdout.contains("error: unknown channel 'smss' [E102]"))
        #expect(output.stdout.contains("did you mean 'sms'?"))
        #expect(output.stdout.contains("\(path)/repairs.sla:10:18: error: unterminated string [E002]"))
        #expect(output.stdout.contains("unterminated string [E002]"))
        #expect(output.stdout.contains("error: policy 'enquiry' is defined twice [E101]"))
        #expect(output.stdout.contains("\(path)/enquiries-copy.sla:3:8: note: first defined here") ||
                output.stdout.contains("\(path)/enquiries.sla:3:8: note: first defined here"))
        #expect(output.stdout.contains("^"))
    }

    @Test func truncatedFileIsAnError() throws {
        let folder = try Slad.copyOfRules()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("plans.sla")
        let text = try String(contentsOf: url, encoding: .utf8)
        try String(text.prefix(text.count * 2 / 3)).write(to: url, atomically: true, encoding: .utf8)
        let output = try Slad.run(["check", folder.path])
        #expect(output.status == 1)
        #expect(output.stdout.contains("\(folder.path)/plans.sla:"), "\(output.stdout)")
        #expect(output.stdout.contains("is never closed [E004]"))
    }

    @Test func jsonOutputParses() throws {
        let folder = try Slad.copyOfRules()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "policy broken { clock respond within 2x until acknowledged }\nchannel spare log {}\n"
            .write(to: folder.appendingPathComponent("zz.sla"), atomically: true, encoding: .utf8)
        let output = try Slad.run(["check", "--format", "json", "--today", "2026-06-01", folder.path])
        #expect(output.status == 1)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        #expect(array.count == 2)
        let first = try #require(array.first)
        #expect(first["file"] as? String == "\(folder.path)/zz.sla")
        #expect(first["line"] as? Int == 1)
        #expect(first["column"] as? Int == 38)
        #expect(first["severity"] as? String == "error")
        #expect(first["code"] as? String == "E005")
        #expect((first["message"] as? String)?.contains("2x") == true)
        #expect(first["hint"] is String)
        #expect(array[1]["severity"] as? String == "warning")
    }

    @Test func cleanJsonIsAnEmptyArray() throws {
        let output = try Slad.run(["check", "--format", "json", "--today", "2026-06-01", "rules"])
        #expect(output.status == 0)
        #expect(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }

    @Test func unreadablePathExitsTwo() throws {
        let output = try Slad.run(["check", "/nonexistent/slad-rules"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("cannot read '/nonexistent/slad-rules'"))
    }

    @Test func warningsPassUnlessStrict() throws {
        let folder = try Slad.copyOfRules()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "channel spare log {}\n".write(to: folder.appendingPathComponent("zz.sla"), atomically: true, encoding: .utf8)
        #expect(try Slad.run(["check", folder.path]).status == 0)
        #expect(try Slad.run(["check", "--strict", folder.path]).status == 1)
    }

    @Test func helpDescribesTheCommand() throws {
        let output = try Slad.run(["check", "--help"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("--format"))
        #expect(output.stdout.contains("Exit status"))
    }
}
