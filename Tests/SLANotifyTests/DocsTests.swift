import Foundation
import SLARules
import Testing
@testable import SLANotify

/// docs/notifiers.md is part of the feature: its example rules check, every kind in its table is
/// registered, and its channels can be made into notifiers.
@Suite struct NotifierDocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func exampleChecksAndEveryRegisteredKindIsDocumented() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/notifiers.md"), encoding: .utf8)
        let start = try #require(text.range(of: "```sla\n"))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        let example = try channels(String(text[start.upperBound..<end.lowerBound]))
        let resolver = SecretResolver(environment: ["ALARM_HOOK_SECRET": "x", "SLAD_SMS_TOKEN": "y"], credentialsDirectory: nil)
        for name in ["alarm", "sms", "console"] {
            _ = try NotifierRegistry.make(try #require(example[name]), secrets: resolver, transport: FakeTransport())
        }
        for kind in NotifierRegistry.kinds.keys { #expect(text.contains("| `\(kind)` |"), "docs/notifiers.md does not list \(kind)") }
    }
}
