import Foundation
import Testing

/// `slad import` writes each line into the batch as it is in the file, with its idempotency key in front
/// (issue 16, intake): the tickets and keys are those that decoding and encoding each line made before.
@Suite struct ImportBodyTests {
    @Test func linesGoInAsTheyAreWithTheirKeys() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("slad-import-\(UUID().uuidString).jsonl")
        try """
        # a comment, then a blank line

        {"id":"Q\\"1","kind":"repair","created":"2025-09-22 10:00","text":"引号 \\" 和 \\\\ 反斜杠"}
          {"id": "SPACED", "kind": "repair", "created": "2025-09-22 10:01"}\t
        {"id":"OWN","kind":"repair","created":"2025-09-22 10:02","idempotencyKey":"mine"}
        {"kind":"repair","created":"2025-09-22 10:03"}
        {}
        [1, 2]
        """.write(to: file, atomically: true, encoding: .utf8)
        let arguments = ["import", file.path, "--server", "http://127.0.0.1:\(daemon.port)", "--token-env", "SLAD_TEST_TOKEN"]
        let first = try Slad.run(arguments, environment: ["SLAD_TEST_TOKEN": daemon.token])
        #expect(first.status == 1)
        #expect(first.stdout.contains("imported 4 tickets, 2 failed"), "\(first.stdout)")
        #expect(first.stderr.contains(":7: error: HTTP 422"), "\(first.stderr)")
        #expect(first.stderr.contains(":8: error: not a JSON object"), "\(first.stderr)")
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket WHERE id IN ('Q\"1', 'SPACED', 'OWN')") == 3)
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket WHERE fields LIKE '%引号%和%反斜杠%'") == 1)
        // The keys: from the id, the file's own replaced, and file:line for a ticket without an id.
        #expect(try daemon.count("""
            SELECT COUNT(*) FROM idempotency WHERE key IN ('import:Q"1', 'import:SPACED', 'import:OWN', 'import:\(file.path):6')
            """) == 4)
        let second = try Slad.run(arguments, environment: ["SLAD_TEST_TOKEN": daemon.token])
        #expect(second.stdout.contains("imported 0 tickets, 4 already present (kept as they are), 2 failed"), "\(second.stdout)")
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket") == 4)
    }

    @Test func aFileSavedOnWindowsIsReadLineByLine() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("slad-import-\(UUID().uuidString).jsonl")
        try Data(#"{"id":"W1","kind":"repair"}\#r\#n{"id":"W2","kind":"repair"}\#r\#nnot json\#r\#n"#.utf8).write(to: file)
        let arguments = ["import", file.path, "--server", "http://127.0.0.1:\(daemon.port)", "--token-env", "SLAD_TEST_TOKEN"]
        let run = try Slad.run(arguments, environment: ["SLAD_TEST_TOKEN": daemon.token])
        #expect(run.stdout.contains("imported 2 tickets, 1 failed"), "\(run.stdout) \(run.stderr)")
        #expect(run.stderr.contains(":3: error: not a JSON object"), "\(run.stderr)")
    }
}
