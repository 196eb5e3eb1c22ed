import Foundation
import SLANotify
import SLARules
import Testing

/// Channels from rules text, checked by the real checker.
func channels(_ text: String) throws -> [String: Channel] {
    let result = RuleLoader.check([SourceFile(path: "test.sla", text: text)])
    guard let rules = result.ruleSet else {
        Issue.record("rules have errors: \(result.diagnostics.map { DiagnosticRenderer.text($0, in: result) })")
        throw CancellationError()
    }
    return rules.channels
}

/// Records requests and answers from a script (the last answer repeats).
final class FakeTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [HTTPResult]
    private(set) var sent: [OutgoingRequest] = []

    init(_ answers: [HTTPResult] = [.response(status: 200, headers: [:], body: Array(#"{"errcode":0,"code":0}"#.utf8))]) {
        self.answers = answers
    }

    func send(_ request: OutgoingRequest, timeout: Double) async -> HTTPResult {
        lock.withLock {
            sent.append(request)
            return answers.count > 1 ? answers.removeFirst() : answers[0]
        }
    }
}

func notice(_ text: String, recipients: [Notice.Recipient] = [Notice.Recipient(person: "zhang-wei", name: "张伟", address: "+8613800000001")]) -> Notice {
    Notice(idempotencyKey: "slad-42", ticketID: "T-1", channel: "ops", recipients: recipients, text: text, createdAt: 1_700_000_000)
}

func json(_ bytes: [UInt8]) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
}

let secrets = SecretResolver(environment: ["HOOK_SECRET": "s3cret", "WECOM_KEY": "wk-123", "DT_TOKEN": "dt-token", "DT_SECRET": "SECtestsecret",
                                           "FS_HOOK": "hook-uuid", "FS_SECRET": "testsecret", "SMS_TOKEN": "tok"],
                             credentialsDirectory: nil)

/// A channel's own notifier: group robots come wrapped in the personal-data masker (PersonalDataTests),
/// and the tests of a kind look at the kind itself.
func kindNotifier(_ channel: Channel, transport: FakeTransport = FakeTransport()) throws -> any Notifier {
    let notifier = try NotifierRegistry.make(channel, secrets: secrets, transport: transport)
    return (notifier as? MaskingNotifier)?.inner ?? notifier
}
