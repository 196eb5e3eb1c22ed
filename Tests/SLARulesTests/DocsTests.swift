import Foundation
import Testing
@testable import SLARules

/// The docs are part of the feature: every diagnostic code is in docs/rules.md's table.
@Suite struct DocsTests {
    @Test func diagnosticsTableListsEveryCode() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| E") || $0.hasPrefix("| W") }
        let documented = Set(rows.compactMap { $0.split(separator: "|").first?.trimmingCharacters(in: .whitespaces) })
        for code in DiagnosticCode.allCases {
            #expect(documented.contains(code.rawValue), "docs/rules.md does not list \(code.rawValue)")
        }
        #expect(documented.count == DiagnosticCode.allCases.count, "the table lists codes that do not exist")
    }

    @Test func codesAreUniqueAndStable() {
        let raw = DiagnosticCode.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        #expect(DiagnosticCode.unexpectedToken.rawValue == "E003")
        #expect(DiagnosticCode.unreachablePolicy.rawValue == "W001")
    }
}
