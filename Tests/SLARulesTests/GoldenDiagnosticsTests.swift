import Foundation
import Testing
@testable import SLARules

/// Each folder under Golden/ holds broken rule files and `expected.txt`, the exact output of `slad check`.
/// Re-record on purpose only: `SLAD_RECORD_GOLDEN=1 swift test --filter GoldenDiagnostics`.
@Suite struct GoldenDiagnosticsTests {
    static let root = repositoryRoot.appendingPathComponent("Tests/SLARulesTests/Golden")

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
    }

    @Test("golden diagnostics", arguments: cases)
    func golden(_ name: String) throws {
        let folder = Self.root.appendingPathComponent(name)
        let (result, count) = try checkFolder(folder)
        let output = render(result, sourceCount: count)
        let expectedURL = folder.appendingPathComponent("expected.txt")
        if ProcessInfo.processInfo.environment["SLAD_RECORD_GOLDEN"] == "1" {
            try output.write(to: expectedURL, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(output == expected, "golden \(name) differs; re-record with SLAD_RECORD_GOLDEN=1 if the change is intended")
        #expect(result.errorCount + result.warningCount > 0, "a golden case must produce diagnostics")
    }

    @Test func thereAreGoldenCases() {
        #expect(Self.cases.count >= 10)
    }
}
