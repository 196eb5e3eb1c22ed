import Foundation
import SLARules
import Testing
@testable import SLANotify

@Suite struct ExecTests {
    /// The argument array is passed as is (no shell), the notice arrives as JSON on standard input.
    @Test func runsTheProgramWithJSONOnStandardInput() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-exec-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = folder.appendingPathComponent("in.json").path
        let rules = "channel siren exec { command \"/usr/bin/tee\", \"\(out)\" }\nchannel fails exec { command \"/bin/false\" }\n"
        let all = try channels(rules)
        let notifier = try NotifierRegistry.make(try #require(all["siren"]), secrets: secrets, transport: FakeTransport())
        let text = "3栋 $(touch \(folder.path)/pwned); `id` && echo hi"
        #expect(await notifier.deliver(notice(text), now: Date()) == .delivered)
        let object = try json(Array(try Data(contentsOf: URL(fileURLWithPath: out))))
        #expect(object["text"] as? String == text)
        #expect(object["id"] as? String == "slad-42")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("pwned").path))
        let failing = try NotifierRegistry.make(try #require(all["fails"]), secrets: secrets, transport: FakeTransport())
        guard case .permanent = await failing.deliver(notice("x"), now: Date()) else { Issue.record("not permanent"); return }
    }

    /// A program that exits without reading its input: the write fails (EPIPE) instead of a SIGPIPE that
    /// would end the daemon (here: the test process). 256 KiB is more than a pipe holds, so the write is
    /// still going when the program exits.
    @Test func aProgramThatDoesNotReadItsInputDoesNotEndTheDaemon() async throws {
        let all = try channels("channel siren exec { command \"/bin/true\" }\n")
        let notifier = try NotifierRegistry.make(try #require(all["siren"]), secrets: secrets, transport: FakeTransport())
        for _ in 1...3 {
            #expect(await notifier.deliver(notice(String(repeating: "漏", count: 90_000)), now: Date()) == .delivered)
        }
    }

    @Test func aRelativeCommandIsRefused() throws {
        let all = try channels("channel siren exec { command \"siren\" }\n")
        #expect(throws: NotifierSetupError.self) { try NotifierRegistry.make(all["siren"]!, secrets: secrets, transport: FakeTransport()) }
    }
}
